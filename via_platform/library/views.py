"""The kennisbank pages readers see: a practice with its documents and "Wij passen dit
toe", the menukaart for employers and curated collections.

Who may read what is asked of permissions.py (and communities.permissions for the
communities a practice belongs to); marking a practice goes through services.py.
Every list of practices on these pages shows only those the person may read.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from via_platform.communities import permissions as community_permissions
from via_platform.library import discussion, permissions, services
from via_platform.library.models import (
    CollectionPage,
    MenukaartPage,
    Phase,
    PracticePage,
)

# What a reader calls the file, by extension (WAGTAILDOCS_EXTENSIONS and a few more).
FILE_TYPES = {
    "pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "xls": "Excel",
    "xlsx": "Excel",
    "ppt": "PowerPoint",
    "pptx": "PowerPoint",
    "odt": _("OpenDocument text"),
    "ods": _("OpenDocument spreadsheet"),
    "odp": _("OpenDocument presentation"),
    "csv": "CSV",
    "txt": _("Text file"),
}


def file_type(document) -> str:
    extension = document.file_extension.lower()
    return str(FILE_TYPES.get(extension, extension.upper()))


def file_size(document) -> int | None:
    """The size Wagtail recorded at upload, else the file's size on disk (never a write)."""
    if document.file_size is not None:
        return document.file_size
    try:
        return document.file.size
    except (OSError, ValueError):
        return None


def _is_preview(request) -> bool:
    """Wagtail's preview: the admin has already checked that the person may edit it."""
    return bool(getattr(request, "is_preview", False))


def _visible_practice_ids(user, practices) -> set[int]:
    ids = {p.pk for p in practices if p.pk is not None}
    if not ids:
        return set()
    return set(
        permissions.visible_to(user, PracticePage.objects.filter(pk__in=ids)).values_list(
            "pk", flat=True
        )
    )


# A practice ----------------------------------------------------------------------------


def practice_detail(request, practice: PracticePage):
    user = request.user
    preview = _is_preview(request)
    if practice.pk is not None:  # a preview of a new practice is not saved yet
        prefetch_related_objects([practice], "communities", "target_groups")
    communities = [c for c in practice.communities.all() if community_permissions.can_see(user, c)]
    if not preview and not permissions.can_view(user, practice):
        if practice.live and practice.members_only and communities:
            return TemplateResponse(
                request,
                "library/members_only.html",
                {"page": practice, "communities": communities},
                status=403,
            )
        raise Http404

    documents = [
        {
            "title": item.document.title,
            "description": item.description,
            "url": item.document.url,
            "type": file_type(item.document),
            "size": file_size(item.document),
        }
        for item in practice.documents.select_related("document")
    ]
    related = [item.practice for item in practice.related.select_related("practice")]
    visible = _visible_practice_ids(user, related)
    related = [p for p in related if p.pk in visible]

    organisation = practice.organisation
    # "Wij passen dit toe" is for published practices, not for drafts and previews.
    can_apply_here = practice.live and practice.pk is not None and not preview
    can_mark = permissions.can_mark_applied(user)
    applies = can_apply_here and can_mark and services.applies(user, practice)
    return TemplateResponse(
        request,
        "library/practice_page.html",
        {
            "page": practice,
            "self": practice,
            "target_groups": list(practice.target_groups.all()),
            "organisation": organisation,
            "organisation_has_page": bool(organisation is not None and organisation.approved),
            "documents": documents,
            "links": list(practice.links.all()),
            "related": related,
            "communities": communities,
            "application_count": services.application_count(practice) if can_apply_here else 0,
            "can_mark": can_mark,
            "applies": applies,
            "my_organisation": user.profile.organisation if applies else None,
            "can_apply_here": can_apply_here,
            "discussion": None if preview else discussion.context(user, practice),
        },
    )


def toggle_application(request, practice: PracticePage):
    """ "Wij passen dit toe": POST action=mark (the default) or action=unmark."""
    user = request.user
    if not permissions.can_view(user, practice) or not practice.live:
        raise Http404  # before the method check, so a hidden practice stays hidden
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    url = practice.get_url(request)
    if not user.is_authenticated:
        return redirect_to_login(url)
    if not permissions.can_mark_applied(user):
        raise PermissionDenied(
            gettext("Add your organisation to your profile to mark that it applies a practice.")
        )
    organisation = user.profile.organisation
    if request.POST.get("action") == "unmark":
        services.unmark_applied(user, practice)
        messages.success(
            request,
            gettext("%(organisation)s no longer counts as applying this practice.")
            % {"organisation": organisation.name},
        )
    else:
        services.mark_applied(user, practice)
        messages.success(
            request,
            gettext("Thank you: %(organisation)s now counts as applying this practice.")
            % {"organisation": organisation.name},
        )
    return redirect(url)


# The menukaart and collections ---------------------------------------------------------


def menukaart(request, page: MenukaartPage):
    interventions = list(page.interventions.all())
    prefetch_related_objects([i for i in interventions if i.pk is not None], "practices")
    visible = _visible_practice_ids(
        request.user, [p for i in interventions for p in i.practices.all()]
    )
    phases = []
    for phase in Phase:
        items = [
            {
                "intervention": intervention,
                "practices": [p for p in intervention.practices.all() if p.pk in visible],
            }
            for intervention in interventions
            if intervention.phase == phase
        ]
        if items:
            phases.append({"phase": phase, "label": phase.label, "interventions": items})
    return TemplateResponse(
        request,
        "library/menukaart_page.html",
        {"page": page, "self": page, "phases": phases},
    )


def collection(request, page: CollectionPage):
    items = list(page.items.select_related("practice"))
    visible = _visible_practice_ids(request.user, [item.practice for item in items])
    return TemplateResponse(
        request,
        "library/collection_page.html",
        {
            "page": page,
            "self": page,
            "items": [item for item in items if item.practice.pk in visible],
        },
    )
