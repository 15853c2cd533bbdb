"""Find matches: ranking across professions, batches with per-title progress and failures, owner scoping, the CLI."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlmodel import Session, select

from pipeline.matching import batch as batch_mod
from pipeline.matching import batch_progress, combined_results, run_match_batch, start_match_batch, suggested_titles
from pipeline.matching.scoring import FIT_CACHE, MatchError, query_tokens, title_score
from pipeline.settings import PROJECT_ROOT
from pipeline.sources.base import JobIn, ParseResult
from pipeline.store.db import session_scope
from pipeline.store.jobs import archive_jobs, upsert_jobs
from pipeline.store.models import Batch, MatchQuery, MatchResult, Profile, utcnow

FIX = PROJECT_ROOT / "tests" / "fixtures" / "analyst"
DEMO_JOBS = json.loads((PROJECT_ROOT / "pipeline" / "sources" / "demo_data" / "jobs.json").read_text(encoding="utf-8"))
CV = {name: (FIX / f"{name}_cv.md").read_text(encoding="utf-8") for name in ("nurse", "engineer", "teacher")}
NURSE_TITLES = [{"title": "Registered Nurse", "reason": "7 years in intensive care"}, {"title": "Critical Care Nurse", "reason": "ICU"}]
ENGINEER_TITLES = [{"title": "Backend Engineer", "reason": "Python services"}, {"title": "Data Engineer", "reason": "pipelines"}]


def is_nursing(title: str) -> bool:
    return "nurse" in title.lower()


def is_engineering(title: str) -> bool:
    return any(w in title.lower() for w in ("engineer", "entwickler", "developer"))


def load_demo(s: Session, owner: str) -> dict[str, int]:
    """The 30 demo postings (nurses, engineers, teachers, accountants, ...) for `owner`; title -> job id."""
    rows = [
        (i, JobIn(source="file", external_id=f"demo-{i}", title=d["title"], company=d["company"], location=d.get("location", ""), description=d["description"]))
        for i, d in enumerate(DEMO_JOBS)
    ]
    summary = upsert_jobs(session=s, parsed=ParseResult(rows=rows), owner=owner)
    return {d["title"]: jid for d, jid in zip(DEMO_JOBS, summary.job_ids, strict=True)}


def add_profile(s: Session, owner: str, cv: str, titles: list[dict], confirmed: bool = True) -> None:
    s.add(Profile(owner=owner, markdown=cv, suggested_titles=titles, confirmed_at=utcnow() if confirmed else None))
    s.flush()


def start(url: str, owner: str, titles: list[str]) -> int:
    with session_scope(url) as s:
        return start_match_batch(session=s, owner=owner, titles=titles)


def results(url: str, owner: str, batch_id: int) -> list[dict]:
    with session_scope(url) as s:
        return combined_results(session=s, owner=owner, batch_id=batch_id)


def progress(url: str, owner: str, batch_id: int) -> dict:
    with session_scope(url) as s:
        return batch_progress(session=s, owner=owner, batch_id=batch_id)


@pytest.fixture(autouse=True)
def _cold_fit_cache():
    FIT_CACHE.clear()


# --- ranking across professions ---------------------------------------------------


@pytest.mark.parametrize(
    ("cv", "titles", "belongs"),
    [("nurse", NURSE_TITLES, is_nursing), ("engineer", ENGINEER_TITLES, is_engineering)],
)
def test_profile_suggested_titles_rank_its_profession_first(db_url, cv, titles, belongs):
    with session_scope(db_url) as s:
        load_demo(s, "local")
        add_profile(s, "local", CV[cv], titles)
        chosen = suggested_titles(session=s, owner="local")
    assert chosen == [t["title"] for t in titles]
    batch_id = start(db_url, "local", chosen)
    final = asyncio.run(run_match_batch(batch_id, db_url=db_url))
    assert final["finished"] and final["done"] == len(chosen) and final["failed"] == 0
    rows = results(db_url, "local", batch_id)
    assert len(rows) >= 3
    assert all(belongs(r["title"]) for r in rows[:3]), [r["title"] for r in rows[:5]]
    assert not any(belongs(r["title"]) for r in rows if r["score"] < 0)
    top = rows[0]
    assert 0 <= top["score"] <= 100 and 0 < top["title_score"] <= 1 and 0 <= top["match_fit"] <= 100
    assert 2 <= len(top["reasons"]) <= 3 and top["reasons"][0].startswith("title ")
    assert any("must-have skills" in r for r in top["reasons"])
    assert {"id", "title", "company", "location", "status", "fit_score", "last_run_status"} <= set(top)


def test_the_same_titles_rank_by_profile_fit(db_url):
    """Both professions searched at once: the profile, not the title list, decides who comes first."""
    both = ["Registered Nurse", "Backend Engineer"]
    firsts = {}
    for owner, cv in (("user:1", "nurse"), ("user:2", "engineer")):
        with session_scope(db_url) as s:
            load_demo(s, owner)
            add_profile(s, owner, CV[cv], [])
        batch_id = start(db_url, owner, both)
        asyncio.run(run_match_batch(batch_id, db_url=db_url))
        firsts[cv] = [r["title"] for r in results(db_url, owner, batch_id)[:2]]
    assert all(is_nursing(t) for t in firsts["nurse"]), firsts
    assert all(is_engineering(t) for t in firsts["engineer"]), firsts


def test_title_similarity_ignores_seniority_and_knows_synonyms():
    backend = query_tokens("Backend Engineer")
    assert title_score(backend, "Senior Backend Developer") == title_score(backend, "Backend Engineer") == 1.0
    assert title_score(backend, "Backend-Entwickler:in (Python)") > 0.85
    assert title_score(backend, "Pastry Chef") == 0.0
    rn = query_tokens("RN")
    assert title_score(rn, "Registered Nurse") == 1.0
    assert title_score(query_tokens("Registered Nurse"), "RN - ICU") > 0.85
    with pytest.raises(MatchError, match="no words to search for"):
        query_tokens("Senior")


def test_combined_results_deduplicate_jobs_across_titles(db_url):
    with session_scope(db_url) as s:
        ids = load_demo(s, "local")
        add_profile(s, "local", CV["engineer"], [])
    batch_id = start(db_url, "local", ["Backend Engineer", "Python Developer", "backend engineer"])
    asyncio.run(run_match_batch(batch_id, db_url=db_url))
    with session_scope(db_url) as s:
        assert s.get(Batch, batch_id).total == 2  # the case-insensitive duplicate title is dropped
        per_query = s.exec(select(MatchResult.job_id).where(MatchResult.batch_id == batch_id)).all()
    rows = results(db_url, "local", batch_id)
    assert len({r["id"] for r in rows}) == len(rows) < len(per_query)
    backend = next(r for r in rows if r["id"] == ids["Senior Backend Engineer (Python)"])
    assert backend["matched_titles"] == ["Backend Engineer", "Python Developer"]
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_archived_and_other_owners_jobs_never_match(db_url):
    with session_scope(db_url) as s:
        ids = load_demo(s, "user:1")
        load_demo(s, "user:2")
        add_profile(s, "user:1", CV["nurse"], [])
        archive_jobs(session=s, job_ids=[ids["Registered Nurse — Intensive Care Unit"]], key="k", owner="user:1")
    batch_id = start(db_url, "user:1", ["Registered Nurse"])
    asyncio.run(run_match_batch(batch_id, db_url=db_url))
    rows = results(db_url, "user:1", batch_id)
    assert rows and ids["Registered Nurse — Intensive Care Unit"] not in {r["id"] for r in rows}
    assert {r["id"] for r in rows} <= set(ids.values())
    with pytest.raises(LookupError):
        progress(db_url, "user:2", batch_id)
    with pytest.raises(LookupError):
        results(db_url, "user:2", batch_id)


def test_without_a_confirmed_profile_titles_alone_rank(db_url):
    with session_scope(db_url) as s:
        load_demo(s, "local")
        add_profile(s, "local", CV["engineer"], ENGINEER_TITLES, confirmed=False)
        assert suggested_titles(session=s, owner="local") == []  # a draft upload is not the user's profile yet
    batch_id = start(db_url, "local", ["Nurse"])
    asyncio.run(run_match_batch(batch_id, db_url=db_url))
    rows = results(db_url, "local", batch_id)
    assert rows and all(is_nursing(r["title"]) for r in rows)
    assert "no confirmed profile: ranked by title only" in rows[0]["reasons"]


# --- the batch --------------------------------------------------------------------


def test_one_failing_title_does_not_stop_the_others(db_url, monkeypatch):
    with session_scope(db_url) as s:
        load_demo(s, "local")
        add_profile(s, "local", CV["nurse"], [])
    real = batch_mod.rank_title

    def flaky(*, session, owner, title, cv_markdown, **kw):
        if title == "Boom Nurse":
            raise RuntimeError("disk on fire at /secret/path")
        return real(session=session, owner=owner, title=title, cv_markdown=cv_markdown, **kw)

    monkeypatch.setattr(batch_mod, "rank_title", flaky)
    batch_id = start(db_url, "local", ["Registered Nurse", "Boom Nurse", "Senior", "Teacher"])
    final = asyncio.run(run_match_batch(batch_id, concurrency=2, db_url=db_url))
    by_title = {q["title"]: q for q in final["queries"]}
    assert by_title["Registered Nurse"]["status"] == "succeeded" and by_title["Registered Nurse"]["results_count"] > 0
    assert by_title["Teacher"]["status"] == "succeeded"
    boom = by_title["Boom Nurse"]
    assert boom["status"] == "failed" and "internal error" in boom["error"] and "secret" not in boom["error"]
    assert by_title["Senior"]["status"] == "failed" and "add the job's name" in by_title["Senior"]["error"]
    assert final["finished"] and final["finished_at"] and (final["done"], final["failed"]) == (2, 2)
    with session_scope(db_url) as s:
        b = s.get(Batch, batch_id)
        assert (b.done, b.failed, b.kind) == (2, 2, "match") and b.finished_at is not None
    assert results(db_url, "local", batch_id)


def test_progress_shows_each_title_running_and_concurrency_is_bounded(default_store, monkeypatch):
    """A poller sees queued -> running -> succeeded per title; never more than `concurrency` at once."""
    with session_scope() as s:
        load_demo(s, "local")
    release = threading.Event()
    lock = threading.Lock()
    state = {"now": 0, "max": 0}
    real = batch_mod.rank_title

    def gated(**kw):
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        try:
            assert release.wait(10), "test never released the search"
            return real(**kw)
        finally:
            with lock:
                state["now"] -= 1

    monkeypatch.setattr(batch_mod, "rank_title", gated)
    batch_id = start(None, "local", ["Nurse", "Engineer", "Teacher"])
    assert [q["status"] for q in progress(None, "local", batch_id)["queries"]] == ["queued"] * 3

    async def scenario() -> dict:
        task = asyncio.create_task(run_match_batch(batch_id, concurrency=2))
        seen_running = None
        for _ in range(500):  # poll like the page does, until two titles are running
            p = await asyncio.to_thread(progress, None, "local", batch_id)
            if p["running"] == 2:
                seen_running = p
                break
            await asyncio.sleep(0.01)
        release.set()
        return {"running": seen_running, "final": await task}

    out = asyncio.run(scenario())
    assert out["running"] is not None and out["running"]["queued"] == 1 and not out["running"]["finished"]
    assert state["max"] == 2
    assert out["final"]["done"] == 3 and out["final"]["finished"]


def test_running_a_batch_again_finishes_only_what_is_unfinished(db_url):
    with session_scope(db_url) as s:
        load_demo(s, "local")
        add_profile(s, "local", CV["teacher"], [])
    batch_id = start(db_url, "local", ["Mathematics Teacher", "Nurse"])
    asyncio.run(run_match_batch(batch_id, db_url=db_url))
    with session_scope(db_url) as s:  # as if the process died while "Nurse" was running
        q = s.exec(select(MatchQuery).where(MatchQuery.batch_id == batch_id, MatchQuery.title == "Nurse")).one()
        q.status, q.finished_at = "running", None
        s.get(Batch, batch_id).finished_at = None
        s.get(Batch, batch_id).done = 1
        before = len(s.exec(select(MatchResult).where(MatchResult.batch_id == batch_id)).all())
    final = asyncio.run(run_match_batch(batch_id, db_url=db_url))
    with session_scope(db_url) as s:
        after = len(s.exec(select(MatchResult).where(MatchResult.batch_id == batch_id)).all())
    assert after == before and final["done"] == 2 and final["finished"]


def test_start_refuses_unsearchable_input(db_url):
    with session_scope(db_url) as s:
        with pytest.raises(ValueError, match="at least one job title"):
            start_match_batch(session=s, owner="local", titles=["  ", ""])
        with pytest.raises(ValueError, match="at most 10"):
            start_match_batch(session=s, owner="local", titles=[f"Title {i}" for i in range(11)])
        with pytest.raises(ValueError, match="limited to 300"):
            start_match_batch(session=s, owner="local", titles=["x" * 301])


# --- CLI --------------------------------------------------------------------------


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DB_URL", "MONGODB_URI", "REDIS_URL")}
    env["DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "pipeline", *args], check=False, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)


