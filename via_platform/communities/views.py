"""The public side of the communities: the index with filters, a community's home,
joining and leaving, and the coordinators' messages to the members.

Every rule about who may see or read what lives in permissions.py; every change of a
membership goes through services.py. These views only ask and render.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from via_platform.accounts.models import LabourMarketRegion, Profile, Sector
from via_platform.communities import permissions, services
from via_platform.communities.models import (
    CommunityIndexPage,
    CommunityKind,
    CommunityMessage,
    CommunityPage,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
    Theme,
)
from via_platform.communities.sections import sections_for

COMMUNITIES_PER_PAGE = 24
WELCOME_PERIOD = timedelta(days=14)
MAX_REQUEST_MESSAGE_LENGTH = 2000


# The index ------------------------------------------------------------------------------


class CommunityFilterForm(forms.Form):
    """The filters of the index, in the query string so they work without JavaScript."""

    kind = forms.ChoiceField(
        label=_("Kind of network"),
        required=False,
        choices=[("", _("All kinds")), *CommunityKind.choices],
    )
    theme = forms.ChoiceField(
        label=_("Werkagenda theme"),
        required=False,
        choices=[("", _("All themes")), *Theme.choices],
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        choices=[("", _("All sectors")), *Sector.choices],
    )
    region = forms.ModelChoiceField(
        label=_("Labour market region"),
        required=False,
        queryset=LabourMarketRegion.objects.all(),
        empty_label=_("All regions"),
    )


def community_index(request, index_page: CommunityIndexPage):
    form = CommunityFilterForm(request.GET)
    form.is_valid()  # a wrong value shows an error; the valid filters still apply
    filters = {
        name: form.cleaned_data[name]
        for name in ("kind", "theme", "sector", "region")
        if form.cleaned_data.get(name)
    }

    communities = (
        permissions.visible_to(request.user, CommunityPage.objects.child_of(index_page))
        .filter(**filters)
        .select_related("region")
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__state=MembershipState.ACTIVE))
        )
    )
    if request.user.is_authenticated:
        my_role = Membership.objects.filter(
            community=OuterRef("pk"), user=request.user, state=MembershipState.ACTIVE
        ).values("role")[:1]
        communities = communities.annotate(my_role=Subquery(my_role)).order_by(
            Case(
                When(my_role__isnull=False, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "title",
            "pk",
        )
    else:
        communities = communities.order_by("title", "pk")

    page_obj = Paginator(communities, COMMUNITIES_PER_PAGE).get_page(request.GET.get("page"))
    for community in page_obj:
        role = getattr(community, "my_role", None)
        community.my_role_label = Role(role).label if role else ""
    return TemplateResponse(
        request,
        "communities/index.html",
        {
            "page": index_page,
            "self": index_page,
            "form": form,
            "page_obj": page_obj,
            "is_filtered": bool(filters),
            "JoinPolicy": JoinPolicy,
        },
    )


# A community's home -----------------------------------------------------------------


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the coordinators"),
        help_text=_("Tell the coordinators who you are and why you would like to join."),
        required=False,
        max_length=MAX_REQUEST_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _visible_name(user, viewer) -> str:
    """A person's full name if the viewer may see it; never their email address."""
    full_name = user.get_full_name()
    if not full_name or user.is_anonymised:
        return ""
    try:
        profile = user.profile
    except Profile.DoesNotExist:
        profile = Profile(user=user)  # the defaults: names are for logged-in members
    return full_name if profile.is_visible("name", viewer) else ""


def _coordinator_names(community: CommunityPage, viewer) -> list[str]:
    coordinators = (
        services.coordinators_of(community.pk)
        .select_related("profile")
        .order_by("first_name", "last_name", "pk")
    )
    return [name for name in (_visible_name(u, viewer) for u in coordinators) if name]


def community_home(request, community: CommunityPage):
    user = request.user
    if not permissions.can_see(user, community):
        raise Http404
    membership = permissions.membership(user, community)
    state = membership.state if membership is not None else None
    is_member = state == MembershipState.ACTIVE
    can_view = permissions.can_view(user, community)

    sections = []
    if can_view:
        for section in sections_for(community, user):
            recent = section.recent(community, user) if section.recent is not None else []
            sections.append({"section": section, "recent": recent})

    is_new_member = bool(
        is_member
        and membership.joined_at is not None
        and membership.joined_at > timezone.now() - WELCOME_PERIOD
    )
    return TemplateResponse(
        request,
        "communities/home.html",
        {
            "page": community,
            "self": community,
            "membership": membership,
            "state": state,
            "is_member": is_member,
            "my_role_label": Role(membership.role).label if is_member else "",
            "can_view": can_view,
            "can_coordinate": permissions.can_coordinate(user, community),
            "is_new_member": is_new_member,
            "member_count": community.memberships.filter(state=MembershipState.ACTIVE).count(),
            "coordinator_names": _coordinator_names(community, user),
            "sections": sections,
            "join_form": JoinRequestForm(),
            "JoinPolicy": JoinPolicy,
            "MembershipState": MembershipState,
        },
    )


# Joining and leaving -----------------------------------------------------------------


@require_POST
def join(request, community: CommunityPage):
    if not permissions.can_see(request.user, community):
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(community.url)
    try:
        m = services.join(request.user, community, message=request.POST.get("message", ""))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or gettext("You cannot join this community."))
        return redirect(community.url)
    if m.state == MembershipState.ACTIVE:
        messages.success(
            request,
            gettext("Welcome! You are now a member of %(community)s.")
            % {"community": community.title},
        )
    elif m.state == MembershipState.REQUESTED:
        messages.success(request, gettext("Your request has been sent to the coordinators."))
    return redirect(community.url)


@require_POST
def leave(request, community: CommunityPage):
    before = permissions.membership(request.user, community)
    before_state = before.state if before is not None else None
    if before_state not in (MembershipState.ACTIVE, MembershipState.REQUESTED) and (
        not permissions.can_see(request.user, community)
    ):
        raise Http404  # withdrawing a request for a hidden community is still possible
    if not request.user.is_authenticated:
        return redirect_to_login(community.url)
    try:
        services.leave(request.user, community)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(community.url)
    if before_state == MembershipState.ACTIVE:
        messages.success(
            request, gettext("You left %(community)s.") % {"community": community.title}
        )
    elif before_state == MembershipState.REQUESTED:
        messages.success(request, gettext("Your request to join has been withdrawn."))
    elif before_state == MembershipState.INVITED:
        messages.success(request, gettext("You declined the invitation."))
    if not permissions.can_see(request.user, community):
        # A hidden community no longer exists for someone who left it.
        return redirect(community.get_parent().url)
    return redirect(community.url)


# Messages to the members ----------------------------------------------------------


def message_detail(request, community: CommunityPage, message_id: int):
    user = request.user
    message = (
        CommunityMessage.objects.select_related("author", "community")
        .filter(community=community, pk=message_id)
        .first()
    )
    if message is None or not permissions.can_read_message(user, message):
        raise Http404
    return TemplateResponse(
        request,
        "communities/message.html",
        {
            "page": community,
            "self": community,
            "message": message,
            "author_name": _visible_name(message.author, user) if message.author else "",
        },
    )
