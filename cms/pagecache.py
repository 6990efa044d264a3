"""Whole-page cache for anonymous visitors.

Most requests are anonymous reads of the same pages (home, a community, the agenda,
the kennisbank), and those pages are the same for every anonymous visitor in a
language. This middleware keeps their rendered HTML in the shared cache, so a hit costs
one cache round trip and no query.

What keeps it correct:

- Only anonymous GET/HEAD requests without a session or messages cookie are served from
  or stored in the cache; signed-in people always get a fresh page.
- Only a 200 HTML response that set no cookie of its own, left the session untouched
  and did not mark itself private is stored. The one per-person part of such a page,
  the CSRF token of the language switcher and of forms, is replaced on every hit by the
  visitor's own token (and the CSRF middleware sets the matching cookie).
- Every entry carries the content generation it was rendered in. Any committed change
  to public content (a page published, moved, unpublished or deleted, a view
  restriction, a topic or reply, a registration, a membership, …) bumps the generation,
  so the next request renders anew. Entries also expire after PAGE_CACHE_SECONDS, which
  bounds what the generation does not track: time passing (the agenda's "upcoming"),
  and people's names, which change on profile saves that would otherwise bump the
  generation at every login.
- A cache that is down makes the page render as if there were no cache.

It sits right after the security and static-file middleware, so a hit skips sessions,
authentication, messages and the rest. The headers those added to the rendered page
(CSP, frame protection, Vary, Content-Language) are stored with it and sent again; the
CSRF cookie is set per visitor by Django's own CSRF middleware methods.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token

from via_platform.middleware import request_language

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
HEADER = "X-Page-Cache"
SKIPPED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/accounts/",
    "/account/",
    "/healthz",
    "/static/",
    "/media/",
    "/documents/",
    "/images/",
    "/meldingen/",
)
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')

# Changes in these apps can show on an anonymous page …
CONTENT_APPS = {
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "taggit",
    "cms",
    "communities",
    "events",
    "forums",
    "learning",
    "library",
    "organisations",
}
# … except these models, which are per person or behind the scenes.
PRIVATE_MODELS = {
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.pagesubscription",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "communities.invitation",
    "communities.communitymessage",
    "events.calendartoken",
    "forums.readstate",
    "forums.readcutoff",
    "forums.watch",
    "forums.postrecipient",
    "forums.postrevision",
    "forums.flag",
    "forums.moderationlog",
    "learning.enrolment",
    "learning.lessonprogress",
    "learning.quizattempt",
    "learning.reflection",
    "learning.certificate",
}


def _eligible(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.path_info.startswith(SKIPPED_PREFIXES)
    )


def _key(request: HttpRequest) -> str:
    place = f"{request.get_host()}{request.get_full_path()}".encode()
    return f"pagecache:{request_language(request)}:{hashlib.sha256(place).hexdigest()}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not set(response.cookies) - {settings.CSRF_COOKIE_NAME}
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and not (session is not None and session.modified)
        and not getattr(request, "is_preview", False)
    )


_csrf = CsrfViewMiddleware(lambda request: None)


def _from_entry(request: HttpRequest, entry: tuple) -> HttpResponse:
    _generation, content, headers = entry
    response = HttpResponse()
    if _TOKEN.search(content):
        _csrf.process_request(request)  # the visitor's CSRF secret, from their cookie
        token = get_token(request).encode()
        content = _TOKEN.sub(lambda match: match[1] + token + match[2], content)
    response.content = content
    for name, value in headers:
        response[name] = value
    response[HEADER] = "hit"
    return _csrf.process_response(request, response)  # sets the cookie when needed


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if not _eligible(request):
            return self.get_response(request)
        key = _key(request)
        try:
            found = cache.get_many([GENERATION_KEY, key])
        except Exception:  # noqa: BLE001 - a cache that is down is no cache
            logger.warning("event=pagecache_unavailable", exc_info=True)
            return self.get_response(request)
        generation = found.get(GENERATION_KEY) or _start_generation()
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            return _from_entry(request, entry)
        response = self.get_response(request)
        if generation is not None and _storable(request, response):
            headers = [(n, v) for n, v in response.items() if n.lower() != "content-length"]
            try:
                cache.set(key, (generation, response.content, headers), settings.PAGE_CACHE_SECONDS)
            except Exception:  # noqa: BLE001
                logger.warning("event=pagecache_unavailable", exc_info=True)
            else:
                response[HEADER] = "miss"
        return response


def _start_generation() -> int | None:
    # A generation that starts at the clock never repeats one an old entry carries.
    try:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        return cache.get(GENERATION_KEY)
    except Exception:  # noqa: BLE001
        logger.warning("event=pagecache_unavailable", exc_info=True)
        return None


def bump() -> None:
    """Make every cached page stale (after a change to public content)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        _start_generation()
    except Exception:  # noqa: BLE001
        logger.warning("event=pagecache_unavailable", exc_info=True)


def _content_changed(sender, **kwargs) -> None:
    meta = sender._meta
    if not settings.PAGE_CACHE_SECONDS:
        return
    if meta.app_label not in CONTENT_APPS or meta.label_lower in PRIVATE_MODELS:
        return
    if not connection.in_atomic_block:
        bump()
        return
    # Once per transaction, after it commits: before, another request could cache the
    # old content under the new generation. Django replaces the callback list when a
    # transaction commits or rolls back, so a list we scheduled on is still pending.
    if getattr(connection, "_pagecache_pending", None) is not connection.run_on_commit:
        transaction.on_commit(bump)
        connection._pagecache_pending = connection.run_on_commit


def connect() -> None:
    post_save.connect(_content_changed, dispatch_uid="pagecache-save")
    post_delete.connect(_content_changed, dispatch_uid="pagecache-delete")
