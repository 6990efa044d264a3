"""The forum demo: a few dozen topics across the demo communities, questions with
accepted answers, mentions, a pinned and a closed topic, discussions under practices;
notifying nobody, and added only once."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from via_platform.communities.models import Membership
from via_platform.forums import demo, permissions, search
from via_platform.forums.models import Flag, ModerationLog, Post, Topic, Watch
from via_platform.notifications.models import Happening

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_demo_data_is_well_formed():
    keys = set(demo.ACCOUNTS) | {person.key for person in demo.PEOPLE}
    assert len(keys) == len(demo.ACCOUNTS) + len(demo.PEOPLE)
    titles = [(spec.community, spec.title) for spec in demo.TOPICS]
    assert len(titles) == len(set(titles))
    assert sum(bool(spec.pinned) for spec in demo.TOPICS) == 1
    assert sum(spec.closed is not None for spec in demo.TOPICS) == 1
    threads = [(spec.days_ago, (demo.Reply(spec.author, 0, spec.body), *spec.replies), spec)
               for spec in demo.TOPICS]  # fmt: skip
    threads += [(spec.days_ago, spec.posts, None) for spec in demo.DISCUSSIONS]
    for days_ago, posts, topic in threads:
        assert posts[0].after == 0
        # Every post lies in the past at any hour of seeding: a topic starts at the
        # latest at 14:00 on its day.
        assert posts[-1].after <= days_ago * 24 - 14, posts[0].body[:40]
        assert [p.after for p in posts] == sorted(p.after for p in posts)
        for number, post in enumerate(posts, start=1):
            assert post.author in keys
            assert set(demo._TOKEN.findall(post.body)) <= keys
            assert post.to is None or 1 <= post.to < number
        accepted = [p for p in posts if p.accepted]
        assert len(accepted) <= 1
        if accepted:
            assert topic is not None and topic.question and not posts[0].accepted


def test_demo_forums_are_lively_and_quiet(demo_site):
    topics = Topic.objects.filter(community__isnull=False)
    assert topics.count() >= 24
    assert topics.values("community").distinct().count() >= 3
    per_community = dict(
        topics.values_list("community__slug")
        .annotate(n=Count("pk"))
        .values_list("community__slug", "n")
    )
    assert per_community["intensieve-begeleiding"] >= 5
    assert per_community["mkb-techniek-en-installatie"] >= 5

    answered = topics.filter(is_question=True, accepted_post__isnull=False)
    assert answered.count() >= 5
    for topic in answered.select_related("accepted_post"):
        assert topic.accepted_post.topic_id == topic.pk and topic.accepted_post.number > 1
    assert topics.filter(is_question=True, accepted_post__isnull=True).exists()
    assert topics.filter(pinned=True).count() == 1
    assert topics.filter(closed=True).count() == 1
    assert ModerationLog.objects.filter(action__in=["pin", "close"]).count() == 2
    assert Flag.objects.filter(resolved_at__isnull=True).count() == 1
    assert {"knelpunt", "vraag", "ervaring", "werkbezoek"} <= set(
        Topic.tags.through.objects.values_list("tag__name", flat=True)
    )

    # Counters and numbering agree with the posts; time runs forward, in the past.
    now = timezone.now()
    posts = Post.objects.order_by("topic", "number")
    for topic in Topic.objects.all():
        mine = [p for p in posts if p.topic_id == topic.pk]
        assert [p.number for p in mine] == list(range(1, len(mine) + 1))
        assert topic.last_number == len(mine) and topic.reply_count == len(mine) - 1
        assert topic.last_post_at == mine[-1].created_at
        assert all(a.created_at < b.created_at for a, b in zip(mine, mine[1:], strict=False))
        assert mine[-1].created_at < now
    oldest = Post.objects.order_by("created_at").first().created_at
    assert now - oldest > timedelta(weeks=8)

    # Mentions render as mentions of people who may read the topic.
    mentions = Post.objects.filter(html__contains='<span class="mention">@')
    assert mentions.count() >= 10
    for post in mentions.select_related("topic"):
        for handle in re.findall(r'<span class="mention">@([\w-]+)</span>', post.html):
            assert permissions.mentionable(post.topic, {handle}).exists()
    assert "{@" not in "".join(Post.objects.values_list("body", flat=True))

    # Discussions under practices, members-only ones among them.
    discussions = Topic.objects.filter(page__isnull=False)
    assert discussions.count() >= 3
    assert discussions.filter(page__practicepage__members_only=True).exists()

    # Demo content notified nobody.
    assert not Happening.objects.filter(kind__startswith="forums.").exists()

    # It is searchable, and members-only talk stays with the members.
    coordinator = User.objects.get(email="coordinator@voorbeeld.nl")
    outsider = User.objects.get(email="werkgever@voorbeeld.nl")
    assert search.search_posts(coordinator, "caseload")
    assert not [
        hit
        for hit in search.search_posts(outsider, "caseload")
        if hit.topic.community and hit.topic.community.slug == "intensieve-begeleiding"
    ]


def test_seeding_again_adds_nothing(demo_site):
    def counts():
        return [
            model.objects.count()
            for model in (Topic, Post, User, Membership, Flag, Watch, ModerationLog)
        ]

    before = counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert counts() == before
    assert "forums:" not in out.getvalue()
