"""Coordinators write their community's events in the Wagtail admin; editors write the
agenda's own events there."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import enable_totp
from via_platform.accounts.models import User
from via_platform.communities.models import CommunityPage
from via_platform.events.models import AgendaIndexPage, EventPage

pytestmark = pytest.mark.django_db


def _admin_client(email: str, settings) -> Client:
    person = User.objects.get(email=email)
    enable_totp(person)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(person)
    return client


def test_a_coordinator_adds_events_to_their_own_community_only(demo_site, settings):
    client = _admin_client("coordinator@voorbeeld.nl", settings)
    own = CommunityPage.objects.get(slug="intensieve-begeleiding")
    assert client.get(f"/admin/pages/add/events/eventpage/{own.pk}/").status_code == 200
    event = EventPage.objects.filter(community=own).first()
    assert client.get(f"/admin/pages/{event.pk}/edit/").status_code == 200
    agenda = AgendaIndexPage.objects.get()
    assert client.get(f"/admin/pages/add/events/eventpage/{agenda.pk}/").status_code in (302, 403)


def test_an_editor_adds_events_to_the_agenda(demo_site, settings):
    client = _admin_client("redacteur@voorbeeld.nl", settings)
    agenda = AgendaIndexPage.objects.get()
    assert client.get(f"/admin/pages/add/events/eventpage/{agenda.pk}/").status_code == 200
