"""The private calendar feed URL: one live token per owner, revocable, stored as a hash.

Why a token in the URL: calendar apps (Google, Apple, Outlook) subscribe to a plain URL and
send no cookie or header; the token is the only secret, so it is long, shown once in the page
(and again on request, as a new token), and revoking it makes the old URL a 404 at once.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from pipeline.accounts.tokens import hash_secret
from pipeline.store.models import CalendarFeed, utcnow

FEED_PREFIX = "jcal_"


def new_feed(*, session: Session, owner: str) -> str:
    """A new feed token for `owner` (the previous one stops working); the secret is returned once."""
    revoke_feed(session=session, owner=owner)
    secret = FEED_PREFIX + secrets.token_urlsafe(32)
    session.add(CalendarFeed(owner=owner, token_hash=hash_secret(secret)))
    session.flush()
    return secret


def revoke_feed(*, session: Session, owner: str) -> int:
    """Stop the owner's feed URL; how many live tokens were revoked (0 or 1)."""
    now = utcnow()
    rows = session.exec(select(CalendarFeed).where(CalendarFeed.owner == owner, col(CalendarFeed.revoked_at).is_(None))).all()
    for row in rows:
        row.revoked_at = now
        session.add(row)
    session.flush()
    return len(rows)


def has_feed(*, session: Session, owner: str) -> bool:
    return session.exec(select(CalendarFeed.id).where(CalendarFeed.owner == owner, col(CalendarFeed.revoked_at).is_(None))).first() is not None


def feed_owner(*, session: Session, token: str) -> str | None:
    """Whose feed a token opens; None for an unknown, malformed or revoked token."""
    if not token.startswith(FEED_PREFIX) or len(token) > 200:
        return None
    row = session.exec(select(CalendarFeed).where(CalendarFeed.token_hash == hash_secret(token))).first()
    return row.owner if row is not None and row.revoked_at is None else None


FEED_PAST_DAYS = 30  # interviews this far back stay in the feed (notes to look up afterwards)
FEED_AHEAD_DAYS = 365


def feed_calendar(*, session: Session, token: str, now: datetime) -> bytes | None:
    """The feed's iCalendar text for a live token (None: unknown or revoked)."""
    from pipeline.documents.ics import feed_ics
    from pipeline.store.tracking import follow_ups_due, interviews_between

    owner = feed_owner(session=session, token=token)
    if owner is None:
        return None
    interviews = interviews_between(
        session=session, start=now - timedelta(days=FEED_PAST_DAYS), end=now + timedelta(days=FEED_AHEAD_DAYS), owner=owner,
    )  # fmt: skip
    follow_ups = follow_ups_due(session=session, today=now.date(), owner=owner, within_days=FEED_AHEAD_DAYS)
    return feed_ics(interviews, follow_ups, stamp=now)


def interview_calendar(*, session: Session, interview_id: int, owner: str, now: datetime) -> bytes | None:
    """One interview as an .ics file, for its owner only (None otherwise)."""
    from pipeline.documents.ics import interview_ics
    from pipeline.store.models import Interview, Job

    interview = session.get(Interview, interview_id)
    job = session.get(Job, interview.job_id) if interview is not None and interview.owner == owner else None
    return None if job is None or interview is None else interview_ics(interview, job, stamp=now)
