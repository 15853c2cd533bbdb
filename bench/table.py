"""Job table at 10,000 jobs: query medians in the store, and page round trips in a real browser.
The Board (2,000 active applications: first paint, move p95) runs after, from bench/board.py.

Also the Analytics view's numbers over the same 10,000 jobs with their history (applied and
answer dates, interviews, status events): aim < 50 ms, printed as a ratio to the aim.

Run with `make bench` (`--no-browser` for the store parts only). Prints medians and p95s; never
asserts on absolute times.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="jobapp-bench-"))
os.environ["DATA_DIR"] = str(DATA)
os.environ.pop("DB_URL", None)

from datetime import timedelta

from sqlalchemy import insert, select

from bench.browser import CLICK_UNTIL_CHANGED, summary
from pipeline.sources.demo import DEMO_DIR
from pipeline.store.analytics import numbers
from pipeline.store.db import get_engine, migrate, session_scope
from pipeline.store.jobs import JobQuery, list_jobs, normalize_company, status_counts
from pipeline.store.models import JOB_STATUSES, Interview, Job, JobEvent, utcnow
from pipeline.text.normalize import search_text

N_JOBS = 10_000
ANALYTICS_AIM_MS = 50


def seed(n: int) -> None:
    """Bulk-insert `n` postings varied from the demo set (random but seeded)."""
    rng = random.Random(42)
    demo = json.loads((DEMO_DIR / "jobs.json").read_text(encoding="utf-8"))
    now = utcnow()
    rows = []
    for i in range(n):
        d = demo[i % len(demo)]
        company = f"{d['company']} {i // len(demo)}"
        rows.append(dict(
            owner="local", source=rng.choice(["file", "paste", "mongo"]), external_id=f"bench-{i}", title=d["title"],
            company=company, company_norm=normalize_company(company), location=d["location"], url=d.get("url", ""),
            description=d["description"], search_text=search_text(d["title"], company, d["location"], d["description"]), status=rng.choice(JOB_STATUSES[:-1]), fit_score=rng.choice([None, *range(101)]),
            tags=d.get("tags", []), notes_count=0, created_at=now, updated_at=now,
        ))
    with get_engine().begin() as conn:
        for i in range(0, n, 1000):
            conn.execute(insert(Job), rows[i : i + 1000])


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def store_bench() -> None:
    print(f"\n== store: {N_JOBS:,} jobs, SQLite ==")
    plain = JobQuery(page=1, page_size=25)
    filtered = JobQuery(q="engineer python", statuses=["new", "shortlisted"], min_score=40, sort="fit_score", desc=True, page=3, page_size=25)

    def page(q: JobQuery):
        with session_scope() as s:
            list_jobs(session=s, query=q)
            status_counts(session=s, query=q)

    base = summary("unfiltered page + chip counts", timed(lambda: page(plain), 30))
    filt = summary("search+status+score filter, sort by fit, page 3", timed(lambda: page(filtered), 30))
    by_status = JobQuery(statuses=["applied"], sort="company", desc=False, page=2)
    summary("status filter, sort by company, page 2", timed(lambda: page(by_status), 30))
    print(f"filtered / unfiltered ratio: {filt / base:.2f}")


def seed_history() -> None:
    """Give the seeded jobs an application's life: past `ready` a finished run, an applied date in
    the last 10 weeks, an answer for the answered statuses, interviews, and 2-3 status events each."""
    rng = random.Random(7)
    now = utcnow()
    answered = {"interviewing", "offer", "rejected"}
    with get_engine().begin() as conn:
        jobs = conn.execute(select(Job.id, Job.status)).all()
        updates, interviews, events = [], [], []
        for job_id, status in jobs:
            row = {"id": job_id, "last_run_status": "succeeded" if status != "new" else None, "applied_at": None,
                   "responded_at": None, "layout": {"template": rng.choice(["classic", "modern", "compact"])}}
            if status in ("applied", *answered):
                applied = now - timedelta(days=rng.randint(0, 70), hours=rng.randint(0, 23))
                row["applied_at"] = applied
                if status in answered:
                    row["responded_at"] = applied + timedelta(days=rng.randint(1, 30))
                if status in ("interviewing", "offer"):
                    interviews.append({"job_id": job_id, "owner": "local", "starts_at": applied + timedelta(days=rng.randint(5, 35)),
                                       "created_at": now, "updated_at": now})
            updates.append(row)
            for k in range(rng.randint(2, 3)):
                events.append({"job_id": job_id, "kind": "status_changed", "message": f"moved to {status}", "data": {},
                               "idempotency_key": f"bench-{job_id}-{k}", "actor": "local", "created_at": now})
        for i in range(0, len(updates), 1000):
            for row in updates[i : i + 1000]:
                conn.execute(Job.__table__.update().where(Job.id == row["id"]).values({k: v for k, v in row.items() if k != "id"}))
        conn.execute(insert(Interview), interviews)
        for i in range(0, len(events), 5000):
            conn.execute(insert(JobEvent), events[i : i + 5000])


def analytics_bench() -> None:
    with session_scope() as s:
        data = numbers(session=s, now=utcnow())
    print(f"\n== analytics: {N_JOBS:,} jobs with history, SQLite ==")
    print(f"funnel {data.funnel}, {len(data.fit_outcomes)} outcomes, {len(data.days_to_response)} answers")

    def read():
        with session_scope() as s:
            numbers(session=s, now=utcnow())

    med = summary("numbers(): every figure of the Analytics view", timed(read, 30))
    print(f"analytics median / aim ({ANALYTICS_AIM_MS} ms): {med / ANALYTICS_AIM_MS:.2f}")


def browser_bench() -> None:
    from playwright.sync_api import expect, sync_playwright

    from tests.support.app_server import launch_browser, running_app

    print(f"\n== browser: click -> page updated, against the running app ({N_JOBS:,} jobs) ==")
    with running_app(DATA, env={"SEED_DEMO": "0"}) as url, sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url + "/")
        expect(page.get_by_test_id("range-label")).to_contain_text(f"of {N_JOBS}", timeout=30_000)

        def measure(click: str, watch: str, n: int = 30) -> list[float]:
            out = []
            for _ in range(n):
                out.append(page.evaluate(CLICK_UNTIL_CHANGED, [click, watch]))
                page.wait_for_timeout(50)
            return out

        summary("Next page -> range label updated", measure("[title='Next page']", "[data-testid=range-label]"))
        summary("sort by title -> first row changed", measure("[data-testid=sort-title]", "[data-testid=job-row]"))
        summary("status chip -> chip and rows updated", measure("[data-testid=chip-applied]", "[data-testid=range-label]"))
        summary("select row checkbox -> selection bar updated", measure(".row-check", "[data-testid=selected-count]"))
        browser.close()


if __name__ == "__main__":
    migrate()
    start = time.perf_counter()
    seed(N_JOBS)
    print(f"seeded {N_JOBS:,} jobs in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    seed_history()
    print(f"gave them applications, answers, interviews and events in {time.perf_counter() - start:.1f} s")
    store_bench()
    analytics_bench()
    if "--no-browser" not in sys.argv:
        browser_bench()
    # The Board with 2,000 active applications, in its own store and process (bench/board.py).
    subprocess.run([sys.executable, str(ROOT / "bench" / "board.py"), *(a for a in sys.argv[1:] if a == "--no-browser")], check=False)
