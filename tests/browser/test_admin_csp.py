"""The Wagtail admin works under the site's strict policy (`script-src 'self'`).

Wagtail starts its date pickers, InlinePanel and choosers from inline scripts, which the
policy blocks; cms/wagtail_hooks.py, the overrides in templates/wagtailadmin/ and
cms/templates/wagtailadmin/ and static/js/admin-csp-init.js start them without. Real
Chromium opens the edit pages the platform uses, fails on any policy violation, script
error, inline script or widget left unstarted, and then uses the widgets: the date
picker, a new speaker and a new material (whose document chooser comes from InlinePanel's
<template>), the document chooser's modal, and saves, checking what was saved.
"""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model

from tests import forums, learning
from tests.conftest import enable_totp, totp_code
from tests.library import document, practice
from via_platform.events.models import EventPage
from via_platform.library.models import LibraryIndexPage

pytestmark = [pytest.mark.browser]
# The live server needs committed data; the check of the checker below needs no database.
live_data = pytest.mark.django_db(transaction=True)

EMAIL = "beheerder@voorbeeld.nl"
PASSWORD = "Redactie-onder-CSP-2026"
LOCAL = ZoneInfo(settings.TIME_ZONE)
DATA_TYPES = {"application/json", "application/ld+json"}

# Inline scripts (JSON data excepted), inline event handlers, and init descriptions that
# admin-csp-init.js did not carry out.
PAGE_PROBLEMS = """() => ({
    inline: [...document.querySelectorAll('script:not([src])')]
        .filter(s => !['application/json', 'application/ld+json'].includes(s.type))
        .map(s => s.outerHTML.slice(0, 120)),
    handlers: [...document.querySelectorAll('*')]
        .filter(el => [...el.attributes].some(a => a.name.startsWith('on')))
        .map(el => el.outerHTML.slice(0, 120)),
    unstarted: [...document.querySelectorAll('template[data-via-admin-init]')]
        .filter(s => !s.hasAttribute('data-via-admin-done'))
        .map(s => s.outerHTML.slice(0, 120)),
    started: [...document.querySelectorAll('template[data-via-admin-done]')]
        .map(s => s.dataset.viaAdminInit),
})"""


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and not values.get("src") and values.get("type") not in DATA_TYPES:
            self.inline.append(f"<script> at line {self.getpos()[0]}")
        self.inline += [f"{name}= on <{tag}>" for name, _ in attrs if name.startswith("on")]


def inline_scripts(html: str) -> list[str]:
    """Inline scripts and event handlers in served HTML, JSON data excepted."""
    parser = _Scripts()
    parser.feed(html)
    return parser.inline


def test_the_inline_script_check_finds_what_it_looks_for():
    served = (
        '<script src="/static/x.js"></script><script type="application/json">{}</script>'
        '<template><p><script>new DocumentChooser("id_x", {});</script></p></template>'
        '<button onclick="go()">'
    )
    assert inline_scripts(served) == ["<script> at line 1", "onclick= on <button>"]


@pytest.fixture
def admin_world():
    """A bare site with one page of each kind the editors work on, a document to choose
    and a superuser with two-factor authentication (the admin requires it)."""
    root = learning.site_root()
    event = learning.event("Werkbezoek leerwerkbedrijf")
    course = learning.course("Objectief werven en selecteren")
    lesson = learning.lesson(course, "Gestructureerd interviewen")
    community = forums.community("Intensieve begeleiding", members_only=True)
    library = LibraryIndexPage(title="Kennisbank", slug="kennisbank")
    root.add_child(instance=library)
    library.save_revision().publish()
    handreiking = document("Handreiking werkbezoek", "handreiking-werkbezoek.pdf")
    good_practice = practice(library, "Matchen op vaardigheden", documents=[handreiking])
    user = get_user_model().objects.create_superuser(email=EMAIL, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    secret = enable_totp(user)
    return {
        "event": event,
        "agenda": event.get_parent(),
        "course": course,
        "lesson": lesson,
        "community": community,
        "practice": good_practice,
        "document": handreiking,
        "secret": secret,
    }


@pytest.fixture
def editor(page, admin_world):
    """The browser, signed in through the login form and its second step."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.script_errors = errors
    page.goto("/account/login/")
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.locator("input[name=code]").fill(totp_code(admin_world["secret"]))
    with page.expect_navigation():
        page.locator("input[name=code]").press("Enter")
    assert "/login/" not in page.url and "/2fa/" not in page.url, page.url
    return page


def open_admin(page, path: str) -> dict:
    """Open an admin page; assert its policy and that nothing ran inline or broke."""
    response = page.goto(path)
    assert response is not None and response.status == 200, (path, response and response.status)
    assert urlsplit(page.url).path == path, (path, page.url)  # not sent to a login step
    page.wait_for_load_state("load")
    policy = response.headers.get("content-security-policy", "")
    script_src = next(
        (part.strip() for part in policy.split(";") if part.strip().startswith("script-src")), ""
    )
    assert script_src == "script-src 'self'", (path, policy)
    # As served, <template> contents included (the DOM query below does not see them).
    assert inline_scripts(response.text()) == [], path
    problems = page.evaluate(PAGE_PROBLEMS)
    assert problems["inline"] == [], (path, problems["inline"])
    assert problems["handlers"] == [], (path, problems["handlers"])
    assert problems["unstarted"] == [], (path, problems["unstarted"])
    assert_clean(page, path)
    return problems


def assert_clean(page, where: str) -> None:
    assert page.csp_violations == [], (where, page.csp_violations)
    assert page.script_errors == [], (where, page.script_errors)


@live_data
def test_edit_and_create_pages_start_every_widget_without_inline_script(editor, admin_world):
    w = admin_world
    expected = {
        # page: init calls that must have run (besides the scheduling dialog's two pickers)
        f"/admin/pages/{w['event'].pk}/edit/": {"initDateTimeChooser": 6, "InlinePanel": 2},
        f"/admin/pages/add/events/eventpage/{w['agenda'].pk}/": {
            "initDateTimeChooser": 6,
            "InlinePanel": 2,
        },
        f"/admin/pages/{w['practice'].pk}/edit/": {
            "InlinePanel": 3,
            "SnippetChooser": 1,
            "DocumentChooser": 1,  # the practice's existing document
        },
        f"/admin/pages/{w['course'].pk}/edit/": {"initDateTimeChooser": 2},
        f"/admin/pages/{w['lesson'].pk}/edit/": {"initDateTimeChooser": 2},
        f"/admin/pages/{w['community'].pk}/edit/": {"InlinePanel": 1},
        "/admin/snippets/organisations/organisation/add/": {},
    }
    for path, calls in expected.items():
        started = open_admin(editor, path)["started"]
        for call, count in calls.items():
            assert started.count(call) >= count, (path, call, started)
    # The choosers are live Wagtail widgets: the practice shows its document, and the
    # empty organisation chooser opens the snippet chooser in a modal.
    editor.goto(f"/admin/pages/{w['practice'].pk}/edit/")
    chooser = editor.locator("#id_documents-0-document-chooser")
    assert chooser.locator("[data-chooser-title]").inner_text().strip() == "Handreiking werkbezoek"
    editor.locator("#id_organisation-chooser .unchosen [data-chooser-action-choose]").click()
    editor.locator(".modal-content .tab-content").wait_for()  # the chooser's view arrived
    assert_clean(editor, "practice, organisation chooser")


@live_data
def test_an_editor_uses_the_pickers_inline_panels_and_choosers_and_saves(editor, admin_world):
    event, doc = admin_world["event"], admin_world["document"]
    path = f"/admin/pages/{event.pk}/edit/"
    open_admin(editor, path)

    # The date-time picker opens on focus and fills the field with the chosen day.
    editor.locator("#id_registration_opens").click()
    picker = editor.locator(".xdsoft_datetimepicker:visible")
    picker.wait_for()
    picker.locator("td.xdsoft_date:not(.xdsoft_other_month)[data-date='15']").click()
    editor.locator("#id_summary").click()  # away from the field: the picker closes
    picker.wait_for(state="hidden")
    chosen = editor.locator("#id_registration_opens").input_value()
    assert re.fullmatch(r"20\d\d-\d\d-15 \d\d:\d\d", chosen), chosen
    editor.locator("#id_start").fill("2027-03-15 10:00")
    editor.locator("#id_end").fill("2027-03-15 12:30")

    # A speaker: InlinePanel adds the form from its <template>.
    editor.locator("#id_speakers-ADD").click()
    editor.locator("#id_speakers-0-name").fill("Fatima El Amrani")
    editor.locator("#id_speakers-0-role").fill("Klantmanager, gemeente Rotterdam")

    # A material: the new form's document chooser was started from the copied template.
    editor.locator("#id_materials-ADD").click()
    new_chooser = editor.locator("#id_materials-0-document-chooser")
    new_chooser.locator(".unchosen [data-chooser-action-choose]").click()
    editor.locator("a[data-chooser-modal-choice]", has_text="Handreiking werkbezoek").click()
    editor.wait_for_function(
        "() => document.querySelector('#id_materials-0-document').value !== ''"
    )
    assert editor.locator("#id_materials-0-document").input_value() == str(doc.pk)
    assert new_chooser.locator("[data-chooser-title]").inner_text().strip() == doc.title
    editor.locator("#id_materials-0-description").fill("Lees vooraf")
    problems = editor.evaluate(PAGE_PROBLEMS)
    assert problems["unstarted"] == [] and problems["inline"] == [], problems
    assert "DocumentChooser" in problems["started"]
    assert_clean(editor, "after adding forms and choosing")

    editor.locator("button.action-save").first.click()
    editor.wait_for_url(f"**{path}")
    editor.wait_for_load_state("load")
    assert_clean(editor, "after saving")

    draft = EventPage.objects.get(pk=event.pk).get_latest_revision_as_object()
    assert draft.start.astimezone(LOCAL) == datetime(2027, 3, 15, 10, 0, tzinfo=LOCAL)
    assert draft.end.astimezone(LOCAL) == datetime(2027, 3, 15, 12, 30, tzinfo=LOCAL)
    assert draft.registration_opens.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M") == chosen
    assert [(s.name, s.role) for s in draft.speakers.all()] == [
        ("Fatima El Amrani", "Klantmanager, gemeente Rotterdam")
    ]
    assert [(m.document_id, m.description) for m in draft.materials.all()] == [
        (doc.pk, "Lees vooraf")
    ]
    # Saved as a draft: the live event keeps its dates until it is published.
    assert EventPage.objects.get(pk=event.pk).start == event.start


@live_data
def test_an_editor_creates_an_event_with_a_speaker(editor, admin_world):
    agenda = admin_world["agenda"]
    open_admin(editor, f"/admin/pages/add/events/eventpage/{agenda.pk}/")
    editor.locator("#id_title").fill("Terugkomdag leerwerktrajecten")
    editor.locator("#id_summary").fill("Ervaringen delen over leerwerktrajecten.")
    editor.locator("#id_start").fill("2027-05-04 13:30")
    editor.locator("#id_end").fill("2027-05-04 16:00")
    editor.locator("#id_speakers-ADD").click()
    editor.locator("#id_speakers-ADD").click()
    editor.locator("#id_speakers-0-name").fill("Jan de Vries")
    editor.locator("#id_speakers-1-name").fill("Noor Haddou")
    editor.locator("button.action-save").first.click()
    editor.wait_for_url("**/admin/pages/*/edit/")
    editor.wait_for_load_state("load")
    assert_clean(editor, "after creating")

    created = EventPage.objects.get(title="Terugkomdag leerwerktrajecten")
    assert not created.live
    assert created.get_parent().pk == agenda.pk
    assert created.start.astimezone(LOCAL) == datetime(2027, 5, 4, 13, 30, tzinfo=LOCAL)
    assert sorted(s.name for s in created.speakers.all()) == ["Jan de Vries", "Noor Haddou"]
