"""Headers and sessions: every kind of page carries the strict security headers and runs
no inline script, production mode is hardened, and a session is what it claims to be
(a new key at login and after the second factor, logout that really ends it, and
signing out everywhere else, also by changing the password)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from tests.conftest import enable_totp, totp_code
from via_platform.accounts.models import AuditEvent, User

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Een-lang-wachtwoord-42"
SKIPPED_FOLDERS = {".venv", "node_modules", "var", ".git", "static"}

# The policy every page gets (the admin additionally allows inline styles).
STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# <script type=…> that a browser does not run.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response.headers.get("Content-Security-Policy", "").split(";"):
        name, *values = part.split() or [""]
        if name:
            directives[name] = values
    return directives


class _InlineCode(HTMLParser):
    """What a strict CSP would block in a page: inline scripts, event handlers,
    javascript: URLs, and (outside the admin) inline styles."""

    def __init__(self, admin: bool):
        super().__init__(convert_charrefs=True)
        self.admin = self.styles_allowed = admin
        self.problems: list[str] = []
        self.inline: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and not values.get("src"):
            if (values.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
                self.inline = []
        if tag == "style" and not self.styles_allowed:
            self.problems.append(f"<style> element at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name == "style" and not self.styles_allowed:
                self.problems.append(f"style attribute on <{tag}>")
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in {name}= on <{tag}>")

    def handle_data(self, data):
        if self.inline is not None:
            self.inline.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self.inline is not None:
            self.inline = None
            self.problems.append(f"inline <script> before line {self.getpos()[0]}")


def header_problems(url: str, response, *, admin: bool = False) -> list[str]:
    problems = []
    for name, expected in HEADERS.items():
        if response.headers.get(name) != expected:
            problems.append(f"{url}: {name} is {response.headers.get(name)!r}")
    directives = policy(response)
    for name, expected in STRICT.items():
        got = directives.get(name)
        if name == "style-src" and admin:
            expected = ["'self'", "'unsafe-inline'"]
        if got != expected:
            problems.append(f"{url}: CSP {name} is {got!r}, not {expected!r}")
    for name, values in directives.items():
        loose = {"'unsafe-eval'", "*", "http:", "https:"} & set(values)
        if loose or (name != "style-src" and "'unsafe-inline'" in values):
            problems.append(f"{url}: CSP {name} allows {values!r}")
    if "text/html" in response.headers.get("Content-Type", ""):
        inspector = _InlineCode(admin=admin)
        inspector.feed(response.content.decode())
        problems += [f"{url}: {problem}" for problem in inspector.problems]
    return problems


def visit(client, urls: list[str], *, admin: bool = False, status: int = 200) -> list[str]:
    problems = []
    for url in urls:
        response = client.get(url)
        if response.status_code != status:
            problems.append(f"{url}: status {response.status_code}")
        problems += header_problems(url, response, admin=admin)
    return problems


# Headers on every kind of page ------------------------------------------------------------


def test_every_kind_of_page_carries_the_strict_headers_and_runs_no_inline_code(demo_site, client):
    from via_platform.communities.models import CommunityPage, ContentVisibility
    from via_platform.events.models import EventPage
    from via_platform.forums.models import Topic
    from via_platform.forums.services import topic_url
    from via_platform.library.models import PracticePage

    public = CommunityPage.objects.live().filter(content_visibility=ContentVisibility.PUBLIC)
    private = CommunityPage.objects.live().get(slug="leerwerktrajecten-statushouders")
    public_topic = Topic.objects.filter(community__in=public).order_by("pk").first()
    private_topic = Topic.objects.filter(community=private).order_by("pk").first()
    anonymous_pages = [
        "/",
        "/netwerken/",
        public.order_by("path").first().url,
        topic_url(public_topic),
        "/agenda/",
        EventPage.objects.live().filter(url_path__contains="/agenda/").first().url,
        "/kennisbank/",
        PracticePage.objects.live().order_by("path").first().url,
        "/leren/",
        "/organisaties/",
        "/zoeken/?q=werk",
        "/account/login/",
        "/account/signup/",
        "/account/password/reset/",
    ]
    problems = visit(client, anonymous_pages)
    problems += visit(client, ["/admin/login/", "/admin/"], admin=True, status=302)
    problems += visit(client, ["/deze-pagina-bestaat-niet/"], status=404)
    # Feeds and the sitemap are no HTML, but the browser must not sniff them into it.
    for url in ["/sitemap.xml", "/agenda/feed.ics"]:
        response = client.get(url)
        if response.headers.get("X-Content-Type-Options") != "nosniff":
            problems.append(f"{url}: no nosniff")

    member = User.objects.get(email="klantmanager@voorbeeld.nl")
    client.force_login(member)
    member_pages = [
        private.url,
        f"{private.url}forum/",
        topic_url(private_topic),
        f"{private.url}forum/nieuw/",  # loads the mentions script, from a file
        "/meldingen/",
        "/account/profiel/",
        "/account/email/",
        "/account/password/change/",
        "/account/2fa/",
        "/account/privacy/",
        "/account/overal-uitloggen/",
    ]
    problems += visit(client, member_pages)

    superuser = User.objects.get(email="beheer@voorbeeld.nl")
    enable_totp(superuser)
    client.force_login(superuser)
    problems += visit(client, ["/admin/", "/admin/pages/", "/django-admin/"], admin=True)
    assert problems == [], "\n".join(problems)


def test_only_wagtails_preview_may_be_framed_and_only_by_the_editor(client, settings):
    from wagtail.models import Page

    editor = User.objects.create_superuser(email="beheer@voorbeeld.nl", password=PASSWORD)
    enable_totp(editor)
    client.force_login(editor)
    page = Page.objects.filter(depth=2).first().specific
    edit = client.get(f"/admin/pages/{page.pk}/edit/")
    assert edit.status_code == 200
    assert edit.headers["X-Frame-Options"] == "DENY"
    assert policy(edit)["frame-ancestors"] == ["'none'"]

    preview_url = f"/admin/pages/{page.pk}/edit/preview/"
    posted = client.post(preview_url, {"title": page.title, "slug": page.slug})
    assert posted.json()["is_valid"] is True
    preview = client.get(preview_url)
    assert preview.status_code == 200
    assert preview.headers["X-Frame-Options"] == "SAMEORIGIN"
    # Browsers obey the CSP over X-Frame-Options: 'none' would blank the preview panel.
    directives = policy(preview)
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]


# Templates ----------------------------------------------------------------------------------


def _templates() -> list[Path]:
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_FOLDERS]
        found += [Path(folder) / name for name in files if name.endswith(".html")]
    return sorted(found)


TAG = re.compile(r"<([a-zA-Z][\w-]*)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
SCRIPT_SRC = re.compile(r"\ssrc\s*=", re.I)
HANDLER = re.compile(r"(?:^|[\s\"'}])on[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"(?:^|[\s\"'}])style\s*=", re.I)


def test_no_template_has_inline_script_event_handlers_or_inline_styles():
    """CSP blocks all of these; a template with one breaks in the browser, silently.
    Emails are no web pages: their inline styles are how email clients want them."""
    templates = _templates()
    assert len(templates) > 50, "the templates were not found"
    problems = []
    for path in templates:
        name = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        is_email = "/email/" in name
        if "javascript:" in text.lower():
            problems.append(f"{name}: javascript: URL")
        if not is_email and re.search(r"<style\b", text, re.I):
            problems.append(f"{name}: <style> element")
        for match in TAG.finditer(text):
            tag, attributes = match.group(1).lower(), match.group(2)
            line = text.count("\n", 0, match.start()) + 1
            if tag == "script" and not SCRIPT_SRC.search(attributes):
                problems.append(f"{name}:{line}: inline <script>")
            if HANDLER.search(attributes):
                problems.append(f"{name}:{line}: event handler on <{tag}>")
            if not is_email and STYLE_ATTRIBUTE.search(attributes):
                problems.append(f"{name}:{line}: style attribute on <{tag}>")
    assert problems == [], "\n".join(problems)


def test_the_template_check_sees_what_it_looks_for():
    """The patterns above find the things they must refuse (so the test can fail)."""
    bad = [
        ("<script>alert(1)</script>", "script"),
        ('<button type="button" onclick="go()">', "handler"),
        ('<div class="x" style="color:red">', "style"),
    ]
    for html, kind in bad:
        tag, attributes = TAG.search(html).groups()
        if kind == "script":
            assert tag == "script" and not SCRIPT_SRC.search(attributes)
        elif kind == "handler":
            assert HANDLER.search(attributes)
        else:
            assert STYLE_ATTRIBUTE.search(attributes)
    tag, attributes = TAG.search('<script src="/static/js/x.js" defer></script>').groups()
    assert SCRIPT_SRC.search(attributes)
    assert not HANDLER.search(' class="{% if once %}one{% endif %}" data-online="1"')


# Production mode ----------------------------------------------------------------------------

PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings as s
from django.core.management import call_command
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory
call_command("check", "--deploy", "--fail-level", "WARNING")
security = SecurityMiddleware(lambda request: HttpResponse())
secure = security(RequestFactory().get("/", secure=True, HTTP_HOST="via.example"))
plain = security(RequestFactory().get("/pad/", HTTP_HOST="via.example"))
print(json.dumps({
    "hsts": secure.headers.get("Strict-Transport-Security"),
    "redirect": [plain.status_code, plain.headers.get("Location")],
    "debug": s.DEBUG,
    "session_secure": s.SESSION_COOKIE_SECURE,
    "session_httponly": s.SESSION_COOKIE_HTTPONLY,
    "csrf_secure": s.CSRF_COOKIE_SECURE,
    "language_secure": s.LANGUAGE_COOKIE_SECURE,
    "silenced": s.SILENCED_SYSTEM_CHECKS,
}))
"""


def test_production_mode_is_hardened_and_passes_check_deploy():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "SEARCH_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="via_platform.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="production-test-" + "s3cr3t-" * 8,
        DJANGO_ALLOWED_HOSTS="via.example",
    )
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "System check identified no issues" in result.stdout
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    hsts = probe["hsts"] or ""
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert max_age >= 365 * 24 * 3600
    assert "includeSubDomains" in hsts
    assert probe["redirect"] == [301, "https://via.example/pad/"]
    assert probe["debug"] is False
    assert probe["session_secure"] is True
    assert probe["session_httponly"] is True
    assert probe["csrf_secure"] is True
    assert probe["language_secure"] is True
    assert probe["silenced"] == []


# Sessions -----------------------------------------------------------------------------------


@pytest.fixture
def member(db):
    user = User.objects.create_user(
        email="sanne@voorbeeld.nl", password=PASSWORD, first_name="Sanne", last_name="de Vries"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def planted_session(client) -> str:
    """A session key an attacker made and slipped into the browser (session fixation)."""
    store = SessionStore()
    store["planted"] = True
    store.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    return store.session_key


def session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def signed_in(key: str) -> bool:
    """Whether a browser presenting this session cookie is signed in."""
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = key
    return other.get("/account/profiel/").status_code == 200


def log_in(user) -> Client:
    browser = Client()
    response = browser.post("/account/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert browser.get("/account/profiel/").status_code == 200
    return browser


def test_login_gives_a_new_session_key_and_a_safe_cookie(client, member):
    planted = planted_session(client)
    response = client.post("/account/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    key = session_key(client)
    assert key != planted
    assert not SessionStore().exists(planted)
    assert signed_in(key) and not signed_in(planted)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_session_key_changes_after_the_password_and_again_after_the_second_factor(client, member):
    secret = enable_totp(member)
    planted = planted_session(client)
    response = client.post("/account/login/", {"login": member.email, "password": PASSWORD})
    assert response.headers["Location"] == "/account/2fa/authenticate/"
    halfway = session_key(client)
    assert halfway != planted
    assert not SessionStore().exists(planted)
    assert not signed_in(halfway)  # the password alone signs nobody in

    response = client.post("/account/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    key = session_key(client)
    assert key not in (planted, halfway)
    assert not SessionStore().exists(halfway)
    assert signed_in(key)
    assert not signed_in(halfway) and not signed_in(planted)


def test_logout_ends_the_session_and_needs_a_post(member):
    browser = log_in(member)
    key = session_key(browser)
    # A link or image pointing at the logout URL (a GET) only shows the confirmation.
    assert browser.get("/account/logout/").status_code == 200
    assert signed_in(key)
    browser.post("/account/logout/")
    assert browser.get("/account/profiel/").status_code == 302
    # Someone who copied the cookie before is not signed in with it either.
    assert not SessionStore().exists(key)
    assert not signed_in(key)


def test_sign_out_everywhere_ends_the_other_sessions_and_keeps_this_one(member):
    laptop, phone = log_in(member), log_in(member)
    phone_key = session_key(phone)
    page = laptop.get("/account/overal-uitloggen/")
    assert 'name="password"' in page.content.decode()

    wrong = laptop.post("/account/overal-uitloggen/", {"password": "niet-mijn-wachtwoord"})
    assert wrong.status_code == 400
    assert signed_in(phone_key)

    response = laptop.post("/account/overal-uitloggen/", {"password": PASSWORD})
    assert response.status_code == 302
    assert laptop.get("/account/profiel/").status_code == 200
    assert phone.get("/account/profiel/").status_code == 302
    assert not signed_in(phone_key)
    assert list(
        AuditEvent.objects.filter(action="signed_out_everywhere").values_list(
            "user_id_at_event", "target"
        )
    ) == [(member.pk, f"user:{member.pk}")]
    # The password itself did not change.
    assert log_in(member).get("/account/profiel/").status_code == 200


def test_sign_out_everywhere_works_for_a_single_sign_on_account(db):
    user = User.objects.create_user(email="sso@voorbeeld.nl", password=None)
    assert not user.has_usable_password()
    here, there = Client(), Client()
    here.force_login(user)
    there.force_login(user)
    response = here.post("/account/overal-uitloggen/", {"password": user.email})
    assert response.status_code == 302
    assert here.get("/account/profiel/").status_code == 200
    assert there.get("/account/profiel/").status_code == 302


def test_sign_out_everywhere_is_a_post_with_a_csrf_token(member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    other = log_in(member)
    response = browser.post("/account/overal-uitloggen/", {"password": PASSWORD})
    assert response.status_code == 403
    assert other.get("/account/profiel/").status_code == 200


def test_changing_the_password_ends_the_other_sessions(member):
    laptop, phone = log_in(member), log_in(member)
    response = laptop.post(
        "/account/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "Een-nieuw-lang-wachtwoord-7",
            "password2": "Een-nieuw-lang-wachtwoord-7",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert laptop.get("/account/profiel/").status_code == 200
    assert phone.get("/account/profiel/").status_code == 302


@pytest.mark.parametrize("login_path", ["/admin/login/", "/django-admin/login/"])
def test_the_admin_login_forms_cannot_skip_the_second_factor(client, member, login_path):
    """Wagtail's and Django's own login forms would sign a password in without asking
    for the code; both only send people to the platform's sign-in, keeping `next`."""
    enable_totp(member)
    member.is_staff = member.is_superuser = True
    member.save()
    response = client.post(
        f"{login_path}?next=/admin/pages/", {"username": member.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login/?next=%2Fadmin%2Fpages%2F"
    assert client.get("/admin/").status_code == 302  # still signed out
    # Wagtail sends signed-out visitors of the admin to the platform's sign-in too.
    assert client.get("/admin/pages/").headers["Location"].startswith("/account/login/?next=")
    assert client.get("/admin/password_reset/").status_code == 404
