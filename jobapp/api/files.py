"""The page's download routes (`/files/...`, session cookie): a run's files, its CV and dossier
as PDF/markdown, the application pack, a profile's uploaded CV.

Every route asks one question first, through `_owned`: who is signed in, and is this theirs?
Not signed in, or someone else's, is the same 404 as "does not exist". Blocking store and
file work runs off the event loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from jobapp import routes
from jobapp.auth_routes import request_owner

T = TypeVar("T")
DOWNLOAD_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}
DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NOT_FOUND = PlainTextResponse("not found", status_code=404)


async def _owned(request: Request, lookup: Callable[..., T | None], *args: Any) -> T | None:
    """`lookup(session, owner, *args)` for the signed-in owner, in a thread; None when no one is
    signed in or the owner may not see it."""
    owner = await request_owner(request)
    return None if owner is None else await _for(owner, lookup, *args)


async def _for(owner: str, lookup: Callable[..., T | None], *args: Any) -> T | None:
    """`lookup(session, owner, *args)` in a thread, for an owner already resolved."""
    from pipeline.store.db import session_scope

    def run() -> T | None:
        with session_scope() as session:
            return lookup(session, owner, *args)

    return await asyncio.to_thread(run)


def _artifact(session, owner: str, run_id: int, name: str):
    from pipeline.runs.results import artifact_path

    return artifact_path(session=session, run_id=run_id, name=name, owner=owner)


def _cv(session, owner: str, run_id: int):
    from pipeline.runs.documents import current_cv

    return current_cv(session=session, run_id=run_id, owner=owner)


def _letter(session, owner: str, run_id: int):
    from pipeline.runs.documents import current_letter

    return current_letter(session=session, run_id=run_id, owner=owner)


def _dossier(session, owner: str, run_id: int):
    from pipeline.runs.documents import dossier_html

    return dossier_html(session=session, run_id=run_id, owner=owner)


def _outreach(session, owner: str, run_id: int):
    from pipeline.cv.letter import open_outreach

    return open_outreach(session=session, run_id=run_id, owner=owner)


def _original(session, owner: str, profile_id: int):
    from pipeline.store.profiles import get_profile, original_file

    try:
        return original_file(session=session, owner=owner, profile_id=profile_id), get_profile(session=session, owner=owner, profile_id=profile_id).source_filename or "cv"
    except LookupError:
        return None


def _attachment(data: bytes, filename: str, media: str, **extra: str) -> Response:
    headers = {**DOWNLOAD_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"', **extra}
    return Response(data, media_type=media, headers=headers)


def _layout_args(request: Request) -> dict:
    """Template, page size and ATS-safe text from the query, each from its allowed values only."""
    from pipeline.render.templates import DEFAULT_PAGE_SIZE, DEFAULT_TEMPLATE, PAGE_SIZES, TEMPLATES

    q = request.query_params
    return {
        "template": q.get(routes.TEMPLATE_PARAM) if q.get(routes.TEMPLATE_PARAM) in TEMPLATES else DEFAULT_TEMPLATE,
        "page_size": q.get(routes.PAGE_SIZE_PARAM) if q.get(routes.PAGE_SIZE_PARAM) in PAGE_SIZES else DEFAULT_PAGE_SIZE,
        "ats_safe": q.get(routes.ATS_PARAM) == routes.FLAG_ON,
    }


async def artifact_route(request: Request) -> Response:
    """A run's file, only if the caller may see the run and the file is inside its folder."""
    from pipeline.runs.results import ARTIFACT_MEDIA

    name = request.path_params["name"]
    path = await _owned(request, _artifact, request.path_params["run_id"], name)
    if path is None:
        return NOT_FOUND
    headers = {**DOWNLOAD_HEADERS, "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox"}
    if request.query_params.get(routes.DOWNLOAD_PARAM):
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return FileResponse(path, media_type=ARTIFACT_MEDIA.get(path.suffix, "application/octet-stream"), headers=headers)


async def cv_pdf_route(request: Request) -> Response:
    """CV.pdf of the run's current CV version (cached by content), with its page count."""
    from pipeline.runs.documents import cv_pdf

    cv = await _owned(request, _cv, request.path_params["run_id"])
    if cv is None:
        return NOT_FOUND
    path, pdf = await cv_pdf(cv, **_layout_args(request))
    return _attachment(path.read_bytes(), "CV.pdf", "application/pdf", **{"X-Page-Count": str(pdf.pages)})


async def dossier_pdf_route(request: Request) -> Response:
    from pipeline.runs.documents import dossier_pdf

    body = await _owned(request, _dossier, request.path_params["run_id"])
    if body is None:
        return NOT_FOUND
    path, pdf = await dossier_pdf(body, page_size=_layout_args(request)["page_size"])
    return _attachment(path.read_bytes(), "dossier.pdf", "application/pdf", **{"X-Page-Count": str(pdf.pages)})


async def cv_md_route(request: Request) -> Response:
    cv = await _owned(request, _cv, request.path_params["run_id"])
    if cv is None:
        return NOT_FOUND
    return _attachment(cv.markdown.encode("utf-8"), "CV.md", "text/markdown; charset=utf-8")


async def cv_docx_route(request: Request) -> Response:
    """CV.docx of the run's current CV version, with the PDF template's page size and margins."""
    from pipeline.runs.documents import cv_docx

    cv = await _owned(request, _cv, request.path_params["run_id"])
    if cv is None:
        return NOT_FOUND
    return await _docx(cv_docx, cv, "CV.docx", **_layout_args(request))


async def letter_pdf_route(request: Request) -> Response:
    from pipeline.runs.documents import letter_pdf

    letter = await _owned(request, _letter, request.path_params["run_id"])
    if letter is None:
        return NOT_FOUND
    path, pdf = await letter_pdf(letter, page_size=_layout_args(request)["page_size"])
    return _attachment(path.read_bytes(), "letter.pdf", "application/pdf", **{"X-Page-Count": str(pdf.pages)})


async def letter_docx_route(request: Request) -> Response:
    from pipeline.runs.documents import letter_docx

    letter = await _owned(request, _letter, request.path_params["run_id"])
    if letter is None:
        return NOT_FOUND
    return await _docx(letter_docx, letter, "cover_letter.docx", page_size=_layout_args(request)["page_size"])


async def _docx(build: Callable[..., bytes], source: Any, filename: str, **layout: Any) -> Response:
    """A Word file, or the reason there is none in plain words (an empty document is not a crash)."""
    try:
        data = await asyncio.to_thread(build, source, **layout)
    except ValueError as exc:
        return PlainTextResponse(str(exc), status_code=422, headers=DOWNLOAD_HEADERS)
    return _attachment(data, filename, DOCX_MEDIA)


async def letter_md_route(request: Request) -> Response:
    letter = await _owned(request, _letter, request.path_params["run_id"])
    if letter is None:
        return NOT_FOUND
    return _attachment(letter.markdown.encode("utf-8"), "cover_letter.md", "text/markdown; charset=utf-8")


async def pack_route(request: Request) -> Response:
    """Everything for one application in one ZIP: the current CV and letter (pdf, docx, md), dossier, outreach, result."""
    from pipeline.runs.documents import cv_docx, cv_pdf, dossier_pdf, letter_docx, letter_pdf, pack_zip

    run_id, owner = request.path_params["run_id"], await request_owner(request)
    if owner is None:
        return NOT_FOUND
    cv = await _for(owner, _cv, run_id)
    body = await _for(owner, _dossier, run_id)
    if cv is None or body is None:
        return NOT_FOUND
    args = _layout_args(request)
    cv_path, _ = await cv_pdf(cv, **args)
    dossier_path, _ = await dossier_pdf(body, page_size=args["page_size"])
    files = {
        "CV.md": cv.markdown.encode("utf-8"), "CV.pdf": cv_path.read_bytes(), "dossier.pdf": dossier_path.read_bytes(),
    }
    with contextlib.suppress(ValueError):  # an empty CV has no Word file; the rest of the pack still comes
        files["CV.docx"] = await asyncio.to_thread(cv_docx, cv, **args)
    letter = await _for(owner, _letter, run_id)
    if letter is not None:
        letter_path, _ = await letter_pdf(letter, page_size=args["page_size"])
        files["cover_letter.md"] = letter.markdown.encode("utf-8")
        files["letter.pdf"] = letter_path.read_bytes()
        with contextlib.suppress(ValueError):
            files["cover_letter.docx"] = await asyncio.to_thread(letter_docx, letter, page_size=args["page_size"])
    outreach = await _for(owner, _outreach, run_id)
    if outreach is not None:
        files["outreach.json"] = outreach.as_json().encode("utf-8")
    for name in ("dossier.md", "result.json"):
        path = await _for(owner, _artifact, run_id, name)
        if path is not None:
            files[name] = path.read_bytes()
    data = await asyncio.to_thread(pack_zip, files)
    return _attachment(data, f"application-{run_id}.zip", "application/zip")


async def profile_original_route(request: Request) -> Response:
    """The CV file a profile was read from, as uploaded (owner-checked, inside the profiles folder)."""
    found = await _owned(request, _original, request.path_params["profile_id"])
    if found is None:
        return NOT_FOUND
    path, name = found
    safe = "".join(c if c.isalnum() or c in "._- " else "_" for c in name)[:120] or "cv"
    return _attachment(path.read_bytes(), safe, "application/octet-stream")


FILE_ROUTES = [
    Route(routes.ARTIFACT, artifact_route),
    Route(routes.CV_PDF, cv_pdf_route),
    Route(routes.DOSSIER_PDF, dossier_pdf_route),
    Route(routes.CV_MD, cv_md_route),
    Route(routes.CV_DOCX, cv_docx_route),
    Route(routes.LETTER_PDF, letter_pdf_route),
    Route(routes.LETTER_DOCX, letter_docx_route),
    Route(routes.LETTER_MD, letter_md_route),
    Route(routes.PACK_ZIP, pack_route),
    Route(routes.PROFILE_ORIGINAL, profile_original_route),
]
