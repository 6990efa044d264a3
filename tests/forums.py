"""Shared setup for the forum tests: communities on a bare site, members, topics."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Site

from via_platform.communities.models import (
    CommunityIndexPage,
    CommunityPage,
    ContentVisibility,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
)

PASSWORD = "een-lang-wachtwoord"
_numbers = itertools.count(1)


def community_index() -> CommunityIndexPage:
    index = CommunityIndexPage.objects.filter(slug="netwerken-forum").first()
    if index is None:
        root = Site.objects.get(is_default_site=True).root_page
        index = CommunityIndexPage(title="Netwerken", slug="netwerken-forum", intro="Netwerken.")
        root.add_child(instance=index)
        index.save_revision().publish()
    return index


def community(title: str, *, members_only: bool = False, **fields) -> CommunityPage:
    defaults = {
        "slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
        "kind": "lerend_netwerk",
        "intro": f"Over {title}.",
        "join_policy": JoinPolicy.OPEN,
        "content_visibility": (
            ContentVisibility.MEMBERS if members_only else ContentVisibility.PUBLIC
        ),
        "hidden": False,
    }
    page = CommunityPage(title=title, **{**defaults, **fields})
    community_index().add_child(instance=page)
    page.save_revision().publish()
    return CommunityPage.objects.get(pk=page.pk)


def person(first: str = "Test", last: str = "", **extra):
    number = next(_numbers)
    return get_user_model().objects.create_user(
        email=f"forumlid{number}@example.org",
        password=PASSWORD,
        first_name=first,
        last_name=last or f"Lid {number}",
        **extra,
    )


def member(place: CommunityPage, user=None, role: str = Role.MEMBER, joined_days_ago: int = 60):
    user = user or person()
    Membership.objects.update_or_create(
        user=user,
        community=place,
        defaults={
            "state": MembershipState.ACTIVE,
            "role": role,
            "joined_at": timezone.now() - timedelta(days=joined_days_ago),
        },
    )
    from via_platform.communities.permissions import forget_cached_memberships

    forget_cached_memberships(user)
    return user
