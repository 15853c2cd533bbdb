"""The board's columns (pipeline/store/board.py): the table's filters, the per-column cap with
its count, each card's follow-up (overdue) and next interview, and a move being the same
idempotent status event as the table's. Runs on SQLite here and on PostgreSQL in
tests/integration/on_postgres."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pipeline.store.board import BOARD_STATUSES, board_columns, neighbour_status
from pipeline.store.jobs import JobQuery, job_history, set_status
from pipeline.store.models import Job, user_owner
from pipeline.store.tracking import InterviewIn, add_interview, set_follow_up

NOW = datetime(2026, 11, 10, 8, 30, tzinfo=UTC)
OTHER = user_owner(7)


def _job(session, title: str, status: str = "new", *, company: str = "Acme", fit: int | None = None, owner: str = "local", source: str = "demo") -> Job:
    job = Job(source=source, external_id=title + owner, title=title, company=company, status=status, fit_score=fit, owner=owner,
              search_text=f"{title} {company}".lower())  # fmt: skip
    session.add(job)
    session.flush()
    return job


def _by_status(columns) -> dict[str, list[str]]:
    return {c.status: [card.title for card in c.cards] for c in columns}


def test_columns_by_status_in_the_tables_order_without_archived_or_other_owners(session):
    _job(session, "A", "new", fit=10)
    _job(session, "B", "new", fit=90)
    _job(session, "C", "ready", fit=50)
    gone = _job(session, "Gone", "applied")
    gone.archived_at, gone.status = NOW, "archived"
    _job(session, "Theirs", "new", owner=OTHER)
    columns = board_columns(session=session, query=JobQuery(sort="fit_score", desc=True), now=NOW)
    assert [c.status for c in columns] == list(BOARD_STATUSES) and "archived" not in BOARD_STATUSES
    assert _by_status(columns)["new"] == ["B", "A"] and _by_status(columns)["ready"] == ["C"]
    assert {c.status: c.total for c in columns} == {"new": 2, "shortlisted": 0, "ready": 1, "applied": 0, "interviewing": 0, "offer": 0, "rejected": 0}


def test_the_tables_search_source_fit_and_status_filters_apply(session):
    _job(session, "Data Engineer", "new", fit=80)
    _job(session, "Data Analyst", "ready", fit=40, source="file")
    _job(session, "Nurse", "ready", fit=85)
    assert sum(c.total for c in board_columns(session=session, query=JobQuery(q="data"), now=NOW)) == 2
    assert _by_status(board_columns(session=session, query=JobQuery(sources=["file"]), now=NOW))["ready"] == ["Data Analyst"]
    fit = board_columns(session=session, query=JobQuery(min_score=50, max_score=90), now=NOW)
    assert sorted(t for c in fit for t in _by_status([c])[c.status]) == ["Data Engineer", "Nurse"]
    only_ready = board_columns(session=session, query=JobQuery(statuses=["ready"]), now=NOW)
    assert [c.status for c in only_ready] == list(BOARD_STATUSES), "every column stays, a drop target"
    assert {c.status: c.total for c in only_ready if c.total} == {"ready": 2} and not _by_status(only_ready)["new"]


def test_each_column_is_capped_and_says_how_many_more(session):
    for i in range(7):
        _job(session, f"Applied {i}", "applied")
    _job(session, "Lone", "offer")
    columns = {c.status: c for c in board_columns(session=session, query=JobQuery(), per_column=3, now=NOW)}
    assert len(columns["applied"].cards) == 3 and columns["applied"].total == 7 and columns["applied"].more == 4
    assert len(columns["offer"].cards) == 1 and columns["offer"].more == 0


def test_cards_carry_the_follow_up_with_overdue_and_the_next_interview(session):
    late = _job(session, "Late", "applied")
    soon = _job(session, "Soon", "applied")
    met = _job(session, "Met", "applied")
    set_follow_up(session=session, job_id=late.id, on=date(2026, 11, 8))
    set_follow_up(session=session, job_id=soon.id, on=date(2026, 11, 12))
    add_interview(session=session, job_id=met.id, interview=InterviewIn(NOW - timedelta(days=1)))  # past: not "next"
    add_interview(session=session, job_id=met.id, interview=InterviewIn(NOW + timedelta(days=3), 60, "onsite"))
    add_interview(session=session, job_id=met.id, interview=InterviewIn(NOW + timedelta(days=2)))
    cards = {card.title: card for c in board_columns(session=session, query=JobQuery(), now=NOW) for card in c.cards}
    assert (cards["Late"].follow_up_on, cards["Late"].overdue) == ("2026-11-08", True)
    assert (cards["Soon"].follow_up_on, cards["Soon"].overdue) == ("2026-11-12", False)
    assert cards["Met"].status == "interviewing", "an interview moves the job"
    assert cards["Met"].next_interview.startswith("2026-11-12T08:30") and cards["Late"].next_interview == ""


def test_overdue_is_by_the_browsers_day_and_interviews_are_in_its_zone(session):
    waiting, met = _job(session, "Waiting", "applied"), _job(session, "Met", "applied")
    set_follow_up(session=session, job_id=waiting.id, on=date(2026, 11, 9))
    late_evening = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)  # still 9 November in New York
    add_interview(session=session, job_id=met.id, interview=InterviewIn(datetime(2026, 11, 12, 19, 30, tzinfo=UTC)))

    def card(title: str, zone: str | None):
        return next(k for c in board_columns(session=session, query=JobQuery(), now=late_evening, zone=zone) for k in c.cards if k.title == title)

    assert card("Waiting", None).overdue and not card("Waiting", "America/New_York").overdue
    assert card("Met", "America/New_York").next_interview == "2026-11-12T14:30-05:00" and card("Met", "").next_interview == "2026-11-12T19:30+00:00"
    assert card("Met", "Not/AZone").next_interview.endswith("+00:00"), "an unknown zone is UTC"


def test_a_move_is_the_tables_idempotent_status_event_and_neighbours_stop_at_the_ends(session):
    job = _job(session, "Mover", "ready")
    assert set_status(session=session, job_ids=[job.id], status="applied", key="board-move-1") == 1
    assert set_status(session=session, job_ids=[job.id], status="applied", key="board-move-1") == 0
    columns = {c.status: c for c in board_columns(session=session, query=JobQuery(), now=NOW)}
    assert columns["ready"].total == 0 and [card.title for card in columns["applied"].cards] == ["Mover"]
    assert [e.kind for e in job_history(session=session, job_id=job.id)].count("status_changed") == 1
    assert neighbour_status("ready", 1) == "applied" and neighbour_status("ready", -1) == "shortlisted"
    assert neighbour_status("new", -1) is None and neighbour_status("rejected", 1) is None and neighbour_status("archived", 1) is None
