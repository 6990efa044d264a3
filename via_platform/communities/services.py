"""Membership rules: joining, requests, invitations, roles, leaving, and the Wagtail group
that lets a community's coordinators edit its pages."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission

from via_platform.accounts import audit
from via_platform.accounts.models import AuditEvent
from via_platform.accounts.roles import COORDINATOREN
from via_platform.communities import permissions
from via_platform.communities.models import (
    CommunityPage,
    Invitation,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
)
from via_platform.notifications.services import notify

# Notification kinds (registered in apps.py).
REQUESTED = "communities.membership_requested"
DECIDED = "communities.membership_decided"
INVITED = "communities.invited"
ROLE_CHANGED = "communities.role_changed"
REMOVED = "communities.removed"
MESSAGE = "communities.message"
COORDINATORS_AUDIENCE = "communities.coordinators"
MEMBERS_AUDIENCE = "communities.members"


def _activate(m: Membership, role: str | None = None) -> Membership:
    if m.state != MembershipState.ACTIVE:
        m.joined_at = timezone.now()  # also on re-joining: the welcome block shows again
    m.state = MembershipState.ACTIVE
    if role:
        m.role = role
    m.save()
    permissions.forget_cached_memberships(m.user)
    if m.role == Role.COORDINATOR:
        sync_editor_group(m.community)
    return m


def _verified_address(user, email: str) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def join(user, community: CommunityPage, message: str = "") -> Membership:
    """Join an open community at once, or ask to join one that decides on requests."""
    if not permissions.can_see(user, community):
        raise PermissionDenied
    m, _created = Membership.objects.select_for_update().get_or_create(
        community=community, user=user, defaults={"state": MembershipState.REQUESTED}
    )
    permissions.forget_cached_memberships(user)
    if m.state == MembershipState.ACTIVE:
        return m
    open_invitation = next(
        (
            invitation
            for invitation in Invitation.objects.filter(
                community=community, email__iexact=user.email, accepted_at__isnull=True
            )
            if _verified_address(user, invitation.email)  # never someone else's invitation
        ),
        None,
    )
    if m.state == MembershipState.INVITED or open_invitation:
        if open_invitation:
            open_invitation.accepted_at = timezone.now()
            open_invitation.save(update_fields=["accepted_at"])
            return _activate(m, open_invitation.role)
        return _activate(m)
    if community.join_policy == JoinPolicy.OPEN:
        m.role = Role.MEMBER
        return _activate(m)
    if community.join_policy == JoinPolicy.INVITATION:
        raise PermissionDenied(_("This community is by invitation only."))
    m.state = MembershipState.REQUESTED
    m.request_message = message.strip()[:2000]
    m.response_message = ""
    m.save()
    notify(
        REQUESTED,
        target=community,
        title=_("%(person)s asks to join %(community)s")
        % {"person": user, "community": community.title},
        url=f"{community.url}leden/?status=requested",
        audience=(COORDINATORS_AUDIENCE, {"community_id": community.pk}),
        actor=user,
    )
    return m


@transaction.atomic
def decide(coordinator, m: Membership, approve: bool, message: str = "") -> Membership:
    if not permissions.can_coordinate(coordinator, m.community):
        raise PermissionDenied
    m = Membership.objects.select_for_update().get(pk=m.pk)
    if m.state != MembershipState.REQUESTED:
        return m
    m.response_message = message.strip()[:2000]
    if approve:
        m.role = Role.MEMBER
        _activate(m)
    else:
        m.state = MembershipState.DECLINED
        m.save()
    notify(
        DECIDED,
        target=m.community,
        title=(_("Welcome to %(community)s") if approve else _("Your request for %(community)s"))
        % {"community": m.community.title},
        url=m.community.url,
        audience=[m.user_id],
        actor=coordinator,
    )
    return m


@transaction.atomic
def leave(user, community: CommunityPage) -> None:
    m = Membership.objects.select_for_update().filter(community=community, user=user).first()
    active_states = (MembershipState.ACTIVE, MembershipState.REQUESTED, MembershipState.INVITED)
    if m is None or m.state not in active_states:
        return
    if (
        m.role == Role.COORDINATOR
        and m.state == MembershipState.ACTIVE
        and _coordinator_count(community) == 1
    ):
        raise ValidationError(
            _("You are the only coordinator. Make someone else coordinator before you leave.")
        )
    was_coordinator = m.role == Role.COORDINATOR
    m.state, m.role = MembershipState.LEFT, Role.MEMBER
    m.save()
    permissions.forget_cached_memberships(user)
    if was_coordinator:
        sync_editor_group(community)


@transaction.atomic
def remove(coordinator, m: Membership) -> None:
    if not permissions.can_coordinate(coordinator, m.community) or m.user_id == coordinator.pk:
        raise PermissionDenied
    was_active = m.state == MembershipState.ACTIVE
    leave(m.user, m.community)
    audit.record(
        AuditEvent.Action.MEMBERSHIP_REMOVED,
        actor=coordinator,
        target=f"user:{m.user_id}",
        detail=f"community:{m.community_id}",
    )
    if was_active:
        # Told, not left to find out: the link leads to the index, because a hidden
        # community no longer exists for them.
        notify(
            REMOVED,
            target=m.community,
            title=_("A coordinator removed you from %(community)s")
            % {"community": m.community.title},
            url=m.community.get_parent().url,
            audience=[m.user_id],
            actor=coordinator,
        )


def _coordinator_count(community: CommunityPage) -> int:
    return Membership.objects.filter(
        community=community, state=MembershipState.ACTIVE, role=Role.COORDINATOR
    ).count()


@transaction.atomic
def change_role(coordinator, m: Membership, role: str) -> Membership:
    if not permissions.can_coordinate(coordinator, m.community):
        raise PermissionDenied
    role = Role(role)  # a ValueError for anything else, before anything changes
    m = Membership.objects.select_for_update().get(pk=m.pk)
    if m.state != MembershipState.ACTIVE or m.role == role:
        return m
    if m.role == Role.COORDINATOR and _coordinator_count(m.community) == 1:
        raise ValidationError(_("A community needs at least one coordinator."))
    old_role = m.role
    m.role = role
    m.save(update_fields=["role", "updated_at"])
    audit.record(
        AuditEvent.Action.MEMBERSHIP_ROLE_CHANGED,
        actor=coordinator,
        target=f"user:{m.user_id}",
        detail=f"community:{m.community_id} {old_role} -> {role}",
    )
    permissions.forget_cached_memberships(m.user)
    sync_editor_group(m.community)
    notify(
        ROLE_CHANGED,
        target=m.community,
        title=_("You are now %(role)s of %(community)s")
        % {"role": Role(role).label.lower(), "community": m.community.title},
        url=m.community.url,
        audience=[m.user_id],
        actor=coordinator,
    )
    return m


@transaction.atomic
def invite(
    coordinator, community: CommunityPage, email: str, role: str = Role.MEMBER
) -> Invitation:
    """Invite by email; the invitation waits for an account with that verified address."""
    from django.contrib.auth import get_user_model

    if not permissions.can_coordinate(coordinator, community):
        raise PermissionDenied
    email = email.strip().lower()
    invitation, _new = Invitation.objects.get_or_create(
        community=community,
        email=email,
        accepted_at=None,
        defaults={"role": role, "invited_by": coordinator},
    )
    person = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if person is not None:
        m, _new = Membership.objects.get_or_create(
            community=community,
            user=person,
            defaults={"state": MembershipState.INVITED, "role": role},
        )
        if m.state != MembershipState.ACTIVE:
            m.state, m.role = MembershipState.INVITED, role
            m.save()
        notify(
            INVITED,
            target=community,
            title=_("You are invited to join %(community)s") % {"community": community.title},
            url=community.url,
            audience=[person.pk],
            actor=coordinator,
        )
    else:
        transaction.on_commit(lambda: send_invitation_email(invitation.pk))
    return invitation


def send_invitation_email(invitation_id: int) -> None:
    """People without an account get a plain email with a sign-up link."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    invitation = Invitation.objects.select_related("community", "invited_by").get(pk=invitation_id)
    context = {
        "invitation": invitation,
        "community": invitation.community,
        "signup_url": f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/account/signup/",
        "community_url": f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{invitation.community.url}",
    }
    send_mail(
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}"
        + _("Invitation: %(community)s") % {"community": invitation.community.title},
        render_to_string("communities/email/invitation.txt", context),
        None,
        [invitation.email],
    )


def accept_open_invitations(user) -> list[Membership]:
    """Called once a person's address is verified: their invitations become memberships."""
    accepted = []
    for invitation in Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True):
        if not _verified_address(user, invitation.email):
            continue
        with transaction.atomic():
            m, _new = Membership.objects.get_or_create(
                community=invitation.community,
                user=user,
                defaults={"state": MembershipState.INVITED, "role": invitation.role},
            )
            # An active member keeps their role; an invitation never demotes anyone.
            _activate(m, None if m.state == MembershipState.ACTIVE else invitation.role)
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
        accepted.append(m)
    permissions.forget_cached_memberships(user)
    return accepted


def on_email_confirmed(request, email_address, **kwargs) -> None:
    accept_open_invitations(email_address.user)


# Wagtail editing rights ---------------------------------------------------------------

EDIT_PERMISSIONS = ("add_page", "change_page", "publish_page")


@transaction.atomic
def sync_editor_group(community: CommunityPage) -> Group:
    """One group per community with page permissions on its subtree; its members are
    exactly the community's active coordinators. Coordinators also get the site role
    that opens the Wagtail admin (and, with it, mandatory 2FA)."""
    group = community.editor_group
    if group is None:
        group = Group.objects.create(name=f"Netwerk {community.pk}: {community.title}"[:150])
        CommunityPage.objects.filter(pk=community.pk).update(editor_group=group)
        community.editor_group = group
        for codename in EDIT_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=community,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    coordinators = set(
        Membership.objects.filter(
            community=community, state=MembershipState.ACTIVE, role=Role.COORDINATOR
        ).values_list("user_id", flat=True)
    )
    current = set(group.user_set.values_list("pk", flat=True))
    still_coordinating = set(
        Membership.objects.filter(
            user_id__in=current - coordinators, state=MembershipState.ACTIVE, role=Role.COORDINATOR
        ).values_list("user_id", flat=True)
    )
    # Group changes that follow the coordinator roles: the role change is what is audited.
    with audit.derived():
        group.user_set.add(*(coordinators - current))
        group.user_set.remove(*(current - coordinators))
        site_role, _created = Group.objects.get_or_create(name=COORDINATOREN)
        site_role.user_set.add(*coordinators)
        site_role.user_set.remove(*(current - coordinators - still_coordinating))
    return group


def is_coordinator_anywhere(user) -> bool:
    return Membership.objects.filter(
        user=user, state=MembershipState.ACTIVE, role=Role.COORDINATOR
    ).exists()


# Audiences, privacy ------------------------------------------------------------------


def coordinators_of(community_id: int):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        community_memberships__community_id=community_id,
        community_memberships__state=MembershipState.ACTIVE,
        community_memberships__role=Role.COORDINATOR,
    )


def members_of(community_id: int, role: str = "", organisation_id: int | None = None):
    from django.contrib.auth import get_user_model

    # One filter() call, so the role applies to the membership of *this* community.
    conditions = {
        "community_memberships__community_id": community_id,
        "community_memberships__state": MembershipState.ACTIVE,
    }
    if role:
        conditions["community_memberships__role"] = role
    users = get_user_model().objects.filter(**conditions)
    if organisation_id:
        users = users.filter(profile__organisation_id=organisation_id)
    return users


def users_who_joined(users):
    return users.filter(community_memberships__state=MembershipState.ACTIVE)


def export_memberships(user) -> list[dict]:
    return [
        {
            "community": title,
            "role": role,
            "state": state,
            "since": joined.isoformat() if joined else None,
        }
        for title, role, state, joined in Membership.objects.filter(user=user).values_list(
            "community__title", "role", "state", "joined_at"
        )
    ]


def forget_memberships(user) -> None:
    communities = list(
        CommunityPage.objects.filter(
            memberships__user=user, memberships__role=Role.COORDINATOR
        ).distinct()
    )
    Membership.objects.filter(user=user).delete()
    Invitation.objects.filter(email__iexact=user.email).delete()
    for community in communities:
        sync_editor_group(community)


# Messages to members --------------------------------------------------------------------


@transaction.atomic
def send_message(
    coordinator,
    community: CommunityPage,
    subject: str,
    body: str,
    role: str = "",
    organisation_id: int | None = None,
    test: bool = False,
):
    """Send a message to the members (all, one role, or one organisation's), through the
    notification engine. `test=True` sends it to the coordinator alone first."""
    from via_platform.communities.models import CommunityMessage

    if not permissions.can_coordinate(coordinator, community):
        raise PermissionDenied
    message = CommunityMessage.objects.create(
        community=community,
        author=coordinator,
        subject=subject,
        body=body,
        audience_role=role,
        audience_organisation_id=organisation_id,
    )
    audience = (
        [coordinator.pk]
        if test
        else (
            MEMBERS_AUDIENCE,
            {"community_id": community.pk, "role": role, "organisation_id": organisation_id},
        )
    )
    notify(
        MESSAGE,
        target=message,
        title=(f"[{_('Test')}] " if test else "") + subject,
        url=f"{community.url}berichten/{message.pk}/",
        audience=audience,
        actor=None if test else coordinator,
    )
    return message
