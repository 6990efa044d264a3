"""iCalendar (RFC 5545) output for the agenda: downloads, subscription feeds and the
invitation that goes with a registration email.

Choices:
- UID is `occurrence-<pk>@via-leernetwerken.nl`: one per date, stable because
  services.sync_occurrences keeps occurrence pks when an event is edited.
- SEQUENCE is the occurrence's own counter, which services.sync_occurrences raises
  whenever its time or place changes or it is cancelled (the changes RFC 5546 asks
  organisers to announce); it lives on the row, not in a page revision, so publishing
  an older revision never lowers it. A cancellation keeps the same UID.
- Times are written in the event's own time zone (TZID) with a VTIMEZONE component.
- The online meeting link is written only when the caller asks (`include_link`), which
  it does only for a person allowed to see it; feeds never ask.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import UTC, date, datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from via_platform.events.models import (
    DEFAULT_TIME_ZONE,
    EventFormat,
    EventPage,
    Occurrence,
    Registration,
    RegistrationState,
)

UID_DOMAIN = "via-leernetwerken.nl"
PRODID = "-//VIA Leernetwerken//Agenda//NL"
INVITATION_FILENAME = "uitnodiging.ics"


def uid(occurrence: Occurrence) -> str:
    return f"occurrence-{occurrence.pk}@{UID_DOMAIN}"


def sequence(occurrence: Occurrence) -> int:
    return occurrence.sequence


def _zone(event: EventPage) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(event.time_zone or DEFAULT_TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)


def page_url(event: EventPage, request=None) -> str:
    url = event.get_full_url(request)
    if url:
        return url
    relative = event.get_url(request) or ""
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{relative}"


def _location(event: EventPage) -> str:
    place = ", ".join(
        part for part in (event.venue_name.strip(), " ".join(event.address.split())) if part
    )
    if event.event_format == EventFormat.ONLINE:
        return _("Online")
    if event.event_format == EventFormat.HYBRIDE:
        return f"{place} ({_('and online')})" if place else _("Online")
    return place


def _last_modified(event: EventPage) -> datetime:
    return (
        event.last_published_at
        or event.latest_revision_created_at
        or event.first_published_at
        or timezone.now()
    )


def vevent(
    occurrence: Occurrence,
    *,
    include_link: bool = False,
    status: str | None = None,
    url: str | None = None,
    now: datetime | None = None,
) -> Event:
    """One VEVENT for one date. `status` overrides the status derived from the event
    (a person's cancelled registration is CANCELLED in their own feed)."""
    event = occurrence.event
    zone = _zone(event)
    url = url or page_url(event)
    if status is None:
        status = "CANCELLED" if (event.cancelled or occurrence.cancelled) else "CONFIRMED"
    component = Event()
    component.add("uid", uid(occurrence))
    component.add("sequence", sequence(occurrence))
    component.add("dtstamp", (now or timezone.now()).astimezone(UTC))
    component.add("last-modified", _last_modified(event).astimezone(UTC))
    component.add("dtstart", occurrence.start.astimezone(zone))
    component.add("dtend", occurrence.end.astimezone(zone))
    component.add("summary", event.title)
    description = [event.summary.strip(), url]
    if include_link and event.online_link:
        description.append(f"{_('Online meeting link')}: {event.online_link}")
    component.add("description", "\n\n".join(part for part in description if part))
    location = _location(event)
    if location:
        component.add("location", location)
    component.add("url", url)
    component.add("status", status)
    if include_link and event.online_link:
        component.add("conference", event.online_link, parameters={"VALUE": "URI"})
    return component


def _calendar(method: str | None = None, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        # An X- property is not escaped like SUMMARY: a line break in an event's title
        # would end the line (a lone CR even passes through and starts a new property).
        calendar.add("x-wr-calname", " ".join(name.split()))
    return calendar


def _finish(calendar: Calendar, occurrences: list[Occurrence]) -> bytes:
    """Add a VTIMEZONE for every TZID used, covering the dates in the calendar."""
    if occurrences:
        first = min(o.start for o in occurrences)
        last = max(o.end for o in occurrences)
        calendar.add_missing_timezones(
            first_date=date(first.year - 1, 1, 1), last_date=date(last.year + 2, 1, 1)
        )
    return calendar.to_ical()


def event_calendar(
    event: EventPage, occurrences: Iterable[Occurrence], include_link: bool = False, request=None
) -> bytes:
    """A download of one event's dates. `include_link` only for someone who may see it."""
    occurrences = list(occurrences)
    calendar = _calendar(method="PUBLISH", name=event.title)
    url = page_url(event, request)
    now = timezone.now()
    for occurrence in occurrences:
        occurrence.event = event
        calendar.add_component(vevent(occurrence, include_link=include_link, url=url, now=now))
    return _finish(calendar, occurrences)


def feed(
    occurrences: Iterable[Occurrence],
    name: str,
    statuses: dict[int, str] | None = None,
    request=None,
) -> bytes:
    """A subscription feed. Never carries a meeting link. `statuses` maps occurrence
    pks to a status that overrides the event's own (a person's feed)."""
    occurrences = list(occurrences)
    statuses = statuses or {}
    calendar = _calendar(method="PUBLISH", name=name)
    urls: dict[int, str] = {}
    now = timezone.now()
    for occurrence in occurrences:
        event = occurrence.event
        if event.pk not in urls:
            urls[event.pk] = page_url(event, request)
        calendar.add_component(
            vevent(
                occurrence,
                include_link=False,
                status=statuses.get(occurrence.pk),
                url=urls[event.pk],
                now=now,
            )
        )
    return _finish(calendar, occurrences)


def _organizer() -> vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["cn"] = vText(name)
    return organizer


def _is_cancelled(registration: Registration) -> bool:
    occurrence = registration.occurrence
    return (
        registration.state == RegistrationState.CANCELLED
        or occurrence.cancelled
        or occurrence.event.cancelled
    )


def invitation(registration: Registration, method: str = "REQUEST") -> bytes:
    """An iTIP invitation (RFC 5546) for the registered person: REQUEST adds or updates
    the date in their calendar, CANCEL removes it (same UID, higher or equal SEQUENCE).
    Only a registered person's REQUEST carries the meeting link."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unsupported iTIP method {method!r}")
    occurrence = registration.occurrence
    person = registration.user
    registered = registration.state == RegistrationState.REGISTERED
    if method == "CANCEL":
        status = "CANCELLED"
    elif registered:
        status = "CONFIRMED"
    else:
        status = "TENTATIVE"  # on the waitlist
    include_link = method == "REQUEST" and registered and not _is_cancelled(registration)
    component = vevent(occurrence, include_link=include_link, status=status)
    component.add("organizer", _organizer())
    attendee = vCalAddress(f"mailto:{person.email}")
    full_name = person.get_full_name() if hasattr(person, "get_full_name") else ""
    if full_name:
        attendee.params["cn"] = vText(full_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText(
        "DECLINED" if method == "CANCEL" else ("ACCEPTED" if registered else "TENTATIVE")
    )
    attendee.params["rsvp"] = vText("FALSE")
    component.add("attendee", attendee)
    calendar = _calendar(method=method)
    calendar.add_component(component)
    return _finish(calendar, [occurrence])


def invitation_attachments(user, registration) -> list[tuple[str, bytes, str]]:
    """For notifications.registry.Kind.attachments: the invitation for the person the
    registration belongs to (nobody else gets it: it may carry the meeting link)."""
    if not isinstance(registration, Registration) or registration.user_id != user.pk:
        return []
    method = "CANCEL" if _is_cancelled(registration) else "REQUEST"
    return [
        (
            INVITATION_FILENAME,
            invitation(registration, method=method),
            f"text/calendar; method={method}; charset=utf-8",
        )
    ]
