"""Thin Celery wrappers over services (load ids, call a service, done)."""

from __future__ import annotations

from datetime import date, datetime

from celery import shared_task
from django.utils import timezone

from via_platform.notifications import services
from via_platform.notifications.registry import Frequency
from workers.base import PlatformTask


@shared_task(base=PlatformTask, name="notifications.fan_out")
def fan_out_task(happening_id: int, reclaim_before: str | None = None) -> int:
    reclaim = datetime.fromisoformat(reclaim_before) if reclaim_before else None
    return services.fan_out(happening_id, reclaim_before=reclaim)


@shared_task(base=PlatformTask, name="notifications.deliver")
def deliver_task(delivery_ids: list[int]) -> dict[str, int]:
    outcome: dict[str, int] = {}
    for delivery_id in delivery_ids:
        state = services.send_delivery(delivery_id)
        outcome[state] = outcome.get(state, 0) + 1
    return outcome


@shared_task(base=PlatformTask, name="notifications.sweep")
def sweep_task() -> dict[str, int]:
    return services.sweep()


@shared_task(base=PlatformTask, name="notifications.queue_digests")
def queue_digests_task() -> int:
    """Hourly: start the digests that are due in each person's own time zone."""
    now = timezone.now()
    due = 0
    for frequency in (Frequency.DAILY, Frequency.WEEKLY):
        for user_id, period in services.due_digests(frequency, now):
            send_digest_task.delay(user_id, frequency, period.isoformat())
            due += 1
    return due


@shared_task(base=PlatformTask, name="notifications.send_digest")
def send_digest_task(user_id: int, frequency: str, period: str) -> int:
    return services.send_digest(user_id, frequency, date.fromisoformat(period))
