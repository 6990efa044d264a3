"""The notification engine with its real parts: broker, Celery worker, SMTP server."""

from __future__ import annotations

import email
import os
import signal
import smtplib
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


# Killed while sending -----------------------------------------------------------------
# A subprocess sends one delivery to the real SMTP server and SIGKILLs itself at a chosen
# moment; the test then lets the sweep's retry run and counts what the server accepted.
KILLED_SENDER = """
import os, signal, smtplib, sys
import django
django.setup()
from django.core.mail.backends.smtp import EmailBackend
from via_platform.notifications import services

moment, delivery_id = sys.argv[1], int(sys.argv[2])
send = EmailBackend._send

def half_the_message_then_killed(self, msg):
    self.putcmd("data")
    self.getreply()
    self.send(msg[: len(msg) // 2])
    os.kill(os.getpid(), signal.SIGKILL)

def accepted_then_killed(self, message):
    send(self, message)  # the server replied 250; "sent" is not committed yet
    os.kill(os.getpid(), signal.SIGKILL)

if moment == "mid_message":
    smtplib.SMTP.data = half_the_message_then_killed
else:
    EmailBackend._send = accepted_then_killed
services.send_delivery(delivery_id)
"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("moment", "accepted_after_kill", "accepted_in_all"),
    # Cut off mid-message: the server discards it, the retry sends it once.
    # Killed after the server's "250" but before the commit: nothing is lost, and the
    # retry sends a copy with the same Message-ID (SMTP cannot tell the sender that it
    # already has the message; send_delivery keeps this moment as short as it can).
    [("mid_message", 0, 1), ("accepted_before_commit", 1, 2)],
)
def test_an_email_whose_sender_is_killed_is_never_lost(
    smtp, settings, moment, accepted_after_kill, accepted_in_all
):
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT, _database_url_for_subprocess

    inbox, email_url = smtp()
    (person,) = make_people(1)
    services.fan_out(record([person]).pk)
    delivery = Delivery.objects.get()

    killed = subprocess.run(
        [sys.executable, "-c", KILLED_SENDER, moment, str(delivery.pk)],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": _database_url_for_subprocess(),
            "EMAIL_URL": email_url,
        },
        capture_output=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
    time.sleep(1)  # the server has read everything the dead sender's socket held
    delivery.refresh_from_db()
    assert delivery.state == "pending"
    assert len(inbox.accepted) == accepted_after_kill

    # The sweeper's retry (here in this process, to the same server).
    host, port = email_url.removeprefix("smtp://").split(":")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = host, int(port)
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    assert services.send_delivery(delivery.pk) == "sent"
    assert services.send_delivery(delivery.pk) == "gone"
    assert len(inbox.accepted) == accepted_in_all
    message_ids = {
        email.message_from_bytes(envelope.content)["Message-ID"] for envelope in inbox.accepted
    }
    assert len(message_ids) == 1, message_ids
    assert inbox.accepted[0].rcpt_tos == [User.objects.get(pk=person).email]


@pytest.mark.django_db
def test_a_server_that_refuses_the_message_gets_it_again_later(smtp, settings):
    inbox, email_url = smtp(refusals=1)
    host, port = email_url.removeprefix("smtp://").split(":")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = host, int(port)
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    people = make_people(2)
    services.fan_out(record(people[:1]).pk)
    delivery = Delivery.objects.get()

    # The server answers 451 to the end of the message: pending, one attempt counted.
    assert services.send_delivery(delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.sent_at) == (1, None)
    assert "451" in delivery.last_error
    assert services.send_delivery(delivery.pk) == "sent"
    assert len(inbox.accepted) == 1

    # A digest refused at its end is as if it never ran: the items wait for the next one.
    from via_platform.notifications.models import DigestRun
    from via_platform.notifications.registry import Category, Frequency

    reader = User.objects.get(pk=people[1])
    services.set_preference(reader, Category.REPLIES, Frequency.DAILY)
    services.fan_out(record([reader.pk], title="Vraag voor de samenvatting").pk)
    inbox.refusals += 1
    today = timezone.localdate()
    with pytest.raises(smtplib.SMTPDataError):
        services.send_digest(reader.pk, Frequency.DAILY, today)
    assert not DigestRun.objects.exists()
    assert Delivery.objects.get(recipient=reader).state == "pending"
    assert services.send_digest(reader.pk, Frequency.DAILY, today) == 1
    assert len(inbox.accepted) == 2
    assert Delivery.objects.get(recipient=reader).state == "sent"
