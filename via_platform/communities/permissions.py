"""Who may see, read, contribute to, moderate and coordinate a community.

The one place these rules live: every view, search result, feed, sitemap, notification
and export asks here. Later domains (forum, agenda, library, courses) call `can_view`
for their community-bound content and `content_visible_to` to filter querysets.

Roles: anonymous < logged-in non-member < member < moderator < coordinator; superusers
may do everything. A hidden community does not exist for anyone who is not a member.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from via_platform.communities.models import (
    CommunityPage,
    ContentVisibility,
    Membership,
    MembershipState,
    Role,
)

_CACHE_ATTR = "_community_memberships"


def membership(user, community: CommunityPage) -> Membership | None:
    """The person's membership row for this community (any state), cached per user object."""
    if user is None or not user.is_authenticated:
        return None
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {m.community_id: m for m in Membership.objects.filter(user=user)}
        setattr(user, _CACHE_ATTR, cache)
    return cache.get(community.pk)


def forget_cached_memberships(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def role(user, community: CommunityPage) -> str | None:
    m = membership(user, community)
    return m.role if m is not None and m.state == MembershipState.ACTIVE else None


def is_member(user, community: CommunityPage) -> bool:
    return role(user, community) is not None


def _is_superuser(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def _invited(user, community: CommunityPage) -> bool:
    m = membership(user, community)
    return m is not None and m.state == MembershipState.INVITED


def can_see(user, community: CommunityPage) -> bool:
    """Does the community exist for this person (its page, its name in lists)?
    Members and people invited to it see a hidden community; nobody else does."""
    if not community.live:
        return False
    return (
        not community.hidden
        or is_member(user, community)
        or _invited(user, community)
        or _is_superuser(user)
    )


def can_view(user, community: CommunityPage) -> bool:
    """May this person read the community's content (forum, practices, documents …)?"""
    if not can_see(user, community):
        return False
    return (
        community.content_visibility == ContentVisibility.PUBLIC
        or is_member(user, community)
        or _is_superuser(user)
    )


def can_contribute(user, community: CommunityPage) -> bool:
    return is_member(user, community)


def can_moderate(user, community: CommunityPage) -> bool:
    return role(user, community) in (Role.MODERATOR, Role.COORDINATOR) or _is_superuser(user)


def can_coordinate(user, community: CommunityPage) -> bool:
    return role(user, community) == Role.COORDINATOR or _is_superuser(user)


def can_read_message(user, message) -> bool:
    """A message to members is for the people it was sent to: all members, or only those
    with its role or from its organisation; its author and the moderators and
    coordinators read every message of their community."""
    community = message.community
    if not can_view(user, community) or not (is_member(user, community) or _is_superuser(user)):
        return False
    if can_moderate(user, community) or message.author_id == user.pk:
        return True
    if message.audience_role and role(user, community) != message.audience_role:
        return False
    if message.audience_organisation_id:
        profile = getattr(user, "profile", None)
        return profile is not None and profile.organisation_id == message.audience_organisation_id
    return True


def visible_to(user, communities: QuerySet | None = None) -> QuerySet:
    """The communities that exist for this person (live; not hidden unless a member)."""
    communities = communities if communities is not None else CommunityPage.objects.all()
    communities = communities.live()
    if _is_superuser(user):
        return communities
    if user is None or not user.is_authenticated:
        return communities.filter(hidden=False)
    mine = Membership.objects.filter(
        user=user, state__in=[MembershipState.ACTIVE, MembershipState.INVITED]
    ).values("community_id")
    return communities.filter(Q(hidden=False) | Q(pk__in=mine))


def content_visible_to(user, communities: QuerySet | None = None) -> QuerySet:
    """The communities whose content this person may read."""
    communities = visible_to(user, communities)
    if _is_superuser(user):
        return communities
    if user is None or not user.is_authenticated:
        return communities.filter(content_visibility=ContentVisibility.PUBLIC)
    mine = Membership.objects.filter(user=user, state=MembershipState.ACTIVE).values("community_id")
    return communities.filter(Q(content_visibility=ContentVisibility.PUBLIC) | Q(pk__in=mine))


def findable_page_filter(user) -> Q:
    """For search and sitemaps: hidden communities this person does not see are absent."""
    hidden = CommunityPage.objects.filter(hidden=True).exclude(
        pk__in=visible_to(user, CommunityPage.objects.filter(hidden=True)).values("pk")
    )
    return ~Q(pk__in=hidden.values("pk"))
