"""The kennisbank demo: practices across themes, evidence levels, target groups and
regions; real PDF handreikingen; the menukaart and the stagediscriminatie collections."""

from __future__ import annotations

import io
import re

from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, Revision, WorkflowPage

from tests.library import library_index
from via_platform.communities.models import ContentVisibility
from via_platform.library import demo
from via_platform.library.models import (
    Application,
    CollectionItem,
    CollectionPage,
    EvidenceLevel,
    Intervention,
    MenukaartPage,
    Phase,
    PracticeDocument,
    PracticeLink,
    PracticePage,
    RelatedPractice,
    TargetGroupCode,
)
from via_platform.library.workflow import WORKFLOW_NAME


def test_demo_data_is_well_formed():
    slugs = [p.slug for p in demo.PRACTICES]
    assert len(slugs) == len(set(slugs))
    for practice in demo.PRACTICES:
        assert len(practice.summary) <= 600, practice.slug
        assert practice.contact[1].endswith("@voorbeeld.nl"), practice.slug
        assert set(practice.related) <= set(slugs), practice.slug
        assert all(url.startswith("https://") for _title, url in practice.links)
    for _phase, _title, _text, linked in demo.INTERVENTIONS:
        assert set(linked) <= set(slugs)
    for collection in demo.COLLECTIONS:
        assert {slug for slug, _note in collection.items} <= set(slugs)


def test_demo_practices_cover_themes_evidence_levels_target_groups_and_regions(demo_site):
    practices = PracticePage.objects.live().child_of(library_index())
    assert practices.count() >= 30
    assert set(practices.values_list("evidence_level", flat=True)) == set(EvidenceLevel.values)
    assert set(practices.values_list("theme", flat=True)) == {"1", "2", "3"}
    assert set(practices.values_list("target_groups__code", flat=True)) == set(
        TargetGroupCode.values
    )
    assert practices.values("region").exclude(region=None).distinct().count() >= 10
    assert practices.values("organisation").distinct().count() >= 10
    assert not practices.filter(organisation=None).exists()
    assert not practices.filter(contact_email="").exists()
    assert PracticeLink.objects.filter(page__in=practices).count() >= 30
    assert RelatedPractice.objects.filter(page__in=practices).count() >= 10


def test_demo_practices_are_published_with_their_relations_in_the_revision(demo_site):
    """What an editor opens in Wagtail is what visitors see, and search finds it."""
    practice = PracticePage.objects.get(slug="intensieve-begeleiding-kleine-caseload")
    assert practice.live and not practice.has_unpublished_changes
    assert practice.live_revision_id == practice.latest_revision_id
    draft = practice.get_latest_revision_as_object()
    assert [r.practice.slug for r in draft.related.all()] == [
        r.practice.slug for r in practice.related.all()
    ]
    assert len(draft.related.all()) == 3
    assert {d.document_id for d in draft.documents.all()} == {
        d.document_id for d in practice.documents.all()
    }
    assert set(draft.communities.all()) == set(practice.communities.all())
    found = PracticePage.objects.live().search("stagediscriminatie")
    assert "meldpunt-stagediscriminatie" in {p.slug for p in found}


def test_demo_practices_have_spread_publication_dates(demo_site):
    dates = list(PracticePage.objects.live().values_list("first_published_at", flat=True))
    assert len({d.date() for d in dates}) == len(dates)
    assert min(dates).year <= 2023 < max(dates).year
    newest = PracticePage.objects.live().order_by("-first_published_at").first()
    assert newest.slug == "diversiteitsdoelen-mkb"


def test_some_practices_are_applied_by_several_organisations(demo_site):
    counts = sorted((p.applications.count() for p in PracticePage.objects.live()), reverse=True)
    assert counts[0] >= 5 and counts[0] > counts[10] and counts[-1] == 0
    marked = Application.objects.exclude(marked_by=None).select_related("marked_by__profile")
    assert marked.exists()
    for application in marked:
        assert application.marked_by.profile.organisation_id == application.organisation_id


def test_members_only_practices_belong_only_to_members_only_communities(demo_site):
    private = PracticePage.objects.filter(members_only=True)
    assert 2 <= private.count() <= 3
    for practice in private:
        communities = list(practice.communities.all())
        assert communities
        assert all(c.content_visibility == ContentVisibility.MEMBERS for c in communities)


def test_demo_documents_are_real_pdfs_in_the_kennisbank_collection(demo_site):
    collection = Collection.objects.get(name=demo.DOCUMENT_COLLECTION)
    documents = get_document_model().objects.filter(collection=collection)
    assert documents.count() == len(demo.DOCUMENTS) >= 3
    for document in documents:
        with document.file.open("rb") as handle:
            data = handle.read()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
        assert len(data) > 2500, document.title
        assert document.file_size == len(data) and document.file_hash
        pages = len(re.findall(rb"/Type /Page\b", data))
        assert 1 <= pages <= 3, (document.title, pages)
        assert re.search(rb"startxref\s+\d+\s+%%EOF", data)
        assert f"/Title ({document.title})".encode() in data
        assert document.file.name.endswith(".pdf")
        assert PracticeDocument.objects.filter(document=document).exists(), document.title
    in_bodies = {
        block.value["document"].pk
        for page in CollectionPage.objects.live()
        for block in page.body
        if block.block_type == "document"
    }
    assert len(in_bodies) >= 2


def test_menukaart_covers_every_phase_with_practice_links(demo_site):
    menukaart = MenukaartPage.objects.live().get(slug="menukaart")
    assert menukaart.get_parent().specific == library_index()
    assert menukaart.title == "Menukaart voor werkgevers"
    interventions = list(Intervention.objects.filter(page=menukaart))
    for phase in Phase.values:
        in_phase = [i for i in interventions if i.phase == phase]
        assert len(in_phase) >= 2, phase
        assert all(i.practices.filter(live=True).exists() for i in in_phase), phase
    # The revision an editor opens in Wagtail carries the same links.
    revision = menukaart.get_latest_revision_as_object()
    assert all(list(i.practices.all()) for i in revision.interventions.all())


def test_stagediscriminatie_collections_have_body_documents_and_items(demo_site):
    for slug in ("toolbox-stagediscriminatie", "checklist-stagediscriminatie"):
        collection = CollectionPage.objects.live().child_of(library_index()).get(slug=slug)
        assert collection.intro
        kinds = [block.block_type for block in collection.body]
        assert "paragraph" in kinds and "document" in kinds
        assert collection.items.count() >= 3
        assert all(item.note for item in collection.items.all())
    checklist = CollectionPage.objects.get(slug="checklist-stagediscriminatie")
    html = "".join(str(b.value) for b in checklist.body if b.block_type == "paragraph")
    assert html.count("<li>") >= 10


def test_the_library_has_its_review_workflow(demo_site):
    index = library_index()
    assert WorkflowPage.objects.get(page=index).workflow.name == WORKFLOW_NAME
    practice = PracticePage.objects.live().first()
    assert practice.get_workflow().name == WORKFLOW_NAME


def test_running_the_seed_again_adds_nothing(demo_site):
    models = (
        Page,
        Revision,
        PracticePage,
        PracticeDocument,
        PracticeLink,
        RelatedPractice,
        Application,
        Intervention,
        CollectionItem,
        Collection,
        get_document_model(),
        WorkflowPage,
    )
    before = {model: model.objects.count() for model in models}
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    assert {model: model.objects.count() for model in models} == before
    assert "kennisbank" not in output.getvalue()
