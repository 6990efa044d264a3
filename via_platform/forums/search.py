"""Forum search: topic titles and post texts, only for people who may read them.

How: Wagtail's search backend (the database backend: FTS5 on SQLite, Dutch full text on
PostgreSQL). The database backends run the queryset they are given as SQL and only
check that it filters on indexed FilterFields. So the search starts from the
permission filters themselves:

- topics: `permissions.topics_visible_to(user)`, which filters on Topic's FilterFields
  (community_id, page_id, hidden) with subqueries as values, is searched as it is: a
  topic a person may not read is never matched, ranked or counted.
- posts: `permissions.posts_visible_to` also looks at the topic's community (a join
  the backend refuses), so posts are searched within the visible topics
  (`topic_id IN (topics_visible_to …)`, not deleted) — again as SQL — and the ranked
  ids are then passed through `posts_visible_to`, which drops the hidden posts this
  person may not read. At most MAX_MATCHES ids travel in that second step (SQLite limits
  the parameters of an IN (…)); a search matching more keeps the most relevant.

Both steps behave the same on SQLite and PostgreSQL, never trust an id list built
without the permission filter, and cost a constant number of queries. A hit is one
topic, shown with its best matching post (or, for a title match, its opening post) as
plain text: `markdown.plain_text` strips the markup and templates escape the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext
from wagtail.search.backends import get_search_backend

from via_platform.communities.models import CommunityPage
from via_platform.forums import markdown, permissions, services
from via_platform.forums.models import Post, Topic

MAX_QUERY_LENGTH = 200
MAX_MATCHES = 500
MAX_RESULTS = 50
SITE_RESULTS = 10
EXCERPT_LENGTH = 240

# Words only: quotes, asterisks and brackets are syntax to SQLite's FTS5 and nothing
# to a person typing in a search box (PostgreSQL ignores them anyway).
_NOT_A_WORD = re.compile(r"[^\w\s'’-]+")


@dataclass(frozen=True)
class Hit:
    topic: Topic
    post: Post | None  # the matching post, or the opening post for a title match
    excerpt: str
    url: str
    place: str  # the community, or "Discussion" for the discussion under a page


def clean_query(query: str) -> str:
    return " ".join(_NOT_A_WORD.sub(" ", (query or "")[:MAX_QUERY_LENGTH]).split())


def _ranked(query: str, queryset: QuerySet, fields: tuple[str, ...]) -> list:
    """The objects of `queryset` matching all words, most relevant first; when none
    has all of them, those matching any. Only `fields` are loaded."""
    backend = get_search_backend()
    for operator in ("and", "or"):
        try:
            # A savepoint: a query the full-text parser refuses must not break the
            # surrounding transaction on PostgreSQL.
            with transaction.atomic():
                found = list(
                    backend.search(query, queryset.only(*fields), operator=operator)[:MAX_MATCHES]
                )
        except DatabaseError:
            found = []
        if found or len(query.split()) < 2:
            return found
    return []


def search_posts(
    user, query: str, community: CommunityPage | None = None, limit: int = MAX_RESULTS
) -> list[Hit]:
    """Topics (and the posts in them) matching `query` that this person may read; in
    one forum when `community` is given, else everywhere (forums and discussions)."""
    query = clean_query(query)
    if not query:
        return []
    topics = Topic.objects.all()
    if community is not None:
        topics = topics.filter(community=community)
    topics = permissions.topics_visible_to(user, topics)
    posts = Post.objects.filter(topic__in=topics.values("pk"), deleted_at__isnull=True)

    title_ids = [topic.pk for topic in _ranked(query, topics, ("pk",))]
    matched = _ranked(query, posts, ("pk", "topic_id"))
    readable = set(
        permissions.posts_visible_to(
            user, Post.objects.filter(pk__in=[p.pk for p in matched])
        ).values_list("pk", flat=True)
    )

    # One hit per topic: title matches first, then topics by their best post.
    order: list[int] = []
    best_post: dict[int, int] = {}
    for topic_id in title_ids:
        if topic_id not in best_post and len(order) < limit:
            order.append(topic_id)
            best_post[topic_id] = 0
    for post in matched:
        if post.pk not in readable:
            continue
        if post.topic_id in best_post:
            if best_post[post.topic_id] == 0:
                best_post[post.topic_id] = post.pk  # a title match shows a matching post
        elif len(order) < limit:
            order.append(post.topic_id)
            best_post[post.topic_id] = post.pk
    if not order:
        return []

    loaded = permissions.topics_visible_to(
        user, Topic.objects.select_related("community", "page")
    ).in_bulk(order)
    shown_ids = [pk for pk in best_post.values() if pk]
    openers = [tid for tid in order if not best_post[tid]]
    shown = {
        post.pk: post
        for post in permissions.posts_visible_to(user, Post.objects.filter(pk__in=shown_ids))
    }
    opening = {
        post.topic_id: post
        for post in permissions.posts_visible_to(
            user, Post.objects.filter(topic_id__in=openers, number=1)
        )
    }
    hits = []
    for topic_id in order:
        topic = loaded.get(topic_id)
        if topic is None:
            continue
        post = shown.get(best_post[topic_id]) or opening.get(topic_id)
        if post is not None:
            post.topic = topic
        hits.append(
            Hit(
                topic=topic,
                post=post,
                excerpt=markdown.plain_text(post.body, EXCERPT_LENGTH) if post else "",
                url=services.post_url(post) if post else services.topic_url(topic),
                place=topic.community.title if topic.community_id else gettext("Discussion"),
            )
        )
    return hits


def search_forum(user, community: CommunityPage, query: str, limit: int = MAX_RESULTS):
    """Search within one community's forum."""
    return search_posts(user, query, community=community, limit=limit)


def search_for_site(user, query: str) -> list[dict]:
    """For /zoeken/ (registered with cms.search_sources in apps.py)."""
    return [
        {"title": hit.topic.title, "url": hit.url, "excerpt": hit.excerpt, "place": hit.place}
        for hit in search_posts(user, query, limit=SITE_RESULTS)
    ]


def register() -> None:
    """Called from ForumsConfig.ready(): forum results in site search."""
    from django.utils.translation import gettext_lazy as _

    from cms.search_sources import register_search_source

    register_search_source("forum", _("Forum"), search_for_site)
