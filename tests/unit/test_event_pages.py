"""The agenda and event pages as visitors, members and coordinators use them: the
agenda with its filters and tabs, an event's detail, registering, the waitlist,
cancelling, the meeting link, attendance at the door and the exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from cms.models import HomePage
from via_platform.communities.models import (
    CommunityIndexPage,
    CommunityPage,
    ContentVisibility,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
)
from via_platform.events import services
from via_platform.events.models import (
    AgendaIndexPage,
    EventAudience,
    EventFormat,
    EventPage,
    EventType,
    Registration,
    RegistrationState,
    Speaker,
)

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord"
LINK = "https://meet.example.org/geheim-123"


@pytest.fixture
def client(client, settings):
    """Every page in English, so the tests read the msgids whatever the Dutch catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def agenda(demo_site) -> AgendaIndexPage:
    existing = AgendaIndexPage.objects.first()
    if existing is not None:
        return existing
    home = HomePage.objects.first()
    page = AgendaIndexPage(title="Agenda test", slug="agenda-test", intro="Alle bijeenkomsten.")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def communities(demo_site) -> CommunityIndexPage:
    home = HomePage.objects.first()
    page = CommunityIndexPage(title="Netwerken test", slug="netwerken-test")
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


_counter = iter(range(1_000_000))


def _user(django_user_model, first: str = "Test", **extra):
    number = next(_counter)
    return django_user_model.objects.create_user(
        email=f"deelnemer{number}@example.org",
        password=PASSWORD,
        first_name=first,
        last_name=f"Persoon {number}",
        **extra,
    )


def _member(user, community, role=Role.MEMBER):
    return Membership.objects.create(
        community=community, user=user, role=role, state=MembershipState.ACTIVE
    )


def _event(parent, title: str, days: float = 7, **fields) -> EventPage:
    start = (timezone.now() + timedelta(days=days)).replace(microsecond=0)
    defaults = {
        "slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
        "summary": f"Over {title}.",
        "start": start,
        "end": start + timedelta(hours=2),
        "event_type": EventType.BIJEENKOMST,
        "event_format": EventFormat.FYSIEK,
        "venue_name": "Stadhuis",
    }
    page = EventPage(title=title, **{**defaults, **fields})
    parent.add_child(instance=page)
    page.save_revision().publish()
    page = EventPage.objects.get(pk=page.pk)
    services.sync_occurrences(page)
    return page


def _occurrence(event):
    return event.occurrences.order_by("start").first()


def _url(event, suffix: str = "") -> str:
    return f"{event.url}{suffix}"


def _log_in(client, user):
    client.force_login(user)


def _register(client, event, occurrence=None, **answers):
    occurrence = occurrence or _occurrence(event)
    data = {"occurrence": occurrence.pk}
    data.update({f"o{occurrence.pk}-{key}": value for key, value in answers.items()})
    return client.post(_url(event, "aanmelden/"), data)


# The agenda ---------------------------------------------------------------------------


def test_agenda_lists_upcoming_events_in_order_with_details(client, agenda):
    later = _event(agenda, "Later overleg", days=20, capacity=10)
    sooner = _event(agenda, "Eerder overleg", days=3, event_format=EventFormat.ONLINE)
    _event(agenda, "Voorbij overleg", days=-10)

    response = client.get(agenda.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(sooner.title) < html.index(later.title)
    assert "Voorbij overleg" not in html
    assert "10 places left" in html
    assert "Online" in html
    assert "/agenda/feed.ics" in html
    assert "Renew my calendar link" not in html  # only for people who are logged in


def test_agenda_filters(client, agenda, communities):
    region_community = _community(communities, "Netwerk Noord")
    _event(region_community, "Training Noord", days=5, event_type=EventType.TRAINING)
    _event(agenda, "Webinar landelijk", days=6, event_type=EventType.WEBINAR,
           event_format=EventFormat.ONLINE)  # fmt: skip
    far = _event(agenda, "Werkbezoek ver weg", days=70, event_type=EventType.WERKBEZOEK)

    html = client.get(agenda.url, {"type": EventType.TRAINING}).content.decode()
    assert "Training Noord" in html and "Webinar landelijk" not in html
    html = client.get(agenda.url, {"vorm": EventFormat.ONLINE}).content.decode()
    assert "Webinar landelijk" in html and "Training Noord" not in html
    html = client.get(agenda.url, {"netwerk": region_community.pk}).content.decode()
    assert "Training Noord" in html and "Webinar landelijk" not in html
    month = timezone.localtime(_occurrence(far).start).strftime("%Y-%m")
    html = client.get(agenda.url, {"maand": month}).content.decode()
    assert "Werkbezoek ver weg" in html and "Training Noord" not in html
    response = client.get(agenda.url, {"maand": "maart"})
    assert response.status_code == 200
    assert "Enter a month as year-month" in response.content.decode()


def test_agenda_region_filter(client, agenda, communities):
    from via_platform.accounts.models import LabourMarketRegion

    region = LabourMarketRegion.objects.first()
    if region is None:
        pytest.skip("no labour market regions in the demo")
    with_region = _community(communities, "Netwerk Regio", region=region)
    without = _community(communities, "Netwerk Zonder")
    _event(with_region, "In de regio", days=5)
    _event(without, "Buiten de regio", days=5)
    html = client.get(agenda.url, {"regio": region.pk}).content.decode()
    assert "In de regio" in html and "Buiten de regio" not in html


def test_members_only_and_hidden_community_events(client, agenda, communities, django_user_model):
    open_net = _community(communities, "Open netwerk")
    hidden_net = _community(communities, "Verborgen netwerk", hidden=True)
    _event(open_net, "Alleen leden", days=5, audience=EventAudience.MEMBERS)
    secret = _event(hidden_net, "Geheim overleg", days=5)
    member, outsider = _user(django_user_model), _user(django_user_model)
    _member(member, open_net)

    html = client.get(agenda.url).content.decode()
    assert "Alleen leden" not in html and "Geheim overleg" not in html
    assert "Verborgen netwerk" not in html  # not even in the network filter
    _log_in(client, outsider)
    html = client.get(agenda.url).content.decode()
    assert "Alleen leden" not in html and "Geheim overleg" not in html
    assert client.get(secret.url).status_code == 404
    _log_in(client, member)
    html = client.get(agenda.url).content.decode()
    assert "Alleen leden" in html and "Geheim overleg" not in html


def test_my_events_and_past_events(client, agenda, django_user_model):
    mine = _event(agenda, "Mijn bijeenkomst", days=4)
    _event(agenda, "Andere bijeenkomst", days=5)
    past = _event(agenda, "Afgelopen bijeenkomst", days=-5, report="<p>Wat we deden.</p>")
    _event(agenda, "Afgelopen zonder verslag", days=-6)
    user = _user(django_user_model)
    _log_in(client, user)
    assert _register(client, mine).status_code == 302

    html = client.get(agenda.url, {"mijn": "1"}).content.decode()
    assert "Mijn bijeenkomst" in html and "Andere bijeenkomst" not in html
    assert "Registered" in html
    assert "Renew my calendar link" in html and "/agenda/persoonlijk/" in html

    html = client.get(agenda.url, {"eerder": "1"}).content.decode()
    assert "Afgelopen bijeenkomst" in html and "Mijn bijeenkomst" not in html
    assert "Report available" in _item(html, "Afgelopen bijeenkomst")
    assert "Report available" not in _item(html, "Afgelopen zonder verslag")
    detail = client.get(past.url).content.decode()
    assert "Wat we deden." in detail


def _item(html: str, title: str) -> str:
    """The agenda item with this title."""
    return next(chunk for chunk in html.split('class="site-agenda__item"') if title in chunk)


def _agenda_queries(client, agenda, url_params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(agenda.url, url_params or {})
    assert response.status_code == 200
    return len(queries)


def test_agenda_query_count_does_not_grow_with_items(client, agenda, communities,
                                                     django_user_model):  # fmt: skip
    net = _community(communities, "Druk netwerk")
    user = _user(django_user_model)
    _member(user, net)
    for number in range(3):
        event = _event(net if number % 2 else agenda, f"Eerste {number}", days=2 + number,
                       capacity=5)  # fmt: skip
        Registration.objects.create(occurrence=_occurrence(event), user=user,
                                    state=RegistrationState.REGISTERED,
                                    requested_at=timezone.now())  # fmt: skip
    _log_in(client, user)
    _agenda_queries(client, agenda)  # warm caches (site root paths)
    few = _agenda_queries(client, agenda)
    for number in range(12):
        event = _event(net if number % 2 else agenda, f"Tweede {number}", days=10 + number,
                       capacity=5)  # fmt: skip
        Registration.objects.create(occurrence=_occurrence(event), user=user,
                                    state=RegistrationState.WAITLISTED,
                                    requested_at=timezone.now())  # fmt: skip
    many = _agenda_queries(client, agenda)
    assert many == few, (few, many)
    client.logout()
    client.cookies["django_language"] = "en"
    assert _agenda_queries(client, agenda) <= few


# An event -----------------------------------------------------------------------------


def test_detail_shows_the_event(client, agenda):
    event = _event(agenda, "Werkbezoek haven", days=8, event_type=EventType.WERKBEZOEK,
                   address="Kade 1\nRotterdam", accessibility="Drempelvrij, ringleiding.",
                   programme="<p>Rondleiding</p>", capacity=12)  # fmt: skip
    Speaker.objects.create(page=event, name="Sanne de Vries", role="Gemeente Rotterdam")
    html = client.get(event.url).content.decode()
    assert "Work visit" in html and "In person" in html
    assert "Stadhuis" in html and "Rotterdam" in html and "ringleiding" in html
    assert "Rondleiding" in html and "Sanne de Vries" in html
    assert "12 places left" in html
    assert f"/agenda/evenement/{event.pk}.ics" in html
    assert "Log in to register" in html
    assert "Europe/Amsterdam" in html


def test_online_link_only_for_registered_attendees_and_coordinators(
    client, agenda, communities, django_user_model
):
    net = _community(communities, "Online netwerk")
    event = _event(net, "Online sessie", event_format=EventFormat.ONLINE, online_link=LINK)
    attendee, other, coordinator = (_user(django_user_model) for _ in range(3))
    _member(coordinator, net, Role.COORDINATOR)

    assert LINK not in client.get(event.url).content.decode()
    _log_in(client, other)
    assert LINK not in client.get(event.url).content.decode()
    _log_in(client, attendee)
    _register(client, event)
    assert LINK in client.get(event.url).content.decode()
    client.post(_url(event, "afmelden/"), {"occurrence": _occurrence(event).pk})
    assert LINK not in client.get(event.url).content.decode()
    _log_in(client, coordinator)
    assert LINK in client.get(event.url).content.decode()


def test_register_waitlist_cancel_promotes(client, agenda, django_user_model):
    event = _event(agenda, "Kleine kring", capacity=1, ask_dietary=True)
    first, second = _user(django_user_model), _user(django_user_model)
    occurrence = _occurrence(event)

    _log_in(client, first)
    response = _register(client, event, dietary_needs="Vegetarisch")
    assert response.status_code == 302
    html = client.get(event.url).content.decode()
    assert "You are registered." in html
    assert "Cancel my registration" in html

    _log_in(client, second)
    html = client.get(event.url).content.decode()
    assert "Full: you can join the waitlist." in html and "Join the waitlist" in html
    assert _register(client, event).status_code == 302
    html = client.get(event.url).content.decode()
    assert "You are on the waitlist: number 1." in html

    _log_in(client, first)
    client.post(_url(event, "afmelden/"), {"occurrence": occurrence.pk})
    assert "You cancelled your registration." in client.get(event.url).content.decode()

    _log_in(client, second)
    assert "You are registered." in client.get(event.url).content.decode()
    assert Registration.objects.get(occurrence=occurrence, user=second).state == "registered"
    assert Registration.objects.get(occurrence=occurrence, user=first).dietary_needs == (
        "Vegetarisch"
    )


def test_register_needs_login_and_closed_registration_is_clear(client, agenda, django_user_model):
    event = _event(agenda, "Gesloten inschrijving",
                   registration_closes=timezone.now() - timedelta(hours=1))  # fmt: skip
    response = _register(client, event)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    _log_in(client, _user(django_user_model))
    html = client.get(event.url).content.decode()
    assert "Registration is closed." in html
    response = _register(client, event)
    assert response.status_code == 302
    html = client.get(event.url).content.decode()
    assert "Registration for this event has closed." in html  # the service's message
    assert not Registration.objects.filter(occurrence__event=event).exists()


def test_series_lists_dates_each_with_its_own_button(client, agenda, django_user_model):
    event = _event(agenda, "Intervisie reeks", days=3, recurrence="FREQ=WEEKLY;COUNT=3")
    dates = list(event.occurrences.order_by("start"))
    assert len(dates) == 3
    user = _user(django_user_model)
    _log_in(client, user)
    html = client.get(event.url).content.decode()
    assert html.count('name="occurrence"') == 3
    _register(client, event, occurrence=dates[1])
    assert Registration.objects.get(user=user).occurrence == dates[1]
    html = client.get(event.url).content.decode()
    assert html.count("site-event__state") == 1
    assert html.count("Cancel my registration") == 1


# Coordinators ------------------------------------------------------------------------


@pytest.fixture
def managed(agenda, communities, django_user_model):
    net = _community(communities, "Coordinatienetwerk")
    event = _event(net, "Bijeenkomst aan de deur", capacity=1, ask_dietary=True,
                   ask_accessibility=True)  # fmt: skip
    coordinator = _user(django_user_model, first="Coco")
    _member(coordinator, net, Role.COORDINATOR)
    anna = _user(django_user_model, first="Anna")
    bram = _user(django_user_model, first="=HYPERLINK")
    services.register(anna, _occurrence(event), dietary_needs="Halal",
                      accessibility_needs="Rolstoel")  # fmt: skip
    services.register(bram, _occurrence(event), dietary_needs="@SUM(A1)")
    return {"net": net, "event": event, "coordinator": coordinator, "anna": anna, "bram": bram}


def test_attendee_list_search_and_marking(client, managed):
    event, anna = managed["event"], managed["anna"]
    _log_in(client, managed["coordinator"])
    response = client.get(_url(event, "deelnemers/"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Anna" in html and "HYPERLINK" in html and "Halal" in html
    assert "1 registered, 1 on the waitlist, 0 present." in html

    html = client.get(_url(event, "deelnemers/"), {"q": "anna"}).content.decode()
    assert "Anna" in html and "HYPERLINK" not in html

    registration = Registration.objects.get(user=anna)
    response = client.post(
        _url(event, "deelnemers/"),
        {"registration": registration.pk, "attended": "1", "q": "anna"},
    )
    assert response.status_code == 302 and "q=anna" in response["Location"]
    registration.refresh_from_db()
    assert registration.attended is True
    html = client.get(response["Location"]).content.decode()
    assert "is marked present" in html and "Mark absent" in html
    client.post(_url(event, "deelnemers/"), {"registration": registration.pk, "attended": "0"})
    registration.refresh_from_db()
    assert registration.attended is False


def test_attendee_list_is_for_coordinators_only(client, managed, django_user_model):
    event = managed["event"]
    for suffix in ("deelnemers/", "deelnemers/export/csv/", "deelnemers/export/xlsx/"):
        response = client.get(_url(event, suffix))
        assert response.status_code == 302 and "/account/login/" in response["Location"]
    _log_in(client, managed["anna"])  # registered, but no coordinator
    for suffix in ("deelnemers/", "deelnemers/export/csv/", "deelnemers/export/xlsx/"):
        assert client.get(_url(event, suffix)).status_code == 403
    registration = Registration.objects.get(user=managed["anna"])
    response = client.post(_url(event, "deelnemers/"),
                           {"registration": registration.pk, "attended": "1"})  # fmt: skip
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.attended is None

    hidden = _community(managed["net"].get_parent().specific, "Stil netwerk", hidden=True)
    secret = _event(hidden, "Stil overleg")
    _log_in(client, _user(django_user_model))
    assert client.get(_url(secret, "deelnemers/")).status_code == 404


def test_exports_contain_answers_and_guard_formulas(client, managed):
    event = managed["event"]
    Registration.objects.filter(user=managed["anna"]).update(attended=True)
    _log_in(client, managed["coordinator"])

    response = client.get(_url(event, "deelnemers/export/csv/"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["Name", "Email address", "Organisation", "State", "Asked at",
                       "Dietary needs", "Accessibility needs", "Attended"]  # fmt: skip
    by_email = {row[1]: row for row in rows[1:]}
    anna = by_email[managed["anna"].email]
    assert anna[3] == "Registered" and anna[5] == "Halal" and anna[6] == "Rolstoel"
    assert anna[7] == "yes"
    bram = by_email[managed["bram"].email]
    assert bram[0].startswith("'=") and bram[5] == "'@SUM(A1)" and bram[3] == "On the waitlist"

    response = client.get(_url(event, "deelnemers/export/xlsx/"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Name" and len(values) == 3
    xlsx_anna = next(row for row in values if row[1] == managed["anna"].email)
    assert xlsx_anna[5:8] == ["Halal", "Rolstoel", "yes"]
    xlsx_bram = next(row for row in values if row[1] == managed["bram"].email)
    assert str(xlsx_bram[0]).startswith("'=")  # text, not a formula


def test_event_page_query_count_does_not_grow_with_dates(client, agenda, django_user_model):
    short = _event(agenda, "Korte reeks", days=2, recurrence="FREQ=WEEKLY;COUNT=2", capacity=3)
    long = _event(agenda, "Lange reeks", days=2, recurrence="FREQ=WEEKLY;COUNT=9", capacity=3)
    user = _user(django_user_model)
    for event in (short, long):
        for occurrence in event.occurrences.all():
            Registration.objects.create(occurrence=occurrence, user=user,
                                        state=RegistrationState.REGISTERED,
                                        requested_at=timezone.now())  # fmt: skip
    _log_in(client, user)
    client.get(short.url)  # warm caches
    counts = []
    for event in (short, long):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(event.url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
