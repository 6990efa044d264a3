from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "via_platform.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from cms.visibility import register_page_filter
        from via_platform.events import permissions

        register_page_filter(permissions.findable_page_filter)
