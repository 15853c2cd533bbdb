""""Find matches": one search per chosen title, run as a Batch, results stored.

The searches are durable rows (MatchQuery, MatchResult) rather than task-local
state, so a page polling `batch_progress` sees each title move queued ->
running -> succeeded/failed, a reload loses nothing, and running a batch twice
only finishes what is unfinished. Each title runs in its own thread (the
scoring is CPU work and the store calls block), bounded by a semaphore; one
title failing is recorded on that title and the others carry on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, col, select

from pipeline.matching.claim import BatchClaim
from pipeline.matching.scoring import (
    MIN_TITLE_SCORE,
    JobFit,
    MatchError,
    combined_score,
    fit_reasons,
    job_fit,
    prefilter_words,
    query_tokens,
    title_reason,
    title_score,
)
from pipeline.store.db import session_scope
from pipeline.store.models import Batch, Job, JobStatus, MatchQuery, MatchResult, utcnow
from pipeline.store.profiles import active_profile  # the newest confirmed profile, as runs use
from pipeline.store.runs import create_batch
from pipeline.text.fit import cv_facts

log = logging.getLogger(__name__)

BATCH_KIND = "match"
MAX_TITLES = 10
MAX_TITLE_CHARS = 300
DEFAULT_CONCURRENCY = 3
MAX_RESULTS_PER_TITLE = 50
FIT_CANDIDATES = 120  # per title, at most this many postings are read for a profile fit (best titles first): bounds a cold search
FIT_CHUNK = 25
PERFECT_FIT = JobFit(score=100, must_total=0, must_missing=(), missing=())
FINISHED = ("succeeded", "failed")
CLAIM_POLL_SECONDS = 0.5  # a run waiting for another process to finish the same batch


# ---------------------------------------------------------------- starting


def clean_titles(titles: Sequence[str]) -> list[str]:
    """Trimmed, de-duplicated (case-insensitively) titles; refuses what cannot be searched."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in titles:
        t = " ".join(str(raw or "").split())
        if not t or t.casefold() in seen:
            continue
        if len(t) > MAX_TITLE_CHARS:
            raise ValueError(f"A job title is limited to {MAX_TITLE_CHARS} characters (“{t[:40]}…” has {len(t)}).")
        seen.add(t.casefold())
        out.append(t)
    if not out:
        raise ValueError("Choose at least one job title to search for.")
    if len(out) > MAX_TITLES:
        raise ValueError(f"Search at most {MAX_TITLES} titles at once (got {len(out)}).")
    return out


def start_match_batch(*, session: Session, owner: str, titles: Sequence[str]) -> int:
    """Create the batch and one queued query per title; commit, then `run_match_batch(batch_id)`."""
    chosen = clean_titles(titles)
    label = ("Find matches: " + ", ".join(chosen))[:300]
    batch = create_batch(session=session, total=len(chosen), label=label, kind=BATCH_KIND, owner=owner)
    for i, t in enumerate(chosen):
        session.add(MatchQuery(batch_id=batch.id, owner=owner, title=t, position=i))
    session.flush()
    return batch.id


def suggested_titles(*, session: Session, owner: str) -> list[str]:
    """The active profile's suggested titles: the default search."""
    profile = active_profile(session=session, owner=owner)
    if profile is None:
        return []
    return [str(s.get("title", "")).strip() for s in (profile.suggested_titles or []) if isinstance(s, dict) and str(s.get("title", "")).strip()]


# ---------------------------------------------------------------- running


@dataclass(frozen=True)
class _Scored:
    job_id: int
    score: int
    title_score: float
    fit: JobFit | None
    reasons: list[str]


def rank_title(*, session: Session, owner: str, title: str, cv_markdown: str | None, limit: int = MAX_RESULTS_PER_TITLE) -> list[_Scored]:
    """The owner's live jobs that answer `title`, best first.

    Cheap first: a LIKE prefilter on job titles (the title index, not the
    descriptions: a word only in a description gives no title similarity),
    title similarity in Python, then the profile fit (which reads each posting)
    in title order, stopping once no remaining job can beat the `limit`-th
    score even with a perfect fit, and after `FIT_CANDIDATES` at most.
    """
    query = query_tokens(title)
    terms = prefilter_words(query)
    # Two narrow queries, each answered from an index alone (title; owner+status+archived):
    # one query with both conditions makes SQLite read every wide row (10x slower at 10,000 jobs).
    live = set(
        session.exec(
            select(Job.id).where(Job.owner == owner, col(Job.archived_at).is_(None), Job.status != JobStatus.archived.value)
        ).all()
    )
    folded_title = func.lower(Job.title)
    stmt = select(Job.id, Job.title).where(or_(*[folded_title.like(f"%{_escape_like(w)}%", escape="\\") for w in terms]))
    titled = [(jid, title_score(query, jt)) for jid, jt in session.exec(stmt).all() if jid in live]
    titled = sorted(((jid, t) for jid, t in titled if t >= MIN_TITLE_SCORE), key=lambda r: (-r[1], r[0]))
    if not titled:
        return []
    if not cv_markdown:
        return [_Scored(jid, combined_score(t, None), t, None, [title_reason(title, t), *fit_reasons(None)]) for jid, t in titled[:limit]]
    cv = cv_facts(cv_markdown)
    cols = (Job.id, Job.title, Job.company, Job.location, Job.description, Job.updated_at)
    rows: list[_Scored] = []
    for start in range(0, min(len(titled), FIT_CANDIDATES), FIT_CHUNK):
        chunk = titled[start : min(start + FIT_CHUNK, FIT_CANDIDATES)]
        if len(rows) >= limit and combined_score(chunk[0][1], PERFECT_FIT) < rows[limit - 1].score:
            break  # nothing further down the title order can enter the list
        by_id = dict(chunk)
        for jid, jtitle, company, location, description, updated in session.exec(select(*cols).where(col(Job.id).in_(list(by_id)))).all():
            fit = job_fit(
                job_id=jid, version=updated.isoformat() if updated else "", title=jtitle, company=company, location=location,
                description=description, cv_markdown=cv_markdown, cv=cv,
            )  # fmt: skip
            t = by_id[jid]
            rows.append(_Scored(jid, combined_score(t, fit), t, fit, [title_reason(title, t), *fit_reasons(fit)]))
        rows.sort(key=lambda r: (-r.score, -r.title_score, r.job_id))
    return rows[:limit]


def _escape_like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def run_match_batch(batch_id: int, *, concurrency: int = DEFAULT_CONCURRENCY, db_url: str | None = None) -> dict[str, Any]:
    """Run every unfinished title of the batch; returns the final `batch_progress`.

    Never raises for one title: its failure is recorded on its query in plain words.
    While another process runs the batch (a start-up resume, see `resume.py`) this
    waits for it, then finds nothing left to run.
    """
    claim = BatchClaim(batch_id, db_url)
    while not await asyncio.to_thread(claim.acquire):
        await asyncio.sleep(CLAIM_POLL_SECONDS)
    finished = False
    try:
        progress = await run_claimed_batch(batch_id, concurrency=concurrency, db_url=db_url)
        finished = progress["finished"]
        return progress
    finally:
        await asyncio.to_thread(claim.release, finished=finished)


async def run_claimed_batch(batch_id: int, *, concurrency: int = DEFAULT_CONCURRENCY, db_url: str | None = None) -> dict[str, Any]:
    """`run_match_batch` for a caller that already holds the batch's `BatchClaim`."""
    owner, queries, cv_markdown = await asyncio.to_thread(_load_batch, batch_id, db_url)
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(query_id: int, title: str) -> None:
        async with gate:
            await asyncio.to_thread(_run_query, query_id, title, owner, cv_markdown, db_url)

    await asyncio.gather(*(one(qid, t) for qid, t in queries))
    return await asyncio.to_thread(_finish_batch, batch_id, owner, db_url)


def _load_batch(batch_id: int, db_url: str | None) -> tuple[str, list[tuple[int, str]], str | None]:
    with session_scope(db_url) as s:
        batch = s.get(Batch, batch_id)
        if batch is None or batch.kind != BATCH_KIND:
            raise LookupError(f"Match batch {batch_id} not found.")
        stmt = select(MatchQuery.id, MatchQuery.title).where(MatchQuery.batch_id == batch_id, col(MatchQuery.status).not_in(FINISHED))
        queries = [(qid, t) for qid, t in s.exec(stmt.order_by(MatchQuery.position)).all()]
        profile = active_profile(session=s, owner=batch.owner)
        cv = profile.markdown if profile is not None and profile.markdown.strip() else None
        return batch.owner, queries, cv


def _run_query(query_id: int, title: str, owner: str, cv_markdown: str | None, db_url: str | None) -> None:
    with session_scope(db_url) as s:
        s.execute(update(MatchQuery).where(MatchQuery.id == query_id).values(status="running", error=None))
    try:
        with session_scope(db_url) as s:
            scored = rank_title(session=s, owner=owner, title=title, cv_markdown=cv_markdown)
            query = s.get(MatchQuery, query_id)
            s.execute(delete(MatchResult).where(MatchResult.query_id == query_id))  # a rerun replaces, never doubles
            s.add_all(
                MatchResult(
                    batch_id=query.batch_id,
                    query_id=query_id,
                    owner=owner,
                    job_id=r.job_id,
                    score=r.score,
                    title_score=r.title_score,
                    fit_score=r.fit.score if r.fit else 0,
                    reasons=r.reasons,
                )
                for r in scored
            )
            _finish_query(s, query, "succeeded", results=len(scored))
    except Exception as exc:  # one title's failure must not stop the others
        if isinstance(exc, MatchError):
            message = str(exc)
        else:
            log.exception("match query %s (%r) failed", query_id, title)
            message = f"The search for “{title}” stopped with an internal error ({type(exc).__name__}); the other titles are not affected. Try it again."
        with session_scope(db_url) as s:
            _finish_query(s, s.get(MatchQuery, query_id), "failed", error=message)


def _finish_query(s: Session, query: MatchQuery, status: str, *, results: int = 0, error: str | None = None) -> None:
    """Mark the query finished and count it on the batch in the same transaction (atomic increments)."""
    moved = s.execute(
        update(MatchQuery)
        .where(MatchQuery.id == query.id, col(MatchQuery.status).not_in(FINISHED))
        .values(status=status, results_count=results, error=error, finished_at=utcnow())
    ).rowcount
    if moved:
        counter = Batch.done if status == "succeeded" else Batch.failed
        s.execute(update(Batch).where(Batch.id == query.batch_id).values({counter: counter + 1}))


def _finish_batch(batch_id: int, owner: str, db_url: str | None) -> dict[str, Any]:
    """Recount from the queries (the truth) and stamp finished_at once every title is done."""
    with session_scope(db_url) as s:
        counts = dict(s.exec(select(MatchQuery.status, func.count()).where(MatchQuery.batch_id == batch_id).group_by(MatchQuery.status)).all())
        batch = s.get(Batch, batch_id)
        batch.done, batch.failed = counts.get("succeeded", 0), counts.get("failed", 0)
        if batch.done + batch.failed >= batch.total and batch.finished_at is None:
            batch.finished_at = utcnow()
        s.add(batch)
        s.flush()
        return batch_progress(session=s, owner=owner, batch_id=batch_id)


# ---------------------------------------------------------------- reading


def _owned_batch(session: Session, owner: str, batch_id: int) -> Batch:
    batch = session.get(Batch, batch_id)
    if batch is None or batch.owner != owner or batch.kind != BATCH_KIND:
        raise LookupError(f"Match batch {batch_id} not found.")
    return batch


def latest_match_batch(*, session: Session, owner: str) -> int | None:
    """The owner's newest Find matches batch (the page shows it again after a reload)."""
    stmt = select(Batch.id).where(Batch.owner == owner, Batch.kind == BATCH_KIND).order_by(col(Batch.id).desc()).limit(1)
    return session.exec(stmt).first()


def batch_progress(*, session: Session, owner: str, batch_id: int) -> dict[str, Any]:
    """Per-title status and counts, derived from the query rows so a poll is never behind."""
    batch = _owned_batch(session, owner, batch_id)
    rows = session.exec(select(MatchQuery).where(MatchQuery.batch_id == batch_id).order_by(MatchQuery.position)).all()
    queries = [
        {"id": q.id, "title": q.title, "position": q.position, "status": q.status, "error": q.error or "", "results_count": q.results_count,
         "finished_at": q.finished_at.isoformat(timespec="seconds") if q.finished_at else ""}
        for q in rows
    ]  # fmt: skip
    done = sum(q["status"] == "succeeded" for q in queries)
    failed = sum(q["status"] == "failed" for q in queries)
    return {
        "batch_id": batch.id, "label": batch.label, "total": batch.total, "done": done, "failed": failed,
        "running": sum(q["status"] == "running" for q in queries), "queued": sum(q["status"] == "queued" for q in queries),
        "finished": batch.finished_at is not None, "finished_at": batch.finished_at.isoformat(timespec="seconds") if batch.finished_at else "",
        "queries": queries,
    }  # fmt: skip


def combined_results(*, session: Session, owner: str, batch_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """One row per job across the batch's titles: its best score and that title's reasons, every title it answered.

    Jobs archived since the search are left out; each row carries what a table row shows.
    """
    _owned_batch(session, owner, batch_id)
    stmt = (
        select(MatchResult, MatchQuery.title, Job.title, Job.company, Job.location, Job.status, Job.fit_score, Job.last_run_status, Job.url)
        .join(MatchQuery, MatchQuery.id == MatchResult.query_id)
        .join(Job, Job.id == MatchResult.job_id)
        .where(MatchResult.batch_id == batch_id, MatchResult.owner == owner, Job.owner == owner, col(Job.archived_at).is_(None))
        .order_by(MatchQuery.position, col(MatchResult.score).desc())
    )
    merged: dict[int, dict[str, Any]] = {}
    for r, q_title, title, company, location, status, fit_score, last_run_status, url in session.exec(stmt).all():
        row = merged.get(r.job_id)
        if row is None:
            row = merged[r.job_id] = {
                "id": r.job_id, "title": title, "company": company, "location": location, "status": status, "fit_score": fit_score,
                "last_run_status": last_run_status, "url": url, "score": -1, "title_score": 0.0, "match_fit": r.fit_score,
                "best_title": "", "matched_titles": [], "reasons": [],
            }  # fmt: skip
        if r.score > row["score"]:
            row.update(score=r.score, title_score=r.title_score, best_title=q_title, reasons=list(r.reasons or []))
        row["matched_titles"].append(q_title)
    rows = sorted(merged.values(), key=lambda x: (-x["score"], -len(x["matched_titles"]), x["id"]))
    return rows[: max(1, limit)]


def batch_snapshot(*, session: Session, owner: str, batch_id: int, limit: int = 100) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What a follower of the batch shows at one moment: its progress and its combined results so far."""
    progress = batch_progress(session=session, owner=owner, batch_id=batch_id)
    return progress, combined_results(session=session, owner=owner, batch_id=batch_id, limit=limit)


def latest_batch_snapshot(*, session: Session, owner: str, limit: int = 100) -> tuple[int, dict[str, Any], list[dict[str, Any]]] | None:
    """The owner's newest batch as (id, progress, results), or None when they never searched."""
    batch_id = latest_match_batch(session=session, owner=owner)
    if batch_id is None:
        return None
    return (batch_id, *batch_snapshot(session=session, owner=owner, batch_id=batch_id, limit=limit))
