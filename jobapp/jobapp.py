"""The Reflex app: page registration, start-up, and plain HTTP routes."""

from __future__ import annotations

import asyncio
import contextlib

import reflex as rx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from jobapp.pages.index import index
from jobapp.state.header import HeaderState
from jobapp.state.jobs import JobsState
from pipeline.health import health
from pipeline.settings import settings


async def health_route(_: Request) -> JSONResponse:
    report = await asyncio.to_thread(health)
    return JSONResponse(report, status_code=200 if report["ok"] else 503)


api = Starlette(routes=[Route("/health", health_route)])


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


app = rx.App(
    stylesheets=["/app.css"],
    api_transformer=api,
)
app.register_lifespan_task(prepare_store)
app.add_page(index, route="/", title="jobapp", on_load=[JobsState.load, HeaderState.load])
