"""E-learning: courses of ordered steps (online lessons and in-person sessions), quizzes,
progress per learner, and certificates anyone can verify.

A `CoursePage` lives under `/leren/` (editors) or in a community's subtree (that
community's coordinators; members-only when the community keeps its content for
members). Its live children, in tree order, are its steps: `LessonPage`s built from
blocks, and `SessionStepPage`s that point at an event and count as done when the
coordinator marks the learner present.

Progress is kept per person per lesson page, with the fingerprint of what completing
that lesson required (its quizzes). A later edit that changes no quiz keeps everyone's
progress; a changed quiz asks for that lesson again. A `Certificate` is issued once per
enrolment and keeps a copy of what it certifies, so it reads the same years later.
"""

from __future__ import annotations

import hashlib
import json
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import RICH_TEXT_FEATURES, ImageBlock

# Blocks ------------------------------------------------------------------------------


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One answer is right")
    MULTIPLE = "multiple", _("Several answers may be right")
    TRUE_FALSE = "true_false", _("True or false")


class AnswerBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"), max_length=300)
    correct = blocks.BooleanBlock(label=_("This answer is right"), required=False)
    feedback = blocks.TextBlock(
        label=_("Feedback"),
        required=False,
        help_text=_("Shown after answering: why this answer is right or not."),
    )


class QuestionBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind of question"), choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    question = blocks.TextBlock(label=_("Question"))
    answers = blocks.ListBlock(
        AnswerBlock(),
        label=_("Answers"),
        min_num=2,
        help_text=_("For true or false: two answers, “Waar” and “Niet waar”, one of them right."),
    )

    def clean(self, value):
        value = super().clean(value)
        right = sum(1 for answer in value["answers"] if answer["correct"])
        kind = value["kind"]
        error = None
        if kind == QuestionKind.TRUE_FALSE and len(value["answers"]) != 2:
            error = _("A true-or-false question has exactly two answers.")
        elif kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and right != 1:
            error = _("Mark exactly one answer as right.")
        elif kind == QuestionKind.MULTIPLE and right < 1:
            error = _("Mark at least one answer as right.")
        if error:
            raise blocks.StructBlockValidationError(block_errors={"answers": [error]})
        return value

    class Meta:
        icon = "help"
        label = _("Question")


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    pass_mark = blocks.IntegerBlock(
        label=_("Pass mark (%)"),
        min_value=1,
        max_value=100,
        default=70,
        help_text=_("The share of questions a learner must answer right to pass."),
    )
    must_pass = blocks.BooleanBlock(
        label=_("Learners must pass this quiz"),
        required=False,
        default=True,
        help_text=_(
            "Off for a practice quiz: any attempt, passed or not, counts towards "
            "completing the lesson."
        ),
    )
    max_attempts = blocks.IntegerBlock(
        label=_("Attempts allowed"),
        min_value=0,
        default=0,
        help_text=_("0 for no limit."),
    )
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "tasks"
        label = _("Quiz")
        template = "learning/blocks/quiz.html"


class VideoBlock(blocks.StructBlock):
    """A video with captions and a transcript: an uploaded file (with a WebVTT captions
    file) or an address of a video service."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    video_file = DocumentChooserBlock(label=_("Video file (MP4 or WebM)"), required=False)
    captions = DocumentChooserBlock(
        label=_("Captions (WebVTT)"),
        required=False,
        help_text=_("Dutch captions for the video file."),
    )
    embed = EmbedBlock(label=_("Or the address of the video"), required=False)
    transcript = blocks.RichTextBlock(
        label=_("Transcript"),
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("Required for accessibility: what is said and shown."),
    )

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("video_file")) == bool(value.get("embed")):
            raise blocks.StructBlockValidationError(
                block_errors={"embed": [_("Choose either a video file or an address.")]}
            )
        if value.get("video_file") and not value.get("captions"):
            raise blocks.StructBlockValidationError(
                block_errors={"captions": [_("A video file needs a captions file.")]}
            )
        return value

    class Meta:
        icon = "media"
        label = _("Video")
        template = "learning/blocks/video.html"


class WorksheetBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Worksheet"))
    description = blocks.TextBlock(label=_("What to do with it"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Worksheet")
        template = "learning/blocks/worksheet.html"


class ReflectionBlock(blocks.StructBlock):
    question = blocks.TextBlock(label=_("Reflection question"))
    help = blocks.CharBlock(
        label=_("Hint"), required=False, max_length=300,
        help_text=_("What learners could think about. Their answers are kept for them only."),
    )  # fmt: skip

    class Meta:
        icon = "edit"
        label = _("Reflection question")
        template = "learning/blocks/reflection.html"


class LessonBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Text"), features=RICH_TEXT_FEATURES, template="cms/blocks/rich_text.html"
    )
    image = ImageBlock()
    video = VideoBlock()
    worksheet = WorksheetBlock()
    reflection = ReflectionBlock()
    quiz = QuizBlock()


# Pages -------------------------------------------------------------------------------


class EnrolmentPolicy(models.TextChoices):
    OPEN = "open", _("Open to everyone with an account")
    MEMBERS = "members", _("Members of the community")
    COORDINATOR = "coordinator", _("Enrolled by a coordinator")


class LearningIndexPage(RoutablePageMixin, Page):
    """`/leren/`: the courses a person may see, their own dashboard and the public
    check of certificates."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["learning.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("learning")

    @path("")
    def index_view(self, request):
        from via_platform.learning import views

        return views.course_index(request, self)

    @path("mijn/")
    def dashboard_view(self, request):
        from via_platform.learning import views

        return views.dashboard(request, self)

    @re_path(r"^certificaat/(?P<code>[A-Za-z0-9-]{1,40})/$")
    def certificate_view(self, request, code):
        from via_platform.learning import views

        return views.verify_certificate(request, self, code)

    @re_path(r"^certificaat/(?P<code>[A-Za-z0-9-]{1,40})/pdf/$")
    def certificate_pdf_view(self, request, code):
        from via_platform.learning import views

        return views.certificate_pdf(request, self, code)


class CoursePage(RoutablePageMixin, Page):
    summary = models.TextField(_("summary"), max_length=600)
    audience = models.CharField(
        _("for whom"), max_length=300,
        help_text=_("E.g. “mkb employers” or “klantmanagers of gemeenten”."),
    )  # fmt: skip
    learning_goals = RichTextField(
        _("learning goals"), features=["bold", "italic", "ul", "ol"],
        help_text=_("What learners can do afterwards."),
    )  # fmt: skip
    hours = models.DecimalField(
        _("study load in hours"), max_digits=4, decimal_places=1,
        help_text=_("Estimated time, also printed on the certificate."),
    )  # fmt: skip
    prerequisites = ParentalManyToManyField(
        "self", symmetrical=False, blank=True, related_name="+",
        verbose_name=_("complete these courses first"),
    )  # fmt: skip
    enrolment = models.CharField(
        _("enrolment"), max_length=20, choices=EnrolmentPolicy.choices,
        default=EnrolmentPolicy.OPEN,
    )  # fmt: skip
    issuer = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("organisation issuing the certificate"),
        help_text=_("The coordinator's organisation, printed on the certificate."),
    )  # fmt: skip
    # The community whose subtree holds the course (none under /leren/); kept by save().
    community = models.ForeignKey(
        "communities.CommunityPage", null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="courses",
    )  # fmt: skip

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("learning_goals"),
                FieldRowPanel([FieldPanel("hours"), FieldPanel("enrolment")]),
                FieldPanel("prerequisites"),
                FieldPanel("issuer"),
            ],
            heading=_("Course"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("audience"),
        index.SearchField("learning_goals"),
    ]
    parent_page_types = ["learning.LearningIndexPage", "communities.CommunityPage"]
    subpage_types = ["learning.LessonPage", "learning.SessionStepPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.path else None
        community = self._community_of(parent) if parent is not None else self.community
        if self.enrolment == EnrolmentPolicy.MEMBERS and community is None:
            raise ValidationError(
                {"enrolment": _("Only a course in a community can be for its members.")}
            )

    @staticmethod
    def _community_of(page):
        from via_platform.communities.models import CommunityPage

        return CommunityPage.objects.ancestor_of(page, inclusive=True).first()

    def save(self, *args, **kwargs):
        parent = self.get_parent() if self.path else None
        if parent is not None:
            self.community = self._community_of(parent)
        return super().save(*args, **kwargs)

    def steps(self):
        """The live steps in order, as specific pages (lessons and sessions)."""
        return list(self.get_children().live().order_by("path").specific())

    @path("")
    def detail_view(self, request):
        from via_platform.learning import views

        return views.course_detail(request, self)

    @path("inschrijven/")
    def enrol_view(self, request):
        from via_platform.learning import views

        return views.enrol(request, self)

    @path("uitschrijven/")
    def leave_view(self, request):
        from via_platform.learning import views

        return views.leave(request, self)

    @path("verder/")
    def resume_view(self, request):
        from via_platform.learning import views

        return views.resume(request, self)

    @path("deelnemers/")
    def learners_view(self, request):
        from via_platform.learning import views

        return views.learners(request, self)

    @path("deelnemers/export/csv/")
    def learners_csv_view(self, request):
        from via_platform.learning import views

        return views.learners_csv(request, self)


class LessonPage(RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)
    minutes = models.PositiveIntegerField(_("minutes"), default=15)
    body = StreamField(LessonBlock(), verbose_name=_("content"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("minutes"),
                      FieldPanel("body")]  # fmt: skip
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["learning.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def quizzes(self) -> list:
        """The quiz blocks of this lesson (StreamChild objects with a stable `id`)."""
        return [child for child in self.body if child.block_type == "quiz"]

    def requirement_fingerprint(self) -> str:
        """What completing this lesson asks: its quizzes, their questions and answers.
        Text, images and order of other blocks are left out, so fixing a typo keeps
        everyone's progress."""
        quizzes = [
            {
                "id": quiz.id,
                "pass_mark": quiz.value["pass_mark"],
                "must_pass": quiz.value.get("must_pass", True),
                "questions": [
                    [q["kind"], q["question"], [[a["text"], a["correct"]] for a in q["answers"]]]
                    for q in quiz.value["questions"]
                ],
            }
            for quiz in self.quizzes()
        ]
        encoded = json.dumps(quizzes, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(encoded).hexdigest()[:16]

    @path("")
    def lesson_view(self, request):
        from via_platform.learning import views

        return views.lesson(request, self)

    @path("afronden/")
    def complete_view(self, request):
        from via_platform.learning import views

        return views.complete_lesson(request, self)

    @re_path(r"^toets/(?P<quiz_id>[0-9a-f-]{36})/$")
    def quiz_view(self, request, quiz_id):
        from via_platform.learning import views

        return views.submit_quiz(request, self, quiz_id)

    @re_path(r"^reflectie/(?P<block_id>[0-9a-f-]{36})/$")
    def reflection_view(self, request, block_id):
        from via_platform.learning import views

        return views.save_reflection(request, self, block_id)


class SessionStepPage(Page):
    """An in-person module: done when the coordinator marks the learner present at any
    date of the event."""

    event = models.ForeignKey(
        "events.EventPage", on_delete=models.PROTECT, related_name="course_steps",
        verbose_name=_("event"),
    )  # fmt: skip
    description = RichTextField(_("what happens there"), features=["bold", "italic", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("event"), FieldPanel("description")]
    parent_page_types = ["learning.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("in-person session")
        verbose_name_plural = _("in-person sessions")

    def serve(self, request, *args, **kwargs):
        from via_platform.learning import views

        return views.session_step(request, self)


# Learner records -----------------------------------------------------------------------


class EnrolmentState(models.TextChoices):
    ACTIVE = "active", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    LEFT = "left", _("Left the course")


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    state = models.CharField(
        _("state"), max_length=20, choices=EnrolmentState.choices, default=EnrolmentState.ACTIVE
    )
    enrolled_at = models.DateTimeField(_("enrolled at"))
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    # Denormalised for the coordinator's list and the dashboard: done steps / all steps.
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    last_lesson = models.ForeignKey(
        LessonPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_activity_at = models.DateTimeField(_("last activity"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("The coordinator who completed it by hand."),
    )  # fmt: skip
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="one_enrolment_per_course")
        ]
        indexes = [
            models.Index(fields=["course", "state"]),
            models.Index(fields=["state", "last_activity_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.course}"


class LessonProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="progress")
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    # LessonPage.requirement_fingerprint() when it was completed.
    fingerprint = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="one_progress_per_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson}"


class QuizAttempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="attempts")
    quiz_id = models.CharField(max_length=36)  # the quiz block's id
    fingerprint = models.CharField(max_length=32)  # the lesson's, at the time
    number = models.PositiveSmallIntegerField()
    # {question index: [answer indexes]}, and per question whether it was right.
    answers = models.JSONField(default=dict)
    right = models.JSONField(default=list)
    score = models.PositiveSmallIntegerField()  # percent
    passed = models.BooleanField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "quiz_id", "fingerprint", "number"],
                name="one_attempt_per_number",
            )
        ]
        indexes = [models.Index(fields=["lesson", "quiz_id"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson} #{self.number}: {self.score}%"


class Reflection(models.Model):
    """A learner's answer to a reflection question; only they read it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=36)
    text = models.TextField(max_length=5000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "block_id"], name="one_reflection_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson}"


def _certificate_code() -> str:
    """Twelve characters from an alphabet without look-alikes, in groups of four."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Certificate(models.Model):
    """Issued once per completed enrolment; keeps what it certifies."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(max_length=20, unique=True, default=_certificate_code)
    learner_name = models.CharField(max_length=300)
    course_title = models.CharField(max_length=300)
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    organisation_name = models.CharField(max_length=300)
    completed_on = models.DateField()
    issued_at = models.DateTimeField()
    # Kept in the database rather than in media files, so that no web server ever
    # serves a certificate to someone who guessed its address.
    pdf = models.BinaryField(null=True, editable=False)
    generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.code} {self.learner_name}: {self.course_title}"
