"""Bearer-token authentication and per-token rate limits for the REST API.

Every request needs a token, on loopback too: any web page the user opens
can send requests to 127.0.0.1, so "local" is not "trusted"."""

from __future__ import annotations

import math
from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from pipeline.accounts.ratelimit import RateLimiter
from pipeline.accounts.tokens import verify_token
from pipeline.store.db import session_scope

bearer = HTTPBearer(auto_error=False, scheme_name="ApiToken", description="`Authorization: Bearer jat_...` (python -m pipeline tokens create)")


@dataclass(frozen=True)
class Principal:
    owner: str
    token_id: int


def _unauthorized(message: str, error: str = "invalid_token") -> HTTPException:
    return HTTPException(
        status_code=401, detail=message, headers={"WWW-Authenticate": f'Bearer realm="jobapp", error="{error}"'}
    )


def _verify(secret: str) -> Principal | None:
    with session_scope() as session:
        token = verify_token(session=session, secret=secret)
        return Principal(owner=token.owner, token_id=token.id) if token is not None else None


def principal(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Principal:
    """The token's owner; 401 without a live token, 429 over the token's rate limit."""
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise HTTPException(
            status_code=401,
            detail="An API token is required: send `Authorization: Bearer jat_...` (create one with `python -m pipeline tokens create`).",
            headers={"WWW-Authenticate": 'Bearer realm="jobapp"'},
        )
    who = _verify(credentials.credentials)
    if who is None:
        raise _unauthorized("The API token is unknown or revoked.")
    limiter: RateLimiter = request.app.state.rate_limiter
    wait = limiter.hit(str(who.token_id))
    if wait is not None:
        seconds = max(1, math.ceil(wait))
        raise HTTPException(
            status_code=429,
            detail=f"Rate limit of {limiter.limit} requests per {limiter.window_seconds:g} s reached for this token; retry in {seconds} s.",
            headers={"Retry-After": str(seconds)},
        )
    return who
