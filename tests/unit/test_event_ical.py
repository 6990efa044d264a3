"""iCalendar output of the agenda: the files themselves (RFC 5545), the feeds and
downloads with their permissions, and the invitation attached to a notification email."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cms.models import HomePage
from via_platform.accounts.models import User
from via_platform.communities.models import (
    CommunityIndexPage,
    CommunityPage,
    ContentVisibility,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
)
from via_platform.events import ical
from via_platform.events.models import (
    AgendaIndexPage,
    CalendarToken,
    EventAudience,
    EventFormat,
    EventPage,
    Occurrence,
    Registration,
    RegistrationState,
)
from via_platform.notifications import services as notification_services
from via_platform.notifications.models import Delivery
from via_platform.notifications.registry import Category, Kind, register_kind

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/geheim-overleg-123"
INVITE_KIND = "test.event_invitation"

register_kind(
    Kind(
        key=INVITE_KIND,
        category=Category.EVENTS,
        label="Aanmelding bevestigd",
        reason="je je hebt aangemeld voor “{title}”",
        attachments=ical.invitation_attachments,
    )
)

_counter = iter(range(1_000_000))


def _user(**extra) -> User:
    number = next(_counter)
    return User.objects.create_user(
        email=f"agenda{number}@example.org",
        password="een-lang-wachtwoord",
        first_name="Test",
        last_name=f"Persoon {number}",
        **extra,
    )


@pytest.fixture
def agenda(demo_site) -> AgendaIndexPage:
    home = HomePage.objects.first()
    existing = AgendaIndexPage.objects.child_of(home).first()
    if existing is not None:
        return existing
    page = AgendaIndexPage(title="Agenda test", slug="agenda-test")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def communities(demo_site) -> CommunityIndexPage:
    home = HomePage.objects.first()
    page = CommunityIndexPage(title="Netwerken test", slug="netwerken-test", intro="Alle.")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def _community(index, title: str, **fields) -> CommunityPage:
    defaults = {
        "slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
        "kind": "lerend_netwerk",
        "intro": f"Over {title}.",
        "join_policy": JoinPolicy.OPEN,
        "content_visibility": ContentVisibility.PUBLIC,
        "hidden": False,
    }
    page = CommunityPage(title=title, **{**defaults, **fields})
    index.add_child(instance=page)
    page.save_revision().publish()
    return CommunityPage.objects.get(pk=page.pk)


def _member(community, user):
    return Membership.objects.create(
        community=community,
        user=user,
        role=Role.MEMBER,
        state=MembershipState.ACTIVE,
        joined_at=timezone.now() - timedelta(days=10),
    )


def _event(parent, title: str, *, days: int = 10, publish: bool = True, **fields) -> EventPage:
    start = (timezone.now() + timedelta(days=days)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    defaults = {
        "slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
        "summary": f"Over {title}.",
        "start": start,
        "end": start + timedelta(hours=2),
        "venue_name": "Stadskantoor",
        "address": "Stationsplein 1\n3511 ED Utrecht",
    }
    page = EventPage(title=title, **{**defaults, **fields})
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    else:
        page.live = False
        page.save()
    page = EventPage.objects.get(pk=page.pk)
    # Publishing may already have made it (services.sync_occurrences); else make it here.
    Occurrence.objects.get_or_create(event=page, start=page.start, defaults={"end": page.end})
    return page


def _parse(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def _vevents(body: bytes):
    return _parse(body).walk("VEVENT")


def _summaries(body: bytes) -> set[str]:
    return {str(e["SUMMARY"]) for e in _vevents(body)}


# The files ------------------------------------------------------------------------


def test_event_calendar_is_rfc5545_with_vtimezone_and_local_times(agenda):
    event = _event(agenda, "Intervisie statushouders", online_link=LINK)
    body = ical.event_calendar(event, event.occurrences.all())
    calendar = _parse(body)
    assert str(calendar["VERSION"]) == "2.0"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    (vevent,) = calendar.walk("VEVENT")
    occurrence = event.occurrences.get()
    assert str(vevent["UID"]) == f"occurrence-{occurrence.pk}@via-leernetwerken.nl"
    assert b"DTSTART;TZID=Europe/Amsterdam:" in body
    assert vevent.decoded("DTSTART").astimezone(UTC) == occurrence.start
    assert vevent.decoded("DTEND").astimezone(UTC) == occurrence.end
    assert str(vevent["SUMMARY"]) == "Intervisie statushouders"
    assert "Stadskantoor" in str(vevent["LOCATION"])
    assert "Utrecht" in str(vevent["LOCATION"])
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["URL"]).startswith("http")
    assert str(vevent["URL"]) in str(vevent["DESCRIPTION"])
    assert "DTSTAMP" in vevent and "LAST-MODIFIED" in vevent
    assert LINK.encode() not in body  # not asked for


def test_online_events_say_online_and_the_link_only_when_asked(agenda):
    event = _event(agenda, "Webinar", event_format=EventFormat.ONLINE, online_link=LINK)
    plain = ical.event_calendar(event, event.occurrences.all())
    (vevent,) = _vevents(plain)
    assert str(vevent["LOCATION"]) == "Online"
    assert LINK.encode() not in plain
    with_link = ical.event_calendar(event, event.occurrences.all(), include_link=True)
    assert LINK in str(_vevents(with_link)[0]["DESCRIPTION"])


def test_uid_is_stable_and_sequence_rises_across_edits(agenda):
    event = _event(agenda, "Werkbezoek")
    occurrence = event.occurrences.get()
    (before,) = _vevents(ical.event_calendar(event, [occurrence]))

    occurrence.start += timedelta(hours=1)
    occurrence.end += timedelta(hours=1)
    occurrence.sequence += 1
    occurrence.save()
    (moved,) = _vevents(ical.event_calendar(event, event.occurrences.all()))

    occurrence.cancelled = True
    occurrence.sequence += 1
    occurrence.save()
    (cancelled,) = _vevents(ical.event_calendar(event, event.occurrences.all()))

    assert str(before["UID"]) == str(moved["UID"]) == str(cancelled["UID"])
    assert int(before["SEQUENCE"]) < int(moved["SEQUENCE"]) < int(cancelled["SEQUENCE"])
    assert moved.decoded("DTSTART").astimezone(UTC) == occurrence.start


def test_cancelled_occurrence_or_event_keeps_its_uid(agenda):
    event = _event(agenda, "Training")
    occurrence = event.occurrences.get()
    (confirmed,) = _vevents(ical.event_calendar(event, [occurrence]))
    occurrence.cancelled = True
    occurrence.sequence += 1
    occurrence.save()
    (cancelled,) = _vevents(ical.event_calendar(event, [occurrence]))
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["UID"]) == str(confirmed["UID"])
    assert int(cancelled["SEQUENCE"]) > int(confirmed["SEQUENCE"])

    other = _event(agenda, "Bijeenkomst", cancelled=True)
    (whole,) = _vevents(ical.event_calendar(other, other.occurrences.all()))
    assert str(whole["STATUS"]) == "CANCELLED"


def test_other_time_zones_get_their_own_vtimezone(agenda):
    event = _event(agenda, "Bezoek Curaçao", time_zone="America/Curacao")
    body = ical.event_calendar(event, event.occurrences.all())
    assert {str(tz["TZID"]) for tz in _parse(body).walk("VTIMEZONE")} == {"America/Curacao"}
    assert b"DTSTART;TZID=America/Curacao:" in body


# Feeds ----------------------------------------------------------------------------


@pytest.fixture
def scene(agenda, communities):
    open_net = _community(communities, "Open netwerk")
    hidden = _community(communities, "Geheim netwerk", hidden=True)
    return {
        "public": _event(agenda, "Open agenda-event", online_link=LINK),
        "members": _event(agenda, "Alleen leden", audience=EventAudience.MEMBERS),
        "draft": _event(agenda, "Concept", publish=False),
        "old": _event(agenda, "Lang geleden", days=-90),
        "net_public": _event(open_net, "Netwerk open", online_link=LINK),
        "net_members": _event(
            open_net, "Netwerk leden", audience=EventAudience.MEMBERS, online_link=LINK
        ),
        "hidden": _event(hidden, "Geheim overleg", online_link=LINK),
        "open_net": open_net,
        "hidden_net": hidden,
    }


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "filename=" in response["Content-Disposition"]
    return response


def test_public_feed_shows_only_public_live_events_without_links(client, scene):
    response = _get(client, "/agenda/feed.ics")
    body = response.content
    titles = _summaries(body)
    assert {"Open agenda-event", "Netwerk open"} <= titles
    assert not titles & {"Alleen leden", "Concept", "Lang geleden", "Netwerk leden"}
    assert not titles & {"Geheim overleg"}
    for link in EventPage.objects.exclude(online_link="").values_list("online_link", flat=True):
        assert link.encode() not in body  # the demo's events too
    assert _parse(body)["X-WR-CALNAME"]
    assert _parse(body).walk("VTIMEZONE")
    assert "private" not in response["Cache-Control"]


def test_public_feed_is_anonymous_even_for_a_logged_in_member(client, scene):
    member = _user()
    _member(scene["hidden_net"], member)
    client.force_login(member)
    body = _get(client, reverse("events:public_feed")).content
    assert "Open agenda-event" in _summaries(body)
    assert "Geheim overleg" not in _summaries(body)
    assert "Alleen leden" not in _summaries(body)


def test_community_feed_shows_its_public_events_and_hides_hidden_communities(client, scene):
    url = reverse("events:community_feed", args=[scene["open_net"].pk])
    body = _get(client, url).content
    assert _summaries(body) == {"Netwerk open"}
    assert LINK.encode() not in body
    hidden_url = reverse("events:community_feed", args=[scene["hidden_net"].pk])
    assert client.get(hidden_url).status_code == 404
    member = _user()
    _member(scene["hidden_net"], member)
    client.force_login(member)
    assert client.get(hidden_url).status_code == 404  # feeds are fetched without a login
    assert client.get("/agenda/netwerk/999999.ics").status_code == 404


def _register(user, event, state=RegistrationState.REGISTERED) -> Registration:
    return Registration.objects.create(
        occurrence=event.occurrences.get(), user=user, state=state, requested_at=timezone.now()
    )


def test_personal_feed_shows_the_persons_registrations_without_links(client, scene):
    person = _user()
    _member(scene["open_net"], person)
    _register(person, scene["net_members"])
    _register(person, scene["public"], RegistrationState.WAITLISTED)
    _register(person, scene["net_public"], RegistrationState.CANCELLED)
    _register(_user(), scene["members"])  # someone else's
    token = CalendarToken.objects.create(user=person)
    response = _get(client, f"/agenda/persoonlijk/{token.token}.ics")
    assert response["Cache-Control"].startswith("private")
    body = response.content
    statuses = {str(e["SUMMARY"]): str(e["STATUS"]) for e in _vevents(body)}
    assert statuses == {
        "Netwerk leden": "CONFIRMED",
        "Open agenda-event": "TENTATIVE",
        "Netwerk open": "CANCELLED",
    }
    assert LINK.encode() not in body
    assert client.get("/agenda/persoonlijk/onbekend.ics").status_code == 404


def test_renewing_the_token_revokes_the_old_url(client, scene):
    person = _user()
    old = CalendarToken.objects.create(user=person).token
    assert client.post(reverse("events:renew_token")).status_code == 302  # to the login
    assert CalendarToken.objects.get(user=person).token == old
    client.force_login(person)
    response = client.post(reverse("events:renew_token"), {"next": "/account/"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    new = CalendarToken.objects.get(user=person).token
    assert new != old
    assert client.get(f"/agenda/persoonlijk/{old}.ics").status_code == 404
    assert client.get(f"/agenda/persoonlijk/{new}.ics").status_code == 200
    evil = client.post(reverse("events:renew_token"), {"next": "https://evil.example/"})
    assert evil["Location"] == "/"


def test_event_download_has_the_link_only_for_a_registered_attendee(client, scene):
    event = scene["net_members"]
    url = reverse("events:event_download", args=[event.pk])
    assert client.get(url).status_code == 404  # members only
    outsider = _user()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    member = _user()
    _member(scene["open_net"], member)
    client.force_login(member)
    response = _get(client, url)
    assert LINK.encode() not in response.content
    assert response["Cache-Control"].startswith("private")
    assert "attachment" in response["Content-Disposition"]
    _register(member, event)
    assert LINK in str(_vevents(_get(client, url).content)[0]["DESCRIPTION"])
    client.logout()
    public = _get(client, reverse("events:event_download", args=[scene["public"].pk]))
    assert _summaries(public.content) == {"Open agenda-event"}
    assert LINK.encode() not in public.content
    hidden = reverse("events:event_download", args=[scene["hidden"].pk])
    assert client.get(hidden).status_code == 404


def test_waitlisted_person_does_not_get_the_link(client, scene):
    person = _user()
    _register(person, scene["public"], RegistrationState.WAITLISTED)
    client.force_login(person)
    url = reverse("events:event_download", args=[scene["public"].pk])
    assert LINK.encode() not in _get(client, url).content


# Invitations ----------------------------------------------------------------------


def test_invitation_request_and_cancel(agenda):
    event = _event(agenda, "Intervisie", online_link=LINK)
    person = _user()
    registration = _register(person, event)
    request = _parse(ical.invitation(registration))
    assert str(request["METHOD"]) == "REQUEST"
    (vevent,) = request.walk("VEVENT")
    assert str(vevent["ORGANIZER"]).startswith("mailto:")
    assert str(vevent["ATTENDEE"]) == f"mailto:{person.email}"
    assert LINK in str(vevent["DESCRIPTION"])
    assert request.walk("VTIMEZONE")

    registration.state = RegistrationState.CANCELLED
    registration.save()
    ((filename, content, mimetype),) = ical.invitation_attachments(person, registration)
    assert filename == "uitnodiging.ics"
    assert mimetype == "text/calendar; method=CANCEL; charset=utf-8"
    cancel = _parse(content)
    assert str(cancel["METHOD"]) == "CANCEL"
    (cancelled,) = cancel.walk("VEVENT")
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["UID"]) == str(vevent["UID"])
    assert LINK.encode() not in content
    assert ical.invitation_attachments(_user(), registration) == []  # not theirs


def test_notification_email_carries_the_invitation(agenda):
    event = _event(agenda, "Intervisie met link", online_link=LINK)
    person = _user()
    registration = _register(person, event)
    happening = notification_services.notify(
        INVITE_KIND, target=registration, title=event.title, url=event.url,
        audience=[person.pk],
    )  # fmt: skip
    notification_services.fan_out(happening.pk)
    delivery = Delivery.objects.get(recipient=person, happening=happening)
    message = notification_services.build_single_email(delivery).message()
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    part = parts[0]
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "uitnodiging.ics"
    assert "attachment" in part["Content-Disposition"]
    payload = part.get_payload(decode=True)
    assert b"METHOD:REQUEST" in payload
    assert LINK in str(_parse(payload).walk("VEVENT")[0]["DESCRIPTION"])
    # Sending works end to end, and the email still has its text and html.
    assert notification_services.send_delivery(delivery.pk) == "sent"
    assert len(mail.outbox) == 1
    assert {p.get_content_type() for p in mail.outbox[0].message().walk()} >= {
        "text/plain",
        "text/html",
        "text/calendar",
    }


def test_no_attachment_when_the_target_is_gone(agenda):
    event = _event(agenda, "Verdwenen", online_link=LINK)
    person = _user()
    registration = _register(person, event)
    happening = notification_services.notify(
        INVITE_KIND, target=registration, title=event.title, url="/", audience=[person.pk]
    )
    notification_services.fan_out(happening.pk)
    delivery = Delivery.objects.get(recipient=person, happening=happening)
    registration.delete()
    message = notification_services.build_single_email(delivery).message()
    assert not [p for p in message.walk() if p.get_content_type() == "text/calendar"]


def test_digest_carries_no_attachment(agenda):
    event = _event(agenda, "Digest", online_link=LINK)
    person = _user()
    registration = _register(person, event)
    notification_services.set_preference(person, Category.EVENTS, "daily")
    happening = notification_services.notify(
        INVITE_KIND, target=registration, title=event.title, url="/", audience=[person.pk]
    )
    notification_services.fan_out(happening.pk)
    period = datetime.now(UTC).date()
    assert notification_services.send_digest(person.pk, "daily", period) == 1
    (email,) = mail.outbox
    assert "text/calendar" not in {p.get_content_type() for p in email.message().walk()}
    assert LINK not in email.body
