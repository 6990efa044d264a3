"""A community's "Practices" section: its practices live in the kennisbank, so the
section links to the index filtered on the community and lists the newest three.

LibraryConfig.ready() calls register()."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from via_platform.communities import permissions as community_permissions
from via_platform.communities.sections import Section, register_section
from via_platform.library import permissions
from via_platform.library.models import LibraryIndexPage, PracticePage

RECENT_COUNT = 3


def _index_url(community) -> str | None:
    """The kennisbank's URL, or None without a live one; looked up once per community
    object (that is, once per request), as `visible` and `url` both need it."""
    if not hasattr(community, "_library_index_url"):
        index = LibraryIndexPage.objects.live().order_by("path").first()
        community._library_index_url = index.url if index is not None else None
    return community._library_index_url


def _visible(community, user) -> bool:
    return community_permissions.can_view(user, community) and _index_url(community) is not None


def _url(community) -> str:
    return f"{_index_url(community) or '/kennisbank/'}?{urlencode({'netwerk': community.pk})}"


def _recent(community, user) -> list[dict]:
    practices = (
        permissions.visible_to(user, PracticePage.objects.filter(communities=community))
        .order_by(F("first_published_at").desc(nulls_last=True), "-pk")
        .only("pk", "title", "url_path", "path", "depth", "first_published_at")[:RECENT_COUNT]
    )
    return [{"title": p.title, "url": p.url, "date": p.first_published_at} for p in practices]


def register() -> None:
    register_section(
        Section(
            key="practices",
            label=_("Practices"),
            path="",  # the practices live in the kennisbank: see `url`
            order=30,
            visible=_visible,
            recent=_recent,
            url=_url,
        )
    )
