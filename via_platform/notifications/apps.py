from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "via_platform.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from via_platform.accounts import privacy
        from via_platform.notifications import services

        privacy.register_exporter("notifications", services.export_for_user)
        privacy.register_anonymiser("notifications", services.forget_user)
