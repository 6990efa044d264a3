"""Site-wide views: search."""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render

from cms.search_sources import results_for
from cms.visibility import findable_pages

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def search(request):
    """Search the published pages this person may find (see cms/visibility.py), and on
    the first page the other sources registered in cms/search_sources.py (the forum)."""
    # A NUL byte breaks the database's full-text query (SQLite: "unterminated string").
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    results = None
    other_results: list[dict] = []
    if query:
        pages = findable_pages(request.user).specific().search(query)
        paginator = Paginator(pages, RESULTS_PER_PAGE)
        try:
            results = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            results = paginator.page(1)
        except EmptyPage:
            results = paginator.page(paginator.num_pages)
        if results.number == 1:
            other_results = results_for(request.user, query)
    return render(
        request,
        "cms/search.html",
        {
            "query": query,
            "site_query": query,
            "results": results,
            "other_results": other_results,
        },
    )
