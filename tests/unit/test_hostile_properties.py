"""Property-based hostile input: arbitrary text, unicode, huge, negative and garbage values
in every query parameter and form the platform has. Whatever comes in, no response is a
server error (status < 500) and every HTML page stays inert (tests/hostile.py).

The site is built once for the module (tests/hostile_world.py); hypothesis runs its
examples inside one test, so each example costs a request, not a database.
"""

from __future__ import annotations

import io
import os
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st

from tests.hostile import MARKER, PAYLOADS, problems_in
from tests.hostile_world import world_fixture

world = world_fixture()

PROPERTY = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure shows as found
)
# Each example of the event test writes up to 500 dates: fewer of them.
FEWER = settings(PROPERTY, max_examples=6)

# Values a person (or a script) may put in any parameter.
SPECIAL = [
    "",
    " ",
    "0",
    "-1",
    "-99999999999999999999",
    "99999999999999999999999999999999",
    "1e309",
    "NaN",
    "²",  # a digit to str.isdigit(), not to int()
    "١٢",  # Arabic-Indic digits
    "1\x00",
    "\x00",
    "%00",
    "\u202e\u0000\ud7ff",
    "a" * 5000,
    "../../etc/passwd",
    "' OR 1=1 --",
    "2026-13",
    "0000-01",
    "9999-12",
    "\r\nSet-Cookie: x=1",
    *PAYLOADS,
]
garbage = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=60),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
)


def _surrogate_free(text: str) -> str:
    # A URL cannot carry lone surrogates; the test client would fail to encode them.
    return text.encode("utf-8", "replace").decode("utf-8")


def params(*names: str):
    """A query: some of `names`, each with one or two garbage values."""
    return st.dictionaries(
        st.sampled_from(names), st.lists(garbage, min_size=1, max_size=2), max_size=len(names)
    )


def _query(values: dict) -> str:
    pairs = [(k, _surrogate_free(v)) for k, vs in values.items() for v in vs]
    return urlencode(pairs)


def assert_page_inert(html: str) -> None:
    """tests/hostile.assert_inert for a whole page with the site's own forms on it: a
    filter form that shows the (escaped) value it was given, or an error about it, holds
    the marker as text, which is harmless; everything else counts."""
    own_form_text = f"{MARKER} inside <form>"
    problems = [p for p in problems_in(html) if p != own_form_text]
    assert not problems, "\n".join(problems)


def check(response, url: str = "") -> None:
    assert response.status_code < 500, (url, response.status_code)
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/html") and not getattr(response, "streaming", False):
        assert_page_inert(response.content.decode("utf-8", "replace"))


def get(client, url: str, values: dict):
    full = f"{url}?{_query(values)}"
    response = client.get(full)
    check(response, full)
    return response


@pytest.fixture
def clients(world, db):
    anonymous = Client(raise_request_exception=False)
    member = Client(raise_request_exception=False)
    member.force_login(world.member)
    coordinator = Client(raise_request_exception=False)
    coordinator.force_login(world.coordinator)
    return anonymous, member, coordinator


@pytest.fixture
def many_posts(settings):
    settings.FORUMS_POSTS_PER_MINUTE = 10_000
    settings.FORUMS_NEW_MEMBER_POSTS_PER_MINUTE = 10_000


# GET parameters ------------------------------------------------------------------------


def test_the_world_is_reachable(world, clients):
    """The pages below exist for the people who visit them (so 404s do not hide 500s)."""
    from via_platform.forums import services

    anonymous, member, coordinator = clients
    for client, url in [
        (anonymous, "/zoeken/?q=aanpak"),
        (anonymous, world.library.url),
        (anonymous, world.agenda.url),
        (anonymous, "/organisaties/"),
        (anonymous, f"/organisaties/{world.organisation.slug}/"),
        (member, services.forum_url(world.community)),
        (member, services.topic_url(world.topic)),
        (member, "/meldingen/"),
        (member, world.event.url),
        (member, world.lesson.url),
        (member, world.learning.url),
        (coordinator, f"{world.community.url}leden/"),
        (coordinator, f"{world.event.url}deelnemers/"),
        (coordinator, f"{world.course.url}deelnemers/"),
        (coordinator, f"{services.forum_url(world.community)}moderatie/"),
        (coordinator, f"{services.forum_url(world.community)}moderatie/logboek/"),
    ]:
        assert client.get(url).status_code == 200, url


@PROPERTY
@given(query=params("q", "page"))
@example(query={"q": ["aanpak"], "page": ["²"]})
@example(query={"q": ["x\x00y"], "page": ["99999999999999999999999"]})
def test_site_search(clients, query):
    anonymous, member, _ = clients
    get(anonymous, "/zoeken/", query)
    get(member, "/zoeken/", query)


@PROPERTY
@given(
    query=params(
        "q", "page", "sorteer", "thema", "doelgroep", "bewijs", "regio", "organisatie", "netwerk"
    )  # fmt: skip
)
@example(query={"regio": ["99999999999999999999999"], "netwerk": ["²"], "q": ["\x00"]})
def test_kennisbank_filters_and_pages(world, clients, query):
    anonymous, member, _ = clients
    get(anonymous, world.library.url, query)
    get(member, world.library.url, query)


@PROPERTY
@given(
    forum=params("q", "tag", "vragen", "pagina"),
    topic=params("pagina", "citeer", "op"),
    lookup=params("q"),
)
@example(forum={"pagina": ["-1"]}, topic={"op": ["²"], "citeer": ["²"]}, lookup={"q": ["@²"]})
@example(
    forum={"q": ["\x00"]},
    topic={"citeer": ["99999999999999999999999"], "pagina": ["1e309"]},
    lookup={"q": ["\x00"]},
)
def test_forum_search_and_pages(world, clients, forum, topic, lookup):
    from via_platform.forums import services

    _, member, coordinator = clients
    forum_url = services.forum_url(world.community)
    topic_url = services.topic_url(world.topic)
    get(member, forum_url, forum)
    get(member, topic_url, topic)
    get(member, f"{topic_url}reageren/", topic)
    get(member, f"{forum_url}leden-zoeken/", lookup)
    get(coordinator, f"{forum_url}moderatie/", {"page": forum.get("pagina", [])})
    get(coordinator, f"{forum_url}moderatie/logboek/", {"page": topic.get("pagina", [])})


@PROPERTY
@given(
    agenda=params("netwerk", "type", "vorm", "regio", "maand", "mijn", "eerder", "page"),
    attendees=params("datum", "q"),
)
@example(agenda={"maand": ["2026-13"]}, attendees={"datum": ["²"]})
@example(agenda={"maand": ["0000-01"], "netwerk": ["99999999999999999999999"]},
         attendees={"datum": ["99999999999999999999999"]})  # fmt: skip
@example(agenda={"maand": ["9999-12"], "regio": ["-1"]}, attendees={"q": ["\x00"]})
def test_agenda_filters_and_attendee_list(world, clients, agenda, attendees):
    anonymous, member, coordinator = clients
    get(anonymous, world.agenda.url, agenda)
    get(member, world.agenda.url, agenda)
    get(member, world.event.url, attendees)
    get(coordinator, f"{world.event.url}deelnemers/", attendees)
    response = coordinator.get(f"{world.event.url}deelnemers/export/csv/?{_query(attendees)}")
    check(response)


@PROPERTY
@given(
    notifications=params("filter", "page"),
    directory=params("q", "soort", "page"),
    communities=params("kind", "theme", "sector", "region", "page"),
    members=params("q", "rol", "organisatie", "status", "page"),
)
@example(
    notifications={"page": ["-1"]},
    directory={"page": ["99999999999999999999999"], "q": ["\x00"]},
    communities={"region": ["99999999999999999999999"]},
    members={"organisatie": ["99999999999999999999999"], "q": ["\x00"]},
)
def test_notifications_directories_and_member_lists(
    world, clients, notifications, directory, communities, members
):
    anonymous, member, coordinator = clients
    get(member, "/meldingen/", notifications)
    get(anonymous, "/organisaties/", directory)
    get(member, "/organisaties/", directory)
    get(member, f"/organisaties/{world.organisation.slug}/", directory)
    get(anonymous, world.community.get_parent().url, communities)
    get(member, f"{world.community.url}leden/", members)
    get(coordinator, f"{world.community.url}leden/", members)
    check(coordinator.get(f"{world.community.url}leden/export/?{_query(members)}"))


@PROPERTY
@given(index=params("netwerk"), learners=params("page"))
@example(index={"netwerk": ["²"]}, learners={"page": ["²"]})
@example(index={"netwerk": ["99999999999999999999999"]}, learners={"page": ["-1"]})
def test_learning_index_and_learner_list(world, clients, index, learners):
    anonymous, member, coordinator = clients
    get(anonymous, world.learning.url, index)
    get(member, world.learning.url, index)
    get(member, f"{world.learning.url}mijn/", learners)
    get(coordinator, f"{world.course.url}deelnemers/", learners)


# Forms -----------------------------------------------------------------------------


markdown_text = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=400),
    st.lists(st.sampled_from(["**", "_", "`", "```", "[", "](", ")", "<", ">", "#", "\n", "@",
                              "javascript:", "![", "|", "- ", "> ", "&#", "XSS"]),
             max_size=40).map("".join),
)  # fmt: skip


@PROPERTY
@given(title=markdown_text, body=markdown_text, tags=garbage)
@example(title="²", body="\x00", tags="\x00")
@example(title="a" * 5000, body="b" * 100_000, tags="c" * 5000)
def test_forum_posts_with_any_markdown(world, clients, many_posts, title, body, tags):
    """Starting a topic and replying, through the real forms: a refusal or a redirect,
    never a 500, and whatever was stored shows inert on the topic and in the forum."""
    from via_platform.forums import services

    _, member, _ = clients
    forum_url = services.forum_url(world.community)
    fields = {"title": _surrogate_free(title), "body": _surrogate_free(body),
              "tags": _surrogate_free(tags)}  # fmt: skip
    check(member.post(f"{forum_url}nieuw/", {**fields, "preview": "1"}))
    created = member.post(f"{forum_url}nieuw/", fields)
    check(created)
    replied = member.post(
        f"{services.topic_url(world.topic)}reageren/",
        {"body": fields["body"], "reply_to": _surrogate_free(tags)},
    )
    check(replied)
    if created.status_code == 302:
        check(member.get(created["Location"]))
    check(member.get(services.topic_url(world.topic) + "?pagina=999"))


@PROPERTY
@given(name=st.text(min_size=1, max_size=300), extension=st.sampled_from(
    ["png", "PNG", "jpg", "", "png.exe", "html", "svg", "png\x00.html", ".."]))  # fmt: skip
@example(name="../../../../etc/passwd", extension="png")
@example(name="a" * 1000, extension="png")
@example(name="<img src=x onerror=alert('XSS')>", extension="png")
def test_upload_file_names(world, clients, many_posts, name, extension):
    """Any file name on a forum image and a profile photo: refused or stored under a
    safe name inside the media folder, never a 500, and the pages stay inert."""
    from via_platform.forums import services

    _, member, _ = clients
    filename = _surrogate_free(f"{name}.{extension}" if extension else name)
    # A name without a last part cannot be sent (the test client refuses it).
    assume(os.path.basename(filename) not in {"", ".", ".."})
    png = _png_bytes()
    upload = _upload(filename, png, "image/png")
    response = member.post(
        f"{services.topic_url(world.topic)}reageren/",
        {"body": "Een foto", "image_1": upload, "alt_1": "Een foto"},
    )
    check(response)
    photo = _upload(filename, png, "image/png")
    check(member.post("/account/profiel/", {"photo": photo}))
    _assert_stored_names_are_safe(world)
    check(member.get(services.topic_url(world.topic) + "?pagina=999"))


def _png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def _upload(name: str, data: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def _assert_stored_names_are_safe(world) -> None:
    from pathlib import Path

    from django.conf import settings as django_settings

    from via_platform.accounts.models import Profile
    from via_platform.forums.models import PostImage

    media = Path(django_settings.MEDIA_ROOT).resolve()
    names = [p.photo.name for p in Profile.objects.exclude(photo="")]
    names += [i.file.name for i in PostImage.objects.all()]
    for name in names:
        assert "\x00" not in name and "\\" not in name, name
        assert (media / name).resolve().is_relative_to(media), name


recurrence_rule = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        ["FREQ=DAILY", "FREQ=SECONDLY", "FREQ=MINUTELY;COUNT=100000", "FREQ=YEARLY;BYMONTH=2;"
         "BYMONTHDAY=30", "RRULE:FREQ=WEEKLY;UNTIL=99991231T235959Z", "FREQ=WEEKLY;UNTIL="
         "00010101T000000Z", "FREQ=MONTHLY;BYDAY=2TU;COUNT=10", "FREQ=DAILY;INTERVAL=0",
         "FREQ=DAILY;INTERVAL=-1", "FREQ=DAILY;BYSETPOS=0", "FREQ=MONTHLY;BYMONTHDAY=-40",
         "FREQ=DAILY\nBEGIN:VEVENT", "FREQ=DAILY;COUNT=99999999999999999999", "FREQ=HOURLY;"
         "BYHOUR=25", "DTSTART:19000101T000000\nRRULE:FREQ=DAILY", "EXDATE:20260101"]
    ),
    st.lists(
        st.sampled_from(["FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=YEARLY",
                         "FREQ=HOURLY", "COUNT=3", "COUNT=0", "INTERVAL=2", "BYDAY=MO,TU",
                         "BYDAY=5FR", "BYMONTHDAY=31", "BYMONTH=2", "BYSETPOS=-1", "WKST=SU",
                         "UNTIL=20270101T000000Z", "UNTIL=20270101", "BYYEARDAY=366",
                         "BYWEEKNO=53"]),
        min_size=1, max_size=5,
    ).map(";".join),
)  # fmt: skip
time_zone = st.one_of(
    st.sampled_from(["Europe/Amsterdam", "UTC", "Pacific/Kiritimati", "America/St_Johns",
                     "Asia/Kathmandu", "", "Nowhere/Land", "../../etc/passwd", "\x00",
                     "Etc/GMT+12", "EST5EDT", "localtime"]),
    st.text(max_size=40),
)  # fmt: skip


@FEWER
@given(rule=recurrence_rule, zone=time_zone, exceptions=st.text(max_size=60))
@example(rule="FREQ=WEEKLY;UNTIL=99991231T235959Z", zone="Pacific/Kiritimati", exceptions="")
@example(rule="FREQ=DAILY;UNTIL=00010101T000000Z", zone="Etc/GMT-14", exceptions="9999-99-99")
@example(rule="FREQ=HOURLY;BYHOUR=25", zone="", exceptions="")
def test_event_time_zones_and_recurrence_rules(world, clients, rule, zone, exceptions):
    """Whatever an editor types as rule, zone or skipped dates: the dates are computed
    (a bad rule falls back to the single date), bounded, and every page and feed of the
    event works."""
    from via_platform.events.models import EventPage
    from via_platform.events.services import MAX_OCCURRENCES, sync_occurrences

    EventPage.objects.filter(pk=world.event.pk).update(
        recurrence=_surrogate_free(rule)[:255],
        time_zone=_surrogate_free(zone)[:64],
        exceptions=_surrogate_free(exceptions),
    )
    event = EventPage.objects.get(pk=world.event.pk)
    # Bounded, also when the rule names its own start (DTSTART:1900…); dates of
    # earlier examples stay as cancelled history, so count what this one planned. None
    # is possible too: BYYEARDAY=366 finds no leap year within the horizon.
    assert len(sync_occurrences(event)) <= MAX_OCCURRENCES
    _, member, _ = clients
    check(member.get(event.url))
    check(member.get(f"/agenda/evenement/{event.pk}.ics"))


def test_an_hourly_rule_across_the_change_to_summer_time_is_one_date_per_instant(world, db):
    """02:00 on the last Sunday of March does not exist in Amsterdam: the rule's 02:00
    and 03:00 are the same instant. That used to break the unique (event, start) key."""
    import zoneinfo
    from datetime import datetime

    from via_platform.events.models import EventPage
    from via_platform.events.services import planned_dates, sync_occurrences

    start = datetime(2027, 3, 28, 0, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam"))
    EventPage.objects.filter(pk=world.event.pk).update(
        start=start, end=start + timedelta(minutes=30), recurrence="FREQ=HOURLY;COUNT=6",
        time_zone="Europe/Amsterdam",
    )  # fmt: skip
    event = EventPage.objects.get(pk=world.event.pk)
    starts = [s for s, _ in planned_dates(event)]
    assert len(starts) == len(set(starts)) == 5
    assert len(sync_occurrences(event)) == 5


@PROPERTY
@given(
    answers=st.dictionaries(
        st.one_of(st.sampled_from(["q0", "q1", "q2", "q-1", "q00", "q²", "csrfmiddlewaretoken"]),
                  st.text(max_size=10)),
        st.lists(garbage, max_size=3),
        max_size=4,
    ),
    quiz_id=st.one_of(st.none(), st.uuids().map(str)),
)  # fmt: skip
@example(answers={"q0": ["²"], "q1": ["0"]}, quiz_id=None)
@example(answers={"q0": ["99999999999999999999999"], "q1": ["-1"]}, quiz_id=None)
@example(answers={"q0": ["0", "1"], "q1": ["0", "0", "0"]}, quiz_id=None)
def test_quiz_answers(world, clients, answers, quiz_id):
    """Any answers to a quiz: refused or graded, never a 500; the lesson stays inert."""
    _, member, _ = clients
    quiz_id = quiz_id or world.lesson.quizzes()[0].id
    data = {_surrogate_free(k): [_surrogate_free(v) for v in vs] for k, vs in answers.items()}
    response = member.post(f"{world.lesson.url}toets/{quiz_id}/", data)
    check(response)
    check(member.get(world.lesson.url))
