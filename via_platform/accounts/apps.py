from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "via_platform.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from via_platform.accounts import audit, privacy, roles, services

        audit.connect()

        privacy.register_exporter("account", services.export_account)
        privacy.register_anonymiser("account", services.anonymise_account)
        post_migrate.connect(roles.ensure_site_roles, sender=self)

        from allauth.account.signals import email_confirmed

        from via_platform.notifications.registry import Category, Kind, register_kind

        register_kind(
            Kind(
                key=services.WELCOME_KIND,
                category=Category.MEMBERSHIP,
                label=_("Welcome"),
                reason=_("you just joined VIA Leernetwerken"),
            )
        )
        email_confirmed.connect(services.welcome_on_first_confirmation)
