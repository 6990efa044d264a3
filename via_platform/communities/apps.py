from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "via_platform.communities"
    label = "communities"
    verbose_name = _("Communities")

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed

        from via_platform.accounts import privacy
        from via_platform.accounts.services import register_mfa_requirement
        from via_platform.communities import permissions, services
        from via_platform.notifications.registry import (
            Category,
            Kind,
            register_audience,
            register_kind,
            register_membership_check,
        )

        def about_community(user, community) -> bool:
            return permissions.can_see(user, community)

        def about_message(user, message) -> bool:
            return permissions.can_read_message(user, message)

        for key, label, reason, can_view in [
            (
                services.REQUESTED,
                _("Membership request"),
                _("you coordinate this community"),
                about_community,
            ),
            (services.DECIDED, _("Membership decision"), _("you asked to join"), lambda u, c: True),
            (services.INVITED, _("Invitation"), _("a coordinator invited you"), lambda u, c: True),
            (
                services.REMOVED,
                _("Removed from a community"),
                _("you were a member of this community"),
                lambda u, c: True,
            ),
            (
                services.ROLE_CHANGED,
                _("Role changed"),
                _("you are a member of this community"),
                about_community,
            ),
            (
                services.MESSAGE,
                _("Message from the coordinator"),
                _("you are a member of this community"),
                about_message,
            ),
        ]:
            register_kind(
                Kind(
                    key=key,
                    category=Category.MEMBERSHIP,
                    label=label,
                    reason=reason,
                    can_view=can_view,
                )
            )
        register_audience(services.COORDINATORS_AUDIENCE, services.coordinators_of)
        register_audience(services.MEMBERS_AUDIENCE, services.members_of)
        register_membership_check(services.users_who_joined)
        register_mfa_requirement(services.is_coordinator_anywhere)
        privacy.register_exporter("communities", services.export_memberships)
        privacy.register_anonymiser("communities", services.forget_memberships)
        email_confirmed.connect(services.on_email_confirmed)

        from cms.visibility import register_page_filter

        register_page_filter(permissions.findable_page_filter)
