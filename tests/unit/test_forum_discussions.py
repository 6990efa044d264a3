"""The discussion under a practice: members of its communities take part in a
members-only practice, every logged-in member in a public one; moderators of its
communities and the kennisbank editors moderate; notices reach only its readers."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from wagtail.models import Site

from tests.forums import community, member, person
from tests.library import practice
from via_platform.accounts.roles import REDACTEUREN
from via_platform.communities.models import Role
from via_platform.forums import permissions, search, services
from via_platform.forums.models import Topic, Watch, WatchLevel
from via_platform.library import discussion
from via_platform.library.models import LibraryIndexPage
from via_platform.notifications.models import Happening, Notification
from via_platform.notifications.services import fan_out, recipients

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def index():
    root = Site.objects.get(is_default_site=True).root_page
    page = LibraryIndexPage(title="Kennisbank", slug="kennisbank-discussie")
    root.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def network():
    return community("Leerwerktrajecten besloten", members_only=True)


@pytest.fixture
def closed_practice(index, network):
    return practice(index, "Taal op de werkvloer", communities=[network], members_only=True)


@pytest.fixture
def open_practice(index):
    return practice(index, "Werkproef in plaats van gesprek", communities=[community("Mkb open")])


def everyone() -> set[int]:
    return set(User.objects.values_list("pk", flat=True))


def read_by(topic) -> set[int]:
    return set(permissions.readers(User.objects.all(), topic).values_list("pk", flat=True))


def test_members_of_its_communities_discuss_a_members_only_practice(network, closed_practice):
    writer, fellow = member(network), member(network)
    moderator = member(network, role=Role.MODERATOR)
    outsider = member(community("Ander netwerk"))

    assert permissions.can_post_on_page(writer, closed_practice)
    post = services.reply_on_page(writer, closed_practice, body="Wij werken met taalmaatjes.")
    topic = post.topic
    assert topic.page_id == closed_practice.pk and post.number == 1
    assert services.topic_url(topic) == f"/discussies/{topic.pk}/"

    assert not permissions.can_post_on_page(outsider, closed_practice)
    with pytest.raises(PermissionDenied):
        services.reply_on_page(outsider, closed_practice, body="Mag ik meedoen?")
    for nobody in (outsider, AnonymousUser()):
        assert not permissions.can_read_topic(nobody, topic)
        assert not permissions.topics_visible_to(nobody).filter(pk=topic.pk).exists()
        assert search.search_posts(nobody, "taalmaatjes") == []
    assert read_by(topic) == {writer.pk, fellow.pk, moderator.pk}
    (hit,) = search.search_posts(fellow, "taalmaatjes")
    assert hit.topic.title == closed_practice.title
    assert hit.url.startswith(f"/discussies/{topic.pk}/")

    # The readers filter and the per-person rule agree, for everyone.
    assert read_by(topic) == {
        u.pk for u in User.objects.all() if permissions.can_read_topic(u, topic)
    }
    assert permissions.can_moderate_topic(moderator, topic)
    assert not permissions.can_moderate_topic(fellow, topic)


def test_the_practice_page_shows_the_discussion_and_the_form_to_members(
    client, network, closed_practice
):
    writer = member(network)
    outsider = member(community("Ander netwerk"))
    services.reply_on_page(writer, closed_practice, body="Wij werken met **taalmaatjes**.")
    reply_url = f"/discussies/pagina/{closed_practice.pk}/reageren/"

    client.force_login(writer)
    html = client.get(closed_practice.url).content.decode()
    assert 'id="discussion-heading"' in html
    assert "<strong>taalmaatjes</strong>" in html
    assert f'action="{reply_url}"' in html and 'name="body"' in html
    assert 'for="discussion-body"' in html  # the textarea has its label

    client.force_login(outsider)
    response = client.get(closed_practice.url)
    assert response.status_code == 403 and b"taalmaatjes" not in response.content
    assert client.post(reply_url, {"body": "Hallo"}).status_code == 404
    topic = Topic.objects.get(page=closed_practice)
    assert client.get(services.topic_url(topic)).status_code == 404
    assert topic.posts.count() == 1


def test_a_public_practice_is_discussed_by_every_logged_in_member(client, open_practice):
    newcomer = person("Nina", "Nieuw")  # no community at all
    assert permissions.can_post_on_page(newcomer, open_practice)
    post = services.reply_on_page(newcomer, open_practice, body="Wat kost een werkproef?")
    assert read_by(post.topic) == everyone()

    # Anonymous visitors read the practice, not its discussion, and get no form.
    anonymous = AnonymousUser()
    assert not permissions.can_post_on_page(anonymous, open_practice)
    assert not permissions.can_read_topic(anonymous, post.topic)
    response = client.get(open_practice.url)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="discussion-heading"' in html
    assert "Wat kost een werkproef" not in html
    assert 'name="body"' not in html and "/account/login/?next=" in html

    client.force_login(person("Piet", "Later"))
    html = client.get(open_practice.url).content.decode()
    assert "Wat kost een werkproef" in html and 'name="body"' in html


def test_the_form_posts_a_reply_without_javascript(client, open_practice):
    writer = person("Wim", "Schrijver")
    client.force_login(writer)
    response = client.post(
        f"/discussies/pagina/{open_practice.pk}/reageren/", {"body": "Goede aanpak!"}
    )
    assert response.status_code == 302
    topic = Topic.objects.get(page=open_practice)
    assert topic.posts.get().body == "Goede aanpak!"


def test_moderators_editors_suspensions_and_closed_discussions(network, closed_practice, index):
    writer = member(network)
    coordinator = member(network, role=Role.COORDINATOR)
    editor = person("Ed", "Redactie")
    editor.groups.add(Group.objects.get_or_create(name=REDACTEUREN)[0])
    post = services.reply_on_page(writer, closed_practice, body="Eerste ervaring.")
    topic = post.topic

    assert discussion.can_moderate(coordinator, closed_practice)
    assert discussion.can_moderate(editor, closed_practice)
    assert not discussion.can_moderate(writer, closed_practice)
    # An editor moderates where they may read: the public practices.
    open_one = practice(index, "Open praktijk")
    assert permissions.can_moderate_topic(editor, services.discussion_for(open_one, create=True))

    services.hide_post(coordinator, post, reason="Bevat een naam van een klant")
    assert search.search_posts(member(network), "ervaring") == []

    services.suspend(coordinator, network, writer, days=3, reason="Even afkoelen")
    assert permissions.can_read_topic(writer, topic)
    assert not permissions.can_post_on_page(writer, closed_practice)
    info = discussion.context(writer, closed_practice)
    assert info["can_read"] and not info["can_post"] and "form" not in info

    services.set_topic_state(coordinator, topic, "close")
    fellow = member(network)
    assert not permissions.can_post(fellow, Topic.objects.get(pk=topic.pk))
    info = discussion.context(fellow, closed_practice)
    assert not info["can_post"] and info["reason"]


def test_notices_of_a_discussion_reply_reach_only_its_readers(network, closed_practice):
    writer, follower = member(network), member(network)
    outsider = person("Olga", "Buiten")
    first = services.reply_on_page(writer, closed_practice, body="Wie heeft ervaring?")
    topic = first.topic
    services.set_watch(follower, WatchLevel.WATCHING, topic=topic)
    # Someone who watched while they were a member and has since left.
    Watch.objects.create(user=outsider, topic=topic, level=WatchLevel.WATCHING)

    helper = member(network)
    reply = services.reply_on_page(
        helper,
        closed_practice,
        body=f"@{outsider.handle} en @{writer.handle}: bel het leerwerkloket.",
        reply_to=first,
    )
    reply.refresh_from_db()
    assert f'<span class="mention">@{writer.handle}</span>' in reply.html
    assert f'<span class="mention">@{outsider.handle}' not in reply.html

    told = set()
    for happening in Happening.objects.filter(target_id=str(reply.pk), kind__startswith="forums."):
        people = set(recipients(happening))
        assert outsider.pk not in people
        told |= people
        fan_out(happening.pk)
    assert told == {writer.pk, follower.pk}
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert Notification.objects.filter(recipient=follower).count() == 1
