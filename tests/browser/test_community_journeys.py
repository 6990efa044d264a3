"""Joining a lerend netwerk as a klantmanager would, and an invitation that survives sign-up."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.test_account_journey import log_in
from tests.conftest import wait_for
from via_platform.accounts.models import User
from via_platform.communities.models import CommunityPage, Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IB = "/netwerken/intensieve-begeleiding/"


def assert_accessible(page):
    assert axe_violations(page) == [], page.url
    assert page.csp_violations == [], page.url


def log_out(page):
    page.get_by_role("banner").get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


def test_request_approval_and_members_only_content(demo_site, page):
    community = CommunityPage.objects.get(slug="intensieve-begeleiding")
    community.body = [("paragraph", "<p>Verslag van de intervisie over taalcoaching.</p>")]
    community.save_revision().publish()

    # The klantmanager finds the network and asks to join.
    log_in(page, "klantmanager@voorbeeld.nl", "leernetwerk-demo")
    page.goto("/netwerken/")
    assert_accessible(page)
    page.get_by_role("link", name="Lerend netwerk Intensieve begeleiding").click()
    expect(page.get_by_text("alleen voor leden")).to_be_visible()
    assert page.get_by_text("taalcoaching").count() == 0
    assert_accessible(page)
    page.get_by_label(re.compile("Bericht aan de coördinatoren")).fill(
        "Ik begeleid statushouders in Rotterdam en wil graag leren van andere gemeenten."
    )
    page.get_by_role("button", name="Vraag lidmaatschap aan").click()
    expect(page.get_by_text("Je aanvraag wacht op een coördinator")).to_be_visible()
    log_out(page)

    # The coordinator approves the request from the members page.
    log_in(page, "coordinator@voorbeeld.nl", "leernetwerk-demo")
    page.goto(IB + "leden/")
    assert_accessible(page)
    expect(page.get_by_text("wil graag leren van andere gemeenten")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Goedkeuren")).click()
    expect(page.get_by_text("is nu lid")).to_be_visible()
    log_out(page)

    # The klantmanager now reads the members-only content and the welcome block.
    klantmanager = User.objects.get(email="klantmanager@voorbeeld.nl")
    assert Membership.objects.get(community=community, user=klantmanager).state == "active"
    log_in(page, "klantmanager@voorbeeld.nl", "leernetwerk-demo")
    page.goto(IB)
    expect(page.get_by_text("taalcoaching")).to_be_visible()
    expect(page.get_by_role("heading", name="Welkom, begin hier")).to_be_visible()
    assert_accessible(page)


def test_invitation_to_someone_without_an_account_leads_to_membership(demo_site, page, smtp_server):
    _controller, inbox = smtp_server
    community = CommunityPage.objects.get(slug="taskforce-via-coordinatoren")
    log_in(page, "coordinator@voorbeeld.nl", "leernetwerk-demo")
    page.goto(community.url + "uitnodigen/")
    assert_accessible(page)
    page.get_by_label(re.compile("E-mailadressen")).fill("nieuwe.coordinator@vng.example")
    page.get_by_role("button", name="Uitnodigingen versturen").click()
    expect(page.get_by_text("1 uitnodiging verstuurd")).to_be_visible()
    log_out(page)

    # The invitation arrives by real SMTP; the person signs up with that address.
    body = wait_for(lambda: inbox.bodies_to("nieuwe.coordinator@vng.example"), timeout=20)[0]
    assert "Taskforce VIA coördinatoren" in body
    page.goto(urlsplit(re.search(r"https?://\S+/account/signup/", body).group(0)).path)
    page.get_by_label("E-mail", exact=True).fill("nieuwe.coordinator@vng.example")
    page.get_by_label("Wachtwoord", exact=True).fill("Taskforce-2026!")
    page.get_by_label("Wachtwoord (bevestigen)").fill("Taskforce-2026!")
    page.get_by_role("button", name="Account aanmaken").click()
    page.wait_for_url("**/account/confirm-email/")
    mails = wait_for(
        lambda: len(inbox.bodies_to("nieuwe.coordinator@vng.example")) >= 2, timeout=20
    )
    assert mails
    link = re.search(
        r"https?://\S+/account/confirm-email/\S+/",
        inbox.bodies_to("nieuwe.coordinator@vng.example")[-1],
    ).group(0)
    page.goto(urlsplit(link).path)
    page.get_by_role("button", name="Bevestig").click()

    # The hidden community now exists for them, and they are a member.
    log_in(page, "nieuwe.coordinator@vng.example", "Taskforce-2026!")
    page.goto(community.url)
    expect(page.get_by_text(re.compile(r"Je bent lid"))).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize(
    "path", ["/netwerken/", IB, IB + "leden/", IB + "uitnodigen/", IB + "bericht/"]
)
def test_community_pages_are_accessible_for_the_coordinator(demo_site, page, path):
    log_in(page, "coordinator@voorbeeld.nl", "leernetwerk-demo")
    page.goto(path)
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_message_to_members_and_no_access_pages(demo_site, page):
    from via_platform.communities import services

    community = CommunityPage.objects.get(slug="intensieve-begeleiding")
    coordinator = User.objects.get(email="coordinator@voorbeeld.nl")
    message = services.send_message(coordinator, community, "Intervisie in december", "Tot dan!")
    log_in(page, "coordinator@voorbeeld.nl", "leernetwerk-demo")
    page.goto(f"{IB}berichten/{message.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Intervisie in december"
    assert_accessible(page)
    log_out(page)
    # A logged-in outsider asking for the members page gets a Dutch explanation.
    log_in(page, "werkgever@voorbeeld.nl", "leernetwerk-demo")
    response = page.goto(IB + "leden/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Geen toegang"
    assert_accessible(page)


def test_an_invitation_can_be_declined(demo_site, page):
    from via_platform.communities import services

    community = CommunityPage.objects.get(slug="taskforce-via-coordinatoren")
    services.invite(
        User.objects.get(email="coordinator@voorbeeld.nl"), community, "werkgever@voorbeeld.nl"
    )
    log_in(page, "werkgever@voorbeeld.nl", "leernetwerk-demo")
    page.goto(community.url)
    assert_accessible(page)
    page.get_by_role("button", name="Uitnodiging afslaan").click()
    expect(page.get_by_text("Je hebt de uitnodiging afgeslagen")).to_be_visible()
    assert page.goto(community.url).status == 404
