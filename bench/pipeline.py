"""Pipeline throughput and the gain from parallel layers.

1. Offline analyst: runs per minute on one core (sequential runs, no I/O wait).
2. LLM path against the local fake server with a fixed 300 ms per call: the wall
   time of one run against the sum of its calls' latencies (what parallel
   layers save). Prints medians and ratios; asserts nothing about absolute times.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="jobapp-bench-"))

from langgraph.checkpoint.memory import InMemorySaver

from pipeline.graph.schemas import Posting
from pipeline.llm.base import Usage
from pipeline.llm.offline import OfflineAnalyst
from pipeline.llm.openai_analyst import LLMAnalyst
from pipeline.runs.events import MemorySink
from pipeline.runs.runner import run_graph
from pipeline.sources.demo import DEMO_DIR, demo_cv_markdown
from tests.support.fake_openai import FakeOpenAI

LATENCY = 0.3


def postings() -> list[Posting]:
    items = json.loads((DEMO_DIR / "jobs.json").read_text(encoding="utf-8"))
    return [Posting(title=j["title"], company=j["company"], location=j["location"], url=j.get("url", ""), description=j["description"]) for j in items]


async def one_run(analyst, posting: Posting, cv: str, run_id: int) -> dict:
    final, _ = await run_graph(
        run_id=run_id, sink=MemorySink(run_id), checkpointer=InMemorySaver(),
        inputs={"posting": posting.model_dump(), "cv_markdown": cv}, out_dir=None, analyst=analyst,
    )
    return final


def offline_bench(cv: str) -> None:
    print("== offline analyst: sequential full runs (graph + checkpoints in memory, no files) ==")
    jobs = postings()

    async def go():
        times = []
        for i, p in enumerate(jobs * 2):
            start = time.perf_counter()
            await one_run(OfflineAnalyst(), p, cv, i + 1)
            times.append(time.perf_counter() - start)
        return times

    times = asyncio.run(go())
    med = statistics.median(times)
    print(f"runs: {len(times)}   median {med * 1000:.0f} ms   p95 {sorted(times)[int(len(times) * 0.95) - 1] * 1000:.0f} ms")
    print(f"offline runs per minute (one core): {60 / statistics.mean(times):.0f}")


def llm_bench(cv: str) -> None:
    print(f"\n== LLM path via ChatOpenAI against the local server, {LATENCY * 1000:.0f} ms per call ==")
    posting = postings()[0]
    walls, sums = [], []
    with FakeOpenAI(latency=LATENCY) as server:
        for i in range(5):
            before = len(server.requests)
            analyst = LLMAnalyst(model="gpt-4o-mini", api_key="bench-key", base_url=server.base_url, usage=Usage(), timeout=30, max_retries=0)
            start = time.perf_counter()
            asyncio.run(one_run(analyst, posting, cv, 1000 + i))
            walls.append(time.perf_counter() - start)
            calls = server.requests[before:]
            sums.append(sum(r.finished - r.started for r in calls))
    wall, total = statistics.median(walls), statistics.median(sums)
    print(f"calls per run: {len(calls)}   median wall {wall:.2f} s   median sum of call latencies {total:.2f} s")
    print(f"wall / sum of latencies: {wall / total:.2f}  (1.00 would be fully sequential; parallel layers save {total - wall:.2f} s a run)")


if __name__ == "__main__":
    cv = demo_cv_markdown()
    offline_bench(cv)
    llm_bench(cv)
