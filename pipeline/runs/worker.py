"""`python -m pipeline worker`: a Celery worker for runs, plus the reaper.

The reaper runs in the worker's parent process on Celery's own timer (the event
loop that drives the consumer), so it needs no beat process and no extra thread
(threads and prefork's fork() do not mix). Every worker reaps; that is harmless."""

from __future__ import annotations

import logging
import os
import socket
import sys
from typing import Any

from celery import bootsteps

from pipeline.settings import settings

log = logging.getLogger(__name__)


class ReaperStep(bootsteps.StartStopStep):
    """Calls `reap_once` every REAP_SECONDS on the worker's timer."""

    requires = ("celery.worker.components:Timer",)

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.tref: Any = None

    def start(self, worker: Any) -> None:
        from pipeline.runs.celery_app import REAP_SECONDS

        self.tref = worker.timer.call_repeatedly(REAP_SECONDS, self._tick, priority=10)

    def stop(self, worker: Any) -> None:
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None

    @staticmethod
    def _tick() -> None:
        from pipeline.runs.celery_app import reap_once

        try:
            reap_once()
        except Exception:  # the next tick tries again
            log.exception("reaper pass failed")


def main(concurrency: int | None = None) -> int:
    """Start a prefork worker on the `default` queue; blocks until the worker stops."""
    if not settings.redis_url:
        print("error: set REDIS_URL (the Celery broker) to start a worker", file=sys.stderr)
        return 2
    from pipeline.runs.celery_app import QUEUE, app, prepare_checkpointer

    prepare_checkpointer()
    app.steps["worker"].add(ReaperStep)
    from pipeline.metrics import serve_worker_port

    serve_worker_port(settings.worker_metrics_port, settings.worker_metrics_addr)  # before the pool forks
    argv = [
        "worker", "--pool=prefork", f"--concurrency={concurrency or settings.max_concurrency}", "-Q", QUEUE,
        "--without-gossip", "--without-mingle", "--loglevel=INFO",
        f"--hostname=jobapp-{os.getpid()}@{socket.gethostname()}",  # unique per process, so ping/inspect see each
    ]
    app.worker_main(argv)
    return 0
