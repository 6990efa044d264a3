"""What can be notified, registered by the domains; the engine knows none of them.

A domain registers each kind once (in its AppConfig.ready()):

    register_kind(Kind(
        key="forums.reply",
        category=Category.REPLIES,
        label=_("A reply to my post"),
        reason=_("you took part in “{title}”"),
        can_view=forums.permissions.can_view_topic,       # (user, target) -> bool
        visible_recipients=forums.permissions.members_qs,  # optional: (users, target) -> users
    ))

`can_view` is asked again just before each email goes out; `visible_recipients`, when
given, filters a whole audience in one query at fan-out time. `attachments`, when
given, adds files (an .ics invitation) to each single email.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What a person sets preferences for. Kinds are grouped under these."""

    REPLIES = "replies", _("Replies to me")
    MENTIONS = "mentions", _("Mentions of me")
    COMMUNITY_NEWS = "community_news", _("New topics in my communities")
    PRACTICES = "practices", _("New practices")
    EVENTS = "events", _("Events and registration changes")
    LEARNING = "learning", _("Course progress")
    MEMBERSHIP = "membership", _("Membership and moderation")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("Off (only on the website)")


# Things addressed to the person arrive at once; community news comes in a weekly
# digest, and only for people who joined something (see register_membership_check).
CATEGORY_DEFAULTS = {
    Category.REPLIES: Frequency.IMMEDIATE,
    Category.MENTIONS: Frequency.IMMEDIATE,
    Category.COMMUNITY_NEWS: Frequency.WEEKLY,
    Category.PRACTICES: Frequency.WEEKLY,
    Category.EVENTS: Frequency.IMMEDIATE,
    Category.LEARNING: Frequency.IMMEDIATE,
    Category.MEMBERSHIP: Frequency.IMMEDIATE,
}
DIGEST_ONLY_FOR_MEMBERS = {Category.COMMUNITY_NEWS, Category.PRACTICES}


@dataclass(frozen=True)
class Kind:
    key: str
    category: Category
    label: str
    reason: str  # completes "You get this because …"; may use {title}
    can_view: Callable[[object, object], bool] = lambda user, target: True
    visible_recipients: Callable[[models.QuerySet, object], models.QuerySet] | None = None
    # Files for a single email, e.g. an iCalendar invitation: (user, target) ->
    # [(filename, content, mimetype)]. Asked only while the target still exists;
    # digests never carry attachments.
    attachments: Callable[[object, object], list[tuple[str, bytes, str]]] | None = None


_kinds: dict[str, Kind] = {}
_audiences: dict[str, Callable[..., models.QuerySet]] = {}
_membership_checks: list[Callable[[models.QuerySet], models.QuerySet]] = []


def register_kind(kind: Kind) -> Kind:
    _kinds[kind.key] = kind
    return kind


def get_kind(key: str) -> Kind:
    try:
        return _kinds[key]
    except KeyError:
        raise LookupError(f"notification kind {key!r} is not registered") from None


def kinds() -> dict[str, Kind]:
    return dict(_kinds)


def register_audience(key: str, resolve: Callable[..., models.QuerySet]) -> None:
    """A named audience, resolved at fan-out time (e.g. "communities.members" with
    community_id=5): a happening stores the name and arguments, not 100,000 ids."""
    _audiences[key] = resolve


def resolve_audience(key: str, args: dict) -> models.QuerySet:
    try:
        resolve = _audiences[key]
    except KeyError:
        raise LookupError(f"notification audience {key!r} is not registered") from None
    return resolve(**args)


def register_membership_check(users_who_joined: Callable[[models.QuerySet], models.QuerySet]):
    """Domains tell which of a set of users joined something (a community, a course)."""
    _membership_checks.append(users_who_joined)


def users_who_joined_something(users: models.QuerySet) -> set[int]:
    joined: set[int] = set()
    for check in _membership_checks:
        joined.update(check(users).values_list("pk", flat=True))
    return joined
