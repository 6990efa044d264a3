"""The Wagtail admin's page views, for pages the person may reach, and no other.

Wagtail lets anyone with admin access open the explorer (and its results fragment) of
any page under their *explorable root*: the first common ancestor of the pages they hold
permissions on. Coordinators hold permissions on their community and on /leren/, so
their root is the home page and every page id opened the explorer, its title in <title>
and breadcrumb: the hidden community of someone else's too. The move confirmation shows
both titles to anyone, the page chooser browses, searches and "chooses" every page, and
the page types report names the last edited page of every type.

Here the same views answer only for pages in Wagtail's own explorable set for the person
(`explorable_instances`: the pages they may edit and their ancestors); the chooser, which
also links to pages people merely read, for those pages and the ones the person finds on
the site (`cms.visibility.findable_pages`). Otherwise the explorer does what Wagtail does
for a page outside the explorable root (a redirect to that root), the move confirmation
what Wagtail's move view does for a page one may not move (no permission), and the
chooser what it does for a page that does not exist (404). Superusers are not limited.

`urlpatterns` are mounted under admin/ before Wagtail's own (via_platform/urls.py):
the same paths, without names, so reverse() keeps giving Wagtail's URLs.
"""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, re_path
from django.views.decorators.cache import never_cache
from wagtail import hooks
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import display_custom_404
from wagtail.admin.views import chooser
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.visibility import findable_pages


def _unlimited(user) -> bool:
    return bool(user.is_active and user.is_superuser)


def explorable(user) -> QuerySet:
    """The pages this person may open in the explorer."""
    return PagePermissionPolicy().explorable_instances(user)


def may_explore(user, page: Page) -> bool:
    return _unlimited(user) or explorable(user).filter(pk=page.pk).exists()


def choosable(user) -> QuerySet:
    """The pages the page chooser shows this person."""
    if _unlimited(user):
        return Page.objects.all()
    return Page.objects.filter(
        Q(depth=1)
        | Q(pk__in=explorable(user).values("pk"))
        | Q(pk__in=findable_pages(user).values("pk"))
    )


def may_choose(user, page: Page) -> bool:
    return _unlimited(user) or choosable(user).filter(pk=page.pk).exists()


# The explorer ---------------------------------------------------------------------


def guard_explorer(view):
    """Explorer and its results: a page outside the explorable set leads to the root."""

    @functools.wraps(view)
    def guarded(request, parent_page_id, *args, **kwargs):
        page = get_object_or_404(Page, id=parent_page_id)
        if not may_explore(request.user, page):
            root = PagePermissionPolicy().explorable_root_instance(request.user)
            return redirect("wagtailadmin_explore", root.pk)
        return view(request, *args, parent_page_id=parent_page_id, **kwargs)

    return guarded


def guard_move_confirm(view):
    """Only a page the person may move, to a page they may explore."""

    @functools.wraps(view)
    def guarded(request, page_to_move_id, destination_id, *args, **kwargs):
        page = get_object_or_404(Page, id=page_to_move_id)
        destination = get_object_or_404(Page, id=destination_id)
        user = request.user
        if not (
            page.permissions_for_user(user).can_move()
            and may_explore(user, page)
            and may_explore(user, destination)
        ):
            raise PermissionDenied
        return view(
            request, *args, page_to_move_id=page_to_move_id, destination_id=destination_id, **kwargs
        )

    return guarded


# The page chooser -----------------------------------------------------------------


class BrowseView(chooser.BrowseView):
    """Browsing from a page the person may not see is browsing a page that is not there
    (also when Wagtail picks the parent itself, as the common ancestor of a page type)."""

    def get_object_list(self):
        if not may_choose(self.request.user, self.parent_page):
            raise Http404
        return super().get_object_list()


class ChosenMultipleView(chooser.ChosenMultipleView):
    """Only the chosen pages the person may see are described (with their titles)."""

    def get(self, request):
        ids = [i for i in request.GET.getlist("id") if i.isdigit()]
        allowed = {
            str(pk)
            for pk in choosable(request.user).filter(pk__in=ids).values_list("pk", flat=True)
        }
        request.GET = request.GET.copy()
        request.GET.setlist("id", [i for i in ids if i in allowed])
        return super().get(request)


@hooks.register("construct_page_chooser_queryset")
def only_choosable_pages(pages, request):
    """The chooser's children and search results: only pages the person may see."""
    if _unlimited(request.user):
        return pages
    return pages.filter(pk__in=choosable(request.user).values("pk"))


# Reports ----------------------------------------------------------------------------


class PageTypesUsageReport(PageTypesUsageReportView):
    """The count of pages per type, for everyone with page permissions; the title of the
    last edited page of a type only where the person may explore that page."""

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        user = self.request.user
        if _unlimited(user):
            return page_types
        shown = [item.last_edited_page.pk for item in page_types if item.last_edited_page]
        allowed = set(explorable(user).filter(pk__in=shown).values_list("pk", flat=True))
        for item in page_types:
            if item.last_edited_page is not None and item.last_edited_page.pk not in allowed:
                item.last_edited_page = None
        return page_types


def not_a_number(request, *args, **kwargs):
    raise Http404


def _admin_view(view):
    """The decorators Wagtail's admin URLs get (wagtail.admin.urls)."""
    return never_cache(display_custom_404(require_admin_access(view)))


urlpatterns = [
    path(
        "pages/<int:parent_page_id>/",
        _admin_view(
            guard_explorer(
                page_viewset_registry.as_view("index", parent_page_id_kwarg="parent_page_id")
            )
        ),
    ),
    path(
        "pages/<int:parent_page_id>/results/",
        _admin_view(
            guard_explorer(
                page_viewset_registry.as_view(
                    "index_results", parent_page_id_kwarg="parent_page_id"
                )
            )
        ),
    ),
    path(
        "pages/<int:page_to_move_id>/move/<int:destination_id>/confirm/",
        _admin_view(
            guard_move_confirm(
                page_viewset_registry.as_view("move_confirm", page_id_kwarg="page_to_move_id")
            )
        ),
    ),
    path("reports/page-types-usage/", _admin_view(PageTypesUsageReport.as_view())),
    path(
        "reports/page-types-usage/results/",
        _admin_view(PageTypesUsageReport.as_view(results_only=True)),
    ),
    path("choose-page/", _admin_view(BrowseView.as_view())),
    path("choose-page/<int:parent_page_id>/", _admin_view(BrowseView.as_view())),
    path("choose-page/chosen-multiple/", _admin_view(ChosenMultipleView.as_view())),
    # Wagtail's "chosen" views of the document, image and snippet choosers turn an id
    # that is no number into a server error; every model they serve here has numeric ids.
    re_path(
        r"^(?:documents/chooser|images/chooser|snippets/choose/[^/]+/[^/]+)"
        r"/chosen/[^/]*[^/0-9][^/]*/$",
        _admin_view(not_a_number),
    ),
]
