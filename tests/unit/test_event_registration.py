"""Event dates, registration with a waitlist, attendance and reminders (events.services)."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from wagtail.models import Page

from via_platform.accounts.models import User
from via_platform.events import services
from via_platform.events.models import (
    AgendaIndexPage,
    EventAudience,
    EventFormat,
    EventPage,
    Occurrence,
    Registration,
    RegistrationState,
)
from via_platform.notifications.models import Happening

pytestmark = pytest.mark.django_db

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
LINK = "https://meet.example.org/geheim-123"


def _person(email: str, **extra) -> User:
    return User.objects.create_user(email=email, password="Een-lang-wachtwoord-42", **extra)


def _home():
    from cms.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="Home test", slug="home-test")
        )
    return home


@pytest.fixture
def agenda(db):
    existing = AgendaIndexPage.objects.first()
    if existing is not None:
        return existing
    return _home().add_child(instance=AgendaIndexPage(title="Agenda", slug="agenda-test"))


def _publish(page: EventPage) -> EventPage:
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


def _local(year, month, day, hour=19, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


def _soon(days=10, hour=19) -> datetime:
    """A date comfortably in the future, at `hour` o'clock Amsterdam time."""
    d = (timezone.now() + timedelta(days=days)).astimezone(AMS).date()
    return _local(d.year, d.month, d.day, hour)


def make_event(parent, slug="bijeenkomst", start=None, hours=2, **fields) -> EventPage:
    start = start or _soon()
    event = EventPage(
        title=fields.pop("title", "Lerend netwerk bijeenkomst"),
        slug=slug,
        summary="Samen leren over inclusief werkgeverschap.",
        start=start,
        end=start + timedelta(hours=hours),
        **fields,
    )
    parent.add_child(instance=event)
    return _publish(event)


def _edit(event: EventPage, **fields) -> EventPage:
    event = EventPage.objects.get(pk=event.pk)
    for name, value in fields.items():
        setattr(event, name, value)
    event.save()
    return _publish(event)


def _happenings(kind: str) -> list[Happening]:
    return list(Happening.objects.filter(kind=kind).order_by("pk"))


def _audiences(kind: str) -> list[int]:
    return sorted(uid for h in _happenings(kind) for uid in h.audience)


def _last_sunday(year: int, month: int) -> date:
    d = date(year, month + 1, 1) - timedelta(days=1) if month < 12 else date(year, 12, 31)
    return d - timedelta(days=(d.weekday() + 1) % 7)


# Dates -------------------------------------------------------------------------------


@pytest.mark.parametrize("month", [3, 10])
def test_series_keeps_local_time_across_summer_time_change(agenda, month):
    year = timezone.now().year + 1
    change = _last_sunday(year, month)
    first = change - timedelta(days=12)  # a Tuesday, two weeks before the change
    event = make_event(
        agenda,
        start=_local(first.year, first.month, first.day),
        recurrence="FREQ=WEEKLY;COUNT=4",
    )

    occurrences = list(event.occurrences.order_by("start"))

    assert len(occurrences) == 4
    assert [o.start.astimezone(AMS).hour for o in occurrences] == [19, 19, 19, 19]
    assert all(o.end - o.start == timedelta(hours=2) for o in occurrences)
    utc_hours = [o.start.astimezone(UTC).hour for o in occurrences]
    before, after = (18, 17) if month == 3 else (17, 18)
    assert utc_hours == [before, before, after, after]
    assert sum(o.start.date() < change for o in occurrences) == 2


def test_monthly_rule_and_skipped_dates(agenda):
    year = timezone.now().year + 1
    event = make_event(
        agenda,
        start=_local(year, 1, 12),  # any date; the rule picks the second Tuesdays
        recurrence="FREQ=MONTHLY;BYDAY=2TU;COUNT=5",
    )
    days = [o.start.astimezone(AMS).date() for o in event.occurrences.order_by("start")]
    assert len(days) == 5 and all(d.weekday() == 1 and 8 <= d.day <= 14 for d in days)

    event = _edit(event, exceptions=f"{days[1].isoformat()}\nniet-een-datum\n")

    live = event.occurrences.filter(cancelled=False).order_by("start")
    assert [o.start.astimezone(AMS).date() for o in live] == [days[0], *days[2:]]
    skipped = event.occurrences.get(cancelled=True)
    assert skipped.start.astimezone(AMS).date() == days[1]
    assert skipped.sequence == 1


def test_rule_with_utc_until_and_horizon(agenda):
    start = _soon(days=3)
    until = (start + timedelta(days=14, hours=1)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    event = make_event(agenda, start=start, recurrence=f"RRULE:FREQ=WEEKLY;UNTIL={until}")
    assert event.occurrences.count() == 3

    endless = make_event(agenda, slug="dagelijks", start=start, recurrence="FREQ=DAILY")
    assert len(services.sync_occurrences(endless, horizon_days=30)) in (30, 31)


def test_editing_a_single_event_updates_its_occurrence_in_place(agenda):
    event = make_event(agenda)
    (occurrence,) = event.occurrences.all()
    assert occurrence.sequence == 0

    event = _edit(event, start=event.start + timedelta(hours=1), end=event.end + timedelta(hours=1))

    (moved,) = event.occurrences.all()
    assert moved.pk == occurrence.pk
    assert moved.start == occurrence.start + timedelta(hours=1)
    assert moved.sequence == 1
    assert services.sync_occurrences(event)[0].sequence == 1  # nothing new: no new sequence


def test_editing_a_series_time_keeps_its_occurrences(agenda):
    event = make_event(agenda, recurrence="FREQ=WEEKLY;COUNT=3")
    before = {o.start.astimezone(AMS).date(): o.pk for o in event.occurrences.all()}

    event = _edit(event, start=event.start + timedelta(minutes=30), end=event.end)

    after = {o.start.astimezone(AMS).date(): o for o in event.occurrences.all()}
    assert {d: o.pk for d, o in after.items()} == before
    assert all(o.start.astimezone(AMS).strftime("%H:%M") == "19:30" for o in after.values())
    assert all(o.sequence == 1 and not o.cancelled for o in after.values())


# Registration ------------------------------------------------------------------------


@pytest.fixture
def people(db):
    return [_person(f"deelnemer{i}@voorbeeld.nl") for i in range(6)]


def test_register_waitlist_cancel_and_promotion(agenda, people):
    a, b, c, d, *_ = people
    event = make_event(agenda, capacity=2)
    occurrence = event.occurrences.get()

    ra, rb = services.register(a, occurrence), services.register(b, occurrence)
    rc, rd = services.register(c, occurrence), services.register(d, occurrence)

    assert [r.state for r in (ra, rb, rc, rd)] == ["registered"] * 2 + ["waitlisted"] * 2
    assert services.places_left(occurrence) == 0
    assert [services.waitlist_position(r) for r in (ra, rc, rd)] == [None, 1, 2]
    assert _audiences(services.REGISTERED) == sorted([a.pk, b.pk])
    assert _audiences(services.WAITLISTED) == sorted([c.pk, d.pk])
    assert {h.target_id for h in _happenings(services.REGISTERED)} == {str(ra.pk), str(rb.pk)}
    assert [r.user for r in services.registrations_for(occurrence)] == [a, b, c, d]

    assert services.cancel(a, occurrence).state == RegistrationState.CANCELLED
    assert services.cancel(a, occurrence).state == RegistrationState.CANCELLED  # twice: no-op

    rc.refresh_from_db()
    rd.refresh_from_db()
    assert rc.state == RegistrationState.REGISTERED
    assert services.waitlist_position(rd) == 1
    assert _audiences(services.PROMOTED) == [c.pk]  # exactly once
    assert _audiences(services.REGISTRATION_CANCELLED) == [a.pk]  # confirmed once

    # A waitlisted person leaving frees no place: nobody is promoted.
    services.cancel(d, occurrence)
    assert _audiences(services.PROMOTED) == [c.pk]

    # Back after cancelling: at the end of the queue.
    again = services.register(a, occurrence)
    assert again.pk == ra.pk and again.state == RegistrationState.WAITLISTED
    assert services.waitlist_position(again) == 1


def test_register_twice_is_harmless(agenda, people):
    occurrence = make_event(agenda, capacity=5).occurrences.get()
    first = services.register(people[0], occurrence, accessibility_needs="Rolstoel")
    second = services.register(people[0], occurrence)
    assert first.pk == second.pk
    assert Registration.objects.filter(occurrence=occurrence).count() == 1
    assert len(_happenings(services.REGISTERED)) == 1
    assert services.places_left(occurrence) == 4
    assert Registration.objects.get().accessibility_needs == "Rolstoel"


def test_no_limit(agenda, people):
    occurrence = make_event(agenda).occurrences.get()
    for person in people:
        assert services.register(person, occurrence).state == RegistrationState.REGISTERED
    assert services.places_left(occurrence) is None


def test_raising_capacity_promotes_the_waitlist(agenda, people):
    event = make_event(agenda, capacity=1)
    occurrence = event.occurrences.get()
    for person in people[:3]:
        services.register(person, occurrence)
    _edit(event, capacity=2)
    states = dict(Registration.objects.values_list("user_id", "state"))
    assert states == {
        people[0].pk: "registered",
        people[1].pk: "registered",
        people[2].pk: "waitlisted",
    }
    assert _audiences(services.PROMOTED) == [people[1].pk]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"registration_closes": timezone.now() - timedelta(hours=1)}, "closed"),
        ({"registration_opens": timezone.now() + timedelta(days=1)}, "Registration opens on"),
        ({"start": timezone.now() - timedelta(minutes=5)}, "already started"),
    ],
)
def test_closed_registration_is_refused(agenda, people, fields, message):
    event = make_event(agenda, **({"start": fields.pop("start")} if "start" in fields else {}))
    if fields:
        event = _edit(event, **fields)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.register(people[0], event.occurrences.get())
    assert message in " ".join(refused.value.messages)
    assert not Registration.objects.exists()


def test_cancelled_event_refuses_registration(agenda, people):
    event = _edit(make_event(agenda), cancelled=True)
    occurrence = event.occurrences.get()
    assert occurrence.cancelled
    with translation.override("en"), pytest.raises(ValidationError, match="cancelled"):
        services.register(people[0], occurrence)


def test_anonymous_and_outsiders_may_not_register_for_members_only(db, people):
    from via_platform.communities.models import (
        CommunityIndexPage,
        CommunityPage,
        Membership,
        MembershipState,
        Role,
    )

    index = _home().add_child(instance=CommunityIndexPage(title="Netwerken", slug="netwerken-ev"))
    community = CommunityPage(
        title="Intervisie regio", slug="intervisie-ev", kind="lerend_netwerk", intro="Intro",
        join_policy="on_request",
    )  # fmt: skip
    index.add_child(instance=community)
    community.save_revision().publish()
    member, outsider = people[:2]
    Membership.objects.create(
        community=community, user=member, role=Role.MEMBER, state=MembershipState.ACTIVE
    )
    event = make_event(community, audience=EventAudience.MEMBERS)
    occurrence = event.occurrences.get()
    assert event.community_id == community.pk

    with pytest.raises(PermissionDenied):
        services.register(outsider, occurrence)
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.register(AnonymousUser(), occurrence)
    assert services.register(member, occurrence).state == RegistrationState.REGISTERED


def test_attendance(agenda, people):
    admin = _person("beheer@voorbeeld.nl", is_superuser=True, is_staff=True)
    event = make_event(agenda, start=_soon(days=1), capacity=3)
    occurrence = event.occurrences.get()
    regs = [services.register(p, occurrence) for p in people[:4]]

    with pytest.raises(PermissionDenied):
        services.set_attendance(people[0], regs[0], True)
    services.set_attendance(admin, regs[0], True)
    services.set_attendance(admin, regs[1], False)

    (row,) = services.attendance_counts(event)
    assert row["occurrence"] == occurrence
    assert (row["registered"], row["attended"]) == (3, 1)


# Changes and cancellation ------------------------------------------------------------


def test_changes_and_cancellation_notify_registered_and_waitlisted(agenda, people):
    a, b, c, *_ = people
    event = make_event(agenda, capacity=1, event_format=EventFormat.HYBRIDE, venue_name="Stadhuis")
    occurrence = event.occurrences.get()
    services.register(a, occurrence)
    services.register(b, occurrence)  # waitlisted
    services.register(c, occurrence)
    services.cancel(c, occurrence)  # cancelled: hears nothing

    event = _edit(event, title="Nieuwe titel")  # not a change of time or place
    assert _happenings(services.CHANGED) == []

    event = _edit(event, venue_name="Bibliotheek")
    assert _audiences(services.CHANGED) == sorted([a.pk, b.pk])
    assert Occurrence.objects.get().sequence == 1

    event = _edit(event, start=event.start + timedelta(days=1), end=event.end + timedelta(days=1))
    assert _audiences(services.CHANGED) == sorted([a.pk, b.pk] * 2)
    assert all(LINK not in h.title for h in _happenings(services.CHANGED))

    event = _edit(event, cancelled=True)
    occurrence = Occurrence.objects.get()
    assert occurrence.cancelled and occurrence.sequence == 3
    assert _audiences(services.CANCELLED) == sorted([a.pk, b.pk])
    assert {h.target_id for h in _happenings(services.CANCELLED)} == {
        str(r.pk) for r in Registration.objects.exclude(user=c)
    }

    _edit(event, summary="Nog eens opgeslagen")  # once per change
    assert len(_happenings(services.CANCELLED)) == 2
    assert len(_happenings(services.CHANGED)) == 4


def test_dropping_a_date_from_a_series_cancels_it_for_its_people(agenda, people):
    event = make_event(agenda, recurrence="FREQ=WEEKLY;COUNT=3")
    last = event.occurrences.order_by("start").last()
    services.register(people[0], last)

    _edit(event, recurrence="FREQ=WEEKLY;COUNT=2")

    last.refresh_from_db()
    assert last.cancelled and last.registrations.count() == 1  # kept, not deleted
    assert _audiences(services.CANCELLED) == [people[0].pk]


# Reminders ---------------------------------------------------------------------------


def test_reminders_go_once_to_registered_people_only(agenda, people):
    a, b, c, *_ = people
    start = timezone.now() + timedelta(hours=23)
    event = make_event(
        agenda, start=start, capacity=1, event_format=EventFormat.ONLINE, online_link=LINK
    )
    occurrence = event.occurrences.get()
    services.register(a, occurrence)
    services.register(b, occurrence)  # waitlisted
    services.register(c, occurrence)
    services.cancel(c, occurrence)
    services.register(c, occurrence)  # waitlisted again
    in_person = make_event(agenda, slug="fysiek", start=start + timedelta(minutes=10))
    services.register(c, in_person.occurrences.get())

    now = timezone.now()
    assert services.send_reminders(now) == 2  # a (online) and c (in person)
    assert services.send_reminders(now) == 0
    day = _happenings(services.REMINDER)
    assert sorted(uid for h in day for uid in h.audience) == sorted([a.pk, c.pk])

    # An hour before: only the online one, only its registered person.
    later = start - timedelta(minutes=50)
    assert services.send_reminders(later) == 1
    assert services.send_reminders(later) == 0
    hour = _happenings(services.REMINDER)[-1]
    assert hour.audience == [a.pk]
    assert LINK not in hour.title and LINK not in hour.url
    # …but the person's own email carries the link in their invitation.
    from via_platform.notifications import services as notifications
    from via_platform.notifications.models import Delivery

    notifications.fan_out(hour.pk)
    email = notifications.build_single_email(Delivery.objects.get(happening=hour, recipient=a))
    invitation = [p for p in email.message().walk() if p.get_content_type() == "text/calendar"]
    assert len(invitation) == 1 and LINK.encode() in invitation[0].get_payload(decode=True)
    assert services.reminder_attachments(b, occurrence) == []  # waitlisted: no link
    occurrence.refresh_from_db()
    assert occurrence.reminded_day_before and occurrence.reminded_hour_before
    assert len(_happenings(services.REMINDER)) == 3


def test_reminder_kind_checks_registration_at_send_time(agenda, people):
    from via_platform.notifications.registry import get_kind

    occurrence = make_event(agenda).occurrences.get()
    services.register(people[0], occurrence)
    kind = get_kind(services.REMINDER)
    assert kind.can_view(people[0], occurrence)
    assert not kind.can_view(people[1], occurrence)
    users = User.objects.filter(pk__in=[p.pk for p in people])
    assert list(kind.visible_recipients(users, occurrence)) == [people[0]]
    assert get_kind(services.REGISTERED).attachments is not None


def test_reminder_task_runs_every_five_minutes(agenda, people):
    from via_platform.events.tasks import send_reminders_task
    from workers.celery import app

    occurrence = make_event(agenda, start=timezone.now() + timedelta(hours=5)).occurrences.get()
    services.register(people[0], occurrence)
    assert send_reminders_task.run() == 1
    assert send_reminders_task.run() == 0
    entry = app.conf.beat_schedule["events-reminders"]
    assert entry["task"] == send_reminders_task.name == "events.send_reminders"
    assert entry["schedule"] == 300.0
