"""Wagtail's PostgreSQL search backend, with the per-save cost bounded by the save.

After every indexed save the stock backend recomputes the average title length over the
whole index (a sequential scan) and then rewrites every entry whose `title_norm` is still
the default, again scanning the table. With a million forum posts in the index that made
posting a reply cost a scan of it. Here the average is computed at most once per
`LAVG_TTL` seconds (shared through the cache) and only the entries just written get their
norm, through the (content_type, object_id) unique index. `update_index` still refreshes
every norm exactly (the rebuilder calls `_refresh_title_norms(full=True)`).

Settings: WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "via_platform.search_backend"
(PostgreSQL only; SQLite keeps Wagtail's own database backend).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Avg, F
from django.db.models.functions import Length
from modelsearch.backends.database.postgres.postgres import (
    PostgresIndex,
    PostgresSearchBackend,
)
from modelsearch.utils import get_content_type_pk

LAVG_CACHE_KEY = "search:title-lavg"
LAVG_TTL = 60 * 60


class BoundedPostgresIndex(PostgresIndex):
    _written: tuple[int, list[str]] | None = None

    def add_items(self, model, objs):
        objs = list(objs)
        self._written = (get_content_type_pk(model), [str(obj.pk) for obj in objs])
        try:
            super().add_items(model, objs)
        finally:
            self._written = None

    def _average_title_length(self) -> float | None:
        lavg = cache.get(LAVG_CACHE_KEY)
        if lavg is None:
            lavg = (
                self.entries.annotate(title_length=Length("title"))
                .filter(title_length__gt=0)
                .aggregate(Avg("title_length"))["title_length__avg"]
            )
            if lavg is not None:
                cache.set(LAVG_CACHE_KEY, lavg, LAVG_TTL)
        return lavg

    def _refresh_title_norms(self, full=False):
        if full or self._written is None:
            cache.delete(LAVG_CACHE_KEY)
            return super()._refresh_title_norms(full=full)
        lavg = self._average_title_length()
        if lavg is None:
            return None
        content_type_pk, object_ids = self._written
        self.entries.filter(content_type_id=content_type_pk, object_id__in=object_ids).annotate(
            title_length=Length("title")
        ).filter(title_length__gt=0).update(title_norm=lavg / F("title_length"))
        return None


class SearchBackend(PostgresSearchBackend):
    index_class = BoundedPostgresIndex
