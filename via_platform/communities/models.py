"""Communities of practice and lerende netwerken: the pages, who belongs, and in which role."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import BodyBlock
from via_platform.accounts.models import Sector


class CommunityKind(models.TextChoices):
    LEREND_NETWERK = "lerend_netwerk", _("Learning network")
    COMMUNITY_OF_PRACTICE = "community_of_practice", _("Community of practice")


class Theme(models.TextChoices):
    """The three themes of the Werkagenda VIA."""

    DIVERSITEIT = "1", _("More diversity at work")
    EERSTE_BAAN = "2", _("A first job or internship for young people")
    BEGELEIDING = "3", _("Guidance to work from social assistance or unemployment benefit")


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Open: join at once")
    ON_REQUEST = "on_request", _("On request: a coordinator decides")
    INVITATION = "invitation", _("By invitation only")


class ContentVisibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone can read the content")
    MEMBERS = "members", _("Members only")


class CommunityIndexPage(Page):
    """`/netwerken/`: all communities a person may see, with filters."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["communities.CommunityPage"]
    max_count = 1

    class Meta:
        verbose_name = _("community index page")

    def serve(self, request, *args, **kwargs):
        from via_platform.communities.views import community_index

        return community_index(request, self)


class CommunityPage(RoutablePageMixin, Page):
    kind = models.CharField(_("kind"), max_length=30, choices=CommunityKind.choices)
    theme = models.CharField(_("Werkagenda theme"), max_length=2, choices=Theme.choices, blank=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    region = models.ForeignKey(
        "accounts.LabourMarketRegion",
        verbose_name=_("labour market region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intro = models.TextField(_("introduction"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("about this community"))
    welcome_message = RichTextField(
        _("welcome message for new members"), blank=True, features=["bold", "italic", "link", "ul"]
    )
    join_policy = models.CharField(
        _("who can join"), max_length=20, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    content_visibility = models.CharField(
        _("who can read the content"),
        max_length=10,
        choices=ContentVisibility.choices,
        default=ContentVisibility.PUBLIC,
    )
    hidden = models.BooleanField(
        _("hidden"),
        default=False,
        help_text=_("Hidden communities are invisible to everyone who is not a member."),
    )
    # Kept in sync with the coordinator role (see services.sync_editor_group).
    editor_group = models.OneToOneField(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("theme"), FieldPanel("sector"), FieldPanel("region")],
            heading=_("What and where"),
        ),
        FieldPanel("body"),
        FieldPanel("welcome_message"),
        InlinePanel("role_models", label=_("Role models")),
    ]
    settings_panels = [
        MultiFieldPanel(
            [FieldPanel("join_policy"), FieldPanel("content_visibility"), FieldPanel("hidden")],
            heading=_("Membership and visibility"),
        ),
        *Page.settings_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.FilterField("hidden")]
    parent_page_types = ["communities.CommunityIndexPage"]
    # Any page type that allows a community as its parent (events, content pages): the
    # communities app names none of the domains that live in its subtree.
    subpage_types = None

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    # Sub-pages of a community are routes on its page, so they share its URL, its
    # permissions and its place in the tree. Views live in views.py and members.py;
    # sections of other domains (the forum) mount theirs (see sections.py).
    @classmethod
    def get_subpage_urls(cls):
        from via_platform.communities.sections import section_urlpatterns

        return [*super().get_subpage_urls(), *section_urlpatterns()]

    @path("")
    def home(self, request):
        from via_platform.communities import views

        return views.community_home(request, self)

    @path("lid-worden/")
    def join_view(self, request):
        from via_platform.communities import views

        return views.join(request, self)

    @path("verlaten/")
    def leave_view(self, request):
        from via_platform.communities import views

        return views.leave(request, self)

    @path("berichten/<int:message_id>/")
    def message_view(self, request, message_id):
        from via_platform.communities import views

        return views.message_detail(request, self, message_id)

    @path("leden/")
    def members_view(self, request):
        from via_platform.communities import members

        return members.members(request, self)

    @path("leden/export/")
    def members_export_view(self, request):
        from via_platform.communities import members

        return members.export_csv(request, self)

    @path("leden/<int:membership_id>/")
    def member_update_view(self, request, membership_id):
        from via_platform.communities import members

        return members.update_member(request, self, membership_id)

    @path("uitnodigen/")
    def invite_view(self, request):
        from via_platform.communities import members

        return members.invite(request, self)

    @path("bericht/")
    def compose_view(self, request):
        from via_platform.communities import members

        return members.compose_message(request, self)


class RoleModel(Orderable):
    """A person or organisation that shows what works, with their story."""

    page = ParentalKey(CommunityPage, on_delete=models.CASCADE, related_name="role_models")
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    story = models.TextField(_("story"))
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    image_alt = models.CharField(_("image description"), max_length=250, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("organisation"),
        FieldPanel("story"),
        FieldPanel("image"),
        FieldPanel("image_alt"),
    ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    MODERATOR = "moderator", _("Moderator")
    COORDINATOR = "coordinator", _("Coordinator")


class MembershipState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    LEFT = "left", _("Left")
    DECLINED = "declined", _("Declined")


class Membership(models.Model):
    community = models.ForeignKey(
        CommunityPage, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(_("state"), max_length=20, choices=MembershipState.choices)
    request_message = models.TextField(_("message with the request"), blank=True)
    response_message = models.TextField(_("message with the decision"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="one_membership_per_person")
        ]
        indexes = [models.Index(fields=["community", "state", "role"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.community} ({self.role}, {self.state})"

    @property
    def is_active(self) -> bool:
        return self.state == MembershipState.ACTIVE


def _token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An invitation by email, also to people without an account; it survives sign-up."""

    community = models.ForeignKey(
        CommunityPage, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="one_open_invitation_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.community}"


class CommunityMessage(models.Model):
    """A coordinator's message to the members (or some of them), sent as a notification."""

    community = models.ForeignKey(CommunityPage, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    audience_role = models.CharField(_("to"), max_length=20, choices=Role.choices, blank=True)
    audience_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message to members")
        verbose_name_plural = _("messages to members")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
