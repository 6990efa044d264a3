"""Fixtures shared by every layer: demo content, a real Celery worker, real Chromium."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo_site(db):
    """The demo content exactly as `make run` loads it."""
    call_command("seed_demo", stdout=io.StringIO())


def _database_url_for_subprocess() -> str:
    """The URL of the *test* database, so a worker subprocess sees the test's data."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = db.get("USER") or "postgres"
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


@pytest.fixture
def celery_worker(transactional_db):
    """A real `celery worker` process on the configured broker (filesystem or Redis)."""
    from workers.celery import app

    for key in ("data_folder_in", "processed_folder"):
        folder = (settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}).get(key)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder, exist_ok=True)
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        app.control.purge()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url_for_subprocess(),
    }
    log = open(settings.VAR_DIR / "test-worker.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "workers", "worker",
            "--pool=solo", "--concurrency=1", "--loglevel=info",
            "--queues", settings.CELERY_TASK_DEFAULT_QUEUE, "--without-heartbeat",
            "--without-gossip", "--without-mingle",
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2):
    """Poll until predicate() is truthy; return its value or fail with the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
