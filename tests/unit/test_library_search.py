"""The kennisbank index as visitors and members use it: full text, facets with their
counts, sorting and pages, and members-only practices that never leak (not in the
index, its counts, site search or the sitemap). Also the community's "Practices"
section that links here."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import HomePage
from tests.library import practice
from via_platform.accounts.models import LabourMarketRegion
from via_platform.communities.models import (
    CommunityIndexPage,
    CommunityPage,
    ContentVisibility,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
)
from via_platform.communities.sections import sections_for
from via_platform.library.models import (
    Application,
    CollectionPage,
    LibraryIndexPage,
    MenukaartPage,
    PracticePage,
)
from via_platform.organisations.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord"
URL = "/kennisbank-test/"


@pytest.fixture
def client(client, settings):
    """Every page in English, so the tests read the msgids whatever the Dutch catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def index(demo_site) -> LibraryIndexPage:
    """A library index of our own, so practices the demo brings along never count here."""
    page = LibraryIndexPage(title="Kennisbank test", slug="kennisbank-test", intro="Wat werkt.")
    HomePage.objects.first().add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def networks(demo_site) -> CommunityIndexPage:
    page = CommunityIndexPage(title="Netwerken test", slug="netwerken-test")
    HomePage.objects.first().add_child(instance=page)
    page.save_revision().publish()
    return page


_counter = iter(range(1_000_000))


def _community(networks, title: str, **fields) -> CommunityPage:
    defaults = {
        "slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
        "kind": "lerend_netwerk",
        "intro": f"Over {title}.",
        "join_policy": JoinPolicy.OPEN,
        "content_visibility": ContentVisibility.PUBLIC,
        "hidden": False,
    }
    page = CommunityPage(title=title, **{**defaults, **fields})
    networks.add_child(instance=page)
    page.save_revision().publish()
    return CommunityPage.objects.get(pk=page.pk)


def _user(django_user_model):
    number = next(_counter)
    return django_user_model.objects.create_user(
        email=f"lezer{number}@example.org", password=PASSWORD, first_name="Lezer"
    )


def _member(community, user, role=Role.MEMBER):
    return Membership.objects.create(
        community=community,
        user=user,
        role=role,
        state=MembershipState.ACTIVE,
        joined_at=timezone.now(),
    )


def _organisation(name: str, kind=OrganisationKind.GEMEENTE) -> Organisation:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    number = next(_counter)
    return Organisation.objects.create(name=f"{name} {number}", slug=f"{slug}-{number}", kind=kind)


def _published(page: PracticePage, days_ago: int) -> PracticePage:
    PracticePage.objects.filter(pk=page.pk).update(
        first_published_at=timezone.now() - timedelta(days=days_ago)
    )
    return page


def _applied(page: PracticePage, count: int) -> None:
    for number in range(count):
        Application.objects.create(practice=page, organisation=_organisation(f"Toepasser {number}"))


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _titles(html: str) -> list[str]:
    return [
        unescape(title)
        for title in re.findall(
            r'<li class="site-card site-practice-card">\s*<h3 class="utrecht-heading-3">'
            r"<a [^>]*>([^<]+)</a></h3>",
            html,
        )
    ]


def _card(html: str, title: str) -> str:
    for card in html.split('<li class="site-card site-practice-card">')[1:]:
        if f">{title}</a></h3>" in card:
            return card.split("</li>\n        \n")[0]
    raise AssertionError(f"no card for {title!r}")


def _heading(html: str) -> str:
    match = re.search(r'<h2 id="results-heading"[^>]*>(.*?)</h2>', html, re.S)
    return unescape(" ".join(match.group(1).split()))


def _facet(html: str, param: str) -> dict[str, tuple[int, bool]]:
    """The options of one facet: {value: (count, checked)}."""
    options = {}
    for match in re.finditer(
        rf'<input [^>]*id="{param}-[^"]+" name="{param}" value="([^"]+)"( checked)?>'
        r"\s*<label [^>]*>[^<]*<span class=\"site-facet__count\">\((\d+)\)</span>",
        html,
    ):
        options[match.group(1)] = (int(match.group(3)), bool(match.group(2)))
    return options


def _counts(html: str, param: str) -> dict[str, int]:
    return {value: count for value, (count, _checked) in _facet(html, param).items()}


def _region(name: str) -> LabourMarketRegion:
    return LabourMarketRegion.objects.get(name=name)


@pytest.fixture
def library(index):
    """Five practices with different facts; one is a draft."""
    rotterdam = _organisation("Gemeente Rotterdam Test", OrganisationKind.GEMEENTE)
    bakker = _organisation("Bakkerij Brood & Banen", OrganisationKind.WERKGEVER)
    roc = _organisation("ROC Techniek", OrganisationKind.ONDERWIJS)
    rijnmond, utrecht = _region("Rijnmond"), _region("Midden-Utrecht")
    pages = {
        "werkproef": practice(
            index, "Werkproef in plaats van sollicitatiegesprek", theme="1",
            evidence_level="bewezen", region=rijnmond, organisation=bakker,
            target_groups=["statushouders", "werkgevers"],
            summary="Een werkproef met vaste vragen maakt selectie eerlijker.",
        ),
        "taalcoach": practice(
            index, "Taalcoach op de werkvloer", theme="3", evidence_level="veelbelovend",
            region=rijnmond, organisation=rotterdam, target_groups=["statushouders", "bijstand"],
        ),
        "stage": practice(
            index, "Stagebank zonder discriminatie", theme="2", evidence_level="praktijk",
            region=utrecht, organisation=roc, target_groups=["jongeren"],
        ),
        "cv": practice(
            index, "Anoniem solliciteren", theme="1", evidence_level="veelbelovend",
            region=utrecht, organisation=rotterdam, target_groups=["werkgevers"],
        ),
        "concept": practice(
            index, "Concept over mentoring", theme="1", evidence_level="bewezen", publish=False,
        ),
    }  # fmt: skip
    for days, key in enumerate(["cv", "stage", "taalcoach", "werkproef"]):
        _published(pages[key], days_ago=days + 1)
    return pages


# The index: cards, heading, links ----------------------------------------------------------


def test_index_shows_each_visible_practice_as_a_card_with_its_facts(client, index, library):
    _applied(library["werkproef"], 2)
    menukaart = MenukaartPage(title="Menukaart voor werkgevers", slug="menukaart")
    index.add_child(instance=menukaart)
    menukaart.save_revision().publish()
    toolbox = CollectionPage(title="Toolbox stagediscriminatie", slug="toolbox")
    index.add_child(instance=toolbox)
    toolbox.save_revision().publish()
    draft = CollectionPage(title="Nog geheime collectie", slug="geheim", live=False)
    index.add_child(instance=draft)

    html = _html(client.get(URL))
    assert "<title>Kennisbank test · VIA Leernetwerken</title>" in html
    assert _heading(html) == "4 practices"
    # Newest first without search words; the draft is not there.
    assert _titles(html) == [
        "Anoniem solliciteren",
        "Stagebank zonder discriminatie",
        "Taalcoach op de werkvloer",
        "Werkproef in plaats van sollicitatiegesprek",
    ]
    card = _card(html, "Werkproef in plaats van sollicitatiegesprek")
    assert f'href="{library["werkproef"].url}"' in card
    assert "Een werkproef met vaste vragen maakt selectie eerlijker." in card
    assert "Proven effective" in card
    assert "More diversity at work" in card
    assert "Rijnmond" in card
    assert "Bakkerij Brood &amp; Banen" in card
    assert "Refugees with a residence permit, Employers" in card
    assert "Applied by 2 organisations" in card
    assert "Applied by 0 organisations" in _card(html, "Taalcoach op de werkvloer")

    assert f'<a class="utrecht-link utrecht-link--html-a" href="{menukaart.url}">' in html
    assert f'<a class="utrecht-link utrecht-link--html-a" href="{toolbox.url}">' in html
    assert "Nog geheime collectie" not in html
    assert f'href="{URL}indienen/">Propose a practice</a>' in html
    assert "Remove all filters" not in html


# Facets --------------------------------------------------------------------------------------


def test_facet_counts_follow_the_other_facets_but_not_their_own(client, library):
    html = _html(client.get(URL))
    assert _counts(html, "thema") == {"1": 2, "2": 1, "3": 1}
    assert _counts(html, "bewijs") == {"bewezen": 1, "veelbelovend": 2, "praktijk": 1}
    assert _counts(html, "doelgroep") == {
        "statushouders": 2, "jongeren": 1, "bijstand": 1, "werkgevers": 2,
    }  # fmt: skip
    rijnmond, utrecht = str(_region("Rijnmond").pk), str(_region("Midden-Utrecht").pk)
    assert _counts(html, "regio") == {rijnmond: 2, utrecht: 2}
    assert _counts(html, "organisatie") == {"gemeente": 2, "werkgever": 1, "onderwijs": 1}
    assert "Concept over mentoring" not in html

    # One theme: the themes still count without it, every other facet counts within it.
    html = _html(client.get(URL, {"thema": "1"}))
    assert _heading(html) == "2 practices"
    assert sorted(_titles(html)) == [
        "Anoniem solliciteren",
        "Werkproef in plaats van sollicitatiegesprek",
    ]
    assert _facet(html, "thema") == {"1": (2, True), "2": (1, False), "3": (1, False)}
    assert _counts(html, "bewijs") == {"bewezen": 1, "veelbelovend": 1}
    assert _counts(html, "organisatie") == {"gemeente": 1, "werkgever": 1}

    # Two themes (OR) and a region (AND).
    html = _html(client.get(URL, {"thema": ["1", "3"], "regio": rijnmond}))
    assert sorted(_titles(html)) == [
        "Taalcoach op de werkvloer", "Werkproef in plaats van sollicitatiegesprek",
    ]  # fmt: skip
    assert _facet(html, "thema") == {"1": (1, True), "3": (1, True)}  # no empty options
    assert _facet(html, "regio") == {rijnmond: (2, True), utrecht: (1, False)}
    assert _counts(html, "doelgroep") == {"statushouders": 2, "bijstand": 1, "werkgevers": 1}

    # Three facets; a practice with two chosen target groups counts and shows once.
    html = _html(
        client.get(
            URL,
            {
                "doelgroep": ["statushouders", "werkgevers"],
                "bewijs": "veelbelovend",
                "organisatie": "gemeente",
            },
        )
    )
    assert sorted(_titles(html)) == ["Anoniem solliciteren", "Taalcoach op de werkvloer"]
    assert _heading(html) == "2 practices"
    assert _facet(html, "doelgroep")["statushouders"] == (1, True)
    assert _facet(html, "doelgroep")["werkgevers"] == (1, True)
    assert _facet(html, "doelgroep")["bijstand"] == (1, False)
    assert _counts(html, "bewijs") == {"veelbelovend": 2}
    assert _counts(html, "organisatie") == {"gemeente": 2}


def test_an_option_without_practices_shows_only_while_chosen(client, library):
    html = _html(client.get(URL, {"thema": "1"}))
    assert "ww" not in _facet(html, "doelgroep")
    html = _html(client.get(URL, {"thema": "1", "doelgroep": "ww"}))
    assert _heading(html) == "0 practices"
    assert "No practices found. Try other words or choose fewer filters." in html
    assert _facet(html, "doelgroep")["ww"] == (0, True)
    # So it can be unchecked: a link removes just that filter and keeps the theme.
    remove = re.search(r'<a [^>]*href="([^"]+)"><span class="site-library__chip-text">'
                       r"Target group: People on unemployment benefit \(WW\)", html)  # fmt: skip
    assert parse_qs(urlsplit(unescape(remove.group(1))).query) == {"thema": ["1"]}
    assert f'href="{URL}">Remove all filters</a>' in html


def test_region_may_be_given_by_name(client, library):
    html = _html(client.get(URL, {"regio": "rijnmond"}))
    assert sorted(_titles(html)) == [
        "Taalcoach op de werkvloer", "Werkproef in plaats van sollicitatiegesprek",
    ]  # fmt: skip
    assert _facet(html, "regio")[str(_region("Rijnmond").pk)] == (2, True)


# Members-only practices ----------------------------------------------------------------------


def test_members_only_practices_never_show_or_count_for_outsiders(
    client, index, networks, django_user_model
):
    private = _community(networks, "Besloten netwerk", content_visibility=ContentVisibility.MEMBERS)
    public = _community(networks, "Open netwerk")
    hidden = _community(
        networks, "Verborgen netwerk", content_visibility=ContentVisibility.MEMBERS, hidden=True
    )
    practice(
        index, "Geheime aanpak jobcoaching", theme="2", communities=[private],
        members_only=True, target_groups=["jongeren"],
        approach="<p>Intervisie met jobcoaches uit de zorg.</p>",
    )  # fmt: skip
    # Public practices of a private network: readable, but the network is not offered.
    practice(index, "Open aanpak uit besloten netwerk", theme="1", communities=[private])
    practice(index, "Open aanpak", theme="1", communities=[public])
    practice(index, "Aanpak uit verborgen netwerk", theme="1", communities=[hidden])

    outsider, member = _user(django_user_model), _user(django_user_model)
    _member(private, member)
    _member(public, outsider)

    for person in (None, outsider):
        if person:
            client.force_login(person)
        html = _html(client.get(URL))
        assert "Geheime aanpak jobcoaching" not in html
        assert _heading(html) == "3 practices"
        assert _counts(html, "thema") == {"1": 3}
        assert "jongeren" not in _counts(html, "doelgroep")
        assert _counts(html, "netwerk") == {str(public.pk): 1}
        assert "Besloten netwerk" not in html
        assert "Verborgen netwerk" not in html
        # Not by words, nor by asking for the private network by its id.
        html = _html(client.get(URL, {"q": "jobcoaches"}))
        assert _heading(html) == "0 practices for “jobcoaches”"
        # Only the hidden practice has both words: the search falls back to any word
        # as if it did not exist, instead of betraying it with an empty result.
        html = _html(client.get(URL, {"q": "intervisie aanpak"}))
        assert "No practice contains all of these words" in html
        assert "Geheime aanpak jobcoaching" not in html
        assert _heading(html) == "3 practices for “intervisie aanpak”"
        html = _html(client.get(URL, {"netwerk": str(private.pk)}))
        assert "These filters are unknown or not available to you and were ignored" in html
        assert _heading(html) == "3 practices"

    client.force_login(member)
    html = _html(client.get(URL))
    assert _heading(html) == "4 practices"
    assert _counts(html, "thema") == {"1": 3, "2": 1}
    assert _counts(html, "doelgroep") == {"jongeren": 1}
    assert _counts(html, "netwerk") == {str(private.pk): 2, str(public.pk): 1}
    assert "Members only" in _card(html, "Geheime aanpak jobcoaching")
    html = _html(client.get(URL, {"netwerk": str(private.pk)}))
    assert sorted(_titles(html)) == [
        "Geheime aanpak jobcoaching",
        "Open aanpak uit besloten netwerk",
    ]
    html = _html(client.get(URL, {"q": "jobcoaches"}))
    assert _titles(html) == ["Geheime aanpak jobcoaching"]
    html = _html(client.get(URL, {"q": "intervisie aanpak"}))
    assert _titles(html) == ["Geheime aanpak jobcoaching"]
    assert "No practice contains all of these words" not in html


def test_site_search_and_sitemap_hide_members_only_practices(
    client, index, networks, django_user_model
):
    private = _community(networks, "Besloten netwerk", content_visibility=ContentVisibility.MEMBERS)
    secret = practice(
        index, "Geheime aanpak", communities=[private], members_only=True,
        problem="<p>Werkgevers vinden geen zorgmedewerkers met een vluchtverhaal.</p>",
    )  # fmt: skip
    open_practice = practice(
        index, "Open aanpak", communities=[private],
        problem="<p>Ook hier zoeken werkgevers zorgmedewerkers.</p>",
    )  # fmt: skip
    member = _user(django_user_model)
    _member(private, member)

    def search_titles() -> list[str]:
        html = _html(client.get("/zoeken/", {"q": "zorgmedewerkers"}))
        return re.findall(r'<h3 class="utrecht-heading-3"><a [^>]*>([^<]+)</a></h3>', html)

    assert search_titles() == ["Open aanpak"]
    client.force_login(_user(django_user_model))
    assert search_titles() == ["Open aanpak"]
    client.force_login(member)
    assert sorted(search_titles()) == ["Geheime aanpak", "Open aanpak"]

    client.logout()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"{open_practice.url}</loc>" in sitemap
    assert f"{secret.url}</loc>" not in sitemap
    assert "/kennisbank-test/</loc>" in sitemap


# Full text ----------------------------------------------------------------------------------


def test_full_text_finds_practices_by_problem_approach_and_organisation(client, index, library):
    practice(
        index, "Buddy's voor nieuwe collega's", theme="1",
        problem="<p>Nieuwe collega's haken af door eenzaamheid.</p>",
        approach="<p>Elke starter krijgt een buddy uit een ander team.</p>",
        organisation=_organisation("Zorggroep Horizon", OrganisationKind.WERKGEVER),
    )  # fmt: skip

    def found(query: str, **params) -> list[str]:
        return _titles(_html(client.get(URL, {"q": query, **params})))

    assert found("eenzaamheid") == ["Buddy's voor nieuwe collega's"]  # problem
    assert found("buddy") == ["Buddy's voor nieuwe collega's"]  # approach
    assert found("Horizon") == ["Buddy's voor nieuwe collega's"]  # organisation name
    assert found("Bakkerij") == ["Werkproef in plaats van sollicitatiegesprek"]
    assert found("Horizon", thema="2") == []  # words and facets combine
    assert found("mentoring") == []  # the draft stays out
    # All words when possible; otherwise any of them, and the page says so.
    assert found("buddy eenzaamheid") == ["Buddy's voor nieuwe collega's"]
    html = _html(client.get(URL, {"q": "buddy werkproef"}))
    assert sorted(_titles(html)) == [
        "Buddy's voor nieuwe collega's", "Werkproef in plaats van sollicitatiegesprek",
    ]  # fmt: skip
    assert "No practice contains all of these words" in html
    html = _html(client.get(URL, {"q": "Horizon"}))
    assert _heading(html) == "1 practice for “Horizon”"
    assert f'href="{URL}">Show all practices</a>' in html
    # Facet counts follow the words.
    assert _counts(html, "thema") == {"1": 1}


def test_search_orders_by_relevance(client, index):
    practice(index, "Een keer genoemd", summary="Over mentoring in het algemeen.")
    practice(
        index, "Mentoring mentoring", summary="Mentoring voor mentoring: mentoring werkt.",
        approach="<p>Mentoring door mentoring.</p>",
    )  # fmt: skip
    html = _html(client.get(URL, {"q": "mentoring"}))
    assert _titles(html) == ["Mentoring mentoring", "Een keer genoemd"]
    assert '<option value="relevantie" selected>Relevance</option>' in html


# Sorting and pages -------------------------------------------------------------------------


def test_sort_by_newest_or_most_applied(client, library):
    _applied(library["stage"], 3)
    _applied(library["werkproef"], 1)
    html = _html(client.get(URL, {"sorteer": "nieuw"}))
    assert _titles(html) == [
        "Anoniem solliciteren", "Stagebank zonder discriminatie",
        "Taalcoach op de werkvloer", "Werkproef in plaats van sollicitatiegesprek",
    ]  # fmt: skip
    html = _html(client.get(URL, {"sorteer": "toegepast"}))
    assert _titles(html) == [
        "Stagebank zonder discriminatie", "Werkproef in plaats van sollicitatiegesprek",
        "Anoniem solliciteren", "Taalcoach op de werkvloer",
    ]  # fmt: skip
    assert '<option value="toegepast" selected>Most applied</option>' in html
    # Relevance is only offered with search words.
    assert 'value="relevantie"' not in html
    # The chosen order stays when filters change.
    assert '<input type="hidden" name="sorteer" value="toegepast">' in html
    html = _html(client.get(URL, {"sorteer": "toegepast", "q": "werkvloer sollicitatiegesprek"}))
    assert _titles(html) == [
        "Werkproef in plaats van sollicitatiegesprek", "Taalcoach op de werkvloer",
    ]  # fmt: skip


def test_filters_and_words_survive_pagination(client, index):
    for number in range(14):
        _published(practice(index, f"Werkproef {number:02}", theme="1"), days_ago=number)
    for number in range(3):
        practice(index, f"Stage {number}", theme="2")

    html = _html(client.get(URL, {"thema": "1", "q": "werkproef", "sorteer": "nieuw"}))
    assert _heading(html) == "14 practices for “werkproef”"
    assert _titles(html) == [f"Werkproef {n:02}" for n in range(12)]
    assert "Page 1 of 2" in html
    next_link = unescape(re.search(r'<a [^>]*rel="next" href="([^"]+)"', html).group(1))
    assert parse_qs(urlsplit(next_link).query) == {
        "thema": ["1"], "q": ["werkproef"], "sorteer": ["nieuw"], "page": ["2"],
    }  # fmt: skip
    html = _html(client.get(URL + next_link))
    assert _titles(html) == ["Werkproef 12", "Werkproef 13"]
    assert "Page 2 of 2" in html
    assert _facet(html, "thema")["1"] == (14, True)
    assert 'value="werkproef"' in html


# Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"thema": "9"},
        {"doelgroep": "<script>"},
        {"regio": "999999"},
        {"regio": "nergens"},
        {"netwerk": "abc"},
        {"bewijs": ""},
        {"organisatie": "x" * 500},
    ],
)
def test_unknown_filter_values_are_ignored_with_a_message(client, library, params):
    html = _html(client.get(URL, params))
    assert _heading(html) == "4 practices"
    if any(params.values()):
        assert "These filters are unknown or not available to you and were ignored" in html
    assert "<script>" not in html.split('<main id="inhoud"')[1]


def test_bad_page_sort_and_search_words_never_break_the_index(client, library):
    html = _html(client.get(URL, {"page": "999"}))
    assert _heading(html) == "4 practices"
    assert len(_titles(html)) == 4
    assert len(_titles(_html(client.get(URL, {"page": "-1"})))) == 4
    assert len(_titles(_html(client.get(URL, {"page": "twee"})))) == 4

    html = _html(client.get(URL, {"sorteer": "duurste"}))
    assert "This sort order is unknown; the results are sorted by: Newest first" in html
    assert _titles(html)[0] == "Anoniem solliciteren"
    # Relevance without words quietly falls back to newest first.
    html = _html(client.get(URL, {"sorteer": "relevantie"}))
    assert _titles(html)[0] == "Anoniem solliciteren"
    assert "sort order is unknown" not in html

    for query in [
        '"werkproef',
        "werk*",
        "NEAR(a b)",
        "AND OR NOT",
        "-",
        "(",
        "a:b",
        "'",
        "x" * 500,
    ]:
        response = client.get(URL, {"q": query})
        assert response.status_code == 200, query
    assert "Werkproef in plaats" in _html(client.get(URL, {"q": '"werkproef'}))
    html = _html(client.get(URL, {"q": "  Werkproef   sollicitatiegesprek  "}))
    assert _heading(html) == "1 practice for “Werkproef sollicitatiegesprek”"


# Query budget ---------------------------------------------------------------------------------


def test_index_uses_the_same_number_of_queries_for_3_or_15_practices(
    client, index, networks, django_user_model, django_assert_max_num_queries
):
    community = _community(networks, "Open netwerk")
    member = _user(django_user_model)
    _member(community, member)
    region = _region("Rijnmond")

    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            page = practice(
                index, f"Praktijk {number:02}", theme="1", region=region,
                organisation=_organisation(f"Organisatie {number}"), communities=[community],
                target_groups=["statushouders", "jongeren"],
            )  # fmt: skip
            _applied(page, 2)

    def measure(params) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, params).status_code == 200
        return len(queries)

    client.force_login(member)
    add(3, 0)
    small = {name: measure(params) for name, params in _BUDGET_CASES.items()}
    add(12, 3)
    large = {name: measure(params) for name, params in _BUDGET_CASES.items()}
    assert small == large
    assert len(_titles(_html(client.get(URL, {"thema": "1"})))) == 12
    # About twelve are the request itself (session, user, site, page, navigation).
    with django_assert_max_num_queries(30):
        client.get(URL, {"thema": "1", "q": "praktijk", "sorteer": "toegepast"})


_BUDGET_CASES = {
    "plain": {},
    "filtered": {"thema": "1", "doelgroep": "jongeren"},
    "searched": {"q": "praktijk", "thema": "1"},
    "applied": {"sorteer": "toegepast"},
}


# The community's "Practices" section -------------------------------------------------------


def test_community_home_links_to_its_practices_and_lists_the_newest(
    client, networks, django_user_model, demo_site
):
    from tests.library import library_index

    kennisbank = library_index()
    community = _community(
        networks, "Besloten netwerk", content_visibility=ContentVisibility.MEMBERS
    )
    titles = []
    for number in range(4):
        page = practice(
            kennisbank, f"Netwerkpraktijk {number}", communities=[community],
            members_only=number == 3,
        )  # fmt: skip
        _published(page, days_ago=10 - number)
        titles.append(page.title)
    practice(kennisbank, "Praktijk van een ander netwerk")

    outsider, member = _user(django_user_model), _user(django_user_model)
    _member(community, member)

    [section] = [s for s in sections_for(community, member) if s.key == "practices"]
    assert section.href == f"/kennisbank/?netwerk={community.pk}"
    recent = section.recent(community, member)
    assert [item["title"] for item in recent] == [
        "Netwerkpraktijk 3",
        "Netwerkpraktijk 2",
        "Netwerkpraktijk 1",
    ]
    assert recent[0]["url"].endswith("/kennisbank/netwerkpraktijk-3/")
    assert recent[0]["date"] is not None

    assert "practices" not in [s.key for s in sections_for(community, outsider)]
    client.force_login(member)
    html = _html(client.get(community.url))
    assert f'href="/kennisbank/?netwerk={community.pk}">Practices</a>' in html
    assert "Netwerkpraktijk 3" in html
    assert "Netwerkpraktijk 0" not in html
    assert "Praktijk van een ander netwerk" not in html

    # An open network shows the section to everyone.
    open_network = _community(networks, "Open netwerk")
    practice(kennisbank, "Open netwerkpraktijk", communities=[open_network])
    client.force_login(outsider)
    [section] = [s for s in sections_for(open_network, outsider) if s.key == "practices"]
    assert [item["title"] for item in section.recent(open_network, outsider)] == [
        "Open netwerkpraktijk"
    ]
    html = _html(client.get(open_network.url))
    assert f'href="/kennisbank/?netwerk={open_network.pk}">Practices</a>' in html
