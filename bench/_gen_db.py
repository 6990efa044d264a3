"""Bulk-loading helpers for bench.generate (PostgreSQL only): COPY by model, Wagtail
pages written straight into the tree, search index entries computed in SQL, and the
bookkeeping afterwards (parents' numchild, sequences, ANALYZE).

Everything runs on Django's own connection (so inside the caller's transaction);
COPY uses the psycopg 3 connection underneath it.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models
from django.utils.text import slugify
from psycopg import sql
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

# Columns --------------------------------------------------------------------------------


def raw_cursor():
    """A psycopg cursor on Django's connection (same transaction, no debug wrapper)."""
    connection.ensure_connection()
    return connection.connection.cursor()


def next_id(model) -> int:
    """The first free primary key: ids are handed out by the generator and the
    sequences are moved past them at the end (reset_sequences)."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with raw_cursor() as cur:
        cur.execute(
            sql.SQL("SELECT COALESCE(MAX({}), 0) + 1 FROM {}").format(
                sql.Identifier(pk), sql.Identifier(table)
            )
        )
        return cur.fetchone()[0]


def _constant(model, f, now: datetime):
    """The value a column gets when the generator does not give one."""
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return now
    if f.has_default():
        if f.unique:
            raise ValueError(f"{model.__name__}.{f.attname} is unique: give every row a value")
        value = f.get_default()
        if isinstance(f, models.JSONField):
            return json.dumps(value)
        return value
    if f.null:
        return None
    if f.empty_strings_allowed and not isinstance(f, models.DateTimeField | models.DateField):
        return ""
    raise ValueError(f"{model.__name__}.{f.attname} has no default: the generator must set it")


def copy_rows(model, columns: list[str], rows: Iterable[tuple], now: datetime) -> int:
    """COPY rows (tuples in the order of `columns`, which are attnames) into the
    model's own table; every other column gets its default (or NULL)."""
    fields = {f.attname: f for f in model._meta.local_concrete_fields}
    unknown = set(columns) - set(fields)
    if unknown:
        raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
    # An id left out is the database's to give (identity column).
    rest = [
        f
        for name, f in fields.items()
        if name not in columns and not (f.primary_key and isinstance(f, models.AutoField))
    ]
    constants = []
    for f in rest:
        value = _constant(model, f, now)
        if value is not None:
            constants.append((f, value))
    names = [fields[c].column for c in columns] + [f.column for f, _value in constants]
    tail = tuple(value for _f, value in constants)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, names))
    )
    count = 0
    with raw_cursor() as cur, cur.copy(statement) as copy:
        write = copy.write_row
        if tail:
            for row in rows:
                write(row + tail)
                count += 1
        else:
            for row in rows:
                write(row)
                count += 1
    return count


def execute(statement: str, params=None) -> int:
    with raw_cursor() as cur:
        cur.execute(statement, params)
        return cur.rowcount


def fetchall(statement: str, params=None) -> list[tuple]:
    with raw_cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchall()


class BulkLoad:
    """While loading, the bulk tables keep only their primary keys: foreign keys, unique
    constraints and other indexes are dropped in begin() and made again from their own
    definitions in finish(), which checks them all. Checking a foreign key row by row
    costs ~30 µs per row and key, and building an index one row at a time (GIN above
    all) much more than one sorted build; re-adding a foreign key checks all rows in
    one query.

    Locks: until the transaction ends, other sessions wait for these tables.
    """

    def __init__(self, models):
        self.tables = sorted({m._meta.db_table for m in models})
        self.foreign_keys: list[tuple[str, str, str]] = []
        self.uniques: list[tuple[str, str, str]] = []
        self.indexes: list[tuple[str, str]] = []

    def begin(self) -> None:
        # Rows written earlier in this transaction (a test's demo data) still have
        # deferred checks pending, and PostgreSQL alters no table with pending events.
        execute("SET CONSTRAINTS ALL IMMEDIATE")
        constraints = """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE contype = %s AND conrelid::regclass::text = ANY(%s)
            ORDER BY 1, 2
        """
        self.foreign_keys = fetchall(constraints, ["f", self.tables])
        self.uniques = fetchall(constraints, ["u", self.tables])
        self.indexes = fetchall(
            """
            SELECT i.relname, pg_get_indexdef(ix.indexrelid)
            FROM pg_index ix
            JOIN pg_class i ON i.oid = ix.indexrelid
            JOIN pg_class t ON t.oid = ix.indrelid
            LEFT JOIN pg_constraint c ON c.conindid = ix.indexrelid
            WHERE t.relname = ANY(%s) AND c.oid IS NULL AND NOT ix.indisprimary
            ORDER BY 1
            """,
            [self.tables],
        )
        for table, name, _definition in self.foreign_keys + self.uniques:
            execute(
                sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                    sql.Identifier(table), sql.Identifier(name)
                )
            )
        for name, _definition in self.indexes:
            execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        execute("SET CONSTRAINTS ALL DEFERRED")

    def finish(self) -> dict:
        """Validate and restore the foreign keys, rebuild the indexes; returns timings."""
        timing: dict = {}
        started = time.perf_counter()
        execute("SET CONSTRAINTS ALL IMMEDIATE")  # the other tables' checks, now
        timing["deferred checks"] = time.perf_counter() - started
        started = time.perf_counter()
        for _name, definition in self.indexes:
            execute(definition)
        for constraint in self.uniques:
            _add_constraint(*constraint)
        timing["indexes"] = time.perf_counter() - started
        started = time.perf_counter()
        for constraint in self.foreign_keys:
            _add_constraint(*constraint)
        timing["foreign keys"] = time.perf_counter() - started
        execute("SET CONSTRAINTS ALL DEFERRED")
        return timing


# Pages ----------------------------------------------------------------------------------


@dataclass
class Parent:
    """A page that gets generated children: where the next child's path starts."""

    id: int
    path: str
    depth: int
    url_path: str
    next_step: int
    slugs: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, page: Page) -> Parent:
        children = Page.objects.filter(path__startswith=page.path, depth=page.depth + 1)
        last = children.order_by("-path").values_list("path", flat=True).first()
        return cls(
            id=page.pk,
            path=page.path,
            depth=page.depth,
            url_path=page.url_path,
            next_step=(Page._str2int(last[-Page.steplen :]) + 1) if last else 1,
            slugs=set(children.values_list("slug", flat=True)),
        )

    def child_path(self) -> str:
        path = Page._get_path(self.path, self.depth + 1, self.next_step)
        self.next_step += 1
        return path

    def free_slug(self, base: str) -> str:
        base = (base or "pagina")[:80].strip("-") or "pagina"
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug


PAGE_COLUMNS = [
    "id",
    "path",
    "depth",
    "numchild",
    "title",
    "draft_title",
    "slug",
    "live",
    "url_path",
    "content_type_id",
    "owner_id",
    "first_published_at",
    "last_published_at",
    "translation_key",
    "locale_id",
]


class PageWriter:
    """Rows for wagtailcore_page and one child table, written with COPY by flush().

    What Page.save() and treebeard would do is done here: a materialised path under the
    parent (steplen 4, alphabet 0-9A-Z), depth, url_path, draft_title, live and
    published dates, a translation key and the default locale. The parents' numchild is
    put right afterwards by fix_numchild() for the whole tree at once.
    """

    def __init__(self, model, rng, locale_id: int):
        self.model = model
        self.rng = rng
        self.locale_id = locale_id
        self.content_type_id = ContentType.objects.get_for_model(model).pk
        self.page_rows: list[tuple] = []
        self.child_rows: list[tuple] = []
        self.child_columns: list[str] | None = None
        self.next_id = next_id(Page)

    def add(
        self,
        parent: Parent,
        *,
        title: str,
        slug: str,
        owner_id: int | None,
        published_at: datetime,
        **fields,
    ) -> tuple[int, str, str]:
        """Queue a page; returns (id, path, url_path)."""
        page_id = self.next_id
        self.next_id += 1
        path = parent.child_path()
        slug = parent.free_slug(slugify(slug)[:80])
        url_path = f"{parent.url_path}{slug}/"
        key = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        self.page_rows.append(
            (
                page_id,
                path,
                parent.depth + 1,
                0,
                title,
                title,
                slug,
                True,
                url_path,
                self.content_type_id,
                owner_id,
                published_at,
                published_at,
                key,
                self.locale_id,
            )
        )
        if self.child_columns is None:
            self.child_columns = list(fields)
        elif list(fields) != self.child_columns:
            raise ValueError("every page of one writer sets the same fields")
        self.child_rows.append((page_id, *fields.values()))
        return page_id, path, url_path

    def flush(self, now: datetime) -> int:
        if not self.page_rows:
            return 0
        copy_rows(Page, PAGE_COLUMNS, self.page_rows, now)
        ptr = self.model._meta.pk.attname  # page_ptr_id
        copy_rows(self.model, [ptr, *self.child_columns], self.child_rows, now)
        count = len(self.page_rows)
        self.page_rows, self.child_rows = [], []
        return count


def fix_numchild() -> int:
    """Set every page's numchild from the tree itself (one statement)."""
    return execute(
        """
        UPDATE wagtailcore_page p SET numchild = COALESCE(c.n, 0)
        FROM wagtailcore_page q
        LEFT JOIN (
            SELECT substr(path, 1, length(path) - 4) AS parent_path, count(*) AS n
            FROM wagtailcore_page WHERE depth > 1 GROUP BY 1
        ) c ON c.parent_path = q.path
        WHERE q.id = p.id AND p.numchild <> COALESCE(c.n, 0)
        """
    )


def tree_problems() -> dict[str, int]:
    """treebeard's find_problems() in three queries instead of two per page."""
    [(orphans,)] = fetchall(
        """
        SELECT count(*) FROM wagtailcore_page c
        WHERE c.depth > 1 AND NOT EXISTS (
            SELECT 1 FROM wagtailcore_page p WHERE p.path = substr(c.path, 1, length(c.path) - 4)
        )
        """
    )
    [(wrong_depth,)] = fetchall(
        "SELECT count(*) FROM wagtailcore_page WHERE depth * 4 <> length(path)"
        " OR path !~ '^[0-9A-Z]+$'"
    )
    [(wrong_numchild,)] = fetchall(
        """
        SELECT count(*) FROM wagtailcore_page q
        LEFT JOIN (
            SELECT substr(path, 1, length(path) - 4) AS parent_path, count(*) AS n
            FROM wagtailcore_page WHERE depth > 1 GROUP BY 1
        ) c ON c.parent_path = q.path
        WHERE q.numchild <> COALESCE(c.n, 0)
        """
    )
    return {"orphans": orphans, "wrong_depth": wrong_depth, "wrong_numchild": wrong_numchild}


# Search index ---------------------------------------------------------------------------


class NotInSQL(Exception):
    """A search field the SQL builder cannot express; index those objects in Python."""


def _strip_html(expression: str) -> str:
    """wagtail.rich_text.get_text_for_indexing in SQL, for the simple HTML we write:
    a space after block ends and <br/>, then the tags removed."""
    return (
        "btrim(regexp_replace(regexp_replace(regexp_replace("
        f"{expression}, '(</(p|h\\d|li|blockquote)>)', '\\1 ', 'gi'), "
        "'(<(br|hr)\\s*/>)', '\\1 ', 'gi'), '<[^>]*>', '', 'g'))"
    )


def _text_expression(model_field, alias: str) -> str:
    column = f'{alias}."{model_field.column}"'
    if isinstance(model_field, StreamField):
        raise NotInSQL(f"{model_field.model.__name__}.{model_field.name} is a StreamField")
    if isinstance(model_field, RichTextField):
        return _strip_html(column)
    if isinstance(model_field, models.CharField | models.TextField):
        return column
    raise NotInSQL(f"{model_field.model.__name__}.{model_field.name} is not text")


@dataclass
class IndexPlan:
    """SQL pieces for one model: what modelsearch's ObjectIndexer puts in each column."""

    source: str  # FROM … (with joins)
    object_id: str
    titles: list[tuple[str, str]]  # (text expression, weight)
    bodies: list[tuple[str, str]]
    autocompletes: list[tuple[str, str]]


def index_plan(model) -> IndexPlan:
    """Mirror modelsearch's postgres ObjectIndexer for `model` in SQL: SearchFields
    named "title" go to `title`, other SearchFields to `body`, AutocompleteFields to
    `autocomplete` (weight D); weights come from the field boosts, as the backend
    computes them; RelatedFields become LEFT JOINs."""
    from modelsearch.backends.database.postgres.weights import get_weight
    from modelsearch.index import AutocompleteField, RelatedFields, SearchField

    is_page = issubclass(model, Page) and model is not Page
    if is_page:
        table, pointer = model._meta.db_table, model._meta.pk.column
        source = f'wagtailcore_page p JOIN "{table}" c ON c."{pointer}" = p.id'
        object_id = "p.id::text"
    else:
        source = f'"{model._meta.db_table}" c'
        object_id = f'c."{model._meta.pk.column}"::text'

    def alias_for(model_field) -> str:
        if is_page and model_field.model is Page:
            return "p"
        if model_field.model is model or model_field.model._meta.db_table == model._meta.db_table:
            return "c"
        raise NotInSQL(f"{model.__name__}.{model_field.name} lives in another table")

    plan = IndexPlan(source, object_id, [], [], [])
    joins = 0
    for search_field in model.get_search_fields():
        if isinstance(search_field, SearchField):
            model_field = model._meta.get_field(search_field.field_name)
            expression = _text_expression(model_field, alias_for(model_field))
            weight = get_weight(search_field.boost)
            target = plan.titles if search_field.field_name == "title" else plan.bodies
            target.append((expression, weight))
        elif isinstance(search_field, AutocompleteField):
            model_field = model._meta.get_field(search_field.field_name)
            plan.autocompletes.append((_text_expression(model_field, alias_for(model_field)), "D"))
        elif isinstance(search_field, RelatedFields):
            relation = model._meta.get_field(search_field.field_name)
            if not (relation.many_to_one or relation.one_to_one) or not relation.concrete:
                raise NotInSQL(f"{model.__name__}.{relation.name} is not a foreign key")
            joins += 1
            alias = f"r{joins}"
            related = relation.related_model
            plan.source += (
                f' LEFT JOIN "{related._meta.db_table}" {alias} ON {alias}."'
                f'{relation.target_field.column}" = {alias_for(relation)}."{relation.column}"'
            )
            for sub in search_field.fields:
                if not isinstance(sub, SearchField):
                    continue
                sub_field = related._meta.get_field(sub.field_name)
                expression = _text_expression(sub_field, alias)
                target = plan.titles if sub.field_name == "title" else plan.bodies
                target.append((expression, get_weight(sub.boost)))
    return plan


def _vector(parts: list[tuple[str, str]], config: str) -> str:
    if not parts:
        return "''::tsvector"
    return " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig, COALESCE({expression}, '')), '{weight}')"
        for expression, weight in parts
    )


def _plain(parts: list[tuple[str, str]]) -> str:
    if not parts:
        return "''"
    pieces = ", ".join(
        f"NULLIF(btrim(COALESCE({expression}, ''), E' \\t\\n\\r'), '')" for expression, _w in parts
    )
    return f"concat_ws(' ', {pieces})"


def index_in_sql(model, where: str, params=(), config: str = "dutch") -> int:
    """One INSERT … SELECT that writes the index entries of the rows `where` selects
    (aliases: c = the model's table, p = wagtailcore_page for pages)."""
    from wagtail.search.models import IndexEntry

    plan = index_plan(model)
    content_type_id = ContentType.objects.get_for_model(model).pk
    statement = f"""
        INSERT INTO "{IndexEntry._meta.db_table}"
            (content_type_id, object_id, title, autocomplete, body, title_norm, title_text,
             body_text)
        SELECT {content_type_id}, {plan.object_id}, {_vector(plan.titles, config)},
               {_vector(plan.autocompletes, "simple")}, {_vector(plan.bodies, config)}, 1.0,
               {_plain(plan.titles)}, {_plain(plan.bodies)}
        FROM {plan.source}
        WHERE {where}
    """  # noqa: S608 (identifiers from model metadata; values are parameters)
    return execute(statement, params)


def index_in_python(model, ids: list[int], batch: int = 500) -> int:
    """The backend's own add_bulk, for models the SQL builder cannot express."""
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    done = 0
    for start in range(0, len(ids), batch):
        objects = list(model.objects.filter(pk__in=ids[start : start + batch]))
        backend.add_bulk(model, objects)
        done += len(objects)
    return done


def index_mismatches(model, ids: list[int]) -> list[str]:
    """Compare the stored entries of `ids` with what the backend itself would write
    (modelsearch's ObjectIndexer, evaluated by the database, nothing stored)."""
    from modelsearch.backends.database.postgres.postgres import ObjectIndexer
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    backend = get_search_backend()
    content_type_id = ContentType.objects.get_for_model(model).pk
    problems = []
    for obj in model.objects.filter(pk__in=ids):
        indexer = ObjectIndexer(obj, backend)
        expected = (
            model.objects.filter(pk=obj.pk)
            .annotate(_t=indexer.title, _a=indexer.autocomplete, _b=indexer.body)
            .values_list("_t", "_a", "_b")
            .get()
        )
        expected = (*map(str, expected), indexer.title_text, indexer.body_text)
        stored = fetchall(
            f'SELECT title::text, autocomplete::text, body::text, title_text, body_text FROM "{IndexEntry._meta.db_table}" '  # noqa: E501, S608
            "WHERE content_type_id = %s AND object_id = %s",
            [content_type_id, str(obj.pk)],
        )
        if not stored:
            problems.append(f"{model.__name__} {obj.pk}: no index entry")
            continue
        for name, want, have in zip(
            ("title", "autocomplete", "body", "title_text", "body_text"),
            expected,
            stored[0],
            strict=True,
        ):
            if want != have:
                problems.append(f"{model.__name__} {obj.pk} {name}: {have!r} != {want!r}")
    return problems


def refresh_title_norms() -> None:
    """The backend's own title normalisation (entries still at 1.0)."""
    from wagtail.search.backends import get_search_backend

    from via_platform.forums.models import Topic

    backend = get_search_backend()
    backend.get_index_for_model(Topic)._refresh_title_norms()


# Afterwards -----------------------------------------------------------------------------


def reset_sequences(model_list: list) -> int:
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return len(statements)


def _add_constraint(table: str, name: str, definition: str) -> None:
    execute(
        sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(
            sql.Identifier(table), sql.Identifier(name)
        )
        + sql.SQL(definition)
    )
