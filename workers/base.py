"""Base task class: enqueue on commit, retry with exponential backoff."""

from __future__ import annotations

from celery import Task
from django.db import transaction


class PlatformTask(Task):
    """Retries transient failures with exponential backoff and jitter.

    `acks_late` is on for the whole app, so every task built on this class must be safe to
    run twice: load ids, check state under a row lock, then act.
    """

    autoretry_for = (ConnectionError, TimeoutError)
    retry_backoff = True
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 8

    def delay_on_commit(self, *args, **kwargs) -> None:
        """Enqueue only when the surrounding transaction commits (never a ghost task)."""
        transaction.on_commit(lambda: self.apply_async(args=args, kwargs=kwargs))
