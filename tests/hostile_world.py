"""A small site for the hostile-input tests, built once per test module.

`world_fixture()` returns a module-scoped pytest fixture: it builds a home page, a
members-only community with a coordinator and a member, its forum with a topic, the
kennisbank with a practice, the agenda with an event, e-learning with a course whose
lesson has a quiz, and an organisation, inside one transaction that is rolled back when
the module is done. Tests use the ordinary `db` fixture on top (a savepoint each), so
what a test changes is undone after it and the next test sees the same world.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction

PASSWORD = "een-lang-wachtwoord"


@dataclass
class World:
    home: object
    community: object
    coordinator: object
    member: object
    outsider: object
    topic: object
    library: object
    practice: object
    agenda: object
    event: object
    learning: object
    course: object
    lesson: object
    organisation: object


def _person(email: str, first: str, last: str, organisation=None):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        email=email, password=PASSWORD, first_name=first, last_name=last
    )
    from allauth.account.models import EmailAddress

    from via_platform.accounts.models import Profile

    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Profile.objects.create(user=user, organisation=organisation)
    return user


def build_world() -> World:
    from django.conf import settings
    from wagtail.models import Locale, Page, Site

    from cms.models import HomePage
    from tests import learning as learning_helpers
    from tests.forums import community as make_community
    from tests.forums import member as make_member
    from tests.library import practice as make_practice
    from via_platform.communities.models import Role
    from via_platform.events.models import AgendaIndexPage, EventPage
    from via_platform.events.services import sync_occurrences
    from via_platform.forums import services as forum_services
    from via_platform.learning import services as learning_services
    from via_platform.learning.models import LearningIndexPage
    from via_platform.library.models import LibraryIndexPage
    from via_platform.organisations.models import Organisation

    # A transactional test earlier in this process may have emptied every table, the
    # tree's root and locale (made by migrations) included.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePage(title="Thuis", slug="thuis-hostile")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update(is_default_site=False)
    site = Site.objects.filter(hostname="localhost").first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    else:
        site.root_page, site.is_default_site = home, True
        site.save()

    organisation = Organisation.objects.create(
        name="Gemeente Vijandig", slug="gemeente-vijandig", kind="gemeente", approved=True
    )
    place = make_community("Besloten werkplaats", members_only=True)
    coordinator = _person("coordinator-h5@example.org", "Carla", "Coord", organisation)
    member = _person("lid-h5@example.org", "Lotte", "Lid", organisation)
    outsider = _person("buiten-h5@example.org", "Bas", "Buiten")
    make_member(place, coordinator, role=Role.COORDINATOR)
    make_member(place, member)
    topic = forum_services.start_topic(member, place, title="Eerste vraag", body="Hallo **allen**")
    forum_services.reply(coordinator, topic, body="Welkom!")

    library = LibraryIndexPage(title="Kennisbank", slug="kennisbank")
    home.add_child(instance=library)
    library.save_revision().publish()
    practice = make_practice(library, "Werkende aanpak", communities=[place])

    agenda = AgendaIndexPage(title="Agenda", slug="agenda")
    home.add_child(instance=agenda)
    agenda.save_revision().publish()
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() + timedelta(days=10)
    event = EventPage(
        title="Werkbezoek",
        slug="werkbezoek",
        summary="Een bezoek.",
        start=start,
        end=start + timedelta(hours=2),
        capacity=20,
        ask_dietary=True,
    )
    place.add_child(instance=event)
    event.save_revision().publish()
    event = EventPage.objects.get(pk=event.pk)
    sync_occurrences(event)

    learning = LearningIndexPage(title="Leren", slug="leren", intro="E-learning.")
    home.add_child(instance=learning)
    learning.save_revision().publish()
    course = learning_helpers.course("Objectief werven", parent=place)
    lesson = learning_helpers.lesson(course, "Les een", learning_helpers.quiz())
    learning_services.enrol(member, course)

    return World(
        home=home,
        community=place,
        coordinator=coordinator,
        member=member,
        outsider=outsider,
        topic=topic,
        library=library,
        practice=practice,
        agenda=agenda,
        event=event,
        learning=learning,
        course=course,
        lesson=lesson,
        organisation=organisation,
    )


def world_fixture():
    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            built = build_world()
            try:
                yield built
            finally:
                transaction.set_rollback(True)

    return world
