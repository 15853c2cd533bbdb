"""The store is the queue: queue, claim, cancel, retry and recover runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from pipeline import metrics
from pipeline.llm.estimate import BatchEstimate, estimate_jobs
from pipeline.runs.budget import hold_if_over
from pipeline.store.jobs import jobs_by_ids
from pipeline.store.models import LOCAL_OWNER, Batch, Job, Run, RunStatus, utcnow
from pipeline.store.runs import ACTIVE, create_batch, create_run, get_owned_run, set_run_state

FINISHED = (RunStatus.succeeded.value, RunStatus.failed.value, RunStatus.cancelled.value)
# A job with a run in one of these states is not queued again (held: waiting for Resume).
PENDING = (*ACTIVE, RunStatus.held.value)


@dataclass
class Queued:
    batch_id: int | None
    run_ids: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # jobs that already had a queued or running run


def active_job_ids(*, session: Session, job_ids: list[int]) -> set[int]:
    if not job_ids:
        return set()
    stmt = select(Run.job_id).where(col(Run.job_id).in_(job_ids), col(Run.status).in_(PENDING))
    return set(session.exec(stmt).all())


def queue_runs(
    *, session: Session, job_ids: list[int], owner: str = LOCAL_OWNER, label: str = "", estimate: BatchEstimate | None = None
) -> Queued:
    """One queued run per job in one batch; a job already queued, running or held is not queued twice.

    Each run (and the batch) keeps what it was estimated to cost (`estimate`: the one the user
    confirmed; computed here when not given), so the runs panel can set spent against it and the
    caps can tell what a run will cost before it starts."""
    jobs = [j for j in jobs_by_ids(session=session, job_ids=job_ids, owner=owner) if j.archived_at is None]
    busy = active_job_ids(session=session, job_ids=[j.id for j in jobs])
    todo = [j for j in jobs if j.id not in busy]
    out = Queued(batch_id=None, skipped=sorted(busy))
    if not todo:
        return out
    if estimate is None:
        estimate = estimate_jobs(session=session, job_ids=[j.id for j in todo], owner=owner)
    per_job = {e.job_id: e.cost for e in estimate.jobs}
    batch = create_batch(session=session, total=len(todo), label=label or f"{len(todo)} job(s)", owner=owner)
    out.batch_id = batch.id
    low = high = 0.0
    priced = not estimate.offline
    for job in todo:
        run = create_run(session=session, job_id=job.id, batch_id=batch.id, owner=owner)
        cost = per_job.get(job.id)
        if cost is not None:
            run.estimate_low_usd, run.estimate_high_usd = cost.low, cost.high
            session.add(run)
            low, high = low + cost.low, high + cost.high
        else:
            priced = False
        out.run_ids.append(run.id)
    if priced:
        batch.estimate_low_usd, batch.estimate_high_usd = low, high
        session.add(batch)
    session.flush()
    return out


def estimate_run(*, session: Session, run: Run) -> None:
    """Give a run created outside `queue_runs` (a retry that starts over) its own estimate."""
    est = estimate_jobs(session=session, job_ids=[run.job_id], owner=run.owner)
    cost = est.jobs[0].cost if est.jobs else None
    if cost is not None:
        run.estimate_low_usd, run.estimate_high_usd = cost.low, cost.high
        session.add(run)
        session.flush()


def owner_room(*, session: Session) -> dict[str, int]:
    """How many more runs each owner with queued runs may start now: their saved concurrency (Settings
    → Run defaults; MAX_CONCURRENCY when none is saved, and never above it) minus their running runs."""
    from pipeline.llm.config import effective_settings

    owners = set(session.exec(select(Run.owner).where(Run.status == RunStatus.queued.value).distinct()).all())
    running = dict(session.exec(
        select(Run.owner, func.count()).where(Run.status == RunStatus.running.value, col(Run.owner).in_(owners)).group_by(Run.owner)
    ).all()) if owners else {}
    return {o: max(effective_settings(o, session=session).concurrency - int(running.get(o, 0)), 0) for o in owners}


def claim_queued(
    *, session: Session, worker: str, limit: int, lease_seconds: int = 120, held: list[int] | None = None, per_owner: bool = False,
) -> list[int]:
    """Take up to `limit` queued runs, oldest first, and mark them running under a lease. A run that
    would pass a cost cap is held instead (pipeline/runs/budget.py; its id goes to `held`).

    `per_owner` (the local dispatcher): an owner's runs start only while fewer than their
    concurrency (`owner_room`) are running; the others wait in the queue, and other owners' runs
    go first."""
    if limit <= 0:
        return []
    room = owner_room(session=session) if per_owner else None
    stmt = select(Run).where(Run.status == RunStatus.queued.value).order_by(Run.created_at, Run.id).limit(limit + 50)
    if room is not None:
        full = [o for o, n in room.items() if n <= 0]
        if len(full) == len(room):
            return []
        if full:
            stmt = stmt.where(col(Run.owner).not_in(full))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    now = utcnow()
    claimed: list[int] = []
    for run in session.exec(stmt).all():
        if len(claimed) >= limit:
            break
        if room is not None and room.get(run.owner, 0) <= 0:
            continue
        if hold_if_over(session=session, run_id=run.id) is not None:
            if held is not None:
                held.append(run.id)
            continue
        set_run_state(session=session, run_id=run.id, status=RunStatus.running.value, worker=worker,
                      lease_until=now + timedelta(seconds=lease_seconds), heartbeat_at=now)
        claimed.append(run.id)
        if room is not None:
            room[run.owner] -= 1
    return claimed


def request_cancel(*, session: Session, run_id: int, owner: str = LOCAL_OWNER) -> str:
    """A queued run is cancelled at once; a running one stops at its next node boundary."""
    run = get_owned_run(session=session, run_id=run_id, owner=owner)
    if run is None:
        raise LookupError(f"run {run_id} not found")
    if run.status in (RunStatus.queued.value, RunStatus.held.value):
        set_run_state(session=session, run_id=run_id, status=RunStatus.cancelled.value, finished_at=utcnow(),
                      error_code="cancelled", error_message="cancelled before it started")
        refresh_batch(session=session, batch_id=run.batch_id)
        metrics.run_finished(RunStatus.cancelled.value, None)  # never started: counted, no duration
        return "cancelled"
    if run.status == RunStatus.running.value:
        set_run_state(session=session, run_id=run_id, cancel_requested=True)
        return "requested"
    return "finished"


def retry_run(*, session: Session, run_id: int, owner: str = LOCAL_OWNER) -> int:
    """A failed or interrupted run resumes from its checkpoint (same run); a cancelled one starts over (new run)."""
    run = get_owned_run(session=session, run_id=run_id, owner=owner)
    if run is None:
        raise LookupError(f"run {run_id} not found")
    if active_job_ids(session=session, job_ids=[run.job_id]):
        raise ValueError("this job already has a queued or running run")
    if run.status in (RunStatus.failed.value, RunStatus.interrupted.value):
        set_run_state(session=session, run_id=run_id, status=RunStatus.queued.value, cancel_requested=False,
                      finished_at=None, error_code=None, error_message=None)
        return run_id
    if run.status in (RunStatus.cancelled.value, RunStatus.succeeded.value):
        fresh = create_run(session=session, job_id=run.job_id, batch_id=None, owner=owner)
        estimate_run(session=session, run=fresh)
        return fresh.id
    raise ValueError(f"a {run.status} run cannot be retried")


def recover_stranded(*, session: Session, worker_prefix: str | None = None) -> list[int]:
    """Runs left `running`/`interrupted` by a stopped process go back to the queue (they resume
    from their checkpoints). `worker_prefix` limits this to one machine's workers."""
    stmt = select(Run).where(col(Run.status).in_([RunStatus.running.value, RunStatus.interrupted.value]))
    ids = []
    for run in session.exec(stmt).all():
        if worker_prefix and run.worker and not run.worker.startswith(worker_prefix):
            continue
        set_run_state(session=session, run_id=run.id, status=RunStatus.queued.value)
        ids.append(run.id)
    return ids


def cancel_requested_ids(*, session: Session, run_ids: list[int]) -> set[int]:
    if not run_ids:
        return set()
    return set(session.exec(select(Run.id).where(col(Run.id).in_(run_ids), col(Run.cancel_requested).is_(True))).all())


def refresh_batch(*, session: Session, batch_id: int | None) -> None:
    """Recount a batch's finished runs (derived from the runs, so never out of step)."""
    if batch_id is None:
        return
    batch = session.get(Batch, batch_id)
    if batch is None:
        return
    rows = session.exec(select(Run.status, func.count()).where(Run.batch_id == batch_id).group_by(Run.status)).all()
    counts = dict(rows)
    batch.done = counts.get(RunStatus.succeeded.value, 0)
    batch.failed = counts.get(RunStatus.failed.value, 0) + counts.get(RunStatus.cancelled.value, 0)
    if batch.done + batch.failed >= batch.total and batch.finished_at is None:
        batch.finished_at = utcnow()
    session.add(batch)


def recent_runs(*, session: Session, owner: str = LOCAL_OWNER, limit: int = 30) -> list[dict[str, Any]]:
    """Active runs first, then the latest finished ones, with their job's title and company."""
    stmt = (
        select(Run, Job.title, Job.company)
        .join(Job, Job.id == Run.job_id)
        .where(Run.owner == owner)
        .order_by(col(Run.status).in_(PENDING).desc(), col(Run.id).desc())
        .limit(limit)
    )
    now = utcnow()
    out = []
    for run, title, company in session.exec(stmt).all():
        end = run.finished_at or now
        elapsed = (end - run.started_at).total_seconds() if run.started_at else 0.0
        out.append({
            "id": run.id, "job_id": run.job_id, "batch_id": run.batch_id or 0, "title": title, "company": company,
            "status": run.status, "step": run.step, "progress": run.progress, "elapsed_s": round(max(0.0, elapsed), 1),
            "cost_usd": run.cost_usd, "estimate_low_usd": run.estimate_low_usd, "estimate_high_usd": run.estimate_high_usd,
            "error_code": run.error_code or "", "error_message": run.error_message or "",
            "cancel_requested": run.cancel_requested, "attempt": run.attempt, "started": run.started_at is not None,
        })
    return out


def batch_summaries(*, session: Session, owner: str = LOCAL_OWNER, limit: int = 5) -> list[dict[str, Any]]:
    """The newest batches of runs (the runs panel's "batch #N: x/y done"); "Find matches" batches are not runs."""
    stmt = select(Batch).where(Batch.owner == owner, Batch.kind == "process").order_by(col(Batch.id).desc()).limit(limit)
    batches = list(session.exec(stmt).all())
    ids = [b.id for b in batches]
    spent: dict[int, float] = {}
    held: dict[int, int] = {}
    if ids:
        rows = session.exec(select(Run.batch_id, func.coalesce(func.sum(Run.cost_usd), 0.0)).where(col(Run.batch_id).in_(ids)).group_by(Run.batch_id))
        spent = {bid: float(total or 0.0) for bid, total in rows.all()}
        rows = session.exec(select(Run.batch_id, func.count()).where(col(Run.batch_id).in_(ids), Run.status == RunStatus.held.value).group_by(Run.batch_id))
        held = {bid: int(n) for bid, n in rows.all()}
    return [{"id": b.id, "label": b.label, "total": b.total, "done": b.done, "failed": b.failed, "finished": b.finished_at is not None,
             "spent_usd": spent.get(b.id, 0.0), "estimate_low_usd": b.estimate_low_usd, "estimate_high_usd": b.estimate_high_usd,
             "held": held.get(b.id, 0)}
            for b in batches]
