"""Bursts in a forum: many replies at the same moment, by many people or one.

Each thread has its own database connection, as each web worker would. Post numbers
come from the topic row (locked by the update that hands them out) and the rate limit
counts under a lock on the person's row, on PostgreSQL and on SQLite alike.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from tests.conftest import run_at_once
from tests.forums import community, member
from via_platform.forums import services
from via_platform.forums.models import Post


@pytest.fixture
def place(transactional_db):
    # transactional_db empties every table, Wagtail's locale, root page and site included.
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    if not Site.objects.exists():
        home = root.add_child(instance=Page(title="Home", slug="home-forum"))
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    return community("Drukke werkplaats")


def test_simultaneous_replies_get_consecutive_numbers(place):
    people = [member(place) for _ in range(12)]
    topic = services.start_topic(people[0], place, title="Iedereen tegelijk", body="Start")

    run_at_once(lambda person: services.reply(person, topic, body="Ik ook!"), people)

    numbers = sorted(Post.objects.filter(topic=topic).values_list("number", flat=True))
    assert numbers == list(range(1, 14))
    topic.refresh_from_db()
    assert (topic.last_number, topic.reply_count) == (13, 12)


def test_a_burst_from_one_person_stops_at_the_rate_limit(place, settings):
    settings.FORUMS_POSTS_PER_MINUTE = 5
    person = member(place)
    topic = services.start_topic(person, place, title="Snel achter elkaar", body="1")

    def post(_):
        try:
            return services.reply(person, topic, body="nog een")
        except ValidationError as refused:
            return refused

    results = run_at_once(post, range(10))

    refused = [r for r in results if isinstance(r, services.RateLimited)]
    assert len(refused) == 6  # 1 topic post + 4 replies fit in the minute
    assert Post.objects.filter(topic=topic).count() == 5
