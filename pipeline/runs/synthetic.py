"""Synthetic log traffic for the live-log benchmark (`bench/live_log.py`).

Creates real runs on existing jobs and emits timestamped lines through the same
DbSink and bus as the pipeline, so the measurement covers the real path from
emission to the browser. Only reachable when JOBAPP_BENCH=1."""

from __future__ import annotations

import asyncio
import time

from pipeline.runs.events import DbSink
from pipeline.store.db import session_scope
from pipeline.store.models import RunStatus, utcnow
from pipeline.store.runs import create_run, set_run_state


def _start_runs(job_ids: list[int]) -> list[int]:
    with session_scope() as s:
        ids = []
        for job_id in job_ids:
            run = create_run(session=s, job_id=job_id)
            set_run_state(session=s, run_id=run.id, status=RunStatus.running.value, started_at=utcnow(), step="bench")
            ids.append(run.id)
        return ids


def _finish(run_ids: list[int]) -> None:
    with session_scope() as s:
        for rid in run_ids:
            set_run_state(session=s, run_id=rid, status=RunStatus.succeeded.value, finished_at=utcnow(), progress=100)


async def stream(job_ids: list[int], *, rate: float, seconds: float) -> list[int]:
    """Each run emits `rate` lines a second for `seconds`; messages carry the emit time (ms since epoch)."""
    run_ids = await asyncio.to_thread(_start_runs, job_ids)
    sinks = [await asyncio.to_thread(DbSink, rid) for rid in run_ids]

    async def emit(sink: DbSink) -> None:
        n = int(rate * seconds)
        start = time.monotonic()
        for i in range(n):
            sink.emit("info", "bench", f"line {i} emitted_at={time.time() * 1000:.1f}")
            sink.progress("bench", int(100 * (i + 1) / n))
            await asyncio.sleep(max(0.0, start + (i + 1) / rate - time.monotonic()))
        await sink.aclose()

    await asyncio.gather(*(emit(s) for s in sinks))
    await asyncio.to_thread(_finish, run_ids)
    return run_ids
