"""Cost caps: runs that would pass the batch or monthly cap are held, never started by any worker,
and resume with one call once the cap is raised or the month turns (SQLite here; PostgreSQL from
tests/integration/on_postgres/test_budget.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from pipeline.runs import budget, queue
from pipeline.runs.lease import stale_queued, try_lease
from pipeline.settings import settings
from pipeline.store.models import Batch, Job, Run, RunEvent
from pipeline.store.runs import create_batch, create_run

ME, OTHER = "user:1", "user:2"


@pytest.fixture
def caps(monkeypatch):
    def set_caps(batch: float = 0.0, month: float = 0.0) -> None:
        monkeypatch.setattr(settings, "max_cost_per_batch", batch)
        monkeypatch.setattr(settings, "max_cost_per_month", month)

    set_caps()
    return set_caps


def _batch(session: Session, n: int, *, owner: str = ME, low: float = 0.08, high: float = 0.12, when: datetime | None = None) -> list[int]:
    """A batch of `n` queued runs, each estimated at low-high USD."""
    batch = create_batch(session=session, total=n, owner=owner)
    ids = []
    for i in range(n):
        job = Job(source="demo", external_id=f"{owner}-{batch.id}-{i}", title=f"Role {i}", company="Acme", owner=owner)
        session.add(job)
        session.flush()
        run = create_run(session=session, job_id=job.id, batch_id=batch.id, owner=owner)
        run.estimate_low_usd, run.estimate_high_usd = low, high
        if when is not None:
            run.created_at = when + timedelta(seconds=i)
        session.add(run)
        ids.append(run.id)
    session.flush()
    return ids


def _spend(session: Session, usd: float, *, owner: str = ME, when: datetime | None = None) -> int:
    """A finished run that cost `usd` (finished at `when`)."""
    job = Job(source="demo", external_id=f"spent-{owner}-{usd}-{when}", title="Spent", owner=owner)
    session.add(job)
    session.flush()
    at = when or datetime.now(UTC)
    run = Run(job_id=job.id, owner=owner, status="succeeded", cost_usd=usd, created_at=at, started_at=at, finished_at=at)
    session.add(run)
    session.flush()
    return run.id


def _status(session: Session, ids: list[int]) -> list[str]:
    session.expire_all()
    return [session.get(Run, i).status for i in ids]


def _claim_all(session: Session) -> list[int]:
    return queue.claim_queued(session=session, worker="w", limit=50)


# ----------------------------------------------------------------------------- the batch cap


def test_no_caps_start_everything(session, caps):
    ids = _batch(session, 4)
    assert _claim_all(session) == ids


def test_runs_past_the_batch_cap_are_held_with_a_reason(session, caps):
    caps(batch=0.25)  # expected 0.10 a run: two fit, the third would make 0.30
    ids = _batch(session, 4)
    held: list[int] = []
    claimed = queue.claim_queued(session=session, worker="w", limit=10, held=held)
    assert claimed == ids[:2] and held == ids[2:]
    assert _status(session, ids) == ["running", "running", "held", "held"]
    run = session.get(Run, ids[2])
    assert run.error_code == "budget_batch"
    assert "held: budget" in run.error_message and "$0.25 cap" in run.error_message and "Resume" in run.error_message
    line = session.exec(select(RunEvent).where(RunEvent.run_id == ids[2])).one()
    assert line.level == "warning" and line.message.startswith("held: budget")
    assert session.get(Job, run.job_id).last_run_status == "held"
    # A held run is not queued: no later claim, no stale-message re-send, no worker lease.
    assert _claim_all(session) == []
    assert ids[2] not in stale_queued(session=session, older_than=datetime.now(UTC) + timedelta(hours=1))
    assert try_lease(session=session, run_id=ids[2], worker="celery@x") is False


def test_finished_runs_count_with_their_real_cost(session, caps):
    caps(batch=0.25)
    ids = _batch(session, 3)
    assert _claim_all(session) == ids[:2]
    session.expire_all()
    # The first two finished cheaper than estimated: the third fits now.
    for rid in ids[:2]:
        run = session.get(Run, rid)
        run.status, run.cost_usd = "succeeded", 0.05
        session.add(run)
    session.flush()
    assert budget.resume_held(session=session, owner=ME) == [ids[2]]
    assert _claim_all(session) == [ids[2]]


def test_resume_refuses_while_the_cap_still_holds_then_works_after_raising_it(session, caps):
    caps(batch=0.15)
    ids = _batch(session, 3)
    _claim_all(session)
    assert _status(session, ids) == ["running", "held", "held"]
    with pytest.raises(ValueError, match="MAX_COST_PER_BATCH"):
        budget.resume_held(session=session, owner=ME)
    assert _status(session, ids)[1:] == ["held", "held"]  # nothing changed
    caps(batch=1.00)
    assert budget.resume_held(session=session, owner=ME) == ids[1:]
    assert _status(session, ids)[1:] == ["queued", "queued"]
    assert session.get(Run, ids[1]).error_code is None
    assert _claim_all(session) == ids[1:]


def test_resume_takes_only_the_owners_runs(session, caps):
    caps(batch=0.05)
    mine, theirs = _batch(session, 2), _batch(session, 2, owner=OTHER)
    _claim_all(session)
    assert _status(session, mine + theirs) == ["held"] * 4
    caps(batch=1.0)
    assert budget.resume_held(session=session, owner=OTHER) == theirs
    assert _status(session, mine) == ["held", "held"]
    assert budget.held_count(session=session, owner=ME) == 2


def test_runs_without_an_estimate_are_never_held(session, caps):
    """Offline and unpriced runs cost nothing the caps could count."""
    caps(batch=0.01, month=0.01)
    _spend(session, 5.0)
    ids = _batch(session, 2)
    for rid in ids:
        run = session.get(Run, rid)
        run.estimate_low_usd = run.estimate_high_usd = None
        session.add(run)
    session.flush()
    assert _claim_all(session) == ids


def test_a_cancelled_held_run_is_cancelled(session, caps):
    caps(batch=0.01)
    ids = _batch(session, 1)
    _claim_all(session)
    assert queue.request_cancel(session=session, run_id=ids[0], owner=ME) == "cancelled"
    assert _status(session, ids) == ["cancelled"]


def test_a_held_job_is_not_queued_twice(session, caps):
    caps(batch=0.01)
    ids = _batch(session, 1)
    _claim_all(session)
    job_id = session.get(Run, ids[0]).job_id
    again = queue.queue_runs(session=session, job_ids=[job_id], owner=ME)
    assert again.run_ids == [] and again.skipped == [job_id]


# ----------------------------------------------------------------------------- the monthly cap


def _freeze(monkeypatch, when: datetime) -> None:
    monkeypatch.setattr(budget, "utcnow", lambda: when)


def test_month_spend_counts_this_month_of_this_owner_only(session, monkeypatch):
    now = datetime(2027, 3, 15, 12, 0, tzinfo=UTC)
    _freeze(monkeypatch, now)
    _spend(session, 0.40, when=datetime(2027, 3, 1, 0, 0, 1, tzinfo=UTC))
    _spend(session, 0.10, when=datetime(2027, 3, 14, tzinfo=UTC))
    _spend(session, 9.00, when=datetime(2027, 2, 28, 23, 59, 59, tzinfo=UTC))  # last month
    _spend(session, 7.00, owner=OTHER, when=datetime(2027, 3, 10, tzinfo=UTC))  # someone else
    assert budget.month_spent(session=session, owner=ME) == pytest.approx(0.50)
    assert budget.month_spent(session=session, owner=OTHER) == pytest.approx(7.00)
    assert budget.month_start(now) == datetime(2027, 3, 1, tzinfo=UTC)
    assert budget.next_month_start(datetime(2027, 12, 31, 23, tzinfo=UTC)) == datetime(2028, 1, 1, tzinfo=UTC)


def test_monthly_cap_holds_then_a_new_month_resumes(session, caps, monkeypatch):
    caps(month=1.00)
    march = datetime(2027, 3, 31, 23, 50, tzinfo=UTC)
    _freeze(monkeypatch, march)
    _spend(session, 0.95, when=datetime(2027, 3, 20, tzinfo=UTC))  # 0.95 + 0.10 would pass 1.00
    _spend(session, 5.00, owner=OTHER, when=datetime(2027, 3, 20, tzinfo=UTC))  # not mine: does not count
    ids = _batch(session, 3, when=march)
    _claim_all(session)
    assert _status(session, ids) == ["held"] * 3
    run = session.get(Run, ids[0])
    assert run.error_code == "budget_month" and "1 April 2027" in run.error_message and "$0.9500" in run.error_message
    _freeze(monkeypatch, datetime(2027, 4, 1, tzinfo=UTC))
    assert budget.resume_held(session=session, owner=ME) == ids
    assert _claim_all(session) == ids


def test_monthly_cap_lets_in_what_fits(session, caps, monkeypatch):
    caps(month=1.00)
    _freeze(monkeypatch, datetime(2027, 3, 31, 23, 50, tzinfo=UTC))
    _spend(session, 0.75, when=datetime(2027, 3, 20, tzinfo=UTC))
    ids = _batch(session, 4, when=datetime(2027, 3, 31, 23, 50, tzinfo=UTC))
    _claim_all(session)
    # 0.75 spent + 0.10 + 0.10 = 0.95 <= 1.00; a third would make 1.05.
    assert _status(session, ids) == ["running", "running", "held", "held"]
    with pytest.raises(ValueError, match="1 April 2027"):
        budget.resume_held(session=session, owner=ME)
    # Midnight UTC: a new month, March's spend no longer counts (the running runs still do).
    _freeze(monkeypatch, datetime(2027, 4, 1, 0, 0, 1, tzinfo=UTC))
    assert budget.resume_held(session=session, owner=ME) == ids[2:]
    assert _claim_all(session) == ids[2:]


def test_another_owners_spend_never_holds_my_runs(session, caps, monkeypatch):
    caps(month=1.00)
    _spend(session, 50.0, owner=OTHER)
    ids = _batch(session, 2)
    assert _claim_all(session) == ids


def test_batch_estimate_is_stored_when_queued(session, caps, monkeypatch):
    """queue_runs keeps each run's and the batch's estimate (a paid model configured)."""
    from pipeline.store.models import Profile, utcnow

    monkeypatch.setattr(settings, "openai_api_key", "sk-test-estimate-0000")
    monkeypatch.setattr(settings, "openai_base_url", None)
    monkeypatch.setattr(settings, "model", "gpt-4o-mini")
    monkeypatch.setattr(settings, "writing_model", "")
    session.add(Profile(owner=ME, name="Jane", markdown="# Jane Doe\n\n- Built pipelines in Python\n" * 20, confirmed_at=utcnow()))
    jobs = [Job(source="demo", external_id=f"e{i}", title="Data Engineer", company="Acme", owner=ME, description="Python and SQL. " * (50 * (i + 1)))
            for i in range(2)]
    session.add_all(jobs)
    session.flush()
    q = queue.queue_runs(session=session, job_ids=[j.id for j in jobs], owner=ME)
    runs = [session.get(Run, i) for i in q.run_ids]
    assert all(r.estimate_low_usd and r.estimate_high_usd and r.estimate_low_usd < r.estimate_high_usd for r in runs)
    assert runs[1].estimate_low_usd > runs[0].estimate_low_usd  # the longer posting
    batch = session.get(Batch, q.batch_id)
    assert batch.estimate_low_usd == pytest.approx(sum(r.estimate_low_usd for r in runs))
    assert batch.estimate_high_usd == pytest.approx(sum(r.estimate_high_usd for r in runs))
    summary = queue.batch_summaries(session=session, owner=ME)[0]
    assert summary["estimate_high_usd"] == pytest.approx(batch.estimate_high_usd) and summary["spent_usd"] == 0


def test_offline_batches_have_no_estimate(session, caps, monkeypatch):
    monkeypatch.setattr(settings, "openai_api_key", None)
    job = Job(source="demo", external_id="off", title="Nurse", owner=ME, description="Care for patients. " * 20)
    session.add(job)
    session.flush()
    q = queue.queue_runs(session=session, job_ids=[job.id], owner=ME)
    run = session.get(Run, q.run_ids[0])
    assert run.estimate_low_usd is None and session.get(Batch, q.batch_id).estimate_high_usd is None
