"""What the runs panel and live log show: plain view rows mapped from pipeline data."""

from __future__ import annotations

import dataclasses
from typing import Any

from pipeline.llm.estimate import Span, describe, money
from pipeline.llm.tracing import run_trace_url
from pipeline.runs.events import LogLine

REASONS = {
    "llm_unavailable": "The language model could not be reached (after retries).",
    "llm_auth": "The model server refused the API key: check it in Settings.",
    "llm_model_not_found": "The model server has no model by that name: pick one in Settings.",
    "context_too_long": "The posting and CV are too long for this model's context window.",
    "budget_exceeded": "Stopped: the next step would exceed this run's cost budget.",
    "timeout": "A step took too long and was stopped.",
    "invalid_input": "The posting or the master CV is missing or too short.",
    "invalid_output": "The model's answer could not be used, even after a repair attempt.",
    "cancelled": "Cancelled.",
    "interrupted": "Interrupted; it resumes when the app restarts.",
    "internal": "An internal error stopped this run.",
}
HELD = ("budget_batch", "budget_month")  # error codes of a run held by a cost cap (its message says which and why)


@dataclasses.dataclass
class RunView:
    id: int = 0
    job_id: int = 0
    batch_id: int = 0
    title: str = ""
    company: str = ""
    status: str = ""
    step: str = ""
    progress: int = 0
    elapsed: str = ""
    cost: str = ""  # spent vs estimated: "$0.004 of est. $0.003–0.006"
    reason: str = ""
    cancel_requested: bool = False
    trace_url: str = ""  # LangSmith trace of the latest attempt; "" when tracing is off


@dataclasses.dataclass
class LogView:
    key: str = ""
    run_id: int = 0
    seq: int = 0
    ts: str = ""
    level: str = "info"
    step: str = ""
    message: str = ""


def run_view(r: dict[str, Any]) -> RunView:
    """One `recent_runs` row as the panel shows it."""
    reason = REASONS.get(r["error_code"], "") if r["error_code"] else ""
    if r["error_code"] and not reason:  # a code the panel has no words for: the run's own message, never a bare "failed"
        reason = (r["error_message"] or "").strip()[:200] or "The run failed."
    elif reason and r["error_code"] != "cancelled" and r["error_message"]:
        reason = f"{reason} ({r['error_message'][:160]})"
    if r["error_code"] in HELD and r["status"] == "held":
        reason = r["error_message"] or "Held: a cost cap would be passed."
    secs = int(r["elapsed_s"])
    return RunView(
        id=r["id"], job_id=r["job_id"], batch_id=r["batch_id"], title=r["title"], company=r["company"], status=r["status"],
        step=r["step"].replace("_", " "), progress=r["progress"], elapsed=f"{secs // 60}:{secs % 60:02d}" if secs else "",
        cost=spent_vs_estimate(r.get("cost_usd") or 0.0, r.get("estimate_low_usd"), r.get("estimate_high_usd")), reason=reason,
        cancel_requested=r["cancel_requested"], trace_url=run_trace_url(r) or "",
    )


def spent_vs_estimate(spent: float, low: float | None, high: float | None) -> str:
    """"$0.004 of est. $0.003–0.006"; "est. $0.003–0.006" before anything is spent; "$0.004" with no estimate."""
    est = "" if low is None or high is None else "est. " + describe(Span(low, high))
    if not spent:
        return est
    return money(spent) + (f" of {est}" if est else "")


def batch_text(b: dict[str, Any]) -> str:
    """"batch #3: 1/2 done · $0.004 spent of est. $0.006–0.012 · 1 held"."""
    text = f"batch #{b['id']}: {b['done']}/{b['total']} done" + (f", {b['failed']} failed or cancelled" if b["failed"] else "")
    spent = b.get("spent_usd") or 0.0
    low, high = b.get("estimate_low_usd"), b.get("estimate_high_usd")
    est = "" if low is None or high is None else "est. " + describe(Span(low, high))
    if spent:
        text += f" · {money(spent)} spent" + (f" of {est}" if est else "")
    elif est:
        text += f" · {est}"
    if b.get("held"):
        text += f" · {b['held']} held (budget)"
    return text


def log_view(line: LogLine) -> LogView:
    return LogView(key=f"{line.run_id}:{line.seq}", run_id=line.run_id, seq=line.seq, ts=line.ts.strftime("%H:%M:%S.%f")[:-3],
                   level=line.level, step=line.step, message=line.message)


def finished_since(before: dict[int, str], now: dict[int, str]) -> bool:
    """A run appeared or changed state since the last look: the table's Run column and fit change.
    A run new to this loop counts too: another event (Process, follow) may have loaded it
    already finished, so this loop never saw it queued."""
    return any(before.get(rid) != status for rid, status in now.items())


def filter_lines(lines: list[LogView], *, level: str, text: str) -> list[LogView]:
    """The lines at `level` or above ("all": every line) whose message or step contains `text`."""
    if level != "all":
        order = ["debug", "info", "warning", "error"]
        floor = order.index(level)
        lines = [ln for ln in lines if ln.level in order and order.index(ln.level) >= floor]
    if text:
        needle = text.lower()
        lines = [ln for ln in lines if needle in ln.message.lower() or needle in ln.step.lower()]
    return lines
