"""The discussion under each practice, built on the forum (see forums.hosts).

Who takes part (issue 8: "members of its communities, or all members for public
practices"):

- reading and writing is for logged-in people who may read the practice
  (permissions.visible_to): for a members-only practice the members of its communities,
  for a public practice every logged-in member of the platform;
- a member suspended from one of the practice's communities reads but does not write;
- moderators and coordinators of its communities, and the kennisbank's editors,
  moderate the discussion (where they may read it).

`context()` gives the practice page the latest messages and the reply form.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from via_platform.communities.models import (
    CommunityPage,
    ContentVisibility,
    Membership,
    MembershipState,
    Role,
)
from via_platform.forums import permissions as forum_permissions
from via_platform.forums import services
from via_platform.forums.forms import PostForm
from via_platform.forums.hosts import Host, register_host
from via_platform.forums.models import Post, Suspension
from via_platform.forums.views import display_name
from via_platform.library import permissions
from via_platform.library.models import PracticePage

LATEST_POSTS = 10


def _logged_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_read(user, practice: PracticePage) -> bool:
    return _logged_in(user) and practice.live and permissions.can_view(user, practice)


def _suspended(user, practice: PracticePage) -> bool:
    return Suspension.objects.filter(
        user=user,
        community__in=practice.communities.all(),
        until__gt=timezone.now(),
        lifted_at__isnull=True,
    ).exists()


def can_post(user, practice: PracticePage) -> bool:
    return can_read(user, practice) and not _suspended(user, practice)


def can_moderate(user, practice: PracticePage) -> bool:
    if not _logged_in(user):
        return False
    if permissions.is_editor(user):  # superusers included
        return True
    return Membership.objects.filter(
        user=user,
        community__in=practice.communities.all(),
        state=MembershipState.ACTIVE,
        role__in=[Role.MODERATOR, Role.COORDINATOR],
    ).exists()


def readable_pages(user) -> QuerySet:
    """Ids of the practices whose discussion this person may read (one subquery)."""
    if not _logged_in(user):
        return PracticePage.objects.none().values("pk")
    return permissions.visible_to(user).values("pk")


def readers(users: QuerySet, practice: PracticePage) -> QuerySet:
    """Of these (active) people, those who may read the practice's discussion."""
    if not practice.live:
        return users.filter(is_superuser=True)
    if not practice.members_only:
        return users
    communities = CommunityPage.objects.live().filter(practices=practice)
    if communities.filter(hidden=False, content_visibility=ContentVisibility.PUBLIC).exists():
        return users  # as permissions.hidden_practices: one readable community suffices
    members = Membership.objects.filter(
        community__in=communities, state=MembershipState.ACTIVE
    ).values("user_id")
    return users.filter(Q(pk__in=members) | Q(is_superuser=True))


def moderated_pages(user) -> QuerySet:
    """Ids of the practices whose discussion this person moderates."""
    if not _logged_in(user):
        return PracticePage.objects.none().values("pk")
    if permissions.is_editor(user):
        return PracticePage.objects.values("pk")
    moderated = Membership.objects.filter(
        user=user, state=MembershipState.ACTIVE, role__in=[Role.MODERATOR, Role.COORDINATOR]
    ).values("community_id")
    return PracticePage.objects.filter(communities__in=moderated).values("pk")


def community_ids(practice: PracticePage) -> list[int]:
    return list(practice.communities.values_list("pk", flat=True))


def register() -> None:
    """Called from LibraryConfig.ready()."""
    register_host(
        Host(
            model=PracticePage,
            can_read=can_read,
            can_post=can_post,
            can_moderate=can_moderate,
            readable_pages=readable_pages,
            readers=readers,
            community_ids=community_ids,
            moderated_pages=moderated_pages,
        )
    )


# On the practice page ----------------------------------------------------------------


def reply_url(practice: PracticePage) -> str:
    return f"/discussies/pagina/{practice.pk}/reageren/"


def _why_not(user, practice: PracticePage, topic) -> str:
    if not _logged_in(user):
        return _("Log in to read the discussion and take part.")
    if topic is not None and topic.hidden:
        return _("A moderator has hidden this discussion.")
    if topic is not None and topic.closed:
        return _("This discussion is closed; no new replies can be added.")
    if _suspended(user, practice):
        return _("You cannot post in this discussion for now.")
    return _("Join one of the communities of this practice to take part.")


def context(user, practice: PracticePage) -> dict | None:
    """What templates/forums/discussion_under_page.html shows: the latest messages this
    person may read (one query), and the reply form or why there is none. None for
    drafts and previews."""
    if practice.pk is None or not practice.live:
        return None
    topic = services.discussion_for(practice)
    if topic is not None:
        topic.page = practice  # the permission checks ask the host about this very page
    readable = can_read(user, practice) and (
        topic is None or forum_permissions.can_read_topic(user, topic)
    )
    info = {
        "topic": topic,
        "topic_url": services.topic_url(topic) if topic is not None else "",
        "reply_url": reply_url(practice),
        "can_read": readable,
        "can_post": False,
        "login": not _logged_in(user),
        "posts": [],
        "count": 0,
    }
    if readable and topic is None:
        info["can_post"] = can_post(user, practice)
    elif readable:
        visible = forum_permissions.posts_visible_to(user, Post.objects.filter(topic=topic))
        info["count"] = visible.count()
        latest = list(visible.select_related("author__profile").order_by("-number")[:LATEST_POSTS])
        for post in latest:
            post.author_name = display_name(post.author, user)
        info["posts"] = latest[::-1]
        info["can_post"] = forum_permissions.can_post(user, topic)
    if info["can_post"]:
        info["form"] = PostForm(with_images=False, auto_id="discussion-%s")
    else:
        info["reason"] = _why_not(user, practice, topic)
    return info
