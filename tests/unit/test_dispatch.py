"""The in-process dispatcher: queue, concurrency cap, cancel, retry, restart recovery."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from sqlmodel import select

from pipeline.llm.base import PipelineError
from pipeline.runs import queue
from pipeline.runs.local import LocalDispatcher
from pipeline.store.db import session_scope
from pipeline.store.models import Batch, Job, Profile, Run, utcnow
from tests.support.scripted_analyst import ScriptedAnalyst

ROOT = Path(__file__).resolve().parents[2]
CV = "# Jane Doe\n\n## Experience\n\n- Built pipelines in Python processing 2 TB a day.\n"
DESC = "We move freight across Europe. You will build our data platform in Python and SQL. " * 3


@pytest.fixture
def jobs(default_store):
    with session_scope() as s:
        s.add(Profile(name="Jane", markdown=CV, confirmed_at=utcnow()))
        rows = [Job(source="demo", external_id=f"j{i}", title=f"Engineer {i}", company=f"Co {i}", description=DESC) for i in range(20)]
        s.add_all(rows)
        s.flush()
        return [j.id for j in rows]


def _queue(job_ids) -> queue.Queued:
    with session_scope() as s:
        return queue.queue_runs(session=s, job_ids=job_ids)


def _statuses(run_ids) -> list[str]:
    with session_scope() as s:
        return [s.get(Run, i).status for i in run_ids]


async def _drain(dispatcher: LocalDispatcher, run_ids, timeout=60.0, until=("succeeded", "failed", "cancelled")):
    task = asyncio.create_task(dispatcher.run_forever())
    try:
        deadline = time.monotonic() + timeout
        while not all(s in until for s in await asyncio.to_thread(_statuses, run_ids)):
            assert time.monotonic() < deadline, await asyncio.to_thread(_statuses, run_ids)
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def test_queue_skips_jobs_already_queued(jobs):
    first = _queue(jobs[:3])
    again = _queue(jobs[:5])
    assert len(first.run_ids) == 3 and first.skipped == []
    assert len(again.run_ids) == 2 and again.skipped == sorted(jobs[:3])
    with session_scope() as s:
        assert s.get(Batch, again.batch_id).total == 2
        assert s.get(Job, jobs[0]).last_run_status == "queued"


def test_concurrency_cap_holds_under_twenty_runs(jobs):
    q = _queue(jobs)
    in_flight = {"now": 0, "max": 0}

    class Counting(ScriptedAnalyst):
        async def intake(self, posting):
            in_flight["now"] += 1
            in_flight["max"] = max(in_flight["max"], in_flight["now"])
            return await super().intake(posting)

        async def writing(self, *a):
            try:
                return await super().writing(*a)
            finally:
                in_flight["now"] -= 1

    d = LocalDispatcher(max_concurrency=3, poll_seconds=0.05, analyst_factory=lambda: Counting(delay=0.02))
    asyncio.run(_drain(d, q.run_ids))
    assert _statuses(q.run_ids) == ["succeeded"] * 20
    assert in_flight["max"] == 3 and d.peak == 3
    with session_scope() as s:
        b = s.get(Batch, q.batch_id)
        assert (b.total, b.done, b.failed) == (20, 20, 0) and b.finished_at is not None
        started = [r.started_at for r in s.exec(select(Run).where(Run.batch_id == q.batch_id).order_by(Run.id))]
    assert max(started[:3]) < min(started[3:]), "the three oldest runs go first"


def test_claim_takes_oldest_first(jobs):
    q = _queue(jobs[:5])
    with session_scope() as s:
        assert queue.claim_queued(session=s, worker="w", limit=2) == q.run_ids[:2]
        assert queue.claim_queued(session=s, worker="w", limit=10) == q.run_ids[2:]
        assert queue.claim_queued(session=s, worker="w", limit=10) == []


def test_queued_runs_survive_a_restart(jobs):
    q = _queue(jobs[:4])  # queued while no dispatcher runs (as if the app was down)
    d = LocalDispatcher(max_concurrency=2, poll_seconds=0.05, analyst_factory=ScriptedAnalyst)
    asyncio.run(_drain(d, q.run_ids))
    assert _statuses(q.run_ids) == ["succeeded"] * 4


def test_cancel_queued_and_running(jobs):
    q = _queue(jobs[:2])
    with session_scope() as s:
        assert queue.request_cancel(session=s, run_id=q.run_ids[1]) == "cancelled"

    async def go():
        d = LocalDispatcher(max_concurrency=1, poll_seconds=0.05, analyst_factory=lambda: ScriptedAnalyst(delay=0.2))
        task = asyncio.create_task(d.run_forever())
        while await asyncio.to_thread(_statuses, q.run_ids[:1]) != ["running"]:
            await asyncio.sleep(0.02)
        with session_scope() as s:
            assert queue.request_cancel(session=s, run_id=q.run_ids[0]) == "requested"
        d.wake()
        while (await asyncio.to_thread(_statuses, q.run_ids[:1]))[0] == "running":
            await asyncio.sleep(0.02)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(go())
    assert _statuses(q.run_ids) == ["cancelled", "cancelled"]
    with session_scope() as s:
        run = s.get(Run, q.run_ids[0])
        assert run.error_code == "cancelled" and run.progress < 100


def test_retry_failed_resumes_cancelled_starts_over(jobs):
    q = _queue(jobs[:1])
    first = ScriptedAnalyst(fail={"writing": PipelineError("llm_unavailable", "down")})
    asyncio.run(_drain(LocalDispatcher(poll_seconds=0.05, analyst_factory=lambda: first), q.run_ids))
    assert _statuses(q.run_ids) == ["failed"]
    with session_scope() as s:
        assert s.get(Run, q.run_ids[0]).error_code == "llm_unavailable"
        same = queue.retry_run(session=s, run_id=q.run_ids[0])
    assert same == q.run_ids[0]
    second = ScriptedAnalyst()
    asyncio.run(_drain(LocalDispatcher(poll_seconds=0.05, analyst_factory=lambda: second), [same]))
    assert _statuses([same]) == ["succeeded"]
    assert second.calls == ["writing"], "a failed run resumes from its checkpoint"
    with session_scope() as s:
        s.get(Run, same).status = "cancelled"
        fresh = queue.retry_run(session=s, run_id=same)
    assert fresh != same


