"""The demo postings carry the sources the importers really give (job boards, links, files, pastes),
so the source filter and the Analytics view's "response rate by source" compare groups on first
run; demo rows are known by their (source, "demo-NNN") pair, and re-seeding stays idempotent."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlmodel import func, select

from pipeline.sources.demo import DEMO_SOURCES, demo_jobs, demo_keys, load_demo
from pipeline.store.analytics import numbers
from pipeline.store.jobs import job_sources
from pipeline.store.models import Job, JobEvent

NOW = datetime(2026, 12, 5, 11, 0, tzinfo=UTC)
IMPORTER_SOURCES = {"greenhouse", "lever", "ashby", "link", "file", "paste", "mongo"}  # boards.py, links.py, files.py, paste.py, mongo.py


def _jobs(session, owner: str) -> list[Job]:
    return list(session.exec(select(Job).where(Job.owner == owner).order_by(Job.external_id)))


def test_demo_postings_come_from_the_sources_the_importers_set():
    sources = Counter(job.source for _, job in demo_jobs().rows)
    assert set(sources) <= IMPORTER_SOURCES and set(DEMO_SOURCES) <= IMPORTER_SOURCES
    assert "demo" not in sources and len(sources) >= 5
    assert sources == {"greenhouse": 6, "link": 6, "lever": 5, "ashby": 5, "file": 5, "paste": 3}
    assert all(job.external_id.startswith("demo-") for _, job in demo_jobs().rows)
    assert len(demo_keys()) == 30


def test_the_demo_history_compares_at_least_three_sources(session):
    load_demo(session=session, owner="user:1", now=NOW)
    applied = Counter(j.source for j in _jobs(session, "user:1") if j.applied_at is not None)
    assert sum(applied.values()) == 15
    assert sum(1 for n in applied.values() if n >= 3) >= 3, applied
    rates = {r.group: (r.applied, r.responded) for r in numbers(session=session, now=NOW, owner="user:1").by_source}
    assert rates == {"lever": (5, 2), "link": (4, 1), "greenhouse": (3, 2), "ashby": (3, 3)}


def test_reseeding_is_idempotent(session):
    load_demo(session=session, owner="user:1", now=NOW)
    before = [(j.id, j.source, j.external_id, j.status, j.applied_at) for j in _jobs(session, "user:1")]
    events = session.exec(select(func.count()).select_from(JobEvent)).one()
    summary = load_demo(session=session, owner="user:1", force=True, now=NOW)
    assert summary is not None and summary.imported == 0
    assert [(j.id, j.source, j.external_id, j.status, j.applied_at) for j in _jobs(session, "user:1")] == before
    assert session.exec(select(func.count()).select_from(JobEvent)).one() == events
    assert load_demo(session=session, owner="user:1", now=NOW) is None, "a store with jobs is not seeded again"


def test_a_store_seeded_when_every_demo_posting_had_source_demo_is_reseeded_in_place(session):
    load_demo(session=session, owner="user:1", now=NOW)
    for job in _jobs(session, "user:1"):
        job.source = "demo"  # as the demo was seeded before
        session.add(job)
    session.flush()
    ids = [j.id for j in _jobs(session, "user:1")]
    load_demo(session=session, owner="user:1", force=True, now=NOW)
    jobs = _jobs(session, "user:1")
    assert [j.id for j in jobs] == ids, "no second copy of the thirty"
    assert {(j.source, j.external_id) for j in jobs} == demo_keys()


def test_a_user_job_with_a_demo_like_id_from_another_source_gets_no_demo_history(session):
    mine = Job(owner="user:1", source="paste", external_id="demo-003", title="My own paste", company="Acme")  # demo-003 is lever's
    session.add(mine)
    session.flush()
    load_demo(session=session, owner="user:1", force=True, now=NOW)
    assert mine.applied_at is None and mine.status == "new" and mine.fit_score is None
    demo = next(j for j in _jobs(session, "user:1") if (j.source, j.external_id) == ("lever", "demo-003"))
    assert demo.applied_at is not None


def test_job_sources_lists_the_owner_s_sources_once_each_sorted(session):
    assert job_sources(session=session, owner="user:1") == []
    session.add_all([
        Job(owner="user:1", source="paste", external_id="a", title="A"),
        Job(owner="user:1", source="greenhouse", external_id="b", title="B"),
        Job(owner="user:1", source="paste", external_id="c", title="C", status="archived"),
        Job(owner="user:2", source="mongo", external_id="d", title="D"),
    ])  # fmt: skip
    session.flush()
    assert job_sources(session=session, owner="user:1") == ["greenhouse", "paste"]
    assert job_sources(session=session, owner="user:2") == ["mongo"]
