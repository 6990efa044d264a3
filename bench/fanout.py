"""Fan-out benchmark: how long `services.fan_out()` takes for a large audience.

What is measured, per notification kind and audience size N: the wall time of one
`fan_out(happening_id)` call run in-process, the SQL statements it issues (counted with
`connection.execute_wrapper`, so DEBUG does not matter), and the in-app Notifications and
email Deliveries it writes. Fan-out works chunk by chunk (NOTIFICATIONS_FANOUT_CHUNK
recipients per transaction), so the query count should grow with N / chunk, not with N.

Two benchmark-only kinds are registered in this process:
- `bench.news` (community news: weekly digest by default, a `visible_recipients` filter
  that keeps everyone). A membership check that counts everyone as a member is
  registered too, since community news is only mailed to people who joined something;
- `bench.reply` (replies: immediate email by default, so delivery ids are also queued).

Why PostgreSQL only: the figures are meant to resemble production (PostgreSQL + Redis);
SQLite's timings would say nothing about it. The benchmark creates its own database,
`<name>_bench` next to the one DATABASE_URL names, migrates it, and drops it at the end
(keep it with --keep). Celery's broker is set to `memory://`, so the tasks that notify()
and fan_out() queue on commit go to an in-process transport that nobody consumes.

Usage: DATABASE_URL=postgres://… python -m bench.fanout [--sizes 1000,10000] [--keep]

Figures, not a test: nothing is asserted about the timings.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import django

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}
USER_BATCH = 5000
KINDS = ("bench.news", "bench.reply")


# Database -------------------------------------------------------------------------


def bench_database_url(url: str) -> tuple[str, str]:
    """DATABASE_URL with `_bench` appended to the database name, and that name."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit("DATABASE_URL names no database")
    bench_name = f"{name}_bench"
    return urlunsplit(parts._replace(path=f"/{bench_name}")), bench_name


def maintenance_conninfo(url: str) -> str:
    """The same server, but the `postgres` maintenance database, in libpq's URL form."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))


def recreate_database(url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance_conninfo(url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str, name: str) -> None:
    import psycopg
    from django.db import connections
    from psycopg import sql

    with contextlib.suppress(Exception):  # Django never got configured: nothing to close
        connections.close_all()
    with psycopg.connect(maintenance_conninfo(url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


# Setup ----------------------------------------------------------------------------


def register_bench_kinds() -> None:
    from via_platform.notifications.registry import (
        Category,
        Kind,
        register_kind,
        register_membership_check,
    )

    register_kind(
        Kind(
            key="bench.news",
            category=Category.COMMUNITY_NEWS,
            label="Benchmark news",
            reason="-",
            can_view=lambda user, target: True,
            visible_recipients=lambda users, target: users,
        )
    )
    register_kind(
        Kind(key="bench.reply", category=Category.REPLIES, label="Benchmark reply", reason="-")
    )
    # Everyone counts as a member of something, so community news reaches the digest.
    register_membership_check(lambda users: users)


def create_users(count: int) -> list[int]:
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.db import connection

    from via_platform.accounts.models import User

    for start in range(0, count, USER_BATCH):
        User.objects.bulk_create(
            [
                User(email=f"bench-{i}@example.invalid", password=UNUSABLE_PASSWORD_PREFIX)
                for i in range(start, min(start + USER_BATCH, count))
            ]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as a production database has them
    return list(User.objects.filter(email__startswith="bench-").values_list("pk", flat=True))


def delete_everything_benched() -> None:
    from via_platform.accounts.models import User
    from via_platform.notifications.models import Happening

    Happening.objects.filter(kind__in=KINDS).delete()
    User.objects.filter(email__startswith="bench-").delete()


# Measuring ------------------------------------------------------------------------


class QueryCounter:
    """An execute_wrapper that counts statements (executemany counts once)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def record_happening(kind: str, audience: list[int]) -> int:
    from django.db import transaction

    from via_platform.notifications import services

    with transaction.atomic():
        happening = services.notify(
            kind, target=None, title=f"Benchmark {kind}", url="/", audience=audience
        )
    return happening.pk


def measure(kind: str, audience: list[int]) -> dict:
    from django.db import connection

    from via_platform.notifications import services
    from via_platform.notifications.models import Delivery, Notification

    happening_id = record_happening(kind, audience)
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        services.fan_out(happening_id)
        seconds = time.perf_counter() - started
    notifications = Notification.objects.filter(happening_id=happening_id).count()
    return {
        "kind": kind,
        "recipients": len(audience),
        "seconds": seconds,
        "queries": counter.count,
        "notifications": notifications,
        "deliveries": Delivery.objects.filter(happening_id=happening_id).count(),
        "rate": notifications / seconds if seconds else 0.0,
    }


# Output ---------------------------------------------------------------------------

HEADER = (
    f"{'kind':<13}{'recipients':>10}{'seconds':>10}{'queries':>10}"
    f"{'notifications':>16}{'deliveries':>13}{'notif/s':>10}"
)


def format_row(row: dict) -> str:
    return (
        f"{row['kind']:<13}{row['recipients']:>10}{row['seconds']:>10.2f}{row['queries']:>10}"
        f"{row['notifications']:>16}{row['deliveries']:>13}{row['rate']:>10.0f}"
    )


def tunables(settings) -> str:
    """The fan-out settings in force (services.py supplies its defaults when unset)."""
    return ", ".join(
        f"{name} {getattr(settings, f'NOTIFICATIONS_{name}', 'default')}"
        for name in ("FANOUT_CHUNK", "EMAIL_BATCH")
    )


def total_memory() -> str:
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def machine_facts() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        postgres = cursor.fetchone()[0].split(" on ")[0]
    return (
        f"machine: {os.cpu_count()} CPUs, {total_memory()} RAM; {postgres}; "
        f"Python {sys.version.split()[0]}"
    )


# Main -----------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="audience sizes")
    parser.add_argument("--keep", action="store_true", help="keep the _bench database")
    args = parser.parse_args()
    args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    return args


def configure_environment() -> tuple[str, str]:
    """Point Django at a fresh `<name>_bench` database; refuse anything but PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in POSTGRES_SCHEMES:
        print(
            "bench.fanout needs DATABASE_URL=postgres://… : its figures are meant for "
            "PostgreSQL (+ Redis), like production, and it creates and drops its own "
            f"<name>_bench database there. DATABASE_URL is {url or 'not set'}.",
            file=sys.stderr,
        )
        sys.exit(2)
    bench_url, bench_name = bench_database_url(url)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["CELERY_BROKER_URL"] = "memory://"  # queued tasks stay in this process
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"  # else notify() would fan out on commit
    os.environ["DJANGO_DEBUG"] = "0"  # production shape: no query log
    os.environ["DJANGO_SETTINGS_MODULE"] = "via_platform.settings"
    return bench_url, bench_name


def main() -> None:
    args = parse_args()
    bench_url, bench_name = configure_environment()
    recreate_database(bench_url, bench_name)
    try:
        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"database {bench_name} migrated in {time.perf_counter() - started:.0f} s")
        register_bench_kinds()
        print(
            f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
            f"broker: {settings.CELERY_BROKER_URL}; "
            f"{tunables(settings)}\n"
        )
        print(HEADER)
        for size in args.sizes:
            audience = create_users(size)
            for kind in KINDS:
                print(format_row(measure(kind, audience)), flush=True)
            delete_everything_benched()
        print(f"\n{machine_facts()}")
    finally:
        if args.keep:
            print(f"kept database {bench_name}")
        else:
            drop_database(bench_url, bench_name)


if __name__ == "__main__":
    main()
