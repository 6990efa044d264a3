"""The kennisbank's business rules that change data: "Wij passen dit toe" (an
organisation applies a practice) and what the privacy self-service does with it.

Views and hooks call these; the rules about who may read what live in permissions.py.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from via_platform.library import permissions
from via_platform.library.models import Application, PracticePage


def _organisation_id(user) -> int:
    if not permissions.can_mark_applied(user):
        raise PermissionDenied(
            gettext("Add your organisation to your profile to mark that it applies a practice.")
        )
    return user.profile.organisation_id


def mark_applied(user, practice: PracticePage) -> tuple[Application, bool]:
    """Mark that the person's organisation applies this practice. Idempotent: an
    organisation counts once, however many of its people mark it. Returns the
    application and whether it is new."""
    if not permissions.can_view(user, practice):
        raise PermissionDenied
    organisation_id = _organisation_id(user)
    existing = Application.objects.filter(practice=practice, organisation_id=organisation_id)
    application = existing.first()
    if application is not None:
        return application, False
    try:
        with transaction.atomic():
            application = Application.objects.create(
                practice=practice, organisation_id=organisation_id, marked_by=user
            )
    except IntegrityError:  # a colleague marked it at the same moment
        return existing.get(), False
    return application, True


def unmark_applied(user, practice: PracticePage) -> bool:
    """Remove the mark of the person's organisation (whoever in it set the mark).
    Returns whether there was a mark."""
    organisation_id = _organisation_id(user)
    deleted, _rows = Application.objects.filter(
        practice=practice, organisation_id=organisation_id
    ).delete()
    return bool(deleted)


def applies(user, practice: PracticePage) -> bool:
    """Does the person's organisation apply this practice?"""
    if not permissions.can_mark_applied(user):
        return False
    return Application.objects.filter(
        practice=practice, organisation_id=user.profile.organisation_id
    ).exists()


def application_count(practice: PracticePage) -> int:
    return Application.objects.filter(practice=practice).count()


# Privacy self-service ------------------------------------------------------------------


def export_applications(user) -> list[dict]:
    """The practices this person marked as applied by their organisation."""
    return [
        {
            "practice": title,
            "organisation": organisation,
            "marked_at": created.isoformat(),
        }
        for title, organisation, created in Application.objects.filter(marked_by=user)
        .order_by("created_at", "pk")
        .values_list("practice__title", "organisation__name", "created_at")
    ]


def forget_applications(user) -> None:
    """The organisation's mark stays; who set it is forgotten."""
    Application.objects.filter(marked_by=user).update(marked_by=None)
