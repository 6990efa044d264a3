"""Business rules for people: reference data, photos, who must use two-factor
authentication, and what the accounts app exports and anonymises."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from via_platform.accounts.models import LabourMarketRegion, Profile, User
from via_platform.accounts.regions import LABOUR_MARKET_REGIONS

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
PHOTO_SIZE = 400  # longest side after resizing, in pixels
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def ensure_reference_data() -> None:
    """The 35 labour market regions (also loaded by a migration)."""
    for code, name in LABOUR_MARKET_REGIONS:
        LabourMarketRegion.objects.update_or_create(code=code, defaults={"name": name})


def get_profile(user: User) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


# Welcome ---------------------------------------------------------------------

WELCOME_KIND = "accounts.welcome"


def welcome(user: User) -> None:
    """A first notification pointing a new member to their profile (once)."""
    from django.contrib.contenttypes.models import ContentType

    from via_platform.notifications.models import Happening
    from via_platform.notifications.services import notify

    if Happening.objects.filter(
        kind=WELCOME_KIND,
        target_type=ContentType.objects.get_for_model(User),
        target_id=str(user.pk),
    ).exists():
        return
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        title = _("Welcome! Tell other members where you work")
    notify(
        WELCOME_KIND,
        target=user,
        title=title,
        url="/account/profiel/",
        audience=[user.pk],
    )


def welcome_on_first_confirmation(request, email_address, **kwargs) -> None:
    welcome(email_address.user)


# Photos ---------------------------------------------------------------------


def process_photo(upload: UploadedFile) -> ContentFile:
    """Check, resize and re-encode a profile photo; the result carries no metadata.

    Re-encoding from pixels drops EXIF (location, camera, date) and anything hidden in
    the file; the sniffed format, not the file name, decides whether it is an image.
    """
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("The photo is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {
                "size": round(upload.size / 1024 / 1024, 1),
                "limit": PHOTO_MAX_BYTES // 1024 // 1024,
            },
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in PHOTO_FORMATS:
                raise UnidentifiedImageError(image_format)
            if width * height > PHOTO_MAX_PIXELS:
                raise ValidationError(_("The photo has too many pixels."), code="too_many_pixels")
            probe.load()
            image = ImageOps.exif_transpose(probe).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("This file is not a photo we can use. Upload a JPEG, PNG, WebP or GIF image."),
            code="not_an_image",
        ) from exc
    image.thumbnail((PHOTO_SIZE, PHOTO_SIZE))
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name="photo.jpg")


# Two-factor authentication ---------------------------------------------------

# Other apps add predicates here (the communities app: "is a coordinator somewhere").
_mfa_required_checks: list[Callable[[User], bool]] = []


def register_mfa_requirement(check: Callable[[User], bool]) -> None:
    _mfa_required_checks.append(check)


def requires_mfa(user: User) -> bool:
    """Staff, Wagtail editors and coordinators must use two-factor authentication."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin"):
        return True
    return any(check(user) for check in _mfa_required_checks)


def has_mfa(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# Privacy ---------------------------------------------------------------------


def export_account(user: User) -> dict:
    profile = getattr(user, "profile", None)
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_language": user.preferred_language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "email_addresses": list(user.emailaddress_set.values("email", "verified", "primary")),
        "two_factor": sorted(user.authenticator_set.values_list("type", flat=True)),
        "single_sign_on": list(user.socialaccount_set.values("provider", "uid")),
        "groups": sorted(user.groups.values_list("name", flat=True)),
    }
    if profile is not None:
        data["profile"] = {
            "function": profile.function,
            "sector": profile.sector,
            "region": str(profile.region) if profile.region else None,
            "organisation": str(profile.organisation) if profile.organisation else None,
            "bio": profile.bio,
            "photo": bool(profile.photo),
            "visibility": {f: getattr(profile, f"{f}_visibility") for f in Profile.VISIBLE_FIELDS},
        }
    return data


def anonymise_account(user: User) -> None:
    """The account stays (so threads keep their author) but holds nothing personal."""
    profile = getattr(user, "profile", None)
    if profile is not None:
        if profile.photo:
            profile.photo.delete(save=False)
        profile.delete()
    user.emailaddress_set.all().delete()
    user.socialaccount_set.all().delete()
    user.authenticator_set.all().delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"voormalig-lid-{user.pk}@invalid.invalid"
    user.first_name = user.last_name = ""
    user.handle = None
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.anonymised_at = timezone.now()
    user.save()
    _end_sessions(user)


def _end_sessions(user: User) -> None:
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
