"""Thin Celery wrappers over services (load ids, call a service, done)."""

from __future__ import annotations

from celery import shared_task

from via_platform.events import services
from workers.base import PlatformTask


@shared_task(base=PlatformTask, name="events.send_reminders")
def send_reminders_task() -> int:
    """Every few minutes (beat): the day-before and hour-before reminders that are due."""
    return services.send_reminders()
