"""The audit trail: security-relevant actions, one AuditEvent each.

Recorded here, from signals: sign-ins and failed sign-ins, two-factor changes, password
and email changes, staff/superuser flags and group memberships. Recorded by one call in
the service that does the work: community role changes and removals (communities),
moderation (forums), exports (the export views and privacy), account deletion (privacy).

An event holds the acting user's id (none for a failed sign-in or a change made outside
a request), the action, a target such as "user:12", "post:88" or "community:3", a short
detail (a role, a group, a moderation action) and the time. Never an email address or a
person's name, so the trail survives the anonymisation it records.

Changes that follow from another audited action are not recorded twice: the groups that
communities.services.sync_editor_group keeps in line with coordinator roles, and what an
account deletion clears, run inside `derived()`.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.contrib.auth import signals as auth_signals
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_save, pre_save

_actor: contextvars.ContextVar[int | None] = contextvars.ContextVar("audit_actor", default=None)
_derived: contextvars.ContextVar[bool] = contextvars.ContextVar("audit_derived", default=False)

FLAGS = ("is_staff", "is_superuser")


def target_of(obj) -> str:
    """ "post:88" for a Post with pk 88; "" for nothing."""
    if obj is None:
        return ""
    label = obj.__class__.__name__.lower().removesuffix("page")
    return f"{label}:{obj.pk}"


def _user_id(user) -> int | None:
    if user is None:
        return None
    if isinstance(user, int):
        return user
    if not getattr(user, "is_authenticated", False):
        return None
    return user.pk


def record(action: str, *, actor=None, target: str = "", detail: str = ""):
    """Write one audit event. `actor` is a user, a user id or None (unknown/anonymous)."""
    from via_platform.accounts.models import AuditEvent

    return AuditEvent.objects.create(
        user_id_at_event=_user_id(actor),
        action=action,
        target=target[:80],
        detail=detail[:200],
    )


def set_actor(user) -> None:
    """Who is acting in this request, for changes that signals see without a request
    (the admin's user forms). Cleared when the next request starts."""
    _actor.set(_user_id(user))


@contextlib.contextmanager
def derived() -> Iterator[None]:
    """Changes made inside are consequences of an action audited on its own."""
    token = _derived.set(True)
    try:
        yield
    finally:
        _derived.reset(token)


def _clear_actor(**_kwargs) -> None:
    _actor.set(None)


# Sign-in ------------------------------------------------------------------------------


def _logged_in(sender, request, user, **kwargs) -> None:
    from via_platform.accounts.models import AuditEvent

    record(AuditEvent.Action.LOGIN, actor=user, target=target_of(user))


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    """The typed address is not stored; only which account it belongs to, if any."""
    from via_platform.accounts.models import AuditEvent

    login = next(
        (credentials[key] for key in ("email", "username", "login") if credentials.get(key)), ""
    )
    user_id = None
    if isinstance(login, str) and login:
        user_id = (
            get_user_model()
            .objects.filter(email__iexact=login.strip())
            .values_list("pk", flat=True)
            .first()
        )
    record(
        AuditEvent.Action.LOGIN_FAILED,
        target=f"user:{user_id}" if user_id else "",
        detail="" if user_id else "unknown account",
    )


# Two-factor authentication, password, email (allauth) ---------------------------------


def _is_recovery_codes(authenticator) -> bool:
    return authenticator.type == authenticator.Type.RECOVERY_CODES


def _mfa_added(sender, request, user, authenticator, **kwargs) -> None:
    from via_platform.accounts.models import AuditEvent

    # Recovery codes come along with a first authenticator: part of the same action.
    if not _is_recovery_codes(authenticator):
        record(
            AuditEvent.Action.MFA_ENABLED,
            actor=user,
            target=target_of(user),
            detail=authenticator.type,
        )


def _mfa_removed(sender, request, user, authenticator, **kwargs) -> None:
    from via_platform.accounts.models import AuditEvent

    # Recovery codes go when the last authenticator goes: part of the same action.
    if not _is_recovery_codes(authenticator):
        record(
            AuditEvent.Action.MFA_DISABLED,
            actor=user,
            target=target_of(authenticator.user),
            detail=authenticator.type,
        )


def _mfa_reset(sender, request, user, authenticator, **kwargs) -> None:
    from via_platform.accounts.models import AuditEvent

    record(AuditEvent.Action.RECOVERY_CODES_REGENERATED, actor=user, target=target_of(user))


def _password(detail: str):
    def receiver(sender, request, user, **kwargs) -> None:
        from via_platform.accounts.models import AuditEvent

        # A reset happens signed out: the person proved it by email, so they are the actor.
        record(
            AuditEvent.Action.PASSWORD_CHANGED, actor=user, target=target_of(user), detail=detail
        )

    return receiver


_password_changed = _password("changed")
_password_set = _password("set")
_password_reset = _password("reset")


def _email_changed(sender, request, user, **kwargs) -> None:
    from via_platform.accounts.models import AuditEvent

    record(AuditEvent.Action.EMAIL_CHANGED, actor=user, target=target_of(user))


# Staff and superuser flags, groups ------------------------------------------------------


def _remember_flags(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or _derived.get():
        return
    if update_fields is not None and not set(update_fields) & set(FLAGS):
        return
    old = None
    if instance.pk is not None:
        old = sender.objects.filter(pk=instance.pk).values(*FLAGS).first()
    instance._audit_old_flags = old or dict.fromkeys(FLAGS, False)


def _record_flags(sender, instance, raw=False, **kwargs) -> None:
    from via_platform.accounts.models import AuditEvent

    old = instance.__dict__.pop("_audit_old_flags", None)
    if raw or old is None or _derived.get():
        return
    actions = {
        "is_staff": AuditEvent.Action.STAFF_CHANGED,
        "is_superuser": AuditEvent.Action.SUPERUSER_CHANGED,
    }
    for flag in FLAGS:
        now = bool(getattr(instance, flag))
        if now != bool(old[flag]):
            record(
                actions[flag],
                actor=_actor.get(),
                target=target_of(instance),
                detail="granted" if now else "revoked",
            )


def _groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    from django.contrib.auth.models import Group

    from via_platform.accounts.models import AuditEvent

    if _derived.get() or action not in ("post_add", "post_remove", "pre_clear"):
        return
    sign = "-" if action in ("post_remove", "pre_clear") else "+"
    if reverse:  # group.user_set.add(users): one event per person
        if action == "pre_clear":
            pk_set = set(instance.user_set.values_list("pk", flat=True))
        changes = [(user_id, [instance.name]) for user_id in sorted(pk_set or ())]
    else:  # user.groups.add(groups)
        groups = (
            instance.groups.all() if action == "pre_clear" else Group.objects.filter(pk__in=pk_set)
        )
        changes = [(instance.pk, sorted(group.name for group in groups))]
    for user_id, names in changes:
        if names:
            record(
                AuditEvent.Action.GROUPS_CHANGED,
                actor=_actor.get(),
                target=f"user:{user_id}",
                detail=", ".join(f"{sign}{name}" for name in names),
            )


def connect() -> None:
    """Called once from AccountsConfig.ready()."""
    from allauth.account import signals as account_signals
    from allauth.mfa import signals as mfa_signals

    user_model = get_user_model()
    request_started.connect(_clear_actor, dispatch_uid="audit_clear_actor_start")
    request_finished.connect(_clear_actor, dispatch_uid="audit_clear_actor_end")
    auth_signals.user_logged_in.connect(_logged_in, dispatch_uid="audit_login")
    auth_signals.user_login_failed.connect(_login_failed, dispatch_uid="audit_login_failed")
    mfa_signals.authenticator_added.connect(_mfa_added, dispatch_uid="audit_mfa_added")
    mfa_signals.authenticator_removed.connect(_mfa_removed, dispatch_uid="audit_mfa_removed")
    mfa_signals.authenticator_reset.connect(_mfa_reset, dispatch_uid="audit_mfa_reset")
    account_signals.password_changed.connect(_password_changed, dispatch_uid="audit_pw_changed")
    account_signals.password_set.connect(_password_set, dispatch_uid="audit_pw_set")
    account_signals.password_reset.connect(_password_reset, dispatch_uid="audit_pw_reset")
    account_signals.email_changed.connect(_email_changed, dispatch_uid="audit_email_changed")
    pre_save.connect(_remember_flags, sender=user_model, dispatch_uid="audit_flags_before")
    post_save.connect(_record_flags, sender=user_model, dispatch_uid="audit_flags_after")
    m2m_changed.connect(
        _groups_changed, sender=user_model.groups.through, dispatch_uid="audit_groups"
    )
