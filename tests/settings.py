"""Test settings: the real settings, with test-only stores kept apart from `make run`.

The shape (SQLite + filesystem broker, or PostgreSQL + Redis) follows DATABASE_URL and
REDIS_URL exactly as in production; only names and folders differ, so a running
development server and the test suite never share a queue, cache or mailbox.
"""

import os
from pathlib import Path

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# the same tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _redis_url_of_this_test_process() -> str:
    """Under pytest-xdist each test process gets a Redis database of its own (the number
    in REDIS_URL plus the process index), so emptying it before each test (cache, rate
    limits and the Celery broker) never touches another process's state. Worker
    subprocesses inherit the already chosen URL."""
    url = os.environ.get("REDIS_URL", "")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not url or not worker or os.environ.get("VIA_TEST_REDIS_URL"):
        return url
    base, _, number = url.rpartition("/")
    database = int(number) + int(worker.removeprefix("gw")) if number.isdecimal() else 16
    if database > 15:  # Redis has databases 0-15; never wrap round to someone else's
        raise RuntimeError(
            f"test process {worker} has no Redis database after {url}: "
            "use a lower number in REDIS_URL or fewer processes (TEST_PROCESSES)"
        )
    os.environ["VIA_TEST_REDIS_URL"] = f"{base}/{database}"
    return os.environ["VIA_TEST_REDIS_URL"]


if os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = _redis_url_of_this_test_process()

from via_platform.settings import *  # noqa: E402, F403
from via_platform.settings import (  # noqa: E402
    CACHES,
    REDIS_URL,
    VAR_DIR,
    filesystem_transport_options,
)

# One run id per test run, inherited by the worker subprocesses it starts, so two runs
# on one machine never share a database file or a cache. Under pytest-xdist each test
# process (gw0, gw1, …) also gets stores of its own: cache keys, Redis database, Celery
# queue, broker folder, mail and media; pytest-django gives each its own test database.
TEST_RUN_ID = os.environ.setdefault("VIA_TEST_RUN_ID", str(os.getpid()))
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
TEST_STORE_ID = f"{TEST_RUN_ID}-{XDIST_WORKER}" if XDIST_WORKER else TEST_RUN_ID
TEST_VAR_DIR = VAR_DIR / "test"
TEST_VAR_DIR.mkdir(parents=True, exist_ok=True)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests change content inside a transaction that never commits, so the page cache would
# never hear of it; tests/unit/test_page_cache.py switches the cache on where it is tested.
PAGE_CACHE_SECONDS = 0

CACHES["default"]["KEY_PREFIX"] = f"via-test-{XDIST_WORKER}" if XDIST_WORKER else "via-test"
if not REDIS_URL:
    CACHES["default"]["LOCATION"] = str(TEST_VAR_DIR / f"cache-{TEST_STORE_ID}")

# VIA_TEST_BROKER_DIR lets a test start a worker on a broker folder of its own.
CELERY_BROKER_DIR = Path(
    os.environ.get("VIA_TEST_BROKER_DIR") or TEST_VAR_DIR / f"celery{XDIST_WORKER}"
)
if CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_transport_options(CELERY_BROKER_DIR)
# A queue of its own, so a worker started by `make run` never takes test messages.
CELERY_TASK_DEFAULT_QUEUE = f"test{XDIST_WORKER}"

if not os.environ.get("EMAIL_URL"):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_FILE_PATH = str(TEST_VAR_DIR / f"mail{XDIST_WORKER}")
MEDIA_ROOT = TEST_VAR_DIR / f"media{XDIST_WORKER}"

MFA_TOTP_TOLERANCE = 1

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_VAR_DIR / f"db-{TEST_RUN_ID}.sqlite3")}  # noqa: F405

INSTALLED_APPS = [*INSTALLED_APPS, "tests.notifying"]  # noqa: F405
NOTIFICATIONS_FANOUT_CHUNK = int(os.environ.get("NOTIFICATIONS_FANOUT_CHUNK", "1000"))
NOTIFICATIONS_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFICATIONS_RETRY_BASE_SECONDS", "30"))

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A test database need not survive a crash: commits (and the flushes between
    # transactional tests) do not wait for the disk.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
