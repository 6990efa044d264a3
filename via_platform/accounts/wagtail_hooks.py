"""The audit log in the Wagtail admin: read-only, for the people with
accounts.view_auditevent (editors and site managers, see roles.py). Also tells the audit
trail who acts in Wagtail's user forms, where staff, superuser and group changes are made."""

from __future__ import annotations

from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from via_platform.accounts import audit
from via_platform.accounts.models import AuditEvent


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only "view" exists, even for superusers: nobody adds, edits or deletes history."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return self.auth_model.objects.none()
        return super().users_with_any_permission(["view"])


register_permission_policy(AuditEvent, ReadOnlyPermissionPolicy(AuditEvent), exact_class=True)


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    icon = "history"
    menu_label = _("Audit log")
    add_to_admin_menu = True
    menu_order = 900
    name = "audit"
    list_display = ["at", "action", "user_id_at_event", "target", "detail"]
    list_filter = {"action": ["exact"], "at": ["date__gte", "date__lte"]}
    search_fields = ["target", "detail"]
    search_backend_name = None
    list_per_page = 100
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = ["at", "action", "user_id_at_event", "target", "detail"]

    def get_urlpatterns(self):
        """The listing and one event's details; no add, edit, delete or copy views."""
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_permissions_to_register(self):
        """Offer only the view permission in Wagtail's group editor."""
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(AuditEvent),
            codename=get_permission_codename("view", AuditEvent._meta),
        )


@hooks.register("register_admin_viewset")
def register_audit_log():
    return AuditEventViewSet()


@hooks.register("before_create_user")
def audit_user_creation(request):
    audit.set_actor(request.user)


@hooks.register("before_edit_user")
def audit_user_edit(request, user):
    audit.set_actor(request.user)
