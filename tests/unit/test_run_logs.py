"""Reading a run's log after a cursor (bus, else store) and owner-checked run lookups."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from pipeline.runs import logs
from pipeline.runs.bus import LocalBus
from pipeline.runs.events import LogLine
from pipeline.store.db import session_scope
from pipeline.store.models import Job, RunEvent, utcnow
from pipeline.store.runs import create_run, get_owned_run, run_events_before


def _job(session: Session, owner: str = "local") -> int:
    job = Job(source="demo", external_id=f"x-{owner}", title="Data Engineer", company="Acme", description="Python and SQL.", owner=owner)
    session.add(job)
    session.flush()
    return job.id


@pytest.fixture
def bus(monkeypatch) -> LocalBus:
    """A fresh in-process bus with a small window, standing in for this process's bus."""
    fresh = LocalBus(window=3)
    monkeypatch.setattr(logs, "get_bus", lambda: fresh)
    return fresh


@pytest.fixture
def run_id(default_store) -> int:
    """A run with 10 stored lines ("stored 1" .. "stored 10")."""
    with session_scope() as s:
        rid = create_run(session=s, job_id=_job(s)).id
        s.add_all([RunEvent(run_id=rid, seq=n, message=f"stored {n}") for n in range(1, 11)])
    return rid


def _publish(bus: LocalBus, run_id: int, seqs: range) -> None:
    for n in seqs:
        bus.publish(LogLine(run_id, n, utcnow(), "info", "fit", f"live {n}"))


def test_lines_come_from_the_bus_when_its_window_covers_the_cursor(bus, run_id):
    _publish(bus, run_id, range(8, 11))  # the window holds 8..10
    got = logs.lines_after(run_id, 7)
    assert [(ln.seq, ln.message) for ln in got] == [(8, "live 8"), (9, "live 9"), (10, "live 10")]
    assert [ln.seq for ln in logs.lines_after(run_id, 9)] == [10], "only lines after the cursor"
    assert logs.lines_after(run_id, 10) == [], "nothing new: nothing, and no store read either"


def test_an_empty_bus_falls_back_to_the_store(bus, run_id):
    got = logs.lines_after(run_id, 4)
    assert [ln.seq for ln in got] == [5, 6, 7, 8, 9, 10]
    assert got[0].message == "stored 5" and got[0].run_id == run_id and got[0].data == {}


def test_a_cursor_older_than_the_bus_window_reads_the_store(bus, run_id):
    _publish(bus, run_id, range(8, 11))  # the window starts at 8: a reader at 3 would miss 4..7
    got = logs.lines_after(run_id, 3)
    assert [ln.seq for ln in got] == [4, 5, 6, 7, 8, 9, 10]
    assert {ln.message for ln in got} == {f"stored {n}" for n in range(4, 11)}


def test_the_store_is_read_a_page_at_a_time_oldest_or_newest(bus, run_id):
    assert [ln.seq for ln in logs.lines_after(run_id, 0, limit=4)] == [1, 2, 3, 4]
    assert [ln.seq for ln in logs.lines_after(run_id, 2, limit=4)] == [3, 4, 5, 6]
    # A panel starting from nothing on a long log shows its newest page...
    assert [ln.seq for ln in logs.lines_after(run_id, 0, limit=4, newest_page=True)] == [7, 8, 9, 10]
    # ... but only from nothing, and only when the log is longer than a page.
    assert [ln.seq for ln in logs.lines_after(run_id, 2, limit=4, newest_page=True)] == [3, 4, 5, 6]
    assert [ln.seq for ln in logs.lines_after(run_id, 0, limit=20, newest_page=True)] == list(range(1, 11))


def test_older_lines_page_backwards_oldest_first(run_id):
    assert [ln.seq for ln in logs.stored_lines_before(run_id, 8, limit=3)] == [5, 6, 7]
    assert [ln.seq for ln in logs.stored_lines_before(run_id, 3, limit=5)] == [1, 2]
    with session_scope() as s:
        assert [e.seq for e in run_events_before(session=s, run_id=run_id, before_seq=2**31, limit=2)] == [9, 10]


def test_get_owned_run_hides_other_owners_runs(session):
    rid = create_run(session=session, job_id=_job(session), owner="local").id
    assert get_owned_run(session=session, run_id=rid, owner="local").id == rid
    assert get_owned_run(session=session, run_id=rid, owner="user:2") is None, "another owner's run is not found"
    assert get_owned_run(session=session, run_id=rid + 1000, owner="local") is None
