"""Who may read, review and mark practices. Every view, search result, sitemap,
collection, notification and document download asks here.

A practice is public unless it is `members_only`; then only people who may read one of
its communities' content (see communities.permissions) can find or open it. Drafts are
for their submitter and their reviewers only.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from via_platform.accounts.roles import BEHEERDERS, REDACTEUREN
from via_platform.communities import permissions as community_permissions
from via_platform.communities.models import CommunityPage, Membership, MembershipState, Role
from via_platform.library.models import PracticePage


def _is_superuser(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def hidden_practices(user) -> QuerySet:
    """Members-only practices this person may not read (live or not)."""
    private = PracticePage.objects.filter(members_only=True)
    if _is_superuser(user):
        return private.none()
    readable = community_permissions.content_visible_to(user, CommunityPage.objects.all())
    return private.exclude(communities__in=readable.values("pk"))


def visible_to(user, practices: QuerySet | None = None) -> QuerySet:
    """The live practices this person may find and read."""
    practices = practices if practices is not None else PracticePage.objects.all()
    return practices.live().exclude(pk__in=hidden_practices(user).values("pk"))


def findable_page_filter(user) -> Q:
    """For site search and the sitemap (cms.visibility)."""
    return ~Q(pk__in=hidden_practices(user).values("pk"))


def is_editor(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if _is_superuser(user):
        return True
    names = getattr(user, "_library_group_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._library_group_names = names
    return bool(names & {BEHEERDERS, REDACTEUREN})


def coordinated_community_ids(user) -> set[int]:
    if user is None or not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(
            user=user, state=MembershipState.ACTIVE, role=Role.COORDINATOR
        ).values_list("community_id", flat=True)
    )


def can_review(user, practice: PracticePage) -> bool:
    """Coordinators review practices of their communities; editors review all of them
    (and are the only reviewers of practices without a community)."""
    if is_editor(user):
        return True
    community_ids = {c.pk for c in practice.communities.all()}
    return bool(community_ids & coordinated_community_ids(user))


def is_submitter(user, practice: PracticePage) -> bool:
    return bool(user is not None and user.is_authenticated and practice.owner_id == user.pk)


def can_view(user, practice: PracticePage) -> bool:
    if not practice.live:
        return is_submitter(user, practice) or can_review(user, practice)
    if not practice.members_only or _is_superuser(user):
        return True
    return any(
        community_permissions.can_view(user, community) for community in practice.communities.all()
    )


def can_mark_applied(user) -> bool:
    """A logged-in person with an organisation in their profile."""
    profile = getattr(user, "profile", None) if user is not None and user.is_authenticated else None
    return bool(profile is not None and profile.organisation_id)
