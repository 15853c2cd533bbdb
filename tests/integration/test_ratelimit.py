"""test_ratelimit: the cases that start processes or talk to a service (the rest: tests/unit/test_ratelimit.py)."""

from __future__ import annotations

import threading
import time
import uuid

import redis

from pipeline.accounts.ratelimit import RateLimiter
from tests.unit.test_ratelimit import live_redis  # noqa: F401 - shared helpers and fixtures


def test_redis_shared_between_limiters(live_redis):
    name = f"test-{uuid.uuid4().hex[:8]}"
    a = RateLimiter(name, limit=3, window_seconds=30, redis_url=live_redis)
    b = RateLimiter(name, limit=3, window_seconds=30, redis_url=live_redis)  # another process, same Redis
    assert [a.hit("k"), b.hit("k"), a.hit("k")] == [None, None, None]
    wait = b.hit("k")
    assert wait is not None and 29 < wait <= 30
    assert a.hit("other") is None
    assert redis.Redis.from_url(live_redis).pttl(f"jobapp:ratelimit:{name}:k") > 0, "keys expire by themselves"
    a.reset("k")
    assert b.hit("k") is None


def test_redis_window_slides(live_redis):
    rl = RateLimiter(f"test-{uuid.uuid4().hex[:8]}", limit=2, window_seconds=0.4, redis_url=live_redis)
    assert rl.hit("k") is None and rl.hit("k") is None
    wait = rl.hit("k")
    assert wait is not None and 0 < wait <= 0.4
    deadline = time.monotonic() + 3
    while rl.hit("k") is not None:  # a refused hit is not recorded, so polling does not extend the window
        assert time.monotonic() < deadline, "the window never slid"
        time.sleep(0.02)


def test_redis_concurrent_hits_never_exceed_limit(live_redis):
    name = f"test-{uuid.uuid4().hex[:8]}"
    allowed = []

    def worker():
        rl = RateLimiter(name, limit=25, window_seconds=30, redis_url=live_redis)
        for _ in range(10):
            if rl.hit("k") is None:
                allowed.append(1)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(allowed) == 25
