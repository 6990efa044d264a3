"""Fault scenarios against the platform in production shape, each ending in PASS or FAIL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python -m bench.faults \\
      [--only redis_down] [--static-root DIR]

The database must hold the demo content (`manage.py migrate && manage.py seed_demo`) or
a generated data set. Everything else is started here and stopped at the end, by its
own process id: a private redis-server on a free loopback port (`--save ""`, so a stop
loses what it held, as a crashed cache server would), an SMTP server (aiosmtpd, in this
process) that counts every message by its Message-ID, gunicorn with the production
settings (bench/settings.py, DJANGO_ENV=production) and a Celery worker. The worker
runs bench/faults_settings.py: the same settings with a short notification clock
(retry base 1 s, "stale" after 15 s, batches of 20 emails); the sweeper, which celery
beat runs every two minutes in production, is sent to the worker every 5 s from here.

The worker is kept running as docker/compose.yaml's `restart: unless-stopped` keeps it:
when it exits by itself it is started again, and when it logs an unrecoverable error
but does not exit it is killed and started again (both counted and printed). Celery
5.7 / kombu 5.7 can do either when Redis goes away while a task is unacknowledged
("Unrecoverable error: AttributeError … 'hostname'" on restoring it).

The run prepares its data in the database it is given, which must be a benchmark
database: 200 members `fault-NNN@faults.bench.invalid` in the largest public community
(watching its forum, immediate emails on), their earlier registrations deleted, and any
notification work still pending from earlier runs marked done, so that it does not
drown the scenarios. The event used for the registration burst gets its capacity back
afterwards.

Scenarios (each prints `PASS <name>: <figures>` or `FAIL <name>: <why>`):

- redis_down: members post replies and register for an event over HTTP while others
  read; the redis-server is killed for 20 s and started again on the same port (empty).
  Every response during the outage must be < 500; afterwards every notification email
  of every post and registration that succeeded arrives exactly once.
- worker_killed: a fan-out of ~200 emails to an SMTP server that takes 30 ms to accept
  each; the worker (its whole process group) gets SIGKILL the moment the server has
  accepted the 60th; a new worker starts. Each email must arrive once. A delivery is
  marked sent in the transaction that sends it (committed right after the server's
  reply, before the QUIT, without waiting for the disk), so an email is never lost;
  but a kill that lands after the server accepted a message and before that commit
  sends it again, with the same Message-ID. This scenario aims its kill at exactly
  that moment, and then fails and says how many were accepted before the kill: on
  this machine in 2 of 7 runs (SMTP cannot tell a sender that it already has a
  message, RFC 1047).
- smtp_down: the SMTP server is stopped, members post replies, the sends fail and are
  retried; the server comes back (same port) and every email arrives once. Also checks
  that the production retry schedule (NOTIFICATIONS_RETRY_BASE_SECONDS,
  NOTIFICATIONS_MAX_ATTEMPTS) spans at least an hour before a delivery is given up.
- web_restart_registration: an event date with C places, many members register at once;
  gunicorn is killed (SIGKILL, whole group) mid-burst and started again on the same
  port. Clients retry what got no answer, as people do. Afterwards at most C are
  registered, the places are all used, and what each client was told matches the
  database.

Exit status: 0 when every scenario passed, 1 when any failed, 2 when the run broke.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import queue
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import Counter
from datetime import timedelta
from email.parser import BytesHeaderParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

from bench._load import Browser, Connection, csrf_token, multipart
from bench.production import (
    FORWARDED,
    HOST,
    POSTGRES_SCHEMES,
    Gunicorn,
    end_sessions,
    free_port,
    login_sessions,
    open_occurrences,
    production_env,
    run_main,
)

ROOT = Path(__file__).resolve().parent.parent
BENCH_DOMAIN = "faults.bench.invalid"
USERS = 200
POSTERS = range(0, 8)  # bench users who post replies (and watch the forum)
REDIS_REGISTRANTS = range(10, 60)  # register during the Redis outage
SMTP_POSTERS = range(60, 64)
BURST = range(100, 190)  # the registration burst
CAPACITY = 20
SWEEP_EVERY = 5.0
WORKER_ENV = {
    "NOTIFICATIONS_RETRY_BASE_SECONDS": "1",
    "NOTIFICATIONS_STALE_MINUTES": "0.25",
    "NOTIFICATIONS_EMAIL_BATCH": "20",
}
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
ALERT_RE = re.compile(rb"utrecht-alert--(ok|warning|error)")


def say(text: str) -> None:
    print(f"  · {text}", file=sys.stderr, flush=True)


# Servers ------------------------------------------------------------------------------


class RedisServer:
    """A private redis-server without persistence; killed and started on the same port."""

    def __init__(self, folder: Path):
        self.folder, self.port = folder, free_port()
        self.process: subprocess.Popen | None = None
        self.url = f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        log = (self.folder / "redis.log").open("a")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [REDIS_SERVER, "--port", str(self.port), "--bind", HOST, "--save", "",
             "--appendonly", "no", "--dir", str(self.folder), "--protected-mode", "no"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), 1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class MailCounter:
    """aiosmtpd handler: every accepted message, by Message-ID, with an optional delay."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[tuple[str, tuple[str, ...]]] = []
        self.delay = 0.0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.delay:
            await asyncio.sleep(self.delay)
        headers = BytesHeaderParser().parsebytes(envelope.content)
        message_id = (headers.get("Message-ID") or "").strip().strip("<>")
        with self.lock:
            self.messages.append((message_id, tuple(envelope.rcpt_tos)))
        return "250 Message accepted"

    def count_by_id(self) -> Counter:
        with self.lock:
            return Counter(message_id for message_id, _ in self.messages)


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.counter = MailCounter()
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.counter, hostname=HOST, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class Worker:
    """A Celery worker in a session of its own (so SIGKILL reaches its pool too), kept
    running as docker/compose.yaml's `restart: unless-stopped` does: when it exits
    without being told to, it is started again (and that is counted)."""

    def __init__(self, env: dict, folder: Path):
        self.env, self.folder, self.runs = env, folder, 0
        self.process: subprocess.Popen | None = None
        self.lock = threading.RLock()
        self.held = False  # stopped on purpose: not restarted
        self.exits: list[str] = []  # the last log line of each exit nobody asked for
        self.hung = 0  # unrecoverable errors after which the process did not exit
        self.crashed_at: float | None = None
        self.closing = threading.Event()
        threading.Thread(target=self._supervise, daemon=True).start()

    def _supervise(self) -> None:
        while not self.closing.wait(0.5):
            with self.lock:
                if self.process is None or self.held:
                    continue
                if self.process.poll() is None:
                    self._reap_if_hung()
                    continue
                lines = [line for line in self.log_tail(4000).splitlines() if "CRITICAL" in line]
                self.exits.append(lines[-1] if lines else f"exit {self.process.returncode}")
                say(f"the worker exited by itself ({self.exits[-1][:120]}); restarting it")
                with contextlib.suppress(Exception):
                    self.start()

    def _reap_if_hung(self) -> None:
        """A worker that logged an unrecoverable error but did not exit within 15 s hangs:
        no restart policy would notice, so it is counted apart and killed."""
        text = self.log_tail(20000)
        if "Unrecoverable error" not in text:
            self.crashed_at = None
            return
        self.crashed_at = getattr(self, "crashed_at", None) or time.monotonic()
        if time.monotonic() - self.crashed_at > 15:
            self.hung += 1
            say("the worker hangs after an unrecoverable error; killing it")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.crashed_at = None

    def start(self) -> None:
        with self.lock:
            self._start()
            self.held = False

    def _start(self) -> None:
        self.runs += 1
        self.log_path = self.folder / f"worker-{self.runs}.log"
        self.process = subprocess.Popen(  # noqa: S603 - our own celery, fixed arguments
            [str(ROOT / ".venv" / "bin" / "celery"), "-A", "workers", "worker",
             "--concurrency=2", "--loglevel=info", "--without-gossip", "--without-mingle",
             "--without-heartbeat"],
            cwd=ROOT, env=self.env, stdout=self.log_path.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if "ready." in self.log_path.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker stopped:\n{self.log_tail()}")
            time.sleep(0.2)
        raise RuntimeError("the worker did not start within 60 s")

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def kill(self) -> None:
        with self.lock:
            self.held = True
            if self.process is not None and self.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def stop(self) -> None:
        self.closing.set()
        with self.lock:
            self.held = True
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


class Platform:
    """gunicorn (production settings); `crash_and_restart` kills its whole process group
    and starts a new master on the same port."""

    def __init__(self, env: dict, folder: Path):
        self.env, self.folder, self.runs = env, folder, 0
        self.args = SimpleNamespace(workers=2, worker_class="gthread", threads=4)
        self.port = free_port()
        self.server: Gunicorn | None = None

    def start(self) -> None:
        self.runs += 1
        server = Gunicorn(
            f"platform-{self.runs}", "via_platform.wsgi:application", self.args, self.env,
            self.folder,
        )  # fmt: skip
        server.port = self.port
        server.command[server.command.index("--bind") + 1] = f"{HOST}:{self.port}"
        self.server = server
        server.start()
        server.wait_ready("/healthz")

    def crash_and_restart(self) -> float:
        started = time.monotonic()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.server.process.pid, signal.SIGKILL)
        self.server.process.wait(timeout=10)
        self.server.log.close()
        self.server.log = None
        self.start()
        return time.monotonic() - started

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


# HTTP clients -------------------------------------------------------------------------


class Tally:
    """Every response the clients got, by status (0: no response)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.server_errors: list[str] = []

    def add(self, method: str, path: str, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1
            if status >= 500:
                self.server_errors.append(f"{method} {path} → {status}")

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def fives(self) -> int:
        return sum(n for code, n in self.statuses.items() if code >= 500)


class Client:
    """One person in a browser: a session cookie, one keep-alive connection."""

    def __init__(self, port: int, tally: Tally, session: tuple[str, str] | None = None):
        self.port, self.tally = port, tally
        self.origin = f"https://{HOST}:{port}"
        self.browser = Browser({session[0]: session[1]} if session else {})
        self.conn = Connection(HOST, port, FORWARDED)

    def get(self, path: str) -> tuple[int, bytes]:
        status, _response, data, _ms, _end = self.conn.request("GET", path, self.browser)
        self.tally.add("GET", path, status)
        return status, data

    def post(self, path: str, form_path: str, fields: dict, files: bool = False):
        if files:
            body, content_type = multipart(fields)
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        headers = {
            "Content-Type": content_type,
            "Origin": self.origin,
            "Referer": f"{self.origin}{form_path}",
        }
        status, response, data, _ms, _end = self.conn.request(
            "POST", path, self.browser, body=body, headers=headers
        )
        self.tally.add("POST", path, status)
        location = response.getheader("Location") if status in (301, 302, 303) else None
        return status, data, location

    def close(self) -> None:
        self.conn.close()


def alert_of(page: bytes) -> str | None:
    """The level of the flash message on a page: ok, warning, error (None: none)."""
    start = page.find(b"site-messages")
    if start < 0:
        return None
    match = ALERT_RE.search(page, start, start + 3000)
    return match.group(1).decode() if match else None


def post_reply(client: Client, topic: dict, marker: str) -> str:
    """'posted' (302), 'rejected' (the form came back), 'no-form', or 'error <status>'."""
    status, data = client.get(topic["form"])
    token = csrf_token(data) if status == 200 else None
    if token is None:
        return f"no-form {status}"
    fields = {"csrfmiddlewaretoken": token, "reply_to": "", "body": f"Storingstest {marker}"}
    status, _data, _location = client.post(topic["action"], topic["form"], fields, files=True)
    if status == 302:
        return "posted"
    return "rejected" if status == 200 else f"error {status}"


def matches(answer: str | None, state: str | None) -> bool:
    """Does what a client was told agree with its registration in the database?"""
    from via_platform.events.models import RegistrationState

    expected = {"ok": RegistrationState.REGISTERED, "warning": RegistrationState.WAITLISTED}
    if answer in expected:
        return state == expected[answer]
    return state not in expected.values()


def register_once(client: Client, event: dict) -> str | None:
    """One registration attempt: 'ok' (registered), 'warning' (waitlist), 'error'
    (refused with a message), or None when no definite answer came (to be retried)."""
    status, data = client.get(event["path"])
    token = csrf_token(data) if status == 200 else None
    if token is None:
        return None
    fields = {"csrfmiddlewaretoken": token, "occurrence": event["occurrence"]}
    status, _data, location = client.post(event["register"], event["path"], fields)
    if status != 302:
        return None
    page_path = urlsplit(location).path if location else event["path"]
    for _ in range(50):  # the answer is the flash message on the page it redirects to
        status, data = client.get(page_path)
        if status == 200:
            return alert_of(data) or "none"
        time.sleep(0.2)
    return None


# Data -------------------------------------------------------------------------------


def _path(page) -> str:
    return urlsplit(page.get_url()).path


def largest_public_community():
    """The live public community with the most active members (where load lands)."""
    from django.db.models import Count, Q

    from via_platform.communities.models import CommunityPage, ContentVisibility, MembershipState

    community = (
        CommunityPage.objects.live()
        .filter(hidden=False, content_visibility=ContentVisibility.PUBLIC)
        .annotate(members=Count("memberships", filter=Q(memberships__state=MembershipState.ACTIVE)))
        .order_by("-members", "path")
        .first()
    )
    if community is None:
        raise SystemExit("No live public community: run `manage.py seed_demo` first.")
    return community


def prepare_data() -> SimpleNamespace:
    """Bench members in the largest public community, watching its forum, immediate
    emails on; an open topic; two upcoming dates people may register for."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from via_platform.communities.models import (
        Membership,
        MembershipState,
        Role,
    )
    from via_platform.events import permissions as event_permissions
    from via_platform.events.models import AgendaIndexPage, Registration
    from via_platform.forums import permissions as forum_permissions
    from via_platform.forums import services as forum_services
    from via_platform.forums.models import Topic, Watch, WatchLevel
    from via_platform.notifications.models import Delivery, Happening, Preference
    from via_platform.notifications.registry import Category, Frequency

    User = get_user_model()  # noqa: N806
    now = timezone.now()
    community = largest_public_community()
    topic = (
        Topic.objects.filter(community=community, hidden=False, closed=False)
        .order_by("-last_number", "pk")
        .first()
    )
    if topic is None:
        raise SystemExit(f"{community.title} has no open topic")

    emails = [f"fault-{i:03d}@{BENCH_DOMAIN}" for i in range(USERS)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    for email in emails:
        if email not in existing:
            user = User(email=email, first_name="Storing", last_name=email.split("@")[0])
            user.set_unusable_password()
            user.save()
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    User.objects.filter(pk__in=[u.pk for u in users]).update(is_active=True)
    long_ago = now - timedelta(days=365)
    for user in users:
        Membership.objects.update_or_create(
            community=community,
            user=user,
            defaults={"state": MembershipState.ACTIVE, "role": Role.MEMBER, "joined_at": long_ago},
        )
        for category in (Category.REPLIES, Category.EVENTS):
            Preference.objects.update_or_create(
                user=user, category=category, defaults={"frequency": Frequency.IMMEDIATE}
            )
    for i in POSTERS:
        Watch.objects.update_or_create(
            user=users[i], community=community, defaults={"level": WatchLevel.WATCHING}
        )
    for user in users[:2]:
        if not forum_permissions.can_post(user, topic):
            raise SystemExit(f"bench member {user.email} may not post in {topic.title!r}")
    # Earlier runs: their registrations go, their leftover mail is not ours to wait for.
    Registration.objects.filter(user__in=users).delete()
    Delivery.objects.filter(state=Delivery.State.PENDING, frequency=Frequency.IMMEDIATE).update(
        state=Delivery.State.SKIPPED
    )
    Happening.objects.filter(fanout_state=Happening.FanOut.PENDING).update(
        fanout_state=Happening.FanOut.DONE
    )

    occurrences = [
        o
        for o in open_occurrences(now, timedelta(days=1)).order_by("start", "pk")
        if event_permissions.can_register(users[0], o.event.specific)
    ]
    if len(occurrences) < 2:
        raise SystemExit("need two upcoming dates open for registration (seed_demo has them)")
    first = occurrences[0]
    second = next((o for o in occurrences if o.event_id != first.event_id), occurrences[1])

    def event_info(occurrence) -> dict:
        event = occurrence.event.specific
        path = _path(event)
        return {
            "path": path,
            "register": f"{path}aanmelden/",
            "occurrence": occurrence.pk,
            "event_id": event.pk,
            "title": event.title,
            "capacity": event.capacity,
        }

    topic_path = urlsplit(forum_services.topic_url(topic)).path
    last = forum_services.page_of(topic.last_number)
    agenda = AgendaIndexPage.objects.live().first()
    reads = [
        "/",
        _path(community),
        urlsplit(forum_services.forum_url(community)).path,
        f"{topic_path}?pagina={last}",
        *([_path(agenda)] if agenda else []),
        "/zoeken/?q=werk",
    ]
    return SimpleNamespace(
        community=community,
        users=users,
        topic={
            "id": topic.pk,
            "form": f"{topic_path}?pagina={last}",
            "action": f"{topic_path}reageren/",
        },
        event_a=event_info(first),
        event_b=event_info(second),
        reads=reads,
    )


# Checks -----------------------------------------------------------------------------


def happenings_between(started, ended):
    from via_platform.notifications.models import Happening

    return Happening.objects.filter(created_at__gte=started, created_at__lte=ended)


def mail_state(happenings, smtp: SmtpServer) -> dict:
    """Immediate deliveries of these happenings against the SMTP server's messages."""
    from via_platform.notifications.models import Delivery, Happening
    from via_platform.notifications.registry import Frequency

    deliveries = list(
        Delivery.objects.filter(
            happening__in=happenings, frequency=Frequency.IMMEDIATE
        ).values_list("pk", "state", "attempts")
    )
    counts = smtp.counter.count_by_id()
    # Message-IDs are "<delivery-<pk>@<host>>"; match on the prefix.
    by_pk: Counter = Counter()
    for message_id, n in counts.items():
        match = re.match(r"delivery-(\d+)@", message_id)
        if match:
            by_pk[int(match.group(1))] += n
    seen = {pk: by_pk.get(pk, 0) for pk, _, _ in deliveries}
    pending_fanout = happenings.exclude(fanout_state=Happening.FanOut.DONE).count()
    return {
        "deliveries": len(deliveries),
        "sent": sum(1 for _, state, _ in deliveries if state == Delivery.State.SENT),
        "unsent": [pk for pk, state, _ in deliveries if state != Delivery.State.SENT],
        "failed": sum(1 for _, state, _ in deliveries if state == Delivery.State.FAILED),
        "emails": sum(seen.values()),
        "missing": [pk for pk, n in seen.items() if n == 0],
        "duplicates": [pk for pk, n in seen.items() if n > 1],
        "max_attempts": max((a for _, _, a in deliveries), default=0),
        "happenings": happenings.count(),
        "pending_fanout": pending_fanout,
    }


def wait_for_mail(happenings, smtp: SmtpServer, timeout: float, grace: float = 3.0) -> dict:
    """Until every delivery is handled and every email arrived (or `timeout`), then a
    moment more, so a duplicate that is on its way is counted too."""
    from django.db import connection

    deadline = time.monotonic() + timeout
    state = mail_state(happenings, smtp)
    while time.monotonic() < deadline:
        state = mail_state(happenings, smtp)
        if not state["pending_fanout"] and not state["unsent"] and not state["missing"]:
            break
        time.sleep(1.0)
    time.sleep(grace)
    connection.close()
    return mail_state(happenings, smtp)


def mail_problems(state: dict) -> list[str]:
    problems = []
    if state["pending_fanout"]:
        problems.append(f"{state['pending_fanout']} happenings never fanned out")
    if state["unsent"]:
        problems.append(f"{len(state['unsent'])} deliveries not sent ({state['failed']} failed)")
    if state["missing"]:
        problems.append(f"{len(state['missing'])} emails missing")
    if state["duplicates"]:
        problems.append(f"{len(state['duplicates'])} emails delivered twice or more")
    return problems


class Sweeper(threading.Thread):
    """What celery beat does in production (notifications.sweep, every 120 s there),
    on a short clock; the broker may be down, then this simply tries again later."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.sent = self.refused = 0

    def run(self) -> None:
        from via_platform.notifications.tasks import sweep_task

        while not self.stop.wait(SWEEP_EVERY):
            try:
                sweep_task.apply_async(retry=False)
                self.sent += 1
            except Exception:  # noqa: BLE001 - the broker is down: next time
                self.refused += 1


class Totals:
    def __init__(self):
        self.requests = self.faults = self.lost = self.duplicates = 0


# Scenarios --------------------------------------------------------------------------


def scenario_redis_down(ctx) -> tuple[bool, str]:
    from django.db import connection
    from django.utils import timezone

    from via_platform.events.models import Registration
    from via_platform.forums.models import Post

    data, tally = ctx.data, Tally()
    stop = threading.Event()
    posted, refused, outcomes, lock = [], Counter(), {}, threading.Lock()
    started = timezone.now()

    def poster(i: int) -> None:
        client = Client(ctx.port, tally, ctx.session(i))
        stop.wait(random.uniform(0, 8))
        while not stop.is_set():
            marker = f"redis-{uuid.uuid4().hex[:16]}"
            result = post_reply(client, data.topic, marker)
            with lock:
                if result == "posted":
                    posted.append(marker)
                if result != "posted":
                    refused[result] += 1
            stop.wait(10.5)  # within the forum's 6 posts a minute
        client.close()

    registrants: queue.Queue = queue.Queue()
    for i in REDIS_REGISTRANTS:
        registrants.put(i)

    def registrant() -> None:
        while not stop.is_set():
            try:
                i = registrants.get_nowait()
            except queue.Empty:
                return
            client = Client(ctx.port, tally, ctx.session(i))
            answer = None
            while answer is None and not stop.is_set():
                answer = register_once(client, data.event_a)
            with lock:
                outcomes[data.users[i].pk] = answer
            client.close()
            stop.wait(1.2)

    def reader(n: int) -> None:
        client = Client(ctx.port, tally, ctx.session(n) if n % 2 else None)
        while not stop.is_set():
            client.get(random.choice(data.reads))
            stop.wait(0.05)
        client.close()

    threads = [threading.Thread(target=poster, args=(i,)) for i in POSTERS]
    threads += [threading.Thread(target=registrant) for _ in range(2)]
    threads += [threading.Thread(target=reader, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    outage_tally = None
    try:
        time.sleep(8)
        before = tally.requests, tally.fives()
        say("redis_down: killing redis-server for 20 s")
        ctx.redis.kill()
        ctx.totals.faults += 1
        time.sleep(20)
        during = tally.requests - before[0], tally.fives() - before[1]
        ctx.redis.start()
        back = time.monotonic()
        say("redis_down: redis-server is back (empty)")
        outage_tally = during
        time.sleep(12)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    ended = timezone.now()
    say(f"redis_down: {len(posted)} replies posted; waiting for their emails")
    state = wait_for_mail(happenings_between(started, ended), ctx.smtp, timeout=150)
    recovered = time.monotonic() - back

    in_db = set(
        Post.objects.filter(topic_id=data.topic["id"], body__contains="Storingstest redis-")
        .filter(created_at__gte=started)
        .values_list("body", flat=True)
    )
    in_db = {body.split()[-1] for body in in_db}
    lost_posts = [m for m in posted if m not in in_db]
    ghost_posts = [m for m in in_db if m not in set(posted)]
    states = dict(
        Registration.objects.filter(
            occurrence_id=data.event_a["occurrence"], user_id__in=list(outcomes)
        ).values_list("user_id", "state")
    )
    mismatched = [uid for uid, answer in outcomes.items() if not matches(answer, states.get(uid))]
    unanswered = sum(1 for answer in outcomes.values() if answer is None)
    connection.close()

    ctx.totals.requests += tally.requests
    ctx.totals.lost += len(lost_posts) + len(state["missing"]) + len(mismatched)
    ctx.totals.duplicates += len(state["duplicates"])
    problems = mail_problems(state)
    if tally.fives():
        problems.append(f"{tally.fives()} responses ≥ 500: {tally.server_errors[:5]}")
    if lost_posts or ghost_posts:
        problems.append(
            f"posts lost {len(lost_posts)}, posts nobody was told of {len(ghost_posts)}"
        )
    if mismatched or unanswered:
        problems.append(f"registrations: {len(mismatched)} differ from what clients were told")
    if not posted or not outcomes:
        problems.append("no reply or registration went through at all")
    if outage_tally is None or outage_tally[0] == 0:
        problems.append("no request was made during the outage")
    answers = Counter(outcomes.values())
    figures = (
        f"{tally.requests} requests ({outage_tally[0] if outage_tally else 0} during the "
        f"20 s outage, {tally.fives()} ≥ 500, statuses {dict(sorted(tally.statuses.items()))}); "
        f"{len(posted)} replies posted, {sum(refused.values())} refused {dict(refused)}; "
        f"{len(outcomes)} registrations (answers {dict(answers)}), all as in the database: "
        f"{not mismatched}; {state['happenings']} happenings, {state['emails']} emails for "
        f"{state['deliveries']} deliveries, {len(state['missing'])} missing, "
        f"{len(state['duplicates'])} duplicates; all delivered {recovered:.0f} s after Redis "
        f"returned; the worker exited {len(ctx.worker.exits)} time(s) on its own and was "
        f"restarted {ctx.worker.exits[:1]}, {ctx.worker.hung} time(s) it hung and was killed"
    )
    return not problems, figures if not problems else "; ".join(problems) + " — " + figures


def scenario_worker_killed(ctx) -> tuple[bool, str]:
    from django.db import connection
    from django.utils import timezone

    from via_platform.forums import services as forum_services
    from via_platform.forums.models import Post
    from via_platform.notifications.services import notify

    data = ctx.data
    post = Post.objects.filter(topic_id=data.topic["id"]).order_by("-pk").first()
    started = timezone.now()
    ctx.smtp.counter.delay = 0.03
    before = sum(ctx.smtp.counter.count_by_id().values())
    happening = notify(
        forum_services.NEW_POST,
        target=post,
        title=f"Storingstest worker {uuid.uuid4().hex[:8]}",
        url=forum_services.topic_url(post.topic),
        audience=[u.pk for u in data.users],
    )
    happenings = happenings_between(started, timezone.now()).filter(pk=happening.pk)
    deadline = time.monotonic() + 60
    arrived = 0
    while time.monotonic() < deadline:
        arrived = sum(ctx.smtp.counter.count_by_id().values()) - before
        if arrived >= 60:
            break
        time.sleep(0.02)
    say(f"worker_killed: {arrived} emails arrived; SIGKILL to the worker's process group")
    ctx.worker.kill()
    ctx.totals.faults += 1
    with ctx.smtp.counter.lock:
        before_kill = {message_id for message_id, _ in ctx.smtp.counter.messages}
    at_kill = sum(ctx.smtp.counter.count_by_id().values()) - before
    time.sleep(2)
    ctx.worker.start()
    state = wait_for_mail(happenings, ctx.smtp, timeout=120)
    ctx.smtp.counter.delay = 0.0
    connection.close()
    ctx.totals.lost += len(state["missing"])
    ctx.totals.duplicates += len(state["duplicates"])
    problems = mail_problems(state)
    if state["duplicates"]:
        # Accepted by SMTP before the kill, yet sent again: the worker died after the
        # server took the message and before the database recorded it as sent.
        early = sum(
            1
            for message_id in before_kill
            if (match := re.match(r"delivery-(\d+)@", message_id))
            and int(match.group(1)) in state["duplicates"]
        )
        problems.append(
            f"{early} of them SMTP had accepted before the kill, while their 'sent' was not "
            "committed yet (at-least-once window); each copy has the same Message-ID"
        )
    if arrived < 60 or at_kill >= state["deliveries"]:
        problems.append(f"the kill did not come mid-way ({at_kill} of {state['deliveries']})")
    figures = (
        f"{state['deliveries']} emails queued, worker killed after {at_kill} had arrived; "
        f"{state['emails']} arrived in all, {len(state['missing'])} missing, "
        f"{len(state['duplicates'])} duplicates"
    )
    return not problems, figures if not problems else "; ".join(problems) + " — " + figures


def retry_schedule() -> tuple[int, int, float]:
    """(max attempts, seconds from the first failure to giving up, base) with the
    production settings of this process."""
    from via_platform.notifications import services

    attempts = services._setting("MAX_ATTEMPTS", getattr(services, "MAX_ATTEMPTS", 6))
    span = sum(services.retry_delay(n) for n in range(1, attempts))
    return attempts, span, services._setting("RETRY_BASE_SECONDS", 30)


def scenario_smtp_down(ctx) -> tuple[bool, str]:
    from django.db import connection
    from django.utils import timezone

    from via_platform.forums.models import Post

    attempts, span, base = retry_schedule()
    data, tally = ctx.data, Tally()
    started = timezone.now()
    ctx.smtp.stop()
    ctx.totals.faults += 1
    down_at = time.monotonic()
    say("smtp_down: SMTP server stopped; posting replies")
    posted = []
    for i in SMTP_POSTERS:
        client = Client(ctx.port, tally, ctx.session(i))
        marker = f"smtp-{uuid.uuid4().hex[:16]}"
        if post_reply(client, data.topic, marker) == "posted":
            posted.append(marker)
        client.close()
    happenings = happenings_between(started, timezone.now() + timedelta(seconds=1))
    # Down long enough that every delivery failed and was retried.
    from via_platform.notifications.models import Delivery

    while time.monotonic() - down_at < 20:
        time.sleep(1)
    failed_once = Delivery.objects.filter(happening__in=happenings, attempts__gte=1).count()
    retried = Delivery.objects.filter(happening__in=happenings, attempts__gte=2).count()
    ctx.smtp.start()
    say(f"smtp_down: SMTP back after {time.monotonic() - down_at:.0f} s")
    state = wait_for_mail(happenings, ctx.smtp, timeout=120)
    in_db = Post.objects.filter(
        topic_id=data.topic["id"], body__contains="Storingstest smtp-", created_at__gte=started
    ).count()
    connection.close()
    ctx.totals.requests += tally.requests
    ctx.totals.lost += len(state["missing"]) + max(0, len(posted) - in_db)
    ctx.totals.duplicates += len(state["duplicates"])
    problems = mail_problems(state)
    if span < 3600:
        problems.append(
            f"the production retry schedule gives up after {span / 60:.0f} min "
            f"({attempts} attempts, base {base} s): an hour of SMTP outage loses mail"
        )
    if len(posted) != len(SMTP_POSTERS) or in_db != len(posted):
        problems.append(f"{len(posted)} of {len(SMTP_POSTERS)} replies posted, {in_db} in the db")
    if not state["deliveries"] or failed_once < state["deliveries"] or not retried:
        problems.append(
            f"the outage was not felt: {failed_once} of {state['deliveries']} deliveries failed"
        )
    figures = (
        f"{len(posted)} replies → {state['deliveries']} emails; all failed at least once "
        f"({retried} retried while SMTP was down, up to {state['max_attempts']} attempts); "
        f"{state['emails']} arrived after SMTP returned, {len(state['missing'])} missing, "
        f"{len(state['duplicates'])} duplicates; production schedule: {attempts} attempts "
        f"over {span / 3600:.1f} h (base {base} s)"
    )
    return not problems, figures if not problems else "; ".join(problems) + " — " + figures


def scenario_web_restart(ctx) -> tuple[bool, str]:
    from django.db import connection

    from via_platform.events.models import EventPage, Registration, RegistrationState

    data, tally, event = ctx.data, Tally(), ctx.data.event_b
    # Earlier registrations (and a waitlist, which a larger capacity promotes first)
    # keep theirs; CAPACITY places are left for the burst.
    taken = Registration.objects.filter(
        occurrence_id=event["occurrence"],
        state__in=[RegistrationState.REGISTERED, RegistrationState.WAITLISTED],
    ).count()
    capacity = taken + CAPACITY
    EventPage.objects.filter(pk=event["event_id"]).update(capacity=capacity)
    ctx.cleanup.callback(
        lambda: EventPage.objects.filter(pk=event["event_id"]).update(capacity=event["capacity"])
    )
    connection.close()
    todo: queue.Queue = queue.Queue()
    for i in BURST:
        todo.put(i)
    told, retries, lock = {}, Counter(), threading.Lock()
    asked = [0]
    deadline = time.monotonic() + 120

    def client_loop() -> None:
        while True:
            try:
                i = todo.get_nowait()
            except queue.Empty:
                return
            client = Client(ctx.port, tally, ctx.session(i))
            answer = None
            while answer is None and time.monotonic() < deadline:
                with lock:
                    asked[0] += 1
                answer = register_once(client, event)
                if answer is None:
                    with lock:
                        retries[i] += 1
                    time.sleep(0.3)
            with lock:
                told[data.users[i].pk] = answer
            client.close()

    threads = [threading.Thread(target=client_loop) for _ in range(24)]
    for thread in threads:
        thread.start()
    while asked[0] < len(BURST) // 3 and any(t.is_alive() for t in threads):
        time.sleep(0.01)
    say(f"web_restart_registration: {asked[0]} attempts begun; SIGKILL to gunicorn")
    downtime = ctx.platform.crash_and_restart()
    ctx.totals.faults += 1
    for thread in threads:
        thread.join(150)

    states = dict(
        Registration.objects.filter(
            occurrence_id=event["occurrence"], user_id__in=[data.users[i].pk for i in BURST]
        ).values_list("user_id", "state")
    )
    registered = Registration.objects.filter(
        occurrence_id=event["occurrence"], state=RegistrationState.REGISTERED
    ).count()
    connection.close()
    expect = {"ok": RegistrationState.REGISTERED, "warning": RegistrationState.WAITLISTED}
    unanswered = [uid for uid, answer in told.items() if answer not in expect]
    mismatched = [uid for uid, answer in told.items() if not matches(answer, states.get(uid))]
    believed = sum(1 for answer in told.values() if answer == "ok")
    ctx.totals.requests += tally.requests
    ctx.totals.lost += len(mismatched)
    problems = []
    if registered > capacity:
        problems.append(f"{registered} registered for {capacity} places")
    if registered < capacity:
        problems.append(f"only {registered} of {capacity} places used though more asked")
    if believed != CAPACITY:
        problems.append(f"{believed} clients were told 'registered' for {CAPACITY} places")
    if unanswered or len(told) != len(BURST):
        problems.append(f"{len(unanswered) + len(BURST) - len(told)} clients got no answer")
    if mismatched:
        problems.append(f"{len(mismatched)} clients were told something else than the database")
    if tally.fives():
        problems.append(f"{tally.fives()} responses ≥ 500: {tally.server_errors[:5]}")
    if not sum(retries.values()):
        problems.append("the restart did not interrupt anyone (no retries)")
    figures = (
        f"{len(BURST)} members for {CAPACITY} places ({capacity} with the {taken} earlier "
        "registrations); "
        f"gunicorn killed and back in {downtime:.1f} s; {sum(retries.values())} attempts "
        f"retried after no answer; {registered} registered (≤ {capacity}), {believed} clients "
        f"told 'registered', {sum(1 for a in told.values() if a == 'warning')} 'waitlist'; "
        f"mismatches {len(mismatched)}; {tally.requests} requests, statuses "
        f"{dict(sorted(tally.statuses.items()))}"
    )
    return not problems, figures if not problems else "; ".join(problems) + " — " + figures


SCENARIOS = {
    "redis_down": scenario_redis_down,
    "worker_killed": scenario_worker_killed,
    "smtp_down": scenario_smtp_down,
    "web_restart_registration": scenario_web_restart,
}


# The run ----------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    if urlsplit(os.environ.get("DATABASE_URL", "")).scheme not in POSTGRES_SCHEMES:
        raise SystemExit("DATABASE_URL must name a PostgreSQL database (postgres://…).")
    chosen = args.only or list(SCENARIOS)
    with contextlib.ExitStack() as cleanup:
        folder = Path(tempfile.mkdtemp(prefix="via-faults-"))
        results: dict[str, bool] = {}
        # The logs stay when something failed.
        cleanup.callback(
            lambda: all(results.values()) and shutil.rmtree(folder, ignore_errors=True)
        )
        redis = RedisServer(folder)
        redis.start()
        cleanup.callback(redis.kill)
        smtp = SmtpServer()
        smtp.start()
        cleanup.callback(smtp.stop)

        static_root = args.static_root or folder / "static"
        env = production_env(secrets.token_urlsafe(64), static_root)
        env.update(
            REDIS_URL=redis.url,
            EMAIL_URL=f"smtp://{HOST}:{smtp.port}",
            CACHE_KEY_PREFIX="faults",
        )
        env.pop("CELERY_BROKER_URL", None)
        os.environ.update(env)
        for name in ("DJANGO_SECURE_SSL_REDIRECT", "CELERY_TASK_ALWAYS_EAGER", "DJANGO_DEBUG"):
            os.environ.pop(name, None)
            env.pop(name, None)
        if not (static_root / "staticfiles.json").exists():
            say(f"collectstatic into {static_root}")
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=ROOT, env=env, check=True,
            )  # fmt: skip

        import django

        django.setup()
        from django.conf import settings
        from django.db import connections

        if settings.DEBUG or not settings.SECURE_SSL_REDIRECT:
            raise RuntimeError("not in production mode")
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd, every command
        data = prepare_data()
        sessions = login_sessions([u.pk for u in data.users])
        cleanup.callback(lambda: (end_sessions(sessions.values()), connections.close_all()))
        connections.close_all()
        cookie = settings.SESSION_COOKIE_NAME

        platform = Platform(env, folder)
        say(f"starting gunicorn on port {platform.port}, redis on {redis.port}, "
            f"SMTP on {smtp.port}")  # fmt: skip
        platform.start()
        cleanup.callback(platform.stop)
        worker = Worker(
            {**env, **WORKER_ENV, "DJANGO_SETTINGS_MODULE": "bench.faults_settings"}, folder
        )
        worker.start()
        cleanup.callback(worker.stop)
        sweeper = Sweeper()
        sweeper.start()
        cleanup.callback(sweeper.stop.set)

        ctx = SimpleNamespace(
            data=data,
            port=platform.port,
            platform=platform,
            redis=redis,
            smtp=smtp,
            worker=worker,
            totals=Totals(),
            cleanup=cleanup,
            session=lambda i: (cookie, sessions[data.users[i].pk]),
        )
        for name in chosen:
            began = time.monotonic()
            say(f"{name} …")
            try:
                passed, text = SCENARIOS[name](ctx)
            except Exception as exc:  # noqa: BLE001 - the scenario broke: a FAIL, go on
                traceback.print_exc()
                passed, text = False, f"the scenario broke: {exc.__class__.__name__}: {exc}"
            results[name] = passed
            took = time.monotonic() - began
            print(f"{'PASS' if passed else 'FAIL'} {name}: {text} [{took:.0f} s]", flush=True)
            connections.close_all()
        totals = ctx.totals
        print(
            f"totals: {totals.requests} requests served, {totals.faults} faults injected, "
            f"{totals.lost} items lost, {totals.duplicates} duplicates; "
            f"{'all passed' if all(results.values()) else 'FAILED'}",
            flush=True,
        )
        if not all(results.values()):
            print(f"logs: {folder}")
        return 0 if all(results.values()) else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.faults",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--only", action="append", choices=list(SCENARIOS))
    parser.add_argument("--static-root", type=Path, help="reuse collected static files here")
    args = parser.parse_args(argv)
    return run_main(run, args)


if __name__ == "__main__":
    sys.exit(main())
