"""Query budgets for the pages in the benchmark's mix that have none elsewhere.

Each test renders a page twice: with a little content, then with several times as much
(more topics, posts, authors, events, registrations, results). The number of queries
must not grow with the content (no N+1) and must stay within the page's budget. The
home page, community home, kennisbank search, course page and notification centre have
their budgets beside their other tests (test_site, test_community_views,
test_library_search, test_learning_pages, test_notifications).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.forums import PASSWORD, community, member, person
from tests.learning import event
from via_platform.events.models import Occurrence, Registration, RegistrationState
from via_platform.forums import services

pytestmark = pytest.mark.django_db

FORUM_INDEX = 23
TOPIC_PAGE = 24
AGENDA = 12
EVENT_PAGE = 19
SITE_SEARCH = 14
REPLY = 33
REGISTRATION = 22  # two of them: the per-person rate limit (lock, count)


def count(client, url: str, method: str = "get", **data) -> int:
    if method == "get":
        client.get(url, data)  # warm the per-process caches (site, settings)
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data)
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(queries.captured_queries)


def signed_in(client, user):
    assert client.login(email=user.email, password=PASSWORD)
    return client


def topics(place, how_many: int, replies: int = 1) -> list:
    made = []
    for n in range(how_many):
        author = member(place)
        topic = services.start_topic(
            author, place, title=f"Werkproef {n} bij installateurs", body="Wie heeft ervaring?"
        )
        topic.tags.add(f"thema-{n % 4}")
        for _ in range(replies):
            services.reply(member(place), topic, body="Wij doen het met een jobcoach.")
        made.append(topic)
    return made


def test_forum_index_does_not_grow_with_topics(client):
    place = community("Techniek en installatie")
    reader = signed_in(client, member(place))
    forum = services.forum_url(place)
    topics(place, 2)
    few = count(reader, forum)
    topics(place, 8)
    assert count(reader, forum) == few <= FORUM_INDEX


def test_topic_page_does_not_grow_with_posts_and_authors(client):
    place = community("Techniek en installatie")
    (topic,) = topics(place, 1, replies=2)
    reader = signed_in(client, member(place))
    url = services.topic_url(topic)
    few = count(reader, url)
    first = topic.posts.get(number=1)
    for _ in range(12):  # each by another member, some quoting the first post
        services.reply(member(place), topic, body="> Wie heeft ervaring?\n\nWij!", reply_to=first)
    assert count(reader, url) == few <= TOPIC_PAGE


def test_agenda_does_not_grow_with_events(client):
    event("Werkagenda VIA", days=3)
    few = count(client, "/agenda/")
    for n in range(6):
        event(f"Lerend netwerk {n}", days=5 + n)
    assert count(client, "/agenda/") == few <= AGENDA


def test_event_page_does_not_grow_with_registrations(client):
    meeting = event("Werkagenda VIA", days=3, capacity=50)
    occurrence = Occurrence.objects.get(event=meeting)
    reader = signed_in(client, person())

    def register(how_many):
        for _ in range(how_many):
            Registration.objects.create(
                occurrence=occurrence,
                user=person(),
                state=RegistrationState.REGISTERED,
                requested_at=timezone.now(),
            )

    register(2)
    few = count(reader, meeting.url)
    register(10)
    assert count(reader, meeting.url) == few <= EVENT_PAGE


def test_site_search_does_not_grow_with_results(client):
    for n in range(2):
        community(f"Statushouders aan het werk {n}")
    few = count(client, "/zoeken/", q="statushouders")
    for n in range(2, 10):
        community(f"Statushouders aan het werk {n}")
    assert count(client, "/zoeken/", q="statushouders") == few <= SITE_SEARCH


def test_posting_a_reply_does_not_grow_with_the_audience(client):
    place = community("Techniek en installatie")
    (topic,) = topics(place, 1)
    writer = signed_in(client, member(place))
    url = f"{services.topic_url(topic)}reageren/"
    count(writer, url, "post", body="Mijn eerste reactie hier.")  # a first post checks more
    few = count(writer, url, "post", body="Een volgende reactie.")
    for _ in range(12):
        member(place)  # more members: the notifications go to a worker, not the request
    assert count(writer, url, "post", body="Tweede reactie van mij.") == few <= REPLY


def test_registering_does_not_grow_with_registrations(client):
    meeting = event("Werkagenda VIA", days=3, capacity=100)
    occurrence = Occurrence.objects.get(event=meeting)

    def register_one():
        registrant = signed_in(type(client)(), person())
        return count(registrant, f"{meeting.url}aanmelden/", "post", occurrence=occurrence.pk)

    few = register_one()
    for _ in range(10):
        Registration.objects.create(
            occurrence=occurrence,
            user=person(),
            state=RegistrationState.REGISTERED,
            requested_at=timezone.now() - timedelta(hours=1),
        )
    assert register_one() <= few <= REGISTRATION
