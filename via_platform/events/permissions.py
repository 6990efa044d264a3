"""Who may see an event, register for it, read its meeting link and manage it.

An event in a community's subtree follows the community: a public event is for
everyone who may see the community; a members-only event for its members. Agenda events
(no community) are public, or for logged-in people when marked members only. The
meeting link is for registered attendees and the people who manage the event.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from via_platform.communities import permissions as community_permissions
from via_platform.communities.models import Membership, MembershipState
from via_platform.events.models import EventAudience, EventPage, Registration, RegistrationState


def _logged_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _is_superuser(user) -> bool:
    return _logged_in(user) and user.is_superuser


def can_view(user, event: EventPage) -> bool:
    if _is_superuser(user):
        return True
    if not event.live:
        return False
    community = event.community
    if community is None:
        return event.audience == EventAudience.PUBLIC or _logged_in(user)
    if not community_permissions.can_see(user, community):
        return False
    return event.audience == EventAudience.PUBLIC or community_permissions.is_member(
        user, community
    )


def can_manage(user, event: EventPage) -> bool:
    """Coordinators of its community (editors for agenda events) see registrations,
    answers and attendance."""
    if _is_superuser(user):
        return True
    if not _logged_in(user):
        return False
    if event.community is not None:
        return community_permissions.can_coordinate(user, event.community)
    return event.permissions_for_user(user).can_edit()


def can_register(user, event: EventPage) -> bool:
    return _logged_in(user) and can_view(user, event)


def can_see_link(user, event: EventPage, registration: Registration | None = None) -> bool:
    if can_manage(user, event):
        return True
    return registration is not None and registration.state == RegistrationState.REGISTERED


def visible_to(user, events: QuerySet | None = None) -> QuerySet:
    """The live events this person may see, as one queryset."""
    events = events if events is not None else EventPage.objects.all()
    events = events.live()
    if _is_superuser(user):
        return events
    seen = community_permissions.visible_to(user).values("pk")
    public = Q(audience=EventAudience.PUBLIC) & (Q(community__isnull=True) | Q(community__in=seen))
    if not _logged_in(user):
        return events.filter(public)
    mine = Membership.objects.filter(user=user, state=MembershipState.ACTIVE).values("community_id")
    members = Q(audience=EventAudience.MEMBERS) & (
        Q(community__isnull=True) | Q(community__in=mine)
    )
    return events.filter(public | members)


def findable_page_filter(user) -> Q:
    """For site search and the sitemap (cms.visibility)."""
    hidden = EventPage.objects.exclude(
        pk__in=visible_to(user, EventPage.objects.all()).values("pk")
    )
    return ~Q(pk__in=hidden.values("pk"))
