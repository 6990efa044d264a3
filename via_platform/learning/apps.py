from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "via_platform.learning"
    label = "learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        from wagtail.signals import page_published, page_unpublished

        from cms.visibility import register_page_filter
        from via_platform.accounts import privacy
        from via_platform.events.services import attendance_marked
        from via_platform.learning import community_section, permissions, services
        from via_platform.learning.models import CoursePage, LessonPage, SessionStepPage
        from via_platform.notifications.registry import (
            Category,
            Kind,
            register_kind,
            register_membership_check,
        )

        register_page_filter(permissions.findable_page_filter)
        community_section.register()
        for key, label, reason, can_view in [
            (services.ENROLLED, _("Enrolled in a course"), _("you enrolled in “{title}”"),
             services.about_own_enrolment),
            (services.REMINDER, _("Course reminder"), _("you are enrolled in “{title}”"),
             services.about_own_enrolment),
            (services.COMPLETED, _("Course completed"), _("you completed “{title}”"),
             services.about_own_enrolment),
            (services.CERTIFICATE_READY, _("Certificate ready"), _("you completed “{title}”"),
             services.about_own_certificate),
        ]:  # fmt: skip
            register_kind(Kind(key=key, category=Category.LEARNING, label=label, reason=reason,
                               can_view=can_view))  # fmt: skip
        register_membership_check(services.users_who_enrolled)
        privacy.register_exporter("learning", services.export_learning)
        privacy.register_anonymiser("learning", services.forget_learning)
        attendance_marked.connect(services.on_attendance, dispatch_uid="learning.attendance")
        for model in (CoursePage, LessonPage, SessionStepPage):
            for signal, name in ((page_published, "publish"), (page_unpublished, "unpublish")):
                signal.connect(
                    services.on_page_published, sender=model,
                    dispatch_uid=f"learning.{name}.{model.__name__}",
                )  # fmt: skip
