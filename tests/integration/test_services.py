"""The suite runs against the stores the environment names: this proves it.

CI runs the suite twice; on the second run DATABASE_URL and REDIS_URL point at the
machine's PostgreSQL and Redis, and these tests fail if the code quietly used SQLite or
the filesystem broker instead.
"""

from __future__ import annotations

import os
import smtplib

import pytest
from django.core import mail
from django.core.cache import cache, caches
from django.db import connection

from workers.celery import app as celery_app

pytestmark = pytest.mark.integration


def test_database_is_the_one_configured(db):
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_postgres_search_uses_the_dutch_configuration(settings):
    if connection.vendor != "postgresql":
        assert settings.WAGTAILSEARCH_BACKENDS["default"].get("SEARCH_CONFIG") is None
        return
    assert settings.WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] == "dutch"


def test_an_indexed_save_touches_only_its_own_index_entries(db, django_assert_max_num_queries):
    """Posting must not cost a scan of the whole search index (a million forum posts
    at national scale): the title norm of the new entry comes from a cached average,
    and other entries keep theirs until `update_index` refreshes them all."""
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    from tests.forums import community, person
    from via_platform.forums.models import Topic

    backend = get_search_backend()
    if connection.vendor != "postgresql":
        assert backend.__class__.__name__ == "SQLiteSearchBackend"
        return
    from via_platform.search_backend import LAVG_CACHE_KEY

    place, author = community("Zorg en welzijn"), person()
    first = Topic.objects.create(community=place, title="Werkproef in de zorg", author=author)
    IndexEntry.objects.filter(object_id=str(first.pk)).update(title_norm=1.0)  # untouched
    cache.set(LAVG_CACHE_KEY, 10.0, 60)
    second = Topic(community=place, title="Jobcoaching bij mkb", author=author)
    with django_assert_max_num_queries(5) as queries:
        second.save()
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "AVG(" not in sql.upper()
    entries = IndexEntry.objects.filter(content_type__model="topic")
    norms = dict(entries.values_list("object_id", "title_norm"))
    assert norms[str(first.pk)] == 1.0
    # The norm is the average over the number of lexemes ("jobcoach", "mkb").
    assert norms[str(second.pk)] == pytest.approx(10.0 / 2)
    assert [hit.pk for hit in backend.search("jobcoaching", Topic.objects.all())] == [second.pk]


def test_search_finds_entries_through_the_gin_index(db):
    """Wagtail's PostgreSQL search matches `(title || body)`; without an index on that
    expression every search reads the whole index table (cms migration 0002)."""
    from wagtail.search.backends import get_search_backend

    from tests.forums import community, person
    from via_platform.forums.models import Topic

    place = community("Zorg en welzijn")
    topic = Topic.objects.create(community=place, title="Jobcoaching bij mkb", author=person())
    queryset = get_search_backend().search("jobcoaching", Topic.objects.all())
    if connection.vendor != "postgresql":
        assert list(queryset) == [topic]
        return
    sql, _params = queryset.query_compiler.search(None, 0, None).query.sql_with_params()
    assert '("wagtailsearch_indexentry"."title" || "wagtailsearch_indexentry"."body") @@' in sql
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table is read whole
        cursor.execute(
            "EXPLAIN SELECT id FROM wagtailsearch_indexentry "
            "WHERE (title || body) @@ to_tsquery('dutch', 'jobcoaching')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_indexentry_document_gin" in plan, plan
    assert list(queryset) == [topic]


def test_cache_and_broker_are_the_ones_configured():
    redis_url = os.environ.get("REDIS_URL", "")
    backend = caches["default"].__class__.__name__
    assert backend == ("DegradingRedisCache" if redis_url else "FileBasedCache")
    cache.set("integration:probe", {"ok": True}, 30)
    assert cache.get("integration:probe") == {"ok": True}
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        assert conn.transport_cls == ("redis" if redis_url else "filesystem")


def test_mail_goes_out_over_real_smtp(settings, smtp_server):
    _controller, inbox = smtp_server
    sent = mail.send_mail(
        "Welkom bij VIA Leernetwerken", "Fijn dat je er bent.", None, ["karim@voorbeeld.nl"]
    )
    assert sent == 1
    assert len(inbox.messages) == 1
    envelope = inbox.messages[0]
    assert envelope.rcpt_tos == ["karim@voorbeeld.nl"]
    assert b"Subject: Welkom bij VIA Leernetwerken" in envelope.content


def test_unreachable_smtp_server_raises_instead_of_losing_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises((ConnectionError, smtplib.SMTPException, OSError)):
        mail.send_mail("x", "y", None, ["karim@voorbeeld.nl"])
