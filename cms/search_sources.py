"""Other kinds of results in site search (`/zoeken/`), registered by their app.

Site search lists the pages a person may find (cms.visibility). A domain whose content
is not a page (forum posts, for instance) registers a source here in its
AppConfig.ready(); cms itself imports no domain:

    register_search_source("forum", _("Forum"), search_for_site)

A source is called as `fn(user, query)` and returns at most a handful of dicts with
"title", "url" and optionally "excerpt" (plain text) and "place" (where it is, e.g. a
community name). The source alone decides what this person may see; templates escape
every value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

SourceFunction = Callable[[object, str], list[dict]]


@dataclass(frozen=True)
class SearchSource:
    key: str
    label: str
    search: SourceFunction


_sources: dict[str, SearchSource] = {}


def register_search_source(key: str, label: str, search: SourceFunction) -> None:
    """Register (or replace) the source with this key."""
    _sources[key] = SearchSource(key=key, label=label, search=search)


def search_sources() -> list[SearchSource]:
    return list(_sources.values())


def results_for(user, query: str) -> list[dict]:
    """[{"key", "label", "results"}] for each source with results, in registration order."""
    found = []
    for source in search_sources():
        results = source.search(user, query)
        if results:
            found.append({"key": source.key, "label": source.label, "results": results})
    return found
