"""CSRF on every state change and no open redirect on any `next`.

CSRF: every URL pattern of the project (django.urls.get_resolver) and every route of
the site's routable pages is walked. Its view must not be exempt from CSRF unless it is
classified below, and a POST without a token from a logged-in member gets 403 and
changes nothing in the database.

Open redirects: every view that takes a `next` (login, logout, sign-up, the language
switch, renewing the calendar link, moderation, the members list) or follows a stored
address (opening a notification) given an off-site target stays on the site.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from tests.hostile_world import PASSWORD, world_fixture

world = world_fixture()

# Views exempt from CSRF on purpose, each with its reason.
CSRF_EXEMPT = {
    # RFC 8058 one-click unsubscribe: mail clients POST without a session or token; the
    # signed token in the URL is the proof, and it only switches mail off.
    "via_platform.notifications.views.unsubscribe",
    # Wagtail's admin API (Django REST framework): DRF exempts the view from Django's
    # middleware and enforces CSRF itself for session logins (SessionAuthentication);
    # only editors reach it at all.
    "wagtail.admin.api.views.PagesAdminAPIViewSet",
    "wagtail.documents.api.admin.views.DocumentsAdminAPIViewSet",
    "wagtail.images.api.admin.views.ImagesAdminAPIViewSet",
}
# Walked with real requests: the project's own views and the account views. The Django
# and Wagtail admins (some 380 patterns) are held to the static check above only, which
# is what Django's CSRF middleware itself looks at.
WALKED_MODULES = ("via_platform.", "cms.", "django.views.i18n", "allauth.account.", "allauth.mfa.")

HOSTILE_NEXT = [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "https:evil.example",
    " https://evil.example/",
    "http://testserver@evil.example/",
]

TRACKED_APPS = ("accounts", "communities", "events", "forums", "learning", "library",
                "notifications", "organisations", "wagtailcore", "wagtaildocs")  # fmt: skip


def _name(callback) -> str:
    view = getattr(callback, "view_class", None) or callback
    return f"{view.__module__}.{view.__qualname__}"


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _concrete(pattern: str) -> str:
    """A URL that the (route or regex) pattern matches, with made-up ids."""
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", pattern)  # regex groups first
    url = re.sub(r"<int:\w+>", "1", url)
    url = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", url)
    url = re.sub(r"<(?:\w+:)?\w+>", "x", url)
    url = re.sub(r"\(\?:[^)]*\)\??", "", url)
    url = url.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    url = re.sub(r"[?*+]", "", url)
    return "/" + url.lstrip("/")


def _row_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in TRACKED_APPS and not model._meta.proxy:
            counts[model._meta.label] = model._default_manager.count()
    from django.contrib.auth import get_user_model

    counts["user"] = get_user_model().objects.count()
    return counts


def _page_routes(page) -> list[str]:
    """The URLs of a routable page's routes, ids filled in from the world."""
    urls = []
    for entry in page.get_subpage_urls():
        for pattern, _callback in _walk([entry]):
            url = page.url + _concrete(pattern).lstrip("/")
            try:
                resolve(url)  # Wagtail's serve view, where the CSRF middleware stands
            except Resolver404:
                continue
            urls.append(url)
    return urls


def test_no_view_is_exempt_from_csrf_unless_classified():
    exempt = {
        _name(callback)
        for _pattern, callback in _walk(get_resolver().url_patterns)
        if getattr(callback, "csrf_exempt", False)
    }
    assert exempt == CSRF_EXEMPT


def test_a_post_without_token_is_refused_everywhere_and_changes_nothing(world, db):
    from via_platform.forums import services

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.member)
    urls = set()
    for pattern, callback in _walk(get_resolver().url_patterns):
        if _name(callback) in CSRF_EXEMPT or not _name(callback).startswith(WALKED_MODULES):
            continue
        url = _concrete(pattern)
        try:
            if resolve(urlsplit(url).path).func is not callback:
                continue  # a made-up URL that another pattern serves: walked there
        except Resolver404:
            continue
        urls.add(url)
    for page in (world.community, world.event, world.course, world.lesson, world.library,
                 world.practice, world.agenda, world.learning):  # fmt: skip
        urls.update(_page_routes(page))
    urls.update(
        {
            services.topic_url(world.topic) + "reageren/",
            f"{world.lesson.url}toets/{world.lesson.quizzes()[0].id}/",
            "/account/login/",
            "/account/signup/",
            "/account/password/reset/",
            "/account/logout/",
            "/taal/",
        }
    )
    assert len(urls) > 80, len(urls)  # the walk found the project's views and page routes
    before = _row_counts()
    accepted = []
    for url in sorted(urls):
        response = client.post(url, {"title": "x", "body": "x", "next": "/", "language": "en"})
        if response.status_code != 403:
            accepted.append((url, response.status_code))
    assert accepted == [], accepted
    assert _row_counts() == before


def test_the_exempt_unsubscribe_only_accepts_a_signed_token(world, db):
    client = Client(enforce_csrf_checks=True)
    before = _row_counts()
    response = client.post("/meldingen/afmelden/geen-geldig-token/")
    assert response.status_code == 400
    assert _row_counts() == before


# Open redirects ------------------------------------------------------------------------


def assert_same_site(response) -> None:
    assert response.status_code in (301, 302, 303), response.status_code
    location = response["Location"]
    parts = urlsplit(location)
    assert parts.scheme in ("", "http", "https"), location
    assert parts.netloc in ("", "testserver"), location
    assert parts.path.startswith("/") and not parts.path.startswith(("//", "/\\")), location
    assert "evil" not in location, location


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_login_and_logout_stay_on_the_site(world, db, target):
    client = Client()
    response = client.post(
        "/account/login/",
        {"login": world.member.email, "password": PASSWORD, "next": target},
    )
    assert_same_site(response)
    assert "_auth_user_id" in client.session  # logged in: the redirect is the one after
    response = client.post("/account/logout/", {"next": target})
    assert_same_site(response)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_the_language_switch_stays_on_the_site(db, target):
    client = Client()
    response = client.post("/taal/", {"language": "en", "next": target})
    assert_same_site(response)
    response = client.post("/taal/", {"language": "nl"}, headers={"referer": target})
    assert_same_site(response)


def test_signup_stays_on_the_site(db, settings):
    for n, target in enumerate(HOSTILE_NEXT):
        client = Client()
        response = client.post(
            "/account/signup/",
            {
                "email": f"nieuw{n}@example.org",
                "password1": "een-lang-wachtwoord-42",
                "password2": "een-lang-wachtwoord-42",
                "first_name": "Nieuw",
                "last_name": "Lid",
                "next": target,
            },
        )
        if response.status_code == 200:  # the form again: no redirect at all
            assert "evil" not in response.get("Location", "")
            continue
        assert_same_site(response)


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_renewing_the_calendar_link_stays_on_the_site(world, db, target):
    client = Client()
    client.force_login(world.member)
    assert_same_site(client.post("/agenda/persoonlijk/vernieuwen/", {"next": target}))
    assert_same_site(client.post("/agenda/persoonlijk/vernieuwen/", headers={"referer": target}))


def test_opening_a_notification_with_an_off_site_address_stays_on_the_site(world, db):
    from via_platform.notifications.models import Happening, Notification

    client = Client()
    client.force_login(world.member)
    for target in HOSTILE_NEXT:
        happening = Happening.objects.create(
            kind="forums.reply", title="Een antwoord", url=target, audience=[world.member.pk]
        )
        notification = Notification.objects.create(recipient=world.member, happening=happening)
        assert_same_site(client.post(f"/meldingen/{notification.pk}/open/"))


def test_moderation_and_member_actions_stay_on_the_site(world, db):
    from via_platform.communities.models import Membership
    from via_platform.forums import services

    client = Client()
    client.force_login(world.coordinator)
    topic_url = services.topic_url(world.topic)
    membership = Membership.objects.get(user=world.member, community=world.community)
    for target in HOSTILE_NEXT:
        response = client.post(
            f"{topic_url}moderatie/", {"action": "pin", "reason": "Belangrijk", "next": target}
        )
        assert_same_site(response)
        response = client.post(
            f"{world.community.url}leden/{membership.pk}/",
            {"action": "role", "role": "moderator", "next": target},
        )
        assert_same_site(response)
