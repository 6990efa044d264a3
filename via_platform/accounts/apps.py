from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "via_platform.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from via_platform.accounts import privacy, roles, services

        privacy.register_exporter("account", services.export_account)
        privacy.register_anonymiser("account", services.anonymise_account)
        post_migrate.connect(roles.ensure_site_roles, sender=self)
