"""In-process event bus: the live side of run logs (the store keeps the durable copy).

Sinks publish each line the moment it is emitted; followers wait on a version
counter and read lines after their cursor. A bounded window per run is kept in
memory; anything older is read from the store. (Redis Streams replace this in
the hosted mode.)"""

from __future__ import annotations

import asyncio
import threading
from collections import deque

from pipeline.runs.events import LogLine

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
        except asyncio.TimeoutError:
            pass
        finally:
            with self._lock:
                self._waiters.discard(token)
        return self._version


bus = LocalBus()
