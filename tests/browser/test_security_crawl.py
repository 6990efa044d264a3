"""Real Chromium walks the platform as a visitor, a member and an editor, following the
links people follow, and fails on any Content-Security-Policy violation, any page
without the security headers, any inline script and any server error.

The anonymous walk runs with the page cache on (cms/pagecache.py), twice: the second
time every page comes from the cache and must behave exactly as a rendered one.
"""

from __future__ import annotations

from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest

from tests.browser.test_account_journey import log_in
from tests.conftest import enable_totp, totp_code
from via_platform.accounts.models import User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "leernetwerk-demo"
# Links a walk must not follow: they change state, leave the HTML pages or open files.
NOT_FOLLOWED = (
    "/taal/",
    "/account/logout",
    "/admin/logout",
    "/documents/",
    "/media/",
    "/django-admin/",
)
NOT_FOLLOWED_ENDINGS = (".ics", ".pdf", ".xlsx", ".csv", ".xml", ".docx")
HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}


def followable(base: str, href: str | None) -> str | None:
    if not href:
        return None
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.netloc != urlsplit(base).netloc or parts.scheme not in ("http", "https"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path.startswith(NOT_FOLLOWED) or parts.path.endswith(NOT_FOLLOWED_ENDINGS):
        return None
    return path


def assert_secure(page, response, path: str) -> None:
    assert response is not None and response.status < 500, (path, response and response.status)
    headers = response.headers
    policy = headers.get("content-security-policy", "")
    script_src = next(
        (part for part in policy.split(";") if part.strip().startswith("script-src")), ""
    )
    assert "'self'" in script_src, (path, policy)
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src, (path, policy)
    assert "object-src 'none'" in policy, (path, policy)
    for name, value in HEADERS.items():
        assert headers.get(name) == value, (path, name, headers.get(name))
    if not path.startswith("/admin/"):  # Wagtail's preview frames admin pages
        assert headers.get("x-frame-options") == "DENY", (path, headers.get("x-frame-options"))
    inline = page.evaluate(
        """() => [...document.querySelectorAll('script:not([src])')]
            .filter(s => !['application/json', 'application/ld+json'].includes(s.type))
            .length
            + [...document.querySelectorAll('*')].filter(
                el => [...el.attributes].some(a => a.name.startsWith('on'))).length"""
    )
    assert inline == 0, f"{path}: inline script or event handler"
    assert page.csp_violations == [], (path, page.csp_violations)


def walk(page, start: list[str], limit: int) -> list[str]:
    """Breadth-first over same-site links from `start`; returns the paths where each
    visit ended (after redirects)."""
    queue, seen, visited = deque(start), set(start), []
    while queue and len(visited) < limit:
        path = queue.popleft()
        response = page.goto(path)
        assert_secure(page, response, path)
        visited.append(urlsplit(page.url).path)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            found = followable(page.url, href)
            if found and found not in seen:
                seen.add(found)
                queue.append(found)
    return visited


def test_visitors_see_no_policy_violation_rendered_or_from_the_page_cache(
    demo_site, page, settings
):
    settings.PAGE_CACHE_SECONDS = 300
    first = walk(page, ["/"], limit=30)
    assert len(first) == 30, first  # the walk reached the platform, not just the home page
    served_from_cache = set()
    for path in first:
        response = page.goto(path)
        assert_secure(page, response, path)
        if response.headers.get("x-page-cache") == "hit":
            served_from_cache.add(path)
    # Pages with a form for visitors (sign-in, sign-up, search) are rendered each time.
    assert {"/", "/netwerken/", "/kennisbank/", "/agenda/"} <= served_from_cache
    assert len(served_from_cache) >= len(first) // 2, (served_from_cache, first)


def test_a_members_pages_have_no_policy_violation(demo_site, page):
    log_in(page, "klantmanager@voorbeeld.nl", PASSWORD)
    visited = walk(page, ["/", "/meldingen/", "/account/profiel/"], limit=20)
    assert len(visited) == 20, visited


def test_the_admin_has_no_policy_violation(demo_site, page):
    """The editor signs in with the second factor the admin requires and walks it."""
    secret = enable_totp(User.objects.get(email="redacteur@voorbeeld.nl"))
    log_in(page, "redacteur@voorbeeld.nl", PASSWORD)
    page.locator("input[name=code]").fill(totp_code(secret))
    with page.expect_navigation():
        page.locator("input[name=code]").press("Enter")
    visited = walk(page, ["/admin/", "/admin/pages/", "/admin/documents/"], limit=20)
    assert len(visited) == 20, visited
    # The walk stayed in the admin: it was not sent to the sign-in or the 2FA setup.
    assert sum(path.startswith("/admin/") for path in visited) >= 15, visited
