"""The kennisbank: practices (what works), the menukaart for employers and curated
collections such as the toolbox against stagediscriminatie."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, Task, TaskState
from wagtail.search import index

from cms.blocks import BodyBlock
from via_platform.communities.models import ContentVisibility, Theme

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]


class EvidenceLevel(models.TextChoices):
    PROVEN = "bewezen", _("Proven effective")
    PROMISING = "veelbelovend", _("Promising")
    PRACTICE = "praktijk", _("Practice-based")


EVIDENCE_EXPLANATIONS = {
    EvidenceLevel.PROVEN: _(
        "Research with a comparison group shows that the approach works: more people find "
        "or keep work than without it."
    ),
    EvidenceLevel.PROMISING: _(
        "First results and evaluations are positive, but the effect has not yet been shown "
        "with a comparison group."
    ),
    EvidenceLevel.PRACTICE: _(
        "Professionals see that it works in daily practice; there is no formal evaluation yet."
    ),
}


class TargetGroupCode(models.TextChoices):
    STATUSHOUDERS = "statushouders", _("Refugees with a residence permit")
    JONGEREN = "jongeren", _("Young people and students")
    BIJSTAND = "bijstand", _("People on social assistance")
    WW = "ww", _("People on unemployment benefit (WW)")
    WERKGEVERS = "werkgevers", _("Employers")
    PROFESSIONALS = "professionals", _("Professionals")


class TargetGroup(models.Model):
    """The people a practice is for; rows are loaded by a migration, names translated."""

    code = models.CharField(max_length=20, choices=TargetGroupCode.choices, unique=True)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.get_code_display())


class LibraryIndexPage(RoutablePageMixin, Page):
    """`/kennisbank/`: search and filter practices; members submit new ones here."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types = ["library.PracticePage", "library.MenukaartPage", "library.CollectionPage"]
    parent_page_types = ["cms.HomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("knowledge library")

    @path("")
    def index_view(self, request):
        from via_platform.library import search

        return search.library_index(request, self)

    @path("indienen/")
    def submit_view(self, request):
        from via_platform.library import submissions

        return submissions.submit(request, self)

    @path("inzendingen/")
    def submissions_view(self, request):
        from via_platform.library import submissions

        return submissions.overview(request, self)

    @path("inzendingen/<int:page_id>/")
    def submission_view(self, request, page_id):
        from via_platform.library import submissions

        return submissions.detail(request, self, page_id)

    @path("inzendingen/<int:page_id>/bewerken/")
    def submission_edit_view(self, request, page_id):
        from via_platform.library import submissions

        return submissions.edit(request, self, page_id)


def members_only_error(members_only: bool, communities) -> str | None:
    """A practice can be for members only when every community it belongs to keeps its
    content for members; otherwise one of them would show it to everyone anyway."""
    if members_only and (
        not communities
        or any(c.content_visibility != ContentVisibility.MEMBERS for c in communities)
    ):
        return _(
            "A practice can only be for members when it belongs to communities that keep "
            "their content for members."
        )
    return None


class PracticeAdminForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        error = members_only_error(cleaned.get("members_only"), cleaned.get("communities"))
        if error:
            self.add_error("members_only", error)
        return cleaned


class PracticePage(RoutablePageMixin, Page):
    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("Two or three sentences: what and for whom.")
    )
    problem = RichTextField(_("problem (knelpunt)"), features=RICH_TEXT_FEATURES)
    approach = RichTextField(_("approach"), features=RICH_TEXT_FEATURES)
    results = RichTextField(_("results"), blank=True, features=RICH_TEXT_FEATURES)
    evidence_level = models.CharField(
        _("evidence level"),
        max_length=20,
        choices=EvidenceLevel.choices,
        default=EvidenceLevel.PRACTICE,
    )
    theme = models.CharField(_("Werkagenda theme"), max_length=2, choices=Theme.choices, blank=True)
    target_groups = ParentalManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="practices"
    )
    region = models.ForeignKey(
        "accounts.LabourMarketRegion",
        verbose_name=_("labour market region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices",
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email address"), blank=True)
    duration = models.CharField(
        _("duration"), max_length=200, blank=True, help_text=_("For example: six months")
    )
    cost = models.CharField(
        _("cost indication"),
        max_length=200,
        blank=True,
        help_text=_("For example: € 2,500 per participant"),
    )
    communities = ParentalManyToManyField(
        "communities.CommunityPage",
        verbose_name=_("communities"),
        blank=True,
        related_name="practices",
    )
    members_only = models.BooleanField(
        _("members only"),
        default=False,
        help_text=_(
            "Only members of its communities can read it. Possible when all of its "
            "communities keep their content for members."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("problem"),
        FieldPanel("approach"),
        FieldPanel("results"),
        MultiFieldPanel(
            [
                FieldPanel("evidence_level"),
                FieldPanel("theme"),
                FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
                FieldPanel("region"),
                FieldPanel("organisation"),
            ],
            heading=_("What, for whom and where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_email"),
                FieldPanel("duration"),
                FieldPanel("cost"),
            ],
            heading=_("Contact, duration and cost"),
        ),
        InlinePanel("documents", label=_("Documents")),
        InlinePanel("links", label=_("Research and links")),
        InlinePanel("related", label=_("Related practices")),
        MultiFieldPanel(
            [
                FieldPanel("communities", widget=forms.CheckboxSelectMultiple),
                FieldPanel("members_only"),
            ],
            heading=_("Communities and visibility"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("problem"),
        index.SearchField("approach"),
        index.SearchField("results"),
        index.SearchField("contact_name"),
        index.RelatedFields("organisation", [index.SearchField("name")]),
        index.RelatedFields("region", [index.SearchField("name")]),
        index.FilterField("members_only"),
    ]
    parent_page_types = ["library.LibraryIndexPage"]
    subpage_types: list[str] = []
    base_form_class = PracticeAdminForm

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    @property
    def evidence_explanation(self) -> str:
        return str(EVIDENCE_EXPLANATIONS.get(self.evidence_level, ""))

    @path("")
    def detail_view(self, request):
        from via_platform.library import views

        return views.practice_detail(request, self)

    @path("toepassen/")
    def apply_view(self, request):
        from via_platform.library import views

        return views.toggle_application(request, self)


class PracticeDocument(Orderable):
    """A handreiking, checklist or toolbox that comes with a practice. Its download
    follows the practice's visibility (see wagtail_hooks.before_serve_document)."""

    page = ParentalKey(PracticePage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="practice_links",
    )
    description = models.CharField(_("description"), max_length=250, blank=True)

    panels = [FieldPanel("document"), FieldPanel("description")]

    def __str__(self) -> str:
        return self.document.title


class PracticeLink(Orderable):
    page = ParentalKey(PracticePage, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("title"), max_length=250)
    url = models.URLField(_("address"), max_length=500)

    panels = [FieldPanel("title"), FieldPanel("url")]

    def __str__(self) -> str:
        return self.title


class RelatedPractice(Orderable):
    page = ParentalKey(PracticePage, on_delete=models.CASCADE, related_name="related")
    practice = models.ForeignKey(
        PracticePage, verbose_name=_("practice"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("practice")]

    def __str__(self) -> str:
        return self.practice.title


class Application(models.Model):
    """ "Wij passen dit toe": an organisation applies this practice."""

    practice = models.ForeignKey(
        PracticePage, on_delete=models.CASCADE, related_name="applications"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="applications"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("application of a practice")
        verbose_name_plural = _("applications of practices")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "organisation"], name="one_application_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.practice}"


class Phase(models.TextChoices):
    WERVING = "werving", _("Recruitment")
    SELECTIE = "selectie", _("Selection")
    ONBOARDING = "onboarding", _("Onboarding")
    DOORSTROOM = "doorstroom", _("Progression")


class MenukaartPage(Page):
    """The menukaart for employers: interventions for objective recruitment and
    selection, grouped by phase, each linking to practices."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("interventions", label=_("Interventions")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["library.LibraryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("menukaart for employers")

    def serve(self, request, *args, **kwargs):
        from via_platform.library import views

        return views.menukaart(request, self)


class Intervention(Orderable, ClusterableModel):
    page = ParentalKey(MenukaartPage, on_delete=models.CASCADE, related_name="interventions")
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    practices = ParentalManyToManyField(
        PracticePage, verbose_name=_("practices"), blank=True, related_name="+"
    )

    panels = [
        FieldPanel("phase"),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("practices"),
    ]

    def __str__(self) -> str:
        return self.title


class CollectionPage(Page):
    """An editor-curated collection: a toolbox or checklist, practices and documents."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("items", label=_("Practices in this collection")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["library.LibraryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def serve(self, request, *args, **kwargs):
        from via_platform.library import views

        return views.collection(request, self)


class CollectionItem(Orderable):
    page = ParentalKey(CollectionPage, on_delete=models.CASCADE, related_name="items")
    practice = models.ForeignKey(
        PracticePage, verbose_name=_("practice"), on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(_("why it is here"), max_length=250, blank=True)

    panels = [FieldPanel("practice"), FieldPanel("note")]

    def __str__(self) -> str:
        return self.practice.title


class PracticeReviewTask(Task):
    """The review step of the kennisbank workflow. Who reviews depends on the practice:
    the coordinators of its communities, or the editors (see permissions.can_review).
    Works the same in the Wagtail admin and on the front-end review page."""

    def _can_review(self, obj, user) -> bool:
        from via_platform.library.permissions import can_review

        practice = obj.specific if hasattr(obj, "specific") else obj
        return isinstance(practice, PracticePage) and can_review(user, practice)

    def user_can_access_editor(self, obj, user):
        return self._can_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self._can_review(obj, user)

    def user_can_lock(self, obj, user):
        return self._can_review(obj, user)

    def get_actions(self, obj, user):
        if not self._can_review(obj, user):
            return []
        return [
            ("reject", _("Request changes"), True),
            ("approve", _("Publish"), False),
            ("approve", _("Publish with comment"), True),
        ]

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from via_platform.library.permissions import coordinated_community_ids, is_editor

        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if is_editor(user):
            return states
        practices = PracticePage.objects.filter(
            communities__in=coordinated_community_ids(user)
        ).values("pk")
        return states.filter(workflow_state__object_id__in=[str(p["pk"]) for p in practices])

    @classmethod
    def get_description(cls):
        return _("Coordinators of the practice's communities, or editors, review it")

    class Meta:
        verbose_name = _("practice review")
        verbose_name_plural = _("practice reviews")
