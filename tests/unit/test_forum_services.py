"""The forum's rules without HTTP: who hears of a post (once), mentions, read state,
rate limits, answers, and what an edit may and may not trigger."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from tests.forums import community, member, person
from via_platform.communities.models import Role
from via_platform.forums import services
from via_platform.forums.models import Post, PostRecipient, ReadState, Topic, WatchLevel
from via_platform.notifications.models import Happening

pytestmark = pytest.mark.django_db


def audiences(post) -> dict[str, set[int]]:
    """kind → people told about this post."""
    told: dict[str, set[int]] = {}
    for happening in Happening.objects.filter(target_id=str(post.pk)):
        if happening.kind.startswith("forums."):
            told.setdefault(happening.kind, set()).update(happening.audience)
    return told


@pytest.fixture
def place():
    return community("Werkfit in de regio")


def test_a_new_topic_watches_it_and_members_hear_of_it_in_their_news(place):
    asker, other = member(place), member(place)
    outsider = person()
    topic = services.start_topic(
        asker, place, title="Wie heeft ervaring met jobcoaching?", body="Graag tips.",
        tags=["Vraag", "jobcoaching", "vraag"], is_question=True,
    )  # fmt: skip
    first = topic.posts.get()
    assert first.number == 1 and topic.last_number == 1 and topic.reply_count == 0
    assert sorted(topic.tags.names()) == ["jobcoaching", "vraag"]
    assert services.level_for(asker, topic) == WatchLevel.WATCHING
    told = audiences(first)
    assert told == {services.NEW_TOPIC: {other.pk}}
    assert outsider.pk not in told[services.NEW_TOPIC]


def test_each_person_hears_of_a_post_once_for_the_most_personal_reason(place):
    asker, helper, follower, bystander = (member(place) for _ in range(4))
    topic = services.start_topic(asker, place, title="Knelpunt", body="Wat doen jullie?")
    first = topic.posts.get()
    services.set_watch(follower, WatchLevel.WATCHING, topic=topic)
    post = services.reply(
        helper, topic, body=f"Hoi @{asker.handle} en @{follower.handle}: bel het UWV.",
        reply_to=first,
    )  # fmt: skip
    told = audiences(post)
    # The asker is both mentioned and replied to, and watches: one notice, the mention.
    assert told[services.MENTION] == {asker.pk, follower.pk}
    assert services.REPLY not in told and services.NEW_POST not in told
    assert bystander.pk not in set().union(*told.values())
    assert set(PostRecipient.objects.filter(post=post).values_list("user_id", flat=True)) == {
        asker.pk,
        follower.pk,
    }

    # An edit that adds a mention tells only the newly mentioned person, once.
    services.edit_post(helper, post, body=post.body + f" En @{bystander.handle}.")
    services.edit_post(helper, post, body=post.body + " (aangevuld)")
    mentions = Happening.objects.filter(target_id=str(post.pk), kind=services.MENTION)
    assert [set(h.audience) for h in mentions.order_by("pk")] == [
        {asker.pk, follower.pk},
        {bystander.pk},
    ]
    post.refresh_from_db()
    assert post.edited_at is not None and post.revisions.count() == 2


def test_mentions_reach_only_people_who_may_read_the_topic():
    private = community("Besloten netwerk", members_only=True)
    writer = member(private)
    outsider = person("Olga", "Buiten")
    topic = services.start_topic(writer, private, title="Intern", body=f"@{outsider.handle} kijk")
    post = topic.posts.get()
    assert outsider.pk not in set().union(set(), *audiences(post).values())
    # … and the text does not mark the outsider as mentioned (no name is revealed).
    assert 'class="mention"' not in post.html


def test_muted_people_hear_nothing_and_watchers_hear_every_post(place):
    author, watcher, muter = member(place), member(place), member(place)
    services.set_watch(watcher, WatchLevel.WATCHING, community=place)
    services.set_watch(muter, WatchLevel.MUTED, community=place)
    topic = services.start_topic(author, place, title="Werkbezoek", body="Verslag volgt.")
    told = audiences(topic.posts.get())
    assert told[services.NEW_POST] == {watcher.pk}
    assert muter.pk not in set().union(*told.values())
    reply = services.reply(author, topic, body=f"Verslag, ook voor @{muter.handle}.")
    told = audiences(reply)
    assert told == {services.NEW_POST: {watcher.pk}}


def test_read_state_tracks_the_highest_post_seen_and_never_goes_back(place):
    author, reader = member(place), member(place)
    topic = services.start_topic(author, place, title="Lange draad", body="Begin.")
    for n in range(44):
        Post.objects.create(
            topic=topic, number=n + 2, author=author, body=f"bericht {n}",
            created_at=timezone.now() - timedelta(hours=1),
        )  # fmt: skip
    Topic.objects.filter(pk=topic.pk).update(last_number=45, last_post_at=timezone.now())
    topic.refresh_from_db()

    info = services.read_info(reader, [topic], place.pk)[topic.pk]
    assert info.unread and info.first_unread == 1 and info.new_posts == 45
    services.mark_read(reader, topic, 20)  # read the first page
    services.mark_read(reader, topic, 5)  # went back to page one: stays at 20
    assert ReadState.objects.get(user=reader, topic=topic).last_read == 20
    info = services.read_info(reader, [topic], place.pk)[topic.pk]
    assert (info.first_unread, info.new_posts) == (21, 25)
    assert services.page_of(info.first_unread) == 2

    # "Mark all read": the partly read topic counts as read, until someone posts again.
    services.mark_forum_read(reader, place)
    assert not services.read_info(reader, [topic], place.pk)[topic.pk].unread
    later = services.reply(author, topic, body="Nog een aanvulling.")
    topic.refresh_from_db()
    info = services.read_info(reader, [topic], place.pk)[topic.pk]
    assert (info.first_unread, info.new_posts) == (21, 26)  # back to where they were
    assert later.number == 46


def test_posting_is_rate_limited_and_stricter_for_new_members(place, settings):
    settings.FORUMS_POSTS_PER_MINUTE = 3
    settings.FORUMS_NEW_MEMBER_POSTS_PER_MINUTE = 1
    regular = member(place, joined_days_ago=90)
    topic = services.start_topic(regular, place, title="Snel", body="1")
    services.reply(regular, topic, body="2")
    services.reply(regular, topic, body="3")
    with pytest.raises(services.RateLimited) as refused:
        services.reply(regular, topic, body="4")
    assert "3" in refused.value.messages[0]
    assert topic.posts.count() == 3

    newcomer = member(place, joined_days_ago=0)
    services.reply(newcomer, topic, body="Hallo allemaal")
    with pytest.raises(services.RateLimited):
        services.reply(newcomer, topic, body="Nog iets")

    # A minute later the limit has passed.
    Post.objects.filter(author=regular).update(created_at=timezone.now() - timedelta(minutes=2))
    services.reply(regular, topic, body="5")


def test_only_the_asker_or_a_moderator_accepts_an_answer(place):
    asker, helper, other = member(place), member(place), member(place)
    moderator = member(place, role=Role.MODERATOR)
    topic = services.start_topic(asker, place, title="Vraag", body="?", is_question=True)
    answer = services.reply(helper, topic, body="Zo!")
    with pytest.raises(PermissionDenied):
        services.accept_answer(other, answer)
    with pytest.raises(PermissionDenied):
        services.accept_answer(asker, topic.posts.get(number=1))  # not the question itself
    services.accept_answer(asker, answer)
    topic.refresh_from_db()
    assert topic.accepted_post_id == answer.pk
    assert audiences(answer)[services.ACCEPTED] == {helper.pk}
    services.unaccept_answer(moderator, topic)
    topic.refresh_from_db()
    assert topic.accepted_post is None


def test_closed_topics_and_suspended_members_cannot_post(place):
    author = member(place)
    moderator = member(place, role=Role.MODERATOR)
    topic = services.start_topic(author, place, title="Klaar", body="Afgerond.")
    services.set_topic_state(moderator, topic, "close")
    with translation.override("en"), pytest.raises(PermissionDenied, match="closed"):
        services.reply(author, topic, body="Toch nog iets")
    services.reply(moderator, topic, body="Moderators kunnen nog reageren.")

    other = services.start_topic(author, place, title="Open", body="Nog open.")
    services.suspend(moderator, place, author, days=3, reason="Herhaaldelijk off-topic")
    with pytest.raises(PermissionDenied):
        services.reply(author, other, body="Mag ik nog?")
    with pytest.raises(PermissionDenied):
        services.start_topic(author, place, title="Nieuw", body="x")


def test_bad_input_is_refused_with_a_message_per_field(place):
    author = member(place)
    with pytest.raises(ValidationError) as refused:
        services.start_topic(author, place, title="  ", body="")
    assert set(refused.value.message_dict) == {"title", "body"}
    assert not Topic.objects.exists()


def test_outsiders_cannot_write_in_a_forum(place):
    with pytest.raises(PermissionDenied):
        services.start_topic(person(), place, title="Hallo", body="Ik ben geen lid")


def test_handles_are_made_from_names_and_stay_unique():
    first, second = person("Anna", "de Vries"), person("Anna", "de Vries")
    assert first.handle == "anna-de-vries"
    assert second.handle == "anna-de-vries-2"
