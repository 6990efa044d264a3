"""Shared setup for the kennisbank tests: the library index and practices in it."""

from __future__ import annotations

from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from via_platform.library.models import (
    LibraryIndexPage,
    PracticeDocument,
    PracticePage,
    TargetGroup,
)

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def library_index() -> LibraryIndexPage:
    """The demo site's /kennisbank/ (use with the demo_site fixture)."""
    return LibraryIndexPage.objects.get(slug="kennisbank")


def document(title: str = "Handreiking", name: str = "handreiking.pdf", data: bytes = MINIMAL_PDF):
    doc = Document(title=title)
    doc.file.save(name, ContentFile(data), save=False)
    doc.save()
    return doc


def practice(
    index: LibraryIndexPage,
    title: str,
    *,
    communities=(),
    target_groups=(),
    documents=(),
    publish: bool = True,
    owner=None,
    **fields,
) -> PracticePage:
    """A practice with sensible defaults; `target_groups` are TargetGroupCode values."""
    defaults = {
        "summary": f"Samenvatting van {title}.",
        "problem": "<p>Het knelpunt.</p>",
        "approach": "<p>De aanpak.</p>",
    }
    page = PracticePage(title=title, owner=owner, **{**defaults, **fields})
    page.communities = list(communities)
    page.target_groups = list(TargetGroup.objects.filter(code__in=target_groups))
    page.documents = [PracticeDocument(document=doc) for doc in documents]
    if not publish:
        page.live = False
    index.add_child(instance=page)
    revision = page.save_revision(user=owner)
    if publish:
        revision.publish()
    return PracticePage.objects.get(pk=page.pk)
