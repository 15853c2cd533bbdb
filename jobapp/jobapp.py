"""The Reflex app: page registration, start-up, and plain HTTP routes."""

from __future__ import annotations

import asyncio
import contextlib

import reflex as rx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from jobapp.pages.index import index
from jobapp.state.header import HeaderState
from jobapp.state.jobs import JobsState
from jobapp.state.runs import RunsState
from pipeline.health import health
from pipeline.settings import settings


async def health_route(_: Request) -> JSONResponse:
    report = await asyncio.to_thread(health)
    return JSONResponse(report, status_code=200 if report["ok"] else 503)


def _artifact(run_id: int, name: str):
    from pipeline.runs.results import artifact_path
    from pipeline.store.db import session_scope
    from pipeline.store.models import LOCAL_OWNER

    with session_scope() as session:
        return artifact_path(session=session, run_id=run_id, name=name, owner=LOCAL_OWNER)


async def artifact_route(request: Request) -> Response:
    """A run's file, only if the caller may see the run and the file is inside its folder."""
    from pipeline.runs.results import ARTIFACT_MEDIA

    name = request.path_params["name"]
    path = await asyncio.to_thread(_artifact, request.path_params["run_id"], name)
    if path is None:
        return PlainTextResponse("not found", status_code=404)
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        "Cache-Control": "private, no-store",
    }
    if request.query_params.get("download"):
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return FileResponse(path, media_type=ARTIFACT_MEDIA.get(path.suffix, "application/octet-stream"), headers=headers)


async def bench_stream_route(request: Request) -> JSONResponse:
    """Benchmark traffic (JOBAPP_BENCH=1 only): runs emitting timestamped lines in this process."""
    from pipeline.runs.synthetic import stream

    q = request.query_params
    job_ids = [int(x) for x in q.get("jobs", "").split(",") if x.isdigit()][:10]
    task = asyncio.create_task(stream(job_ids, rate=min(float(q.get("rate", 50)), 500), seconds=min(float(q.get("seconds", 10)), 120)))
    _background.add(task)
    task.add_done_callback(_background.discard)
    return JSONResponse({"started": len(job_ids)}, status_code=202)


_background: set[asyncio.Task] = set()
routes = [
    Route("/health", health_route),
    Route("/api/runs/{run_id:int}/artifacts/{name:str}", artifact_route),
]
if settings.bench_mode:
    routes.append(Route("/api/bench/stream", bench_stream_route, methods=["POST"]))
api = Starlette(routes=routes)


def _prepare_store() -> None:
    """Migrate (never drop), then seed an empty database with the demo data."""
    from pipeline.sources.demo import load_demo
    from pipeline.store.db import migrate, session_scope

    settings.ensure_dirs()
    migrate()
    if settings.seed_demo:
        with session_scope() as session:
            load_demo(session=session)


@contextlib.asynccontextmanager
async def prepare_store():
    await asyncio.to_thread(_prepare_store)
    yield


async def run_dispatcher():
    """The in-process run queue (embedded mode): lives as long as the backend."""
    from pipeline.runs.local import get_dispatcher

    try:
        await get_dispatcher().run_forever()
    except asyncio.CancelledError:
        pass


app = rx.App(
    stylesheets=["/app.css"],
    api_transformer=api,
)
app.register_lifespan_task(prepare_store)
app.register_lifespan_task(run_dispatcher)
app.add_page(index, route="/", title="jobapp", on_load=[JobsState.load, HeaderState.load, RunsState.stream])
