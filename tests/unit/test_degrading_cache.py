"""The Redis cache backend answers as no cache while Redis is unreachable.

With Django's own RedisCache every page was a server error while Redis was down
(Wagtail reads the site root paths from the cache on each request); `python -m
bench.faults` (scenario redis_down) shows the platform serving through an outage.
"""

from __future__ import annotations

import socket

import pytest

from via_platform.cache import DegradingRedisCache


@pytest.fixture
def unreachable():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return DegradingRedisCache(
        f"redis://127.0.0.1:{port}/0",
        {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
    )


def test_an_unreachable_redis_is_an_empty_cache(unreachable):
    assert unreachable.get("key") is None
    assert unreachable.get("key", "fallback") == "fallback"
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.has_key("key") is False
    assert unreachable.set("key", "value", 10) is None
    assert unreachable.set_many({"a": 1}) == []
    assert unreachable.add("key", "value") is True
    assert unreachable.touch("key") is False
    assert unreachable.delete("key") is False
    assert unreachable.delete_many(["a"]) is None
    assert unreachable.get_or_set("key", "computed") == "computed"
    with pytest.raises(ValueError, match="not found"):
        unreachable.incr("key")


def test_other_errors_are_not_hidden(unreachable, monkeypatch):
    def broken(*args, **kwargs):
        raise TypeError("a bug, not an outage")

    monkeypatch.setattr(unreachable._cache, "get", broken)
    with pytest.raises(TypeError):
        unreachable.get("key")
