"""Members propose practices; coordinators and editors review them through the
kennisbank's Wagtail workflow; the people involved hear of each step.

Demo people (seed_demo): the klantmanager is a member of "Leerwerktrajecten
statushouders" (content for members) and "Regio Rotterdam" (public); the coordinator
coordinates both; the werkgever is a member of the public mkb community only; the
redacteur is an editor; beheer is a superuser.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import TaskState, WorkflowState

from tests.conftest import enable_totp
from tests.library import MINIMAL_PDF, library_index
from via_platform.accounts.models import User
from via_platform.communities.models import (
    CommunityPage,
    Membership,
    MembershipState,
    Role,
)
from via_platform.library import review
from via_platform.library.models import EvidenceLevel, PracticePage, TargetGroup
from via_platform.notifications import services as notifications
from via_platform.notifications.models import Happening, Notification

pytestmark = pytest.mark.django_db

SUBMITTER = "klantmanager@voorbeeld.nl"
COORDINATOR = "coordinator@voorbeeld.nl"
EDITOR = "redacteur@voorbeeld.nl"
OUTSIDER = "werkgever@voorbeeld.nl"
MEMBERS_ONLY = "leerwerktrajecten-statushouders"
PUBLIC = "regio-rotterdam"
SUBMIT_URL = "/kennisbank/indienen/"
OVERVIEW_URL = "/kennisbank/inzendingen/"


@pytest.fixture
def client(client, settings):
    """Every page in English, so the tests read the msgids whatever the Dutch catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def index(demo_site):
    return library_index()


def user(email: str) -> User:
    return User.objects.get(email=email)


def community(slug: str) -> CommunityPage:
    return CommunityPage.objects.get(slug=slug)


def new_person(*memberships: tuple[CommunityPage, str]) -> User:
    person = User.objects.create_user(
        email=f"{uuid.uuid4().hex[:10]}@example.org",
        password="een-lang-wachtwoord",
        first_name="Nieuw",
        last_name="Lid",
    )
    for place, role in memberships:
        Membership.objects.create(
            community=place,
            user=person,
            role=role,
            state=MembershipState.ACTIVE,
            joined_at=timezone.now(),
        )
    return person


def log_in(client, person: User | str | None):
    client.logout()  # forgets every cookie, the language too
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if person is not None:
        client.force_login(user(person) if isinstance(person, str) else person)
    return client


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def ooxml(folder: str = "word/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


def odf(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def form_data(**overrides) -> dict:
    data = {
        "title": "Jobcoach op de werkvloer",
        "summary": "Een jobcoach begeleidt statushouders in hun eerste maanden op de werkvloer.",
        "problem": "Statushouders vallen in de eerste maanden vaak uit.\n\nWerkgevers weten "
        "niet wie ze kunnen bellen.",
        "approach": "Een vaste jobcoach <script>alert('x')</script> bezoekt elke week de "
        "werkplek.\nDe werkgever belt dezelfde persoon.",
        "results": "Van de 40 deelnemers werkt 31 na een jaar nog.",
        "evidence_level": EvidenceLevel.PROMISING,
        "theme": "3",
        "target_groups": [TargetGroup.objects.get(code="statushouders").pk],
        "contact_name": "Karim Klantmanager",
        "contact_email": "karim@rotterdam.example",
        "duration": "Twaalf maanden",
        "cost": "€ 3.000 per deelnemer",
        "links": "Evaluatierapport https://example.org/evaluatie.pdf\nhttps://example.org/jobcoach",
        "communities": [community(MEMBERS_ONLY).pk],
        "members_only": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def propose(client, **overrides):
    data = form_data(**overrides)
    data.setdefault("attachments", [upload("plan-van-aanpak.pdf", MINIMAL_PDF)])
    return client.post(SUBMIT_URL, data)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def text(response) -> str:
    html = response.content.decode()
    main = re.split(r'<main id="inhoud"[^>]*>', html, maxsplit=1)[-1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def happenings(kind: str, practice: PracticePage) -> list[Happening]:
    return list(Happening.objects.filter(kind=kind, target_id=str(practice.pk)).order_by("pk"))


def fanned_out_to(happening: Happening) -> set[int]:
    notifications.fan_out(happening.pk)
    return set(
        Notification.objects.filter(happening=happening).values_list("recipient_id", flat=True)
    )


def detail_url(practice: PracticePage) -> str:
    return f"{OVERVIEW_URL}{practice.pk}/"


# The whole journey ---------------------------------------------------------------------


def test_submit_request_changes_resubmit_publish_and_who_hears_of_it(index, client):
    submitter, coordinator = user(SUBMITTER), user(COORDINATOR)
    fellow = new_person((community(MEMBERS_ONLY), Role.MEMBER))
    outsider = user(OUTSIDER)
    mail.outbox.clear()

    # The klantmanager proposes a practice for a community they belong to.
    log_in(client, submitter)
    form = client.get(SUBMIT_URL)
    assert form.status_code == 200
    offered = {c.slug for c in form.context["form"].fields["communities"].queryset}
    assert offered == {MEMBERS_ONLY, PUBLIC}
    assert form.context["form"]["contact_email"].value() == SUBMITTER
    response = propose(client)
    practice = PracticePage.objects.get(title="Jobcoach op de werkvloer")
    assert response.status_code == 302
    assert response["Location"] == detail_url(practice)

    # A draft, owned by the submitter, with a revision, its document in the submissions
    # collection, sanitised paragraphs and parsed links, in review.
    assert not practice.live and practice.owner == submitter
    assert practice.latest_revision is not None
    assert practice.problem == (
        "<p>Statushouders vallen in de eerste maanden vaak uit.</p>"
        "<p>Werkgevers weten niet wie ze kunnen bellen.</p>"
    )
    assert "<script>" not in practice.approach
    assert "&lt;script&gt;" in practice.approach and "<br>" in practice.approach
    assert [(link.title, link.url) for link in practice.links.all()] == [
        ("Evaluatierapport", "https://example.org/evaluatie.pdf"),
        ("example.org/jobcoach", "https://example.org/jobcoach"),
    ]
    (attachment,) = [item.document for item in practice.documents.all()]
    assert attachment.collection.name == "Inzendingen kennisbank"
    assert attachment.uploaded_by_user == submitter and attachment.file_size == len(MINIMAL_PDF)
    assert practice.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert practice.current_workflow_state.requested_by == submitter

    page = client.get(response["Location"])
    assert "has been sent for review" in " ".join(messages_of(page))
    assert "Status: In review" in text(page)
    assert "Publish" not in [
        b.strip() for b in re.findall(r"<button[^>]*>([^<]*)<", page.content.decode())
    ]

    # The coordinator hears of it and asks for changes; a comment is required.
    (submitted,) = happenings(review.SUBMITTED, practice)
    assert submitted.audience == [coordinator.pk]
    assert fanned_out_to(submitted) == {coordinator.pk}
    log_in(client, coordinator)
    review_page = client.get(detail_url(practice))
    assert review_page.status_code == 200
    assert review_page.context["can_publish"] and review_page.context["can_request_changes"]
    empty = client.post(detail_url(practice), {"action": "reject", "comment": "  "})
    assert empty.status_code == 400
    assert "Say what should change" in text(empty)
    assert practice.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    client.post(
        detail_url(practice),
        {"action": "reject", "comment": "Noem ook hoeveel uur de jobcoach per week inzet."},
    )
    assert practice.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES

    # The submitter hears of it, with the comment, and sees it on the overview.
    (changes,) = happenings(review.CHANGES_REQUESTED, practice)
    assert "hoeveel uur de jobcoach" in changes.title
    assert fanned_out_to(changes) == {submitter.pk}
    log_in(client, submitter)
    overview = client.get(OVERVIEW_URL)
    assert "Changes requested" in text(overview)
    assert "Noem ook hoeveel uur de jobcoach per week inzet." in text(overview)
    status = client.get(detail_url(practice))
    assert "Coby Coördinator asks for changes" in text(status)

    # The submitter edits (the form starts from the latest revision) and resubmits.
    edit = client.get(f"{detail_url(practice)}bewerken/")
    assert edit.status_code == 200
    initial = edit.context["form"]
    assert initial["problem"].value().startswith("Statushouders vallen in de eerste maanden")
    assert "\n\nWerkgevers weten" in initial["problem"].value()
    assert "Evaluatierapport https://example.org/evaluatie.pdf" in initial["links"].value()
    resubmit = client.post(
        f"{detail_url(practice)}bewerken/",
        form_data(approach="De jobcoach komt acht uur per week op de werkplek."),
    )
    assert resubmit.status_code == 302
    practice.refresh_from_db()
    assert practice.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    latest = practice.get_latest_revision_as_object()
    assert latest.approach == "<p>De jobcoach komt acht uur per week op de werkplek.</p>"
    assert [item.document for item in latest.documents.all()] == [attachment]
    again = happenings(review.SUBMITTED, practice)[-1]
    assert "waits for your review again" in again.title
    assert fanned_out_to(again) == {coordinator.pk}

    # The coordinator publishes; the practice is live and its members hear of it.
    log_in(client, coordinator)
    published = client.post(detail_url(practice), {"action": "approve"}, follow=True)
    assert "is published" in " ".join(messages_of(published))
    practice.refresh_from_db()
    assert practice.live
    assert practice.approach == "<p>De jobcoach komt acht uur per week op de werkplek.</p>"
    (done,) = happenings(review.PUBLISHED, practice)
    assert fanned_out_to(done) == {submitter.pk}
    (news,) = happenings(review.NEW_PRACTICE, practice)
    readers = fanned_out_to(news)
    assert fellow.pk in readers
    assert outsider.pk not in readers and submitter.pk not in readers
    assert coordinator.pk not in readers or coordinator.pk != news.actor_id
    assert client.get(practice.url).status_code == 200
    log_in(client, outsider)
    assert client.get(practice.url).status_code == 403  # members only

    # Wagtail's own workflow emails stayed silent; a republish announces nothing.
    assert mail.outbox == []
    practice.save_revision(user=user(EDITOR)).publish(user=user(EDITOR))
    assert len(happenings(review.NEW_PRACTICE, practice)) == 1
    assert Notification.objects.filter(happening=news, recipient=outsider).count() == 0


def test_an_outsider_never_hears_of_a_members_only_practice_even_when_in_the_audience(index):
    submitter = user(SUBMITTER)
    practice = review.submit(
        submitter,
        index,
        review.Submission(
            fields={
                "title": "Alleen voor leden",
                "summary": "S.",
                "problem": "<p>P.</p>",
                "approach": "<p>A.</p>",
                "members_only": True,
            },
            communities=[community(MEMBERS_ONLY)],
        ),
    )
    review.approve(user(COORDINATOR), practice)
    (news,) = happenings(review.NEW_PRACTICE, PracticePage.objects.get(pk=practice.pk))
    outsider = user(OUTSIDER)
    # Even if someone outside the community slipped into the audience, the kind's
    # permission filter keeps them out at fan-out.
    news.audience = {
        "name": "library.community_members",
        "args": {
            "community_ids": [
                community(MEMBERS_ONLY).pk,
                community("mkb-techniek-en-installatie").pk,
            ]
        },
    }
    news.save()
    readers = fanned_out_to(news)
    assert outsider.pk not in readers
    assert readers  # the members of the members-only community still hear of it


# Who may see and act ---------------------------------------------------------------------


def _submitted(index, communities=(), **fields) -> PracticePage:
    return review.submit(
        user(SUBMITTER),
        index,
        review.Submission(
            fields={
                "title": fields.pop("title", "Werkproef"),
                "summary": "S.",
                "problem": "<p>P.</p>",
                "approach": "<p>A.</p>",
                **fields,
            },
            communities=list(communities),
        ),
    )


def test_only_the_submitter_and_reviewers_see_it_and_only_reviewers_act(index, client):
    practice = _submitted(index, [community(MEMBERS_ONLY)])
    url = detail_url(practice)
    plain_member = new_person((community(MEMBERS_ONLY), Role.MEMBER))
    moderator = new_person((community(MEMBERS_ONLY), Role.MODERATOR))
    other_place = CommunityPage.objects.exclude(pk=community(MEMBERS_ONLY).pk).first()
    other_coordinator = new_person((other_place, Role.COORDINATOR))

    assert log_in(client, None).get(url).status_code == 302  # to the login page
    for person in (user(OUTSIDER), plain_member, moderator, other_coordinator):
        log_in(client, person)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "approve"}).status_code == 404
        assert client.get(f"{url}bewerken/").status_code == 404
    with pytest.raises(PermissionDenied):
        review.approve(other_coordinator, practice)

    # The submitter sees it but may not publish it.
    log_in(client, SUBMITTER)
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "approve"}).status_code == 403

    assert not PracticePage.objects.get(pk=practice.pk).live
    assert practice.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    # A coordinator of another community has nothing awaiting; this one has it.
    assert practice not in review.awaiting_review(other_coordinator, index)
    assert practice in review.awaiting_review(user(COORDINATOR), index)


def test_editors_review_practices_without_a_community(index, client):
    practice = _submitted(index, title="Zonder netwerk")
    (submitted,) = happenings(review.SUBMITTED, practice)
    editors = set(
        User.objects.filter(groups__name__in=["Redacteuren", "Beheerders"]).values_list(
            "pk", flat=True
        )
    )
    assert set(submitted.audience) == editors and user(EDITOR).pk in editors
    assert user(COORDINATOR).pk not in submitted.audience

    log_in(client, COORDINATOR)
    assert client.get(detail_url(practice)).status_code == 404
    log_in(client, EDITOR)
    overview = client.get(OVERVIEW_URL)
    assert "Zonder netwerk" in text(overview)
    client.post(detail_url(practice), {"action": "approve"})
    practice.refresh_from_db()
    assert practice.live
    assert happenings(review.NEW_PRACTICE, practice) == []  # no community, no members to tell


def test_a_coordinator_without_publish_permission_approves_in_the_wagtail_admin(index, client):
    """The same workflow in the admin: the coordinator (with 2FA, as the admin asks) uses
    Wagtail's own workflow action and the practice goes live."""
    practice = _submitted(index, [community(PUBLIC)])
    coordinator = user(COORDINATOR)
    assert not practice.permissions_for_user(coordinator).can_publish()
    enable_totp(coordinator)
    log_in(client, coordinator)
    task_state = practice.current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[practice.pk, "approve", task_state.pk]
    )
    response = client.post(url, {"comment": ""})
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.live
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_APPROVED
    assert len(happenings(review.PUBLISHED, practice)) == 1
    assert mail.outbox == []


def test_publishing_straight_from_the_admin_tells_the_submitter_and_members_once(index):
    practice = _submitted(index, [community(PUBLIC)])
    editor = user(EDITOR)
    practice.get_latest_revision().publish(user=editor)
    practice.refresh_from_db()
    assert practice.live and practice.current_workflow_state is None  # cancelled by publishing
    assert [h.audience for h in happenings(review.PUBLISHED, practice)] == [[user(SUBMITTER).pk]]
    assert len(happenings(review.NEW_PRACTICE, practice)) == 1
    practice.unpublish()
    practice.save_revision(user=editor).publish(user=editor)
    assert len(happenings(review.NEW_PRACTICE, practice)) == 1


def test_a_published_practice_is_no_longer_edited_here(index, client):
    practice = _submitted(index, [community(PUBLIC)])
    review.approve(user(COORDINATOR), practice)
    log_in(client, SUBMITTER)
    response = client.get(f"{detail_url(practice)}bewerken/", follow=True)
    assert "editors keep it up to date" in " ".join(messages_of(response))
    before = PracticePage.objects.get(pk=practice.pk).latest_revision_id
    client.post(
        f"{detail_url(practice)}bewerken/",
        form_data(communities=[community(PUBLIC).pk], members_only=None),
    )
    assert PracticePage.objects.get(pk=practice.pk).latest_revision_id == before


def test_in_review_the_submitter_waits_for_the_reviewer(index, client):
    practice = _submitted(index, [community(PUBLIC)])
    log_in(client, SUBMITTER)
    response = client.get(f"{detail_url(practice)}bewerken/", follow=True)
    assert "You can edit it again if a reviewer asks for changes" in " ".join(messages_of(response))


def test_removing_an_attachment_deletes_the_unused_file(index, client):
    log_in(client, SUBMITTER)
    propose(client, communities=[community(PUBLIC).pk], members_only=None)
    practice = PracticePage.objects.get(title="Jobcoach op de werkvloer")
    (old,) = [item.document for item in practice.documents.all()]
    review.request_changes(user(COORDINATOR), practice, "Een beter plan graag.")
    client.post(
        f"{detail_url(practice)}bewerken/",
        {
            **form_data(communities=[community(PUBLIC).pk], members_only=None),
            "remove_documents": [old.pk],
            "attachments": [upload("nieuw-plan.docx", ooxml())],
        },
    )
    practice.refresh_from_db()
    assert [item.document.title for item in practice.documents.all()] == ["nieuw-plan"]
    assert not Document.objects.filter(pk=old.pk).exists()


# The form ----------------------------------------------------------------------------------


def test_login_required(index, client):
    for url in (SUBMIT_URL, OVERVIEW_URL):
        response = log_in(client, None).get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/account/login/?next={url}"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("script.exe", b"MZ\x90\x00binary", "“script.exe” is not a file type we accept"),
        ("pagina.html", b"<html></html>", "“pagina.html” is not a file type we accept"),
        (
            "rapport.pdf",
            b"Dit is gewoon tekst, geen PDF.\n",
            "“rapport.pdf” is not really a .pdf file",
        ),
        ("verslag.docx", MINIMAL_PDF, "“verslag.docx” is not really a .docx file"),
        ("begroting.xlsx", ooxml("word/"), "“begroting.xlsx” is not really a .xlsx file"),
        (
            "notulen.odt",
            odf("application/vnd.oasis.opendocument.spreadsheet"),
            "“notulen.odt” is not really a .odt file",
        ),
        (
            "cijfers.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "“cijfers.csv” is not really a .csv file",
        ),
        ("leeg.txt", b"", "“leeg.txt” is empty"),
    ],
)
def test_a_bad_upload_is_refused_by_name_and_the_form_keeps_what_was_typed(
    index, client, name, data, message
):
    log_in(client, SUBMITTER)
    documents_before = Document.objects.count()
    response = propose(client, attachments=[upload("goed.pdf", MINIMAL_PDF), upload(name, data)])
    assert response.status_code == 400
    assert message in text(response)
    html = response.content.decode()
    assert 'value="Jobcoach op de werkvloer"' in html
    assert "Werkgevers weten niet wie ze kunnen bellen." in html
    assert "Choose the files you want to add again" in html
    assert not PracticePage.objects.filter(title="Jobcoach op de werkvloer").exists()
    assert Document.objects.count() == documents_before


def test_a_file_over_the_limit_is_refused_with_the_limit_stated(index, client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    log_in(client, SUBMITTER)
    response = propose(client, attachments=[upload("groot.pdf", MINIMAL_PDF + b"0" * 2000)])
    assert response.status_code == 400
    assert "“groot.pdf” is too large (2.1 KB). The limit is 1.0 KB per file." in text(response)
    assert 'value="Jobcoach op de werkvloer"' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("aanpak.docx", ooxml("word/")),
        ("begroting.xlsx", ooxml("xl/")),
        ("presentatie.pptx", ooxml("ppt/")),
        ("verslag.odt", odf()),
        ("cijfers.ods", odf("application/vnd.oasis.opendocument.spreadsheet")),
        ("deelnemers.csv", "naam;gemeente\nAmal;Rotterdam\nJoão;Utrecht\n".encode()),
        ("excel.csv", "naam;gemeente\nJoão;Utrecht\n".encode("cp1252")),
        ("leesmij.txt", "Een gewone tekst met é en ë.\r\n".encode()),
    ],
)
def test_good_files_of_each_kind_are_accepted(index, client, name, data):
    log_in(client, SUBMITTER)
    response = propose(client, attachments=[upload(name, data)])
    assert response.status_code == 302, text(response)
    practice = PracticePage.objects.get(title="Jobcoach op de werkvloer")
    (document,) = [item.document for item in practice.documents.all()]
    assert f"{document.title}.{document.file_extension}" == name
    with document.open_file() as stored:
        assert stored.read() == data


def test_members_only_needs_communities_that_keep_content_for_members(index, client):
    log_in(client, SUBMITTER)
    response = propose(client, communities=[community(MEMBERS_ONLY).pk, community(PUBLIC).pk])
    assert response.status_code == 400
    assert "A practice can only be for members when it belongs to communities" in text(response)
    assert not PracticePage.objects.filter(title="Jobcoach op de werkvloer").exists()
    response = propose(client, communities=[])
    assert response.status_code == 400
    assert propose(client, communities=[community(PUBLIC).pk], members_only=None).status_code == 302


def test_only_communities_of_active_membership_can_be_chosen(index, client):
    elsewhere = community("intensieve-begeleiding")  # the klantmanager is not a member
    log_in(client, SUBMITTER)
    response = propose(client, communities=[elsewhere.pk], members_only=None)
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    with pytest.raises(PermissionDenied):
        review.submit(
            user(SUBMITTER),
            index,
            review.Submission(
                fields={
                    "title": "X",
                    "summary": "S",
                    "problem": "<p>P</p>",
                    "approach": "<p>A</p>",
                },
                communities=[elsewhere],
            ),
        )


def test_a_person_without_communities_sends_it_to_the_editors(index, client):
    person = new_person()
    log_in(client, person)
    form = client.get(SUBMIT_URL)
    assert "the editors of the knowledge library review your practice" in text(form)
    response = propose(client, communities=None, members_only=None)
    assert response.status_code == 302
    practice = PracticePage.objects.get(title="Jobcoach op de werkvloer")
    assert practice.owner == person and not practice.communities.exists()


def test_bad_links_are_named_by_line(index, client):
    log_in(client, SUBMITTER)
    response = propose(client, links="https://example.org/goed\nHet rapport staat online")
    assert response.status_code == 400
    assert "Line 2 has no web address starting with https://" in text(response)


def test_two_submissions_with_the_same_title_get_their_own_address(index):
    first = _submitted(index, [community(PUBLIC)], title="Dezelfde titel")
    second = _submitted(index, [community(PUBLIC)], title="Dezelfde titel")
    assert first.slug != second.slug


# Pages -------------------------------------------------------------------------------------


def test_overview_lists_my_submissions_with_status_and_a_budget_of_queries(index, client):
    log_in(client, SUBMITTER)
    _submitted(index, [community(PUBLIC)], title="Eerste")
    client.get(OVERVIEW_URL)  # warm caches (site root, content types)
    with CaptureQueriesContext(connection) as one:
        response = client.get(OVERVIEW_URL)
    assert "Eerste" in text(response) and "In review" in text(response)
    for title in ("Tweede", "Derde", "Vierde"):
        practice = _submitted(index, [community(PUBLIC)], title=title)
    review.request_changes(user(COORDINATOR), practice, "Graag meer cijfers.")
    with CaptureQueriesContext(connection) as four:
        response = client.get(OVERVIEW_URL)
    assert "Graag meer cijfers." in text(response)
    assert len(four) == len(one)


def test_a_second_decision_on_a_decided_practice_is_refused_kindly(index, client):
    practice = _submitted(index, [community(PUBLIC)])
    log_in(client, COORDINATOR)
    client.post(detail_url(practice), {"action": "approve"})
    response = client.post(
        detail_url(practice), {"action": "reject", "comment": "Toch nog iets."}, follow=True
    )
    assert "no longer waiting for review" in " ".join(messages_of(response))
    practice.refresh_from_db()
    assert practice.live
    assert happenings(review.CHANGES_REQUESTED, practice) == []
