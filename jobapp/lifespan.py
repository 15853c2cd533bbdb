"""Work that lives as long as a backend process: the store prepared at start, the run queue or
lease reaper, interrupted "Find matches" batches, and one Chromium for PDFs."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from pipeline.settings import settings


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
