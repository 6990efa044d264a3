"""A klantmanager proposes a practice; the coordinator of the community asks for changes,
then publishes it. In a real browser, accessible (axe, WCAG 2.1 AA) and under the strict
Content-Security-Policy, without JavaScript of its own.

The pages are read in English (the language cookie), so the test follows the msgids
whatever the Dutch catalogue says; the login page stays Dutch, as for every visitor.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.test_account_journey import log_in
from tests.library import MINIMAL_PDF
from via_platform.library.models import PracticePage

# serialized_rollback: the target groups come from a data migration, and a transactional
# test empties every table afterwards; this brings them back for the next test.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUBMITTER = "klantmanager@voorbeeld.nl"
COORDINATOR = "coordinator@voorbeeld.nl"
PASSWORD = "leernetwerk-demo"
COMMUNITY = "Lerend netwerk Leerwerktrajecten statushouders"
TITLE = "Taalcoach tijdens de eerste werkweken"


def assert_accessible(page):
    assert axe_violations(page) == [], page.url
    assert page.csp_violations == [], page.url


def as_person(page, live_server, email: str) -> None:
    """Log out (forget every cookie), log in, and read the site in English."""
    page.context.clear_cookies()
    log_in(page, email, PASSWORD)
    page.context.add_cookies([{"name": "via_language", "value": "en", "url": live_server.url}])


def fill_practice(page) -> None:
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Summary", exact=True).fill(
        "Een taalcoach helpt statushouders in hun eerste weken op de werkvloer."
    )
    page.get_by_label("Problem (knelpunt)").fill(
        "Nieuwe collega's begrijpen de werkinstructies niet.\n\nZe durven niet te vragen."
    )
    page.get_by_label("Approach", exact=True).fill("Een taalcoach loopt twee dagen per week mee.")
    page.get_by_role("radio", name=re.compile(r"^Promising")).check()
    page.get_by_label("Refugees with a residence permit").check()
    page.get_by_label(COMMUNITY).check()
    page.get_by_label("Only for members of the chosen communities").check()


def test_propose_request_changes_resubmit_and_publish(demo_site, page, live_server):
    # The klantmanager proposes a practice for their lerend netwerk, with a PDF.
    as_person(page, live_server, SUBMITTER)
    page.goto("/kennisbank/indienen/")
    expect(page.get_by_role("heading", name="Propose a practice")).to_be_visible()
    assert page.get_by_label("Contact email address").input_value() == SUBMITTER
    assert_accessible(page)
    fill_practice(page)
    page.set_input_files(
        "#id_attachments",
        files=[
            {"name": "plan-van-aanpak.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}
        ],
    )
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_load_state()
    expect(page.get_by_text("has been sent for review")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Status: In review"))).to_be_visible()
    expect(page.get_by_role("link", name="plan-van-aanpak")).to_be_visible()
    assert page.get_by_role("button", name="Publish").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="My submissions").click()
    expect(page.get_by_text("In review").first).to_be_visible()
    assert_accessible(page)

    # The coordinator finds it awaiting review and asks for changes.
    as_person(page, live_server, COORDINATOR)
    page.goto("/kennisbank/inzendingen/")
    expect(page.get_by_role("heading", name="Awaiting my review")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name="Your review")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What should change?").fill(
        "Noem hoeveel deelnemers er na drie maanden nog werken."
    )
    page.get_by_role("button", name="Request changes").click()
    page.wait_for_load_state()
    expect(page.get_by_text("has been asked to make changes")).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile("Status: Changes requested"))
    ).to_be_visible()

    # The submitter reads the comment, edits and resubmits.
    as_person(page, live_server, SUBMITTER)
    page.goto("/kennisbank/inzendingen/")
    expect(
        page.get_by_text("Noem hoeveel deelnemers er na drie maanden nog werken.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Edit and send again")).first.click()
    assert page.get_by_label("Title", exact=True).input_value() == TITLE
    assert "Ze durven niet te vragen." in page.get_by_label("Problem (knelpunt)").input_value()
    assert_accessible(page)
    page.get_by_role("textbox", name=re.compile(r"^Results")).fill(
        "Van de 24 deelnemers werken er na drie maanden nog 21."
    )
    page.get_by_role("button", name="Save and send for review again").click()
    page.wait_for_load_state()
    expect(page.get_by_text("sent for review again")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Status: In review"))).to_be_visible()

    # The coordinator publishes it; it is live at its own address.
    as_person(page, live_server, COORDINATOR)
    page.goto("/kennisbank/inzendingen/")
    page.get_by_role("link", name=TITLE).click()
    expect(
        page.get_by_text("Van de 24 deelnemers werken er na drie maanden nog 21.")
    ).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    expect(page.get_by_text("is published").first).to_be_visible()
    assert_accessible(page)
    practice = PracticePage.objects.get(title=TITLE)
    assert practice.live and practice.members_only
    page.get_by_role("link", name="View the published practice").click()
    page.wait_for_url(f"**{practice.url}")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_text("Van de 24 deelnemers")).to_be_visible()


def test_a_wrong_file_type_is_refused_and_the_typed_title_kept(demo_site, page, live_server):
    as_person(page, live_server, SUBMITTER)
    page.goto("/kennisbank/indienen/")
    fill_practice(page)
    page.set_input_files(
        "#id_attachments",
        files=[
            {"name": "rapport.pdf", "mimeType": "application/pdf", "buffer": b"Gewoon tekst.\n"}
        ],
    )
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_load_state()
    expect(page.get_by_text("“rapport.pdf” is not really a .pdf file")).to_be_visible()
    assert page.get_by_label("Title", exact=True).input_value() == TITLE
    assert page.get_by_label(COMMUNITY).is_checked()
    expect(page.get_by_text("Choose the files you want to add again")).to_be_visible()
    assert_accessible(page)
    assert not PracticePage.objects.filter(title=TITLE).exists()
