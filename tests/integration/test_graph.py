"""test_graph: the cases that start processes or talk to a service (the rest: tests/unit/test_graph.py)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlmodel import select

from pipeline.llm.base import PipelineError
from pipeline.runs.checkpoint import open_checkpointer
from pipeline.runs.events import MemorySink
from pipeline.runs.runner import execute_run, run_graph
from pipeline.settings import settings
from pipeline.store.db import session_scope
from pipeline.store.models import Run, RunEvent
from tests.support.scripted_analyst import ScriptedAnalyst, read_calls
from tests.unit.test_graph import MIDDLE, ROOT, _new_run, inputs, store  # noqa: F401 - shared helpers and fixtures


def test_killed_run_resumes_without_repeating_layers(store, tmp_path):
    """SIGKILL a worker process mid-graph; the run resumes from its checkpoint."""
    run_id = _new_run(store)
    calls = tmp_path / "calls.txt"
    env = {**os.environ, "DATA_DIR": str(settings.data_dir), "DB_URL": settings.db_url, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "tests.support.run_worker", str(run_id), str(calls), "hang:writing"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while "writing" not in read_calls(calls):
            assert proc.poll() is None, "worker exited early"
            assert time.monotonic() < deadline, "worker never reached the writing layer"
            time.sleep(0.05)
        time.sleep(0.3)  # let the DbSink flush its lines
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    before = read_calls(calls)
    assert set(before) == {"intake", *MIDDLE, "writing"}
    with session_scope() as s:
        assert s.get(Run, run_id).status == "running"  # stranded, as after a crash
        seqs_before = [e.seq for e in s.exec(select(RunEvent).where(RunEvent.run_id == run_id))]

    analyst = ScriptedAnalyst(calls_file=calls)

    async def resume():
        async with open_checkpointer() as saver:
            return await execute_run(run_id, checkpointer=saver, analyst=analyst)

    outcome = asyncio.run(resume())
    assert outcome.status == "succeeded", outcome.error
    assert analyst.calls == ["writing"], "only the interrupted layer runs again"
    with session_scope() as s:
        rows = list(s.exec(select(RunEvent).where(RunEvent.run_id == run_id).order_by(RunEvent.seq)))
        run = s.get(Run, run_id)
    seqs = [r.seq for r in rows]
    assert seqs == list(range(1, len(seqs) + 1)), "no gap and no duplicate in the log"
    assert seqs[: len(seqs_before)] == sorted(seqs_before)
    assert any("resuming from checkpoint" in r.message for r in rows)
    assert run.attempt == 2 and run.status == "succeeded"


@pytest.mark.postgres
def test_resume_with_the_postgres_checkpointer(pg_database):
    """Hosted mode: the same resume guarantee with LangGraph's PostgreSQL saver."""

    async def go():
        async with open_checkpointer(pg_database) as saver:
            first = ScriptedAnalyst(fail={"writing": PipelineError("llm_unavailable", "down")})
            with pytest.raises(PipelineError):
                await run_graph(run_id=77, sink=MemorySink(77), checkpointer=saver, inputs=inputs(), out_dir=None, analyst=first)
            second = ScriptedAnalyst()
            final, _ = await run_graph(run_id=77, sink=MemorySink(77), checkpointer=saver, inputs=None, out_dir=None, analyst=second)
            return second, final

    second, final = asyncio.run(go())
    assert second.calls == ["writing"] and final["result"]["fit_score"] == 72
