"""Thin Celery wrappers over services (load ids, call a service, done)."""

from __future__ import annotations

from celery import shared_task

from via_platform.learning import services
from workers.base import PlatformTask


@shared_task(base=PlatformTask, name="learning.render_certificate")
def render_certificate(certificate_id: int) -> None:
    """Write a new certificate's PDF and tell its owner; a second run does nothing."""
    services.render_certificate(certificate_id)


@shared_task(base=PlatformTask, name="learning.refresh_course")
def refresh_course(course_id: int) -> int:
    """After a course or one of its steps was published: everyone's progress again."""
    return services.refresh_course(course_id)


@shared_task(base=PlatformTask, name="learning.send_reminders")
def send_reminders_task() -> int:
    """Daily (beat): a nudge to learners without progress for two weeks."""
    return services.send_reminders()
