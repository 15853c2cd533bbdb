"""Helpers shared by the browser benchmarks."""

from __future__ import annotations

import statistics

# Click in the page and resolve when the watched element's text changes, timed
# with performance.now() inside the browser so harness polling adds nothing.
CLICK_UNTIL_CHANGED = """
async ([clickSel, watchSel]) => {
  const watched = document.querySelector(watchSel);
  const before = watched.innerText;
  const t0 = performance.now();
  const done = new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      if (document.querySelector(watchSel).innerText !== before) { obs.disconnect(); resolve(performance.now() - t0); }
    });
    obs.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
  });
  document.querySelector(clickSel).click();
  return await done;
}
"""


def summary(name: str, samples: list[float], unit: str = "ms") -> float:
    med = statistics.median(samples)
    p95 = sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]
    print(f"{name:<56} median {med:7.1f} {unit}   p95 {p95:7.1f} {unit}   (n={len(samples)})")
    return med
