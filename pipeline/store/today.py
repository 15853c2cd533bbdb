"""The Today panel and the header's overdue count, in the browser's own time zone.

Why not `tracking.today_view` as is: its day boundary is UTC's, but "overdue" and "this week"
mean the user's day (a follow-up due today in Sydney is not overdue yet at 23:00 UTC). This
module asks the same two queries (`follow_ups_due`, `interviews_between`) with the browser's
zone, always passing UTC instants (SQLite keeps times without their zone), and returns the
lines the page shows, already worded and formatted in that zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from pipeline.store.models import LOCAL_OWNER
from pipeline.store.tracking import follow_ups_due, interviews_between

WEEK_DAYS = 7


@dataclass
class FollowUpItem:
    """One follow-up due: the job, and "overdue by N days" or "due today"."""

    job_id: int = 0
    title: str = ""
    company: str = ""
    due_on: str = ""  # ISO day
    label: str = ""  # "Overdue by 3 days (Wed 2 Dec)" | "Due today"
    overdue: bool = False


@dataclass
class InterviewItem:
    """One interview in the coming week, its time in the browser's zone."""

    interview_id: int = 0
    job_id: int = 0
    title: str = ""
    company: str = ""
    when: str = ""  # "Tue 8 Dec, 14:00"
    starts_at: str = ""  # ISO, UTC (for a <time datetime=...>)
    kind: str = ""
    where: str = ""
    with_whom: str = ""


@dataclass
class TodayPanel:
    follow_ups: list[FollowUpItem] = field(default_factory=list)
    interviews: list[InterviewItem] = field(default_factory=list)
    overdue: int = 0
    zone: str = "UTC"


def zone_of(name: str) -> tzinfo:
    """The browser's IANA zone ("Europe/Berlin"); UTC for an empty or unknown name."""
    try:
        return ZoneInfo(name) if name and len(name) < 64 else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)  # SQLite gives naive UTC back


def _day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def follow_up_label(due: date, today: date) -> str:
    late = (today - due).days
    if late <= 0:
        return "Due today"
    return f"Overdue by {late} day{'s' if late != 1 else ''} ({_day(due)})"


def today_panel(*, session: Session, now: datetime, zone: str = "", owner: str = LOCAL_OWNER) -> TodayPanel:
    """Follow-ups due by the user's today (overdue first) and interviews from the start of their
    today for a week; `now` is the caller's clock (tests freeze it)."""
    tz = zone_of(zone)
    local_now = _utc(now).astimezone(tz)
    today = local_now.date()
    follow_ups = []
    for job in follow_ups_due(session=session, today=today, owner=owner):
        due = job.follow_up_on or today
        follow_ups.append(FollowUpItem(job.id or 0, job.title, job.company, due.isoformat(), follow_up_label(due, today), due < today))
    start = datetime.combine(today, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(today + timedelta(days=WEEK_DAYS), time(0), tzinfo=tz).astimezone(UTC)
    interviews = []
    for iv, job in interviews_between(session=session, start=start, end=end, owner=owner):
        at = _utc(iv.starts_at).astimezone(tz)
        interviews.append(InterviewItem(
            iv.id or 0, job.id or 0, job.title, job.company, f"{'Today' if at.date() == today else _day(at.date())}, {at:%H:%M}",
            _utc(iv.starts_at).isoformat(), iv.kind, iv.location, iv.with_whom,
        ))  # fmt: skip
    return TodayPanel(follow_ups, interviews, sum(1 for f in follow_ups if f.overdue), getattr(tz, "key", "UTC"))


def mark_followed_up(*, session: Session, job_id: int, owner: str = LOCAL_OWNER) -> None:
    """"Done": the user followed up, so nothing is due for this job any more."""
    from pipeline.store.tracking import set_follow_up

    set_follow_up(session=session, job_id=job_id, on=None, owner=owner)
