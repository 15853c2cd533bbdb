"""One run's documents as files to hand over: the page's download links and the REST API ask
for them by name and get the same bytes.

`download(name, owner=..., run_id=...)` returns None when the run is not the owner's, has not
succeeded or lacks that document (callers answer 404 for all three, so nobody learns which);
it raises `NoFile` with a reason in plain words when the document exists but cannot be made
(an empty CV has no Word file). Store reads run in a worker thread; PDFs come from the render
pool.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from pipeline.runs.documents import (
    CvSource,
    LetterSource,
    _title,
    current_cv,
    current_letter,
    cv_docx,
    cv_pdf,
    dossier_html,
    dossier_pdf,
    letter_docx,
    letter_pdf,
    pack_zip,
    run_layout,
)
from pipeline.runs.results import artifact_path

T = TypeVar("T")
DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MARKDOWN_MEDIA = "text/markdown; charset=utf-8"
MEDIA = ("application/pdf", DOCX_MEDIA, MARKDOWN_MEDIA, "application/zip")  # every type `download` answers with
# The names a caller may ask for: the current CV and letter versions, the dossier and the whole pack.
NAMES = ("CV.pdf", "CV.docx", "CV.md", "letter.pdf", "cover_letter.docx", "cover_letter.md", "dossier.pdf", "pack.zip")


class NoFile(ValueError):
    """The document exists but this file cannot be made from it (the reason is for the user)."""


@dataclass(frozen=True)
class Download:
    data: bytes
    filename: str
    media: str
    pages: int | None = None  # PDFs: the page count (the page shows it, the API sends X-Page-Count)


async def _lookup(lookup: Callable[..., T | None], owner: str, run_id: int, **extra: Any) -> T | None:
    """`lookup(session=..., run_id=..., owner=..., **extra)` in a thread, in its own short transaction."""
    from pipeline.store.db import session_scope

    def run() -> T | None:
        with session_scope() as session:
            return lookup(session=session, run_id=run_id, owner=owner, **extra)

    return await asyncio.to_thread(run)


async def _word(build: Callable[..., bytes], source: Any, filename: str, **layout: Any) -> Download:
    try:
        return Download(await asyncio.to_thread(build, source, **layout), filename, DOCX_MEDIA)
    except ValueError as exc:  # an empty document: say why instead of failing
        raise NoFile(str(exc)) from None


async def download(
    name: str, *, owner: str, run_id: int, template: str | None = None, page_size: str | None = None, ats_safe: bool | None = None,
    version: int | None = None,
) -> Download | None:
    """The file `name` (one of NAMES) of run `run_id` for `owner`, laid out as asked; what is not
    asked for comes from the job's stored layout (then the owner's run defaults). `version` asks
    for that stored version of the CV or letter instead of the current one (what was sent); a
    version the run does not have is None, like a run that is not the owner's."""
    if template is None or page_size is None or ats_safe is None:
        _, stored = await _lookup(run_layout, owner, run_id)
        template = stored.template if template is None else template
        page_size = stored.page_size if page_size is None else page_size
        ats_safe = stored.ats_safe if ats_safe is None else ats_safe
    layout = {"template": template, "page_size": page_size, "ats_safe": ats_safe}
    if name.startswith("CV."):
        cv = await _lookup(_cv_at, owner, run_id, version=version)
        if cv is None:
            return None
        if name == "CV.md":
            return Download(cv.markdown.encode("utf-8"), "CV.md", MARKDOWN_MEDIA)
        if name == "CV.docx":
            return await _word(cv_docx, cv, "CV.docx", **layout)
        path, pdf = await cv_pdf(cv, **layout)
        return Download(path.read_bytes(), "CV.pdf", "application/pdf", pdf.pages)
    if name in ("letter.pdf", "cover_letter.docx", "cover_letter.md"):
        letter = await _lookup(_letter_at, owner, run_id, version=version)
        if letter is None:
            return None
        if name == "cover_letter.md":
            return Download(letter.markdown.encode("utf-8"), name, MARKDOWN_MEDIA)
        if name == "cover_letter.docx":
            return await _word(letter_docx, letter, name, page_size=page_size)
        path, pdf = await letter_pdf(letter, page_size=page_size)
        return Download(path.read_bytes(), name, "application/pdf", pdf.pages)
    if name == "dossier.pdf":
        body = await _lookup(dossier_html, owner, run_id)
        if body is None:
            return None
        path, pdf = await dossier_pdf(body, page_size=page_size)
        return Download(path.read_bytes(), name, "application/pdf", pdf.pages)
    if name == "pack.zip":
        return await _pack(owner, run_id, layout)
    return None


def _stored(session: Any, subject: str, version: int, owner: str) -> Any:
    """The stored version `version` of a subject, or None when it has no such version."""
    from pipeline.store.cv import get_version

    try:
        return get_version(session=session, subject=subject, version=version, owner=owner)
    except LookupError:
        return None


def _cv_at(*, session: Any, run_id: int, owner: str, version: int | None = None) -> CvSource | None:
    """The run's current CV, or its version `version` (the run must still be the owner's and succeeded)."""
    from pipeline.runs.documents import cv_subject

    cv = current_cv(session=session, run_id=run_id, owner=owner)
    if cv is None or version is None or version == cv.version:
        return cv
    row = _stored(session, cv_subject(run_id), version, owner)
    return None if row is None else replace(cv, version=row.version, markdown=row.markdown, html=row.html, title=_title(row.markdown))


def _letter_at(*, session: Any, run_id: int, owner: str, version: int | None = None) -> LetterSource | None:
    """The run's current letter, or its version `version`; a version that went out with an
    application is dated the day it was sent, as the employer received it (otherwise today)."""
    from sqlmodel import col, select

    from pipeline.cv.letter import letter_subject
    from pipeline.store.models import SentDocument

    letter = current_letter(session=session, run_id=run_id, owner=owner)
    if letter is None or version is None:
        return letter
    if version != letter.version:
        row = _stored(session, letter_subject(run_id), version, owner)
        if row is None:
            return None
        letter = replace(letter, version=row.version, markdown=row.markdown, html=row.html)
    sent = session.exec(
        select(SentDocument).where(SentDocument.run_id == run_id, SentDocument.owner == owner, SentDocument.document == "letter")
        .where(SentDocument.version == version).order_by(col(SentDocument.id))
    ).first()  # fmt: skip
    if sent is not None:
        day = sent.sent_at
        letter = replace(letter, head=replace(letter.head, date=f"{day.day} {day:%B %Y}"))
    return letter


async def _pack(owner: str, run_id: int, layout: dict[str, Any]) -> Download | None:
    """Everything for one application in one ZIP: the current CV and letter (pdf, docx, md), dossier, outreach, result."""
    from pipeline.cv.letter import open_outreach

    cv = await _lookup(current_cv, owner, run_id)
    body = await _lookup(dossier_html, owner, run_id)
    if cv is None or body is None:
        return None
    cv_path, _ = await cv_pdf(cv, **layout)
    dossier_path, _ = await dossier_pdf(body, page_size=layout["page_size"])
    files = {"CV.md": cv.markdown.encode("utf-8"), "CV.pdf": cv_path.read_bytes(), "dossier.pdf": dossier_path.read_bytes()}
    with contextlib.suppress(ValueError):  # an empty CV has no Word file; the rest of the pack still comes
        files["CV.docx"] = await asyncio.to_thread(cv_docx, cv, **layout)
    letter = await _lookup(current_letter, owner, run_id)
    if letter is not None:
        letter_path, _ = await letter_pdf(letter, page_size=layout["page_size"])
        files["cover_letter.md"] = letter.markdown.encode("utf-8")
        files["letter.pdf"] = letter_path.read_bytes()
        with contextlib.suppress(ValueError):
            files["cover_letter.docx"] = await asyncio.to_thread(letter_docx, letter, page_size=layout["page_size"])
    outreach = await _lookup(open_outreach, owner, run_id)
    if outreach is not None:
        files["outreach.json"] = outreach.as_json().encode("utf-8")
    for name in ("dossier.md", "result.json"):
        path = await _lookup(artifact_path, owner, run_id, name=name)
        if path is not None:
            files[name] = path.read_bytes()
    return Download(await asyncio.to_thread(pack_zip, files), f"application-{run_id}.zip", "application/zip")
