"""RateLimiter: in memory (embedded) and in the machine's Redis (hosted)."""

from __future__ import annotations

import socket
import threading

import pytest
import redis

from pipeline.accounts import ratelimit
from pipeline.accounts.ratelimit import RateLimiter

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def clock(monkeypatch):
    """A controllable monotonic clock for the in-memory window."""
    now = [1000.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: now[0])
    return now


@pytest.fixture
def live_redis() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {REDIS_URL} is not reachable ({exc}); run `make services`.", pytrace=False)
    return REDIS_URL


def test_memory_allows_limit_then_refuses_with_retry_after(clock, monkeypatch):
    monkeypatch.setattr(ratelimit.settings, "redis_url", None)
    rl = RateLimiter("t", limit=3, window_seconds=10)
    assert [rl.hit("a") for _ in range(3)] == [None, None, None]
    wait = rl.hit("a")
    assert wait == pytest.approx(10.0)
    clock[0] += 4
    assert rl.hit("a") == pytest.approx(6.0)
    assert rl.hit("b") is None, "keys are counted apart"


def test_memory_window_slides(clock, monkeypatch):
    monkeypatch.setattr(ratelimit.settings, "redis_url", None)
    rl = RateLimiter("t", limit=2, window_seconds=10)
    rl.hit("a")
    clock[0] += 6
    rl.hit("a")
    assert rl.hit("a") == pytest.approx(4.0)
    clock[0] += 4.01
    assert rl.hit("a") is None, "the first hit left the window"
    assert rl.hit("a") is not None


def test_memory_reset_forgets(clock, monkeypatch):
    monkeypatch.setattr(ratelimit.settings, "redis_url", None)
    rl = RateLimiter("t", limit=1, window_seconds=60)
    rl.hit("a")
    assert rl.hit("a") is not None
    rl.reset("a")
    assert rl.hit("a") is None


def test_memory_is_thread_safe(monkeypatch):
    monkeypatch.setattr(ratelimit.settings, "redis_url", None)
    rl = RateLimiter("t", limit=50, window_seconds=60)
    allowed = []

    def worker():
        for _ in range(20):
            if rl.hit("k") is None:
                allowed.append(1)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(allowed) == 50


def test_bad_arguments_refused():
    with pytest.raises(ValueError):
        RateLimiter("t", limit=0, window_seconds=1)
    with pytest.raises(ValueError):
        RateLimiter("t", limit=1, window_seconds=0)


def test_unreachable_redis_falls_back_to_memory(caplog, clock):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    rl = RateLimiter("t", limit=2, window_seconds=10, redis_url=f"redis://127.0.0.1:{port}/0")
    assert rl.hit("k") is None and rl.hit("k") is None
    assert rl.hit("k") is not None, "still limited while Redis is away"
    assert "Redis unavailable" in caplog.text
