"""The Analytics view's numbers against a seeded store (SQLite here, PostgreSQL in on_postgres)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from pipeline.store.analytics import MIN_OUTCOMES, Rate, fit_band, numbers, outcome_counts
from pipeline.store.models import Interview, Job, user_owner

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # a Monday


def _add(session, n: int, *, source="demo", fit=None, status="applied", applied_days_ago=None, answered_after=None, template=None,
         interview=False, owner="local", run="succeeded"):  # fmt: skip
    for i in range(n):
        applied = NOW - timedelta(days=applied_days_ago) if applied_days_ago is not None else None
        job = Job(
            source=source, external_id=f"{source}-{status}-{fit}-{applied_days_ago}-{i}-{owner}-{template}-{interview}", title="T", owner=owner,
            status=status, fit_score=fit, applied_at=applied, last_run_status=run,
            responded_at=applied + timedelta(days=answered_after) if applied and answered_after is not None else None,
            layout={"template": template} if template else {},
        )  # fmt: skip
        session.add(job)
        session.flush()
        if interview:
            session.add(Interview(job_id=job.id, owner=owner, starts_at=NOW))
    session.flush()


def test_funnel_weeks_rates_and_days_to_response(session):
    _add(session, 4, source="linkedin", fit=90, applied_days_ago=3, answered_after=2, status="interviewing", interview=True, template="modern")
    _add(session, 2, source="linkedin", fit=72, applied_days_ago=10, answered_after=6, status="offer", template="modern")
    _add(session, 3, source="file", fit=55, applied_days_ago=20, answered_after=10, status="rejected")
    _add(session, 5, source="file", fit=40, applied_days_ago=40)  # silent for over a month: "no answer"
    _add(session, 1, source="paste", fit=88, applied_days_ago=1)  # too early to say
    _add(session, 6, source="demo", fit=60, status="ready")  # processed, never applied
    _add(session, 2, source="demo", status="new", run=None)  # not even processed
    _add(session, 3, source="linkedin", fit=95, applied_days_ago=3, answered_after=1, status="offer", owner=user_owner(5))  # someone else's
    data = numbers(session=session, now=NOW)
    assert data.funnel == {"processed": 21, "applied": 15, "responded": 9, "interview": 6, "offer": 2}
    assert [w["week"] for w in data.weeks][-1] == "2026-11-30" and len(data.weeks) == 8
    by_week = {w["week"]: (w["applied"], w["responded"]) for w in data.weeks}
    # applied 27 and 29 Nov / answered 29 and 26 Nov; applied 20 Nov / answered 20 Nov; applied 10 Nov; applied 21 Oct
    assert by_week["2026-11-23"] == (5, 6) and by_week["2026-11-16"] == (2, 3) and by_week["2026-11-09"] == (3, 0)
    assert by_week["2026-11-30"] == (0, 0) and by_week["2026-10-19"] == (5, 0) and sum(a for a, _ in by_week.values()) == 15
    rates = {r.group: (r.applied, r.responded, r.rate) for r in data.by_source}
    assert rates == {"linkedin": (6, 6, 100.0), "file": (8, 3, 37.5), "paste": (1, 0, None)}
    assert [(r.group, r.applied, r.rate) for r in data.by_fit] == [("85–100", 5, 80.0), ("70–84", 2, None), ("50–69", 3, 100.0), ("0–49", 5, 0.0)]
    assert {r.group: r.applied for r in data.by_template} == {"classic": 9, "modern": 6}
    assert data.days_to_response == [2, 2, 2, 2, 6, 6, 10, 10, 10] and data.median_days_to_response == 6
    assert outcome_counts(data) == {"interview": 4, "offer": 2, "rejected": 3, "no answer": 5}
    assert data.enough_outcomes and len(data.fit_outcomes) == 14


def test_an_empty_store_and_too_few_outcomes_say_so(session):
    data = numbers(session=session, now=NOW)
    assert data.funnel == dict.fromkeys(("processed", "applied", "responded", "interview", "offer"), 0)
    assert data.median_days_to_response is None and data.by_source == [] and not data.enough_outcomes
    _add(session, MIN_OUTCOMES - 1, fit=70, applied_days_ago=5, answered_after=1, status="rejected")
    assert not numbers(session=session, now=NOW).enough_outcomes
    assert fit_band(None) == "no fit score" and fit_band(85) == "85–100" and fit_band(84) == "70–84" and fit_band(0) == "0–49"


def test_templates_count_only_the_owners_applications_with_their_answers(session):
    """The templates are counted apart from the other groups (per layout, by the database)."""
    _add(session, 3, source="file", fit=80, applied_days_ago=4, answered_after=1, status="rejected", template="modern")
    _add(session, 1, source="file", fit=80, applied_days_ago=4, template="modern")
    _add(session, 2, source="paste", fit=30, applied_days_ago=6, answered_after=2, status="interviewing", template="compact")
    _add(session, 2, source="paste", fit=30, applied_days_ago=6, template="classic")  # named "classic" and not named at all: one group
    _add(session, 1, source="paste", fit=30, applied_days_ago=6)
    _add(session, 4, source="demo", fit=60, status="ready", template="compact")  # processed, never applied: not counted
    _add(session, 5, source="file", fit=80, applied_days_ago=4, answered_after=1, status="rejected", template="modern", owner=user_owner(5))
    data = numbers(session=session, now=NOW)
    assert [(r.group, r.applied, r.responded, r.rate) for r in data.by_template] == [
        ("modern", 4, 3, 75.0), ("classic", 3, 0, 0.0), ("compact", 2, 2, None)]
    assert data.funnel["processed"] == 13 and data.funnel["applied"] == 9
    assert numbers(session=session, now=NOW, owner=user_owner(5)).by_template == [Rate("modern", 5, 5)]


def test_the_jobs_scan_reads_the_index_alone_on_sqlite(session, db_kind):
    """Guard for the speed aim: the scan of the jobs comes from ix_job_owner_analytics alone
    (SQLite then never reads the wide rows with their descriptions); only the layouts visit them."""
    if db_kind != "sqlite":
        pytest.skip("SQLite's query plan")
    _add(session, 2, fit=70, applied_days_ago=5, answered_after=1, status="rejected", template="modern")
    statements: list[tuple[str, Any]] = []
    conn = session.connection()

    def seen(_conn, _cursor, statement, parameters, _context, _many):
        if "FROM job" in statement:
            statements.append((statement, parameters))

    event.listen(conn, "before_cursor_execute", seen)
    try:
        numbers(session=session, now=NOW)
    finally:
        event.remove(conn, "before_cursor_execute", seen)
    plans = [" ".join(row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()) for sql, params in statements]
    covered = [p for p in plans if "COVERING INDEX ix_job_owner_analytics" in p]
    assert len(plans) == 3 and len(covered) == 2, plans
