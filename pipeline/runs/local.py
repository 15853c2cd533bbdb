"""The in-process dispatcher (embedded default): at most MAX_CONCURRENCY runs at once,
oldest first, inside the app's backend; each owner's runs at most their saved concurrency
(Settings → Run defaults, never above MAX_CONCURRENCY) at once. Hosted Celery workers do not
apply the per-owner value: their concurrency is a deployment setting (`--concurrency`). The store is the queue, so a restart loses
nothing: runs found running at start-up go back to the queue and resume from their
checkpoints."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from pipeline.runs.bus import get_bus
from pipeline.runs.checkpoint import open_checkpointer
from pipeline.runs.runner import WORKER_NAME, execute_run
from pipeline.settings import settings

log = logging.getLogger(__name__)


class LocalDispatcher:
    def __init__(self, *, max_concurrency: int | None = None, poll_seconds: float = 1.0, analyst_factory=None) -> None:
        self.max_concurrency = max_concurrency or settings.max_concurrency
        self.poll_seconds = poll_seconds
        self.running: dict[int, asyncio.Task] = {}
        self.peak = 0
        self._cancel: set[int] = set()
        self._wake = asyncio.Event()
        self._analyst_factory = analyst_factory  # tests inject a scripted analyst

    def wake(self) -> None:
        """Look at the queue now (called right after runs are queued)."""
        self._wake.set()

    async def run_forever(self) -> None:
        async with open_checkpointer() as saver:
            recovered = await asyncio.to_thread(_recover)
            for run_id in recovered:
                await _note(run_id, "the backend restarted: this run goes back to the queue and resumes from its checkpoint")
            try:
                while True:
                    await self._tick(saver)
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
                    self._wake.clear()
            finally:
                for task in self.running.values():
                    task.cancel()
                await asyncio.gather(*self.running.values(), return_exceptions=True)

    async def _tick(self, saver) -> None:
        if self.running:
            self._cancel |= await asyncio.to_thread(_cancel_flags, list(self.running))
        free = self.max_concurrency - len(self.running)
        if free <= 0:
            return
        claimed, held = await asyncio.to_thread(_claim, free)
        if held:  # held by a cost cap: the runs panel shows it now
            get_bus().touch()
        for run_id in claimed:
            self.running[run_id] = asyncio.create_task(self._execute(run_id, saver), name=f"run-{run_id}")
        self.peak = max(self.peak, len(self.running))

    async def _execute(self, run_id: int, saver) -> None:
        try:
            analyst = self._analyst_factory() if self._analyst_factory else None
            await execute_run(run_id, checkpointer=saver, cancelled=lambda: run_id in self._cancel, analyst=analyst)
        except asyncio.CancelledError:
            raise
        except Exception:  # execute_run records failures itself; this is a last resort
            log.exception("run %s crashed", run_id)
        finally:
            self.running.pop(run_id, None)
            self._cancel.discard(run_id)
            get_bus().touch()
            self.wake()


def _recover() -> list[int]:
    from pipeline.runs.queue import recover_stranded
    from pipeline.store.db import session_scope

    with session_scope() as s:
        return recover_stranded(session=s)


def _claim(limit: int) -> tuple[list[int], list[int]]:
    """(claimed, held): runs to start now, and runs a cost cap held instead."""
    from pipeline.runs.queue import claim_queued
    from pipeline.store.db import session_scope

    held: list[int] = []
    with session_scope() as s:
        return claim_queued(session=s, worker=WORKER_NAME, limit=limit, held=held, per_owner=True), held


def _cancel_flags(run_ids: list[int]) -> set[int]:
    from pipeline.runs.queue import cancel_requested_ids
    from pipeline.store.db import session_scope

    with session_scope() as s:
        return cancel_requested_ids(session=s, run_ids=run_ids)


async def _note(run_id: int, message: str) -> None:
    """A log line on a run outside its execution (e.g. recovery after a restart)."""
    from pipeline.runs.events import DbSink

    sink = await asyncio.to_thread(DbSink, run_id)
    sink.emit("warning", "run", message)
    await sink.aclose()


dispatcher: LocalDispatcher | None = None


def get_dispatcher() -> LocalDispatcher:
    """The process's dispatcher (created by the app's lifespan task)."""
    global dispatcher
    if dispatcher is None:
        dispatcher = LocalDispatcher()
    return dispatcher
