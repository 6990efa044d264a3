"""A real Celery worker process takes work from the real broker."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from tests.conftest import wait_for
from workers.filesystem import Transport
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


def test_an_unreadable_message_file_does_not_stop_the_worker(start_worker, tmp_path):
    """The embedded shape's filesystem broker, whatever broker this run uses."""
    from kombu import Connection

    from via_platform.settings import filesystem_transport_options

    options = filesystem_transport_options(tmp_path)
    worker = start_worker(CELERY_BROKER_URL="filesystem://", VIA_TEST_BROKER_DIR=str(tmp_path))
    queue = Path(options["data_folder_in"])
    wait_for(queue.is_dir, timeout=60)
    # What a process killed between creating and writing a message file leaves behind.
    (queue / f"0_{uuid.uuid4()}.{settings.CELERY_TASK_DEFAULT_QUEUE}.msg").write_bytes(b"")
    token = uuid.uuid4().hex
    broker = Connection("filesystem://", transport=Transport, transport_options=options)
    with broker:
        heartbeat.apply_async((token,), connection=broker)
    assert wait_for(lambda: _heartbeat_token() == token, timeout=60)
    assert worker.poll() is None  # still running
    # Messages are written whole: nothing half-written is ever visible in the queue.
    assert all(name.endswith(".msg") for name in os.listdir(queue))
