"""The forum pages as members use them: starting a topic, replying with a quote, editing,
deleting, answers, unread markers across pages, previews that lose nothing, images,
closed topics, members-only forums, and query counts that do not grow with the list."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image
from wagtail.models import Site

from tests.forums import community, member, person
from tests.hostile import problems_in
from via_platform.communities.models import Role
from via_platform.forums import services
from via_platform.forums.models import (
    Flag,
    Post,
    PostImage,
    PostRevision,
    ReadCutoff,
    ReadState,
    Topic,
    Watch,
    WatchLevel,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    """Every page in English, so the tests read the msgids whatever the Dutch catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def place():
    return community("Werkfit forum")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def forum(place) -> str:
    return services.forum_url(place)


def html_of(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (20, 60, 120)).save(buffer, format="PNG")
    return buffer.getvalue()


def topic_with_posts(place, author, count: int, title: str = "Lange draad") -> Topic:
    """A topic of `count` posts, made directly (services would rate-limit the burst)."""
    now = timezone.now()
    topic = Topic.objects.create(
        community=place, title=title, author=author, last_number=count, reply_count=count - 1,
        last_post_at=now, last_post_author=author,
    )  # fmt: skip
    Post.objects.bulk_create(
        Post(
            topic=topic,
            number=n,
            author=author,
            body=f"Bericht {n}",
            html=f"<p>Bericht {n}</p>",
            created_at=now - timedelta(minutes=count - n),
            community_id_cache=place.pk,
        )  # fmt: skip
        for n in range(1, count + 1)
    )
    return topic


# Starting a topic ------------------------------------------------------------------------


def test_a_member_starts_a_question_with_tags_and_sees_it_in_the_forum(client, place):
    asker = member(place, person("Anna", "de Vries"))
    client.force_login(asker)

    html = html_of(client.get(forum(place)))
    assert f'href="{forum(place)}nieuw/"' in html
    form = html_of(client.get(f"{forum(place)}nieuw/"))
    assert 'name="title"' in form and 'name="body"' in form and 'name="is_question"' in form
    assert "knelpunt, vraag, ervaring, werkbezoek" in form  # the tag suggestions
    assert "Markdown" in form and 'for="id_alt_1"' in form  # help, and labelled image fields

    response = client.post(
        f"{forum(place)}nieuw/",
        {
            "title": "Wie heeft ervaring met jobcoaching?",
            "body": "Wij zoeken **tips** voor een jobcoach.",
            "tags": "Vraag, jobcoaching",
            "is_question": "on",
        },
    )
    topic = Topic.objects.get(title="Wie heeft ervaring met jobcoaching?")
    assert response.status_code == 302 and response["Location"] == services.topic_url(topic)
    assert topic.is_question and sorted(topic.tags.names()) == ["jobcoaching", "vraag"]

    page = client.get(response["Location"])
    html = html_of(page)
    assert "<strong>tips</strong>" in html and 'id="bericht-1"' in html
    assert "Open question" in html and "Anna de Vries" in html
    assert "Your topic has been posted." in messages_of(page)

    html = html_of(client.get(forum(place)))
    assert f'href="{services.topic_url(topic)}"' in html and "Open question" in html
    # The filters: by tag and open questions, as links and a form that work without JS.
    assert f'{services.topic_url(topic)}"' in html_of(client.get(f"{forum(place)}?tag=vraag"))
    assert services.topic_url(topic) not in html_of(client.get(f"{forum(place)}?tag=werkbezoek"))
    assert services.topic_url(topic) in html_of(client.get(f"{forum(place)}?vragen=open"))


def test_preview_renders_the_text_and_keeps_everything_typed_without_saving(client, place):
    client.force_login(member(place))
    response = client.post(
        f"{forum(place)}nieuw/",
        {
            "title": "Proefplaatsing <b>bij</b> de gemeente",
            "body": "Een **proef** van twee weken.\n\n<script>alert('XSS')</script>",
            "tags": "ervaring, werkbezoek",
            "is_question": "on",
            "alt_1": "Foto van de werkplaats",
            "preview": "1",
        },
    )
    assert response.status_code == 200
    assert not Topic.objects.exists()
    html = html_of(response)
    assert 'id="preview-heading"' in html and "<strong>proef</strong>" in html
    assert "<script>alert('XSS')</script>" not in html  # neither in the preview nor the form
    assert not problems_in(html)
    assert 'value="Proefplaatsing &lt;b&gt;bij&lt;/b&gt; de gemeente"' in html
    assert "Een **proef** van twee weken." in html  # the typed Markdown, in the textarea
    assert 'value="ervaring, werkbezoek"' in html
    assert re.search(r'name="is_question"[^>]*checked', html)
    assert 'value="Foto van de werkplaats"' in html
    assert "Choose them again before you post." in html  # files do not survive a round trip


def test_errors_and_rate_limits_keep_what_was_typed(client, place, settings):
    client.force_login(member(place))
    response = client.post(f"{forum(place)}nieuw/", {"title": "", "body": "Alleen tekst."})
    assert response.status_code == 200 and not Topic.objects.exists()
    html = html_of(response)
    assert "Give your topic a title." in html and "Alleen tekst." in html

    settings.FORUMS_POSTS_PER_MINUTE = 1
    assert (
        client.post(f"{forum(place)}nieuw/", {"title": "Een", "body": "Eerste."}).status_code == 302
    )
    response = client.post(f"{forum(place)}nieuw/", {"title": "Twee", "body": "Nog een keer."})
    html = html_of(response)
    assert response.status_code == 200 and Topic.objects.count() == 1
    assert "1 message a minute" in html and "Nog een keer." in html and 'value="Twee"' in html


def test_an_image_that_is_not_an_image_is_refused_with_a_clear_message(client, place, media):
    client.force_login(member(place))
    fake = SimpleUploadedFile("werkplek.png", b"MZ\x90\x00 not a picture at all", "image/png")
    response = client.post(
        f"{forum(place)}nieuw/",
        {"title": "Met foto", "body": "Zie de foto.", "image_1": fake, "alt_1": "De werkplek"},
    )
    assert response.status_code == 200 and not Topic.objects.exists()
    html = html_of(response)
    assert "“werkplek.png” is not really a .png image" in html
    assert 'value="Met foto"' in html and "Zie de foto." in html

    svg = SimpleUploadedFile("logo.svg", b"<svg onload='alert(1)'/>", "image/svg+xml")
    html = html_of(
        client.post(
            f"{forum(place)}nieuw/", {"title": "Svg", "body": "x", "image_1": svg, "alt_1": "Logo"}
        )
    )
    assert "is not an image we accept" in html and ".jpg, .jpeg, .png, .gif, .webp" in html

    big = SimpleUploadedFile("groot.png", png_bytes() + b"\0" * (5 * 1024 * 1024), "image/png")
    html = html_of(
        client.post(
            f"{forum(place)}nieuw/",
            {"title": "Groot", "body": "x", "image_1": big, "alt_1": "Groot"},
        )
    )
    assert "is too large" in html and "The limit is 5.0\xa0MB per image" in html

    image = SimpleUploadedFile("werkplek.png", png_bytes(), "text/html")
    html = html_of(
        client.post(f"{forum(place)}nieuw/", {"title": "Zonder alt", "body": "x", "image_1": image})
    )
    assert "Describe what the image shows." in html and not Topic.objects.exists()


def test_an_image_is_stored_with_its_sniffed_type_and_served_only_to_readers(client, media):
    closed = community("Besloten foto's", members_only=True)
    author = member(closed)
    client.force_login(author)
    image = SimpleUploadedFile("werkplek.png", png_bytes(), "text/html")  # the browser lies
    response = client.post(
        f"{forum(closed)}nieuw/",
        {"title": "Met foto", "body": "Zie de foto.", "image_1": image, "alt_1": "De werkplek"},
    )
    assert response.status_code == 302
    stored = PostImage.objects.get()
    assert stored.content_type == "image/png" and stored.alt == "De werkplek"
    topic = stored.post.topic
    url = f"{services.topic_url(topic)}berichten/{stored.post_id}/afbeeldingen/{stored.pk}/"
    assert f'src="{url}" alt="De werkplek"' in html_of(client.get(services.topic_url(topic)))

    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "private" in served["Cache-Control"]
    assert b"".join(served.streaming_content) == png_bytes()

    client.force_login(person())
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


# Replies, quotes, edits, deletes ------------------------------------------------------------


def test_a_reply_with_a_quote_links_to_the_quoted_message(client, place):
    asker = member(place, person("Anna", "de Vries"))
    helper = member(place, person("Bram", "Bakker"))
    topic = services.start_topic(
        asker, place, title="Loonkostensubsidie", body="Hoe vraag je\ndat aan?"
    )
    first = topic.posts.get()
    client.force_login(helper)

    html = html_of(client.get(services.topic_url(topic)))
    quote_url = f"{services.topic_url(topic)}reageren/?citeer={first.pk}"
    assert f'href="{quote_url}"' in html
    html = html_of(client.get(quote_url))
    assert "&gt; **Anna de Vries** ([#1](" in html and "&gt; Hoe vraag je\n&gt; dat aan?" in html
    assert f'name="reply_to" value="{first.pk}"' in html
    assert "In reply to message 1 by Anna de Vries" in html

    response = client.post(
        f"{services.topic_url(topic)}reageren/",
        {"body": "> Hoe vraag je dat aan?\n\nBij het UWV.", "reply_to": str(first.pk)},
    )
    post = Post.objects.get(topic=topic, number=2)
    assert response.status_code == 302 and response["Location"] == services.post_url(post)
    assert post.reply_to == first and post.author == helper
    html = html_of(client.get(services.topic_url(topic)))
    assert "<blockquote>" in html and "in reply to #1" in html
    assert f'href="{services.topic_url(topic)}#bericht-1"' in html


def test_editing_shows_the_edited_marker_and_keeps_the_history_for_moderators(client, place):
    author = member(place)
    moderator = member(place, role=Role.MODERATOR)
    topic = services.start_topic(
        author, place, title="Oude titel", body="Eerste tekst.", tags=["vraag"]
    )
    first = topic.posts.get()
    client.force_login(author)
    edit_url = f"{services.topic_url(topic)}berichten/{first.pk}/bewerken/"

    html = html_of(client.get(edit_url))
    assert 'value="Oude titel"' in html and "Eerste tekst." in html and 'value="vraag"' in html
    preview = client.post(
        edit_url,
        {"title": "Nieuwe titel", "body": "*Nieuwe* tekst.", "tags": "vraag", "preview": "1"},
    )
    assert "<em>Nieuwe</em>" in html_of(preview)
    first.refresh_from_db()
    assert first.body == "Eerste tekst." and first.edited_at is None  # a preview saves nothing

    response = client.post(
        edit_url, {"title": "Nieuwe titel", "body": "*Nieuwe* tekst.", "tags": "vraag, ervaring"}
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.title == "Nieuwe titel" and sorted(topic.tags.names()) == ["ervaring", "vraag"]
    html = html_of(client.get(services.topic_url(topic)))
    assert 'class="site-post__edited"' in html and ">edited<" in html

    history = f"{services.topic_url(topic)}berichten/{first.pk}/geschiedenis/"
    assert client.get(history).status_code == 404  # the author does not see the history
    assert PostRevision.objects.filter(post=first).count() == 1
    client.force_login(moderator)
    html = html_of(client.get(history))
    assert "Eerste tekst." in html and "Oude titel" in html

    # Someone else's message is not theirs to edit.
    client.force_login(member(place))
    response = client.get(edit_url)
    assert response.status_code == 302 and "You cannot edit this message." in messages_of(
        client.get(response["Location"])
    )


def test_an_author_deletes_a_reply_after_confirming(client, place):
    author, other = member(place), member(place)
    topic = services.start_topic(other, place, title="Werkbezoek", body="Wie gaat er mee?")
    reply = services.reply(author, topic, body="Ik ga mee, geheime tekst.")
    client.force_login(author)
    delete_url = f"{services.topic_url(topic)}berichten/{reply.pk}/verwijderen/"

    html = html_of(client.get(delete_url))
    assert "Ik ga mee, geheime tekst." in html and 'method="post"' in html
    reply.refresh_from_db()
    assert reply.deleted_at is None  # looking is not deleting

    response = client.post(delete_url)
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.deleted_at is not None
    html = html_of(client.get(services.topic_url(topic)))
    assert "Deleted by the author." in html and "geheime tekst" not in html

    # Nobody deletes someone else's message.
    client.force_login(other)
    mine = services.reply(author, topic, body="Nog van mij.")
    response = client.post(f"{services.topic_url(topic)}berichten/{mine.pk}/verwijderen/")
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.deleted_at is None

    # A topic whose only message is deleted disappears: back to the forum.
    lonely = services.start_topic(other, place, title="Vergissing", body="Per ongeluk.")
    response = client.post(
        f"{services.topic_url(lonely)}berichten/{lonely.posts.get().pk}/verwijderen/"
    )
    assert response["Location"] == forum(place)
    assert "Vergissing" not in html_of(client.get(forum(place)))


def test_the_asker_accepts_an_answer_shown_under_the_question(client, place):
    asker, helper, bystander = member(place), member(place, person("Bram", "Bakker")), member(place)
    topic = services.start_topic(
        asker, place, title="Hoe regel ik een jobcoach?", body="Vraag.", is_question=True
    )
    answer = services.reply(helper, topic, body="Via de **gemeente**.")
    accept_url = f"{services.topic_url(topic)}berichten/{answer.pk}/accepteren/"

    client.force_login(bystander)
    assert f'action="{accept_url}"' not in html_of(client.get(services.topic_url(topic)))
    client.post(accept_url)
    topic.refresh_from_db()
    assert topic.accepted_post is None

    client.force_login(asker)
    assert f'action="{accept_url}"' in html_of(client.get(services.topic_url(topic)))
    assert client.get(accept_url).status_code == 405  # a change is a POST
    response = client.post(accept_url)
    assert response.status_code == 302 and response["Location"] == services.post_url(answer)
    topic.refresh_from_db()
    assert topic.accepted_post == answer

    html = html_of(client.get(services.topic_url(topic)))
    question_end = html.index('id="bericht-2"')
    accepted = html.index('id="accepted-heading"')
    assert html.index('id="bericht-1"') < accepted < question_end  # under the question
    assert "Via de <strong>gemeente</strong>." in html[accepted:question_end]
    assert "Answered" in html_of(client.get(forum(place)))
    assert services.topic_url(topic) not in html_of(client.get(f"{forum(place)}?vragen=open"))


def test_hidden_and_deleted_posts_keep_their_place_with_a_notice(client, place):
    author, reader = member(place), member(place)
    moderator = member(place, role=Role.MODERATOR)
    topic = services.start_topic(author, place, title="Over een klant", body="Begin.")
    post = services.reply(author, topic, body="Naam van de klant: Jansen.")
    services.hide_post(moderator, post, reason="Privacy van de klant")

    client.force_login(reader)
    html = html_of(client.get(services.topic_url(topic)))
    assert "Hidden by a moderator." in html and "Jansen" not in html
    client.force_login(author)
    html = html_of(client.get(services.topic_url(topic)))
    assert "Jansen" in html and "Privacy van de klant" in html
    quoted = html_of(client.get(f"{services.topic_url(topic)}reageren/?citeer={post.pk}"))
    assert "Jansen" not in quoted  # a quote never brings hidden text back
    client.force_login(moderator)
    html = html_of(client.get(services.topic_url(topic)))
    assert "Jansen" in html and f"moderatie/berichten/{post.pk}/" in html  # the partial


def test_flagging_a_post_thanks_the_reporter(client, place):
    author, reporter = member(place), member(place)
    moderator = member(place, role=Role.MODERATOR)
    topic = services.start_topic(author, place, title="Reclame", body="Koop nu!")
    post = topic.posts.get()
    client.force_login(reporter)
    flag_url = f"{services.topic_url(topic)}berichten/{post.pk}/melden/"
    assert f'href="{flag_url}"' in html_of(client.get(services.topic_url(topic)))
    html = html_of(client.get(flag_url))
    assert 'name="reason"' in html and 'name="note"' in html

    response = client.post(flag_url, {"reason": "spam", "note": "Advertentie"}, follow=True)
    assert "Thanks, the moderators will look at it." in messages_of(response)
    assert Flag.objects.get().reason == "spam"

    html = html_of(client.post(flag_url, {"reason": "nonsense"}))
    assert 'name="note"' in html and "Select a valid choice" in html

    client.force_login(moderator)
    html = html_of(client.get(forum(place)))
    assert f'href="{forum(place)}moderatie/"' in html and '<span class="site-badge">1' in html


# Read state ---------------------------------------------------------------------------------


def test_unread_markers_and_the_jump_to_the_first_unread_message_across_pages(client, place):
    reader = member(place)
    author = member(place)
    topic = topic_with_posts(place, author, 45)
    url = services.topic_url(topic)
    client.force_login(reader)

    html = html_of(client.get(forum(place)))
    assert "45 new" in html and f'href="{url}ongelezen/"' in html
    response = client.get(f"{url}ongelezen/")
    assert response["Location"] == f"{url}#bericht-1"

    html = html_of(client.get(url))  # page 1 marks 1–20 as read
    assert 'id="bericht-20"' in html and 'id="bericht-21"' not in html
    assert ReadState.objects.get(user=reader, topic=topic).last_read == 20
    assert "25 new" in html_of(client.get(forum(place)))
    assert client.get(f"{url}ongelezen/")["Location"] == f"{url}?pagina=2#bericht-21"

    client.get(f"{url}?pagina=3")  # the last page: all read
    assert ReadState.objects.get(user=reader, topic=topic).last_read == 45
    client.get(url)  # going back never unreads
    assert ReadState.objects.get(user=reader, topic=topic).last_read == 45
    assert "new<" not in html_of(client.get(forum(place)))
    assert client.get(f"{url}ongelezen/")["Location"] == f"{url}?pagina=3#bericht-45"

    assert client.get(f"{url}bericht/33/")["Location"] == f"{url}?pagina=2#bericht-33"
    assert client.get(f"{url}bericht/46/").status_code == 404


def test_mark_all_read_and_watch_levels(client, place):
    reader, author = member(place), member(place)
    topic = topic_with_posts(place, author, 3)
    client.force_login(reader)
    assert "3 new" in html_of(client.get(forum(place)))
    assert client.get(f"{forum(place)}alles-gelezen/").status_code == 405
    response = client.post(f"{forum(place)}alles-gelezen/")
    assert response.status_code == 302 and ReadCutoff.objects.filter(user=reader).exists()
    assert "3 new" not in html_of(client.get(forum(place)))

    client.post(f"{forum(place)}volgen/", {"level": WatchLevel.WATCHING})
    assert Watch.objects.get(user=reader, community=place).level == WatchLevel.WATCHING
    client.post(f"{services.topic_url(topic)}volgen/", {"level": WatchLevel.MUTED})
    assert services.level_for(reader, topic) == WatchLevel.MUTED
    html = html_of(client.get(services.topic_url(topic)))
    assert re.search(r'<option value="muted" selected>', html)


# Who may do what ----------------------------------------------------------------------------


def test_a_members_only_forum_does_not_exist_for_outsiders(client, media):
    closed = community("Besloten netwerk", members_only=True)
    insider = member(closed)
    topic = services.start_topic(insider, closed, title="Intern overleg", body="Alleen voor leden.")
    post = topic.posts.get()
    paths = [
        forum(closed),
        f"{forum(closed)}nieuw/",
        f"{forum(closed)}leden-zoeken/?q=a",
        services.topic_url(topic),
        f"{services.topic_url(topic)}reageren/",
        f"{services.topic_url(topic)}ongelezen/",
        f"{services.topic_url(topic)}berichten/{post.pk}/melden/",
        f"/discussies/{topic.pk}/",  # not a page discussion either
    ]
    client.force_login(person())
    for path in paths:
        assert client.get(path).status_code == 404, path
    assert client.post(f"{services.topic_url(topic)}reageren/", {"body": "Hoi"}).status_code == 404
    client.logout()
    for path in paths:
        assert client.get(path).status_code == 404, path
    assert topic.posts.count() == 1

    client.force_login(insider)
    assert client.get(forum(closed)).status_code == 200
    assert "Intern overleg" in html_of(client.get(services.topic_url(topic)))


def test_who_cannot_reply_is_told_why(client, place):
    author = member(place)
    topic = services.start_topic(author, place, title="Open forum", body="Iedereen leest mee.")
    url = services.topic_url(topic)

    html = html_of(client.get(url))  # anonymous: a public forum is readable
    assert "Iedereen leest mee." in html and 'name="body"' not in html
    assert "/account/login/?next=" in html and "Log in to take part" in html

    client.force_login(person())
    html = html_of(client.get(url))
    assert "Only members of this community can write here." in html and 'name="body"' not in html
    assert f'href="{place.url}#membership-heading"' in html

    suspended = member(place)
    services.suspend(member(place, role=Role.MODERATOR), place, suspended, days=3, reason="Rust")
    client.force_login(suspended)
    html = html_of(client.get(url))
    assert "you cannot post in this forum until" in html and 'name="body"' not in html
    assert 'name="body"' not in html_of(client.get(f"{forum(place)}nieuw/"))


def test_a_closed_topic_refuses_replies_with_a_message_and_keeps_the_text(client, place):
    author, other = member(place), member(place)
    moderator = member(place, role=Role.MODERATOR)
    topic = services.start_topic(author, place, title="Afgerond", body="Klaar.")
    services.set_topic_state(moderator, topic, "close")
    url = services.topic_url(topic)
    client.force_login(other)

    html = html_of(client.get(url))
    assert "This topic is closed: no new replies can be added." in html
    assert 'name="body"' not in html and "Closed" in html
    response = client.post(f"{url}reageren/", {"body": "Toch nog een vraag."})
    html = html_of(response)
    assert response.status_code == 200 and topic.posts.count() == 1
    assert "This topic is closed; no new replies can be added." in html
    assert "Toch nog een vraag." in html

    client.force_login(moderator)  # moderators may still post in a closed topic
    assert 'name="body"' in html_of(client.get(url))


def test_mention_suggestions_are_members_for_members(client, place):
    writer = member(place, person("Anna", "de Vries"))
    bram = member(place, person("Bram", "Bakker"))
    person("Bram", "Buiten")  # not a member
    client.force_login(writer)
    data = client.get(f"{forum(place)}leden-zoeken/?q=br").json()
    assert data == {"results": [{"handle": bram.handle, "name": "Bram Bakker"}]}
    assert client.get(f"{forum(place)}leden-zoeken/?q=").json() == {"results": []}
    client.force_login(person())
    assert client.get(f"{forum(place)}leden-zoeken/?q=br").status_code == 404


def test_search_within_the_forum_only_finds_what_the_person_may_read(client, place):
    author = member(place)
    moderator = member(place, role=Role.MODERATOR)
    visible = services.start_topic(author, place, title="Proefplaatsing", body="Over loonwaarde.")
    hidden = services.start_topic(
        author, place, title="Ook proefplaatsing", body="Verborgen loonwaarde."
    )
    services.set_topic_state(moderator, hidden, "hide_topic", reason="Dubbel")
    client.force_login(member(place))
    html = html_of(client.get(f"{forum(place)}?q=loonwaarde"))
    assert services.topic_url(visible) in html and services.topic_url(hidden) not in html


# Discussions under a page ------------------------------------------------------------------------


def test_a_page_discussion_uses_the_same_topic_pages_and_keeps_a_refused_reply(client):
    from tests.library import practice
    from via_platform.library.models import LibraryIndexPage

    root = Site.objects.get(is_default_site=True).root_page
    index = LibraryIndexPage(title="Kennisbank", slug="kennisbank-paginas")
    root.add_child(instance=index)
    index.save_revision().publish()
    network = community("Praktijknetwerk")
    practice_page = practice(index, "Werkproef", communities=[network])
    writer = member(network)
    reply_url = f"/discussies/pagina/{practice_page.pk}/reageren/"
    client.force_login(writer)

    preview = client.post(reply_url, {"body": "Een **goede** aanpak.", "preview": "1"})
    assert "<strong>goede</strong>" in html_of(preview) and not Topic.objects.exists()
    response = client.post(reply_url, {"body": "Een **goede** aanpak."})
    topic = Topic.objects.get(page=practice_page)
    assert response.status_code == 302 and response["Location"].startswith(
        f"/discussies/{topic.pk}/"
    )
    html = html_of(client.get(f"/discussies/{topic.pk}/"))
    assert "Discussion: Werkproef" in html and "<strong>goede</strong>" in html

    services.suspend(member(network, role=Role.COORDINATOR), network, writer, days=2, reason="Rust")
    response = client.post(reply_url, {"body": "Nog een gedachte."})
    assert response.status_code == 200 and "Nog een gedachte." in html_of(response)
    assert topic.posts.count() == 1
    assert client.post("/discussies/pagina/999999/reageren/", {"body": "x"}).status_code == 404


# Query budgets ------------------------------------------------------------------------------------


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_forum_index_runs_the_same_queries_for_10_or_1000_topics(client, place):
    reader = member(place)
    moderator = member(place, role=Role.MODERATOR)
    author = member(place)

    def add(n):
        for i in range(n):
            topic = topic_with_posts(place, author, 2, title=f"Onderwerp {i}")
            topic.tags.add("vraag", f"tag{i % 3}")
            if i % 2:
                ReadState.objects.create(user=reader, topic=topic, last_read=1)

    add(10)
    few = {}
    for viewer in (reader, moderator):
        client.force_login(viewer)
        client.get(forum(place))  # warm caches (site root paths, session)
        few[viewer.pk] = _queries(client, forum(place))
    add(15)
    # … and 975 more, written in bulk (the index reads topics, not their posts).
    earlier = timezone.now() - timedelta(days=3)
    Topic.objects.bulk_create(
        Topic(
            community=place,
            title=f"Ouder onderwerp {i}",
            author=author,
            last_number=1,
            last_post_at=earlier - timedelta(minutes=i),
            created_at=earlier,
        )  # fmt: skip
        for i in range(975)
    )
    assert Topic.objects.filter(community=place).count() == 1000
    for viewer in (reader, moderator):
        client.force_login(viewer)
        client.get(forum(place))
        assert _queries(client, forum(place)) == few[viewer.pk], viewer
        assert _queries(client, f"{forum(place)}?pagina=40") == few[viewer.pk], viewer
    client.force_login(reader)
    html = html_of(client.get(f"{forum(place)}?pagina=2"))
    assert "Page 2 of 40" in html


def test_a_topic_page_runs_the_same_queries_for_20_or_200_posts(client, place, media):
    reader = member(place)
    moderator = member(place, role=Role.MODERATOR)
    author = member(place)
    short = topic_with_posts(place, author, 20, title="Kort")
    long = topic_with_posts(place, author, 200, title="Lang")
    for topic in (short, long):
        posts = list(topic.posts.order_by("number")[:20])
        posts[3].reply_to = posts[1]
        posts[3].save()
        Flag.objects.create(post=posts[5], reporter=reader, reason="spam")
        PostImage.objects.create(
            post=posts[2],
            file=SimpleUploadedFile("a.png", png_bytes()),
            alt="x",
            content_type="image/png",
        )
    Topic.objects.filter(pk=long.pk).update(is_question=True)

    for viewer in (reader, moderator):
        client.force_login(viewer)
        for path in (
            services.topic_url(short),
            services.topic_url(long),
            f"{services.topic_url(long)}?pagina=10",
        ):
            client.get(path)  # the first visits create the read state
        few = _queries(client, services.topic_url(short))
        many = _queries(client, services.topic_url(long))
        last_page = _queries(client, f"{services.topic_url(long)}?pagina=10")
        assert few == many == last_page, viewer
    html = html_of(client.get(f"{services.topic_url(long)}?pagina=10"))
    assert 'id="bericht-200"' in html and "Page 10 of 10" in html


def test_a_reader_who_is_not_a_member_is_told_how_to_join_instead_of_getting_a_form(client, place):
    client.force_login(person())
    response = client.get(f"{forum(place)}nieuw/")
    assert response.status_code == 200
    assert 'name="body"' not in html_of(response)
    assert "Only members of this community can write here." in html_of(response)
    refused = client.post(f"{forum(place)}nieuw/", {"title": "Hallo", "body": "Mijn vraag"})
    assert not Topic.objects.exists()
    assert "Mijn vraag" in html_of(refused)  # what they typed is still there
