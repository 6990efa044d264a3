"""The agenda demo: upcoming and past events across types and communities, a monthly
intervision series, a full event with a waitlist, and past events with a report."""

from __future__ import annotations

import io
from datetime import time
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

from via_platform.events import demo
from via_platform.events.models import (
    AgendaIndexPage,
    EventAudience,
    EventPage,
    EventType,
    Occurrence,
    Registration,
    RegistrationState,
)
from via_platform.notifications.models import Happening

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_demo_data_is_well_formed():
    slugs = [spec.slug for spec in demo.EVENTS]
    assert len(slugs) == len(set(slugs))
    assert {spec.event_type for spec in demo.EVENTS} == set(EventType.values)
    for spec in demo.EVENTS:
        assert len(spec.summary) <= 600, spec.slug
        assert spec.start < spec.end, spec.slug
        assert all(r.email.endswith("@voorbeeld.nl") for r in spec.registrations), spec.slug
        if spec.online_link:
            assert spec.online_link.startswith("https://"), spec.slug
        # Members-only events belong to a community.
        if spec.audience == EventAudience.MEMBERS:
            assert spec.community is not None, spec.slug


def test_second_tuesday():
    from datetime import date

    assert demo.second_tuesday(2026, 3) == date(2026, 3, 10)
    assert demo.second_tuesday(2026, 9) == date(2026, 9, 8)  # the 1st is a Tuesday


def test_demo_events_fall_on_working_days():
    from datetime import date

    assert demo.workday(date(2026, 12, 5)) == date(2026, 12, 7)  # Saturday -> Monday
    assert demo.workday(date(2026, 12, 24)) == date(2027, 1, 4)
    assert demo.workday(date(2026, 9, 27), step=-1) == date(2026, 9, 25)
    assert demo.workday(date(2026, 12, 8)) == date(2026, 12, 8)


def test_agenda_is_an_agenda_index_with_upcoming_and_past_events(demo_site):
    agenda = Page.objects.get(depth=3, slug="agenda")
    assert agenda.specific_class is AgendaIndexPage
    events = EventPage.objects.live()
    assert events.count() == len(demo.EVENTS)
    now = timezone.now()
    assert Occurrence.objects.filter(start__gt=now).exists()
    assert Occurrence.objects.filter(end__lt=now).exists()
    # Community-less events live under /agenda/, the others in their community.
    assert events.child_of(agenda).filter(community=None).count() >= 3
    assert events.exclude(community=None).count() >= 5
    for event in events:
        assert event.occurrences.exists(), event.slug


def test_members_only_events_are_under_communities(demo_site):
    members_only = EventPage.objects.filter(audience=EventAudience.MEMBERS)
    assert members_only.exists()
    assert not members_only.filter(community=None).exists()
    for event in members_only:
        assert event.url.startswith("/netwerken/"), event.url


def test_intervision_series_meets_at_seven_in_amsterdam_across_dst(demo_site):
    series = EventPage.objects.get(slug="intervisie-klantmanagers")
    assert series.recurrence == "FREQ=MONTHLY;BYDAY=2TU;COUNT=8"
    assert series.community.slug == "intensieve-begeleiding"
    assert series.audience == EventAudience.MEMBERS
    skipped = series.exceptions.strip()
    assert len(skipped.splitlines()) == 1
    dates = series.occurrences.filter(cancelled=False).order_by("start")
    assert dates.count() == 7
    local = [occ.start.astimezone(AMSTERDAM) for occ in dates]
    for start in local:
        assert start.time() == time(19, 0)
        assert start.weekday() == 1 and 8 <= start.day <= 14  # the second Tuesday
    assert skipped not in {start.date().isoformat() for start in local}
    # Eight months always span a change between summer and winter time.
    assert len({occ.start.astimezone(ZoneInfo("UTC")).hour for occ in dates}) == 2
    now = timezone.now()
    assert dates.filter(end__lt=now).exists() and dates.filter(start__gt=now).exists()
    assert Registration.objects.filter(
        occurrence__event=series, occurrence__end__lt=now, attended=True
    ).exists()


def test_full_event_has_a_waitlist(demo_site):
    event = EventPage.objects.get(slug="meeloopochtend-zorggroep-de-linde")
    assert event.capacity == 3
    occurrence = event.occurrences.get()
    assert occurrence.start > timezone.now()
    states = occurrence.registrations.values_list("state", flat=True)
    assert list(states).count(RegistrationState.REGISTERED) == event.capacity
    assert list(states).count(RegistrationState.WAITLISTED) >= 1
    first = occurrence.registrations.order_by("requested_at").first()
    assert first.state == RegistrationState.REGISTERED


def test_past_events_have_a_report_and_attendance(demo_site):
    now = timezone.now()
    past = EventPage.objects.filter(recurrence="", end__lt=now)
    assert past.count() >= 2
    for event in past:
        assert event.report, event.slug
        registrations = Registration.objects.filter(occurrence__event=event)
        assert registrations.exists(), event.slug
        assert not registrations.filter(attended=None).exists(), event.slug
    assert not EventPage.objects.filter(end__gt=now, recurrence="").exclude(report="").exists()


def test_the_required_kinds_of_event_are_there(demo_site):
    events = EventPage.objects.all()
    statushouders = events.get(slug="werkbezoek-leerwerktraject-taal-en-techniek")
    assert statushouders.community.slug == "leerwerktrajecten-statushouders"
    assert statushouders.event_format == "fysiek"
    assert statushouders.address and statushouders.accessibility
    webinar = events.get(slug="webinar-objectief-werven-en-selecteren")
    assert webinar.event_format == "online" and webinar.online_link
    assert webinar.audience == EventAudience.PUBLIC
    training = events.get(slug="training-inclusief-begeleiden-fysieke-module")
    assert training.event_type == "training" and training.event_format == "hybride"
    werkagenda = events.get(slug="werkagenda-via-bijeenkomst")
    assert werkagenda.community is None
    assert werkagenda.get_parent().specific_class is AgendaIndexPage


def test_seed_is_quiet_and_idempotent(demo_site):
    assert not Happening.objects.filter(kind__startswith="events").exists()

    def counts():
        return (
            EventPage.objects.count(),
            Occurrence.objects.count(),
            Registration.objects.count(),
            Page.objects.count(),
        )

    before = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before
    assert not Happening.objects.filter(kind__startswith="events").exists()
