"""What happens in a forum: topics, posts, edits, answers, watching, read state, flags
and moderation. Views and tasks call these; each change and the notice of it are
written in one transaction (see notifications.services.notify).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from via_platform.accounts import audit as audit_trail
from via_platform.accounts.models import AuditEvent
from via_platform.communities.models import CommunityPage, Membership, MembershipState
from via_platform.forums import markdown
from via_platform.forums import permissions as perms
from via_platform.forums.models import (
    Flag,
    ModerationAction,
    ModerationLog,
    Post,
    PostImage,
    PostRecipient,
    PostRevision,
    ReadCutoff,
    ReadState,
    Suspension,
    Topic,
    Watch,
    WatchLevel,
)
from via_platform.notifications.services import notify

# Notification kinds (registered in apps.py).
NEW_TOPIC = "forums.topic"
NEW_POST = "forums.post"
REPLY = "forums.reply"
MENTION = "forums.mention"
ACCEPTED = "forums.accepted"
MODERATED = "forums.moderated"

POSTS_PER_PAGE = 20
TOPICS_PER_PAGE = 25
MAX_BODY_LENGTH = 20_000
MAX_TITLE_LENGTH = 200
NEW_MEMBER_PERIOD = timedelta(days=7)
NEW_MEMBER_POSTS = 3


class RateLimited(ValidationError):
    """Too many posts or flags in a short time; the message says how long to wait."""


def _rate(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# Places and URLs -------------------------------------------------------------------


def forum_url(community: CommunityPage) -> str:
    return f"{community.url}forum/"


def topic_url(topic: Topic) -> str:
    if topic.community_id is not None:
        return f"{forum_url(topic.community)}{topic.pk}/"
    return f"/discussies/{topic.pk}/"


def page_of(number: int) -> int:
    return (max(number, 1) - 1) // POSTS_PER_PAGE + 1


def post_url(post: Post) -> str:
    """Where a post is: its page of the topic, at its anchor."""
    page = page_of(post.number)
    query = f"?pagina={page}" if page > 1 else ""
    return f"{topic_url(post.topic)}{query}#bericht-{post.number}"


def community_of(topic: Topic) -> CommunityPage | None:
    return topic.community if topic.community_id is not None else None


# Writing ------------------------------------------------------------------------------


def one_line(text: str) -> str:
    """A title is one line: runs of whitespace (line breaks too) become one space."""
    return " ".join((text or "").split())


def _check_text(title: str | None, body: str) -> None:
    errors = {}
    if title is not None:
        title = one_line(title)
        if not title:
            errors["title"] = _("Give your topic a title.")
        elif len(title) > MAX_TITLE_LENGTH:
            errors["title"] = _("A title has at most %(n)s characters.") % {"n": MAX_TITLE_LENGTH}
    if not body.strip():
        errors["body"] = _("Write a message.")
    elif len(body) > MAX_BODY_LENGTH:
        errors["body"] = _("A message has at most %(n)s characters.") % {"n": MAX_BODY_LENGTH}
    if errors:
        raise ValidationError(errors)


def _is_new_member(user, community: CommunityPage | None) -> bool:
    if community is None:
        recent = user.date_joined > timezone.now() - NEW_MEMBER_PERIOD
    else:
        joined = (
            Membership.objects.filter(user=user, community=community, state=MembershipState.ACTIVE)
            .values_list("joined_at", flat=True)
            .first()
        )
        recent = joined is None or joined > timezone.now() - NEW_MEMBER_PERIOD
    return recent and Post.objects.filter(author=user).count() < NEW_MEMBER_POSTS


def check_post_rate(user, community: CommunityPage | None) -> None:
    """Posts per person per minute, stricter for new members. Call inside the posting
    transaction: the person's row is locked, so a burst is counted one by one. (FOR NO
    KEY UPDATE: other posts that merely refer to this person, as recipients, go on.)"""
    get_user_model().objects.select_for_update(no_key=True).filter(pk=user.pk).first()
    limit = (
        _rate("FORUMS_NEW_MEMBER_POSTS_PER_MINUTE", 2)
        if _is_new_member(user, community)
        else _rate("FORUMS_POSTS_PER_MINUTE", 6)
    )
    recent = Post.objects.filter(
        author=user, created_at__gt=timezone.now() - timedelta(minutes=1)
    ).count()
    if recent >= limit:
        raise RateLimited(
            ngettext(
                "You can post %(limit)s message a minute. Wait a moment and send it again; "
                "your text is kept below.",
                "You can post %(limit)s messages a minute. Wait a moment and send it again; "
                "your text is kept below.",
                limit,
            )
            % {"limit": limit},
            code="rate",
        )


def _mention_name(topic: Topic):
    """For markdown.render: a handle is a mention if its person may read the topic."""
    known: dict[str, str | None] = {}

    def lookup(handle: str) -> str | None:
        if handle not in known:
            person = perms.mentionable(topic, {handle}).first()
            known[handle] = str(person) if person is not None else None
        return known[handle]

    return lookup


def render_body(topic: Topic, body: str) -> str:
    return markdown.render(body, mention=_mention_name(topic))


def _add_post(user, topic: Topic, body: str, reply_to: Post | None = None) -> Post:
    now = timezone.now()
    Topic.objects.filter(pk=topic.pk).update(last_number=F("last_number") + 1)
    number = Topic.objects.values_list("last_number", flat=True).get(pk=topic.pk)
    post = Post.objects.create(
        topic=topic,
        number=number,
        author=user,
        body=body,
        html=render_body(topic, body),
        reply_to=reply_to if reply_to is not None and reply_to.topic_id == topic.pk else None,
        created_at=now,
    )
    Topic.objects.filter(pk=topic.pk).update(
        last_post_at=now,
        last_post_author=user,
        reply_count=F("last_number") - 1,
    )
    topic.last_number, topic.last_post_at, topic.last_post_author = number, now, user
    topic.reply_count = number - 1
    mark_read(user, topic, number)
    return post


def add_images(post: Post, images: list[tuple[object, str]]) -> None:
    """(checked upload, alt text) pairs; see forms.check_image."""
    for upload, alt in images:
        PostImage.objects.create(
            post=post, file=upload, alt=alt, content_type=getattr(upload, "content_type", "")
        )


def start_topic(
    user,
    community: CommunityPage,
    *,
    title: str,
    body: str,
    tags: list[str] = (),
    is_question: bool = False,
    images: list = (),
) -> Topic:
    if not perms.can_start_topic(user, community):
        raise PermissionDenied(_("You cannot start a topic in this forum."))
    _check_text(title, body)
    with transaction.atomic():
        check_post_rate(user, community)
        topic = Topic.objects.create(
            community=community,
            title=one_line(title),
            author=user,
            is_question=is_question,
        )
        if tags:
            topic.tags.set(clean_tags(tags))
        post = _add_post(user, topic, body)
        add_images(post, images)
        set_watch(user, WatchLevel.WATCHING, topic=topic, only_if_unset=True)
        _notify_post(post, new_topic=True)
    return topic


def clean_tags(tags) -> list[str]:
    cleaned = []
    for tag in tags:
        tag = " ".join(str(tag).split()).lower()[:50]
        if tag and tag not in cleaned:
            cleaned.append(tag)
    return cleaned[:5]


def discussion_for(page, create: bool = False) -> Topic | None:
    """The topic under a page (a practice), made on the first post."""
    topic = Topic.objects.filter(page=page).first()
    if topic is None and create:
        try:
            with transaction.atomic():
                topic = Topic.objects.create(page=page, title=page.title[:MAX_TITLE_LENGTH])
        except IntegrityError:
            topic = Topic.objects.get(page=page)
    return topic


def reply(user, topic: Topic, *, body: str, reply_to: Post | None = None, images=()) -> Post:
    if not perms.can_post(user, topic):
        if topic.closed:
            raise PermissionDenied(_("This topic is closed; no new replies can be added."))
        suspended = perms.suspension(user, community_of(topic))
        if suspended is not None:
            raise PermissionDenied(
                _("You cannot post in this forum until %(date)s.")
                % {"date": timezone.localtime(suspended.until).strftime("%d-%m-%Y %H:%M")}
            )
        raise PermissionDenied(_("You cannot reply in this topic."))
    _check_text(None, body)
    with transaction.atomic():
        check_post_rate(user, community_of(topic))
        post = _add_post(user, topic, body, reply_to=reply_to)
        add_images(post, images)
        set_watch(user, WatchLevel.WATCHING, topic=topic, only_if_unset=True)
        _notify_post(post, new_topic=False)
    return post


def reply_on_page(user, page, *, body: str, reply_to: Post | None = None) -> Post:
    if not perms.can_post_on_page(user, page):
        raise PermissionDenied(_("You cannot take part in this discussion."))
    topic = discussion_for(page, create=True)
    return reply(user, topic, body=body, reply_to=reply_to)


def edit_post(user, post: Post, *, body: str, title: str | None = None, tags=None) -> Post:
    """A new text; the old one is kept for moderators. People mentioned for the first
    time are told; nobody hears of the post twice."""
    if not perms.can_edit_post(user, post):
        raise PermissionDenied(_("You cannot edit this message."))
    topic = post.topic
    first = post.number == 1 and topic.community_id is not None
    _check_text(title if first else None, body)
    with transaction.atomic():
        PostRevision.objects.create(
            post=post, body=post.body, title=topic.title if first else "", edited_by=user
        )
        post.body = body
        post.html = render_body(topic, body)
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "html", "edited_at"])
        if first and title is not None:
            topic.title = one_line(title)
            topic.save(update_fields=["title"])
            if tags is not None:
                topic.tags.set(clean_tags(tags))
        if user.pk != post.author_id:
            _log(user, ModerationAction.EDIT, topic=topic, post=post, reason=_("Edited"))
        _notify_new_mentions(post, actor=user)
    return post


def delete_post(user, post: Post) -> None:
    """The author takes a message back; it keeps its place as "deleted"."""
    if not perms.can_delete_post(user, post):
        raise PermissionDenied(_("You cannot delete this message."))
    with transaction.atomic():
        post.deleted_at = timezone.now()
        post.save(update_fields=["deleted_at"])
        topic = post.topic
        if topic.accepted_post_id == post.pk:
            topic.accepted_post = None
            topic.save(update_fields=["accepted_post"])
        if post.number == 1 and topic.community_id is not None and topic.reply_count == 0:
            topic.hidden = True  # an empty topic disappears with its only message
            topic.save(update_fields=["hidden"])


def accept_answer(user, post: Post) -> None:
    if not perms.can_accept(user, post):
        raise PermissionDenied(_("Only the person who asked, or a moderator, marks the answer."))
    topic = post.topic
    with transaction.atomic():
        topic.accepted_post = post
        topic.save(update_fields=["accepted_post"])
        if post.author_id and post.author_id != user.pk:
            notify(
                ACCEPTED,
                target=post,
                title=_("Your answer to “%(title)s” was accepted") % {"title": topic.title},
                url=post_url(post),
                audience=[post.author_id],
                actor=user,
            )


def unaccept_answer(user, topic: Topic) -> None:
    if topic.accepted_post is None or not perms.can_accept(user, topic.accepted_post):
        raise PermissionDenied(_("Only the person who asked, or a moderator, marks the answer."))
    topic.accepted_post = None
    topic.save(update_fields=["accepted_post"])


# Watching and notifications ------------------------------------------------------------


def set_watch(
    user, level: str, *, topic: Topic | None = None, community=None, only_if_unset=False
) -> None:
    place = {"topic": topic} if topic is not None else {"community": community}
    if only_if_unset:
        Watch.objects.get_or_create(user=user, **place, defaults={"level": level})
    else:
        Watch.objects.update_or_create(user=user, **place, defaults={"level": level})


def level_for(user, topic: Topic) -> str:
    levels = dict(
        Watch.objects.filter(user=user)
        .filter(Q(topic=topic) | Q(community_id=topic.community_id, community__isnull=False))
        .values_list("topic_id", "level")
    )
    return levels.get(topic.pk) or levels.get(None) or WatchLevel.NORMAL


def _levels(topic: Topic) -> tuple[set[int], set[int]]:
    """(watching, muted) user ids for a topic: a topic level overrides the forum's."""
    topic_levels = dict(Watch.objects.filter(topic=topic).values_list("user_id", "level"))
    forum_levels = {}
    if topic.community_id is not None:
        forum_levels = dict(
            Watch.objects.filter(community_id=topic.community_id).values_list("user_id", "level")
        )
    levels = {**forum_levels, **topic_levels}
    watching = {uid for uid, level in levels.items() if level == WatchLevel.WATCHING}
    muted = {uid for uid, level in levels.items() if level == WatchLevel.MUTED}
    return watching, muted


def _record_recipients(post: Post, user_ids) -> None:
    PostRecipient.objects.bulk_create(
        [PostRecipient(post=post, user_id=uid) for uid in user_ids], ignore_conflicts=True
    )


def _mentioned_ids(post: Post) -> set[int]:
    handles = markdown.handles_in(post.body)
    return set(perms.mentionable(post.topic, handles).values_list("pk", flat=True))


def _notify_post(post: Post, new_topic: bool) -> None:
    """Each person hears of a post once, for the most personal reason: a mention, then a
    reply to them, then watching; members hear of new topics in their digest."""
    topic, actor = post.topic, post.author
    watching, muted = _levels(topic)
    skip = muted | {actor.pk}
    mentioned = _mentioned_ids(post) - skip
    replied = set()
    if post.reply_to_id and post.reply_to.author_id:
        replied.add(post.reply_to.author_id)
    replied = replied - skip - mentioned
    followers = watching - skip - mentioned - replied
    name = str(actor)
    sends = [
        (MENTION, mentioned, _("%(name)s mentioned you in “%(title)s”")),
        (REPLY, replied, _("%(name)s replied to you in “%(title)s”")),
        (NEW_POST, followers, _("%(name)s wrote in “%(title)s”")),
    ]
    for kind, audience, title in sends:
        if audience:
            notify(
                kind,
                target=post,
                title=title % {"name": name, "title": topic.title},
                url=post_url(post),
                audience=sorted(audience),
                actor=actor,
            )
    told = mentioned | replied | followers
    if new_topic and topic.community_id is not None:
        members = set(
            Membership.objects.filter(
                community_id=topic.community_id, state=MembershipState.ACTIVE
            ).values_list("user_id", flat=True)
        )
        news = members - skip - told
        if news:
            notify(
                NEW_TOPIC,
                target=post,
                title=_("New topic in %(community)s: “%(title)s”")
                % {"community": topic.community.title, "title": topic.title},
                url=post_url(post),
                audience=sorted(news),
                actor=actor,
            )
            told |= news
    _record_recipients(post, told)


def _notify_new_mentions(post: Post, actor) -> None:
    muted = _levels(post.topic)[1]
    told = set(PostRecipient.objects.filter(post=post).values_list("user_id", flat=True))
    new = _mentioned_ids(post) - told - muted - {actor.pk, post.author_id}
    if new:
        notify(
            MENTION,
            target=post,
            title=_("%(name)s mentioned you in “%(title)s”")
            % {"name": str(post.author), "title": post.topic.title},
            url=post_url(post),
            audience=sorted(new),
            actor=post.author,
        )
        _record_recipients(post, new)


# Read state ----------------------------------------------------------------------------


def cutoff_for(user, community_id: int | None) -> datetime:
    cutoff = user.date_joined
    if community_id is not None:
        chosen = (
            ReadCutoff.objects.filter(user=user, community_id=community_id)
            .values_list("before", flat=True)
            .first()
        )
        if chosen is not None and chosen > cutoff:
            cutoff = chosen
    return cutoff


def mark_read(user, topic: Topic, number: int) -> None:
    """Remember the highest post number seen; never moves backwards."""
    if not user.is_authenticated or number <= 0:
        return
    updated = ReadState.objects.filter(user=user, topic=topic, last_read__lt=number).update(
        last_read=number
    )
    if not updated:
        try:
            with transaction.atomic():
                ReadState.objects.get_or_create(
                    user=user, topic=topic, defaults={"last_read": number}
                )
        except IntegrityError:
            pass  # another request made it at the same moment


def mark_forum_read(user, community: CommunityPage) -> None:
    ReadCutoff.objects.update_or_create(
        user=user, community=community, defaults={"before": timezone.now()}
    )


@dataclass(frozen=True)
class ReadInfo:
    unread: bool
    first_unread: int  # the number of the first post not seen (0 when all are seen)
    new_posts: int


def read_info(user, topics: list[Topic], community_id: int | None = None) -> dict[int, ReadInfo]:
    """Unread state for a page of topics: one query for the states, one for the cutoff."""
    if not user.is_authenticated or not topics:
        return {}
    states = dict(
        ReadState.objects.filter(user=user, topic__in=[t.pk for t in topics]).values_list(
            "topic_id", "last_read"
        )
    )
    cutoff = cutoff_for(user, community_id)
    info = {}
    for topic in topics:
        # Read up to the saved position, or all of it when nothing was posted since the
        # cutoff ("mark all read", or the day the person joined).
        seen = max(
            states.get(topic.pk, 0), topic.last_number if topic.last_post_at <= cutoff else 0
        )
        new = max(topic.last_number - seen, 0)
        info[topic.pk] = ReadInfo(
            unread=new > 0, first_unread=seen + 1 if new else 0, new_posts=new
        )
    return info


def first_unread_number(user, topic: Topic) -> int:
    info = read_info(user, [topic], topic.community_id).get(topic.pk)
    if info is None or not info.unread:
        return topic.last_number
    return info.first_unread


# Flags and moderation --------------------------------------------------------------------


def flag(user, post: Post, *, reason: str, note: str = "") -> Flag:
    if not user.is_authenticated or not perms.can_read_post(user, post):
        raise PermissionDenied(_("You cannot report this message."))
    if post.author_id == user.pk:
        raise ValidationError(_("You cannot report your own message."), code="own")
    with transaction.atomic():
        get_user_model().objects.select_for_update(no_key=True).filter(pk=user.pk).first()
        limit = _rate("FORUMS_FLAGS_PER_HOUR", 10)
        recent = Flag.objects.filter(
            reporter=user, created_at__gt=timezone.now() - timedelta(hours=1)
        ).count()
        if recent >= limit:
            raise RateLimited(
                ngettext(
                    "You have reported %(limit)s message in the last hour, the most we "
                    "accept. The moderators are looking at it; try again later.",
                    "You have reported %(limit)s messages in the last hour, the most we "
                    "accept. The moderators are looking at them; try again later.",
                    limit,
                )
                % {"limit": limit},
                code="rate",
            )
        existing = Flag.objects.filter(post=post, reporter=user, resolved_at__isnull=True).first()
        if existing is not None:
            return existing
        flagged, _created = Flag.objects.update_or_create(
            post=post,
            reporter=user,
            defaults={
                "reason": reason,
                "note": note[:500],
                "created_at": timezone.now(),
                "resolved_at": None,
                "resolved_by": None,
            },
        )
    return flagged


def _log(
    actor, action: str, *, topic=None, post=None, member=None, reason="", community=None, audit=True
):
    if community is None and topic is not None:
        community = community_of(topic)
    if audit:  # the site-wide audit trail: one event per moderation action
        audit_trail.record(
            AuditEvent.Action.MODERATION,
            actor=actor,
            target=audit_trail.target_of(post or topic or member),
            detail=f"{action} community:{community.pk if community else '-'}",
        )
    return ModerationLog.objects.create(
        community=community,
        actor=actor,
        action=action,
        topic=topic,
        post=post,
        member=member,
        reason=reason[:500],
    )


def _require_moderator(user, topic: Topic) -> None:
    if not perms.can_moderate_topic(user, topic):
        raise PermissionDenied(_("Only moderators can do this."))


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why: the member and other moderators see it.")})
    return reason


def _resolve_flags(user, post: Post) -> None:
    Flag.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=user
    )


def hide_post(user, post: Post, reason: str) -> None:
    _require_moderator(user, post.topic)
    reason = _require_reason(reason)
    with transaction.atomic():
        post.hidden_at = timezone.now()
        post.hidden_reason = reason
        post.save(update_fields=["hidden_at", "hidden_reason"])
        _resolve_flags(user, post)
        _log(user, ModerationAction.HIDE, topic=post.topic, post=post, reason=reason)
        if post.author_id and post.author_id != user.pk:
            notify(
                MODERATED,
                target=post.topic,
                title=_("A moderator hid your message in “%(title)s”")
                % {"title": post.topic.title},
                url=post_url(post),
                audience=[post.author_id],
                actor=user,
            )


def restore_post(user, post: Post, reason: str = "") -> None:
    _require_moderator(user, post.topic)
    with transaction.atomic():
        post.hidden_at = None
        post.hidden_reason = ""
        post.save(update_fields=["hidden_at", "hidden_reason"])
        _resolve_flags(user, post)
        _log(user, ModerationAction.RESTORE, topic=post.topic, post=post, reason=reason)


def dismiss_flags(user, post: Post, reason: str = "") -> None:
    _require_moderator(user, post.topic)
    with transaction.atomic():
        _resolve_flags(user, post)
        _log(user, ModerationAction.DISMISS, topic=post.topic, post=post, reason=reason)


def set_topic_state(user, topic: Topic, action: str, reason: str = "") -> None:
    """close / reopen / pin / unpin / hide_topic / restore_topic."""
    _require_moderator(user, topic)
    changes = {
        ModerationAction.CLOSE: ("closed", True),
        ModerationAction.REOPEN: ("closed", False),
        ModerationAction.PIN: ("pinned", True),
        ModerationAction.UNPIN: ("pinned", False),
        ModerationAction.HIDE_TOPIC: ("hidden", True),
        ModerationAction.RESTORE_TOPIC: ("hidden", False),
    }
    if action not in changes:
        raise ValidationError(_("Unknown action."))
    if action == ModerationAction.HIDE_TOPIC:
        reason = _require_reason(reason)
    field, value = changes[action]
    with transaction.atomic():
        setattr(topic, field, value)
        topic.save(update_fields=[field])
        _log(user, action, topic=topic, reason=reason)


def move_topic(user, topic: Topic, to: CommunityPage, reason: str = "") -> None:
    """To another forum the moderator also moderates."""
    from via_platform.communities import permissions as community_permissions

    _require_moderator(user, topic)
    if topic.community_id is None or not community_permissions.can_moderate(user, to):
        raise PermissionDenied(_("You can only move a topic to a forum you moderate."))
    if to.pk == topic.community_id:
        return
    with transaction.atomic():
        source = topic.community
        topic.community = to
        topic.save(update_fields=["community"])
        Post.objects.filter(topic=topic).update(community_id_cache=to.pk)
        Watch.objects.filter(topic=topic).exclude(
            user__community_memberships__community=to,
            user__community_memberships__state=MembershipState.ACTIVE,
        ).delete()
        _log(
            user,
            ModerationAction.MOVE,
            topic=topic,
            reason=reason or _("From %(source)s") % {"source": source.title},
            community=source,
        )
        _log(user, ModerationAction.MOVE, topic=topic, reason=reason, community=to, audit=False)


def warn(user, community: CommunityPage, member, reason: str) -> None:
    from via_platform.communities import permissions as community_permissions

    if not community_permissions.can_moderate(user, community):
        raise PermissionDenied(_("Only moderators can do this."))
    reason = _require_reason(reason)
    with transaction.atomic():
        _log(user, ModerationAction.WARN, member=member, reason=reason, community=community)
        notify(
            MODERATED,
            target=community,
            title=_("A moderator of %(community)s warned you: %(reason)s")
            % {"community": community.title, "reason": reason},
            url=forum_url(community),
            audience=[member.pk],
            actor=user,
        )


def suspend(user, community: CommunityPage, member, *, days: int, reason: str) -> Suspension:
    from via_platform.communities import permissions as community_permissions

    if not community_permissions.can_moderate(user, community):
        raise PermissionDenied(_("Only moderators can do this."))
    if member.pk == user.pk:
        raise ValidationError(_("You cannot suspend yourself."))
    reason = _require_reason(reason)
    if not 1 <= days <= 365:
        raise ValidationError({"days": _("Choose between 1 and 365 days.")})
    until = timezone.now() + timedelta(days=days)
    with transaction.atomic():
        suspension = Suspension.objects.create(
            community=community, user=member, until=until, reason=reason, created_by=user
        )
        _log(user, ModerationAction.SUSPEND, member=member, reason=reason, community=community)
        notify(
            MODERATED,
            target=community,
            title=_("You cannot post in %(community)s until %(date)s: %(reason)s")
            % {
                "community": community.title,
                "date": timezone.localtime(until).strftime("%d-%m-%Y"),
                "reason": reason,
            },
            url=forum_url(community),
            audience=[member.pk],
            actor=user,
        )
    return suspension


def lift_suspension(user, suspension: Suspension, reason: str = "") -> None:
    from via_platform.communities import permissions as community_permissions

    if not community_permissions.can_moderate(user, suspension.community):
        raise PermissionDenied(_("Only moderators can do this."))
    suspension.lifted_at = timezone.now()
    suspension.save(update_fields=["lifted_at"])
    _log(
        user,
        ModerationAction.LIFT,
        member=suspension.user,
        reason=reason,
        community=suspension.community,
    )


def open_flags(community: CommunityPage):
    """The moderation queue of a community: flagged posts, oldest flag first."""
    return (
        Post.objects.filter(topic__community=community, flags__resolved_at__isnull=True)
        .select_related("topic", "author")
        .distinct()
        .order_by("pk")
    )


# Privacy ------------------------------------------------------------------------------------


def export_posts(user) -> list[dict]:
    return [
        {
            "topic": post.topic.title,
            "number": post.number,
            "posted": post.created_at.isoformat(),
            "text": post.body,
        }
        for post in Post.objects.filter(author=user, deleted_at__isnull=True).select_related(
            "topic"
        )
    ]


def forget_reading(user) -> None:
    """What a person read and watched goes with their account; their posts stay (the
    account is anonymised, so the threads keep making sense)."""
    ReadState.objects.filter(user=user).delete()
    ReadCutoff.objects.filter(user=user).delete()
    Watch.objects.filter(user=user).delete()
