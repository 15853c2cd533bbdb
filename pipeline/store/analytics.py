"""What the numbers say: the funnel, applications and responses per week, response rates by
source, fit band and CV template, days to the first response, and fit against outcome.

Why in one pass: the Analytics view asks all of it at once, over up to tens of thousands of
jobs; a few narrow queries (the count of processed jobs and the applied ones, both read from an
index that holds their columns; applications and answers per layout as JSON text; the ids with an
interview) and one walk in Python keep it under 50 ms for 10,000 jobs (bench/table.py measures
it) on SQLite and PostgreSQL alike, with no dialect-specific JSON queries.

Definitions (the view's footnotes say the same):
- processed: the job has a finished run; applied: it has an applied date;
- responded: the employer answered (an interview, an offer or a rejection after applying);
- interview: an interview is recorded or the job is at interviewing/offer; offer: at offer.
- A rate is shown only with at least `MIN_GROUP` applications behind it; fit against outcome
  only with at least `MIN_OUTCOMES` outcomes ("not enough data yet" otherwise).
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, Text, cast, func, or_, type_coerce
from sqlmodel import Session, select

from pipeline.store.models import LOCAL_OWNER, Interview, Job, JobStatus, RunStatus

FIT_BANDS = (("85–100", 85), ("70–84", 70), ("50–69", 50), ("0–49", 0))
NO_FIT = "no fit score"
MIN_GROUP = 3
MIN_OUTCOMES = 10
WEEKS = 8
STAGES = ("processed", "applied", "responded", "interview", "offer")


@dataclass(frozen=True)
class Rate:
    group: str
    applied: int
    responded: int

    @property
    def rate(self) -> float | None:
        """Share answered, 0-100; None below MIN_GROUP applications (too few to say anything)."""
        return round(100 * self.responded / self.applied, 1) if self.applied >= MIN_GROUP else None


@dataclass
class Numbers:
    funnel: dict[str, int] = field(default_factory=dict)
    weeks: list[dict[str, Any]] = field(default_factory=list)  # {"week": "2026-11-02", "applied": n, "responded": n}
    by_source: list[Rate] = field(default_factory=list)
    by_fit: list[Rate] = field(default_factory=list)
    by_template: list[Rate] = field(default_factory=list)
    days_to_response: list[int] = field(default_factory=list)  # one per answered application
    median_days_to_response: float | None = None
    fit_outcomes: list[dict[str, Any]] = field(default_factory=list)  # {"fit": 0-100, "outcome": "offer|interview|rejected|no answer"}
    enough_outcomes: bool = False


def fit_band(score: int | None) -> str:
    if score is None:
        return NO_FIT
    return next(label for label, low in FIT_BANDS if score >= low)


def _week(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _rates(counts: dict[str, list[int]], order: list[str] | None = None) -> list[Rate]:
    keys = order if order is not None else sorted(counts, key=lambda k: (-counts[k][0], k))
    return [Rate(k, counts[k][0], counts[k][1]) for k in keys if k in counts]


def numbers(*, session: Session, now: datetime, owner: str = LOCAL_OWNER, weeks: int = WEEKS, silent_after_days: int = 30) -> Numbers:
    """Every figure of the Analytics view for one owner, `now` being the caller's clock."""
    # Three narrow reads of the owner's jobs, as plain tuples (no ORM rows). The first two come from
    # ix_job_owner_analytics alone (it holds every column they read, so SQLite never reads the wide
    # rows with their descriptions): how many are processed or applied, and the applied ones with
    # their dates as the driver gives them (see _utc_day) and whether an application is older than
    # the silence limit.
    conn = session.connection()
    mine = Job.owner == owner
    processed = conn.execute(
        select(func.count()).select_from(Job).where(mine, or_(Job.applied_at.is_not(None), Job.last_run_status == RunStatus.succeeded.value))
    ).scalar_one()  # fmt: skip
    silent = (Job.applied_at < now - timedelta(days=silent_after_days)).label("silent")
    rows = conn.execute(
        select(Job.id, Job.source, Job.fit_score, Job.status, type_coerce(Job.applied_at, DateTime),
               type_coerce(Job.responded_at, DateTime), silent)
        .where(mine, Job.applied_at.is_not(None))
    ).all()  # fmt: skip
    # The CV templates: applications and answers per distinct layout (its JSON text), counted by the
    # database; on SQLite the one read that still visits the wide rows (a JSON column cannot be an
    # index key on PostgreSQL, so the shared index leaves it out there).
    layouts = conn.execute(
        select(cast(Job.layout, Text), func.count(), func.count(Job.responded_at))
        .where(mine, Job.applied_at.is_not(None))
        .group_by(cast(Job.layout, Text))
    ).all()  # fmt: skip
    interviewed = set(conn.execute(select(Interview.job_id).where(Interview.owner == owner).distinct()).scalars().all())
    out = Numbers(funnel=dict.fromkeys(STAGES, 0))
    offer, interviewing, rejected = JobStatus.offer.value, JobStatus.interviewing.value, JobStatus.rejected.value
    applied = responded_n = interviews = offers = 0
    # Per row only counters; the groups and weeks are summed from them after the loop (a few hundred keys).
    groups: Counter[tuple[str | None, int | None, bool]] = Counter()
    days: Counter[date] = Counter()  # applications per UTC day
    answer_days: Counter[date] = Counter()
    for job_id, source, fit, status, applied_at, responded_at, is_silent in rows:
        interview = job_id in interviewed or status in (interviewing, offer)
        responded = responded_at is not None
        applied += 1
        responded_n += responded
        interviews += interview
        offers += status == offer
        groups[(source, fit, responded)] += 1
        days[_utc_day(applied_at)] += 1
        if responded:
            answer_days[_utc_day(responded_at)] += 1
            out.days_to_response.append(max(0, (responded_at - applied_at).days))
        if fit is not None:  # how it ended so far: offer, interview, rejected, no answer (silent for a month), or too early
            outcome = ("offer" if status == offer else "interview" if interview else "rejected" if status == rejected
                       else "no answer" if not responded and is_silent else None)  # fmt: skip
            if outcome:
                out.fit_outcomes.append({"fit": fit, "outcome": outcome})
    out.funnel.update(processed=processed, applied=applied, responded=responded_n, interview=interviews, offer=offers)
    first_week = _week(now.date()) - timedelta(weeks=weeks - 1)
    per_week: dict[date, list[int]] = {first_week + timedelta(weeks=i): [0, 0] for i in range(weeks)}
    for column, counts in ((0, days), (1, answer_days)):
        for day, n in counts.items():
            if (wk := _week(day)) in per_week:
                per_week[wk][column] += n
    by_source: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_fit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_template: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (source, fit, responded), n in groups.items():
        for bucket, key in ((by_source, source or "unknown"), (by_fit, fit_band(fit))):
            bucket[key][0] += n
            bucket[key][1] += n * responded
    for layout, n, answered in layouts:  # decoded once per distinct layout text
        counts = by_template[_template(layout)]
        counts[0] += n
        counts[1] += answered
    out.weeks = [{"week": wk.isoformat(), "applied": a, "responded": r} for wk, (a, r) in sorted(per_week.items())]
    out.by_source = _rates(by_source)
    out.by_fit = _rates(by_fit, [label for label, _ in FIT_BANDS] + [NO_FIT])
    out.by_template = _rates(by_template)
    out.days_to_response.sort()
    out.median_days_to_response = statistics.median(out.days_to_response) if out.days_to_response else None
    out.enough_outcomes = len(out.fit_outcomes) >= MIN_OUTCOMES
    return out


def _template(layout_json: str | None) -> str:
    """The CV template a job's layout names ("classic" when it names none)."""
    try:
        layout = json.loads(layout_json) if layout_json else {}
    except ValueError:
        layout = {}
    return (layout.get("template") if isinstance(layout, dict) else None) or "classic"


def _utc_day(moment: datetime) -> date:
    """The UTC day of a stored moment: SQLite gives naive UTC, PostgreSQL an aware time in the session's zone."""
    return moment.date() if moment.tzinfo is None else moment.astimezone(UTC).date()


def outcome_counts(data: Numbers) -> Counter[str]:
    return Counter(p["outcome"] for p in data.fit_outcomes)


__all__ = ["FIT_BANDS", "MIN_GROUP", "MIN_OUTCOMES", "Numbers", "Rate", "fit_band", "numbers", "outcome_counts"]
