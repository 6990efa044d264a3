"""People. Email is the only login; there is no username.

The platform never asks for or stores ethnicity or migration background.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not (extra_fields["is_staff"] and extra_fields["is_superuser"]):
            raise ValueError("A superuser must have is_staff and is_superuser set")
        return self._create_user(email, password, **extra_fields)


FORMER_MEMBER = _("Former member")


class User(AbstractUser):
    username = None
    email = models.EmailField(_("email address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("nl", "Nederlands"), ("en", "English")],
        default="nl",
    )

    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Amsterdam")
    # How others mention this person in the forums (@anna-de-vries); made from the
    # name the first time there is one, unique, and never the email address.
    handle = models.SlugField(
        _("handle"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Others mention you in the forums with @ and this name."),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        if self.is_anonymised:
            return str(FORMER_MEMBER)
        return self.get_full_name() or self.email

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    def save(self, *args, **kwargs):
        if not self.handle and not self.is_anonymised and self.get_full_name():
            self.handle = self._free_handle(slugify(self.get_full_name())[:34] or "lid")
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "handle"}
        super().save(*args, **kwargs)

    def _free_handle(self, base: str) -> str:
        taken = set(
            User.objects.filter(handle__startswith=base)
            .exclude(pk=self.pk)
            .values_list("handle", flat=True)
        )
        if base not in taken:
            return base
        return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


class Visibility(models.TextChoices):
    MEMBERS = "members", _("Members only")
    EVERYONE = "everyone", _("Everyone")


class Function(models.TextChoices):
    KLANTMANAGER = "klantmanager", _("Klantmanager")
    WERKGEVER = "werkgever", _("Employer / HR")
    BELEIDSMEDEWERKER = "beleidsmedewerker", _("Policy officer")
    MANAGER = "manager", _("Manager")
    DOCENT = "docent", _("Teacher / education")
    COORDINATOR = "coordinator", _("Coordinator")
    ANDERS = "anders", _("Other")


class Sector(models.TextChoices):
    """The sectors the communities of practice are organised by."""

    ZORG = "zorg", _("Care and welfare")
    TECHNIEK = "techniek", _("Engineering and installation")
    BOUW = "bouw", _("Construction")
    LOGISTIEK = "logistiek", _("Transport and logistics")
    HORECA = "horeca", _("Hospitality")
    HANDEL = "handel", _("Retail and wholesale")
    ICT = "ict", _("ICT")
    OVERHEID = "overheid", _("Government")
    ONDERWIJS = "onderwijs", _("Education")
    ZAKELIJK = "zakelijk", _("Business services")
    INDUSTRIE = "industrie", _("Industry and manufacturing")
    UITZEND = "uitzend", _("Staffing agencies")


class LabourMarketRegion(models.Model):
    """One of the 35 arbeidsmarktregio's (reference data, loaded by a migration)."""

    code = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("labour market region")
        verbose_name_plural = _("labour market regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def profile_photo_path(instance: Profile, filename: str) -> str:
    return f"profielen/{instance.user_id}/{uuid.uuid4().hex}.jpg"


class Profile(models.Model):
    """What a person tells about themselves, and who may see each part.

    Never ask for or store ethnicity or migration background: this platform serves
    professionals, and that is special-category data under the GDPR.
    """

    # Fields whose visibility the person chooses; everything else is never public.
    VISIBLE_FIELDS = ("name", "photo", "function", "sector", "region", "organisation", "bio")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    photo = models.ImageField(_("photo"), upload_to=profile_photo_path, blank=True)
    function = models.CharField(_("function"), max_length=30, choices=Function.choices, blank=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    region = models.ForeignKey(
        LabourMarketRegion,
        verbose_name=_("labour market region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="profiles",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="profiles",
    )
    bio = models.TextField(_("about me"), max_length=1000, blank=True)

    name_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    photo_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    function_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    sector_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    region_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    organisation_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    bio_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)

    def is_visible(self, field: str, viewer) -> bool:
        """May `viewer` (a user or AnonymousUser) see this part of the profile?"""
        if field not in self.VISIBLE_FIELDS:
            raise ValueError(f"unknown profile field {field!r}")
        if viewer is not None and viewer.is_authenticated and viewer.is_active:
            return True
        return getattr(self, f"{field}_visibility") == Visibility.EVERYONE

    def is_public(self) -> bool:
        """Does an anonymous visitor see anything at all of this person?"""
        return any(
            getattr(self, f"{f}_visibility") == Visibility.EVERYONE for f in self.VISIBLE_FIELDS
        )


class AuditEvent(models.Model):
    """One security-relevant action: sign-ins, two-factor and password changes, role
    changes, moderation, exports, account deletion (see accounts/audit.py).

    Stores user ids and object ids, never an email address or a name, so the trail
    survives the anonymisation it records.
    """

    class Action(models.TextChoices):
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        MFA_ENABLED = "mfa_enabled", _("Two-factor authentication enabled")
        MFA_DISABLED = "mfa_disabled", _("Two-factor authentication disabled")
        RECOVERY_CODES_REGENERATED = "recovery_codes", _("Recovery codes regenerated")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        EMAIL_CHANGED = "email_changed", _("Email address changed")
        SIGNED_OUT_EVERYWHERE = "signed_out_everywhere", _("Signed out everywhere")
        MEMBERSHIP_ROLE_CHANGED = "membership_role", _("Community role changed")
        MEMBERSHIP_REMOVED = "membership_removed", _("Removed from a community")
        STAFF_CHANGED = "staff_changed", _("Staff status changed")
        SUPERUSER_CHANGED = "superuser_changed", _("Superuser status changed")
        GROUPS_CHANGED = "groups_changed", _("Groups changed")
        MODERATION = "moderation", _("Moderation")
        EXPORTED = "exported", _("List exported")
        DATA_EXPORTED = "data_exported", _("Data exported")
        ACCOUNT_DELETED = "account_deleted", _("Account deleted")

    # The acting user; empty when nobody was signed in (a failed sign-in) or the change
    # came from outside a request (a management command).
    user_id_at_event = models.PositiveBigIntegerField(_("by user id"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    target = models.CharField(_("target"), max_length=80, blank=True, default="")
    detail = models.CharField(_("detail"), max_length=200, blank=True, default="")
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["user_id_at_event", "at"]),
            models.Index(fields=["action", "at"]),
        ]

    def __str__(self) -> str:
        actor = f"#{self.user_id_at_event}" if self.user_id_at_event else "-"
        return f"{self.get_action_display()} {actor} {self.target} {self.at:%Y-%m-%d %H:%M}"
