"""Event bus over Redis Streams: the hosted twin of `LocalBus`, same interface.

Workers publish run log lines into one capped stream per run; UI processes on
other machines tail them. The database keeps every line, so this bus only has
to be fast and honest: `lines_after` says `covered=False` whenever it cannot
prove it returns every line after the cursor (trimmed, gap, Redis down), and
the caller then reads the store.

Why the shape:
- Entry IDs are `<seq>-1`: reading after a cursor is one XRANGE, a gap shows
  as a missing seq, and a replayed line (retry after an outage) is refused by
  Redis as a duplicate instead of appearing twice.
- `publish` never touches the network: a daemon thread sends lines in
  pipelined batches, so a node's event loop never waits on Redis, and lines
  emitted while Redis is down stay in a bounded local buffer and are replayed
  when it returns.
- A second daemon thread blocks on the notification stream and bumps the
  process's version counter; waiters in any event loop are woken thread-safely
  (no redis.asyncio connection tied to one loop).
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import threading
import time
from collections import deque
from datetime import datetime
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError, ResponseError
from redis.retry import Retry

from pipeline.runs.bus import LocalBus
from pipeline.runs.events import LogLine

log = logging.getLogger(__name__)

STREAM_MAXLEN = 1000  # lines kept per run stream (approximate trimming)
NOTIFY_MAXLEN = 1000
STREAM_TTL_SECONDS = 24 * 3600  # a finished run's stream disappears; the store keeps its lines
ACTIVE_SECONDS = 3600  # `run_ids()` reports runs with a line in the last hour
PENDING_MAX = 20_000  # lines buffered in memory while Redis is unreachable
BATCH = 500
READ_MAX = 5000
BLOCK_MS = 1000
RETRY_SECONDS = 1.0  # after a failed read, callers get the fallback this long without trying


def _client(url: str, *, socket_timeout: float) -> redis.Redis:
    """Short timeouts and one immediate retry (a pooled connection gone stale after a restart)."""
    return redis.Redis.from_url(
        url, decode_responses=True, socket_connect_timeout=0.5, socket_timeout=socket_timeout,
        retry=Retry(NoBackoff(), 1), health_check_interval=15,
    )


def redact_url(url: str) -> str:
    return re.sub(r"//[^@/]*@", "//***@", url)


def encode(line: LogLine) -> dict[str, str]:
    return {
        "seq": str(line.seq), "ts": line.ts.isoformat(), "level": line.level, "step": line.step,
        "message": line.message, "data": json.dumps(line.data, ensure_ascii=False, default=str),
    }


def decode(run_id: int, fields: dict[str, str]) -> LogLine:
    return LogLine(
        run_id=run_id, seq=int(fields["seq"]), ts=datetime.fromisoformat(fields["ts"]), level=fields["level"],
        step=fields["step"], message=fields["message"], data=json.loads(fields.get("data") or "{}"),
    )


class RedisBus:
    """`LocalBus`'s interface over Redis; never raises into callers when Redis is away."""

    def __init__(self, url: str, *, prefix: str = "jobapp", maxlen: int = STREAM_MAXLEN, pending_max: int = PENDING_MAX) -> None:
        self.url = url
        self._prefix = prefix
        self._maxlen = maxlen
        self._pending_max = pending_max
        self._client = _client(url, socket_timeout=1.0)
        self._signal = LocalBus(window=1)  # the version counter and its async waiters, nothing else
        self._pending: deque[tuple[int, LogLine]] = deque()
        self._counter = itertools.count()
        self._touch_pending = False
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._threads: dict[str, threading.Thread] = {}
        self._down = False
        self._down_until = 0.0
        self.dropped = 0  # lines lost from the buffer during a long outage (the store still has them)

    # ------------------------------------------------------------ keys

    def stream_key(self, run_id: int) -> str:
        return f"{self._prefix}:run:{run_id}"

    @property
    def notify_key(self) -> str:
        return f"{self._prefix}:runs"

    @property
    def active_key(self) -> str:
        return f"{self._prefix}:active"

    # ------------------------------------------------------------ the LocalBus interface

    @property
    def version(self) -> int:
        return self._signal.version

    def publish(self, line: LogLine) -> None:
        with self._cond:
            if len(self._pending) >= self._pending_max:
                self._pending.popleft()
                self.dropped += 1
                if self.dropped == 1 or self.dropped % 10_000 == 0:
                    log.warning("Redis event bus: %d buffered log line(s) dropped (the database keeps them)", self.dropped)
            self._pending.append((next(self._counter), line))
            self._cond.notify_all()
        self._ensure_thread("publisher", self._publish_loop)

    def touch(self) -> None:
        """Wake followers here at once, and in other processes via the notification stream."""
        self._signal.touch()
        with self._cond:
            self._touch_pending = True
            self._cond.notify_all()
        self._ensure_thread("publisher", self._publish_loop)

    def run_ids(self) -> set[int]:
        if not self._readable():
            return set()
        try:
            members = self._client.zrangebyscore(self.active_key, time.time() - ACTIVE_SECONDS, "+inf")
        except RedisError as exc:
            self._failed(exc)
            return set()
        self._ok()
        return {int(m) for m in members if m.isdigit()}

    def lines_after(self, run_id: int, seq: int) -> tuple[list[LogLine], bool]:
        """Lines with seq > `seq`, and True only when they are provably all of them."""
        if not self._readable():
            return [], False
        try:
            entries = self._client.xrange(self.stream_key(run_id), min=f"{seq}-0", max="+", count=READ_MAX)
        except RedisError as exc:
            self._failed(exc)
            return [], False
        self._ok()
        if not entries:
            return [], False
        try:
            lines = [decode(run_id, fields) for _, fields in entries]
        except (KeyError, ValueError) as exc:
            log.warning("Redis event bus: unreadable entry in %s (%s); reading the database", self.stream_key(run_id), exc)
            return [], False
        # Covered: the stream starts at the cursor's own line or the one after it, with no gaps.
        expect = lines[0].seq
        if expect not in (seq, seq + 1):
            return [], False
        for line in lines:
            if line.seq != expect:
                return [], False
            expect += 1
        return [ln for ln in lines if ln.seq > seq], True

    async def wait(self, since_version: int, timeout: float) -> int:
        self._ensure_thread("listener", self._listen_loop)
        return await self._signal.wait(since_version, timeout)

    # ------------------------------------------------------------ lifecycle

    def flush(self, timeout: float = 5.0) -> bool:
        """Block until every buffered line reached Redis (tests, worker shutdown); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._pending or self._touch_pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.1))
        return True

    def close(self, flush_timeout: float = 1.0) -> None:
        self.flush(flush_timeout)
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        for thread in self._threads.values():
            thread.join(timeout=BLOCK_MS / 1000 + 1)
        self._client.close()

    # ------------------------------------------------------------ health of the connection

    @property
    def reachable(self) -> bool:
        return not self._down

    def _readable(self) -> bool:
        return not self._down or time.monotonic() >= self._down_until

    def _failed(self, exc: Exception) -> None:
        self._down_until = time.monotonic() + RETRY_SECONDS
        if not self._down:
            self._down = True
            log.warning(
                "Redis at %s unreachable (%s): live log lines wait in memory (up to %d) and followers read the database",
                redact_url(self.url), type(exc).__name__, self._pending_max,
            )

    def _ok(self) -> None:
        if self._down:
            self._down = False
            log.warning("Redis at %s reachable again", redact_url(self.url))
            self._signal.touch()  # followers re-read (through the store if their cursor fell behind)

    def _ensure_thread(self, name: str, target) -> None:
        thread = self._threads.get(name)
        if (thread is not None and thread.is_alive()) or self._stop.is_set():
            return
        with self._cond:
            thread = self._threads.get(name)
            if thread is None or not thread.is_alive():
                thread = threading.Thread(target=target, name=f"redis-bus-{name}", daemon=True)
                self._threads[name] = thread
                thread.start()

    # ------------------------------------------------------------ background threads

    def _publish_loop(self) -> None:
        backoff = 0.1
        while not self._stop.is_set():
            with self._cond:
                while not (self._pending or self._touch_pending or self._stop.is_set()):
                    self._cond.wait(1.0)
                batch = list(itertools.islice(self._pending, BATCH))
                touch, self._touch_pending = self._touch_pending, False
            if self._stop.is_set() and not batch and not touch:
                return
            try:
                self._send(batch)
            except RedisError as exc:
                with self._cond:
                    self._touch_pending = self._touch_pending or touch
                self._failed(exc)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 2.0)
                continue
            backoff = 0.1
            with self._cond:
                last = batch[-1][0] if batch else -1
                while self._pending and self._pending[0][0] <= last:
                    self._pending.popleft()
                self._cond.notify_all()
            self._ok()
            self._signal.touch()

    def _send(self, batch: list[tuple[int, LogLine]]) -> None:
        pipe = self._client.pipeline(transaction=False)
        runs: list[int] = []
        for _, line in batch:
            pipe.xadd(self.stream_key(line.run_id), encode(line), id=f"{line.seq}-1", maxlen=self._maxlen, approximate=True)
            if line.run_id not in runs:
                runs.append(line.run_id)
        now = time.time()
        for run_id in runs:
            pipe.expire(self.stream_key(run_id), STREAM_TTL_SECONDS)
        if runs:
            pipe.zadd(self.active_key, {str(r): now for r in runs})
            pipe.zremrangebyscore(self.active_key, "-inf", now - ACTIVE_SECONDS)
        pipe.xadd(self.notify_key, {"runs": ",".join(map(str, runs))}, maxlen=NOTIFY_MAXLEN, approximate=True)
        for result in pipe.execute(raise_on_error=False):
            if isinstance(result, ResponseError) and "equal or smaller" not in str(result):
                log.warning("Redis event bus: %s (the database keeps the line)", result)
            elif isinstance(result, Exception) and not isinstance(result, ResponseError):
                raise result

    def _listen_loop(self) -> None:
        client = _client(self.url, socket_timeout=BLOCK_MS / 1000 + 2)
        last_id: str | None = None
        backoff = 0.1
        try:
            while not self._stop.is_set():
                try:
                    if last_id is None:
                        top: list[Any] = client.xrevrange(self.notify_key, count=1)
                        last_id = top[0][0] if top else "0-0"
                        self._ok()
                        self._signal.touch()
                    reply = client.xread({self.notify_key: last_id}, block=BLOCK_MS, count=1000)
                    if reply:
                        last_id = reply[0][1][-1][0]
                        self._signal.touch()
                    backoff = 0.1
                except RedisError as exc:
                    self._failed(exc)
                    last_id = None
                    self._stop.wait(backoff)
                    backoff = min(backoff * 2, 2.0)
        finally:
            client.close()
