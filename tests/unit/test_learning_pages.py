"""The course pages as visitors, learners and coordinators use them: the list under
/leren/, a course with its steps, enrolling (and being refused), lessons with quizzes
and reflection questions, completing, the dashboard, certificates (the public check and
the PDF) and the coordinators' list of learners with its export. A bare site, no demo."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.contrib.messages import get_messages

from tests.forums import community, member, person
from tests.hostile import PAYLOADS, assert_inert
from tests.learning import (
    answers_for,
    course,
    event,
    learning_index,
    lesson,
    question,
    quiz,
    session_step,
)
from via_platform.communities.models import Role
from via_platform.events import services as event_services
from via_platform.learning import services
from via_platform.learning.models import (
    Certificate,
    Enrolment,
    EnrolmentPolicy,
    EnrolmentState,
    QuizAttempt,
    Reflection,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    """Every page in English, so the tests read the msgids whatever the Dutch catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def learning():
    """A course of two lessons (the second with a quiz) and an in-person session."""
    index = learning_index()
    objectief = course("Objectief werven", summary="Werven zonder vooroordelen.")
    first = lesson(objectief, "Waarom objectief werven", minutes=10, intro="Het begin.")
    second = lesson(
        objectief,
        "Open hiring in de praktijk",
        ("text", "<p>Wat is open hiring?</p>"),
        quiz(),
        ("reflection", {"question": "Wat ga jij anders doen?", "help": "Denk aan je vacatures."}),
        minutes=20,
    )
    session = session_step(objectief, event("Terugkomdag werven"))
    return {"index": index, "course": objectief, "first": first, "second": second,
            "session": session}  # fmt: skip


def _html(response) -> str:
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _wrong(lesson_page) -> dict:
    return {f"q{i}": [str(a) for a in v] for i, v in answers_for(lesson_page, right=False).items()}


def _right(lesson_page) -> dict:
    return {f"q{i}": [str(a) for a in v] for i, v in answers_for(lesson_page).items()}


def _quiz_url(lesson_page, index: int = 0) -> str:
    return f"{lesson_page.url}toets/{lesson_page.quizzes()[index].id}/"


def _enrolled(client, place, user=None):
    user = user or person("Leerling")
    services.enrol(user, place)
    client.force_login(user)
    return user


# The list of courses -------------------------------------------------------------------


def test_index_lists_visible_courses_with_their_facts(client, learning):
    private_net = community("Besloten netwerk", members_only=True)
    course("Alleen voor leden", parent=private_net)

    html = _html(client.get(learning["index"].url))
    assert "Objectief werven" in html and "Werven zonder vooroordelen." in html
    assert "mkb-werkgevers" in html and "2.5 hours" in html
    assert re.search(r"<dt>Steps</dt><dd>3</dd>", html)
    assert "Alleen voor leden" not in html
    assert "/leren/mijn/" not in html  # for people who are logged in

    _enrolled(client, learning["course"])
    html = _html(client.get(learning["index"].url))
    assert "/leren/mijn/" in html
    assert "Enrolled" in html and "0% completed" in html


def test_private_course_is_absent_and_404_for_outsiders(client, learning):
    private_net = community("Besloten kring", members_only=True)
    secret = course("Geheime cursus", parent=private_net)
    insider = member(private_net)

    assert "Geheime cursus" not in _html(client.get(learning["index"].url))
    assert client.get(secret.url).status_code == 404
    client.force_login(person("Buiten"))
    assert "Geheime cursus" not in _html(client.get(learning["index"].url))
    assert client.get(secret.url).status_code == 404
    assert client.post(f"{secret.url}inschrijven/").status_code == 404
    client.force_login(insider)
    assert "Geheime cursus" in _html(client.get(learning["index"].url))
    assert client.get(secret.url).status_code == 200


def test_a_community_links_to_its_own_courses(client, learning):
    """The community home's "Courses" section leads to /leren/?netwerk=<id>, which lists
    that community's courses only; a network this person may not see is ignored."""
    net = community("Netwerk werkgevers Tilburg")
    course("Werven in Tilburg", parent=net)
    private_net = community("Besloten kring Tilburg", members_only=True)
    course("Besloten cursus", parent=private_net)

    home = _html(client.get(net.url))
    link = f"/leren/?netwerk={net.pk}"
    assert link in home and "Werven in Tilburg" in home
    html = _html(client.get(link))
    assert "Werven in Tilburg" in html and "Objectief werven" not in html
    assert "1 course of Netwerk werkgevers Tilburg" in html

    response = client.get(f"/leren/?netwerk={private_net.pk}")
    assert "Besloten cursus" not in _html(response)
    assert "Objectief werven" in _html(response)  # all courses instead
    assert _messages(response) == ["That network does not exist; showing all courses."]
    assert client.get("/leren/?netwerk=%3Cscript%3E").status_code == 200


# A course --------------------------------------------------------------------------------


def test_course_page_for_an_anonymous_visitor(client, learning):
    response = client.get(learning["course"].url)
    html = _html(response)
    assert response.status_code == 200
    assert "Werven zonder vooroordelen." in html and "mkb-werkgevers" in html
    assert "Objectief selecteren" in html  # the learning goals
    assert "Everyone with an account can enrol." in html
    assert "Log in to enrol" in html and "?next=/leren/objectief-werven/" in html
    assert "Waarom objectief werven" in html and "10 minutes" in html
    assert "In-person session" in html and "Terugkomdag" in html
    assert f'href="{learning["first"].url}"' not in html  # lessons open once enrolled
    assert "The lessons open once you are enrolled." in html


def test_enrol_progress_resume_and_leave(client, learning):
    objectief = learning["course"]
    user = person("Werkgever")
    client.force_login(user)
    html = _html(client.get(objectief.url))
    assert "Enrol</button>" in html

    assert client.get(f"{objectief.url}inschrijven/").status_code == 405
    response = client.post(f"{objectief.url}inschrijven/")
    assert response.status_code == 302 and response["Location"] == objectief.url
    assert Enrolment.objects.get(user=user, course=objectief).state == EnrolmentState.ACTIVE
    html = _html(client.get(objectief.url))
    assert "You are enrolled." in html
    assert "0 of 3 steps completed (0%)" in html
    assert html.count("Not started") == 2 and "Not attended yet" in html
    assert f'href="{learning["first"].url}"' in html
    assert "Continue where I was" in html and "Leave this course" in html

    response = client.get(f"{objectief.url}verder/")
    assert response.status_code == 302 and response["Location"] == learning["first"].url
    client.get(learning["first"].url)  # opening the lesson starts it
    assert "Started" in _html(client.get(objectief.url))

    response = client.post(f"{objectief.url}uitschrijven/", follow=True)
    assert "You left the course." in _html(response)
    assert Enrolment.objects.get(user=user).state == EnrolmentState.LEFT
    assert "Enrol again" in _html(response)
    assert client.get(f"{objectief.url}verder/")["Location"] == objectief.url


def test_enrol_needs_login(client, learning):
    response = client.post(f"{learning['course'].url}inschrijven/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert not Enrolment.objects.exists()


def test_enrolment_refusals_are_explained(client, learning):
    net = community("Netwerk werkgevers")
    for_members = course("Voor leden", parent=net, enrolment=EnrolmentPolicy.MEMBERS)
    by_coordinator = course("Op uitnodiging", enrolment=EnrolmentPolicy.COORDINATOR)
    advanced = course("Gevorderd werven")
    advanced.prerequisites.add(learning["course"])
    advanced.save()
    user = person("Nieuw")
    client.force_login(user)

    html = _html(client.get(for_members.url))
    assert "This course is for members of Netwerk werkgevers." in html
    assert "Enrol</button>" not in html
    response = client.post(f"{for_members.url}inschrijven/")
    assert "This course is for members of Netwerk werkgevers." in _messages(response)[0]

    html = _html(client.get(by_coordinator.url))
    assert "The coordinator enrols the participants of this course." in html
    assert "Enrol</button>" not in html
    client.post(f"{by_coordinator.url}inschrijven/")

    html = _html(client.get(advanced.url))
    assert "Complete these courses first: Objectief werven." in html
    assert "not completed yet" in html and f'href="{learning["course"].url}"' in html
    response = client.post(f"{advanced.url}inschrijven/", follow=True)
    assert "Complete these courses first" in _html(response)
    assert not Enrolment.objects.filter(user=user).exists()

    member(net, user)
    client.post(f"{for_members.url}inschrijven/")
    assert Enrolment.objects.filter(user=user, course=for_members).exists()


# Lessons ---------------------------------------------------------------------------------


def test_lessons_and_sessions_are_for_learners(client, learning):
    objectief, first = learning["course"], learning["first"]
    for step in (first, learning["session"]):
        response = client.get(step.url)
        assert response.status_code == 302 and response["Location"] == objectief.url
    client.force_login(person("Nieuwsgierig"))
    response = client.get(first.url, follow=True)
    assert response.redirect_chain == [(objectief.url, 302)]
    assert "Enrol to take this lesson." in _html(response)
    response = client.get(learning["session"].url, follow=True)
    assert "Enrol to take part in this session." in _html(response)
    response = client.post(_quiz_url(learning["second"]), _right(learning["second"]))
    assert response.status_code == 302 and response["Location"] == objectief.url
    assert not QuizAttempt.objects.exists()

    # Someone who manages the course sees the lesson, without recording anything.
    client.force_login(person("Beheer", is_superuser=True))
    html = _html(client.get(learning["second"].url))
    assert "You see this lesson because you manage the course." in html
    assert "Send my answers" not in html and "Lesson done" not in html


def test_lesson_page_shows_blocks_navigation_and_progress(client, learning):
    second = learning["second"]
    _enrolled(client, learning["course"])
    html = _html(client.get(second.url))
    assert "Wat is open hiring?" in html
    assert "<legend" in html and 'type="radio"' in html and 'name="q1"' in html
    assert "Choose one answer." in html and "pass mark 50%" in html
    assert "Send my answers" in html
    assert re.search(r'<button[^>]*type="submit" disabled aria-describedby="complete-help"', html)
    assert "Pass the quiz first: Toets." in html
    assert "Wat ga jij anders doen?" in html and "Only you can read your answer." in html
    assert f'rel="prev" href="{learning["first"].url}"' in html
    assert f'rel="next" href="{learning["session"].url}"' in html
    assert "0 of 3 steps completed (0%)" in html
    assert 'aria-current="page"' in html


def test_quiz_fail_retake_and_pass(client, learning):
    second = learning["second"]
    quiz_id = second.quizzes()[0].id
    _enrolled(client, learning["course"])

    response = client.post(_quiz_url(second), _wrong(second))
    assert response.status_code == 302
    assert response["Location"] == f"{second.url}#quiz-{quiz_id}"
    assert "You scored 0%; 50% is needed to pass." in _messages(response)
    html = _html(client.get(second.url))
    assert "Not passed yet" in html and "your score is 0%" in html
    assert "Not right." in html and "Nee, voor iedereen." in html  # feedback on the choice
    assert "1 attempt used." in html and "Try again" in html

    response = client.post(_quiz_url(second), _right(second), follow=True)
    html = _html(response)
    assert "You passed the quiz with 100%." in html
    assert "Passed</strong>" in html and "Right." in html and "Klopt." in html
    assert "Try again" not in html and "Send my answers" not in html
    assert "Pass the quiz first" not in html
    assert list(QuizAttempt.objects.values_list("number", "passed")) == [(1, False), (2, True)]

    for data in (_right(second), {"q0": "0"}):
        response = client.post(_quiz_url(second), data, follow=True)
        assert "You already passed this quiz." in _html(response)
    assert QuizAttempt.objects.count() == 2


def test_a_failed_practice_quiz_lets_the_lesson_be_finished(client, learning):
    practice = quiz("Oefentoets")
    practice[1]["must_pass"] = False
    tested = lesson(learning["course"], "Oefenen", practice)
    _enrolled(client, learning["course"])

    html = _html(client.get(tested.url))
    assert "A practice quiz: any attempt completes it" in html
    client.post(_quiz_url(tested), _wrong(tested))
    html = _html(client.get(tested.url))
    assert "Not passed yet" in html and "Pass the quiz first" not in html
    response = client.post(f"{tested.url}afronden/", follow=True)
    assert "Lesson done." in _html(response)


def test_unanswered_or_garbled_answers_record_nothing(client, learning):
    checks = lesson(
        learning["course"],
        "Meerdere antwoorden",
        quiz(questions=[
            question("Welke helpen?", [("Vaste vragen", True), ("Onderbuik", False),
                                       ("Open hiring", True)], kind="multiple"),
            question("Is een cv nodig?", [("Ja", False), ("Nee", True)], kind="true_false"),
        ]),
    )  # fmt: skip
    _enrolled(client, learning["course"])

    response = client.post(_quiz_url(checks), {"q0": ["0", "2"]})
    html = _html(response)
    assert response.status_code == 400
    assert "Answer every question." in html and "Answer this question." in html
    assert re.search(r'name="q0" value="0" checked', html)
    assert re.search(r'name="q0" value="2" checked', html)
    assert not re.search(r'name="q0" value="1" checked', html)
    assert 'type="checkbox"' in html

    response = client.post(_quiz_url(checks), {"q0": ["9"], "q1": ["x"]})
    assert response.status_code == 400
    assert "Some answers could not be read" in _html(response)
    response = client.post(_quiz_url(checks), {"q0": ["0"], "q1": ["0", "1"]})
    assert response.status_code == 400  # two answers to a true-or-false question
    assert not QuizAttempt.objects.exists()

    response = client.post(f"{checks.url}toets/{'0' * 8}-0000-0000-0000-{'0' * 12}/", {"q0": "0"})
    assert response.status_code == 302
    assert "This quiz no longer exists; reload the lesson." in _messages(response)
    assert client.get(_quiz_url(checks)).status_code == 405


def test_attempt_limit(client, learning):
    strict = lesson(learning["course"], "Strenge toets", quiz(max_attempts=1))
    _enrolled(client, learning["course"])
    client.post(_quiz_url(strict), _wrong(strict))
    html = _html(client.get(strict.url))
    assert "1 attempt allowed" in html
    assert "Attempts used: 1 of 1 (0 left)." in html
    assert "You have used all your attempts. Ask the coordinator of the course." in html
    assert "Try again" not in html

    response = client.post(_quiz_url(strict), _right(strict), follow=True)
    assert "You have used all your attempts." in _html(response)
    assert QuizAttempt.objects.count() == 1


def test_reflections_are_saved_for_the_learner_only(client, learning):
    second = learning["second"]
    block_id = next(c.id for c in second.body if c.block_type == "reflection")
    url = f"{second.url}reflectie/{block_id}/"
    author = _enrolled(client, learning["course"])

    response = client.post(url, {"text": "Ik schrap de eis van een cv."})
    assert response.status_code == 302 and response["Location"].endswith(f"#reflection-{block_id}")
    assert "Saved; only you can read this." in _messages(response)
    assert "Ik schrap de eis van een cv." in _html(client.get(second.url))

    too_long = "x" * 5001
    response = client.post(url, {"text": too_long})
    assert response.status_code == 400 and too_long in _html(response)
    assert Reflection.objects.get(user=author).text == "Ik schrap de eis van een cv."

    response = client.post(f"{second.url}reflectie/{'0' * 8}-0000-0000-0000-{'0' * 12}/",
                           {"text": "Weg"})  # fmt: skip
    assert "This question no longer exists; reload the lesson." in _messages(response)

    _enrolled(client, learning["course"])
    assert "Ik schrap de eis van een cv." not in _html(client.get(second.url))


def test_reflections_stay_inert(client, learning):
    second = learning["second"]
    block_id = next(c.id for c in second.body if c.block_type == "reflection")
    _enrolled(client, learning["course"])
    for payload in PAYLOADS:
        client.post(f"{second.url}reflectie/{block_id}/", {"text": payload})
        assert_inert(_html(client.get(second.url)))


def test_completing_lessons_and_the_course(client, learning):
    objectief, first, second = learning["course"], learning["first"], learning["second"]
    session = learning["session"]
    user = _enrolled(client, objectief)

    response = client.post(f"{first.url}afronden/")
    assert response.status_code == 302 and response["Location"] == second.url
    assert "Lesson done." in _messages(response)

    response = client.post(f"{second.url}afronden/", follow=True)
    assert "Pass the quiz first: Toets." in _html(response)
    client.post(_quiz_url(second), _right(second))
    response = client.post(f"{second.url}afronden/")
    assert response["Location"] == session.url
    html = _html(client.get(session.url))
    assert "Your attendance has not been recorded yet." in html
    assert "Terugkomdag werven" in html and session.event.url in html
    assert "2 of 3 steps completed (67%)" in html

    # They register for the session; at the door they are marked present, which
    # completes the course.
    registration = event_services.register(user, session.event.occurrences.get())
    assert "You are registered." in _html(client.get(session.url))
    event_services.set_attendance(person("Redactie", is_superuser=True), registration, True)
    html = _html(client.get(session.url))
    assert "Your attendance is recorded: this step is done." in html
    html = _html(client.get(objectief.url))
    certificate = Certificate.objects.get(enrolment__user=user)
    assert "You completed this course" in html and "3 of 3 steps completed (100%)" in html
    assert f"/leren/certificaat/{certificate.code}/pdf/" in html
    assert "Leave this course" not in html


def test_completing_the_last_lesson_congratulates(client):
    short = course("Korte cursus")
    only = lesson(short, "Enige les")
    user = _enrolled(client, short)
    response = client.post(f"{only.url}afronden/", follow=True)
    assert response.redirect_chain[-1][0] == short.url
    assert "Congratulations: you completed the course “Korte cursus”." in _html(response)
    assert Enrolment.objects.get(user=user).state == EnrolmentState.COMPLETED


def test_changed_quiz_asks_for_the_lesson_again(client, learning):
    second = learning["second"]
    _enrolled(client, learning["course"])
    client.post(_quiz_url(second), _right(second))
    client.post(f"{second.url}afronden/")
    body = list(second.body.raw_data)
    quiz_block = next(b for b in body if b["type"] == "quiz")
    quiz_block["value"]["pass_mark"] = 100
    second.body = body
    second.save_revision().publish()
    html = _html(client.get(learning["course"].url))
    assert "Changed: do it again" in html
    assert "This lesson changed after you completed it." in _html(client.get(second.url))


# Dashboard and certificates --------------------------------------------------------------


def _completed(user, place) -> Certificate:
    enrolment = services.enrol(user, place)
    return services.complete(enrolment)


def test_dashboard(client, learning):
    assert "/account/login/" in client.get(f"{learning['index'].url}mijn/")["Location"]
    user = person("Fatima", "El Amrani")
    services.enrol(user, learning["course"])
    certificate = _completed(user, course("Afgeronde cursus"))
    left = course("Verlaten cursus")
    services.enrol(user, left)
    services.leave(user, left)
    client.force_login(user)

    html = _html(client.get(f"{learning['index'].url}mijn/"))
    assert "Courses I am taking" in html and "Objectief werven" in html
    assert f"{learning['course'].url}verder/" in html
    assert "Completed courses" in html and "Afgeronde cursus" in html
    assert f"/leren/certificaat/{certificate.code}/pdf/" in html
    assert f"/leren/certificaat/{certificate.code}/" in html
    assert "Courses I left" in html and "Verlaten cursus" in html
    assert html.count("<progress") == 2


def test_dashboard_queries_do_not_grow_with_courses(client, learning):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = person("Veel", "Cursussen")
    services.enrol(user, learning["course"])
    _completed(user, course("Eerste afgerond"))
    client.force_login(user)
    url = f"{learning['index'].url}mijn/"
    client.get(url)  # warm caches (site root paths)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(4):
        services.enrol(user, course(f"Extra cursus {number}"))
        _completed(user, course(f"Extra afgerond {number}"))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), (len(few), len(many))


def test_certificate_verification(client, learning):
    user = person("Fatima", "El Amrani")
    certificate = _completed(user, learning["course"])
    url = f"{learning['index'].url}certificaat/{certificate.code}/"

    response = client.get(url)
    html = _html(response)
    assert response.status_code == 200
    assert "Valid certificate" in html and "Fatima El Amrani" in html
    assert "Objectief werven" in html and "2.5 hours" in html and "Programma VIA" in html
    assert '<meta name="robots" content="noindex">' in html
    assert client.get(url.lower()).status_code == 200

    response = client.get(f"{learning['index'].url}certificaat/ABCD-EFGH-JK23/")
    html = _html(response)
    assert response.status_code == 404
    assert "No certificate has the code ABCD-EFGH-JK23." in html
    assert "Fatima" not in html and '<meta name="robots" content="noindex">' in html


def test_certificate_pdf_for_owner_and_managers_only(client, learning):
    net = community("Netwerk met cursus")
    place = course("Cursus in netwerk", parent=net)
    coordinator = member(net, role=Role.COORDINATOR)
    owner = person("Eigenaar")
    certificate = _completed(owner, place)
    url = f"{learning['index'].url}certificaat/{certificate.code}/pdf/"

    assert "/account/login/" in client.get(url)["Location"]
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="certificaat-{certificate.code}.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    client.force_login(person("Ander"))
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    assert client.get(f"{learning['index'].url}certificaat/ABCD-EFGH-JK23/pdf/").status_code == 404


# Coordinators ----------------------------------------------------------------------------


@pytest.fixture
def managed():
    net = community("Netwerk intensieve begeleiding")
    place = course("Begeleiden met aandacht", parent=net)
    lesson(place, "Eerste les", quiz())
    coordinator = member(net, role=Role.COORDINATOR)
    anna = person("Anna", "Jansen")
    bram = person("=HYPERLINK", "Bram")
    services.enrol(anna, place)
    services.enrol(bram, place)
    return {"net": net, "course": place, "coordinator": coordinator, "anna": anna, "bram": bram}


def test_learners_page_is_for_managers_only(client, managed):
    place = managed["course"]
    for suffix in ("deelnemers/", "deelnemers/export/csv/"):
        response = client.get(f"{place.url}{suffix}")
        assert response.status_code == 302 and "/account/login/" in response["Location"]
    client.force_login(managed["anna"])
    for suffix in ("deelnemers/", "deelnemers/export/csv/"):
        assert client.get(f"{place.url}{suffix}").status_code == 403
    enrolment = Enrolment.objects.get(user=managed["bram"])
    response = client.post(f"{place.url}deelnemers/", {"action": "complete",
                                                       "enrolment": enrolment.pk})  # fmt: skip
    assert response.status_code == 403
    assert not Certificate.objects.exists()

    hidden = community("Stil netwerk", hidden=True)
    secret = course("Stille cursus", parent=hidden)
    client.force_login(person("Buiten"))
    assert client.get(f"{secret.url}deelnemers/").status_code == 404
    client.logout()
    assert client.get(f"{secret.url}deelnemers/").status_code == 404


def test_learners_page_figures_and_manual_completion(client, managed):
    place = managed["course"]
    first = place.steps()[0]
    services.submit_quiz(managed["anna"], first, first.quizzes()[0].id, answers_for(first))
    client.force_login(managed["coordinator"])

    html = _html(client.get(f"{place.url}deelnemers/"))
    assert "2 taking the course, 0 completed, 0 left." in html
    assert "Anna Jansen" in html and managed["bram"].email in html
    assert "Wat is een open hiring-vacature?" in html and "100%" in html
    assert "<caption" in html and 'scope="row"' in html
    assert html.count("Complete by hand") == 2

    enrolment = Enrolment.objects.get(user=managed["anna"])
    data = {"action": "complete", "enrolment": enrolment.pk}
    response = client.post(f"{place.url}deelnemers/", data, follow=True)
    certificate = Certificate.objects.get(enrolment=enrolment)
    html = _html(response)
    assert f"Anna Jansen has completed the course; certificate {certificate.code} is" in html
    assert f"{certificate.code}</code>" in html
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.COMPLETED
    assert enrolment.completed_by == managed["coordinator"]
    assert html.count("Complete by hand") == 1

    for bad in ({"action": "complete", "enrolment": "abc"}, {"action": "complete"},
                {"action": "complete", "enrolment": 999999}, {"action": "iets"}):  # fmt: skip
        response = client.post(f"{place.url}deelnemers/", bad, follow=True)
        assert response.status_code == 200
    assert Certificate.objects.count() == 1


def test_coordinator_enrols_someone_by_email(client, managed):
    from allauth.account.models import EmailAddress

    place = managed["course"]
    verified = person("Chris", "de Vries")
    EmailAddress.objects.create(user=verified, email=verified.email, verified=True, primary=True)
    unverified = person("Dana")
    EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False)
    client.force_login(managed["coordinator"])
    url = f"{place.url}deelnemers/"

    for typed in ("niemand@example.org", unverified.email, "geen adres"):
        response = client.post(url, {"action": "enrol", "email": typed})
        html = _html(response)
        assert response.status_code == 400
        assert f'value="{typed}"' in html
        assert "No account with a verified address has this email address." in html or (
            "Enter a valid email address." in html
        )
    response = client.post(url, {"action": "enrol", "email": verified.email.upper()}, follow=True)
    assert "Chris de Vries is enrolled." in _html(response)
    enrolment = Enrolment.objects.get(user=verified, course=place)
    assert enrolment.enrolled_by == managed["coordinator"]
    response = client.post(url, {"action": "enrol", "email": verified.email}, follow=True)
    assert "Chris de Vries is enrolled already." in _html(response)


def test_learners_csv(client, managed):
    place = managed["course"]
    certificate = services.complete(Enrolment.objects.get(user=managed["anna"]))
    client.force_login(managed["coordinator"])
    response = client.get(f"{place.url}deelnemers/export/csv/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="deelnemers-begeleiden-met-aandacht.csv"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["Name", "Email address", "Organisation", "Enrolled", "Progress (%)",
                       "Last activity", "State", "Certificate"]  # fmt: skip
    by_email = {row[1]: row for row in rows[1:]}
    anna = by_email[managed["anna"].email]
    assert anna[0] == "Anna Jansen" and anna[6] == "Completed" and anna[7] == certificate.code
    bram = by_email[managed["bram"].email]
    assert bram[0].startswith("'=") and bram[6] == "Enrolled" and bram[7] == ""


# Query budgets -----------------------------------------------------------------------------

COURSE_PAGE_QUERIES = 25
LESSON_PAGE_QUERIES = 28


def test_course_and_lesson_page_query_budgets(client, learning, django_assert_max_num_queries):
    objectief, second = learning["course"], learning["second"]
    user = _enrolled(client, objectief)
    client.post(_quiz_url(second), _wrong(second))
    for number in range(4):
        lesson(objectief, f"Extra les {number}", quiz(f"Toets {number}"))
    services.recompute(Enrolment.objects.get(user=user))
    client.get(objectief.url)  # warm caches (site root paths)
    with django_assert_max_num_queries(COURSE_PAGE_QUERIES):
        assert client.get(objectief.url).status_code == 200
    with django_assert_max_num_queries(LESSON_PAGE_QUERIES):
        assert client.get(second.url).status_code == 200


def test_index_query_count_does_not_grow_with_courses(client, learning):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = _enrolled(client, learning["course"])
    client.get(learning["index"].url)
    with CaptureQueriesContext(connection) as few:
        client.get(learning["index"].url)
    for number in range(4):
        extra = course(f"Nog een cursus {number}")
        lesson(extra, f"Les {number}")
        services.enrol(user, extra)
    with CaptureQueriesContext(connection) as many:
        assert client.get(learning["index"].url).status_code == 200
    assert len(many) == len(few), (len(few), len(many))
