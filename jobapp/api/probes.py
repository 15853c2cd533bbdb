"""Plain HTTP routes for operators and benchmarks: `/health`, `/ready`, and (JOBAPP_BENCH=1 only)
`/api/bench/stream`. `/metrics` has its own access rule (jobapp/metrics_route.py)."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse

from pipeline.health import health, ready

_background: set[asyncio.Task] = set()


async def health_route(_: Request) -> JSONResponse:
    """Every component's status and latency; 503 when a required one fails. Cheap and open."""
    report = await asyncio.to_thread(health)
    return JSONResponse(report, status_code=200 if report["ok"] else 503)


async def ready_route(_: Request) -> JSONResponse:
    """Readiness for orchestrators: schema migrated and run queue reachable (pipeline.health.ready)."""
    report = await asyncio.to_thread(ready)
    return JSONResponse(report, status_code=200 if report["ok"] else 503)


async def bench_stream_route(request: Request) -> JSONResponse:
    """Benchmark traffic (JOBAPP_BENCH=1 only): runs emitting timestamped lines in this process."""
    from pipeline.runs.synthetic import stream

    q = request.query_params
    job_ids = [int(x) for x in q.get("jobs", "").split(",") if x.isdigit()][:10]
    task = asyncio.create_task(stream(job_ids, rate=min(float(q.get("rate", 50)), 500), seconds=min(float(q.get("seconds", 10)), 120)))
    _background.add(task)
    task.add_done_callback(_background.discard)
    return JSONResponse({"started": len(job_ids)}, status_code=202)
