"""The audit trail: every security-relevant action writes exactly one event, with ids and
never an email address or a name, and editors read it in the Wagtail admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.contrib.auth.models import Group
from django.utils import timezone

from tests import forums as f
from tests.conftest import enable_totp, totp_code
from via_platform.accounts import audit
from via_platform.accounts.models import AuditEvent, User
from via_platform.accounts.roles import REDACTEUREN, ensure_site_roles
from via_platform.communities import services as community_services
from via_platform.communities.models import Role
from via_platform.forums import services as forum_services
from via_platform.forums.models import ModerationAction

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_roles(db):
    """The role groups, as after `migrate` (the test database may predate them)."""
    ensure_site_roles()


PASSWORD = "Een-lang-wachtwoord-42"
A = AuditEvent.Action


def account(email: str, first="Sanne", last="de Vries", **extra) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, first_name=first, last_name=last, **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def events() -> list[tuple]:
    return list(
        AuditEvent.objects.order_by("pk").values_list(
            "action", "user_id_at_event", "target", "detail"
        )
    )


def new_events(before: int) -> list[tuple]:
    return events()[before:]


def assert_nothing_personal(*users) -> None:
    """Only ids: no address, no name, in any event."""
    for action, _actor, target, detail in events():
        text = f"{target} {detail}"
        assert "@" not in text, (action, text)
        for user in users:
            for part in (user.email, user.first_name, user.last_name):
                assert not part or part not in text, (action, text)


def sign_in(client, user) -> None:
    """Through allauth's own form, so the session counts as freshly authenticated."""
    response = client.post("/account/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    assert client.session["_auth_user_id"] == str(user.pk)


# Sign-in, 2FA, password, email -----------------------------------------------------


def test_sign_in_and_failed_sign_in_are_audited_without_the_address(client):
    sanne = account("sanne@voorbeeld.nl")
    client.post("/account/login/", {"login": sanne.email, "password": "fout-wachtwoord"})
    client.post("/account/login/", {"login": "niemand@voorbeeld.nl", "password": "fout"})
    assert events() == [
        (A.LOGIN_FAILED, None, f"user:{sanne.pk}", ""),
        (A.LOGIN_FAILED, None, "", "unknown account"),
    ]
    sign_in(client, sanne)
    assert new_events(2) == [(A.LOGIN, sanne.pk, f"user:{sanne.pk}", "")]
    assert_nothing_personal(sanne)
    assert "niemand" not in str(events())


def test_two_factor_changes_are_audited_once_each(client, django_capture_on_commit_callbacks):
    sanne = account("sanne@voorbeeld.nl")
    sign_in(client, sanne)
    # allauth asks for the password again before security changes.
    reauth = client.post("/account/reauthenticate/", {"password": PASSWORD})
    assert reauth.status_code == 302, reauth.content[:500]
    before = AuditEvent.objects.count()

    assert client.get("/account/2fa/totp/activate/").status_code == 200
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302, response.content[:500]
    assert sanne.authenticator_set.count() == 2  # TOTP and, with it, recovery codes
    # One action, one event: the recovery codes that come along are not a second one.
    assert new_events(before) == [(A.MFA_ENABLED, sanne.pk, f"user:{sanne.pk}", "totp")]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/2fa/recovery-codes/generate/")
    assert response.status_code == 302, response.content[:500]
    assert new_events(before)[1:] == [
        (A.RECOVERY_CODES_REGENERATED, sanne.pk, f"user:{sanne.pk}", "")
    ]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/2fa/totp/deactivate/")
    assert response.status_code == 302, response.content[:500]
    assert not sanne.authenticator_set.exists()
    assert new_events(before)[2:] == [(A.MFA_DISABLED, sanne.pk, f"user:{sanne.pk}", "totp")]
    assert_nothing_personal(sanne)


def test_password_and_email_changes_are_audited(client):
    sanne = account("sanne@voorbeeld.nl")
    client.force_login(sanne)
    before = AuditEvent.objects.count()
    new_password = "Nog-een-lang-wachtwoord-43"
    response = client.post(
        "/account/password/change/",
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert new_events(before) == [(A.PASSWORD_CHANGED, sanne.pk, f"user:{sanne.pk}", "changed")]

    client.post("/account/email/", {"action_add": "", "email": "sanne@zwolle.example"})
    address = EmailAddress.objects.get(email="sanne@zwolle.example")
    client.post(f"/account/confirm-email/{EmailConfirmationHMAC(address).key}/")
    sanne.refresh_from_db()
    assert sanne.email == "sanne@zwolle.example"
    assert new_events(before)[1:] == [(A.EMAIL_CHANGED, sanne.pk, f"user:{sanne.pk}", "")]
    assert "zwolle" not in str(events())
    assert_nothing_personal(sanne)


# Roles ------------------------------------------------------------------------------


def test_community_role_changes_and_removals_are_one_event_each():
    place = f.community("Gesloten kring", members_only=True)
    coordinator = f.member(place, role=Role.COORDINATOR)
    anna = f.member(place, f.person("Anna", "Jansen"))
    community_services.sync_editor_group(place)
    before = AuditEvent.objects.count()
    assert before == 0  # the editor group follows roles: derived, not audited itself

    m = place.memberships.get(user=anna)
    community_services.change_role(coordinator, m, Role.COORDINATOR)
    # The role change also put Anna in the community's editor group and in
    # Coördinatoren; that is the same action, recorded once.
    assert anna.groups.filter(name="Coördinatoren").exists()
    assert events() == [
        (
            A.MEMBERSHIP_ROLE_CHANGED,
            coordinator.pk,
            f"user:{anna.pk}",
            f"community:{place.pk} member -> coordinator",
        )
    ]
    community_services.change_role(coordinator, m, Role.MODERATOR)
    community_services.change_role(coordinator, m, Role.MODERATOR)  # no change: no event
    assert len(events()) == 2
    community_services.remove(coordinator, place.memberships.get(user=anna))
    assert events()[2:] == [
        (A.MEMBERSHIP_REMOVED, coordinator.pk, f"user:{anna.pk}", f"community:{place.pk}")
    ]
    assert_nothing_personal(coordinator, anna)


def test_staff_superuser_and_group_changes_are_audited_with_the_actor():
    beheer = account("beheer@voorbeeld.nl", "Bea", "Beheer", is_superuser=True, is_staff=True)
    anna = account("anna@voorbeeld.nl", "Anna", "Jansen")
    editors = Group.objects.get(name=REDACTEUREN)
    AuditEvent.objects.all().delete()  # the superuser's own creation

    audit.set_actor(beheer)
    anna.is_staff = True
    anna.save()
    anna.groups.add(editors)
    editors.user_set.remove(anna)
    anna.first_name = "Anne"
    anna.save()  # no flag changed: no event
    audit.set_actor(None)
    anna.is_superuser = True
    anna.save(update_fields=["is_superuser"])
    assert events() == [
        (A.STAFF_CHANGED, beheer.pk, f"user:{anna.pk}", "granted"),
        (A.GROUPS_CHANGED, beheer.pk, f"user:{anna.pk}", f"+{REDACTEUREN}"),
        (A.GROUPS_CHANGED, beheer.pk, f"user:{anna.pk}", f"-{REDACTEUREN}"),
        (A.SUPERUSER_CHANGED, None, f"user:{anna.pk}", "granted"),
    ]
    assert_nothing_personal(beheer, anna)


def test_the_wagtail_user_form_tells_who_made_someone_superuser(client):
    beheer = account("beheer@voorbeeld.nl", "Bea", "Beheer", is_superuser=True, is_staff=True)
    anna = account("anna@voorbeeld.nl", "Anna", "Jansen")
    enable_totp(beheer)
    client.force_login(beheer)
    form = client.get(f"/admin/users/edit/{anna.pk}/")
    assert form.status_code == 200
    AuditEvent.objects.all().delete()
    response = client.post(
        f"/admin/users/edit/{anna.pk}/",
        {
            "email": anna.email,
            "first_name": anna.first_name,
            "last_name": anna.last_name,
            "is_active": "on",
            "is_superuser": "on",
            "groups": [],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    anna.refresh_from_db()
    assert anna.is_superuser
    assert (A.SUPERUSER_CHANGED, beheer.pk, f"user:{anna.pk}", "granted") in events()


# Moderation, exports, deletion --------------------------------------------------------


def test_each_moderation_action_is_one_event():
    place = f.community("Kring", members_only=True)
    other = f.community("Andere kring", members_only=True)
    moderator = f.member(place, role=Role.MODERATOR)
    f.member(other, moderator, role=Role.MODERATOR)
    author = f.member(place, f.person("Piet", "Post"))
    topic = forum_services.start_topic(author, place, title="Vraag", body="Wie weet het?")
    post = topic.posts.get(number=1)
    AuditEvent.objects.all().delete()

    forum_services.hide_post(moderator, post, "Persoonsgegevens")
    forum_services.set_topic_state(moderator, topic, ModerationAction.CLOSE)
    forum_services.suspend(moderator, place, author, days=3, reason="Herhaald")
    forum_services.move_topic(moderator, topic, other)  # two log lines, one action
    assert events() == [
        (A.MODERATION, moderator.pk, f"post:{post.pk}", f"hide community:{place.pk}"),
        (A.MODERATION, moderator.pk, f"topic:{topic.pk}", f"close community:{place.pk}"),
        (A.MODERATION, moderator.pk, f"user:{author.pk}", f"suspend community:{place.pk}"),
        (A.MODERATION, moderator.pk, f"topic:{topic.pk}", f"move community:{place.pk}"),
    ]
    assert_nothing_personal(moderator, author)


def test_member_list_export_is_audited(client):
    place = f.community("Kring", members_only=True)
    coordinator = f.member(place, role=Role.COORDINATOR)
    f.member(place, f.person("Anna", "Jansen"))
    client.force_login(coordinator)
    AuditEvent.objects.all().delete()
    response = client.get(f"{place.url}leden/export/")
    assert response.status_code == 200
    assert b"Anna" in b"".join(response.streaming_content)
    assert events() == [(A.EXPORTED, coordinator.pk, f"community:{place.pk}", "members csv")]

    # A member who may not export gets nothing, and nothing is recorded.
    client.force_login(f.member(place))
    AuditEvent.objects.all().delete()
    assert client.get(f"{place.url}leden/export/").status_code in (302, 403, 404)
    assert [e for e in events() if e[0] == A.EXPORTED] == []


def test_account_deletion_is_one_event_even_for_a_coordinator(client):
    place = f.community("Kring", members_only=True)
    sanne = account("sanne@voorbeeld.nl")
    f.member(place, sanne, role=Role.COORDINATOR)
    f.member(place, role=Role.COORDINATOR)
    community_services.sync_editor_group(place)
    assert sanne.groups.exists()
    client.force_login(sanne)
    before = AuditEvent.objects.count()
    response = client.post(
        "/account/privacy/verwijderen/", {"delete-password": PASSWORD, "delete-confirm": "on"}
    )
    assert response.status_code == 302
    sanne.refresh_from_db()
    assert sanne.is_anonymised and not sanne.groups.exists()
    # Groups cleared and roles given up are part of the deletion, not events of their own.
    assert new_events(before) == [(A.ACCOUNT_DELETED, sanne.pk, f"user:{sanne.pk}", "")]
    assert_nothing_personal(
        User(email="sanne@voorbeeld.nl", first_name="Sanne", last_name="de Vries")
    )


# Reading the log ----------------------------------------------------------------------


@pytest.fixture
def editor():
    user = account("redacteur@voorbeeld.nl", "Rik", "Redacteur")
    user.groups.add(Group.objects.get(name=REDACTEUREN))
    enable_totp(user)
    return user


def test_editors_read_the_audit_log_and_filter_it(client, editor):
    anna = account("anna@voorbeeld.nl", "Anna", "Jansen")
    audit.record(A.LOGIN_FAILED, target=f"user:{anna.pk}")
    audit.record(A.MODERATION, actor=editor, target="post:88", detail="hide community:12")
    client.force_login(editor)

    admin_home = client.get("/admin/").content.decode()
    assert "/admin/audit/" in admin_home  # in the menu
    listing = client.get("/admin/audit/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "post:88" in html and f"user:{anna.pk}" in html
    assert "anna@voorbeeld.nl" not in html

    only_moderation = client.get("/admin/audit/", {"action": A.MODERATION}).content.decode()
    assert "post:88" in only_moderation and f"user:{anna.pk}" not in only_moderation

    today = timezone.localdate()
    tomorrow = (today + timedelta(days=1)).isoformat()
    until_tomorrow = client.get("/admin/audit/", {"at__date__lte": tomorrow})
    from_tomorrow = client.get("/admin/audit/", {"at__date__gte": tomorrow})
    assert "post:88" in until_tomorrow.content.decode()
    assert "post:88" not in from_tomorrow.content.decode()

    event = AuditEvent.objects.get(target="post:88")
    assert client.get(f"/admin/audit/inspect/{event.pk}/").status_code == 200
    # Read-only, even for the people who may read it.
    for url in (
        "/admin/audit/new/",
        f"/admin/audit/edit/{event.pk}/",
        f"/admin/audit/delete/{event.pk}/",
    ):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code in (403, 404, 405)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_superusers_cannot_change_the_log_either(client):
    beheer = account("beheer@voorbeeld.nl", "Bea", "Beheer", is_superuser=True, is_staff=True)
    enable_totp(beheer)
    client.force_login(beheer)
    html = client.get("/admin/audit/").content.decode()
    assert "/admin/audit/new/" not in html and "/admin/audit/edit/" not in html


def test_members_and_coordinators_cannot_read_the_audit_log(client):
    place = f.community("Kring", members_only=True)
    coordinator = account("coordinator@voorbeeld.nl", "Co", "Ordinator")
    f.member(place, coordinator, role=Role.COORDINATOR)
    community_services.sync_editor_group(place)
    enable_totp(coordinator)
    member = f.member(place)
    audit.record(A.LOGIN, actor=member, target=f"user:{member.pk}")
    event = AuditEvent.objects.get()

    anonymous = client.get("/admin/audit/")
    assert anonymous.status_code == 302 and "login" in anonymous.headers["Location"]
    for user in (member, coordinator):
        client.force_login(user)
        for url in ("/admin/audit/", f"/admin/audit/inspect/{event.pk}/"):
            response = client.get(url)
            assert response.status_code in (302, 403), (user, url, response.status_code)
            assert f"user:{member.pk}" not in response.content.decode()
    assert coordinator.has_perm("wagtailadmin.access_admin")
    assert not coordinator.has_perm("accounts.view_auditevent")
