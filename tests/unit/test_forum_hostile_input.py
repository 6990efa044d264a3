"""Hostile text in topics, replies, titles, previews, notification emails and search
results renders inert (the corpus is in tests/hostile.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.hostile import PAYLOADS, assert_inert, problems_in
from via_platform.forums import markdown
from via_platform.forums.models import Post


def test_the_inertness_check_catches_what_it_must():
    assert problems_in("<p><script>alert('XSS')</script></p>")
    assert problems_in('<img src="x" onerror="alert(\'XSS\')">')
    assert problems_in("<a href=\" JavaScript:alert('XSS')\">x</a>")
    assert not problems_in("<p>&lt;script&gt;alert('XSS')&lt;/script&gt;</p>")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_renders_every_payload_inert(payload):
    html = markdown.render(payload, mention=lambda handle: None)
    assert_inert(html)


def test_links_are_marked_as_user_content():
    html = markdown.render("[VIA](https://example.org/via)")
    assert 'rel="nofollow ugc noopener"' in html


# Whole pages ---------------------------------------------------------------------------

TITLE_PAYLOADS = [p for p in PAYLOADS if len(p) <= 200]


@pytest.fixture
def hostile_forum(db):
    from tests.forums import community, member
    from via_platform.forums import services

    place = community("Open werkplaats")
    writer, reader = member(place), member(place)
    topics = []
    for n, payload in enumerate(PAYLOADS):
        title = TITLE_PAYLOADS[n % len(TITLE_PAYLOADS)]
        topic = services.start_topic(writer, place, title=title, body=payload, tags=[payload])
        services.reply(reader, topic, body=f"{payload} @{writer.handle}")
        topics.append(topic)
        if n % 2:  # stay under the posting rate limit
            Post.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    return place, writer, reader, topics


def test_topics_index_preview_and_search_render_hostile_text_inert(client, hostile_forum):
    from via_platform.forums import services

    place, writer, reader, topics = hostile_forum
    client.force_login(reader)
    pages = [services.forum_url(place), f"{services.forum_url(place)}?pagina=2"]
    pages += [services.topic_url(topic) for topic in topics]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())
    for payload in PAYLOADS:
        preview = client.post(
            f"{services.forum_url(place)}nieuw/",
            {"title": payload[:200], "body": payload, "tags": payload[:50], "preview": "1"},
        )
        assert preview.status_code == 200
        assert_inert(preview.content.decode())
    found = client.get("/zoeken/", {"q": "alert"})
    assert found.status_code == 200
    assert_inert(found.content.decode())


def test_notification_emails_render_hostile_text_inert(hostile_forum, mailoutbox):
    from via_platform.notifications import services as notifications
    from via_platform.notifications.models import Delivery, Happening

    for happening in Happening.objects.filter(kind__startswith="forums."):
        notifications.fan_out(happening.pk)
    sent = [notifications.send_delivery(pk) for pk in Delivery.objects.values_list("pk", flat=True)]
    assert "sent" in sent
    assert mailoutbox
    for message in mailoutbox:
        for html, _type in getattr(message, "alternatives", []):
            assert_inert(html)
        assert "\n" not in message.subject  # plain text, one line: no header injection
