"""Load test: many logged-in members reading and writing at once, for minutes on end.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python -m bench.load \\
      [--users 200] [--minutes 10] [--workers 2] [--threads 4] [--static-root DIR]

The database must hold the demo content (`manage.py seed_demo`) or generated data. What
runs, all on loopback and stopped at the end by process id: a private redis-server,
an SMTP server that accepts everything (in this process), gunicorn with the production
settings (bench/settings.py, DJANGO_ENV=production; gthread workers) and a Celery
worker that sends the notification emails the writes cause.

The load comes from a separate process (`python -m bench.load --client`, standard
library only). Each simulated member is a thread with its own session (made with
Django's SessionStore, as logging in makes it) and a think time of 2–6 s between
actions: mostly reading (community home, forum, topics, agenda, events, search, the
kennisbank, notifications), sometimes replying in a topic of the community (at most
one post per 20 s per member, within the forum's limit) or registering for an
upcoming event date. Each client keeps what it was told: the replies that were
accepted (a unique marker in each) and its registrations (registered or waitlisted,
from the message on the page after the POST).

Afterwards: zero 5xx responses; every reply a client saw accepted is in the database
and no other; every registration is in the state the client was told. The resident
memory of the web processes (gunicorn master and workers) and of the worker (main and
pool processes) is sampled every 30 s; growth from the sample at minute 2 (a third of
the run when shorter than six minutes) to the end must stay under 20 %.

Prints the figures and PASS or FAIL; exit status 1 on FAIL, 2 when the run broke.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from urllib.parse import urlencode, urlsplit

from bench._load import Browser, Connection, csrf_token, multipart, percentile

HOST = "127.0.0.1"
LOAD_DOMAIN = "load.bench.invalid"
MEMORY_GROWTH_LIMIT = 0.20
SAMPLE_EVERY = 30.0
POST_GAP = 20.0  # seconds between two replies of one member (the forum allows 6 a minute)
ALERT_RE = re.compile(rb"utrecht-alert--(ok|warning|error)")
WORDS = ["werk", "jobcoach", "begeleiding", "werkgever", "gemeente", "statushouders", "zorg"]


# The load process (standard library only) --------------------------------------------


class Figures:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter = Counter()
        self.server_errors: list[str] = []
        self.posted: list[str] = []
        self.rejected: Counter = Counter()
        self.registrations: dict[str, str] = {}  # "user_index:occurrence" → ok/warning/error

    def add(self, kind: str, method: str, path: str, status: int, ms: float) -> None:
        with self.lock:
            self.latencies[kind].append(ms)
            self.statuses[status] += 1
            if status >= 500 or status == 0:
                self.server_errors.append(f"{method} {path} → {status}")


class Member(threading.Thread):
    def __init__(self, index: int, plan: dict, figures: Figures, deadline: float):
        super().__init__(daemon=True)
        self.index, self.plan, self.figures, self.deadline = index, plan, figures, deadline
        self.random = random.Random(index)
        self.browser = Browser(plan["members"][index]["cookies"])
        self.conn = Connection(HOST, plan["port"], plan["headers"])
        self.origin = f"https://{HOST}:{plan['port']}"
        self.occurrences = list(plan["events"])
        self.random.shuffle(self.occurrences)
        self.last_post = time.monotonic() - self.random.uniform(0, POST_GAP)

    def request(self, kind: str, method: str, path: str, **kwargs):
        status, response, data, ms, _end = self.conn.request(method, path, self.browser, **kwargs)
        self.figures.add(kind, method, path, status, ms)
        return status, response, data

    def post(self, kind: str, path: str, referer: str, body: bytes, content_type: str):
        headers = {
            "Content-Type": content_type,
            "Origin": self.origin,
            "Referer": f"{self.origin}{referer}",
        }
        return self.request(kind, "POST", path, body=body, headers=headers)

    def read(self) -> None:
        path = self.random.choice(self.plan["reads"])
        if "{word}" in path:
            path = path.replace("{word}", self.random.choice(WORDS))
        self.request("read", "GET", path)

    def reply(self) -> None:
        topic = self.random.choice(self.plan["topics"])
        status, _response, data = self.request("read", "GET", topic["form"])
        token = csrf_token(data) if status == 200 else None
        if token is None:
            return
        marker = f"load-{uuid.uuid4().hex[:16]}"
        body, content_type = multipart(
            {"csrfmiddlewaretoken": token, "reply_to": "", "body": f"Lasttest {marker}"}
        )
        status, _response, _data = self.post(
            "reply", topic["action"], topic["form"], body, content_type
        )
        self.last_post = time.monotonic()
        with self.figures.lock:
            if status == 302:
                self.figures.posted.append(marker)
            else:
                self.figures.rejected[f"reply {status}"] += 1

    def register(self) -> None:
        event = self.occurrences.pop()
        status, _response, data = self.request("read", "GET", event["path"])
        token = csrf_token(data) if status == 200 else None
        if token is None:
            return
        form = urlencode({"csrfmiddlewaretoken": token, "occurrence": event["occurrence"]})
        status, response, _data = self.post(
            "register", event["register"], event["path"], form.encode(),
            "application/x-www-form-urlencoded",
        )  # fmt: skip
        key = f"{self.index}:{event['occurrence']}"
        if status != 302:
            with self.figures.lock:
                self.figures.rejected[f"registration {status}"] += 1
                self.figures.registrations[key] = "unknown"
            return
        location = urlsplit(response.getheader("Location") or event["path"]).path
        status, _response, data = self.request("read", "GET", location)
        start = data.find(b"site-messages")
        match = ALERT_RE.search(data, start, start + 3000) if start >= 0 else None
        with self.figures.lock:
            self.figures.registrations[key] = match.group(1).decode() if match else "unknown"

    def run(self) -> None:
        time.sleep(self.random.uniform(0, 4))  # not all at once
        while time.monotonic() < self.deadline:
            roll = self.random.random()
            if roll < 0.12 and time.monotonic() - self.last_post > POST_GAP:
                self.reply()
            elif roll < 0.18 and self.occurrences:
                self.register()
            else:
                self.read()
            time.sleep(self.random.uniform(2, 6))
        self.conn.close()


def client_main() -> int:
    plan = json.load(sys.stdin)
    figures = Figures()
    started = time.monotonic()
    deadline = started + plan["seconds"]
    members = [Member(i, plan, figures, deadline) for i in range(len(plan["members"]))]
    for member in members:
        member.start()
    for member in members:
        member.join(plan["seconds"] + 120)
    seconds = time.monotonic() - started
    every = sorted(ms for values in figures.latencies.values() for ms in values)
    kinds = {
        kind: {
            "requests": len(values),
            "p50": percentile(sorted(values), 0.5),
            "p95": percentile(sorted(values), 0.95),
        }
        for kind, values in figures.latencies.items()
    }
    json.dump(
        {
            "seconds": seconds,
            "requests": len(every),
            "p50": percentile(every, 0.5),
            "p95": percentile(every, 0.95),
            "p99": percentile(every, 0.99),
            "kinds": kinds,
            "statuses": {str(k): v for k, v in sorted(figures.statuses.items())},
            "server_errors": figures.server_errors[:20],
            "server_error_count": len(figures.server_errors),
            "posted": figures.posted,
            "rejected": dict(figures.rejected),
            "registrations": figures.registrations,
            "alive": sum(1 for m in members if m.is_alive()),
        },
        sys.stdout,
    )
    return 0


# The driver --------------------------------------------------------------------------


def process_group_rss(pid: int) -> int:
    """Resident memory (bytes) of every process in the process group `pid` leads."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            if int(fields[2]) != pid:  # field 5, pgrp, after the name
                continue
            with open(f"/proc/{entry}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except (OSError, IndexError, ValueError):
            continue
    return total


def prepare(users: int) -> dict:
    """Load members in the largest public community; its open topics; dates to
    register for; the pages to read."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils import timezone

    from bench.faults import _path, largest_public_community
    from bench.production import open_occurrences
    from via_platform.communities.models import (
        Membership,
        MembershipState,
        Role,
    )
    from via_platform.events import permissions as event_permissions
    from via_platform.events.models import AgendaIndexPage, Registration
    from via_platform.forums import services as forum_services
    from via_platform.forums.models import Topic
    from via_platform.library.models import LibraryIndexPage

    User = get_user_model()  # noqa: N806
    now = timezone.now()
    community = largest_public_community()
    emails = [f"load-{i:04d}@{LOAD_DOMAIN}" for i in range(users)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    new = []
    for email in emails:
        if email not in existing:
            user = User(email=email, first_name="Last", last_name=email.split("@")[0])
            user.set_unusable_password()
            new.append(user)
    User.objects.bulk_create(new, batch_size=500)
    members = list(User.objects.filter(email__in=emails).order_by("email"))
    long_ago = now - timedelta(days=365)
    have = set(
        Membership.objects.filter(community=community, user__in=members).values_list(
            "user_id", flat=True
        )
    )
    Membership.objects.bulk_create(
        [
            Membership(
                community=community,
                user=user,
                state=MembershipState.ACTIVE,
                role=Role.MEMBER,
                joined_at=long_ago,
            )
            for user in members
            if user.pk not in have
        ]
    )
    Membership.objects.filter(community=community, user__in=members).update(
        state=MembershipState.ACTIVE, joined_at=long_ago
    )
    Registration.objects.filter(user__in=members).delete()

    topics = []
    for topic in Topic.objects.filter(community=community, hidden=False, closed=False).order_by(
        "-last_number", "pk"
    )[:5]:
        path = urlsplit(forum_services.topic_url(topic)).path
        last = forum_services.page_of(topic.last_number)
        topics.append(
            {"id": topic.pk, "form": f"{path}?pagina={last}", "action": f"{path}reageren/"}
        )
    if not topics:
        raise SystemExit(f"{community.title} has no open topic")
    events = []
    for occurrence in open_occurrences(now, timedelta(days=1)).order_by("start", "pk")[:40]:
        event = occurrence.event.specific
        if event_permissions.can_register(members[0], event):
            path = _path(event)
            events.append(
                {"path": path, "register": f"{path}aanmelden/", "occurrence": occurrence.pk}
            )
    reads = [
        _path(community),
        urlsplit(forum_services.forum_url(community)).path,
        *[topic["form"] for topic in topics],
        *[urlsplit(forum_services.topic_url(t)).path for t in Topic.objects.filter(
            community=community, hidden=False).order_by("-pk")[:10]],
        *[event["path"] for event in events[:5]],
        f"{reverse('search')}?q={{word}}",
        reverse("notifications:index"),
    ]  # fmt: skip
    agenda = AgendaIndexPage.objects.live().first()
    if agenda is not None:
        reads.append(_path(agenda))
    library = LibraryIndexPage.objects.live().first()
    if library is not None:
        reads += [_path(library), f"{_path(library)}?q={{word}}"]
    return {
        "community": community,
        "members": members,
        "topics": topics,
        "events": events,
        "reads": reads,
    }


def check_writes(data: dict, result: dict, started) -> dict:
    from via_platform.events.models import Registration, RegistrationState
    from via_platform.forums.models import Post

    bodies = Post.objects.filter(
        topic_id__in=[t["id"] for t in data["topics"]],
        created_at__gte=started,
        body__startswith="Lasttest load-",
    ).values_list("body", flat=True)
    in_db = Counter(body.split()[-1] for body in bodies)
    believed = set(result["posted"])
    lost_posts = [m for m in believed if in_db.get(m, 0) == 0]
    extra_posts = [m for m in in_db if m not in believed] + [m for m, n in in_db.items() if n > 1]
    members = data["members"]
    states = {
        (user_id, occurrence_id): state
        for user_id, occurrence_id, state in Registration.objects.filter(
            user__in=members
        ).values_list("user_id", "occurrence_id", "state")
    }
    expected = {"ok": RegistrationState.REGISTERED, "warning": RegistrationState.WAITLISTED}
    told = {}
    for key, answer in result["registrations"].items():
        index, occurrence = key.split(":")
        told[(members[int(index)].pk, int(occurrence))] = answer
    mismatched = [
        key
        for key, answer in told.items()
        if (states.get(key) != expected[answer] if answer in expected else False)
    ]
    active = {RegistrationState.REGISTERED, RegistrationState.WAITLISTED}
    unknown_to_clients = [
        key for key, state in states.items() if state in active and told.get(key) not in expected
    ]
    return {
        "posts_believed": len(believed),
        "posts_in_db": sum(in_db.values()),
        "lost_posts": len(lost_posts),
        "extra_posts": len(extra_posts),
        "registrations_believed": sum(1 for a in told.values() if a in expected),
        "registrations_in_db": sum(1 for s in states.values() if s in active),
        "registrations_mismatched": len(mismatched),
        "registrations_unknown": len(unknown_to_clients),
        "told": dict(Counter(told.values())),
    }


def memory_verdict(samples: list[tuple[float, int, int]], seconds: float) -> tuple[bool, str]:
    """Growth of web and worker memory from the baseline sample to the last one."""
    if len(samples) < 2:
        return False, "fewer than two memory samples"
    baseline_at = 120.0 if seconds >= 360 else seconds / 3
    base = min(samples, key=lambda s: abs(s[0] - baseline_at))
    last = samples[-1]
    lines, ok = [], True
    for name, i in (("web", 1), ("worker", 2)):
        growth = (last[i] - base[i]) / base[i] if base[i] else float("inf")
        ok = ok and growth < MEMORY_GROWTH_LIMIT
        lines.append(
            f"{name} RSS {samples[0][i] / 2**20:.0f} MiB at start, {base[i] / 2**20:.0f} MiB at "
            f"{base[0]:.0f} s, {last[i] / 2**20:.0f} MiB at the end ({growth:+.1%})"
        )
    return ok, "; ".join(lines)


def run(args: argparse.Namespace) -> int:
    import contextlib
    import secrets
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    from bench.faults import ROOT, RedisServer, SmtpServer, Worker
    from bench.production import (
        FORWARDED,
        POSTGRES_SCHEMES,
        Gunicorn,
        end_sessions,
        login_sessions,
        production_env,
    )

    if urlsplit(os.environ.get("DATABASE_URL", "")).scheme not in POSTGRES_SCHEMES:
        raise SystemExit("DATABASE_URL must name a PostgreSQL database (postgres://…).")
    with contextlib.ExitStack() as cleanup:
        folder = Path(tempfile.mkdtemp(prefix="via-load-"))
        passed: list[bool] = []
        cleanup.callback(lambda: all(passed) and shutil.rmtree(folder, ignore_errors=True))
        redis = RedisServer(folder)
        redis.start()
        cleanup.callback(redis.kill)
        smtp = SmtpServer()
        smtp.start()
        cleanup.callback(smtp.stop)
        static_root = args.static_root or folder / "static"
        env = production_env(secrets.token_urlsafe(64), static_root)
        env.update(REDIS_URL=redis.url, EMAIL_URL=f"smtp://{HOST}:{smtp.port}")
        env.pop("CELERY_BROKER_URL", None)
        for name in ("DJANGO_SECURE_SSL_REDIRECT", "CELERY_TASK_ALWAYS_EAGER", "DJANGO_DEBUG"):
            env.pop(name, None)
            os.environ.pop(name, None)
        os.environ.update(env)
        if not (static_root / "staticfiles.json").exists():
            print(f"collectstatic into {static_root} …", file=sys.stderr, flush=True)
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=ROOT, env=env, check=True,
            )  # fmt: skip

        import logging

        import django

        django.setup()
        from django.conf import settings
        from django.db import connections
        from django.utils import timezone

        logging.getLogger("mail.log").setLevel(logging.WARNING)
        if settings.DEBUG or not settings.SECURE_SSL_REDIRECT:
            raise RuntimeError("not in production mode")
        data = prepare(args.users)
        sessions = login_sessions([u.pk for u in data["members"]])
        cleanup.callback(lambda: (end_sessions(sessions.values()), connections.close_all()))
        connections.close_all()

        server_args = argparse.Namespace(
            workers=args.workers, worker_class="gthread", threads=args.threads
        )
        server = Gunicorn("platform", "via_platform.wsgi:application", server_args, env, folder)
        cleanup.callback(server.stop)
        print(f"starting gunicorn on port {server.port} …", file=sys.stderr, flush=True)
        server.start()
        server.wait_ready("/healthz")
        worker = Worker(env, folder)
        worker.start()
        cleanup.callback(worker.stop)

        cookie = settings.SESSION_COOKIE_NAME
        seconds = args.minutes * 60
        plan = {
            "port": server.port,
            "headers": FORWARDED,
            "seconds": seconds,
            "members": [{"cookies": {cookie: sessions[u.pk]}} for u in data["members"]],
            "topics": data["topics"],
            "events": data["events"],
            "reads": data["reads"],
        }
        started = timezone.now()
        print(
            f"{args.users} members for {args.minutes:g} min against {args.workers} gthread "
            f"workers × {args.threads} threads …",
            file=sys.stderr,
            flush=True,
        )
        client = subprocess.Popen(  # noqa: S603 - this module, fixed arguments
            [sys.executable, "-m", "bench.load", "--client"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        )
        client.stdin.write(json.dumps(plan))
        client.stdin.close()
        samples: list[tuple[float, int, int]] = []
        began = time.monotonic()
        output: list[str] = []
        reader = threading.Thread(target=lambda: output.append(client.stdout.read()), daemon=True)
        reader.start()
        next_sample = 0.0
        while client.poll() is None:
            elapsed = time.monotonic() - began
            if elapsed >= next_sample and elapsed <= seconds + 5:
                sample = (
                    elapsed,
                    process_group_rss(server.process.pid),
                    process_group_rss(worker.process.pid),
                )
                samples.append(sample)
                print(
                    f"  {elapsed:5.0f} s  web {sample[1] / 2**20:.0f} MiB, worker "
                    f"{sample[2] / 2**20:.0f} MiB",
                    file=sys.stderr,
                    flush=True,
                )
                next_sample += SAMPLE_EVERY
            time.sleep(0.5)
        reader.join(30)
        if client.returncode != 0 or not output:
            raise RuntimeError(f"the load process failed (exit status {client.returncode})")
        result = json.loads(output[0])
        writes = check_writes(data, result, started)
        connections.close_all()
        memory_ok, memory = memory_verdict(samples, seconds)

        fives = sum(n for code, n in result["statuses"].items() if int(code) >= 500)
        no_answer = result["statuses"].get("0", 0)
        lost = (
            writes["lost_posts"]
            + writes["extra_posts"]
            + writes["registrations_mismatched"]
            + writes["registrations_unknown"]
        )
        kinds = ", ".join(
            f"{kind} {v['requests']} (p50 {v['p50']:.0f} / p95 {v['p95']:.0f} ms)"
            for kind, v in sorted(result["kinds"].items())
        )
        print()
        print(
            f"load: {args.users} members, {args.minutes:g} min, think time 2–6 s; gunicorn "
            f"{args.workers} gthread workers × {args.threads} threads, 1 Celery worker (2 "
            "processes); PostgreSQL, private Redis, loopback"
        )
        print(
            f"requests: {result['requests']} in {result['seconds']:.0f} s = "
            f"{result['requests'] / result['seconds']:.1f} req/s; p50 {result['p50']:.0f} ms, "
            f"p95 {result['p95']:.0f} ms, p99 {result['p99']:.0f} ms"
        )
        print(f"by kind: {kinds}")
        print(f"statuses: {result['statuses']}; 5xx: {fives}; no answer: {no_answer}")
        if result["server_errors"]:
            print(f"  first failures: {result['server_errors'][:5]}")
        print(
            f"replies: {writes['posts_believed']} accepted as the clients saw it, "
            f"{writes['posts_in_db']} in the database, lost {writes['lost_posts']}, "
            f"unexpected {writes['extra_posts']}; refused {result['rejected'] or 0}"
        )
        print(
            f"registrations: {writes['registrations_believed']} the clients were told of "
            f"({writes['told']}), {writes['registrations_in_db']} in the database, "
            f"{writes['registrations_mismatched']} differ, {writes['registrations_unknown']} "
            "unknown to the clients"
        )
        print(f"memory: {memory}")
        print(f"emails sent by the worker: {sum(smtp.counter.count_by_id().values())}")
        checks = {
            "zero 5xx and every request answered": fives == 0 and no_answer == 0,
            "no lost or unexpected posts and registrations": lost == 0,
            "some writes happened": writes["posts_believed"] > 0
            and writes["registrations_believed"] > 0,
            f"memory growth < {MEMORY_GROWTH_LIMIT:.0%}": memory_ok,
            "every simulated member finished": result["alive"] == 0,
        }
        for name, ok in checks.items():
            print(f"{'PASS' if ok else 'FAIL'}  {name}")
        passed.append(all(checks.values()))
        verdict = "PASS" if all(checks.values()) else "FAIL"
        print(
            f"{verdict} load: {result['requests']} requests, {fives} 5xx, {lost} lost items, "
            f"{writes['posts_believed']} replies, {writes['registrations_believed']} registrations"
        )
        if not all(checks.values()):
            print(f"logs: {folder}")
        return 0 if all(checks.values()) else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--users", type=int, default=200, help="simulated members")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--static-root", type=__import__("pathlib").Path)
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        return client_main()
    if args.users < 1 or args.minutes <= 0:
        parser.error("--users and --minutes must be positive")
    from bench.production import run_main

    return run_main(run, args)


if __name__ == "__main__":
    sys.exit(main())
