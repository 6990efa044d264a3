"""Settings of the Celery worker that `python -m bench.faults` starts.

The platform's benchmark settings (bench/settings.py, i.e. the production settings)
plus the notification tunables from the environment, so a fault scenario can run the
retry and sweep policy on a short clock. The web processes and the scenario driver keep
the production values, which is what the retry-schedule check reads.
"""

import os

from bench.settings import *  # noqa: F403

NOTIFICATIONS_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFICATIONS_RETRY_BASE_SECONDS", "30"))
NOTIFICATIONS_STALE_MINUTES = float(os.environ.get("NOTIFICATIONS_STALE_MINUTES", "5"))
NOTIFICATIONS_EMAIL_BATCH = int(os.environ.get("NOTIFICATIONS_EMAIL_BATCH", "200"))
