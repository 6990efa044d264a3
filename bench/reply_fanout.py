"""One reply in a big community, from the POST to every watcher's notification centre.

The target of the scale issue: a reply posted and fanned out to a 10,000-member
community in under 5 s end to end. This scenario takes the community with the most
active members in the database DATABASE_URL names (fill it with `python -m
bench.generate --scale national` first), makes every member watch its forum (the
worst case: everybody wants to hear of every post), starts a real Celery worker on
REDIS_URL and a real SMTP server on loopback, posts a reply through the view as a
member, and times:

- the POST itself (the request writes the post, the happening and who was told);
- until the worker has written a notification for every watcher;
- until the immediate emails (people who chose them) have been handed to SMTP.

It prints the figures and PASS or FAIL against the 5 s target (exit status 1 on FAIL).

Usage: DATABASE_URL=postgres://… REDIS_URL=redis://… python -m bench.reply_fanout
       [--community slug] [--timeout 120]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import django

from bench.production import free_port

TARGET_SECONDS = 5.0
ROOT = Path(__file__).resolve().parent.parent


def smtp_sink():
    """A real SMTP server on a free loopback port that accepts and drops every mail."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    controller = Controller(Sink(), hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


def discard_queued_tasks() -> int:
    """Earlier benchmark runs (bench.production's replies) leave notification tasks on
    the queue for a worker that was not running. Fanning those out first would measure
    the backlog, not the reply, so they are discarded: this is a benchmark database."""
    from workers.celery import app

    return app.control.purge()


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "celery"),
        "-A",
        "workers",
        "worker",
        "--concurrency=2",
        "--loglevel=info",
        "--without-gossip",
        "--without-mingle",
    ]
    worker = subprocess.Popen(  # noqa: S603 - our own celery, fixed arguments
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "ready." in log.read_text(errors="replace"):
            return worker
        if worker.poll() is not None:
            raise SystemExit(f"the worker stopped:\n{log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.2)
    worker.terminate()
    raise SystemExit("the worker did not start within 60 s")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--community", help="slug; default: the one with most members")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("bench.reply_fanout needs DATABASE_URL=postgres://… (and REDIS_URL)")
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("bench.reply_fanout needs REDIS_URL=redis://… for the Celery broker")

    controller = smtp_sink()
    email_url = f"smtp://127.0.0.1:{controller.port}"
    os.environ["EMAIL_URL"] = email_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "via_platform.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    django.setup()

    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count, Q
    from django.test import Client
    from django.utils import timezone

    from via_platform.communities.models import CommunityPage, MembershipState
    from via_platform.forums.models import Post, Topic, Watch, WatchLevel
    from via_platform.forums.services import topic_url
    from via_platform.notifications.models import Delivery, Happening, Notification

    communities = CommunityPage.objects.annotate(
        active=Count("memberships", filter=Q(memberships__state=MembershipState.ACTIVE))
    )
    if args.community:
        community = communities.get(slug=args.community)
    else:
        community = communities.order_by("-active").first()
    member_ids = list(
        community.memberships.filter(state=MembershipState.ACTIVE).values_list("user_id", flat=True)
    )
    Watch.objects.bulk_create(
        [Watch(user_id=uid, community=community, level=WatchLevel.WATCHING) for uid in member_ids],
        ignore_conflicts=True,
        batch_size=5000,
    )
    Watch.objects.filter(community=community, user_id__in=member_ids).update(
        level=WatchLevel.WATCHING
    )
    topic = (
        Topic.objects.filter(community=community, hidden=False, closed=False)
        .order_by("-pk")
        .first()
    )
    if topic is None:
        raise SystemExit(f"{community.slug} has no open topic to reply to")
    # Someone who has not posted in the last minutes, so the flood limit lets them.
    recent = set(
        Post.objects.filter(created_at__gte=timezone.now() - timedelta(minutes=5)).values_list(
            "author_id", flat=True
        )
    )
    author_id = next((uid for uid in reversed(member_ids) if uid not in recent), None)
    if author_id is None:
        raise SystemExit("every member posted in the last 5 minutes; try again later")
    print(f"community: {community.title} ({len(member_ids)} active members, all watching)")
    print(f"topic: {topic.title} ({topic.reply_count} replies)")

    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "EMAIL_URL": email_url, "DJANGO_DEBUG": "0"}
        discarded = discard_queued_tasks()
        if discarded:
            print(f"discarded {discarded} tasks that earlier benchmark runs left queued")
        worker = start_worker(env, Path(folder) / "worker.log")
        try:
            client = Client()
            client.force_login(get_user_model().objects.get(pk=author_id))
            started = time.perf_counter()
            response = client.post(
                f"{topic_url(topic)}reageren/",
                {"body": "Wij werken in de regio met één vaste jobcoach per werkgever."},
            )
            posted = time.perf_counter()
            if response.status_code != 302:
                raise SystemExit(f"the reply was refused: HTTP {response.status_code}")
            post = Post.objects.filter(topic=topic, author_id=author_id).latest("pk")
            happenings = Happening.objects.filter(
                target_type=ContentType.objects.get_for_model(Post), target_id=str(post.pk)
            )
            audience = sum(len(h.audience) for h in happenings if isinstance(h.audience, list))
            notified_at = emailed_at = None
            immediate = sent = 0
            while time.perf_counter() - started < args.timeout:
                if notified_at is None:
                    done = happenings.filter(fanout_state=Happening.FanOut.DONE).count()
                    if done == happenings.count():
                        notified_at = time.perf_counter()
                        immediate = Delivery.objects.filter(
                            happening__in=happenings, frequency="immediate"
                        ).count()
                if notified_at is not None:
                    handled = Delivery.objects.filter(
                        happening__in=happenings, frequency="immediate"
                    ).exclude(state=Delivery.State.PENDING)
                    if handled.count() >= immediate:
                        emailed_at = time.perf_counter()
                        break
                time.sleep(0.05)
            ended = time.perf_counter()
            notifications = Notification.objects.filter(happening__in=happenings).count()
            # Who may be told: active people who may read the post (the audience minus
            # the inactive accounts the generator makes), as the fan-out recorded it.
            recipients = sum(h.recipient_count or 0 for h in happenings.all())
            sent = Delivery.objects.filter(
                happening__in=happenings, frequency="immediate", state=Delivery.State.SENT
            ).count()
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            controller.stop()

    def seconds(moment):
        return f"{moment - started:.2f} s" if moment else f"not within {args.timeout:.0f} s"

    print(f"POST /reageren/                 {(posted - started) * 1000:.0f} ms")
    print(
        f"notifications written           {seconds(notified_at)}  ({notifications} for "
        f"{recipients} recipients of an audience of {audience})"
    )
    rate = sent / (ended - notified_at) if notified_at and ended > notified_at else 0
    print(
        f"immediate emails sent over SMTP {seconds(emailed_at)}  ({sent} of {immediate}, "
        f"{rate:.0f} a second)"
    )
    ok = (
        notified_at is not None
        and notified_at - started < TARGET_SECONDS
        and notifications == recipients > 0
    )
    verdict = "PASS" if ok else "FAIL"
    print(f"target: fanned out to every watcher in < {TARGET_SECONDS:.0f} s: {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
