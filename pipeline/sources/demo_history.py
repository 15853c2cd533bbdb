"""Eight weeks of a job search, laid over the demo postings on first run.

Why: an empty history makes the board one column, the Today panel empty and every chart flat,
so a first-time user sees none of what jobapp does after Process. Fifteen of the thirty demo
postings get an application date spread over the last eight weeks (relative to the day the
demo is seeded), and some an answer, interviews (two in the coming week), an offer or a
rejection; three follow-ups are due (two overdue). Deterministic: the same `now` gives the same
dates (times of day from a seeded generator), and the fit score is the offline fit of the
posting against the demo CV (pipeline/matching/scoring.py), as Find matches computes it.
The applications come from four sources (lever 5, link 4, greenhouse 3, ashby 3; the sources
are in demo_data/jobs.json), so the response rate by source compares groups on first run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlmodel import Session, col, select

from pipeline.store.models import EventKind, Interview, Job, JobEvent, JobStatus

SEED = 19  # the issue that asked for it; any fixed number keeps the demo the same run to run


@dataclass(frozen=True)
class Story:
    """One application: days before `now` it was sent and answered; the follow-up day relative to
    today (negative: overdue; None: nothing due); interviews as (days from today, kind, with whom)."""

    external_id: str
    status: str
    applied: int
    responded: int | None = None
    follow_up: int | None = None
    interviews: tuple[tuple[int, str, str], ...] = ()


STORIES: tuple[Story, ...] = (
    Story("demo-015", "rejected", applied=54, responded=49),
    Story("demo-008", "offer", applied=51, responded=44,
          interviews=((-40, "video", "Recruiter"), (-33, "technical", "ML team"), (-27, "final", "Head of ML"))),
    Story("demo-019", "applied", applied=47),  # followed up, never answered
    Story("demo-014", "rejected", applied=44, responded=37, interviews=((-37, "phone", "Security lead"),)),
    Story("demo-012", "rejected", applied=39, responded=31),
    Story("demo-026", "applied", applied=37),
    Story("demo-021", "interviewing", applied=34, responded=27,
          interviews=((-25, "phone", "Recruiter"), (9, "video", "Marketing director"))),
    Story("demo-024", "interviewing", applied=30, responded=21,
          interviews=((-14, "video", "Engineering manager"), (2, "technical", "Platform team"))),
    Story("demo-006", "interviewing", applied=24, responded=17,
          interviews=((-10, "phone", "Recruiter"), (1, "onsite", "SRE team"))),
    Story("demo-020", "rejected", applied=20, responded=12),
    Story("demo-027", "applied", applied=16, follow_up=-9),
    Story("demo-003", "applied", applied=11, follow_up=-4),
    Story("demo-009", "applied", applied=7, follow_up=0),
    Story("demo-017", "applied", applied=5, follow_up=2),
    Story("demo-005", "applied", applied=2, follow_up=5),
)  # fmt: skip

PLACES = {"video": "Video call (link in the invitation)", "phone": "Phone", "onsite": "Their office", "technical": "Video call",
          "final": "Their office", "panel": "Their office", "other": ""}


def apply_history(*, session: Session, owner: str, cv_markdown: str, now: datetime | None = None) -> int:
    """Lay the stories over the owner's demo jobs that have no application yet; how many changed."""
    from pipeline.matching.scoring import job_fit
    from pipeline.sources.demo import demo_keys

    now = (now or datetime.now(UTC)).astimezone(UTC)
    today = now.date()
    rng = random.Random(SEED)
    by_id = {s.external_id: s for s in STORIES}
    demo = demo_keys()  # a user's own job with a "demo-NNN" id from another source is left alone
    jobs = [j for j in session.exec(
        select(Job).where(Job.owner == owner, col(Job.external_id).in_(list(by_id)), col(Job.applied_at).is_(None))
    ).all() if (j.source, j.external_id) in demo]  # fmt: skip
    changed = 0
    for job in sorted(jobs, key=lambda j: j.external_id):
        story = by_id[job.external_id]
        hour = rng.randint(8, 18)
        job.status = story.status
        job.applied_at = _at(now - timedelta(days=story.applied), hour, rng.choice((0, 15, 30, 45)))
        job.responded_at = None if story.responded is None else _at(now - timedelta(days=story.responded), rng.randint(9, 17), 0)
        job.follow_up_on = None if story.follow_up is None else today + timedelta(days=story.follow_up)
        job.fit_score = job_fit(job_id=job.id or 0, version=f"demo:{job.external_id}", title=job.title, company=job.company, location=job.location,
                                description=job.description, cv_markdown=cv_markdown).score  # fmt: skip
        session.add(job)
        starts = []
        for days, kind, who in story.interviews:
            starts.append(_at(now + timedelta(days=days), rng.choice((9, 10, 11, 14, 15, 16)), rng.choice((0, 30))))
            session.add(Interview(job_id=job.id or 0, owner=owner, starts_at=starts[-1], minutes=45 if kind == "phone" else 60, kind=kind,
                                  location=PLACES.get(kind, ""), with_whom=who))  # fmt: skip
        _history(session, job, story, [t for t in starts if t < now], found_days_before=rng.randint(1, 6))
        changed += 1
    session.flush()
    return changed


def _history(session: Session, job: Job, story: Story, past_interviews: list[datetime], *, found_days_before: int) -> None:
    """The job's history tells the same story as its dates: imported some days before applying,
    then each status move on its day (the same events a move in the page writes)."""
    assert job.applied_at is not None
    imported = session.exec(select(JobEvent).where(JobEvent.job_id == job.id, JobEvent.kind == EventKind.imported.value)).first()
    job.created_at = job.applied_at - timedelta(days=found_days_before)
    if imported is not None:
        imported.created_at = job.created_at
        session.add(imported)
    moves = [(job.applied_at, JobStatus.applied.value)]
    if job.responded_at is not None:
        first = JobStatus.interviewing.value if story.interviews else story.status
        moves.append((job.responded_at, first))
        if first != story.status:
            moves.append(((past_interviews[-1] if past_interviews else job.responded_at) + timedelta(days=2), story.status))
    before = JobStatus.new.value
    for n, (at, status) in enumerate(moves):
        session.add(JobEvent(
            job_id=job.id or 0, kind=EventKind.status_changed.value, message=f"Status {before} → {status}", data={"from": before, "to": status},
            idempotency_key=f"demo-history:{job.id}:{n}", actor=job.owner, created_at=at,
        ))  # fmt: skip
        before = status
    job.updated_at = moves[-1][0]  # the table's "updated" is the last move


def _at(day: datetime, hour: int, minute: int) -> datetime:
    return datetime.combine(day.date(), time(hour, minute), tzinfo=UTC)
