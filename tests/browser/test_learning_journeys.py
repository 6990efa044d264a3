"""An mkb employer takes the e-learning on objective recruitment: enrols, works through
the lessons, fails the quiz, passes it the second time, completes the course and
downloads a certificate that anyone can check. Every page type passes axe-core and the
CSP."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import axe_violations
from tests.browser.test_account_journey import log_in
from tests.learning import course, learning_index, lesson, question, quiz
from via_platform.accounts.models import Function, Profile, User
from via_platform.learning.models import Certificate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "sanne.bakker@bakkerij-bakker.example"
PASSWORD = "Objectief-werven-2026!"


def assert_accessible(page):
    assert axe_violations(page) == [], page.url
    assert page.csp_violations == [], page.url


def _employer() -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(
        email=EMAIL, password=PASSWORD, first_name="Sanne", last_name="Bakker"
    )
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    Profile.objects.update_or_create(user=user, defaults={"function": Function.WERKGEVER})
    return user


def _course():
    learning_index()
    place = course(
        "Objectief werven en selecteren",
        summary="Werven en selecteren zonder vooroordelen, voor het mkb.",
        audience="mkb-werkgevers",
    )
    lesson(place, "Waarom objectief werven", ("text", "<p>Vooroordelen kosten talent.</p>"),
           minutes=10)  # fmt: skip
    open_hiring = question("Wat is een open hiring-vacature?", [
        ("Zonder sollicitatiegesprek", True, "Klopt: wie eerst komt, krijgt de baan."),
        ("Alleen voor stagiairs", False, "Nee, open hiring is voor iedereen."),
    ])  # fmt: skip
    same_questions = question(
        "Helpt een vaste vragenlijst tegen vooroordelen?",
        [("Waar", True), ("Niet waar", False)],
        kind="true_false",
    )
    selection = quiz("Toets eerlijke selectie", [open_hiring, same_questions], pass_mark=100)
    lesson(place, "Een eerlijke selectie", ("text", "<p>Stel iedereen dezelfde vragen.</p>"),
           selection, minutes=20)  # fmt: skip
    return place


def test_employer_completes_a_course_and_downloads_the_certificate(page, live_server):
    place = _course()
    _employer()
    log_in(page, EMAIL, PASSWORD)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )

    # The course page explains the course; the employer enrols.
    page.goto(place.url)
    expect(page.get_by_role("heading", level=1, name=place.title)).to_be_visible()
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_text("You are enrolled.")).to_be_visible()
    expect(page.get_by_text("0 of 2 steps completed (0%)")).to_be_visible()
    assert_accessible(page)

    # The first lesson, then on to the lesson with the quiz.
    page.get_by_role("link", name="Continue where I was").click()
    expect(page.get_by_role("heading", level=1, name="Waarom objectief werven")).to_be_visible()
    page.get_by_role("button", name="Lesson done").click()
    expect(page.get_by_role("heading", level=1, name="Een eerlijke selectie")).to_be_visible()
    assert page.get_by_role("button", name="Lesson done").is_disabled()
    assert_accessible(page)

    # A wrong answer: not passed, with feedback on the choice and a second chance.
    page.get_by_label("Alleen voor stagiairs").check()
    page.get_by_label("Waar", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Not passed yet")).to_be_visible()
    expect(page.get_by_text("Nee, open hiring is voor iedereen.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Zonder sollicitatiegesprek").check()
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_text("You passed the quiz with 100%.")).to_be_visible()
    page.get_by_role("button", name="Lesson done").click()
    expect(page.get_by_text("Congratulations: you completed the course")).to_be_visible()

    # The dashboard lists the completed course and its certificate.
    page.goto(f"{learning_index().url}mijn/")
    expect(page.get_by_role("heading", name="Completed courses")).to_be_visible()
    assert_accessible(page)
    certificate = Certificate.objects.get(enrolment__user__email=EMAIL)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"certificaat-{certificate.code}.pdf"
    text = "".join(p.extract_text() for p in PdfReader(download.path()).pages)
    assert "Sanne Bakker" in text and place.title in text and certificate.code in text

    # Anyone with the code can check it.
    page.get_by_role("link", name="Verification page").click()
    expect(page.get_by_role("heading", level=1, name="Valid certificate")).to_be_visible()
    expect(page.get_by_text("Sanne Bakker", exact=True)).to_be_visible()
    assert_accessible(page)


def test_coordinator_pages_are_accessible(page, live_server):
    """The pages a coordinator uses every week: the course list filtered on their
    network, an in-person step, and the learners with their progress and pass rates."""
    from tests.forums import community, member
    from tests.learning import event, session_step
    from via_platform.communities.models import Role
    from via_platform.learning import services

    learning_index()
    network = community("Netwerk Inclusief begeleiden")
    place = course("Inclusief begeleiden", parent=network)
    tested = lesson(place, "Het eerste gesprek", quiz("Toets"))
    session_step(place, event("Fysieke module"), title="Fysieke module")
    coordinator = _employer()
    member(network, coordinator, role=Role.COORDINATOR)
    for number in range(3):
        learner = User.objects.create_user(email=f"leerling{number}@gemeente.example")
        services.enrol(learner, place)
        answers = {0: [1], 1: [1]} if number else {0: [0], 1: [0]}
        services.submit_quiz(learner, tested, tested.quizzes()[0].id, answers)

    log_in(page, EMAIL, PASSWORD)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.goto(f"{learning_index().url}?netwerk={network.pk}")
    expect(
        page.get_by_role("heading", name="1 course of Netwerk Inclusief begeleiden")
    ).to_be_visible()
    assert_accessible(page)
    page.goto(f"{place.url}fysieke-module/")
    expect(page.get_by_role("heading", level=1, name="Fysieke module")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{place.url}deelnemers/")
    expect(page.get_by_role("heading", name="Quiz questions")).to_be_visible()
    expect(page.get_by_role("cell", name="leerling0@gemeente.example", exact=True)).to_be_visible()
    assert_accessible(page)
