from django.contrib import admin

from via_platform.communities import services
from via_platform.communities.models import CommunityMessage, Invitation, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "role", "state", "joined_at"]
    list_filter = ["state", "role", "community"]
    search_fields = ["user__email", "user__last_name", "community__title"]
    list_select_related = ["user", "community"]
    raw_id_fields = ["user", "community"]

    def save_model(self, request, obj, form, change):
        """Support staff editing a role here keeps the community's Wagtail group in step."""
        super().save_model(request, obj, form, change)
        services.sync_editor_group(obj.community)

    def delete_model(self, request, obj):
        community = obj.community
        super().delete_model(request, obj)
        services.sync_editor_group(community)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "community", "role", "created_at", "accepted_at"]
    list_filter = ["community"]
    search_fields = ["email"]


@admin.register(CommunityMessage)
class CommunityMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "community", "author", "created_at"]
    list_filter = ["community"]
