"""Moderating a community forum: members flag, moderators work the queue (hide, restore,
dismiss), close, pin, move and hide topics, warn and suspend members, and read the log.
Moderation pages do not exist (404) for anyone who may not moderate."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, Site

from cms.models import HomePage
from via_platform.communities.models import (
    CommunityIndexPage,
    CommunityPage,
    ContentVisibility,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
)
from via_platform.forums import permissions, services
from via_platform.forums.models import (
    Flag,
    FlagReason,
    ModerationAction,
    ModerationLog,
    Post,
    Suspension,
    Topic,
)
from via_platform.notifications.models import Happening

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord"


@pytest.fixture
def client(client, settings):
    """Every page in English, so the tests read the msgids whatever the Dutch catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _generous_post_rate(settings):
    """These tests post many messages quickly; the post rate limit has its own tests."""
    settings.FORUMS_POSTS_PER_MINUTE = 1000
    settings.FORUMS_NEW_MEMBER_POSTS_PER_MINUTE = 1000


@pytest.fixture
def index(db) -> CommunityIndexPage:
    """A home page with a community index: enough site for the forum (no demo content)."""
    root = Page.get_first_root_node()
    home = HomePage(title="Thuis", slug="thuis-test")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update(root_page=home, is_default_site=True)
    page = CommunityIndexPage(title="Netwerken test", slug="netwerken-test")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def _community(index, title: str, **fields) -> CommunityPage:
    defaults = {
        "slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
        "kind": "lerend_netwerk",
        "intro": f"Over {title}.",
        "join_policy": JoinPolicy.OPEN,
        "content_visibility": ContentVisibility.MEMBERS,
        "hidden": False,
    }
    page = CommunityPage(title=title, **{**defaults, **fields})
    index.add_child(instance=page)
    page.save_revision().publish()
    return CommunityPage.objects.get(pk=page.pk)


_counter = iter(range(1_000_000))


def _user(django_user_model, first: str = "Test", **extra):
    number = next(_counter)
    return django_user_model.objects.create_user(
        email=f"lid{number}@example.org",
        password=PASSWORD,
        first_name=first,
        last_name=f"Persoon {number}",
        **extra,
    )


def _member(community, user, role=Role.MEMBER, state=MembershipState.ACTIVE):
    return Membership.objects.create(
        community=community,
        user=user,
        role=role,
        state=state,
        joined_at=timezone.now() - timedelta(days=100),
    )


def _fresh(user):
    """The same person without cached memberships (roles change within a test)."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def forum(index, django_user_model):
    """A members-only community with a member, an author, a moderator and a coordinator."""
    community = _community(index, "Zorg werkt")
    people = {
        "member": _user(django_user_model, "Mila"),
        "author": _user(django_user_model, "Aron"),
        "moderator": _user(django_user_model, "Mo"),
        "coordinator": _user(django_user_model, "Cor"),
    }
    _member(community, people["member"])
    _member(community, people["author"])
    _member(community, people["moderator"], Role.MODERATOR)
    _member(community, people["coordinator"], Role.COORDINATOR)
    topic = services.start_topic(
        people["author"], community, title="Knelpunt bij de intake", body="Wie herkent dit?"
    )
    post = services.reply(_fresh(people["author"]), topic, body="Een vervelende opmerking.")
    return {"community": community, "topic": topic, "post": post, **people}


def _login(client, user):
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _queue_url(community) -> str:
    return f"{services.forum_url(community)}moderatie/"


def _post_action_url(post) -> str:
    return f"{services.topic_url(post.topic)}moderatie/berichten/{post.pk}/"


def _topic_action_url(topic) -> str:
    return f"{services.topic_url(topic)}moderatie/"


def _member_url(community, user) -> str:
    return f"{_queue_url(community)}leden/{user.pk}/"


# Flag, queue, hide ---------------------------------------------------------------------


def test_a_flagged_post_is_hidden_from_the_queue_its_author_told_and_the_log_says_who_and_why(
    client, forum
):
    community, post, moderator = forum["community"], forum["post"], forum["moderator"]
    services.flag(forum["member"], post, reason=FlagReason.INAPPROPRIATE, note="Dit is grof.")

    response = _login(client, moderator).get(_queue_url(community))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 reported message" in html
    assert "Een vervelende opmerking." in html
    assert "Rude or inappropriate" in html and "Dit is grof." in html
    assert f"reported by {forum['member'].get_full_name()}" in html
    assert services.post_url(post) in html
    assert f'id="queue-hide-reason-{post.pk}"' in html
    assert forum["member"].email not in html  # names, never email addresses

    queue = _queue_url(community)
    response = client.post(
        _post_action_url(post),
        {"action": "hide", "reason": "Persoonlijke aanval.", "next": queue},
    )
    assert response.status_code == 302 and response["Location"] == queue
    post.refresh_from_db()
    assert post.hidden_at is not None and post.hidden_reason == "Persoonlijke aanval."
    assert not Flag.objects.filter(post=post, resolved_at__isnull=True).exists()

    # Members see its place, not its text; its author still reads it; moderators do.
    member = _fresh(forum["member"])
    assert not permissions.can_see_post_body(member, post)
    assert not permissions.posts_visible_to(member).filter(pk=post.pk).exists()
    assert permissions.can_see_post_body(_fresh(forum["author"]), post)
    assert permissions.posts_visible_to(_fresh(moderator)).filter(pk=post.pk).exists()

    told = Happening.objects.get(kind=services.MODERATED)
    assert told.audience == [forum["author"].pk] and told.actor == moderator
    entry = ModerationLog.objects.get(action=ModerationAction.HIDE)
    assert (entry.actor, entry.post, entry.community) == (moderator, post, community)
    assert entry.reason == "Persoonlijke aanval."

    response = client.get(queue)
    html = response.content.decode()
    assert "The message is hidden. Its author has been told why." in _messages(response)
    assert "0 reported messages" in html
    assert "Persoonlijke aanval." in html  # under "hidden in the last weeks", with restore
    assert 'value="restore"' in html

    log = client.get(f"{queue}logboek/")
    assert log.status_code == 200
    html = log.content.decode()
    assert "Hid a post" in html and "Persoonlijke aanval." in html
    assert moderator.get_full_name() in html
    assert services.post_url(post) in html


def test_hiding_needs_a_reason_and_the_error_is_shown_with_the_form(client, forum):
    post = forum["post"]
    response = _login(client, forum["moderator"]).post(
        _post_action_url(post), {"action": "hide", "reason": "  ", "next": "/elders/"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say why: the member and other moderators see it." in html
    assert 'aria-invalid="true"' in html and 'id="action-reason-error"' in html
    assert 'name="next" value="/elders/"' in html
    post.refresh_from_db()
    assert post.hidden_at is None


def test_restore_and_dismiss_resolve_the_flags_and_are_logged(client, forum):
    post, moderator = forum["post"], forum["moderator"]
    services.flag(forum["member"], post, reason=FlagReason.SPAM)
    _login(client, moderator)
    response = client.post(_post_action_url(post), {"action": "dismiss"})
    assert response.status_code == 302
    assert response["Location"] == services.post_url(post)
    assert not Flag.objects.filter(post=post, resolved_at__isnull=True).exists()
    post.refresh_from_db()
    assert post.hidden_at is None

    services.hide_post(_fresh(moderator), post, "Spam")
    response = client.post(_post_action_url(post), {"action": "restore", "reason": "Toch niet"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.hidden_at is None and post.hidden_reason == ""
    assert list(
        ModerationLog.objects.filter(post=post).order_by("pk").values_list("action", flat=True)
    ) == [ModerationAction.DISMISS, ModerationAction.HIDE, ModerationAction.RESTORE]


def test_only_moderators_reach_the_moderation_pages_and_actions(client, forum, django_user_model):
    community, topic, post = forum["community"], forum["topic"], forum["post"]
    queue = _queue_url(community)

    anonymous = client.get(queue)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]

    outsider = _user(django_user_model, "Buiten")
    for person in (forum["member"], outsider):
        _login(client, person)
        assert client.get(queue).status_code == 404
        assert client.get(f"{queue}logboek/").status_code == 404
        assert client.get(_member_url(community, forum["author"])).status_code == 404
        assert client.post(_topic_action_url(topic), {"action": "close"}).status_code == 404
        assert (
            client.post(_post_action_url(post), {"action": "hide", "reason": "x"}).status_code
            == 404
        )
    topic.refresh_from_db()
    post.refresh_from_db()
    assert not topic.closed and post.hidden_at is None
    assert not ModerationLog.objects.exists()

    _login(client, forum["coordinator"])
    assert client.get(queue).status_code == 200
    assert client.get(f"{queue}logboek/").status_code == 200
    assert client.get(_topic_action_url(topic)).status_code == 405


def test_a_post_of_another_topic_is_not_found(client, forum):
    other = services.start_topic(
        _fresh(forum["member"]), forum["community"], title="Ander onderwerp", body="Tekst"
    )
    url = f"{_topic_action_url(other)}berichten/{forum['post'].pk}/"
    response = _login(client, forum["moderator"]).post(url, {"action": "hide", "reason": "x"})
    assert response.status_code == 404


# Topics -------------------------------------------------------------------------------------


def test_closing_stops_replies_and_reopening_allows_them_again(client, forum):
    topic, member = forum["topic"], forum["member"]
    response = _login(client, forum["moderator"]).post(
        _topic_action_url(topic), {"action": "close", "reason": "Alles is gezegd."}
    )
    assert response.status_code == 302 and response["Location"] == services.topic_url(topic)
    queue = client.get(_queue_url(forum["community"]))
    assert "The topic is closed: nobody can reply any more." in _messages(queue)
    topic.refresh_from_db()
    assert topic.closed
    with pytest.raises(PermissionDenied, match="closed"):
        services.reply(_fresh(member), topic, body="Nog één ding")

    client.post(_topic_action_url(topic), {"action": "reopen"})
    topic.refresh_from_db()
    assert not topic.closed
    services.reply(_fresh(member), topic, body="Nog één ding")
    entry = ModerationLog.objects.filter(action=ModerationAction.CLOSE).get()
    assert entry.reason == "Alles is gezegd." and entry.topic == topic


def test_pinning_puts_a_topic_first(client, forum):
    community, older = forum["community"], forum["topic"]
    newer = services.start_topic(
        _fresh(forum["member"]), community, title="Nieuwer onderwerp", body="Tekst"
    )
    assert list(Topic.objects.filter(community=community))[0] == newer
    _login(client, forum["moderator"]).post(_topic_action_url(older), {"action": "pin"})
    assert list(Topic.objects.filter(community=community))[0] == older
    client.post(_topic_action_url(older), {"action": "unpin"})
    assert list(Topic.objects.filter(community=community))[0] == newer


def test_hiding_a_topic_needs_a_reason_and_hides_it_from_members(client, forum):
    topic, member = forum["topic"], forum["member"]
    _login(client, forum["moderator"])
    response = client.post(_topic_action_url(topic), {"action": "hide_topic"})
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    topic.refresh_from_db()
    assert not topic.hidden

    client.post(_topic_action_url(topic), {"action": "hide_topic", "reason": "Dubbel"})
    topic.refresh_from_db()
    assert topic.hidden
    assert not permissions.can_read_topic(_fresh(member), topic)
    html = client.get(_queue_url(forum["community"])).content.decode()
    assert "Knelpunt bij de intake" in html and "Dubbel" in html and "restore_topic" in html

    client.post(_topic_action_url(topic), {"action": "restore_topic"})
    topic.refresh_from_db()
    assert not topic.hidden


def test_move_to_another_moderated_forum_works_and_to_any_other_is_refused(client, forum, index):
    topic, moderator = forum["topic"], forum["moderator"]
    elsewhere = _community(index, "Techniek samen")
    not_mine = _community(index, "Bouw en infra")
    _member(elsewhere, moderator, Role.MODERATOR)
    _member(not_mine, moderator)  # a member there, not a moderator
    old_url = _topic_action_url(topic)
    _login(client, moderator)

    response = client.post(old_url, {"action": "move", "to": not_mine.pk, "reason": "Hoort daar"})
    assert response.status_code == 302
    assert "You can only move a topic to a forum you moderate." in _messages(
        client.get(response["Location"])
    )
    topic.refresh_from_db()
    assert topic.community_id == forum["community"].pk

    response = client.post(old_url, {"action": "move", "to": elsewhere.pk, "reason": "Techniek"})
    topic.refresh_from_db()
    assert topic.community_id == elsewhere.pk
    assert response["Location"] == services.topic_url(topic)
    assert set(Post.objects.filter(topic=topic).values_list("community_id_cache", flat=True)) == {
        elsewhere.pk
    }
    assert set(
        ModerationLog.objects.filter(action=ModerationAction.MOVE).values_list(
            "community_id", flat=True
        )
    ) == {forum["community"].pk, elsewhere.pk}
    # Its old address is gone.
    assert client.post(old_url, {"action": "close"}).status_code == 404


def test_next_must_be_a_local_address(client, forum):
    topic = forum["topic"]
    _login(client, forum["moderator"])
    for unsafe in ("https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:x"):
        response = client.post(_topic_action_url(topic), {"action": "pin", "next": unsafe})
        assert response["Location"] == services.topic_url(topic)
    response = client.post(
        _topic_action_url(topic), {"action": "unpin", "next": "/netwerken-test/?a=1#b"}
    )
    assert response["Location"] == "/netwerken-test/?a=1#b"


# Members -------------------------------------------------------------------------------------


def test_suspension_blocks_posting_with_its_date_and_lifting_restores_it(client, forum):
    community, author, topic = forum["community"], forum["author"], forum["topic"]
    url = _member_url(community, author)
    _login(client, forum["moderator"])

    response = client.post(url, {"action": "suspend", "suspend-days": "0", "suspend-reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_suspend-days-error"' in html and 'id="id_suspend-reason-error"' in html
    assert not Suspension.objects.exists()

    response = client.post(
        url, {"action": "suspend", "suspend-days": "3", "suspend-reason": "Herhaald grof"}
    )
    assert response.status_code == 302 and response["Location"] == url
    suspension = Suspension.objects.get()
    date = timezone.localtime(suspension.until).strftime("%d-%m-%Y")
    with pytest.raises(PermissionDenied) as refused:
        services.reply(_fresh(author), topic, body="Mag ik nog?")
    assert date in str(refused.value)
    told = Happening.objects.filter(kind=services.MODERATED).get()
    assert told.audience == [author.pk] and date in told.title

    html = client.get(url).content.decode()
    assert "Current suspension" in html and "Herhaald grof" in html
    assert "Suspended a member" in html  # the history
    html = client.get(_queue_url(community)).content.decode()
    assert "Suspended members" in html and author.get_full_name() in html

    response = client.post(
        url, {"action": "lift", "lift-reason": "Excuses gemaakt", "next": _queue_url(community)}
    )
    assert response["Location"] == _queue_url(community)
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None
    services.reply(_fresh(author), topic, body="Dank, ik let erop.")
    entry = ModerationLog.objects.get(action=ModerationAction.LIFT)
    assert entry.member == author and entry.reason == "Excuses gemaakt"


def test_a_warning_tells_the_member_and_shows_in_their_history(client, forum):
    community, author = forum["community"], forum["author"]
    url = _member_url(community, author)
    _login(client, forum["moderator"])
    response = client.post(url, {"action": "warn", "warn-reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert not Happening.objects.filter(kind=services.MODERATED).exists()

    client.post(url, {"action": "warn", "warn-reason": "Blijf vriendelijk."})
    told = Happening.objects.get(kind=services.MODERATED)
    assert told.audience == [author.pk] and "Blijf vriendelijk." in told.title
    services.hide_post(_fresh(forum["moderator"]), forum["post"], "Grof")

    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert author.get_full_name() in html
    assert "Warned a member" in html and "Blijf vriendelijk." in html
    assert "Hid a post" in html  # hiding one of their posts is part of their history
    assert "Een vervelende opmerking." in html  # their latest messages
    assert services.post_url(forum["post"]) in html


def test_the_member_page_is_only_for_people_who_are_or_were_members(
    client, forum, django_user_model
):
    community = forum["community"]
    _login(client, forum["moderator"])
    stranger = _user(django_user_model, "Vreemd")
    assert client.get(_member_url(community, stranger)).status_code == 404
    asked = _user(django_user_model, "Vraag")
    _member(community, asked, state=MembershipState.REQUESTED)
    assert client.get(_member_url(community, asked)).status_code == 404
    left = _user(django_user_model, "Weg")
    _member(community, left, state=MembershipState.LEFT)
    assert client.get(_member_url(community, left)).status_code == 200
    assert client.get(f"{_queue_url(community)}leden/999999/").status_code == 404


# Rate limit on flags -----------------------------------------------------------------------


def test_flags_have_a_rate_limit_with_a_clear_message(forum, settings):
    settings.FORUMS_FLAGS_PER_HOUR = 2
    member, topic = forum["member"], forum["topic"]
    posts = [services.reply(_fresh(forum["author"]), topic, body=f"Bericht {n}") for n in range(3)]
    services.flag(member, posts[0], reason=FlagReason.SPAM)
    services.flag(member, posts[1], reason=FlagReason.SPAM)
    with pytest.raises(services.RateLimited) as limited:
        services.flag(member, posts[2], reason=FlagReason.SPAM)
    assert "You have reported 2 messages in the last hour" in limited.value.messages[0]
    assert Flag.objects.count() == 2


# Query budget ------------------------------------------------------------------------------


def _flag_posts(forum, count: int, django_user_model) -> None:
    topic = forum["topic"]
    reporters = [forum["member"], _user(django_user_model, "Melder")]
    for reporter in reporters[1:]:
        _member(forum["community"], reporter)
    for n in range(count):
        post = services.reply(_fresh(forum["author"]), topic, body=f"Gemeld bericht {n}")
        for reporter in reporters:
            services.flag(reporter, post, reason=FlagReason.OTHER, note=f"Notitie {n}")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_queue_runs_the_same_number_of_queries_for_2_and_20_flagged_posts(
    client, forum, settings, django_user_model
):
    settings.FORUMS_FLAGS_PER_HOUR = 1000
    url = _queue_url(forum["community"])
    _login(client, forum["moderator"])
    _flag_posts(forum, 2, django_user_model)
    client.get(url)  # warm caches (site root paths, sessions)
    few = _queries(client, url)
    _flag_posts(forum, 18, django_user_model)
    many = _queries(client, url)
    assert "20 reported messages" in client.get(url).content.decode()
    assert many == few


# The partials on the topic page ----------------------------------------------------------


def test_the_topic_page_partials_have_labelled_fields_with_ids_per_post(forum, index):
    topic, post = forum["topic"], forum["post"]
    services.edit_post(_fresh(forum["author"]), post, body="Een aangepaste opmerking.")
    post.refresh_from_db()
    post.open_flag_count = 2
    request = RequestFactory().get(services.topic_url(topic) + "?pagina=1")
    request.user = forum["moderator"]
    elsewhere = _community(index, "Techniek samen")
    context = {"topic": topic, "topic_url": services.topic_url(topic), "request": request}

    html = render_to_string(
        "forums/moderation/_topic_tools.html", {**context, "move_targets": [elsewhere]}
    )
    assert "<summary>Moderate this topic</summary>" in html
    assert f'action="{services.topic_url(topic)}moderatie/"' in html
    assert f'<option value="{elsewhere.pk}">Techniek samen</option>' in html
    for field_id in re.findall(r'<(?:textarea|select)[^>]* id="([^"]+)"', html):
        assert f'for="{field_id}"' in html

    other = Post.objects.get(topic=topic, number=1)
    other.open_flag_count = 0
    first = render_to_string("forums/moderation/_post_tools.html", {**context, "post": post})
    second = render_to_string("forums/moderation/_post_tools.html", {**context, "post": other})
    assert "2 flags" in first and "Dismiss the flags" in first
    assert "flag" not in second
    assert f'action="{services.topic_url(topic)}moderatie/berichten/{post.pk}/"' in first
    assert f"{services.topic_url(topic)}berichten/{post.pk}/geschiedenis/" in first
    assert "geschiedenis" not in second  # never edited
    assert f"forum/moderatie/leden/{forum['author'].pk}/" in first
    assert f'value="{request.get_full_path()}#bericht-{post.number}"' in first
    ids_first = set(re.findall(r' id="([^"]+)"', first))
    ids_second = set(re.findall(r' id="([^"]+)"', second))
    assert ids_first and not ids_first & ids_second
    for field_id in re.findall(r'<textarea[^>]* id="([^"]+)"', first):
        assert f'for="{field_id}"' in first


def test_actions_need_the_csrf_token(forum):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(forum["moderator"])
    response = strict.post(_post_action_url(forum["post"]), {"action": "hide", "reason": "x"})
    assert response.status_code == 403
    forum["post"].refresh_from_db()
    assert forum["post"].hidden_at is None


# Through the topic page ------------------------------------------------------------------


def test_journey_a_member_reports_and_a_moderator_hides_from_the_topic_page(client, forum):
    topic, post = forum["topic"], forum["post"]
    topic_url = services.topic_url(topic)
    _login(client, forum["member"])
    response = client.post(
        f"{topic_url}berichten/{post.pk}/melden/",
        {"reason": FlagReason.INAPPROPRIATE, "note": "Grof"},
    )
    assert response.status_code == 302
    assert "Een vervelende opmerking." in client.get(topic_url).content.decode()

    _login(client, forum["moderator"])
    html = client.get(topic_url).content.decode()
    assert "1 flag" in html and "Moderate this topic" in html
    assert f'id="post-hide-reason-{post.pk}"' in html
    response = client.post(
        _post_action_url(post), {"action": "hide", "reason": "Grof", "next": topic_url}
    )
    assert response["Location"] == topic_url
    html = client.get(topic_url).content.decode()
    assert "Een vervelende opmerking." in html  # moderators still read it
    assert f'id="post-restore-reason-{post.pk}"' in html

    _login(client, forum["member"])
    response = client.get(topic_url)
    assert response.status_code == 200
    assert "Een vervelende opmerking." not in response.content.decode()


def test_too_many_reports_get_a_clear_message_on_the_report_form(client, forum, settings):
    settings.FORUMS_FLAGS_PER_HOUR = 1
    topic = forum["topic"]
    second = services.reply(_fresh(forum["author"]), topic, body="Nog een bericht")
    _login(client, forum["member"])
    topic_url = services.topic_url(topic)
    client.post(f"{topic_url}berichten/{forum['post'].pk}/melden/", {"reason": FlagReason.SPAM})
    response = client.post(f"{topic_url}berichten/{second.pk}/melden/", {"reason": "spam"})
    assert "You have reported 1 message in the last hour" in response.content.decode()
    assert Flag.objects.count() == 1
