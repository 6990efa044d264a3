"""The one Celery app of the platform.

Configuration comes from Django settings prefixed with CELERY_ (see settings.py): the
broker is Redis when REDIS_URL is set and kombu's filesystem transport under var/
otherwise. Domains keep their tasks in their own `tasks.py`, found by autodiscovery;
this package never imports a domain module.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab
from kombu.transport import TRANSPORT_ALIASES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "via_platform.settings")

# filesystem:// means kombu's transport with whole-file writes (see filesystem.py); the
# URL still decides, so a redis:// URL gets Redis whatever was configured before.
TRANSPORT_ALIASES["filesystem"] = "workers.filesystem:Transport"

app = Celery("via")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    # A task is acknowledged after it ran, so a worker that dies mid-task leaves it on
    # the queue for another worker. Tasks must therefore be idempotent (see base.py).
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_serializer="json",
    accept_content=["json"],
    timezone="Europe/Amsterdam",
    enable_utc=True,
    broker_connection_retry_on_startup=True,
    task_ignore_result=True,
    worker_hijack_root_logger=False,
)
app.autodiscover_tasks()

# Periodic work. django-celery-beat's DatabaseScheduler copies these entries into its
# tables, where admins can pause or reschedule them in /django-admin/.
app.conf.beat_schedule = {
    "workers-heartbeat": {"task": "workers.heartbeat", "schedule": 60.0},
    "notifications-sweep": {"task": "notifications.sweep", "schedule": 120.0},
    "notifications-digests": {"task": "notifications.queue_digests", "schedule": crontab(minute=0)},
    "events-reminders": {"task": "events.send_reminders", "schedule": 300.0},
    "learning-reminders": {
        "task": "learning.send_reminders",
        "schedule": crontab(minute=30, hour=9),
    },
}


@app.on_after_finalize.connect
def ensure_broker_folders(sender: Celery, **_kwargs) -> None:
    """The filesystem transport needs its folders before the first message."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)
