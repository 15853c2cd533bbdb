"""The board: the table's filtered jobs as columns by status, with each card's dates.

Why a query of its own: the board shows every active application at once (2,000 is a normal
search), so it asks for the few fields a card shows, caps each column in the database (one
ranked query, not one per status), and reads the next interview of the shown cards only.
Moves are `pipeline.store.jobs.set_status`, so a card moved on the board is the same
idempotent JobEvent as a status change in the table.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from pipeline.store.jobs import JobQuery, _filtered, _order, status_counts
from pipeline.store.models import JOB_STATUSES, Interview, Job, JobStatus, utcnow
from pipeline.store.tracking import zone_or_utc

BOARD_STATUSES: tuple[str, ...] = tuple(s for s in JOB_STATUSES if s != JobStatus.archived.value)
PER_COLUMN = 200
CARD_FIELDS = ("id", "title", "company", "status", "fit_score", "follow_up_on")


@dataclasses.dataclass
class Card:
    id: int
    title: str
    company: str
    status: str
    fit_score: int | None
    follow_up_on: str  # ISO day, "" when none
    overdue: bool  # the follow-up day is past
    next_interview: str  # ISO time (UTC) of the next interview, "" when none


@dataclasses.dataclass
class Column:
    status: str
    total: int  # every matching job in this status (the cards are the first `per_column`)
    cards: list[Card]

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.cards))


def board_columns(
    *, session: Session, query: JobQuery, per_column: int = PER_COLUMN, now: datetime | None = None, zone: str | None = None
) -> list[Column]:
    """One column per board status under the table's filters (its status chips hide the other
    columns' cards, never the columns: they stay drop targets), in the table's sort order.
    `zone` is the browser's: "overdue" is by its day, and interview times are in it."""
    now = now or utcnow()
    tz = zone_or_utc(zone)
    today = now.astimezone(tz).date()
    per_column = max(1, min(per_column, 1000))
    counts = status_counts(session=session, query=query)
    wanted = [s for s in BOARD_STATUSES if not query.statuses or s in query.statuses]
    cards: dict[str, list[Card]] = {s: [] for s in BOARD_STATUSES}
    if wanted:
        base = _filtered(dataclasses.replace(query, statuses=wanted))
        rank = func.row_number().over(partition_by=Job.status, order_by=_order(query)).label("rank")
        ranked = base.with_only_columns(*[getattr(Job, f) for f in CARD_FIELDS], rank).subquery()
        stmt = select(*[ranked.c[f] for f in CARD_FIELDS]).where(ranked.c.rank <= per_column).order_by(ranked.c.status, ranked.c.rank)
        rows = session.execute(stmt).all()
        interviews = next_interviews(session=session, job_ids=[r[0] for r in rows], owner=query.owner, now=now)
        for job_id, title, company, status, fit, follow_up in rows:
            follow = _day(follow_up)
            when = interviews.get(job_id)
            cards[status].append(Card(
                id=job_id, title=title, company=company, status=status, fit_score=fit,
                follow_up_on=follow.isoformat() if follow else "", overdue=bool(follow and follow < today),
                next_interview=_aware(when).astimezone(tz).isoformat(timespec="minutes") if when else "",
            ))  # fmt: skip
    return [Column(status=s, total=counts.get(s, 0) if s in wanted else 0, cards=cards[s]) for s in BOARD_STATUSES]


def next_interviews(*, session: Session, job_ids: Sequence[int], owner: str, now: datetime | None = None) -> dict[int, datetime]:
    """Each job's next interview from `now`, by job id (jobs without one are left out)."""
    now = now or utcnow()
    out: dict[int, datetime] = {}
    ids = list(job_ids)
    for i in range(0, len(ids), 500):
        stmt = (
            select(Interview.job_id, func.min(Interview.starts_at))
            .where(col(Interview.job_id).in_(ids[i : i + 500]), Interview.owner == owner, Interview.starts_at >= now)
            .group_by(Interview.job_id)
        )  # fmt: skip
        out.update({job_id: when for job_id, when in session.execute(stmt).all() if when is not None})
    return out


def neighbour_status(status: str, step: int) -> str | None:
    """The board column `step` places left (-1) or right (+1) of `status`; None past either end."""
    if status not in BOARD_STATUSES:
        return None
    i = BOARD_STATUSES.index(status) + step
    return BOARD_STATUSES[i] if 0 <= i < len(BOARD_STATUSES) else None


def _aware(when: datetime) -> datetime:
    """SQLite gives stored UTC times back without their zone."""
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _day(value: date | str | None) -> date | None:
    """SQLite hands a date column back as text from a subquery; PostgreSQL as a date."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
