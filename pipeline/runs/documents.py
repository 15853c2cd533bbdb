"""The documents of a finished run as the user downloads them: the current CV version
(as markdown, HTML and PDF), the dossier, and the whole pack as a ZIP."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from pipeline.render.markdown import render_markdown
from pipeline.runs.results import artifact_path
from pipeline.settings import settings
from pipeline.store.models import LOCAL_OWNER, Run, RunStatus
from pipeline.store.runs import get_owned_run


def cv_subject(run_id: int) -> str:
    return f"run:{run_id}"


@dataclass
class CvSource:
    run_id: int
    version: int
    markdown: str
    html: str
    title: str


def current_cv(*, session: Session, run_id: int, owner: str = LOCAL_OWNER) -> CvSource | None:
    """The newest CV version of a succeeded run (version 1 is the pipeline's CV.md)."""
    from pipeline.store.cv import ensure_initial

    run = get_owned_run(session=session, run_id=run_id, owner=owner)
    if run is None or run.status != RunStatus.succeeded.value:
        return None
    path = artifact_path(session=session, run_id=run_id, name="CV.md", owner=owner)
    if path is None:
        return None
    latest = ensure_initial(session=session, subject=cv_subject(run_id), markdown=path.read_text(encoding="utf-8"), owner=owner)
    return CvSource(run_id=run_id, version=latest.version, markdown=latest.markdown, html=latest.html, title=_title(latest.markdown))


def dossier_html(*, session: Session, run_id: int, owner: str = LOCAL_OWNER) -> str | None:
    path = artifact_path(session=session, run_id=run_id, name="dossier.md", owner=owner)
    return render_markdown(path.read_text(encoding="utf-8")) if path else None


def run_cv_source(run_id: int) -> tuple[CvSource | None, str | None]:
    """The run's current CV and dossier body, for its owner (workers pre-render them)."""
    from pipeline.store.db import session_scope

    with session_scope() as session:
        run = session.get(Run, run_id)
        if run is None:
            return None, None
        return current_cv(session=session, run_id=run_id, owner=run.owner), dossier_html(session=session, run_id=run_id, owner=run.owner)


def _title(markdown: str) -> str:
    first = next((ln.lstrip("# ").strip() for ln in markdown.splitlines() if ln.startswith("# ")), "")
    return first or "CV"


def pdf_cache_dir() -> Path:
    return settings.data_dir / "cache" / "pdf"


async def cv_pdf(cv: CvSource, *, template: str = "classic", page_size: str = "A4", ats_safe: bool = False):
    """(path, PdfResult) of the CV as it is now; cached by content hash."""
    import asyncio

    from pipeline.render.pdf import render_cached

    return await render_cached(cv_html_document(cv, template=template, page_size=page_size, ats_safe=ats_safe), await asyncio.to_thread(_cache_dir))


def cv_html_document(cv: CvSource, *, template: str = "classic", page_size: str = "A4", ats_safe: bool = False) -> str:
    """The whole printable document; its hash is the PDF cache key."""
    from pipeline.render.templates import cv_document

    return cv_document(cv.html, template=template, page_size=page_size, title=f"{cv.title} — CV", ats_safe=ats_safe)


async def dossier_pdf(body_html: str, *, page_size: str = "A4"):
    import asyncio

    from pipeline.render.pdf import render_cached
    from pipeline.render.templates import dossier_document

    return await render_cached(dossier_document(body_html, page_size=page_size), await asyncio.to_thread(_cache_dir))


def _cache_dir() -> Path:
    d = pdf_cache_dir()
    d.mkdir(parents=True, exist_ok=True)
    return d


def pack_zip(files: dict[str, bytes]) -> bytes:
    """The application pack as one ZIP (names are fixed; no user-controlled paths)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()
