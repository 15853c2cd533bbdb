"""The REST API as one FastAPI app, mounted at /api next to the page (see docs/api.md)."""

from __future__ import annotations

import json
import re

from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from starlette.routing import Mount, get_route_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jobapp.api import jobs, runs
from jobapp.routes import API_PREFIX
from pipeline.accounts.ratelimit import RateLimiter
from pipeline.settings import settings

PREFIX = API_PREFIX
SMALL_BODY = 64 * 1024  # run requests are a list of ids


class BodyLimit:
    """Refuse request bodies over a cap with 413 before any parsing, chunked uploads included.

    The body is read (bounded) and handed on in one piece, so the application never
    sees a partial body and the client gets one clear answer."""

    def __init__(self, app: ASGIApp, *, default: int, per_path: dict[str, int] | None = None) -> None:
        self.app = app
        self.default = default
        self.per_path = per_path or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.per_path.get(get_route_path(scope).rstrip("/"), self.default)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            size += len(message.get("body", b""))
            if size > limit:
                await _too_large(send, limit)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"The request body is larger than {limit:,} bytes."}).encode()
    await send({"type": "http.response.start", "status": 413, "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def check_query(request: Request) -> None:
    """`?stauts=new` is a typo, not a filter: say so instead of silently listing everything."""
    route = request.scope.get("route")
    if route is None or not request.query_params:
        return
    known = _query_names(route.dependant)
    unknown = sorted(set(request.query_params.keys()) - known)
    if unknown:
        hint = f"; known: {', '.join(sorted(known))}" if known else ""
        raise RequestValidationError([
            {"type": "extra_forbidden", "loc": ("query", name), "msg": f"Unknown query parameter {name!r}{hint}.", "input": request.query_params.get(name)}
            for name in unknown
        ])


def _query_names(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def build_api(*, rate_limit: int | None = None) -> FastAPI:
    """The API app; its paths are relative to /api (OpenAPI says so in `servers`)."""
    app = FastAPI(
        title="jobapp API",
        version="1",
        description="Queue pipeline runs, follow their logs, download their files, import and list jobs. "
        "Every request needs `Authorization: Bearer <token>`.",
        openapi_url="/openapi.json",
        docs_url=None,  # Swagger UI needs a CDN and inline scripts; the schema is enough
        redoc_url=None,
        servers=[{"url": PREFIX}],
        dependencies=[Depends(check_query)],
    )
    app.state.rate_limiter = RateLimiter("api", rate_limit or settings.api_rate_limit, 60)
    app.include_router(runs.router)
    app.include_router(jobs.router)
    app.add_middleware(BodyLimit, default=SMALL_BODY, per_path={"/jobs": settings.max_import_bytes})
    return app


def api_mount(**kwargs) -> Mount:
    """The API at /api, for the Starlette app Reflex mounts itself under."""
    mount = Mount(PREFIX, app=build_api(**kwargs))
    # Starlette's path pattern stops at a newline (`.` without DOTALL): an encoded %0A in a path
    # would fall through to the page. Every /api/... path belongs to the API and gets its JSON 404.
    mount.path_regex = re.compile(mount.path_regex.pattern, re.DOTALL)
    return mount
