"""Privacy self-service (GDPR): one registry for "export my data" and "delete me".

Each app that stores something about a person registers an exporter (returns
JSON-serialisable data for that person) and, where needed, an anonymiser (removes or
anonymises that person's data before the account itself is anonymised). The accounts
app never imports the others: they add themselves in their AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

Exporter = Callable[[Any], Any]
Anonymiser = Callable[[Any], None]

_exporters: dict[str, Exporter] = {}
_anonymisers: dict[str, Anonymiser] = {}


def register_exporter(section: str, exporter: Exporter) -> None:
    _exporters[section] = exporter


def register_anonymiser(name: str, anonymiser: Anonymiser) -> None:
    _anonymisers[name] = anonymiser


def export_user_data(user) -> dict[str, Any]:
    from via_platform.accounts import audit
    from via_platform.accounts.models import AuditEvent

    data = {
        "exported_at": timezone.now().isoformat(),
        **{section: exporter(user) for section, exporter in sorted(_exporters.items())},
    }
    audit.record(AuditEvent.Action.DATA_EXPORTED, actor=user, target=audit.target_of(user))
    return data


@transaction.atomic
def delete_account(user) -> None:
    """Remove personal data; keep contributions, shown as "Former member"."""
    from via_platform.accounts import audit
    from via_platform.accounts.models import AuditEvent

    # Apps registered after accounts run first: they still see the person they clean up.
    # What they clear (groups, roles) is part of this one audited action.
    with audit.derived():
        for anonymiser in reversed(list(_anonymisers.values())):
            anonymiser(user)
    audit.record(AuditEvent.Action.ACCOUNT_DELETED, actor=user, target=audit.target_of(user))
