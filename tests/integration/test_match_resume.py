"""test_match_resume: the cases that start processes or talk to a service (the rest: tests/unit/test_match_resume.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlmodel import select

from pipeline.settings import PROJECT_ROOT
from pipeline.store.db import get_engine, session_scope
from pipeline.store.models import MatchQuery, MatchResult
from tests.conftest import wipe_postgres
from tests.unit.test_match import load_demo
from tests.unit.test_match_resume import _RACER, ME, interrupted


@pytest.mark.postgres
def test_two_processes_starting_together_resume_each_batch_once(pg_database):
    url = pg_database
    with get_engine(url).begin() as conn:
        wipe_postgres(conn)
    with session_scope(url) as s:
        load_demo(s, ME)
    ids = [interrupted(url, ME, (t, "Staff Nurse", "Nurse Practitioner")) for t in ("Registered Nurse", "ICU Nurse", "Pediatric Nurse", "Charge Nurse")]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", _RACER, url], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1][-2000:] for o in outs]
    resumed = [json.loads(o[0].strip().splitlines()[-1]) for o in outs]
    assert sorted(resumed[0] + resumed[1]) == ids  # every batch by exactly one of them
    with session_scope(url) as s:
        for batch_id in ids:
            queries = s.exec(select(MatchQuery).where(MatchQuery.batch_id == batch_id)).all()
            assert all(q.status == "succeeded" for q in queries)
            for q in queries:  # no title's results were written twice
                job_ids = s.exec(select(MatchResult.job_id).where(MatchResult.query_id == q.id)).all()
                assert len(job_ids) == len(set(job_ids)) == q.results_count
