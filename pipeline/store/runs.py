"""Runs, their log lines and artifacts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from pipeline.store.models import LOCAL_OWNER, Artifact, Batch, Job, Run, RunEvent, RunStatus, utcnow

ACTIVE = (RunStatus.queued.value, RunStatus.running.value)


def create_run(*, session: Session, job_id: int, batch_id: int | None = None, owner: str = LOCAL_OWNER) -> Run:
    run = Run(job_id=job_id, batch_id=batch_id, owner=owner)
    session.add(run)
    session.flush()
    job = session.get(Job, job_id)
    if job is not None:
        job.last_run_id, job.last_run_status = run.id, run.status
        session.add(job)
    return run


def create_batch(*, session: Session, total: int, label: str = "", kind: str = "process", owner: str = LOCAL_OWNER) -> Batch:
    batch = Batch(total=total, label=label, kind=kind, owner=owner)
    session.add(batch)
    session.flush()
    return batch


def get_run(*, session: Session, run_id: int) -> Run | None:
    return session.get(Run, run_id)


def get_owned_run(*, session: Session, run_id: int, owner: str) -> Run | None:
    """The run if `owner` owns it, else None: another owner's run looks exactly like a missing one."""
    run = session.get(Run, run_id)
    return run if run is not None and run.owner == owner else None


def set_run_state(*, session: Session, run_id: int, **fields: Any) -> Run:
    """Update a run (status, step, progress, costs...) and mirror its status onto its job."""
    run = session.get(Run, run_id)
    if run is None:
        raise LookupError(f"run {run_id} not found")
    for k, v in fields.items():
        setattr(run, k, v)
    session.add(run)
    if "status" in fields:
        job = session.get(Job, run.job_id)
        if job is not None and job.last_run_id == run.id:
            job.last_run_status = run.status
            session.add(job)
    session.flush()
    return run


def next_seq(*, session: Session, run_id: int) -> int:
    """The seq the next log line of this run gets (lines survive restarts, so continue)."""
    last = session.exec(select(func.max(RunEvent.seq)).where(RunEvent.run_id == run_id)).one()
    return (last or 0) + 1


def append_events(*, session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk-insert log lines; a (run, seq) already stored is ignored, so a retried flush is harmless."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    ins = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(ins(RunEvent).on_conflict_do_nothing(index_elements=["run_id", "seq"]), list(rows))


def run_events(*, session: Session, run_id: int, after_seq: int = 0, limit: int = 500) -> list[RunEvent]:
    stmt = select(RunEvent).where(RunEvent.run_id == run_id, RunEvent.seq > after_seq).order_by(RunEvent.seq).limit(limit)
    return list(session.exec(stmt).all())


def run_events_before(*, session: Session, run_id: int, before_seq: int, limit: int = 500) -> list[RunEvent]:
    """The `limit` lines just before `before_seq`, oldest first (paging back through a long log)."""
    stmt = select(RunEvent).where(RunEvent.run_id == run_id, RunEvent.seq < before_seq).order_by(col(RunEvent.seq).desc()).limit(limit)
    return list(reversed(session.exec(stmt).all()))


def record_artifact(*, session: Session, run_id: int, name: str, path: str, size: int, sha256: str) -> None:
    """Insert or refresh an artifact row: publishing twice leaves one row per name."""
    existing = session.exec(select(Artifact).where(Artifact.run_id == run_id, Artifact.name == name)).first()
    if existing is None:
        session.add(Artifact(run_id=run_id, name=name, path=path, size=size, sha256=sha256))
    else:
        existing.path, existing.size, existing.sha256, existing.created_at = path, size, sha256, utcnow()
        session.add(existing)
    session.flush()


def artifacts(*, session: Session, run_id: int) -> list[Artifact]:
    return list(session.exec(select(Artifact).where(Artifact.run_id == run_id).order_by(Artifact.name)).all())


def runs_with_status(*, session: Session, statuses: Sequence[str], limit: int = 1000) -> list[Run]:
    stmt = select(Run).where(col(Run.status).in_(list(statuses))).order_by(Run.created_at, Run.id).limit(limit)
    return list(session.exec(stmt).all())


def run_status_counts(*, session: Session) -> dict[str, int]:
    """Runs per status, for every owner (metrics scrapes): one GROUP BY over the status index."""
    rows = session.exec(select(Run.status, func.count()).group_by(Run.status)).all()
    return {status: int(n) for status, n in rows}


def oldest_queued_at(*, session: Session) -> datetime | None:
    """When the oldest still-queued run was created (the status index answers it)."""
    return session.exec(select(func.min(Run.created_at)).where(Run.status == RunStatus.queued.value)).one()


