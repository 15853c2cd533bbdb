"""The Redis Streams event bus against real Redis servers (the machine's one, a claimed db, and a private one).

Fails loudly when Redis is down: hosted-mode tests never skip silently."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import redis

from pipeline.runs.bus import LocalBus
from pipeline.runs.events import LogLine
from pipeline.runs.redis_bus import RedisBus
from pipeline.store.models import utcnow
from tests.support.private_redis import PrivateRedis, free_port

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")


@contextlib.contextmanager
def claimed_redis_db() -> Iterator[str]:
    """A Redis db of our own, flushed before and after: the same lock keys in db 0 as
    tests/test_celery.py, so concurrent test sessions never flush each other's data."""
    admin = redis.Redis.from_url(f"{REDIS}/0", socket_connect_timeout=2)
    try:
        admin.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {REDIS} is not reachable ({exc}); run `make services`.", pytrace=False)
    n = next((n for n in range(9, 16) if admin.set(f"jobapp:test-db:{n}", os.getpid(), nx=True, ex=600)), None)
    if n is None:
        pytest.fail("no free Redis db in 9..15 (other test sessions hold them)", pytrace=False)
    url = f"{REDIS}/{n}"
    db = redis.Redis.from_url(url)
    db.flushdb()
    try:
        yield url
    finally:
        db.flushdb()
        db.close()
        admin.delete(f"jobapp:test-db:{n}")
        admin.close()


@pytest.fixture(scope="module")
def test_url() -> Iterator[str]:
    with claimed_redis_db() as url:
        yield url


def line(run_id: int, seq: int, message: str = "", **data) -> LogLine:
    return LogLine(run_id=run_id, seq=seq, ts=utcnow(), level="info", step="intake", message=message or f"line {seq}", data=data)


@pytest.fixture
def raw(test_url) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(test_url, decode_responses=True, socket_connect_timeout=1)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def make_bus(raw, test_url):
    made: list[RedisBus] = []

    def make(url: str = test_url, **kw) -> RedisBus:
        bus = RedisBus(url, **kw)
        made.append(bus)
        return bus

    yield make
    for bus in made:
        bus.close(flush_timeout=0)


def test_round_trip_keeps_order_fields_and_data(make_bus, raw):
    bus = make_bus()
    sent = [line(7, 1, "parsed posting", skills=["python", "sql"]), line(7, 2, "ünïcode ✓"), line(7, 3, n=3)]
    for ln in sent:
        bus.publish(ln)
    assert bus.flush()

    got, covered = bus.lines_after(7, 0)
    assert covered and [(g.seq, g.message, g.data, g.ts, g.level, g.step) for g in got] == [
        (s.seq, s.message, s.data, s.ts, s.level, s.step) for s in sent
    ]
    assert bus.lines_after(7, 2) == ([sent[2]], True)
    assert bus.lines_after(7, 3) == ([], True)  # up to date: nothing new, but provably so
    assert bus.lines_after(8, 0) == ([], False)  # no stream: the caller reads the store

    [(entry_id, fields)] = raw.xrange("jobapp:run:7", count=1)
    assert entry_id == "1-1" and set(fields) == {"seq", "ts", "level", "step", "message", "data"}
    assert fields["data"] == '{"skills": ["python", "sql"]}' and fields["ts"] == sent[0].ts.isoformat()
    assert 0 < raw.ttl("jobapp:run:7") <= 24 * 3600
    assert bus.run_ids() == {7}


def test_replayed_line_is_not_duplicated_and_a_gap_is_not_covered(make_bus, raw):
    bus = make_bus()
    for seq in (1, 2, 2, 3, 5):  # 2 twice (a retried send), 4 never arrived
        bus.publish(line(3, seq))
    assert bus.flush()
    assert raw.xlen("jobapp:run:3") == 4
    assert bus.lines_after(3, 1) == ([], False)  # 4 is missing: not covered
    assert bus.lines_after(3, 5) == ([], True)
    assert bus.lines_after(3, 0) == ([], False)  # the gap sits after cursor 0 too
    assert bus.lines_after(3, 3) == ([], False)
    assert [ln.seq for ln in bus.lines_after(3, 4)[0]] == [5]  # a follower that has 4 (from the store) is covered


def test_two_instances_see_each_others_lines(make_bus):
    a, b = make_bus(), make_bus()
    a.publish(line(1, 1, "from a"))
    b.publish(line(2, 1, "from b"))
    assert a.flush() and b.flush()
    assert [ln.message for ln in b.lines_after(1, 0)[0]] == ["from a"]
    assert [ln.message for ln in a.lines_after(2, 0)[0]] == ["from b"]
    assert a.run_ids() == b.run_ids() == {1, 2}


def test_capped_stream_stays_bounded_and_old_cursor_is_not_covered(make_bus, raw):
    bus = make_bus(maxlen=100)
    for seq in range(1, 2001):
        bus.publish(line(9, seq, "x" * 200))
    assert bus.flush(10)
    assert raw.xlen("jobapp:run:9") <= 100 + 100  # approximate trimming works in whole nodes (100 entries)
    assert raw.memory_usage("jobapp:run:9") < 200 * 1024
    assert bus.lines_after(9, 0) == ([], False)
    assert bus.lines_after(9, 500) == ([], False)
    tail, covered = bus.lines_after(9, 1990)
    assert covered and [ln.seq for ln in tail] == list(range(1991, 2001))


def test_default_cap_is_about_a_thousand_lines(make_bus, raw):
    bus = make_bus()
    for seq in range(1, 3001):
        bus.publish(line(4, seq))
    assert bus.flush(10)
    assert 1000 <= raw.xlen("jobapp:run:4") <= 1100
    assert raw.xlen("jobapp:runs") <= 1100  # the notification stream is capped too


async def settled(bus: RedisBus) -> int:
    """Start the bus's listener and let its connect-time bump pass: then every bump is news."""
    version = bus.version
    while (new := await bus.wait(version, timeout=0.3)) != version:
        version = new
    return version


def test_wait_wakes_on_a_publish_from_another_instance(make_bus):
    producer, follower = make_bus(), make_bus()

    async def scenario() -> tuple[float, int, int]:
        version = await settled(follower)
        published: list[float] = []

        async def publish_later():
            await asyncio.sleep(0.3)
            published.append(time.perf_counter())
            producer.publish(line(5, 1))

        task = asyncio.create_task(publish_later())
        new = await follower.wait(version, timeout=5)
        woke = time.perf_counter()
        await task
        return woke - published[0], version, new

    delay, before, after = asyncio.run(scenario())
    assert after != before
    assert delay < 0.25, f"woke {delay * 1000:.0f} ms after the publish"
    assert [ln.seq for ln in follower.lines_after(5, 0)[0]] == [1]


def test_touch_wakes_other_processes(make_bus):
    producer, follower = make_bus(), make_bus()

    async def scenario() -> float:
        version = await settled(follower)
        asyncio.get_running_loop().call_later(0.2, producer.touch)
        start = time.perf_counter()
        new = await follower.wait(version, timeout=5)
        assert new != version
        return time.perf_counter() - start

    assert asyncio.run(scenario()) < 1.0


def test_wait_times_out_without_news(make_bus):
    bus = make_bus()

    async def scenario() -> tuple[int, int, float]:
        version = await settled(bus)
        start = time.perf_counter()
        return version, await bus.wait(version, timeout=0.4), time.perf_counter() - start

    before, after, took = asyncio.run(scenario())
    assert before == after and 0.35 < took < 1.0


def test_unreachable_redis_never_raises(make_bus, caplog):
    bus = make_bus(f"redis://127.0.0.1:{free_port()}/0")
    caplog.set_level(logging.WARNING, logger="pipeline.runs.redis_bus")
    start = time.perf_counter()
    for seq in range(1, 51):
        bus.publish(line(1, seq))
    bus.touch()
    assert bus.lines_after(1, 0) == ([], False)
    assert bus.run_ids() == set()
    assert time.perf_counter() - start < 0.5  # callers are never held up by the dead server

    async def waited() -> float:
        await bus.wait(bus.version, timeout=0.2)  # starts the listener, which fails and backs off
        version = bus.version
        start = time.perf_counter()
        assert await bus.wait(version, timeout=0.4) == version
        return time.perf_counter() - start

    assert 0.35 < asyncio.run(waited()) < 1.0
    assert not bus.flush(0.5) and not bus.reachable
    assert sum("unreachable" in r.getMessage() for r in caplog.records) == 1  # logged once, not per line


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


def test_bus_recovers_when_redis_stops_and_returns(private_redis, make_bus, caplog):
    caplog.set_level(logging.WARNING, logger="pipeline.runs.redis_bus")
    producer, follower = make_bus(private_redis.url), make_bus(private_redis.url)
    for seq in range(1, 6):
        producer.publish(line(1, seq))
    assert producer.flush()
    assert [ln.seq for ln in follower.lines_after(1, 0)[0]] == [1, 2, 3, 4, 5]

    async def outage() -> None:
        version = await settled(follower)
        private_redis.stop()
        for seq in range(6, 11):  # the run goes on while Redis is away
            producer.publish(line(1, seq))
        await asyncio.sleep(0.3)
        assert follower.lines_after(1, 5) == ([], False)  # followers fall back to the store
        assert follower.run_ids() == set()
        start = time.perf_counter()
        version = await follower.wait(follower.version, timeout=0.3)
        assert time.perf_counter() - start < 1.0
        await asyncio.sleep(2)  # "a few seconds"
        private_redis.start()  # empty: no persistence, like a restarted container without a volume
        assert await asyncio.to_thread(producer.flush, 10), "buffered lines were not replayed"
        producer.publish(line(1, 11))
        start = time.perf_counter()
        while not follower.lines_after(1, 10)[0]:  # the follower's loop: wait, then read after its cursor
            version = await follower.wait(version, timeout=1)
            assert time.perf_counter() - start < 5, "the follower never saw the new line after Redis returned"

    asyncio.run(outage())
    assert producer.flush()
    tail, covered = follower.lines_after(1, 5)
    assert covered and [ln.seq for ln in tail] == [6, 7, 8, 9, 10, 11]  # nothing published during the outage is lost
    assert follower.lines_after(1, 0) == ([], False)  # 1..5 died with the server: the store has them
    assert follower.run_ids() == {1}
    messages = [r.getMessage() for r in caplog.records]
    assert any("reachable again" in m for m in messages)


def test_buffer_is_bounded_during_a_long_outage(make_bus):
    bus = make_bus(f"redis://127.0.0.1:{free_port()}/0", pending_max=100)
    for seq in range(1, 1001):
        bus.publish(line(1, seq))
    assert bus.dropped >= 900


def test_get_bus_follows_settings(monkeypatch, raw, test_url):
    from pipeline.runs import bus as buses
    from pipeline.runs.bus import bus as local
    from pipeline.settings import settings

    monkeypatch.setattr(settings, "redis_url", None)
    assert buses.get_bus() is local and isinstance(local, LocalBus)
    monkeypatch.setattr(settings, "redis_url", test_url)
    first = buses.get_bus()
    try:
        assert isinstance(first, RedisBus) and buses.get_bus() is first
    finally:
        buses._buses.pop(test_url, None)
        first.close(flush_timeout=0)


def test_line_timestamps_survive_as_aware_datetimes(make_bus):
    bus = make_bus()
    ts = utcnow() - timedelta(days=1)
    bus.publish(LogLine(run_id=2, seq=1, ts=ts, level="error", step="fit", message="m"))
    assert bus.flush()
    [got] = bus.lines_after(2, 0)[0]
    assert got.ts == ts and got.ts.tzinfo is not None and got.level == "error"


def test_a_resumed_runs_sink_stores_the_dead_workers_unstored_lines(monkeypatch, make_bus, test_url, default_store):
    """A worker killed between publishing lines and storing them (flushes every 0.2 s): the next
    attempt's sink finds them on the bus, stores them, and continues after them (no re-used seq)."""
    from pipeline.runs import bus as buses
    from pipeline.runs.events import DbSink
    from pipeline.settings import settings
    from pipeline.store.db import session_scope
    from pipeline.store.models import Job, Run
    from pipeline.store.runs import append_events, run_events

    with session_scope() as s:
        job = Job(source="demo", external_id="tail", title="T", company="C")
        s.add(job)
        s.flush()
        run = Run(job_id=job.id, status="running")
        s.add(run)
        s.flush()
        run_id = run.id
        append_events(session=s, rows=[line(run_id, seq, f"stored {seq}").as_row() for seq in (1, 2, 3)])
    dead_worker = make_bus()
    for seq in range(1, 6):  # 4 and 5 reached Redis, never the database
        dead_worker.publish(line(run_id, seq, f"line {seq}"))
    assert dead_worker.flush()
    monkeypatch.setattr(settings, "redis_url", test_url)
    try:
        sink = DbSink(run_id)
        sink.emit("info", "run", "resuming")
        asyncio.run(sink.aclose())
    finally:
        bus = buses._buses.pop(test_url, None)
        if bus is not None:
            bus.close(flush_timeout=1)
    with session_scope() as s:
        rows = run_events(session=s, run_id=run_id)
    assert [(r.seq, r.message) for r in rows] == [
        (1, "stored 1"), (2, "stored 2"), (3, "stored 3"), (4, "line 4"), (5, "line 5"), (6, "resuming"),
    ]
