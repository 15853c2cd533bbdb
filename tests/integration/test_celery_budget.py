"""Hosted mode and the cost caps: a Celery worker holds the runs that would take their batch past
MAX_COST_PER_BATCH (it never starts them), the reaper does not re-send them, and Resume puts them
back in the queue for a worker to run (real workers, Redis broker, PostgreSQL)."""

from __future__ import annotations

import time

import pytest

from pipeline.runs import budget, celery_app
from pipeline.store.db import session_scope
from pipeline.store.models import Run
from tests.integration import test_celery as hosted_mode

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(120)]

hosted = hosted_mode.hosted  # fixtures: a fresh PostgreSQL store and a private Redis db; worker subprocesses
workers = hosted_mode.workers


def _statuses(h, ids):
    return [r.status for r in hosted_mode._runs(h, ids)]


def test_workers_hold_runs_past_the_batch_cap_and_run_them_after_resume(hosted, workers):
    ids = hosted_mode._queue(hosted, hosted.job_ids[12:15])
    with session_scope(hosted.db_url) as s:  # as if queued with a paid model: about $0.10 a run
        for rid in ids:
            run = s.get(Run, rid)
            run.estimate_low_usd, run.estimate_high_usd = 0.08, 0.12
    workers.start("a", "delay:0.4", concurrency=3, MAX_COST_PER_BATCH="0.25")
    workers.wait_ready("a")
    celery_app.dispatch_celery(ids)
    workers.wait_for("a", lambda: sorted(_statuses(hosted, ids)) == ["held", "succeeded", "succeeded"], timeout=60)
    [held] = [r for r in hosted_mode._runs(hosted, ids) if r.status == "held"]
    assert held.error_code == "budget_batch" and held.started_at is None and held.worker is None
    assert any(e.message.startswith("held: budget") for e in hosted_mode._events(hosted, held.id))
    assert f"run {held.id} held" in workers.log("a")
    assert held.id not in celery_app.reap_once(db_url=hosted.db_url, stale_seconds=0), "a held run is not re-sent"
    time.sleep(1.0)
    assert _statuses(hosted, [held.id]) == ["held"]

    # The two finished runs cost nothing (a scripted analyst): the batch has room again, so Resume works.
    with session_scope(hosted.db_url) as s:
        assert budget.resume_held(session=s, owner=held.owner) == [held.id]
    celery_app.dispatch_celery([held.id])
    workers.wait_for("a", lambda: _statuses(hosted, [held.id]) == ["succeeded"], timeout=60)
