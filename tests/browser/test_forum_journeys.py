"""A question in the forum, answered with a mention and accepted; a post reported by a
member and hidden by the coordinator. Every page passes axe-core and the CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_event_journeys import _as, assert_accessible
from via_platform.accounts.models import User
from via_platform.communities.models import CommunityPage
from via_platform.forums.models import Flag, ModerationLog, Post, Topic
from via_platform.notifications.models import Happening

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASKER = "klantmanager@voorbeeld.nl"
HELPER = "werkgever@voorbeeld.nl"
COORDINATOR = "coordinator@voorbeeld.nl"
QUESTION = "Hoe regelen jullie de jobcoach na de proefplaatsing?"


def test_question_answer_report_and_hide(demo_site, page, live_server):
    community = CommunityPage.objects.get(slug="regio-rotterdam")
    forum = f"{community.url}forum/"
    asker = User.objects.get(email=ASKER)

    # The klantmanager asks a question in the forum of their regional network.
    _as(page, live_server, ASKER)
    page.goto(forum)
    assert_accessible(page)
    page.get_by_role("link", name="New topic").click()
    page.get_by_label("Title").fill(QUESTION)
    page.get_by_role("textbox", name="Message").fill(
        "Na drie maanden proefplaatsing stopt de **jobcoach**. Hoe houden jullie dat vol?"
    )
    page.get_by_label("Tags").fill("vraag, jobcoaching")
    page.get_by_label("This is a question").check()
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".site-forum__preview strong", has_text="jobcoach")).to_be_visible()
    assert page.get_by_label("Title").input_value() == QUESTION  # kept after the preview
    assert_accessible(page)
    page.get_by_role("button", name="Post the topic").click()
    expect(page.get_by_role("heading", level=1, name=QUESTION)).to_be_visible()
    assert_accessible(page)
    topic = Topic.objects.get(title=QUESTION)

    # An employer joins the open network and answers, mentioning the klantmanager.
    _as(page, live_server, HELPER)
    page.goto(community.url)
    page.get_by_role("button", name="Join").click()
    page.goto(forum)
    page.get_by_role("link", name=QUESTION, exact=True).click()
    page.get_by_role("textbox", name="Message").fill(
        f"@{asker.handle} wij houden de jobcoach een jaar aan, betaald uit de loonkostensubsidie."
    )
    page.get_by_role("button", name="Post reply").click()
    answer = Post.objects.get(topic=topic, number=2)
    expect(page.locator(f"#bericht-{answer.number} .mention")).to_be_visible()
    assert_accessible(page)
    mention = Happening.objects.get(kind="forums.mention", target_id=str(answer.pk))
    assert mention.audience == [asker.pk]
    # … and posts something that does not belong here.
    page.get_by_role("textbox", name="Message").fill(
        "Bestel nu goedkope werkschoenen via mijn webwinkel!"
    )
    page.get_by_role("button", name="Post reply").click()
    spam = Post.objects.get(topic=topic, number=3)

    # The klantmanager accepts the answer and reports the advertisement.
    _as(page, live_server, ASKER)
    page.goto(f"{forum}{topic.pk}/ongelezen/")
    assert page.url.endswith(f"#bericht-{answer.number}")
    page.locator(f"#bericht-{answer.number}").get_by_role("button", name="Mark as answer").click()
    expect(page.locator(".site-post--answer").get_by_text("loonkostensubsidie")).to_be_visible()
    assert_accessible(page)
    page.locator(f"#bericht-{spam.number}").get_by_role("link", name="Report").click()
    page.get_by_label("Spam or advertising").check()
    page.get_by_label("Explanation for the moderators").fill("Reclame voor een webwinkel.")
    assert_accessible(page)
    page.get_by_role("button", name="Send report").click()
    assert Flag.objects.filter(post=spam, reporter=asker).exists()

    # The coordinator finds it in the moderation queue and hides it, saying why.
    _as(page, live_server, COORDINATOR)
    page.goto(forum)
    page.get_by_role("link", name="Moderation").click()
    expect(page.get_by_text("Reclame voor een webwinkel.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reason for hiding").first.fill("Reclame hoort niet in het forum.")
    page.get_by_role("button", name="Hide the message").first.click()
    spam.refresh_from_db()
    assert spam.hidden_at is not None
    assert ModerationLog.objects.filter(post=spam, action="hide").exists()

    # Members now see that a moderator hid it, not the advertisement.
    _as(page, live_server, ASKER)
    page.goto(f"{forum}{topic.pk}/")
    hidden = page.locator(f"#bericht-{spam.number}")
    expect(hidden.get_by_text("Hidden by a moderator.")).to_be_visible()
    assert page.get_by_text("goedkope werkschoenen").count() == 0
    assert_accessible(page)
