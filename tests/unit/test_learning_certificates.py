"""The certificate PDF: written once, says what it certifies and where to check it,
carries its fonts, prints every name as the person wrote it (as plain text), and keeps
long texts on the page."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import formats, translation
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics

from tests.forums import person
from tests.hostile import PAYLOADS
from tests.learning import course, lesson
from via_platform.learning import certificates, services
from via_platform.learning.models import Certificate, Enrolment
from via_platform.notifications.models import Happening
from via_platform.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def earn(first: str = "Sanne", last: str = "de Boer", title: str = "Objectief werven",
         issuer: str = "Gemeente Amersfoort") -> Certificate:  # fmt: skip
    """A learner completes a one-lesson course; the certificate is not rendered yet."""
    organisation = Organisation.objects.create(
        name=issuer, slug=f"org-{Organisation.objects.count()}", kind="gemeente"
    )
    page = course(title, slug=f"cursus-{Certificate.objects.count()}", issuer=organisation,
                  hours=Decimal("2.5"))  # fmt: skip
    only = lesson(page, "Les")
    learner = person(first, last)
    services.enrol(learner, page)
    services.complete_lesson(learner, only)
    return Enrolment.objects.get(user=learner, course=page).certificate


def happenings(kind: str) -> list[Happening]:
    return list(Happening.objects.filter(kind=kind))


def rendered(certificate: Certificate) -> PdfReader:
    certificate = services.render_certificate(certificate.pk)
    return PdfReader(io.BytesIO(bytes(certificate.pdf)))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_is_written_once_and_the_learner_is_told_once():
    certificate = earn()
    assert certificate.pdf is None

    first = services.render_certificate(certificate.pk)
    pdf, generated_at = bytes(first.pdf), first.generated_at

    assert pdf.startswith(b"%PDF-") and generated_at is not None
    again = services.render_certificate(certificate.pk)
    assert bytes(again.pdf) == pdf and again.generated_at == generated_at
    assert services.certificate_pdf_bytes(Certificate.objects.get()) == pdf
    [ready] = happenings(services.CERTIFICATE_READY)
    assert ready.audience == [certificate.enrolment.user_id]
    assert ready.url == f"/leren/certificaat/{certificate.code}/"
    assert ready.target == certificate


def test_downloading_before_the_worker_got_to_it_renders_the_pdf_then():
    certificate = earn()

    pdf = services.certificate_pdf_bytes(certificate)

    assert pdf.startswith(b"%PDF-")
    assert bytes(Certificate.objects.get().pdf) == pdf
    assert len(happenings(services.CERTIFICATE_READY)) == 1


def test_the_pdf_says_who_completed_what_and_where_to_check_it():
    certificate = earn()

    text = text_of(rendered(certificate))

    with translation.override(settings.LANGUAGE_CODE):
        completed_on = formats.date_format(certificate.completed_on, "j F Y")
    path = f"/leren/certificaat/{certificate.code}/"
    for expected in ("Sanne de Boer", "Objectief werven", "2,5", "Gemeente Amersfoort",
                     completed_on, certificate.code, path,
                     settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path):  # fmt: skip
        assert expected in text, expected


def test_the_fonts_are_embedded():
    reader = rendered(earn())

    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for name in fonts:
        font = fonts[name].get_object()
        for part in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
            descriptor = part.get("/FontDescriptor")
            if descriptor is not None:
                break
        assert descriptor is not None, f"{name} is one of the reader's own fonts"
        assert "/FontFile2" in descriptor.get_object(), f"{name} is not embedded"


def test_a_name_with_accents_comes_out_intact():
    certificate = earn("Özlem", "Çelik-Ünal", title="Coördinatie van ‘open hiring’ – één aanpak")

    text = text_of(rendered(certificate))

    assert "Özlem Çelik-Ünal" in text
    assert "Coördinatie van ‘open hiring’ – één aanpak" in text


def test_a_letter_the_font_lacks_prints_as_its_base_letter_rather_than_a_hole():
    certificate = earn("Żaneta", "Dvořák-Şahin")

    text = text_of(rendered(certificate))

    glyphs = pdfmetrics.getFont(certificates.BOLD).face.charToGlyph
    assert ord("Ż") not in glyphs and ord("ř") not in glyphs  # Bitstream Vera has neither
    assert "Zaneta Dvorák-Şahin" in text


HOSTILE = [
    *(p for p in PAYLOADS if p.startswith(("<script>", "<img", '"><script>', "{{"))),
    ") Tj /JavaScript (XSS) \\",  # the PDF's own string syntax
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_in_names_is_printed_as_plain_text(payload):
    certificate = earn(payload, "", title=f"Cursus {payload}", issuer=f"Stichting {payload}")

    reader = rendered(certificate)
    text = text_of(reader)

    assert payload in text
    assert f"Cursus {payload}" in text
    catalog = reader.trailer["/Root"]
    assert not {"/OpenAction", "/AA", "/Names", "/AcroForm"} & set(catalog)
    assert "/Annots" not in reader.pages[0]


def test_long_names_and_titles_stay_on_the_page():
    long_title = "Inclusief werven en selecteren voor mkb-werkgevers in de arbeidsmarktregio " * 3
    long_name = "Maximiliaan-Alexander " * 6
    certificate = earn(long_name.strip(), "van den Berghe-Oosterhuis", title=long_title.strip(),
                       issuer="Stichting Samenwerkende Werkgevers " * 5)  # fmt: skip

    reader = rendered(certificate)
    width, _height = landscape(A4)
    positions = []
    reader.pages[0].extract_text(
        visitor_text=lambda text, cm, tm, font, size: text.strip() and positions.append(tm[4])
    )

    assert positions and all(0 < x < width for x in positions)
    squashed = "".join(text_of(reader).split())
    assert "".join(long_title.split()) in squashed
    assert "".join(f"{long_name}van den Berghe-Oosterhuis".split()) in squashed
