"""The search configuration: PostgreSQL full-text search by default, OpenSearch or
Elasticsearch when SEARCH_URL names one, and the searches the site runs expressed in
what such a server understands. No search server runs here: the OpenSearch tests stop
at the query the backend would send, which is where a missing filter field or an
unsupported lookup fails."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from wagtail.search.backends import get_search_backend

from cms.visibility import findable_pages
from via_platform.forums.models import Post, Topic
from via_platform.library.models import PracticePage
from via_platform.settings import search_backend


def test_without_search_url_the_database_searches():
    config = search_backend("")
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        assert config == {"BACKEND": "via_platform.search_backend", "SEARCH_CONFIG": "dutch"}
    else:
        assert config == {"BACKEND": "wagtail.search.backends.database"}
    assert settings.WAGTAILSEARCH_BACKENDS["default"] == config


def test_search_url_chooses_opensearch_or_elasticsearch():
    assert search_backend("opensearch+https://zoek:ge%23heim@search.internal:9201/via-prod") == {
        "BACKEND": "wagtail.search.backends.opensearch3",
        "URLS": ["https://zoek:ge%23heim@search.internal:9201"],
        "INDEX_PREFIX": "via-prod_",
        "TIMEOUT": 5,
    }
    config = search_backend("elasticsearch://search.internal")
    assert config["BACKEND"] == "wagtail.search.backends.elasticsearch9"
    assert config["URLS"] == ["http://search.internal:9200"]
    assert config["INDEX_PREFIX"] == "via_"
    with pytest.raises(ImproperlyConfigured, match="opensearch:// or elasticsearch://"):
        search_backend("solr://search.internal:8983")


@pytest.fixture
def opensearch():
    config = search_backend("opensearch+https://zoek:geheim@search.internal:9201/via-prod")
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": config}):
        yield get_search_backend()


def test_the_opensearch_backend_is_built_from_the_url(opensearch):
    from opensearchpy import OpenSearch

    assert isinstance(opensearch.es, OpenSearch)
    (host,) = opensearch.es.transport.hosts
    assert (host["host"], host["port"], host["use_ssl"]) == ("search.internal", 9201, True)
    assert host["http_auth"] == ("zoek", "geheim")
    assert opensearch.es.transport.kwargs["timeout"] == 5
    assert opensearch.get_index_for_model(Post).name == "via-prod_forums_post"


@pytest.mark.django_db
def test_the_sites_searches_compile_for_opensearch(opensearch):
    """The queries of /zoeken/, the kennisbank and the forums, with the filters they
    apply, as OpenSearch queries; an unindexed filter field would raise here."""
    anonymous = AnonymousUser()
    pages = opensearch.search("statushouders", findable_pages(anonymous))
    practices = opensearch.search(
        "jobcoach werkgever", PracticePage.objects.live().public(), operator="and"
    )
    topics = opensearch.search("werkproef", Topic.objects.filter(community_id=7, hidden=False))
    posts = opensearch.search(
        "werkproef",
        Post.objects.filter(community_id_cache=7, hidden_at__isnull=True, deleted_at__isnull=True),
    )
    queries = [r.query_compiler.get_query() for r in (pages, practices, topics, posts)]
    assert all(queries), queries
    assert "statushouders" in str(queries[0])
    # Drafts and the pages a visitor may not find stay out (cms.visibility's filters
    # arrive as id exclusions, evaluated in the database before the query is sent).
    assert "'live_filter': True" in str(queries[0])
    assert "'must_not': {'terms': {'id_filter'" in str(queries[0])
    assert "'operator': 'and'" in str(queries[1])
    assert "'community_id_filter': 7" in str(queries[2])
    assert "'community_id_cache_filter': 7" in str(queries[3])
