"""`health()`: each dependency's status and latency, against the real services where they exist."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from pipeline import health as health_mod
from pipeline.health import health, mongodb_check
from pipeline.settings import settings

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_database_failure_is_reported_not_raised(default_store, monkeypatch):
    from pipeline.store import db

    def down(url=None):
        raise ConnectionError("database went away")

    monkeypatch.setattr(db, "ping", down)
    report = health()
    assert report["database"]["status"] == "error" and "database went away" in report["database"]["error"]
    assert report["ok"] is False


def test_redis_error_shape_at_a_closed_port(default_store, monkeypatch):
    monkeypatch.setattr(settings, "redis_url", f"redis://127.0.0.1:{closed_port()}/0")
    start = time.perf_counter()
    report = health()
    assert time.perf_counter() - start < 10
    assert report["redis"]["status"] == "error" and "Connection" in report["redis"]["error"]
    assert isinstance(report["redis"]["latency_ms"], float)
    assert report["workers"]["status"] == "error" and "latency_ms" in report["workers"]
    assert report["ok"] is False


def test_mongodb_not_configured(default_store, monkeypatch):
    monkeypatch.setattr(settings, "mongodb_uri", None)
    assert health()["mongodb"] == {"status": "not_configured"}


def test_mongodb_ping_through_the_client_factory(monkeypatch):
    import mongomock

    monkeypatch.setattr(settings, "mongodb_uri", "mongodb://configured")
    report = mongodb_check(client_factory=lambda uri: mongomock.MongoClient())
    assert report["status"] == "ok" and report["detail"] == {"database": "jobs", "collection": "level-2"}


def test_mongodb_unreachable_is_an_error_without_credentials(monkeypatch):
    monkeypatch.setattr(settings, "mongodb_uri", f"mongodb://jane:hunter2@127.0.0.1:{closed_port()}/?directConnection=true")
    start = time.perf_counter()
    report = mongodb_check()
    took = time.perf_counter() - start
    assert report["status"] == "error" and "hunter2" not in report["error"] and "jane" not in report["error"]
    assert 1.5 < took < 6, took  # the 2 s server selection timeout, not pymongo's default 30 s


# ------------------------------------------------------------------ /ready


def test_ready_when_migrated_with_the_in_process_queue(default_store, monkeypatch):
    from starlette.testclient import TestClient

    from jobapp.jobapp import api

    monkeypatch.setattr(settings, "redis_url", None)
    r = TestClient(api).get("/ready")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["ok"] and body["queue"] == {"kind": "in-process", "status": "ok"}
    assert body["database"]["detail"]["revision"] == health_mod.head_revision()


def test_not_ready_on_an_old_schema_or_an_unreachable_queue(tmp_path, monkeypatch):
    from sqlalchemy import text

    from pipeline.store.db import get_engine, migrate

    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate(url)
    with get_engine(url).begin() as conn:
        conn.execute(text("update alembic_version set version_num = '0001'"))
    from pipeline.store import db as db_mod

    real = db_mod.current_revision
    monkeypatch.setattr(db_mod, "current_revision", lambda u=None: real(url))
    report = health_mod.ready()
    assert not report["ok"] and "this code needs" in report["database"]["error"]

    monkeypatch.setattr(db_mod, "current_revision", real)
    monkeypatch.setattr(settings, "redis_url", f"redis://127.0.0.1:{closed_port()}/0")
    report = health_mod.ready()
    assert not report["ok"] and report["queue"]["kind"] == "redis" and report["queue"]["status"] == "error"
