"""Fixtures shared by every layer: demo content, a real Celery worker, real Chromium."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _test_database_closed_behind_us(django_db_setup, django_db_blocker):
    """PostgreSQL refuses to drop the test database while another session uses it, and a
    session sometimes outlives its test process's last test (seen once per parallel CI
    run, from a thread or subprocess not yet identified). Close such sessions before
    pytest-django drops the database, and write down what they were."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, application_name, client_port, state, backend_start, "
                "left(query, 300) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            leftover = cursor.fetchall()
            for row in leftover:
                cursor.execute("SELECT pg_terminate_backend(%s)", [row[0]])
        if leftover:
            report = f"sessions left on {connection.settings_dict['NAME']}: {leftover!r}\n"
            sys.stderr.write(report)
            with open(settings.VAR_DIR / "test" / "leftover-sessions.log", "a") as log:
                log.write(report)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and locks live in the cache; no test inherits another's."""
    clear_test_cache()


def clear_test_cache() -> None:
    """Empty this test process's cache (on Redis: its whole database, broker included, so
    no message of an earlier test reaches a later test's worker; under pytest-xdist each
    test process has a Redis database of its own, see tests/settings.py)."""
    from django.core.cache import cache

    cache.clear()


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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test that started workers shows the end of their logs."""
    report = yield
    if report.when == "call" and report.failed:
        for path in getattr(item, "worker_logs", []):
            lines = path.read_text(errors="replace").splitlines()[-60:]
            report.sections.append((f"worker log {path.name}", "\n".join(lines)))
    return report


@pytest.fixture
def start_worker(request, transactional_db):
    """Start real `celery worker` processes on the configured broker (filesystem or
    Redis); extra environment variables tune them. All are stopped after the test."""
    from workers.celery import app

    for key in ("data_folder_in", "processed_folder"):
        folder = (settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}).get(key)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder, exist_ok=True)
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        app.control.purge()

    started: list[tuple[subprocess.Popen, object]] = []

    def start(**extra_env: str) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": _database_url_for_subprocess(),
            **extra_env,
        }
        log_path = settings.VAR_DIR / f"test-worker{settings.XDIST_WORKER}-{len(started)}.log"
        log = open(log_path, "w")  # noqa: SIM115
        request.node.worker_logs = [*getattr(request.node, "worker_logs", []), log_path]
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "workers", "worker",
                "--pool=solo", "--concurrency=1", "--loglevel=info",
                "--queues", settings.CELERY_TASK_DEFAULT_QUEUE, "--without-heartbeat",
                "--without-gossip", "--without-mingle",
            ],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


@pytest.fixture
def celery_worker(start_worker):
    """One real worker with default settings."""
    return start_worker()


def run_at_once(work, arguments) -> list:
    """Run work(arg) in one thread per argument, all released together."""
    barrier = threading.Barrier(len(arguments))
    results: list = [None] * len(arguments)
    errors: list = []

    def run(index, argument):
        try:
            barrier.wait(timeout=30)
            results[index] = work(argument)
        except Exception as exc:  # reported below, with the thread's traceback lost
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(arguments)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    return results


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2):
    """Poll until predicate() is truthy; return its value or fail with the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


def enable_totp(user) -> str:
    """Give `user` a TOTP authenticator, as finishing allauth's setup would; return the secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str, periods_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or `periods_ahead` × 30 s later).

    tests/settings.py allows one period of clock drift, so a test can use the next
    period's code when the current one was already used.
    """
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + periods_ahead))


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def bodies_to(self, address: str) -> list[str]:
        """Decoded text bodies of the messages sent to `address`, oldest first."""
        import email
        from email import policy

        bodies = []
        for envelope in self.messages:
            if address in envelope.rcpt_tos:
                message = email.message_from_bytes(envelope.content, policy=policy.default)
                part = message.get_body(preferencelist=("plain", "html"))
                bodies.append(part.get_content())
        return bodies


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback (aiosmtpd) that the platform sends to; yields
    (controller, inbox)."""
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield controller, inbox
    controller.stop()
