"""The demo's eight weeks: applications spread over the last eight weeks relative to the seeding
day, some answered, interviews this week, follow-ups overdue, so the board, the Today panel and the
analytics show something on first run; the same clock gives the same dates, and the table's
first-run facts (30 jobs, 3 shortlisted, none ready) stay as the e2e tests expect them."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from pipeline.sources.demo import load_demo
from pipeline.sources.demo_history import STORIES
from pipeline.store.analytics import numbers
from pipeline.store.models import Interview, Job
from pipeline.store.today import today_panel

NOW = datetime(2026, 12, 5, 11, 0, tzinfo=UTC)


def _jobs(session, owner: str) -> list[Job]:
    return list(session.exec(select(Job).where(Job.owner == owner).order_by(Job.external_id)))


def test_eight_weeks_of_applications_answers_interviews_and_follow_ups(session):
    load_demo(session=session, owner="user:1", now=NOW)
    jobs = _jobs(session, "user:1")
    applied = [j for j in jobs if j.applied_at is not None]
    assert len(jobs) == 30 and len(applied) == len(STORIES) == 15
    ages = sorted((NOW - j.applied_at.replace(tzinfo=UTC)).days for j in applied)
    assert ages[0] >= 1 and ages[-1] < 56, "all within the last eight weeks"
    assert len({a // 7 for a in ages}) == 8, "every one of the eight weeks has an application"
    statuses = Counter(j.status for j in jobs)
    assert statuses["shortlisted"] == 3 and statuses["ready"] == 0 and statuses["offer"] == 1
    assert statuses["interviewing"] == 3 and statuses["rejected"] == 4 and statuses["applied"] == 7
    assert all(j.fit_score is not None for j in applied) and len({j.fit_score for j in applied}) > 5

    panel = today_panel(session=session, now=NOW, zone="UTC", owner="user:1")
    assert [(f.title, f.overdue) for f in panel.follow_ups] == [
        ("Senior UX Designer", True), ("Data Engineer", True), ("Senior Backend-Entwickler:in (Python)", False)]
    assert panel.overdue == 2
    assert [i.title for i in panel.interviews] == ["Site Reliability Engineer", "DevOps Engineer"]

    data = numbers(session=session, now=NOW, owner="user:1")
    assert data.funnel["applied"] == 15 and data.funnel["responded"] == 8 and data.funnel["offer"] == 1
    assert data.funnel["interview"] == 5  # three interviewing, the offer, and the rejection after an interview
    assert sum(w["applied"] for w in data.weeks) == 15 and sum(1 for w in data.weeks if w["applied"]) >= 7
    assert data.median_days_to_response is not None and data.enough_outcomes


def test_the_same_clock_gives_the_same_history_and_a_reseed_keeps_what_the_user_did(session):
    load_demo(session=session, owner="user:1", now=NOW)
    load_demo(session=session, owner="user:2", now=NOW)

    def facts(owner: str):
        jobs = _jobs(session, owner)
        ivs = session.exec(select(Interview).where(Interview.owner == owner).order_by(Interview.starts_at)).all()
        return [(j.external_id, j.status, j.applied_at, j.responded_at, j.follow_up_on, j.fit_score) for j in jobs], [
            (iv.starts_at, iv.kind) for iv in ivs]

    assert facts("user:1") == facts("user:2")
    mine = next(j for j in _jobs(session, "user:1") if j.external_id == "demo-003")
    mine.follow_up_on, applied_at = None, mine.applied_at  # the user followed up
    session.add(mine)
    session.flush()
    load_demo(session=session, owner="user:1", force=True, now=NOW + timedelta(days=30))
    assert mine.follow_up_on is None and mine.applied_at == applied_at, "a job applied to is left alone"
    assert len(session.exec(select(Interview).where(Interview.owner == "user:1")).all()) == 10, "no interview added twice"


def test_each_demo_application_has_a_history_that_tells_the_same_story(session):
    from pipeline.store.jobs import job_history

    load_demo(session=session, owner="user:1", now=NOW)
    offer = next(j for j in _jobs(session, "user:1") if j.external_id == "demo-008")
    events = job_history(session=session, job_id=offer.id)[::-1]  # oldest first
    assert [e.message for e in events][1:] == ["Status new → applied", "Status applied → interviewing", "Status interviewing → offer"]
    moves = [e.data["to"] for e in events if e.kind == "status_changed"]
    assert moves == ["applied", "interviewing", "offer"]
    assert events[0].kind == "imported" and events[0].created_at < events[1].created_at
    assert all(e.created_at <= NOW for e in events)
