"""GET /metrics: Prometheus text format for every process of this install (pipeline/metrics.py).

Deliberately outside the page's sign-in: Prometheus has no cookie. Access is decided by
`pipeline.metrics.access`: with METRICS_TOKEN set, a bearer token is required; without one,
only direct loopback requests on a loopback install get an answer."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from pipeline import metrics


async def metrics_route(request: Request) -> Response:
    verdict = metrics.access(request.headers.get("authorization"), request.client.host if request.client else None, dict(request.headers))
    if verdict == 401:
        return PlainTextResponse("unauthorized", status_code=401, headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    if verdict != 200:
        return PlainTextResponse("not found", status_code=404)
    # Reads every process's files and queries the store: off the event loop.
    body, content_type = await asyncio.to_thread(metrics.exposition, request.headers.get("accept"))
    return Response(body, media_type=content_type, headers={"Cache-Control": "no-store"})
