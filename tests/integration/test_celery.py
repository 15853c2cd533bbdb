"""Hosted mode: runs through real Celery workers (Redis broker) on a fresh PostgreSQL database.

Workers are subprocesses (`python -m pipeline worker`) in their own process groups, so
a test can SIGKILL a whole worker; every group is killed in `finally`. Redis or
PostgreSQL being down fails these tests (never skips)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from sqlmodel import select

from pipeline.runs import celery_app, queue
from pipeline.runs.lease import expired_runs, heartbeat, try_lease
from pipeline.store import db as store_db
from pipeline.store.db import get_engine, session_scope
from pipeline.store.models import Job, Profile, Run, RunEvent, utcnow
from tests.conftest import wipe_postgres
from tests.support.private_redis import PrivateRedis
from tests.support.scripted_analyst import read_calls

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(120)]

ROOT = Path(__file__).resolve().parents[2]
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
LEASE = 3  # seconds, in the workers (JOBAPP_LEASE_SECONDS); they beat every second
CV = "# Jane Doe\n\n## Experience\n\n- Built pipelines in Python processing 2 TB a day.\n"
DESC = "We move freight across Europe. You will build our data platform in Python and SQL. " * 3
FINISHED = ("succeeded", "failed", "cancelled")


@dataclass
class Hosted:
    db_url: str
    redis_url: str
    data_dir: Path
    job_ids: list[int]


def _claim_redis_db() -> tuple[redis.Redis, int]:
    """A Redis db number no concurrent test session uses (a lock key in db 0 says whose it is)."""
    admin = redis.Redis.from_url(f"{REDIS}/0", socket_connect_timeout=2)
    try:
        admin.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {REDIS} is not reachable ({exc}); run `make services`.", pytrace=False)
    for n in range(9, 16):
        if admin.set(f"jobapp:test-db:{n}", os.getpid(), nx=True, ex=600):
            return admin, n
    pytest.fail("no free Redis db in 9..15 (other test sessions hold them)", pytrace=False)


@pytest.fixture(scope="module")
def hosted(pg_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosted]:
    admin, n = _claim_redis_db()
    url = f"{REDIS}/{n}"
    db = redis.Redis.from_url(url)
    db.flushdb()
    with get_engine(pg_database).begin() as conn:
        wipe_postgres(conn)
    with session_scope(pg_database) as s:
        s.add(Profile(name="Jane", markdown=CV, confirmed_at=utcnow()))
        rows = [Job(source="demo", external_id=f"c{i}", title=f"Engineer {i}", company=f"Co {i}", description=DESC) for i in range(16)]
        s.add_all(rows)
        s.flush()
        job_ids = [j.id for j in rows]
    old_broker = celery_app.app.conf.broker_url
    celery_app.app.conf.broker_url = url
    celery_app._redis.cache_clear()
    try:
        yield Hosted(db_url=pg_database, redis_url=url, data_dir=tmp_path_factory.mktemp("hosted-data"), job_ids=job_ids)
    finally:
        celery_app.app.close()
        celery_app.app.conf.broker_url = old_broker
        celery_app._redis.cache_clear()
        db.flushdb()
        admin.delete(f"jobapp:test-db:{n}")


class Workers:
    """Worker subprocesses, each the leader of its own process group."""

    def __init__(self, hosted: Hosted, logs: Path) -> None:
        self.hosted, self.logs = hosted, logs
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, analyst: str, concurrency: int = 2, redis_url: str | None = None, **extra: str) -> subprocess.Popen:
        env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
        env.update(DB_URL=self.hosted.db_url, REDIS_URL=redis_url or self.hosted.redis_url, DATA_DIR=str(self.hosted.data_dir),
                   PYTHONPATH=str(ROOT), JOBAPP_LEASE_SECONDS=str(LEASE), JOBAPP_TEST_ANALYST=analyst, **extra)
        with open(self.logs / f"{name}.log", "w") as log:  # the child keeps its own copy of the fd
            proc = subprocess.Popen([sys.executable, "-m", "tests.support.celery_worker", "--concurrency", str(concurrency)],
                                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = proc
        return proc

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def wait_ready(self, *names: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        for name in names:
            marker = f"jobapp-{self.procs[name].pid}@{socket.gethostname()} ready."
            while marker not in self.log(name):
                assert self.procs[name].poll() is None, f"worker {name} exited:\n{self.log(name)}"
                assert time.monotonic() < deadline, f"worker {name} not ready:\n{self.log(name)}"
                time.sleep(0.1)

    def wait_for(self, name: str, condition, timeout: float = 30) -> None:
        """Poll `condition()` until true; fail with worker `name`'s log."""
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, self.log(name)
            time.sleep(0.05)

    def kill(self, name: str) -> None:
        proc = self.procs[name]
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)

    def kill_all(self) -> None:
        for name in list(self.procs):
            self.kill(name)


@pytest.fixture
def workers(hosted: Hosted, tmp_path: Path) -> Iterator[Workers]:
    w = Workers(hosted, tmp_path)
    try:
        yield w
    finally:
        w.kill_all()


def _queue(h: Hosted, job_ids: list[int]) -> list[int]:
    with session_scope(h.db_url) as s:
        return queue.queue_runs(session=s, job_ids=job_ids).run_ids


def _runs(h: Hosted, run_ids: list[int]) -> list[Run]:
    with session_scope(h.db_url) as s:
        return [s.get(Run, i) for i in run_ids]


def _events(h: Hosted, run_id: int) -> list[RunEvent]:
    with session_scope(h.db_url) as s:
        return list(s.exec(select(RunEvent).where(RunEvent.run_id == run_id).order_by(RunEvent.id)))


def _wait_finished(h: Hosted, run_ids: list[int], timeout: float = 45) -> list[Run]:
    deadline = time.monotonic() + timeout
    while True:
        runs = _runs(h, run_ids)
        if all(r.status in FINISHED for r in runs):
            return runs
        assert time.monotonic() < deadline, [(r.id, r.status, r.worker) for r in runs]
        time.sleep(0.1)


def _worker_group(run: Run) -> int:
    """The worker (process group leader) whose pool child executed the run."""
    return os.getpgid(int(run.worker.rsplit(":", 1)[1]))


def _assert_contiguous(rows: list[RunEvent]) -> None:
    seqs = [r.seq for r in rows]
    assert sorted(seqs) == list(range(1, len(rows) + 1)), seqs


def test_runs_complete_across_two_workers_under_the_cap(hosted, workers):
    run_ids = _queue(hosted, hosted.job_ids[:8])
    workers.start("a", "delay:0.2")
    workers.start("b", "delay:0.2")
    workers.wait_ready("a", "b")
    celery_app.dispatch_celery(run_ids)
    peak, deadline = 0, time.monotonic() + 45
    while True:
        statuses = [r.status for r in _runs(hosted, run_ids)]
        peak = max(peak, statuses.count("running"))
        if all(s in FINISHED for s in statuses):
            break
        assert time.monotonic() < deadline, statuses
        time.sleep(0.05)
    runs = _runs(hosted, run_ids)
    assert [r.status for r in runs] == ["succeeded"] * 8
    assert 2 < peak <= 4, f"two workers x concurrency 2: peak {peak} runs at once"
    groups = {_worker_group(r) for r in runs}
    assert groups == {workers.procs["a"].pid, workers.procs["b"].pid}, "both workers executed runs"
    for run in runs:
        rows = _events(hosted, run.id)
        _assert_contiguous(rows)
        assert any("run succeeded" in r.message for r in rows) and run.attempt == 1


def test_worker_killed_mid_run_resumes_on_another_worker(hosted, workers, tmp_path):
    calls = tmp_path / "calls.txt"
    [run_id] = _queue(hosted, hosted.job_ids[8:9])
    workers.start("a", f"hang:writing,calls:{calls}", concurrency=1)
    workers.wait_ready("a")
    celery_app.dispatch_celery([run_id])
    workers.wait_for("a", lambda: "writing" in read_calls(calls))
    time.sleep(0.6)  # the log's last lines reach the store (flushed every 0.2 s)
    before = read_calls(calls)
    assert sorted(before) == sorted(["intake", "pain_points", "research", "fit", "people", "writing"])
    workers.kill("a")  # SIGKILL to the whole group: parent and pool children
    assert _runs(hosted, [run_id])[0].status == "running"

    workers.start("b", f"calls:{calls}", concurrency=1)
    workers.wait_ready("b")
    deadline = time.monotonic() + LEASE + 10
    while run_id not in _expired(hosted):
        assert time.monotonic() < deadline, "the dead worker's lease never expired"
        time.sleep(0.2)
    sent = celery_app.reap_once(db_url=hosted.db_url)
    assert run_id in sent

    [run] = _wait_finished(hosted, [run_id], timeout=30)
    assert run.status == "succeeded", run.error_message
    assert read_calls(calls)[len(before):] == ["writing"], "completed layers are not repeated"
    assert _worker_group(run) == workers.procs["b"].pid and run.attempt == 2
    rows = _events(hosted, run_id)
    _assert_contiguous(rows)
    messages = [r.message for r in rows]
    assert any("stopped renewing its lease" in m for m in messages)
    assert any(m.startswith("resuming from checkpoint") for m in messages)


def _expired(h: Hosted) -> list[int]:
    with session_scope(h.db_url) as s:
        return expired_runs(session=s, now=utcnow())


def test_lease_is_exclusive_on_postgresql(hosted):
    [run_id] = _queue(hosted, hosted.job_ids[9:10])
    for _ in range(5):
        barrier, wins = threading.Barrier(2), []

        def contend(worker: str, barrier: threading.Barrier = barrier, wins: list = wins) -> None:
            with session_scope(hosted.db_url) as s:
                barrier.wait()
                won = try_lease(session=s, run_id=run_id, worker=worker, seconds=30)
                time.sleep(0.2)  # hold the row lock: the other UPDATE waits, then re-checks its WHERE
            wins.append((worker, won))

        threads = [threading.Thread(target=contend, args=(f"w{i}",)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(w for _, w in wins) == [False, True], wins
        holder = next(name for name, won in wins if won)
        other = "w1" if holder == "w0" else "w0"
        with session_scope(hosted.db_url) as s:
            assert s.get(Run, run_id).worker == holder
            assert not heartbeat(session=s, run_id=run_id, worker=other, seconds=30), "a non-holder cannot renew"
            assert heartbeat(session=s, run_id=run_id, worker=holder, seconds=30)
            assert not try_lease(session=s, run_id=run_id, worker=other, seconds=30), "a live lease is not taken"
            s.get(Run, run_id).lease_until = utcnow() - timedelta(seconds=1)
        with session_scope(hosted.db_url) as s:
            assert expired_runs(session=s, now=utcnow()) == [run_id]
            assert try_lease(session=s, run_id=run_id, worker=other, seconds=30), "an expired lease is taken over"
            assert not heartbeat(session=s, run_id=run_id, worker=holder, seconds=30), "the old holder lost it"
            s.get(Run, run_id).status = "queued"
    with session_scope(hosted.db_url) as s:
        s.get(Run, run_id).status = "cancelled"  # no later reaper pass should pick it up


def test_cancelled_while_queued_task_does_nothing(hosted, workers, monkeypatch):
    [run_id] = _queue(hosted, hosted.job_ids[10:11])
    with session_scope(hosted.db_url) as s:
        assert queue.request_cancel(session=s, run_id=run_id) == "cancelled"
    # In this process, the task's body (its store calls pointed at the test database; patching
    # settings.db_url instead would leak into get_engine()'s cache for the default URL).
    monkeypatch.setattr(store_db, "session_scope", lambda url=None, _real=session_scope: _real(url or hosted.db_url))
    assert celery_app.run_task(run_id) == "skipped"
    workers.start("a", "delay:0")
    workers.wait_ready("a")
    celery_app.dispatch_celery([run_id])  # and through a worker
    deadline = time.monotonic() + 20
    while f"run {run_id} skipped" not in workers.log("a"):
        assert time.monotonic() < deadline, workers.log("a")
        time.sleep(0.1)
    [run] = _runs(hosted, [run_id])
    assert (run.status, run.worker, run.started_at, run.attempt) == ("cancelled", None, None, 1)
    assert _events(hosted, run_id) == []


def test_reaper_resends_a_lost_message_once(hosted, workers):
    [run_id] = _queue(hosted, hosted.job_ids[11:12])  # queued, never dispatched: the message was lost
    workers.start("a", "delay:0.1")
    workers.wait_ready("a")
    assert celery_app.reap_once(db_url=hosted.db_url, stale_seconds=3600) == [], "not stale yet"
    assert celery_app.reap_once(db_url=hosted.db_url, stale_seconds=0) == [run_id]
    assert run_id not in celery_app.reap_once(db_url=hosted.db_url, stale_seconds=0), "a task is in flight"
    [run] = _wait_finished(hosted, [run_id])
    assert run.status == "succeeded" and _worker_group(run) == workers.procs["a"].pid


def test_worker_that_lost_its_lease_stops_and_its_message_is_requeued(hosted, workers, tmp_path):
    """Fencing: a stalled worker whose run was re-leased elsewhere exits its pool child instead of
    writing over the new holder; `task_reject_on_worker_lost` puts the message back, and the
    redelivered task finds the lease taken and does nothing."""
    calls = tmp_path / "calls.txt"
    [run_id] = _queue(hosted, hosted.job_ids[12:13])
    workers.start("a", f"hang:writing,calls:{calls}", concurrency=1)
    workers.wait_ready("a")
    celery_app.dispatch_celery([run_id])
    workers.wait_for("a", lambda: "writing" in read_calls(calls))
    with session_scope(hosted.db_url) as s:  # as if the reaper re-queued it and another worker leased it
        run = s.get(Run, run_id)
        run.worker, run.lease_until = "elsewhere:1", utcnow() + timedelta(seconds=60)
    deadline = time.monotonic() + 20
    while f"run {run_id} skipped" not in workers.log("a"):
        assert time.monotonic() < deadline, workers.log("a")
        time.sleep(0.1)
    log = workers.log("a")
    assert "lease lost to elsewhere:1" in log and "WorkerLostError" in log
    [run] = _runs(hosted, [run_id])
    assert (run.status, run.worker) == ("running", "elsewhere:1"), "the fenced worker wrote nothing more"
    with session_scope(hosted.db_url) as s:
        s.get(Run, run_id).status = "cancelled"


@pytest.fixture
def broker_of_our_own(hosted: Hosted) -> Iterator[PrivateRedis]:
    """A Redis the test may stop, as the broker and log bus of this test's worker and dispatch."""
    server = PrivateRedis()
    server.start()
    _point_broker(server.url)
    try:
        yield server
    finally:
        server.stop()
        _point_broker(hosted.redis_url)


def _point_broker(url: str) -> None:
    """Send this process's dispatches to another broker: drop every cached connection and producer."""
    celery_app.app.conf.broker_url = url
    celery_app.app.close()
    celery_app.app.amqp._producer_pool = None
    celery_app._redis.cache_clear()


def test_broker_outage_mid_run_loses_nothing(hosted, workers, broker_of_our_own, tmp_path):
    """Redis (broker and bus) stops for a few seconds while a run executes: the run goes on
    (its lease and checkpoints live in PostgreSQL), finishes once, and the store has every line."""
    calls = tmp_path / "calls.txt"
    [run_id] = _queue(hosted, hosted.job_ids[13:14])
    workers.start("a", f"delay:1.5,calls:{calls}", concurrency=1, redis_url=broker_of_our_own.url)
    workers.wait_ready("a")
    celery_app.dispatch_celery([run_id])
    workers.wait_for("a", lambda: "intake" in read_calls(calls))

    broker_of_our_own.stop()
    time.sleep(3)  # "a few seconds": the run keeps going meanwhile
    assert _runs(hosted, [run_id])[0].status == "running"
    broker_of_our_own.start()  # empty, like a restarted container without a volume

    [run] = _wait_finished(hosted, [run_id], timeout=60)
    assert run.status == "succeeded", (run.error_message, workers.log("a"))
    assert run.attempt == 1, "the run was not started again"
    assert sorted(read_calls(calls)) == sorted(["intake", "pain_points", "research", "fit", "people", "writing"]), (
        "every layer ran exactly once"
    )
    rows = _events(hosted, run_id)
    _assert_contiguous(rows)
    assert any("run succeeded" in r.message for r in rows)
    assert workers.procs["a"].poll() is None, "the worker survived the outage"
    log = workers.log("a")
    assert "Connection to broker lost" in log, "the worker noticed the outage"
    # The worker reconnects and takes new work after the outage.
    [again] = _queue(hosted, hosted.job_ids[14:15])
    celery_app.dispatch_celery([again])
    [second] = _wait_finished(hosted, [again], timeout=60)
    assert second.status == "succeeded", workers.log("a")


def test_worker_prerenders_the_pdfs_of_a_finished_run(hosted, workers):
    """One browser per worker process prints CV.pdf and dossier.pdf into the shared cache, so the
    app's download finds them (same document, same hash) without rendering."""
    import hashlib

    from pipeline.render.templates import dossier_document
    from pipeline.runs.documents import current_cv, cv_html_document, dossier_html

    [run_id] = _queue(hosted, hosted.job_ids[15:16])
    workers.start("a", "", concurrency=1, WORKER_PRERENDER_PDFS="always")  # "auto" would skip it: no model here
    workers.wait_ready("a")
    celery_app.dispatch_celery([run_id])
    [run] = _wait_finished(hosted, [run_id])
    assert run.status == "succeeded", run.error_message
    workers.wait_for("a", lambda: f"run {run_id}: CV.pdf and dossier.pdf pre-rendered" in workers.log("a"))
    with session_scope(hosted.db_url) as s:
        cv = current_cv(session=s, run_id=run_id, owner=run.owner)
        body = dossier_html(session=s, run_id=run_id, owner=run.owner)
    cache = hosted.data_dir / "cache" / "pdf"
    for document in (cv_html_document(cv), dossier_document(body, page_size="A4")):
        pdf = cache / f"{hashlib.sha256(document.encode()).hexdigest()}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF"), f"{pdf.name} missing from the shared cache"


def test_prerender_follows_the_setting(monkeypatch):
    from pipeline.settings import settings

    monkeypatch.setattr(settings, "openai_api_key", None)
    for mode, expected in (("auto", False), ("always", True), ("never", False)):
        monkeypatch.setattr(settings, "worker_prerender_pdfs", mode)
        assert settings.prerender_pdfs is expected, mode
    monkeypatch.setattr(settings, "openai_api_key", "sk-test-0123456789abcdef")
    monkeypatch.setattr(settings, "worker_prerender_pdfs", "auto")
    assert settings.prerender_pdfs is True


def test_no_test_code_is_reachable_from_the_worker():
    """The scripted analyst is wired by the tests' own entry point (tests/support/celery_worker.py);
    production modules neither import `tests` nor read a test-only setting."""
    for path in (ROOT / "pipeline").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from tests" not in text and "import tests" not in text and 'import_module("tests' not in text, path
        assert "JOBAPP_TEST_ANALYST" not in text, path
        assert "scripted_analyst" not in text, path
