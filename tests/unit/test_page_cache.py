"""Anonymous visitors get whole pages from the cache (cms/pagecache.py): the same page
for everyone, their own CSRF token, stale the moment public content changes, and never
for someone who is signed in."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from cms import pagecache
from tests.conftest import clear_test_cache
from tests.forums import PASSWORD, community, member, person
from via_platform.forums import services

# Real commits: the cache hears of a change only when its transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def place(settings):
    # A transactional test starts from empty tables: a bare site for the community.
    from wagtail.models import Locale, Page, Site

    if not Site.objects.exists():
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=Page(title="VIA Leernetwerken", slug="home"))
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    place = community("Techniek en installatie")
    # The first rendering creates the site's settings rows (a change, so a new generation).
    Client().get(place.url)
    clear_test_cache()
    return place


def test_anonymous_visitors_share_one_rendering_with_their_own_csrf_token(
    place, django_assert_num_queries
):
    first = Client().get(place.url)
    assert first["X-Page-Cache"] == "miss"

    visitor = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(0):
        second = visitor.get(place.url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content.decode().count("Techniek en installatie") == (
        first.content.decode().count("Techniek en installatie")
    )
    # The security headers are added to a cached page as to a rendered one.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Content-Language"] == "nl"

    # The token in the cached page is this visitor's: the language switch is accepted.
    tokens = set(TOKEN.findall(second.content.decode()))
    assert tokens and tokens.isdisjoint(TOKEN.findall(first.content.decode()))
    assert "csrftoken" in second.cookies
    switched = visitor.post(
        "/taal/",
        {"csrfmiddlewaretoken": tokens.pop(), "language": "en", "next": place.url},
    )
    assert switched.status_code == 302
    english = visitor.get(place.url)
    assert english["Content-Language"] == "en"
    assert english["X-Page-Cache"] == "miss"  # each language has its own entry


def test_publishing_makes_cached_pages_stale(place):
    Client().get(place.url)
    assert Client().get(place.url)["X-Page-Cache"] == "hit"

    place.intro = "Nieuw: de werkagenda voor 2027."
    place.save_revision().publish()

    fresh = Client().get(place.url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Nieuw: de werkagenda voor 2027." in fresh.content.decode()


def test_a_reply_makes_the_topic_page_stale(place, django_capture_on_commit_callbacks):
    author = member(place)
    with django_capture_on_commit_callbacks(execute=True):
        topic = services.start_topic(
            author, place, title="Werkproef bij installateurs", body="Wie?"
        )
    url = services.topic_url(topic)
    Client().get(url)
    assert Client().get(url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        services.reply(author, topic, body="Wij doen het in Zwolle, met een jobcoach.")

    fresh = Client().get(url)
    assert "Wij doen het in Zwolle" in fresh.content.decode()


def test_a_change_inside_a_transaction_counts_once_and_only_when_committed(place):
    generation = pagecache._start_generation()
    with transaction.atomic():
        place.intro = "Eerste wijziging."
        place.save()
        place.intro = "Tweede wijziging."
        place.save()
        assert cache.get(pagecache.GENERATION_KEY) == generation  # not before the commit
    assert cache.get(pagecache.GENERATION_KEY) == generation + 1

    with pytest.raises(RuntimeError), transaction.atomic():
        place.save()
        raise RuntimeError("rolled back")
    assert cache.get(pagecache.GENERATION_KEY) == generation + 1
    place.save()
    assert cache.get(pagecache.GENERATION_KEY) == generation + 2


def test_signed_in_people_always_get_a_fresh_page(place):
    noor = member(place, person("Noor", "Bakker"))
    Client().get(place.url)  # an anonymous rendering is in the cache

    signed_in = Client()
    assert signed_in.login(email=noor.email, password=PASSWORD)
    response = signed_in.get(place.url)
    assert "X-Page-Cache" not in response
    assert "Noor" in response.content.decode()
    # … and what they saw never reaches an anonymous visitor.
    assert "Noor" not in Client().get(place.url).content.decode()


def test_only_plain_public_pages_are_stored(place):
    redirect = Client().get("/meldingen/")
    assert redirect.status_code == 302 and "X-Page-Cache" not in redirect
    missing = Client().get(f"{place.url}bestaat-niet/")
    assert missing.status_code == 404 and "X-Page-Cache" not in missing
    Client().get(place.url)
    with_messages = Client()
    with_messages.cookies["messages"] = "x"
    assert "X-Page-Cache" not in with_messages.get(place.url)


def test_a_cache_that_is_down_still_serves_the_page(place, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache unavailable")

    monkeypatch.setattr(pagecache.cache, "get_many", down)
    response = Client().get(place.url)
    assert response.status_code == 200
    assert "Techniek en installatie" in response.content.decode()
