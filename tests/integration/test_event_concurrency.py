"""Fifty people click "register" at the same moment for ten places.

Each thread has its own database connection, as each web worker would. On PostgreSQL
the occurrence row lock serialises them; on SQLite the settings start every
transaction IMMEDIATE, which serialises them too. Both must give the same answer.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from tests.conftest import run_at_once
from via_platform.accounts.models import User
from via_platform.events import services
from via_platform.events.models import AgendaIndexPage, EventPage, Registration, RegistrationState
from via_platform.notifications.models import Happening

PEOPLE = 50
PLACES = 10


@pytest.fixture
def occurrence(transactional_db):
    from cms.models import HomePage

    # transactional_db empties every table, Wagtail's locale and root page included.
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePage.objects.first() or root.add_child(
        instance=HomePage(title="Home", slug="home-concurrency")
    )
    agenda = AgendaIndexPage.objects.first() or home.add_child(
        instance=AgendaIndexPage(title="Agenda", slug="agenda-concurrency")
    )
    start = timezone.now() + timedelta(days=7)
    event = EventPage(
        title="Druk bezochte bijeenkomst", slug="druk", summary="Tien plaatsen.",
        start=start, end=start + timedelta(hours=2), capacity=PLACES,
    )  # fmt: skip
    agenda.add_child(instance=event)
    event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk).occurrences.get()


def test_fifty_simultaneous_registrations_for_ten_places(occurrence):
    people = [
        User.objects.create_user(email=f"gelijktijdig{i}@voorbeeld.nl", password="x" * 20)
        for i in range(PEOPLE)
    ]

    results = run_at_once(lambda person: services.register(person, occurrence), people)

    assert all(r is not None for r in results)
    in_order = list(
        Registration.objects.filter(occurrence=occurrence).order_by("requested_at", "pk")
    )
    assert len(in_order) == PEOPLE
    assert [r.state for r in in_order] == (
        [RegistrationState.REGISTERED] * PLACES + [RegistrationState.WAITLISTED] * (PEOPLE - PLACES)
    )
    assert services.places_left(occurrence) == 0
    waitlisted = in_order[PLACES:]
    assert [services.waitlist_position(r) for r in waitlisted] == list(
        range(1, PEOPLE - PLACES + 1)
    )
    assert Happening.objects.filter(kind=services.REGISTERED).count() == PLACES
    assert Happening.objects.filter(kind=services.WAITLISTED).count() == PEOPLE - PLACES

    # The same person cancelling in five tabs at once frees one place, promoted once.
    leaver = in_order[3].user
    run_at_once(lambda _: services.cancel(leaver, occurrence), range(5))

    states = dict(
        Registration.objects.filter(occurrence=occurrence).values_list("user_id", "state")
    )
    assert states[leaver.pk] == RegistrationState.CANCELLED
    assert states[waitlisted[0].user_id] == RegistrationState.REGISTERED
    assert list(states.values()).count(RegistrationState.REGISTERED) == PLACES
    assert list(states.values()).count(RegistrationState.WAITLISTED) == PEOPLE - PLACES - 1
    promoted = Happening.objects.filter(kind=services.PROMOTED)
    assert [h.audience for h in promoted] == [[waitlisted[0].user_id]]
    assert connection.vendor in ("sqlite", "postgresql")


def test_double_clicks_at_once_make_one_registration(occurrence):
    person = User.objects.create_user(email="dubbelklik@voorbeeld.nl", password="x" * 20)

    results = run_at_once(lambda _: services.register(person, occurrence), range(8))

    assert len({r.pk for r in results}) == 1
    assert Registration.objects.filter(occurrence=occurrence).count() == 1
    assert Happening.objects.filter(kind=services.REGISTERED).count() == 1
