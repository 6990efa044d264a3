from django.contrib import admin

from via_platform.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "approved", "created_at"]
    list_filter = ["approved", "kind"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["proposed_by"]
    readonly_fields = ["created_at"]
