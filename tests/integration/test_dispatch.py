"""test_dispatch: the cases that start processes or talk to a service (the rest: tests/unit/test_dispatch.py)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

from sqlmodel import select

from pipeline.runs.local import LocalDispatcher
from pipeline.settings import settings
from pipeline.store.db import session_scope
from pipeline.store.models import RunEvent
from tests.support.scripted_analyst import ScriptedAnalyst, read_calls
from tests.unit.test_dispatch import ROOT, _drain, _queue, _statuses, jobs  # noqa: F401 - shared helpers and fixtures


def test_backend_killed_mid_run_resumes_after_restart(jobs, tmp_path):
    q = _queue(jobs[:1])
    run_id = q.run_ids[0]
    calls = tmp_path / "calls.txt"
    env = {**os.environ, "DATA_DIR": str(settings.data_dir), "DB_URL": settings.db_url, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "tests.support.run_dispatcher", str(calls), "hang:writing"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while "writing" not in read_calls(calls):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.4)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    with session_scope() as s:
        lines_before = len(list(s.exec(select(RunEvent).where(RunEvent.run_id == run_id))))
    analyst = ScriptedAnalyst(calls_file=calls)
    asyncio.run(_drain(LocalDispatcher(poll_seconds=0.05, analyst_factory=lambda: analyst), [run_id]))
    assert _statuses([run_id]) == ["succeeded"]
    assert analyst.calls == ["writing"]
    with session_scope() as s:
        rows = list(s.exec(select(RunEvent).where(RunEvent.run_id == run_id).order_by(RunEvent.seq)))
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1)) and len(rows) > lines_before
    assert any("backend restarted" in r.message for r in rows)
