"""Sliding-window rate limits: per API token, per login attempt source.

Hosted (REDIS_URL set) the window lives in Redis, so every backend process
and machine shares one count; embedded it lives in this process's memory.
If Redis stops answering, the limiter falls back to the in-memory window
rather than to no limit at all: a brute-force attempt stays slowed down
while Redis is away.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import deque
from typing import Any

from pipeline.settings import settings

log = logging.getLogger(__name__)

# A sorted set of hit times per key: drop the hits that left the window, count the rest,
# record this hit if under the limit; otherwise answer how long until the oldest one leaves.
# One script, so concurrent callers on several machines cannot both take the last slot.
_SLIDING = """
local now_t = redis.call('TIME')
local now = tonumber(now_t[1]) * 1000 + math.floor(tonumber(now_t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return -1
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local wait = tonumber(oldest[2]) + window - now
if wait < 1 then wait = 1 end
return wait
"""

_MAX_MEMORY_KEYS = 100_000  # beyond this, idle keys are pruned (a flood of distinct keys stays bounded)


class RateLimiter:
    """At most `limit` hits per `key` within any `window_seconds`.

    `hit(key)` records an attempt: None when allowed, else the seconds until
    the next attempt would be allowed (for a Retry-After header)."""

    def __init__(self, name: str, limit: int, window_seconds: float, *, redis_url: str | None = None) -> None:
        if limit < 1 or window_seconds <= 0:
            raise ValueError("a rate limit needs limit >= 1 and window_seconds > 0")
        self.name = name
        self.limit = limit
        self.window_seconds = float(window_seconds)
        self._redis_url = redis_url
        self._client: Any = None
        self._client_url: str | None = None
        self._script: Any = None
        self._lock = threading.Lock()
        self._hits: dict[str, deque[float]] = {}

    # ------------------------------------------------------------ public

    def hit(self, key: str) -> float | None:
        url = self._redis_url or settings.redis_url
        if url:
            try:
                return self._hit_redis(url, key)
            except Exception as exc:  # noqa: BLE001 - redis.RedisError, OSError: degrade, never open up
                log.warning("rate limit %s: Redis unavailable (%s); limiting in this process only", self.name, type(exc).__name__)
        return self._hit_memory(key)

    def reset(self, key: str) -> None:
        """Forget a key's hits (e.g. after a successful login)."""
        with self._lock:
            self._hits.pop(key, None)
        url = self._redis_url or settings.redis_url
        if url:
            try:
                self._redis(url).delete(self._key(key))
            except Exception as exc:  # noqa: BLE001 - as above: a reset that fails only leaves hits to expire
                log.warning("rate limit %s: could not reset in Redis (%s)", self.name, type(exc).__name__)

    # ------------------------------------------------------------ backends

    def _key(self, key: str) -> str:
        return f"jobapp:ratelimit:{self.name}:{key}"

    def _redis(self, url: str) -> Any:
        if self._client is None or self._client_url != url:
            import redis

            self._client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
            self._client_url = url
            self._script = self._client.register_script(_SLIDING)
        return self._client

    def _hit_redis(self, url: str, key: str) -> float | None:
        self._redis(url)
        window_ms = max(1, int(self.window_seconds * 1000))
        wait_ms = int(self._script(keys=[self._key(key)], args=[window_ms, self.limit, uuid.uuid4().hex]))
        return None if wait_ms < 0 else wait_ms / 1000.0

    def _hit_memory(self, key: str) -> float | None:
        now = time.monotonic()
        start = now - self.window_seconds
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                if len(self._hits) >= _MAX_MEMORY_KEYS:
                    self._prune(start)
                hits = self._hits[key] = deque()
            while hits and hits[0] <= start:
                hits.popleft()
            if len(hits) < self.limit:
                hits.append(now)
                return None
            return max(0.001, hits[0] + self.window_seconds - now)

    def _prune(self, start: float) -> None:
        for k in [k for k, h in self._hits.items() if not h or h[-1] <= start]:
            del self._hits[k]
