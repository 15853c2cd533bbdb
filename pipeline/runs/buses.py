"""Which event bus this process uses: Redis Streams when `REDIS_URL` is set, else in-process.

Kept apart from `bus.py` so the embedded mode never imports redis. A child
forked by a process pool (Celery prefork) builds its own bus: threads and
sockets do not survive a fork."""

from __future__ import annotations

import atexit
import os
import threading
from typing import TYPE_CHECKING, Protocol

from pipeline.runs.events import LogLine
from pipeline.settings import settings

if TYPE_CHECKING:
    from pipeline.runs.redis_bus import RedisBus


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
        from pipeline.runs.bus import bus

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
