"""The kennisbank index in a real browser: accessible (axe, WCAG 2.1 AA) with a search
and filters applied, under the site's strict Content-Security-Policy, without
JavaScript of its own."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.library import library_index, practice
from via_platform.accounts.models import LabourMarketRegion
from via_platform.library.models import PracticePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ensure_practices() -> None:
    """The demo brings its own practices; until it does, a few of our own."""
    if PracticePage.objects.live().filter(theme="1").count() >= 2:
        return
    index = library_index()
    region = LabourMarketRegion.objects.get(name="Rijnmond")
    for number, (theme, evidence) in enumerate(
        [("1", "bewezen"), ("1", "veelbelovend"), ("2", "praktijk"), ("3", "veelbelovend")]
    ):
        practice(
            index, f"Werkproef in de praktijk {number}", theme=theme, evidence_level=evidence,
            region=region, target_groups=["statushouders", "werkgevers"],
        )  # fmt: skip


def test_library_index_with_filters_is_accessible(demo_site, page):
    _ensure_practices()

    page.goto("/kennisbank/?thema=1")
    expect(page.locator("#results-heading")).to_be_visible()
    assert page.locator("#thema-1").is_checked()
    assert page.locator(".site-practice-card").count() >= 2
    assert axe_violations(page) == [], page.url
    assert page.csp_violations == [], page.url

    # Another facet through the form itself, as a person without JavaScript would.
    page.locator("input[name=doelgroep]").first.check()
    page.locator("#library-filters button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "doelgroep=" in page.url
    assert "thema=1" in page.url
    assert page.locator("#thema-1").is_checked()
    assert axe_violations(page) == [], page.url
    assert page.csp_violations == [], page.url
