"""A run's log as Server-Sent Events: stored history first, then live lines from the bus.

Each line's `id:` is its seq, so a reconnecting EventSource (which sends
`Last-Event-ID`) resumes exactly after the last line it saw. Lines come from
the bus while its window covers the cursor, else from the store, which holds
every line. The stream ends with an `end` event once the run has finished and
every stored line was sent."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from pipeline.runs.bus import get_bus
from pipeline.runs.events import LogLine
from pipeline.runs.logs import lines_after, stored_lines_after
from pipeline.store.db import session_scope
from pipeline.store.models import RunStatus
from pipeline.store.runs import ACTIVE, get_run

HEARTBEAT_SECONDS = 15.0
BATCH_SECONDS = 0.1  # at most ~10 wake-ups a second per stream, however chatty the runs
HISTORY_PAGE = 500


def _state(run_id: int) -> dict[str, Any]:
    with session_scope() as session:
        run = get_run(session=session, run_id=run_id)
        if run is None:
            return {"status": RunStatus.cancelled.value, "step": "", "progress": 0}
        return {"status": run.status, "step": run.step, "progress": run.progress}


def format_line(line: LogLine) -> str:
    data = {
        "seq": line.seq, "ts": line.ts.isoformat() if line.ts else None, "level": line.level,
        "step": line.step, "message": line.message, "data": line.data,
    }
    return f"id: {line.seq}\nevent: log\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


async def run_event_stream(
    run_id: int, after: int, *, is_disconnected: Callable[[], Awaitable[bool]], heartbeat: float = HEARTBEAT_SECONDS
) -> AsyncIterator[str]:
    bus = get_bus()
    cursor = max(0, after)
    last_state: dict[str, Any] | None = None
    yield "retry: 3000\n\n"
    while True:
        version = bus.version
        started = time.monotonic()
        lines = await asyncio.to_thread(lines_after, run_id, cursor, limit=HISTORY_PAGE)
        for line in lines:
            if line.seq > cursor:
                cursor = line.seq
                yield format_line(line)
        if len(lines) >= HISTORY_PAGE:
            continue  # more history waiting: no need to wait for the bus
        state = await asyncio.to_thread(_state, run_id)
        if state != last_state:
            last_state = state
            yield _event("status", {"run_id": run_id, **state})
        if state["status"] not in ACTIVE:
            # Finished: the runner stored its last lines before marking the run; send what is left.
            while tail := [ln for ln in await asyncio.to_thread(stored_lines_after, run_id, cursor, limit=HISTORY_PAGE) if ln.seq > cursor]:
                for line in tail:
                    cursor = line.seq
                    yield format_line(line)
            yield _event("end", {"run_id": run_id, "status": state["status"], "last_seq": cursor})
            return
        if await is_disconnected():
            return
        if await bus.wait(version, heartbeat) == version:
            yield ": heartbeat\n\n"
        pause = BATCH_SECONDS - (time.monotonic() - started)
        if pause > 0:
            await asyncio.sleep(pause)
