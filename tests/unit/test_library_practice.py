"""A practice as readers see it: its facts and documents, who may open it and download
its documents, "Wij passen dit toe", and the menukaart and collections that list it."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.library import MINIMAL_PDF, document, library_index, practice
from via_platform import urls as project_urls
from via_platform.accounts import privacy
from via_platform.accounts.models import LabourMarketRegion, Profile, User
from via_platform.communities.models import CommunityPage, Membership, MembershipState, Role
from via_platform.library import services, views
from via_platform.library.models import (
    Application,
    CollectionItem,
    CollectionPage,
    Intervention,
    MenukaartPage,
    Phase,
    PracticeDocument,
    PracticeLink,
    PracticePage,
    RelatedPractice,
)
from via_platform.organisations.models import Organisation

pytestmark = pytest.mark.django_db

# The project's URLs as `make run` (DEBUG) has them, media included; see test_media_*.
urlpatterns = [*project_urls.public_media_urlpatterns(), *project_urls.urlpatterns]

MEMBERS_ONLY = "intensieve-begeleiding"  # content for members; not hidden
HIDDEN = "taskforce-via-coordinatoren"  # hidden, content for members
PUBLIC = "mkb-techniek-en-installatie"

ANONYMOUS = None
OUTSIDER = "werkgever@voorbeeld.nl"  # member of the public mkb community only
EDITOR = "redacteur@voorbeeld.nl"  # moderator of intensieve begeleiding; manages all media
MEMBER = "member"  # a plain member of intensieve begeleiding (made by log_in)
COORDINATOR = "coordinator@voorbeeld.nl"  # coordinates the hidden taskforce too
SUPERUSER = "beheer@voorbeeld.nl"
KLANTMANAGER = "klantmanager@voorbeeld.nl"  # Gemeente Rotterdam


@pytest.fixture
def client(client, settings):
    """Every page in English, so the tests read the msgids whatever the Dutch catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def index(demo_site):
    return library_index()


def community(slug: str) -> CommunityPage:
    return CommunityPage.objects.get(slug=slug)


def user(email: str) -> User:
    return User.objects.get(email=email)


def plain_member() -> User:
    person = new_person()
    Membership.objects.create(
        community=community(MEMBERS_ONLY),
        user=person,
        role=Role.MEMBER,
        state=MembershipState.ACTIVE,
        joined_at=timezone.now(),
    )
    return person


def log_in(client, email: str | None):
    language = client.cookies[django_settings.LANGUAGE_COOKIE_NAME].value
    client.logout()  # forgets every cookie, the language too
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    if email == MEMBER:
        client.force_login(plain_member())
    elif email is not None:
        client.force_login(user(email))
    return client


def new_person(organisation: Organisation | None = None) -> User:
    person = User.objects.create_user(
        email=f"{uuid.uuid4().hex[:10]}@example.org", password="een-lang-wachtwoord"
    )
    if organisation is not None:
        Profile.objects.create(user=person, organisation=organisation)
    return person


def download(client, url: str) -> tuple[int, bytes]:
    """Status and body of a document request. Reading a streamed body to its end
    closes the file, as a WSGI server would (the test client wraps it)."""
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def text(response) -> str:
    """The page's text without tags, whitespace collapsed."""
    html = response.content.decode()
    main = re.split(r'<main id="inhoud"[^>]*>', html, maxsplit=1)[-1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def apply_count(response) -> int:
    match = re.search(r"Applied by (\d+) organisations?", text(response))
    assert match, "no application count on the page"
    return int(match.group(1))


# The page -------------------------------------------------------------------------------


def test_practice_page_shows_its_structured_fields_documents_and_links(index, client):
    organisation = Organisation.objects.get(name="Movisie")
    organisation.approved = True
    organisation.save()
    handreiking = document("Handreiking werkproef", "handreiking.pdf", MINIMAL_PDF)
    checklist = document("Checklist intake", "checklist.odt", b"o" * 2048)
    format_ = document("Gespreksformat", "gespreksformat.docx", b"w" * (3 * 1024 * 1024))
    page = practice(
        index,
        "Werkproef in plaats van sollicitatiegesprek",
        summary="Kandidaten laten zien wat ze kunnen in een werkproef van een dag.",
        problem="<p>Gesprekken bevoordelen wie zich goed verkoopt.</p>",
        approach="<p>Een werkproef met <b>vaste opdrachten</b>.</p>",
        results="<p>Twee keer zoveel aannames.</p>",
        evidence_level="veelbelovend",
        theme="1",
        target_groups=["werkgevers", "statushouders"],
        region=LabourMarketRegion.objects.get(name="Regio Zwolle"),
        organisation=organisation,
        contact_name="Jan de Vries",
        contact_email="jan@example.org",
        duration="Een dag per kandidaat",
        cost="€ 250 per kandidaat",
        documents=[handreiking, checklist, format_],
        communities=[community(PUBLIC)],
    )
    PracticeLink.objects.create(
        page=page, title="Evaluatie door Movisie", url="https://example.org/evaluatie"
    )

    response = client.get(page.url)

    assert response.status_code == 200
    html, body = response.content.decode(), text(response)
    assert '<a class="utrecht-breadcrumb-nav__link" href="/kennisbank/">Kennisbank</a>' in html
    for expected in [
        "Werkproef in plaats van sollicitatiegesprek",
        "Kandidaten laten zien wat ze kunnen",
        "Problem Gesprekken bevoordelen wie zich goed verkoopt.",
        "Approach Een werkproef met vaste opdrachten .",
        "Results Twee keer zoveel aannames.",
        "Evidence level Promising First results and evaluations are positive",
        "Target groups Refugees with a residence permit, Employers",
        "Labour market region Regio Zwolle",
        "Contact person Jan de Vries (jan@example.org)",
        "Duration Een dag per kandidaat",
        "Cost indication € 250 per kandidaat",
        f"Handreiking werkproef (PDF, {len(MINIMAL_PDF)} bytes)",
        "Checklist intake (OpenDocument text, 2.0 KB)",
        "Gespreksformat (Word, 3.0 MB)",
        "Research and links Evaluatie door Movisie",
        "Communities Community of practice mkb Techniek en installatie",
        "Applied by 0 organisations",
    ]:
        assert expected in body, expected
    assert "<b>vaste opdrachten</b>" in html
    assert '<a class="utrecht-link utrecht-link--html-a" href="mailto:jan@example.org">' in html
    assert f'href="/organisaties/{organisation.slug}/">Movisie</a>' in html
    assert f'href="{handreiking.url}" download>Handreiking werkproef</a>' in html
    assert 'href="https://example.org/evaluatie"' in html
    assert f'href="{community(PUBLIC).url}"' in html
    # Anonymous readers are asked to log in to mark the practice.
    assert f'href="/account/login/?next={page.url}"' in html


def test_an_unapproved_organisation_is_named_without_a_link(index, client):
    proposed = Organisation.objects.create(name="Stichting Voorstel", kind="maatschappelijk")
    page = practice(index, "Buddy's op de werkvloer", organisation=proposed)
    html = client.get(page.url).content.decode()
    assert "Stichting Voorstel" in html
    assert f"/organisaties/{proposed.slug}/" not in html


@pytest.mark.parametrize(
    ("email", "status"),
    [(ANONYMOUS, 403), (OUTSIDER, 403), (KLANTMANAGER, 403), (MEMBER, 200), (SUPERUSER, 200)],
)
def test_members_only_practice_of_a_visible_community(index, client, email, status):
    page = practice(
        index,
        "Intervisie over taalcoaching",
        summary="Geheime samenvatting voor leden.",
        members_only=True,
        communities=[community(MEMBERS_ONLY)],
    )
    response = log_in(client, email).get(page.url)
    assert response.status_code == status
    body = text(response)
    if status == 403:
        assert [t.name for t in response.templates][0] == "library/members_only.html"
        assert "Geheime samenvatting" not in body and "taalcoaching" not in body
        assert "For members only" in body
        assert f'href="{community(MEMBERS_ONLY).url}"' in response.content.decode()
        assert ("Log in if you are already a member" in body) == (email is None)
    else:
        assert "Geheime samenvatting voor leden." in body


@pytest.mark.parametrize(
    ("email", "status"),
    [(ANONYMOUS, 404), (OUTSIDER, 404), (EDITOR, 404), (COORDINATOR, 200), (SUPERUSER, 200)],
)
def test_members_only_practice_of_a_hidden_community_does_not_exist_for_outsiders(
    index, client, email, status
):
    page = practice(
        index,
        "Signalen uit de regio's",
        members_only=True,
        communities=[community(HIDDEN)],
    )
    response = log_in(client, email).get(page.url)
    assert response.status_code == status
    assert ("Taskforce" in response.content.decode()) == (status == 200)


def test_a_public_practice_names_only_the_communities_a_person_can_see(index, client):
    page = practice(index, "Gedeelde aanpak", communities=[community(PUBLIC), community(HIDDEN)])
    assert "Taskforce" not in text(log_in(client, OUTSIDER).get(page.url))
    assert "Taskforce VIA coördinatoren" in text(log_in(client, COORDINATOR).get(page.url))


def test_related_practices_hide_private_ones_from_outsiders(index, client):
    public = practice(index, "Anoniem solliciteren")
    private = practice(
        index,
        "Ervaringen uit de intervisie",
        members_only=True,
        communities=[community(MEMBERS_ONLY)],
    )
    draft = practice(index, "Nog niet klaar", publish=False)
    page = practice(index, "Objectief werven")
    for sort_order, related in enumerate([public, private, draft]):
        RelatedPractice.objects.create(page=page, practice=related, sort_order=sort_order)

    outsider = text(log_in(client, OUTSIDER).get(page.url))
    assert "Related practices Anoniem solliciteren" in outsider
    assert "Ervaringen uit de intervisie" not in outsider
    assert "Nog niet klaar" not in outsider

    member = text(log_in(client, MEMBER).get(page.url))
    assert "Anoniem solliciteren" in member and "Ervaringen uit de intervisie" in member
    assert "Nog niet klaar" not in member  # drafts are never listed, not even for reviewers


def test_a_draft_is_for_its_submitter_and_reviewers_only(index, client):
    submitter = new_person()
    attachment = document("Conceptplan", "conceptplan.pdf")
    draft = practice(
        index, "Concept: taalmaatje", publish=False, owner=submitter, documents=[attachment]
    )
    request = RequestFactory().get("/")

    for email in (None, OUTSIDER, KLANTMANAGER):
        assert log_in(client, email).get(draft.url).status_code == 404
        assert download(log_in(client, email), attachment.url)[0] == 404
        request.user = user(email) if email else AnonymousUser()
        with pytest.raises(Http404):
            views.practice_detail(request, draft)

    for person in (submitter, user(EDITOR)):  # editors review every practice
        client.force_login(person)
        assert download(client, attachment.url) == (200, MINIMAL_PDF)
        request.user = person
        response = views.practice_detail(request, draft)
        response.render()
        assert response.status_code == 200
        assert "Concept: taalmaatje" in response.content.decode()
        assert "This practice is not published yet." in response.content.decode()


def test_editors_preview_changes_and_new_practices(index):
    """Wagtail's preview (the admin checked the editor's rights) shows what is in the
    form, also for a members-only practice and for one that is not saved yet."""
    page = practice(index, "Bestaande aanpak", members_only=True, communities=[community(HIDDEN)])
    page.summary = "Een nieuwe samenvatting uit het formulier."
    response = page.make_preview_request()
    assert response.status_code == 200
    html = response.content.decode()
    assert "Een nieuwe samenvatting uit het formulier." in html
    assert "toepassen/" not in html  # no marking from a preview

    new = PracticePage(
        title="Nieuwe aanpak",
        summary="Nog niet opgeslagen.",
        problem="<p>Knelpunt.</p>",
        approach="<p>Aanpak.</p>",
        depth=index.depth + 1,
        path=index.get_last_child()._inc_path(),
    )
    new.set_url_path(index)
    new.documents = [PracticeDocument(document=document("Bijlage", "bijlage.pdf"))]
    response = new.make_preview_request()
    assert response.status_code == 200
    assert "Nog niet opgeslagen." in response.content.decode()
    assert "Bijlage (PDF," in text(response)


# Documents ------------------------------------------------------------------------------


def test_documents_of_a_public_practice_download_as_attachments(index, client):
    pdf = document("Handreiking", "handreiking.pdf")
    docx = document("Format", "format.docx", b"w" * 100)
    practice(index, "Openbare aanpak", documents=[pdf, docx])

    for doc, data in ((pdf, MINIMAL_PDF), (docx, b"w" * 100)):
        response = client.get(doc.url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment"), doc.filename
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == data


@pytest.mark.parametrize(
    ("email", "status"),
    [(ANONYMOUS, 404), (OUTSIDER, 404), (KLANTMANAGER, 404), (MEMBER, 200), (SUPERUSER, 200)],
)
def test_documents_of_a_members_only_practice_are_for_its_readers(index, client, email, status):
    doc = document("Verslag intervisie", "verslag-intervisie.pdf")
    practice(
        index,
        "Intervisie",
        members_only=True,
        communities=[community(MEMBERS_ONLY)],
        documents=[doc],
    )
    assert download(log_in(client, email), doc.url)[0] == status


def test_a_document_in_a_public_and_a_private_practice_is_public(index, client):
    doc = document("Checklist", "checklist.pdf")
    practice(index, "Privé", members_only=True, communities=[community(HIDDEN)], documents=[doc])
    practice(index, "Openbaar", documents=[doc])
    assert download(client, doc.url)[0] == 200


def test_a_document_attached_to_no_practice_keeps_wagtails_behaviour(index, client):
    doc = document("Jaarverslag", "jaarverslag.pdf")
    assert download(client, doc.url) == (200, MINIMAL_PDF)


def test_guessed_document_addresses_find_nothing(index, client, settings):
    doc = document("Verslag taskforce", "verslag-taskforce.pdf")
    practice(
        index, "Taskforce", members_only=True, communities=[community(HIDDEN)], documents=[doc]
    )
    settings.ROOT_URLCONF = __name__  # the DEBUG URLs, media included

    for url in [
        doc.url,
        f"/documents/{doc.pk}/{doc.filename}",
        f"/documents/{doc.pk}/verslag.pdf",
        f"/media/{doc.file.name}",
        f"/media/original_images/../{doc.file.name}",
        f"/media/profielen/../{doc.file.name}",
    ]:
        status, body = download(log_in(client, OUTSIDER), url)
        assert status in (400, 404), url
        assert MINIMAL_PDF not in body, url
    # The people who manage documents in the Wagtail admin may open it there.
    assert download(log_in(client, EDITOR), doc.url) == (200, MINIMAL_PDF)


def test_media_serves_images_and_profile_photos_but_no_documents(index, client, settings):
    settings.ROOT_URLCONF = __name__
    folder = Path(django_settings.MEDIA_ROOT)
    name = f"{uuid.uuid4().hex}.jpg"
    for sub in ("original_images", "profielen/1"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        (folder / sub / name).write_bytes(b"jpeg")
        assert download(client, f"/media/{sub}/{name}") == (200, b"jpeg")
        (folder / sub / name).unlink()
    public = document("Openbaar", "openbaar.pdf")  # even a public document: only via /documents/
    assert download(client, f"/media/{public.file.name}")[0] == 404
    assert download(client, public.url) == (200, MINIMAL_PDF)


def test_documents_are_served_by_wagtails_view_as_attachments():
    """Through /documents/ (where the hook decides), never inline: PDFs are attachments too
    (needs WAGTAILDOCS_INLINE_CONTENT_TYPES = [] in settings)."""
    assert django_settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert not getattr(django_settings, "WAGTAILDOCS_INLINE_CONTENT_TYPES", ["application/pdf"])


# "Wij passen dit toe" ------------------------------------------------------------------


def test_organisations_mark_that_they_apply_a_practice(index, client):
    page = practice(index, "Jobcoaching na plaatsing")
    apply_url = f"{page.url}toepassen/"
    rotterdam = Organisation.objects.get(name="Gemeente Rotterdam")
    colleague = new_person(rotterdam)  # a second person from Gemeente Rotterdam
    employer = user(OUTSIDER)  # Installatiebedrijf Van Dijk

    log_in(client, KLANTMANAGER)
    response = client.get(page.url)
    assert apply_count(response) == 0
    assert (
        '<button class="utrecht-button utrecht-button--primary-action"' in response.content.decode()
    )

    response = client.post(apply_url, {"action": "mark"}, follow=True)
    assert response.redirect_chain == [(page.url, 302)]
    assert messages_of(response) == [
        "Thank you: Gemeente Rotterdam now counts as applying this practice."
    ]
    assert apply_count(response) == 1
    assert "Gemeente Rotterdam applies this practice." in text(response)
    assert "We no longer apply this" in text(response)

    client.post(apply_url, {"action": "mark"})  # a second click changes nothing
    client.force_login(colleague)
    response = client.post(apply_url, {"action": "mark"}, follow=True)
    assert apply_count(response) == 1  # one organisation, counted once
    assert "We no longer apply this" in text(response)

    client.force_login(employer)
    assert apply_count(client.post(apply_url, follow=True)) == 2
    assert set(
        Application.objects.filter(practice=page).values_list(
            "organisation__name", "marked_by__email"
        )
    ) == {
        ("Gemeente Rotterdam", KLANTMANAGER),
        ("Installatiebedrijf Van Dijk", OUTSIDER),
    }

    # A colleague takes the organisation's mark away.
    client.force_login(colleague)
    response = client.post(apply_url, {"action": "unmark"}, follow=True)
    assert apply_count(response) == 1
    assert messages_of(response) == [
        "Gemeente Rotterdam no longer counts as applying this practice."
    ]
    client.post(apply_url, {"action": "unmark"})  # idempotent
    assert list(
        Application.objects.filter(practice=page).values_list("organisation__name", flat=True)
    ) == ["Installatiebedrijf Van Dijk"]


def test_marking_is_refused_without_login_organisation_or_access(index, client):
    page = practice(index, "Taalcoaching op de werkvloer")
    private = practice(index, "Privé", members_only=True, communities=[community(MEMBERS_ONLY)])
    apply_url = f"{page.url}toepassen/"

    response = client.post(apply_url)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")

    no_organisation = new_person()
    client.force_login(no_organisation)
    page_text = text(client.get(page.url))
    assert "Add your organisation to your profile" in page_text
    assert 'href="/account/profiel/"' in client.get(page.url).content.decode()
    assert client.post(apply_url).status_code == 403

    log_in(client, KLANTMANAGER)
    assert client.get(apply_url).status_code == 405
    assert client.post(f"{private.url}toepassen/").status_code == 404
    assert client.get(f"{private.url}toepassen/").status_code == 404  # not even a 405
    assert not Application.objects.filter(practice__in=[page, private]).exists()

    with pytest.raises(PermissionDenied):
        services.mark_applied(user(KLANTMANAGER), private)
    assert not Application.objects.filter(practice__in=[page, private]).exists()


def test_privacy_export_and_deletion_of_applications(index):
    page = practice(index, "Werkfit-traject")
    other = practice(index, "Sollicitatietraining op maat")
    rotterdam = Organisation.objects.get(name="Gemeente Rotterdam")
    person, colleague = new_person(rotterdam), new_person(rotterdam)
    services.mark_applied(person, page)
    services.mark_applied(colleague, other)

    exported = privacy.export_user_data(person)["library_applications"]
    assert [(e["practice"], e["organisation"]) for e in exported] == [
        ("Werkfit-traject", "Gemeente Rotterdam")
    ]
    assert exported[0]["marked_at"].startswith(str(timezone.now().year))
    assert privacy.export_user_data(new_person())["library_applications"] == []

    privacy.delete_account(person)
    application = Application.objects.get(practice=page)
    assert application.organisation == rotterdam  # the organisation's mark stays
    assert application.marked_by is None
    assert Application.objects.get(practice=other).marked_by == colleague
    assert privacy.export_user_data(person)["library_applications"] == []


# The menukaart and collections ------------------------------------------------------------


def _slug() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def _menukaart(index, interventions, *, commit_practices: bool = True) -> MenukaartPage:
    """As an editor builds it: interventions with their practices, then publish.

    `commit_practices` works around Intervention being a plain Orderable (its practices
    are not saved with the page; the demo does the same), so that the tests of what the
    page shows do not depend on that; test_intervention_practices_survive_publishing
    covers the saving itself.
    """
    page = MenukaartPage(title="Menukaart voor werkgevers", slug=_slug(), intro="Kies per fase.")
    page.interventions = [
        Intervention(phase=phase, title=title, description=f"Over {title}.", practices=practices)
        for phase, title, practices in interventions
    ]
    index.add_child(instance=page)
    page.save_revision().publish()
    page = MenukaartPage.objects.get(pk=page.pk)
    if commit_practices:
        for saved, (_phase, _title, practices) in zip(
            page.interventions.all(), interventions, strict=True
        ):
            saved.practices.set(practices)
            saved.practices.commit()
    return page


def _collection(index, practices_and_notes) -> CollectionPage:
    page = CollectionPage(
        title="Toolbox stagebegeleiding",
        slug=_slug(),
        intro="Wat scholen en leerbedrijven kunnen doen.",
        body=[("paragraph", "<p>Begin met de checklist.</p>")],
    )
    page.items = [CollectionItem(practice=p, note=note) for p, note in practices_and_notes]
    index.add_child(instance=page)
    page.save_revision().publish()
    return CollectionPage.objects.get(pk=page.pk)


def test_intervention_practices_survive_publishing(index, client):
    """What the Wagtail editor does: the practices chosen for an intervention are part
    of the page's revision and are saved when it is published."""
    first, second = practice(index, "Open hiring"), practice(index, "Werkervaringsplek")
    page = _menukaart(
        index, [(Phase.WERVING, "Zonder sollicitatie", [first, second])], commit_practices=False
    )
    assert [list(i.practices.all()) for i in page.interventions.all()] == [[first, second]]
    assert "Practices: Open hiring Werkervaringsplek" in text(client.get(page.url))


def test_menukaart_groups_interventions_by_phase_and_hides_private_practices(index, client):
    public = practice(index, "Proefdag met vaste opdrachten")
    private = practice(
        index, "Intervisie selectie", members_only=True, communities=[community(MEMBERS_ONLY)]
    )
    page = _menukaart(
        index,
        [
            (Phase.ONBOARDING, "Buddy op de werkvloer", []),
            (Phase.SELECTIE, "Werkproef in plaats van gesprek", [public, private]),
            (Phase.WERVING, "Vacature zonder drempels", []),
            (Phase.SELECTIE, "Vaste beoordelingscommissie", []),
        ],
    )

    outsider = text(log_in(client, OUTSIDER).get(page.url))
    assert re.search(
        r"Recruitment Vacature zonder drempels Over Vacature zonder drempels\. "
        r"Selection Werkproef in plaats van gesprek Over .*"
        r"Practices: Proefdag met vaste opdrachten "
        r"Vaste beoordelingscommissie .*Onboarding Buddy op de werkvloer",
        outsider,
    ), outsider
    assert "Progression" not in outsider.split("Phases", 1)[1]  # an empty phase is left out
    assert "Intervisie selectie" not in outsider
    assert "Intervisie selectie" in text(log_in(client, MEMBER).get(page.url))


def test_collection_shows_intro_body_and_visible_practices_with_notes(index, client):
    public = practice(index, "Checklist stagebegeleiding")
    private = practice(
        index, "Meldingen bespreken", members_only=True, communities=[community(MEMBERS_ONLY)]
    )
    page = _collection(index, [(public, "Begin hier"), (private, "Voor de leden")])

    response = log_in(client, OUTSIDER).get(page.url)
    assert response.status_code == 200
    body = text(response)
    assert "Wat scholen en leerbedrijven kunnen doen. Begin met de checklist." in body
    assert "Checklist stagebegeleiding Begin hier" in body
    assert "Meldingen bespreken" not in body and "Voor de leden" not in body
    assert "Meldingen bespreken Voor de leden" in text(log_in(client, MEMBER).get(page.url))


# Query budgets ------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("email", [ANONYMOUS, KLANTMANAGER])
def test_practice_page_queries_do_not_grow_with_documents_and_related(index, client, email):
    counts = []
    for n in (3, 10):
        docs = [document(f"Bijlage {i}", f"bijlage-{n}-{i}.pdf") for i in range(n)]
        related = [practice(index, f"Verwant {n}-{i}") for i in range(n)]
        page = practice(index, f"Aanpak met {n}", documents=docs, communities=[community(PUBLIC)])
        for i, other in enumerate(related):
            RelatedPractice.objects.create(page=page, practice=other, sort_order=i)
        services.mark_applied(user(KLANTMANAGER), page)
        log_in(client, email)
        client.get(page.url)  # warm the site-root cache like any later request
        counts.append(_queries(client, page.url))
        assert f"Verwant {n}-{n - 1}" in text(client.get(page.url))
    assert counts[0] == counts[1], counts
    print(f"practice page queries ({email or 'anonymous'}): {counts}")


def test_menukaart_and_collection_queries_do_not_grow_with_items(index, client):
    menukaart_counts, collection_counts = [], []
    for n in (3, 10):
        practices = [practice(index, f"Praktijk {n}-{i}") for i in range(n)]
        menukaart = _menukaart(
            index, [(Phase.SELECTIE, f"Interventie {n}-{i}", practices) for i in range(n)]
        )
        menukaart_counts.append(_queries(client, menukaart.url))
        menukaart.delete()
        collection = _collection(index, [(p, "") for p in practices])
        collection_counts.append(_queries(client, collection.url))
        collection.delete()
    assert menukaart_counts[0] == menukaart_counts[1], menukaart_counts
    assert collection_counts[0] == collection_counts[1], collection_counts
    print(f"menukaart queries: {menukaart_counts}; collection queries: {collection_counts}")
