"""The learning rules without HTTP: when a course is complete (lessons, quizzes,
in-person sessions), what an edit to a course does to people's progress, certificates
issued exactly once and only when earned, who may enrol, who sees a course, the
notices learners get, and their data."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from cms.visibility import findable_pages
from tests.conftest import run_at_once
from tests.forums import community, member, person
from tests.learning import answers_for, course, event, lesson, question, quiz, session_step
from via_platform.accounts import privacy
from via_platform.accounts.models import Profile
from via_platform.communities.models import Role
from via_platform.events import services as events
from via_platform.learning import permissions, services
from via_platform.learning.models import (
    Certificate,
    CoursePage,
    Enrolment,
    EnrolmentPolicy,
    EnrolmentState,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    Reflection,
)
from via_platform.learning.services import LearningError
from via_platform.notifications.models import Happening
from via_platform.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def happenings(kind: str) -> list[Happening]:
    return list(Happening.objects.filter(kind=kind).order_by("pk"))


def audiences(kind: str) -> list[list[int]]:
    return [h.audience for h in happenings(kind)]


def enrolment(user, page):
    return Enrolment.objects.get(user=user, course=page)


def pass_quizzes(user, page: LessonPage) -> None:
    for index, block in enumerate(page.quizzes()):
        services.submit_quiz(user, page, block.id, answers_for(page, index))


def finish(user, page: LessonPage):
    """Pass the lesson's quizzes and complete it, as a learner would."""
    pass_quizzes(user, page)
    return services.complete_lesson(user, page)


def republish(page: LessonPage, change) -> LessonPage:
    """Publish a new revision whose body is the current one (block ids kept) after
    `change(raw_blocks)`, as an editor saving in the admin does."""
    draft = page.get_latest_revision_as_object()
    raw = copy.deepcopy(list(draft.body.raw_data))
    change(raw)
    draft.body = raw
    draft.save_revision().publish()
    return LessonPage.objects.get(pk=page.pk)


def organisation(name: str) -> Organisation:
    slug = name.lower().replace(" ", "-")
    return Organisation.objects.create(name=name, slug=slug, kind="gemeente", approved=True)


@pytest.fixture
def editor(db):
    """Manages agenda events (and everything else)."""
    return person("Eva", "Redacteur", is_staff=True, is_superuser=True)


# Completion ------------------------------------------------------------------------


def test_a_course_completes_only_when_every_live_lesson_is_done_with_its_quiz_passed():
    page = course()
    intro = lesson(page, "Introductie")
    tested = lesson(page, "Selecteren", ("text", "<p>Vaste vragen.</p>"), quiz())
    draft = lesson(page, "Nog in de maak")
    draft.unpublish()  # not live: not a step
    sanne = person("Sanne", "de Boer")

    mine = services.enrol(sanne, page)
    assert (mine.state, mine.progress) == (EnrolmentState.ACTIVE, 0)

    progress = services.complete_lesson(sanne, intro)
    assert (progress.percent, progress.complete) == (50, False)
    assert progress.next_step().pk == tested.pk
    mine.refresh_from_db()
    assert (mine.state, mine.progress, mine.completed_at) == (EnrolmentState.ACTIVE, 50, None)
    with pytest.raises(LearningError):
        services.complete_lesson(sanne, tested)  # the quiz was not passed
    assert not Certificate.objects.exists()
    assert happenings(services.COMPLETED) == []
    assert permissions.enrolment_for(sanne, page).state == EnrolmentState.ACTIVE  # cached

    progress = finish(sanne, tested)

    assert progress.complete and progress.percent == 100
    mine.refresh_from_db()
    assert (mine.state, mine.progress, mine.completed_by) == (EnrolmentState.COMPLETED, 100, None)
    assert mine.completed_at is not None
    certificate = Certificate.objects.get()
    assert certificate.enrolment == mine
    assert (certificate.learner_name, certificate.course_title) == ("Sanne de Boer", page.title)
    assert certificate.hours == page.hours
    assert certificate.completed_on == timezone.localdate(mine.completed_at)
    assert certificate.pdf is None  # the worker renders it after the commit
    # What this request shows next (the view asks `enrolment_for`) is not stale.
    assert permissions.enrolment_for(sanne, page).state == EnrolmentState.COMPLETED
    [completed] = happenings(services.COMPLETED)
    assert completed.audience == [sanne.pk] and completed.target == mine


def test_a_failed_attempt_keeps_the_lesson_open_and_a_passing_retake_completes_it():
    page = course()
    tested = lesson(page, "Selecteren", quiz(pass_mark=100))
    sanne = person()
    services.enrol(sanne, page)
    quiz_id = tested.quizzes()[0].id

    half = {0: [0], 1: [1]}  # first right, second wrong
    failed = services.submit_quiz(sanne, tested, quiz_id, half)
    assert (failed.number, failed.score, failed.passed, failed.right) == (
        1,
        50,
        False,
        [True, False],
    )
    with pytest.raises(LearningError):
        services.complete_lesson(sanne, tested)
    assert LessonProgress.objects.get(user=sanne, lesson=tested).completed_at is None
    assert enrolment(sanne, page).state == EnrolmentState.ACTIVE

    retake = services.submit_quiz(sanne, tested, quiz_id, answers_for(tested))
    assert (retake.number, retake.score, retake.passed) == (2, 100, True)
    assert services.complete_lesson(sanne, tested).complete
    assert enrolment(sanne, page).state == EnrolmentState.COMPLETED


def test_after_the_allowed_attempts_a_further_attempt_is_refused_and_records_nothing():
    page = course()
    tested = lesson(page, "Selecteren", quiz(max_attempts=2))
    sanne = person()
    services.enrol(sanne, page)
    quiz_id = tested.quizzes()[0].id
    wrong = answers_for(tested, right=False)

    services.submit_quiz(sanne, tested, quiz_id, wrong)
    assert services.quiz_states(sanne, tested)[quiz_id].attempts_left == 1
    services.submit_quiz(sanne, tested, quiz_id, wrong)
    state = services.quiz_states(sanne, tested)[quiz_id]
    assert (state.attempts_left, state.can_attempt) == (0, False)

    with pytest.raises(LearningError):
        services.submit_quiz(sanne, tested, quiz_id, answers_for(tested))  # even a right one
    assert QuizAttempt.objects.filter(user=sanne).count() == 2
    with pytest.raises(LearningError):
        services.complete_lesson(sanne, tested)
    assert enrolment(sanne, page).progress == 0


def test_a_failed_attempt_at_a_practice_quiz_counts_towards_completion():
    """A quiz that need not be passed (a self-test) is done once attempted, failed or
    not; a quiz that must be passed next to it still holds the lesson open."""
    page = course()
    practice = quiz("Zelftest")
    practice[1]["must_pass"] = False
    tested = lesson(page, "Selecteren", practice, quiz("Eindtoets"))
    sanne = person()
    services.enrol(sanne, page)
    self_test, final = (block.id for block in tested.quizzes())

    attempt = services.submit_quiz(sanne, tested, self_test, answers_for(tested, 0, right=False))
    assert not attempt.passed
    assert services.quiz_states(sanne, tested)[self_test].done
    with pytest.raises(LearningError, match="Eindtoets"):
        services.complete_lesson(sanne, tested)
    services.submit_quiz(sanne, tested, final, answers_for(tested, 1))
    assert services.complete_lesson(sanne, tested).complete
    assert enrolment(sanne, page).state == EnrolmentState.COMPLETED
    assert Certificate.objects.filter(enrolment__user=sanne).count() == 1


def test_a_passed_quiz_cannot_be_attempted_again():
    page = course()
    tested = lesson(page, "Selecteren", quiz(), quiz("Tweede toets"))
    sanne = person()
    services.enrol(sanne, page)
    first = tested.quizzes()[0].id

    services.submit_quiz(sanne, tested, first, answers_for(tested))
    with pytest.raises(LearningError):
        services.submit_quiz(sanne, tested, first, answers_for(tested, right=False))
    assert QuizAttempt.objects.filter(user=sanne).count() == 1
    with pytest.raises(LearningError):  # the second quiz of the lesson is still open
        services.complete_lesson(sanne, tested)


def test_quiz_answers_are_refused_when_unreadable_and_read_from_form_strings():
    page = course()
    tested = lesson(page, "Selecteren", quiz())
    sanne = person()
    services.enrol(sanne, page)
    quiz_id = tested.quizzes()[0].id

    with pytest.raises(LearningError):
        services.submit_quiz(sanne, tested, quiz_id, {"0": ["eerste"]})
    with pytest.raises(LearningError):
        services.submit_quiz(sanne, tested, "0" * 36, answers_for(tested))  # no such quiz
    assert not QuizAttempt.objects.exists()

    # A form posts strings; they mean the same answers.
    attempt = services.submit_quiz(sanne, tested, quiz_id, {"0": ["0"], "1": ["0"]})
    assert attempt.passed and attempt.answers == {"0": [0], "1": [0]}


MULTIPLE = question(
    "Wat helpt bij objectief werven?",
    [("Vaste vragen", True), ("Een gevoel", False), ("Een scorekaart", True)],
    kind="multiple",
)
TRUE_FALSE = question("Open hiring vraagt geen cv.", [("Waar", True), ("Niet waar", False)],
                      kind="true_false")  # fmt: skip


@pytest.mark.parametrize(
    ("question_value", "chosen", "right"),
    [
        (MULTIPLE, [0, 2], True),
        (MULTIPLE, [2, 0], True),
        (MULTIPLE, [0], False),  # one right answer missing
        (MULTIPLE, [0, 1, 2], False),  # and a wrong one added
        (MULTIPLE, [], False),
        (TRUE_FALSE, [0], True),
        (TRUE_FALSE, [1], False),
        (TRUE_FALSE, [0, 1], False),
    ],
)
def test_a_question_is_right_only_with_exactly_the_right_answers(question_value, chosen, right):
    page = course()
    tested = lesson(page, "Selecteren", quiz(questions=[question_value], pass_mark=100))
    sanne = person()
    services.enrol(sanne, page)

    attempt = services.submit_quiz(sanne, tested, tested.quizzes()[0].id, {0: chosen})

    assert attempt.right == [right]
    assert (attempt.score, attempt.passed) == ((100, True) if right else (0, False))


def test_the_pass_mark_is_the_share_of_questions_answered_right():
    page = course()
    three = [MULTIPLE, TRUE_FALSE, TRUE_FALSE]
    tested = lesson(page, "Selecteren", quiz(questions=three, pass_mark=67))
    sanne, pieter = person(), person()
    for learner in (sanne, pieter):
        services.enrol(learner, page)
    quiz_id = tested.quizzes()[0].id

    two_of_three = services.submit_quiz(sanne, tested, quiz_id, {0: [0, 2], 1: [0], 2: [1]})
    one_of_three = services.submit_quiz(pieter, tested, quiz_id, {0: [0], 1: [0], 2: [1]})

    assert (two_of_three.score, two_of_three.passed) == (67, True)
    assert (one_of_three.score, one_of_three.passed) == (33, False)


# In-person sessions ---------------------------------------------------------------


def test_a_session_step_is_done_once_the_event_manager_marks_the_learner_present(editor):
    meetup = event()
    page = course()
    preparation = lesson(page, "Voorbereiding")
    session_step(page, meetup)
    sanne = person()
    services.enrol(sanne, page)
    services.complete_lesson(sanne, preparation)
    registration = events.register(sanne, meetup.occurrences.get())

    assert enrolment(sanne, page).progress == 50  # registered is not attended
    with pytest.raises(PermissionDenied):
        events.set_attendance(sanne, registration, True)  # not by the learner
    events.set_attendance(editor, registration, False)
    mine = enrolment(sanne, page)
    assert (mine.state, mine.progress) == (EnrolmentState.ACTIVE, 50)
    assert not Certificate.objects.exists()

    events.set_attendance(editor, registration, True)

    mine = enrolment(sanne, page)
    assert (mine.state, mine.progress) == (EnrolmentState.COMPLETED, 100)
    assert Certificate.objects.get().enrolment == mine
    assert audiences(services.COMPLETED) == [[sanne.pk]]
    # Marked absent afterwards: the completed course stays completed.
    events.set_attendance(editor, registration, False)
    assert enrolment(sanne, page).state == EnrolmentState.COMPLETED


def test_attendance_counts_only_for_the_sessions_event_and_a_correction_takes_it_back(editor):
    meetup, other = event(), event("Andere bijeenkomst", days=9)
    page = course()
    step = session_step(page, meetup)
    lesson(page, "Nabespreking")
    sanne = person()
    services.enrol(sanne, page)
    elsewhere = events.register(sanne, other.occurrences.get())
    events.set_attendance(editor, elsewhere, True)
    assert enrolment(sanne, page).progress == 0

    registration = events.register(sanne, meetup.occurrences.get())
    events.set_attendance(editor, registration, True)
    assert enrolment(sanne, page).progress == 50
    assert services.course_progress(sanne, page).steps[0].page.pk == step.pk
    assert services.course_progress(sanne, page).steps[0].done

    events.set_attendance(editor, registration, False)  # marked present by mistake
    assert enrolment(sanne, page).progress == 0
    assert not services.course_progress(sanne, page).steps[0].done


# Edits to a course after people enrolled -----------------------------------------


def test_editing_a_lessons_text_keeps_everyones_progress():
    page = course()
    tested = lesson(page, "Selecteren", ("text", "<p>Vaste vragen.</p>"), quiz())
    lesson(page, "Afsluiting")
    sanne = person()
    services.enrol(sanne, page)
    finish(sanne, tested)

    def fix_typo(raw):
        raw[0]["value"] = "<p>Vaste vragen, voor iedereen dezelfde.</p>"

    edited = republish(tested, fix_typo)
    assert services.refresh_course(page.pk) == 1

    assert "voor iedereen dezelfde" in str(edited.body[0].value)
    [done, _open] = services.course_progress(sanne, page).steps
    assert (done.done, done.changed) == (True, False)
    assert enrolment(sanne, page).progress == 50


def test_a_changed_quiz_asks_for_that_lesson_again_with_the_new_quiz_passed():
    page = course()
    tested = lesson(page, "Selecteren", ("text", "<p>Vaste vragen.</p>"), quiz())
    lesson(page, "Afsluiting")
    sanne = person()
    services.enrol(sanne, page)
    finish(sanne, tested)
    assert enrolment(sanne, page).progress == 50

    def new_right_answer(raw):
        answers = raw[1]["value"]["questions"][0]["value"]["answers"]
        answers[0]["value"]["correct"], answers[1]["value"]["correct"] = False, True

    changed = republish(tested, new_right_answer)
    services.refresh_course(page.pk)

    step = services.course_progress(sanne, page).steps[0]
    assert (step.started, step.done, step.changed) == (True, False, True)
    assert enrolment(sanne, page).progress == 0
    state = services.quiz_states(sanne, changed)[changed.quizzes()[0].id]
    assert (state.passed, state.attempts) == (False, [])  # earlier attempts were another quiz
    with pytest.raises(LearningError):
        services.complete_lesson(sanne, changed)

    finish(sanne, changed)

    step = services.course_progress(sanne, page).steps[0]
    assert (step.done, step.changed) == (True, False)
    assert enrolment(sanne, page).progress == 50


def test_a_new_lesson_lowers_progress_of_active_learners_only():
    page = course()
    first, second = lesson(page, "Eerste les"), lesson(page, "Tweede les")
    sanne, pieter = person(), person()
    for learner in (sanne, pieter):
        services.enrol(learner, page)
        services.complete_lesson(learner, first)
    services.complete_lesson(sanne, second)
    code = Certificate.objects.get().code
    assert enrolment(pieter, page).progress == 50

    lesson(page, "Derde les")
    assert services.refresh_course(page.pk) == 1  # only the active learner

    assert enrolment(pieter, page).progress == 33
    completed = enrolment(sanne, page)
    assert (completed.state, completed.progress) == (EnrolmentState.COMPLETED, 100)
    assert Certificate.objects.get().code == code
    assert Certificate.objects.get().enrolment == completed


def test_unpublishing_the_only_unfinished_lesson_completes_the_course_on_refresh():
    page = course()
    first, last = lesson(page, "Eerste les"), lesson(page, "Laatste les")
    pieter = person()
    services.enrol(pieter, page)
    services.complete_lesson(pieter, first)
    assert not Certificate.objects.exists()

    last.unpublish()
    services.refresh_course(page.pk)

    mine = enrolment(pieter, page)
    assert (mine.state, mine.progress) == (EnrolmentState.COMPLETED, 100)
    assert Certificate.objects.get().enrolment == mine


# Certificates: exactly once, and only when earned ----------------------------------


def test_completing_and_recomputing_again_issue_no_second_certificate():
    page = course()
    only = lesson(page, "Enige les")
    sanne = person()
    services.enrol(sanne, page)
    services.complete_lesson(sanne, only)
    mine = enrolment(sanne, page)
    issued = Certificate.objects.get()

    assert services.complete(mine).pk == issued.pk
    assert services.complete(mine).pk == issued.pk
    services.recompute(mine)
    services.recompute(mine)
    services.complete_lesson(sanne, only)

    assert Certificate.objects.get().pk == issued.pk
    assert len(happenings(services.COMPLETED)) == 1


def test_a_coordinator_completes_an_enrolment_by_hand():
    place = community("Inclusief werkgeven")
    coordinator = member(place, role=Role.COORDINATOR)
    Profile.objects.update_or_create(
        user=coordinator, defaults={"organisation": organisation("Gemeente Utrecht")}
    )
    page = course(parent=place, enrolment=EnrolmentPolicy.MEMBERS)
    lesson(page, "Nog niet gedaan")
    sanne = member(place)
    mine = services.enrol(sanne, page)

    certificate = services.complete(mine, by=coordinator)

    mine.refresh_from_db()
    assert (mine.state, mine.completed_by) == (EnrolmentState.COMPLETED, coordinator)
    assert certificate.organisation_name == "Gemeente Utrecht"
    [completed] = happenings(services.COMPLETED)
    assert (completed.audience, completed.actor) == ([sanne.pk], coordinator)


def test_the_certificate_names_the_courses_issuer_before_the_coordinators_organisation():
    place = community("Inclusief werkgeven")
    coordinator = member(place, role=Role.COORDINATOR)
    Profile.objects.update_or_create(
        user=coordinator, defaults={"organisation": organisation("Gemeente Utrecht")}
    )
    page = course(parent=place, issuer=organisation("UWV Midden-Utrecht"))
    lesson(page, "Les")
    by_hand, by_lessons = member(place), member(place)
    services.enrol(by_hand, page)
    services.enrol(by_lessons, page)

    assert services.complete(enrolment(by_hand, page), by=coordinator).organisation_name == (
        "UWV Midden-Utrecht"
    )
    services.complete_lesson(by_lessons, LessonPage.objects.get())
    assert enrolment(by_lessons, page).certificate.organisation_name == "UWV Midden-Utrecht"


def _bare_site():
    """transactional_db empties every table, Wagtail's locale, root and site included."""
    from cms.models import HomePage

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePage.objects.first() or root.add_child(
        instance=HomePage(title="Home", slug="home-learning")
    )
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)


def test_completing_from_several_requests_at_once_issues_one_certificate(transactional_db):
    """Double clicks on "lesson done" in two tabs, the coordinator completing by hand
    and the worker refreshing the course, all at the same moment. Each thread has its
    own connection; the enrolment row lock (PostgreSQL) or IMMEDIATE transactions
    (SQLite) serialise them."""
    _bare_site()
    page = course()
    first, last = lesson(page, "Eerste les"), lesson(page, "Laatste les", quiz())
    sanne = person()
    services.enrol(sanne, page)
    services.complete_lesson(sanne, first)
    pass_quizzes(sanne, last)
    mine = enrolment(sanne, page)

    def work(number):
        if number % 3 == 0:
            return services.complete_lesson(sanne, last).complete
        if number % 3 == 1:
            return services.complete(Enrolment.objects.get(pk=mine.pk)).pk
        return services.refresh_course(page.pk) in (0, 1)

    results = run_at_once(work, list(range(9)))

    certificate = Certificate.objects.get()
    assert results == [True, certificate.pk, True] * 3
    assert certificate.enrolment_id == mine.pk
    assert enrolment(sanne, page).state == EnrolmentState.COMPLETED
    assert len(happenings(services.COMPLETED)) == 1

    # The same person enrolling in five tabs at once: one enrolment, one notice.
    other = course("Vervolgcursus")
    results = run_at_once(lambda _: services.enrol(sanne, other).pk, list(range(5)))
    assert len(set(results)) == 1
    assert len(happenings(services.ENROLLED)) == 2  # both courses, once each


# Enrolment -------------------------------------------------------------------------


def test_enrolling_in_an_open_course_twice_is_one_enrolment_and_one_notice():
    page = course()
    sanne = person()

    first = services.enrol(sanne, page)
    again = services.enrol(sanne, page)

    assert first.pk == again.pk
    assert Enrolment.objects.filter(user=sanne).count() == 1
    [enrolled] = happenings(services.ENROLLED)
    assert (enrolled.audience, enrolled.target, enrolled.title) == ([sanne.pk], first, page.title)
    assert permissions.is_learner(sanne, page)


def test_a_members_course_is_for_members_of_its_community():
    place = community("Werkfit in de regio")
    page = course(parent=place, enrolment=EnrolmentPolicy.MEMBERS)
    outsider, insider = person(), member(place)

    assert services.enrol_refusal(outsider, page)
    with pytest.raises(LearningError):
        services.enrol(outsider, page)
    assert not Enrolment.objects.filter(user=outsider).exists()

    assert services.enrol_refusal(insider, page) is None
    assert services.enrol(insider, page).state == EnrolmentState.ACTIVE


def test_a_coordinator_course_is_enrolled_by_its_coordinator():
    place = community("Werkfit in de regio")
    coordinator, plain = member(place, role=Role.COORDINATOR), member(place)
    page = course(parent=place, enrolment=EnrolmentPolicy.COORDINATOR)
    sanne = member(place)

    with pytest.raises(LearningError):
        services.enrol(sanne, page)
    with pytest.raises(PermissionDenied):
        services.enrol(sanne, page, by=plain)
    assert not Enrolment.objects.filter(user=sanne).exists()

    mine = services.enrol(sanne, page, by=coordinator)

    assert (mine.state, mine.enrolled_by) == (EnrolmentState.ACTIVE, coordinator)
    [enrolled] = happenings(services.ENROLLED)
    assert (enrolled.audience, enrolled.actor) == ([sanne.pk], coordinator)
    # Enrolled now, asking again changes nothing and is no error.
    assert services.enrol(sanne, page).pk == mine.pk
    assert len(happenings(services.ENROLLED)) == 1


def test_prerequisites_block_enrolment_until_they_are_completed():
    basics = course("Basis inclusief werven")
    only = lesson(basics, "Basisles")
    follow_up = course("Verdieping inclusief werven")
    follow_up.prerequisites.set([basics])
    follow_up.save_revision().publish()
    preview = follow_up.get_latest_revision_as_object()  # what an editor's preview shows
    follow_up = CoursePage.objects.get(pk=follow_up.pk)
    sanne = person()
    assert services.missing_prerequisites(sanne, preview) == [basics]
    assert list(permissions.visible_to(sanne, preview.prerequisites.all())) == [basics]

    with pytest.raises(LearningError, match="Basis inclusief werven"):
        services.enrol(sanne, follow_up)
    services.enrol(sanne, basics)
    assert services.missing_prerequisites(sanne, follow_up) == [basics]  # enrolled is not done
    with pytest.raises(LearningError):
        services.enrol(sanne, follow_up)

    services.complete_lesson(sanne, only)

    assert services.missing_prerequisites(sanne, follow_up) == []
    assert services.enrol(sanne, follow_up).state == EnrolmentState.ACTIVE


def test_leaving_keeps_progress_for_when_the_learner_comes_back():
    page = course()
    first, second = lesson(page, "Eerste les"), lesson(page, "Tweede les", quiz())
    sanne = person()
    mine = services.enrol(sanne, page)
    services.complete_lesson(sanne, first)

    services.leave(sanne, page)

    assert enrolment(sanne, page).state == EnrolmentState.LEFT
    assert not permissions.is_learner(sanne, page)
    with pytest.raises(PermissionDenied):
        services.submit_quiz(sanne, second, second.quizzes()[0].id, answers_for(second))
    with pytest.raises(PermissionDenied):
        services.complete_lesson(sanne, first)

    again = services.enrol(sanne, page)

    assert again.pk == mine.pk
    assert (again.state, again.progress) == (EnrolmentState.ACTIVE, 50)
    assert permissions.is_learner(sanne, page)
    assert finish(sanne, second).complete


# Who sees and manages a course ---------------------------------------------------


def test_a_course_in_a_members_only_community_is_hidden_from_outsiders():
    place = community("Besloten netwerk", members_only=True)
    coordinator, insider = member(place, role=Role.COORDINATOR), member(place)
    closed = course("Besloten cursus", parent=place)
    closed_lesson = lesson(closed, "Besloten les")
    public = course("Open cursus")
    public_lesson = lesson(public, "Les van de open cursus")
    outsider, anonymous = person(), AnonymousUser()

    for nobody in (outsider, anonymous):
        assert not permissions.can_view(nobody, closed)
        assert list(permissions.visible_to(nobody)) == [public]
        findable = set(findable_pages(nobody).values_list("pk", flat=True))
        assert closed.pk not in findable and public.pk in findable
        assert not permissions.can_manage(nobody, closed)
    with pytest.raises(LearningError):
        services.enrol(outsider, closed)

    for someone in (coordinator, insider):
        assert permissions.can_view(someone, closed)
        assert set(permissions.visible_to(someone)) == {closed, public}
        assert closed.pk in set(findable_pages(someone).values_list("pk", flat=True))

    # Lessons are for learners; never found by search or listed in the sitemap.
    for anyone in (anonymous, outsider, insider, coordinator):
        findable = set(findable_pages(anyone).values_list("pk", flat=True))
        assert not findable & {closed_lesson.pk, public_lesson.pk}
    # The site search (cms.views) filters the same way inside the search backend.
    found = {page.pk for page in findable_pages(anonymous).specific().search("cursus")}
    assert public.pk in found and not found & {closed.pk, closed_lesson.pk, public_lesson.pk}
    found = {page.pk for page in findable_pages(insider).specific().search("besloten")}
    assert closed.pk in found and closed_lesson.pk not in found

    assert permissions.can_manage(coordinator, closed)
    assert not permissions.can_manage(insider, closed)
    assert permissions.can_take(coordinator, closed)
    assert not permissions.can_take(insider, closed)  # not enrolled yet
    services.enrol(insider, closed)
    assert permissions.can_take(insider, closed)


# Notices ---------------------------------------------------------------------------


def test_a_quiet_learner_is_reminded_once_per_quiet_spell():
    page = course()
    first = lesson(page, "Eerste les")
    lesson(page, "Tweede les")
    quiet, busy, done = person(), person(), person()
    for learner in (quiet, busy, done):
        services.enrol(learner, page)
    services.complete(enrolment(done, page))
    now = timezone.now()
    for learner, days in ((quiet, 15), (busy, 3), (done, 30)):
        Enrolment.objects.filter(user=learner).update(last_activity_at=now - timedelta(days=days))

    assert services.send_reminders(now) == 1
    [reminder] = happenings(services.REMINDER)
    assert reminder.audience == [quiet.pk]
    assert reminder.url == page.url + "verder/"
    assert services.send_reminders(now) == 0
    assert services.send_reminders(now + timedelta(hours=1)) == 0

    services.touch(quiet, first)  # back at it, then quiet again for two weeks
    assert services.send_reminders() == 0
    later = timezone.now() + timedelta(days=15)
    assert services.send_reminders(later) == 2  # the busy one is quiet by now too
    assert sorted(audiences(services.REMINDER)[1:]) == [[quiet.pk], [busy.pk]]
    assert services.send_reminders(later) == 0


# Privacy ---------------------------------------------------------------------------


def test_export_contains_the_learning_record_and_forgetting_removes_what_names_the_person():
    page = course()
    tested = lesson(
        page, "Selecteren",
        ("reflection", {"question": "Wat neem je mee naar je eigen werving?", "help": ""}),
        quiz(),
    )  # fmt: skip
    block_id = tested.body[0].id
    sanne, pieter = person(), person()
    for learner in (sanne, pieter):
        services.enrol(learner, page)
        services.save_reflection(learner, tested, block_id, f"Mijn plan, {learner.first_name}.")
    services.submit_quiz(sanne, tested, tested.quizzes()[0].id, answers_for(tested, right=False))
    finish(sanne, tested)
    finish(pieter, tested)
    with pytest.raises(LearningError):
        services.save_reflection(sanne, tested, "0" * 36, "Bestaat niet.")
    code = enrolment(sanne, page).certificate.code

    [record] = services.export_learning(sanne)
    assert privacy.export_user_data(sanne)["learning"] == [record]

    assert (record["course"], record["state"], record["progress"]) == (
        page.title, EnrolmentState.COMPLETED, 100,
    )  # fmt: skip
    assert record["certificate"] == code
    assert [(a["lesson"], a["passed"]) for a in record["quiz_attempts"]] == [
        ("Selecteren", False),
        ("Selecteren", True),
    ]
    assert record["reflections"] == [{"lesson": "Selecteren", "text": "Mijn plan, Test."}]

    services.forget_learning(sanne)

    assert not Reflection.objects.filter(user=sanne).exists()
    assert not Certificate.objects.filter(enrolment__user=sanne).exists()
    assert Reflection.objects.filter(user=pieter).exists()
    assert Certificate.objects.filter(enrolment__user=pieter).exists()
