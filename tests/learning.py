"""Shared setup for the learning tests: courses, lessons and quizzes on a bare site.

People and communities come from tests.forums (`person`, `member`, `community`).
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from wagtail.models import Page, Site

from via_platform.learning.models import (
    CoursePage,
    LearningIndexPage,
    LessonPage,
    SessionStepPage,
)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def site_root():
    """The default site's root page. A transactional test that ran before may have
    flushed the database, Wagtail's own rows included; then a home page is made."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page
    from cms.models import HomePage
    from via_platform.demo.management.commands.seed_demo import Command

    Command.ensure_wagtail_roots()
    home = HomePage(title="VIA Leernetwerken", slug="home-test", intro="Test.")
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                        site_name="VIA Leernetwerken")  # fmt: skip
    return home


def learning_index() -> LearningIndexPage:
    index = LearningIndexPage.objects.first()
    if index is None:
        root = site_root()
        index = LearningIndexPage(title="Leren", slug="leren", intro="E-learning.")
        root.add_child(instance=index)
        index.save_revision().publish()
    return index


def course(title: str = "Objectief werven", *, parent=None, **fields) -> CoursePage:
    """A published course under /leren/ (or under `parent`, e.g. a community)."""
    defaults = {
        "slug": _slug(title),
        "summary": f"Over {title}.",
        "audience": "mkb-werkgevers",
        "learning_goals": "<ul><li>Objectief selecteren</li></ul>",
        "hours": Decimal("2.5"),
    }
    page = CoursePage(title=title, **{**defaults, **fields})
    (parent or learning_index()).add_child(instance=page)
    page.save_revision().publish()
    return CoursePage.objects.get(pk=page.pk)


def question(text: str, answers, kind: str = "single") -> dict:
    """answers: [(text, correct)] or [(text, correct, feedback)]."""
    return {
        "kind": kind,
        "question": text,
        "answers": [
            {"text": a[0], "correct": a[1], "feedback": a[2] if len(a) > 2 else ""} for a in answers
        ],
    }


def quiz(title: str = "Toets", questions=None, pass_mark: int = 50, max_attempts: int = 0):
    """A quiz block value; by default two single-choice questions (answer 0 is right)."""
    questions = questions or [
        question("Wat is een open hiring-vacature?", [("Zonder sollicitatiegesprek", True,
                 "Klopt."), ("Alleen voor stagiairs", False, "Nee, voor iedereen.")]),
        question("Helpt een vaste vragenlijst tegen vooroordelen?", [("Ja", True),
                 ("Nee", False)], kind="true_false"),
    ]  # fmt: skip
    return ("quiz", {"title": title, "intro": "", "pass_mark": pass_mark,
                     "max_attempts": max_attempts, "questions": questions})  # fmt: skip


def lesson(parent: CoursePage, title: str, *blocks, **fields) -> LessonPage:
    blocks = blocks or (("text", f"<p>De inhoud van {title}.</p>"),)
    page = LessonPage(title=title, slug=_slug(title), body=list(blocks), **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return LessonPage.objects.get(pk=page.pk)


def session_step(parent: CoursePage, event, title: str = "Terugkomdag") -> SessionStepPage:
    page = SessionStepPage(title=title, slug=_slug(title), event=event,
                           description="<p>Oefenen met casussen.</p>")  # fmt: skip
    parent.add_child(instance=page)
    page.save_revision().publish()
    return SessionStepPage.objects.get(pk=page.pk)


def event(title: str = "Terugkomdag Inclusief begeleiden", days: int = 7, **fields):
    """A published single event under a bare /agenda/, with its one date."""
    from via_platform.events.models import AgendaIndexPage, EventPage
    from via_platform.events.services import sync_occurrences

    agenda = AgendaIndexPage.objects.first()
    if agenda is None:
        root = site_root()
        agenda = AgendaIndexPage(title="Agenda", slug="agenda")
        root.add_child(instance=agenda)
        agenda.save_revision().publish()
    start = timezone.now() + timedelta(days=days)
    page = EventPage(title=title, slug=_slug(title), summary="Fysieke module.", start=start,
                     end=start + timedelta(hours=3), event_type="training", **fields)  # fmt: skip
    agenda.add_child(instance=page)
    page.save_revision().publish()
    page = EventPage.objects.get(pk=page.pk)
    sync_occurrences(page)
    return page


def answers_for(lesson_page: LessonPage, quiz_index: int = 0, right: bool = True) -> dict:
    """{question index: [answer indexes]}: all right, or all wrong."""
    value = lesson_page.quizzes()[quiz_index].value
    chosen = {}
    for index, q in enumerate(value["questions"]):
        correct = [i for i, a in enumerate(q["answers"]) if a["correct"]]
        wrong = [i for i, a in enumerate(q["answers"]) if not a["correct"]][:1]
        chosen[index] = correct if right else wrong
    return chosen
