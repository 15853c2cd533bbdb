"""Match batches interrupted by a restart are finished at start-up, each by exactly one process."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import update
from sqlmodel import select

from pipeline.matching import batch as batch_mod
from pipeline.matching import resume_unfinished
from pipeline.matching.claim import BatchClaim
from pipeline.settings import PROJECT_ROOT
from pipeline.store.db import session_scope
from pipeline.store.models import Batch, MatchQuery, MatchResult, utcnow
from pipeline.store.runs import create_batch
from tests.unit.test_match import NURSE_TITLES, add_profile, load_demo, progress, start

ME, OTHER = "local", "user:2"


def interrupted(url: str, owner: str = ME, titles: tuple[str, ...] = ("Registered Nurse", "Critical Care Nurse")) -> int:
    """A batch as a killed process leaves it: one title stuck "running", the rest queued, no finished_at."""
    batch_id = start(url, owner, list(titles))
    with session_scope(url) as s:
        first = s.exec(select(MatchQuery.id).where(MatchQuery.batch_id == batch_id).order_by(MatchQuery.position)).first()
        s.execute(update(MatchQuery).where(MatchQuery.id == first).values(status="running"))
    return batch_id


@pytest.fixture
def demo(db_url) -> str:
    with session_scope(db_url) as s:
        load_demo(s, ME)
        load_demo(s, OTHER)
        add_profile(s, ME, (PROJECT_ROOT / "tests" / "fixtures" / "analyst" / "nurse_cv.md").read_text(encoding="utf-8"), NURSE_TITLES)
    return db_url


def test_an_interrupted_batch_is_finished_at_start_up(demo):
    batch_id = interrupted(demo)
    assert asyncio.run(resume_unfinished(db_url=demo)) == [batch_id]
    p = progress(demo, ME, batch_id)
    assert p["finished"] and p["done"] == 2 and [q["status"] for q in p["queries"]] == ["succeeded", "succeeded"]
    with session_scope(demo) as s:
        assert s.exec(select(MatchResult).where(MatchResult.batch_id == batch_id)).first() is not None
    assert asyncio.run(resume_unfinished(db_url=demo)) == []  # nothing left the second time


def test_only_unfinished_match_batches_of_the_given_owner_are_resumed(demo):
    mine, theirs = interrupted(demo, ME), interrupted(demo, OTHER)
    done = start(demo, ME, ["Registered Nurse"])
    asyncio.run(batch_mod.run_match_batch(done, db_url=demo))
    with session_scope(demo) as s:
        process_batch = create_batch(session=s, total=1, label="process", kind="process", owner=ME).id
    assert asyncio.run(resume_unfinished(ME, db_url=demo)) == [mine]
    assert asyncio.run(resume_unfinished(db_url=demo)) == [theirs]
    with session_scope(demo) as s:
        assert s.get(Batch, process_batch).finished_at is None  # a process batch is the run queue's, never touched here


def test_a_batch_claimed_elsewhere_is_skipped_and_taken_once_released(demo):
    batch_id = interrupted(demo)
    elsewhere = BatchClaim(batch_id, demo)  # its own connection / open file: as another process holds it
    assert elsewhere.acquire()
    try:
        assert asyncio.run(resume_unfinished(db_url=demo)) == []
        assert progress(demo, ME, batch_id)["queued"] == 1  # untouched
    finally:
        elsewhere.release()
    assert asyncio.run(resume_unfinished(db_url=demo)) == [batch_id]


def test_a_batch_finished_while_waiting_for_the_claim_is_not_run_again(demo, monkeypatch):
    batch_id = interrupted(demo)
    calls: list[int] = []
    real = batch_mod.run_claimed_batch

    async def counting(*args, **kwargs):
        calls.append(args[0])
        return await real(*args, **kwargs)

    monkeypatch.setattr("pipeline.matching.resume.run_claimed_batch", counting)
    with session_scope(demo) as s:  # listed as unfinished, then finished by another process before the claim
        s.execute(update(Batch).where(Batch.id == batch_id).values(finished_at=utcnow()))
    monkeypatch.setattr("pipeline.matching.resume.unfinished_batch_ids", lambda owner, db_url: [batch_id])
    assert asyncio.run(resume_unfinished(db_url=demo)) == [] and calls == []


def test_a_page_run_waits_while_another_process_runs_the_batch(demo, monkeypatch):
    """run_match_batch never runs a batch beside its claimed runner; it waits, then finds nothing left."""
    batch_id = interrupted(demo)
    monkeypatch.setattr(batch_mod, "CLAIM_POLL_SECONDS", 0.01)
    attempts: list[bool] = []
    real_acquire = BatchClaim.acquire

    def counted(self):
        got = real_acquire(self)
        attempts.append(got)
        return got

    monkeypatch.setattr(BatchClaim, "acquire", counted)
    elsewhere = BatchClaim(batch_id, demo)
    assert elsewhere.acquire()

    async def scenario() -> dict:
        task = asyncio.create_task(batch_mod.run_match_batch(batch_id, db_url=demo))
        async def refused_thrice() -> None:  # it has asked several times and been refused
            while attempts.count(False) < 3:
                await asyncio.sleep(0.01)

        await asyncio.wait_for(refused_thrice(), timeout=10)
        assert not task.done() and progress(demo, ME, batch_id)["queued"] == 1
        await batch_mod.run_claimed_batch(batch_id, db_url=demo)  # the other process finishes it
        elsewhere.release(finished=True)
        return await task

    p = asyncio.run(scenario())
    assert p["finished"] and p["done"] == 2


_RACER = """
import asyncio, json, sys
from pipeline.matching import resume_unfinished
print(json.dumps(asyncio.run(resume_unfinished(db_url=sys.argv[1]))))
"""


def test_the_app_resumes_interrupted_batches_at_start_up(default_store):
    from jobapp import jobapp as app_module

    names = [getattr(t, "__name__", "") for t in app_module.app.get_lifespan_tasks()]
    assert names.index("prepare_store") < names.index("resume_match_batches")  # the schema is migrated first
    with session_scope() as s:
        load_demo(s, ME)
    batch_id = interrupted(None)
    asyncio.run(app_module.resume_match_batches())
    assert progress(None, ME, batch_id)["finished"]
