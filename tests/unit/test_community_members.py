"""A community's members: the list, coordinators' decisions, export, invitations, messages."""

from __future__ import annotations

import csv
import io

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from via_platform.accounts.models import Profile, User
from via_platform.accounts.roles import COORDINATOREN
from via_platform.communities import services
from via_platform.communities.models import (
    CommunityIndexPage,
    CommunityMessage,
    CommunityPage,
    Invitation,
    Membership,
    MembershipState,
    Role,
)
from via_platform.notifications.models import Happening
from via_platform.organisations.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db

PASSWORD = "Een-lang-wachtwoord-42"


def _person(email: str, first: str = "", last: str = "", organisation=None, **profile) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, first_name=first, last_name=last
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Profile.objects.create(user=user, organisation=organisation, **profile)
    return user


def _join(community, user, role=Role.MEMBER, state=MembershipState.ACTIVE, **extra) -> Membership:
    return Membership.objects.create(
        community=community, user=user, role=role, state=state, **extra
    )


@pytest.fixture
def community(demo_site):
    from cms.models import HomePage

    home = HomePage.objects.first()
    index = CommunityIndexPage(title="Netwerken test", slug="netwerken-test")
    home.add_child(instance=index)
    community = CommunityPage(
        title="Intensieve begeleiding test",
        slug="ib-test",
        kind="lerend_netwerk",
        intro="Intro",
        join_policy="on_request",
    )
    index.add_child(instance=community)
    community.save_revision().publish()
    return community


@pytest.fixture
def utrecht(db):
    return Organisation.objects.create(
        name="Gemeente Utrecht Test", slug="gemeente-utrecht-test", kind=OrganisationKind.GEMEENTE,
        approved=True,
    )  # fmt: skip


@pytest.fixture
def coordinator(community, utrecht):
    user = _person("coordinator@ibtest.nl", "Carla", "Coördinator", utrecht)
    _join(community, user, Role.COORDINATOR)
    services.sync_editor_group(community)
    return user


@pytest.fixture
def member(community, utrecht):
    user = _person("lid@ibtest.nl", "Lotte", "Lid", utrecht, function="klantmanager")
    _join(community, user)
    return user


@pytest.fixture
def en(client):
    """English messages, so the assertions do not depend on the Dutch catalogue."""
    client.cookies["via_language"] = "en"
    return client


def _as(client, user):
    client.force_login(user)
    return client


def _url(community, rest: str = "") -> str:
    return f"{community.url}{rest}"


EXPORT = "leden/export/"


def _main(response) -> str:
    """The page's own content, without the header (which names the logged-in person)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


# The list ------------------------------------------------------------------------------


def test_non_member_gets_403_and_anonymous_visitor_is_sent_to_log_in(
    client, community, coordinator
):
    assert client.get(_url(community, "leden/")).status_code == 302
    assert "/account/login/" in client.get(_url(community, "leden/")).headers["Location"]
    _as(client, _person("buiten@ibtest.nl", "Bram", "Buiten"))
    assert client.get(_url(community, "leden/")).status_code == 403


def test_hidden_community_is_404_for_non_members(client, community, coordinator):
    community.hidden = True
    community.save_revision().publish()
    _as(client, _person("buiten@ibtest.nl", "Bram", "Buiten"))
    assert client.get(_url(community, "leden/")).status_code == 404


def test_member_sees_names_but_no_emails_and_no_management(en, community, coordinator, member):
    nameless = _person("geen.naam@ibtest.nl")
    _join(community, nameless)
    _join(community, _person("vraagt@ibtest.nl", "Vera", "Vraagt"), state="requested")
    response = _as(en, member).get(_url(community, "leden/"))
    html = _main(response)
    assert response.status_code == 200
    assert "Carla Coördinator" in html and "Lotte Lid" in html
    assert f'href="/leden/{coordinator.pk}/"' in html
    assert "Gemeente Utrecht Test" in html and "Coordinator" in html
    assert "@ibtest.nl" not in html  # not even for the member without a name
    assert "Vera" not in html  # requests are for coordinators
    assert 'method="post"' not in html
    assert "leden/export/" not in html and "uitnodigen/" not in html and "bericht/" not in html
    assert 'name="status"' not in html


def test_member_cannot_search_by_email(en, community, coordinator, member):
    html = _main(_as(en, member).get(_url(community, "leden/"), {"q": "coordinator@"}))
    assert "Carla" not in html
    html = _main(_as(en, member).get(_url(community, "leden/"), {"q": "carla"}))
    assert "Carla Coördinator" in html and "Lotte Lid" not in html


def test_filters_by_role_and_organisation(en, community, coordinator, member):
    other = Organisation.objects.create(
        name="Werkbedrijf Test", slug="werkbedrijf-test", kind=OrganisationKind.GEMEENTE,
        approved=True,
    )  # fmt: skip
    _join(community, _person("ander@ibtest.nl", "Anna", "Ander", other))
    client = _as(en, member)
    html = _main(client.get(_url(community, "leden/"), {"rol": "coordinator"}))
    assert "Carla" in html and "Lotte" not in html and "Anna" not in html
    html = _main(client.get(_url(community, "leden/"), {"organisatie": other.pk}))
    assert "Anna Ander" in html and "Carla" not in html
    assert f'<option value="{other.pk}" selected>Werkbedrijf Test</option>' in html


def test_coordinator_sees_emails_requests_and_management(en, community, coordinator, member):
    asker = _person("vraagt@ibtest.nl", "Vera", "Vraagt")
    request = _join(
        community, asker, state=MembershipState.REQUESTED, request_message="Ik werk in Zwolle."
    )
    html = _main(_as(en, coordinator).get(_url(community, "leden/?rol=member")))
    assert "lid@ibtest.nl" in html
    assert "Ik werk in Zwolle." in html
    assert f'action="{community.url}leden/{request.pk}/"' in html
    assert 'value="approve"' in html and 'value="decline"' in html
    assert 'name="role"' in html and 'value="remove"' in html
    assert f'href="{community.url}leden/export/?rol=member"' in html
    assert f'href="{community.url}uitnodigen/"' in html
    assert f'href="{community.url}bericht/"' in html
    # Coordinators search email addresses too, and can list the requests alone.
    html = _main(_as(en, coordinator).get(_url(community, "leden/"), {"q": "lid@"}))
    assert "Lotte Lid" in html and "Carla" not in html
    html = _main(_as(en, coordinator).get(_url(community, "leden/"), {"status": "requested"}))
    assert "1 request to join" in html and "Vera Vraagt" in html and "Lotte" not in html


def test_members_list_uses_a_constant_number_of_queries(client, community, coordinator, utrecht):
    client = _as(client, coordinator)

    def queries_with(total: int) -> int:
        while (n := Membership.objects.filter(community=community).count()) < total:
            _join(community, _person(f"lid{n}@ibtest.nl", f"Lid{n}", "Test", utrecht))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url(community, "leden/"))
        assert response.status_code == 200
        return len(queries)

    assert queries_with(10) == queries_with(60)


# Decisions ------------------------------------------------------------------------------


def _post(client, community, membership, **data):
    return client.post(_url(community, f"leden/{membership.pk}/"), data)


def test_coordinator_approves_a_request(en, community, coordinator):
    asker = _person("vraagt@ibtest.nl", "Vera", "Vraagt")
    request = _join(community, asker, state=MembershipState.REQUESTED)
    next_url = _url(community, "leden/?status=requested")
    response = _post(
        _as(en, coordinator), community, request, action="approve", message="Welkom!",
        next=next_url,
    )  # fmt: skip
    assert response.status_code == 302
    assert response.headers["Location"] == next_url
    request.refresh_from_db()
    assert request.state == MembershipState.ACTIVE and request.joined_at is not None
    assert request.response_message == "Welkom!"
    happening = Happening.objects.get(kind="communities.membership_decided")
    assert happening.audience == [asker.pk]
    page = en.get(response.headers["Location"]).content.decode()
    assert "Vera Vraagt is now a member." in page


def test_coordinator_declines_with_a_message(en, community, coordinator):
    request = _join(community, _person("vraagt@ibtest.nl"), state=MembershipState.REQUESTED)
    _post(_as(en, coordinator), community, request, action="decline", message="Alleen Zwolle.")
    request.refresh_from_db()
    assert request.state == MembershipState.DECLINED
    assert request.response_message == "Alleen Zwolle."
    assert Happening.objects.filter(kind="communities.membership_decided").exists()


def test_new_coordinator_gets_the_wagtail_groups(en, community, coordinator, member):
    response = _post(_as(en, coordinator), community, Membership.objects.get(user=member),
                     action="role", role="coordinator")  # fmt: skip
    assert response.headers["Location"] == _url(community, "leden/")
    assert Membership.objects.get(user=member).role == Role.COORDINATOR
    community.refresh_from_db()
    assert community.editor_group.user_set.filter(pk=member.pk).exists()
    assert Group.objects.get(name=COORDINATOREN).user_set.filter(pk=member.pk).exists()


def test_the_last_coordinator_cannot_be_demoted(en, community, coordinator):
    own = Membership.objects.get(user=coordinator)
    response = _post(_as(en, coordinator), community, own, action="role", role="member")
    own.refresh_from_db()
    assert own.role == Role.COORDINATOR
    html = en.get(response.headers["Location"]).content.decode()
    assert "A community needs at least one coordinator." in html


def test_coordinator_removes_a_member_who_is_told(en, community, coordinator, member):
    m = Membership.objects.get(user=member)
    _post(_as(en, coordinator), community, m, action="remove")
    m.refresh_from_db()
    assert m.state == MembershipState.LEFT
    told = Happening.objects.get(kind="communities.removed")
    assert told.audience == [member.pk]
    assert told.title == f"A coordinator removed you from {community.title}"
    assert told.url == community.get_parent().url


def test_member_cannot_manage_and_memberships_of_other_communities_are_404(
    client, community, coordinator, member
):
    m = Membership.objects.get(user=coordinator)
    assert _post(_as(client, member), community, m, action="remove").status_code == 403
    assert client.get(_url(community, f"leden/{m.pk}/")).status_code == 405
    other = CommunityPage(title="Ander netwerk", slug="ander", kind="lerend_netwerk", intro="x")
    community.get_parent().add_child(instance=other)
    other.save_revision().publish()
    elsewhere = _join(other, _person("elders@ibtest.nl"))
    response = _post(_as(client, coordinator), community, elsewhere, action="remove")
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.state == MembershipState.ACTIVE


def test_next_outside_the_members_list_is_ignored(client, community, coordinator, member):
    m = Membership.objects.get(user=member)
    for unsafe in ("https://evil.example/", "//evil.example/leden/", "/admin/"):
        response = _post(_as(client, coordinator), community, m, action="role", role="moderator",
                         next=unsafe)  # fmt: skip
        assert response.headers["Location"] == _url(community, "leden/")


# Export ------------------------------------------------------------------------------------


def test_csv_export_has_a_bom_the_rows_and_no_formulas(client, community, coordinator, member):
    _join(community, _person("x@ibtest.nl", '=HYPERLINK("http://evil.example")', "Test"))
    response = _as(client, coordinator).get(_url(community, EXPORT))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="leden-ib-test-')
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 4  # the header and three members
    by_email = {row[1]: row for row in rows[1:]}
    assert by_email["lid@ibtest.nl"][0] == "Lotte Lid"
    assert by_email["lid@ibtest.nl"][3] == "Gemeente Utrecht Test"
    assert by_email["x@ibtest.nl"][0] == '\'=HYPERLINK("http://evil.example") Test'
    # The filters of the list apply.
    filtered = client.get(_url(community, EXPORT + "?rol=coordinator"))
    rows = list(csv.reader(io.StringIO(b"".join(filtered.streaming_content).decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["coordinator@ibtest.nl"]


def test_non_coordinators_get_403_on_export_invite_and_message(client, community, member):
    client = _as(client, member)
    for rest in (EXPORT, "uitnodigen/", "bericht/"):
        assert client.get(_url(community, rest)).status_code == 403
        assert client.post(_url(community, rest), {"emails": "a@b.nl"}).status_code == 403


# Invitations ------------------------------------------------------------------------------


def test_invite_with_an_invalid_address_keeps_the_text_and_sends_nothing(
    en, community, coordinator
):
    text = "goed@ibtest.nl\nniet-goed@\nook.goed@ibtest.nl"
    response = _as(en, coordinator).post(
        _url(community, "uitnodigen/"), {"emails": text, "role": "member"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "niet-goed@" in html and "This is not a valid email address" in html
    assert text in html  # the textarea keeps what was typed
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invite_of_an_unknown_address_becomes_a_membership_after_sign_up(
    en, community, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(en, coordinator).post(
            _url(community, "uitnodigen/"),
            {"emails": "Nieuw@Ibtest.nl, ", "role": "moderator"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("nieuw@ibtest.nl", Role.MODERATOR)
    assert [m.to for m in mail.outbox] == [["nieuw@ibtest.nl"]]
    html = en.get(response.headers["Location"]).content.decode()
    assert "1 invitation sent." in html and "nieuw@ibtest.nl" in html  # an open invitation

    en.logout()
    en.post(
        "/account/signup/",
        {"email": "nieuw@ibtest.nl", "password1": PASSWORD, "password2": PASSWORD},
    )
    address = EmailAddress.objects.get(email="nieuw@ibtest.nl")
    en.post(f"/account/confirm-email/{EmailConfirmationHMAC(address).key}/")
    m = Membership.objects.get(community=community, user=address.user)
    assert (m.state, m.role) == (MembershipState.ACTIVE, Role.MODERATOR)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_invite_of_an_existing_person_creates_an_invited_membership(client, community, coordinator):
    known = _person("bekend@ibtest.nl", "Bert", "Bekend")
    response = _as(client, coordinator).post(
        _url(community, "uitnodigen/"), {"emails": "bekend@ibtest.nl", "role": "member"}
    )
    assert response.status_code == 302
    m = Membership.objects.get(community=community, user=known)
    assert m.state == MembershipState.INVITED
    assert Happening.objects.filter(kind="communities.invited", audience=[known.pk]).exists()


def test_active_members_are_not_invited_again(en, community, coordinator, member):
    response = _as(en, coordinator).post(
        _url(community, "uitnodigen/"), {"emails": "lid@ibtest.nl", "role": "member"}
    )
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    assert "Already members" in en.get(response.headers["Location"]).content.decode()


# Messages to members ------------------------------------------------------------------------


def test_test_message_goes_to_the_coordinator_and_keeps_the_form(en, community, coordinator):
    data = {"subject": "Bijeenkomst", "body": "Tot donderdag!", "audience": "", "send_test": "1"}
    response = _as(en, coordinator).post(_url(community, "bericht/"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "A test was sent to you." in html
    assert 'value="Bijeenkomst"' in html and "Tot donderdag!</textarea>" in html
    happening = Happening.objects.get(kind="communities.message")
    assert happening.audience == [coordinator.pk]


def test_real_message_goes_to_the_named_audience(en, community, coordinator, member, utrecht):
    data = {
        "subject": "Bijeenkomst", "body": "Tot donderdag!", "audience": f"org:{utrecht.pk}",
        "send": "1",
    }  # fmt: skip
    response = _as(en, coordinator).post(_url(community, "bericht/"), data)
    assert response.status_code == 302
    happening = Happening.objects.get(kind="communities.message")
    assert happening.audience == {
        "name": "communities.members",
        "args": {"community_id": community.pk, "role": "", "organisation_id": utrecht.pk},
    }
    html = en.get(response.headers["Location"]).content.decode()
    assert "Your message was sent to 2 members." in html


def test_message_to_one_role(en, community, coordinator, member):
    data = {"subject": "Alleen jullie", "body": "Hoi", "audience": "rol:member", "send": "1"}
    response = _as(en, coordinator).post(_url(community, "bericht/"), data)
    assert Happening.objects.get(kind="communities.message").audience["args"]["role"] == "member"
    assert "sent to 1 member." in en.get(response.headers["Location"]).content.decode()


def test_a_message_to_one_role_is_read_only_by_that_role(en, community, coordinator, member):
    moderator = _person("moderator@ibtest.nl", "Mo", "Derator")
    _join(community, moderator, Role.MODERATOR)
    data = {"subject": "Voor moderatoren", "body": "Overleg", "audience": "rol:moderator",
            "send": "1"}  # fmt: skip
    _as(en, coordinator).post(_url(community, "bericht/"), data)
    message = CommunityMessage.objects.get(subject="Voor moderatoren")
    url = _url(community, f"berichten/{message.pk}/")
    assert _as(en, moderator).get(url).status_code == 200
    assert _as(en, coordinator).get(url).status_code == 200
    assert _as(en, member).get(url).status_code == 404


def test_a_message_to_one_organisation_is_read_only_there(en, community, coordinator, utrecht):
    colleague = _person("collega@ibtest.nl", "Col", "Lega", utrecht)
    outsider = _person("elders@ibtest.nl", "Els", "Ders")
    _join(community, colleague)
    _join(community, outsider)
    data = {"subject": "Utrecht", "body": "Hoi", "audience": f"org:{utrecht.pk}", "send": "1"}
    _as(en, coordinator).post(_url(community, "bericht/"), data)
    url = _url(community, f"berichten/{CommunityMessage.objects.get(subject='Utrecht').pk}/")
    assert _as(en, colleague).get(url).status_code == 200
    assert _as(en, outsider).get(url).status_code == 404
