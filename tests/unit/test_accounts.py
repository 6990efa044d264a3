"""Joining, proving who you are, saying where you work, and controlling your data."""

from __future__ import annotations

import io
import json

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.conftest import enable_totp
from via_platform.accounts.models import AuditEvent, Profile, User, Visibility
from via_platform.organisations.models import Organisation

pytestmark = pytest.mark.django_db

PASSWORD = "Een-lang-wachtwoord-42"


@pytest.fixture
def member(db):
    user = User.objects.create_user(
        email="sanne@voorbeeld.nl", password=PASSWORD, first_name="Sanne", last_name="de Vries"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Profile.objects.create(user=user, function="klantmanager", bio="Werk in Zwolle.")
    return user


def photo_upload(size=(1200, 800), fmt="JPEG", name="foto.jpg", exif=True) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        info = Image.Exif()
        info[0x010F] = "Camera Maker"  # Make
        info[0x0132] = "2026:11:25 10:00:00"  # DateTime
        kwargs["exif"] = info
    image.save(out, format=fmt, **kwargs)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


# Sign-up, login, reset: never reveal whether an address has an account ------------


def test_sign_up_with_a_taken_address_looks_exactly_like_a_new_one(client, member):
    taken = client.post(
        "/account/signup/",
        {"email": member.email, "password1": PASSWORD, "password2": PASSWORD},
    )
    fresh = client.post(
        "/account/signup/",
        {"email": "nieuw@voorbeeld.nl", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert taken.status_code == fresh.status_code == 302
    assert taken.headers["Location"] == fresh.headers["Location"]
    assert User.objects.filter(email=member.email).count() == 1
    # The owner of the taken address hears about it by email, not the person typing.
    assert [m.to for m in mail.outbox] == [[member.email], ["nieuw@voorbeeld.nl"]]


def test_password_reset_answers_the_same_for_unknown_addresses(client, member):
    known = client.post("/account/password/reset/", {"email": member.email})
    unknown = client.post("/account/password/reset/", {"email": "onbekend@voorbeeld.nl"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]


def test_weak_password_is_refused_in_dutch_and_the_email_is_kept(client):
    response = client.post(
        "/account/signup/",
        {"email": "nieuw@voorbeeld.nl", "password1": "12345678", "password2": "12345678"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="nieuw@voorbeeld.nl"' in html
    assert "Dit wachtwoord is te algemeen" in html or "volledig uit cijfers" in html
    assert 'aria-invalid="true"' in html


def test_weak_password_is_explained_in_english_for_english_visitors(client):
    client.cookies["via_language"] = "en"
    html = client.post(
        "/account/signup/",
        {"email": "new@voorbeeld.nl", "password1": "12345678", "password2": "12345678"},
    ).content.decode()
    assert "This password is too common" in html or "entirely numeric" in html


def test_repeated_login_failures_are_rate_limited(client, member):
    pages = [
        client.post("/account/login/", {"login": member.email, "password": "fout"})
        for _ in range(6)
    ]
    assert "Te veel inlogpogingen" not in pages[0].content.decode()
    assert "Te veel inlogpogingen" in pages[-1].content.decode()
    # Even the right password is refused while the limit holds.
    right = client.post("/account/login/", {"login": member.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session, right.status_code


# Two-factor authentication -----------------------------------------------------------


def test_coordinator_without_2fa_is_sent_to_set_it_up_before_the_admin(client, demo_site):
    coordinator = User.objects.get(email="coordinator@voorbeeld.nl")
    client.force_login(coordinator)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/2fa/totp/activate/"
    assert client.session["mfa_continue_to"] == "/admin/pages/"
    # allauth asks for the password again before a security change, then shows the setup.
    page = client.get(response.headers["Location"], follow=True)
    assert page.redirect_chain[-1][0].startswith("/account/reauthenticate/")


def test_with_2fa_the_coordinator_reaches_the_admin(client, demo_site):
    coordinator = User.objects.get(email="coordinator@voorbeeld.nl")
    enable_totp(coordinator)
    client.force_login(coordinator)
    assert client.get("/admin/").status_code == 200


def test_members_without_a_role_are_not_forced_into_2fa(client, member):
    client.force_login(member)
    assert client.get("/admin/").status_code == 302
    assert "/2fa/" not in client.get("/admin/").headers["Location"]


# Profile -------------------------------------------------------------------------------


def test_profile_photo_is_resized_and_stripped_of_metadata(client, member):
    client.force_login(member)
    response = client.post(
        "/account/profiel/",
        {
            "first_name": "Sanne", "last_name": "de Vries", "photo": photo_upload(),
            **{f"{f}_visibility": "members" for f in Profile.VISIBLE_FIELDS},
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = Profile.objects.get(user=member)
    with Image.open(profile.photo.path) as stored:
        assert max(stored.size) == 400
        assert stored.format == "JPEG"
        assert len(stored.getexif()) == 0


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not an image", "image/jpeg"), "geen foto"),
        (SimpleUploadedFile("groot.jpg", b"0" * (5 * 1024 * 1024 + 1), "image/jpeg"), "5 MB"),
    ],
)
def test_bad_photo_is_refused_with_a_clear_message_and_nothing_typed_is_lost(
    client, member, upload, message
):
    client.force_login(member)
    response = client.post(
        "/account/profiel/",
        {
            "first_name": "Sanne", "last_name": "Bakker", "bio": "Nieuwe tekst over mij",
            "photo": upload, **{f"{f}_visibility": "members" for f in Profile.VISIBLE_FIELDS},
        },
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="Bakker"' in html and "Nieuwe tekst over mij" in html
    member.refresh_from_db()
    assert member.last_name == "de Vries"


def test_proposing_an_organisation_links_it_unapproved(client, member):
    client.force_login(member)
    client.post(
        "/account/profiel/",
        {
            "first_name": "Sanne", "last_name": "de Vries",
            "new_organisation": "Werkplein Zwolle", "new_organisation_kind": "gemeente",
            **{f"{f}_visibility": "members" for f in Profile.VISIBLE_FIELDS},
        },
    )  # fmt: skip
    organisation = Organisation.objects.get(name="Werkplein Zwolle")
    assert organisation.approved is False and organisation.proposed_by == member
    assert Profile.objects.get(user=member).organisation == organisation


def test_member_page_shows_anonymous_visitors_only_what_was_made_public(client, member):
    profile = member.profile
    url = f"/leden/{member.pk}/"
    assert client.get(url).status_code == 404  # nothing public yet

    profile.name_visibility = Visibility.EVERYONE
    profile.save()
    html = client.get(url).content.decode()
    assert "Sanne de Vries" in html
    assert "Klantmanager" not in html and "Werk in Zwolle" not in html
    assert member.email not in html

    client.force_login(User.objects.create_user(email="collega@voorbeeld.nl", password=PASSWORD))
    html = client.get(url).content.decode()
    assert "Klantmanager" in html and "Werk in Zwolle" in html
    assert member.email not in html


def test_profile_form_never_asks_about_origin(client, member):
    client.force_login(member)
    html = client.get("/account/profiel/").content.decode().lower()
    for word in ("afkomst", 'migratieachtergrond"', "nationaliteit", "etniciteit", "geboorteland"):
        assert f'name="{word}' not in html
    assert {f.name for f in Profile._meta.get_fields()}.isdisjoint(
        {"ethnicity", "origin", "nationality", "migration_background", "country_of_birth"}
    )


# Privacy self-service ------------------------------------------------------------------


def test_export_needs_the_password_and_is_audited(client, member):
    client.force_login(member)
    wrong = client.post("/account/privacy/download/", {"export-password": "fout"})
    assert wrong.status_code == 400
    assert "niet je huidige wachtwoord" in wrong.content.decode()
    assert not AuditEvent.objects.filter(action="data_exported").exists()

    response = client.post("/account/privacy/download/", {"export-password": PASSWORD})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == member.email
    assert data["account"]["profile"]["bio"] == "Werk in Zwolle."
    event = AuditEvent.objects.get(action="data_exported")
    assert (event.user_id_at_event, event.action) == (member.pk, "data_exported")


def test_deleting_the_account_anonymises_it_and_frees_nothing_personal(client, member):
    enable_totp(member)
    client.force_login(member)
    refused = client.post("/account/privacy/verwijderen/", {"delete-password": PASSWORD})
    assert refused.status_code == 400  # the confirmation box was not ticked

    response = client.post(
        "/account/privacy/verwijderen/", {"delete-password": PASSWORD, "delete-confirm": "on"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert str(member) in {"Voormalig lid", "Former member"}
    assert member.is_active is False and not member.has_usable_password()
    assert "sanne" not in member.email and member.first_name == member.last_name == ""
    assert not Profile.objects.filter(user=member).exists()
    assert not EmailAddress.objects.filter(user=member).exists()
    assert not member.authenticator_set.exists()
    assert AuditEvent.objects.filter(user_id_at_event=member.pk, action="account_deleted").exists()
    assert "_auth_user_id" not in client.session
    assert client.login(email="sanne@voorbeeld.nl", password=PASSWORD) is False
    assert client.get(f"/leden/{member.pk}/").status_code == 404


def test_demo_accounts_have_complete_profiles(demo_site):
    for profile in Profile.objects.select_related("user", "organisation", "region"):
        assert profile.user.get_full_name()
        assert profile.function and profile.sector and profile.region and profile.organisation
        assert profile.organisation.approved


def test_changing_the_email_address_needs_verification_of_the_new_one(client, member):
    client.force_login(member)
    response = client.post("/account/email/", {"action_add": "", "email": "sanne@zwolle.example"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "sanne@voorbeeld.nl"  # unchanged until the new one is verified
    assert mail.outbox[-1].to == ["sanne@zwolle.example"]
    new = EmailAddress.objects.get(email="sanne@zwolle.example")
    assert new.verified is False

    from allauth.account.models import EmailConfirmationHMAC

    key = EmailConfirmationHMAC(new).key
    client.post(f"/account/confirm-email/{key}/")
    member.refresh_from_db()
    assert member.email == "sanne@zwolle.example"
    assert list(EmailAddress.objects.filter(user=member).values_list("email", flat=True)) == [
        "sanne@zwolle.example"
    ]


def test_confirming_the_address_brings_a_welcome_notification(client):
    from allauth.account.models import EmailConfirmationHMAC

    from via_platform.notifications.models import Happening

    client.post(
        "/account/signup/",
        {"email": "nieuw@voorbeeld.nl", "password1": PASSWORD, "password2": PASSWORD},
    )
    address = EmailAddress.objects.get(email="nieuw@voorbeeld.nl")
    client.post(f"/account/confirm-email/{EmailConfirmationHMAC(address).key}/")
    client.post(f"/account/confirm-email/{EmailConfirmationHMAC(address).key}/")
    happening = Happening.objects.get(kind="accounts.welcome")
    assert happening.audience == [address.user_id]
    assert happening.url == "/account/profiel/"


def test_site_roles_map_to_groups_with_wagtail_permissions(demo_site):
    from cms.models import ContentPage

    page = ContentPage.objects.get(slug="over-via")
    redacteur = User.objects.get(email="redacteur@voorbeeld.nl")
    beheerder = User.objects.create_user(email="b2@voorbeeld.nl", password="x")
    beheerder.groups.add(redacteur.groups.model.objects.get(name="Beheerders"))
    member = User.objects.get(email="klantmanager@voorbeeld.nl")

    assert page.permissions_for_user(redacteur).can_publish()
    assert not redacteur.has_perm("cms.change_navigationsettings")
    assert beheerder.has_perm("cms.change_navigationsettings")
    assert page.permissions_for_user(beheerder).can_delete()
    assert not page.permissions_for_user(member).can_edit()
    assert User.objects.get(email="coordinator@voorbeeld.nl").has_perm("wagtailadmin.access_admin")


def test_profile_with_a_proposed_organisation_can_be_saved_again(client, member):
    client.force_login(member)
    visibility = {f"{f}_visibility": "members" for f in Profile.VISIBLE_FIELDS}
    client.post(
        "/account/profiel/",
        {"first_name": "Sanne", "last_name": "de Vries", "new_organisation": "Werkplein Zwolle",
         "new_organisation_kind": "gemeente", **visibility},
    )  # fmt: skip
    proposed = Organisation.objects.get(name="Werkplein Zwolle")
    response = client.post(
        "/account/profiel/",
        {"first_name": "Sanne", "last_name": "Jansen", "organisation": proposed.pk, **visibility},
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=member).organisation == proposed
