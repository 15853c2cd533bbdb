"""The Analytics view's numbers (pipeline/store/analytics.py) shaped into what its charts and
their text alternatives show: plain functions, no state, so the shaping is unit-tested without a page.

Why every chart has a summary sentence and rows: the charts are SVG pictures; a screen reader
reads the sentence (the chart's aria-label) and the table beside it, and a new user sees a
sentence instead of empty axes."""

from __future__ import annotations

from datetime import date
from typing import Any

from pipeline.store.analytics import MIN_GROUP, MIN_OUTCOMES, STAGES, Numbers, Rate

STAGE_LABELS = {"processed": "Processed", "applied": "Applied", "responded": "Responded", "interview": "Interview", "offer": "Offer"}
# Days to the first answer, in buckets a job seeker thinks in: this week, next week, within a month, later.
DAY_BUCKETS = (("0–3", 0, 3), ("4–7", 4, 7), ("8–14", 8, 14), ("15–30", 15, 30), ("31+", 31, None))
OUTCOME_ORDER = ("no answer", "rejected", "interview", "offer")  # worst to best: the scatter's y axis, bottom up
RATE_KINDS = ("source", "fit", "template")
TOO_FEW = "too few"


def _pct(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def funnel_rows(funnel: dict[str, int]) -> list[dict[str, Any]]:
    """One row a stage: its count, its bar's width (share of the first stage) and the conversion from the stage before."""
    top = max(funnel.get("processed", 0), funnel.get("applied", 0), 1)
    rows, before = [], None
    for stage in STAGES:
        count = funnel.get(stage, 0)
        conversion = "" if before is None else (f"{_pct(count, before[1])}% of {before[0].lower()}" if before[1] else "–")
        rows.append({"stage": stage, "label": STAGE_LABELS[stage], "count": count, "width": max(_pct(count, top), 1 if count else 0),
                     "conversion": conversion})  # fmt: skip
        before = (STAGE_LABELS[stage], count)
    return rows


def funnel_summary(funnel: dict[str, int]) -> str:
    return "Funnel: " + ", ".join(f"{STAGE_LABELS[s].lower()} {funnel.get(s, 0)}" for s in STAGES) + "."


def _short_day(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%b')}"


def week_rows(weeks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The weekly bars, labelled by the week's Monday ("2 Nov")."""
    return [{"week": _short_day(w["week"]), "applied": w["applied"], "responded": w["responded"]} for w in weeks]


def weeks_summary(weeks: list[dict[str, Any]]) -> str:
    applied, responded = sum(w["applied"] for w in weeks), sum(w["responded"] for w in weeks)
    if not applied and not responded:
        return f"No applications or answers in the last {len(weeks)} weeks."
    busiest = max(weeks, key=lambda w: w["applied"])
    return (f"Last {len(weeks)} weeks: {applied} applications and {responded} answers; "
            f"most applications in the week of {_short_day(busiest['week'])} ({busiest['applied']}).")  # fmt: skip


def rate_rows(rates: list[Rate]) -> list[dict[str, Any]]:
    """Every group with its numbers; a group below MIN_GROUP applications says "too few" instead of a rate."""
    return [{"group": r.group, "applied": r.applied, "responded": r.responded, "rate": r.rate if r.rate is not None else 0,
             "label": f"{r.rate:g}%" if r.rate is not None else TOO_FEW, "too_few": r.rate is None} for r in rates]  # fmt: skip


def rate_chart(rates: list[Rate]) -> list[dict[str, Any]]:
    """Only groups with a rate get a bar: a bar for two applications would suggest a finding that is not there."""
    return [{"group": r.group, "rate": r.rate} for r in rates if r.rate is not None]


def rate_summary(what: str, rates: list[Rate]) -> str:
    shown = [r for r in rates if r.rate is not None]
    few = len(rates) - len(shown)
    if not rates:
        return f"Response rate by {what}: no applications yet."
    parts = [f"{r.group} {r.rate:g}% of {r.applied}" for r in shown]
    tail = f"{few} group(s) with fewer than {MIN_GROUP} applications not rated" if few else ""
    return f"Response rate by {what}: " + "; ".join([*parts, tail] if tail else parts) + "."


def day_histogram(days: list[int]) -> list[dict[str, Any]]:
    out = []
    for label, low, high in DAY_BUCKETS:
        out.append({"bucket": label, "count": sum(1 for d in days if d >= low and (high is None or d <= high))})
    return out


def median_label(median: float | None) -> str:
    if median is None:
        return ""
    return f"{median:g} day" + ("" if median == 1 else "s")


def days_summary(days: list[int], median: float | None) -> str:
    if not days:
        return "Days to first response: no answers yet."
    buckets = ", ".join(f"{b['bucket']} days: {b['count']}" for b in day_histogram(days) if b["count"])
    return f"Days to first response: median {median_label(median)} over {len(days)} answers ({buckets})."


def scatter_points(fit_outcomes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Points sorted by outcome, worst first, so the category axis always lists the outcomes in the same order."""
    rank = {o: i for i, o in enumerate(OUTCOME_ORDER)}
    return sorted(({"fit": p["fit"], "outcome": p["outcome"]} for p in fit_outcomes), key=lambda p: (rank.get(p["outcome"], -1), p["fit"]))


def outcome_rows(fit_outcomes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per outcome, best first: how many and their median fit (the scatter's table alternative)."""
    rows = []
    for outcome in reversed(OUTCOME_ORDER):
        fits = sorted(p["fit"] for p in fit_outcomes if p["outcome"] == outcome)
        if fits:
            mid = len(fits) // 2
            median = fits[mid] if len(fits) % 2 else (fits[mid - 1] + fits[mid]) / 2
            rows.append({"outcome": outcome, "count": len(fits), "median_fit": f"{median:g}"})
    return rows


def outcomes_note(fit_outcomes: list[dict[str, Any]], enough: bool) -> str:
    n = len(fit_outcomes)
    if enough:
        return f"Fit score against outcome: {n} outcomes. " + "; ".join(
            f"{r['outcome']}: {r['count']}, median fit {r['median_fit']}" for r in outcome_rows(fit_outcomes)) + "."
    return f"Not enough data yet — {n} of {MIN_OUTCOMES} outcomes."


def view_of(data: Numbers) -> dict[str, Any]:
    """Everything AnalyticsState holds, from one Numbers: vars by name."""
    rates = {"source": data.by_source, "fit": data.by_fit, "template": data.by_template}
    whats = {"source": "source", "fit": "fit band", "template": "CV template"}
    view: dict[str, Any] = {
        "empty": not any(data.funnel.values()),
        "funnel": funnel_rows(data.funnel),
        "funnel_summary": funnel_summary(data.funnel),
        "weeks": week_rows(data.weeks),
        "weeks_summary": weeks_summary(data.weeks),
        "weeks_empty": not any(w["applied"] or w["responded"] for w in data.weeks),
        "days": day_histogram(data.days_to_response),
        "days_median": median_label(data.median_days_to_response),
        "days_summary": days_summary(data.days_to_response, data.median_days_to_response),
        "answers": len(data.days_to_response),
        "points": scatter_points(data.fit_outcomes),
        "outcomes": outcome_rows(data.fit_outcomes),
        "outcomes_note": outcomes_note(data.fit_outcomes, data.enough_outcomes),
        "enough_outcomes": data.enough_outcomes,
    }
    for kind in RATE_KINDS:
        view[f"{kind}_rows"] = rate_rows(rates[kind])
        view[f"{kind}_chart"] = rate_chart(rates[kind])
        view[f"{kind}_summary"] = rate_summary(whats[kind], rates[kind])
    return view


__all__ = ["OUTCOME_ORDER", "RATE_KINDS", "TOO_FEW", "day_histogram", "funnel_rows", "outcome_rows", "rate_rows", "scatter_points", "view_of"]
