"""The fetched-page cache: public web pages research read, kept by URL for a while (issue 18).

Why a store table and not memory: a run is one process (a worker child, a Celery task), so
only the store lets 20 jobs at one company, processed in 20 runs, read its site once.

What is kept, and why:
- 2xx pages (HTML or the robots.txt text), with the URL they ended at after redirects.
- 404 and 410 answers, without a body: a company's missing /team page or robots.txt stays
  missing for days, and remembering it spares the site (and the run's budget) a request
  per job. A fetch that failed for any other reason (5xx, 429, 403, timeouts, refused
  addresses, too large) is never kept: it may work on the next try, and a cached failure
  would hide the site for a week.

The cache is global, not per user: a public page reads the same for everyone. Sessions are
keyword-only, like the other store modules; the caller commits (`session_scope`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from pipeline.store.models import WebPage

MAX_URL = 2000  # the column's length: longer URLs are fetched every time, never kept
GONE = (404, 410)


def cacheable(status: int) -> bool:
    """A page worth remembering: it was read (2xx) or it is gone (404/410); see the module doc."""
    return 200 <= status < 300 or status in GONE


def get_page(*, session: Session, url: str, max_age: timedelta, now: datetime | None = None) -> WebPage | None:
    """The cached answer for `url` when it is younger than `max_age`, else None (an old row is left for `put_page` to replace)."""
    if not url or len(url) > MAX_URL or max_age <= timedelta(0):
        return None
    row = session.exec(select(WebPage).where(WebPage.url == url)).first()
    if row is None:
        return None
    fetched = row.fetched_at if row.fetched_at.tzinfo else row.fetched_at.replace(tzinfo=UTC)
    if (now or datetime.now(UTC)) - fetched >= max_age:
        return None
    return row


def put_page(
    *,
    session: Session,
    url: str,
    final_url: str,
    status: int,
    content_type: str = "",
    text: str = "",
    fetched_at: datetime | None = None,
) -> WebPage | None:
    """Keep (or refresh) the answer for `url`; None when it is not worth keeping (`cacheable`) or the URL is too long.

    Two processes may fetch the same page at once: the second insert meets the unique URL and
    updates the row instead (inside a savepoint, so the caller's transaction survives)."""
    if not url or len(url) > MAX_URL or not cacheable(status):
        return None
    values = {
        "final_url": (final_url or url)[:MAX_URL],
        "status": status,
        "content_type": (content_type or "")[:200],
        "text": "" if status in GONE else (text or "").replace("\x00", ""),  # PostgreSQL text cannot hold NUL
        "fetched_at": fetched_at or datetime.now(UTC),
    }
    for _ in range(2):
        row = session.exec(select(WebPage).where(WebPage.url == url)).first()
        if row is not None:
            for k, v in values.items():
                setattr(row, k, v)
            session.add(row)
            session.flush()
            return row
        try:
            with session.begin_nested():
                row = WebPage(url=url, **values)
                session.add(row)
            return row
        except IntegrityError:  # another process kept it first: update theirs
            continue
    return None


def prune(*, session: Session, max_age: timedelta, now: datetime | None = None) -> int:
    """Delete entries older than `max_age` (they would be fetched again anyway); how many went."""
    cutoff = (now or datetime.now(UTC)) - max_age
    result = session.exec(delete(WebPage).where(WebPage.fetched_at < cutoff))  # type: ignore[call-overload]
    return int(result.rowcount or 0)
