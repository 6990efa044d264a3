"""`make bench`: latency of the main public pages through the full Django stack.

Runs in-process with Django's test client against the database `make run` uses (or the
one DATABASE_URL names), so the figures include middleware, templates and queries but
no network. Usage: python -m bench [--requests N]

Fan-out benchmark: python -m bench.fanout (needs DATABASE_URL=postgres://…)
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import django

PATHS = [
    "/",
    "/over-via/",
    "/netwerken/",
    "/netwerken/mkb-techniek-en-installatie/",
    "/organisaties/",
    "/kennisbank/",
    "/kennisbank/?q=statushouders&thema=1&doelgroep=werkgevers",
    "/kennisbank/?thema=1&sorteer=toegepast&page=2",
    "/kennisbank/intensieve-begeleiding-kleine-caseload/",
    "/kennisbank/menukaart/",
    "/agenda/",
    "/agenda/werkagenda-via-bijeenkomst/",
    "/agenda/feed.ics",
    "/leren/",
    "/leren/objectief-werven-en-selecteren/",
    "/zoeken/?q=statushouders",
    "/sitemap.xml",
    "/healthz",
]


def forum_paths() -> list[str]:
    """A public demo forum, its busiest topic, and a forum search (ids vary per seed)."""
    from via_platform.forums.models import Topic
    from via_platform.forums.services import forum_url, topic_url

    topic = (
        Topic.objects.filter(community__slug="mkb-techniek-en-installatie", hidden=False)
        .order_by("-reply_count", "pk")
        .first()
    )
    if topic is None:
        return []
    forum = forum_url(topic.community)
    return [forum, f"{forum}?q=werkproef", topic_url(topic)]


# Measured logged in as the demo mkb employer, who is halfway the e-learning.
MEMBER = "werkgever@voorbeeld.nl"
MEMBER_PATHS = [
    "/leren/objectief-werven-en-selecteren/",
    "/leren/objectief-werven-en-selecteren/gestructureerd-selecteren/",
    "/leren/mijn/",
    "/meldingen/",
]


def measure(client, path: str, requests: int, label: str = "") -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm caches
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    query_count = len(queries.captured_queries)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    reset_queries()
    p50 = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[18]
    print(
        f"{label + path:<60}{p50:>9.1f}{p95:>9.1f}{1000 / statistics.mean(timings):>9.0f}"
        f"{query_count:>9}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "via_platform.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    client = Client()
    print(f"database: {connection.vendor}; {args.requests} requests per path\n")
    print(f"{'path':<60}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'queries':>9}")
    for path in PATHS + forum_paths():
        measure(client, path, args.requests)
    member = get_user_model().objects.filter(email=MEMBER).first()
    if member is not None:
        client.force_login(member)
        for path in MEMBER_PATHS:
            measure(client, path, args.requests, label="(lid) ")


if __name__ == "__main__":
    main()
