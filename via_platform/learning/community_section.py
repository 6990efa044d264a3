"""A community's "Courses" section: the courses in its subtree, linked from its home.

The section links to /leren/ filtered on the community and lists up to three of its
courses. LearningConfig.ready() calls register()."""

from __future__ import annotations

from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from via_platform.learning import permissions
from via_platform.learning.models import CoursePage, LearningIndexPage

RECENT_COUNT = 3


def _courses(community, user) -> list[CoursePage]:
    """Looked up once per community object (once per request): `visible` and `recent`
    both need it."""
    cache = community.__dict__.setdefault("_learning_courses", {})
    key = getattr(user, "pk", None)
    if key not in cache:
        cache[key] = list(
            permissions.visible_to(user, CoursePage.objects.filter(community=community))
            .order_by("path")
            .only("pk", "title", "url_path", "path", "depth", "first_published_at")[:RECENT_COUNT]
        )
    return cache[key]


def _visible(community, user) -> bool:
    return bool(_courses(community, user))


def _url(community) -> str:
    index = LearningIndexPage.objects.live().first()
    base = index.url if index is not None else "/leren/"
    return f"{base}?{urlencode({'netwerk': community.pk})}"


def _recent(community, user) -> list[dict]:
    return [
        {"title": c.title, "url": c.url, "date": c.first_published_at}
        for c in _courses(community, user)
    ]


def register() -> None:
    from via_platform.communities.sections import Section, register_section

    register_section(
        Section(
            key="courses",
            label=_("Courses"),
            path="",  # the courses are pages of their own: see `url`
            order=40,
            visible=_visible,
            recent=_recent,
            url=_url,
        )
    )
