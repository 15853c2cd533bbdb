"""The event bus: the live side of run logs (the store keeps the durable copy).

Sinks publish each line the moment it is emitted; followers wait on a version
counter and read lines after their cursor. `get_bus()` picks this process's bus:
Redis Streams when `REDIS_URL` is set (pipeline/runs/redis_bus.py, imported only
then, so the embedded mode never imports redis), else the in-process `LocalBus`
here, which keeps a bounded window per run in memory (anything older is read from
the store). A child forked by a process pool (Celery prefork) builds its own bus:
threads and sockets do not survive a fork."""

from __future__ import annotations

import asyncio
import atexit
import os
import threading
from collections import deque
from typing import TYPE_CHECKING, Protocol

from pipeline.runs.events import LogLine
from pipeline.settings import settings

if TYPE_CHECKING:
    from pipeline.runs.redis_bus import RedisBus

WINDOW = 500


class LocalBus:
    def __init__(self, window: int = WINDOW) -> None:
        self._lines: dict[int, deque[LogLine]] = {}
        self._window = window
        self._version = 0
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    @property
    def version(self) -> int:
        return self._version

    def clear(self) -> None:
        """Forget every run's window: a store that was emptied (ids start again at 1) must not
        show the old runs' lines under the new runs' ids."""
        with self._lock:
            self._lines.clear()

    def publish(self, line: LogLine) -> None:
        with self._lock:
            self._lines.setdefault(line.run_id, deque(maxlen=self._window)).append(line)
        self.touch()

    def touch(self) -> None:
        """Wake followers (a line arrived or a run's state changed)."""
        with self._lock:
            self._version += 1
            waiters = list(self._waiters)
        for loop, event in waiters:
            if loop.is_closed():
                continue
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:
                pass

    def run_ids(self) -> set[int]:
        """Runs that have published lines in this process (a follower spots new runs here)."""
        with self._lock:
            return set(self._lines)

    def lines_after(self, run_id: int, seq: int) -> tuple[list[LogLine], bool]:
        """Lines of `run_id` with seq > `seq`, and whether the window covers that cursor
        (False: older lines fell out of memory; read them from the store)."""
        with self._lock:
            buf = list(self._lines.get(run_id, ()))
        if not buf:
            return [], False
        covered = buf[0].seq <= seq + 1
        return [ln for ln in buf if ln.seq > seq], covered

    async def wait(self, since_version: int, timeout: float) -> int:
        """Return the new version once it moves past `since_version`, or after `timeout`."""
        if self._version != since_version:
            return self._version
        event = asyncio.Event()
        token = (asyncio.get_running_loop(), event)
        with self._lock:
            self._waiters.add(token)
        try:
            if self._version == since_version:
                await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            pass
        finally:
            with self._lock:
                self._waiters.discard(token)
        return self._version


bus = LocalBus()


# ---------------------------------------------------------------- which bus this process uses


class EventBus(Protocol):
    @property
    def version(self) -> int: ...

    def publish(self, line: LogLine) -> None: ...

    def touch(self) -> None: ...

    def run_ids(self) -> set[int]: ...

    def lines_after(self, run_id: int, seq: int) -> tuple[list[LogLine], bool]: ...

    async def wait(self, since_version: int, timeout: float) -> int: ...


_buses: dict[str, RedisBus] = {}
_lock = threading.Lock()


def get_bus() -> EventBus:
    """The process-wide bus for the current settings."""
    url = settings.redis_url
    if not url:
        return bus
    with _lock:
        found = _buses.get(url)
        if found is None:
            from pipeline.runs.redis_bus import RedisBus

            found = _buses[url] = RedisBus(url)
            atexit.register(found.flush, 1.0)  # a worker exiting normally sends its last lines
        return found


def _after_fork() -> None:
    global _lock
    _lock = threading.Lock()
    _buses.clear()


os.register_at_fork(after_in_child=_after_fork)
