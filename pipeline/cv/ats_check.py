"""What an applicant tracking system reads from the files we export for a run, before and after
tailoring: the master CV and the tailored CV are printed with the job's layout, read back
(PDF and Word), and checked against the run's posting. The result is kept with the CV version
it checked, so reopening the editor shows it without printing again."""

from __future__ import annotations

import asyncio
from typing import Any

from pipeline.documents import ats
from pipeline.documents.layout import Layout
from pipeline.render.templates import cv_document
from pipeline.runs.documents import CvSource, current_cv, cv_docx, cv_pdf, cv_subject
from pipeline.store import cv as cv_store
from pipeline.store import profiles

CHECK_NAME = "ats"


def _load(run_id: int, owner: str) -> tuple[CvSource | None, str, Any, dict[str, Any]]:
    from pipeline.cv.fitting import run_posting
    from pipeline.store.db import session_scope

    with session_scope() as session:
        cv = current_cv(session=session, run_id=run_id, owner=owner)
        if cv is None:
            return None, "", None, {}
        profile = profiles.active_profile(session=session, owner=owner)
        stored = cv_store.get_version(session=session, subject=cv_subject(run_id), version=cv.version, owner=owner).checks or {}
        return cv, profile.markdown if profile else "", run_posting(session=session, run_id=run_id, owner=owner), stored


def stored_check(*, run_id: int, owner: str, layout: Layout) -> dict[str, Any] | None:
    """The check kept with the current version for this layout, if one was run (blocking)."""
    cv, _, _, stored = _load(run_id, owner)
    found = stored.get(CHECK_NAME) if cv is not None else None
    return found if found and found.get("layout") == layout.key() else None


async def check_run_cv(*, run_id: int, owner: str, layout: Layout) -> dict[str, Any] | None:
    """Print, read back and check the tailored CV (PDF and Word) and the master CV (PDF); None when
    the run has no CV for this owner. Raises ats.AtsError when a file cannot be read back."""
    from pipeline.render.markdown import render_markdown
    from pipeline.render.pdf import render_cached
    from pipeline.runs.documents import _cache_dir

    cv, master_md, posting, _ = await asyncio.to_thread(_load, run_id, owner)
    if cv is None:
        return None
    _, tailored_pdf = await cv_pdf(cv, template=layout.template, page_size=layout.page_size, ats_safe=layout.ats_safe)
    docx = await asyncio.to_thread(cv_docx, cv, template=layout.template, page_size=layout.page_size, ats_safe=layout.ats_safe)
    budget = layout.cv_pages
    pdf_report = await asyncio.to_thread(lambda: ats.check(ats.read_pdf(tailored_pdf.data), source_markdown=cv.markdown, posting=posting, budget=budget))
    docx_report = await asyncio.to_thread(lambda: ats.check(ats.read_docx(docx), source_markdown=cv.markdown, posting=posting, budget=budget))
    result: dict[str, Any] = {"layout": layout.key(), "version": cv.version, "pdf": pdf_report.as_dict(), "docx": docx_report.as_dict()}
    if master_md.strip():
        doc = cv_document(render_markdown(master_md), template=layout.template, page_size=layout.page_size, ats_safe=layout.ats_safe, title="Master CV")
        _, master_pdf = await render_cached(doc, await asyncio.to_thread(_cache_dir))
        master_report = await asyncio.to_thread(lambda: ats.check(ats.read_pdf(master_pdf.data), source_markdown=master_md, posting=posting, budget=budget))
        result["master"] = master_report.as_dict()
        result["compare"] = ats.compare(master_report, pdf_report)

    def keep() -> None:
        from pipeline.store.db import session_scope

        with session_scope() as session:
            cv_store.set_check(session=session, subject=cv_subject(run_id), version=cv.version, name=CHECK_NAME, result=result, owner=owner)

    await asyncio.to_thread(keep)
    return result
