"""Infrastructure tasks (no domain logic)."""

from __future__ import annotations

import time

from django.core.cache import cache

from workers.base import PlatformTask
from workers.celery import app

HEARTBEAT_KEY = "workers:heartbeat"


@app.task(base=PlatformTask, name="workers.heartbeat")
def heartbeat(token: str = "") -> str:
    """Record that a worker ran a task; /healthz and the tests read it back."""
    cache.set(HEARTBEAT_KEY, {"at": time.time(), "token": token}, timeout=3600)
    return token
