"""Job queries and writes: the table's search, status flow, notes, archive, upsert."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import case, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from pipeline.sources.base import JobIn, ParseResult, RowError
from pipeline.store.models import (
    JOB_STATUSES,
    LOCAL_OWNER,
    WRITING_LANGUAGES,
    EventKind,
    Job,
    JobEvent,
    JobStatus,
    utcnow,
)
from pipeline.store.tracking import on_status_change, record_sent
from pipeline.text.analysis import detect_language
from pipeline.text.normalize import fold, words

SORTABLE = ("title", "company", "location", "status", "fit_score", "source", "updated_at", "created_at", "last_run_status")
PAGE_SIZES = (10, 25, 50, 100)


@dataclass
class JobQuery:
    """What the table asks for. Archived jobs show only when asked for by status."""

    q: str = ""
    statuses: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    min_score: int | None = None
    max_score: int | None = None
    has_run: bool | None = None
    duplicates_only: bool = False
    sort: str = "updated_at"
    desc: bool = True
    page: int = 1
    page_size: int = 25
    owner: str = LOCAL_OWNER


@dataclass
class JobPage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int


@dataclass
class ImportSummary:
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    job_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "skipped": self.skipped,
            "errors": [{"line": e.line, "error": e.error} for e in self.errors],
        }


# ---------------------------------------------------------------- reading


def _filtered(query: JobQuery, *, with_status: bool = True):
    stmt = select(Job).where(Job.owner == query.owner)
    for word in fold(query.q).split()[:8]:
        stmt = stmt.where(col(Job.search_text).like(f"%{_escape_like(word)}%", escape="\\"))
    if query.sources:
        stmt = stmt.where(col(Job.source).in_(query.sources))
    if query.min_score is not None:
        stmt = stmt.where(col(Job.fit_score) >= query.min_score)
    if query.max_score is not None:
        stmt = stmt.where(col(Job.fit_score) <= query.max_score)
    if query.has_run is True:
        stmt = stmt.where(col(Job.last_run_id).is_not(None))
    elif query.has_run is False:
        stmt = stmt.where(col(Job.last_run_id).is_(None))
    if query.duplicates_only:
        stmt = stmt.where(col(Job.duplicate_of).is_not(None))
    if with_status:
        if query.statuses:
            stmt = stmt.where(col(Job.status).in_(query.statuses))
        if JobStatus.archived.value not in query.statuses:
            stmt = stmt.where(col(Job.archived_at).is_(None))
    return stmt


def _escape_like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _order(query: JobQuery):
    name = query.sort if query.sort in SORTABLE else "updated_at"
    if name == "status":
        column = case({s: i for i, s in enumerate(JOB_STATUSES)}, value=Job.status, else_=99)
    else:
        column = getattr(Job, name)
    ordered = column.desc() if query.desc else column.asc()
    if name in ("fit_score", "last_run_status"):
        ordered = ordered.nulls_last()
    tiebreak = col(Job.id).desc() if query.desc else col(Job.id).asc()
    return [ordered, tiebreak]


ROW_FIELDS = ("id", "title", "company", "location", "status", "fit_score", "source", "last_run_status", "duplicate_of", "notes_count", "url", "language", "link_status", "link_note", "company_url")


def list_jobs(*, session: Session, query: JobQuery) -> JobPage:
    """One page of jobs (only the fields the table shows) and the total count."""
    base = _filtered(query)
    total = session.execute(base.with_only_columns(func.count())).scalar_one()
    size = min(max(1, query.page_size), 500)
    pages = max(1, -(-total // size))
    page = min(max(1, query.page), pages)
    columns = [getattr(Job, f) for f in ROW_FIELDS] + [Job.updated_at]
    stmt = base.with_only_columns(*columns).order_by(*_order(query)).offset((page - 1) * size).limit(size)
    rows = []
    for r in session.execute(stmt).all():
        row = dict(zip(ROW_FIELDS, r[:-1], strict=True))
        row["updated_at"] = r[-1].isoformat(timespec="seconds") if r[-1] else ""
        rows.append(row)
    return JobPage(rows=rows, total=total, page=page, pages=pages)


def matching_ids(*, session: Session, query: JobQuery, limit: int = 50_000) -> list[int]:
    """Every id the filter matches, for "select all N matching"."""
    stmt = _filtered(query).with_only_columns(Job.id).order_by(*_order(query)).limit(limit)
    return list(session.exec(stmt).all())


def status_counts(*, session: Session, query: JobQuery) -> dict[str, int]:
    """Per-status counts under every filter except the status one (for the chips)."""
    live_col = col(Job.archived_at).is_(None)
    stmt = _filtered(query, with_status=False).with_only_columns(Job.status, live_col, func.count()).group_by(Job.status, live_col)
    counts = {s: 0 for s in JOB_STATUSES}
    for status, live, n in session.execute(stmt).all():
        if live or status == JobStatus.archived.value:
            counts[status] = counts.get(status, 0) + n
    return counts


def get_job(*, session: Session, job_id: int, owner: str = LOCAL_OWNER) -> Job | None:
    job = session.get(Job, job_id)
    return job if job is not None and job.owner == owner else None


def set_layout(*, session: Session, job_id: int, layout: dict[str, Any], owner: str = LOCAL_OWNER) -> dict[str, Any]:
    """Keep how this job's documents print (the caller validated `layout`); returns what was stored."""
    job = get_job(session=session, job_id=job_id, owner=owner)
    if job is None:
        raise LookupError(f"job {job_id} not found")
    job.layout = dict(layout)
    session.add(job)
    session.flush()
    return job.layout


def set_job_language(*, session: Session, job_id: int, language: str, owner: str = LOCAL_OWNER, key: str | None = None) -> str:
    """Set what the job's next run writes in (see WRITING_LANGUAGES; "" = the posting's language),
    with an `updated` event; returns the stored code. Setting the current value changes nothing."""
    code = (language or "").strip().lower()
    if code and code not in WRITING_LANGUAGES:
        supported = ", ".join(WRITING_LANGUAGES)
        raise ValueError(f"Unsupported writing language {language!r}: use one of {supported}, or an empty value for the posting's language.")
    job = get_job(session=session, job_id=job_id, owner=owner)
    if job is None:
        raise LookupError(f"Job {job_id} not found.")
    if job.language == code:
        return code
    said = f"{WRITING_LANGUAGES[code]} ({code})" if code else "the posting's language"
    if record_event(
        session=session, job_id=job.id, kind=EventKind.updated, key=key or new_key(),
        message=f"Writing language set to {said}", data={"field": "language", "from": job.language, "to": code}, actor=owner,
    ):
        job.language = code
        job.updated_at = utcnow()
        session.add(job)
        session.flush()
    return job.language


_LANGUAGE_NAMES = {**WRITING_LANGUAGES, "it": "Italiano", "pt": "Português"}


def posting_language(description: str) -> str:
    """The posting's language as intake detects it, by name ("not recognised" when unclear)."""
    code = detect_language(description or "")
    return _LANGUAGE_NAMES.get(code, "not recognised")


def job_history(*, session: Session, job_id: int, limit: int = 200) -> list[JobEvent]:
    """The job's events, newest first."""
    stmt = select(JobEvent).where(JobEvent.job_id == job_id).order_by(col(JobEvent.created_at).desc(), col(JobEvent.id).desc()).limit(limit)
    return list(session.exec(stmt).all())


def jobs_by_ids(*, session: Session, job_ids: Sequence[int], owner: str = LOCAL_OWNER) -> list[Job]:
    if not job_ids:
        return []
    out: list[Job] = []
    for chunk in _chunks(list(job_ids), 500):
        out += session.exec(select(Job).where(col(Job.id).in_(chunk), Job.owner == owner).order_by(Job.id)).all()
    return out


def _chunks(items: list[int], n: int) -> Iterable[list[int]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


# ---------------------------------------------------------------- events


def new_key() -> str:
    """An idempotency key for one user action."""
    return uuid.uuid4().hex


def record_event(
    *, session: Session, job_id: int, kind: EventKind | str, key: str, message: str = "", data: dict[str, Any] | None = None, actor: str = LOCAL_OWNER
) -> bool:
    """Append an event unless one with `key` exists. Returns whether it was new."""
    values = {
        "job_id": job_id,
        "kind": kind.value if isinstance(kind, EventKind) else kind,
        "message": message,
        "data": data or {},
        "idempotency_key": key,
        "actor": actor,
        "created_at": utcnow(),
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(JobEvent).values(**values).on_conflict_do_nothing(index_elements=["idempotency_key"])
    return session.execute(stmt).rowcount == 1


def set_status(*, session: Session, job_ids: Sequence[int], status: str, key: str, owner: str = LOCAL_OWNER) -> int:
    """Move jobs to `status`, one event each; a repeated `key` changes nothing."""
    if status not in JOB_STATUSES:
        raise ValueError(f"unknown status {status!r}; expected one of {', '.join(JOB_STATUSES)}")
    if status == JobStatus.archived.value:
        return len(archive_jobs(session=session, job_ids=job_ids, key=key, owner=owner))
    changed = 0
    now = utcnow()
    days = _follow_up_days(session, owner) if status == JobStatus.applied.value else None
    for job in jobs_by_ids(session=session, job_ids=job_ids, owner=owner):
        if job.status == status:
            continue
        if not record_event(
            session=session, job_id=job.id, kind=EventKind.status_changed, key=f"{key}:{job.id}",
            message=f"Status {job.status} → {status}", data={"from": job.status, "to": status}, actor=owner,
        ):
            continue
        if job.archived_at is not None:
            job.archived_at = None
        on_status_change(job, job.status, status, now=now, days=days)  # applied date, follow-up day, first response
        job.status = status
        job.updated_at = now
        session.add(job)
        if status == JobStatus.applied.value and job.last_run_id is not None:
            record_sent(session=session, job=job, now=now)  # exactly which CV and letter versions went out
        changed += 1
    session.flush()
    return changed


def _follow_up_days(session: Session, owner: str) -> int:
    """The owner's saved "follow up after N days" (Settings), else FOLLOW_UP_DAYS."""
    from pipeline.llm.config import follow_up_days  # lazy: the model settings need not load with the store

    return follow_up_days(owner, session=session)


def add_note(*, session: Session, job_id: int, text: str, key: str, owner: str = LOCAL_OWNER) -> bool:
    text = text.strip()
    if not text:
        raise ValueError("A note cannot be empty.")
    if len(text) > 5000:
        raise ValueError(f"A note is limited to 5,000 characters (this one has {len(text):,}).")
    job = get_job(session=session, job_id=job_id, owner=owner)
    if job is None:
        raise LookupError(f"Job {job_id} not found.")
    if not record_event(session=session, job_id=job_id, kind=EventKind.note_added, key=key, message=text, actor=owner):
        return False
    job.notes_count += 1
    job.updated_at = utcnow()
    session.add(job)
    session.flush()
    return True


def notes(*, session: Session, job_id: int) -> list[JobEvent]:
    stmt = select(JobEvent).where(JobEvent.job_id == job_id, JobEvent.kind == EventKind.note_added.value).order_by(col(JobEvent.id).desc())
    return list(session.exec(stmt).all())


def archive_jobs(*, session: Session, job_ids: Sequence[int], key: str, owner: str = LOCAL_OWNER) -> list[int]:
    """Soft delete: status `archived`, remembering the previous status for undo."""
    now = utcnow()
    done: list[int] = []
    for job in jobs_by_ids(session=session, job_ids=job_ids, owner=owner):
        if job.archived_at is not None:
            continue
        if not record_event(
            session=session, job_id=job.id, kind=EventKind.archived, key=f"{key}:{job.id}",
            message=f"Archived (was {job.status})", data={"from": job.status}, actor=owner,
        ):
            continue
        job.archived_at = now
        job.status = JobStatus.archived.value
        job.updated_at = now
        session.add(job)
        done.append(job.id)
    session.flush()
    return done


def restore_jobs(*, session: Session, job_ids: Sequence[int], key: str, owner: str = LOCAL_OWNER) -> list[int]:
    """Undo an archive: the job returns to the status it had before."""
    done: list[int] = []
    for job in jobs_by_ids(session=session, job_ids=job_ids, owner=owner):
        if job.archived_at is None and job.status != JobStatus.archived.value:
            continue
        last = session.exec(
            select(JobEvent).where(JobEvent.job_id == job.id, JobEvent.kind == EventKind.archived.value).order_by(col(JobEvent.id).desc()).limit(1)
        ).first()
        previous = (last.data or {}).get("from") if last else None
        if previous not in JOB_STATUSES or previous == JobStatus.archived.value:
            previous = JobStatus.new.value
        if not record_event(
            session=session, job_id=job.id, kind=EventKind.restored, key=f"{key}:{job.id}",
            message=f"Restored to {previous}", data={"to": previous}, actor=owner,
        ):
            continue
        job.archived_at = None
        job.status = previous
        job.updated_at = utcnow()
        session.add(job)
        done.append(job.id)
    session.flush()
    return done


# ---------------------------------------------------------------- import

_SUFFIXES = {
    "inc", "incorporated", "ltd", "limited", "llc", "gmbh", "ag", "plc", "corp", "corporation", "co", "company",
    "sa", "sas", "bv", "nv", "oy", "ab", "srl", "pty", "group", "kk",
}


def normalize_company(name: str) -> str:
    """`ACME, Inc.`, `Acme` and `Acme S.A.` are the same employer for duplicate detection."""
    tokens = words(re.sub(r"(?<=\w)\.(?=\w\.)|(?<=\b\w)\.", "", name)).split()
    while len(tokens) > 1 and tokens[-1] in _SUFFIXES:
        tokens.pop()
    return " ".join(tokens)[:200]


def _same_title(a: str, b: str) -> bool:
    a, b = words(a), words(b)
    return a == b or SequenceMatcher(None, a, b).ratio() >= 0.9


def _same_place(a: str, b: str) -> bool:
    """Whole-word comparison: 'Hybrid - Berlin' is Berlin, 'Bern' is not."""
    ta, tb = set(words(a).split()), set(words(b).split())
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def likely_duplicate(a: Job, b: Job) -> bool:
    """Same employer, near-identical title and same place, different source."""
    if a.source == b.source or not a.company_norm or a.company_norm != b.company_norm:
        return False
    if not _same_title(a.title, b.title):
        return False
    if a.location and b.location:
        return _same_place(a.location, b.location)
    return True


def flag_duplicates(*, session: Session, jobs: Iterable[Job]) -> int:
    """Point each job at an older live job it likely duplicates (or clear the mark)."""
    flagged = 0
    for job in jobs:
        candidates = session.exec(
            select(Job).where(Job.owner == job.owner, Job.company_norm == job.company_norm, Job.id != job.id, col(Job.archived_at).is_(None)).order_by(Job.id)
        ).all()
        match = next((c.id for c in candidates if c.id < job.id and likely_duplicate(job, c)), None)
        if match != job.duplicate_of:
            job.duplicate_of = match
            session.add(job)
        flagged += match is not None
    session.flush()
    return flagged


_UPDATABLE = ("title", "company", "location", "url", "description")


def upsert_jobs(*, session: Session, parsed: ParseResult, owner: str = LOCAL_OWNER, key: str | None = None) -> ImportSummary:
    """Insert new postings, update changed ones, skip identical ones, by (source, external id)."""
    key = key or new_key()
    summary = ImportSummary(errors=list(parsed.errors))
    touched: list[Job] = []
    seen: set[tuple[str, str]] = set()
    for line, item in parsed.rows:
        ext = item.key()
        if (item.source, ext) in seen:
            summary.skipped += 1
            continue
        seen.add((item.source, ext))
        job = session.exec(select(Job).where(Job.owner == owner, Job.source == item.source, Job.external_id == ext)).first()
        if job is None:
            job = _new_job(item, ext, owner)
            session.add(job)
            session.flush()
            record_event(
                session=session, job_id=job.id, kind=EventKind.imported, key=f"import:{owner}:{item.source}:{ext}",
                message=f"Imported from {item.source}", data={"line": line}, actor=owner,
            )
            summary.imported += 1
        else:
            changes = {f: getattr(item, f) for f in _UPDATABLE if getattr(item, f) and getattr(item, f) != getattr(job, f)}
            if not changes:
                summary.skipped += 1
                summary.job_ids.append(job.id)
                continue
            for f, v in changes.items():
                setattr(job, f, v)
            job.company_norm = normalize_company(job.company)
            job.updated_at = utcnow()
            session.add(job)
            record_event(
                session=session, job_id=job.id, kind=EventKind.updated, key=f"{key}:update:{job.id}",
                message=f"Updated from {item.source}: {', '.join(sorted(changes))}", data={"fields": sorted(changes)}, actor=owner,
            )
            summary.updated += 1
        touched.append(job)
        summary.job_ids.append(job.id)
    session.flush()
    flag_duplicates(session=session, jobs=touched)
    return summary


def _new_job(item: JobIn, ext: str, owner: str) -> Job:
    now = utcnow()
    status = item.status or JobStatus.new.value
    return Job(
        owner=owner, source=item.source, external_id=ext, title=item.title, company=item.company,
        company_norm=normalize_company(item.company), location=item.location, url=item.url,
        description=item.description, status=status, tags=item.tags[:20],
        archived_at=now if status == JobStatus.archived.value else None, created_at=now, updated_at=now,
    )


def job_sources(*, session: Session, owner: str) -> list[str]:
    """The sources the owner's jobs came from (archived ones too), sorted: the toolbar's source filter."""
    stmt = select(Job.source).where(Job.owner == owner).distinct().order_by(Job.source)
    return [s for s in session.exec(stmt) if s]


def count_jobs(*, session: Session, owner: str = LOCAL_OWNER) -> int:
    return session.exec(select(func.count()).select_from(Job).where(Job.owner == owner)).one()

