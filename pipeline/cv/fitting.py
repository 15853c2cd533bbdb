""""Fit to N pages" for a run's tailored CV: shorten it for its posting and save the result as a
new version that says what was removed (restoring the previous version undoes it).

The fit itself (which bullets go, in which order, how many renders) lives in
`pipeline.documents.fit`; this module supplies the run's CV, its posting and a page counter that
prints with the job's layout, and saves with the editor's conflict rule: a version saved while
the fit was running wins, and the fit is reported, not written over it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlmodel import Session

from pipeline.documents.fit import FitOutcome, fit_to_pages
from pipeline.documents.layout import Layout
from pipeline.render.markdown import render_markdown
from pipeline.render.templates import cv_document
from pipeline.runs.documents import CvSource, current_cv, cv_subject
from pipeline.store import cv as cv_store
from pipeline.store.cv import SaveResult
from pipeline.store.models import Job
from pipeline.store.runs import get_owned_run
from pipeline.text.posting import PostingView, analyse

_NOTE_MAX = 500


@dataclass
class FitCvResult:
    outcome: FitOutcome
    saved: SaveResult | None  # None when nothing had to change or it cannot fit


def run_posting(*, session: Session, run_id: int, owner: str) -> PostingView | None:
    """The posting a run tailored the CV for (its job's text), read the way intake reads it."""
    run = get_owned_run(session=session, run_id=run_id, owner=owner)
    job = session.get(Job, run.job_id) if run is not None and run.job_id else None
    if job is None or not job.description.strip():
        return None
    return analyse(job.title, job.company, job.location, job.description)


def _load(run_id: int, owner: str) -> tuple[CvSource | None, PostingView | None]:
    from pipeline.store.db import session_scope

    with session_scope() as session:
        return current_cv(session=session, run_id=run_id, owner=owner), run_posting(session=session, run_id=run_id, owner=owner)


def fit_note(outcome: FitOutcome) -> str:
    """The version's note: what was removed, as much as the note holds (the full list is in the page)."""
    head = f"fitted to {outcome.pages} page{'s' if outcome.pages != 1 else ''}: removed {len(outcome.removed)} bullet{'s' if len(outcome.removed) != 1 else ''}"
    listed = "; ".join(line.lstrip("-* ").strip() for line in outcome.removed)
    note = f"{head} ({listed})" if listed else head
    return note if len(note) <= _NOTE_MAX else note[: _NOTE_MAX - 2].rstrip() + "…)"


async def fit_cv(*, run_id: int, owner: str, base: int, layout: Layout) -> FitCvResult | None:
    """Fit the run's current CV to `layout.cv_pages`; None when the run has no CV for this owner."""
    from pipeline.render.pdf import get_renderer

    cv, posting = await asyncio.to_thread(_load, run_id, owner)
    if cv is None:
        return None
    renderer = await get_renderer()

    async def count_pages(markdown: str) -> int:
        doc = cv_document(render_markdown(markdown), template=layout.template, page_size=layout.page_size, ats_safe=layout.ats_safe, title=cv.title)
        return (await renderer.render(doc)).pages

    outcome = await fit_to_pages(cv.markdown, pages=layout.cv_pages, posting=posting, count_pages=count_pages)
    if not outcome.fits or not outcome.removed:
        return FitCvResult(outcome=outcome, saved=None)

    def save() -> SaveResult:
        from pipeline.store.db import session_scope

        with session_scope() as session:
            return cv_store.save_markdown_version(
                session=session, subject=cv_subject(run_id), markdown=outcome.markdown, base_version=base, owner=owner, note=fit_note(outcome),
            )

    return FitCvResult(outcome=outcome, saved=await asyncio.to_thread(save))
