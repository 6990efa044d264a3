"""The demo courses: what the issue asks for, consistent with the rules, loaded once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from via_platform.accounts.models import User
from via_platform.learning import demo, permissions, services
from via_platform.learning.models import (
    Certificate,
    CoursePage,
    Enrolment,
    EnrolmentPolicy,
    EnrolmentState,
    LessonPage,
    SessionStepPage,
)
from via_platform.notifications.models import Happening

pytestmark = pytest.mark.django_db


def _course(slug: str) -> CoursePage:
    return CoursePage.objects.get(slug=slug)


def test_the_three_courses_of_the_letter(demo_site):
    werven = _course(demo.WERVEN.slug)
    assert werven.url == "/leren/objectief-werven-en-selecteren/"
    steps = werven.steps()
    assert len(steps) == 5 and all(isinstance(s, LessonPage) for s in steps)
    assert sum(len(s.quizzes()) for s in steps) == 2
    assert werven.enrolment == EnrolmentPolicy.OPEN

    begeleiden = _course(demo.BEGELEIDEN.slug)
    steps = begeleiden.steps()
    sessions = [s for s in steps if isinstance(s, SessionStepPage)]
    assert len(sessions) == 2 and len(steps) - len(sessions) == 3
    for session in sessions:
        assert session.event.live
        assert session.event.occurrences.filter(start__gt=timezone.now()).exists()

    leergang = _course(demo.LEERGANG.slug)
    assert leergang.enrolment == EnrolmentPolicy.COORDINATOR
    assert "D&I" in leergang.title


def test_demo_records_follow_the_completion_rules(demo_site):
    """What the demo wrote by hand is what the rules would compute."""
    for enrolment in Enrolment.objects.select_related("user", "course"):
        computed = services.course_progress(enrolment.user, enrolment.course)
        if enrolment.state == EnrolmentState.COMPLETED:
            assert computed.complete, enrolment
            assert Certificate.objects.filter(enrolment=enrolment).exists()
        else:
            assert enrolment.progress == computed.percent, enrolment
            assert not computed.complete
    werkgever = User.objects.get(email="werkgever@voorbeeld.nl")
    werven = _course(demo.WERVEN.slug)
    quiz_lesson = next(s for s in werven.steps() if s.quizzes())
    failed = services.quiz_states(werkgever, quiz_lesson)[quiz_lesson.quizzes()[0].id]
    assert failed.attempts and not failed.passed and failed.can_attempt


def test_demo_certificate_is_a_real_pdf_and_coordinators_manage_courses(demo_site):
    coordinator = User.objects.get(email="coordinator@voorbeeld.nl")
    certificate = Certificate.objects.get(enrolment__user=coordinator)
    text = PdfReader(io.BytesIO(bytes(certificate.pdf))).pages[0].extract_text()
    assert certificate.code in text and "Coby" in text
    assert certificate.organisation_name == "Diversiteit in Bedrijf"
    for spec in demo.COURSES:
        assert permissions.can_manage(coordinator, _course(spec.slug))
    werkgever = User.objects.get(email="werkgever@voorbeeld.nl")
    assert not permissions.can_manage(werkgever, _course(demo.WERVEN.slug))


def test_loading_twice_changes_nothing_and_notifies_nobody(demo_site):
    counts = (CoursePage.objects.count(), Enrolment.objects.count(), Certificate.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (
        CoursePage.objects.count(),
        Enrolment.objects.count(),
        Certificate.objects.count(),
    ) == counts
    assert not Happening.objects.filter(kind__startswith="learning.").exists()
