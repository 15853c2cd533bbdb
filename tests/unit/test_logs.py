"""Server logs (pipeline/logs.py): JSON or text lines on stderr, run ids from the context,
no secret in any line, in every process (CLI, Celery worker)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.logs import QUIET_LOGGERS, configure_logging, current_context, log_context
from pipeline.settings import settings

ROOT = Path(__file__).resolve().parents[2]
API_KEY = "sk-plantedSECRETkey0123456789"
OTHER_KEY = "sk-anotherLEAKEDkey9876543210"
URL_PASSWORD = "urlPassw0rd77"
SECRETS = (API_KEY, OTHER_KEY, URL_PASSWORD)


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """configure_logging() changes the process's root logger: put it back for the next test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, lvl in quiet.items():
        logging.getLogger(name).setLevel(lvl)
    logging.captureWarnings(False)


def _configure(fmt: str, **kw) -> io.StringIO:
    buf = io.StringIO()
    configure_logging(log_format=fmt, level="INFO", stream=buf, **kw)
    return buf


def _records(buf: io.StringIO) -> list[dict]:
    lines = buf.getvalue().splitlines()
    return [json.loads(line) for line in lines]  # every line one JSON object, or this raises


def test_json_lines_parse_one_object_a_line_with_level_logger_and_message():
    buf = _configure("json")
    log = logging.getLogger("jobapp.test")
    log.info("hello %s", "world")
    log.warning("two\nlines stay one record")
    records = _records(buf)
    assert len(records) == 2
    first, second = records
    assert first["level"] == "INFO" and first["logger"] == "jobapp.test" and first["message"] == "hello world"
    assert first["time"].endswith("Z") and "T" in first["time"]
    assert second["message"] == "two\nlines stay one record"
    assert "run_id" not in first and "exc" not in first


def test_run_ids_come_from_the_context_and_reach_asyncio_tasks_and_threads():
    buf = _configure("json")
    log = logging.getLogger("jobapp.test")

    async def main() -> None:
        async def in_task() -> None:
            log.info("from a task")

        with log_context(run_id=41, job_id=7, batch_id=3):
            await asyncio.create_task(in_task())
            await asyncio.to_thread(log.info, "from a thread")
        log.info("after the block")

    asyncio.run(main())
    with log_context(run_id=1):
        log.info("explicit extra wins", extra={"run_id": 2, "job_id": 9})
    task, thread, after, extra = _records(buf)
    for rec in (task, thread):
        assert (rec["run_id"], rec["job_id"], rec["batch_id"]) == (41, 7, 3)
    assert not {"run_id", "job_id", "batch_id"} & after.keys()
    assert (extra["run_id"], extra["job_id"]) == (2, 9)
    assert current_context() == {}


def test_text_lines_are_readable_and_carry_the_ids():
    buf = _configure("text")
    with log_context(run_id=5, job_id=None):
        logging.getLogger("jobapp.test").warning("disk %d%% full", 91)
    (line,) = buf.getvalue().splitlines()
    assert "WARNING" in line and "jobapp.test: disk 91% full" in line and line.endswith("[run_id=5]")


def test_every_line_logged_while_a_stored_run_executes_names_its_run_job_and_batch(default_store, monkeypatch):
    from pipeline.runs import queue, runner
    from pipeline.runs.events import MemorySink
    from pipeline.store.db import session_scope
    from pipeline.store.models import Job

    with session_scope() as s:
        job = Job(source="demo", external_id="logs-1", title="Engineer", company="Co", description="Build things. " * 20)
        s.add(job)
        s.flush()
        job_id = job.id
        queued = queue.queue_runs(session=s, job_ids=[job_id])
    (run_id,) = queued.run_ids
    assert queued.batch_id is not None
    log = logging.getLogger("pipeline.test")

    async def fake_execute(rid, *_):
        async def layer() -> None:
            log.info("a layer's line")

        await asyncio.create_task(layer())
        return runner.RunOutcome(status="succeeded")

    monkeypatch.setattr(runner, "_execute", fake_execute)
    buf = _configure("json")
    outcome = asyncio.run(runner.execute_run(run_id, checkpointer=None, sink=MemorySink()))
    assert outcome.status == "succeeded"
    (rec,) = [r for r in _records(buf) if r["logger"] == "pipeline.test"]
    assert (rec["run_id"], rec["job_id"], rec["batch_id"]) == (run_id, job_id, queued.batch_id)


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_no_secret_reaches_a_log_line_nor_a_traceback(monkeypatch, fmt):
    monkeypatch.setattr(settings, "openai_api_key", API_KEY)
    buf = _configure(fmt)
    log = logging.getLogger("jobapp.test")
    url = f"postgresql://jobapp:{URL_PASSWORD}@db.example/jobapp"
    log.info("calling the model with %s", API_KEY)
    log.warning("fallback key %s, database %s", OTHER_KEY, url)
    try:
        raise RuntimeError(f"connect failed: {url} with key {API_KEY} or {OTHER_KEY}")
    except RuntimeError:
        log.exception("run failed")
    out = buf.getvalue()
    for secret in SECRETS:
        assert secret not in out
    assert "RuntimeError: connect failed: postgresql://jobapp:***@db.example/jobapp" in (
        _records(buf)[-1]["exc"] if fmt == "json" else out
    )


def test_a_password_without_a_user_name_is_masked_too():
    """Redis URLs carry a password without a user (redis://:pw@host); it was once left visible."""
    buf = _configure("json")
    logging.getLogger("jobapp.test").warning("broker redis://:%s@redis:6379/0 is down", URL_PASSWORD)
    assert URL_PASSWORD not in buf.getvalue()


def test_configuring_twice_never_doubles_lines():
    buf = io.StringIO()
    configure_logging(log_format="json", level="INFO", stream=buf)
    configure_logging(log_format="json", level="INFO", stream=buf)
    logging.getLogger("jobapp.test").info("once")
    assert len(_records(buf)) == 1
    ours = [h for h in logging.getLogger().handlers if type(h).__module__ == "pipeline.logs"]
    assert len(ours) == 1


def test_python_warnings_become_log_lines():
    buf = _configure("json")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        logging.captureWarnings(True)  # catch_warnings() swapped showwarning back: capture again inside it
        warnings.warn(f"deprecated, and leaking {OTHER_KEY}", UserWarning, stacklevel=1)
    rec = _records(buf)[-1]
    assert rec["logger"] == "py.warnings" and "deprecated" in rec["message"] and OTHER_KEY not in rec["message"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DB_URL", "REDIS_URL", "LOG_LEVEL")}
    env.update(DATA_DIR=str(tmp_path), LOG_FORMAT="json", OPENAI_API_KEY=API_KEY, PYTHONPATH=str(ROOT), **extra)
    return env


def _assert_only_json(stderr: str) -> list[dict]:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert lines, "expected some log lines"
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            pytest.fail(f"not a JSON line: {line!r}\n--- stderr ---\n{stderr}")
    assert all({"time", "level", "logger", "message"} <= r.keys() for r in records)
    for secret in SECRETS:
        assert secret not in stderr
    return records


def test_worker_init_hides_the_plain_text_banner_in_json_mode(monkeypatch):
    from pipeline.runs.celery_app import _worker_init

    _configure("json")
    monkeypatch.setattr(settings, "log_format", "json")
    worker = types.SimpleNamespace(quiet=False)
    _worker_init(instance=worker)
    assert worker.quiet is True
    monkeypatch.setattr(settings, "log_format", "text")
    worker = types.SimpleNamespace(quiet=False)
    _worker_init(instance=worker)
    assert worker.quiet is False


