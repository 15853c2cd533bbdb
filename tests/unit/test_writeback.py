"""MongoDB write-back of run outcomes (mongomock), including failures that must not fail the run."""

from __future__ import annotations

import asyncio

import mongomock
import pymongo.errors
import pytest
from sqlmodel import select

from pipeline.runs.checkpoint import open_checkpointer
from pipeline.runs.runner import execute_run
from pipeline.settings import settings
from pipeline.sources import mongo
from pipeline.sources.importer import import_mongo
from pipeline.sources.writeback import READY_FOR_APPLYING, match_filter, write_back_with_retries
from pipeline.store.db import session_scope
from pipeline.store.models import Job, Profile, Run, RunEvent, utcnow
from pipeline.store.runs import create_run
from tests.support.scripted_analyst import ScriptedAnalyst

DESC = "We move freight across Europe. You will build our data platform in Python and SQL. " * 3


@pytest.fixture
def mongo_jobs(default_store, monkeypatch):
    """A mongomock collection in the original system's shape, imported into a fresh store."""
    client = mongomock.MongoClient()
    coll = client["jobs"]["level-2"]
    coll.insert_many([
        {"jobId": 101, "title": "Data Engineer", "company": "Kestrel", "job_description": DESC, "status": "new"},
        {"jobId": 102, "title": "Nurse", "company": "St Aldric", "job_description": DESC, "status": "new"},
    ])
    monkeypatch.setattr(mongo, "_default_client", lambda uri: client)
    monkeypatch.setattr(settings, "mongodb_uri", "mongodb://user:secret@db.example:27017")
    with session_scope() as s:
        s.add(Profile(name="Jane", markdown="# Jane\n\n- Built pipelines in Python.\n", confirmed_at=utcnow()))
        summary = import_mongo(session=s)
        assert summary.imported == 2
        job_id = s.exec(select(Job.id).where(Job.external_id == "101")).one()
    return coll, job_id


def _run(job_id: int, analyst=None) -> int:
    with session_scope() as s:
        run_id = create_run(session=s, job_id=job_id).id

    async def go():
        async with open_checkpointer() as saver:
            return await execute_run(run_id, checkpointer=saver, analyst=analyst or ScriptedAnalyst())

    asyncio.run(go())
    return run_id


def test_success_writes_the_original_fields_back(mongo_jobs):
    coll, job_id = mongo_jobs
    run_id = _run(job_id)
    doc = coll.find_one({"jobId": 101})
    assert doc["pipeline_run_id"] == run_id and doc["pipeline_status"] == "succeeded"
    assert doc["fit_score"] == 72 and doc["status"] == READY_FOR_APPLYING
    assert len(doc["pain_points"]) == 5 and doc["primary_contacts"][0]["role"] == "recruiter"
    assert doc["artifact_urls"]["CV.md"] == f"/api/runs/{run_id}/artifacts/CV.md"
    assert coll.find_one({"jobId": 102}).get("pipeline_run_id") is None


def test_failed_run_writes_its_status_only(mongo_jobs):
    from pipeline.llm.base import PipelineError

    coll, job_id = mongo_jobs
    _run(job_id, ScriptedAnalyst(fail={"fit": PipelineError("llm_unavailable", "down")}))
    doc = coll.find_one({"jobId": 101})
    assert doc["pipeline_status"] == "failed" and doc["status"] == "new" and "fit_score" not in doc


def test_writeback_failure_is_logged_retried_and_never_fails_the_run(mongo_jobs, monkeypatch):
    _, job_id = mongo_jobs
    attempts = []

    def broken(uri):
        attempts.append(uri)
        raise pymongo.errors.ServerSelectionTimeoutError("no server at db.example (user:secret)")

    monkeypatch.setattr(mongo, "_default_client", broken)
    monkeypatch.setattr("pipeline.sources.writeback.asyncio.sleep", _no_sleep)
    run_id = _run(job_id)
    with session_scope() as s:
        assert s.get(Run, run_id).status == "succeeded"
        messages = [e.message for e in s.exec(select(RunEvent).where(RunEvent.run_id == run_id))]
    assert len(attempts) == 3
    assert any("write-back failed after 3 attempts" in m for m in messages)
    assert not any(":secret" in m for m in messages), [m for m in messages if ":secret" in m]  # the URI password, not a path


async def _no_sleep(_seconds):
    return None


def test_non_mongo_jobs_are_not_written_back(mongo_jobs, monkeypatch):
    coll, _ = mongo_jobs
    with session_scope() as s:
        job = Job(source="demo", external_id="101", title="Other", description=DESC)
        s.add(job)
        s.flush()
        other = job.id
    _run(other)
    assert "pipeline_run_id" not in coll.find_one({"jobId": 101})


def test_match_filter_shapes():
    assert match_filter("42") == {"jobId": 42}
    assert "_id" in match_filter("5f1d7f3e9b1e8a3d4c2b1a09")
    assert match_filter("abc") == {"$or": [{"jobId": "abc"}, {"_id": "abc"}]}


def test_missing_document_is_reported_not_raised(mongo_jobs):
    lines = []
    ok = asyncio.run(write_back_with_retries("999", {"pipeline_status": "succeeded"}, log=lambda lvl, m: lines.append((lvl, m))))
    assert ok is False and lines[0][0] == "warning" and "no document" in lines[0][1]
