"""Everything that changes a learner's record: enrolling, starting and completing
lessons, quiz attempts, reflections, course completion and certificates.

Completion rules (`course_progress`): every live lesson completed with its current
quizzes passed, and every in-person session attended. A course that is complete is
completed once, with one certificate; a coordinator may complete an enrolment by hand,
which issues one too. The enrolment row is locked while an attempt is counted or a
course completed, so two tabs or a double click never add an attempt beyond the limit
or a second certificate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from via_platform.events.models import Registration, RegistrationState
from via_platform.learning import permissions
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
    SessionStepPage,
)
from via_platform.notifications.services import notify

ENROLLED = "learning.enrolled"
REMINDER = "learning.reminder"
COMPLETED = "learning.completed"
CERTIFICATE_READY = "learning.certificate_ready"

REMIND_AFTER = timedelta(days=14)


class LearningError(Exception):
    """Something the learner can fix or should be told; the message is for them."""


# Enrolment ---------------------------------------------------------------------------


def _profile_organisation(user):
    profile = getattr(user, "profile", None)
    return profile.organisation if profile is not None else None


def missing_prerequisites(user, course: CoursePage) -> list[CoursePage]:
    # By id: on a page object built from a revision (a preview) the relation is an
    # in-memory list, without .live().
    ids = [prerequisite.pk for prerequisite in course.prerequisites.all()]
    required = list(CoursePage.objects.filter(pk__in=ids).live().order_by("title"))
    if not required:
        return []
    done = set(
        Enrolment.objects.filter(
            user=user, course__in=required, state=EnrolmentState.COMPLETED
        ).values_list("course_id", flat=True)
    )
    return [prerequisite for prerequisite in required if prerequisite.pk not in done]


def enrol_refusal(user, course: CoursePage) -> str | None:
    """Why this person may not enrol themselves, or None when they may."""
    from via_platform.communities import permissions as community_permissions

    if not permissions.can_view(user, course):
        return _("This course does not exist.")
    if course.enrolment == EnrolmentPolicy.COORDINATOR:
        return _("The coordinator enrols the participants of this course.")
    if course.enrolment == EnrolmentPolicy.MEMBERS and not community_permissions.is_member(
        user, course.community
    ):
        return _("This course is for members of %(community)s. Join the community first.") % {
            "community": course.community.title
        }
    missing = missing_prerequisites(user, course)
    if missing:
        return _("Complete these courses first: %(courses)s.") % {
            "courses": ", ".join(c.title for c in missing)
        }
    return None


def enrol(user, course: CoursePage, by=None) -> Enrolment:
    """Enrol (again); idempotent. `by` is the coordinator enrolling someone else."""
    if by is not None:
        if not permissions.can_manage(by, course):
            raise PermissionDenied
    else:
        current = (
            Enrolment.objects.filter(user=user, course=course)
            .exclude(state=EnrolmentState.LEFT)
            .first()
        )
        if current is not None:
            # Asking again (a double click, a coordinator-only course the coordinator
            # enrolled them in, a prerequisite added since) changes nothing.
            return current
        refusal = enrol_refusal(user, course)
        if refusal:
            raise LearningError(refusal)
    now = timezone.now()
    with transaction.atomic():
        enrolment, created = Enrolment.objects.select_for_update().get_or_create(
            user=user,
            course=course,
            defaults={"enrolled_at": now, "last_activity_at": now, "enrolled_by": by},
        )
        if not created and enrolment.state == EnrolmentState.LEFT:
            enrolment.state = EnrolmentState.ACTIVE
            enrolment.last_activity_at = now
            enrolment.reminded_at = None
            enrolment.save(update_fields=["state", "last_activity_at", "reminded_at"])
            created = True
        if created:
            notify(
                ENROLLED, target=enrolment, title=course.title, url=course.url,
                audience=[user.pk], actor=by,
            )  # fmt: skip
    permissions.forget_cached_enrolment(user, course)
    if created:
        recompute(enrolment)
    return enrolment


def leave(user, course: CoursePage) -> None:
    """Leave a course; progress is kept for when the person comes back."""
    Enrolment.objects.filter(user=user, course=course, state=EnrolmentState.ACTIVE).update(
        state=EnrolmentState.LEFT
    )
    permissions.forget_cached_enrolment(user, course)


# Progress ----------------------------------------------------------------------------


@dataclass
class StepStatus:
    page: object  # LessonPage or SessionStepPage (specific)
    started: bool = False
    done: bool = False
    # For lessons: completed before its quizzes changed, so it must be done again.
    changed: bool = False


@dataclass
class CourseProgress:
    steps: list[StepStatus] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for step in self.steps if step.done)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.steps)) if self.steps else 0

    @property
    def complete(self) -> bool:
        return bool(self.steps) and all(step.done for step in self.steps)

    def next_step(self):
        """Where to resume: the first step not done (or the last one)."""
        for step in self.steps:
            if not step.done:
                return step.page
        return self.steps[-1].page if self.steps else None


def attended_events(user, event_ids) -> set[int]:
    return set(
        Registration.objects.filter(
            user=user,
            occurrence__event_id__in=event_ids,
            state=RegistrationState.REGISTERED,
            attended=True,
        ).values_list("occurrence__event_id", flat=True)
    )


def course_progress(user, course: CoursePage, steps: list | None = None) -> CourseProgress:
    """Each live step with whether this person started and finished it (3 queries)."""
    steps = course.steps() if steps is None else steps
    lessons = [step for step in steps if isinstance(step, LessonPage)]
    progress = {
        row.lesson_id: row
        for row in LessonProgress.objects.filter(user=user, lesson__in=[s.pk for s in lessons])
    }
    sessions = [step for step in steps if isinstance(step, SessionStepPage)]
    attended = attended_events(user, [s.event_id for s in sessions]) if sessions else set()
    result = CourseProgress()
    for step in steps:
        if isinstance(step, LessonPage):
            row = progress.get(step.pk)
            completed = row is not None and row.completed_at is not None
            current = completed and row.fingerprint == step.requirement_fingerprint()
            result.steps.append(
                StepStatus(step, started=row is not None, done=current,
                           changed=completed and not current)
            )  # fmt: skip
        else:
            result.steps.append(StepStatus(step, started=True, done=step.event_id in attended))
    return result


def recompute(enrolment: Enrolment, steps: list | None = None) -> CourseProgress:
    """Store the enrolment's progress; complete the course when every step is done."""
    progress = course_progress(enrolment.user, enrolment.course, steps)
    if enrolment.progress != progress.percent:
        Enrolment.objects.filter(pk=enrolment.pk).update(progress=progress.percent)
        enrolment.progress = progress.percent
    if progress.complete and enrolment.state == EnrolmentState.ACTIVE:
        complete(enrolment)
    return progress


def touch(user, lesson: LessonPage) -> LessonProgress:
    """The learner opened a lesson: mark it started and remember where they are."""
    now = timezone.now()
    row, _created = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"started_at": now}
    )
    Enrolment.objects.filter(user=user, course_id=lesson.get_parent().pk).update(
        last_lesson=lesson, last_activity_at=now
    )
    return row


def _enrolment_locked(user, lesson: LessonPage) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(user=user, course_id=lesson.get_parent().pk)
        .exclude(state=EnrolmentState.LEFT)
        .first()
    )
    if enrolment is None:
        raise PermissionDenied
    enrolment.user = user  # the caller's object, whose cached enrolment complete() drops
    return enrolment


# Quizzes -----------------------------------------------------------------------------


@dataclass
class QuizState:
    quiz: object  # the StreamChild
    attempts: list[QuizAttempt]
    passed: bool
    attempts_left: int | None  # None: no limit

    @property
    def last(self) -> QuizAttempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def can_attempt(self) -> bool:
        return not self.passed and (self.attempts_left is None or self.attempts_left > 0)

    @property
    def practice(self) -> bool:
        return not self.quiz.value.get("must_pass", True)

    @property
    def done(self) -> bool:
        """Does this quiz stand in the way of completing its lesson no more? Passed; or,
        for a practice quiz, attempted at all (a failed attempt counts too)."""
        return self.passed or (self.practice and bool(self.attempts))


def quiz_states(user, lesson: LessonPage) -> dict[str, QuizState]:
    """Per quiz block id: this person's attempts since the quiz last changed."""
    fingerprint = lesson.requirement_fingerprint()
    attempts: dict[str, list[QuizAttempt]] = {}
    for attempt in QuizAttempt.objects.filter(user=user, lesson=lesson, fingerprint=fingerprint):
        attempts.setdefault(attempt.quiz_id, []).append(attempt)
    states = {}
    for quiz in lesson.quizzes():
        mine = attempts.get(quiz.id, [])
        limit = quiz.value["max_attempts"] or None
        states[quiz.id] = QuizState(
            quiz=quiz,
            attempts=mine,
            passed=any(a.passed for a in mine),
            attempts_left=None if limit is None else max(0, limit - len(mine)),
        )
    return states


def grade(quiz_value, answers: dict[int, list[int]]) -> tuple[list[bool], int]:
    """Per question whether the chosen answers are exactly the right ones; the score."""
    chosen = {int(k): {int(i) for i in v} for k, v in answers.items()}
    right = []
    for index, question in enumerate(quiz_value["questions"]):
        correct = {i for i, a in enumerate(question["answers"]) if a["correct"]}
        right.append(chosen.get(index, set()) == correct)
    score = round(100 * sum(right) / len(right)) if right else 0
    return right, score


def submit_quiz(user, lesson: LessonPage, quiz_id: str, answers: dict[int, list[int]]):
    """Record an attempt and return it. Raises LearningError when no attempt is left or
    the quiz was passed already."""
    quiz = next((q for q in lesson.quizzes() if q.id == quiz_id), None)
    if quiz is None:
        raise LearningError(_("This quiz no longer exists; reload the lesson."))
    try:
        answers = {int(k): sorted({int(i) for i in v}) for k, v in answers.items()}
    except (TypeError, ValueError):
        raise LearningError(_("These answers cannot be read; reload the lesson.")) from None
    fingerprint = lesson.requirement_fingerprint()
    with transaction.atomic():
        enrolment = _enrolment_locked(user, lesson)
        state = quiz_states(user, lesson)[quiz_id]
        if state.passed:
            raise LearningError(_("You already passed this quiz."))
        if not state.can_attempt:
            raise LearningError(
                _("You have used all your attempts. Ask the coordinator of the course.")
            )
        right, score = grade(quiz.value, answers)
        now = timezone.now()
        attempt = QuizAttempt.objects.create(
            user=user,
            lesson=lesson,
            quiz_id=quiz_id,
            fingerprint=fingerprint,
            number=len(state.attempts) + 1,
            answers={str(k): v for k, v in answers.items()},
            right=right,
            score=score,
            passed=score >= quiz.value["pass_mark"],
            created_at=now,
        )
        LessonProgress.objects.get_or_create(user=user, lesson=lesson, defaults={"started_at": now})
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson, last_activity_at=now)
    return attempt


def complete_lesson(user, lesson: LessonPage) -> CourseProgress:
    """Mark a lesson done; every quiz in it must be passed first (a practice quiz only
    attempted)."""
    states = quiz_states(user, lesson)
    open_quizzes = [s.quiz.value["title"] for s in states.values() if not s.done]
    if open_quizzes:
        raise LearningError(
            _("Pass the quiz first: %(quizzes)s.") % {"quizzes": ", ".join(open_quizzes)}
        )
    now = timezone.now()
    with transaction.atomic():
        enrolment = _enrolment_locked(user, lesson)
        row, _created = LessonProgress.objects.get_or_create(
            user=user, lesson=lesson, defaults={"started_at": now}
        )
        row.completed_at = now
        row.fingerprint = lesson.requirement_fingerprint()
        row.save(update_fields=["completed_at", "fingerprint"])
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson, last_activity_at=now)
        enrolment.last_activity_at = now
        return recompute(enrolment)


def save_reflection(user, lesson: LessonPage, block_id: str, text: str) -> Reflection:
    if not any(c.id == block_id for c in lesson.body if c.block_type == "reflection"):
        raise LearningError(_("This question no longer exists; reload the lesson."))
    reflection, _created = Reflection.objects.update_or_create(
        user=user, lesson=lesson, block_id=block_id, defaults={"text": text}
    )
    return reflection


def reflections(user, lesson: LessonPage) -> dict[str, str]:
    return dict(Reflection.objects.filter(user=user, lesson=lesson).values_list("block_id", "text"))


# Completion and certificates -----------------------------------------------------------


def complete(enrolment: Enrolment, by=None) -> Certificate:
    """Complete the enrolment and issue its certificate, both exactly once. `by` is a
    coordinator completing it by hand (their right is checked by the caller)."""
    from via_platform.learning import tasks

    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        existing = Certificate.objects.filter(enrolment=locked).first()
        if existing is not None:
            _completed(enrolment, locked)
            return existing
        now = timezone.now()
        course = locked.course
        user = locked.user
        locked.state = EnrolmentState.COMPLETED
        locked.completed_at = now
        locked.completed_by = by
        locked.save(update_fields=["state", "completed_at", "completed_by"])
        issuer = course.issuer or (_profile_organisation(by) if by is not None else None)
        certificate = Certificate.objects.create(
            enrolment=locked,
            learner_name=user.get_full_name() or user.email,
            course_title=course.title,
            hours=course.hours,
            organisation_name=issuer.name if issuer is not None else "Programma VIA",
            completed_on=timezone.localdate(now),
            issued_at=now,
        )
        notify(
            COMPLETED, target=locked, title=course.title, url=course.url,
            audience=[user.pk], actor=by,
        )  # fmt: skip
        transaction.on_commit(lambda: tasks.render_certificate.delay(certificate.pk))
    _completed(enrolment, locked)
    return certificate


def _completed(enrolment: Enrolment, locked: Enrolment) -> None:
    """Bring the caller's copy up to date, and drop the enrolment cached on the caller's
    user object (not on `locked.user`, a fresh object nobody else holds)."""
    enrolment.state, enrolment.completed_at = locked.state, locked.completed_at
    enrolment.completed_by_id = locked.completed_by_id
    permissions.forget_cached_enrolment(enrolment.user, enrolment.course)


def render_certificate(certificate_id: int) -> Certificate | None:
    """Write the certificate's PDF once; tell the learner it is ready."""
    from via_platform.learning.certificates import certificate_pdf

    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update()
            .select_related("enrolment__course", "enrolment__user")
            .filter(pk=certificate_id)
            .first()
        )
        if certificate is None or certificate.pdf:
            return certificate
        certificate.pdf = certificate_pdf(certificate)
        certificate.generated_at = timezone.now()
        certificate.save(update_fields=["pdf", "generated_at"])
        course = certificate.enrolment.course
        notify(
            CERTIFICATE_READY, target=certificate, title=course.title,
            url=certificate_url(certificate), audience=[certificate.enrolment.user_id],
        )  # fmt: skip
    return certificate


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    """The stored PDF; rendered now when the worker has not got to it yet."""
    if not certificate.pdf:
        certificate = render_certificate(certificate.pk)
    return bytes(certificate.pdf)


def certificate_url(certificate: Certificate) -> str:
    from via_platform.learning.models import LearningIndexPage

    index = LearningIndexPage.objects.live().first()
    base = index.url if index is not None else "/leren/"
    return f"{base}certificaat/{certificate.code}/"


def on_attendance(sender, registration: Registration, **kwargs) -> None:
    """A coordinator marked someone present (their session steps may now be done) or,
    correcting a mistake, absent (progress goes down again; a completed course stays
    completed)."""
    step_paths = SessionStepPage.objects.filter(
        event_id=registration.occurrence.event_id
    ).values_list("path", flat=True)
    course_paths = {step_path[: -SessionStepPage.steplen] for step_path in step_paths}
    for enrolment in Enrolment.objects.filter(
        user_id=registration.user_id, course__path__in=course_paths, state=EnrolmentState.ACTIVE
    ).select_related("course", "user"):
        recompute(enrolment)


def refresh_course(course_id: int) -> int:
    """After an edit: recompute every active enrolment (chunked); returns how many."""
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        return 0
    steps = course.steps()
    count = 0
    enrolments = Enrolment.objects.filter(course=course, state=EnrolmentState.ACTIVE)
    for enrolment in enrolments.select_related("user", "course").iterator(chunk_size=500):
        recompute(enrolment, steps)
        count += 1
    return count


def on_page_published(sender, instance=None, **kwargs) -> None:
    """A course or one of its steps was published, unpublished or deleted (Wagtail
    unpublishes a live page before deleting it): recompute its learners' progress."""
    from via_platform.learning import tasks

    course_id = instance.pk if isinstance(instance, CoursePage) else instance.get_parent().pk
    transaction.on_commit(lambda: tasks.refresh_course.delay(course_id))


# Reminders ---------------------------------------------------------------------------


def send_reminders(now: datetime | None = None) -> int:
    """Remind learners who made no progress for two weeks; once per quiet spell."""
    now = now or timezone.now()
    quiet = Enrolment.objects.filter(
        state=EnrolmentState.ACTIVE, last_activity_at__lt=now - REMIND_AFTER
    ).select_related("course")
    sent = 0
    for enrolment in quiet.iterator(chunk_size=500):
        if enrolment.reminded_at is not None and enrolment.reminded_at > enrolment.last_activity_at:
            continue
        course_url = enrolment.course.url
        if course_url is None:  # the course is no longer routable (unpublished)
            continue
        # The claim and the notice commit together: a failing notice leaves the
        # enrolment unclaimed for the next run.
        with transaction.atomic():
            claimed = (
                Enrolment.objects.filter(pk=enrolment.pk, reminded_at=enrolment.reminded_at)
                .exclude(last_activity_at__gte=now - REMIND_AFTER)
                .update(reminded_at=now)
            )
            if claimed:
                notify(
                    REMINDER, target=enrolment, title=enrolment.course.title,
                    url=course_url + "verder/", audience=[enrolment.user_id],
                )  # fmt: skip
                sent += 1
    return sent


# Notification checks ------------------------------------------------------------------


def about_own_enrolment(user, enrolment: Enrolment) -> bool:
    return enrolment.user_id == user.pk and permissions.can_view(user, enrolment.course)


def about_own_certificate(user, certificate: Certificate) -> bool:
    return certificate.enrolment.user_id == user.pk


def users_who_enrolled(users: QuerySet) -> QuerySet:
    return users.filter(enrolments__state__in=[EnrolmentState.ACTIVE, EnrolmentState.COMPLETED])


# Coordinators ------------------------------------------------------------------------


def learners(course: CoursePage) -> QuerySet:
    return (
        Enrolment.objects.filter(course=course)
        .select_related("user__profile__organisation", "certificate", "completed_by")
        .order_by("user__last_name", "user__first_name", "user__email")
    )


DISTRIBUTION = [(0, 0), (1, 25), (26, 50), (51, 75), (76, 99), (100, 100)]


def progress_distribution(course: CoursePage) -> list[dict]:
    """How many active learners sit in each band of progress, and how many completed."""
    rows = Enrolment.objects.filter(course=course).values("state", "progress")
    bands = [{"low": low, "high": high, "count": 0} for low, high in DISTRIBUTION]
    for row in rows:
        value = 100 if row["state"] == EnrolmentState.COMPLETED else row["progress"]
        if row["state"] == EnrolmentState.LEFT:
            continue
        for band in bands:
            if band["low"] <= value <= band["high"]:
                band["count"] += 1
                break
    return bands


def question_pass_rates(course: CoursePage) -> list[dict]:
    """Per quiz question of the current lessons: attempts and the share answered right."""
    rows = []
    for lesson in course.get_children().live().type(LessonPage).specific().order_by("path"):
        fingerprint = lesson.requirement_fingerprint()
        for quiz in lesson.quizzes():
            attempts = list(
                QuizAttempt.objects.filter(
                    lesson=lesson, quiz_id=quiz.id, fingerprint=fingerprint
                ).values_list("right", "passed", "number")
            )
            first = [passed for _right, passed, number in attempts if number == 1]
            for index, question in enumerate(quiz.value["questions"]):
                answered = [right[index] for right, *_rest in attempts if index < len(right)]
                rows.append(
                    {
                        "lesson": lesson.title,
                        "quiz": quiz.value["title"],
                        "number": index + 1,
                        "question": question["question"],
                        "attempts": len(answered),
                        "right_percent": round(100 * sum(answered) / len(answered))
                        if answered
                        else None,
                        "first_pass_percent": round(100 * sum(first) / len(first))
                        if first
                        else None,
                    }
                )
    return rows


def enrolment_counts(course: CoursePage) -> dict[str, int]:
    counts = dict(
        Enrolment.objects.filter(course=course)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return {state: counts.get(state, 0) for state in EnrolmentState.values}


# Privacy -----------------------------------------------------------------------------


def export_learning(user) -> list[dict]:
    out = []
    for enrolment in (
        Enrolment.objects.filter(user=user).select_related("course").order_by("enrolled_at")
    ):
        certificate = Certificate.objects.filter(enrolment=enrolment).first()
        out.append(
            {
                "course": enrolment.course.title,
                "state": enrolment.state,
                "progress": enrolment.progress,
                "enrolled_at": enrolment.enrolled_at.isoformat(),
                "completed_at": enrolment.completed_at.isoformat()
                if enrolment.completed_at
                else None,
                "certificate": certificate.code if certificate else None,
                "quiz_attempts": [
                    {"lesson": lesson, "score": score, "passed": passed, "at": at.isoformat()}
                    for lesson, score, passed, at in QuizAttempt.objects.filter(
                        user=user, lesson__in=enrolment.course.get_children()
                    ).values_list("lesson__title", "score", "passed", "created_at")
                ],
                "reflections": [
                    {"lesson": lesson, "text": text}
                    for lesson, text in Reflection.objects.filter(
                        user=user, lesson__in=enrolment.course.get_children()
                    ).values_list("lesson__title", "text")
                ],
            }
        )
    return out


def forget_learning(user) -> None:
    """Reflections and certificates name the person: they go. Progress rows are kept
    for the course's figures, with the (anonymised) account."""
    Reflection.objects.filter(user=user).delete()
    Certificate.objects.filter(enrolment__user=user).delete()
