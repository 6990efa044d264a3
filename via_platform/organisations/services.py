"""Business rules for organisations: proposing and approving one, and the directory."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from via_platform.accounts.models import Profile, Visibility
from via_platform.organisations.models import Organisation, OrganisationKind


def normalise_name(name: str) -> str:
    """The name as people mean it: no leading, trailing or doubled spaces."""
    return " ".join(name.split())


def find_by_name(name: str) -> Organisation | None:
    """The organisation with this name, whatever its capitals, approved or not."""
    return Organisation.objects.filter(name__iexact=normalise_name(name)).first()


def propose_organisation(
    name: str, kind: str, proposed_by: AbstractBaseUser | None
) -> Organisation:
    """The organisation with this name; a new, unapproved one if it does not exist yet.

    Names are unique regardless of capitals, so "gemeente utrecht" finds "Gemeente
    Utrecht" instead of creating a second one. A new organisation stays out of the
    directory until an editor approves it.
    """
    name = normalise_name(name)
    if not name:
        raise ValueError("An organisation needs a name")
    if kind not in OrganisationKind.values:
        raise ValueError(f"unknown organisation kind {kind!r}")
    existing = find_by_name(name)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Organisation.objects.create(
                name=name, kind=kind, proposed_by=proposed_by, approved=False
            )
    except IntegrityError:
        # Someone proposed the same name at the same moment.
        existing = find_by_name(name)
        if existing is None:
            raise
        return existing


APPROVED_KIND = "organisations.approved"


def approve(organisation: Organisation) -> Organisation:
    """Show the organisation in the directory."""
    if not organisation.approved:
        organisation.approved = True
        organisation.save(update_fields=["approved"])
    tell_proposer_about_approval(organisation)
    return organisation


def tell_proposer_about_approval(organisation: Organisation) -> None:
    """Once per organisation: the person who proposed it hears it is in the directory."""
    from django.contrib.contenttypes.models import ContentType

    from via_platform.notifications.models import Happening
    from via_platform.notifications.services import notify

    if not (organisation.approved and organisation.proposed_by_id):
        return
    already = Happening.objects.filter(
        kind=APPROVED_KIND,
        target_type=ContentType.objects.get_for_model(Organisation),
        target_id=str(organisation.pk),
    ).exists()
    if not already:
        notify(
            APPROVED_KIND,
            target=organisation,
            title=organisation.name,
            url=f"/organisaties/{organisation.slug}/",
            audience=[organisation.proposed_by_id],
        )


# The directory ----------------------------------------------------------------


def is_member(viewer) -> bool:
    """Does `viewer` (a user or AnonymousUser) see what members see?"""
    return viewer is not None and viewer.is_authenticated and viewer.is_active


def directory(viewer, kind: str = "", query: str = "") -> QuerySet[Organisation]:
    """The approved organisations, each with `member_count`, in one query.

    Anonymous visitors only count the people they would see listed: those who made
    both their name and their organisation public.
    """
    counted = Q(profiles__user__is_active=True)
    if not is_member(viewer):
        counted &= Q(
            profiles__organisation_visibility=Visibility.EVERYONE,
            profiles__name_visibility=Visibility.EVERYONE,
        )
    organisations = Organisation.objects.approved().annotate(
        member_count=Count("profiles", filter=counted)
    )
    if kind:
        organisations = organisations.filter(kind=kind)
    if query:
        organisations = organisations.filter(name__icontains=query)
    return organisations.order_by("name", "pk")


def visible_members(organisation: Organisation, viewer) -> QuerySet[Profile]:
    """The profiles of the organisation's members that `viewer` may see listed.

    Members see everyone; anonymous visitors only those who made both their name and
    their organisation public.
    """
    profiles = organisation.profiles.filter(user__is_active=True).select_related("user")
    if not is_member(viewer):
        profiles = profiles.filter(
            organisation_visibility=Visibility.EVERYONE, name_visibility=Visibility.EVERYONE
        )
    return profiles.order_by("user__first_name", "user__last_name", "pk")


def member_label(profile: Profile, viewer) -> str:
    """How the directory names a member: the full name if shown, never the email."""
    full_name = profile.user.get_full_name()
    if full_name and profile.is_visible("name", viewer):
        return full_name
    return gettext("Member")


def member_url(profile: Profile) -> str:
    return f"/leden/{profile.user_id}/"
