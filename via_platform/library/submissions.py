"""Members propose practices, follow their submissions, and reviewers act on them.

- /kennisbank/indienen/: propose a practice (login required);
- /kennisbank/inzendingen/: my submissions with their status, and for reviewers the
  practices awaiting their review;
- /kennisbank/inzendingen/<id>/: one submission for its submitter and reviewers (404 for
  anyone else), with "Publish" and "Request changes" for reviewers;
- /kennisbank/inzendingen/<id>/bewerken/: the submitter edits and resubmits.

The rules live in review.py (and permissions.py); these views ask and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from via_platform.library import permissions, review
from via_platform.library.forms import PracticeForm, RequestChangesForm
from via_platform.library.models import LibraryIndexPage, PracticePage
from via_platform.library.views import file_size, file_type


def _urls(index: LibraryIndexPage, request) -> dict:
    base = index.get_url(request)
    return {
        "index_url": base,
        "submit_url": f"{base}indienen/",
        "overview_url": f"{base}inzendingen/",
    }


def _detail_url(index: LibraryIndexPage, request, practice: PracticePage) -> str:
    return f"{index.get_url(request)}inzendingen/{practice.pk}/"


def _submission(request, index: LibraryIndexPage, page_id: int) -> PracticePage:
    """The submission, for its submitter and its reviewers; a 404 for anyone else."""
    practice = PracticePage.objects.child_of(index).filter(pk=page_id).first()
    user = request.user
    if practice is None or not (
        permissions.is_submitter(user, practice) or permissions.can_review(user, practice)
    ):
        raise Http404
    return practice


def _form_response(request, index, form, practice=None):
    return TemplateResponse(
        request,
        "library/submit.html",
        {
            "page": index,
            "form": form,
            "practice": practice,
            "choose_files_again": bool(request.FILES) and form.is_bound and bool(form.errors),
            "action_url": (
                f"{_detail_url(index, request, practice)}bewerken/"
                if practice
                else f"{index.get_url(request)}indienen/"
            ),
            **_urls(index, request),
        },
        status=400 if form.is_bound else 200,
    )


def _service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field_name, errors in exc.error_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def submit(request, index: LibraryIndexPage):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        form = PracticeForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                practice = review.submit(request.user, index, form.submission())
            except ValidationError as exc:
                _service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(
                    "communities", str(exc) or gettext("You cannot choose these communities.")
                )
            else:
                messages.success(
                    request,
                    gettext(
                        "Thank you! “%(title)s” has been sent for review. You will hear when a "
                        "reviewer has looked at it."
                    )
                    % {"title": practice.title},
                )
                return redirect(_detail_url(index, request, practice))
    else:
        form = PracticeForm(user=request.user)
    return _form_response(request, index, form)


def overview(request, index: LibraryIndexPage):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    mine = list(
        review.with_workflow_states(
            PracticePage.objects.child_of(index).filter(owner=user)
        ).order_by("-latest_revision_created_at", "-pk")
    )
    awaiting = list(review.awaiting_review(user, index).select_related("owner"))
    return TemplateResponse(
        request,
        "library/submissions.html",
        {
            "page": index,
            "mine": [
                {
                    "practice": p,
                    "title": p.draft_title or p.title,
                    "state": review.submission_state(p),
                    "url": _detail_url(index, request, p),
                }
                for p in mine
            ],
            "awaiting": [
                {
                    "practice": p,
                    "title": p.draft_title or p.title,
                    "submitter": p.owner,
                    "url": _detail_url(index, request, p),
                }
                for p in awaiting
            ],
            "is_reviewer": bool(awaiting)
            or permissions.is_editor(user)
            or bool(permissions.coordinated_community_ids(user)),
            **_urls(index, request),
        },
    )


def _content(practice: PracticePage) -> dict:
    """What the submitter sent last: the latest revision, with its relations."""
    shown = practice.get_latest_revision_as_object() if practice.latest_revision_id else practice
    documents = []
    for item in shown.documents.all():
        document = item.document
        documents.append(
            {
                "title": document.title,
                "url": document.url,
                "type": file_type(document),
                "size": file_size(document),
                "description": item.description,
            }
        )
    return {
        "shown": shown,
        "documents": documents,
        "links": list(shown.links.all()),
        "target_groups": list(shown.target_groups.all()),
        "communities": list(shown.communities.all()),
    }


def detail(request, index: LibraryIndexPage, page_id: int):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    practice = _submission(request, index, page_id)
    actions = review.review_actions(user, practice)
    changes_form = RequestChangesForm()
    status = 200
    if request.method == "POST":
        if not actions:
            if not permissions.can_review(user, practice):
                raise PermissionDenied
            messages.info(request, gettext("This practice is no longer waiting for review."))
            return redirect(_detail_url(index, request, practice))
        action = request.POST.get("action")
        comment = ""
        if action == "reject":
            changes_form = RequestChangesForm(request.POST)
            comment = changes_form.cleaned_data["comment"] if changes_form.is_valid() else None
        elif action != "approve":
            raise PermissionDenied
        if comment is not None:
            try:
                review.review(user, practice, action, comment)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect(_detail_url(index, request, practice))
            practice.refresh_from_db()
            if action == "approve":
                messages.success(
                    request,
                    gettext("“%(title)s” is published.") % {"title": practice.title},
                )
            else:
                messages.success(
                    request,
                    gettext("The submitter has been asked to make changes and gets your comment."),
                )
            return redirect(_detail_url(index, request, practice))
        status = 400
    state = review.submission_state(practice)
    reviewer_name = ""
    if state.status == review.Status.CHANGES_REQUESTED and state.workflow_state:
        rejected = state.workflow_state.current_task_state
        if rejected is not None and rejected.finished_by is not None:
            reviewer_name = str(rejected.finished_by)
    return TemplateResponse(
        request,
        "library/submission_detail.html",
        {
            "page": index,
            "practice": practice,
            "state": state,
            "Status": review.Status,
            "reviewer_name": reviewer_name,
            "is_submitter": permissions.is_submitter(user, practice),
            "can_edit": review.can_edit(user, practice),
            "can_publish": "approve" in actions,
            "can_request_changes": "reject" in actions,
            "changes_form": changes_form,
            "detail_url": _detail_url(index, request, practice),
            "live_url": practice.get_url(request) if practice.live else "",
            "admin_url": (
                reverse("wagtailadmin_pages:edit", args=[practice.pk])
                if permissions.can_review(user, practice)
                else ""
            ),
            **_content(practice),
            **_urls(index, request),
        },
        status=status,
    )


def edit(request, index: LibraryIndexPage, page_id: int):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    practice = _submission(request, index, page_id)
    if not permissions.is_submitter(user, practice):
        raise PermissionDenied
    if not review.can_edit(user, practice):
        messages.info(
            request,
            gettext("This practice is published; from now on the editors keep it up to date.")
            if practice.live
            else gettext(
                "This practice is in review. You can edit it again if a reviewer asks for changes."
            ),
        )
        return redirect(_detail_url(index, request, practice))
    if request.method == "POST":
        form = PracticeForm(request.POST, request.FILES, user=user, practice=practice)
        if form.is_valid():
            try:
                review.update(user, practice, form.submission(), form.documents_to_remove())
            except ValidationError as exc:
                _service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(
                    "communities", str(exc) or gettext("You cannot choose these communities.")
                )
            else:
                messages.success(
                    request, gettext("Your changes are saved and sent for review again.")
                )
                return redirect(_detail_url(index, request, practice))
    else:
        form = PracticeForm(user=user, practice=practice)
    return _form_response(request, index, form, practice)
