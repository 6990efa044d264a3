"""A real Celery worker process takes work from the real broker."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache
from django.db import transaction

from tests.conftest import wait_for
from workers.tasks import HEARTBEAT_KEY, heartbeat

pytestmark = pytest.mark.integration


def _heartbeat_token():
    value = cache.get(HEARTBEAT_KEY)
    return value and value["token"]


def test_worker_runs_a_task_sent_through_the_broker(celery_worker):
    token = uuid.uuid4().hex
    heartbeat.delay(token)
    assert wait_for(lambda: _heartbeat_token() == token, timeout=60)


def test_task_is_only_enqueued_when_the_transaction_commits(celery_worker):
    rolled_back, committed = uuid.uuid4().hex, uuid.uuid4().hex
    with pytest.raises(RuntimeError), transaction.atomic():
        heartbeat.delay_on_commit(rolled_back)
        raise RuntimeError("the request failed")
    with transaction.atomic():
        heartbeat.delay_on_commit(committed)
    assert wait_for(lambda: _heartbeat_token() == committed, timeout=60)
    # The rolled-back task was never sent: a queue of one, and it was `committed`.
    assert _heartbeat_token() == committed


def test_beat_schedule_is_registered_with_the_database_scheduler(transactional_db):
    from django_celery_beat.schedulers import DatabaseScheduler

    from workers.celery import app

    scheduler = DatabaseScheduler(app=app, lazy=True)
    scheduler.setup_schedule()
    assert "workers-heartbeat" in scheduler.schedule
