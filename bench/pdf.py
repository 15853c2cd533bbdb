"""CV.pdf rendering: warm browser vs cold start vs a fresh browser per document.

Run with `.venv/bin/python bench/pdf.py`. Renders the demo master CV through
render_markdown + cv_document. Prints medians, p95s and ratios; never asserts
on absolute times (they depend on the machine and its load).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import summary
from pipeline.render.markdown import render_markdown
from pipeline.render.pdf import PdfRenderer
from pipeline.render.templates import cv_document

WARM_RENDERS = 30
COLD_STARTS = 5
THROUGHPUT_DOCS = 40
FRESH_DOCS = 10


def cv_html() -> str:
    md = (ROOT / "pipeline" / "sources" / "demo_data" / "master_cv.md").read_text(encoding="utf-8")
    return cv_document(render_markdown(md), template="classic", page_size="A4", title="CV")


async def cold_start(html: str) -> tuple[list[float], list[float]]:
    """Launch + first render, with a new renderer each time."""
    launch, first = [], []
    for _ in range(COLD_STARTS):
        renderer = PdfRenderer()
        t0 = time.perf_counter()
        await renderer.start()
        t1 = time.perf_counter()
        await renderer.render(html)
        t2 = time.perf_counter()
        await renderer.close()
        launch.append((t1 - t0) * 1000)
        first.append((t2 - t0) * 1000)
    return launch, first


async def warm(html: str) -> tuple[list[float], int]:
    renderer = PdfRenderer()
    await renderer.render(html)  # warm-up, not timed
    samples, pages = [], 0
    for _ in range(WARM_RENDERS):
        t0 = time.perf_counter()
        pages = (await renderer.render(html)).pages
        samples.append((time.perf_counter() - t0) * 1000)
    assert renderer.launches == 1, "the warm browser was relaunched"
    await renderer.close()
    return samples, pages


async def throughput(html: str, bound: int) -> tuple[float, list[float]]:
    """THROUGHPUT_DOCS documents at once through the semaphore: PDFs per minute."""
    renderer = PdfRenderer(max_concurrent=bound)
    await renderer.render(html)
    t0 = time.perf_counter()
    results = await asyncio.gather(*(renderer.render(html) for _ in range(THROUGHPUT_DOCS)))
    wall = time.perf_counter() - t0
    await renderer.close()
    return THROUGHPUT_DOCS / wall * 60, [r.seconds * 1000 for r in results]


async def fresh_per_document(html: str) -> list[float]:
    """The naive way: launch, render, close for every document."""
    samples = []
    for _ in range(FRESH_DOCS):
        t0 = time.perf_counter()
        renderer = PdfRenderer(max_concurrent=1)
        await renderer.render(html)
        await renderer.close()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


async def main() -> None:
    html = cv_html()
    print(f"== CV.pdf: demo master CV, classic A4; {os.cpu_count()} CPUs; Chromium reused unless noted ==")

    launch, first = await cold_start(html)
    summary("cold start: launch only", launch)
    summary("cold start: launch + first render", first)

    samples, pages = await warm(html)
    warm_med = summary(f"warm browser: one CV.pdf ({pages} pages), sequential", samples)

    fresh = await fresh_per_document(html)
    fresh_med = summary("fresh browser per document (launch+render+close)", fresh)
    print(f"fresh-per-document / warm median ratio: {fresh_med / warm_med:.1f}x")

    print(f"\n== throughput: {THROUGHPUT_DOCS} CVs submitted at once (asyncio.gather) ==")
    for bound in (1, 2, 4):
        per_minute, latencies = await throughput(html, bound)
        print(f"max_concurrent={bound}: {per_minute:6.0f} PDFs/minute")
        summary(f"  render time per document, after queueing (bound {bound})", latencies)
    print(f"sequential warm equivalent: {60_000 / warm_med:6.0f} PDFs/minute; fresh browser each: {60_000 / fresh_med:6.0f}")


if __name__ == "__main__":
    asyncio.run(main())
