"""`/kennisbank/`: find practices by words and by facets.

The whole index is one GET form, so it works without JavaScript and every result list
has a URL to share. Within a facet the chosen values are alternatives (OR); across
facets they narrow down (AND).

Facet counts are *disjunctive*: a facet counts the practices that match the words and
every other facet, but not its own, so after choosing one theme the other themes still
show what choosing them (too) would add. Every count, option and result starts from
`permissions.visible_to`, so a members-only practice that a visitor may not read is
never counted, listed or offered as a network; the network facet only offers networks
whose content the person may read.

Full text goes through Wagtail search (the database backend: FTS5 on SQLite, Dutch
full text on PostgreSQL) over the visible practices only: the database backends run
the queryset's own SQL (visibility is a subquery on `id`, an indexed FilterField), so
a hidden practice is never matched, ranked or counted. The search gives the matching
ids in relevance order; facets and sorting then work on those ids in the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import DatabaseError, transaction
from django.db.models import Count, F, QuerySet
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from via_platform.accounts.models import LabourMarketRegion
from via_platform.communities import permissions as community_permissions
from via_platform.communities.models import CommunityPage, Theme
from via_platform.library import permissions
from via_platform.library.models import (
    CollectionPage,
    EvidenceLevel,
    LibraryIndexPage,
    MenukaartPage,
    PracticePage,
    TargetGroupCode,
)
from via_platform.organisations.models import OrganisationKind

PRACTICES_PER_PAGE = 12
MAX_QUERY_LENGTH = 200
# A search matching more practices than this keeps the most relevant ones; the id list
# travels into an IN (…) clause, and SQLite limits the number of parameters.
MAX_SEARCH_MATCHES = 1000
MAX_VALUES_PER_FACET = 50  # more checkboxes than any facet has: the rest is noise

SORT_RELEVANCE = "relevantie"
SORT_NEWEST = "nieuw"
SORT_APPLIED = "toegepast"
SORT_LABELS = {
    SORT_RELEVANCE: _("Relevance"),
    SORT_NEWEST: _("Newest first"),
    SORT_APPLIED: _("Most applied"),
}


# Facets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetSpec:
    """One facet: its query-string name, how it filters and how it counts."""

    param: str
    label: str
    count_lookup: str  # values() lookup whose groups are the options
    filter: Callable[[QuerySet, list[str]], QuerySet]


def _through_m2m(lookup: str) -> Callable[[QuerySet, list[str]], QuerySet]:
    # A subquery instead of a join, so a practice with two chosen values appears once.
    def apply(practices: QuerySet, values: list[str]) -> QuerySet:
        matching = PracticePage.objects.filter(**{f"{lookup}__in": values}).values("pk")
        return practices.filter(pk__in=matching)

    return apply


def _by_field(lookup: str) -> Callable[[QuerySet, list[str]], QuerySet]:
    def apply(practices: QuerySet, values: list[str]) -> QuerySet:
        return practices.filter(**{f"{lookup}__in": values})

    return apply


FACETS = [
    FacetSpec("thema", _("Werkagenda theme"), "theme", _by_field("theme")),
    FacetSpec(
        "doelgroep", _("Target group"), "target_groups__code", _through_m2m("target_groups__code")
    ),
    FacetSpec("bewijs", _("Evidence level"), "evidence_level", _by_field("evidence_level")),
    FacetSpec("regio", _("Labour market region"), "region", _by_field("region")),
    FacetSpec(
        "organisatie",
        _("Type of organisation"),
        "organisation__kind",
        _by_field("organisation__kind"),
    ),
    FacetSpec("netwerk", _("Network"), "communities", _through_m2m("communities")),
]


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool
    html_id: str


@dataclass
class Facet:
    param: str
    label: str
    options: list[Option]


@dataclass
class Choices:
    """The options a facet may offer this person: value -> label, in display order."""

    labels: dict[str, str]
    aliases: dict[str, str] = field(default_factory=dict)  # other spellings -> value

    def resolve(self, raw: str) -> str | None:
        if raw in self.labels:
            return raw
        return self.aliases.get(raw.lower())


def _facet_choices(user) -> dict[str, Choices]:
    regions = list(LabourMarketRegion.objects.order_by("name").values_list("pk", "name"))
    communities = list(
        community_permissions.content_visible_to(user, CommunityPage.objects.all())
        .order_by("title", "pk")
        .values_list("pk", "title")
    )
    return {
        "thema": Choices({value: str(label) for value, label in Theme.choices}),
        "doelgroep": Choices({value: str(label) for value, label in TargetGroupCode.choices}),
        "bewijs": Choices({value: str(label) for value, label in EvidenceLevel.choices}),
        # Regions by id, or by their name as a slug (?regio=rijnmond) for links by hand.
        "regio": Choices(
            {str(pk): name for pk, name in regions},
            aliases={slugify(name): str(pk) for pk, name in regions},
        ),
        "organisatie": Choices({value: str(label) for value, label in OrganisationKind.choices}),
        "netwerk": Choices({str(pk): title for pk, title in communities}),
    }


# Reading the query string --------------------------------------------------------------


@dataclass
class Selection:
    query: str = ""
    values: dict[str, list[str]] = field(default_factory=dict)
    sort: str = SORT_NEWEST
    ignored: list[str] = field(default_factory=list)  # messages about what was ignored


def _default_sort(query: str) -> str:
    return SORT_RELEVANCE if query else SORT_NEWEST


def _read_selection(params, choices: dict[str, Choices]) -> Selection:
    selection = Selection(query=" ".join(params.get("q", "").split())[:MAX_QUERY_LENGTH])
    unknown: list[str] = []
    for spec in FACETS:
        chosen: list[str] = []
        for raw in params.getlist(spec.param)[:MAX_VALUES_PER_FACET]:
            raw = raw.strip()
            if not raw:
                continue
            value = choices[spec.param].resolve(raw)
            if value is None:
                unknown.append(f"{spec.label}: “{raw[:40]}”")
            elif value not in chosen:
                chosen.append(value)
        selection.values[spec.param] = chosen
    if unknown:
        selection.ignored.append(
            gettext("These filters are unknown or not available to you and were ignored: %s")
            % ", ".join(unknown[:5])
        )

    default_sort = _default_sort(selection.query)
    sort = params.get("sorteer", "").strip()
    if not sort or (sort == SORT_RELEVANCE and not selection.query):
        # Relevance needs search words; without them the newest practices come first.
        selection.sort = default_sort
    elif sort in SORT_LABELS:
        selection.sort = sort
    else:
        selection.sort = default_sort
        selection.ignored.append(
            gettext("This sort order is unknown; the results are sorted by: %s")
            % SORT_LABELS[default_sort]
        )
    return selection


# Full text -------------------------------------------------------------------------------


_NOT_A_WORD = re.compile(r"[^\w\s'’-]+")


def search_ids(query: str, practices: QuerySet) -> tuple[list[int], bool]:
    """Ids of `practices` (the visible ones) matching `query`, most relevant first.

    All words first; when no practice has all of them, any of them (the second value is
    then True, so the page can say so). Only ids are loaded, not whole pages.
    """
    # Words only: quotes, asterisks and brackets mean syntax to SQLite's FTS5 and
    # nothing to a person typing in a search box (PostgreSQL ignores them anyway).
    query = " ".join(_NOT_A_WORD.sub(" ", query).split())
    if not query:
        return [], False
    for operator in ("and", "or"):
        try:
            # A savepoint: a query the full-text parser refuses must not break the
            # surrounding transaction on PostgreSQL.
            with transaction.atomic():
                results = practices.only("pk").search(query, operator=operator)
                ids = [practice.pk for practice in results[:MAX_SEARCH_MATCHES]]
        except DatabaseError:
            ids = []
        if ids or len(query.split()) < 2:
            return ids, operator == "or"
    return [], False


# The view --------------------------------------------------------------------------------


def _count(practices: QuerySet, lookup: str) -> dict[str, int]:
    rows = (
        practices.order_by()  # Page's default ordering would end up in the GROUP BY
        .values(lookup)
        .annotate(n=Count("pk", distinct=True))
        .values_list(lookup, "n")
    )
    return {str(value): n for value, n in rows if value not in (None, "")}


def _apply(practices: QuerySet, selection: Selection, skip: str | None = None) -> QuerySet:
    for spec in FACETS:
        values = selection.values.get(spec.param)
        if values and spec.param != skip:
            practices = spec.filter(practices, values)
    return practices


def _facets(base: QuerySet, selection: Selection, choices: dict[str, Choices]) -> list[Facet]:
    facets = []
    for spec in FACETS:
        counts = _count(_apply(base, selection, skip=spec.param), spec.count_lookup)
        chosen = selection.values[spec.param]
        options = [
            Option(
                value=value,
                label=label,
                count=counts.get(value, 0),
                selected=value in chosen,
                html_id=f"{spec.param}-{value}",
            )
            for value, label in choices[spec.param].labels.items()
            # A chosen option stays even at zero, so it can be unchecked.
            if counts.get(value) or value in chosen
        ]
        if options:
            facets.append(Facet(spec.param, str(spec.label), options))
    return facets


def _url(base_url: str, params: list[tuple[str, str]]) -> str:
    return f"{base_url}?{urlencode(params)}" if params else base_url


def _active_filters(base_url: str, selection: Selection, facets: list[Facet]) -> list[dict]:
    """Each chosen value with a link that removes just that value (and keeps the rest)."""
    params = [("q", selection.query)] if selection.query else []
    for spec in FACETS:
        params += [(spec.param, value) for value in selection.values[spec.param]]
    if selection.sort != _default_sort(selection.query):
        params.append(("sorteer", selection.sort))
    active = []
    for facet in facets:
        for option in facet.options:
            if option.selected:
                rest = [p for p in params if p != (facet.param, option.value)]
                active.append(
                    {"facet": facet.label, "label": option.label, "url": _url(base_url, rest)}
                )
    return active


def _related_pages(index: LibraryIndexPage) -> list:
    return list(
        index.get_children()
        .live()
        .public()
        .type(MenukaartPage, CollectionPage)
        .order_by("path")
        .only("pk", "title", "url_path", "path", "depth")
    )


def _with_card_data(practices: QuerySet) -> QuerySet:
    return (
        practices.select_related("region", "organisation")
        .prefetch_related("target_groups")
        .annotate(application_count=Count("applications", distinct=True))
    )


def library_index(request, index: LibraryIndexPage):
    user = request.user
    choices = _facet_choices(user)
    selection = _read_selection(request.GET, choices)

    base = permissions.visible_to(user, PracticePage.objects.child_of(index))
    ranked: list[int] = []
    any_word = False
    if selection.query:
        ranked, any_word = search_ids(selection.query, base)
        base = base.filter(pk__in=ranked)

    facets = _facets(base, selection, choices)
    results = _apply(base, selection)

    newest = (F("first_published_at").desc(nulls_last=True), "-pk")
    if selection.sort == SORT_RELEVANCE:
        # Relevance comes from the search backend as an ordered id list: order the
        # matching visible ids in Python, then load only the shown page.
        position = {pk: i for i, pk in enumerate(ranked)}
        ids = sorted(results.values_list("pk", flat=True), key=position.__getitem__)
        page_obj = Paginator(ids, PRACTICES_PER_PAGE).get_page(request.GET.get("page"))
        by_pk = _with_card_data(PracticePage.objects.filter(pk__in=list(page_obj))).in_bulk()
        page_obj.object_list = [by_pk[pk] for pk in page_obj.object_list if pk in by_pk]
    else:
        practices = _with_card_data(results)
        if selection.sort == SORT_APPLIED:
            practices = practices.order_by("-application_count", *newest)
        else:
            practices = practices.order_by(*newest)
        page_obj = Paginator(practices, PRACTICES_PER_PAGE).get_page(request.GET.get("page"))

    base_url = index.get_url(request) or "/"
    sort_options = [
        (value, label)
        for value, label in SORT_LABELS.items()
        if value != SORT_RELEVANCE or selection.query
    ]
    return TemplateResponse(
        request,
        "library/index.html",
        {
            "page": index,
            "self": index,
            "query": selection.query,
            "facets": facets,
            "page_obj": page_obj,
            "base_url": base_url,
            "sort": selection.sort,
            "sort_is_default": selection.sort == _default_sort(selection.query),
            "sort_options": sort_options,
            "notices": selection.ignored,
            "any_word": any_word,
            "active_filters": _active_filters(base_url, selection, facets),
            "clear_filters_url": _url(
                base_url, [("q", selection.query)] if selection.query else []
            ),
            "related_pages": _related_pages(index),
            "submit_url": f"{base_url}indienen/",
        },
    )
