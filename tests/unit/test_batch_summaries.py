"""The runs panel's batch line counts runs: "Find matches" batches (kind "match") never show there."""

from __future__ import annotations

from sqlmodel import Session

from pipeline.matching import start_match_batch
from pipeline.runs.queue import batch_summaries, queue_runs
from pipeline.sources.base import JobIn, ParseResult
from pipeline.store.jobs import upsert_jobs


def test_batch_summaries_list_process_batches_only(session: Session):
    parsed = ParseResult(rows=[(0, JobIn(source="file", external_id="a", title="Registered Nurse", company="Clinic", description="ICU"))])
    job_ids = upsert_jobs(session=session, parsed=parsed).job_ids
    process = queue_runs(session=session, job_ids=job_ids, label="process").batch_id
    start_match_batch(session=session, owner="local", titles=["Registered Nurse"])  # newer, but a search
    session.flush()
    listed = batch_summaries(session=session, owner="local")
    assert [b["id"] for b in listed] == [process]
    assert batch_summaries(session=session, owner="local", limit=1)[0]["total"] == 1
