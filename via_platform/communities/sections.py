"""A community's sections (forum, agenda, practices, courses, members, documents).

Each domain adds its own section in its AppConfig.ready(); the communities app imports
none of them (Pleio calls these group plugins):

    register_section(Section(key="forum", label=_("Forum"), path="forum/", order=10))

`recent(community, user)` may return a few recent items ({"title", "url", "date"}) for
the community home; `visible(community, user)` decides whether the section shows.
A section that lives outside the community's pages (the practices in the kennisbank)
gives `url(community)` instead of a path; `sections_for` puts the result in `href`.
A section with pages of its own under the community (the forum) gives `urls()`: URL
patterns mounted at its path, whose views take the community page first:
`view(community, request, **kwargs)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    path: str  # relative to the community's URL
    order: int = 50
    visible: Callable[[object, object], bool] = field(default=lambda community, user: True)
    recent: Callable[[object, object], list[dict]] | None = None
    url: Callable[[object], str] | None = None  # an absolute URL instead of `path`
    href: str = ""  # filled in by sections_for from `url`
    urls: Callable[[], list] | None = None  # URL patterns under `path`


_sections: dict[str, Section] = {}


def register_section(section: Section) -> None:
    _sections[section.key] = section


def sections_for(community, user) -> list[Section]:
    visible = sorted(
        (s for s in _sections.values() if s.visible(community, user)), key=lambda s: s.order
    )
    return [s if s.url is None else replace(s, href=s.url(community)) for s in visible]


def section_urlpatterns() -> list:
    """The URL patterns sections mount under a community (see CommunityPage)."""
    from django.urls import include
    from django.urls import path as url_path

    return [
        url_path(section.path, include(section.urls()))
        for section in _sections.values()
        if section.urls is not None
    ]


def _members_visible(community, user) -> bool:
    from via_platform.communities.permissions import is_member

    return is_member(user, community) or bool(getattr(user, "is_superuser", False))


register_section(
    Section(key="members", label=_("Members"), path="leden/", order=90, visible=_members_visible)
)
