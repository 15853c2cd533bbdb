"""The Analytics view's shaping (jobapp/state/analytics_views.py): a seeded store's numbers become
the funnel rows, chart data and the sentences screen readers hear; an empty store and fewer than
ten outcomes say so instead of drawing empty charts."""

from __future__ import annotations

from jobapp.state.analytics_views import day_histogram, funnel_rows, outcome_rows, rate_rows, scatter_points, view_of
from pipeline.store.analytics import Numbers, Rate, numbers
from tests.unit.test_analytics import NOW, _add


def _seed(session) -> None:
    _add(session, 4, source="linkedin", fit=90, applied_days_ago=3, answered_after=2, status="interviewing", interview=True, template="modern")
    _add(session, 2, source="linkedin", fit=72, applied_days_ago=10, answered_after=6, status="offer", template="modern")
    _add(session, 3, source="file", fit=55, applied_days_ago=20, answered_after=10, status="rejected")
    _add(session, 5, source="file", fit=40, applied_days_ago=40)
    _add(session, 1, source="paste", fit=88, applied_days_ago=1)
    _add(session, 6, source="demo", fit=60, status="ready")


def test_a_seeded_store_becomes_funnel_charts_and_sentences(session):
    _seed(session)
    view = view_of(numbers(session=session, now=NOW))
    assert not view["empty"]
    assert [(r["label"], r["count"], r["conversion"]) for r in view["funnel"]] == [
        ("Processed", 21, ""), ("Applied", 15, "71% of processed"), ("Responded", 9, "60% of applied"),
        ("Interview", 6, "67% of responded"), ("Offer", 2, "33% of interview")]  # fmt: skip
    assert view["funnel"][0]["width"] == 100 and view["funnel"][-1]["width"] == 10
    assert view["funnel_summary"] == "Funnel: processed 21, applied 15, responded 9, interview 6, offer 2."
    assert len(view["weeks"]) == 8 and view["weeks"][-1] == {"week": "30 Nov", "applied": 0, "responded": 0}
    assert view["weeks_summary"].startswith("Last 8 weeks: 15 applications and 9 answers;") and not view["weeks_empty"]
    assert {r["group"]: r["label"] for r in view["source_rows"]} == {"linkedin": "100%", "file": "37.5%", "paste": "too few"}
    assert view["source_chart"] == [{"group": "file", "rate": 37.5}, {"group": "linkedin", "rate": 100.0}]  # most applications first; no bar for "too few"
    assert "1 group(s) with fewer than 3 applications not rated" in view["source_summary"]
    assert [r["group"] for r in view["fit_chart"]] == ["85–100", "50–69", "0–49"]
    assert view["template_chart"] == [{"group": "classic", "rate": 33.3}, {"group": "modern", "rate": 100.0}]
    assert view["days"] == [{"bucket": "0–3", "count": 4}, {"bucket": "4–7", "count": 2}, {"bucket": "8–14", "count": 3},
                            {"bucket": "15–30", "count": 0}, {"bucket": "31+", "count": 0}]  # fmt: skip
    assert view["days_median"] == "6 days" and view["answers"] == 9 and "median 6 days over 9 answers" in view["days_summary"]
    assert view["enough_outcomes"] and len(view["points"]) == 14
    assert [p["outcome"] for p in view["points"]][:5] == ["no answer"] * 5 and view["points"][-1]["outcome"] == "offer"
    assert view["outcomes"][0] == {"outcome": "offer", "count": 2, "median_fit": "72"}
    assert view["outcomes_note"].startswith("Fit score against outcome: 14 outcomes. offer: 2, median fit 72;")


def test_an_empty_store_is_an_empty_view_with_words(session):
    view = view_of(numbers(session=session, now=NOW))
    assert view["empty"] and view["weeks_empty"] and view["answers"] == 0 and view["days_median"] == ""
    assert [r["count"] for r in view["funnel"]] == [0] * 5 and all(r["width"] == 0 for r in view["funnel"])
    assert view["funnel"][1]["conversion"] == "–"  # no "0% of processed" when nothing was processed
    assert view["source_rows"] == [] and view["source_chart"] == [] and view["source_summary"] == "Response rate by source: no applications yet."
    assert view["weeks_summary"] == "No applications or answers in the last 8 weeks."
    assert view["days_summary"] == "Days to first response: no answers yet."
    assert view["outcomes_note"] == "Not enough data yet — 0 of 10 outcomes." and view["points"] == []


def test_fewer_than_ten_outcomes_say_how_many(session):
    _add(session, 4, fit=70, applied_days_ago=5, answered_after=1, status="rejected")
    _add(session, 2, fit=50, applied_days_ago=2)  # too early to be an outcome
    view = view_of(numbers(session=session, now=NOW))
    assert not view["enough_outcomes"] and view["outcomes_note"] == "Not enough data yet — 4 of 10 outcomes."
    assert view["funnel"][1]["count"] == 6 and view["days_median"] == "1 day"


def test_small_pieces():
    assert rate_rows([Rate("a", 2, 1)]) == [{"group": "a", "applied": 2, "responded": 1, "rate": 0, "label": "too few", "too_few": True}]
    assert [b["count"] for b in day_histogram([0, 3, 4, 7, 8, 14, 15, 30, 31, 400])] == [2, 2, 2, 2, 2]
    assert outcome_rows([{"fit": 40, "outcome": "rejected"}, {"fit": 61, "outcome": "rejected"}]) == [
        {"outcome": "rejected", "count": 2, "median_fit": "50.5"}]
    assert scatter_points([{"fit": 9, "outcome": "offer"}, {"fit": 80, "outcome": "no answer"}])[0]["outcome"] == "no answer"
    assert funnel_rows({"processed": 200, "applied": 1})[1]["width"] == 1  # a tiny stage still shows a sliver
    assert view_of(Numbers(funnel={}, weeks=[]))["empty"]


def test_the_view_builds():
    """The component tree compiles its vars (a typo in a var name fails here, not in the browser)."""
    from jobapp.components.analytics import analytics_view

    assert "analytics-view" in str(analytics_view())
