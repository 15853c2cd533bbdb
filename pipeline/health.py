"""Component checks for `GET /health`: each reports status and latency."""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from pipeline.render.browser import find_chromium
from pipeline.settings import settings


def _timed(check: Callable[[], Any]) -> dict[str, Any]:
    start = time.perf_counter()
    try:
        detail = check()
        out: dict[str, Any] = {"status": "ok"}
        if detail:
            out["detail"] = detail
    except Exception as exc:  # noqa: BLE001 - a health check reports, never raises
        out = {"status": "error", "error": f"{type(exc).__name__}: {exc}"[:300]}
    out["latency_ms"] = round((time.perf_counter() - start) * 1000, 1)
    return out


def health() -> dict[str, Any]:
    """The state of every component; `ok` is false when a required one fails."""
    from pipeline.store.db import current_revision, ping

    report: dict[str, Any] = {
        "database": _timed(lambda: (ping(), {"dialect": settings.db_url.split(":", 1)[0], "revision": current_revision()})[1]),
    }
    if settings.redis_url:
        report["redis"] = _timed(_ping_redis)
    else:
        report["redis"] = {"status": "not_configured"}
    report["workers"] = broker_workers() if settings.redis_url else {"status": "not_configured"}
    report["mongodb"] = mongodb_check() if settings.mongodb_uri else {"status": "not_configured"}
    report["chromium"] = chromium_check()
    report["llm"] = {"status": "offline_analyst"} if settings.offline else {"status": "configured", "model": settings.model}
    report["ok"] = all(v.get("status") != "error" for v in report.values() if isinstance(v, dict))
    return report


def head_revision() -> str | None:
    """The newest migration this code ships."""
    from alembic.script import ScriptDirectory

    from pipeline.store.db import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def ready() -> dict[str, Any]:
    """For orchestrators (`/ready`): may this process take traffic? The schema is migrated to
    this code's head, and the run queue can take work (Redis answers when hosted; the
    in-process queue lives in this process). Cheap: no Chromium, no worker ping, no MongoDB."""
    from pipeline.store.db import current_revision

    def schema() -> dict[str, Any]:
        have, want = current_revision(), head_revision()
        if have != want:
            raise RuntimeError(f"schema at {have or 'nothing'}, this code needs {want} (the app migrates at start)")
        return {"revision": have}

    report: dict[str, Any] = {"database": _timed(schema)}
    if settings.redis_url:
        report["queue"] = {"kind": "redis", **_timed(_ping_redis)}
    else:
        report["queue"] = {"kind": "in-process", "status": "ok"}
    report["ok"] = all(v.get("status") == "ok" for v in report.values() if isinstance(v, dict))
    return report


def _ping_redis() -> None:
    import redis

    client = redis.Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def broker_workers(timeout: float = 1.0) -> dict[str, Any]:
    """Celery workers answering a ping over REDIS_URL: with none, queued runs just wait."""
    try:
        probe = _celery_probe(settings.redis_url)
    except ImportError as exc:  # the Celery dispatcher is not part of this build
        return {"status": "unknown", "error": f"{type(exc).__name__}: {exc}"[:300]}
    except Exception as exc:  # noqa: BLE001 - a health check reports, never raises
        return {"status": "error", "error": f"{type(exc).__name__}: {exc}"[:300]}

    def ping() -> list[str]:
        with probe.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=2)  # a dead broker fails now, not after retries
            replies = probe.control.ping(timeout=timeout, connection=conn)
        return sorted(name for reply in replies for name in reply)

    out = _timed(ping)
    if out["status"] == "ok":
        names = out.pop("detail", [])
        out.update(count=len(names), workers=names)
        if not names:
            out.update(status="degraded", error="no worker answered; start one with `python -m pipeline worker`")
    return out


@lru_cache(maxsize=4)
def _celery_probe(url: str) -> Any:
    """A Celery app bound to `url` with the run app's control settings.

    The run app's broadcasts go through its own producer pool, bound to the broker
    it was created with; a probe of our own always asks the broker configured now."""
    from celery import Celery

    from pipeline.runs.celery_app import app

    probe = Celery("jobapp-health", broker=url, set_as_current=False)
    probe.conf.update(
        control_exchange=app.conf.control_exchange,
        accept_content=app.conf.accept_content,
        broker_transport_options=app.conf.broker_transport_options,
        broker_connection_timeout=2,
    )
    return probe


def mongodb_check(client_factory: Callable[[str], Any] | None = None) -> dict[str, Any]:
    """Ping the configured MongoDB (2 s server selection), credentials kept out of the report."""
    from pipeline.sources.mongo import mongo_collection, redact

    def ping() -> dict[str, str]:
        coll = mongo_collection(client_factory=client_factory or _mongo_client)
        client = coll.database.client
        try:
            client.admin.command("ping")
        finally:
            client.close()
        return {"database": coll.database.name, "collection": coll.name}

    out = _timed(ping)
    if "error" in out:
        out["error"] = redact(out["error"], settings.mongodb_uri)
    return out


def _mongo_client(uri: str) -> Any:
    import pymongo

    return pymongo.MongoClient(uri, serverSelectionTimeoutMS=2000, connectTimeoutMS=2000)


_chromium_versions: dict[tuple[str, float], str] = {}


def chromium_version(path: str) -> str:
    """`<path> --version` (5 s timeout), cached per binary and mtime: starting it costs time."""
    key = (path, os.stat(path).st_mtime)
    if key not in _chromium_versions:
        done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=5, check=True)
        found = re.search(r"\d+(?:\.\d+){1,3}", done.stdout)
        if not found:
            raise RuntimeError(f"unexpected --version output: {done.stdout.strip()[:100]!r}")
        _chromium_versions[key] = found.group(0)
    return _chromium_versions[key]


def chromium_check() -> dict[str, Any]:
    """Where the PDF browser is and that it starts; "missing" leaves the app usable without PDFs."""
    path = find_chromium()
    if not path:
        return {"status": "missing"}
    out = _timed(lambda: chromium_version(path))
    report = {"status": out.pop("status"), "path": path}
    if "detail" in out:
        report["version"] = out.pop("detail")
    return {**report, **out}
