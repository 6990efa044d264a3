"""Email retries outlast an hour of SMTP outage, and the sweeper does not spend them early.

`python -m bench.faults` (scenario smtp_down) shows the same with a real worker and SMTP
server; these are the two rules it depends on, without either.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from via_platform.accounts.models import User
from via_platform.notifications import services
from via_platform.notifications.models import Delivery

pytestmark = pytest.mark.django_db


def test_the_default_retry_schedule_spans_more_than_an_hour(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 30  # the production default
    attempts = services._setting("MAX_ATTEMPTS", services.MAX_ATTEMPTS)
    waits = [services.retry_delay(n) for n in range(1, attempts)]
    assert waits[:3] == [30, 60, 120]
    assert sum(waits) >= 3600, f"a delivery is given up after {sum(waits) / 60:.0f} min"


def test_the_sweeper_requeues_a_failed_delivery_only_when_its_retry_is_overdue(monkeypatch):
    person = User.objects.create_user(email="lid@voorbeeld.nl", password="x")
    queued: list[int] = []
    monkeypatch.setattr(services, "queue_deliveries", lambda ids, countdown=0: queued.extend(ids))
    happening = services.notify("test.reply", target=None, title="x", url="/", audience=[person.pk])
    services.fan_out(happening.pk)
    delivery = Delivery.objects.get()
    failed_at = timezone.now()
    # The fifth attempt failed: its retry is queued with a countdown of retry_delay(5).
    Delivery.objects.filter(pk=delivery.pk).update(attempts=5, updated_at=failed_at)
    wait = timedelta(seconds=services.retry_delay(5))
    assert wait > services.STALE_AFTER

    # Stale by age alone, but its retry is still to come: left alone.
    assert services.sweep(now=failed_at + services.STALE_AFTER + timedelta(seconds=1)) == {
        "happenings": 0,
        "deliveries": 0,
    }
    assert services.sweep(now=failed_at + wait + timedelta(seconds=1))["deliveries"] == 0
    assert queued == []

    # The retry should have run a stale period ago: its message was lost; queued again.
    overdue = failed_at + wait + services.STALE_AFTER + timedelta(seconds=1)
    assert services.sweep(now=overdue)["deliveries"] == 1
    assert queued == [delivery.pk]


def test_the_sweeper_still_requeues_a_delivery_that_was_never_tried(monkeypatch):
    person = User.objects.create_user(email="lid@voorbeeld.nl", password="x")
    queued: list[int] = []
    monkeypatch.setattr(services, "queue_deliveries", lambda ids, countdown=0: queued.extend(ids))
    happening = services.notify("test.reply", target=None, title="x", url="/", audience=[person.pk])
    services.fan_out(happening.pk)
    delivery = Delivery.objects.get()
    later = delivery.updated_at + services.STALE_AFTER + timedelta(seconds=1)
    assert services.sweep(now=later)["deliveries"] == 1
    assert queued == [delivery.pk]
