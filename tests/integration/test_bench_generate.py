"""bench.generate at its tiny scale: on PostgreSQL it fills the test database on top of
the demo content (COPY, pages written straight into the tree, search entries computed
in SQL) and everything it wrote works through the platform; on SQLite it refuses, with
a message that says why, before touching anything."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max, Min

from bench.generate import EMAIL_DOMAIN, SCALES, Refused, generate, main

pytestmark = pytest.mark.integration


def generated_members() -> int:
    return get_user_model().objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count()


def test_generator_fills_postgresql_and_refuses_anything_else(db, capsys):
    if connection.vendor != "postgresql":
        with pytest.raises(Refused, match=r"needs PostgreSQL .*This database is sqlite"):
            generate("tiny", prepare=False, out=io.StringIO())
        with pytest.raises(SystemExit) as exit_info:  # the command line says the same
            main(["--scale", "tiny", "--no-prepare"])
        assert exit_info.value.code == 2
        assert "bench.generate needs PostgreSQL" in capsys.readouterr().err
        assert generated_members() == 0
        return

    from wagtail.models import Page

    from via_platform.communities.models import CommunityPage, Membership
    from via_platform.forums.models import Post, Topic
    from via_platform.forums.services import reply
    from via_platform.learning.models import Enrolment
    from via_platform.library.models import PracticePage

    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    summary = generate("tiny", seed=7, prepare=False, out=out)
    scale = SCALES["tiny"]

    # The generator's own checks: a sound tree, index entries equal to what the backend
    # writes, generated pages (a community, its forum, a practice, an event, a course, the
    # longest topic and its last page) rendering, searches finding generated content.
    checks = summary["checks"]
    assert checks["tree"] == {"orphans": 0, "wrong_depth": 0, "wrong_numchild": 0}
    assert checks["index_mismatches"] == []
    assert all(code == 200 for _url, code in checks["statuses"].values()), checks["statuses"]
    assert checks["forum_hits"] > 0 and checks["practice_hits"] > 0

    # What was written is what the scale asked for, and as the platform keeps it.
    assert generated_members() == scale.members
    community = CommunityPage.objects.get(
        url_path__endswith="/landelijk-netwerk-inclusief-werkgeven/"
    )
    assert Membership.objects.filter(community=community, state="active").count() >= 10
    assert (
        PracticePage.objects.filter(owner__email__endswith=EMAIL_DOMAIN).count() == scale.practices
    )
    assert Post.objects.filter(author__email__endswith=EMAIL_DOMAIN).count() <= scale.posts
    first_topic, last_topic = summary["generated_ids"]["Topic"]
    topics = Topic.objects.filter(pk__range=(first_topic, last_topic))
    assert topics.count() == last_topic - first_topic + 1
    numbered = topics.annotate(
        n=Count("posts"), low=Min("posts__number"), high=Max("posts__number")
    )
    for topic in numbered:  # posts 1..n, and the topic's denormalised fields agree
        assert (topic.low, topic.high, topic.n) == (1, topic.last_number, topic.last_number)
        assert topic.reply_count == topic.last_number - 1
        assert topic.last_post_at == topic.posts.get(number=topic.last_number).created_at
    assert Enrolment.objects.filter(user__email__endswith=EMAIL_DOMAIN).exists()
    assert Page.find_problems() == ([], [], [], [], [])  # treebeard's own check agrees

    # Sequences moved past the generated ids: the ORM writes on top of the data.
    topic = topics.filter(community=community, closed=False, hidden=False).latest("last_number")
    member = get_user_model().objects.get(
        pk=Membership.objects.filter(community=community, state="active", role="member")
        .values_list("user_id", flat=True)
        .first()
    )
    last_pk, last_number = Post.objects.aggregate(Max("pk"))["pk__max"], topic.last_number
    post = reply(member, topic, body="Nog een vraag over jobcoaching.")
    assert (post.pk, post.number) == (last_pk + 1, last_number + 1)

    # A second run sees the first and adds nothing.
    again = generate("tiny", seed=7, prepare=False, out=io.StringIO())
    assert again["skipped"] and generated_members() == scale.members
    assert "foreign keys validated" in out.getvalue()
