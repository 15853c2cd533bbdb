"""Find matches at 10,000 jobs x 5 titles: batch wall time cold and warm, one title, the combined list.

Run with `.venv/bin/python bench/match.py`. Prints medians and p95s; never asserts on absolute times.
"Cold" clears the fit cache and the analyst's posting cache first, so every candidate's posting is
read and fitted again; "warm" is a repeated search (the page's second "Find matches").
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="jobapp-bench-"))
os.environ["DATA_DIR"] = str(DATA)
os.environ.pop("DB_URL", None)

from sqlalchemy import insert

from bench.browser import summary
from pipeline.matching import combined_results, rank_title, run_match_batch, start_match_batch
from pipeline.matching.scoring import FIT_CACHE
from pipeline.sources.demo import DEMO_DIR
from pipeline.store.db import get_engine, migrate, session_scope
from pipeline.store.jobs import normalize_company
from pipeline.store.models import JOB_STATUSES, Job, Profile, utcnow
from pipeline.text.normalize import search_text
from pipeline.text.posting import analyse

N_JOBS = 10_000
TITLES = ["Backend Engineer", "Data Engineer", "Registered Nurse", "Mathematics Teacher", "Financial Analyst"]
OWNER = "local"


def seed(n: int) -> None:
    """`n` postings varied from the demo set: each description gets its own line, so no two are the same text."""
    rng = random.Random(7)
    demo = json.loads((DEMO_DIR / "jobs.json").read_text(encoding="utf-8"))
    now = utcnow()
    rows = []
    for i in range(n):
        d = demo[i % len(demo)]
        company = f"{d['company']} {i // len(demo)}"
        desc = d["description"] + f"\n\nReference {i}: team {rng.randint(1, 99)}, site {rng.choice(['north', 'south', 'east', 'west'])}."
        rows.append(dict(
            owner=OWNER, source="file", external_id=f"bench-{i}", title=d["title"], company=company, company_norm=normalize_company(company),
            location=d["location"], url=d.get("url", ""), description=desc, search_text=search_text(d["title"], company, d["location"], desc),
            status=rng.choice(JOB_STATUSES[:-1]), tags=[], notes_count=0, created_at=now, updated_at=now,
        ))  # fmt: skip
    with get_engine().begin() as conn:
        for i in range(0, n, 1000):
            conn.execute(insert(Job), rows[i : i + 1000])
    cv = (ROOT / "tests" / "fixtures" / "analyst" / "engineer_cv.md").read_text(encoding="utf-8")
    with session_scope() as s:
        s.add(Profile(owner=OWNER, markdown=cv, confirmed_at=now))


def cold() -> None:
    FIT_CACHE.clear()
    analyse.cache_clear()


def one_batch() -> float:
    start = time.perf_counter()
    with session_scope() as s:
        batch_id = start_match_batch(session=s, owner=OWNER, titles=TITLES)
    final = asyncio.run(run_match_batch(batch_id))
    assert final["done"] == len(TITLES), final
    took = (time.perf_counter() - start) * 1000
    one_batch.last = batch_id  # type: ignore[attr-defined]
    return took


def bench() -> None:
    cv = (ROOT / "tests" / "fixtures" / "analyst" / "engineer_cv.md").read_text(encoding="utf-8")
    print(f"\n== find matches: {N_JOBS:,} jobs x {len(TITLES)} titles, SQLite ==")
    cold_runs = []
    for _ in range(3):
        cold()
        cold_runs.append(one_batch())
    summary("batch of 5 titles, cold (every posting read again)", cold_runs)
    summary("batch of 5 titles, warm (repeat search)", [one_batch() for _ in range(5)])

    def rank(title: str) -> float:
        start = time.perf_counter()
        with session_scope() as s:
            rank_title(session=s, owner=OWNER, title=title, cv_markdown=cv)
        return (time.perf_counter() - start) * 1000

    cold_one = []
    for _ in range(5):
        cold()
        cold_one.append(rank("Backend Engineer"))
    summary("one title ('Backend Engineer'), cold", cold_one)
    summary("one title ('Backend Engineer'), warm", [rank("Backend Engineer") for _ in range(10)])
    summary("one title ('Nurse', no fit for most), warm", [rank("Nurse") for _ in range(10)])

    def combined() -> float:
        start = time.perf_counter()
        with session_scope() as s:
            rows = combined_results(session=s, owner=OWNER, batch_id=one_batch.last)  # type: ignore[attr-defined]
        assert rows
        return (time.perf_counter() - start) * 1000

    summary("combined, de-duplicated results (poll)", [combined() for _ in range(20)])


if __name__ == "__main__":
    migrate()
    start = time.perf_counter()
    seed(N_JOBS)
    print(f"seeded {N_JOBS:,} jobs in {time.perf_counter() - start:.1f} s")
    bench()
