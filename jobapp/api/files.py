"""The page's download routes (`/files/...`, session cookie): a run's files, its CV and dossier
as PDF/markdown, the application pack, a profile's uploaded CV.

Every route asks one question first, through `_owned`: who is signed in, and is this theirs?
Not signed in, or someone else's, is the same 404 as "does not exist". Blocking store and
file work runs off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from jobapp import routes
from jobapp.auth_routes import request_owner

T = TypeVar("T")
DOWNLOAD_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}
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


async def _document(request: Request, name: str) -> Response:
    """A run's current document `name` (pipeline.runs.downloads.NAMES) for the signed-in owner, or
    the stored version the query names (`?version=3`: exactly the file that was sent)."""
    from pipeline.runs.downloads import NoFile, download

    owner = await request_owner(request)
    if owner is None:
        return NOT_FOUND
    raw = request.query_params.get(routes.VERSION_PARAM)
    if raw is not None and not (raw.isdigit() and 0 < int(raw) < 2**31):
        return NOT_FOUND  # no such version, like any other that does not exist
    try:
        found = await download(
            name, owner=owner, run_id=request.path_params["run_id"], version=None if raw is None else int(raw), **_layout_args(request)
        )
    except NoFile as exc:  # an empty document is not a crash: say why
        return PlainTextResponse(str(exc), status_code=422, headers=DOWNLOAD_HEADERS)
    if found is None:
        return NOT_FOUND
    extra = {"X-Page-Count": str(found.pages)} if found.pages is not None else {}
    return _attachment(found.data, found.filename, found.media, **extra)


def _route(name: str) -> Callable[[Request], Any]:
    async def route(request: Request) -> Response:
        return await _document(request, name)

    route.__name__ = route.__qualname__ = f"{name.replace('.', '_')}_route"
    return route


cv_pdf_route, cv_md_route, cv_docx_route = _route("CV.pdf"), _route("CV.md"), _route("CV.docx")
letter_pdf_route, letter_docx_route, letter_md_route = _route("letter.pdf"), _route("cover_letter.docx"), _route("cover_letter.md")
dossier_pdf_route, pack_route = _route("dossier.pdf"), _route("pack.zip")


async def profile_original_route(request: Request) -> Response:
    """The CV file a profile was read from, as uploaded (owner-checked, inside the profiles folder)."""
    found = await _owned(request, _original, request.path_params["profile_id"])
    if found is None:
        return NOT_FOUND
    path, name = found
    safe = "".join(c if c.isalnum() or c in "._- " else "_" for c in name)[:120] or "cv"
    return _attachment(path.read_bytes(), safe, "application/octet-stream")


ICS_MEDIA = "text/calendar; charset=utf-8"


async def interview_ics_route(request: Request) -> Response:
    """One interview as an .ics file, for the signed-in owner only."""
    from pipeline.store.calendar_feed import interview_calendar
    from pipeline.store.models import utcnow

    owner = await request_owner(request)
    if owner is None:
        return NOT_FOUND
    interview_id = request.path_params["interview_id"]
    data = await _for(owner, lambda session, who: interview_calendar(session=session, interview_id=interview_id, owner=who, now=utcnow()))
    if data is None:
        return NOT_FOUND
    return _attachment(data, f"interview-{interview_id}.ics", ICS_MEDIA)


async def calendar_feed_route(request: Request) -> Response:
    """The private feed of interviews and follow-ups: the token in the URL is the credential
    (calendar apps send no cookie); an unknown or revoked token is the same 404 as no feed."""
    from pipeline.store.calendar_feed import feed_calendar
    from pipeline.store.db import session_scope
    from pipeline.store.models import utcnow

    token = request.path_params["token"]

    def run() -> bytes | None:
        with session_scope() as session:
            return feed_calendar(session=session, token=token, now=utcnow())

    data = await asyncio.to_thread(run)
    if data is None:
        return NOT_FOUND
    return Response(data, media_type=ICS_MEDIA, headers={**DOWNLOAD_HEADERS, "Referrer-Policy": "no-referrer"})


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
    Route(routes.INTERVIEW_ICS, interview_ics_route),
    Route(routes.CALENDAR_FEED, calendar_feed_route),
]
