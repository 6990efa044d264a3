"""Who may read, write in and moderate forum topics. Every view, search result, mention,
notification and email asks here (see communities.permissions for the community rules).

A community's topics are readable by whoever may read that community's content; a
discussion under a page follows the rules its host registered (hosts.py). Hidden topics
and hidden posts are for moderators; a suspended member reads but does not write.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from via_platform.communities import permissions as community_permissions
from via_platform.communities.models import (
    CommunityPage,
    ContentVisibility,
    Membership,
    MembershipState,
    Role,
)
from via_platform.forums.hosts import host_for, hosts
from via_platform.forums.models import Post, Suspension, Topic


def _is_superuser(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def suspension(user, community: CommunityPage | None) -> Suspension | None:
    if community is None or user is None or not user.is_authenticated:
        return None
    return (
        Suspension.objects.filter(
            community=community, user=user, until__gt=timezone.now(), lifted_at__isnull=True
        )
        .order_by("-until")
        .first()
    )


def can_read_place(user, topic: Topic) -> bool:
    """May this person read the forum or discussion the topic lives in?"""
    if topic.community_id is not None:
        return community_permissions.can_view(user, topic.community)
    host = host_for(topic.page)
    return host is not None and host.can_read(user, topic.page.specific)


def can_moderate_topic(user, topic: Topic) -> bool:
    if topic.community_id is not None:
        return community_permissions.can_moderate(user, topic.community)
    host = host_for(topic.page)
    return host is not None and host.can_moderate(user, topic.page.specific)


def can_read_topic(user, topic: Topic) -> bool:
    if not can_read_place(user, topic):
        return False
    return not topic.hidden or can_moderate_topic(user, topic)


def can_start_topic(user, community: CommunityPage) -> bool:
    return (
        community_permissions.can_view(user, community)
        and community_permissions.can_contribute(user, community)
        and suspension(user, community) is None
    )


def can_post(user, topic: Topic) -> bool:
    """May this person reply in the topic (now)?"""
    if not can_read_topic(user, topic):
        return False
    if topic.community_id is not None:
        if not community_permissions.can_contribute(user, topic.community) and not (
            _is_superuser(user)
        ):
            return False
        if suspension(user, topic.community) is not None:
            return False
    else:
        host = host_for(topic.page)
        if not host.can_post(user, topic.page.specific):
            return False
    return not topic.closed or can_moderate_topic(user, topic)


def can_post_on_page(user, page) -> bool:
    """May this person start or join the discussion under a page?"""
    host = host_for(page)
    return host is not None and host.can_post(user, page.specific)


def can_edit_post(user, post: Post) -> bool:
    if user is None or not user.is_authenticated:
        return False
    topic = post.topic
    if can_moderate_topic(user, topic):
        return True
    return post.author_id == user.pk and post.is_visible and can_post(user, topic)


def can_delete_post(user, post: Post) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and post.author_id == user.pk
        and post.deleted_at is None
        and can_read_topic(user, post.topic)
    )


def can_accept(user, post: Post) -> bool:
    """The asker or a moderator marks an answer (not the question itself)."""
    topic = post.topic
    if not topic.is_question or post.number == 1 or not post.is_visible:
        return False
    if not can_read_topic(user, topic):
        return False
    return (user.is_authenticated and topic.author_id == user.pk) or can_moderate_topic(user, topic)


def can_see_post_body(user, post: Post, moderator: bool | None = None) -> bool:
    """Hidden and deleted posts keep their place in the topic; their text is for
    moderators only (and a hidden post's author, who is told why)."""
    if post.deleted_at is not None:
        return False
    if post.hidden_at is None:
        return True
    if moderator is None:
        moderator = can_moderate_topic(user, post.topic)
    return moderator or (user.is_authenticated and post.author_id == user.pk)


def can_read_post(user, post: Post) -> bool:
    return can_read_topic(user, post.topic) and can_see_post_body(user, post)


def moderated_community_ids(user) -> QuerySet | list:
    if user is None or not user.is_authenticated:
        return []
    if _is_superuser(user):
        return CommunityPage.objects.values("pk")
    return Membership.objects.filter(
        user=user,
        state=MembershipState.ACTIVE,
        role__in=[Role.MODERATOR, Role.COORDINATOR],
    ).values("community_id")


def topics_visible_to(user, topics: QuerySet | None = None) -> QuerySet:
    """The topics this person may read, as one filter (lists, search, feeds)."""
    topics = topics if topics is not None else Topic.objects.all()
    readable = community_permissions.content_visible_to(user, CommunityPage.objects.all())
    place = Q(community__in=readable.values("pk"))
    for host in hosts():
        place |= Q(page__in=host.readable_pages(user))
    topics = topics.filter(place)
    if _is_superuser(user):
        return topics
    return topics.filter(Q(hidden=False) | _moderated_place(user, "community", "page"))


def _moderated_place(user, community_field: str, page_field: str) -> Q:
    """Topics (or posts) in places this person moderates: communities, and pages whose
    host says so."""
    moderated = Q(**{f"{community_field}__in": moderated_community_ids(user)})
    if user is not None and user.is_authenticated:
        for host in hosts():
            if host.moderated_pages is not None:
                moderated |= Q(**{f"{page_field}__in": host.moderated_pages(user)})
    return moderated


def posts_visible_to(user, posts: QuerySet | None = None) -> QuerySet:
    """Posts whose text this person may read (not deleted, not hidden unless moderator)."""
    posts = posts if posts is not None else Post.objects.all()
    posts = posts.filter(topic__in=topics_visible_to(user).values("pk"), deleted_at__isnull=True)
    if _is_superuser(user):
        return posts
    return posts.filter(
        Q(hidden_at__isnull=True) | _moderated_place(user, "topic__community", "topic__page")
    )


def readers(users: QuerySet, topic: Topic) -> QuerySet:
    """Of these people, the ones who may read the topic (one query, at fan-out time)."""
    users = users.filter(is_active=True)
    if topic.community_id is not None:
        community = topic.community
        if not community.live:
            return users.none()
        members = Membership.objects.filter(
            community=community, state=MembershipState.ACTIVE
        ).values("user_id")
        moderators = members.filter(role__in=[Role.MODERATOR, Role.COORDINATOR])
        if topic.hidden:
            return users.filter(Q(pk__in=moderators) | Q(is_superuser=True))
        if community.hidden or community.content_visibility != ContentVisibility.PUBLIC:
            return users.filter(Q(pk__in=members) | Q(is_superuser=True))
        return users
    host = host_for(topic.page)
    if host is None or topic.hidden:
        return users.filter(is_superuser=True)
    return host.readers(users, topic.page.specific)


def mentionable(topic: Topic, handles: set[str]) -> QuerySet:
    """The people these handles name who may read the topic."""
    if not handles:
        return get_user_model().objects.none()
    return readers(get_user_model().objects.filter(handle__in=handles), topic)
