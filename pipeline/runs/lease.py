"""Leases: the store decides which worker executes a run, so broker redeliveries and
reaper re-sends may duplicate tasks without a run ever executing twice at once.

A worker leases a run with one conditional UPDATE (atomic on PostgreSQL: a second
UPDATE on the same row waits for the first to commit, then re-checks its WHERE and
matches nothing), renews it with heartbeats, and a reaper puts runs whose lease
expired (the worker died or hangs) back to `queued`. Times are this machine's UTC
clock: keep workers NTP-synced; the lease is long compared to plausible skew."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlmodel import Session, col, select

from pipeline.settings import settings
from pipeline.store.models import Run, RunStatus, utcnow
from pipeline.store.runs import append_events, next_seq

LEASE_SECONDS = settings.lease_seconds
HEARTBEAT_SECONDS = LEASE_SECONDS / 3

QUEUED, RUNNING = RunStatus.queued.value, RunStatus.running.value


def try_lease(*, session: Session, run_id: int, worker: str, seconds: float = LEASE_SECONDS) -> bool:
    """Take the run if it is queued, or running under an expired lease. True: it is ours."""
    now = utcnow()
    stmt = (
        update(Run)
        .where(col(Run.id) == run_id, or_(col(Run.status) == QUEUED, and_(col(Run.status) == RUNNING, col(Run.lease_until) < now)))
        .values(status=RUNNING, worker=worker, lease_until=now + timedelta(seconds=seconds), heartbeat_at=now)
        .returning(col(Run.id))
    )
    won = session.execute(stmt).first() is not None
    session.flush()
    return won


def heartbeat(*, session: Session, run_id: int, worker: str, seconds: float = LEASE_SECONDS) -> bool:
    """Extend the lease; False when this worker no longer holds it (reaped, or finished)."""
    now = utcnow()
    stmt = (
        update(Run)
        .where(col(Run.id) == run_id, col(Run.status) == RUNNING, col(Run.worker) == worker)
        .values(lease_until=now + timedelta(seconds=seconds), heartbeat_at=now)
        .returning(col(Run.id))
    )
    return session.execute(stmt).first() is not None


def expired_runs(*, session: Session, now: datetime) -> list[int]:
    """Running runs whose worker stopped renewing the lease (a NULL lease is not ours to judge)."""
    stmt = select(Run.id).where(Run.status == RUNNING, col(Run.lease_until) < now).order_by(Run.id)
    return list(session.exec(stmt).all())


def requeue_expired(*, session: Session, now: datetime) -> list[int]:
    """Put expired runs back to `queued` (conditionally: a heartbeat landing meanwhile wins),
    with a log line saying why; `interrupted` runs (a worker stopped cleanly) go back too."""
    out: list[int] = []
    for run_id in expired_runs(session=session, now=now):
        stmt = (
            update(Run)
            .where(col(Run.id) == run_id, col(Run.status) == RUNNING, col(Run.lease_until) < now)
            .values(status=QUEUED, lease_until=None)
            .returning(col(Run.worker))
        )
        row = session.execute(stmt).first()
        if row is not None:
            _note(session, run_id, f"worker {row[0]} stopped renewing its lease: the run goes back to the queue and resumes from its checkpoint")
            out.append(run_id)
    for run_id in session.exec(select(Run.id).where(Run.status == RunStatus.interrupted.value)).all():
        stmt = update(Run).where(col(Run.id) == run_id, col(Run.status) == RunStatus.interrupted.value).values(status=QUEUED, lease_until=None)
        if session.execute(stmt.returning(col(Run.id))).first() is not None:
            _note(session, run_id, "the run was interrupted: it goes back to the queue and resumes from its checkpoint")
            out.append(run_id)
    session.flush()
    return out


def stale_queued(*, session: Session, older_than: datetime) -> list[int]:
    """Queued runs created before `older_than`: candidates for a lost broker message."""
    stmt = select(Run.id).where(Run.status == QUEUED, col(Run.created_at) < older_than).order_by(Run.id)
    return list(session.exec(stmt).all())


def _note(session: Session, run_id: int, message: str) -> None:
    """A log line written outside an execution (no worker holds the run, so seqs stay contiguous)."""
    append_events(session=session, rows=[{
        "run_id": run_id, "seq": next_seq(session=session, run_id=run_id), "ts": utcnow(),
        "level": "warning", "step": "run", "message": message, "data": {"requeued": True},
    }])
