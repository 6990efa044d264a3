"""Demo content for the agenda, drawn from the VIA progress letter (Tweede Kamer 29 544,
nr. 1226): werkbezoeken to promising projects of the lerende netwerken, the monthly
intervision of klantmanagers, a webinar on objectief werven en selecteren for the mkb,
the training Inclusief begeleiden (online and in-person modules), and meetings of the
Werkagenda VIA.

Dates are relative to the day the demo is loaded, in Europe/Amsterdam, so the demo
always has upcoming and past events. Venues, addresses and meeting links are made up.
`seed_events` only adds what is missing, matching events by slug under their parent, so
running the demo seed again changes nothing. It sends no notifications: registrations
are written directly, not through the registration service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.contrib.auth import get_user_model
from django.utils import timezone

from via_platform.communities.models import CommunityPage
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

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEMO_NOTE = "<p><i>Demo-inhoud: locatie, adres en deelnemers zijn verzonnen.</i></p>"

REGISTERED, WAITLISTED = RegistrationState.REGISTERED, RegistrationState.WAITLISTED
PUBLIC, MEMBERS = EventAudience.PUBLIC, EventAudience.MEMBERS

# The community slugs of via_platform.demo.content.COMMUNITIES used here.
STATUSHOUDERS = "leerwerktrajecten-statushouders"
BEGELEIDING = "intensieve-begeleiding"
MKB_TECHNIEK = "mkb-techniek-en-installatie"
MKB_ZORG = "mkb-zorg-en-welzijn"

SERIES_RULE = "FREQ=MONTHLY;BYDAY=2TU;COUNT=8"
# Preferred months to skip in the intervision series: the summer break, then Christmas.
SKIP_MONTHS = (8, 7, 12)


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


@dataclass(frozen=True)
class DemoRegistration:
    email: str
    state: str = REGISTERED
    attended: bool | None = None
    dietary_needs: str = ""
    accessibility_needs: str = ""


@dataclass(frozen=True)
class DemoEvent:
    slug: str
    title: str
    community: str | None  # community slug; None for /agenda/
    event_type: str
    event_format: str
    summary: str
    days: int  # from today (Amsterdam); negative is past
    start: str  # "HH:MM", Amsterdam time
    end: str
    audience: str = PUBLIC
    venue_name: str = ""
    address: str = ""
    accessibility: str = ""
    online_link: str = ""
    capacity: int | None = None
    ask_dietary: bool = False
    ask_accessibility: bool = True
    programme: str = ""
    report: str = ""
    speakers: tuple[tuple[str, str], ...] = ()
    registrations: tuple[DemoRegistration, ...] = ()
    # Registration closes this many days before the start (None: until it starts).
    closes_days_before: int | None = None
    # Whether the event is the monthly intervision series (SERIES_RULE, see _series).
    series: bool = False
    # For a series: registrations for the first date (past) and the next upcoming one.
    next_registrations: tuple[DemoRegistration, ...] = ()


EVENTS: tuple[DemoEvent, ...] = (
    # Upcoming ---------------------------------------------------------------------
    DemoEvent(
        slug="werkbezoek-leerwerktraject-taal-en-techniek",
        title="Werkbezoek: leerwerktraject Taal en techniek voor statushouders",
        community=STATUSHOUDERS,
        event_type=EventType.WERKBEZOEK,
        event_format=EventFormat.FYSIEK,
        summary=(
            "We bezoeken een leerwerktraject waarin statushouders tegelijk de taal leren, "
            "werkervaring opdoen als monteur en een mbo-certificaat halen. Deelnemers, "
            "werkbegeleider en de gemeente vertellen wat werkt en waar het schuurt."
        ),
        days=16,
        start="10:00",
        end="12:30",
        audience=MEMBERS,
        venue_name="Leerwerkplaats Techniek Zuid",
        address="Voorbeeldweg 12\n3081 AA Rotterdam",
        accessibility=(
            "De ontvangst en het gesprek zijn op de begane grond, drempelvrij bereikbaar; er "
            "is een invalidentoilet. In de werkplaats is het lawaaierig: gehoorbescherming "
            "ligt klaar. Twee invalidenparkeerplaatsen voor de deur; tram 20, halte "
            "Voorbeeldweg, ligt op vijf minuten lopen."
        ),
        capacity=15,
        ask_dietary=True,
        programme=(
            _ul(
                "10:00 Ontvangst met koffie",
                "10:15 Het traject: taal, werk en opleiding tegelijk – de gemeente en de "
                "werkgever vertellen",
                "10:45 Rondleiding door de werkplaats, met deelnemers en werkbegeleider",
                "11:30 Gesprek: knelpunten bij de afstemming met de inburgering",
                "12:15 Wat nemen we mee naar onze eigen gemeente?",
            )
            + DEMO_NOTE
        ),
        speakers=(
            ("Werkbegeleider leerwerkplaats", "Leerwerkplaats Techniek Zuid"),
            ("Coby Coördinator", "Divosa, lerend netwerk Leerwerktrajecten statushouders"),
        ),
        registrations=(
            DemoRegistration(
                "klantmanager@voorbeeld.nl", dietary_needs="Halal", accessibility_needs=""
            ),
            DemoRegistration("coordinator@voorbeeld.nl", dietary_needs="Vegetarisch"),
        ),
        closes_days_before=3,
    ),
    DemoEvent(
        slug="webinar-objectief-werven-en-selecteren",
        title="Webinar: objectief werven en selecteren in het mkb",
        community=MKB_TECHNIEK,
        event_type=EventType.WEBINAR,
        event_format=EventFormat.ONLINE,
        summary=(
            "Selecteren op de klik kiest (onbewust) mensen die op u lijken. In dit webinar "
            "laten werkgevers uit het mkb zien hoe een vaste vragenlijst, een werkproef en "
            "een beoordelingscommissie ook in een klein bedrijf werken. Met de e-learning "
            "objectief werven en selecteren als huiswerk."
        ),
        days=9,
        start="10:00",
        end="11:30",
        online_link="https://meet.voorbeeld.nl/via-objectief-werven",
        accessibility=(
            "Het webinar wordt live ondertiteld. De opname en de slides staan daarna op deze "
            "pagina."
        ),
        programme=_ul(
            "Waarom de klik discrimineert: wat onderzoek zegt over objectief selecteren",
            "Rolmodel: van sollicitatiegesprek naar werkproef met vaste vragen",
            "De toolbox objectief werven en selecteren: waar begin ik morgen?",
            "Vragen uit de chat",
        ),
        speakers=(
            ("Wendy Werkgever", "Installatiebedrijf Van Dijk"),
            ("Adviseur inclusief werkgeverschap", "MKB-Nederland"),
        ),
        registrations=(DemoRegistration("werkgever@voorbeeld.nl"),),
    ),
    DemoEvent(
        slug="intervisie-klantmanagers",
        title="Intervisie voor klantmanagers",
        community=BEGELEIDING,
        event_type=EventType.INTERVISIE,
        event_format=EventFormat.ONLINE,
        summary=(
            "Elke tweede dinsdag van de maand bespreken klantmanagers in een vaste groep "
            "een casus uit hun eigen praktijk van intensieve begeleiding: een vastgelopen "
            "traject, een werkgever die afhaakt, of een eigen (onbewust) vooroordeel."
        ),
        days=0,  # the series starts on the second Tuesday of last month, see _series
        start="19:00",
        end="21:00",
        audience=MEMBERS,
        online_link="https://meet.voorbeeld.nl/via-intervisie-klantmanagers",
        capacity=12,
        programme=_p(
            "We werken met de incidentmethode: één inbrenger, een ronde verhelderende vragen, "
            "adviezen, en de inbrenger kiest wat hij of zij meeneemt. Wat in de groep "
            "besproken wordt, blijft in de groep.",
            "Eén datum van de reeks vervalt (in de zomervakantie of rond de feestdagen); "
            "die staat niet in de lijst met data.",
        ),
        speakers=(("Coby Coördinator", "Divosa"),),
        registrations=(
            DemoRegistration("coordinator@voorbeeld.nl", attended=True),
            DemoRegistration("redacteur@voorbeeld.nl", attended=True),
        ),
        next_registrations=(DemoRegistration("coordinator@voorbeeld.nl"),),
        series=True,
    ),
    DemoEvent(
        slug="meeloopochtend-zorggroep-de-linde",
        title="Meeloopochtend bij Zorggroep De Linde: inclusief werven in de zorg",
        community=MKB_ZORG,
        event_type=EventType.WERKBEZOEK,
        event_format=EventFormat.FYSIEK,
        summary=(
            "Loop een ochtend mee met de beoordelingscommissie van Zorggroep De Linde: "
            "anonieme eerste selectie, vaste vragen en een meeloopdag voor kandidaten. "
            "Vanwege de bewoners kunnen er maximaal drie bezoekers mee."
        ),
        days=12,
        start="10:00",
        end="12:30",
        venue_name="Zorggroep De Linde, locatie Lindehof",
        address="Lindelaan 4\n8011 AB Zwolle",
        accessibility=(
            "Het hele gebouw is rolstoeltoegankelijk, met liften en een invalidentoilet. "
            "Parkeren op het terrein; buslijn 1 stopt voor de deur."
        ),
        capacity=3,
        programme=_ul(
            "Kennismaking met de beoordelingscommissie",
            "Meekijken bij een anonieme eerste selectie",
            "Gesprek met een nieuwe medewerker over de meeloopdag",
        )
        + DEMO_NOTE,
        speakers=(("Zorggroep De Linde", "HR en beoordelingscommissie"),),
        registrations=(
            DemoRegistration("werkgever@voorbeeld.nl"),
            DemoRegistration("klantmanager@voorbeeld.nl"),
            DemoRegistration("coordinator@voorbeeld.nl", accessibility_needs="Rolstoel"),
            DemoRegistration("redacteur@voorbeeld.nl", state=WAITLISTED),
        ),
        closes_days_before=2,
    ),
    DemoEvent(
        slug="training-inclusief-begeleiden-fysieke-module",
        title="Training Inclusief begeleiden: fysieke module voor klantmanagers",
        community=None,
        event_type=EventType.TRAINING,
        event_format=EventFormat.HYBRIDE,
        summary=(
            "De training van Movisie helpt klantmanagers en uitvoerende professionals om "
            "cliënten op een meer inclusieve manier te begeleiden. Na de online modules "
            "oefent u in deze fysieke module met gesprekken en casuïstiek; op afstand "
            "meedoen kan ook."
        ),
        days=30,
        start="10:00",
        end="15:30",
        venue_name="Vergadercentrum Utrecht Centraal",
        address="Voorbeeldplein 1\n3511 AA Utrecht",
        accessibility=(
            "Vijf minuten lopen vanaf Utrecht Centraal. Zaal op de eerste verdieping, met "
            "lift; ringleiding aanwezig; een stille ruimte is beschikbaar."
        ),
        online_link="https://meet.voorbeeld.nl/via-training-inclusief-begeleiden",
        capacity=24,
        ask_dietary=True,
        programme=_ul(
            "Terugblik op de online modules",
            "Oefenen: het eerste gesprek, met een acteur",
            "Taal en culturele barrières: wat zie je, en wat neem je aan?",
            "Lunch",
            "Casuïstiek uit de eigen gemeente, en afspraken voor de praktijk",
        )
        + DEMO_NOTE,
        speakers=(("Trainer Inclusief begeleiden", "Movisie"),),
        registrations=(DemoRegistration("klantmanager@voorbeeld.nl", dietary_needs="Geen"),),
        closes_days_before=7,
    ),
    DemoEvent(
        slug="werkagenda-via-bijeenkomst",
        title="Werkagenda VIA: bijeenkomst van de partners",
        community=None,
        event_type=EventType.BIJEENKOMST,
        event_format=EventFormat.HYBRIDE,
        summary=(
            "De (koepel)organisaties van de Werkagenda VIA bespreken de voortgang op de drie "
            "thema's: diversiteit op het werk, een eerste baan of stage voor jongeren met "
            "een migratieachtergrond, en begeleiding naar werk vanuit de bijstand of de WW. "
            "Hoe krijgen we de grotere groep in beweging?"
        ),
        days=45,
        start="13:30",
        end="17:00",
        venue_name="Ministerie van SZW (demo)",
        address="Voorbeeldstraat 100\n2511 AA Den Haag",
        accessibility=(
            "Drempelvrij; aanmelden bij de receptie met een identiteitsbewijs. Ringleiding in "
            "de zaal. Station Den Haag Centraal op tien minuten lopen."
        ),
        online_link="https://meet.voorbeeld.nl/via-werkagenda",
        capacity=80,
        programme=_ul(
            "Opening en stand van zaken van de Werkagenda VIA",
            "Statushouders aan het werk: de nieuwe acties",
            "Parallelle tafels per thema",
            "Afsluiting en borrel",
        ),
        registrations=(
            DemoRegistration("beheer@voorbeeld.nl"),
            DemoRegistration("coordinator@voorbeeld.nl"),
        ),
        closes_days_before=5,
    ),
    DemoEvent(
        slug="webinar-quickscan-diversiteit",
        title="Webinar: zo werkt de quickscan diversiteit voor gemeenten",
        community=None,
        event_type=EventType.WEBINAR,
        event_format=EventFormat.ONLINE,
        summary=(
            "Met de quickscan diversiteit ziet een gemeente in één keer hoe inclusief haar "
            "dienstverlening aan mensen met een migratieachtergrond in de bijstand is. We "
            "laten zien hoe klantmanagers, beleidsmedewerkers en managers hem invullen, en "
            "wat u met het advies doet."
        ),
        days=21,
        start="15:00",
        end="16:00",
        online_link="https://meet.voorbeeld.nl/via-quickscan",
        accessibility="Live ondertiteld; de opname komt op deze pagina.",
        programme=_ul(
            "De quickscan in vijf minuten",
            "Drie niveaus: klantmanager, beleidsmedewerker, manager",
            "Van score naar advies: een gemeente vertelt",
        ),
        speakers=(("Onderzoeker", "Verwey-Jonker Instituut"),),
    ),
    # Past, with a report and attendance -------------------------------------------
    DemoEvent(
        slug="werkbezoek-taal-op-de-werkvloer",
        title="Werkbezoek: taal op de werkvloer in de logistiek",
        community=STATUSHOUDERS,
        event_type=EventType.WERKBEZOEK,
        event_format=EventFormat.FYSIEK,
        summary=(
            "Een distributiecentrum waar statushouders de taal leren tussen het werk door, "
            "met een taalcoach op de vloer en een praktijkverklaring als doel."
        ),
        days=-40,
        start="10:00",
        end="12:30",
        audience=MEMBERS,
        venue_name="Distributiecentrum Voorbeeld",
        address="Logistiekweg 8\n5928 AA Venlo",
        accessibility="Begane grond, drempelvrij. Veiligheidshesjes liggen klaar.",
        capacity=20,
        report=_p(
            "Twaalf deelnemers uit acht gemeenten bezochten het distributiecentrum. De "
            "taalcoach werkt met kaartjes met de woorden die het werk vraagt; na drie "
            "maanden haalden de eerste deelnemers hun praktijkverklaring.",
            "Knelpunt: de lessen van de inburgering vallen soms samen met de ploegendienst. "
            "Twee gemeenten spraken af om de lestijden voortaan met de werkgever af te "
            "stemmen.",
        )
        + _p("<b>Vervolg:</b> in de volgende bijeenkomst delen we een voorbeeldrooster.")
        + DEMO_NOTE,
        registrations=(
            DemoRegistration("klantmanager@voorbeeld.nl", attended=True),
            DemoRegistration("coordinator@voorbeeld.nl", attended=True),
        ),
    ),
    DemoEvent(
        slug="terugkomdag-intensieve-begeleiding",
        title="Terugkomdag lerend netwerk Intensieve begeleiding",
        community=BEGELEIDING,
        event_type=EventType.BIJEENKOMST,
        event_format=EventFormat.FYSIEK,
        summary=(
            "Klantmanagers delen best practices en knelpunten: hoe maak je ruimte in de "
            "caseload, en hoe houd je nazorg vol na plaatsing?"
        ),
        days=-25,
        start="13:00",
        end="16:30",
        audience=MEMBERS,
        venue_name="Divosa (demo)",
        address="Voorbeeldsingel 20\n3511 AB Utrecht",
        accessibility="Zaal met lift en ringleiding.",
        capacity=30,
        report=_p(
            "De gemeenten met een caseload van 40 tot 50 werkzoekenden zien meer uitstroom "
            "naar duurzaam werk, maar moeten die ruimte elk jaar opnieuw bevechten. Een "
            "leidinggevende die meedenkt, maakt het verschil.",
            "Afgesproken: we verzamelen de pilotcijfers in één overzicht voor de "
            "gesprekken met wethouders, en plannen een werkbezoek bij een gemeente die "
            "nazorg van zes maanden standaard heeft gemaakt.",
        )
        + DEMO_NOTE,
        registrations=(
            DemoRegistration("coordinator@voorbeeld.nl", attended=True),
            DemoRegistration("redacteur@voorbeeld.nl", attended=False),
        ),
    ),
    DemoEvent(
        slug="werkagenda-via-voortgangsbijeenkomst",
        title="Werkagenda VIA: voortgangsbijeenkomst",
        community=None,
        event_type=EventType.BIJEENKOMST,
        event_format=EventFormat.HYBRIDE,
        summary=(
            "De partners van de Werkagenda VIA blikten terug op het jaar: de lerende "
            "netwerken, de community of practice voor het mkb en de quickscan diversiteit."
        ),
        days=-60,
        start="14:00",
        end="17:00",
        venue_name="Ministerie van SZW (demo)",
        address="Voorbeeldstraat 100\n2511 AA Den Haag",
        online_link="https://meet.voorbeeld.nl/via-werkagenda-voortgang",
        capacity=80,
        report=_p(
            "De lerende netwerken zijn volgens de deelnemers een stap in de goede richting: "
            "mensen leren veel van elkaars ervaringen en kennis. Tegelijk bereiken we vooral "
            "de voorhoede.",
            "<b>Vervolg:</b> met VNO-NCW en MKB-Nederland werken we aan een regionale aanpak "
            "met rolmodellen om de grotere groep mkb-werkgevers mee te krijgen.",
        ),
        registrations=(
            DemoRegistration("beheer@voorbeeld.nl", attended=True),
            DemoRegistration("coordinator@voorbeeld.nl", attended=True),
            DemoRegistration("werkgever@voorbeeld.nl", attended=False),
        ),
    ),
    DemoEvent(
        slug="training-inclusief-begeleiden-terugkomdag",
        title="Training Inclusief begeleiden: terugkomdag",
        community=None,
        event_type=EventType.TRAINING,
        event_format=EventFormat.FYSIEK,
        summary=(
            "Een paar maanden na de start komen de deelnemers van de training Inclusief "
            "begeleiden terug: wat werkte in de praktijk, en wat niet? Het tweede fysieke "
            "deel van de training."
        ),
        days=75,
        start="13:00",
        end="17:00",
        venue_name="Vergadercentrum Utrecht Centraal",
        address="Voorbeeldplein 1\n3511 AA Utrecht",
        accessibility="Zaal op de eerste verdieping, met lift; ringleiding aanwezig.",
        capacity=24,
        programme=_ul(
            "Ervaringen uit de praktijk sinds de fysieke module",
            "Intervisie in kleine groepen",
            "Afspraken voor de eigen gemeente",
        )
        + DEMO_NOTE,
        speakers=(("Trainer Inclusief begeleiden", "Movisie"),),
    ),
)


# Dates -------------------------------------------------------------------------------
def _today() -> date:
    return timezone.now().astimezone(AMSTERDAM).date()


def _at(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=AMSTERDAM)


def workday(day: date, step: int = 1) -> date:
    """`day`, or the nearest working day in the direction of `step`: no meetings in the
    weekend or between Christmas and New Year."""
    while day.weekday() >= 5 or (day.month, day.day) >= (12, 24) or (day.month, day.day) == (1, 1):
        day += timedelta(days=step)
    return day


def second_tuesday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7 + 7)


def _series(spec: DemoEvent, today: date) -> tuple[datetime, datetime, str]:
    """The first date of the intervision series (the second Tuesday of last month, so
    one date is past and seven lie ahead), its end, and the skipped date."""
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    first = second_tuesday(year, month)
    start, end = _at(first, spec.start), _at(first, spec.end)
    dates = [
        dt.date()
        for dt in rrulestr(SERIES_RULE, dtstart=start.replace(tzinfo=None))  # local times
    ]
    # Keep the past dates and the next one; skip the summer break, else Christmas.
    upcoming = [day for day in dates if day > today]
    candidates = upcoming[1:]
    skipped = next(
        (day for wanted in SKIP_MONTHS for day in candidates if day.month == wanted),
        candidates[2],
    )
    return start, end, skipped.isoformat()


# Seeding -----------------------------------------------------------------------------
def _parent(spec: DemoEvent, agenda_index: AgendaIndexPage):
    if spec.community is None:
        return agenda_index
    return CommunityPage.objects.filter(slug=spec.community).first()


def _register(occurrence, registrations: tuple[DemoRegistration, ...]) -> int:
    """Registrations written directly (the service would mail people), asked for in
    the order given, a few days before the date."""
    User = get_user_model()
    asked = min(occurrence.start, timezone.now()) - timedelta(days=len(registrations) + 2)
    for position, demo in enumerate(registrations):
        Registration.objects.create(
            occurrence=occurrence,
            user=User.objects.get(email=demo.email),
            state=demo.state,
            requested_at=asked + timedelta(hours=position * 5),
            dietary_needs=demo.dietary_needs,
            accessibility_needs=demo.accessibility_needs,
            attended=demo.attended,
        )
    return len(registrations)


def _create(spec: DemoEvent, parent, today: date) -> EventPage:
    from via_platform.events import services

    if spec.series:
        start, end, exceptions = _series(spec, today)
        recurrence = SERIES_RULE
    else:
        day = workday(today + timedelta(days=spec.days), step=1 if spec.days > 0 else -1)
        start, end, exceptions, recurrence = _at(day, spec.start), _at(day, spec.end), "", ""
    closes = start - timedelta(days=spec.closes_days_before) if spec.closes_days_before else None
    page = EventPage(
        slug=spec.slug,
        title=spec.title,
        event_type=spec.event_type,
        event_format=spec.event_format,
        summary=spec.summary,
        start=start,
        end=end,
        time_zone=str(AMSTERDAM),
        recurrence=recurrence,
        exceptions=exceptions,
        venue_name=spec.venue_name,
        address=spec.address,
        accessibility=spec.accessibility,
        online_link=spec.online_link,
        capacity=spec.capacity,
        registration_closes=closes,
        audience=spec.audience,
        ask_dietary=spec.ask_dietary,
        ask_accessibility=spec.ask_accessibility,
        programme=spec.programme,
        report=spec.report,
        speakers=[Speaker(name=name, role=role) for name, role in spec.speakers],
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    services.sync_occurrences(page)
    occurrences = list(page.occurrences.filter(cancelled=False).order_by("start"))
    if spec.series:
        now = timezone.now()
        past = [occ for occ in occurrences if occ.end <= now]
        upcoming = [occ for occ in occurrences if occ.start > now]
        if past:
            _register(past[0], spec.registrations)
        if upcoming:
            _register(upcoming[0], spec.next_registrations)
    elif occurrences:
        _register(occurrences[0], spec.registrations)
    return page


def seed_events(
    agenda_index: AgendaIndexPage, write: Callable[[str], None] = lambda line: None
) -> dict[str, EventPage]:
    """Fill the agenda and the communities with the demo events, their dates and
    registrations. Adds only what is missing; `write` gets one line saying what was
    added, if anything."""
    today = _today()
    events: dict[str, EventPage] = {}
    added = 0
    for spec in EVENTS:
        parent = _parent(spec, agenda_index)
        if parent is None:  # a community the demo no longer has
            continue
        existing = EventPage.objects.child_of(parent).filter(slug=spec.slug).first()
        if existing is not None:
            events[spec.slug] = existing
            continue
        events[spec.slug] = _create(spec, parent, today)
        added += 1
    if added:
        write(f"  agenda: {added} events")
    return events
