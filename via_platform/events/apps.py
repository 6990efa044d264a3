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
        _register_registration_kinds()


def _register_registration_kinds() -> None:
    """Notification kinds of services.py, and the publish hook that keeps dates in step."""
    from wagtail.signals import page_published

    from via_platform.events import ical, services
    from via_platform.events.models import EventPage
    from via_platform.notifications.registry import Category, Kind, register_kind

    for key, label, reason, invitation in [
        (
            services.REGISTERED,
            _("Registration confirmed"),
            _("you registered for this event"),
            True,
        ),
        (services.WAITLISTED, _("On the waitlist"), _("you registered for this event"), False),
        (services.PROMOTED, _("A place came free"), _("you were on the waitlist"), True),
        (services.CHANGED, _("Event changed"), _("you registered for this event"), True),
        (services.CANCELLED, _("Event cancelled"), _("you registered for this event"), True),
        (
            services.REGISTRATION_CANCELLED,
            _("Registration cancelled"),
            _("you registered for this event"),
            True,
        ),
    ]:
        register_kind(
            Kind(
                key=key,
                category=Category.EVENTS,
                label=label,
                reason=reason,
                can_view=services.about_registration,
                attachments=ical.invitation_attachments if invitation else None,
            )
        )
    register_kind(
        Kind(
            key=services.REMINDER,
            category=Category.EVENTS,
            label=_("Event reminder"),
            reason=_("you registered for this event"),
            can_view=services.registered_for_occurrence,
            visible_recipients=services.registered_people,
            attachments=services.reminder_attachments,
        )
    )
    page_published.connect(
        services.on_event_published, sender=EventPage, dispatch_uid="events.sync_occurrences"
    )
