"""The Reflex app: page registration, start-up, and plain HTTP routes."""

from __future__ import annotations

import asyncio
import contextlib

import reflex as rx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from jobapp.api import api_mount, dev_frontend_origins, install_security
from jobapp.auth_routes import login_route, logout_route, request_owner
from jobapp.metrics_route import metrics_route
from jobapp.pages.index import index
from jobapp.state.auth import AuthMiddleware, AuthState
from jobapp.state.base import AppState
from jobapp.state.header import HeaderState
from jobapp.state.jobs import JobsState
from jobapp.state.runs import RunsState
from pipeline.health import health, ready
from pipeline.logs import configure_logging
from pipeline.settings import settings

configure_logging()  # before anything logs: one redacted root handler, text or JSON (LOG_FORMAT)


async def ready_route(_: Request) -> JSONResponse:
    """Readiness for orchestrators: schema migrated and run queue reachable (pipeline.health.ready)."""
    report = await asyncio.to_thread(ready)
    return JSONResponse(report, status_code=200 if report["ok"] else 503)


async def health_route(_: Request) -> JSONResponse:
    report = await asyncio.to_thread(health)
    return JSONResponse(report, status_code=200 if report["ok"] else 503)


def _artifact(run_id: int, name: str, owner: str | None):
    from pipeline.runs.results import artifact_path
    from pipeline.store.db import session_scope

    if owner is None:  # not signed in: as if the run did not exist
        return None
    with session_scope() as session:
        return artifact_path(session=session, run_id=run_id, name=name, owner=owner)


async def artifact_route(request: Request) -> Response:
    """A run's file, only if the caller may see the run and the file is inside its folder."""
    from pipeline.runs.results import ARTIFACT_MEDIA

    name = request.path_params["name"]
    path = await asyncio.to_thread(_artifact, request.path_params["run_id"], name, await request_owner(request))
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


def _cv(run_id: int, owner: str | None):
    from pipeline.runs.documents import current_cv
    from pipeline.store.db import session_scope

    if owner is None:
        return None
    with session_scope() as session:
        return current_cv(session=session, run_id=run_id, owner=owner)


def _dossier(run_id: int, owner: str | None):
    from pipeline.runs.documents import dossier_html
    from pipeline.store.db import session_scope

    if owner is None:
        return None
    with session_scope() as session:
        return dossier_html(session=session, run_id=run_id, owner=owner)


DOWNLOAD_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}


def _attachment(data: bytes, filename: str, media: str, **extra: str) -> Response:
    headers = {**DOWNLOAD_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"', **extra}
    return Response(data, media_type=media, headers=headers)


def _layout_args(request: Request) -> dict:
    q = request.query_params
    return {
        "template": q.get("template") if q.get("template") in ("classic", "compact") else "classic",
        "page_size": q.get("page_size") if q.get("page_size") in ("A4", "Letter") else "A4",
        "ats_safe": q.get("ats") == "1",
    }


async def cv_pdf_route(request: Request) -> Response:
    """CV.pdf of the run's current CV version (cached by content), with its page count."""
    from pipeline.runs.documents import cv_pdf

    cv = await asyncio.to_thread(_cv, request.path_params["run_id"], await request_owner(request))
    if cv is None:
        return PlainTextResponse("not found", status_code=404)
    path, pdf = await cv_pdf(cv, **_layout_args(request))
    return _attachment(path.read_bytes(), "CV.pdf", "application/pdf", **{"X-Page-Count": str(pdf.pages)})


async def dossier_pdf_route(request: Request) -> Response:
    from pipeline.runs.documents import dossier_pdf

    body = await asyncio.to_thread(_dossier, request.path_params["run_id"], await request_owner(request))
    if body is None:
        return PlainTextResponse("not found", status_code=404)
    path, pdf = await dossier_pdf(body, page_size=_layout_args(request)["page_size"])
    return _attachment(path.read_bytes(), "dossier.pdf", "application/pdf", **{"X-Page-Count": str(pdf.pages)})


async def cv_md_route(request: Request) -> Response:
    cv = await asyncio.to_thread(_cv, request.path_params["run_id"], await request_owner(request))
    if cv is None:
        return PlainTextResponse("not found", status_code=404)
    return _attachment(cv.markdown.encode("utf-8"), "CV.md", "text/markdown; charset=utf-8")


async def pack_route(request: Request) -> Response:
    """Everything for one application in one ZIP: the current CV (md + pdf), dossier, letter, outreach, result."""
    from pipeline.runs.documents import cv_pdf, dossier_pdf, pack_zip

    run_id, owner = request.path_params["run_id"], await request_owner(request)
    cv = await asyncio.to_thread(_cv, run_id, owner)
    body = await asyncio.to_thread(_dossier, run_id, owner)
    if cv is None or body is None:
        return PlainTextResponse("not found", status_code=404)
    args = _layout_args(request)
    cv_path, _ = await cv_pdf(cv, **args)
    dossier_path, _ = await dossier_pdf(body, page_size=args["page_size"])
    files = {"CV.md": cv.markdown.encode("utf-8"), "CV.pdf": cv_path.read_bytes(), "dossier.pdf": dossier_path.read_bytes()}
    for name in ("cover_letter.md", "outreach.json", "dossier.md", "result.json"):
        path = await asyncio.to_thread(_artifact, run_id, name, owner)
        if path is not None:
            files[name] = path.read_bytes()
    data = await asyncio.to_thread(pack_zip, files)
    return _attachment(data, f"application-{run_id}.zip", "application/zip")


def _original(profile_id: int, owner: str | None):
    from pipeline.store.db import session_scope
    from pipeline.store.profiles import get_profile, original_file

    if owner is None:
        return None
    with session_scope() as session:
        try:
            return original_file(session, owner, profile_id), get_profile(session, owner, profile_id).source_filename or "cv"
        except LookupError:
            return None


async def profile_original_route(request: Request) -> Response:
    """The CV file a profile was read from, as uploaded (owner-checked, inside the profiles folder)."""
    found = await asyncio.to_thread(_original, request.path_params["profile_id"], await request_owner(request))
    if found is None:
        return PlainTextResponse("not found", status_code=404)
    path, name = found
    safe = "".join(c if c.isalnum() or c in "._- " else "_" for c in name)[:120] or "cv"
    return _attachment(path.read_bytes(), safe, "application/octet-stream")


_background: set[asyncio.Task] = set()
routes = [
    Route("/health", health_route),
    Route("/ready", ready_route),
    Route("/metrics", metrics_route),  # Prometheus; its own access rule (jobapp/metrics_route.py)
    Route("/auth/login", login_route, methods=["POST"]),
    Route("/auth/logout", logout_route, methods=["POST"]),
    Route("/files/runs/{run_id:int}/artifacts/{name:str}", artifact_route),
    Route("/files/runs/{run_id:int}/cv.pdf", cv_pdf_route),
    Route("/files/runs/{run_id:int}/dossier.pdf", dossier_pdf_route),
    Route("/files/runs/{run_id:int}/cv.md", cv_md_route),
    Route("/files/runs/{run_id:int}/pack.zip", pack_route),
    Route("/files/profiles/{profile_id:int}/original", profile_original_route),
]
if settings.bench_mode:
    routes.append(Route("/api/bench/stream", bench_stream_route, methods=["POST"]))
routes.append(api_mount())  # the REST API (docs/api.md), after the bench route it would shadow
api = Starlette(routes=routes)
install_security(api, extra_origins=dev_frontend_origins())


def _prepare_store() -> None:
    """Migrate (never drop), then seed an empty database with the demo data."""
    from sqlalchemy.exc import IntegrityError

    from pipeline.accounts.auth import check_startup
    from pipeline.sources.demo import load_demo
    from pipeline.store.db import migrate, session_scope

    settings.ensure_dirs()
    migrate()
    check_startup()  # exposed beyond loopback without LOGIN_PASSWORD or an account: refuse to serve
    if settings.seed_demo:
        try:
            with session_scope() as session:
                load_demo(session=session)
        except IntegrityError:
            pass  # another backend process seeded the same rows first


@contextlib.asynccontextmanager
async def prepare_store():
    await asyncio.to_thread(_prepare_store)
    yield


async def run_dispatcher():
    """The in-process run queue (embedded) or the lease reaper (hosted): lives as long as the backend."""
    from pipeline.runs.dispatch import run_forever

    try:
        await run_forever()
    except asyncio.CancelledError:
        pass


async def resume_match_batches():
    """"Find matches" batches a restart interrupted are finished here (each claimed by one backend process)."""
    import logging

    from pipeline.matching import resume_unfinished

    try:
        await resume_unfinished()
    except asyncio.CancelledError:
        pass
    except Exception:  # the page still serves; the batches stay unfinished until the next start
        logging.getLogger(__name__).exception("resuming match batches failed")


@contextlib.asynccontextmanager
async def pdf_renderer():
    """One Chromium per backend process, started on first use and closed at shutdown."""
    yield
    from pipeline.render.pdf import shutdown_renderer

    await shutdown_renderer()


app = rx.App(
    stylesheets=["/app.css"],
    # In the document head, so drafts and the unsaved-changes guard work from the first keystroke.
    head_components=[rx.el.script(src="/editor.js", defer=True)],
    api_transformer=api,
)
app.add_middleware(AuthMiddleware(AppState.get_full_name()))  # every app event needs a live sign-in
app.register_lifespan_task(prepare_store)
app.register_lifespan_task(run_dispatcher)
app.register_lifespan_task(resume_match_batches)  # after prepare_store: the schema is migrated
app.register_lifespan_task(pdf_renderer)
app.add_page(index, route="/", title="jobapp", on_load=[AuthState.check, JobsState.load, HeaderState.load, RunsState.stream])
