from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "via_platform.library"
    label = "library"
    verbose_name = _("Knowledge library")

    def ready(self) -> None:
        from cms.visibility import register_page_filter
        from via_platform.accounts import privacy
        from via_platform.library import (
            community_section,
            discussion,
            permissions,
            review,
            services,
        )

        register_page_filter(permissions.findable_page_filter)
        privacy.register_exporter("library_applications", services.export_applications)
        privacy.register_anonymiser("library_applications", services.forget_applications)
        community_section.register()
        # Submissions and review: notification kinds and workflow signals.
        review.register()
        # The discussion under each practice (forums.hosts).
        discussion.register()
