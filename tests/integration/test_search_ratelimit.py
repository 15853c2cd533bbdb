"""The web search providers' token bucket against the real Redis (pipeline/web/ratelimit.py):
one bucket shared by several clients (threads and another process), refilled by Redis's clock.

Fails loudly when Redis is down: hosted-mode tests never skip silently."""

from __future__ import annotations

import multiprocessing
import threading
import time
import uuid

import redis

from pipeline.web.ratelimit import TokenBucket
from tests.unit.test_ratelimit import live_redis  # noqa: F401 - the fixture that fails when Redis is down


def _name() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def _draw(url: str, name: str, attempts: int, out: multiprocessing.Queue) -> None:
    b = TokenBucket(name, 1, capacity=30, redis_url=url)
    out.put(sum(b.try_take() == 0.0 for _ in range(attempts)))


def test_threads_and_a_process_share_one_bucket_and_never_overdraw(live_redis):
    name = _name()
    taken: list[int] = []
    lock = threading.Lock()

    def draw() -> None:
        b = TokenBucket(name, 1, capacity=30, redis_url=live_redis)  # one client each, as separate workers have
        n = sum(b.try_take() == 0.0 for _ in range(15))
        with lock:
            taken.append(n)

    queue: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()
    proc = multiprocessing.get_context("spawn").Process(target=_draw, args=(live_redis, name, 15, queue))
    proc.start()
    threads = [threading.Thread(target=draw) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    from_process = queue.get(timeout=60)
    proc.join(timeout=60)
    assert proc.exitcode == 0
    # 75 attempts at a 30-token bucket refilled at one token a minute: 30 taken (31 if a minute passed)
    assert sum(taken) + from_process == 30


def test_refill_by_redis_clock_and_wait_answer(live_redis):
    name = _name()
    a = TokenBucket(name, 600, capacity=2, redis_url=live_redis)  # ten tokens a second
    b = TokenBucket(name, 600, capacity=2, redis_url=live_redis)
    assert [a.try_take(), b.try_take()] == [0.0, 0.0]
    wait = a.try_take()
    assert 0 < wait <= 0.1
    time.sleep(0.15)
    assert b.try_take() == 0.0
    assert b.acquire(max_wait=1.0) is True  # waits about 0.1 s for the next token
    ttl = redis.Redis.from_url(live_redis).pttl(f"jobapp:searchbucket:{name}")
    assert 0 < ttl <= 1200, "an idle bucket's key expires by itself (a full bucket is the same as no key)"


def test_acquire_gives_up_when_the_wait_is_longer_than_allowed(live_redis):
    b = TokenBucket(_name(), 1, capacity=1, redis_url=live_redis)  # the next token in a minute
    assert b.acquire(max_wait=0) is True
    started = time.monotonic()
    assert b.acquire(max_wait=2.0) is False
    assert time.monotonic() - started < 0.5  # no pointless sleep when the wait cannot fit
