"""Hidden and members-only communities never leak: search, sitemap, exports, notifications."""

from __future__ import annotations

import pytest

from via_platform.accounts.models import User
from via_platform.communities import permissions, services
from via_platform.communities.models import CommunityPage, Membership
from via_platform.notifications import services as notifications
from via_platform.notifications.models import Happening, Notification

pytestmark = pytest.mark.django_db

TASKFORCE = "taskforce-via-coordinatoren"


def test_hidden_community_is_absent_from_search_and_sitemap_for_outsiders(demo_site, client):
    assert "Taskforce" not in client.get("/zoeken/", {"q": "coördinatoren"}).content.decode()
    assert TASKFORCE not in client.get("/sitemap.xml").content.decode()
    client.force_login(User.objects.get(email="werkgever@voorbeeld.nl"))
    assert "Taskforce" not in client.get("/zoeken/", {"q": "coördinatoren"}).content.decode()
    assert client.get(f"/netwerken/{TASKFORCE}/").status_code == 404


def test_members_find_their_hidden_community(demo_site, client):
    client.force_login(User.objects.get(email="beheer@voorbeeld.nl"))
    assert (
        "Taskforce VIA coördinatoren"
        in client.get("/zoeken/", {"q": "coördinatoren"}).content.decode()
    )
    # The sitemap is for everyone, so it never lists a hidden community.
    assert TASKFORCE not in client.get("/sitemap.xml").content.decode()


def test_members_only_community_is_findable_but_its_content_is_not_readable(demo_site):
    community = CommunityPage.objects.get(slug="intensieve-begeleiding")
    outsider = User.objects.get(email="werkgever@voorbeeld.nl")
    assert permissions.can_see(outsider, community)
    assert not permissions.can_view(outsider, community)
    assert community in permissions.visible_to(outsider)
    assert community not in permissions.content_visible_to(outsider)


def test_messages_from_a_private_community_reach_members_only(demo_site):
    community = CommunityPage.objects.get(slug="intensieve-begeleiding")
    coordinator = User.objects.get(email="coordinator@voorbeeld.nl")
    outsider = User.objects.get(email="werkgever@voorbeeld.nl")
    services.send_message(coordinator, community, "Intervisie 12 december", "Tot dan!")
    notifications.fan_out(Happening.objects.get(kind=services.MESSAGE).pk)
    recipients = set(
        Notification.objects.filter(happening__kind=services.MESSAGE).values_list(
            "recipient__email", flat=True
        )
    )
    assert "redacteur@voorbeeld.nl" in recipients
    assert outsider.email not in recipients and coordinator.email not in recipients


def test_coordinators_must_use_two_factor_authentication(demo_site):
    from via_platform.accounts.services import requires_mfa

    coordinator = User.objects.get(email="coordinator@voorbeeld.nl")
    assert requires_mfa(coordinator)
    member = User.objects.get(email="klantmanager@voorbeeld.nl")
    assert not requires_mfa(member)


def test_leaving_and_deleting_an_account_keep_the_editor_group_in_sync(demo_site):
    from via_platform.accounts import privacy

    community = CommunityPage.objects.get(slug="mkb-techniek-en-installatie")
    werkgever = User.objects.get(email="werkgever@voorbeeld.nl")
    coordinator = User.objects.get(email="redacteur@voorbeeld.nl")
    services.change_role(
        coordinator, Membership.objects.get(community=community, user=werkgever), "coordinator"
    )
    community.refresh_from_db()
    assert community.editor_group.user_set.filter(pk=werkgever.pk).exists()
    privacy.delete_account(werkgever)
    community.refresh_from_db()
    assert not community.editor_group.user_set.filter(pk=werkgever.pk).exists()
    assert not Membership.objects.filter(user=werkgever).exists()


def test_a_role_changed_in_the_django_admin_reaches_the_wagtail_group(demo_site, client):
    from tests.conftest import enable_totp

    community = CommunityPage.objects.get(slug="regio-rotterdam")
    klantmanager = User.objects.get(email="klantmanager@voorbeeld.nl")
    membership = Membership.objects.get(community=community, user=klantmanager)
    admin = User.objects.get(email="beheer@voorbeeld.nl")
    enable_totp(admin)
    client.force_login(admin)
    response = client.post(
        f"/django-admin/communities/membership/{membership.pk}/change/",
        {
            "user": klantmanager.pk, "community": community.pk, "role": "coordinator",
            "state": "active", "request_message": "", "response_message": "",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:500]
    community.refresh_from_db()
    assert community.editor_group.user_set.filter(pk=klantmanager.pk).exists()
