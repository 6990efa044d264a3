"""A community's members: the list, the coordinators' decisions on it, the CSV export,
invitations and messages to the members. Routes on CommunityPage (see models.py).

Who sees what: the list is for active members (and superusers); email addresses,
requests, exports, invitations and messages are for coordinators only.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_protect

from via_platform.accounts import audit
from via_platform.accounts.models import AuditEvent
from via_platform.communities import permissions, services
from via_platform.communities.forms import (
    ComposeMessageForm,
    InviteForm,
    MemberActionForm,
    MemberFilterForm,
)
from via_platform.communities.models import Invitation, Membership, MembershipState, Role
from via_platform.exports import csv_response
from via_platform.organisations.models import Organisation

MEMBERS_PER_PAGE = 50
INVITATIONS_PER_PAGE = 50
PENDING_PREVIEW = 10


# Access -----------------------------------------------------------------------------


def _login_needed(request, page):
    """Anonymous visitors log in first, unless the community does not exist for them:
    a login page for a hidden community would reveal that it exists."""
    if not permissions.can_see(request.user, page):
        raise Http404
    return redirect_to_login(request.get_full_path())


def _check_member(request, page) -> None:
    """404 if the community does not exist for this person, 403 if they are not in it."""
    if not permissions.can_see(request.user, page):
        raise Http404
    if not (permissions.is_member(request.user, page) or request.user.is_superuser):
        raise PermissionDenied


def _check_coordinator(request, page) -> None:
    if not permissions.can_see(request.user, page):
        raise Http404
    if not permissions.can_coordinate(request.user, page):
        raise PermissionDenied


def _members_url(request, page) -> str:
    return f"{page.get_url(request)}leden/"


# Who is in it ---------------------------------------------------------------------------


def _profile(user):
    try:
        return user.profile
    except ObjectDoesNotExist:
        return None


def _organisation(user):
    profile = _profile(user)
    organisation = profile.organisation if profile is not None else None
    return organisation if organisation is not None and organisation.approved else None


def _name(user, coordinator: bool) -> str:
    """The full name; never the email address for anyone but a coordinator."""
    full_name = user.get_full_name()
    if full_name:
        return full_name
    return user.email if coordinator else _("Member")


def _member_organisations(page) -> list[tuple[int, str]]:
    """The (approved) organisations of the community's active members, for the filters."""
    return list(
        Organisation.objects.filter(
            approved=True,
            profiles__user__community_memberships__community=page,
            profiles__user__community_memberships__state=MembershipState.ACTIVE,
        )
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )


def _filtered(page, filters: dict, coordinator: bool):
    """The memberships the list (and the export) shows for these filters."""
    state = (
        MembershipState.REQUESTED
        if coordinator and filters["status"] == MembershipState.REQUESTED
        else MembershipState.ACTIVE
    )
    memberships = Membership.objects.filter(community=page, state=state).select_related(
        "user__profile__organisation"
    )
    for term in filters["q"].split():
        match = Q(user__first_name__icontains=term) | Q(user__last_name__icontains=term)
        if coordinator:
            match |= Q(user__email__icontains=term)
        memberships = memberships.filter(match)
    if filters["role"]:
        memberships = memberships.filter(role=filters["role"])
    if filters["organisation_id"]:
        memberships = memberships.filter(user__profile__organisation_id=filters["organisation_id"])
    return memberships.order_by("user__first_name", "user__last_name", "user__email", "pk"), state


def _row(m: Membership, coordinator: bool) -> dict:
    profile = _profile(m.user)
    return {
        "membership": m,
        "name": _name(m.user, coordinator),
        "email": m.user.email if coordinator else "",
        "organisation": _organisation(m.user),
        "function": profile.get_function_display() if profile is not None else "",
        "is_me": False,
    }


def _filter_form(request, page, coordinator: bool) -> MemberFilterForm:
    return MemberFilterForm(
        request.GET, organisations=_member_organisations(page), coordinator=coordinator
    )


def _export_url(request, page, query: str) -> str:
    """The CSV export, with the list's current filters. (Wagtail's page URLs allow no dot,
    hence `leden/export/` rather than `leden/export.csv`.)"""
    return f"{_members_url(request, page)}export/{'?' if query else ''}{query}"


def members(request, page):
    if not request.user.is_authenticated:
        return _login_needed(request, page)
    _check_member(request, page)
    coordinator = permissions.can_coordinate(request.user, page)
    form = _filter_form(request, page, coordinator)
    filters = form.filters()
    memberships, state = _filtered(page, filters, coordinator)
    page_obj = Paginator(memberships, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [_row(m, coordinator) for m in page_obj]
    for row in rows:
        row["is_me"] = row["membership"].user_id == request.user.pk
    showing_requests = state == MembershipState.REQUESTED

    requests, request_count = [], 0
    if coordinator and not showing_requests:
        pending = Membership.objects.filter(
            community=page, state=MembershipState.REQUESTED
        ).select_related("user__profile__organisation")
        request_count = pending.count()
        if request_count:
            requests = [_row(m, True) for m in pending.order_by("created_at")[:PENDING_PREVIEW]]
    elif showing_requests:
        requests, request_count = rows, page_obj.paginator.count

    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        "communities/members.html",
        {
            "page": page,
            "form": form,
            "page_obj": page_obj,
            "rows": [] if showing_requests else rows,
            "requests": requests,
            "request_count": request_count,
            "showing_requests": showing_requests,
            "more_requests": not showing_requests and request_count > len(requests),
            "is_coordinator": coordinator,
            "is_filtered": any(filters[key] for key in ("q", "role", "organisation_id")),
            "roles": Role.choices,
            "export_url": _export_url(request, page, export_query.urlencode()),
            "next_url": request.get_full_path(),
            "members_url": _members_url(request, page),
        },
    )


# Coordinators' decisions -------------------------------------------------------------


def _safe_next(request, page, next_url: str) -> str:
    """`next` if it is a relative URL of this community's members list, else the list."""
    members_path = urlsplit(_members_url(request, page)).path
    if (
        next_url
        and next_url.startswith(members_path)
        and url_has_allowed_host_and_scheme(next_url, allowed_hosts=None)
        and urlsplit(next_url).path == members_path
    ):
        return next_url
    return members_path


@csrf_protect
def update_member(request, page, membership_id: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return _login_needed(request, page)
    _check_coordinator(request, page)
    m = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, community=page
    )
    m.community = page
    form = MemberActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_safe_next(request, page, request.POST.get("next", "")))
    action, name = form.cleaned_data["action"], _name(m.user, coordinator=True)
    back = redirect(_safe_next(request, page, form.cleaned_data["next"]))

    if action in ("approve", "decline") and m.state != MembershipState.REQUESTED:
        messages.info(request, _("This request has already been handled."))
        return back
    if action in ("role", "remove") and m.state != MembershipState.ACTIVE:
        messages.info(request, _("%(name)s is not a member.") % {"name": name})
        return back
    try:
        if action == "approve":
            services.decide(request.user, m, True, form.cleaned_data["message"])
            done = _("%(name)s is now a member.") % {"name": name}
        elif action == "decline":
            services.decide(request.user, m, False, form.cleaned_data["message"])
            done = _("The request of %(name)s was declined.") % {"name": name}
        elif action == "role":
            role = Role(form.cleaned_data["role"])
            services.change_role(request.user, m, role)
            done = _("%(name)s is now %(role)s.") % {"name": name, "role": role.label.lower()}
        else:
            services.remove(request.user, m)
            done = _("%(name)s is no longer a member.") % {"name": name}
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    permissions.forget_cached_memberships(request.user)
    messages.success(request, done)
    return back


# Export ------------------------------------------------------------------------------


def _csv_rows(memberships):
    for m in memberships.iterator(chunk_size=500):
        row = _row(m, coordinator=True)
        joined = m.joined_at or m.created_at
        yield [
            row["name"],
            row["email"],
            m.get_role_display(),
            row["organisation"].name if row["organisation"] else "",
            row["function"],
            timezone.localdate(joined).isoformat() if joined else "",
        ]


def export_csv(request, page):
    if not request.user.is_authenticated:
        return _login_needed(request, page)
    _check_coordinator(request, page)
    filters = _filter_form(request, page, coordinator=True).filters()
    memberships, _state = _filtered(page, filters, coordinator=True)
    header = [
        _("Name"), _("Email address"), _("Role"), _("Organisation"), _("Function"),
        _("Member since"),
    ]  # fmt: skip
    filename = f"leden-{page.slug}-{timezone.localdate().isoformat()}.csv"
    audit.record(
        AuditEvent.Action.EXPORTED,
        actor=request.user,
        target=audit.target_of(page),
        detail="members csv",
    )
    return csv_response(header, _csv_rows(memberships), filename)


# Invitations --------------------------------------------------------------------------


def invite(request, page):
    if not request.user.is_authenticated:
        return _login_needed(request, page)
    _check_coordinator(request, page)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        addresses = form.cleaned_data["emails"]
        already = set(
            Membership.objects.filter(
                community=page, state=MembershipState.ACTIVE, user__email__in=addresses
            ).values_list("user__email", flat=True)
        )
        invited = [a for a in addresses if a not in already]
        for address in invited:
            services.invite(request.user, page, address, form.cleaned_data["role"])
        if invited:
            messages.success(
                request,
                ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", len(invited))
                % {"count": len(invited)},
            )
        if already:
            messages.info(
                request,
                _("Already members, not invited again: %(addresses)s")
                % {"addresses": ", ".join(sorted(already))},
            )
        return redirect(f"{page.get_url(request)}uitnodigen/")
    open_invitations = (
        Invitation.objects.filter(community=page, accepted_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )
    page_obj = Paginator(open_invitations, INVITATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "communities/invite.html",
        {"page": page, "form": form, "page_obj": page_obj},
        status=400 if request.method == "POST" else 200,
    )


# Messages to members --------------------------------------------------------------------


def compose_message(request, page):
    if not request.user.is_authenticated:
        return _login_needed(request, page)
    _check_coordinator(request, page)
    form = ComposeMessageForm(
        request.POST if request.method == "POST" else None,
        organisations=_member_organisations(page),
    )
    if request.method == "POST" and form.is_valid():
        role, organisation_id = form.audience_filters()
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
        if "send" in request.POST:
            services.send_message(
                request.user, page, subject, body, role=role, organisation_id=organisation_id
            )
            count = services.members_of(page.pk, role, organisation_id).distinct().count()
            messages.success(
                request,
                ngettext(
                    "Your message was sent to %(count)s member.",
                    "Your message was sent to %(count)s members.",
                    count,
                )
                % {"count": count},
            )
            return redirect(f"{page.get_url(request)}bericht/")
        if "send_test" in request.POST:
            services.send_message(
                request.user,
                page,
                subject,
                body,
                role=role,
                organisation_id=organisation_id,
                test=True,
            )
            messages.success(request, _("A test was sent to you."))
    return render(
        request,
        "communities/compose_message.html",
        {"page": page, "form": form},
        status=400 if request.method == "POST" and form.errors else 200,
    )
