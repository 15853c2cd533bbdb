"""test_api: the cases that start processes or talk to a service (the rest: tests/unit/test_api.py)."""

from __future__ import annotations

import asyncio

import pytest

from jobapp.api.sse import run_event_stream
from pipeline.runs.events import LogLine
from pipeline.store.db import session_scope
from pipeline.store.models import Run, RunEvent, utcnow
from tests.unit.test_api import store  # noqa: F401 - shared helpers and fixtures


@pytest.mark.redis
def test_sse_follows_the_redis_bus_when_hosted(store, monkeypatch):
    """Hosted mode: live lines come from Redis Streams (published by a worker elsewhere)."""
    import uuid

    import redis

    from pipeline.runs.redis_bus import RedisBus

    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {url} is not reachable ({exc}); run `make services`.", pytrace=False)
    prefix = f"jobapp-apitest-{uuid.uuid4().hex[:8]}"  # keys of our own on the shared Redis
    reader, worker = RedisBus(url, prefix=prefix), RedisBus(url, prefix=prefix)
    monkeypatch.setattr("jobapp.api.sse.get_bus", lambda: reader)
    monkeypatch.setattr("pipeline.runs.logs.get_bus", lambda: reader)  # the stream reads its lines there
    with session_scope() as s:
        run = Run(job_id=store["job"], status="running")
        s.add(run)
        s.flush()
        s.add(RunEvent(run_id=run.id, seq=1, message="stored"))
        run_id = run.id

    async def go():
        async def connected() -> bool:
            return False

        stream = run_event_stream(run_id, 0, is_disconnected=connected, heartbeat=2)
        await anext(stream)
        assert "stored" in await anext(stream)
        assert "event: status" in await anext(stream)
        for seq in (2, 3):
            worker.publish(LogLine(run_id, seq, utcnow(), "info", "fit", f"from redis {seq}"))
        assert worker.flush(5)
        got = [await anext(stream), await anext(stream)]
        assert "id: 2\n" in got[0] and "from redis 2" in got[0] and "id: 3\n" in got[1]
        with session_scope() as s:
            s.get(Run, run_id).status = "succeeded"
        worker.touch()
        rest = [chunk async for chunk in stream]
        assert "event: end" in rest[-1]

    try:
        asyncio.run(asyncio.wait_for(go(), 30))
    finally:
        for bus in (reader, worker):
            bus.close(flush_timeout=0)
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
