"""A practice's documents follow the practice's visibility.

Wagtail serves every document through /documents/<id>/<filename> (settings:
WAGTAILDOCS_SERVE_METHOD = "serve_view"), so this hook sees every download. A document
attached to practices (PracticeDocument) is served only to people who may read at least
one of them (permissions.can_view: members-only practices for the members of their
communities, drafts for their submitter and reviewers), and to the people who manage
the document in the Wagtail admin. Anyone else gets a 404, as if it did not exist.
Documents attached to no practice keep Wagtail's own rules (collection privacy),
except members' uploads that only a draft revision holds.
"""

from __future__ import annotations

from django.http import Http404
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.permissions import policy_registry

from via_platform.library import permissions
from via_platform.library.models import PracticePage
from via_platform.library.review import COLLECTION_NAME as SUBMISSIONS_COLLECTION


def _manages(user, document) -> bool:
    if user is None or not user.is_authenticated:
        return False
    policy = policy_registry.get_by_type(get_document_model())
    return policy.user_has_permission_for_instance(user, "change", document)


def may_download(user, document) -> bool:
    practices = list(
        PracticePage.objects.filter(documents__document=document)
        .distinct()
        .prefetch_related("communities")
    )
    if not practices:
        # A member's upload that no practice row holds (yet) belongs to a draft
        # revision: only its uploader and the people who manage documents get it.
        if document.collection.name == SUBMISSIONS_COLLECTION:
            uploader = document.uploaded_by_user_id
            return bool(user.is_authenticated and uploader == user.pk) or _manages(user, document)
        return True
    if any(permissions.can_view(user, practice) for practice in practices):
        return True
    return _manages(user, document)


@hooks.register("before_serve_document")
def protect_practice_documents(document, request):
    if not may_download(request.user, document):
        raise Http404
