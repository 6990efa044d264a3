from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "via_platform.library"
    label = "library"
    verbose_name = _("Knowledge library")

    def ready(self) -> None:
        from cms.visibility import register_page_filter
        from via_platform.library import permissions

        register_page_filter(permissions.findable_page_filter)
