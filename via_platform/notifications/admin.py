"""Observability: recent happenings and their fan-out, failed deliveries with retry."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from via_platform.notifications import services
from via_platform.notifications.models import Delivery, Happening


@admin.register(Happening)
class HappeningAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "title",
        "fanout_state",
        "recipient_count",
        "fanout_attempts",
    ]
    list_filter = ["fanout_state", "kind"]
    search_fields = ["title", "kind"]
    readonly_fields = [f.name for f in Happening._meta.fields if f.name != "id"]
    exclude = ["audience"]
    date_hierarchy = "created_at"

    @admin.action(description=_("Fan out again (adds nothing twice)"))
    def fan_out_again(self, request, queryset):
        for pk in queryset.values_list("pk", flat=True):
            services.queue_fan_out(pk)

    actions = ["fan_out_again"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "happening",
        "frequency",
        "state",
        "attempts",
        "sent_at",
    ]
    list_filter = ["state", "frequency", "channel"]
    list_select_related = ["recipient", "happening"]
    readonly_fields = [f.name for f in Delivery._meta.fields if f.name != "id"]
    actions = ["retry"]

    @admin.action(description=_("Retry failed deliveries"))
    def retry(self, request, queryset):
        count = services.retry_failed(queryset)
        self.message_user(
            request, _("%(count)s deliveries queued again.") % {"count": count}, messages.SUCCESS
        )
