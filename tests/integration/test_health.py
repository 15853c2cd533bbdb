"""test_health: the cases that start processes or talk to a service (the rest: tests/unit/test_health.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import health as health_mod
from pipeline.health import broker_workers, chromium_check, health
from pipeline.settings import settings
from tests.integration.test_redis_bus import claimed_redis_db
from tests.unit.test_health import ROOT


@pytest.fixture(scope="module")
def redis_db() -> Iterator[str]:
    """A Redis db of our own (fails loudly when Redis is down); the workers test's Celery worker lives there."""
    with claimed_redis_db() as url:
        yield url


@pytest.fixture
def real_redis(redis_db, monkeypatch) -> str:
    monkeypatch.setattr(settings, "redis_url", redis_db)
    return redis_db


def test_database_ok_with_latency(default_store, monkeypatch):
    monkeypatch.setattr(settings, "redis_url", None)
    monkeypatch.setattr(settings, "mongodb_uri", None)
    report = health()
    db = report["database"]
    assert db["status"] == "ok" and isinstance(db["latency_ms"], float) and db["latency_ms"] >= 0
    assert db["detail"]["dialect"] == "sqlite" and db["detail"]["revision"]
    assert report["redis"] == {"status": "not_configured"} and report["workers"] == {"status": "not_configured"}
    assert report["ok"] is True
    assert set(report) >= {"database", "redis", "workers", "mongodb", "chromium", "llm", "ok"}


def test_redis_ok_against_the_real_server(default_store, real_redis):
    report = health()
    assert report["redis"]["status"] == "ok" and report["redis"]["latency_ms"] < 1000
    workers = report["workers"]
    assert workers["status"] in ("ok", "degraded") and workers["count"] == len(workers["workers"])
    assert report["ok"] is True  # no worker is "degraded", not a failure of the app


def test_broker_workers_counts_a_running_worker(real_redis, tmp_path):
    name = f"healthcheck-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "REDIS_URL": real_redis, "DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pipeline.runs.celery_app:app", "worker", "--pool=solo",
         "-Q", name, f"--hostname={name}@test", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            report = broker_workers()
            if f"{name}@test" in report.get("workers", []):
                break
            assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, f"worker never answered: {report}"
        assert report["status"] == "ok" and report["count"] >= 1 and report["latency_ms"] >= 0
    finally:
        proc.terminate()
        proc.wait(30)
    assert broker_workers().get("workers", []).count(f"{name}@test") == 0


def test_broker_workers_unknown_without_the_celery_module(real_redis, monkeypatch):
    health_mod._celery_probe.cache_clear()
    monkeypatch.setitem(sys.modules, "pipeline.runs.celery_app", None)  # import fails as if the module were missing
    report = broker_workers()
    assert report["status"] == "unknown"


def test_chromium_missing_or_broken(monkeypatch, tmp_path):
    monkeypatch.setattr(health_mod, "find_chromium", lambda: None)
    assert chromium_check() == {"status": "missing"}
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setattr(health_mod, "find_chromium", lambda: str(broken))
    report = chromium_check()
    assert report["status"] == "error" and report["path"] == str(broken) and "version" not in report


def test_chromium_path_and_version():
    report = chromium_check()
    assert report["status"] == "ok", report
    assert Path(report["path"]).exists() and re.fullmatch(r"\d+(\.\d+){1,3}", report["version"])
    start = time.perf_counter()
    assert chromium_check()["version"] == report["version"]
    assert time.perf_counter() - start < 0.05  # cached: the browser is not started again
