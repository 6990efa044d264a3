"""Event rules: dates of a series, registration with a waitlist, attendance, reminders.

Everything that changes a registration locks the occurrence row first
(`select_for_update` inside `transaction.atomic`), so capacity is never exceeded and a
freed place is given to exactly one waitlisted person, however many requests arrive at
once. Notifications are recorded in the same transaction (the outbox, see
notifications.services.notify).
"""

from __future__ import annotations

import hashlib
import logging
import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from dateutil.rrule import rrulestr
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from via_platform.events import permissions
from via_platform.events.models import (
    DEFAULT_TIME_ZONE,
    EventFormat,
    EventPage,
    Occurrence,
    Registration,
    RegistrationState,
)
from via_platform.notifications.services import notify

logger = logging.getLogger("via.events")

# Notification kinds (registered in apps.py).
REGISTERED = "events.registered"
WAITLISTED = "events.waitlisted"
PROMOTED = "events.promoted"
CHANGED = "events.changed"
CANCELLED = "events.cancelled"
REGISTRATION_CANCELLED = "events.registration_cancelled"
REMINDER = "events.reminder"

# Sent when a manager marks someone present or absent (learning counts in-person
# course steps on it): `registration`.
attendance_marked = Signal()

MAX_OCCURRENCES = 500  # a runaway rule (FREQ=HOURLY without end) stops here
ACTIVE = (RegistrationState.REGISTERED, RegistrationState.WAITLISTED)
ONLINE_FORMATS = (EventFormat.ONLINE, EventFormat.HYBRIDE)


# Dates ------------------------------------------------------------------------------


def _zone(event: EventPage) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(event.time_zone or DEFAULT_TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)


def place_fingerprint(event: EventPage) -> str:
    where = "\x1f".join(
        [event.event_format or "", event.venue_name or "", event.address or "",
         event.online_link or ""]
    )  # fmt: skip
    return hashlib.sha256(where.encode()).hexdigest()[:64]


def skipped_dates(event: EventPage) -> set[date]:
    found = set()
    for line in (event.exceptions or "").splitlines():
        try:
            found.add(date.fromisoformat(line.strip()))
        except ValueError:
            continue
    return found


_UNTIL_UTC = re.compile(r"UNTIL=(\d{8}T\d{6})Z", re.IGNORECASE)


def _local_rule_text(event: EventPage, zone: zoneinfo.ZoneInfo) -> str:
    """The rule with a UTC `UNTIL` turned into local wall-clock time (the rule is
    expanded on naive local times, and dateutil refuses to mix the two)."""
    text = event.recurrence.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]

    def to_local(match: re.Match) -> str:
        until = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        return "UNTIL=" + until.astimezone(zone).strftime("%Y%m%dT%H%M%S")

    return _UNTIL_UTC.sub(to_local, text)


def planned_dates(event: EventPage, horizon_days: int = 400) -> list[tuple[datetime, datetime]]:
    """(start, end) in UTC of every date the event should have, exceptions left out.

    A series is expanded in the event's local wall-clock time, so a meeting at 19:00
    stays at 19:00 in Amsterdam across the changes to and from summer time.
    """
    duration = event.end - event.start
    if not event.is_series:
        return [(event.start, event.end)]
    zone = _zone(event)
    local_start = event.start.astimezone(zone).replace(tzinfo=None)
    limit = (max(timezone.now(), event.start) + timedelta(days=horizon_days)).astimezone(zone)
    limit = limit.replace(tzinfo=None)
    skipped = skipped_dates(event)
    planned = []
    seen: set[datetime] = set()
    try:
        rule = rrulestr(_local_rule_text(event, zone), dtstart=local_start)
        # dateutil checks some parts only while expanding (BYHOUR=25 fails there).
        for local in rule:
            if local > limit or len(planned) >= MAX_OCCURRENCES:
                break
            if local.date() in skipped:
                continue
            start = local.replace(tzinfo=zone).astimezone(UTC)
            if start in seen:
                # A wall-clock time that summer time skips (an hourly rule's 02:00 on the
                # last Sunday of March) is the same instant as the next one: one date.
                continue
            seen.add(start)
            planned.append((start, start + duration))
    except (ValueError, TypeError, OverflowError) as exc:  # Overflow: UNTIL in year 9999
        logger.warning(
            "event=bad_recurrence page=%s rule=%r error=%s", event.pk, event.recurrence, exc
        )
        return [(event.start, event.end)]
    return planned


@dataclass
class SyncResult:
    occurrences: list[Occurrence] = field(default_factory=list)
    changed: list[Occurrence] = field(default_factory=list)  # time or place moved
    cancelled: list[Occurrence] = field(default_factory=list)


def _local_key(occurrence_start: datetime, zone) -> date:
    return occurrence_start.astimezone(zone).date()


def _sync(event: EventPage, horizon_days: int = 400) -> SyncResult:
    zone = _zone(event)
    now = timezone.now()
    place = place_fingerprint(event)
    result = SyncResult()
    with transaction.atomic():
        existing = list(
            Occurrence.objects.select_for_update().filter(event=event).order_by("cancelled", "pk")
        )
        planned = planned_dates(event, horizon_days)
        unmatched = list(existing)
        pairs: list[tuple[Occurrence | None, datetime, datetime]] = []
        if not event.is_series:
            # A single event: always the same one occurrence (a stable iCalendar UID).
            first = unmatched.pop(0) if unmatched else None
            pairs.append((first, *planned[0]))
        else:
            by_start = {o.start: o for o in unmatched}
            rest = []
            for start, end in planned:
                same = by_start.get(start)
                if same is not None and same in unmatched:
                    unmatched.remove(same)
                    pairs.append((same, start, end))
                else:
                    rest.append((start, end))
            # Then by local date: a new time of day updates the same occurrence.
            by_day: dict[date, list[Occurrence]] = {}
            for o in unmatched:
                by_day.setdefault(_local_key(o.start, zone), []).append(o)
            for start, end in rest:
                candidates = by_day.get(_local_key(start, zone)) or []
                match = candidates.pop(0) if candidates else None
                if match is not None:
                    unmatched.remove(match)
                pairs.append((match, start, end))

        for occurrence, start, end in pairs:
            if occurrence is None:
                occurrence = Occurrence.objects.create(
                    event=event, start=start, end=end, cancelled=event.cancelled, place=place
                )
                result.occurrences.append(occurrence)
                continue
            moved = occurrence.start != start or occurrence.end != end
            relocated = bool(occurrence.place) and occurrence.place != place
            was_cancelled = occurrence.cancelled
            if not (moved or relocated or was_cancelled != event.cancelled or not occurrence.place):
                result.occurrences.append(occurrence)
                continue
            upcoming = max(occurrence.start, start) > now
            if moved or relocated or was_cancelled != event.cancelled:
                occurrence.sequence += 1
                if upcoming and event.cancelled and not was_cancelled:
                    result.cancelled.append(occurrence)
                elif upcoming and not event.cancelled:
                    result.changed.append(occurrence)  # moved, relocated or taking place again
            occurrence.start, occurrence.end = start, end
            occurrence.cancelled = event.cancelled
            occurrence.place = place
            occurrence.save(update_fields=["start", "end", "cancelled", "sequence", "place"])
            result.occurrences.append(occurrence)

        for occurrence in unmatched:  # no longer in the rule: cancelled, never deleted
            if not occurrence.cancelled:
                occurrence.cancelled = True
                occurrence.sequence += 1
                occurrence.save(update_fields=["cancelled", "sequence"])
                if occurrence.start > now:
                    result.cancelled.append(occurrence)
    result.occurrences.sort(key=lambda o: o.start)
    return result


def sync_occurrences(event: EventPage, horizon_days: int = 400) -> list[Occurrence]:
    """Bring the event's occurrences in line with its dates; returns those planned."""
    return _sync(event, horizon_days).occurrences


def _when(occurrence: Occurrence) -> str:
    local = occurrence.start.astimezone(_zone(occurrence.event))
    return local.strftime("%d-%m-%Y %H:%M")


def _notify_registration(kind: str, registration: Registration, title: str, actor=None) -> None:
    notify(
        kind,
        target=registration,
        title=title,
        url=registration.occurrence.event.url or "",
        audience=[registration.user_id],
        actor=actor,
    )


def on_event_published(sender, instance=None, revision=None, **kwargs) -> None:
    """page_published for EventPage: update the dates and tell the people concerned."""
    event = instance.specific if instance is not None else None
    if not isinstance(event, EventPage):
        return
    with transaction.atomic():
        result = _sync(event)
        for kind, occurrences in ((CHANGED, result.changed), (CANCELLED, result.cancelled)):
            for occurrence in occurrences:
                occurrence.event = event
                template = (
                    _("Changed: %(event)s on %(date)s")
                    if kind == CHANGED
                    else _("Cancelled: %(event)s on %(date)s")
                )
                title = template % {"event": event.title, "date": _when(occurrence)}
                for registration in occurrence.registrations.filter(state__in=ACTIVE):
                    registration.occurrence = occurrence
                    _notify_registration(kind, registration, title)
        # More places than before: the waitlist moves up.
        waiting = (
            Occurrence.objects.select_for_update()
            .filter(
                event=event,
                cancelled=False,
                start__gt=timezone.now(),
                pk__in=Registration.objects.filter(
                    occurrence__event=event, state=RegistrationState.WAITLISTED
                ).values("occurrence_id"),
            )
            .order_by("start")
        )
        for occurrence in waiting:
            occurrence.event = event
            _promote(occurrence)


# Registration -----------------------------------------------------------------------


class RateLimited(ValidationError):
    """Too many registrations in a short time; the message says how long to wait."""


def check_registration_rate(user, now: datetime) -> None:
    """The dates a person registered for in the last hour (again after cancelling counts
    too), so no script takes the places of every date. Call inside the registering
    transaction: the person's row is locked, so a burst from several browsers is counted
    one by one."""
    get_user_model().objects.select_for_update(no_key=True).filter(pk=user.pk).first()
    limit = int(getattr(settings, "EVENTS_REGISTRATIONS_PER_HOUR", 20))
    recent = Registration.objects.filter(
        user=user, requested_at__gt=now - timedelta(hours=1)
    ).count()
    if recent >= limit:
        raise RateLimited(
            ngettext(
                "You registered for %(limit)s date in the last hour, the most we accept. "
                "Try again later; your answers are kept below.",
                "You registered for %(limit)s dates in the last hour, the most we accept. "
                "Try again later; your answers are kept below.",
                limit,
            )
            % {"limit": limit},
            code="rate",
        )


def _check_open(occurrence: Occurrence, now: datetime) -> None:
    event = occurrence.event
    if occurrence.cancelled or event.cancelled:
        raise ValidationError(_("This event has been cancelled."), code="cancelled")
    if occurrence.start <= now:
        raise ValidationError(_("This event has already started."), code="started")
    if event.registration_opens and now < event.registration_opens:
        opens = event.registration_opens.astimezone(_zone(event)).strftime("%d-%m-%Y %H:%M")
        raise ValidationError(
            _("Registration opens on %(date)s.") % {"date": opens}, code="not_open"
        )
    if event.registration_closes and now >= event.registration_closes:
        raise ValidationError(_("Registration for this event has closed."), code="closed")


def _registered_count(occurrence: Occurrence) -> int:
    return occurrence.registrations.filter(state=RegistrationState.REGISTERED).count()


def _waitlist(occurrence: Occurrence) -> QuerySet:
    return occurrence.registrations.filter(state=RegistrationState.WAITLISTED).order_by(
        "requested_at", "pk"
    )


def _promote(occurrence: Occurrence) -> list[Registration]:
    """Give free places to the waitlist, first come first served. Call with the
    occurrence row locked."""
    capacity = occurrence.event.capacity
    promoted = []
    free = None if capacity is None else capacity - _registered_count(occurrence)
    while free is None or free > 0:
        nxt = _waitlist(occurrence).select_for_update().first()
        if nxt is None:
            break
        nxt.state = RegistrationState.REGISTERED
        nxt.save(update_fields=["state", "updated_at"])
        nxt.occurrence = occurrence
        _notify_registration(
            PROMOTED,
            nxt,
            _("A place came free: you are registered for %(event)s on %(date)s")
            % {"event": occurrence.event.title, "date": _when(occurrence)},
        )
        promoted.append(nxt)
        if free is not None:
            free -= 1
    return promoted


def register(
    user, occurrence: Occurrence, *, dietary_needs: str = "", accessibility_needs: str = ""
) -> Registration:
    """Register, or join the waitlist when the date is full. Asking twice is harmless."""
    if not permissions.can_register(user, occurrence.event):
        raise PermissionDenied(_("You cannot register for this event."))
    with transaction.atomic():
        occurrence = (
            Occurrence.objects.select_for_update().select_related("event").get(pk=occurrence.pk)
        )
        event = occurrence.event
        now = timezone.now()
        registration = Registration.objects.filter(occurrence=occurrence, user=user).first()
        if registration is not None and registration.state in ACTIVE:
            return registration
        _check_open(occurrence, now)
        check_registration_rate(user, now)
        _promote(occurrence)  # places added since the last change go to the waitlist first
        full = event.capacity is not None and _registered_count(occurrence) >= event.capacity
        state = RegistrationState.WAITLISTED if full else RegistrationState.REGISTERED
        values = {
            "state": state,
            "requested_at": now,
            "dietary_needs": dietary_needs.strip()[:300] if event.ask_dietary else "",
            "accessibility_needs": (
                accessibility_needs.strip()[:300] if event.ask_accessibility else ""
            ),
            "attended": None,
        }
        if registration is None:
            registration = Registration.objects.create(occurrence=occurrence, user=user, **values)
        else:  # again after cancelling: at the back of the queue
            for name, value in values.items():
                setattr(registration, name, value)
            registration.save()
        registration.occurrence = occurrence
        names = {"event": event.title, "date": _when(occurrence)}
        if full:
            _notify_registration(
                WAITLISTED,
                registration,
                _("You are on the waitlist for %(event)s on %(date)s") % names,
            )
        else:
            _notify_registration(
                REGISTERED, registration, _("You are registered for %(event)s on %(date)s") % names
            )
        return registration


def cancel(user, occurrence: Occurrence) -> Registration | None:
    """Cancel a person's registration; a freed place goes to the first on the waitlist."""
    with transaction.atomic():
        occurrence = (
            Occurrence.objects.select_for_update().select_related("event").get(pk=occurrence.pk)
        )
        registration = (
            Registration.objects.select_for_update()
            .filter(occurrence=occurrence, user=user)
            .first()
        )
        if registration is None or registration.state == RegistrationState.CANCELLED:
            return registration
        was = registration.state
        registration.state = RegistrationState.CANCELLED
        registration.save(update_fields=["state", "updated_at"])
        # Confirmed with a METHOD:CANCEL invitation, so the entry leaves their calendar.
        _notify_registration(
            REGISTRATION_CANCELLED,
            registration,
            _("You cancelled your registration for %(event)s on %(date)s")
            % {"event": occurrence.event.title, "date": _when(occurrence)},
        )
        if (
            was == RegistrationState.REGISTERED
            and not occurrence.cancelled
            and occurrence.start > timezone.now()
        ):
            _promote(occurrence)
        return registration


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first in line; None when not on the waitlist."""
    if registration.state != RegistrationState.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        occurrence_id=registration.occurrence_id, state=RegistrationState.WAITLISTED
    ).filter(
        Q(requested_at__lt=registration.requested_at)
        | Q(requested_at=registration.requested_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def places_left(occurrence: Occurrence) -> int | None:
    """None for no limit."""
    capacity = occurrence.event.capacity
    if capacity is None:
        return None
    return max(0, capacity - _registered_count(occurrence))


def registrations_for(occurrence: Occurrence) -> QuerySet:
    """Registered and waitlisted people, in order; callers check permissions.can_manage."""
    return (
        Registration.objects.filter(occurrence=occurrence, state__in=ACTIVE)
        .select_related("user")
        .order_by("state", "requested_at", "pk")  # "registered" sorts before "waitlisted"
    )


def set_attendance(manager, registration: Registration, attended: bool) -> Registration:
    if not permissions.can_manage(manager, registration.occurrence.event):
        raise PermissionDenied
    Registration.objects.filter(pk=registration.pk).update(
        attended=attended, updated_at=timezone.now()
    )
    registration.attended = attended
    attendance_marked.send(sender=Registration, registration=registration)
    return registration


def attendance_counts(event: EventPage) -> list[dict]:
    """Per occurrence: how many were registered and how many came."""
    rows = event.occurrences.order_by("start").annotate(
        registered=Count(
            "registrations", filter=Q(registrations__state=RegistrationState.REGISTERED)
        ),
        attended=Count(
            "registrations",
            filter=Q(
                registrations__state=RegistrationState.REGISTERED, registrations__attended=True
            ),
        ),
    )
    return [{"occurrence": o, "registered": o.registered, "attended": o.attended} for o in rows]


# Reminders --------------------------------------------------------------------------

DAY_BEFORE = "reminded_day_before"
HOUR_BEFORE = "reminded_hour_before"


def due_reminders(now: datetime) -> list[tuple[Occurrence, str]]:
    """(occurrence, which) for every reminder that should go out now: a day before
    every date, and an hour before online and hybrid ones."""
    base = Occurrence.objects.filter(
        cancelled=False, event__cancelled=False, event__live=True, start__gt=now
    ).select_related("event")
    online = Q(event__event_format__in=ONLINE_FORMATS)
    day = base.filter(start__lte=now + timedelta(days=1), reminded_day_before__isnull=True).exclude(
        online & Q(start__lte=now + timedelta(hours=1))  # the hour-before one is enough then
    )
    hour = base.filter(
        online, start__lte=now + timedelta(hours=1), reminded_hour_before__isnull=True
    )
    return [(o, DAY_BEFORE) for o in day] + [(o, HOUR_BEFORE) for o in hour]


def about_registration(user, registration) -> bool:
    return registration.user_id == user.pk and permissions.can_view(
        user, registration.occurrence.event
    )


def registered_for_occurrence(user, occurrence) -> bool:
    return (
        permissions.can_view(user, occurrence.event)
        and occurrence.registrations.filter(user=user, state=RegistrationState.REGISTERED).exists()
    )


def reminder_attachments(user, occurrence) -> list[tuple[str, bytes, str]]:
    """The person's own invitation: their calendar entry, with the meeting link when
    they are registered. The shared notification never holds the link itself."""
    from via_platform.events import ical

    registration = occurrence.registrations.filter(
        user=user, state=RegistrationState.REGISTERED
    ).first()
    return ical.invitation_attachments(user, registration) if registration else []


def registered_people(users: QuerySet, occurrence) -> QuerySet:
    return users.filter(
        event_registrations__occurrence=occurrence,
        event_registrations__state=RegistrationState.REGISTERED,
    )


def send_reminders(now: datetime | None = None) -> int:
    """Send what is due; returns how many people were reminded. Each reminder is
    claimed with a conditional update first, so two workers never both send it."""
    now = now or timezone.now()
    sent = 0
    for occurrence, which in due_reminders(now):
        with transaction.atomic():
            claimed = Occurrence.objects.filter(
                pk=occurrence.pk, cancelled=False, **{f"{which}__isnull": True}
            ).update(**{which: now})
            if not claimed:
                continue
            people = list(
                occurrence.registrations.filter(state=RegistrationState.REGISTERED).values_list(
                    "user_id", flat=True
                )
            )
            if not people:
                continue
            names = {"event": occurrence.event.title, "date": _when(occurrence)}
            title = (
                _("Tomorrow: %(event)s, %(date)s")
                if which == DAY_BEFORE
                else _(
                    "Starts within the hour: %(event)s, %(date)s – the link is in the "
                    "attached invitation and on the event page"
                )
            ) % names
            # Never the meeting link in the shared title or URL: each person's email
            # carries it in their own invitation (reminder_attachments).
            notify(
                REMINDER, target=occurrence, title=title, url=occurrence.event.url or "",
                audience=people,
            )  # fmt: skip
            sent += len(people)
    return sent
