"""The certificate as a PDF (ReportLab), with its fonts embedded.

The fonts are Bitstream Vera, which ReportLab ships, registered as TrueType so that
they are embedded (subset) in every file: a certificate looks the same in any reader,
years later. The page carries the verification code and the address where anyone can
check it.

Names and titles are written by people: they are drawn as plain text (nothing in them
is read as markup), shrunk or wrapped to stay on the page, and a letter the font has
no glyph for is printed as its base letter (Ż as Z) rather than as an empty box.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import reportlab
from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_DIR = Path(reportlab.__file__).parent / "fonts"
REGULAR, BOLD = "VIA-Sans", "VIA-Sans-Bold"
PRIMARY = colors.HexColor("#154273")  # the site's dark blue
MARGIN = 2.2 * cm


def _fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "VeraBd.ttf")))


def printable(text: str, font: str) -> str:
    """`text` with what the font cannot draw replaced: control characters by a space, a
    letter without a glyph by its base letter (NFKD without the accents), else "?"."""
    glyphs = pdfmetrics.getFont(font).face.charToGlyph
    out = []
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(" ")
        elif ord(char) in glyphs:
            out.append(char)
        else:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char)
                if ord(c) in glyphs and not unicodedata.combining(c)
            )  # fmt: skip
            out.append(base or "?")
    return " ".join("".join(out).split())


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; a word wider than the line is broken between letters."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if pdfmetrics.stringWidth(candidate, font, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:
            if line and pdfmetrics.stringWidth(line + char, font, size) > width:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    return lines


def _centred(pdf, text: str, font: str, size: float, y: float, width: float,
             min_size: float = 9, max_lines: int = 3) -> None:  # fmt: skip
    """Draw `text` centred between the margins (`width` apart) around the baseline
    `y`, as large as it fits: on one line, or in lines that take no more height than
    1.6 × `size`; at `min_size` in up to `max_lines` lines, the last one cut short with
    an ellipsis if even that is too little."""
    text = printable(text, font)
    room = size * 1.6
    while True:
        lines = _wrap(text, font, size, width)
        if len(lines) <= 1 or len(lines) * size * 1.15 <= room or size <= min_size:
            break
        size = max(min_size, size - 1)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and pdfmetrics.stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    leading = size * 1.15
    top = y + leading * (len(lines) - 1) / 2
    pdf.setFont(font, size)
    for number, line in enumerate(lines):
        pdf.drawCentredString(MARGIN + width / 2, top - number * leading, line)


def _hours(hours) -> str:
    value = formats.number_format(hours, decimal_pos=1 if hours % 1 else 0)
    return _("%(hours)s hours") % {"hours": value}


def verification_address(certificate) -> str:
    from via_platform.learning.services import certificate_url

    url = certificate_url(certificate)
    if url.startswith(("http://", "https://")):  # Wagtail gives a full URL with several sites
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def certificate_pdf(certificate) -> bytes:
    """One landscape A4 page; texts in the site's default language (Dutch)."""
    _fonts()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    line = width - 2 * MARGIN
    with translation.override(settings.LANGUAGE_CODE):
        # The initial font too, or the page names Helvetica, a font it does not carry.
        pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1,
                            initialFontName=REGULAR, initialFontSize=12)  # fmt: skip
        pdf.setTitle(f"{_('Certificate')}: {certificate.course_title}")
        pdf.setAuthor(certificate.organisation_name)
        pdf.setSubject(certificate.code)

        pdf.setStrokeColor(PRIMARY)
        pdf.setLineWidth(3)
        pdf.rect(1.2 * cm, 1.2 * cm, width - 2.4 * cm, height - 2.4 * cm)
        pdf.setFillColor(PRIMARY)
        pdf.setFont(BOLD, 14)
        pdf.drawString(MARGIN, height - 2.8 * cm, "VIA Leernetwerken")

        centre = width / 2
        pdf.setFont(BOLD, 34)
        pdf.drawCentredString(centre, height - 6 * cm, _("Certificate"))
        pdf.setFillColor(colors.black)
        pdf.setFont(REGULAR, 14)
        pdf.drawCentredString(centre, height - 7.6 * cm, _("This certifies that"))
        _centred(pdf, certificate.learner_name, BOLD, 24, height - 9.2 * cm, line)
        pdf.setFont(REGULAR, 14)
        pdf.drawCentredString(centre, height - 10.6 * cm, _("has completed the course"))
        _centred(pdf, certificate.course_title, BOLD, 20, height - 12 * cm, line)
        details = _("on %(date)s · study load %(hours)s · issued by %(organisation)s") % {
            "date": formats.date_format(certificate.completed_on, "j F Y"),
            "hours": _hours(certificate.hours),
            "organisation": certificate.organisation_name,
        }
        _centred(pdf, details, REGULAR, 13, height - 13.6 * cm, line, max_lines=2)

        pdf.setFont(REGULAR, 10)
        pdf.drawString(
            MARGIN, 2.6 * cm, _("Verification code: %(code)s") % {"code": certificate.code}
        )
        pdf.drawString(
            MARGIN, 2 * cm,
            _("Check this certificate at %(url)s") % {"url": verification_address(certificate)},
        )  # fmt: skip
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()
