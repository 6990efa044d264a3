"""The outbox (Happening), what each person sees (Notification), what email owes them
(Delivery), their preferences, and the digests already sent."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from via_platform.notifications.registry import Category, Frequency


class Happening(models.Model):
    """ "This happened": written in the same transaction as the change it reports."""

    class FanOut(models.TextChoices):
        PENDING = "pending", _("Waiting for fan-out")
        DONE = "done", _("Fanned out")

    kind = models.CharField(_("kind"), max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("link"), max_length=500)
    # Who might want to know: a list of user ids, or {"name": ..., "args": {...}} for a
    # registered audience; resolved and permission-filtered at fan-out time.
    audience = models.JSONField(_("audience"), default=list)
    fanout_state = models.CharField(max_length=10, choices=FanOut.choices, default=FanOut.PENDING)
    fanout_attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("happening")
        verbose_name_plural = _("happenings")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["fanout_state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class Notification(models.Model):
    """One line in a person's notification centre."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    happening = models.ForeignKey(Happening, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "happening"], name="one_notification_per_person"
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="unread_by_recipient",
                condition=models.Q(read_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.happening.title}"


class Delivery(models.Model):
    """An email owed to a person for a happening: sent once, at once or in a digest."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_deliveries"
    )
    happening = models.ForeignKey(Happening, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, default="email")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    digest = models.ForeignKey(
        "DigestRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "happening", "channel"], name="one_delivery_per_channel"
            )
        ]
        indexes = [models.Index(fields=["state", "frequency", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient_id} ({self.state})"


class Preference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    category = models.CharField(max_length=30, choices=Category.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="one_preference_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category}: {self.frequency}"


class DigestRun(models.Model):
    """One digest email per person, frequency and period: never two for the same one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    period = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "frequency", "period"], name="one_digest_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.frequency} digest {self.period} → {self.user_id}"


class UsedUnsubscribeLink(models.Model):
    """Unsubscribe links work once; each token's id is remembered here once used."""

    token_id = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.token_id
