"""Coordinators author courses in Wagtail: the page types, the quiz blocks' checks and
the preview, which shows the learner's view."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from wagtail import blocks

from tests.conftest import enable_totp
from via_platform.accounts.models import User
from via_platform.communities.models import CommunityPage
from via_platform.learning import demo
from via_platform.learning.models import (
    CoursePage,
    LearningIndexPage,
    LessonProgress,
    QuestionBlock,
    VideoBlock,
)

pytestmark = pytest.mark.django_db


def _admin_client(email: str, settings) -> tuple[Client, User]:
    person = User.objects.get(email=email)
    enable_totp(person)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(person)
    return client, person


def test_coordinators_write_courses_under_leren_and_in_their_community(demo_site, settings):
    client, _person = _admin_client("coordinator@voorbeeld.nl", settings)
    index = LearningIndexPage.objects.get()
    assert client.get(f"/admin/pages/add/learning/coursepage/{index.pk}/").status_code == 200
    own = CommunityPage.objects.get(slug="intensieve-begeleiding")
    assert client.get(f"/admin/pages/add/learning/coursepage/{own.pk}/").status_code == 200
    course = CoursePage.objects.get(slug=demo.WERVEN.slug)
    response = client.get(f"/admin/pages/add/learning/lessonpage/{course.pk}/")
    assert response.status_code == 200
    assert "Pass mark (%)" in response.content.decode()  # the quiz block is offered


def test_a_member_cannot_write_courses(demo_site, settings):
    client, _person = _admin_client("werkgever@voorbeeld.nl", settings)
    index = LearningIndexPage.objects.get()
    response = client.get(f"/admin/pages/add/learning/coursepage/{index.pk}/")
    assert response.status_code in (302, 403)


def test_preview_shows_the_learners_view_and_records_nothing(demo_site, settings):
    client, coordinator = _admin_client("coordinator@voorbeeld.nl", settings)
    course = CoursePage.objects.get(slug=demo.WERVEN.slug)
    lesson = next(step for step in course.steps() if step.quizzes())
    lesson.title = "Gestructureerd selecteren (concept)"
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    request = RequestFactory().get("/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={session}")
    response = lesson.make_preview_request(request)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gestructureerd selecteren (concept)" in html
    assert lesson.quizzes()[0].value["questions"][0]["question"] in html
    assert not LessonProgress.objects.filter(user=coordinator, lesson=lesson).exists()


def test_quiz_questions_must_have_a_right_answer():
    block = QuestionBlock()

    def question(kind, *correct):
        return block.to_python(
            {
                "kind": kind,
                "question": "?",
                "answers": [{"text": f"a{i}", "correct": c, "feedback": ""}
                            for i, c in enumerate(correct)],
            }
        )  # fmt: skip

    for bad in [
        question("single", True, True),
        question("single", False, False),
        question("multiple", False, False, False),
        question("true_false", True, False, False),
    ]:
        with pytest.raises(blocks.StructBlockValidationError):
            block.clean(bad)
    assert block.clean(question("multiple", True, True, False))
    assert block.clean(question("true_false", False, True))


def test_a_video_needs_a_source_and_captions_for_a_file():
    block = VideoBlock()
    with pytest.raises(blocks.StructBlockValidationError):
        block.clean(block.to_python({"title": "Video", "transcript": "<p>Tekst</p>"}))


def test_preview_of_a_new_course_and_lesson_not_yet_saved(demo_site, settings):
    """A coordinator previews a course before it is ever published, and a lesson before
    it is saved, as Wagtail's "add page" preview does."""
    from decimal import Decimal

    from via_platform.learning.models import LessonPage

    client, _coordinator = _admin_client("coordinator@voorbeeld.nl", settings)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    request = RequestFactory().get("/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={session}")
    index = LearningIndexPage.objects.get()
    draft = CoursePage(title="Nieuwe cursus", slug="nieuwe-cursus", summary="Concept.",
                       audience="Klantmanagers", learning_goals="<p>Doel</p>",
                       hours=Decimal("1"), live=False)  # fmt: skip
    index.add_child(instance=draft)
    draft.save_revision()
    response = CoursePage.objects.get(pk=draft.pk).make_preview_request(request)
    assert response.status_code == 200 and "Nieuwe cursus" in response.content.decode()

    unsaved = LessonPage(title="Eerste les (concept)", slug="eerste-les",
                         body=[("text", "<p>Hallo</p>")])  # fmt: skip
    unsaved.depth = draft.depth + 1
    unsaved.path = draft.path + "0001"
    unsaved.set_url_path(draft)
    response = unsaved.make_preview_request(request)
    assert response.status_code == 200 and "Eerste les (concept)" in response.content.decode()
