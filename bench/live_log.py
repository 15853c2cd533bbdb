"""Live log latency in a real browser: emission -> line visible, and click -> update
while three runs stream 50 lines a second each. Prints medians and p95s."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(tempfile.mkdtemp(prefix="jobapp-bench-live-"))
os.environ["DATA_DIR"] = str(DATA)
os.environ.pop("DB_URL", None)

from bench.browser import CLICK_UNTIL_CHANGED, summary

RUNS, RATE, SECONDS = 3, 50, 12
WARMUP_MS = 1500  # lines emitted before the panel follows the new runs come from history

OBSERVE = """
() => {
  window.__delays = [];
  const seen = new Set();  // first sighting only: a re-rendered window is not a new line
  const box = document.getElementById('log-view');
  new MutationObserver((muts) => {
    const now = Date.now();
    for (const m of muts) for (const n of m.addedNodes) {
      const text = n.innerText || n.textContent || '';
      const hit = /emitted_at=(\\d+\\.\\d)/.exec(text);
      if (hit && !seen.has(text)) { seen.add(text); window.__delays.push([parseFloat(hit[1]), now - parseFloat(hit[1])]); }
    }
  }).observe(box, {childList: true, subtree: true});
}
"""


def measure(data: Path, env: dict[str, str] | None = None, *, via: tuple[str, ...] = ("direct",)) -> tuple[list[float], list[float], int]:
    """Start the app on `data` (plus `env`), stream synthetic runs, and return
    (emit -> visible delays in ms, click -> table updated in ms, lines seen) of the first
    way in `via`; `measure_all` returns every way's ("direct", "nginx")."""
    return measure_all(data, env, via=via)[via[0]]


def measure_all(data: Path, env: dict[str, str] | None = None, *, via: tuple[str, ...] = ("direct",)) -> dict[str, tuple[list[float], list[float], int]]:
    """One app; the page opened directly and/or through nginx over TLS (the deploy/ block),
    one after the other, each while fresh runs stream."""
    import contextlib

    from playwright.sync_api import sync_playwright

    from tests.support.app_server import running_app

    results = {}
    with running_app(data, env={"JOBAPP_BENCH": "1", **(env or {})}) as url, sync_playwright() as p:
        from pipeline.render.browser import LAUNCH_ARGS, find_chromium
        from pipeline.store.db import session_scope
        from pipeline.store.jobs import JobQuery, list_jobs
        from tests.support.proxies import browser_args, nginx

        db_url = (env or {}).get("DB_URL") or f"sqlite:///{(data / 'jobapp.db').resolve()}"
        with session_scope(db_url) as s:
            job_ids = [r["id"] for r in list_jobs(session=s, query=JobQuery(page_size=RUNS)).rows]
        browser = p.chromium.launch(executable_path=find_chromium(), args=[*LAUNCH_ARGS, *browser_args()])
        for way in via:
            with contextlib.ExitStack() as stack:
                page_url = url if way == "direct" else stack.enter_context(nginx(data / f"nginx-{len(results)}", app_port=int(url.rsplit(":", 1)[1])))
                results[way] = _session(browser, page_url, url, job_ids)
        browser.close()
    return results


def _session(browser, page_url: str, app_url: str, job_ids: list[int]) -> tuple[list[float], list[float], int]:
    import httpx
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 900}, ignore_https_errors=True)
    page = context.new_page()
    page.goto(page_url + "/")
    expect(page.get_by_test_id("job-row").first).to_be_visible(timeout=30_000)
    page.evaluate(OBSERVE)
    start_ms = time.time() * 1000
    httpx.post(f"{app_url}/api/bench/stream", params={"jobs": ",".join(map(str, job_ids)), "rate": RATE, "seconds": SECONDS})
    page.wait_for_timeout(2500)
    clicks = []
    for _ in range(20):
        clicks.append(page.evaluate(CLICK_UNTIL_CHANGED, ["[data-testid=chip-shortlisted]", "[data-testid=range-label]"]))
        page.wait_for_timeout(200)
    page.wait_for_timeout((SECONDS + 1) * 1000 - 2500 - 20 * 250)
    samples = page.evaluate("window.__delays")
    context.close()
    if "--detail" in sys.argv:
        import statistics
        buckets: dict[int, list[float]] = {}
        for emitted, d in samples:
            buckets.setdefault(int((emitted - start_ms) // 1000), []).append(d)
        for sec, ds in sorted(buckets.items()):
            print(f"  second {sec:>2}: {len(ds):>4} lines, median {statistics.median(ds):7.1f} ms, max {max(ds):7.1f} ms")
    delays = [d for emitted, d in samples if emitted - start_ms > WARMUP_MS]
    return delays, clicks, len(samples)


def main() -> None:
    """`--proxy`: the same app measured directly and through nginx with TLS, one after the other."""
    via = ("direct", "nginx") if "--proxy" in sys.argv else ("direct",)
    results = measure_all(DATA, via=via)
    medians = {}
    for way, (delays, clicks, seen) in results.items():
        print(f"== live log ({way}): {RUNS} runs x {RATE} lines/s for {SECONDS} s; {seen} lines seen in the page ==")
        medians[way] = summary("emit -> line visible in the page", delays)
        summary("click status chip -> table updated, while streaming", clicks)
    if "nginx" in medians:
        print(f"through nginx / direct (emit -> visible median): x{medians['nginx'] / medians['direct']:.2f}")


if __name__ == "__main__":
    main()
