"""After applying: the applied date and the follow-up day, the first response, interviews, and
exactly which documents went out with an application.

Why one module: the board, the Today panel, the calendar feed and the analytics all read the
same few facts, and a status change must keep them right however it is made (table, board,
API, keyboard). `on_status_change` is the one place a status move touches them; it is called
by `pipeline.store.jobs.set_status` inside the same transaction, so a retried (idempotent)
move changes nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, col, select

from pipeline.store.models import LOCAL_OWNER, Interview, Job, JobStatus, Run, RunStatus, SentDocument, utcnow
from pipeline.text.claims import ClaimFlag

INTERVIEW_KINDS = ("phone", "video", "onsite", "technical", "panel", "final", "other")
EARLIER_THAN_INTERVIEW = frozenset({JobStatus.new.value, JobStatus.shortlisted.value, JobStatus.ready.value, JobStatus.applied.value})
RESPONDED = frozenset({JobStatus.interviewing.value, JobStatus.offer.value, JobStatus.rejected.value})
MAX_NOTES = 5000
MAX_MINUTES = 12 * 60


def follow_up_days() -> int:
    from pipeline.settings import settings

    return settings.follow_up_days


def on_status_change(job: Job, old: str, new: str, *, now: datetime | None = None, days: int | None = None) -> None:
    """Keep the job's dates right for a move from `old` to `new` (the caller saves the job).

    - to applied: the first applied date is kept (moving back and forth does not reset it); a
      follow-up day is set `days` after it when none is set.
    - from applied to interviewing, offer or rejected: the first response is recorded and the
      follow-up is done (an answer came).
    - to rejected, offer or archived: nothing left to follow up.
    """
    now = now or utcnow()
    days = follow_up_days() if days is None else days
    if new == JobStatus.applied.value:
        job.applied_at = job.applied_at or now
        if job.follow_up_on is None and job.responded_at is None and days > 0:
            job.follow_up_on = (job.applied_at + timedelta(days=days)).date()
    if new in RESPONDED and (job.applied_at is not None or old == JobStatus.applied.value) and job.responded_at is None:
        job.responded_at = now
    if new in RESPONDED or new == JobStatus.archived.value:
        job.follow_up_on = None


def set_follow_up(*, session: Session, job_id: int, on: date | None, owner: str = LOCAL_OWNER) -> Job:
    """Set (or clear, with None) the day to follow up on a job."""
    from pipeline.store.jobs import get_job

    job = get_job(session=session, job_id=job_id, owner=owner)
    if job is None:
        raise LookupError(f"Job {job_id} not found.")
    job.follow_up_on = on
    job.updated_at = utcnow()
    session.add(job)
    session.flush()
    return job


@dataclass(frozen=True)
class InterviewIn:
    """An interview as the user enters it (times are UTC; the page converts from the browser's zone)."""

    starts_at: datetime
    minutes: int = 60
    kind: str = "video"
    location: str = ""
    with_whom: str = ""
    notes: str = ""

    def checked(self) -> InterviewIn:
        """The same interview, or a ValueError in plain words."""
        if self.starts_at.tzinfo is None:
            raise ValueError("The interview time needs a time zone.")
        if self.kind not in INTERVIEW_KINDS:
            raise ValueError(f"Unknown interview kind {self.kind!r}; choose one of {', '.join(INTERVIEW_KINDS)}.")
        if not 5 <= self.minutes <= MAX_MINUTES:
            raise ValueError("An interview lasts between 5 minutes and 12 hours.")
        if len(self.notes) > MAX_NOTES:
            raise ValueError(f"Interview notes are limited to {MAX_NOTES:,} characters.")
        return InterviewIn(
            self.starts_at, self.minutes, self.kind, self.location.strip()[:500], self.with_whom.strip()[:300], self.notes.strip(),
        )  # fmt: skip


def add_interview(*, session: Session, job_id: int, interview: InterviewIn, owner: str = LOCAL_OWNER) -> Interview:
    """An interview on one of the owner's jobs; the job moves to interviewing when it was earlier in the funnel."""
    from pipeline.store.jobs import get_job

    job = get_job(session=session, job_id=job_id, owner=owner)
    if job is None:
        raise LookupError(f"Job {job_id} not found.")
    data = interview.checked()
    row = Interview(
        job_id=job_id, owner=owner, starts_at=data.starts_at, minutes=data.minutes, kind=data.kind, location=data.location,
        with_whom=data.with_whom, notes=data.notes,
    )  # fmt: skip
    session.add(row)
    session.flush()
    if job.status in EARLIER_THAN_INTERVIEW:  # an interview is the employer's answer
        from pipeline.store.jobs import set_status

        set_status(session=session, job_ids=[job_id], status=JobStatus.interviewing.value, key=f"interview:{row.id}", owner=owner)
    return row


def update_interview(*, session: Session, interview_id: int, interview: InterviewIn, owner: str = LOCAL_OWNER) -> Interview:
    row = _owned_interview(session, interview_id, owner)
    data = interview.checked()
    row.starts_at, row.minutes, row.kind = data.starts_at, data.minutes, data.kind
    row.location, row.with_whom, row.notes = data.location, data.with_whom, data.notes
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return row


def delete_interview(*, session: Session, interview_id: int, owner: str = LOCAL_OWNER) -> None:
    session.delete(_owned_interview(session, interview_id, owner))
    session.flush()


def _owned_interview(session: Session, interview_id: int, owner: str) -> Interview:
    row = session.get(Interview, interview_id)
    if row is None or row.owner != owner:
        raise LookupError(f"Interview {interview_id} not found.")
    return row


def interviews_of(*, session: Session, job_id: int, owner: str = LOCAL_OWNER) -> list[Interview]:
    stmt = select(Interview).where(Interview.job_id == job_id, Interview.owner == owner).order_by(col(Interview.starts_at))
    return list(session.exec(stmt))


def interviews_between(*, session: Session, start: datetime, end: datetime, owner: str = LOCAL_OWNER) -> list[tuple[Interview, Job]]:
    """The owner's interviews starting in [start, end), with their jobs (archived jobs left out)."""
    stmt = (
        select(Interview, Job)
        .where(Interview.job_id == Job.id, Interview.owner == owner, Interview.starts_at >= start, Interview.starts_at < end)
        .where(col(Job.archived_at).is_(None))
        .order_by(col(Interview.starts_at))
    )
    return list(session.exec(stmt))


def follow_ups_due(*, session: Session, today: date, owner: str = LOCAL_OWNER, within_days: int = 0) -> list[Job]:
    """Jobs whose follow-up day is on or before `today + within_days` (overdue first)."""
    stmt = (
        select(Job)
        .where(Job.owner == owner, col(Job.follow_up_on).is_not(None), col(Job.follow_up_on) <= today + timedelta(days=within_days))
        .where(col(Job.archived_at).is_(None))
        .order_by(col(Job.follow_up_on), col(Job.id))
    )
    return list(session.exec(stmt))


@dataclass(frozen=True)
class Today:
    """What the Today panel and the header show: follow-ups due (overdue ones counted) and this week's interviews."""

    follow_ups: list[Job]
    overdue: int
    interviews: list[tuple[Interview, Job]]


def today_view(*, session: Session, now: datetime, owner: str = LOCAL_OWNER, days: int = 7) -> Today:
    """`now` is the caller's clock (tests freeze it); the day boundary is UTC's."""
    today = now.date()
    due = follow_ups_due(session=session, today=today, owner=owner)
    overdue = sum(1 for j in due if j.follow_up_on is not None and j.follow_up_on < today)
    start = datetime(today.year, today.month, today.day, tzinfo=now.tzinfo)
    return Today(due, overdue, interviews_between(session=session, start=start, end=start + timedelta(days=days), owner=owner))


def jobs_with_dates(*, session: Session, job_ids: Sequence[int], owner: str = LOCAL_OWNER) -> dict[int, dict[str, object]]:
    """For the board's cards: each job's follow-up day and next interview (UTC), by job id."""
    if not job_ids:
        return {}
    now = utcnow()
    out: dict[int, dict[str, object]] = {}
    jobs = session.exec(select(Job).where(col(Job.id).in_(list(job_ids)), Job.owner == owner))
    for job in jobs:
        out[job.id or 0] = {"follow_up_on": job.follow_up_on, "next_interview": None}
    stmt = (
        select(Interview).where(col(Interview.job_id).in_(list(job_ids)), Interview.owner == owner, Interview.starts_at >= now)
        .order_by(col(Interview.starts_at))
    )  # fmt: skip
    for iv in session.exec(stmt):
        entry = out.get(iv.job_id)
        if entry is not None and entry["next_interview"] is None:
            entry["next_interview"] = iv.starts_at
    return out


def record_sent(*, session: Session, job: Job, now: datetime | None = None, fmt: str = "pdf") -> list[SentDocument]:
    """Which CV and letter versions go out as the job moves to applied: the newest succeeded run's
    current versions (content hash, format, layout). Nothing is recorded twice for the same
    version, and a job with no finished run records nothing (the user applied with another file)."""
    from pipeline.runs.documents import current_cv, current_letter

    run = last_succeeded_run(session=session, job=job)
    if run is None or run.id is None:
        return []
    found = [("cv", current_cv(session=session, run_id=run.id, owner=job.owner)), ("letter", current_letter(session=session, run_id=run.id, owner=job.owner))]
    known = {(s.run_id, s.document, s.version) for s in sent_documents(session=session, job_id=job.id or 0, owner=job.owner)}
    out: list[SentDocument] = []
    for document, source in found:
        if source is None or (run.id, document, source.version) in known:
            continue
        row = SentDocument(
            job_id=job.id, owner=job.owner, run_id=run.id, document=document, version=source.version,
            sha256=hashlib.sha256(source.markdown.encode("utf-8")).hexdigest(), format=fmt, layout=dict(job.layout or {}),
            sent_at=now or utcnow(),
        )  # fmt: skip
        session.add(row)
        out.append(row)
    session.flush()
    return out


def sent_documents(*, session: Session, job_id: int, owner: str = LOCAL_OWNER) -> list[SentDocument]:
    """What went out with this job's application, newest first."""
    stmt = select(SentDocument).where(SentDocument.job_id == job_id, SentDocument.owner == owner).order_by(col(SentDocument.id).desc())
    return list(session.exec(stmt))


def sent_to_company(*, session: Session, job: Job) -> list[tuple[Job, SentDocument]]:
    """The CVs sent to the same company for the owner's other jobs (newest first): what a new CV must agree with."""
    if not job.company_norm:
        return []
    stmt = (
        select(Job, SentDocument)
        .where(SentDocument.job_id == Job.id, Job.owner == job.owner, Job.company_norm == job.company_norm, Job.id != job.id)
        .where(SentDocument.document == "cv")
        .order_by(col(SentDocument.id).desc())
    )
    return list(session.exec(stmt))


def sent_markdown(*, session: Session, sent: SentDocument) -> str | None:
    """The exact text of a sent document (its stored version; None if that version is gone)."""
    from pipeline.cv.letter import letter_subject
    from pipeline.runs.documents import cv_subject
    from pipeline.store.cv import get_version

    subject = cv_subject(sent.run_id) if sent.document == "cv" else letter_subject(sent.run_id)
    try:
        return get_version(session=session, subject=subject, version=sent.version, owner=sent.owner).markdown
    except LookupError:
        return None


def last_succeeded_run(*, session: Session, job: Job) -> Run | None:
    """The job's newest succeeded run: the one whose documents would go out next."""
    stmt = select(Run).where(Run.job_id == job.id, Run.owner == job.owner, Run.status == RunStatus.succeeded.value).order_by(col(Run.id).desc())
    return session.exec(stmt).first()


MAX_COMPARED = 10  # CVs sent to one company that a new CV is compared with (newest first): keeps a run's end cheap


@dataclass(frozen=True)
class Contradiction:
    """A CV sent to the same company for another job, and the lines of this job's CV that say otherwise."""

    company: str
    title: str  # the other job's title
    sent_at: datetime
    flags: list[ClaimFlag]


def company_contradictions(*, session: Session, job: Job, cv_markdown: str | None = None) -> list[Contradiction]:
    """What this job's CV (`cv_markdown`, else its newest succeeded run's current CV) contradicts in
    the CVs sent to the same company for the owner's other jobs; each sent version is compared once."""
    from pipeline.text.consistency import contradictions

    earlier = sent_to_company(session=session, job=job)
    if not earlier:
        return []
    if cv_markdown is None:
        from pipeline.runs.documents import current_cv

        run = last_succeeded_run(session=session, job=job)
        cv = current_cv(session=session, run_id=run.id, owner=job.owner) if run is not None and run.id is not None else None
        if cv is None:
            return []
        cv_markdown = cv.markdown
    out: list[Contradiction] = []
    seen: set[tuple[int, int]] = set()
    for other, sent in earlier:
        if (sent.run_id, sent.version) in seen or len(seen) >= MAX_COMPARED:
            continue
        seen.add((sent.run_id, sent.version))
        text = sent_markdown(session=session, sent=sent)
        flags = contradictions(cv_markdown, text) if text else []
        if flags:
            out.append(Contradiction(company=other.company, title=other.title, sent_at=sent.sent_at, flags=flags))
    return out


def contradiction_warning(*, session: Session, run_id: int, cv_markdown: str | None = None) -> str | None:
    """One log line for a run whose CV (`cv_markdown`, the run's own output; else its current
    version) contradicts a CV already sent to the same company (None when there is nothing to
    say): the user learns it before sending, not from the recruiter."""
    from pipeline.runs.documents import current_cv

    run = session.get(Run, run_id)
    job = session.get(Job, run.job_id) if run is not None else None
    if run is None or job is None:
        return None
    if not sent_to_company(session=session, job=job):
        return None  # the common case costs one query
    if cv_markdown is None:
        cv = current_cv(session=session, run_id=run_id, owner=run.owner)
        cv_markdown = cv.markdown if cv is not None else None
    found = company_contradictions(session=session, job=job, cv_markdown=cv_markdown) if cv_markdown else []
    if not found:
        return None
    first = found[0]
    count = sum(len(c.flags) for c in found)
    lines = "1 line differs" if count == 1 else f"{count} lines differ"
    return (
        f"{lines} from the CV sent to {first.company} for {first.title} on {first.sent_at:%Y-%m-%d}: {first.flags[0].why} "
        "Check the job's detail before sending."
    )


@dataclass(frozen=True)
class JobTracking:
    """Everything the detail panel shows after applying, read in one short transaction."""

    job: Job
    interviews: list[Interview]
    sent: list[SentDocument]
    contradictions: list[Contradiction]


def job_tracking(*, session: Session, job_id: int, owner: str = LOCAL_OWNER) -> JobTracking | None:
    """The job's dates, interviews, what was sent, and contradictions with CVs sent to its company."""
    from pipeline.store.jobs import get_job

    job = get_job(session=session, job_id=job_id, owner=owner)
    if job is None:
        return None
    return JobTracking(
        job=job, interviews=interviews_of(session=session, job_id=job_id, owner=owner),
        sent=sent_documents(session=session, job_id=job_id, owner=owner), contradictions=company_contradictions(session=session, job=job),
    )  # fmt: skip


def follow_up_done(*, session: Session, job_id: int, key: str, owner: str = LOCAL_OWNER) -> Job:
    """The user followed up: the day is cleared and the history says so (once per key)."""
    from pipeline.store.jobs import add_note

    job = set_follow_up(session=session, job_id=job_id, on=None, owner=owner)
    add_note(session=session, job_id=job_id, text="Followed up.", key=key, owner=owner)
    return job


def zone_or_utc(name: str | None) -> tzinfo:
    """The browser's IANA time zone, or UTC when it sent none or one this server does not know."""
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_start(day: str, clock: str, zone: str | None) -> datetime:
    """A date and time as typed in the browser's zone, as an aware datetime (stored as UTC)."""
    try:
        d = date.fromisoformat((day or "").strip())
    except ValueError:
        raise ValueError("Pick the interview's date.") from None
    try:
        t = time.fromisoformat((clock or "").strip())
    except ValueError:
        raise ValueError("Pick the interview's time (for example 14:30).") from None
    return datetime.combine(d, t, tzinfo=zone_or_utc(zone)).astimezone(UTC)
