"""Hosted-mode run execution: one Celery task per run id over the Redis broker.

Celery only carries "please execute run N"; the store stays the source of truth.
The task first takes a lease on the run (pipeline/runs/lease.py), so duplicate
messages (broker redelivery, reaper re-sends) are harmless no-ops. Late acks plus
`task_reject_on_worker_lost` give a killed child's message back to the broker;
a killed *worker* (parent and children) leaves its message unacked until the
visibility timeout, so the reaper re-dispatches runs whose lease expired instead.

Each pool child keeps one event loop and one checkpointer for its whole life."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections.abc import Iterable
from datetime import timedelta
from functools import lru_cache
from typing import Any

from celery import Celery
from celery.signals import celeryd_init, setup_logging, worker_process_init, worker_process_shutdown

from pipeline.logs import configure_logging, log_context
from pipeline.runs import runner
from pipeline.runs.lease import HEARTBEAT_SECONDS, LEASE_SECONDS, QUEUED, RUNNING, heartbeat, requeue_expired, stale_queued, try_lease
from pipeline.settings import settings
from pipeline.store.models import Run, RunStatus, utcnow

log = logging.getLogger(__name__)

TASK_NAME = "jobapp.run"
QUEUE = "default"
# Long enough that a run still alive is never redelivered by the broker itself.
VISIBILITY_TIMEOUT = settings.pipeline_timeout_seconds + 600
STALE_QUEUED_SECONDS = 120  # a queued run this old with no task in flight had its message lost
REAP_SECONDS = 10.0
TICK_SECONDS = min(HEARTBEAT_SECONDS, 2.0)  # cancel flags are polled at least this often
SENT_KEY = "jobapp:sent:{}"  # "a task for this run is in flight" (set at dispatch, cleared when the task ends)

app = Celery("jobapp", broker=settings.redis_url, set_as_current=False)
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT, "socket_connect_timeout": 5, "socket_timeout": 30},
    broker_connection_retry_on_startup=True,
    # A broker hiccup must not cancel runs: the lease already keeps redeliveries harmless.
    worker_cancel_long_running_tasks_on_connection_loss=False,
    task_serializer="json",
    accept_content=["json"],
    result_serializer="json",
    task_ignore_result=True,
    task_default_queue=QUEUE,
    worker_hijack_root_logger=False,  # logging is ours: see _setup_logging
)


# --------------------------------------------------------------- the worker process


@setup_logging.connect
def _setup_logging(**_: Any) -> None:
    """Our root handler (LOG_FORMAT, redacted) instead of Celery's: with a receiver here Celery
    neither replaces the root logger's handlers nor redirects stdout/stderr into a logger."""
    configure_logging()


@celeryd_init.connect
def _worker_init(instance: Any = None, **_: Any) -> None:
    """Log our way before the worker's first words (its running-as-root warning comes before
    `setup_logging`); in JSON mode skip the start-up banner, plain text on stdout, so the worker
    prints JSON lines only (its "ready" line still comes through logging)."""
    configure_logging()
    if instance is not None and settings.log_format == "json":
        instance.quiet = True


class _Proc:
    """Per-child state: one event loop, one checkpointer (opened lazily, reopened if broken)."""

    loop: asyncio.AbstractEventLoop | None = None
    saver_cm: Any = None
    saver: Any = None


@worker_process_init.connect
def _init_process(**_: Any) -> None:
    from pipeline.store.db import get_engine

    runner.WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"  # fork copied the parent's name
    get_engine().dispose(close=False)  # never share the parent's pooled connections across fork
    _Proc.loop = asyncio.new_event_loop()
    asyncio.set_event_loop(_Proc.loop)


@worker_process_shutdown.connect
def _shutdown_process(**_: Any) -> None:
    from pipeline.metrics import process_dead

    process_dead(os.getpid())
    if _Proc.loop is not None and not _Proc.loop.is_closed():
        from pipeline.render.pdf import shutdown_renderer

        _Proc.loop.run_until_complete(_close_saver())
        _Proc.loop.run_until_complete(shutdown_renderer())
        _Proc.loop.close()


def _loop() -> asyncio.AbstractEventLoop:
    if _Proc.loop is None or _Proc.loop.is_closed():  # solo pool or a direct call
        _Proc.loop = asyncio.new_event_loop()
    return _Proc.loop


async def _checkpointer() -> Any:
    conn = getattr(_Proc.saver, "conn", None)
    if _Proc.saver is not None and not getattr(conn, "closed", False):
        return _Proc.saver
    await _close_saver()
    from pipeline.runs.checkpoint import open_checkpointer

    for attempt in range(3):  # two processes setting up a fresh database race (UniqueViolation)
        try:
            _Proc.saver_cm = open_checkpointer()
            _Proc.saver = await _Proc.saver_cm.__aenter__()
            return _Proc.saver
        except Exception:
            _Proc.saver_cm = _Proc.saver = None
            if attempt == 2:
                raise
            await asyncio.sleep(0.5 + attempt)
    raise AssertionError("unreachable")


def prepare_checkpointer() -> None:
    """Create the checkpointer's tables before forking the pool, so children find them ready.

    (No lock around setup: LangGraph's migrations use CREATE INDEX CONCURRENTLY, which
    waits for every open transaction, including a lock holder's; retries handle races.)"""
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(_checkpointer())
        loop.run_until_complete(_close_saver())
    finally:
        loop.close()


async def _close_saver() -> None:
    cm, _Proc.saver_cm, _Proc.saver = _Proc.saver_cm, None, None
    if cm is not None:
        try:
            await cm.__aexit__(None, None, None)
        except Exception:  # a broken connection fails to close; it is dropped either way
            log.debug("closing the checkpointer failed", exc_info=True)


# Which analyst a task's run uses: None = the configured one (model or offline). A process that
# embeds the worker may replace it before the pool forks (the tests' scripted worker does,
# tests/support/celery_worker.py); production code never sets it.
def analyst_factory() -> Any:
    return None


# --------------------------------------------------------------------- the task


@app.task(name=TASK_NAME, ignore_result=True)
def run_task(run_id: int) -> str:
    """Lease the run, or do nothing: another worker holds it, it finished or was cancelled, or a
    cost cap holds it (pipeline/runs/budget.py: it waits as `held` until the user resumes it)."""
    from pipeline.runs.budget import hold_if_over
    from pipeline.store.db import session_scope

    me = runner.WORKER_NAME
    try:
        with log_context(run_id=run_id):  # every line of the task names its run (heartbeat, pre-render too)
            with session_scope() as s:
                hold = hold_if_over(session=s, run_id=run_id)
                if hold is not None:
                    log.info("run %s held: %s", run_id, hold.code)
                    return "held"
                if not try_lease(session=s, run_id=run_id, worker=me, seconds=LEASE_SECONDS):
                    log.info("run %s skipped: not queued, or leased by a live worker", run_id)
                    return "skipped"
            log.info("run %s leased by %s", run_id, me)
            return _loop().run_until_complete(_execute_leased(run_id, me))
    finally:
        _clear_sent([run_id])


async def _execute_leased(run_id: int, me: str) -> str:
    flag = {"cancel": False}
    beat = asyncio.create_task(_heartbeat(run_id, me, flag), name=f"heartbeat-{run_id}")
    try:
        saver = await _checkpointer()
        outcome = await runner.execute_run(run_id, checkpointer=saver, cancelled=lambda: flag["cancel"], analyst=analyst_factory())
    except Exception:
        await _close_saver()  # maybe a broken connection: reopen for the next run
        raise  # the run keeps its lease; once it expires the reaper re-dispatches it
    finally:
        beat.cancel()
        await asyncio.gather(beat, return_exceptions=True)
    log.info("run %s %s", run_id, outcome.status)
    if outcome.status == RunStatus.succeeded.value and settings.prerender_pdfs:
        await _prerender_pdfs(run_id)
    return outcome.status


async def _prerender_pdfs(run_id: int) -> None:
    """Print the run's default CV.pdf and dossier.pdf into the shared cache with this process's
    browser. Best effort: a failure only means the app renders on the first download."""
    from pipeline.runs.documents import cv_pdf, dossier_pdf, run_cv_source

    start = time.perf_counter()
    try:
        cv, dossier = await asyncio.to_thread(run_cv_source, run_id)
        if cv is not None:
            await cv_pdf(cv)
        if dossier is not None:
            await dossier_pdf(dossier)
    except Exception:
        log.warning("run %s: could not pre-render its PDFs", run_id, exc_info=True)
        return
    log.info("run %s: CV.pdf and dossier.pdf pre-rendered in %.2f s", run_id, time.perf_counter() - start)


async def _heartbeat(run_id: int, me: str, flag: dict[str, bool]) -> None:
    """Renew the lease and pick up cancel requests; a worker that lost its lease stops at once."""
    while True:
        await asyncio.sleep(TICK_SECONDS)
        try:
            held, cancel, status, holder = await asyncio.to_thread(_beat, run_id, me)
        except Exception:  # the database blinked: keep running, the lease has slack
            log.warning("heartbeat for run %s failed", run_id, exc_info=True)
            continue
        flag["cancel"] = flag["cancel"] or cancel
        if held:
            continue
        if status in (QUEUED, RUNNING):
            # Reaped after a stall and maybe leased by another worker: exit the child rather than
            # let execute_run record anything more (its cancel path would overwrite the new holder's
            # state). Celery rejects the message back to the broker; the redelivery finds the lease taken.
            log.critical("run %s: lease lost to %s (status %s); stopping this worker process", run_id, holder, status)
            logging.shutdown()
            os._exit(70)
        return  # the run finished; nothing left to guard


def _beat(run_id: int, me: str) -> tuple[bool, bool, str, str | None]:
    from pipeline.store.db import session_scope

    with session_scope() as s:
        held = heartbeat(session=s, run_id=run_id, worker=me, seconds=LEASE_SECONDS)
        run = s.get(Run, run_id)
        if run is None:
            return held, False, "", None
        return held, bool(run.cancel_requested), run.status, run.worker


# ----------------------------------------------------------- dispatch and the reaper


@lru_cache(maxsize=1)
def _redis() -> Any:
    import redis

    return redis.Redis.from_url(app.conf.broker_url, socket_timeout=5, socket_connect_timeout=5)


def _send(run_ids: list[int]) -> None:
    with app.producer_or_acquire() as producer:
        for run_id in run_ids:
            run_task.apply_async((run_id,), producer=producer)


def dispatch_celery(run_ids: Iterable[int]) -> None:
    """Send one task per run (call after `queue_runs` commits, when REDIS_URL is set)."""
    ids = list(run_ids)
    if not ids:
        return
    pipe = _redis().pipeline(transaction=False)
    for run_id in ids:  # marked before sending, so a fast worker's clear cannot come first
        pipe.set(SENT_KEY.format(run_id), 1, ex=VISIBILITY_TIMEOUT)
    pipe.execute()
    try:
        _send(ids)
    except Exception:
        _clear_sent(ids)  # not sent: let the reaper re-send them
        raise


def _clear_sent(run_ids: list[int]) -> None:
    try:
        _redis().delete(*[SENT_KEY.format(i) for i in run_ids])
    except Exception:  # only costs a later re-send, never a lost run
        log.warning("could not clear in-flight markers for %s", run_ids, exc_info=True)


def reap_once(*, db_url: str | None = None, stale_seconds: float = STALE_QUEUED_SECONDS) -> list[int]:
    """Re-queue runs whose lease expired (their worker died) and re-send their tasks; re-send
    queued runs older than `stale_seconds` with no task in flight (a lost broker message).
    Any number of reapers may run: the store's conditional updates and the lease make
    their duplicates harmless. Returns the run ids sent."""
    from pipeline.store.db import session_scope

    now = utcnow()
    with session_scope(db_url) as s:
        requeued = requeue_expired(session=s, now=now)
        stale = [i for i in stale_queued(session=s, older_than=now - timedelta(seconds=stale_seconds)) if i not in requeued]
    if requeued:
        log.warning("reaper: runs %s lost their worker; re-dispatching", requeued)
        dispatch_celery(requeued)
    claimed = [i for i in stale if _redis().set(SENT_KEY.format(i), 1, ex=VISIBILITY_TIMEOUT, nx=True)]
    if claimed:
        log.warning("reaper: queued runs %s had no task in flight; re-sending", claimed)
        _send(claimed)
    return requeued + claimed


async def run_reaper_forever(interval: float = REAP_SECONDS, *, db_url: str | None = None) -> None:
    """Reap every `interval` seconds (run it in the app backend or any worker; duplicates are fine)."""
    while True:
        try:
            await asyncio.to_thread(reap_once, db_url=db_url)
        except Exception:
            log.exception("reaper pass failed")
        await asyncio.sleep(interval)
