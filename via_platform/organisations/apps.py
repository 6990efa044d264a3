from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "via_platform.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from via_platform.notifications.registry import Category, Kind, register_kind
        from via_platform.organisations.services import APPROVED_KIND

        register_kind(
            Kind(
                key=APPROVED_KIND,
                category=Category.MEMBERSHIP,
                label=_("Organisation approved"),
                reason=_("you proposed “{title}” for the directory"),
            )
        )
