"""The directory of organisations, as visitors, members and editors use it."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from via_platform.accounts.models import Profile, Visibility
from via_platform.organisations.demo import seed_organisations
from via_platform.organisations.models import Organisation, OrganisationKind
from via_platform.organisations.services import approve, propose_organisation

pytestmark = pytest.mark.django_db

EVERYONE, MEMBERS = Visibility.EVERYONE, Visibility.MEMBERS


def _org(name: str, kind: str = OrganisationKind.GEMEENTE, approved: bool = True, **extra):
    return Organisation.objects.create(name=name, kind=kind, approved=approved, **extra)


def _member(django_user_model, organisation, first: str, last: str, *, org=MEMBERS, name=MEMBERS):
    user = django_user_model.objects.create_user(
        email=f"{first.lower()}.{last.lower()}@example.org",
        password="een-lang-wachtwoord",
        first_name=first,
        last_name=last,
    )
    Profile.objects.create(
        user=user, organisation=organisation, organisation_visibility=org, name_visibility=name
    )
    return user


def _card(html: str, name: str) -> str:
    """The directory card of one organisation."""
    match = re.search(
        r'<li class="site-card">(?:(?!</li>).)*?' + re.escape(name) + r".*?</li>", html, re.S
    )
    assert match, f"no card for {name!r}"
    return match.group(0)


def _member_count(html: str, name: str) -> int:
    card = _card(html, name)
    return int(re.findall(r"(\d+)\s+\w+\s*</p>", card)[-1])


@pytest.fixture
def utrecht(django_user_model):
    """Gemeente Utrecht with a public member, a half-public one and a private one."""
    organisation = _org("Gemeente Utrecht", city="Utrecht", website="https://www.utrecht.nl/")
    _member(django_user_model, organisation, "Fatima", "El Amrani", org=EVERYONE, name=EVERYONE)
    _member(django_user_model, organisation, "Jeroen", "Bakker", org=EVERYONE, name=MEMBERS)
    _member(django_user_model, organisation, "Sanne", "de Vries")
    return organisation


@pytest.fixture
def member_client(client, django_user_model):
    user = django_user_model.objects.create_user(email="lid@example.org", password="x-y-z-w-v")
    client.force_login(user)
    return client


# The directory ---------------------------------------------------------------


def test_urls():
    assert reverse("organisations:index") == "/organisaties/"
    assert reverse("organisations:detail", args=["gemeente-utrecht"]) == (
        "/organisaties/gemeente-utrecht/"
    )


def test_anonymous_visitor_sees_only_members_who_made_name_and_organisation_public(client, utrecht):
    html = client.get("/organisaties/").content.decode()
    assert _member_count(html, "Gemeente Utrecht") == 1  # name and organisation public

    response = client.get(f"/organisaties/{utrecht.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    fatima = utrecht.profiles.get(user__first_name="Fatima").user
    assert f'href="/leden/{fatima.pk}/">Fatima El Amrani</a>' in html
    assert "Jeroen" not in html and "Bakker" not in html
    assert "Sanne" not in html
    assert "@example.org" not in html
    assert 'href="https://www.utrecht.nl/" rel="noopener"' in html
    assert "/account/login/?next=/organisaties/gemeente-utrecht/" in html


def test_logged_in_member_sees_all_members_but_never_an_email(
    member_client, utrecht, django_user_model
):
    nameless = django_user_model.objects.create_user(email="geen.naam@example.org")
    Profile.objects.create(user=nameless, organisation=utrecht)

    html = member_client.get("/organisaties/").content.decode()
    assert _member_count(html, "Gemeente Utrecht") == 4

    html = member_client.get(f"/organisaties/{utrecht.slug}/").content.decode()
    for name in ("Fatima El Amrani", "Jeroen Bakker", "Sanne de Vries"):
        assert name in html
    with translation.override("nl"):
        label = translation.gettext("Member")
    assert f'href="/leden/{nameless.pk}/">{label}</a>' in html
    assert "@example.org" not in html.replace("lid@example.org", "")  # the header names the viewer


def test_deactivated_people_are_neither_listed_nor_counted(member_client, utrecht):
    sanne = utrecht.profiles.get(user__first_name="Sanne").user
    sanne.is_active = False
    sanne.save()
    assert (
        _member_count(member_client.get("/organisaties/").content.decode(), "Gemeente Utrecht") == 2
    )
    assert "Sanne" not in member_client.get(f"/organisaties/{utrecht.slug}/").content.decode()


def test_unapproved_organisation_is_hidden_from_list_detail_and_counts(
    client, member_client, django_user_model
):
    proposed = _org("Stichting Nog Niet Goedgekeurd", approved=False)
    _member(django_user_model, proposed, "Piet", "Jansen", org=EVERYONE, name=EVERYONE)
    _org("Gemeente Zwolle")

    for visitor in (client, member_client):
        html = visitor.get("/organisaties/").content.decode()
        assert "Nog Niet Goedgekeurd" not in html
        assert "Gemeente Zwolle" in html
        assert visitor.get(f"/organisaties/{proposed.slug}/").status_code == 404
        assert (
            "Nog Niet Goedgekeurd"
            not in visitor.get("/organisaties/?q=goedgekeurd").content.decode()
        )

    approve(proposed)
    assert client.get(f"/organisaties/{proposed.slug}/").status_code == 200
    assert _member_count(client.get("/organisaties/").content.decode(), proposed.name) == 1


def test_filter_by_kind_and_search_keep_the_chosen_values(client):
    _org("Gemeente Tilburg", OrganisationKind.GEMEENTE)
    _org("Gemeente Groningen", OrganisationKind.GEMEENTE)
    _org("Bakkerij Yilmaz & Zn.", OrganisationKind.WERKGEVER)
    _org("ROC Tilburg", OrganisationKind.ONDERWIJS)

    html = client.get("/organisaties/", {"soort": "gemeente"}).content.decode()
    assert "Gemeente Tilburg" in html and "Gemeente Groningen" in html
    assert "Bakkerij" not in html and "ROC Tilburg" not in html
    assert '<option value="gemeente" selected>' in html
    assert '<label class="utrecht-form-label" for="id_soort">' in html
    assert '<label class="utrecht-form-label" for="id_q">' in html
    assert 'type="submit"' in html

    html = client.get("/organisaties/", {"soort": "gemeente", "q": "tilBURG"}).content.decode()
    assert "Gemeente Tilburg" in html
    assert "Gemeente Groningen" not in html and "ROC Tilburg" not in html
    assert 'name="q" value="tilBURG"' in html
    assert '<option value="gemeente" selected>' in html

    html = client.get("/organisaties/", {"q": "yilmaz"}).content.decode()
    assert "Bakkerij Yilmaz &amp; Zn." in html and "Gemeente" not in _cards(html)


def _cards(html: str) -> str:
    return "".join(re.findall(r'<li class="site-card">.*?</li>', html, re.S))


def test_unknown_kind_shows_an_error_and_still_searches(client):
    _org("Gemeente Tilburg")
    _org("Gemeente Groningen")
    response = client.get("/organisaties/", {"soort": "bestaat-niet", "q": "groningen"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert "Gemeente Groningen" in _cards(html) and "Gemeente Tilburg" not in _cards(html)


def test_directory_is_paginated_by_thirty_and_keeps_the_filters(client):
    for number in range(35):
        _org(f"Gemeente Voorbeeld {number:02d}")
    _org("Werkgever Voorbeeld", OrganisationKind.WERKGEVER)

    html = client.get("/organisaties/", {"soort": "gemeente"}).content.decode()
    assert html.count('<li class="site-card">') == 30
    assert 'href="?soort=gemeente&amp;page=2"' in html
    html = client.get("/organisaties/", {"soort": "gemeente", "page": 2}).content.decode()
    assert html.count('<li class="site-card">') == 5
    assert client.get("/organisaties/", {"page": "999"}).status_code == 200


@pytest.mark.parametrize("logged_in", [False, True])
def test_directory_uses_a_constant_number_of_queries(
    client, django_user_model, django_assert_max_num_queries, logged_in
):
    if logged_in:
        client.force_login(django_user_model.objects.create_user(email="kijker@example.org"))

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/organisaties/").status_code == 200
        return len(context.captured_queries)

    organisation = _org("Gemeente Een")
    _member(django_user_model, organisation, "Ada", "Een", org=EVERYONE)
    queries_for_page()  # the first request creates the site's navigation settings
    few = queries_for_page()

    for number in range(29):
        organisation = _org(f"Organisatie {number:02d}", OrganisationKind.WERKGEVER)
        _member(django_user_model, organisation, "Lid", f"Nummer{number}", org=EVERYONE)
    many = queries_for_page()

    assert many == few
    with django_assert_max_num_queries(10):
        client.get("/organisaties/")


def test_detail_of_unknown_slug_is_404(client):
    assert client.get("/organisaties/bestaat-niet/").status_code == 404


# Proposing and approving ------------------------------------------------------


def test_propose_creates_an_unapproved_organisation(django_user_model):
    user = django_user_model.objects.create_user(email="voorsteller@example.org")
    organisation = propose_organisation(
        "  Buurtwerk   Noord ", OrganisationKind.MAATSCHAPPELIJK, user
    )
    assert organisation.name == "Buurtwerk Noord"
    assert organisation.approved is False
    assert organisation.proposed_by == user
    assert organisation not in Organisation.objects.approved()

    approve(organisation)
    organisation.refresh_from_db()
    assert organisation.approved is True


def test_propose_finds_an_existing_name_whatever_its_capitals(django_user_model):
    existing = _org("Gemeente Utrecht")
    user = django_user_model.objects.create_user(email="voorsteller@example.org")
    found = propose_organisation("gemeente UTRECHT", OrganisationKind.GEMEENTE, user)
    assert found == existing
    assert found.approved is True
    assert found.proposed_by is None
    assert Organisation.objects.count() == 1

    again = propose_organisation("Nieuwe Stichting", OrganisationKind.MAATSCHAPPELIJK, user)
    assert propose_organisation("NIEUWE stichting", OrganisationKind.PARTNER, None) == again
    assert Organisation.objects.count() == 2


def test_propose_refuses_an_empty_name_or_unknown_kind():
    with pytest.raises(ValueError):
        propose_organisation("   ", OrganisationKind.GEMEENTE, None)
    with pytest.raises(ValueError):
        propose_organisation("Iets", "bestaat-niet", None)


# Demo data ----------------------------------------------------------------------


def test_seed_organisations_is_idempotent_and_has_the_22_partners():
    first = seed_organisations()
    count = Organisation.objects.count()
    second = seed_organisations()
    assert Organisation.objects.count() == count
    assert {name: o.pk for name, o in first.items()} == {name: o.pk for name, o in second.items()}

    partners = Organisation.objects.filter(kind=OrganisationKind.PARTNER)
    assert partners.count() == 22
    assert all(o.approved for o in first.values())
    assert first["Movisie"].description == (
        "Kennisinstituut; ontwikkelde de training voor klantmanagers"
    )
    assert first["Uitvoeringsinstituut Werknemersverzekeringen (UWV)"].kind == "partner"
    assert first["Gemeente Zwolle"].city == "Zwolle"
    assert first["Gemeente Zwolle"].kind == OrganisationKind.GEMEENTE
    assert first["Installatiebedrijf Van Dijk"].kind == OrganisationKind.WERKGEVER
    assert first["ROC Midden Nederland"].kind == OrganisationKind.ONDERWIJS
    assert first["Diversiteit in Bedrijf"].kind == OrganisationKind.MAATSCHAPPELIJK


def test_seeded_directory_renders(client):
    seed_organisations()
    html = client.get("/organisaties/", {"soort": "partner"}).content.decode()
    assert "Movisie" in html and "Divosa" in html
    detail = Organisation.objects.get(name="Bakkerij Yilmaz & Zn.")
    assert client.get(f"/organisaties/{detail.slug}/").status_code == 200


# Editors -------------------------------------------------------------------------


@pytest.fixture
def editor_client(client, django_user_model):
    editor = django_user_model.objects.create_superuser(
        email="redactie@example.org", password="x-y-z-w-v"
    )
    TOTP.activate(editor, generate_totp_secret())  # staff must use two-factor authentication
    client.force_login(editor)
    return client


def test_editor_finds_proposals_in_the_wagtail_snippet_listing(editor_client, django_user_model):
    proposer = django_user_model.objects.create_user(
        email="voorsteller@example.org", first_name="Yusuf", last_name="Demir"
    )
    proposed = propose_organisation(
        "Stichting Nieuw Perspectief", OrganisationKind.MAATSCHAPPELIJK, proposer
    )
    _org("Gemeente Amsterdam", city="Amsterdam")

    url = "/admin/snippets/organisations/organisation/"
    response = editor_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stichting Nieuw Perspectief" in html and "Gemeente Amsterdam" in html

    html = editor_client.get(url, {"approved": "false"}).content.decode()
    assert "Stichting Nieuw Perspectief" in html and "Gemeente Amsterdam" not in html

    html = editor_client.get(url, {"q": "amsterdam"}).content.decode()
    assert "Gemeente Amsterdam" in html and "Nieuw Perspectief" not in html

    edit = editor_client.get(f"{url}edit/{proposed.pk}/")
    assert edit.status_code == 200
    assert "Yusuf Demir" in edit.content.decode()


def test_editor_approves_a_proposal_in_wagtail(editor_client):
    proposed = propose_organisation(
        "Stichting Nieuw Perspectief", OrganisationKind.MAATSCHAPPELIJK, None
    )
    url = f"/admin/snippets/organisations/organisation/edit/{proposed.pk}/"
    response = editor_client.post(
        url,
        {
            "name": proposed.name,
            "kind": proposed.kind,
            "city": "Den Haag",
            "website": "",
            "description": "",
            "approved": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    proposed.refresh_from_db()
    assert proposed.approved and proposed.city == "Den Haag"


def test_django_admin_lists_organisations(editor_client):
    _org("Gemeente Groningen")
    response = editor_client.get("/django-admin/organisations/organisation/")
    assert response.status_code == 200
    assert "Gemeente Groningen" in response.content.decode()


def test_approving_a_proposal_tells_the_proposer_once(django_user_model):
    from via_platform.notifications import services as notifications
    from via_platform.notifications.models import Happening, Notification
    from via_platform.organisations.services import approve, propose_organisation

    proposer = django_user_model.objects.create_user(email="voorsteller@example.org", password="x")
    organisation = propose_organisation("Werkplein Fryslân", "gemeente", proposed_by=proposer)
    approve(organisation)
    approve(organisation)
    happening = Happening.objects.get(kind="organisations.approved")
    notifications.fan_out(happening.pk)
    notification = Notification.objects.get(recipient=proposer)
    assert notification.happening.url == f"/organisaties/{organisation.slug}/"
