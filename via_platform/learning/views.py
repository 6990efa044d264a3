"""The course pages: the list under /leren/, a course with its steps, enrolling and
leaving, lessons with their quizzes and reflection questions, in-person sessions, the
learner's own dashboard, certificates (the public check and the PDF) and the
coordinators' list of learners with its export.

Routes are on LearningIndexPage, CoursePage and LessonPage (see models.py); the rules
are in services.py, who may see what in permissions.py. Views stay thin: they check
access, call a service and say what happened.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from wagtail.models import Page

from via_platform.accounts import audit
from via_platform.accounts.models import AuditEvent
from via_platform.communities import permissions as community_permissions
from via_platform.events.models import Occurrence, Registration, RegistrationState
from via_platform.exports import csv_response
from via_platform.learning import permissions, services
from via_platform.learning.forms import (
    EnrolByEmailForm,
    EnrolmentChoiceForm,
    QuizAnswers,
    ReflectionForm,
    question_field,
)
from via_platform.learning.models import (
    Certificate,
    Enrolment,
    EnrolmentPolicy,
    EnrolmentState,
    LessonPage,
    QuestionKind,
    SessionStepPage,
)
from via_platform.learning.services import LearningError

LEARNERS_PER_PAGE = 100


# Shared helpers -----------------------------------------------------------------------


def _preview(request) -> bool:
    """Wagtail's preview (only people who may edit the page get there): the learner's
    view of a draft, which may be unpublished or not even saved yet."""
    return getattr(request, "is_preview", False)


def _check_view(request, course) -> None:
    if not _preview(request) and not permissions.can_view(request.user, course):
        raise Http404


def _check_manager(request, course) -> None:
    _check_view(request, course)
    if not permissions.can_manage(request.user, course):
        raise PermissionDenied


def _login(request, course, next_url: str | None = None):
    """Anonymous: to the login page, back here afterwards (a course nobody may see
    stays a 404, also for anonymous visitors)."""
    _check_view(request, course)
    return redirect_to_login(next_url or request.get_full_path())


def _course_of(step):
    return step.get_parent().specific


def _name(user) -> str:
    return user.get_full_name() or user.email


def _organisation(user) -> str:
    try:
        organisation = user.profile.organisation
    except ObjectDoesNotExist:
        return ""
    return organisation.name if organisation is not None else ""


def _policy_text(course) -> str:
    if course.enrolment == EnrolmentPolicy.COORDINATOR:
        return _("The coordinator enrols the participants of this course.")
    if course.enrolment == EnrolmentPolicy.MEMBERS and course.community is not None:
        return _("Members of %(community)s can enrol themselves.") % {
            "community": course.community.title
        }
    return _("Everyone with an account can enrol.")


def _step_rows(steps, progress=None) -> list[dict]:
    """Each step with what to show in a list of steps: kind, minutes, upcoming dates of
    an in-person session, and (for a learner) its status."""
    statuses = {status.page.pk: status for status in progress.steps} if progress else {}
    event_ids = [step.event_id for step in steps if isinstance(step, SessionStepPage)]
    dates: dict[int, list] = {}
    if event_ids:
        upcoming = Occurrence.objects.filter(
            event_id__in=event_ids, end__gte=timezone.now(), cancelled=False
        ).order_by("start")
        for occurrence in upcoming:
            dates.setdefault(occurrence.event_id, []).append(occurrence)
    rows = []
    for number, step in enumerate(steps, start=1):
        is_lesson = isinstance(step, LessonPage)
        row = {
            "number": number,
            "page": step,
            "is_lesson": is_lesson,
            "minutes": step.minutes if is_lesson else None,
            "dates": [] if is_lesson else dates.get(step.event_id, []),
            "status": "",
            "status_label": "",
        }
        status = statuses.get(step.pk)
        if status is not None:
            row["status"], row["status_label"] = _status(status, is_lesson)
        rows.append(row)
    return rows


def _status(status, is_lesson: bool) -> tuple[str, str]:
    if not is_lesson:
        if status.done:
            return "done", _("Attended")
        return "open", _("Not attended yet")
    if status.done:
        return "done", _("Done")
    if status.changed:
        return "changed", _("Changed: do it again")
    if status.started:
        return "started", _("Started")
    return "open", _("Not started")


def _progress_context(progress) -> dict | None:
    if progress is None:
        return None
    return {"done": progress.done, "total": len(progress.steps), "percent": progress.percent}


def _status_of(progress, page):
    """This step's StepStatus in a learner's progress (None for others)."""
    if progress is None:
        return None
    return next((status for status in progress.steps if status.page.pk == page.pk), None)


def _neighbours(steps, current) -> tuple:
    pks = [step.pk for step in steps]
    if current.pk not in pks:
        return None, None
    index = pks.index(current.pk)
    previous = steps[index - 1] if index > 0 else None
    following = steps[index + 1] if index + 1 < len(steps) else None
    return previous, following


# The list of courses ------------------------------------------------------------------


def course_index(request, index):
    user = request.user
    # The number of live steps per course, in the same query as the courses.
    step_count = (
        Page.objects.live()
        .filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
        .order_by()
        .values("depth")
        .annotate(n=Count("pk"))
        .values("n")
    )
    courses = permissions.visible_to(user)
    community = _community_filter(request)
    if community is not None:
        courses = courses.filter(community=community)
    courses = list(
        courses.select_related("community")
        .annotate(step_count=Coalesce(Subquery(step_count), Value(0)))
        .order_by("title")
    )
    enrolments = {}
    if user.is_authenticated:
        enrolments = {
            enrolment.course_id: enrolment
            for enrolment in Enrolment.objects.filter(
                user=user, course__in=[course.pk for course in courses]
            )
        }
    items = [{"course": course, "enrolment": enrolments.get(course.pk)} for course in courses]
    return TemplateResponse(
        request,
        "learning/index.html",
        {
            "page": index,
            "self": index,
            "items": items,
            "community": community,
            "EnrolmentState": EnrolmentState,
        },
    )


def _community_filter(request):
    """`?netwerk=<id>`: one community's courses. A value that names no community this
    person may see is reported and ignored."""
    value = request.GET.get("netwerk", "").strip()
    if not value:
        return None
    community = None
    # isdigit() takes '²', which int() refuses; a page id beyond 64 bits overflows SQLite.
    if value.isdecimal() and int(value) < 2**63:
        community = (
            community_permissions.content_visible_to(request.user).filter(pk=int(value)).first()
        )
    if community is None:
        messages.warning(request, _("That network does not exist; showing all courses."))
    return community


# A course -----------------------------------------------------------------------------


def course_detail(request, course):
    _check_view(request, course)
    user = request.user
    steps = course.steps()
    preview = _preview(request)
    enrolment = None if preview else permissions.enrolment_for(user, course)
    learner = enrolment is not None and enrolment.state != EnrolmentState.LEFT
    progress = services.course_progress(user, course, steps) if learner else None
    can_manage = permissions.can_manage(user, course)

    refusal = ""
    if user.is_authenticated and not learner and not preview:
        refusal = services.enrol_refusal(user, course) or ""
    prerequisites = list(permissions.visible_to(user, course.prerequisites.all()).order_by("title"))
    missing = set()
    if prerequisites and user.is_authenticated:
        missing = {c.pk for c in services.missing_prerequisites(user, course)}
    certificate = None
    if enrolment is not None and enrolment.state == EnrolmentState.COMPLETED:
        certificate = Certificate.objects.filter(enrolment=enrolment).defer("pdf").first()

    return TemplateResponse(
        request,
        "learning/course.html",
        {
            "page": course,
            "self": course,
            "index_url": _index_url(request) if certificate is not None else "",
            "steps": _step_rows(steps, progress),
            "enrolment": enrolment,
            "is_learner": learner,
            "can_take": learner or can_manage,
            "can_manage": can_manage,
            "progress": _progress_context(progress),
            "refusal": refusal,
            "policy_text": _policy_text(course),
            "prerequisites": [{"course": c, "done": c.pk not in missing} for c in prerequisites],
            "certificate": certificate,
            "total_minutes": sum(step.minutes for step in steps if isinstance(step, LessonPage)),
            "EnrolmentState": EnrolmentState,
            "EnrolmentPolicy": EnrolmentPolicy,
        },
    )


def _index_url(request) -> str:
    from via_platform.learning.models import LearningIndexPage

    index = LearningIndexPage.objects.live().first()
    return index.get_url(request) if index is not None else "/leren/"


@csrf_protect
def enrol(request, course):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return _login(request, course, course.get_url(request))
    _check_view(request, course)
    try:
        services.enrol(request.user, course)
    except LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You are enrolled. Start with the first step."))
    return redirect(course.get_url(request))


@csrf_protect
def leave(request, course):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return _login(request, course, course.get_url(request))
    _check_view(request, course)
    enrolment = permissions.enrolment_for(request.user, course)
    if enrolment is None or enrolment.state != EnrolmentState.ACTIVE:
        messages.info(request, _("You are not taking this course."))
    else:
        services.leave(request.user, course)
        messages.success(
            request, _("You left the course. Your progress is kept if you enrol again.")
        )
    return redirect(course.get_url(request))


def resume(request, course):
    _check_view(request, course)
    if not permissions.is_learner(request.user, course):
        return redirect(course.get_url(request))
    step = services.course_progress(request.user, course).next_step()
    return redirect(step.get_url(request) if step is not None else course.get_url(request))


# Lessons and sessions -----------------------------------------------------------------


def _step_gate(request, course, message: str):
    """None when this person may open the course's steps; else where to send them."""
    _check_view(request, course)
    if _preview(request) or permissions.can_take(request.user, course):
        return None
    messages.info(request, message)
    return redirect(course.get_url(request))


def _learner_gate(request, course):
    """For the forms in a lesson: None for a learner; else a response."""
    if not request.user.is_authenticated:
        return _login(request, course, course.get_url(request))
    _check_view(request, course)
    if permissions.is_learner(request.user, course):
        return None
    messages.info(request, _("Enrol to take this lesson."))
    return redirect(course.get_url(request))


def lesson(request, lesson):
    course = _course_of(lesson)
    gate = _step_gate(request, course, _("Enrol to take this lesson."))
    if gate is not None:
        return gate
    if permissions.is_learner(request.user, course) and not _preview(request):
        services.touch(request.user, lesson)
    return _render_lesson(request, lesson, course)


def _answer_rows(question, chosen: set[int], show_result: bool) -> list[dict]:
    return [
        {
            "index": i,
            "text": answer["text"],
            "checked": i in chosen,
            "feedback": answer["feedback"] if show_result and i in chosen else "",
        }
        for i, answer in enumerate(question["answers"])
    ]


def _quiz_context(child, state, draft: QuizAnswers | None, editable: bool) -> dict:
    value = child.value
    last = state.last
    show_result = last is not None and draft is None
    questions = []
    for index, question in enumerate(value["questions"]):
        if draft is not None:
            chosen = set(draft.chosen.get(index, []))
        elif last is not None:
            chosen = set(last.answers.get(str(index), []))
        else:
            chosen = set()
        right = None
        if show_result and index < len(last.right):
            right = bool(last.right[index])
        multiple = question["kind"] == QuestionKind.MULTIPLE
        questions.append(
            {
                "index": index,
                "number": index + 1,
                "name": question_field(index),
                "text": question["question"],
                "multiple": multiple,
                "answers": _answer_rows(question, chosen, show_result),
                "right": right,
                "missing": draft is not None and index in draft.unanswered,
            }
        )
    limit = value["max_attempts"] or None
    return {
        "id": child.id,
        "value": value,
        "questions": questions,
        "last": last,
        "passed": state.passed,
        "practice": state.practice,
        "attempts_used": len(state.attempts),
        "attempts_left": state.attempts_left,
        "limit": limit,
        "can_attempt": editable and state.can_attempt,
        "exhausted": not state.passed and not state.can_attempt,
        "show_result": show_result,
        "error": draft.message() if draft is not None else "",
        "editable": editable,
    }


def _render_lesson(request, lesson, course, *, quiz_drafts=None, reflection_forms=None,
                   status: int = 200):  # fmt: skip
    user = request.user
    # A preview shows the learner's view without anyone's records (the page may not be
    # saved yet), and its forms are not for sending.
    learner = permissions.is_learner(user, course) and not _preview(request)
    quiz_drafts = quiz_drafts or {}
    reflection_forms = reflection_forms or {}
    states = services.quiz_states(user, lesson) if learner else {}
    saved = services.reflections(user, lesson) if learner else {}
    blocks = []
    for child in lesson.body:
        item = {"child": child, "type": child.block_type, "id": child.id}
        if child.block_type == "quiz":
            state = states.get(child.id) or services.QuizState(child, [], False, None)
            item["quiz"] = _quiz_context(child, state, quiz_drafts.get(child.id), learner)
        elif child.block_type == "reflection":
            form = reflection_forms.get(child.id)
            if form is None:
                form = ReflectionForm(initial={"text": saved.get(child.id, "")})
            item["reflection"] = {"form": form, "editable": learner, "saved": child.id in saved}
        blocks.append(item)
    steps = course.steps()
    progress = services.course_progress(user, course, steps) if learner else None
    this_step = _status_of(progress, lesson)
    open_quizzes = [state.quiz.value["title"] for state in states.values() if not state.done]
    previous, following = _neighbours(steps, lesson)
    return TemplateResponse(
        request,
        "learning/lesson.html",
        {
            "page": lesson,
            "self": lesson,
            "course": course,
            "blocks": blocks,
            "is_learner": learner,
            "progress": _progress_context(progress),
            "steps": _step_rows(steps, progress),
            "previous": previous,
            "next": following,
            "open_quizzes": open_quizzes,
            "lesson_done": this_step is not None and this_step.done,
            "lesson_changed": this_step is not None and this_step.changed,
        },
        status=status,
    )


@csrf_protect
def submit_quiz(request, lesson, quiz_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    course = _course_of(lesson)
    gate = _learner_gate(request, course)
    if gate is not None:
        return gate
    lesson_url = lesson.get_url(request)
    quiz = next((q for q in lesson.quizzes() if q.id == quiz_id), None)
    if quiz is None:
        messages.error(request, _("This quiz no longer exists; reload the lesson."))
        return redirect(lesson_url)
    answers = QuizAnswers.from_post(quiz.value, request.POST)
    state = services.quiz_states(request.user, lesson).get(quiz_id)
    if not answers.complete and (state is None or state.can_attempt):
        # Nothing is recorded; the lesson comes back with the choices made so far.
        return _render_lesson(request, lesson, course, quiz_drafts={quiz_id: answers}, status=400)
    try:
        attempt = services.submit_quiz(request.user, lesson, quiz_id, answers.chosen)
    except LearningError as error:
        messages.error(request, str(error))
    else:
        values = {"score": attempt.score, "pass_mark": quiz.value["pass_mark"]}
        if attempt.passed:
            messages.success(request, _("You passed the quiz with %(score)s%%.") % values)
        else:
            messages.warning(
                request,
                _("You scored %(score)s%%; %(pass_mark)s%% is needed to pass.") % values,
            )
    return redirect(f"{lesson_url}#quiz-{quiz_id}")


@csrf_protect
def save_reflection(request, lesson, block_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    course = _course_of(lesson)
    gate = _learner_gate(request, course)
    if gate is not None:
        return gate
    lesson_url = lesson.get_url(request)
    form = ReflectionForm(request.POST)
    if not form.is_valid():
        return _render_lesson(request, lesson, course, reflection_forms={block_id: form},
                              status=400)  # fmt: skip
    try:
        services.save_reflection(request.user, lesson, block_id, form.cleaned_data["text"])
    except LearningError as error:
        messages.error(request, str(error))
        return redirect(lesson_url)
    messages.success(request, _("Saved; only you can read this."))
    return redirect(f"{lesson_url}#reflection-{block_id}")


@csrf_protect
def complete_lesson(request, lesson):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    course = _course_of(lesson)
    gate = _learner_gate(request, course)
    if gate is not None:
        return gate
    try:
        progress = services.complete_lesson(request.user, lesson)
    except LearningError as error:
        messages.error(request, str(error))
        return redirect(lesson.get_url(request))
    if progress.complete:
        messages.success(
            request,
            _("Congratulations: you completed the course “%(course)s”. Your certificate is ready.")
            % {"course": course.title},
        )
        return redirect(course.get_url(request))
    messages.success(request, _("Lesson done."))
    _previous, following = _neighbours([step.page for step in progress.steps], lesson)
    following = following or progress.next_step()
    if following is None or following.pk == lesson.pk:
        return redirect(course.get_url(request))
    return redirect(following.get_url(request))


def session_step(request, step):
    course = _course_of(step)
    gate = _step_gate(request, course, _("Enrol to take part in this session."))
    if gate is not None:
        return gate
    user = request.user
    learner = permissions.is_learner(user, course)
    steps = course.steps()
    progress = services.course_progress(user, course, steps) if learner else None
    this_step = _status_of(progress, step)
    event = step.event
    now = timezone.now()
    occurrences = list(event.occurrences.filter(end__gte=now).order_by("start"))
    registered = set()
    if user.is_authenticated:
        registered = set(
            Registration.objects.filter(
                user=user, occurrence__event=event, state=RegistrationState.REGISTERED
            ).values_list("occurrence_id", flat=True)
        )
    previous, following = _neighbours(steps, step)
    return TemplateResponse(
        request,
        "learning/session_step.html",
        {
            "page": step,
            "self": step,
            "course": course,
            "event": event,
            "event_live": event.live,
            "dates": [{"occurrence": o, "registered": o.pk in registered} for o in occurrences],
            "is_learner": learner,
            "attended": this_step is not None and this_step.done,
            "progress": _progress_context(progress),
            "steps": _step_rows(steps, progress),
            "previous": previous,
            "next": following,
        },
    )


# The learner's dashboard and certificates ---------------------------------------------


def dashboard(request, index):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    enrolments = list(
        Enrolment.objects.filter(user=user, course__in=permissions.visible_to(user).values("pk"))
        .select_related("course", "last_lesson")
        .order_by("-last_activity_at", "pk")
    )
    certificates = list(
        Certificate.objects.filter(enrolment__user=user).defer("pdf").order_by("-issued_at")
    )
    base = index.get_url(request)
    return TemplateResponse(
        request,
        "learning/dashboard.html",
        {
            "page": index,
            "self": index,
            "active": [e for e in enrolments if e.state == EnrolmentState.ACTIVE],
            "completed": [e for e in enrolments if e.state == EnrolmentState.COMPLETED],
            "left": [e for e in enrolments if e.state == EnrolmentState.LEFT],
            "certificates": [
                {
                    "certificate": c,
                    "verify_url": f"{base}certificaat/{c.code}/",
                    "pdf_url": f"{base}certificaat/{c.code}/pdf/",
                }
                for c in certificates
            ],
        },
    )


def verify_certificate(request, index, code):
    """Public: anyone holding a certificate's code may check it. An unknown code says
    so and nothing more."""
    certificate = Certificate.objects.filter(code=code.strip().upper()).defer("pdf").first()
    return TemplateResponse(
        request,
        "learning/certificate.html",
        {"page": index, "self": index, "certificate": certificate, "code": code},
        status=200 if certificate is not None else 404,
    )


def certificate_pdf(request, index, code):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    certificate = (
        Certificate.objects.select_related("enrolment__course")
        .filter(code=code.strip().upper())
        .first()
    )
    user = request.user
    if certificate is None or not (
        certificate.enrolment.user_id == user.pk
        or permissions.can_manage(user, certificate.enrolment.course)
    ):
        raise Http404
    response = HttpResponse(
        services.certificate_pdf_bytes(certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="certificaat-{certificate.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# Coordinators: learners, figures, enrolling and completing by hand, export ----------


def _learners_url(request, course, page: int | None = None) -> str:
    url = f"{course.get_url(request)}deelnemers/"
    return f"{url}?{urlencode({'page': page})}" if page and page > 1 else url


def _learner_rows(course):
    return services.learners(course).defer("certificate__pdf")


@csrf_protect
def learners(request, course):
    if not request.user.is_authenticated:
        return _login(request, course)
    _check_manager(request, course)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "enrol":
            return _enrol_by_email(request, course)
        if action == "complete":
            return _complete_by_hand(request, course)
        messages.error(request, _("Choose what to do with the buttons on this page."))
        return redirect(_learners_url(request, course))
    return _render_learners(request, course)


def _render_learners(request, course, enrol_form=None, status: int = 200):
    page_obj = Paginator(_learner_rows(course), LEARNERS_PER_PAGE).get_page(
        request.GET.get("page") or request.POST.get("page")
    )
    rows = [
        {
            "enrolment": e,
            "name": _name(e.user),
            "organisation": _organisation(e.user),
            "certificate": _certificate_of(e),
        }
        for e in page_obj
    ]
    counts = services.enrolment_counts(course)
    return TemplateResponse(
        request,
        "learning/learners.html",
        {
            "page": course,
            "self": course,
            "counts": counts,
            "distribution": services.progress_distribution(course),
            "pass_rates": services.question_pass_rates(course),
            "rows": rows,
            "page_obj": page_obj,
            "enrol_form": enrol_form or EnrolByEmailForm(),
            "learners_url": _learners_url(request, course),
            "verify_base": _index_url(request) + "certificaat/",
            "EnrolmentState": EnrolmentState,
        },
        status=status,
    )


def _certificate_of(enrolment):
    try:
        return enrolment.certificate
    except ObjectDoesNotExist:
        return None


def _enrol_by_email(request, course):
    form = EnrolByEmailForm(request.POST)
    if not form.is_valid():
        return _render_learners(request, course, enrol_form=form, status=400)
    person = form.user
    name = _name(person)
    existing = Enrolment.objects.filter(user=person, course=course).first()
    if existing is not None and existing.state != EnrolmentState.LEFT:
        messages.info(request, _("%(name)s is enrolled already.") % {"name": name})
        return redirect(_learners_url(request, course))
    services.enrol(person, course, by=request.user)
    messages.success(request, _("%(name)s is enrolled.") % {"name": name})
    if not permissions.can_view(person, course):
        messages.warning(
            request,
            _("%(name)s cannot open this course yet: they are not a member of %(community)s.")
            % {"name": name, "community": course.community.title if course.community else ""},
        )
    return redirect(_learners_url(request, course))


def _complete_by_hand(request, course):
    form = EnrolmentChoiceForm(request.POST)
    enrolment = None
    if form.is_valid():
        enrolment = (
            Enrolment.objects.filter(pk=form.cleaned_data["enrolment"], course=course)
            .select_related("user", "course")
            .first()
        )
    page_number = request.POST.get("page", "")
    back = _learners_url(request, course, int(page_number) if page_number.isdecimal() else None)
    if enrolment is None:
        messages.error(request, _("This learner is not in the list (any more)."))
        return redirect(back)
    if not permissions.can_manage(request.user, course):
        raise PermissionDenied
    name = _name(enrolment.user)
    if enrolment.state != EnrolmentState.ACTIVE:
        messages.info(
            request,
            _("%(name)s is not taking the course now (%(state)s).")
            % {"name": name, "state": enrolment.get_state_display()},
        )
        return redirect(back)
    certificate = services.complete(enrolment, by=request.user)
    messages.success(
        request,
        _("%(name)s has completed the course; certificate %(code)s is issued.")
        % {"name": name, "code": certificate.code},
    )
    return redirect(back)


def _export_header() -> list[str]:
    return [
        _("Name"), _("Email address"), _("Organisation"), _("Enrolled"), _("Progress (%)"),
        _("Last activity"), _("State"), _("Certificate"),
    ]  # fmt: skip


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _export_rows(course):
    for e in _learner_rows(course).iterator(chunk_size=500):
        certificate = _certificate_of(e)
        yield [
            _name(e.user),
            e.user.email,
            _organisation(e.user),
            _when(e.enrolled_at),
            e.progress,
            _when(e.last_activity_at),
            e.get_state_display(),
            certificate.code if certificate is not None else "",
        ]


def learners_csv(request, course):
    if not request.user.is_authenticated:
        return _login(request, course)
    _check_manager(request, course)
    audit.record(
        AuditEvent.Action.EXPORTED,
        actor=request.user,
        target=audit.target_of(course),
        detail="learners csv",
    )
    return csv_response(_export_header(), _export_rows(course), f"deelnemers-{course.slug}.csv")
