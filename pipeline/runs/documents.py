"""The documents of a finished run as the user downloads them: the current CV and cover
letter versions (markdown, PDF and Word), the dossier, and the whole pack as a ZIP."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from pipeline.documents.layout import Layout
from pipeline.documents.letter import LetterHead
from pipeline.render.markdown import render_markdown
from pipeline.runs.results import artifact_path
from pipeline.settings import settings
from pipeline.store.models import LOCAL_OWNER, Job, Run, RunStatus
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


@dataclass
class LetterSource:
    run_id: int
    version: int
    markdown: str
    html: str
    head: LetterHead


def current_letter(*, session: Session, run_id: int, owner: str = LOCAL_OWNER) -> LetterSource | None:
    """The newest letter version with its head (sender, date, recipient, subject)."""
    from pipeline.cv.letter import letter_head, open_letter

    letter = open_letter(session=session, run_id=run_id, owner=owner)
    if letter is None:
        return None
    head = letter_head(session=session, run_id=run_id, owner=owner)
    return LetterSource(run_id=run_id, version=letter.version, markdown=letter.markdown, html=letter.html, head=head)


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


def letter_html_document(letter: LetterSource, *, page_size: str = "A4") -> str:
    from pipeline.render.templates import letter_document

    return letter_document(letter.html, head=letter.head, page_size=page_size, title=_letter_title(letter))


async def letter_pdf(letter: LetterSource, *, page_size: str = "A4"):
    """(path, PdfResult) of the letter as it is now, head included; cached by content hash."""
    import asyncio

    from pipeline.render.pdf import render_cached

    return await render_cached(letter_html_document(letter, page_size=page_size), await asyncio.to_thread(_cache_dir))


def cv_docx(cv: CvSource, *, template: str = "classic", page_size: str = "A4", ats_safe: bool = False) -> bytes:
    """CV.docx of the CV as it is now, laid out like the PDF template (blocking: call in a thread)."""
    from pipeline.documents.docx import html_to_docx
    from pipeline.render.templates import ats_safe_text

    body = ats_safe_text(cv.html) if ats_safe else cv.html
    return html_to_docx(body, kind="cv", template=template, page_size=page_size, title=f"{cv.title} — CV", author=cv.title)


def letter_docx(letter: LetterSource, *, page_size: str = "A4") -> bytes:
    """cover_letter.docx with the same head as letter.pdf (blocking: call in a thread)."""
    from pipeline.documents.docx import html_to_docx

    return html_to_docx(letter.html, kind="letter", page_size=page_size, title=_letter_title(letter), author=letter.head.sender_name, head=letter.head)


def _letter_title(letter: LetterSource) -> str:
    return " — ".join(p for p in (letter.head.subject or "Cover letter", letter.head.sender_name) if p)


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


def default_layout(*, session: Session, owner: str) -> Layout:
    """The layout of a job with none stored: the owner's run defaults (Settings → Run defaults)."""
    from pipeline.llm.config import effective_settings

    eff = effective_settings(owner, session=session)
    return Layout.defaults(cv_pages=eff.cv_pages, ats_safe=eff.ats_safe)


def run_layout(*, session: Session, run_id: int, owner: str = LOCAL_OWNER) -> tuple[int, Layout]:
    """(job id, how the job's documents print) for a run the owner may see; (0, defaults) otherwise.
    The job's own stored choice wins; what it does not store comes from the owner's run defaults."""
    run = get_owned_run(session=session, run_id=run_id, owner=owner)
    job = session.get(Job, run.job_id) if run is not None and run.job_id else None
    if job is None:
        return 0, Layout()
    return job.id or 0, Layout.of(job.layout, defaults=default_layout(session=session, owner=job.owner))


def set_run_layout(*, session: Session, run_id: int, layout: Layout, owner: str = LOCAL_OWNER) -> Layout:
    """Keep a layout choice on the run's job, so the next visit, the ZIP and the ATS check use it."""
    from pipeline.store.jobs import set_layout

    job_id, _ = run_layout(session=session, run_id=run_id, owner=owner)
    if job_id:
        set_layout(session=session, job_id=job_id, layout=layout.as_dict(), owner=owner)
    return layout
