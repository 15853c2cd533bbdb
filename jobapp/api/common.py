"""What every API write shares: the Idempotency-Key header and documented error responses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Header, HTTPException, Request
from fastapi.responses import JSONResponse
from sqlmodel import Session

from jobapp.api.auth import Principal
from jobapp.api.schemas import Problem
from pipeline.store.db import session_scope
from pipeline.store.idempotency import IdempotencyConflict, Outcome, request_hash, run_once

_RETRY_AFTER = {"Retry-After": {"description": "Seconds until the token may call again.", "schema": {"type": "integer"}}}
_AUTH_HEADER = {"WWW-Authenticate": {"description": "How to authenticate.", "schema": {"type": "string"}}}

AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "No token, or an unknown or revoked one.", "headers": _AUTH_HEADER},
    429: {"model": Problem, "description": "The token's rate limit is reached.", "headers": _RETRY_AFTER},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "No such resource of this token's owner."}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The body is not readable (not UTF-8 JSON)."},
    413: {"model": Problem, "description": "The request body is larger than allowed."},
    409: {"model": Problem, "description": "The Idempotency-Key was already used for a different request."},
    422: {"model": Problem, "description": "The body or a parameter is invalid (each error names its field)."},
}

IdempotencyKey = Header(
    default=None, alias="Idempotency-Key", min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$",
    description="Any unique string (a UUID): a retried POST with the same key and body gets the first response back.",
)


def idempotent_post(
    request: Request, who: Principal, key: str | None, body: Any, work: Callable[[Session], tuple[int, dict[str, Any]]]
) -> Outcome:
    """Do `work` in one transaction, once per (owner, key); replays carry `Idempotent-Replayed: true`."""
    with session_scope() as session:
        if key is None:
            status, out = work(session)
            return Outcome(status, out)
        fingerprint = request_hash(request.method, request.url.path, body)
        try:
            return run_once(session=session, owner=who.owner, key=key, fingerprint=fingerprint, work=work)
        except IdempotencyConflict as exc:
            raise HTTPException(status_code=409, detail=str(exc)) from None


def respond(outcome: Outcome) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
    return JSONResponse(outcome.body, status_code=outcome.status_code, headers=headers)
