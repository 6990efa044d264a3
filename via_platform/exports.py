"""Spreadsheet downloads for coordinators (member lists, attendee lists): CSV that Excel
opens as UTF-8, XLSX, and no cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; make them plain text."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _private_download(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(header: list[str], rows: Iterable[list], filename: str) -> HttpResponse:
    """Streamed, so a long list never sits in memory; every cell made safe."""

    def lines():
        writer = csv.writer(_Echo())
        yield "\ufeff"  # Excel opens UTF-8 only with a byte order mark
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(safe_cell(cell) for cell in row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    return _private_download(response, filename)


def xlsx_response(
    header: list[str], rows: Iterable[list], filename: str, sheet_title: str
) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])  # Excel's limit on sheet names
    sheet.append(header)
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(
        output.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return _private_download(response, filename)
