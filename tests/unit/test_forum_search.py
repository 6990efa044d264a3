"""Forum search, in a forum and in /zoeken/: only what the person may read, escaped."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.forums import community, member, person
from via_platform.communities.models import Role
from via_platform.forums import search, services

pytestmark = pytest.mark.django_db

XSS_TITLE = '<script>alert("titel")</script> Taalcoaching'
XSS_BODY = (
    "Werkfit <img src=x onerror=alert(1)> en <svg onload=alert(2)> "
    '[klik](javascript:alert(3)) "><script>alert(4)</script>'
)


def titles(hits) -> set[str]:
    return {hit.topic.title for hit in hits}


@pytest.fixture
def private():
    return community("Besloten statushouders", members_only=True)


@pytest.fixture
def public():
    return community("Open werkgevers")


def test_members_find_their_members_only_topics_and_nobody_else_does(private, public):
    writer, fellow = member(private), member(private)
    outsider = member(public)
    services.start_topic(
        writer, private, title="Knelpunt taalniveau", body="Wie kent een goede taalcoach?"
    )
    services.start_topic(outsider, public, title="Open vraag", body="Ook over een taalcoach.")

    assert titles(search.search_posts(fellow, "taalcoach")) == {
        "Knelpunt taalniveau",
        "Open vraag",
    }
    assert titles(search.search_posts(outsider, "taalcoach")) == {"Open vraag"}
    assert titles(search.search_posts(AnonymousUser(), "taalcoach")) == {"Open vraag"}
    assert titles(search.search_posts(person(), "taalniveau")) == set()
    # Within one forum only that forum; an outsider finds nothing in a closed one.
    assert titles(search.search_forum(fellow, private, "taalcoach")) == {"Knelpunt taalniveau"}
    assert search.search_forum(outsider, private, "taalcoach") == []


def test_titles_match_and_the_hit_points_at_the_matching_post(public):
    asker, helper = member(public), member(public)
    topic = services.start_topic(asker, public, title="Werkfit traject", body="Ervaringen?")
    answer = services.reply(helper, topic, body="Bij ons helpt een jobcoach op de werkvloer.")

    (hit,) = search.search_posts(asker, "werkfit")
    assert hit.post.number == 1 and hit.url == services.post_url(hit.post)
    (hit,) = search.search_posts(asker, "jobcoach")
    assert hit.post == answer and hit.excerpt.startswith("Bij ons helpt")
    assert hit.place == public.title
    # Two words: all of them first, else any of them.
    assert titles(search.search_posts(asker, "jobcoach werkvloer")) == {"Werkfit traject"}
    assert titles(search.search_posts(asker, "jobcoach zonnepanelen")) == {"Werkfit traject"}
    # Search syntax is ignored rather than an error.
    for query in ('"jobcoach', "jobcoach*", "(jobcoach", "AND", "-", "NEAR(", "^"):
        search.search_posts(asker, query)
    assert search.search_posts(asker, "   ") == []


def test_hidden_and_deleted_posts_are_found_by_moderators_only(public):
    writer, reader = member(public), member(public)
    moderator = member(public, role=Role.MODERATOR)
    topic = services.start_topic(writer, public, title="Werkbezoek", body="Verslag volgt.")
    rude = services.reply(writer, topic, body="Een scheldwoord: zwartepiet-grap.")
    services.hide_post(moderator, rude, reason="Niet netjes")
    gone = services.reply(writer, topic, body="Per ongeluk geplakt: bsn 123456782.")
    services.delete_post(writer, gone)

    assert search.search_posts(reader, "scheldwoord") == []
    assert search.search_posts(AnonymousUser(), "scheldwoord") == []
    (hit,) = search.search_posts(moderator, "scheldwoord")
    assert hit.post == rude
    assert search.search_posts(moderator, "bsn") == []

    # A hidden topic is gone for members, not for its moderators.
    services.set_topic_state(moderator, topic, "hide_topic", reason="Dubbel")
    assert search.search_posts(reader, "werkbezoek") == []
    assert titles(search.search_posts(moderator, "werkbezoek")) == {"Werkbezoek"}


def test_site_search_lists_forum_results_the_person_may_read(client, private, public):
    writer = member(private)
    services.start_topic(
        writer, private, title="Interne casus jobcoaching", body="Besloten jobcoaching."
    )
    services.start_topic(
        member(public), public, title="Open casus jobcoaching", body="Iedereen jobcoaching."
    )

    html = client.get("/zoeken/", {"q": "jobcoaching"}).content.decode()
    assert "Open casus jobcoaching" in html and "Iedereen jobcoaching." in html
    assert "Interne casus" not in html and "Besloten jobcoaching" not in html
    assert 'id="results-forum-heading"' in html

    client.force_login(writer)
    html = client.get("/zoeken/", {"q": "jobcoaching"}).content.decode()
    assert "Interne casus jobcoaching" in html and "Open casus jobcoaching" in html


def test_search_results_show_hostile_titles_and_texts_inert(client, public):
    writer = member(public)
    services.start_topic(writer, public, title=XSS_TITLE, body=XSS_BODY)

    for query in ("werkfit", "taalcoaching"):
        (hit,) = search.search_posts(AnonymousUser(), query)
        assert hit.topic.title == XSS_TITLE  # stored as typed, escaped on output
        html = client.get("/zoeken/", {"q": query}).content.decode()
        results = html.split('id="results-forum-heading"', 1)[1].split("</main>", 1)[0]
        assert "<script" not in results
        assert "<img" not in results and "<svg" not in results
        assert 'href="javascript' not in results.lower()
        assert "&lt;script&gt;alert(&quot;titel&quot;)&lt;/script&gt; Taalcoaching" in results
        assert "&lt;img src=x onerror=alert(1)&gt;" in results
