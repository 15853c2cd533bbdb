"""Component checks for `GET /health`: each reports status and latency."""

from __future__ import annotations

import time
from collections.abc import Callable
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
    except Exception as exc:  # a health check reports, never raises
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
    report["mongodb"] = {"status": "configured" if settings.mongodb_uri else "not_configured"}
    chromium = find_chromium()
    report["chromium"] = {"status": "ok", "path": chromium} if chromium else {"status": "missing"}
    report["llm"] = {"status": "offline_analyst"} if settings.offline else {"status": "configured", "model": settings.model}
    report["ok"] = all(v.get("status") != "error" for v in report.values() if isinstance(v, dict))
    return report


def _ping_redis() -> None:
    import redis

    client = redis.Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
