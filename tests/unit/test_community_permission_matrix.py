"""Every community visibility and join policy × every role × every community URL.

Later issues add their URLs to COMMUNITY_URLS (path, rule); a rule maps the
situation to the status code a person must get.
"""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth.models import Group

from tests import learning
from tests.conftest import enable_totp
from via_platform.accounts.models import User
from via_platform.accounts.roles import REDACTEUREN
from via_platform.communities import services
from via_platform.communities.models import (
    CommunityIndexPage,
    CommunityPage,
    Membership,
    MembershipState,
    Role,
)
from via_platform.forums import services as forum_services

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous", "outsider", "requested", "member", "moderator", "coordinator", "editor",
    "superuser",
]  # fmt: skip
COMMUNITY_KINDS = [
    # (content visibility, join policy, hidden)
    *itertools.product(("public", "members"), ("open", "on_request", "invitation"), (False,)),
    ("members", "invitation", True),
]


def sees(role, hidden):
    return not hidden or role in ("member", "moderator", "coordinator", "superuser")


def is_member(role):
    return role in ("member", "moderator", "coordinator")


def home(role, visibility, join, hidden):
    return 200 if sees(role, hidden) else 404


def members_page(role, visibility, join, hidden):
    if not sees(role, hidden):
        return 404
    if role == "anonymous":
        return 302  # to the login page
    return 200 if is_member(role) or role == "superuser" else 403


def coordinator_page(role, visibility, join, hidden):
    if not sees(role, hidden):
        return 404
    if role == "anonymous":
        return 302
    return 200 if role in ("coordinator", "superuser") else 403


def reads_content(role, visibility, hidden):
    return sees(role, hidden) and (visibility == "public" or is_member(role) or role == "superuser")


def forum_page(role, visibility, join, hidden):
    """The forum and its topics: for whoever may read the community's content."""
    return 200 if reads_content(role, visibility, hidden) else 404


def forum_write_page(role, visibility, join, hidden):
    """Starting a topic: members get the form, others who may read a page that tells
    them how to join (test_forum_pages checks which is which)."""
    if not reads_content(role, visibility, hidden):
        return 404
    return 302 if role == "anonymous" else 200


def moderator_page(role, visibility, join, hidden):
    if not sees(role, hidden):
        return 404
    if role == "anonymous":
        return 302
    return 200 if role in ("moderator", "coordinator", "superuser") else 404


def course_page(role, visibility, join, hidden):
    """A course in the community: for whoever may read the community's content."""
    return forum_page(role, visibility, join, hidden)


def lesson_page(role, visibility, join, hidden):
    """A lesson: its managers read it; everyone else who may see the course is sent to
    the course page (or the login page) to enrol first."""
    if not reads_content(role, visibility, hidden):
        return 404
    return 200 if role in ("coordinator", "superuser") else 302


def course_managers_page(role, visibility, join, hidden):
    if not reads_content(role, visibility, hidden):
        return 404
    if role == "anonymous":
        return 302
    return 200 if role in ("coordinator", "superuser") else 403


COMMUNITY_URLS = [
    ("", home),
    ("leden/", members_page),
    ("leden/export/", coordinator_page),
    ("uitnodigen/", coordinator_page),
    ("bericht/", coordinator_page),
    ("forum/", forum_page),
    ("forum/{topic}/", forum_page),
    ("forum/{topic}/ongelezen/", lambda *a: 302 if forum_page(*a) == 200 else 404),
    ("forum/nieuw/", forum_write_page),
    ("forum/moderatie/", moderator_page),
    ("forum/moderatie/logboek/", moderator_page),
    ("cursus/", course_page),
    ("cursus/les/", lesson_page),
    ("cursus/verder/", lambda *a: 302 if course_page(*a) == 200 else 404),
    ("cursus/deelnemers/", course_managers_page),
    ("cursus/deelnemers/export/csv/", course_managers_page),
]


@pytest.fixture
def world(demo_site):
    index = CommunityIndexPage.objects.get()
    communities = {}
    for visibility, join, hidden in COMMUNITY_KINDS:
        slug = f"m-{visibility}-{join}-{'hidden' if hidden else 'listed'}"
        page = CommunityPage(
            title=slug, slug=slug, kind="lerend_netwerk", intro="Matrix",
            content_visibility=visibility, join_policy=join, hidden=hidden,
        )  # fmt: skip
        index.add_child(instance=page)
        page.save_revision().publish()
        communities[(visibility, join, hidden)] = page
        learning.lesson(learning.course("Cursus", parent=page), "Les")
    people = {}
    for role in ROLES[1:]:
        people[role] = User.objects.create_user(email=f"{role}@matrix.nl", password="x")
    people["superuser"].is_superuser = people["superuser"].is_staff = True
    people["superuser"].save()
    people["editor"].groups.add(Group.objects.get(name=REDACTEUREN))
    for person in (people["superuser"], people["editor"]):
        enable_totp(person)
    for page in communities.values():
        for role, state in [
            ("requested", MembershipState.REQUESTED),
            ("member", MembershipState.ACTIVE),
            ("moderator", MembershipState.ACTIVE),
            ("coordinator", MembershipState.ACTIVE),
        ]:
            Membership.objects.create(
                community=page, user=people[role], state=state,
                role=role if role in Role.values else Role.MEMBER,
            )  # fmt: skip
        services.sync_editor_group(page)
    return communities, people


CASES = [
    (kind, role, path, rule)
    for kind in COMMUNITY_KINDS
    for role in ROLES
    for path, rule in COMMUNITY_URLS
]


def test_permission_matrix(client, world, settings):
    communities, people = world
    settings.FORUMS_NEW_MEMBER_POSTS_PER_MINUTE = settings.FORUMS_POSTS_PER_MINUTE = 100
    topics = {
        kind: forum_services.start_topic(
            people["member"], page, title="Werkfit", body="Wie heeft ervaring?"
        )
        for kind, page in communities.items()
    }
    failures = []
    for kind, role, path, rule in CASES:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        url = communities[kind].url + path.format(topic=topics[kind].pk)
        status = client.get(url).status_code
        expected = rule(role, *kind)
        if status != expected:
            failures.append(f"{role:<11} {url:<55} got {status}, expected {expected}")
    assert not failures, "\n" + "\n".join(failures)
