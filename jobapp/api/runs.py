"""/api/runs: queue runs, read their state, follow their log, download their files.

Runs are queued exactly as the page queues them (`queue_runs` then
`runs_queued`); nothing here decides how a run executes."""

from __future__ import annotations

import asyncio
from datetime import datetime
from enum import Enum
from typing import Any

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request
from fastapi.responses import FileResponse, Response, StreamingResponse
from sqlmodel import Session

from jobapp.api.auth import Principal, principal
from jobapp.api.common import AUTH_ERRORS, NOT_FOUND, WRITE_ERRORS, IdempotencyKey, idempotent_post, respond
from jobapp.api.schemas import RunOut, RunsCreate, RunsCreated
from jobapp.api.sse import run_event_stream
from jobapp.routes import api_run_artifact
from pipeline.render.templates import PAGE_SIZES, TEMPLATES
from pipeline.runs.downloads import MEDIA as DOCUMENT_MEDIA
from pipeline.runs.downloads import NAMES as DOCUMENT_NAMES
from pipeline.store.db import session_scope

router = APIRouter(prefix="/runs", tags=["runs"])
DocumentName = Enum("DocumentName", {n.replace(".", "_"): n for n in DOCUMENT_NAMES}, type=str)
TemplateName = Enum("TemplateName", {n: n for n in TEMPLATES}, type=str)
PageSize = Enum("PageSize", {n: n for n in PAGE_SIZES}, type=str)
RunId = Path(ge=1, le=2**31 - 1, description="Run id")
# Each event's `data` is JSON: a log line (`log`), or the run's state (`status`, `end`).
SSE_DATA = {"anyOf": [
    {"type": "object", "required": ["seq", "level", "message"], "properties": {
        "seq": {"type": "integer"}, "ts": {"type": ["string", "null"]}, "level": {"type": "string"},
        "step": {"type": "string"}, "message": {"type": "string"}, "data": {"type": "object"}}},
    {"type": "object", "required": ["run_id", "status"], "properties": {
        "run_id": {"type": "integer"}, "status": {"type": "string"}, "step": {"type": "string"},
        "progress": {"type": "integer"}, "last_seq": {"type": "integer"}}},
]}
SSE_EVENT = {"type": "object", "required": ["event", "data"], "properties": {
    "event": {"type": "string", "enum": ["log", "status", "end"]},
    "id": {"type": "string", "description": "The line's seq (log events only): send it back as Last-Event-ID to resume."},
    "data": {"type": "string", "contentMediaType": "application/json", "contentSchema": SSE_DATA},
}}
DOWNLOAD_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
}


@router.post(
    "", status_code=202, response_model=RunsCreated, responses={**AUTH_ERRORS, **NOT_FOUND, **WRITE_ERRORS},
    summary="Queue runs for one or many jobs",
)
def create_runs(request: Request, body: RunsCreate, who: Principal = Depends(principal), idempotency_key: str | None = IdempotencyKey):
    """One run per job, in one batch; a job with a queued or running run is skipped, not queued twice.
    Unknown, archived or other users' jobs make the whole request fail with 404 (nothing queued)."""
    from pipeline.runs.dispatch import runs_queued

    outcome = idempotent_post(request, who, idempotency_key, body.model_dump(), lambda s: _queue(s, who.owner, body.job_ids))
    if not outcome.replayed:
        runs_queued(list(outcome.body["run_ids"]))
    return respond(outcome)


def _queue(session: Session, owner: str, job_ids: list[int]) -> tuple[int, dict[str, Any]]:
    from pipeline.runs.queue import queue_runs
    from pipeline.store.jobs import jobs_by_ids

    wanted = sorted(set(job_ids))
    live = {j.id for j in jobs_by_ids(session=session, job_ids=wanted, owner=owner) if j.archived_at is None}
    missing = [i for i in wanted if i not in live]
    if missing:
        raise HTTPException(status_code=404, detail=f"Jobs not found (or archived): {', '.join(map(str, missing[:20]))}. Nothing was queued.")
    queued = queue_runs(session=session, job_ids=wanted, owner=owner, label=f"API: {len(wanted)} job(s)")
    return 202, {"batch_id": queued.batch_id, "run_ids": queued.run_ids, "skipped": queued.skipped}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _run_out(run_id: int, owner: str) -> dict[str, Any] | None:
    from pipeline.store.runs import artifacts, get_owned_run

    with session_scope() as session:
        run = get_owned_run(session=session, run_id=run_id, owner=owner)
        if run is None:
            return None
        arts = [
            {"name": a.name, "size": a.size, "sha256": a.sha256, "url": api_run_artifact(run.id, a.name)}
            for a in artifacts(session=session, run_id=run.id)
        ]
        return {
            "id": run.id, "job_id": run.job_id, "batch_id": run.batch_id, "status": run.status, "step": run.step,
            "progress": run.progress, "attempt": run.attempt, "created_at": _iso(run.created_at),
            "started_at": _iso(run.started_at), "finished_at": _iso(run.finished_at), "model": run.model,
            "tokens_in": run.tokens_in, "tokens_out": run.tokens_out, "cost_usd": run.cost_usd,
            "error_code": run.error_code, "error_message": run.error_message,
            "cancel_requested": run.cancel_requested, "artifacts": arts,
        }


@router.get("/{run_id}", response_model=RunOut, responses={**AUTH_ERRORS, **NOT_FOUND}, summary="A run's state, cost and artifacts")
def get_run(run_id: int = RunId, who: Principal = Depends(principal)):
    out = _run_out(run_id, who.owner)
    if out is None:
        raise HTTPException(status_code=404, detail=f"Run {run_id} not found.")
    return out


def _owns_run(run_id: int, owner: str) -> bool:
    from pipeline.store.runs import get_owned_run

    with session_scope() as session:
        return get_owned_run(session=session, run_id=run_id, owner=owner) is not None


@router.get(
    "/{run_id}/events",
    responses={
        **AUTH_ERRORS, **NOT_FOUND,
        200: {"content": {"text/event-stream": {"schema": SSE_EVENT}}, "description": "`log` events (id = seq), `status` events, then one `end` event."},
    },
    response_class=StreamingResponse,
    summary="Follow a run's log (Server-Sent Events)",
)
async def run_events_stream(
    request: Request,
    run_id: int = RunId,
    who: Principal = Depends(principal),
    last_event_id: str | None = Header(default=None, alias="Last-Event-ID", max_length=20, description="Resume after this seq (browsers send it when reconnecting)."),
    after: int | None = Query(default=None, ge=0, le=2**31 - 1, description="Resume after this seq (for clients that cannot set headers)."),
):
    if not await asyncio.to_thread(_owns_run, run_id, who.owner):
        raise HTTPException(status_code=404, detail=f"Run {run_id} not found.")
    cursor = after or 0
    if last_event_id is not None and last_event_id.strip().isdigit():
        cursor = max(cursor, int(last_event_id.strip()))
    return StreamingResponse(
        run_event_stream(run_id, cursor, is_disconnected=request.is_disconnected),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _artifact(run_id: int, name: str, owner: str):
    from pipeline.runs.results import artifact_path

    with session_scope() as session:
        return artifact_path(session=session, run_id=run_id, name=name, owner=owner)


@router.get(
    "/{run_id}/artifacts/{name}",
    response_class=FileResponse,
    responses={**AUTH_ERRORS, **NOT_FOUND, 200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}, "description": "The file, as an attachment."}},
    summary="Download a file a run produced",
)
async def get_artifact(
    run_id: int = RunId, name: str = Path(min_length=1, max_length=200, pattern=r"^[^/\\\x00-\x1f\x7f]+$", description="e.g. CV.md, dossier.html, result.json"),
    who: Principal = Depends(principal),
):
    from pipeline.runs.results import ARTIFACT_MEDIA

    path = await asyncio.to_thread(_artifact, run_id, name, who.owner)
    if path is None:
        raise HTTPException(status_code=404, detail=f"Run {run_id} has no file named {name!r}.")
    return FileResponse(
        path, filename=path.name, content_disposition_type="attachment",
        media_type=ARTIFACT_MEDIA.get(path.suffix, "application/octet-stream"), headers=DOWNLOAD_HEADERS,
    )


@router.get(
    "/{run_id}/documents/{name}",
    response_class=Response,
    responses={
        **AUTH_ERRORS, **NOT_FOUND,
        200: {"content": {media: {"schema": {"type": "string", "format": "binary"}} for media in DOCUMENT_MEDIA},
              "description": "The file, as an attachment (PDFs carry X-Page-Count)."},
        422: {"description": "The document cannot be made as this file (an empty CV has no Word file), in plain words."},
    },
    summary="Download the current CV, cover letter, dossier or the whole application pack",
)
async def get_document(
    run_id: int = RunId,
    name: DocumentName = Path(description="The current (edited) version: CV.pdf/.docx/.md, letter.pdf, cover_letter.docx/.md, dossier.pdf, or pack.zip with all of them."),
    template: TemplateName | None = Query(default=None, description="CV template; the job's own choice when omitted."),
    page_size: PageSize | None = Query(default=None, description="A4 or Letter; the job's own choice when omitted."),
    ats_safe: bool | None = Query(default=None, description="Plain text a tracking system reads best; the job's own choice when omitted."),
    version: int | None = Query(default=None, ge=1, description="CV and letter only: that stored version (e.g. the one sent) instead of the current one."),
    who: Principal = Depends(principal),
):
    from pipeline.runs.downloads import NoFile, download

    try:
        found = await download(
            name.value, owner=who.owner, run_id=run_id, template=template.value if template else None,
            page_size=page_size.value if page_size else None, ats_safe=ats_safe, version=version,
        )  # fmt: skip
    except NoFile as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    if found is None:
        raise HTTPException(status_code=404, detail=f"Run {run_id} has no {name.value} (not finished, or not yours).")
    headers = {**DOWNLOAD_HEADERS, "Content-Disposition": f'attachment; filename="{found.filename}"'}
    if found.pages is not None:
        headers["X-Page-Count"] = str(found.pages)
    return Response(found.data, media_type=found.media, headers=headers)
