"""A visitor's first steps, in Dutch and English, with axe-core on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGES = [
    ("/", "VIA Leernetwerken"),
    ("/over-via/", "Over het programma VIA"),
    ("/netwerken/", "Netwerken"),
    ("/zoeken/?q=netwerken", None),
    ("/account/login/", None),
]


def switch_language(page, label: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=label).click()


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_pages_are_accessible_in_dutch_and_english(demo_site, page, path, heading):
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == "nl"
    if heading:
        assert page.get_by_role("heading", level=1).first.inner_text() == heading
    assert page.get_by_role("link", name="Direct naar de inhoud").count() == 1
    assert axe_violations(page) == []

    switch_language(page, "English")
    assert page.url.endswith(path), "the switcher returns to the same page"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Skip to content").count() == 1
    assert axe_violations(page) == []
    assert page.csp_violations == []


def test_language_switcher_keeps_choice_across_pages_and_back(demo_site, page):
    page.goto("/")
    switch_language(page, "English")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Kennisbank").click()
    expect(page.get_by_role("button", name="Search").first).to_be_visible()
    switch_language(page, "Nederlands")
    assert page.locator("html").get_attribute("lang") == "nl"
    expect(page.get_by_role("button", name="Zoeken").first).to_be_visible()


def test_search_journey_from_the_header(demo_site, page):
    page.goto("/")
    page.get_by_role("searchbox", name="Zoeken op het platform").fill("statushouders")
    page.get_by_role("search").get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**/zoeken/?q=statushouders")
    heading = page.get_by_role("heading", level=2).first.inner_text()
    assert re.fullmatch(r"\d+ resulta(at|ten) voor “statushouders”", heading), heading
    page.get_by_role("link", name="Lerende netwerken voor gemeenten").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Lerende netwerken voor gemeenten"


def test_skip_link_moves_focus_to_the_content(demo_site, page):
    page.goto("/over-via/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible(), "the skip link becomes visible when focused"
    page.keyboard.press("Enter")
    page.wait_for_url("**#inhoud")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'inhoud'")


def test_demo_account_logs_in_and_out(demo_site, page):
    page.goto("/account/login/")
    page.get_by_label("E-mail", exact=True).fill("klantmanager@voorbeeld.nl")
    page.get_by_label("Wachtwoord").fill("leernetwerk-demo")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("link", name="Inloggen")).to_be_visible()


def test_wrong_password_keeps_the_email_and_explains_in_dutch(demo_site, page):
    page.goto("/account/login/")
    page.get_by_label("E-mail", exact=True).fill("klantmanager@voorbeeld.nl")
    page.get_by_label("Wachtwoord").fill("verkeerd-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_label("E-mail", exact=True).input_value() == "klantmanager@voorbeeld.nl"
    assert page.get_by_text("niet correct").count() >= 1
    assert axe_violations(page) == []


def test_unknown_address_gets_a_dutch_404(demo_site, page):
    response = page.goto("/bestaat-niet/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", level=1).inner_text() == "Pagina niet gevonden"
    assert axe_violations(page) == []
