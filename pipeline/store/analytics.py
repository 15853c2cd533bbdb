"""What the numbers say: the funnel, applications and responses per week, response rates by
source, fit band and CV template, days to the first response, and fit against outcome.

Why in one pass: the Analytics view asks all of it at once, over up to tens of thousands of
jobs; two narrow queries (jobs, then the ids with an interview) and one walk in Python keep it
well under 50 ms for 10,000 jobs (bench/table.py measures it) on SQLite and PostgreSQL alike,
with no dialect-specific JSON queries.

Definitions (the view's footnotes say the same):
- processed: the job has a finished run; applied: it has an applied date;
- responded: the employer answered (an interview, an offer or a rejection after applying);
- interview: an interview is recorded or the job is at interviewing/offer; offer: at offer.
- A rate is shown only with at least `MIN_GROUP` applications behind it; fit against outcome
  only with at least `MIN_OUTCOMES` outcomes ("not enough data yet" otherwise).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

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
    rows = session.exec(
        select(Job.id, Job.source, Job.fit_score, Job.layout, Job.status, Job.applied_at, Job.responded_at, Job.last_run_status)
        .where(Job.owner == owner)
    ).all()  # fmt: skip
    interviewed = set(session.exec(select(Interview.job_id).where(Interview.owner == owner).distinct()).all())
    out = Numbers(funnel=dict.fromkeys(STAGES, 0))
    first_week = _week(now.date()) - timedelta(weeks=weeks - 1)
    per_week: dict[date, list[int]] = {first_week + timedelta(weeks=i): [0, 0] for i in range(weeks)}
    by_source: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_fit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_template: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for job_id, source, fit, layout, status, applied_at, responded_at, run_status in rows:
        interview = job_id in interviewed or status in (JobStatus.interviewing.value, JobStatus.offer.value)
        processed = run_status == RunStatus.succeeded.value or applied_at is not None
        responded = responded_at is not None
        out.funnel["processed"] += processed
        if applied_at is None:
            continue
        out.funnel["applied"] += 1
        out.funnel["responded"] += responded
        out.funnel["interview"] += interview
        out.funnel["offer"] += status == JobStatus.offer.value
        wk = _week(applied_at.date())
        if wk in per_week:
            per_week[wk][0] += 1
        if responded and _week(responded_at.date()) in per_week:
            per_week[_week(responded_at.date())][1] += 1
        template = (layout or {}).get("template") or "classic"
        for bucket, key in ((by_source, source or "unknown"), (by_fit, fit_band(fit)), (by_template, template)):
            bucket[key][0] += 1
            bucket[key][1] += responded
        if responded:
            out.days_to_response.append(max(0, (responded_at - applied_at).days))
        outcome = _outcome(status, interview, responded, applied_at, now, silent_after_days)
        if outcome and fit is not None:
            out.fit_outcomes.append({"fit": fit, "outcome": outcome})
    out.weeks = [{"week": wk.isoformat(), "applied": a, "responded": r} for wk, (a, r) in sorted(per_week.items())]
    out.by_source = _rates(by_source)
    out.by_fit = _rates(by_fit, [label for label, _ in FIT_BANDS] + [NO_FIT])
    out.by_template = _rates(by_template)
    out.days_to_response.sort()
    out.median_days_to_response = statistics.median(out.days_to_response) if out.days_to_response else None
    out.enough_outcomes = len(out.fit_outcomes) >= MIN_OUTCOMES
    return out


def _outcome(status: str, interview: bool, responded: bool, applied_at: datetime, now: datetime, silent_after_days: int) -> str | None:
    """How an application ended so far: offer, interview, rejected, no answer (silent for a month), or None (too early)."""
    if status == JobStatus.offer.value:
        return "offer"
    if interview:
        return "interview"
    if status == JobStatus.rejected.value:
        return "rejected"
    if not responded and now - applied_at > timedelta(days=silent_after_days):
        return "no answer"
    return None


def outcome_counts(data: Numbers) -> Counter[str]:
    return Counter(p["outcome"] for p in data.fit_outcomes)


__all__ = ["FIT_BANDS", "MIN_GROUP", "MIN_OUTCOMES", "Numbers", "Rate", "fit_band", "numbers", "outcome_counts"]
