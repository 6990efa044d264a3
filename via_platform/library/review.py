"""Member submissions and their review: submit, edit and resubmit, publish or ask for
changes, and the notifications that go with each step.

A submission is a draft PracticePage under /kennisbank/, owned by the person who sent
it, that runs through the kennisbank's Wagtail workflow (workflow.py). Every step goes
through Wagtail's own workflow API, so the Wagtail admin and the front-end review page
see and change the same state. The notifications hang on Wagtail's workflow signals, so
they also go out when an editor acts in the admin; Wagtail's own workflow emails are
switched off for practices (`silence_wagtail_workflow_emails`), so nobody hears twice.

Status of a submission (`submission_state`):
- draft: not live and no workflow running (e.g. an editor cancelled it);
- in review: the review task is in progress;
- changes requested: a reviewer rejected it with a comment; the submitter edits and
  resubmits, which resumes the same workflow;
- published: live.
"""

from __future__ import annotations

import codecs
import html
import os
import re
import zipfile
from dataclasses import dataclass, field

import filetype
import nh3
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.coreutils import find_available_slug
from wagtail.documents import get_document_model
from wagtail.models import Collection, TaskState, WorkflowState

from via_platform.accounts.roles import BEHEERDERS, REDACTEUREN
from via_platform.communities.models import CommunityPage, Membership, MembershipState, Role
from via_platform.library import permissions
from via_platform.library.models import (
    LibraryIndexPage,
    PracticeDocument,
    PracticeLink,
    PracticePage,
    PracticeReviewTask,
    members_only_error,
)
from via_platform.library.workflow import ensure_review_workflow
from via_platform.notifications.models import Happening
from via_platform.notifications.services import notify

# Notification kinds and the audience (registered in apps.py).
SUBMITTED = "library.practice_submitted"
CHANGES_REQUESTED = "library.changes_requested"
PUBLISHED = "library.practice_published"
NEW_PRACTICE = "library.new_practice"
COMMUNITY_MEMBERS_AUDIENCE = "library.community_members"

COLLECTION_NAME = "Inzendingen kennisbank"
MAX_FILES = 10
MAX_LINKS = 10


class Status(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    IN_REVIEW = "in_review", gettext_lazy("In review")
    CHANGES_REQUESTED = "changes_requested", gettext_lazy("Changes requested")
    PUBLISHED = "published", gettext_lazy("Published")


# Text from members ---------------------------------------------------------------------


def text_to_rich_text(text: str) -> str:
    """Plain text from a textarea as rich text: blank lines separate paragraphs, a single
    line break stays a line break. Everything is escaped, then sanitised once more."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [p.strip() for p in re.split(r"\n[ \t]*\n", text) if p.strip()]
    markup = "".join(
        "<p>" + "<br/>".join(html.escape(line.strip()) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )
    return nh3.clean(markup, tags={"p", "br"}, attributes={})


def rich_text_to_text(markup: str) -> str:
    """The reverse, for editing: paragraphs, headings and list items become lines of
    plain text (formatting an editor added in the admin is not kept)."""
    markup = markup or ""
    markup = re.sub(r"<br\s*/?>", "\n", markup, flags=re.I)
    markup = re.sub(r"<li[^>]*>", "- ", markup, flags=re.I)
    markup = re.sub(r"</li>", "\n", markup, flags=re.I)
    markup = re.sub(r"</(p|h[1-6]|ul|ol|blockquote)>", "\n\n", markup, flags=re.I)
    text = html.unescape(nh3.clean(markup, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# Uploads ---------------------------------------------------------------------------------

OOXML_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ODF_MIMETYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt (Office 97-2003)
TEXT_EXTENSIONS = {"txt", "csv"}
# An office file is a zip archive: one that unpacks to more than this (a zip bomb) or
# holds absurdly many parts is refused, judged from its directory without unpacking.
ARCHIVE_MAX_UNPACKED = 200 * 1024 * 1024
ARCHIVE_MAX_MEMBERS = 10_000
HEAD_BYTES = 8192


def _head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def _open_zip(upload) -> zipfile.ZipFile | None:
    upload.seek(0)
    try:
        return zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _is_ooxml(upload, extension: str) -> bool:
    archive = _open_zip(upload)
    if archive is None:
        return False
    with archive:
        names = archive.namelist()
    folder = OOXML_FOLDERS[extension]
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def _is_odf(upload, extension: str) -> bool:
    archive = _open_zip(upload)
    if archive is None:
        return False
    with archive:
        try:
            info = archive.getinfo("mimetype")
        except KeyError:
            return False
        if info.file_size > 100:
            return False
        return archive.read(info).strip() == ODF_MIMETYPES[extension].encode()


def _unpacks_too_far(upload) -> bool:
    archive = _open_zip(upload)
    if archive is None:
        return False
    with archive:
        members = archive.infolist()
    upload.seek(0)
    return (
        len(members) > ARCHIVE_MAX_MEMBERS
        or sum(m.file_size for m in members) > ARCHIVE_MAX_UNPACKED
    )


def _is_text(head: bytes) -> bool:
    """UTF-8 (or UTF-16 with its byte-order mark, or Windows-1252 as Excel writes CSV)
    without control characters other than tabs, line and page breaks."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = codecs.getincrementaldecoder("utf-16")().decode(head, final=False)
        except UnicodeDecodeError:
            return False
    else:
        if b"\x00" in head:
            return False
        try:
            text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
        except UnicodeDecodeError:
            try:
                text = head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return not any(ord(c) < 32 and c not in "\t\n\r\f" or ord(c) == 127 for c in text)


def content_matches_extension(upload, extension: str) -> bool:
    """Does the content look like what its name says? The name alone proves nothing."""
    head = _head(upload)
    if not head:
        return False
    sniffed = filetype.guess(head)
    if extension in TEXT_EXTENSIONS:
        return sniffed is None and _is_text(head)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in OOXML_FOLDERS:
        return _is_ooxml(upload, extension)
    if extension in ODF_MIMETYPES:
        return _is_odf(upload, extension)
    if extension in {"doc", "xls", "ppt"}:
        return head.startswith(OLE_SIGNATURE)
    return sniffed is not None and sniffed.extension == extension


def allowed_extensions() -> list[str]:
    return [e.lower().lstrip(".") for e in settings.WAGTAILDOCS_EXTENSIONS]


def max_upload_size() -> int | None:
    return getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None)


def check_upload(upload) -> None:
    """Size, extension and sniffed content; each refusal names the file and says why."""
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    allowed = allowed_extensions()
    if extension not in allowed:
        raise ValidationError(
            _("“%(name)s” is not a file type we accept. Choose a file ending in: %(extensions)s.")
            % {"name": name, "extensions": ", ".join(f".{e}" for e in allowed)},
            code="extension",
        )
    limit = max_upload_size()
    if limit and upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s). The limit is %(limit)s per file.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if not upload.size:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if not content_matches_extension(upload, extension):
        raise ValidationError(
            _(
                "“%(name)s” is not really a .%(extension)s file: its content does not match "
                "its name. Save it again in that format, or choose another file."
            )
            % {"name": name, "extension": extension},
            code="content",
        )
    if (extension in OOXML_FOLDERS or extension in ODF_MIMETYPES) and _unpacks_too_far(upload):
        raise ValidationError(
            _("“%(name)s” unpacks to more than %(limit)s. We cannot accept it.")
            % {"name": name, "limit": filesizeformat(ARCHIVE_MAX_UNPACKED)},
            code="archive_too_large",
        )


def submissions_collection() -> Collection:
    """The Wagtail collection that holds submitted documents (created when missing)."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=COLLECTION_NAME).first()
    return existing or root.add_child(name=COLLECTION_NAME)


def _store_documents(user, uploads) -> list:
    if not uploads:
        return []
    Document = get_document_model()
    collection = submissions_collection()
    documents = []
    for upload in uploads:
        check_upload(upload)  # the form did so too; a service never trusts its caller
        upload.seek(0)
        name = os.path.basename(upload.name)
        document = Document(
            title=os.path.splitext(name)[0][:255] or name,
            collection=collection,
            uploaded_by_user=user,
        )
        document.file.save(name, upload, save=False)
        document.file_size = upload.size
        document._set_file_hash()
        document.save()
        documents.append(document)
    return documents


# Submitting and editing ------------------------------------------------------------------


@dataclass
class Submission:
    """What a person proposes: plain values, rich text already sanitised."""

    fields: dict  # title, summary, problem, approach, results, evidence_level, theme, …
    target_groups: list = field(default_factory=list)
    communities: list = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    files: list = field(default_factory=list)


EDITABLE_FIELDS = (
    "title",
    "summary",
    "problem",
    "approach",
    "results",
    "evidence_level",
    "theme",
    "region",
    "organisation",
    "contact_name",
    "contact_email",
    "duration",
    "cost",
    "members_only",
)


def member_communities(user):
    """The communities a person may attach a practice to: where they are an active member."""
    if user is None or not user.is_authenticated:
        return CommunityPage.objects.none()
    return CommunityPage.objects.filter(
        memberships__user=user, memberships__state=MembershipState.ACTIVE
    ).order_by("title")


def _check_submission(user, submission: Submission, current_communities=()) -> None:
    allowed = set(member_communities(user).values_list("pk", flat=True))
    allowed |= {c.pk for c in current_communities}  # a reviewer may have added one
    if any(c.pk not in allowed for c in submission.communities):
        raise PermissionDenied(_("You can only choose communities you are a member of."))
    error = members_only_error(submission.fields.get("members_only"), submission.communities)
    if error:
        raise ValidationError({"members_only": error})
    if len(submission.files) > MAX_FILES or len(submission.links) > MAX_LINKS:
        raise ValidationError(_("Too many files or links."))
    unknown = set(submission.fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")


def _apply(page: PracticePage, submission: Submission) -> None:
    for name, value in submission.fields.items():
        setattr(page, name, value)
    page.target_groups = list(submission.target_groups)
    page.communities = list(submission.communities)
    page.links = [PracticeLink(title=title, url=url) for title, url in submission.links]


@transaction.atomic
def submit(user, index: LibraryIndexPage, submission: Submission) -> PracticePage:
    """A new draft practice, owned by the person, sent into the review workflow."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    _check_submission(user, submission)
    page = PracticePage(owner=user, live=False, has_unpublished_changes=True)
    _apply(page, submission)
    page.slug = find_available_slug(index, slugify(page.title)[:200] or "praktijk")
    page.documents = [
        PracticeDocument(document=d) for d in _store_documents(user, submission.files)
    ]
    index.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    ensure_review_workflow(index)
    workflow = page.get_workflow()
    if workflow is None:  # an editor switched the workflow off: editors see it in the admin
        return page
    workflow.start(page, user)
    return page


def can_edit(user, practice: PracticePage) -> bool:
    """The submitter edits a draft or a practice with changes requested. While it is in
    review the review task locks it (as in the Wagtail admin); once it is published,
    editors change it in the admin."""
    if not permissions.is_submitter(user, practice) or practice.live:
        return False
    state = submission_state(practice)
    if state.status == Status.IN_REVIEW:
        task_state = state.task_state
        return task_state is not None and not task_state.task.specific.locked_for_user(
            practice, user
        )
    return state.status in (Status.DRAFT, Status.CHANGES_REQUESTED)


@transaction.atomic
def update(user, practice: PracticePage, submission: Submission, remove_documents=()) -> None:
    """Save the submitter's changes as a new revision and send it back for review: a
    workflow waiting for changes resumes, a draft starts the workflow again."""
    practice = PracticePage.objects.select_for_update().get(pk=practice.pk)
    if not can_edit(user, practice):
        raise PermissionDenied
    _check_submission(user, submission, current_communities=list(practice.communities.all()))
    _apply(practice, submission)
    remove_ids = {d.pk for d in remove_documents}
    kept = [d for d in practice.documents.all() if d.document_id not in remove_ids]
    new = [PracticeDocument(document=d) for d in _store_documents(user, submission.files)]
    practice.documents = [*kept, *new]
    practice.save()  # a draft's row follows its latest revision, as in the admin
    practice.save_revision(user=user, log_action=True)
    _delete_unused_submission_documents(remove_ids)
    workflow_state = practice.current_workflow_state
    if workflow_state is not None and workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        workflow_state.resume(user)
    elif workflow_state is None:
        workflow = practice.get_workflow()
        if workflow is not None:
            workflow.start(practice, user)


def _delete_unused_submission_documents(document_ids) -> None:
    """A removed attachment that nothing uses any more is deleted, so it cannot be
    downloaded by anyone who learns its address."""
    if not document_ids:
        return
    from wagtail.models import ReferenceIndex

    Document = get_document_model()
    for document in Document.objects.filter(
        pk__in=document_ids, collection__name=COLLECTION_NAME
    ).exclude(practice_links__isnull=False):
        if not ReferenceIndex.get_references_to(document).exists():  # e.g. an editor's page
            document.delete()


# Status ----------------------------------------------------------------------------------


@dataclass
class SubmissionState:
    status: str
    workflow_state: WorkflowState | None = None
    task_state: TaskState | None = None  # the review in progress
    comment: str = ""  # the reviewer's comment when changes were requested


def submission_state(practice: PracticePage) -> SubmissionState:
    if practice.live:
        return SubmissionState(Status.PUBLISHED)
    workflow_state = practice.current_workflow_state
    if workflow_state is None:
        return SubmissionState(Status.DRAFT)
    if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        rejected = workflow_state.current_task_state
        return SubmissionState(
            Status.CHANGES_REQUESTED,
            workflow_state=workflow_state,
            comment=rejected.comment if rejected else "",
        )
    task_state = workflow_state.current_task_state
    return SubmissionState(
        Status.IN_REVIEW,
        workflow_state=workflow_state,
        task_state=task_state.specific if task_state else None,
    )


def with_workflow_states(practices):
    """Prefetch what submission_state needs, for a list of practices in one query.
    (Wagtail's prefetch_workflow_states picks the base-type relation for a queryset of
    a page type's own manager, which finds nothing for PracticePage.)"""
    return practices.prefetch_related(
        models.Prefetch(
            "_specific_workflow_states",
            queryset=WorkflowState.objects.active().select_related("current_task_state__task"),
            to_attr="_current_workflow_states",
        )
    )


def review_actions(user, practice: PracticePage) -> list[str]:
    """The actions ("approve", "reject") this person may take now."""
    task_state = practice.current_workflow_task_state
    if task_state is None:
        return []
    actions = task_state.task.specific.get_actions(practice, user)
    return sorted({name for name, _label, _needs_comment in actions})


def awaiting_review(user, index: LibraryIndexPage | None = None):
    """The practices in review that this person may act on, oldest first."""
    states = TaskState.objects.none()
    for task in PracticeReviewTask.objects.filter(active=True):
        states = states | task.get_task_states_user_can_moderate(user)
    ids = [int(pk) for pk in states.values_list("workflow_state__object_id", flat=True)]
    practices = PracticePage.objects.filter(pk__in=ids)
    if index is not None:
        practices = practices.child_of(index)
    return practices.order_by("latest_revision_created_at", "pk")


def status_url(practice: PracticePage) -> str:
    index = practice.get_parent()
    return f"{index.get_url()}inzendingen/{practice.pk}/"


# Reviewing -------------------------------------------------------------------------------


@transaction.atomic
def review(user, practice: PracticePage, action: str, comment: str = "") -> None:
    """Publish ("approve") or request changes ("reject", with a comment) through the
    review task, exactly as the Wagtail admin's workflow buttons do."""
    comment = (comment or "").strip()
    task_state = practice.current_workflow_task_state
    if task_state is None:
        raise ValidationError(_("This practice is not waiting for review."))
    task_state = TaskState.objects.select_for_update().get(pk=task_state.pk).specific
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise ValidationError(_("Someone else has just reviewed this practice."))
    if action not in review_actions(user, practice):
        raise PermissionDenied
    if action == "reject" and not comment:
        raise ValidationError(_("Say what should change, so the submitter knows what to do."))
    task_state.task.specific.on_action(task_state, user, action, comment=comment)


def approve(user, practice: PracticePage, comment: str = "") -> None:
    review(user, practice, "approve", comment)


def request_changes(user, practice: PracticePage, comment: str) -> None:
    review(user, practice, "reject", comment)


def finish_workflow(workflow_state, user=None) -> None:
    """Publishing at the end of the kennisbank workflow (WAGTAIL_FINISH_WORKFLOW_ACTION,
    via library.workflow_finish). The review task decided who may approve (coordinators
    of the practice's communities, editors); coordinators have no Wagtail publish
    permission on /kennisbank/, so the publish skips that check for them."""
    from wagtail.workflows import publish_workflow_state

    obj = workflow_state.content_object
    practice = getattr(obj, "specific", obj)
    if (
        isinstance(practice, PracticePage)
        and user is not None
        and permissions.can_review(user, practice)
    ):
        practice.get_latest_revision().publish(user=user, skip_permission_checks=True)
        return
    publish_workflow_state(workflow_state, user=user)


# Notifications ---------------------------------------------------------------------------


def editors():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[BEHEERDERS, REDACTEUREN])
        .distinct()
    )


def reviewer_ids(practice: PracticePage) -> list[int]:
    """Coordinators of the practice's communities; the editors when it has no community
    (or none of its communities has a coordinator)."""
    coordinators = set(
        Membership.objects.filter(
            community__in=practice.communities.all(),
            state=MembershipState.ACTIVE,
            role=Role.COORDINATOR,
        ).values_list("user_id", flat=True)
    )
    return sorted(coordinators or set(editors().values_list("pk", flat=True)))


def community_members(community_ids: list[int], exclude_user_id: int | None = None):
    """The audience of "new practice": active members of any of these communities, once."""
    users = get_user_model().objects.filter(
        community_memberships__community_id__in=community_ids,
        community_memberships__state=MembershipState.ACTIVE,
    )
    if exclude_user_id:
        users = users.exclude(pk=exclude_user_id)
    return users.distinct()


def may_read_practice(users, practice: PracticePage):
    """At fan-out: of these people, those who may read the practice (one query)."""
    if practice is None or not practice.live:
        return users.none()
    if not practice.members_only:
        return users
    return users.filter(
        models.Q(
            community_memberships__community__in=practice.communities.all(),
            community_memberships__state=MembershipState.ACTIVE,
        )
        | models.Q(is_superuser=True)
    ).distinct()


def _practice_of(workflow_state) -> PracticePage | None:
    if workflow_state is None:
        return None
    model = workflow_state.content_type.model_class()
    if model is None or not issubclass(model, PracticePage):
        return None
    return PracticePage.objects.filter(pk=workflow_state.object_id).first()


def _submitter_id(workflow_state, practice: PracticePage) -> int | None:
    return workflow_state.requested_by_id or practice.owner_id


def on_task_submitted(sender, instance=None, user=None, **kwargs) -> None:
    """Reviewers hear of a submission, and of a resubmission after changes."""
    task_state = instance
    if task_state is None or not isinstance(task_state.task.specific, PracticeReviewTask):
        return
    workflow_state = task_state.workflow_state
    practice = _practice_of(workflow_state)
    if practice is None:
        return
    again = workflow_state.task_states.filter(status=TaskState.STATUS_REJECTED).exists()
    title = (
        _("“%(title)s” was changed and waits for your review again")
        if again
        else _("New practice to review: “%(title)s”")
    ) % {"title": practice.draft_title or practice.title}
    notify(
        SUBMITTED,
        target=practice,
        title=title,
        url=status_url(practice),
        audience=reviewer_ids(practice),
        actor=user,
    )


def on_workflow_rejected(sender, instance=None, user=None, **kwargs) -> None:
    """The submitter hears that changes are asked, with the reviewer's comment."""
    practice = _practice_of(instance)
    if practice is None:
        return
    task_state = instance.current_task_state
    comment = task_state.comment if task_state else ""
    title = _("Changes requested for “%(title)s”") % {
        "title": practice.draft_title or practice.title
    }
    if comment:
        title = f"{title}: {Truncator(' '.join(comment.split())).chars(160)}"
    notify(
        CHANGES_REQUESTED,
        target=practice,
        title=title,
        url=status_url(practice),
        audience=[_submitter_id(instance, practice)],
        actor=user,
    )


def _notify_published(workflow_state, practice: PracticePage, actor) -> None:
    notify(
        PUBLISHED,
        target=practice,
        title=_("Your practice “%(title)s” is published") % {"title": practice.title},
        url=practice.get_url() or status_url(practice),
        audience=[_submitter_id(workflow_state, practice)],
        actor=actor,
    )


def on_workflow_approved(sender, instance=None, user=None, **kwargs) -> None:
    """The submitter hears that the practice is published."""
    practice = _practice_of(instance)
    if practice is None or not practice.live:
        return
    _notify_published(instance, practice, user)


def on_page_published(sender, instance=None, revision=None, **kwargs) -> None:
    """The first time a practice goes live (through review or straight from the admin),
    the members of its communities hear of it; a republish says nothing."""
    if not isinstance(instance, PracticePage) or not instance.live:
        return
    if instance.first_published_at != instance.last_published_at:
        return  # published before
    practice = PracticePage.objects.get(pk=instance.pk)
    content_type = ContentType.objects.get_for_model(PracticePage)
    if Happening.objects.filter(
        kind=NEW_PRACTICE, target_type=content_type, target_id=str(practice.pk)
    ).exists():
        return
    # Published in the admin while still in review: the workflow is about to be
    # cancelled, so workflow_approved will not tell the submitter.
    active = practice.workflow_states.active().first()
    if active is not None and active.requested_by_id:
        _notify_published(active, practice, None)
    community_ids = sorted(practice.communities.values_list("pk", flat=True))
    if community_ids:
        notify(
            NEW_PRACTICE,
            target=practice,
            title=_("New practice: %(title)s") % {"title": practice.title},
            url=practice.get_url() or "",
            audience=(
                COMMUNITY_MEMBERS_AUDIENCE,
                {"community_ids": community_ids, "exclude_user_id": practice.owner_id},
            ),
        )


# Wagtail's own workflow emails ------------------------------------------------------------

# The dispatch uids under which wagtail.admin connects its workflow email notifiers.
WAGTAIL_WORKFLOW_EMAILS = {
    "workflow_submitted": "workflow_state_submitted_email_notification",
    "workflow_rejected": "workflow_state_rejected_email_notification",
    "workflow_approved": "workflow_state_approved_email_notification",
}


def _unless_practice(notifier):
    def handler(sender, instance=None, **kwargs):
        if _practice_of(instance) is not None:
            return None  # our notifications tell the people involved
        return notifier(instance=instance, **kwargs)

    return handler


def silence_wagtail_workflow_emails() -> None:
    """Wagtail mails superusers on every submission and the requester on approval and
    rejection; for practices our notifications do that (once, with preferences and an
    unsubscribe link). Other workflows keep Wagtail's mails.

    Each notifier is replaced under Wagtail's own dispatch uid: disconnected if
    wagtail.admin already connected it, and otherwise Wagtail's later connect() with
    the same uid is ignored (django.dispatch keeps the first receiver per uid)."""
    from wagtail import signals
    from wagtail.admin import signal_handlers

    notifiers = {
        "workflow_submitted": signal_handlers.workflow_submission_email_notifier,
        "workflow_rejected": signal_handlers.workflow_rejection_email_notifier,
        "workflow_approved": signal_handlers.workflow_approval_email_notifier,
    }
    for name, uid in WAGTAIL_WORKFLOW_EMAILS.items():
        signal = getattr(signals, name)
        signal.disconnect(sender=WorkflowState, dispatch_uid=uid)
        signal.connect(
            _unless_practice(notifiers[name]), sender=WorkflowState, dispatch_uid=uid, weak=False
        )


def connect_signals() -> None:
    from wagtail import signals

    signals.task_submitted.connect(
        on_task_submitted, dispatch_uid="library.review.task_submitted", weak=False
    )
    signals.workflow_rejected.connect(
        on_workflow_rejected,
        sender=WorkflowState,
        dispatch_uid="library.review.workflow_rejected",
        weak=False,
    )
    signals.workflow_approved.connect(
        on_workflow_approved,
        sender=WorkflowState,
        dispatch_uid="library.review.workflow_approved",
        weak=False,
    )
    signals.page_published.connect(
        on_page_published,
        sender=PracticePage,
        dispatch_uid="library.review.page_published",
        weak=False,
    )
    silence_wagtail_workflow_emails()


def register() -> None:
    """Called once from LibraryConfig.ready()."""
    from via_platform.notifications.registry import (
        Category,
        Kind,
        register_audience,
        register_kind,
    )

    for key, category, label, reason, can_view, visible_recipients in [
        (
            SUBMITTED,
            Category.MEMBERSHIP,
            gettext_lazy("A practice to review"),
            gettext_lazy("you review practices in the knowledge library"),
            permissions.can_review,
            None,
        ),
        (
            CHANGES_REQUESTED,
            Category.MEMBERSHIP,
            gettext_lazy("Changes requested for my practice"),
            gettext_lazy("you proposed this practice"),
            permissions.can_view,
            None,
        ),
        (
            PUBLISHED,
            Category.MEMBERSHIP,
            gettext_lazy("My practice is published"),
            gettext_lazy("you proposed this practice"),
            permissions.can_view,
            None,
        ),
        (
            NEW_PRACTICE,
            Category.PRACTICES,
            gettext_lazy("New practice in my communities"),
            gettext_lazy("you are a member of a community it belongs to"),
            permissions.can_view,
            may_read_practice,
        ),
    ]:
        register_kind(
            Kind(
                key=key,
                category=category,
                label=label,
                reason=reason,
                can_view=can_view,
                visible_recipients=visible_recipients,
            )
        )
    register_audience(COMMUNITY_MEMBERS_AUDIENCE, community_members)
    connect_signals()
