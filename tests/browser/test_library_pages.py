"""A klantmanager reads a practice and marks that the gemeente applies it; the menukaart,
a collection and the members-only page are accessible and keep the strict CSP."""

from __future__ import annotations

import re
import uuid

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.test_account_journey import log_in
from tests.library import document, library_index, practice
from via_platform.communities.models import CommunityPage
from via_platform.library.models import (
    CollectionItem,
    CollectionPage,
    Intervention,
    MenukaartPage,
    Phase,
    RelatedPractice,
)
from via_platform.organisations.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "leernetwerk-demo"


def assert_accessible(page):
    assert axe_violations(page) == [], page.url
    assert page.csp_violations == [], page.url


def in_english(page, live_server):
    """The msgids, whatever the Dutch catalogue says (log in first: log_in reads Dutch)."""
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )


def _slug() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def _practice_with_everything(index):
    organisation = Organisation.objects.get(name="Movisie")
    organisation.approved = True
    organisation.save()
    related = practice(index, "Anonieme eerste selectie in de test")
    page = practice(
        index,
        "Werkproef met vaste opdrachten",
        summary="Kandidaten laten in een werkdag zien wat ze kunnen.",
        problem="<p>Gesprekken bevoordelen wie zich goed verkoopt.</p>",
        approach="<p>Een werkproef met <b>vaste opdrachten</b> en een vaste beoordeling.</p>",
        results="<p>Meer aannames, minder uitval.</p>",
        evidence_level="bewezen",
        theme="1",
        target_groups=["werkgevers", "statushouders"],
        organisation=organisation,
        contact_name="Jan de Vries",
        contact_email="jan@example.org",
        duration="Een dag",
        cost="€ 250",
        documents=[
            document("Handreiking werkproef", "handreiking-werkproef.pdf"),
            document("Beoordelingsformulier", "beoordeling.odt", b"o" * 4096),
        ],
        communities=[CommunityPage.objects.get(slug="mkb-techniek-en-installatie")],
    )
    page.links.model.objects.create(page=page, title="Evaluatie", url="https://example.org/e")
    RelatedPractice.objects.create(page=page, practice=related, sort_order=0)
    return page


def test_a_klantmanager_marks_that_the_gemeente_applies_a_practice(demo_site, page, live_server):
    practice_page = _practice_with_everything(library_index())

    log_in(page, "klantmanager@voorbeeld.nl", PASSWORD)
    in_english(page, live_server)
    page.goto(practice_page.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Werkproef met vaste opdrachten"
    expect(page.get_by_text("Applied by 0 organisations")).to_be_visible()
    expect(page.get_by_text("(OpenDocument text, 4.0 KB)")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="We apply this").click()
    page.wait_for_load_state()
    expect(
        page.get_by_text("Thank you: Gemeente Rotterdam now counts as applying this practice.")
    ).to_be_visible()
    expect(page.get_by_text("Applied by 1 organisation", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="We no longer apply this")).to_be_visible()
    assert_accessible(page)

    # A reload does not mark it twice; taking the mark away brings the count back.
    page.reload()
    expect(page.get_by_text("Applied by 1 organisation", exact=True)).to_be_visible()
    page.get_by_role("button", name="We no longer apply this").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Applied by 0 organisations")).to_be_visible()

    # The related practice and the organisation are one click away.
    page.get_by_role("link", name="Anonieme eerste selectie in de test").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Anonieme eerste selectie in de test"
    )


def _menukaart_and_collection(index):
    """The demo's menukaart and first collection, or new ones when the demo has none."""
    practices = [practice(index, f"Praktijk voor de kaart {i}") for i in range(3)]
    menukaart = MenukaartPage.objects.live().first()
    if menukaart is None:
        menukaart = MenukaartPage(title="Menukaart voor werkgevers", slug=_slug(), intro="Kies.")
        menukaart.interventions = [
            Intervention(phase=phase, title=f"Interventie {phase.label}", description="Uitleg.")
            for phase in Phase
        ]
        index.add_child(instance=menukaart)
        menukaart.save_revision().publish()
        for intervention in MenukaartPage.objects.get(pk=menukaart.pk).interventions.all():
            intervention.practices.set(practices)
            intervention.practices.commit()
    collection = CollectionPage.objects.live().first()
    if collection is None:
        collection = CollectionPage(
            title="Toolbox",
            slug=_slug(),
            intro="Wat werkt.",
            body=[("paragraph", "<p>Begin hier.</p>")],
        )
        collection.items = [CollectionItem(practice=p, note="Kort") for p in practices]
        index.add_child(instance=collection)
        collection.save_revision().publish()
    return menukaart, collection


def test_menukaart_collection_and_members_only_pages_are_accessible(demo_site, page, live_server):
    index = library_index()
    menukaart, collection = _menukaart_and_collection(index)
    private = practice(
        index,
        "Intervisie voor leden",
        members_only=True,
        communities=[CommunityPage.objects.get(slug="intensieve-begeleiding")],
    )
    in_english(page, live_server)

    page.goto(menukaart.url)
    assert page.get_by_role("heading", level=1).inner_text() == menukaart.title
    assert page.locator(".site-menukaart__phase").count() >= 1
    assert_accessible(page)

    page.goto(collection.url)
    assert page.get_by_role("heading", level=1).inner_text() == collection.title
    assert_accessible(page)

    response = page.goto(private.url)
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "For members only"
    expect(page.get_by_role("link", name="Lerend netwerk Intensieve begeleiding")).to_be_visible()
    assert page.get_by_role("link", name=re.compile("Log in if you are already a member"))
    assert_accessible(page)
