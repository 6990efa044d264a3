"""The communities as visitors, members and coordinators use them: the index with its
filters, a community's home, joining, asking to join, leaving, and messages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import HomePage
from via_platform.accounts.models import LabourMarketRegion, Profile, Visibility
from via_platform.communities.models import (
    CommunityIndexPage,
    CommunityMessage,
    CommunityPage,
    ContentVisibility,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
    RoleModel,
)
from via_platform.notifications.models import Happening

pytestmark = pytest.mark.django_db

ACTIVE = MembershipState.ACTIVE
PASSWORD = "een-lang-wachtwoord"


@pytest.fixture
def client(client, settings):
    """Every page in English, so the tests read the msgids whatever the Dutch catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def index(demo_site) -> CommunityIndexPage:
    home = HomePage.objects.first()
    page = CommunityIndexPage(
        title="Netwerken test", slug="netwerken-test", intro="Alle netwerken."
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def _community(index, title: str, **fields) -> CommunityPage:
    defaults = {
        "slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
        "kind": "lerend_netwerk",
        "intro": f"Over {title}.",
        "join_policy": JoinPolicy.OPEN,
        "content_visibility": ContentVisibility.PUBLIC,
        "hidden": False,
    }
    page = CommunityPage(title=title, **{**defaults, **fields})
    index.add_child(instance=page)
    page.save_revision().publish()
    return CommunityPage.objects.get(pk=page.pk)


_counter = iter(range(1_000_000))


def _user(django_user_model, first: str = "Test", last: str = "", **extra):
    number = next(_counter)
    return django_user_model.objects.create_user(
        email=f"persoon{number}@example.org",
        password=PASSWORD,
        first_name=first,
        last_name=last or f"Persoon {number}",
        **extra,
    )


def _membership(community, user, role=Role.MEMBER, state=ACTIVE, joined_days_ago: int = 100):
    return Membership.objects.create(
        community=community,
        user=user,
        role=role,
        state=state,
        joined_at=timezone.now() - timedelta(days=joined_days_ago) if state == ACTIVE else None,
    )


def _cards(html: str) -> list[str]:
    """The cards of the index, each from its opening tag to the next card."""
    match = re.search(r'<ul class="site-cards">(.*?)</ul>\s*(?:<nav|</section>)', html, re.S)
    return match.group(1).split('<li class="site-card')[1:] if match else []


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="utrecht-heading-3"><a [^>]*>([^<]+)</a></h3>', html)


def _card(html: str, title: str) -> str:
    for card in _cards(html):
        if f">{title}</a></h3>" in card:
            return card
    raise AssertionError(f"no card for {title!r}")


def _member_count(html: str, title: str) -> int:
    return int(re.search(r"(\d+)\s+members?\s*</p>", _card(html, title)).group(1))


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# The index -------------------------------------------------------------------------


def test_index_shows_each_community_with_its_facts_and_active_member_count(
    client, index, django_user_model
):
    region = LabourMarketRegion.objects.get(name="Midden-Utrecht")
    zorg = _community(
        index, "Zorg werkt", theme="1", sector="zorg", region=region,
        join_policy=JoinPolicy.ON_REQUEST,
    )  # fmt: skip
    _community(
        index, "Techniek samen", kind="community_of_practice", theme="2", sector="techniek",
        join_policy=JoinPolicy.INVITATION, content_visibility=ContentVisibility.MEMBERS,
    )  # fmt: skip
    for _ in range(3):
        _membership(zorg, _user(django_user_model))
    _membership(zorg, _user(django_user_model), state=MembershipState.REQUESTED)
    _membership(zorg, _user(django_user_model), state=MembershipState.LEFT)

    response = client.get("/netwerken-test/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Netwerken test · VIA Leernetwerken</title>" in html
    assert sorted(_titles(html)) == ["Techniek samen", "Zorg werkt"]

    card = _card(html, "Zorg werkt")
    assert f'href="{zorg.url}"' in card
    assert "Learning network" in card
    assert "More diversity at work" in card
    assert "Care and welfare" in card
    assert "Midden-Utrecht" in card
    assert "On request" in card
    assert "Members only" not in card
    assert _member_count(html, "Zorg werkt") == 3

    card = _card(html, "Techniek samen")
    assert "Community of practice" in card
    assert "By invitation only" in card
    assert "Members only" in card
    assert _member_count(html, "Techniek samen") == 0


def test_index_filters_keep_their_values_and_show_wrong_values(client, index):
    utrecht = LabourMarketRegion.objects.get(name="Midden-Utrecht")
    rijnmond = LabourMarketRegion.objects.get(name="Rijnmond")
    _community(index, "Zorg Utrecht", theme="1", sector="zorg", region=utrecht)
    _community(index, "Zorg Rijnmond", theme="3", sector="zorg", region=rijnmond)
    _community(index, "Techniek Utrecht", kind="community_of_practice", sector="techniek",
               region=utrecht)  # fmt: skip

    html = client.get("/netwerken-test/", {"sector": "zorg"}).content.decode()
    assert sorted(_titles(html)) == ["Zorg Rijnmond", "Zorg Utrecht"]
    assert '<option value="zorg" selected>' in html
    assert "Show all networks" in html

    html = client.get("/netwerken-test/", {"region": utrecht.pk}).content.decode()
    assert sorted(_titles(html)) == ["Techniek Utrecht", "Zorg Utrecht"]
    assert f'<option value="{utrecht.pk}" selected>' in html

    html = client.get("/netwerken-test/", {"kind": "community_of_practice"}).content.decode()
    assert _titles(html) == ["Techniek Utrecht"]

    html = client.get(
        "/netwerken-test/", {"theme": "3", "sector": "zorg", "region": rijnmond.pk}
    ).content.decode()
    assert _titles(html) == ["Zorg Rijnmond"]

    # Every select has a label.
    for name in ("kind", "theme", "sector", "region"):
        assert f'<label class="utrecht-form-label" for="id_{name}">' in html

    # A wrong value shows an error on its field; the other filters still apply.
    response = client.get("/netwerken-test/", {"sector": "bakkerij", "theme": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_sector-error"' in html
    assert 'aria-invalid="true"' in html
    assert _titles(html) == ["Zorg Utrecht"]
    response = client.get("/netwerken-test/", {"region": "999999"})
    assert 'id="id_region-error"' in response.content.decode()


def test_index_puts_my_communities_first_with_my_role(client, index, django_user_model):
    for title in ("Alfa", "Bravo", "Charlie"):
        _community(index, title)
    yankee = _community(index, "Yankee")
    zulu = _community(index, "Zulu")
    me = _user(django_user_model, "Fatima", "El Amrani")
    _membership(zulu, me)
    _membership(yankee, me, role=Role.COORDINATOR)
    _membership(_community(index, "Xray"), me, state=MembershipState.REQUESTED)

    html = client.get("/netwerken-test/").content.decode()
    assert _titles(html) == ["Alfa", "Bravo", "Charlie", "Xray", "Yankee", "Zulu"]

    client.force_login(me)
    html = client.get("/netwerken-test/").content.decode()
    assert _titles(html) == ["Yankee", "Zulu", "Alfa", "Bravo", "Charlie", "Xray"]
    assert "site-badge--mine" in _card(html, "Yankee")
    assert ">Coordinator</span>" in _card(html, "Yankee")
    assert ">Member</span>" in _card(html, "Zulu")
    assert "site-badge--mine" not in _card(html, "Xray")
    assert "site-badge--mine" not in _card(html, "Alfa")


def test_index_paginates(client, index):
    for number in range(26):
        _community(index, f"Netwerk {number:02}")
    html = client.get("/netwerken-test/").content.decode()
    assert len(_titles(html)) == 24
    assert "26 networks" in html
    assert "Page 1 of 2" in html
    html = client.get("/netwerken-test/", {"page": 2}).content.decode()
    assert _titles(html) == ["Netwerk 24", "Netwerk 25"]


def test_hidden_community_exists_only_for_its_members(client, index, django_user_model):
    hidden = _community(index, "Verborgen kring", hidden=True)
    _community(index, "Open kring")
    member, outsider = _user(django_user_model), _user(django_user_model)
    _membership(hidden, member)
    requested = _user(django_user_model)
    _membership(hidden, requested, state=MembershipState.REQUESTED)

    for person in (None, outsider, requested):
        if person is None:
            client.logout()
        else:
            client.force_login(person)
        assert _titles(client.get("/netwerken-test/").content.decode()) == ["Open kring"]
        assert client.get(hidden.url).status_code == 404
        assert client.post(f"{hidden.url}lid-worden/").status_code == 404
        if person is not requested:
            assert client.post(f"{hidden.url}verlaten/").status_code == 404
    assert not Membership.objects.filter(community=hidden, user=outsider).exists()
    # Who asked to join a hidden community may still withdraw the request.
    response = client.post(f"{hidden.url}verlaten/")
    assert response["Location"] == index.url
    assert Membership.objects.get(community=hidden, user=requested).state == MembershipState.LEFT

    client.force_login(member)
    html = client.get("/netwerken-test/").content.decode()
    assert _titles(html) == ["Verborgen kring", "Open kring"]
    assert client.get(hidden.url).status_code == 200


def test_unpublished_community_is_absent(client, index):
    draft = _community(index, "Concept")
    draft.unpublish()
    assert _titles(client.get("/netwerken-test/").content.decode()) == []


def test_index_uses_the_same_number_of_queries_for_5_or_25_communities(
    client, index, django_user_model, django_assert_max_num_queries
):
    me = _user(django_user_model)
    region = LabourMarketRegion.objects.first()

    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            community = _community(index, f"Netwerk {number:02}", region=region, sector="zorg")
            _membership(community, _user(django_user_model))
            if number % 2:
                _membership(community, me)

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/netwerken-test/", {"sector": "zorg"}).status_code == 200
        return len(queries)

    client.force_login(me)
    add(5, 0)
    small = measure()
    add(20, 5)
    large = measure()
    assert small == large
    with django_assert_max_num_queries(15):
        client.get("/netwerken-test/", {"sector": "zorg"})

    client.logout()
    anonymous_small = measure()
    assert anonymous_small <= large


# A community's home -----------------------------------------------------------------


def test_anonymous_visitor_sees_the_community_and_is_asked_to_log_in(client, index):
    community = _community(index, "Zorg werkt", body=[("paragraph", "<p>Wij leren samen.</p>")])
    html = client.get(community.url).content.decode()
    assert "<title>Zorg werkt · VIA Leernetwerken</title>" in html
    assert "Over Zorg werkt." in html
    assert "Wij leren samen." in html
    assert f'href="/account/login/?next={community.url}">Log in to join</a>' in html
    assert "Log in to join" in html
    assert 'action="' + community.url + 'lid-worden/"' not in html


def test_open_community_join_makes_a_member(client, index, django_user_model):
    community = _community(index, "Open netwerk")
    person = _user(django_user_model)
    client.force_login(person)

    html = client.get(community.url).content.decode()
    assert f'<form method="post" action="{community.url}lid-worden/">' in html
    assert ">Join</button>" in html

    assert client.get(f"{community.url}lid-worden/").status_code == 405
    response = client.post(f"{community.url}lid-worden/", follow=True)
    assert response.redirect_chain == [(community.url, 302)]
    assert "Welcome! You are now a member of Open netwerk." in _messages(response)
    m = Membership.objects.get(community=community, user=person)
    assert (m.state, m.role) == (ACTIVE, Role.MEMBER)
    html = response.content.decode()
    assert "You are a member (member)." in html
    assert ">Leave</button>" in html
    assert "Welcome, start here" in html


def test_join_when_anonymous_goes_to_login(client, index):
    community = _community(index, "Open netwerk")
    response = client.post(f"{community.url}lid-worden/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=")
    assert (
        not Membership.objects.exists()
        or not Membership.objects.filter(community=community).exists()
    )


def test_on_request_join_creates_a_request_and_tells_the_coordinators(
    client, index, django_user_model
):
    community = _community(index, "Op verzoek", join_policy=JoinPolicy.ON_REQUEST)
    coordinator = _user(django_user_model, "Carla", "Coördinator")
    _membership(community, coordinator, role=Role.COORDINATOR)
    person = _user(django_user_model, "Piet", "Aanvrager")
    client.force_login(person)

    html = client.get(community.url).content.decode()
    assert '<textarea name="message"' in html
    assert "Message to the coordinators" in html
    assert ">Ask to join</button>" in html

    response = client.post(
        f"{community.url}lid-worden/", {"message": "Ik werk als klantmanager."}, follow=True
    )
    assert "Your request has been sent to the coordinators." in _messages(response)
    m = Membership.objects.get(community=community, user=person)
    assert m.state == MembershipState.REQUESTED
    assert m.request_message == "Ik werk als klantmanager."
    happening = Happening.objects.get(kind="communities.membership_requested")
    assert happening.audience == {
        "name": "communities.coordinators",
        "args": {"community_id": community.pk},
    }
    assert happening.actor == person

    html = response.content.decode()
    assert "Your request is waiting for a coordinator." in html
    assert f'<form method="post" action="{community.url}verlaten/">' in html
    assert ">Withdraw request</button>" in html

    # Withdrawing the request.
    response = client.post(f"{community.url}verlaten/", follow=True)
    assert "Your request to join has been withdrawn." in _messages(response)
    assert Membership.objects.get(pk=m.pk).state == MembershipState.LEFT


def test_declined_request_shows_the_answer_and_may_be_asked_again(client, index, django_user_model):
    community = _community(index, "Op verzoek", join_policy=JoinPolicy.ON_REQUEST)
    person = _user(django_user_model)
    Membership.objects.create(
        community=community, user=person, state=MembershipState.DECLINED,
        response_message="Dit netwerk is voor <b>werkgevers</b>.",
    )  # fmt: skip
    client.force_login(person)
    html = client.get(community.url).content.decode()
    assert "Dit netwerk is voor &lt;b&gt;werkgevers&lt;/b&gt;." in html
    assert ">Ask again to join</button>" in html
    client.post(f"{community.url}lid-worden/", {"message": "Ik ben ook werkgever."})
    assert Membership.objects.get(community=community, user=person).state == (
        MembershipState.REQUESTED
    )


def test_invitation_only_join_is_refused(client, index, django_user_model):
    community = _community(index, "Besloten", join_policy=JoinPolicy.INVITATION)
    person = _user(django_user_model)
    client.force_login(person)
    html = client.get(community.url).content.decode()
    assert "This community is by invitation only." in html
    assert "lid-worden/" not in html

    response = client.post(f"{community.url}lid-worden/", follow=True)
    assert response.redirect_chain == [(community.url, 302)]
    assert "This community is by invitation only." in _messages(response)
    assert not Membership.objects.filter(community=community, user=person).exists()


def test_invited_person_accepts_the_invitation(client, index, django_user_model):
    community = _community(index, "Besloten", join_policy=JoinPolicy.INVITATION)
    person = _user(django_user_model)
    Membership.objects.create(
        community=community, user=person, state=MembershipState.INVITED, role=Role.MODERATOR
    )
    client.force_login(person)
    html = client.get(community.url).content.decode()
    assert ">Accept invitation</button>" in html
    response = client.post(f"{community.url}lid-worden/", follow=True)
    assert "Welcome! You are now a member of Besloten." in _messages(response)
    m = Membership.objects.get(community=community, user=person)
    assert (m.state, m.role) == (ACTIVE, Role.MODERATOR)


def test_leave(client, index, django_user_model):
    community = _community(index, "Open netwerk")
    person = _user(django_user_model)
    _membership(community, person)
    client.force_login(person)

    assert client.get(f"{community.url}verlaten/").status_code == 405
    response = client.post(f"{community.url}verlaten/", follow=True)
    assert response.redirect_chain == [(community.url, 302)]
    assert "You left Open netwerk." in _messages(response)
    assert Membership.objects.get(community=community, user=person).state == (MembershipState.LEFT)
    assert ">Join</button>" in response.content.decode()


def test_leave_requires_login(client, index):
    community = _community(index, "Open netwerk")
    response = client.post(f"{community.url}verlaten/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_the_only_coordinator_cannot_leave(client, index, django_user_model):
    community = _community(index, "Open netwerk")
    coordinator = _user(django_user_model)
    _membership(community, coordinator, role=Role.COORDINATOR)
    client.force_login(coordinator)
    response = client.post(f"{community.url}verlaten/", follow=True)
    assert any("only coordinator" in message for message in _messages(response))
    assert Membership.objects.get(community=community, user=coordinator).state == ACTIVE


def test_leaving_a_hidden_community_goes_back_to_the_index(client, index, django_user_model):
    community = _community(index, "Verborgen", hidden=True)
    person = _user(django_user_model)
    _membership(community, person)
    client.force_login(person)
    response = client.post(f"{community.url}verlaten/")
    assert response["Location"] == index.url


def test_members_only_content_is_hidden_from_non_members_but_the_intro_shows(
    client, index, django_user_model
):
    community = _community(
        index,
        "Alleen leden",
        content_visibility=ContentVisibility.MEMBERS,
        body=[("paragraph", "<p>Geheime verhalen.</p>")],
        role_models=[RoleModel(name="Rolmodel Rita", story="Zij begon als stagiair.")],
    )
    outsider, member = _user(django_user_model), _user(django_user_model)
    _membership(community, member)

    for person in (None, outsider):
        if person is not None:
            client.force_login(person)
        response = client.get(community.url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Over Alleen leden." in html
        assert "The content of this community is for members only." in html
        assert "Geheime verhalen." not in html
        assert "Rolmodel Rita" not in html
        assert 'aria-label="Sections"' not in html

    client.force_login(member)
    html = client.get(community.url).content.decode()
    assert "Geheime verhalen." in html
    assert "Rolmodel Rita" in html
    assert "Zij begon als stagiair." in html
    assert "The content of this community is for members only." not in html
    assert '<nav class="site-section site-community-sections" aria-label="Sections">' in html
    assert f'href="{community.url}leden/"' in html


def test_home_shows_facts_coordinators_and_member_count(client, index, django_user_model):
    region = LabourMarketRegion.objects.get(name="Rijnmond")
    community = _community(index, "Haven werkt", theme="2", sector="logistiek", region=region)
    public_coordinator = _user(django_user_model, "Carla", "Publiek")
    Profile.objects.create(user=public_coordinator, name_visibility=Visibility.EVERYONE)
    private_coordinator = _user(django_user_model, "Henk", "Privé")
    nameless = django_user_model.objects.create_user(email="geheim@example.org", password=PASSWORD)
    for person in (public_coordinator, private_coordinator, nameless):
        _membership(community, person, role=Role.COORDINATOR)
    _membership(community, _user(django_user_model))
    _membership(community, _user(django_user_model), state=MembershipState.REQUESTED)

    html = client.get(community.url).content.decode()
    assert "A first job or internship for young people" in html
    assert "Transport and logistics" in html
    assert "Rijnmond" in html
    assert re.search(r"Members</dt>\s*<dd[^>]*>4</dd>", html)
    assert "Carla Publiek" in html
    assert "Henk Privé" not in html  # names are for logged-in members unless made public
    assert "geheim@example.org" not in html  # never an email address

    client.force_login(_user(django_user_model))
    html = client.get(community.url).content.decode()
    assert "Carla Publiek, Henk Privé" in html
    assert "geheim@example.org" not in html
    assert "Manage members" not in html


def test_coordinator_sees_the_coordination_links(client, index, django_user_model):
    community = _community(index, "Open netwerk")
    coordinator = _user(django_user_model)
    _membership(community, coordinator, role=Role.COORDINATOR)
    client.force_login(coordinator)
    html = client.get(community.url).content.decode()
    assert "You are a member (coordinator)." in html
    for path, label in [
        (f"{community.url}leden/", "Manage members"),
        (f"{community.url}uitnodigen/", "Invite people"),
        (f"{community.url}bericht/", "Message to members"),
        (f"/admin/pages/{community.pk}/edit/", "Edit in Wagtail"),
    ]:
        assert f'href="{path}">{label}</a>' in html


def test_welcome_block_only_for_new_members(client, index, django_user_model):
    community = _community(
        index, "Open netwerk", welcome_message="<p>Begin bij <b>het forum</b>.</p>"
    )
    new, old = _user(django_user_model), _user(django_user_model)
    _membership(community, new, joined_days_ago=3)
    _membership(community, old, joined_days_ago=20)

    client.force_login(new)
    html = client.get(community.url).content.decode()
    assert "Welcome, start here" in html
    assert "Begin bij <b>het forum</b>." in html

    client.force_login(old)
    html = client.get(community.url).content.decode()
    assert "Welcome, start here" not in html
    assert "het forum" not in html


def test_home_uses_the_same_number_of_queries_for_10_or_50_members(
    client, index, django_user_model, django_assert_max_num_queries
):
    community = _community(index, "Groot netwerk")
    coordinator = _user(django_user_model)
    _membership(community, coordinator, role=Role.COORDINATOR)
    viewer = _user(django_user_model)
    _membership(community, viewer)

    def add(count: int) -> None:
        for number in range(count):
            role = Role.COORDINATOR if number % 5 == 0 else Role.MEMBER
            _membership(community, _user(django_user_model), role=role)

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(community.url).status_code == 200
        return len(queries)

    client.force_login(viewer)
    add(8)
    small = measure()
    add(40)
    large = measure()
    assert small == large
    with django_assert_max_num_queries(22):
        client.get(community.url)

    client.logout()
    assert measure() <= large


# Messages to the members ----------------------------------------------------------


def test_message_is_for_members_only(client, index, django_user_model):
    community = _community(index, "Open netwerk")
    coordinator = _user(django_user_model, "Carla", "Coördinator")
    member, outsider = _user(django_user_model), _user(django_user_model)
    _membership(community, coordinator, role=Role.COORDINATOR)
    _membership(community, member)
    message = CommunityMessage.objects.create(
        community=community,
        author=coordinator,
        subject="Bijeenkomst in maart",
        body="Beste leden,\n\nWe zien elkaar <script>op 12 maart</script>.",
    )
    url = f"{community.url}berichten/{message.pk}/"

    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404

    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bijeenkomst in maart" in html
    assert "From Carla Coördinator" in html
    assert "<p>Beste leden,</p>" in html
    assert "&lt;script&gt;op 12 maart&lt;/script&gt;" in html
    assert "<script>op 12 maart" not in html

    other = _community(index, "Ander netwerk")
    _membership(other, member)
    assert client.get(f"{other.url}berichten/{message.pk}/").status_code == 404
    assert client.get(f"{community.url}berichten/999999/").status_code == 404
