"""Which pages a person may find in search and sitemaps, beyond Wagtail's own rules.

Wagtail already hides drafts and pages behind view restrictions (`.live().public()`).
Domains with their own visibility (hidden communities, members-only content) register
a filter here; cms itself knows no domain.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

PageFilter = Callable[[object], Q]  # (user or AnonymousUser) -> Q on wagtailcore.Page

_filters: list[PageFilter] = []


def register_page_filter(page_filter: PageFilter) -> None:
    _filters.append(page_filter)


def findable_pages(user) -> QuerySet:
    pages = Page.objects.live().public()
    for page_filter in _filters:
        pages = pages.filter(page_filter(user))
    return pages


class PublicSitemap(Sitemap):
    """The sitemap lists what an anonymous visitor may find, nothing more."""

    def items(self):
        from django.contrib.auth.models import AnonymousUser

        root = self.get_wagtail_site().root_page
        return (
            findable_pages(AnonymousUser())
            .descendant_of(root, inclusive=True)
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
