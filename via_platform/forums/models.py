"""Member forums: topics and posts per community, and discussions under pages.

Plain Django models (high volume, user-written), not Wagtail pages. A topic belongs to
a community forum, or is the discussion under one page (a practice in the kennisbank);
see hosts.py for how a domain offers its pages a discussion without this app knowing it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index

USER = settings.AUTH_USER_MODEL


class TaggedTopic(TaggedItemBase):
    content_object = models.ForeignKey("Topic", on_delete=models.CASCADE, related_name="+")


class Topic(index.Indexed, models.Model):
    community = models.ForeignKey(
        "communities.CommunityPage",
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        related_name="topics",
        null=True,
        blank=True,
    )
    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("discussion of"),
        on_delete=models.CASCADE,
        related_name="discussion",
        null=True,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        USER, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    tags = TaggableManager(through=TaggedTopic, blank=True, verbose_name=_("tags"))
    is_question = models.BooleanField(_("question"), default=False)
    accepted_post = models.ForeignKey(
        "Post",
        verbose_name=_("accepted answer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    closed = models.BooleanField(_("closed"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_post_at = models.DateTimeField(_("last post"), default=timezone.now)
    last_post_author = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Posts are numbered 1, 2, 3 … within their topic; read state keeps the highest
    # number a person has seen, so "unread" is one comparison per topic.
    last_number = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(_("replies"), default=0)

    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.FilterField("community_id"),
        index.FilterField("page_id"),
        index.FilterField("hidden"),
    ]

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-pinned", "-last_post_at", "-pk"]
        indexes = [
            models.Index(
                fields=["community", "-pinned", "-last_post_at", "-id"], name="forum_topic_list"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(community__isnull=False) | Q(page__isnull=False),
                name="forum_topic_has_a_place",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Post(index.Indexed, models.Model):
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="posts"
    )
    number = models.PositiveIntegerField(_("number"))
    author = models.ForeignKey(
        USER,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="forum_posts",
    )
    body = models.TextField(_("message"))
    html = models.TextField(editable=False, default="")  # body rendered and sanitised
    reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    # Denormalised for search filters: the place of the topic.
    community_id_cache = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    page_id_cache = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    search_fields = [
        index.SearchField("body"),
        index.FilterField("topic_id"),
        index.FilterField("community_id_cache"),
        index.FilterField("page_id_cache"),
        index.FilterField("hidden_at"),
        index.FilterField("deleted_at"),
    ]

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["topic", "number"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "number"], name="forum_post_number"),
        ]
        indexes = [models.Index(fields=["author", "-created_at"], name="forum_post_author")]

    def __str__(self) -> str:
        return f"{self.topic} #{self.number}"

    def save(self, *args, **kwargs):
        self.community_id_cache = self.topic.community_id
        self.page_id_cache = self.topic.page_id
        super().save(*args, **kwargs)

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None


class PostRevision(models.Model):
    """An earlier text of an edited post; moderators see the history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    title = models.CharField(max_length=200, blank=True)  # the topic title, for a first post
    edited_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.post} ({self.created_at:%Y-%m-%d %H:%M})"


def post_image_path(instance: PostImage, filename: str) -> str:
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower()
    return f"forum/{uuid.uuid4().hex}.{extension}"


class PostImage(models.Model):
    """An image uploaded with a post; served through a view that checks permissions."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(_("image"), upload_to=post_image_path)
    alt = models.CharField(_("description of the image"), max_length=300)
    content_type = models.CharField(max_length=50)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.alt


class PostRecipient(models.Model):
    """Who was told about a post: an edit never tells them again."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="forum_post_recipient")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.post_id}"


class ReadState(models.Model):
    """The highest post number a person has seen in a topic."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    last_read = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="forum_read_state")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.topic_id} #{self.last_read}"


class ReadCutoff(models.Model):
    """Everything in a forum before `before` counts as read ("alles gelezen")."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(
        "communities.CommunityPage", on_delete=models.CASCADE, related_name="+"
    )
    before = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "community"], name="forum_read_cutoff")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.community_id} < {self.before:%Y-%m-%d}"


class WatchLevel(models.TextChoices):
    WATCHING = "watching", _("Watching: every post")
    NORMAL = "normal", _("Normal: replies to me and mentions")
    MUTED = "muted", _("Muted: nothing")


class Watch(models.Model):
    """A person's level for one topic, or for a whole community forum."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="forum_watches")
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="watches"
    )
    community = models.ForeignKey(
        "communities.CommunityPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    level = models.CharField(_("level"), max_length=10, choices=WatchLevel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic"], condition=Q(topic__isnull=False), name="forum_watch_topic"
            ),
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=Q(community__isnull=False),
                name="forum_watch_forum",
            ),
            models.CheckConstraint(
                condition=Q(topic__isnull=True) ^ Q(community__isnull=True),
                name="forum_watch_one_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.topic_id or self.community_id} {self.level}"


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    INAPPROPRIATE = "inappropriate", _("Rude or inappropriate")
    PRIVACY = "privacy", _("Contains personal data about a client")
    OTHER = "other", _("Something else")


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=FlagReason.choices)
    note = models.CharField(_("explanation"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="forum_flag_once"),
        ]

    def __str__(self) -> str:
        return f"{self.post} ({self.reason})"


class ModerationAction(models.TextChoices):
    HIDE = "hide", _("Hid a post")
    RESTORE = "restore", _("Restored a post")
    DISMISS = "dismiss", _("Dismissed the flags")
    MOVE = "move", _("Moved a topic")
    CLOSE = "close", _("Closed a topic")
    REOPEN = "reopen", _("Reopened a topic")
    PIN = "pin", _("Pinned a topic")
    UNPIN = "unpin", _("Unpinned a topic")
    HIDE_TOPIC = "hide_topic", _("Hid a topic")
    RESTORE_TOPIC = "restore_topic", _("Restored a topic")
    EDIT = "edit", _("Edited a post")
    WARN = "warn", _("Warned a member")
    SUSPEND = "suspend", _("Suspended a member")
    LIFT = "lift", _("Lifted a suspension")


class ModerationLog(models.Model):
    """Every moderation action: who did what, to what, and why."""

    community = models.ForeignKey(
        "communities.CommunityPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=ModerationAction.choices)
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.reason}"


class Suspension(models.Model):
    """A member may not post in a community's forum until `until`."""

    community = models.ForeignKey(
        "communities.CommunityPage", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=500)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-until"]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.community_id} until {self.until:%Y-%m-%d}"
