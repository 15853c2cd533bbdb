"""Hosted-mode scaling: 100 offline runs through 1, 2 and 4 Celery worker processes.

Each worker is `python -m pipeline worker --concurrency 1` on a fresh PostgreSQL
database (created here, dropped after) and a free Redis db. Per configuration:
one warm-up round (opens each child's checkpointer), then `--repeats` measured
rounds of `--runs` runs. Reports the enqueue time (queue_runs + commit +
dispatch_celery), runs per minute (enqueue start to the last run finished) and
the scaling ratio against one worker. Then the live log's delay in a real browser
(bench/live_log.py's measurement) in-process (embedded: SQLite, one backend) vs
through Redis Streams (hosted: PostgreSQL, Redis, two backend processes).
Prints medians; asserts nothing.

    .venv/bin/python bench/scale.py [--runs 100] [--repeats 3] [--workers 1 2 4] [--no-log-delay]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.pop("OPENAI_API_KEY", None)  # the real offline analyst
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="jobapp-bench-"))

import redis
from sqlalchemy import create_engine, text
from sqlmodel import col, func, select

from pipeline.runs import celery_app
from pipeline.runs.queue import queue_runs
from pipeline.sources.base import JobIn, ParseResult
from pipeline.sources.demo import demo_cv_markdown, demo_jobs
from pipeline.store.db import get_engine, migrate, session_scope
from pipeline.store.jobs import upsert_jobs
from pipeline.store.models import Job, Profile, Run, utcnow

PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
FINISHED = ("succeeded", "failed", "cancelled")


def create_database() -> str:
    name = f"jobapp_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    migrate(url)
    return url


def drop_database(url: str) -> None:
    get_engine(url).dispose()
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def seed(url: str, n: int) -> list[int]:
    """`n` jobs cloned from the demo postings (distinct external ids), and the demo CV."""
    demo = [job for _, job in demo_jobs().rows]
    rows = [(i + 1, JobIn(**{**demo[i % len(demo)].model_dump(), "external_id": f"bench-{i}"})) for i in range(n)]
    with session_scope(url) as s:
        upsert_jobs(session=s, parsed=ParseResult(rows=rows), key="bench")
        s.add(Profile(name="Bench", markdown=demo_cv_markdown(), confirmed_at=utcnow()))
    with session_scope(url) as s:
        return sorted(s.exec(select(Job.id)).all())


def claim_redis_db() -> tuple[redis.Redis, int]:
    """A Redis db no test session or other bench uses (same lock keys as tests/integration/test_celery.py)."""
    admin = redis.Redis.from_url(f"{REDIS}/0")
    for n in range(9, 16):
        if admin.set(f"jobapp:test-db:{n}", os.getpid(), nx=True, ex=3600):
            return admin, n
    raise SystemExit("no free Redis db in 9..15")


def start_workers(n: int, env: dict[str, str], logs: Path) -> list[subprocess.Popen]:
    procs = []
    for i in range(n):
        with open(logs / f"worker-{n}-{i}.log", "w") as log:  # the child keeps its own copy of the fd
            procs.append(subprocess.Popen([sys.executable, "-m", "pipeline", "worker", "--concurrency", "1"], cwd=ROOT, env=env,
                                          stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    deadline = time.monotonic() + 60
    for i, proc in enumerate(procs):
        marker = f"jobapp-{proc.pid}@{socket.gethostname()} ready."
        while marker not in (logs / f"worker-{n}-{i}.log").read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"worker failed to start; see {logs}")
            time.sleep(0.1)
    return procs


def stop_workers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def one_round(url: str, job_ids: list[int]) -> tuple[float, float, int, float]:
    """Queue and dispatch one run per job; wait for all.
    Returns (enqueue s, total s, failures, of which dispatch s)."""
    start = time.perf_counter()
    with session_scope(url) as s:
        run_ids = queue_runs(session=s, job_ids=job_ids, label="bench").run_ids
    queued = time.perf_counter()
    celery_app.dispatch_celery(run_ids)
    enqueued = time.perf_counter() - start
    dispatch = time.perf_counter() - queued
    while True:
        with session_scope(url) as s:
            open_runs = s.exec(select(func.count()).where(col(Run.id).in_(run_ids), col(Run.status).not_in(FINISHED))).one()
        if open_runs == 0:
            break
        time.sleep(0.05)
    total = time.perf_counter() - start
    with session_scope(url) as s:
        failed = s.exec(select(func.count()).where(col(Run.id).in_(run_ids), Run.status != "succeeded")).one()
    return enqueued, total, failed, dispatch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--no-log-delay", dest="log_delay", action="store_false", help="skip the browser log-delay comparison")
    args = parser.parse_args()

    url = create_database()
    admin, n = claim_redis_db()
    broker = f"{REDIS}/{n}"
    db = redis.Redis.from_url(broker)
    db.flushdb()
    celery_app.app.conf.broker_url = broker
    celery_app._redis.cache_clear()
    logs = Path(tempfile.mkdtemp(prefix="jobapp-scale-"))
    env = {**os.environ, "DB_URL": url, "REDIS_URL": broker, "DATA_DIR": os.environ["DATA_DIR"], "PYTHONPATH": str(ROOT)}
    results: dict[int, dict[str, float]] = {}
    try:
        job_ids = seed(url, args.runs)
        print(f"== {args.runs} offline runs through Celery workers (--concurrency 1 each); {os.cpu_count()} CPUs, "
              f"PostgreSQL + Redis on this machine; median of {args.repeats} rounds ==")
        for workers in args.workers:
            procs = start_workers(workers, env, logs)
            try:
                one_round(url, job_ids[: workers * 2])  # warm-up: each child opens its checkpointer
                rounds = [one_round(url, job_ids) for _ in range(args.repeats)]
            finally:
                stop_workers(procs)
            enq = statistics.median(r[0] for r in rounds)
            total = statistics.median(r[1] for r in rounds)
            failed = sum(r[2] for r in rounds)
            dispatch = statistics.median(r[3] for r in rounds)
            results[workers] = {"enqueue": enq, "dispatch": dispatch, "total": total, "rpm": args.runs / total * 60}
            print(f"workers {workers}: {results[workers]['rpm']:7.0f} runs/min   {total:6.1f} s per {args.runs} runs   "
                  f"enqueue {enq * 1000:5.0f} ms (dispatch {dispatch * 1000:.0f} ms)   failed {failed}")
        base = results[args.workers[0]]["rpm"]
        print("scaling vs " + f"{args.workers[0]} worker(s): " + "   ".join(
            f"{w}: x{r['rpm'] / base:.2f}" for w, r in results.items()))
        print(f"enqueue {args.runs} jobs (queue_runs + commit + dispatch), median over all rounds: "
              f"{statistics.median(r['enqueue'] for r in results.values()) * 1000:.0f} ms")
        if args.log_delay:
            log_delay(url, broker)
    finally:
        celery_app.app.close()
        db.flushdb()
        admin.delete(f"jobapp:test-db:{n}")
        drop_database(url)
        print(f"(worker logs in {logs})")


def log_delay(db_url: str, redis_url: str) -> None:
    """The same live-log measurement twice: the in-process bus vs Redis Streams across two backends."""
    from bench.browser import summary
    from bench.live_log import RATE, RUNS, SECONDS, measure

    print(f"== live log in the browser: {RUNS} runs x {RATE} lines/s for {SECONDS} s ==")
    local, local_clicks, local_seen = measure(Path(tempfile.mkdtemp(prefix="jobapp-log-local-")))
    redis.Redis.from_url(redis_url).flushdb()
    hosted, hosted_clicks, hosted_seen = measure(
        Path(tempfile.mkdtemp(prefix="jobapp-log-hosted-")), {"DB_URL": db_url, "REDIS_URL": redis_url, "GRANIAN_WORKERS": "2"}
    )
    a = summary(f"in-process bus (embedded), {local_seen} lines seen: emit -> visible", local)
    b = summary(f"Redis Streams (hosted, 2 backends), {hosted_seen} lines seen: emit -> visible", hosted)
    summary("in-process: click -> table updated while streaming", local_clicks)
    summary("Redis: click -> table updated while streaming", hosted_clicks)
    print(f"log delay ratio Redis / in-process (medians): x{b / a:.2f}")


if __name__ == "__main__":
    main()
