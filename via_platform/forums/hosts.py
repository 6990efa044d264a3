"""Pages that carry a discussion (a practice in the kennisbank), registered by their app.

The forums app imports no domain that hosts a discussion. A domain registers its page
type once (in its AppConfig.ready()) with the rules for that discussion:

    register_host(Host(
        model=PracticePage,
        can_read=..., can_post=..., can_moderate=...,   # (user, page) -> bool
        readable_pages=...,                             # user -> queryset of page ids
        readers=...,                                    # (users, page) -> users
        moderated_pages=...,                            # user -> queryset of page ids
    ))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Host:
    model: type
    can_read: Callable[[object, object], bool]
    can_post: Callable[[object, object], bool]
    can_moderate: Callable[[object, object], bool]
    readable_pages: Callable[[object], QuerySet]
    readers: Callable[[QuerySet, object], QuerySet]
    # The communities whose moderators look after the discussion.
    community_ids: Callable[[object], list[int]] = lambda page: []
    # user -> queryset of ids of the pages whose discussion this person moderates (they
    # see its hidden topics and posts in lists and search).
    moderated_pages: Callable[[object], QuerySet] | None = None


_hosts: list[Host] = []


def register_host(host: Host) -> None:
    _hosts.append(host)


def hosts() -> list[Host]:
    return list(_hosts)


def host_for(page) -> Host | None:
    page = page.specific if hasattr(page, "specific") else page
    for host in _hosts:
        if isinstance(page, host.model):
            return host
    return None
