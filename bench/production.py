"""Production-mode HTTP benchmark: the platform under gunicorn, measured over loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> REDIS_URL=redis://127.0.0.1:6379/<n> \\
      .venv/bin/python -m bench.production [--duration 20] [--concurrency 8] [--workers 2]

What runs:

- the platform as production runs it: gunicorn (sync workers by default, as in
  docker/Dockerfile; --worker-class gthread is the alternative) on 127.0.0.1 with
  DJANGO_ENV=production, on the PostgreSQL database and Redis the environment names,
  static files collected into a temporary STATIC_ROOT (production's manifest storage
  needs them). Its settings module is bench/settings.py: the platform's settings plus a
  middleware that returns the SQL statements of each request in `X-Query-Count`;
- a "floor": a second gunicorn with identical worker settings serving bench/floor.py, a
  bare Django app whose one view returns a body from memory as large as the platform's
  home page. Every page's throughput is also shown as a ratio to the floor's (the mean
  of a measurement before and one after the pages), which holds on a noisy machine;
- the load, from a separate process (bench/_load.py): closed loop, N concurrent
  keep-alive connections, each page for --duration seconds after --warmup seconds.
  gunicorn's sync worker closes the connection after each response, so with it every
  request includes a TCP connect (to the floor as well); gthread keeps connections open.

Production mode is left as it is. Its HTTPS redirect, secure cookies and HSTS expect a
TLS-terminating proxy that says `X-Forwarded-Proto: https` (SECURE_PROXY_SSL_HEADER);
the benchmark sends that header, as such a proxy would, so nothing is redirected and
CSRF checks the Origin of each POST against https://127.0.0.1:<port>, as for a real
browser. The secret key is random per run; DJANGO_ALLOWED_HOSTS is 127.0.0.1,localhost.

The pages are chosen from the database, so the benchmark works on the demo content and
on a large generated data set alike: the largest community whose content is public, its
forum, its longest topic (first and last page), the kennisbank with a theme facet and
a word from its practices' titles, the agenda, the course with most steps, site search,
and, logged in (sessions made with Django's SessionStore before the run), the
notification centre and community home of that community's members, a reply posted to
its longest open topic and a registration for an upcoming event (cancelled straight
away, so no places are used up). The writes leave their replies in the topic, and the
notification tasks they queue wait on the broker (Redis) until a Celery worker takes
them; --skip-writes leaves the writes out. The anonymous pages are requested without
cookies, as by a first-time visitor (the case a page cache serves).

Exit status: 0 when the run completed (also when targets fail: this is a measurement),
1 when any response was a 5xx, 2 when the benchmark itself failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}

TARGET_P95_MS = 150.0
TARGET_SEARCH_P95_MS = 200.0
TARGET_CACHED_RATIO = 0.5

REPLY_TEXT = "Benchmarkbericht: dank voor het delen, dit herkennen wij ook"
STOPWORDS = {
    "andere", "binnen", "bij", "door", "eerste", "hebben", "kunnen", "maken", "meer",
    "naar", "onder", "over", "tussen", "voor", "waarom", "werken", "worden", "zonder",
}  # fmt: skip


# Figures and targets (pure functions; tests/integration/test_bench_production.py) -------


@dataclass
class Figures:
    """One row of the table."""

    name: str
    rps: float
    p50: float | None
    p95: float | None
    p99: float | None
    queries: float | None = None
    errors: int = 0
    server_errors: int = 0
    requests: int = 0
    rejected: int = 0
    paced: float = 0.0  # seconds the load waited for the forum's rate limit
    path: str = ""
    floor: bool = False  # a measurement of the floor
    cached: bool = False  # an anonymous page a cache should serve: ≥ 0.5 × the floor
    search: bool = False  # a search page: p95 < 200 ms instead of 150 ms
    statuses: dict = field(default_factory=dict)
    failures: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)  # X-Page-Cache: hit/miss counts


@dataclass
class Target:
    name: str
    passed: bool | None  # None: no page to check
    details: list[str]


def floor_rps(rows: list[Figures]) -> float | None:
    floors = [row.rps for row in rows if row.floor and row.requests]
    return sum(floors) / len(floors) if floors else None


def ratio(row: Figures, floor: float | None) -> float | None:
    return row.rps / floor if floor else None


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def format_table(rows: list[Figures]) -> str:
    floor = floor_rps(rows)
    width = max([30, *(len(row.name) + 2 for row in rows)])
    head = (
        f"{'page':<{width}}{'req/s':>9}{'×floor':>8}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'queries':>9}{'errors':>8}"
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        share = ratio(row, floor)
        queries = "-" if row.queries is None else f"{row.queries:.1f}"
        lines.append(
            f"{row.name:<{width}}{row.rps:>9.1f}{'-' if share is None else f'{share:.2f}':>8}"
            f"{_ms(row.p50):>9}{_ms(row.p95):>9}{_ms(row.p99):>9}{queries:>9}{row.errors:>8}"
        )
    return "\n".join(lines)


def check_targets(rows: list[Figures]) -> list[Target]:
    """The issue's targets: p95 < 150 ms on every page (search pages have their own
    target, p95 < 200 ms), anonymous cached pages at ≥ 0.5 × the floor's throughput."""
    floor = floor_rps(rows)
    pages = [row for row in rows if not row.floor]

    def p95_target(name: str, selected: list[Figures], limit: float) -> Target:
        if not selected:
            return Target(name, None, ["no page measured"])
        slow = [row for row in selected if row.p95 is None or row.p95 >= limit]
        shown = slow or sorted(selected, key=lambda row: row.p95 or 0, reverse=True)[:1]
        details = [f"{row.name} {_ms(row.p95)} ms" for row in shown]
        details[0] = f"{'over' if slow else 'slowest'}: {details[0]}"
        return Target(name, not slow, details)

    targets = [
        p95_target(
            f"p95 < {TARGET_P95_MS:.0f} ms on every page (search: next targets)",
            [row for row in pages if not row.search],
            TARGET_P95_MS,
        )
    ]
    cached = [row for row in pages if row.cached]
    name = f"anonymous cached pages ≥ {TARGET_CACHED_RATIO} × floor throughput"
    if not cached or floor is None:
        targets.append(Target(name, None, ["no page or no floor measured"]))
    else:
        details, passed = [], True
        for row in cached:
            share = ratio(row, floor) or 0.0
            passed = passed and share >= TARGET_CACHED_RATIO
            details.append(f"{row.name} {share:.2f}×")
        targets.append(Target(name, passed, details))
    targets.append(
        p95_target(
            f"search p95 < {TARGET_SEARCH_P95_MS:.0f} ms",
            [row for row in pages if row.search],
            TARGET_SEARCH_P95_MS,
        )
    )
    return targets


def format_targets(targets: list[Target]) -> str:
    words = {True: "PASS", False: "FAIL", None: "n/a "}
    return "\n".join(
        f"{words[target.passed]}  {target.name}: {', '.join(target.details)}" for target in targets
    )


def exit_status(rows: list[Figures]) -> int:
    """1 when any request got a 5xx (the run itself worked, the platform did not)."""
    return 1 if any(row.server_errors for row in rows) else 0


# Processes and HTTP -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    """A gunicorn master in a session of its own, stopped by its process id."""

    def __init__(self, name: str, app: str, args: argparse.Namespace, env: dict, folder: Path):
        self.name, self.app, self.env = name, app, env
        self.port = free_port()
        self.log_path = folder / f"{name}.log"
        self.command = [
            sys.executable, "-m", "gunicorn", app,
            "--bind", f"{HOST}:{self.port}",
            "--workers", str(args.workers),
            "--worker-class", args.worker_class,
            "--access-logfile", str(folder / f"{name}-access.log"),
            "--graceful-timeout", "10",
        ]  # fmt: skip
        if args.worker_class == "gthread":
            self.command += ["--threads", str(args.threads)]
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn command
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_ready(self, path: str, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} gunicorn exited:\n{self.log_tail()}")
            try:
                status, _headers, _body = fetch(self.port, path)
            except OSError:
                status = 0
            if status == 200:
                return
            time.sleep(0.3)
        raise RuntimeError(
            f"{self.name} gunicorn not ready after {timeout:.0f} s:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: graceful shutdown of the master and workers
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)  # its own session's group
                self.process.wait(timeout=10)
        if getattr(self, "log", None) is not None:
            self.log.close()
            self.log = None


FORWARDED = {"X-Forwarded-Proto": "https", "User-Agent": "via-bench-production/1"}


def fetch(port: int, path: str, cookies: dict | None = None) -> tuple[int, dict, bytes]:
    import http.client

    headers = dict(FORWARDED)
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


# What to request ----------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str
    kind: str = "get"  # get, reply, event
    cached: bool = False
    search: bool = False
    users: list[int] = field(default_factory=list)
    rows: dict[str, str] = field(default_factory=dict)  # name: path, for more than one row
    extra: dict = field(default_factory=dict)


@dataclass
class Selection:
    pages: list[Page]
    notes: list[str]
    reply_topic_id: int | None = None
    reply_users: list[int] = field(default_factory=list)
    occurrence_id: int | None = None
    event_users: list[int] = field(default_factory=list)


def _path(page) -> str | None:
    url = page.get_url() if page is not None else None
    return urlsplit(url).path if url else None


def _common_word(titles) -> str | None:
    words = Counter(
        word
        for title in titles
        for word in re.findall(r"[a-zà-ÿ]{6,}", title.lower())
        if word not in STOPWORDS
    )
    return words.most_common(1)[0][0] if words else None


def open_occurrences(now, lead):
    """Live dates that need registration, start after `now + lead` and take registrations
    then (with their event)."""
    from django.db.models import Q

    from via_platform.events.models import Occurrence

    return (
        Occurrence.objects.filter(
            start__gt=now + lead,
            cancelled=False,
            event__live=True,
            event__cancelled=False,
            event__registration_required=True,
        )
        .filter(Q(event__registration_opens__isnull=True) | Q(event__registration_opens__lte=now))
        .filter(
            Q(event__registration_closes__isnull=True)
            | Q(event__registration_closes__gt=now + lead)
        )
        .select_related("event")
    )


def choose_pages(concurrency: int, writes: bool) -> Selection:
    """Concrete URLs and users from the database (demo content or generated data)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q
    from django.urls import reverse
    from django.utils import timezone

    from via_platform.communities.models import (
        CommunityPage,
        ContentVisibility,
        Membership,
        MembershipState,
    )
    from via_platform.events import permissions as event_permissions
    from via_platform.events.models import (
        AgendaIndexPage,
        EventAudience,
        Registration,
        RegistrationState,
    )
    from via_platform.forums import permissions as forum_permissions
    from via_platform.forums import services as forum_services
    from via_platform.forums.models import Post, Topic
    from via_platform.learning.models import CoursePage, LearningIndexPage
    from via_platform.library.models import LibraryIndexPage, PracticePage
    from via_platform.notifications.models import Notification

    User = get_user_model()  # noqa: N806
    pages: list[Page] = [Page("home", "/", cached=True)]
    notes: list[str] = []
    selection = Selection(pages, notes)

    community = (
        CommunityPage.objects.live()
        .filter(hidden=False, content_visibility=ContentVisibility.PUBLIC)
        .annotate(members=Count("memberships", filter=Q(memberships__state=MembershipState.ACTIVE)))
        .order_by("-members", "path")
        .first()
    )
    if community is None:
        raise SystemExit("No live community with public content: load data first (seed_demo).")
    community_path = _path(community)
    notes.append(f"community: {community.title} ({community.members} active members)")
    pages.append(Page("community home", community_path, cached=True))
    forum = forum_services.forum_url(community)
    pages.append(Page("forum index", urlsplit(forum).path))
    topics = Topic.objects.filter(community=community, hidden=False).select_related("community")
    topic = topics.order_by("-last_number", "pk").first()
    if topic is not None:
        url = urlsplit(forum_services.topic_url(topic)).path
        last = forum_services.page_of(topic.last_number)
        notes.append(f"longest topic: {topic.last_number} posts, {last} page(s): {topic.title}")
        pages.append(Page("topic, first page", url))
        pages.append(Page(f"topic, last page ({last})", f"{url}?pagina={last}"))

    library = LibraryIndexPage.objects.live().first()
    if library is not None:
        library_path = _path(library)
        pages.append(Page("library index", library_path, cached=True))
        practices = PracticePage.objects.live().descendant_of(library)
        theme = (
            practices.exclude(theme="")
            .values("theme")
            .annotate(n=Count("pk"))
            .order_by("-n", "theme")
            .first()
        )
        themed = practices.filter(theme=theme["theme"]) if theme else practices
        word = _common_word(themed.values_list("title", flat=True)[:5000]) or "werk"
        query = {"q": word, **({"thema": theme["theme"]} if theme else {})}
        library_search = f"{library_path}?{urlencode(query)}"
        pages.append(Page("library search", library_search, search=True))
        notes.append(f"search word: {word!r}" + (f", theme {theme['theme']}" if theme else ""))
    else:
        word, library_search = "werk", None
    agenda = AgendaIndexPage.objects.live().first()
    if agenda is not None:
        pages.append(Page("agenda", _path(agenda), cached=True))
    learning = LearningIndexPage.objects.live().first()
    course = (
        CoursePage.objects.live().child_of(learning).order_by("-numchild", "path").first()
        if learning is not None
        else None
    )
    if course is not None:
        pages.append(Page("course", _path(course)))
    site_search = f"{reverse('search')}?{urlencode({'q': word})}"
    pages.append(Page("site search", site_search, search=True))

    # Members of that community: those with the most notifications first.
    member_ids = list(
        Membership.objects.filter(
            community=community, state=MembershipState.ACTIVE, user__is_active=True
        )
        .order_by("pk")
        .values_list("user_id", flat=True)[:200]
    )
    counts = dict(
        Notification.objects.filter(recipient_id__in=member_ids)
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values_list("recipient_id", "n")
    )
    members = sorted(member_ids, key=lambda pk: (-counts.get(pk, 0), pk))[:concurrency]
    if members:
        pages.append(Page("notifications (member)", reverse("notifications:index"), users=members))
        pages.append(Page("community home (member)", community_path, users=members))
        # Searches as a member: no page cache, their own visibility filters.
        if library_search:
            pages.append(
                Page("library search (member)", library_search, users=members, search=True)
            )
        pages.append(Page("site search (member)", site_search, users=members, search=True))
        notes.append(f"logged-in readers: {len(members)} members of that community")
    else:
        notes.append("no active members: the logged-in pages are left out")
    if not writes:
        return selection

    # A reply: the longest topic that is open, by members who may post in it.
    now = timezone.now()
    open_topic = topics.filter(closed=False).order_by("-last_number", "pk").first()
    writers = []
    if open_topic is not None:
        for user in User.objects.filter(pk__in=member_ids).order_by("pk"):
            if len(writers) >= 100:
                break
            if forum_permissions.can_post(user, open_topic):
                new = forum_services._is_new_member(user, community)
                limit = forum_services._rate(
                    "FORUMS_NEW_MEMBER_POSTS_PER_MINUTE" if new else "FORUMS_POSTS_PER_MINUTE",
                    2 if new else 6,
                )
                writers.append((user.pk, limit))
    if writers:
        recent: dict[int, list[float]] = {}
        for author_id, created in Post.objects.filter(
            author_id__in=[pk for pk, _ in writers], created_at__gt=now - timedelta(minutes=1)
        ).values_list("author_id", "created_at"):
            recent.setdefault(author_id, []).append((now - created).total_seconds())
        url = urlsplit(forum_services.topic_url(open_topic)).path
        last = forum_services.page_of(open_topic.last_number)
        selection.reply_topic_id = open_topic.pk
        selection.reply_users = [pk for pk, _ in writers]
        pages.append(
            Page(
                "reply (POST)",
                f"{url}reageren/",
                kind="reply",
                users=selection.reply_users,
                extra={
                    "form_path": f"{url}?pagina={last}",
                    "action": f"{url}reageren/",
                    "limits": dict(writers),
                    "recent": recent,
                },
            )
        )
        per_minute = sum(limit for _, limit in writers)
        notes.append(
            f"replies: {len(writers)} members, at most {per_minute} posts a minute together "
            f"(the forum's rate limit); topic {open_topic.title!r}"
        )
    else:
        notes.append("no member may post in an open topic: the reply is left out")

    # A registration: an upcoming date that is open, public agenda events first.
    occurrences = open_occurrences(now, timedelta(hours=2)).annotate(
        registered=Count(
            "registrations", filter=Q(registrations__state=RegistrationState.REGISTERED)
        )
    )[:500]

    def preference(occurrence):
        event = occurrence.event
        left = None if event.capacity is None else event.capacity - occurrence.registered
        return (
            event.community_id is not None,
            event.audience != EventAudience.PUBLIC,
            left is not None and left < concurrency,
            -(left if left is not None else 10**9),
            occurrence.start,
        )

    occurrence = min(occurrences, key=preference, default=None)
    if occurrence is None:
        notes.append("no upcoming event open for registration: the registration is left out")
        return selection
    event = occurrence.event.specific
    taken = Registration.objects.filter(
        occurrence=occurrence,
        state__in=[RegistrationState.REGISTERED, RegistrationState.WAITLISTED],
    ).values("user_id")
    users = []
    for user in User.objects.filter(is_active=True).exclude(pk__in=taken).order_by("pk")[:1000]:
        if len(users) >= max(2 * concurrency, 2):
            break
        if event_permissions.can_register(user, event):
            users.append(user.pk)
    if not users:
        notes.append("nobody may register for the chosen event: the registration is left out")
        return selection
    event_path = _path(event)
    selection.occurrence_id = occurrence.pk
    selection.event_users = users
    pages.append(
        Page(
            "event registration (POST)",
            f"{event_path}aanmelden/",
            kind="event",
            users=users,
            rows={
                "event registration (POST)": f"{event_path}aanmelden/",
                "event cancellation (POST)": f"{event_path}afmelden/",
            },
            extra={
                "form_path": event_path,
                "register": f"{event_path}aanmelden/",
                "cancel": f"{event_path}afmelden/",
                "occurrence": occurrence.pk,
            },
        )
    )
    places = (
        "no limit"
        if event.capacity is None
        else f"{event.capacity - occurrence.registered} places left"
    )
    notes.append(
        f"registrations: {len(users)} people take turns registering and cancelling; "
        f"{event.title!r} on {occurrence.start:%Y-%m-%d} ({places})"
    )
    return selection


def login_sessions(user_ids) -> dict[int, str]:
    """A session per person, as logging in makes it (same SECRET_KEY as the servers)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = {}
    for user in get_user_model().objects.filter(pk__in=set(user_ids)):
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        sessions[user.pk] = session.session_key
    return sessions


def end_sessions(keys) -> None:
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()


def load_plan(
    selection: Selection, sessions: dict, args, platform_port: int, floor_port: int
) -> dict:
    from django.conf import settings

    cookie = settings.SESSION_COOKIE_NAME

    def users_of(page: Page) -> list[dict]:
        users = []
        for pk in page.users:
            user = {"cookies": {cookie: sessions[pk]}}
            if page.kind == "reply":
                user["limit"] = page.extra["limits"][pk]
                user["recent_ages"] = page.extra["recent"].get(pk, [])
            users.append(user)
        return users

    floor = {"kind": "get", "path": "/", "port": floor_port, "warmup": args.warmup}
    windows = [{**floor, "name": "floor (before)"}]
    for page in selection.pages:
        window = {
            "name": page.name,
            "kind": page.kind,
            "path": page.path,
            "port": platform_port,
            "users": users_of(page),
            "warmup": args.warmup if page.kind == "get" else 0,
        }
        if page.rows:
            window["rows"] = list(page.rows)
        if page.kind == "reply":
            window.update(
                form_path=page.extra["form_path"], action=page.extra["action"], text=REPLY_TEXT
            )
        elif page.kind == "event":
            window.update(
                {k: page.extra[k] for k in ("form_path", "register", "cancel", "occurrence")}
            )
        windows.append(window)
    windows.append({**floor, "name": "floor (after)"})
    return {
        "host": HOST,
        "scheme": "https",
        "headers": FORWARDED,
        "concurrency": args.concurrency,
        "duration": args.duration,
        "warmup": args.warmup,
        "windows": windows,
    }


def smoke_check(selection: Selection, sessions: dict, port: int) -> list[str]:
    """Request every page once; what is not a 200 is reported before the load."""
    from django.conf import settings

    problems = []
    for page in selection.pages:
        cookies = {settings.SESSION_COOKIE_NAME: sessions[page.users[0]]} if page.users else None
        path = page.extra.get("form_path", page.path)
        status, headers, body = fetch(port, path, cookies)
        if status != 200:
            problems.append(f"{page.name}: GET {path} answered {status}")
        elif "X-Query-Count" not in headers:
            raise RuntimeError("no X-Query-Count header: is bench.settings in use?")
        elif page.kind != "get" and b"csrfmiddlewaretoken" not in body:
            problems.append(f"{page.name}: no form on {path}")
    return problems


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version')")
        postgres = cursor.fetchone()[0]
    try:
        import gunicorn

        gunicorn_version = gunicorn.__version__
    except ImportError:  # pragma: no cover
        gunicorn_version = "?"
    meminfo = Path("/proc/meminfo")
    memory = ""
    if meminfo.exists():
        kb = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kb / 1024 / 1024:.1f} GiB RAM"
    return {
        "cpus": os.cpu_count(),
        "memory": memory,
        "postgres": postgres,
        "python": platform.python_version(),
        "gunicorn": gunicorn_version,
    }


def data_size() -> dict:
    from django.contrib.auth import get_user_model

    from via_platform.communities.models import CommunityPage
    from via_platform.events.models import EventPage
    from via_platform.forums.models import Post, Topic
    from via_platform.library.models import PracticePage

    return {
        "users": get_user_model().objects.count(),
        "communities": CommunityPage.objects.count(),
        "topics": Topic.objects.count(),
        "posts": Post.objects.count(),
        "practices": PracticePage.objects.count(),
        "events": EventPage.objects.count(),
    }


def after_run(selection: Selection, started) -> list[str]:
    """What the writes left behind; registrations still active are cancelled."""
    from via_platform.events import services as event_services
    from via_platform.events.models import Occurrence, Registration, RegistrationState
    from via_platform.forums.models import Post

    notes = []
    if selection.reply_topic_id is not None:
        posted = Post.objects.filter(
            topic_id=selection.reply_topic_id,
            author_id__in=selection.reply_users,
            created_at__gte=started,
        ).count()
        notes.append(f"replies written to the topic in this run: {posted}")
    if selection.occurrence_id is not None:
        left = Registration.objects.filter(
            occurrence_id=selection.occurrence_id,
            user_id__in=selection.event_users,
            state__in=[RegistrationState.REGISTERED, RegistrationState.WAITLISTED],
            updated_at__gte=started,
        ).select_related("user")
        left = list(left)
        occurrence = Occurrence.objects.get(pk=selection.occurrence_id)
        for registration in left:
            event_services.cancel(registration.user, occurrence)
        notes.append(
            f"registrations still active after the run (now cancelled): {len(left)}"
            if left
            else "registrations: every one made in this run was cancelled"
        )
    return notes


def figures_from(raw: list[dict], selection: Selection) -> list[Figures]:
    """The load process's rows, with what the table and the targets need to know."""
    by_name = {page.name: page for page in selection.pages}
    rows = []
    for item in raw:
        name = item["name"]
        page = by_name.get(name) or next((p for p in selection.pages if name in p.rows), None)
        rows.append(
            Figures(
                name=name,
                rps=item["rps"],
                p50=item["p50"],
                p95=item["p95"],
                p99=item["p99"],
                queries=item["queries"],
                errors=item["errors"],
                server_errors=item["server_errors"],
                requests=item["requests"],
                rejected=item["rejected"],
                paced=item.get("paced", 0.0),
                path=page.rows.get(name, page.path) if page else "/",
                floor=page is None,
                cached=bool(page and page.cached),
                search=bool(page and page.search),
                statuses=item["statuses"],
                failures=item["failures"],
                cache=item.get("cache", {}),
            )
        )
    return rows


def print_report(rows: list[Figures], targets: list[Target], context: dict) -> None:
    info, setup = context["machine"], context["settings"]
    threads = f" × {setup['threads']} threads" if setup["worker_class"] == "gthread" else ""
    print()
    print(
        f"machine: {info['cpus']} CPUs, {info['memory']}; PostgreSQL {info['postgres']}; "
        f"Python {info['python']}; gunicorn {info['gunicorn']}"
    )
    print(
        f"platform: DJANGO_ENV=production, DEBUG off, {setup['workers']} "
        f"{setup['worker_class']} worker(s){threads}; database {context['database']}; "
        + ", ".join(f"{n} {k}" for k, n in context["data"].items())
    )
    print(
        f"load: {setup['concurrency']} keep-alive connections, closed loop, "
        f"{setup['duration']:g} s per page after {setup['warmup']:g} s warm-up; "
        f"floor body {setup['floor_bytes']} bytes (the home page)\n"
    )
    print(format_table(rows))
    print()
    for row in rows:
        if not row.floor:
            print(f"  {row.name:<30} {row.path}")
    print()
    for note in context["notes"]:
        print(f"  {note}")
    cached = [row for row in rows if row.cache]
    if cached:
        hits = [f"{r.name} {r.cache.get('hit', 0) / sum(r.cache.values()):.0%}" for r in cached]
        print(f"  page cache hits (X-Page-Cache): {', '.join(hits)}")
    for row in rows:
        odd = {code: n for code, n in row.statuses.items() if code not in {"200", "302"}}
        if row.errors or odd or row.rejected:
            print(
                f"  {row.name}: statuses {row.statuses}"
                + (f", failures {row.failures}" if row.failures else "")
                + (f", {row.rejected} POSTs rejected (form returned)" if row.rejected else "")
            )
        if row.paced:
            print(
                f"  {row.name}: the rate limit held the load back ({row.paced:.0f} s of "
                "connection time); its req/s is that limit, not the platform's capacity"
            )
    print()
    print(format_targets(targets))


# The run ----------------------------------------------------------------------------


def production_env(secret_key: str, static_root: Path) -> dict:
    env = dict(os.environ)
    # Production defaults, whatever this shell says: the redirect stays on (the proxy
    # header answers it) and Celery tasks go to the broker.
    for name in ("DJANGO_SECURE_SSL_REDIRECT", "CELERY_TASK_ALWAYS_EAGER", "DJANGO_DEBUG"):
        env.pop(name, None)
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        STATIC_ROOT=str(static_root),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.production",
        description="Production-mode HTTP benchmark (gunicorn, PostgreSQL, Redis).",
    )
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per page")
    parser.add_argument("--warmup", type=float, default=2.0, help="unrecorded seconds first")
    parser.add_argument("--concurrency", type=int, default=8, help="connections at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--skip-writes", action="store_true", help="no reply, no registration")
    parser.add_argument(
        "--only", action="append", metavar="TEXT", help="only pages whose name contains TEXT"
    )
    parser.add_argument("--static-root", type=Path, help="reuse collected static files here")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.concurrency < 1 or args.workers < 1:
        parser.error("--duration, --concurrency and --workers must be positive")
    return args


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    if urlsplit(database_url).scheme not in POSTGRES_SCHEMES:
        raise SystemExit("DATABASE_URL must name a PostgreSQL database (postgres://…).")
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("REDIS_URL must name a Redis database (redis://…/<n>).")

    with contextlib.ExitStack() as cleanup:
        folder = Path(tempfile.mkdtemp(prefix="via-bench-"))
        cleanup.callback(shutil.rmtree, folder, ignore_errors=True)
        static_root = args.static_root or folder / "static"
        env = production_env(secrets.token_urlsafe(64), static_root)
        os.environ.update(env)
        for name in ("DJANGO_SECURE_SSL_REDIRECT", "CELERY_TASK_ALWAYS_EAGER", "DJANGO_DEBUG"):
            os.environ.pop(name, None)

        if not (static_root / "staticfiles.json").exists():
            print(f"collectstatic into {static_root} …", file=sys.stderr, flush=True)
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=ROOT,
                env=env,
                check=True,
            )

        import django

        django.setup()
        from django.conf import settings
        from django.db import connections
        from django.utils import timezone

        if settings.DEBUG or not settings.SECURE_SSL_REDIRECT:
            raise RuntimeError("not in production mode")
        info = machine()
        sizes = data_size()
        selection = choose_pages(args.concurrency, writes=not args.skip_writes)
        if args.only:
            selection.pages = [
                page for page in selection.pages if any(text in page.name for text in args.only)
            ]
            kinds = {page.kind for page in selection.pages}
            if "reply" not in kinds:
                selection.reply_topic_id = None
            if "event" not in kinds:
                selection.occurrence_id = None
        users = {pk for page in selection.pages for pk in page.users}
        sessions = login_sessions(users)
        cleanup.callback(lambda: (end_sessions(sessions.values()), connections.close_all()))
        connections.close_all()

        server = Gunicorn("platform", "via_platform.wsgi:application", args, env, folder)
        cleanup.callback(server.stop)
        print(f"starting the platform on port {server.port} …", file=sys.stderr, flush=True)
        server.start()
        server.wait_ready("/healthz")
        status, _headers, body = fetch(server.port, "/")
        if status != 200:
            raise RuntimeError(f"home page answered {status}:\n{server.log_tail()}")
        home_bytes = len(body)

        floor_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
        floor_env["BENCH_FLOOR_BYTES"] = str(home_bytes)
        floor = Gunicorn("floor", "bench.floor:application", args, floor_env, folder)
        cleanup.callback(floor.stop)
        floor.start()
        floor.wait_ready("/")

        problems = smoke_check(selection, sessions, server.port)
        for problem in problems:
            print(f"warning: {problem}", file=sys.stderr)
        connections.close_all()

        plan = load_plan(selection, sessions, args, server.port, floor.port)
        started = timezone.now()
        windows = len(plan["windows"])
        print(
            f"measuring {windows} windows of {args.duration:g} s (+{args.warmup:g} s warm-up), "
            f"{args.concurrency} connections …",
            file=sys.stderr,
            flush=True,
        )
        load = subprocess.run(
            [sys.executable, "-m", "bench._load"],
            cwd=ROOT,
            input=json.dumps(plan),
            stdout=subprocess.PIPE,
            text=True,
            env={k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        )
        if load.returncode != 0:
            raise RuntimeError(f"the load process failed (exit status {load.returncode})")
        rows = figures_from(json.loads(load.stdout)["rows"], selection)
        notes = after_run(selection, started)
        connections.close_all()

        targets = check_targets(rows)
        context = {
            "machine": info,
            "data": sizes,
            "database": settings.DATABASES["default"]["NAME"],
            "settings": {
                "workers": args.workers,
                "worker_class": args.worker_class,
                "threads": args.threads if args.worker_class == "gthread" else 1,
                "concurrency": args.concurrency,
                "duration": args.duration,
                "warmup": args.warmup,
                "floor_bytes": home_bytes,
            },
            "notes": selection.notes + notes + [f"warning: {p}" for p in problems],
        }
        print_report(rows, targets, context)
        status = exit_status(rows)
        if status:
            print("\n5xx responses (exit status 1); the end of the platform's log:")
            print(server.log_tail(60))

        if args.json:
            context.update(
                floor_rps=floor_rps(rows),
                rows=[asdict(row) for row in rows],
                targets=[asdict(target) for target in targets],
            )
            args.json.write_text(json.dumps(context, indent=2))
        return status


def run_main(run, args) -> int:
    """Run a benchmark's `run(args)`: Ctrl-C and SIGTERM stop its servers (exit 130), an
    unexpected error prints its traceback (exit 2)."""
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started ignoring it
    try:
        return run(args)
    except KeyboardInterrupt:
        print("\ninterrupted; servers stopped", file=sys.stderr)
        return 130
    except SystemExit:
        raise
    except Exception:
        traceback.print_exc()
        return 2


def main(argv=None) -> int:
    return run_main(run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
