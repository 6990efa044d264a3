"""Access control crawl: every URL the platform exposes, for the objects of a private
community, as every role.

The URL configuration and the page tree are walked (Django patterns, including the
namespaced includes, and the routes of every page type, the community sections'
routes included) and every pattern must appear in URL_PATTERNS or PAGE_ROUTES below
(the admin's by prefix): a new URL makes `test_every_url_is_classified` fail until
someone decides who may open it. Each
classified pattern is then visited with objects of a members-only community (the
demo's "Leerwerktrajecten statushouders", plus a topic, event, practice, course,
message, submission, notification, document and certificate made here) as:

    anonymous    no session
    outsider     a verified member of no community
    member       an active member of the private community
    moderator    its moderator
    coordinator  its coordinator (the demo's coordinator@)
    othercoord   coordinator of another (public) community, with Wagtail access
    editor       the demo's redacteur@ (site editor, not in the private community)
    superuser    the demo's beheer@

and the status code must be the one the rule gives. Whoever is refused must not find a
trace of the private objects in the body (titles, bodies, meeting links; for anonymous
visitors the private members' names). Ids and slugs of private objects are tried as an
outsider on every URL that takes one, and ids that do not exist give a 404, never a 500.

The admin is checked with a handful of concrete URLs per role (the page edit of the
private community, its event and practice, the explorer, its results and the move
confirmation of pages of the private and the hidden community, the page chooser's
browsing, search and chosen pages, the page types report, listings of organisations,
documents, images and users, the Django admin: cms/admin_guard.py keeps the coordinator
of another community out of them, while the people who work there still find their
pages) and as a whole: every admin pattern, filled with
the private community's id, refuses anonymous visitors and members. allauth's account
pages are opened as anonymous visitor, outsider and member.

The demo is seeded once, for one test (`test_access_control_crawl`) that runs every
part and reports every problem, so pytest-xdist never builds it twice. At the end the
refused POSTs are shown to have changed nothing.
"""

from __future__ import annotations

import html
import io
import json
import logging
import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, get_page_models

from tests import learning
from tests import library as library_helpers
from tests.conftest import enable_totp
from via_platform.accounts.models import User
from via_platform.accounts.roles import REDACTEUREN
from via_platform.communities import services as community_services
from via_platform.communities.models import (
    CommunityMessage,
    CommunityPage,
    Membership,
    MembershipState,
    Role,
)
from via_platform.events.models import (
    CalendarToken,
    EventAudience,
    EventPage,
    Registration,
    RegistrationState,
)
from via_platform.forums import services as forum_services
from via_platform.forums.models import PostImage, Topic
from via_platform.learning import services as learning_services
from via_platform.learning.models import CoursePage, LessonPage, SessionStepPage
from via_platform.library.models import LibraryIndexPage, PracticePage
from via_platform.notifications.models import Happening, Notification

ROLES = [
    "anonymous", "outsider", "member", "moderator", "coordinator", "othercoord", "editor",
    "superuser",
]  # fmt: skip
READ = {"member", "moderator", "coordinator", "superuser"}  # may read the private content
MOD = {"moderator", "coordinator", "superuser"}
COORD = {"coordinator", "superuser"}
REFUSED = [role for role in ROLES if role not in READ]

PRIVATE_SLUG = "leerwerktrajecten-statushouders"  # members only, on request, listed
HIDDEN_SLUG = "taskforce-via-coordinatoren"  # members only, by invitation, hidden
OTHER_SLUG = "mkb-zorg-en-welzijn"  # public; `othercoord` coordinates it

# Words in the titles and bodies of the private objects made here: none of them may
# reach a person who may not read the private community.
MARKERS = {
    "topic": "KROKUSVELD",
    "post": "ZWALUWSTAART",
    "reply": "REIGERNEST",
    "image": "IJSVOGELFOTO",
    "message": "LEEUWERIKBERICHT",
    "event": "KWARTELKONING",
    "link": "meet.example.org/oehoe-geheim",
    "practice": "ROERDOMPPRAKTIJK",
    "document": "GRUTTODOCUMENT",
    "discussion": "KIEVITDISCUSSIE",
    "course": "TAPUITCURSUS",
    "lesson": "PIMPERNELLES",
    "session": "BOOMKLEVERSESSIE",
    "submission": "BOSRUITERVOORSTEL",
    "notification": "MEERKOETMELDING",
}
# Names of the private community's own members (profiles visible to members only):
# never shown to anonymous visitors.
PRIVATE_NAMES = ["Zwijgzaam", "Stilhouder"]


# The world ------------------------------------------------------------------------


def _person(email: str, first: str, last: str) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(
        email=email, password="een-lang-wachtwoord", first_name=first, last_name=last
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _join(community: CommunityPage, user: User, role: str) -> Membership:
    return Membership.objects.create(
        community=community,
        user=user,
        state=MembershipState.ACTIVE,
        role=role,
        joined_at=timezone.now() - timedelta(days=90),
    )


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _build_world() -> dict:
    call_command("seed_demo", stdout=io.StringIO())
    private = CommunityPage.objects.get(slug=PRIVATE_SLUG)
    hidden = CommunityPage.objects.get(slug=HIDDEN_SLUG)
    other = CommunityPage.objects.get(slug=OTHER_SLUG)
    assert private.content_visibility == "members" and not private.hidden
    assert hidden.hidden

    people = {
        "outsider": _person("buiten@crawl.example", "Otto", "Buitenstaander"),
        "member": _person("lid@crawl.example", "Marit", "Zwijgzaam"),
        "moderator": _person("moderator@crawl.example", "Mees", "Stilhouder"),
        "othercoord": _person("elders@crawl.example", "Elif", "Elders"),
        "coordinator": User.objects.get(email="coordinator@voorbeeld.nl"),
        "editor": User.objects.get(email="redacteur@voorbeeld.nl"),
        "superuser": User.objects.get(email="beheer@voorbeeld.nl"),
    }
    assert people["superuser"].is_superuser
    assert people["editor"].groups.filter(name=REDACTEUREN).exists()
    assert not Membership.objects.filter(community=private, user=people["editor"]).exists()
    assert Membership.objects.get(community=private, user=people["coordinator"]).role == (
        Role.COORDINATOR
    )
    member_ship = _join(private, people["member"], Role.MEMBER)
    _join(private, people["moderator"], Role.MODERATOR)
    _join(other, people["othercoord"], Role.COORDINATOR)
    community_services.sync_editor_group(other)
    for role in ("coordinator", "othercoord", "editor", "superuser"):
        enable_totp(people[role])  # the admin asks them for two-factor authentication

    member, coordinator = people["member"], people["coordinator"]
    with override_settings(FORUMS_POSTS_PER_MINUTE=100, FORUMS_NEW_MEMBER_POSTS_PER_MINUTE=100):
        topic = forum_services.start_topic(
            member,
            private,
            title=f"Casus {MARKERS['topic']}",
            body=f"Vertrouwelijk: {MARKERS['post']}",
            is_question=True,
        )
        reply = forum_services.reply(coordinator, topic, body=f"Antwoord {MARKERS['reply']}")
    first_post = topic.posts.order_by("number").first()
    image = PostImage(post=first_post, alt=MARKERS["image"], content_type="image/png")
    image.file.save("crawl.png", ContentFile(PNG), save=True)
    forum_services.flag(member, reply, reason="other", note="Klopt dit?")
    message = CommunityMessage.objects.create(
        community=private,
        author=coordinator,
        subject=f"Bericht {MARKERS['message']}",
        body="Alleen voor de leden.",
    )

    event = EventPage(
        title=f"Werkbezoek {MARKERS['event']}",
        slug="besloten-werkbezoek",
        summary="Alleen voor leden.",
        start=timezone.now() + timedelta(days=10),
        end=timezone.now() + timedelta(days=10, hours=2),
        event_type="werkbezoek",
        audience=EventAudience.MEMBERS,
        event_format="online",
        online_link=f"https://{MARKERS['link']}",
        capacity=20,
    )
    private.add_child(instance=event)
    event.save_revision().publish()
    event = EventPage.objects.get(pk=event.pk)
    from via_platform.events.services import register, sync_occurrences

    occurrence = sync_occurrences(event)[0]
    registration = register(member, occurrence)
    assert registration.state == RegistrationState.REGISTERED
    token = CalendarToken.objects.create(user=member)

    index = LibraryIndexPage.objects.get()
    document = library_helpers.document(title=f"Handreiking {MARKERS['document']}")
    practice = library_helpers.practice(
        index,
        f"Praktijk {MARKERS['practice']}",
        slug="besloten-praktijk",
        communities=[private],
        documents=[document],
        members_only=True,
    )
    with override_settings(FORUMS_POSTS_PER_MINUTE=100, FORUMS_NEW_MEMBER_POSTS_PER_MINUTE=100):
        discussion_post = forum_services.reply_on_page(
            member, practice, body=f"Reactie {MARKERS['discussion']}"
        )
    discussion = discussion_post.topic
    submission = library_helpers.practice(
        index,
        f"Voorstel {MARKERS['submission']}",
        slug="besloten-voorstel",
        communities=[private],
        members_only=True,
        publish=False,
        owner=member,
    )

    course = learning.course(f"Cursus {MARKERS['course']}", slug="besloten-cursus", parent=private)
    lesson = learning.lesson(
        course,
        f"Les {MARKERS['lesson']}",
        learning.quiz(),
        ("reflection", {"question": "Wat neem je mee?", "help": ""}),
    )
    step = learning.session_step(course, event, title=f"Sessie {MARKERS['session']}")
    enrolment = learning_services.enrol(member, course)
    certificate = learning_services.complete(enrolment, by=coordinator)

    happening = Happening.objects.create(
        kind="forums.reply",
        title=f"Nieuw antwoord {MARKERS['notification']}",
        url=forum_services.topic_url(topic),
        audience=[member.pk],
    )
    notification = Notification.objects.create(recipient=member, happening=happening)

    hidden_topic = Topic.objects.filter(community=hidden).order_by("pk").first()
    assert hidden_topic is not None
    return {
        "people": people,
        "private": private,
        "hidden": hidden,
        "other": other,
        "membership": member_ship,
        "topic": topic,
        "post": first_post,
        "reply": reply,
        "image": image,
        "message": message,
        "event": event,
        "occurrence": occurrence,
        "token": token.token,
        "practice": practice,
        "document": document,
        "discussion": discussion,
        "discussion_post": discussion_post,
        "submission": submission,
        "course": course,
        "lesson": lesson,
        "quiz_id": lesson.quizzes()[0].id,
        "reflection_id": next(b.id for b in lesson.body if b.block_type == "reflection"),
        "step": step,
        "certificate": certificate,
        "notification": notification,
        "hidden_topic": hidden_topic,
        "private_texts": _texts_of(private),
        "hidden_texts": [hidden.title, *_texts_of(hidden)],
    }


def _texts_of(*communities: CommunityPage) -> list[str]:
    """Titles of the demo's objects that only these communities' members may read."""
    texts = list(Topic.objects.filter(community__in=communities).values_list("title", flat=True))
    texts += EventPage.objects.filter(
        audience=EventAudience.MEMBERS, community__in=communities
    ).values_list("title", flat=True)
    for practice in PracticePage.objects.filter(members_only=True).prefetch_related("communities"):
        if {c.pk for c in practice.communities.all()} <= {c.pk for c in communities}:
            texts.append(practice.title)
    return [t for t in texts if t]


@pytest.fixture
def world(db):
    """The demo plus the private objects."""
    return _build_world()


@pytest.fixture
def clients(world):
    """One logged-in test client per role (built lazily)."""
    made: dict[str, Client] = {}

    def client_for(role: str) -> Client:
        if role not in made:
            client = Client(raise_request_exception=False)
            if role != "anonymous":
                client.force_login(world["people"][role])
            made[role] = client
        return made[role]

    return client_for


# Rules ------------------------------------------------------------------------------

LOGIN = "login"  # a redirect to the login page


def rule(default, **by):
    """role -> expected outcome: by role name, else by group (coord, mod, read), else
    the default. An outcome is a status code or LOGIN."""

    def expected(role: str):
        if role in by:
            return by[role]
        for group, members in (("coord", COORD), ("mod", MOD), ("read", READ)):
            if group in by and role in members:
                return by[group]
        return default

    return expected


EVERYONE = set(ROLES)


@dataclass
class Case:
    """One request: `url(world)`, with the method and data given, for the roles given."""

    url: object  # callable(world) -> str
    expect: object  # callable(role) -> status or LOGIN
    method: str = "get"
    data: object = field(default_factory=dict)  # or callable(world) -> dict
    roles: tuple = tuple(ROLES)
    # Who may see the private objects in the body (default: the private community's
    # readers); for everyone else no private text may appear.
    sees: frozenset = frozenset(READ)
    shows: tuple = ()  # MARKERS keys that must appear for those in `sees` who get a 200
    never: tuple = ()  # MARKERS keys (or literal texts) that no role may get
    location: object = None  # callable(world, role) -> expected Location (redirects)


def get(url, expect, **kwargs) -> Case:
    return Case(url=url, expect=expect, **kwargs)


def post(url, expect, roles=tuple(REFUSED), data=None, **kwargs) -> Case:
    """POSTs are sent by those who may not act (nothing changes for them)."""
    return Case(url=url, expect=expect, method="post", roles=roles, data=data or {}, **kwargs)


def _p(w) -> str:
    return w["private"].url


def _topic(w, topic="topic") -> str:
    t = w[topic]
    return forum_services.topic_url(t)


def _event(w) -> str:
    return w["event"].url


def _course(w) -> str:
    return w["course"].url


def _lesson(w) -> str:
    return w["lesson"].url


def _index(model) -> str:
    return model.objects.get().url


NOPE = 987654  # an id that does not exist
# Who tries ids that do not exist, and private ids in the wrong place: someone from
# outside, and someone who may do everything (a 404 for both, never a 500).
PROBERS = ("outsider", "superuser")
# POST-only URLs that refuse every other method before anything else: a GET tells
# nobody anything, whoever sends it.
METHOD_PROBERS = ("anonymous", "outsider", "member")


def _read_or(ok, refused=404):
    return rule(refused, read=ok)


FORUM_TOPIC_ROUTES = {
    # route under a topic -> cases, for `topic` ("topic": the private community's forum,
    # "discussion": the discussion under the members-only practice) and its first post
    "": lambda t, p: [
        get(
            lambda w: _topic(w, t),
            _read_or(200),
            shows=("topic" if t == "topic" else "discussion",),
        ),
    ],
    "reageren/": lambda t, p: [get(lambda w: _topic(w, t) + "reageren/", _read_or(200))],
    "ongelezen/": lambda t, p: [get(lambda w: _topic(w, t) + "ongelezen/", _read_or(302))],
    "bericht/<int:number>/": lambda t, p: [
        get(lambda w: _topic(w, t) + "bericht/1/", _read_or(302)),
        get(lambda w: _topic(w, t) + f"bericht/{NOPE}/", rule(404), roles=PROBERS),
    ],
    "volgen/": lambda t, p: [
        get(lambda w: _topic(w, t) + "volgen/", _read_or(405)),
        post(lambda w: _topic(w, t) + "volgen/", rule(404), data={"level": "watching"}),
    ],
    "berichten/<int:post_id>/bewerken/": lambda t, p: [
        get(lambda w: _topic(w, t) + f"berichten/{w[p].pk}/bewerken/", _read_or(200)),
        post(
            lambda w: _topic(w, t) + f"berichten/{w[p].pk}/bewerken/",
            rule(404),
            data={"body": "Overschreven"},
        ),
        get(lambda w: _topic(w, t) + f"berichten/{NOPE}/bewerken/", rule(404), roles=PROBERS),
    ],  # fmt: skip
    "berichten/<int:post_id>/verwijderen/": lambda t, p: [
        # The author is asked to confirm; anyone else who reads is sent back.
        get(
            lambda w: _topic(w, t) + f"berichten/{w[p].pk}/verwijderen/",
            rule(404, read=302, member=200),
        ),
        post(lambda w: _topic(w, t) + f"berichten/{w[p].pk}/verwijderen/", rule(404)),
    ],
    "berichten/<int:post_id>/geschiedenis/": lambda t, p: [
        get(lambda w: _topic(w, t) + f"berichten/{w[p].pk}/geschiedenis/", rule(404, mod=200)),
        get(lambda w: _topic(w, t) + f"berichten/{NOPE}/geschiedenis/", rule(404), roles=PROBERS),
    ],
    "berichten/<int:post_id>/accepteren/": lambda t, p: [
        get(lambda w: _topic(w, t) + f"berichten/{w[p].pk}/accepteren/", _read_or(405)),
        post(lambda w: _topic(w, t) + f"berichten/{w[p].pk}/accepteren/", rule(404)),
    ],
    "berichten/<int:post_id>/melden/": lambda t, p: [
        get(lambda w: _topic(w, t) + f"berichten/{w[p].pk}/melden/", _read_or(200)),
        post(
            lambda w: _topic(w, t) + f"berichten/{w[p].pk}/melden/",
            rule(404),
            data={"reason": "spam"},
        ),
        get(lambda w: _topic(w, t) + f"berichten/{NOPE}/melden/", rule(404), roles=PROBERS),
    ],  # fmt: skip
    "berichten/<int:post_id>/afbeeldingen/<int:image_id>/": lambda t, p: [
        get(
            lambda w: _topic(w, t) + f"berichten/{w[p].pk}/afbeeldingen/{w['image'].pk}/",
            _read_or(200) if t == "topic" else rule(404),
        ),
        get(
            lambda w: _topic(w, t) + f"berichten/{w[p].pk}/afbeeldingen/{NOPE}/",
            rule(404),
            roles=PROBERS,
        ),
    ],  # fmt: skip
    "moderatie/": lambda t, p: [
        get(lambda w: _topic(w, t) + "moderatie/", _read_or(405)),
        post(
            lambda w: _topic(w, t) + "moderatie/",
            rule(404),
            data={"action": "close", "reason": "Gesloten"},
        ),
    ],  # fmt: skip
    "moderatie/berichten/<int:post_id>/": lambda t, p: [
        get(lambda w: _topic(w, t) + f"moderatie/berichten/{w[p].pk}/", _read_or(405)),
        post(
            lambda w: _topic(w, t) + f"moderatie/berichten/{w[p].pk}/",
            rule(404),
            data={"action": "hide", "reason": "Weg"},
        ),
        post(
            lambda w: _topic(w, t) + f"moderatie/berichten/{NOPE}/",
            rule(404),
            roles=("superuser",),
            data={"action": "hide", "reason": "Weg"},
        ),
    ],  # fmt: skip
}


def _topic_cases(topic: str, post_key: str) -> dict:
    return {route: make(topic, post_key) for route, make in FORUM_TOPIC_ROUTES.items()}


def _crossed_post_ids() -> list[Case]:
    """A post is only found in its own topic: the private topic's first post under the
    practice's discussion, and the other way round."""
    return [
        get(lambda w: f"{_topic(w, 'discussion')}berichten/{w['post'].pk}/bewerken/", rule(404),
            roles=("member", "superuser")),
        get(lambda w: f"{_topic(w, 'topic')}berichten/{w['discussion_post'].pk}/melden/",
            rule(404), roles=("member", "superuser")),
    ]  # fmt: skip


def _crossed_topic_ids() -> list[Case]:
    """A topic is only found where it lives: the private topic under another forum or
    under /discussies/, and the hidden community's topic under the private forum."""
    return [
        get(lambda w: f"{w['other'].url}forum/{w['topic'].pk}/", rule(404), roles=PROBERS),
        get(lambda w: f"/discussies/{w['topic'].pk}/", rule(404), roles=PROBERS),
        get(lambda w: f"{_p(w)}forum/{w['hidden_topic'].pk}/", rule(404), roles=PROBERS),
        get(lambda w: f"{_p(w)}forum/{w['discussion'].pk}/", rule(404), roles=PROBERS),
        get(lambda w: f"{_p(w)}forum/{NOPE}/", rule(404), roles=PROBERS),
    ]


MEMBERS_PAGE = rule(403, anonymous=LOGIN, read=200)
COORDINATOR_PAGE = rule(403, anonymous=LOGIN, coord=200)
MODERATOR_PAGE = rule(404, anonymous=LOGIN, mod=200)
ACCOUNT_PAGE = rule(200, anonymous=LOGIN)
HIDDEN_READ = rule(404, coordinator=200, superuser=200)  # the hidden community's members

COMMUNITY_ROUTES = {
    "": [
        get(_p, rule(200), shows=("topic",)),
        get(lambda w: w["hidden"].url, HIDDEN_READ),
    ],
    "lid-worden/": [get(lambda w: _p(w) + "lid-worden/", rule(405), roles=METHOD_PROBERS)],
    "verlaten/": [get(lambda w: _p(w) + "verlaten/", rule(405), roles=METHOD_PROBERS)],
    "berichten/<int:message_id>/": [
        get(lambda w: f"{_p(w)}berichten/{w['message'].pk}/", _read_or(200), shows=("message",)),
        get(lambda w: f"{w['other'].url}berichten/{w['message'].pk}/", rule(404), roles=PROBERS),
        get(lambda w: f"{_p(w)}berichten/{NOPE}/", rule(404), roles=PROBERS),
    ],
    "leden/": [get(lambda w: _p(w) + "leden/", MEMBERS_PAGE)],
    "leden/export/": [get(lambda w: _p(w) + "leden/export/", COORDINATOR_PAGE)],
    "leden/<int:membership_id>/": [
        get(lambda w: f"{_p(w)}leden/{w['membership'].pk}/", rule(405), roles=METHOD_PROBERS),
        post(
            lambda w: f"{_p(w)}leden/{w['membership'].pk}/",
            rule(403, anonymous=LOGIN),
            roles=(*REFUSED, "member", "moderator"),
            data={"action": "remove"},
        ),
        post(
            lambda w: f"{w['other'].url}leden/{w['membership'].pk}/",
            rule(404),
            roles=("othercoord",),
            data={"action": "remove"},
        ),
        post(
            lambda w: f"{_p(w)}leden/{NOPE}/",
            rule(404),
            roles=("coordinator",),
            data={"action": "remove"},
        ),
    ],  # fmt: skip
    "uitnodigen/": [get(lambda w: _p(w) + "uitnodigen/", COORDINATOR_PAGE)],
    "bericht/": [get(lambda w: _p(w) + "bericht/", COORDINATOR_PAGE)],
    # The forum (section routes, see communities.sections and forums.urls)
    "forum/": [
        get(lambda w: _p(w) + "forum/", _read_or(200), shows=("topic",)),
        get(lambda w: w["hidden"].url + "forum/", HIDDEN_READ),
    ],
    "forum/nieuw/": [get(lambda w: _p(w) + "forum/nieuw/", _read_or(200))],
    "forum/volgen/": [
        get(lambda w: _p(w) + "forum/volgen/", rule(405), roles=METHOD_PROBERS),
        post(lambda w: _p(w) + "forum/volgen/", rule(404), data={"level": "watching"}),
    ],
    "forum/alles-gelezen/": [
        get(lambda w: _p(w) + "forum/alles-gelezen/", rule(405), roles=METHOD_PROBERS),
        post(lambda w: _p(w) + "forum/alles-gelezen/", rule(404)),
    ],
    "forum/leden-zoeken/": [
        get(lambda w: _p(w) + "forum/leden-zoeken/?q=Zwijg", _read_or(200)),
    ],
    "forum/moderatie/": [get(lambda w: _p(w) + "forum/moderatie/", MODERATOR_PAGE)],
    "forum/moderatie/logboek/": [get(lambda w: _p(w) + "forum/moderatie/logboek/", MODERATOR_PAGE)],
    "forum/moderatie/leden/<int:user_id>/": [
        get(lambda w: f"{_p(w)}forum/moderatie/leden/{w['people']['member'].pk}/", MODERATOR_PAGE),
        get(
            lambda w: f"{_p(w)}forum/moderatie/leden/{NOPE}/",
            rule(404, anonymous=LOGIN),
            roles=("anonymous", "outsider", "moderator", "superuser"),
        ),
    ],  # fmt: skip
    **{
        f"forum/<int:topic_id>/{route}": cases
        for route, cases in _topic_cases("topic", "post").items()
    },
}
COMMUNITY_ROUTES["forum/<int:topic_id>/"] += _crossed_topic_ids()
COMMUNITY_ROUTES["forum/<int:topic_id>/berichten/<int:post_id>/bewerken/"] += _crossed_post_ids()

EVENT_MANAGERS = rule(404, member=403, moderator=403, coord=200)

EVENT_ROUTES = {
    "": [get(_event, _read_or(200), shows=("event",))],
    "aanmelden/": [
        get(lambda w: _event(w) + "aanmelden/", rule(405), roles=METHOD_PROBERS),
        post(
            lambda w: _event(w) + "aanmelden/",
            rule(404),
            data=lambda w: {"occurrence": w["occurrence"].pk},
        ),
    ],  # fmt: skip
    "afmelden/": [
        get(lambda w: _event(w) + "afmelden/", rule(405), roles=METHOD_PROBERS),
        post(lambda w: _event(w) + "afmelden/", rule(404)),
    ],
    "deelnemers/": [get(lambda w: _event(w) + "deelnemers/", EVENT_MANAGERS)],
    "deelnemers/export/csv/": [get(lambda w: _event(w) + "deelnemers/export/csv/", EVENT_MANAGERS)],
    "deelnemers/export/xlsx/": [
        get(lambda w: _event(w) + "deelnemers/export/xlsx/", EVENT_MANAGERS)
    ],
}

COURSE_MANAGERS = rule(404, member=403, moderator=403, coord=200)

COURSE_ROUTES = {
    "": [get(_course, _read_or(200), shows=("course",))],
    "inschrijven/": [
        get(lambda w: _course(w) + "inschrijven/", rule(405), roles=METHOD_PROBERS),
        post(lambda w: _course(w) + "inschrijven/", rule(404)),
    ],
    "uitschrijven/": [
        get(lambda w: _course(w) + "uitschrijven/", rule(405), roles=METHOD_PROBERS),
        post(lambda w: _course(w) + "uitschrijven/", rule(404)),
    ],
    "verder/": [get(lambda w: _course(w) + "verder/", _read_or(302))],
    "deelnemers/": [get(lambda w: _course(w) + "deelnemers/", COURSE_MANAGERS)],
    "deelnemers/export/csv/": [
        get(lambda w: _course(w) + "deelnemers/export/csv/", COURSE_MANAGERS)
    ],
}

LESSON_TAKERS = rule(404, member=200, moderator=302, coord=200)

LESSON_ROUTES = {
    "": [get(_lesson, LESSON_TAKERS, shows=("lesson",), sees=frozenset({"member", *COORD}))],
    "afronden/": [
        get(lambda w: _lesson(w) + "afronden/", rule(405), roles=METHOD_PROBERS),
        post(lambda w: _lesson(w) + "afronden/", rule(404)),
    ],
    "^toets/(?P<quiz_id>[0-9a-f-]{36})/$": [
        get(lambda w: f"{_lesson(w)}toets/{w['quiz_id']}/", rule(405), roles=METHOD_PROBERS),
        post(lambda w: f"{_lesson(w)}toets/{w['quiz_id']}/", rule(404), data={"q0": "0"}),
        # A quiz the lesson does not have: back to the lesson.
        post(lambda w: f"{_lesson(w)}toets/{uuid.uuid4()}/", rule(302), roles=("member",)),
    ],
    "^reflectie/(?P<block_id>[0-9a-f-]{36})/$": [
        get(
            lambda w: f"{_lesson(w)}reflectie/{w['reflection_id']}/",
            rule(405),
            roles=METHOD_PROBERS,
        ),
        post(
            lambda w: f"{_lesson(w)}reflectie/{w['reflection_id']}/",
            rule(404),
            data={"text": "Geheim"},
        ),
        post(
            lambda w: f"{_lesson(w)}reflectie/{uuid.uuid4()}/",
            rule(302),
            roles=("member",),
            data={"text": "Geheim"},
        ),
    ],  # fmt: skip
}

PRACTICE_ROUTES = {
    "": [get(lambda w: w["practice"].url, _read_or(200, 403), shows=("practice",))],
    "toepassen/": [
        get(lambda w: w["practice"].url + "toepassen/", _read_or(405)),
        post(lambda w: w["practice"].url + "toepassen/", rule(404)),
    ],
}


def _library(w) -> str:
    return _index(LibraryIndexPage)


SUBMISSION_READERS = frozenset({"member", "coordinator", "editor", "superuser"})

LIBRARY_ROUTES = {
    "": [
        get(
            lambda w: _library(w) + f"?q={MARKERS['practice'].lower()}",
            rule(200),
            shows=("practice",),
        ),
        get(lambda w: _library(w) + f"?netwerk={w['private'].pk}", rule(200), shows=("practice",)),
    ],
    "indienen/": [get(lambda w: _library(w) + "indienen/", ACCOUNT_PAGE)],
    "inzendingen/": [
        get(lambda w: _library(w) + "inzendingen/", ACCOUNT_PAGE, sees=SUBMISSION_READERS)
    ],
    "inzendingen/<int:page_id>/": [
        get(
            lambda w: f"{_library(w)}inzendingen/{w['submission'].pk}/",
            rule(404, anonymous=LOGIN, **dict.fromkeys(SUBMISSION_READERS, 200)),
            sees=SUBMISSION_READERS,
            shows=("submission",),
        ),
        get(
            lambda w: f"{_library(w)}inzendingen/{w['practice'].pk}/",
            rule(404, anonymous=LOGIN),
            roles=("anonymous", "outsider", "member"),
        ),
        get(
            lambda w: f"{_library(w)}inzendingen/{NOPE}/", rule(404, anonymous=LOGIN), roles=PROBERS
        ),
    ],  # fmt: skip
    "inzendingen/<int:page_id>/bewerken/": [
        get(
            lambda w: f"{_library(w)}inzendingen/{w['submission'].pk}/bewerken/",
            # Only the submitter edits; reviewers review (and are refused here).
            rule(404, anonymous=LOGIN, member=200, coordinator=403, editor=403, superuser=403),
            sees=SUBMISSION_READERS,
        ),
        get(
            lambda w: f"{_library(w)}inzendingen/{NOPE}/bewerken/",
            rule(404, anonymous=LOGIN),
            roles=PROBERS,
        ),
    ],  # fmt: skip
}


def _learning(w) -> str:
    from via_platform.learning.models import LearningIndexPage

    return _index(LearningIndexPage)


LEARNING_ROUTES = {
    "": [
        get(lambda w: _learning(w), rule(200), shows=("course",)),
        get(lambda w: _learning(w) + f"?netwerk={w['private'].pk}", rule(200), shows=("course",)),
    ],
    "mijn/": [
        get(
            lambda w: _learning(w) + "mijn/",
            ACCOUNT_PAGE,
            sees=frozenset({"member"}),
            shows=("course",),
        )
    ],  # fmt: skip
    "^certificaat/(?P<code>[A-Za-z0-9-]{1,40})/$": [
        # Anyone holding a certificate's code may check it (its name and course): the
        # code is the secret, like a paper certificate's number.
        get(
            lambda w: f"{_learning(w)}certificaat/{w['certificate'].code}/",
            rule(200),
            sees=frozenset(EVERYONE),
            shows=("course",),
        ),
        get(lambda w: f"{_learning(w)}certificaat/NIETBESTAAND-1/", rule(404), roles=PROBERS),
    ],  # fmt: skip
    "^certificaat/(?P<code>[A-Za-z0-9-]{1,40})/pdf/$": [
        get(
            lambda w: f"{_learning(w)}certificaat/{w['certificate'].code}/pdf/",
            rule(404, anonymous=LOGIN, member=200, coord=200),
        ),
        get(lambda w: f"{_learning(w)}certificaat/NIETBESTAAND-1/pdf/", rule(404, anonymous=LOGIN)),
    ],  # fmt: skip
}

SESSION_STEP = [
    get(lambda w: w["step"].url, LESSON_TAKERS, shows=("session",),
        sees=frozenset({"member", *COORD}))
]  # fmt: skip


def _agenda(w) -> str:
    from via_platform.events.models import AgendaIndexPage

    return _index(AgendaIndexPage)


AGENDA_ROUTES = {
    "": [
        get(_agenda, rule(200), shows=("event",)),
        get(lambda w: _agenda(w) + f"?netwerk={w['private'].pk}", rule(200), shows=("event",)),
        get(lambda w: _agenda(w) + "?mijn=1", rule(200)),
        get(lambda w: _agenda(w) + "?mijn=1", rule(200), roles=("member",), shows=("event",)),
    ],  # fmt: skip
}

# Django's URL patterns (full route -> cases). Patterns under ADMIN_PREFIXES are
# classified as a whole and checked in test_admin_*.
ADMIN_PREFIXES = ("admin/", "django-admin/")
ALLAUTH = "allauth: account pages, no community objects"

URL_PATTERNS = {
    "healthz": [get(lambda w: "/healthz", rule(200))],
    r"documents/^(\d+)/(.*)$": [
        # Editors manage documents in the admin (wagtail_hooks.may_download).
        get(
            lambda w: w["document"].url,
            rule(404, read=200, editor=200),
            sees=frozenset({*READ, "editor"}),
        ),
        get(lambda w: f"/documents/{NOPE}/handreiking.pdf", rule(404), roles=PROBERS),
        get(
            lambda w: f"/documents/{w['document'].pk}/andere-naam.pdf",
            rule(404),
            roles=("outsider",),
        ),
    ],  # fmt: skip
    "documents/authenticate_with_password/<int:restriction_id>/": [
        get(lambda w: f"/documents/authenticate_with_password/{NOPE}/", rule(404))
    ],
    "account/profiel/": [get(lambda w: "/account/profiel/", ACCOUNT_PAGE)],
    "account/privacy/": [get(lambda w: "/account/privacy/", ACCOUNT_PAGE)],
    "account/privacy/download/": [get(lambda w: "/account/privacy/download/", ACCOUNT_PAGE)],
    "account/privacy/verwijderen/": [get(lambda w: "/account/privacy/verwijderen/", ACCOUNT_PAGE)],
    "account/overal-uitloggen/": [get(lambda w: "/account/overal-uitloggen/", ACCOUNT_PAGE)],
    "leden/<int:user_id>/": [
        # Names are for logged-in people (Profile.is_visible); nothing for anonymous.
        get(lambda w: f"/leden/{w['people']['member'].pk}/", rule(200, anonymous=404)),
        get(lambda w: f"/leden/{NOPE}/", rule(404), roles=PROBERS),
    ],
    "taal/": [get(lambda w: "/taal/", rule(302))],
    # Searched in lower case: the page repeats the query, the results show the title.
    "zoeken/": [
        get(lambda w: f"/zoeken/?q={MARKERS['topic'].lower()}", rule(200), shows=("topic",)),
        *(
            get(
                lambda w, key=key: f"/zoeken/?q={MARKERS[key].lower()}",
                rule(200),
                shows=(key,),
                roles=("anonymous", "outsider", "member", "othercoord", "editor"),
            )
            for key in ("practice", "event", "course")
        ),
    ],
    "meldingen/": [
        get(
            lambda w: "/meldingen/",
            ACCOUNT_PAGE,
            sees=frozenset({"member"}),
            shows=("notification",),
        )
    ],  # fmt: skip
    "meldingen/<int:notification_id>/open/": [
        get(
            lambda w: f"/meldingen/{w['notification'].pk}/open/",
            rule(405, anonymous=LOGIN),
            roles=METHOD_PROBERS,
        ),
        # Someone else's notification: back to one's own list, not to where it points.
        post(
            lambda w: f"/meldingen/{w['notification'].pk}/open/",
            rule(302, anonymous=LOGIN),
            roles=tuple(r for r in ROLES if r != "member"),
            location=lambda w, role: "/meldingen/",
        ),
        post(
            lambda w: f"/meldingen/{NOPE}/open/",
            rule(302),
            roles=("member",),
            location=lambda w, role: "/meldingen/",
        ),
    ],  # fmt: skip
    "meldingen/alles-gelezen/": [
        get(lambda w: "/meldingen/alles-gelezen/", rule(405, anonymous=LOGIN), roles=METHOD_PROBERS)
    ],
    "meldingen/instellingen/": [get(lambda w: "/meldingen/instellingen/", ACCOUNT_PAGE)],
    "meldingen/afmelden/<str:token>/": [
        get(lambda w: "/meldingen/afmelden/niet-geldig/", rule(400), roles=PROBERS),
        post(lambda w: "/meldingen/afmelden/niet-geldig/", rule(400), roles=tuple(ROLES)),
    ],
    "sitemap.xml": [
        get(lambda w: "/sitemap.xml", rule(200), sees=frozenset(), never=("besloten-", HIDDEN_SLUG))
    ],  # fmt: skip
    "organisaties/": [get(lambda w: "/organisaties/", rule(200))],
    "organisaties/<slug:slug>/": [
        get(lambda w: "/organisaties/gemeente-rotterdam/", rule(200)),
        get(lambda w: "/organisaties/bestaat-niet/", rule(404), roles=PROBERS),
    ],
    # iCalendar: the public and community feeds are what an anonymous visitor sees,
    # for everyone; no feed carries a meeting link.
    "agenda/feed.ics": [
        get(lambda w: "/agenda/feed.ics", rule(200), sees=frozenset(), never=("link",))
    ],
    "agenda/netwerk/<int:community_id>.ics": [
        get(
            lambda w: f"/agenda/netwerk/{w['private'].pk}.ics",
            rule(200),
            sees=frozenset(),
            never=("event", "link"),
        ),
        get(lambda w: f"/agenda/netwerk/{w['hidden'].pk}.ics", rule(404)),
        get(lambda w: f"/agenda/netwerk/{NOPE}.ics", rule(404), roles=PROBERS),
        get(lambda w: f"/agenda/netwerk/{w['practice'].pk}.ics", rule(404), roles=PROBERS),
    ],  # fmt: skip
    "agenda/persoonlijk/vernieuwen/": [
        get(
            lambda w: "/agenda/persoonlijk/vernieuwen/",
            rule(405, anonymous=LOGIN),
            roles=METHOD_PROBERS,
        )
    ],
    "agenda/persoonlijk/<str:token>.ics": [
        # The member's secret feed URL is theirs to share; a wrong token finds nothing.
        get(
            lambda w: f"/agenda/persoonlijk/{w['token']}.ics",
            rule(200),
            sees=frozenset(EVERYONE),
            shows=("event",),
            never=("link",),
        ),
        get(lambda w: "/agenda/persoonlijk/geraden-token.ics", rule(404), roles=PROBERS),
    ],  # fmt: skip
    "agenda/evenement/<int:event_id>.ics": [
        get(lambda w: f"/agenda/evenement/{w['event'].pk}.ics", _read_or(200), shows=("event",)),
        get(lambda w: f"/agenda/evenement/{NOPE}.ics", rule(404), roles=PROBERS),
        get(lambda w: f"/agenda/evenement/{w['practice'].pk}.ics", rule(404), roles=PROBERS),
    ],
    "discussies/pagina/<int:page_id>/reageren/": [
        get(lambda w: f"/discussies/pagina/{w['practice'].pk}/reageren/", _read_or(200)),
        post(
            lambda w: f"/discussies/pagina/{w['practice'].pk}/reageren/",
            rule(404),
            data={"body": "Inbraak"},
        ),
        get(lambda w: f"/discussies/pagina/{w['private'].pk}/reageren/", rule(404), roles=PROBERS),
        get(lambda w: f"/discussies/pagina/{NOPE}/reageren/", rule(404), roles=PROBERS),
    ],  # fmt: skip
    **{
        f"discussies/<int:topic_id>/{route}": cases
        for route, cases in _topic_cases("discussion", "discussion_post").items()
    },
    # Development only (settings.DEBUG): public media folders, no private files.
    "^media/original_images/(?P<path>.+)$": "optional",
    "^media/images/(?P<path>.+)$": "optional",
    "^media/profielen/(?P<path>.+)$": "optional",
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": [
        get(lambda w: f"/_util/authenticate_with_password/{NOPE}/{w['practice'].pk}/", rule(404))
    ],
    "_util/login/": [get(lambda w: "/_util/login/", rule(200))],
    r"^((?:[\w\-]+/)*)$": "the page tree: PAGE_ROUTES",
}
URL_PATTERNS["discussies/<int:topic_id>/"].append(
    get(lambda w: f"/discussies/{NOPE}/", rule(404), roles=PROBERS)
)
# allauth's account pages hold no community objects: test_account_pages opens each one
# (arguments filled in) as anonymous visitor, outsider and member.
ACCOUNT_URLS = {
    "account/login/": "/account/login/",
    "account/logout/": "/account/logout/",
    "account/inactive/": "/account/inactive/",
    "account/signup/": "/account/signup/",
    "account/reauthenticate/": "/account/reauthenticate/",
    "account/email/": "/account/email/",
    "account/confirm-email/": "/account/confirm-email/",
    "account/password/change/": "/account/password/change/",
    "account/password/set/": "/account/password/set/",
    "account/password/reset/": "/account/password/reset/",
    "account/login/code/confirm/": "/account/login/code/confirm/",
    r"account/^confirm-email/(?P<key>[-:\w]+)/$": "/account/confirm-email/geraden-sleutel/",
    "account/password/reset/key/done/": "/account/password/reset/key/done/",
    "account/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
        "/account/password/reset/key/1-geraden-sleutel/"
    ),
    "account/password/reset/done/": "/account/password/reset/done/",
    "account/2fa/": "/account/2fa/",
    "account/2fa/authenticate/": "/account/2fa/authenticate/",
    "account/2fa/reauthenticate/": "/account/2fa/reauthenticate/",
    "account/2fa/totp/activate/": "/account/2fa/totp/activate/",
    "account/2fa/totp/deactivate/": "/account/2fa/totp/deactivate/",
    "account/2fa/recovery-codes/": "/account/2fa/recovery-codes/",
    "account/2fa/recovery-codes/generate/": "/account/2fa/recovery-codes/generate/",
    "account/2fa/recovery-codes/download/": "/account/2fa/recovery-codes/download/",
    "account/3rdparty/login/cancelled/": "/account/3rdparty/login/cancelled/",
    "account/3rdparty/login/error/": "/account/3rdparty/login/error/",
    "account/3rdparty/signup/": "/account/3rdparty/signup/",
    "account/3rdparty/": "/account/3rdparty/",
    "account/social/login/cancelled/": "/account/social/login/cancelled/",
    "account/social/login/error/": "/account/social/login/error/",
    "account/social/signup/": "/account/social/signup/",
    "account/social/connections/": "/account/social/connections/",
    "account/oidc/^(?P<provider_id>[^/]+)/login/": "/account/oidc/gemeente/login/",
    "account/oidc/^(?P<provider_id>[^/]+)/login/callback/": (
        "/account/oidc/gemeente/login/callback/?code=x&state=y"
    ),
}
for _route in ACCOUNT_URLS:
    URL_PATTERNS[_route] = ALLAUTH

# Page types: routes of RoutablePages (with the community sections' routes), or
# "serve" for the others -> cases, or a string saying why none are needed.
PAGE_ROUTES = {
    "Page": {"serve": "the tree's root, never served"},
    "HomePage": {"serve": "public; test_page_tree"},
    "ContentPage": {"serve": "public; test_page_tree"},
    "SectionIndexPage": {"serve": "public; test_page_tree"},
    "CommunityIndexPage": {
        "serve": [get(lambda w: w["private"].get_parent().url, rule(200), never=())],  # fmt: skip
    },
    "CommunityPage": COMMUNITY_ROUTES,
    "AgendaIndexPage": AGENDA_ROUTES,
    "EventPage": EVENT_ROUTES,
    "LibraryIndexPage": LIBRARY_ROUTES,
    "PracticePage": PRACTICE_ROUTES,
    "MenukaartPage": {"serve": "public; test_page_tree (lists public practices only)"},
    "CollectionPage": {"serve": "public; test_page_tree (lists public practices only)"},
    "LearningIndexPage": LEARNING_ROUTES,
    "CoursePage": COURSE_ROUTES,
    "LessonPage": LESSON_ROUTES,
    "SessionStepPage": {"serve": SESSION_STEP},
}


# Enumeration ------------------------------------------------------------------------


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def url_patterns() -> list[str]:
    return list(dict.fromkeys(_walk(get_resolver().url_patterns)))


def page_routes() -> dict[str, list[str]]:
    routes = {}
    for model in get_page_models():
        if issubclass(model, RoutablePageMixin):
            routes[model.__name__] = list(dict.fromkeys(_walk(model.get_subpage_urls())))
        else:
            routes[model.__name__] = ["serve"]
    return routes


def all_cases() -> list[tuple[str, Case]]:
    cases = []
    for key, value in URL_PATTERNS.items():
        if isinstance(value, list):
            cases += [(key, case) for case in value]
    for model, routes in PAGE_ROUTES.items():
        for route, value in routes.items():
            if isinstance(value, list):
                cases += [(f"{model}:{route}", case) for case in value]
    return cases


# Checking ---------------------------------------------------------------------------

HIDDEN_MEMBERS = {"coordinator", "superuser"}  # of the demo's hidden community
LINK_SEERS = {"member", "coordinator", "superuser"}  # registered, or managing the event


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def admin_body(response) -> str:
    """The body, with the HTML of the admin's modal (JSON) responses as text."""
    body = body_of(response)
    if response.get("Content-Type", "").startswith("application/json"):
        body += "\n" + json.dumps(json.loads(body), ensure_ascii=False)
    return body


def forbidden_texts(w, role: str, case: Case) -> list[str]:
    texts = []
    if role not in case.sees:
        texts += [value for key, value in MARKERS.items()]
        texts += w["private_texts"]
    if role not in HIDDEN_MEMBERS and role not in case.sees:
        texts += w["hidden_texts"]
    if role not in LINK_SEERS:
        texts.append(MARKERS["link"])
    if role == "anonymous" and role not in case.sees:
        texts += PRIVATE_NAMES
    texts += [MARKERS.get(key, key) for key in case.never]
    return list(dict.fromkeys(texts))


def found_in(text: str, body: str) -> bool:
    if text in body:
        return True
    escaped = html.escape(text)
    return escaped != text and escaped in body


def check(clients, w, key: str, case: Case, role: str) -> list[str]:
    url = case.url(w)
    data = case.data(w) if callable(case.data) else case.data
    client = clients(role)
    if case.method == "post":
        response = client.post(url, data)
    else:
        response = client.get(url)
    status, expected = response.status_code, case.expect(role)
    where = f"{role:<11} {case.method.upper():<4} {url}  [{key}]"
    problems = []
    if expected == LOGIN:
        location = response.get("Location", "")
        if status != 302 or "/account/login/" not in location:
            problems.append(f"{where}: got {status} {location}, expected a redirect to log in")
    elif status != expected:
        problems.append(f"{where}: got {status}, expected {expected}")
    if case.location is not None and status == 302 and expected == 302:
        wanted = case.location(w, role)
        if response.get("Location") != wanted:
            problems.append(f"{where}: redirected to {response.get('Location')}, not {wanted}")
    body = body_of(response)
    leaked = [t for t in forbidden_texts(w, role, case) if found_in(t, body)]
    if leaked:
        problems.append(f"{where}: shows {leaked}")
    if status == 200 and role in case.sees:
        missing = [k for k in case.shows if not found_in(MARKERS[k], body)]
        if missing:
            problems.append(f"{where}: does not show {[MARKERS[k] for k in missing]}")
    return problems


# Tests ------------------------------------------------------------------------------


def test_every_url_is_classified():
    """A new URL pattern or page route fails here until it is added to the tables."""
    unclassified, stale = [], []
    patterns = url_patterns()
    for pattern in patterns:
        if pattern.startswith(ADMIN_PREFIXES):
            continue
        if pattern not in URL_PATTERNS:
            unclassified.append(pattern)
    for key, value in URL_PATTERNS.items():
        if key not in patterns and value != "optional":
            stale.append(key)
    for model, routes in page_routes().items():
        classified = PAGE_ROUTES.get(model, {})
        unclassified += [f"{model}:{r}" for r in routes if r not in classified]
        stale += [f"{model}:{r}" for r in classified if r not in routes]
    stale += [f"{model}:*" for model in PAGE_ROUTES if model not in page_routes()]
    assert not unclassified, "URLs nobody classified (add them to the tables):\n" + "\n".join(
        unclassified
    )
    assert not stale, "classified URLs that no longer exist:\n" + "\n".join(stale)
    assert any(p.startswith("admin/") for p in patterns)
    assert any(p.startswith("django-admin/") for p in patterns)


@pytest.fixture
def quiet_requests():
    """Refusals are expected here by the hundred: no warning with a traceback for each
    (errors, 500s included, are still logged)."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def crawl_private_community(world, clients) -> list[str]:
    """Every classified URL with the private community's objects, as every role."""
    problems = []
    for key, case in all_cases():
        for role in case.roles:
            problems += check(clients, world, key, case, role)
    return problems


def _tree_expectation(page, role: str, w) -> int:
    """What anonymous visitors and outsiders get for a live page of the demo."""
    hidden = w["hidden"]
    if page.is_descendant_of(hidden) or page.pk == hidden.pk:
        return 404
    if isinstance(page, PracticePage) and page.members_only:
        return 403  # the "for members only" page, naming the (visible) communities
    if isinstance(page, EventPage) and page.audience == EventAudience.MEMBERS:
        return 404 if page.community_id is not None or role == "anonymous" else 200
    course = page if isinstance(page, CoursePage) else None
    if isinstance(page, (LessonPage, SessionStepPage)):
        course = page.get_parent().specific
    if course is not None and course.community_id is not None:
        if course.community.content_visibility == "members":
            return 404
    if isinstance(page, (LessonPage, SessionStepPage)):
        return 302  # to the course (or the login page) to enrol first
    return 200


def crawl_page_tree(world, clients) -> list[str]:
    """Every live page of the demo (and the private objects) as an anonymous visitor
    and as an outsider: the expected status, and nothing private in any body."""
    pages = Page.objects.live().filter(depth__gt=1).specific().order_by("path")
    assert pages.count() > 80
    problems = []
    for page in pages:
        url = page.url
        # Logged in or not, a public practice is the same page: anonymous visitors
        # read every one of them, outsiders the members-only ones.
        public_practice = isinstance(page, PracticePage) and not page.members_only
        for role in ("anonymous",) if public_practice else ("anonymous", "outsider"):
            case = Case(
                url=lambda w, url=url: url, expect=lambda r, p=page: _tree_expectation(p, r, world)
            )
            problems += check(clients, world, f"{type(page).__name__}:serve", case, role)
    return problems


ADMIN_LOGIN = "admin-login"
# The admins' own login pages, or the site's (where two-factor authentication applies).
ADMIN_LOGIN_URLS = ("/admin/login/", "/django-admin/login/", "/account/login/")


def _admin_urls(w) -> dict[str, str]:
    return {
        "dashboard": "/admin/",
        "explorer of the private community": f"/admin/pages/{w['private'].pk}/",
        "explorer results of the private community": f"/admin/pages/{w['private'].pk}/results/",
        "explorer of the hidden community": f"/admin/pages/{w['hidden'].pk}/",
        "explorer results of the hidden community": f"/admin/pages/{w['hidden'].pk}/results/",
        "move the private event to the hidden community": (
            f"/admin/pages/{w['event'].pk}/move/{w['hidden'].pk}/confirm/"
        ),
        "move the private course within its community": (
            f"/admin/pages/{w['course'].pk}/move/{w['private'].pk}/confirm/"
        ),
        "chooser in the private community": f"/admin/choose-page/{w['private'].pk}/",
        "chooser in the hidden community": f"/admin/choose-page/{w['hidden'].pk}/",
        "chooser in the library": f"/admin/choose-page/{w['practice'].get_parent().pk}/",
        "chooser search": "/admin/choose-page/search/?q=Taskforce",
        "chooser search for the private event": f"/admin/choose-page/search/?q={MARKERS['event']}",
        "chosen pages": (
            f"/admin/choose-page/chosen-multiple/?id={w['hidden'].pk}&id={w['event'].pk}"
        ),
        "page types report": "/admin/reports/page-types-usage/",
        "edit the private community": f"/admin/pages/{w['private'].pk}/edit/",
        "edit the private event": f"/admin/pages/{w['event'].pk}/edit/",
        "edit the members-only practice": f"/admin/pages/{w['practice'].pk}/edit/",
        "organisations (snippets)": "/admin/snippets/organisations/organisation/",
        "documents": "/admin/documents/",
        "images": "/admin/images/",
        "users": "/admin/users/",
        "django admin": "/django-admin/",
        "django admin users": "/django-admin/accounts/user/",
        "django admin notifications": "/django-admin/notifications/",
    }


# (url name -> role -> outcome): ADMIN_LOGIN is a redirect to a login page of the admin
# in question, 302 a redirect to the admin's home with a "no permission" message.
NOT_STAFF = {"anonymous": ADMIN_LOGIN, "outsider": ADMIN_LOGIN, "member": ADMIN_LOGIN,
             "moderator": ADMIN_LOGIN}  # fmt: skip
ADMIN_EXPECTATIONS = {
    "dashboard": rule(200, **NOT_STAFF),
    # Wagtail's explorer sends people to their explorable root from a page outside the
    # pages they may explore (cms/admin_guard.py).
    "explorer of the private community": rule(200, **NOT_STAFF, othercoord=302),
    "explorer results of the private community": rule(200, **NOT_STAFF, othercoord=302),
    "explorer of the hidden community": rule(200, **NOT_STAFF, othercoord=302),
    "explorer results of the hidden community": rule(200, **NOT_STAFF, othercoord=302),
    # Moving needs the right to move the page and to explore both pages; 302 is Wagtail's
    # "no permission" redirect to the dashboard.
    "move the private event to the hidden community": rule(200, **NOT_STAFF, othercoord=302),
    "move the private course within its community": rule(200, **NOT_STAFF, othercoord=302),
    # The page chooser: pages the person may explore or finds on the site, else a 404.
    "chooser in the private community": rule(200, **NOT_STAFF),
    "chooser in the hidden community": rule(200, **NOT_STAFF, othercoord=404),
    "chooser in the library": rule(200, **NOT_STAFF),
    "chooser search": rule(200, **NOT_STAFF),
    "chooser search for the private event": rule(200, **NOT_STAFF),
    "chosen pages": rule(200, **NOT_STAFF),
    "page types report": rule(200, **NOT_STAFF),
    "edit the private community": rule(200, **NOT_STAFF, othercoord=302),
    "edit the private event": rule(200, **NOT_STAFF, othercoord=302),
    "edit the members-only practice": rule(200, **NOT_STAFF, othercoord=302, coordinator=302),
    # Coordinators only choose documents and images for their pages.
    "organisations (snippets)": rule(302, **NOT_STAFF, editor=200, superuser=200),
    "documents": rule(200, **NOT_STAFF, coordinator=302, othercoord=302),
    "images": rule(200, **NOT_STAFF, coordinator=302, othercoord=302),
    "users": rule(302, **NOT_STAFF, superuser=200),
    "django admin": rule(ADMIN_LOGIN, superuser=200),
    "django admin users": rule(ADMIN_LOGIN, superuser=200),
    "django admin notifications": rule(ADMIN_LOGIN, superuser=200),
}


ADMIN_SEES = {"coordinator", "editor", "superuser"}


def _public_practice(w) -> str:
    index = w["practice"].get_parent()
    return PracticePage.objects.child_of(index).live().filter(members_only=False)[0].title


# (url name -> (roles, texts(world))): what those who may work there find, so that the
# guards against the others do not lock them out.
ADMIN_SHOWS = {
    "explorer of the private community": (
        {"coordinator", "editor", "superuser"}, lambda w: [MARKERS["event"], MARKERS["course"]]
    ),
    "explorer results of the private community": (
        {"coordinator", "editor", "superuser"}, lambda w: [MARKERS["event"]]
    ),
    "explorer of the hidden community": ({"editor", "superuser"}, lambda w: [w["hidden"].title]),
    "explorer results of the hidden community": (
        {"editor", "superuser"}, lambda w: [w["hidden_texts"][0]]
    ),
    "move the private event to the hidden community": (
        {"coordinator", "editor", "superuser"}, lambda w: [MARKERS["event"], w["hidden"].title]
    ),
    "move the private course within its community": (
        {"coordinator", "editor", "superuser"}, lambda w: [MARKERS["course"]]
    ),
    "chooser in the private community": (
        {"coordinator", "editor", "superuser"}, lambda w: [MARKERS["event"]]
    ),
    "chooser in the hidden community": (
        {"coordinator", "editor", "superuser"}, lambda w: [w["hidden"].title]
    ),
    "chooser in the library": (
        {"coordinator", "othercoord", "editor", "superuser"}, lambda w: [_public_practice(w)]
    ),
    "chooser search": ({"coordinator", "editor", "superuser"}, lambda w: [w["hidden"].title]),
    "chooser search for the private event": (
        {"coordinator", "editor", "superuser"}, lambda w: [MARKERS["event"]]
    ),
    "chosen pages": ({"editor", "superuser"}, lambda w: [w["hidden"].title, MARKERS["event"]]),
}  # fmt: skip


def crawl_admin(world, clients) -> list[str]:
    """A handful of concrete admin URLs: the Wagtail admin for editors and for the
    coordinators in their own subtree, the Django admin for superusers only."""
    problems = []
    for name, url in _admin_urls(world).items():
        for role in ROLES:
            response = clients(role).get(url)
            expected = ADMIN_EXPECTATIONS[name](role)
            location = response.get("Location", "")
            where = f"{role:<11} {url} ({name})"
            if expected == ADMIN_LOGIN:
                if response.status_code != 302 or not location.startswith(ADMIN_LOGIN_URLS):
                    problems.append(f"{where}: got {response.status_code} {location}")
            elif response.status_code != expected:
                problems.append(
                    f"{where}: got {response.status_code} {location}, expected {expected}"
                )
            status = response.status_code
            if expected == status == 302 and name.startswith("explorer"):  # explorable root
                if not re.fullmatch(r"/admin/pages/\d+/", location):
                    problems.append(f"{where}: redirected to {location}, not the explorer")
            body = admin_body(response)
            roles, texts = ADMIN_SHOWS.get(name, ((), None))
            if role in roles and response.status_code == 200:
                missing = [t for t in texts(world) if not found_in(t, body)]
                if missing:
                    problems.append(f"{where}: does not show {missing}")
            # Editors and the private community's coordinator work on its pages in the
            # admin; nobody else finds them there.
            if role not in ADMIN_SEES:
                texts = [*MARKERS.values(), *world["private_texts"], *world["hidden_texts"]]
                leaked = [t for t in texts if found_in(t, body)]
                if leaked:
                    problems.append(f"{where}: shows {leaked}")
    return problems


def _fill(route: str, pk: int) -> str:
    """A concrete URL for an admin route: every argument the private community's id."""
    route = re.sub(r"<int:\w+>", str(pk), route)
    route = re.sub(r"<uuid:\w+>", str(uuid.uuid4()), route)
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "x", route)


# The admin pages that are for everyone: signing in and out, the password reset of the
# Wagtail admin (when enabled; it sends nothing to an unknown address), icons and
# translations.
PUBLIC_ADMIN_ROUTES = {
    "admin/login/", "admin/logout/", "admin/password_reset/", "admin/password_reset/done/",
    "admin/password_reset/confirm/<uidb64>/<token>/", "admin/password_reset/complete/",
    "admin/sprite/", "admin/jsi18n/", "django-admin/login/", "django-admin/logout/",
}  # fmt: skip


def crawl_whole_admin(world, clients) -> list[str]:
    """Every admin pattern, its arguments filled with the private community's id, as an
    anonymous visitor and as a member without admin access: never a page, never an
    error, and nothing of the private community in the body."""
    routes = [
        r for r in url_patterns()
        if r.startswith(ADMIN_PREFIXES) and "(?P" not in r and "^" not in r
    ]  # fmt: skip
    routes += ["django-admin/accounts/", "django-admin/communities/"]
    assert len(routes) > 150
    pk = world["private"].pk
    problems = []
    for route in routes:
        url = _fill(route, pk)
        for role in ("anonymous", "member"):
            response = clients(role).get(url)
            status, location = response.status_code, response.get("Location", "")
            refused = (status == 302 and "login" in location) or status in (404, 405)
            if route in PUBLIC_ADMIN_ROUTES:  # open, redirected to the site's, or switched off
                refused = status in (200, 302, 404)
            if not refused:
                problems.append(f"{role:<9} {url}: got {status} {location}")
            body = admin_body(response)
            leaked = [t for t in [*MARKERS.values(), *world["hidden_texts"]] if found_in(t, body)]
            if leaked:
                problems.append(f"{role:<9} {url}: shows {leaked}")
    return problems


def crawl_account_pages(world, clients) -> list[str]:
    """allauth's pages (sign-up, login, password, 2FA, single sign-on) as an anonymous
    visitor, an outsider and a member: an answer, never an error, and nothing of the
    private community (its members' names included) in any of them."""
    problems = []
    case = Case(url=None, expect=None, sees=frozenset())
    for route, url in ACCOUNT_URLS.items():
        for role in ("anonymous", "outsider", "member"):
            response = clients(role).get(url)
            if response.status_code not in (200, 301, 302, 400, 401, 404, 405):
                problems.append(f"{role:<9} {url} [{route}]: got {response.status_code}")
            body = body_of(response)
            leaked = [t for t in forbidden_texts(world, role, case) if found_in(t, body)]
            if leaked:
                problems.append(f"{role:<9} {url} [{route}]: shows {leaked}")
    return problems


def test_access_control_crawl(world, clients, quiet_requests):
    """The whole crawl in one test, so the demo is built once (also when pytest-xdist
    spreads a module's tests over processes). Every part reports all its problems."""
    problems = []
    for part in (
        crawl_private_community,
        crawl_page_tree,
        crawl_admin,
        crawl_whole_admin,
        crawl_account_pages,
    ):
        found = part(world, clients)
        if found:
            problems.append(f"{part.__name__}: {len(found)} problems")
            problems += [f"  {line}" for line in found]
    assert not problems, "\n" + "\n".join(problems)
    assert_nothing_changed(world)


def assert_nothing_changed(w) -> None:
    """The refused POSTs of the crawl changed nothing."""
    from via_platform.forums.models import Flag, Post, Watch
    from via_platform.learning.models import Enrolment

    refused = [w["people"][role] for role in REFUSED if role != "anonymous"]
    topic = Topic.objects.get(pk=w["topic"].pk)
    assert not topic.closed and not topic.hidden
    for key in ("post", "reply", "discussion_post"):
        post = Post.objects.get(pk=w[key].pk)
        assert post.body == w[key].body and post.hidden_at is None and post.deleted_at is None
    assert topic.accepted_post_id is None
    assert Flag.objects.filter(post__topic__in=[w["topic"], w["discussion"]]).count() == 1
    watches = Watch.objects.filter(user__in=refused)
    assert not watches.filter(topic__in=[w["topic"], w["discussion"]]).exists()
    assert not watches.filter(community=w["private"]).exists()
    assert not Registration.objects.filter(user__in=refused, occurrence__event=w["event"]).exists()
    assert not Enrolment.objects.filter(user__in=refused, course=w["course"]).exists()
    assert Membership.objects.get(pk=w["membership"].pk).state == MembershipState.ACTIVE
    assert not Membership.objects.filter(user__in=refused, community=w["private"]).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/documents/chooser/chosen/x/",
        "/admin/images/chooser/chosen/1x/",
        "/admin/snippets/choose/organisations/organisation/chosen/x/",
    ],
)
def test_admin_choosers_answer_a_guessed_id_that_is_no_number_with_404(client, db, path):
    editor = User.objects.create_superuser(email="kiezer@voorbeeld.nl", password="x")
    enable_totp(editor)
    client.force_login(editor)
    assert client.get(path).status_code == 404
    # A real number still reaches Wagtail's own view (no such document: its own 404).
    assert client.get(path.rsplit("/", 2)[0] + "/999999/").status_code == 404
