"""One sink for everything a run reports: log lines and progress.

Nodes call `emit`/`progress` (cheap, synchronous); sinks decide where lines go.
Every message and data value is redacted before it is kept anywhere."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from pipeline import metrics
from pipeline.redact import redact, redact_data
from pipeline.store.models import utcnow

LEVELS = ("debug", "info", "warning", "error")


@dataclass
class LogLine:
    run_id: int
    seq: int
    ts: datetime
    level: str
    step: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "seq": self.seq, "ts": self.ts, "level": self.level, "step": self.step, "message": self.message, "data": self.data}


class EventSink(Protocol):
    def emit(self, level: str, step: str, message: str, data: dict[str, Any] | None = None) -> LogLine: ...

    def progress(self, step: str, percent: int) -> None: ...

    async def flush(self) -> None: ...

    async def aclose(self) -> None: ...


class MemorySink:
    """Keeps every line in memory; optionally echoes them (the CLI prints to stderr)."""

    def __init__(self, run_id: int = 0, *, first_seq: int = 1, echo: Callable[[LogLine], None] | None = None) -> None:
        self.run_id = run_id
        self._seq = first_seq - 1
        self.lines: list[LogLine] = []
        self.step = ""
        self.percent = 0
        self._echo = echo
        self._listeners: list[Callable[[LogLine], None]] = []

    def subscribe(self, listener: Callable[[LogLine], None]) -> None:
        self._listeners.append(listener)

    def emit(self, level: str, step: str, message: str, data: dict[str, Any] | None = None) -> LogLine:
        self._seq += 1
        line = LogLine(
            run_id=self.run_id, seq=self._seq, ts=utcnow(), level=level if level in LEVELS else "info",
            step=step, message=redact(message)[:4000], data=redact_data(data or {}),
        )
        self.lines.append(line)
        self._on_line(line)
        if self._echo:
            self._echo(line)
        for listener in self._listeners:
            listener(line)
        return line

    def _on_line(self, line: LogLine) -> None:
        """Hook for sinks that persist lines."""

    def progress(self, step: str, percent: int) -> None:
        self.step, self.percent = step, max(self.percent, min(100, percent))

    async def flush(self) -> None:
        return None

    async def aclose(self) -> None:
        await self.flush()


def stderr_echo(line: LogLine) -> None:
    print(f"{line.ts:%H:%M:%S} {line.level:<7} {line.step:<12} {line.message}", file=sys.stderr, flush=True)


def _recover_tail(session: Any, run_id: int, last_stored: int) -> int:
    """Store the lines a dead worker published on the bus but never stored (its last fraction
    of a second), so the log has no hole and this attempt never re-uses their seqs."""
    from pipeline.runs.bus import get_bus
    from pipeline.store.runs import append_events

    lines, covered = get_bus().lines_after(run_id, last_stored)
    if not covered or not lines:
        return 0
    append_events(session=session, rows=[ln.as_row() for ln in lines])
    return len(lines)


class DbSink(MemorySink):
    """Writes lines as RunEvent rows and progress onto the Run, in small batches.

    Lines are buffered and flushed every `interval` seconds (and at node
    boundaries), so a chatty node costs one short transaction per batch."""

    def __init__(self, run_id: int, *, db_url: str | None = None, interval: float = 0.2, echo=None) -> None:
        from pipeline.store.db import session_scope
        from pipeline.store.runs import next_seq

        with session_scope(db_url) as s:
            first = next_seq(session=s, run_id=run_id)
            first += _recover_tail(s, run_id, first - 1)
        super().__init__(run_id, first_seq=first, echo=echo)
        self._db_url = db_url
        self._interval = interval
        self._pending: list[LogLine] = []
        self._progress_dirty = False
        self._task: asyncio.Task | None = None
        self._lock = asyncio.Lock()

    def _on_line(self, line: LogLine) -> None:
        self._pending.append(line)
        self._publish(line)
        self._ensure_task()

    def _publish(self, line: LogLine) -> None:
        from pipeline.runs.bus import get_bus

        get_bus().publish(line)
        metrics.log_line(line.level)

    def progress(self, step: str, percent: int) -> None:
        super().progress(step, percent)
        self._progress_dirty = True
        self._ensure_task()

    def _ensure_task(self) -> None:
        if self._task is None or self._task.done():
            with contextlib.suppress(RuntimeError):  # no running loop: flushed by aclose
                self._task = asyncio.get_running_loop().create_task(self._flush_later())

    async def _flush_later(self) -> None:
        await asyncio.sleep(self._interval)
        await self.flush()

    async def flush(self) -> None:
        async with self._lock:
            lines, self._pending = self._pending, []
            progress = (self.step, self.percent) if self._progress_dirty else None
            self._progress_dirty = False
            if lines or progress:
                await asyncio.to_thread(self._write, lines, progress)
            if progress:
                from pipeline.runs.bus import get_bus

                get_bus().touch()

    def _write(self, lines: list[LogLine], progress: tuple[str, int] | None) -> None:
        from pipeline.store.db import session_scope
        from pipeline.store.runs import append_events, set_run_state

        with session_scope(self._db_url) as s:
            append_events(session=s, rows=[ln.as_row() for ln in lines])
            if progress:
                set_run_state(session=s, run_id=self.run_id, step=progress[0], progress=progress[1], heartbeat_at=utcnow())

    async def aclose(self) -> None:
        if self._task and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.flush()
