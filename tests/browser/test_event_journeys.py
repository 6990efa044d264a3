"""Registering for a small intervision: the last place, the waitlist and the promotion
when someone cancels; the agenda and the event page pass axe-core and the CSP."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from cms.models import HomePage
from tests.browser.conftest import axe_violations
from tests.browser.test_account_journey import log_in
from via_platform.events import services
from via_platform.events.models import AgendaIndexPage, EventPage, Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "leernetwerk-demo"
FIRST = "klantmanager@voorbeeld.nl"
SECOND = "werkgever@voorbeeld.nl"


def assert_accessible(page):
    assert axe_violations(page) == [], page.url
    assert page.csp_violations == [], page.url


def _agenda() -> AgendaIndexPage:
    existing = AgendaIndexPage.objects.first()
    if existing is not None:
        return existing
    page = AgendaIndexPage(title="Agenda test", slug="agenda-test")
    HomePage.objects.first().add_child(instance=page)
    page.save_revision().publish()
    return page


def _small_event(agenda) -> EventPage:
    start = (timezone.now() + timedelta(days=9)).replace(microsecond=0)
    event = EventPage(
        title="Intervisie in kleine kring",
        slug="intervisie-kleine-kring",
        summary="Een intervisie voor één deelnemer en een wachtlijst.",
        start=start,
        end=start + timedelta(hours=2),
        venue_name="Stadskantoor Utrecht",
        address="Stadsplateau 1\nUtrecht",
        accessibility="Drempelvrij; ringleiding in zaal 2.",
        capacity=1,
        ask_accessibility=True,
    )
    agenda.add_child(instance=event)
    event.save_revision().publish()
    event = EventPage.objects.get(pk=event.pk)
    services.sync_occurrences(event)
    return event


def _as(page, live_server, email: str) -> None:
    """Log in afresh (the Dutch login form), then read the site in English."""
    page.context.clear_cookies()
    log_in(page, email, PASSWORD)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )


def _invitations_to(email: str) -> list[bytes]:
    """Deliver what the events sent (no worker runs in browser tests) and return the
    calendar invitations that reached this person."""
    from django.core import mail

    from via_platform.notifications import services as notifications
    from via_platform.notifications.models import Delivery, Happening

    for happening in Happening.objects.filter(kind__startswith="events."):
        notifications.fan_out(happening.pk)
    for delivery in Delivery.objects.filter(state=Delivery.State.PENDING):
        notifications.send_delivery(delivery.pk)
    return [
        part.get_payload(decode=True)
        for message in mail.outbox
        if message.to == [email]
        for part in message.message().walk()
        if part.get_content_type() == "text/calendar"
    ]


def test_waitlist_and_promotion(demo_site, page, live_server):
    agenda = _agenda()
    event = _small_event(agenda)

    # The first person finds the event in the agenda and takes the only place.
    _as(page, live_server, FIRST)
    page.goto(agenda.url)
    expect(page.get_by_text("1 place left").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=event.title).click()
    expect(page.get_by_role("heading", level=1, name=event.title)).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("Accessibility needs")).fill("Graag een plek vooraan")
    page.get_by_role("button", name="Register").click()
    expect(page.locator(".site-event__state").get_by_text("You are registered.")).to_be_visible()
    assert_accessible(page)
    # The confirmation mail carries the invitation for their calendar.
    (invitation,) = _invitations_to(FIRST)
    assert b"METHOD:REQUEST" in invitation and b"Intervisie in kleine kring" in invitation

    # The second person finds it full and joins the waitlist.
    _as(page, live_server, SECOND)
    page.goto(event.url)
    expect(page.get_by_text("Full: you can join the waitlist.")).to_be_visible()
    page.get_by_role("button", name="Join the waitlist").click()
    expect(page.get_by_text("You are on the waitlist: number 1.")).to_be_visible()
    assert_accessible(page)

    # The first person cancels ...
    _as(page, live_server, FIRST)
    page.goto(event.url)
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.get_by_text("You cancelled your registration.")).to_be_visible()
    # Their calendar gets the cancellation for the same entry.
    request, cancellation = _invitations_to(FIRST)
    assert b"METHOD:CANCEL" in cancellation and b"STATUS:CANCELLED" in cancellation

    # ... and the second person has the place.
    _as(page, live_server, SECOND)
    page.goto(event.url)
    expect(page.locator(".site-event__state").get_by_text("You are registered.")).to_be_visible()
    assert_accessible(page)
    states = dict(
        Registration.objects.filter(occurrence__event=event).values_list("user__email", "state")
    )
    assert states == {FIRST: "cancelled", SECOND: "registered"}
    # The promoted person is told, with an invitation, exactly once.
    promoted = _invitations_to(SECOND)
    assert len(promoted) == 1 and b"METHOD:REQUEST" in promoted[0]


def test_coordinator_marks_attendance_at_the_door(demo_site, page, live_server):
    from via_platform.accounts.models import User
    from via_platform.communities.models import CommunityPage

    community = CommunityPage.objects.get(slug="intensieve-begeleiding")
    start = (timezone.now() + timedelta(hours=1)).replace(microsecond=0)
    event = EventPage(
        title="Intervisie taalcoaching",
        slug="intervisie-taalcoaching",
        summary="Casussen uit de praktijk.",
        start=start,
        end=start + timedelta(hours=2),
        ask_dietary=True,
    )
    community.add_child(instance=event)
    event.save_revision().publish()
    event = EventPage.objects.get(pk=event.pk)
    services.sync_occurrences(event)
    attendee = User.objects.get(email=FIRST)
    services.register(attendee, event.occurrences.get(), dietary_needs="Vegetarisch")
    name = attendee.get_full_name() or attendee.email

    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet, upright
    _as(page, live_server, "coordinator@voorbeeld.nl")
    page.goto(event.url)
    page.get_by_role("link", name="Attendees and attendance").click()
    expect(page.get_by_text("Vegetarisch")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Search by name").fill(name.split()[0])
    page.get_by_role("button", name="Find attendee").click()
    page.get_by_role("button", name=re.compile("^Mark present")).first.click()
    expect(page.get_by_text("is marked present")).to_be_visible()
    assert_accessible(page)
    assert Registration.objects.get(occurrence__event=event, user=attendee).attended is True
