"""The notification engine: record, fan out, deliver, digest, unsubscribe.

Flow (the outbox pattern):
1. `notify()` writes a Happening in the caller's transaction and, on commit, queues the
   fan-out task. If the broker is down the Happening simply stays pending.
2. `fan_out()` resolves the audience to people (filtered by the kind's permission
   check), bulk-writes in-app Notifications and email Deliveries chunk by chunk, and
   queues the immediate deliveries in batches. Unique constraints make a second run
   after a crash add nothing twice.
3. `send_delivery()` locks a pending Delivery, checks permission and preference again,
   sends, and marks it sent in the same transaction; failures retry with backoff and
   end as `failed`, visible and retryable in the admin.
4. `sweep()` (beat, every few minutes) re-queues what was left pending.
5. `send_digest()` bundles a person's pending digest deliveries once per period.
"""

from __future__ import annotations

import logging
import smtplib
import zoneinfo
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from email import encoders
from email.message import Message
from email.mime.base import MIMEBase
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import SafeMIMEText
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from via_platform.notifications.models import (
    Delivery,
    DigestRun,
    Happening,
    Notification,
    Preference,
    UsedUnsubscribeLink,
)
from via_platform.notifications.registry import (
    CATEGORY_DEFAULTS,
    DIGEST_ONLY_FOR_MEMBERS,
    Category,
    Frequency,
    get_kind,
    resolve_audience,
    users_who_joined_something,
)

logger = logging.getLogger("via.notifications")


# Tunables (settings NOTIFICATIONS_*), read when used so tests and benchmarks can vary them.
def _setting(name: str, default: int) -> int:
    return getattr(settings, f"NOTIFICATIONS_{name}", default)


STALE_AFTER = timedelta(minutes=getattr(settings, "NOTIFICATIONS_STALE_MINUTES", 5))
DIGEST_HOUR = 7  # local time of the recipient
UNSUBSCRIBE_SALT = "via.notifications.unsubscribe"
UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 90

User = get_user_model()


# 1. Record -------------------------------------------------------------------------


def notify(
    kind: str,
    *,
    target: models.Model | None,
    title: str,
    url: str,
    audience: Iterable[int] | models.QuerySet | tuple[str, dict],
    actor=None,
) -> Happening:
    """Record that something happened; people hear of it after the transaction commits.

    `audience` is who might want to know: user ids, a queryset of users, or a named
    audience and its arguments (`("communities.members", {"community_id": 5})`, see
    registry.register_audience), which is resolved only at fan-out time. The kind's
    permission check decides then who actually may.
    """
    get_kind(kind)  # fail early on a typo
    if isinstance(audience, tuple):
        name, args = audience
        resolve_audience(name, args)  # fail early on a typo
        audience = {"name": name, "args": args}
    else:
        if isinstance(audience, models.QuerySet):
            audience = audience.values_list("pk", flat=True)
        audience = sorted(set(audience))
    happening = Happening.objects.create(
        kind=kind,
        actor=actor,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        title=title[:300],
        url=url,
        audience=audience,
    )
    transaction.on_commit(lambda: queue_fan_out(happening.pk))
    return happening


def queue_fan_out(happening_id: int, reclaim_before: datetime | None = None) -> None:
    from via_platform.notifications.tasks import fan_out_task

    reclaim = reclaim_before.isoformat() if reclaim_before else None
    try:
        fan_out_task.apply_async((happening_id, reclaim), retry=False)
    except Exception as exc:  # broker unreachable: the sweeper tries again later
        logger.warning("event=fan_out_not_queued happening=%s error=%s", happening_id, exc)


# 2. Fan out ------------------------------------------------------------------------


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def recipients(happening: Happening) -> list[int]:
    """The audience, reduced to active people who may see the target, minus the actor."""
    kind = get_kind(happening.kind)
    if isinstance(happening.audience, dict):
        users = resolve_audience(happening.audience["name"], happening.audience["args"])
        users = users.filter(is_active=True)
    else:
        users = User.objects.filter(pk__in=happening.audience, is_active=True)
    if happening.actor_id:
        users = users.exclude(pk=happening.actor_id)
    if kind.visible_recipients is not None:
        users = kind.visible_recipients(users, happening.target)
    return list(users.order_by("pk").values_list("pk", flat=True))


def frequencies_for(user_ids: list[int], category: str) -> dict[int, str]:
    """Each person's email frequency for a category: their choice, else the default."""
    chosen = dict(
        Preference.objects.filter(user_id__in=user_ids, category=category).values_list(
            "user_id", "frequency"
        )
    )
    default = CATEGORY_DEFAULTS[Category(category)]
    undecided = [uid for uid in user_ids if uid not in chosen]
    if undecided and category in DIGEST_ONLY_FOR_MEMBERS:
        joined = users_who_joined_something(User.objects.filter(pk__in=undecided))
        return {**{uid: default if uid in joined else Frequency.OFF for uid in undecided}, **chosen}
    return {**dict.fromkeys(undecided, default), **chosen}


def fan_out(happening_id: int, reclaim_before: datetime | None = None) -> int:
    """Write notifications and deliveries for a happening; safe to run again.

    A run claims the happening first, so a redelivered task does not repeat a fan-out
    that another worker is busy with. A claim older than `reclaim_before` (passed by
    the sweeper) belonged to a worker that died; it is taken over, and the unique
    constraints make the second run add only what the first did not.
    """
    with transaction.atomic():
        happening = Happening.objects.select_for_update().filter(pk=happening_id).first()
        if happening is None or happening.fanout_state == Happening.FanOut.DONE:
            return 0
        claim = happening.claimed_at
        if claim is not None and (reclaim_before is None or claim >= reclaim_before):
            return 0  # another run is at it
        happening.fanout_attempts += 1
        happening.claimed_at = timezone.now()
        happening.save(update_fields=["fanout_attempts", "claimed_at"])
    kind = get_kind(happening.kind)
    people = recipients(happening)
    for chunk in _chunks(people, _setting("FANOUT_CHUNK", 1000)):
        with transaction.atomic():
            Notification.objects.bulk_create(
                [Notification(recipient_id=uid, happening_id=happening.pk) for uid in chunk],
                ignore_conflicts=True,
            )
            frequency = frequencies_for(chunk, kind.category)
            Delivery.objects.bulk_create(
                [
                    Delivery(recipient_id=uid, happening_id=happening.pk, frequency=frequency[uid])
                    for uid in chunk
                    if frequency[uid] != Frequency.OFF
                ],
                ignore_conflicts=True,
            )
            immediate = list(
                Delivery.objects.filter(
                    happening_id=happening.pk,
                    recipient_id__in=chunk,
                    frequency=Frequency.IMMEDIATE,
                    state=Delivery.State.PENDING,
                ).values_list("pk", flat=True)
            )
            for batch in _chunks(immediate, _setting("EMAIL_BATCH", 200)):
                transaction.on_commit(lambda batch=batch: queue_deliveries(batch))
    Happening.objects.filter(pk=happening.pk).update(
        fanout_state=Happening.FanOut.DONE,
        fanned_out_at=timezone.now(),
        recipient_count=len(people),
    )
    logger.info(
        "event=fan_out happening=%s kind=%s recipients=%s attempt=%s",
        happening.pk, happening.kind, len(people), happening.fanout_attempts,
    )  # fmt: skip
    return len(people)


def queue_deliveries(delivery_ids: list[int], countdown: int = 0) -> None:
    from via_platform.notifications.tasks import deliver_task

    try:
        deliver_task.apply_async((delivery_ids,), countdown=countdown, retry=False)
    except Exception as exc:
        logger.warning("event=delivery_not_queued count=%s error=%s", len(delivery_ids), exc)


# 3. Deliver -----------------------------------------------------------------------


# With the default base of 30 s the retries come 30 s, 1, 2, 4, 8, 16, 32, 60 and 60 min
# apart: a delivery is given up only after some three hours of failing, so an SMTP
# server that is down for an hour loses no mail (python -m bench.faults checks this).
MAX_ATTEMPTS = 10


def retry_delay(attempts: int) -> int:
    base = _setting("RETRY_BASE_SECONDS", 30)
    return min(base * 2 ** max(attempts - 1, 0), 3600)


def _current_frequency(user_id: int, category: str) -> str:
    return frequencies_for([user_id], category)[user_id]


def send_delivery(delivery_id: int) -> str:
    """Send one pending immediate email. Returns the resulting state.

    The delivery is marked sent in the transaction that sends it, so a worker killed
    before the SMTP server accepted the email leaves it pending, to be sent later; never
    lost. Only a kill in the moment between the server's acceptance and that commit
    sends it again, with the same Message-ID; the commit is all that is left to do in
    that moment, and it is quick (the helpers below).
    """
    with _mail_connection_closed_after_commit() as mail, transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("recipient", "happening")
            .filter(pk=delivery_id, state=Delivery.State.PENDING)
            .first()
        )
        if delivery is None:
            return "gone"  # sent or handled by an earlier run: never twice
        happening, person = delivery.happening, delivery.recipient
        kind = get_kind(happening.kind)
        if (
            not person.is_active
            or not kind.can_view(person, happening.target)
            or _current_frequency(person.pk, kind.category) != Frequency.IMMEDIATE
        ):
            delivery.state = Delivery.State.SKIPPED
            delivery.save(update_fields=["state", "updated_at"])
            return delivery.state
        message = build_single_email(delivery)
        message.connection = mail
        # Written before the email goes out: once the server accepts it, only the
        # commit is left (the helpers below).
        _commit_without_waiting_for_the_disk()
        delivery.state = Delivery.State.SENT
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["state", "sent_at", "updated_at"])
        try:
            mail.open()
            message.send()
        except (smtplib.SMTPException, OSError) as exc:
            delivery.state, delivery.sent_at = Delivery.State.PENDING, None
            delivery.attempts += 1
            delivery.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            if delivery.attempts >= _setting("MAX_ATTEMPTS", MAX_ATTEMPTS):
                delivery.state = Delivery.State.FAILED
            delivery.save(
                update_fields=["attempts", "last_error", "state", "sent_at", "updated_at"]
            )
            logger.warning(
                "event=delivery_failed delivery=%s attempt=%s final=%s error=%s",
                delivery.pk, delivery.attempts, delivery.state == Delivery.State.FAILED, exc,
            )  # fmt: skip
            if delivery.state == Delivery.State.PENDING:
                pk, delay = delivery.pk, retry_delay(delivery.attempts)
                transaction.on_commit(lambda: queue_deliveries([pk], countdown=delay))
            return delivery.state
    logger.info("event=delivered delivery=%s kind=%s", delivery.pk, happening.kind)
    return delivery.state


# Once the SMTP server has accepted an email, a worker killed before "sent" is committed
# sends it again. These two keep that moment short: the polite QUIT (a round trip to the
# server) waits until after the commit, and on PostgreSQL the commit does not wait for
# the WAL to reach the disk (PostgreSQL still writes it within a fraction of a second;
# only a crash of PostgreSQL itself in that fraction forgets the "sent", and then the
# email goes out once more: never lost).


@contextmanager
def _mail_connection_closed_after_commit() -> Iterator[BaseEmailBackend]:
    connection = get_connection()
    try:
        yield connection
    finally:
        try:
            connection.close()
        except (smtplib.SMTPException, OSError) as exc:  # the email itself went out
            logger.info("event=smtp_quit_failed error=%s", exc)


def _commit_without_waiting_for_the_disk() -> None:
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def retry_failed(deliveries: models.QuerySet) -> int:
    """Admin action: give failed deliveries a fresh set of attempts."""
    ids = list(deliveries.filter(state=Delivery.State.FAILED).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids).update(state=Delivery.State.PENDING, attempts=0)
    for batch in _chunks(ids, _setting("EMAIL_BATCH", 200)):
        transaction.on_commit(lambda batch=batch: queue_deliveries(batch))
    return len(ids)


# 4. Sweep -------------------------------------------------------------------------


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Re-queue what a lost message or a dead worker left behind."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    stale_happenings = list(
        Happening.objects.filter(
            fanout_state=Happening.FanOut.PENDING, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:500]
    )
    for pk in stale_happenings:
        queue_fan_out(pk, reclaim_before=cutoff)
    # A delivery that failed waits for its retry (retry_delay); only one whose retry is
    # overdue as well was lost. Re-queueing the others would spend their attempts early.
    stale_deliveries = [
        pk
        for pk, attempts, updated_at in Delivery.objects.filter(
            state=Delivery.State.PENDING, frequency=Frequency.IMMEDIATE, updated_at__lt=cutoff
        )
        .order_by("updated_at")
        .values_list("pk", "attempts", "updated_at")[:5000]
        if not attempts or updated_at + timedelta(seconds=retry_delay(attempts)) < cutoff
    ]
    for batch in _chunks(stale_deliveries, _setting("EMAIL_BATCH", 200)):
        queue_deliveries(batch)
    if stale_happenings or stale_deliveries:
        logger.info(
            "event=sweep happenings=%s deliveries=%s", len(stale_happenings), len(stale_deliveries)
        )
    return {"happenings": len(stale_happenings), "deliveries": len(stale_deliveries)}


# 5. Digests -----------------------------------------------------------------------


def digest_period(frequency: str, local_now: datetime) -> date | None:
    """The period whose digest is due at this local time, or None before the first one.

    Daily digests are due from 07:00 local time, weekly ones from Monday 07:00. "Due
    from" rather than "at" means an hour lost to a broker outage is caught up later
    the same day; DigestRun makes sure a period is never sent twice.
    """
    today = local_now.date()
    before_seven = local_now.hour < DIGEST_HOUR
    if frequency == Frequency.DAILY:
        return None if before_seven else today
    monday = today - timedelta(days=today.weekday())
    return None if today == monday and before_seven else monday


def due_digests(frequency: str, now: datetime | None = None) -> list[tuple[int, date]]:
    """(user id, period) for everyone with pending digest items whose digest for the
    current period (in their own time zone) has not been sent yet."""
    now = now or timezone.now()
    people = (
        User.objects.filter(
            notification_deliveries__state=Delivery.State.PENDING,
            notification_deliveries__frequency=frequency,
        )
        .distinct()
        .values_list("pk", "time_zone")
    )
    candidates: dict[int, date] = {}
    for user_id, tz in people:
        try:
            local = now.astimezone(zoneinfo.ZoneInfo(tz))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            local = now.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        period = digest_period(frequency, local)
        if period is not None:
            candidates[user_id] = period
    if not candidates:
        return []
    sent = set(
        DigestRun.objects.filter(
            user_id__in=list(candidates),
            frequency=frequency,
            period__gte=min(candidates.values()),
        ).values_list("user_id", "period")
    )
    return [(uid, period) for uid, period in candidates.items() if (uid, period) not in sent]


def send_digest(user_id: int, frequency: str, period: date) -> int:
    """Send one digest; returns the number of items (0: nothing new, nothing sent)."""
    with _mail_connection_closed_after_commit() as mail, transaction.atomic():
        person = User.objects.select_for_update().get(pk=user_id)
        if DigestRun.objects.filter(user=person, frequency=frequency, period=period).exists():
            return 0  # never the same digest twice
        items = list(
            Delivery.objects.select_for_update()
            .select_related("happening")
            .filter(recipient=person, frequency=frequency, state=Delivery.State.PENDING)
            .order_by("happening__created_at")
        )
        read = set(
            Notification.objects.filter(
                recipient=person,
                happening_id__in=[d.happening_id for d in items],
                read_at__isnull=False,
            ).values_list("happening_id", flat=True)
        )
        fresh, seen = [], []
        for delivery in items:
            kind = get_kind(delivery.happening.kind)
            ok = person.is_active and kind.can_view(person, delivery.happening.target)
            (fresh if ok and delivery.happening_id not in read else seen).append(delivery)
        Delivery.objects.filter(pk__in=[d.pk for d in seen]).update(state=Delivery.State.SKIPPED)
        if not fresh:
            return 0  # a digest is never empty
        run = DigestRun.objects.create(user=person, frequency=frequency, period=period)
        message = build_digest_email(person, run, fresh)
        message.connection = mail
        _commit_without_waiting_for_the_disk()
        Delivery.objects.filter(pk__in=[d.pk for d in fresh]).update(
            state=Delivery.State.SENT, digest=run, sent_at=timezone.now()
        )
        mail.open()
        message.send()  # an SMTP error rolls all of it back
    logger.info("event=digest user=%s frequency=%s items=%s", user_id, frequency, len(fresh))
    return len(fresh)


# Emails ---------------------------------------------------------------------------


def absolute(url: str) -> str:
    return url if url.startswith("http") else f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{url}"


def unsubscribe_token(user_id: int, category: str, token_id: str) -> str:
    return signing.dumps({"u": user_id, "c": category, "t": token_id}, salt=UNSUBSCRIBE_SALT)


def _email(
    person, subject: str, template: str, context: dict, unsubscribe_url: str, message_id: str
):
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        context = {**context, "person": person, "unsubscribe_url": unsubscribe_url}
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
        # Titles are written by people; a line break would break the header.
        subject = " ".join(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}".split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[person.email],
        headers={
            # RFC 8058: mail clients offer a one-click unsubscribe that POSTs here.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # Stable per delivery, so a mail system can recognise a resend as the same.
            "Message-ID": f"<{message_id}@{urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _reason(kind, title: str) -> str:
    return str(kind.reason).format(title=title)


def build_single_email(delivery: Delivery) -> EmailMultiAlternatives:
    from django.urls import reverse

    happening, person = delivery.happening, delivery.recipient
    kind = get_kind(happening.kind)
    token = unsubscribe_token(person.pk, kind.category, f"d{delivery.pk}")
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        reason = _reason(kind, happening.title)
        category_label = str(Category(kind.category).label)
        kind_label = str(kind.label)
    message = _email(
        person,
        subject=f"{kind_label}: {happening.title}",
        template="single",
        context={
            "happening": happening,
            "url": absolute(happening.url),
            "reason": reason,
            "kind_label": kind_label,
            "category_label": category_label,
            "settings_url": absolute(reverse("notifications:preferences")),
        },
        unsubscribe_url=absolute(reverse("notifications:unsubscribe", args=[token])),
        message_id=f"delivery-{delivery.pk}",
    )
    if kind.attachments is not None and happening.target_type_id is not None:
        target = happening.target  # None when the object is gone
        if target is not None:
            for filename, content, mimetype in kind.attachments(person, target):
                message.attach(_mime_attachment(filename, content, mimetype))
    return message


def _mime_attachment(filename: str, content: bytes | str, mimetype: str) -> MIMEBase:
    """A MIME part that keeps the mimetype's parameters (`text/calendar;
    method=REQUEST`), which Django's attach(filename, content, mimetype) cannot."""
    header = Message()
    header["Content-Type"] = mimetype
    maintype, subtype = header.get_content_maintype(), header.get_content_subtype()
    params = [(k, v) for k, v in header.get_params()[1:] if k != "charset"]
    if maintype == "text":
        charset = header.get_content_charset() or "utf-8"
        text = content.decode(charset) if isinstance(content, bytes) else content
        part = SafeMIMEText(text, subtype, charset)
    else:
        part = MIMEBase(maintype, subtype)
        part.set_payload(content)
        encoders.encode_base64(part)
    for key, value in params:
        part.set_param(key, value)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def build_digest_email(
    person, run: DigestRun, deliveries: list[Delivery]
) -> EmailMultiAlternatives:
    from django.urls import reverse

    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        items = []
        for delivery in deliveries:
            kind = get_kind(delivery.happening.kind)
            items.append(
                {
                    "title": delivery.happening.title,
                    "url": absolute(delivery.happening.url),
                    "kind_label": str(kind.label),
                    "reason": _reason(kind, delivery.happening.title),
                    "category": kind.category,
                }
            )
        categories = sorted({item["category"] for item in items})
        unsubscribe = {
            category: absolute(
                reverse(
                    "notifications:unsubscribe",
                    args=[unsubscribe_token(person.pk, category, f"g{run.pk}-{category}")],
                )
            )
            for category in categories
        }
        links = [(str(Category(c).label), unsubscribe[c]) for c in categories]
        subject = str(
            translation.gettext("Your daily digest")
            if run.frequency == Frequency.DAILY
            else translation.gettext("Your weekly digest")
        )
    return _email(
        person,
        subject=subject,
        template="digest",
        context={
            "items": items,
            "run": run,
            "unsubscribe_links": links,
            "settings_url": absolute(reverse("notifications:preferences")),
        },
        unsubscribe_url=unsubscribe[categories[0]],
        message_id=f"digest-{run.pk}",
    )


# Unsubscribe and preferences ------------------------------------------------------


class UnsubscribeError(Exception):
    pass


def read_unsubscribe_token(token: str) -> dict:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature as exc:
        raise UnsubscribeError("invalid") from exc
    if data.get("c") not in Category.values:
        raise UnsubscribeError("invalid")
    return data


@transaction.atomic
def unsubscribe(token: str) -> tuple[object, str]:
    """Turn email off for the token's category. Each link works once."""
    data = read_unsubscribe_token(token)
    _used, created = UsedUnsubscribeLink.objects.get_or_create(token_id=data["t"])
    if not created:
        raise UnsubscribeError("used")
    person = User.objects.filter(pk=data["u"], is_active=True).first()
    if person is None:
        raise UnsubscribeError("invalid")
    set_preference(person, data["c"], Frequency.OFF)
    return person, data["c"]


def set_preference(person, category: str, frequency: str) -> None:
    Preference.objects.update_or_create(
        user=person, category=category, defaults={"frequency": frequency}
    )


def preferences_for(person) -> dict[str, str]:
    frequencies = {}
    for category in Category.values:
        frequencies[category] = frequencies_for([person.pk], category)[person.pk]
    return frequencies


# In-app -----------------------------------------------------------------------------


def unread_count(person) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def mark_read(person, notification_id: int) -> Notification | None:
    notification = (
        Notification.objects.select_related("happening")
        .filter(recipient=person, pk=notification_id)
        .first()
    )
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(person) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# Privacy --------------------------------------------------------------------------


def export_for_user(person) -> dict:
    return {
        "preferences": dict(
            Preference.objects.filter(user=person).values_list("category", "frequency")
        ),
        "notifications": [
            {"title": title, "url": url, "at": at.isoformat(), "read": read is not None}
            for title, url, at, read in Notification.objects.filter(recipient=person).values_list(
                "happening__title", "happening__url", "created_at", "read_at"
            )
        ],
    }


def forget_user(person) -> None:
    Notification.objects.filter(recipient=person).delete()
    Delivery.objects.filter(recipient=person).delete()
    Preference.objects.filter(user=person).delete()
