"""A Redis cache that behaves as no cache while Redis cannot be reached.

Django's RedisCache raises when Redis is down, and Wagtail asks the cache on every page
(the site root paths), so a stopped Redis would turn every page into a server error.
Nothing the platform keeps in the cache is needed to answer a request: pages, the
search index's average title length and the page cache's generation are all recomputed
when missing. So while Redis is unreachable this backend answers as Django's DummyCache
does (nothing found, nothing kept, `add` succeeds, `incr` finds no key) and logs a
warning at most every few seconds; when Redis is back it is used again at once.

CACHES["default"]["BACKEND"] = "via_platform.cache.DegradingRedisCache" (settings.py).
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("via.cache")

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
WARN_EVERY = 10.0  # seconds between two warnings about the same outage
_last_warning = 0.0


def _unreachable(operation: str, exc: Exception) -> None:
    global _last_warning  # noqa: PLW0603 - one timestamp per process
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY:
        _last_warning = now
        logger.warning("event=cache_unavailable operation=%s error=%s", operation, exc)


def _degrading(name: str, fallback):
    """RedisCache's `name`, answering as `fallback` does while Redis is unreachable."""

    def method(self, *args, **kwargs):
        try:
            return getattr(RedisCache, name)(self, *args, **kwargs)
        except UNREACHABLE as exc:
            _unreachable(name, exc)
            return fallback(*args, **kwargs)

    method.__name__ = name
    return method


def _answer(value):
    return lambda *args, **kwargs: value


def _not_found(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (the cache is unreachable)")


class DegradingRedisCache(RedisCache):
    get = _degrading("get", lambda key, default=None, version=None: default)
    get_many = _degrading("get_many", _answer({}))
    has_key = _degrading("has_key", _answer(False))
    set = _degrading("set", _answer(None))
    # As DummyCache: there was nothing to keep it from being added.
    add = _degrading("add", _answer(True))
    set_many = _degrading("set_many", _answer([]))
    touch = _degrading("touch", _answer(False))
    delete = _degrading("delete", _answer(False))
    delete_many = _degrading("delete_many", _answer(None))
    incr = _degrading("incr", _not_found)
    clear = _degrading("clear", _answer(False))
