"""Hostile uploads on every upload field: kennisbank submissions (documents), profile
photos and forum images. A file whose name lies about its content, a zip bomb dressed
as .docx, an image that claims 30000 × 30000 pixels, and an SVG with a script are each
refused with a message that names the problem, and nothing is stored."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.hostile_world import world_fixture

world = world_fixture()

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert('XSS')</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(\'XSS\')">'
    b"<script>alert('XSS')</script></svg>"
)
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A valid, tiny PNG whose header says width × height (one row of real data)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = zlib.compress(b"\x00" + b"\x00" * min(width, 64))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def small_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def zip_bomb_docx(unpacked_mb: int = 400) -> bytes:
    """A real .docx layout whose one big part is zeros: ~400 kB that unpacks to
    `unpacked_mb` MB. Written in pieces, so the test itself never holds it unpacked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        block = b"\x00" * (1024 * 1024)
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            for _ in range(unpacked_mb):
                member.write(block)
    return buffer.getvalue()


def honest_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Een handreiking.</w:document>")
    return buffer.getvalue()


def _media_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb_docx()


# Kennisbank documents ------------------------------------------------------------------


def _check(name: str, data: bytes):
    from via_platform.library.review import check_upload

    upload = SimpleUploadedFile(name, data)
    with pytest.raises(ValidationError) as refused:
        check_upload(upload)
    return refused.value


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("handreiking.pdf", EXE, "content"),
        ("handreiking.pdf", HTML, "content"),
        ("handreiking.docx", EXE, "content"),
        ("handreiking.docx", MINIMAL_PDF, "content"),
        ("lijst.csv", EXE, "content"),
        ("lijst.txt", HTML.replace(b"<", b"\x00<"), "content"),
        ("handreiking.html", HTML, "extension"),
        ("handreiking.svg", SVG, "extension"),
        ("handreiking.exe", EXE, "extension"),
        ("handreiking.pdf.exe", EXE, "extension"),
        ("handreiking", MINIMAL_PDF, "extension"),
        ("leeg.pdf", b"", "empty"),
    ],
)
def test_library_refuses_lying_and_dangerous_files(name, data, code):
    error = _check(name, data)
    assert error.code == code
    assert name in error.messages[0]


def test_library_refuses_a_zip_bomb_dressed_as_docx_without_unpacking_it(bomb, monkeypatch):
    from via_platform.library import review

    assert len(bomb) < 2 * 1024 * 1024  # small on the way in ...
    unpacked = []
    original_read = zipfile.ZipFile.read
    monkeypatch.setattr(
        zipfile.ZipFile, "read", lambda self, name, pwd=None: unpacked.append(name)
        or original_read(self, name, pwd)
    )  # fmt: skip
    error = _check("handreiking.docx", bomb)
    assert error.code == "archive_too_large"
    assert "handreiking.docx" in error.messages[0]
    assert unpacked == []  # judged by its directory, never unpacked
    review.check_upload(SimpleUploadedFile("echt.docx", honest_docx()))  # a real one passes


def test_library_refuses_an_oversized_file(settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    error = _check("groot.pdf", MINIMAL_PDF + b"%" * 2048)
    assert error.code == "too_large"


def test_a_refused_submission_stores_nothing(world, db, bomb):
    """Through the submission form: each bad attachment is named, no document, page or
    file is stored, and a good attachment in the same post is not stored either."""
    from wagtail.documents.models import Document

    from via_platform.library.models import PracticePage

    client = Client()
    client.force_login(world.member)
    before = (Document.objects.count(), PracticePage.objects.count(), _media_files())
    response = client.post(
        f"{world.library.url}indienen/",
        {
            "title": "Een aanpak",
            "summary": "Kort.",
            "problem": "Het knelpunt.",
            "approach": "De aanpak.",
            "attachments": [
                SimpleUploadedFile("virus.pdf", EXE),
                SimpleUploadedFile("pagina.pdf", HTML),
                SimpleUploadedFile("bom.docx", bomb),
                SimpleUploadedFile("script.svg", SVG),
                SimpleUploadedFile("echt.pdf", MINIMAL_PDF),
            ],
        },
    )
    assert response.status_code == 400  # the form again, each refusal named
    page = response.content.decode()
    for name in ("virus.pdf", "pagina.pdf", "bom.docx", "script.svg"):
        assert name in page, name
    after = (Document.objects.count(), PracticePage.objects.count(), _media_files())
    assert after == before


# Profile photos ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("foto.jpg", EXE),
        ("foto.jpg", HTML),
        ("foto.png", SVG),
        ("foto.svg", SVG),
        ("foto.png", png_claiming(30000, 30000)),  # a decompression bomb for Pillow
        ("foto.png", png_claiming(8000, 8000)),  # 64 megapixels: more than we take
        ("foto.gif", b"GIF89a" + b"\x00" * 20),  # a truncated image
    ],
)
def test_profile_photo_refuses_what_is_not_a_usable_photo(world, db, name, data):
    from via_platform.accounts.models import Profile

    client = Client()
    client.force_login(world.member)
    before = _media_files()
    response = client.post("/account/profiel/", {"photo": SimpleUploadedFile(name, data)})
    assert response.status_code == 200  # the form again, with the reason
    errors = response.context["form"].errors.as_data()["photo"]
    assert {e.code for e in errors} <= {"not_an_image", "too_many_pixels", "too_large"}, errors
    assert errors[0].messages[0]
    assert not Profile.objects.get(user=world.member).photo
    assert _media_files() == before


def test_profile_photo_takes_a_real_image_under_a_name_of_our_own():
    from via_platform.accounts.services import process_photo

    upload = SimpleUploadedFile("../../<script>alert('XSS')</script>.png", small_png())
    assert process_photo(upload).name == "photo.jpg"  # re-encoded, the given name dropped


# Forum images --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("plaatje.png", EXE, "content"),
        ("plaatje.jpg", HTML, "content"),
        ("plaatje.png", SVG, "content"),
        ("plaatje.svg", SVG, "extension"),
        ("plaatje.html", HTML, "extension"),
        ("plaatje.png", png_claiming(30000, 30000), "too_many_pixels"),
        ("plaatje.png", png_claiming(8000, 8000), "too_many_pixels"),
        ("plaatje.png", b"", "empty"),
    ],
)
def test_forum_image_check_refuses_lies_and_bombs(name, data, code):
    from via_platform.forums.forms import check_image

    with pytest.raises(ValidationError) as refused:
        check_image(SimpleUploadedFile(name, data))
    assert refused.value.code == code
    assert name in refused.value.messages[0]


def test_forum_image_check_takes_a_real_image():
    from via_platform.forums.forms import check_image

    upload = SimpleUploadedFile("echt.png", small_png(), content_type="text/html")
    check_image(upload)
    assert upload.content_type == "image/png"  # the sniffed type, not the browser's


def test_a_refused_forum_image_stores_nothing(world, db, settings):
    from via_platform.forums import services
    from via_platform.forums.models import Post, PostImage

    settings.FORUMS_POSTS_PER_MINUTE = settings.FORUMS_NEW_MEMBER_POSTS_PER_MINUTE = 1000
    client = Client()
    client.force_login(world.member)
    before = (Post.objects.count(), PostImage.objects.count(), _media_files())
    response = client.post(
        f"{services.topic_url(world.topic)}reageren/",
        {
            "body": "Kijk eens",
            "image_1": SimpleUploadedFile("bom.png", png_claiming(30000, 30000)),
            "alt_1": "Een bom",
            "image_2": SimpleUploadedFile("script.png", SVG),
            "alt_2": "Een script",
        },
    )
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert "bom.png" in page and "script.png" in page
    assert (Post.objects.count(), PostImage.objects.count(), _media_files()) == before
