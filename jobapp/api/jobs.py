"""/api/jobs: import postings (the file and paste importers) and list them (the table's query)."""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import ValidationError
from sqlmodel import Session

from jobapp.api.auth import Principal, principal
from jobapp.api.common import AUTH_ERRORS, WRITE_ERRORS, IdempotencyKey, idempotent_post, respond
from jobapp.api.schemas import ImportOut, JobPageOut, JobsCreate, JobsImport, PasteImport, UrlsImport
from pipeline.store.db import session_scope
from pipeline.store.jobs import SORTABLE, JobQuery, list_jobs
from pipeline.store.models import JobStatus

SortField = Enum("SortField", {name: name for name in SORTABLE}, type=str)

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.post(
    "", response_model=ImportOut, status_code=201,
    responses={**AUTH_ERRORS, **WRITE_ERRORS, 200: {"model": ImportOut, "description": "Nothing new: every posting was already stored (or rejected)."}},
    summary="Import postings (structured, pasted, or from links)",
)
def import_jobs(request: Request, body: JobsCreate, who: Principal = Depends(principal), idempotency_key: str | None = IdempotencyKey):
    """New postings are added, changed ones updated, identical ones skipped (by source and
    external id, or by url/title/company/location). Bad postings are reported per row with
    their 1-based position; the others are still imported. `urls` reads each link (4 at a time)
    and reports a failing one in plain words (private and local addresses are refused)."""
    payload = body.model_dump(exclude_none=True)
    return respond(idempotent_post(request, who, idempotency_key, payload, lambda s: _import(s, who.owner, body)))


def _import(session: Session, owner: str, body: JobsCreate) -> tuple[int, dict[str, Any]]:
    from pipeline.sources.base import SourceError
    from pipeline.sources.importer import import_file, import_paste

    data = _without_nul(body.model_dump(exclude_none=True))
    model = PasteImport if "paste" in data else UrlsImport if "urls" in data else JobsImport
    try:
        body = model.model_validate(data)
    except ValidationError as exc:  # only NUL-stripping can break a valid body (a paste of NULs is empty)
        return 200, {"imported": 0, "updated": 0, "skipped": 0, "errors": _row_errors(exc), "job_ids": []}
    try:
        if isinstance(body, UrlsImport):
            from pipeline.sources.links import import_urls

            if not any(u.strip() for u in body.urls):  # schema-valid, yet nothing to read: row errors, not a 422
                errors = [{"line": i, "error": "the link is empty"} for i in range(1, len(body.urls) + 1)]
                return 200, {"imported": 0, "updated": 0, "skipped": 0, "errors": errors, "job_ids": []}
            summary = import_urls(session=session, urls=body.urls, owner=owner)
        elif isinstance(body, PasteImport):
            p = body.paste
            try:
                summary = import_paste(session=session, text=p.text, title=p.title, company=p.company, url=p.url, location=p.location, owner=owner)
            except SourceError as exc:  # a paste is one posting: a bad one is a row error, as in a file import
                return 200, {"imported": 0, "updated": 0, "skipped": 0, "errors": [{"line": 1, "error": str(exc)}], "job_ids": []}
        else:
            rows = [item.model_dump(exclude_none=True) for item in body.jobs]
            data = json.dumps(rows, ensure_ascii=False).encode("utf-8")
            summary = import_file(session=session, data=data, filename="api.json", owner=owner)
    except SourceError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    out = {**summary.as_dict(), "job_ids": summary.job_ids}  # link imports add "results"
    return (201 if summary.imported else 200), out


def _row_errors(exc: ValidationError) -> list[dict[str, Any]]:
    """Pydantic errors as the importer's row errors: the 1-based row (a paste is row 1) and plain words."""
    errors = []
    for err in exc.errors():
        loc = err.get("loc", ())
        line = loc[1] + 1 if len(loc) > 1 and isinstance(loc[1], int) else 1
        field = next((str(part) for part in reversed(loc) if isinstance(part, str)), "posting")
        reason = "is empty once NUL characters are removed" if err.get("type") == "string_too_short" else err.get("msg", "is not valid")
        errors.append({"line": line, "error": f"{field} {reason}"})
    return errors


def _without_nul(value: Any) -> Any:
    """NUL characters carry no meaning in a posting and PostgreSQL refuses them: drop them."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


@router.get("", response_model=JobPageOut, responses=AUTH_ERRORS, summary="List jobs with the table's filters")
def get_jobs(
    who: Principal = Depends(principal),
    q: str = Query(default="", max_length=200, description="Words to find in title, company, location or posting."),
    status: list[JobStatus] = Query(default=[], description="Archived jobs show only when asked for."),
    source: list[str] = Query(default=[], max_length=20),
    min_score: int | None = Query(default=None, ge=0, le=100),
    max_score: int | None = Query(default=None, ge=0, le=100),
    sort: SortField = Query(default=SortField.updated_at),
    desc: bool = True,
    page: int = Query(default=1, ge=1, le=1_000_000),
    page_size: int = Query(default=25, ge=1, le=500),
):
    query = JobQuery(
        q=_without_nul(q), statuses=[s.value for s in status], sources=_without_nul(source), min_score=min_score, max_score=max_score,
        sort=sort.value, desc=desc, page=page, page_size=page_size, owner=who.owner,
    )
    with session_scope() as session:
        result = list_jobs(session=session, query=query)
    return {"rows": result.rows, "total": result.total, "page": result.page, "pages": result.pages}
