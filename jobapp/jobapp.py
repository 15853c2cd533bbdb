"""The Reflex app, wiring only: HTTP routes, middleware, lifespan tasks and the page.
Routes live in jobapp/api/ (files, probes, the REST API), start-up work in jobapp/lifespan.py."""

from __future__ import annotations

import reflex as rx
from starlette.applications import Starlette
from starlette.routing import Route

from jobapp.api import api_mount, dev_frontend_origins, install_security
from jobapp.api.files import FILE_ROUTES
from jobapp.api.probes import bench_stream_route, health_route, ready_route
from jobapp.auth_routes import login_route, logout_route
from jobapp.lifespan import pdf_renderer, prepare_store, resume_match_batches, run_dispatcher
from jobapp.metrics_route import metrics_route
from jobapp.pages.index import index
from jobapp.routes import LOGIN, LOGOUT
from jobapp.state.auth import AuthMiddleware, AuthState
from jobapp.state.base import AppState
from jobapp.state.header import HeaderState
from jobapp.state.jobs import JobsState
from jobapp.state.runs import RunsState
from pipeline.logs import configure_logging
from pipeline.settings import settings

configure_logging()  # before anything logs: one redacted root handler, text or JSON (LOG_FORMAT)

routes = [
    Route("/health", health_route),
    Route("/ready", ready_route),
    Route("/metrics", metrics_route),  # Prometheus; its own access rule (jobapp/metrics_route.py)
    Route(LOGIN, login_route, methods=["POST"]),
    Route(LOGOUT, logout_route, methods=["POST"]),
    *FILE_ROUTES,  # /files/...: downloads for the signed-in owner (jobapp/api/files.py)
]
if settings.bench_mode:
    routes.append(Route("/api/bench/stream", bench_stream_route, methods=["POST"]))
routes.append(api_mount())  # the REST API (docs/api.md), after the bench route it would shadow
api = Starlette(routes=routes)
install_security(api, extra_origins=dev_frontend_origins())

app = rx.App(
    stylesheets=["/app.css", "/settings.css", "/analytics.css", "/board.css", "/phone.css"],
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
