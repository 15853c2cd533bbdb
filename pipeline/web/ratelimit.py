"""A token bucket per web search provider, shared by every run in every process.

A bucket holds at most `capacity` tokens and gains `rate_per_minute / 60` a second; a search
takes one. Hosted (REDIS_URL set) the bucket lives in Redis and one Lua script refills and
takes atomically (Redis's own clock), so workers on several machines cannot overdraw it;
embedded it lives in this process behind a lock. If Redis stops answering the bucket falls
back to this process's own bucket (slowed down still, never unlimited) with one warning.

`acquire(max_wait)` takes a token, waiting for one when the bucket is empty as long as that
wait fits in `max_wait` seconds; False when it does not (the caller skips the search).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

# KEYS[1]: the bucket (a hash of tokens and the time they were counted, ms);
# ARGV: capacity, tokens per ms. Returns 0 when a token was taken, else the ms until one is there.
_TAKE = """
local now_t = redis.call('TIME')
local now = tonumber(now_t[1]) * 1000 + math.floor(tonumber(now_t[2]) / 1000)
local capacity = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
end
if now > ts then
  tokens = math.min(capacity, tokens + (now - ts) * per_ms)
  ts = now
end
local ttl = math.ceil(capacity / per_ms) + 1000
if tokens >= 1 then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'ts', tostring(ts))
  redis.call('PEXPIRE', KEYS[1], ttl)
  return 0
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(ts))
redis.call('PEXPIRE', KEYS[1], ttl)
local wait = math.ceil((1 - tokens) / per_ms)
if wait < 1 then wait = 1 end
return wait
"""


class TokenBucket:
    """`rate_per_minute` tokens a minute, at most `capacity` (default: one minute's worth) at once."""

    def __init__(
        self,
        name: str,
        rate_per_minute: float,
        *,
        capacity: float | None = None,
        redis_url: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate_per_minute <= 0:
            raise ValueError("a token bucket needs a rate above 0")
        self.name = name
        self.rate = rate_per_minute / 60.0  # tokens a second
        self.capacity = float(capacity if capacity is not None else rate_per_minute)
        if self.capacity < 1:
            raise ValueError("a token bucket needs room for at least one token")
        self.redis_url = redis_url
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._tokens = self.capacity
        self._stamp = clock()
        self._client: Any = None
        self._script: Any = None
        self._warned = False

    @property
    def key(self) -> str:
        return f"jobapp:searchbucket:{self.name}"

    def try_take(self) -> float:
        """Take a token: 0.0 when taken, else the seconds until one will be there (nothing taken)."""
        if self.redis_url:
            try:
                return self._take_redis()
            except Exception as exc:  # noqa: BLE001 - redis.RedisError, OSError: degrade to this process, never unlimited
                if not self._warned:
                    log.warning(
                        "search rate limit %s: Redis unavailable (%s); limiting in this process only", self.name, type(exc).__name__
                    )
                    self._warned = True
        return self._take_memory()

    def acquire(self, max_wait: float) -> bool:
        """Take a token, waiting up to `max_wait` seconds in all for one; False (nothing taken) when it would take longer."""
        deadline = self._clock() + max(0.0, max_wait)
        while True:
            wait = self.try_take()
            if wait <= 0:
                return True
            if self._clock() + wait > deadline:
                return False
            self._sleep(wait)

    # ------------------------------------------------------------ backends

    def _take_memory(self) -> float:
        with self._lock:
            now = self._clock()
            if now > self._stamp:
                self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
            if self._tokens >= 1:
                self._tokens -= 1
                return 0.0
            return (1 - self._tokens) / self.rate

    def _take_redis(self) -> float:
        if self._client is None:
            import redis

            self._client = redis.Redis.from_url(self.redis_url, socket_connect_timeout=0.5, socket_timeout=0.5)
            self._script = self._client.register_script(_TAKE)
        wait_ms = int(self._script(keys=[self.key], args=[repr(self.capacity), repr(self.rate / 1000.0)]))
        return 0.0 if wait_ms <= 0 else wait_ms / 1000.0


_BUCKETS: dict[tuple[str, float, str], TokenBucket] = {}
_BUCKETS_LOCK = threading.Lock()


def bucket_for(provider: str) -> TokenBucket:
    """The process's bucket for `provider` at the configured rate (Redis-backed when REDIS_URL is set)."""
    from pipeline.settings import settings

    rate = float(settings.search_rate_per_minute)
    url = settings.redis_url or ""
    with _BUCKETS_LOCK:
        key = (provider, rate, url)
        if key not in _BUCKETS:
            _BUCKETS[key] = TokenBucket(provider, rate, redis_url=url or None)
        return _BUCKETS[key]


def clear_buckets() -> None:
    with _BUCKETS_LOCK:
        _BUCKETS.clear()
