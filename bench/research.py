"""Web research: what 20 jobs at 3 companies cost on the web and in wall time (issue 18).

Each company is a local threaded web server (tests/support/web_pages.WebServer) with the
realistic site of tests/support/company_site.py (home, about, leadership, team, news,
careers, a robots.txt that disallows the blog), renamed per company, answering every page and
robots.txt after LATENCY seconds. The 20 postings (7, 7 and 6 a company) link to their
company's careers pages. Each job is one full offline pipeline run (run_graph, the offline
analyst: research and people read the site), one after another, with the in-memory read of a
run cleared in between, as separate worker processes would see it.

Three passes over the same 20 jobs, each with a fresh page cache:
  off       WEB_RESEARCH off: research and people read the posting only
  no cache  research on, WEB_CACHE_DAYS=0: every run reads its company's site
  cache     research on, WEB_CACHE_DAYS=7: the store's page cache (pipeline/web/cache.py)

Prints the requests the servers answered, the cache hits, facts and named contacts found, and
the median wall time per run with the ratio to "off". Never asserts on absolute times.

    .venv/bin/python bench/research.py [--latency 0.1] [--interval 0.0]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="jobapp-bench-"))
os.environ["DATA_DIR"] = str(DATA)
os.environ.pop("DB_URL", None)
os.environ["ALLOW_PRIVATE_FETCH"] = "1"  # the companies are local servers
os.environ.pop("FIRECRAWL_API_KEY", None)  # the site read only: no web search provider
os.environ.pop("SEARXNG_URL", None)

from langgraph.checkpoint.memory import InMemorySaver
from sqlalchemy import delete

from pipeline.graph.schemas import Posting
from pipeline.llm.offline import OfflineAnalyst
from pipeline.runs.events import MemorySink
from pipeline.runs.runner import run_graph
from pipeline.sources.demo import demo_cv_markdown
from pipeline.store.db import migrate, session_scope
from pipeline.store.models import WebPage
from pipeline.web import site
from tests.support.company_site import routes
from tests.support.web_pages import Route, WebServer

COMPANIES = [("Northwind Health", "Northwind"), ("Calder Robotics", "Calder"), ("Fjord Analytics", "Fjord")]
JOBS_PER_COMPANY = (7, 7, 6)
TITLES = ["Senior Data Engineer", "Backend Engineer", "Product Manager", "Data Analyst", "Platform Engineer", "UX Researcher", "Engineering Manager"]

DESCRIPTION = """{title}

About us
{company} builds products people rely on every day.

What you will do
- Build and run Airflow pipelines over PostgreSQL
- Work with product and design on the next release

What you bring
- 5+ years of Python and SQL
- Experience with dbt
"""


def company_routes(name: str, short: str, latency: float) -> dict[str, Route]:
    """The test company's site under another name, every page (robots.txt too) after `latency` seconds."""
    out = {}
    for path, r in routes().items():
        body = r.body if isinstance(r.body, str) else r.body.decode("utf-8")
        body = body.replace("Northwind Health", name).replace("Northwind", short).replace("northwind", short.lower())
        out[path] = Route(body, status=r.status, content_type=r.content_type, delay=latency)
    return out


@dataclass
class Pass:
    name: str
    walls: list[float] = field(default_factory=list)
    requests: int = 0
    hits: int = 0
    reads: int = 0
    facts: int = 0
    named: int = 0


def postings(servers: list[WebServer]) -> list[Posting]:
    out = []
    for (name, _), web, n in zip(COMPANIES, servers, JOBS_PER_COMPANY, strict=True):
        for i in range(n):
            title = TITLES[i % len(TITLES)]
            out.append(Posting(title=title, company=name, location="Leeds", url=web.url(f"/careers/job-{i}"), description=DESCRIPTION.format(title=title, company=name)))
    return out


def one_pass(name: str, jobs: list[Posting], servers: list[WebServer], cv: str, *, research: bool, cache_days: int) -> Pass:
    os.environ["WEB_CACHE_DAYS"] = str(cache_days)
    with session_scope() as s:  # a cold page cache for every pass
        s.exec(delete(WebPage))
    before = sum(len(w.requests) for w in servers)
    result = Pass(name)
    real_read = site.read_site

    def counted(start_url, budget=None):
        read = real_read(start_url, budget)
        result.reads += 1
        result.hits += read.cache_hits
        return read

    site.read_site = counted
    try:
        for i, posting in enumerate(jobs):
            site.clear_cache()  # each run on its own, as in separate worker processes
            analyst = OfflineAnalyst()
            analyst.web_research = research  # type: ignore[attr-defined]
            start = time.perf_counter()
            final, _ = asyncio.run(
                run_graph(
                    run_id=i + 1, sink=MemorySink(i + 1), checkpointer=InMemorySaver(),
                    inputs={"posting": posting.model_dump(), "cv_markdown": cv}, out_dir=None, analyst=analyst,
                )
            )  # fmt: skip
            result.walls.append(time.perf_counter() - start)
            facts = (final.get("research") or {}).get("facts") or []
            result.facts += sum(1 for f in facts if (f.get("source_url") or "").startswith("http"))
            contacts = (final.get("people") or {}).get("contacts") or []
            result.named += sum(1 for c in contacts if c.get("name"))
    finally:
        site.read_site = real_read
    result.requests = sum(len(w.requests) for w in servers) - before
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--latency", type=float, default=0.1, help="seconds each page (and robots.txt) takes to answer")
    ap.add_argument("--interval", type=float, default=0.0, help="politeness: seconds between two requests to one host (the app's default is 1.0)")
    args = ap.parse_args()
    site.MIN_INTERVAL = args.interval
    migrate()
    cv = demo_cv_markdown()
    with WebServer(company_routes(*COMPANIES[0], args.latency)) as a, WebServer(company_routes(*COMPANIES[1], args.latency)) as b, WebServer(company_routes(*COMPANIES[2], args.latency)) as c:
        servers = [a, b, c]
        jobs = postings(servers)
        print(f"== web research: {len(jobs)} jobs at {len(COMPANIES)} companies, local sites with {args.latency * 1000:.0f} ms a page, "
              f"{args.interval:g} s between requests to one host; one offline pipeline run a job, one after another ==")  # fmt: skip
        one_pass("warm-up", jobs[:2], servers, cv, research=False, cache_days=0)  # imports, first graph compile
        passes = [
            one_pass("off", jobs, servers, cv, research=False, cache_days=7),
            one_pass("no cache", jobs, servers, cv, research=True, cache_days=0),
            one_pass("cache", jobs, servers, cv, research=True, cache_days=7),
        ]
    base = statistics.median(passes[0].walls)
    print(f"{'research':<10} {'web requests':>12} {'cache hits':>10} {'site facts':>10} {'named':>6} {'median/run':>11} {'p95/run':>8} {'total':>7} {'vs off':>7}")
    for p in passes:
        med = statistics.median(p.walls)
        p95 = sorted(p.walls)[max(0, int(len(p.walls) * 0.95) - 1)]
        print(f"{p.name:<10} {p.requests:>12} {p.hits:>10} {p.facts:>10} {p.named:>6} {med * 1000:>9.0f} ms {p95 * 1000:>5.0f} ms {sum(p.walls):>5.1f} s {med / base:>6.2f}x")
    cached = passes[2]
    first_at = {sum(JOBS_PER_COMPANY[:k]) for k in range(len(JOBS_PER_COMPANY))}  # each company's first job
    firsts = [w for i, w in enumerate(cached.walls) if i in first_at]
    rest = [w for i, w in enumerate(cached.walls) if i not in first_at]
    print(f"cache: first run at each company (reads the site) median {statistics.median(firsts) * 1000:.0f} ms; "
          f"the other {len(rest)} runs (site from the cache) median {statistics.median(rest) * 1000:.0f} ms")  # fmt: skip
    per_site = passes[1].requests / len(jobs)
    print(f"requests per company site read: {per_site:.0f} (robots.txt + pages); with the cache {cached.requests} requests for "
          f"{len(jobs)} jobs instead of {passes[1].requests} ({cached.hits} answered from the store)")  # fmt: skip


if __name__ == "__main__":
    main()
