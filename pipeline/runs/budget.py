"""Cost caps: a queued run starts only while its batch and its owner's month stay within their caps.

The caps are the owner's effective settings (pipeline/llm/config.py): what they saved in
Settings → Spending, else `MAX_COST_PER_BATCH` and `MAX_COST_PER_MONTH` (USD, 0 = no cap). They
are read from the store at every decision (the local dispatcher's and every Celery worker's), so
a cap raised in the page applies to the next decision and to Resume without a restart. Before a worker starts a
queued run (the local dispatcher's claim, a Celery task's lease), `hold_if_over` asks: would
this run take its batch, or the owner's spend this month (UTC), past a cap? "Would" counts
what is spent (Run.cost_usd), what the running runs are expected to cost (the midpoint of
their estimate, until they record their cost) and this run's own expected cost. If so the run
is set to `held` with a log line saying which cap and by how much; a held run is never picked
up by any worker (they take `queued` runs only) until `resume_held` puts it back in the queue.
Finished runs are kept as they are.

Only runs that cost money are held: a run with no estimate (the offline analyst, a local or
unpriced model) costs nothing the caps can count. Per run, MAX_COST_PER_RUN still stops a run
part way (pipeline/llm/base.py Usage.check).

On PostgreSQL the check takes a transaction-scoped advisory lock per owner, so two workers
deciding at once see each other's started run; SQLite serialises writers by itself.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, text, update
from sqlmodel import Session, col, select

from pipeline.store.models import Run, RunStatus, utcnow
from pipeline.store.runs import append_events, next_seq

HELD = RunStatus.held.value
QUEUED, RUNNING = RunStatus.queued.value, RunStatus.running.value
BUDGET_BATCH, BUDGET_MONTH = "budget_batch", "budget_month"


@dataclass(frozen=True)
class Caps:
    batch: float = 0.0  # USD; 0 = no cap
    month: float = 0.0
    batch_from: str = "MAX_COST_PER_BATCH"  # where each cap was set, for the messages
    month_from: str = "MAX_COST_PER_MONTH"


SAVED = "saved in Settings → Spending"


def caps_for(owner: str | None, *, session: Session | None = None) -> Caps:
    """The caps that apply to `owner`'s runs: saved in their Settings, else the environment's."""
    from pipeline.llm.config import effective_settings

    eff = effective_settings(owner, session=session)
    return Caps(
        batch=eff.max_cost_per_batch or 0.0, month=eff.max_cost_per_month or 0.0,
        batch_from=SAVED if eff.sources.get("max_cost_per_batch") == "saved" else Caps.batch_from,
        month_from=SAVED if eff.sources.get("max_cost_per_month") == "saved" else Caps.month_from,
    )


def month_start(now: datetime | None = None) -> datetime:
    """The first of `now`'s month, 00:00 UTC."""
    now = (now or utcnow()).astimezone(UTC)
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month_start(now: datetime | None = None) -> datetime:
    start = month_start(now)
    return start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)


def _when():
    """When a run's money was spent: when it finished, else when it started or was queued."""
    return func.coalesce(Run.finished_at, Run.started_at, Run.created_at)


def month_spent(*, session: Session, owner: str, now: datetime | None = None) -> float:
    """What `owner`'s runs cost since the first of this month (UTC): Run.cost_usd summed."""
    start = month_start(now)
    stmt = select(func.coalesce(func.sum(Run.cost_usd), 0.0)).where(Run.owner == owner, _when() >= start, _when() < next_month_start(now))
    return float(session.exec(stmt).one() or 0.0)


def batch_spent(*, session: Session, batch_id: int) -> float:
    return float(session.exec(select(func.coalesce(func.sum(Run.cost_usd), 0.0)).where(Run.batch_id == batch_id)).one() or 0.0)


def expected_cost(run: Run) -> float:
    """What a run is expected to cost: the midpoint of its estimate (0 without one)."""
    if run.estimate_low_usd is None or run.estimate_high_usd is None:
        return 0.0
    return (run.estimate_low_usd + run.estimate_high_usd) / 2


def _in_flight(session: Session, *conditions: Any) -> float:
    """What running runs matching `conditions` are expected to cost beyond what they recorded."""
    rows = session.exec(select(Run).where(Run.status == RUNNING, *conditions)).all()
    return sum(max(expected_cost(r) - (r.cost_usd or 0.0), 0.0) for r in rows)


@dataclass(frozen=True)
class Hold:
    code: str  # budget_batch | budget_month
    message: str


def hold_reason(*, session: Session, run: Run, caps: Caps | None = None, now: datetime | None = None) -> Hold | None:
    """Why `run` may not start now (None: it may). Only runs with a cost estimate are held."""
    expected = expected_cost(run)
    if expected <= 0:
        return None
    caps = caps or caps_for(run.owner, session=session)
    others = col(Run.id) != run.id
    if caps.batch > 0 and run.batch_id is not None:
        spent = batch_spent(session=session, batch_id=run.batch_id)
        committed = spent + _in_flight(session, Run.batch_id == run.batch_id, others)
        if committed + expected > caps.batch:
            return Hold(BUDGET_BATCH, (
                f"held: budget. Batch #{run.batch_id} has spent ${spent:.4f}"
                + (f" (about ${committed:.4f} with the runs in progress)" if committed > spent else "")
                + f"; this run (about ${expected:.4f}) would take it past its ${caps.batch:.2f} cap ({caps.batch_from}). "
                "Raise the cap in Settings → Spending, then press Resume."
            ))
    if caps.month > 0:
        spent = month_spent(session=session, owner=run.owner, now=now)
        committed = spent + _in_flight(session, Run.owner == run.owner, others)
        if committed + expected > caps.month:
            turn = next_month_start(now)
            resume_on = f"{turn.day} {turn:%B %Y}"
            return Hold(BUDGET_MONTH, (
                f"held: budget. This month's spend is ${spent:.4f}"
                + (f" (about ${committed:.4f} with the runs in progress)" if committed > spent else "")
                + f"; this run (about ${expected:.4f}) would take it past the ${caps.month:.2f} monthly cap ({caps.month_from}). "
                f"Raise the cap in Settings → Spending, or wait until {resume_on} (UTC), then press Resume."
            ))
    return None


def lock_owner(session: Session, owner: str) -> None:
    """Serialise budget decisions for one owner until the transaction ends (PostgreSQL only)."""
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"jobapp-budget:{owner}".encode()) - 2**31  # a signed 32-bit key
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def hold_if_over(*, session: Session, run_id: int, now: datetime | None = None) -> Hold | None:
    """Hold the queued run `run_id` when it would pass a cap (conditionally: only a run still
    queued is held); the hold, or None when it may start. A running run (a re-lease after its
    worker died) is a resumption, never held."""
    run = session.get(Run, run_id)
    if run is None or run.status != QUEUED or expected_cost(run) <= 0:
        return None
    caps = caps_for(run.owner, session=session)
    if caps.batch <= 0 and caps.month <= 0:
        return None
    lock_owner(session, run.owner)
    session.refresh(run)
    if run.status != QUEUED:
        return None
    hold = hold_reason(session=session, run=run, caps=caps, now=now)
    if hold is None:
        return None
    stmt = (
        update(Run).where(col(Run.id) == run_id, col(Run.status) == QUEUED)
        .values(status=HELD, error_code=hold.code, error_message=hold.message).returning(col(Run.id))
    )
    if session.execute(stmt).first() is None:
        return None
    session.expire(run)
    _mirror_job(session, run_id)
    _note(session, run_id, "warning", hold.message, {"held": hold.code})
    return hold


def resume_held(*, session: Session, owner: str, run_ids: list[int] | None = None, now: datetime | None = None) -> list[int]:
    """Put `owner`'s held runs (all, or those in `run_ids`) back in the queue, oldest first; the ids.

    When the oldest would be held again at once (the cap was not raised, the month has not
    turned), nothing changes and ValueError says why: the user raises the cap first. Runs past
    the cap further down the queue are held again when their turn comes."""
    stmt = select(Run).where(Run.owner == owner, Run.status == HELD).order_by(Run.created_at, Run.id)
    if run_ids is not None:
        stmt = stmt.where(col(Run.id).in_(run_ids))
    held = list(session.exec(stmt).all())
    if not held:
        return []
    first = held[0]
    hold = hold_reason(session=session, run=first, now=now)
    if hold is not None:
        raise ValueError(hold.message.removeprefix("held: budget. "))
    ids = []
    for run in held:
        stmt2 = update(Run).where(col(Run.id) == run.id, col(Run.status) == HELD).values(status=QUEUED, error_code=None, error_message=None)
        if session.execute(stmt2.returning(col(Run.id))).first() is not None:
            ids.append(run.id)
            _mirror_job(session, run.id)
            _note(session, run.id, "info", "resumed: back in the queue", {"resumed": True})
    session.flush()
    session.expire_all()
    return ids


def held_count(*, session: Session, owner: str) -> int:
    return int(session.exec(select(func.count()).select_from(Run).where(Run.owner == owner, Run.status == HELD)).one())


def _mirror_job(session: Session, run_id: int) -> None:
    from pipeline.store.models import Job

    run = session.get(Run, run_id)
    if run is None:
        return
    session.refresh(run)
    job = session.get(Job, run.job_id)
    if job is not None and job.last_run_id == run.id:
        job.last_run_status = run.status
        session.add(job)


def _note(session: Session, run_id: int, level: str, message: str, data: dict[str, Any]) -> None:
    """A log line written outside an execution (no worker holds the run)."""
    append_events(session=session, rows=[{
        "run_id": run_id, "seq": next_seq(session=session, run_id=run_id), "ts": utcnow(),
        "level": level, "step": "run", "message": message, "data": data,
    }])
