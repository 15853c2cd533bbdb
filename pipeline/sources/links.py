"""Jobs from pasted links, and "Check links" on stored jobs (issue 18).

`import_urls` reads each link with `pipeline.web.boards.read_posting` (a job board's public JSON
when the link is recognised, else the page: JSON-LD, main content, title) and upserts the
postings with source "link", the normalised URL being the external id (re-importing a link
updates its job). The summary has the file import's shape (imported/updated/skipped/errors,
errors per link in plain words, `line` = the link's 1-based position) plus `results`: one entry
per link (`url`, `outcome` created/updated/unchanged/error, `job_id`, `title`, `error`).

`check_links` reads the links of chosen jobs again and sets `link_status` ("open", "closed",
"error"), `link_checked_at` and `link_note` (the reason in plain words). It never deletes. A
changed status (or the first check) is a "Link checked: ..." line in the job's history; the same
result again only moves `link_checked_at`, so repeated checks do not flood the history.

`screen_for_process` runs before a batch is processed: links imported or last checked more than
LINK_CHECK_DAYS ago are checked, and jobs whose posting looks closed are left out of the batch
(the row's own Process runs one anyway). An import also keeps the company's own site the page
names (JSON-LD hiringOrganization sameAs/url) in `Job.company_url`, where research starts.

Fetches run in a small thread pool (FETCH_WORKERS at a time), before anything is written, so no
database transaction waits on the network; callers on an event loop run these off the loop.
The address guard of `pipeline.web.fetch` applies (ALLOW_PRIVATE_FETCH lifts it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlmodel import Session, col, select

from pipeline.metrics import import_counted
from pipeline.sources.base import ParseResult, RowError, SourceError
from pipeline.store.jobs import ImportSummary, new_key, record_event, upsert_jobs
from pipeline.store.models import LOCAL_OWNER, EventKind, Job, JobSource, utcnow

MAX_URLS = 50  # links per import request
MAX_CHECKS = 200  # jobs per "Check links"
PROCESS_CHECKS = 50  # links read again before one Process (the oldest first; the rest run unchecked)
FETCH_WORKERS = 4
EXTERNAL_ID_MAX = 200  # Job.external_id
TRACKING_PARAMS = {"gclid", "fbclid", "msclkid", "dclid", "yclid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "trk", "trackingid", "refid"}


class LinkError(ValueError):
    """A pasted line that is not a web link."""


def normalize_url(raw: str) -> str:
    """The link as stored: trimmed, scheme and host in lower case, default port, fragment and
    tracking parameters (utm_*, gclid, fbclid, ...) dropped. Raises LinkError in plain words."""
    text = (raw or "").strip()
    if not text:
        raise LinkError("the line is empty")
    if "://" not in text and not text.lower().startswith(("http:", "https:")) and "." in text.split("/")[0]:
        text = "https://" + text  # "jobs.example.com/123" as typed
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise LinkError("this is not a valid web address") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise LinkError("only web links (http or https) can be imported")
    host = (parts.hostname or "").lower()
    if not host:
        raise LinkError("the link has no site name")
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query, doseq=True), ""))


def _tracking(name: str) -> bool:
    low = name.lower()
    return low.startswith("utm_") or low in TRACKING_PARAMS


def external_id_for(url: str) -> str:
    """The URL itself; one longer than the column is shortened with a hash of the whole."""
    if len(url) <= EXTERNAL_ID_MAX:
        return url
    digest = hashlib.sha256(url.encode()).hexdigest()[:32]
    return f"{url[: EXTERNAL_ID_MAX - len(digest) - 1]}#{digest}"


# ---------------------------------------------------------------- reading links


@dataclass
class LinkRead:
    """One pasted link after reading: a draft, or an error in plain words."""

    position: int  # 1-based line among the links given
    raw: str
    url: str = ""  # normalised
    draft: Any = None  # pipeline.web.extract.PostingDraft
    error: str = ""


def _reader() -> Callable[[str], Any]:
    from pipeline.web.boards import read_posting

    return read_posting


def _read_one(item: LinkRead, reader: Callable[[str], Any]) -> LinkRead:
    from pipeline.web.fetch import FetchError

    try:
        item.draft = reader(item.url)
    except FetchError as exc:
        item.error = exc.message
    except Exception as exc:  # noqa: BLE001  (a broken page must not stop the other links)
        item.error = f"the page could not be read ({type(exc).__name__})"
    return item


def split_links(text: str) -> list[str]:
    """The links in a textarea: one a line (blank lines and spaces around ignored)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def read_links(urls: Sequence[str], *, reader: Callable[[str], Any] | None = None, workers: int = FETCH_WORKERS) -> list[LinkRead]:
    """Normalise and read every link (FETCH_WORKERS at a time); no database. Raises SourceError above MAX_URLS."""
    urls = [u for u in urls if isinstance(u, str) and u.strip()]
    if not urls:
        raise SourceError("give at least one link")
    if len(urls) > MAX_URLS:
        raise SourceError(f"{len(urls)} links is too many at once: at most {MAX_URLS} a time")
    items: list[LinkRead] = []
    seen: set[str] = set()
    for pos, raw in enumerate(urls, start=1):
        item = LinkRead(position=pos, raw=raw.strip())
        try:
            item.url = normalize_url(raw)
        except LinkError as exc:
            item.error = str(exc)
        if item.url and item.url in seen:
            item.error = "the same link is listed above"
        seen.add(item.url)
        items.append(item)
    todo = [i for i in items if not i.error]
    read = reader or _reader()
    if todo:
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo))), thread_name_prefix="link-read") as pool:
            list(pool.map(lambda i: _read_one(i, read), todo))
    return items


def _job_in(item: LinkRead):
    """The draft as a JobIn, or an error in plain words."""
    from pipeline.sources.files import RowRejected, make_job

    draft = item.draft
    if not draft.title.strip():
        if draft.closed:
            return None, f"the posting looks closed: {draft.closed_reason}"
        return None, "no job title found on the page; paste the posting's text instead"
    fields = draft.job_fields()
    fields["external_id"] = external_id_for(item.url)
    fields["url"] = item.url
    try:
        return make_job(fields, JobSource.link.value), ""
    except RowRejected as exc:
        return None, str(exc)


# ---------------------------------------------------------------- import


@dataclass
class LinkImportSummary(ImportSummary):
    results: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "results": self.results}


def import_urls(
    *, session: Session, urls: Sequence[str], owner: str = LOCAL_OWNER, reader: Callable[[str], Any] | None = None
) -> LinkImportSummary:
    """Read the links and upsert their postings (source "link", the URL as external id).

    Raises SourceError for the request as a whole (no links, more than MAX_URLS)."""
    return store_links(session=session, items=read_links(urls, reader=reader), owner=owner)


def store_links(*, session: Session, items: list[LinkRead], owner: str = LOCAL_OWNER) -> LinkImportSummary:
    """Upsert what `read_links` read (one transaction, the caller's)."""
    summary = LinkImportSummary()
    results: dict[int, dict[str, Any]] = {}
    for item in items:
        entry = {"line": item.position, "url": item.url or item.raw, "outcome": "error", "job_id": None, "title": "", "error": item.error}
        results[item.position] = entry
        if item.error:
            continue
        job_in, error = _job_in(item)
        if job_in is None:
            entry["error"] = error
            continue
        one = upsert_jobs(session=session, parsed=ParseResult(rows=[(item.position, job_in)]), owner=owner)
        summary.imported += one.imported
        summary.updated += one.updated
        summary.skipped += one.skipped
        summary.job_ids.extend(one.job_ids)
        entry.update(
            outcome="created" if one.imported else "updated" if one.updated else "unchanged",
            job_id=one.job_ids[0] if one.job_ids else None, title=job_in.title, error="",
        )
        job = session.get(Job, entry["job_id"]) if entry["job_id"] else None
        if job is not None:
            company_url = _web_url(getattr(item.draft, "company_url", ""))
            if company_url and company_url != job.company_url:
                job.company_url = company_url  # research starts at the company's own site
                session.add(job)
            if item.draft.closed:
                _mark(session, job, "closed", item.draft.closed_reason, key=f"{new_key()}:link:{job.id}")
    for entry in results.values():
        if entry["outcome"] == "error":
            summary.errors.append(RowError(entry["line"], f"{entry['url']}: {entry['error']}"))
    summary.results = [results[k] for k in sorted(results)]
    session.flush()
    return import_counted("link", summary)


# ---------------------------------------------------------------- check links

def _web_url(value: str) -> str:
    """An http(s) link that fits Job.company_url, else ""."""
    value = (value or "").strip()
    return value if value.lower().startswith(("http://", "https://")) and len(value) <= 2000 else ""


_SAID = {"open": "still looks open", "closed": "looks closed", "error": "could not be read"}


def _mark(session: Session, job: Job, status: str, note: str, *, key: str) -> bool:
    """Set the job's link mark; a JobEvent "Link checked: ..." goes to its history when the
    status changes (never-checked counts as a change). The same result again only moves
    `link_checked_at` (the table's mark says when), so repeated checks do not flood the history.
    Returns whether an event was written."""
    before = job.link_status
    job.link_status = status
    job.link_note = (note or "")[:300]
    job.link_checked_at = utcnow()
    session.add(job)
    if status == before:
        return False
    said = "open again" if status == "open" and before == "closed" else _SAID.get(status, status)
    message = f"Link checked: {said}" + (f" ({job.link_note})" if job.link_note and status != "open" else "")
    return record_event(
        session=session, job_id=job.id, kind=EventKind.link_checked, key=key[:200], message=message,
        data={"from": before, "to": status, "note": job.link_note, "url": job.url}, actor=job.owner,
    )


def _checker() -> Callable[[str], Any]:
    from pipeline.web.boards import check_link

    return check_link


def fetch_checks(urls: dict[int, str], *, checker: Callable[[str], Any] | None = None, workers: int = FETCH_WORKERS) -> dict[int, tuple[str, str]]:
    """Read each link (job id -> url), FETCH_WORKERS at a time, no database: job id -> (status, note)."""
    check = checker or _checker()

    def one(url: str) -> tuple[str, str]:
        from pipeline.web.fetch import FetchError

        try:
            draft = check(url)
        except FetchError as exc:
            return "error", exc.message
        except Exception as exc:  # noqa: BLE001
            return "error", f"the page could not be read ({type(exc).__name__})"
        if draft.closed:
            return "closed", draft.closed_reason
        return "open", "the posting still looks open"

    if not urls:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(urls))), thread_name_prefix="link-check") as pool:
        return dict(zip(urls, pool.map(one, urls.values()), strict=True))


def apply_checks(*, session: Session, outcomes: dict[int, tuple[str, str]], owner: str = LOCAL_OWNER, key: str | None = None) -> dict[str, Any]:
    """Write what `fetch_checks` found (marks, and history lines on a change; see `_mark`).
    Returns {"checked", "open", "closed", "errors", "skipped": 0, "results"}."""
    key = key or new_key()
    jobs = list(session.exec(select(Job).where(Job.owner == owner, col(Job.id).in_(list(outcomes))).order_by(Job.id))) if outcomes else []
    out: dict[str, Any] = {"checked": 0, "open": 0, "closed": 0, "errors": 0, "skipped": 0, "results": []}
    for job in jobs:
        status, note = outcomes[job.id]
        _mark(session, job, status, note, key=f"{key}:link:{job.id}")
        out["checked"] += 1
        out["errors" if status == "error" else status] += 1
        out["results"].append({"job_id": job.id, "url": job.url, "link_status": status, "link_note": job.link_note})
    session.flush()
    return out


def check_links(
    *, session: Session, job_ids: Iterable[int], owner: str = LOCAL_OWNER, checker: Callable[[str], Any] | None = None,
    workers: int = FETCH_WORKERS, key: str | None = None,
) -> dict[str, Any]:
    """Read each chosen job's link again: "closed" (HTTP 404/410, validThrough past, a closed
    phrase), "open", or "error" (the fetch failed: the note says why). Jobs without a link are
    skipped. A changed status is a line in the job's history (see `_mark`). Returns
    {"checked", "open", "closed", "errors", "skipped", "results"}."""
    ids = _check_ids(job_ids)
    urls = _links_of(session, ids, owner)
    out = apply_checks(session=session, outcomes=fetch_checks(urls, checker=checker, workers=workers), owner=owner, key=key)
    out["skipped"] = len(ids) - len(urls)
    return out


def check_links_now(
    job_ids: Iterable[int], *, owner: str = LOCAL_OWNER, checker: Callable[[str], Any] | None = None, db_url: str | None = None,
) -> dict[str, Any]:
    """`check_links` with its own sessions, so no transaction waits on the network: one short read,
    the fetches, then one short transaction for the marks (the page's "Check links"). Blocking:
    call it off the event loop."""
    from pipeline.store.db import session_scope

    ids = _check_ids(job_ids)
    with session_scope(db_url) as s:
        urls = _links_of(s, ids, owner)
    outcomes = fetch_checks(urls, checker=checker)
    with session_scope(db_url) as s:
        out = apply_checks(session=s, outcomes=outcomes, owner=owner)
    out["skipped"] = len(ids) - len(urls)
    return out


def _check_ids(job_ids: Iterable[int]) -> list[int]:
    ids = list(dict.fromkeys(int(i) for i in job_ids))
    if len(ids) > MAX_CHECKS:
        raise SourceError(f"{len(ids)} jobs is too many to check at once: at most {MAX_CHECKS} a time")
    return ids


def _links_of(session: Session, ids: list[int], owner: str) -> dict[int, str]:
    """job id -> link, for the owner's jobs among `ids` that have a web link."""
    stmt = select(Job.id, Job.url).where(Job.owner == owner, col(Job.id).in_(ids)).order_by(Job.id)
    return {job_id: url for job_id, url in session.exec(stmt) if url.lower().startswith(("http://", "https://"))} if ids else {}


# ---------------------------------------------------------------- before Process


def stale_links(*, session: Session, job_ids: Sequence[int], owner: str = LOCAL_OWNER, days: int | None = None,
                now: datetime | None = None) -> dict[int, str]:
    """The chosen jobs whose link should be read again before they are processed: an http(s)
    link, imported or last checked more than `days` (LINK_CHECK_DAYS) ago; job id -> url, the
    oldest first, at most PROCESS_CHECKS (so a press never waits on hundreds of pages). `days` 0: none."""
    from pipeline.settings import settings

    days = settings.link_check_days if days is None else days
    if days <= 0 or not job_ids:
        return {}
    cutoff = (now or utcnow()) - timedelta(days=days)
    found: list[tuple[datetime, int, str]] = []
    ids = list(dict.fromkeys(int(i) for i in job_ids))
    for start in range(0, len(ids), 500):
        stmt = select(Job.id, Job.url, Job.link_checked_at, Job.created_at).where(
            Job.owner == owner, col(Job.id).in_(ids[start : start + 500]), col(Job.archived_at).is_(None))
        for job_id, url, checked_at, created_at in session.exec(stmt):
            seen = _aware(checked_at or created_at)
            if url.lower().startswith(("http://", "https://")) and seen < cutoff:
                found.append((seen, job_id, url))
    return {job_id: url for _, job_id, url in sorted(found)[:PROCESS_CHECKS]}


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


@dataclass
class Screened:
    """What Process may run after the link check: `process` (ids in the order given), `closed`
    (left out: their posting looks closed), and the check's counts."""

    process: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    checked: int = 0
    errors: int = 0

    def message(self) -> str:
        """The toast for the left-out jobs ("" when none)."""
        n = len(self.closed)
        if not n:
            return ""
        those = "posting looks closed and was" if n == 1 else "postings look closed and were"
        run = "Process it from its row" if n == 1 else "Process them from their rows"
        return f"{n} {those} left out (marked 'closed?'). {run} to run anyway."


def screen_for_process(
    job_ids: Sequence[int], *, owner: str = LOCAL_OWNER, days: int | None = None, checker: Callable[[str], Any] | None = None,
    db_url: str | None = None, now: datetime | None = None,
) -> Screened:
    """Before a batch is processed: read again the links older than LINK_CHECK_DAYS (`stale_links`)
    and leave out the jobs whose posting looks closed (found now, or marked so before). A link
    that cannot be read never blocks: its job is processed (link_status "error"). Blocking (the
    network): call it off the event loop. No transaction waits on the network: one short read,
    the fetches, then one short transaction for the marks and their history lines. The row's own
    Process does not call this, so a job left out can still be run on purpose. `days` 0: no check
    and nothing left out."""
    from pipeline.settings import settings
    from pipeline.store.db import session_scope

    ids = list(dict.fromkeys(int(i) for i in job_ids))
    days = settings.link_check_days if days is None else days
    if days <= 0 or not ids:
        return Screened(process=ids)
    with session_scope(db_url) as s:
        urls = stale_links(session=s, job_ids=ids, owner=owner, days=days, now=now)
    outcomes = fetch_checks(urls, checker=checker)
    with session_scope(db_url) as s:
        done = apply_checks(session=s, outcomes=outcomes, owner=owner) if outcomes else {"checked": 0, "errors": 0}
        closed: set[int] = set()
        for start in range(0, len(ids), 500):
            stmt = select(Job.id).where(Job.owner == owner, col(Job.id).in_(ids[start : start + 500]), Job.link_status == "closed")
            closed.update(s.exec(stmt))
    return Screened(process=[i for i in ids if i not in closed], closed=[i for i in ids if i in closed],
                    checked=done["checked"], errors=done["errors"])
