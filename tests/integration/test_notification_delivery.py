"""The notification engine with its real parts: broker, Celery worker, SMTP server."""

from __future__ import annotations

import os
import signal
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction
from django.utils import timezone

from tests.conftest import wait_for
from via_platform.accounts.models import User
from via_platform.notifications import services
from via_platform.notifications.models import Delivery, Happening, Notification
from workers.celery import app as celery_app

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FlakySmtp:
    """A real SMTP server that answers "try again later" to the first `refusals` mails."""

    def __init__(self, refusals: int = 0):
        self.refusals = refusals
        self.accepted = []
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        if self.refused < self.refusals:
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.accepted.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp():
    servers = []

    def start(refusals: int = 0):
        handler = FlakySmtp(refusals)
        controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
        controller.start()
        servers.append(controller)
        return handler, f"smtp://127.0.0.1:{controller.port}"

    yield start
    for controller in servers:
        controller.stop()


def make_people(n: int, prefix: str = "lid") -> list[int]:
    User.objects.bulk_create(
        [User(email=f"{prefix}{i}@voorbeeld.nl", password="!") for i in range(n)], batch_size=500
    )
    return list(User.objects.filter(email__startswith=prefix).values_list("pk", flat=True))


def record(audience, kind="test.reply", title="Nieuwe reactie op je vraag"):
    with transaction.atomic():
        return services.notify(kind, target=None, title=title, url="/meldingen/", audience=audience)


def _reset_producer_pool():
    # Celery keeps a pool of broker connections; drop it so a changed URL takes effect.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_happening_recorded_while_the_broker_is_down_is_delivered_once_it_is_back(
    start_worker, smtp, monkeypatch
):
    inbox, email_url = smtp()
    people = make_people(3)

    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:9/0")  # nothing there
    _reset_producer_pool()
    happening = record(people)
    monkeypatch.undo()
    _reset_producer_pool()
    happening.refresh_from_db()
    assert happening.fanout_state == "pending"  # recorded, but nobody heard of it yet

    start_worker(EMAIL_URL=email_url)
    assert services.sweep(now=timezone.now() + timedelta(minutes=10))["happenings"] == 1
    wait_for(lambda: len(inbox.accepted) == 3, timeout=60)
    happening.refresh_from_db()
    assert happening.fanout_state == "done"

    # The sweeper runs again later: nothing is sent twice.
    services.sweep(now=timezone.now() + timedelta(minutes=20))
    wait_for(lambda: Delivery.objects.filter(state="sent").count() == 3, timeout=30)
    assert sorted(e.rcpt_tos[0] for e in inbox.accepted) == sorted(
        User.objects.filter(pk__in=people).values_list("email", flat=True)
    )


def test_worker_killed_mid_fan_out_leaves_no_duplicates_after_redelivery(start_worker):
    people = make_people(3000, prefix="massa")
    # Small chunks make the fan-out slow enough to kill the worker half way.
    worker = start_worker(NOTIFICATIONS_FANOUT_CHUNK="25")
    happening = record(people, kind="test.reply")
    wait_for(lambda: Notification.objects.filter(happening=happening).count() > 0, timeout=60)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    written = Notification.objects.filter(happening=happening).count()
    assert 0 < written < 3000, written
    assert Happening.objects.get(pk=happening.pk).fanout_state == "pending"

    start_worker()
    services.sweep(now=timezone.now() + timedelta(minutes=10))
    wait_for(lambda: Happening.objects.get(pk=happening.pk).fanout_state == "done", timeout=120)
    assert Notification.objects.filter(happening=happening).count() == 3000
    assert Delivery.objects.filter(happening=happening).count() == 3000
    assert Happening.objects.get(pk=happening.pk).fanout_attempts >= 2


def test_smtp_server_that_refuses_twice_gets_the_mail_once(start_worker, smtp):
    inbox, email_url = smtp(refusals=2)
    person = make_people(1)
    start_worker(EMAIL_URL=email_url, NOTIFICATIONS_RETRY_BASE_SECONDS="1")
    record(person)
    wait_for(lambda: len(inbox.accepted) == 1, timeout=60)
    delivery = Delivery.objects.get()
    wait_for(lambda: Delivery.objects.get().state == "sent", timeout=10)
    delivery.refresh_from_db()
    assert inbox.refused == 2
    assert delivery.attempts == 2
    assert "451" in delivery.last_error
    # Let any stray retry run: still exactly one mail.
    services.sweep(now=timezone.now() + timedelta(minutes=10))
    import time

    time.sleep(3)
    assert len(inbox.accepted) == 1
