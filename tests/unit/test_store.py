"""The job store: search, filters, sorting, paging, status flow, notes, archive, import, export.

Most tests take the `session` fixture, so each runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import random
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, insert
from sqlmodel import Session, select

from pipeline.sources.base import JobIn, ParseResult, RowError
from pipeline.sources.files import parse_file
from pipeline.store.db import get_engine, migrate
from pipeline.store.export import export_jobs
from pipeline.store.jobs import (
    SORTABLE,
    JobQuery,
    add_note,
    archive_jobs,
    get_job,
    job_history,
    likely_duplicate,
    list_jobs,
    matching_ids,
    normalize_company,
    restore_jobs,
    set_status,
    status_counts,
    upsert_jobs,
)
from pipeline.store.models import JOB_STATUSES, Job, JobEvent

T0 = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
_ext = itertools.count(1)


# ------------------------------------------------------------------ helpers


def add_job(session: Session, title: str = "Engineer", **fields: Any) -> Job:
    """Insert one job row directly, with every column under the test's control."""
    n = next(_ext)
    fields.setdefault("source", "file")
    fields.setdefault("external_id", f"ext-{n}")
    fields.setdefault("company", "Acme")
    fields.setdefault("company_norm", normalize_company(fields["company"]))
    fields.setdefault("created_at", T0 + timedelta(minutes=n))
    fields.setdefault("updated_at", fields["created_at"])
    if fields.get("status") == "archived":
        fields.setdefault("archived_at", fields["updated_at"])
    job = Job(title=title, **fields)
    session.add(job)
    session.flush()
    return job


def job_in(title: str, *, source: str = "file", **fields: Any) -> JobIn:
    return JobIn(source=source, title=title, **fields)


def parsed(*items: JobIn, errors: list[RowError] | None = None) -> ParseResult:
    return ParseResult(rows=[(line, item) for line, item in enumerate(items, start=1)], errors=errors or [])


def ids(session: Session, **query: Any) -> list[int]:
    """Ids on the first page (page size 500) of a list_jobs query, in order."""
    query.setdefault("page_size", 500)
    return [r["id"] for r in list_jobs(session=session, query=JobQuery(**query)).rows]


def id_set(session: Session, **query: Any) -> set[int]:
    return set(ids(session, **query))


def count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def events(session: Session, job_id: int, kind: str | None = None) -> list[JobEvent]:
    stmt = select(JobEvent).where(JobEvent.job_id == job_id).order_by(JobEvent.id)
    if kind:
        stmt = stmt.where(JobEvent.kind == kind)
    return list(session.exec(stmt).all())


def reload(session: Session, job: Job) -> Job:
    session.refresh(job)
    return job


# ------------------------------------------------------------------- search


@pytest.fixture
def searchable(session: Session) -> dict[str, int]:
    rows = {
        "py_dev": add_job(session, "Senior Python Developer", company="Acme", location="Berlin", description="Build APIs."),
        "analyst": add_job(session, "Data Analyst", company="Python Labs", location="Munich", description="SQL dashboards."),
        "designer": add_job(session, "Designer", company="Globex", location="Hamburg", description="Figma and PYTHON scripting."),
        "accountant": add_job(session, "Accountant", company="Initech", location="Berlin", description="Ledgers."),
    }
    return {name: job.id for name, job in rows.items()}


def test_search_matches_title_company_location_and_description(session: Session, searchable: dict[str, int]) -> None:
    s = searchable
    assert id_set(session, q="python") == {s["py_dev"], s["analyst"], s["designer"]}  # title, company, description
    assert id_set(session, q="hamburg") == {s["designer"]}  # location
    assert id_set(session, q="ledgers") == {s["accountant"]}  # description only
    assert id_set(session, q="") == set(s.values())


def test_search_words_are_anded_across_fields(session: Session, searchable: dict[str, int]) -> None:
    s = searchable
    assert id_set(session, q="berlin python") == {s["py_dev"]}  # location word + title word
    assert id_set(session, q="python   munich ") == {s["analyst"]}
    assert id_set(session, q="python ledgers") == set()


def test_search_is_case_insensitive(session: Session, searchable: dict[str, int]) -> None:
    s = searchable
    assert id_set(session, q="pYtHoN") == id_set(session, q="python") == {s["py_dev"], s["analyst"], s["designer"]}
    assert id_set(session, q="GLOBEX") == {s["designer"]}


def test_search_treats_like_wildcards_literally(session: Session) -> None:
    percent = add_job(session, "Sales 100% remote")
    snake = add_job(session, "snake_case fan")
    lookalike = add_job(session, "snakeXcase fan")
    backslash = add_job(session, "Admin C:\\tools")
    add_job(session, "Plain job")
    assert id_set(session, q="%") == {percent.id}
    assert id_set(session, q="100%") == {percent.id}
    assert id_set(session, q="e_c") == {snake.id}
    assert lookalike.id not in id_set(session, q="_")
    assert id_set(session, q="c:\\tools") == {backslash.id}


def test_search_folds_case_and_accents_of_non_ascii_letters(session: Session) -> None:
    ecole = add_job(session, "Lecturer", company="École Polytechnique", location="Île-de-France")
    add_job(session, "Lecturer", company="Other School", location="Lyon")
    assert id_set(session, q="école") == {ecole.id}  # SQLite's lower() alone would miss this
    assert id_set(session, q="ÉCOLE ÎLE-DE-FRANCE") == {ecole.id}
    assert id_set(session, q="ecole") == {ecole.id}


def test_search_follows_updated_postings(session: Session) -> None:
    upsert_jobs(session=session, parsed=parsed(job_in("Chef", external_id="c-1", description="Pasta.")))
    assert id_set(session, q="risotto") == set()
    upsert_jobs(session=session, parsed=parsed(job_in("Chef", external_id="c-1", description="Pasta and risotto.")))
    assert len(id_set(session, q="risotto")) == 1
    assert id_set(session, q="pasta risotto") == id_set(session, q="risotto")


# ------------------------------------------------------------------ filters


def test_filters_by_status_source_score_run_and_duplicates(session: Session) -> None:
    a = add_job(session, "A", status="new", source="file", fit_score=10)
    b = add_job(session, "B", status="applied", source="mongo", fit_score=55, last_run_id=7)
    c = add_job(session, "C", status="shortlisted", source="paste", fit_score=90, last_run_id=8)
    d = add_job(session, "D", status="applied", source="file", fit_score=None)
    e = add_job(session, "E", status="new", source="mongo", fit_score=70, duplicate_of=a.id)

    assert id_set(session, statuses=["applied"]) == {b.id, d.id}
    assert id_set(session, statuses=["new", "shortlisted"]) == {a.id, c.id, e.id}
    assert id_set(session, sources=["mongo"]) == {b.id, e.id}
    assert id_set(session, sources=["file", "paste"]) == {a.id, c.id, d.id}
    assert id_set(session, min_score=55) == {b.id, c.id, e.id}
    assert id_set(session, max_score=55) == {a.id, b.id}
    assert id_set(session, min_score=50, max_score=80) == {b.id, e.id}
    assert id_set(session, has_run=True) == {b.id, c.id}
    assert id_set(session, has_run=False) == {a.id, d.id, e.id}
    assert id_set(session, has_run=None) == {a.id, b.id, c.id, d.id, e.id}
    assert id_set(session, duplicates_only=True) == {e.id}
    assert id_set(session, statuses=["applied"], sources=["file"]) == {d.id}
    assert id_set(session, statuses=["new"], has_run=False, min_score=50) == {e.id}


def test_archived_jobs_are_hidden_unless_the_status_filter_asks_for_them(session: Session) -> None:
    live = add_job(session, "Live", status="new")
    gone = add_job(session, "Gone", status="archived")
    assert id_set(session) == {live.id}
    assert id_set(session, statuses=["new"]) == {live.id}
    assert id_set(session, statuses=["archived"]) == {gone.id}
    assert id_set(session, statuses=["new", "archived"]) == {live.id, gone.id}
    assert matching_ids(session=session, query=JobQuery()) == [live.id]


# ------------------------------------------------------------------ sorting


@pytest.fixture
def sortable(session: Session) -> list[Job]:
    """Jobs with ties in every column (to see the id tie-break) and some nulls."""
    specs = [
        ("charlie", "delta", "oslo", "new", 50, "file", 3, "succeeded"),
        ("alpha", "bravo", "rome", "applied", None, "mongo", 1, None),
        ("bravo", "alpha", "lima", "archived", 90, "demo", 2, "failed"),
        ("alpha", "delta", "oslo", "offer", 50, "paste", 3, None),
        ("delta", "charlie", "kiev", "shortlisted", 10, "file", 0, "succeeded"),
        ("bravo", "bravo", "lima", "new", None, "demo", 4, "failed"),
        ("echo", "alpha", "rome", "rejected", 90, "mongo", 4, None),
        ("charlie", "echo", "kiev", "ready", 75, "paste", 2, "succeeded"),
        ("alpha", "echo", "bern", "interviewing", 10, "file", 1, None),
    ]
    jobs = []
    for title, company, location, status, score, source, minute, run_status in specs:
        stamp = T0 + timedelta(hours=minute)
        jobs.append(
            add_job(
                session, title, company=company, location=location, status=status, fit_score=score, source=source,
                created_at=stamp, updated_at=T0 + timedelta(hours=10 - minute), last_run_status=run_status,
            )
        )
    return jobs


def expected_order(jobs: list[Job], column: str, desc: bool) -> list[int]:
    """Column order (flow order for status), ties by id in the same direction, nulls last."""

    def value(job: Job) -> Any:
        v = getattr(job, column)
        return JOB_STATUSES.index(v) if column == "status" else v

    present = sorted((j for j in jobs if value(j) is not None), key=lambda j: (value(j), j.id), reverse=desc)
    nulls = sorted((j for j in jobs if value(j) is None), key=lambda j: j.id, reverse=desc)
    return [j.id for j in present + nulls]


@pytest.mark.parametrize("desc", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("column", SORTABLE)
def test_sort_by_every_sortable_column(session: Session, sortable: list[Job], column: str, desc: bool) -> None:
    got = ids(session, sort=column, desc=desc, statuses=JOB_STATUSES)
    assert got == expected_order(sortable, column, desc)
    assert matching_ids(session=session, query=JobQuery(sort=column, desc=desc, statuses=JOB_STATUSES)) == got


def test_fit_score_nulls_sort_last_both_ways(session: Session, sortable: list[Job]) -> None:
    nulls = {j.id for j in sortable if j.fit_score is None}
    for desc in (False, True):
        got = ids(session, sort="fit_score", desc=desc, statuses=JOB_STATUSES)
        assert set(got[-len(nulls):]) == nulls


def test_status_sorts_in_flow_order_not_alphabetically(session: Session, sortable: list[Job]) -> None:
    rows = list_jobs(session=session, query=JobQuery(sort="status", desc=False, statuses=JOB_STATUSES, page_size=100)).rows
    statuses = list(dict.fromkeys(r["status"] for r in rows))
    assert statuses == JOB_STATUSES


def test_unknown_sort_column_falls_back_to_updated_at(session: Session, sortable: list[Job]) -> None:
    assert ids(session, sort="description; drop table job", statuses=JOB_STATUSES) == expected_order(sortable, "updated_at", True)


# --------------------------------------------------------------- pagination


def test_pagination_total_pages_and_clamping(session: Session) -> None:
    jobs = [add_job(session, f"job {i:02d}") for i in range(23)]
    newest_first = [j.id for j in sorted(jobs, key=lambda j: (j.updated_at, j.id), reverse=True)]

    def page(n: int, size: int = 10):
        return list_jobs(session=session, query=JobQuery(page=n, page_size=size))

    first, second, third = page(1), page(2), page(3)
    assert (first.total, first.pages, first.page) == (23, 3, 1)
    assert [len(p.rows) for p in (first, second, third)] == [10, 10, 3]
    assert [r["id"] for p in (first, second, third) for r in p.rows] == newest_first

    beyond = page(99)
    assert (beyond.page, beyond.pages, beyond.total) == (3, 3, 23)
    assert beyond.rows == third.rows
    assert page(0).rows == first.rows
    assert page(-5).page == 1

    assert len(page(1, 25).rows) == 23 and page(1, 25).pages == 1
    assert len(page(1, 5).rows) == 5 and page(1, 5).pages == 5


def test_empty_result_is_one_empty_page(session: Session) -> None:
    result = list_jobs(session=session, query=JobQuery(q="nothing-matches", page=4))
    assert (result.rows, result.total, result.pages, result.page) == ([], 0, 1, 1)


def test_rows_carry_the_table_fields(session: Session) -> None:
    job = add_job(session, "Welder", company="Forge", location="Leeds", status="ready", fit_score=64, source="paste", url="https://x.example/1")
    row = list_jobs(session=session, query=JobQuery()).rows[0]
    assert {k: row[k] for k in ("id", "title", "company", "location", "status", "fit_score", "source", "url")} == {
        "id": job.id, "title": "Welder", "company": "Forge", "location": "Leeds", "status": "ready",
        "fit_score": 64, "source": "paste", "url": "https://x.example/1",
    }
    assert "description" not in row  # only what the table shows


def test_matching_ids_are_every_filtered_id_across_pages(session: Session) -> None:
    for i in range(30):
        add_job(session, f"{'python' if i % 3 else 'golang'} dev {i}", status="applied" if i % 2 else "new")
    query = dict(q="python", statuses=["applied"], sort="title", desc=False)
    pages = [list_jobs(session=session, query=JobQuery(**query, page=n, page_size=4)) for n in range(1, 4)]
    paged = [r["id"] for p in pages for r in p.rows]
    assert pages[0].total == 10 and len(paged) == 10
    assert matching_ids(session=session, query=JobQuery(**query, page=3, page_size=4)) == paged


# ------------------------------------------------------------- status counts


def test_status_counts_ignore_the_status_filter_but_honour_the_search(session: Session) -> None:
    add_job(session, "Python dev", status="new")
    add_job(session, "Python lead", status="new")
    add_job(session, "Python architect", status="applied")
    add_job(session, "Python archived", status="archived")
    add_job(session, "Java dev", status="applied")
    add_job(session, "Java dev 2", status="offer")

    counts = status_counts(session=session, query=JobQuery(q="python", statuses=["applied"]))
    assert counts == {s: 0 for s in JOB_STATUSES} | {"new": 2, "applied": 1, "archived": 1}
    everything = status_counts(session=session, query=JobQuery())
    assert everything == {s: 0 for s in JOB_STATUSES} | {"new": 2, "applied": 2, "offer": 1, "archived": 1}


def test_status_counts_honour_the_other_filters(session: Session) -> None:
    add_job(session, "A", status="new", source="mongo", fit_score=80)
    add_job(session, "B", status="new", source="file", fit_score=80)
    add_job(session, "C", status="ready", source="mongo", fit_score=20)
    counts = status_counts(session=session, query=JobQuery(sources=["mongo"], min_score=50))
    assert counts["new"] == 1 and counts["ready"] == 0


# ------------------------------------------------------------------- status


def test_set_status_writes_one_event_per_changed_job(session: Session) -> None:
    a, b = add_job(session, "A", status="new"), add_job(session, "B", status="shortlisted")
    already = add_job(session, "C", status="applied")

    changed = set_status(session=session, job_ids=[a.id, b.id, already.id], status="applied", key="k1")

    assert changed == 2
    assert [reload(session, j).status for j in (a, b, already)] == ["applied"] * 3
    for job, before in ((a, "new"), (b, "shortlisted")):
        (ev,) = events(session, job.id, "status_changed")
        assert ev.data == {"from": before, "to": "applied"}
    assert events(session, already.id) == []


def test_set_status_with_a_repeated_key_changes_nothing(session: Session) -> None:
    job = add_job(session, "A", status="new")
    assert set_status(session=session, job_ids=[job.id], status="applied", key="same") == 1
    n_events = count(session, JobEvent)

    assert set_status(session=session, job_ids=[job.id], status="applied", key="same") == 0
    assert set_status(session=session, job_ids=[job.id], status="rejected", key="same") == 0

    assert reload(session, job).status == "applied"
    assert count(session, JobEvent) == n_events == 1


def test_set_status_refuses_unknown_status(session: Session) -> None:
    job = add_job(session, "A", status="new")
    with pytest.raises(ValueError, match="unknown status"):
        set_status(session=session, job_ids=[job.id], status="hired", key="k")
    assert reload(session, job).status == "new"
    assert count(session, JobEvent) == 0


# -------------------------------------------------------------------- notes


def test_add_note_validates_text(session: Session) -> None:
    job = add_job(session)
    for bad in ("", "   \n ", "x" * 5001):
        with pytest.raises(ValueError):
            add_note(session=session, job_id=job.id, text=bad, key=f"bad-{len(bad)}")
    assert add_note(session=session, job_id=job.id, text="y" * 5000, key="max") is True
    assert reload(session, job).notes_count == 1


def test_add_note_is_idempotent_per_key(session: Session) -> None:
    job = add_job(session)
    assert add_note(session=session, job_id=job.id, text="  Called the recruiter  ", key="n1") is True
    assert add_note(session=session, job_id=job.id, text="Called the recruiter", key="n1") is False
    notes = events(session, job.id, "note_added")
    assert [n.message for n in notes] == ["Called the recruiter"]
    assert reload(session, job).notes_count == 1

    assert add_note(session=session, job_id=job.id, text="Second note", key="n2") is True
    assert reload(session, job).notes_count == 2


def test_add_note_to_a_missing_job_raises(session: Session) -> None:
    with pytest.raises(LookupError):
        add_note(session=session, job_id=987654, text="hello", key="k")


def test_job_history_is_newest_first(session: Session) -> None:
    summary = upsert_jobs(session=session, parsed=parsed(job_in("Baker", external_id="b-1")))
    (job_id,) = summary.job_ids
    set_status(session=session, job_ids=[job_id], status="shortlisted", key="s1")
    add_note(session=session, job_id=job_id, text="Looks good", key="n1")
    set_status(session=session, job_ids=[job_id], status="applied", key="s2")

    history = job_history(session=session, job_id=job_id)
    assert [e.kind for e in history] == ["status_changed", "note_added", "status_changed", "imported"]
    assert history[0].data["to"] == "applied"
    assert [e.id for e in history] == sorted((e.id for e in history), reverse=True)


# ------------------------------------------------------------ archive/restore


def test_archive_then_restore_returns_to_previous_status(session: Session) -> None:
    job = add_job(session, "Nurse", status="applied")
    other = add_job(session, "Other", status="new")

    assert archive_jobs(session=session, job_ids=[job.id], key="arch") == [job.id]
    assert reload(session, job).status == "archived" and job.archived_at is not None
    assert id_set(session) == {other.id}
    assert id_set(session, statuses=["archived"]) == {job.id}
    assert archive_jobs(session=session, job_ids=[job.id], key="arch-again") == []  # already archived

    assert restore_jobs(session=session, job_ids=[job.id], key="undo") == [job.id]
    assert reload(session, job).status == "applied" and job.archived_at is None
    assert id_set(session) == {other.id, job.id}
    assert [e.kind for e in events(session, job.id)] == ["archived", "restored"]
    assert events(session, job.id, "archived")[0].data == {"from": "applied"}
    assert restore_jobs(session=session, job_ids=[job.id], key="undo-again") == []  # nothing to restore


def test_archive_via_set_status_is_the_same_as_archive_jobs(session: Session) -> None:
    job = add_job(session, "Nurse", status="interviewing")
    assert set_status(session=session, job_ids=[job.id], status="archived", key="arch") == 1
    assert reload(session, job).status == "archived" and job.archived_at is not None
    assert [e.kind for e in events(session, job.id)] == ["archived"]
    assert id_set(session) == set()

    assert set_status(session=session, job_ids=[job.id], status="archived", key="arch") == 0  # retried
    assert len(events(session, job.id)) == 1

    assert restore_jobs(session=session, job_ids=[job.id], key="undo") == [job.id]
    assert reload(session, job).status == "interviewing"


def test_set_status_on_an_archived_job_unarchives_it(session: Session) -> None:
    job = add_job(session, "Nurse", status="new")
    archive_jobs(session=session, job_ids=[job.id], key="a")
    assert set_status(session=session, job_ids=[job.id], status="shortlisted", key="s") == 1
    assert reload(session, job).status == "shortlisted" and job.archived_at is None
    assert id_set(session) == {job.id}


# ------------------------------------------------------------------- upsert


def postings() -> ParseResult:
    return parsed(
        job_in("Data Engineer", external_id="A-1", company="Acme", location="Berlin", description="Pipelines."),
        job_in("Analyst", external_id="A-2", company="Beta", location="Paris", description="Reports."),
        job_in("Chef", external_id="A-3", company="Gamma", location="Rome", description="Pasta."),
    )


def test_importing_the_same_input_twice_adds_nothing(session: Session) -> None:
    first = upsert_jobs(session=session, parsed=postings())
    assert (first.imported, first.updated, first.skipped) == (3, 0, 0)
    assert count(session, Job) == 3
    assert [e.kind for jid in first.job_ids for e in events(session, jid)] == ["imported"] * 3
    n_events = count(session, JobEvent)

    second = upsert_jobs(session=session, parsed=postings())
    assert (second.imported, second.updated, second.skipped) == (0, 0, 3)
    assert sorted(second.job_ids) == sorted(first.job_ids)
    assert count(session, Job) == 3 and count(session, JobEvent) == n_events


def test_imported_fields_land_in_the_job(session: Session) -> None:
    item = job_in("Data Engineer", external_id="A-1", company="Acme, Inc.", location="Berlin", url="https://a.example/1",
                  description="Pipelines.", status="shortlisted", tags=["python", "sql"])
    (job_id,) = upsert_jobs(session=session, parsed=parsed(item)).job_ids
    job = get_job(session=session, job_id=job_id)
    assert (job.source, job.external_id, job.title, job.company, job.location, job.url, job.description, job.status, job.tags) == (
        "file", "A-1", "Data Engineer", "Acme, Inc.", "Berlin", "https://a.example/1", "Pipelines.", "shortlisted", ["python", "sql"])
    assert job.company_norm == "acme"


def test_changed_posting_is_updated_with_an_event(session: Session) -> None:
    upsert_jobs(session=session, parsed=postings())
    changed = postings()
    changed.rows[1][1].description = "Reports and forecasts."

    summary = upsert_jobs(session=session, parsed=changed)

    assert (summary.imported, summary.updated, summary.skipped) == (0, 1, 2)
    job = session.exec(select(Job).where(Job.external_id == "A-2")).one()
    assert job.description == "Reports and forecasts."
    (update,) = events(session, job.id, "updated")
    assert update.data == {"fields": ["description"]}
    assert count(session, Job) == 3


def test_update_keeps_user_status(session: Session) -> None:
    (job_id, *_) = upsert_jobs(session=session, parsed=postings()).job_ids
    set_status(session=session, job_ids=[job_id], status="applied", key="s")
    changed = postings()
    changed.rows[0][1].title = "Senior Data Engineer"
    changed.rows[0][1].status = "new"
    assert upsert_jobs(session=session, parsed=changed).updated == 1
    job = get_job(session=session, job_id=job_id)
    assert (job.title, job.status) == ("Senior Data Engineer", "applied")


def test_same_external_id_in_two_sources_is_two_jobs(session: Session) -> None:
    summary = upsert_jobs(
        session=session, parsed=parsed(job_in("Chef", external_id="42", source="file"), job_in("Chef", external_id="42", source="mongo"))
    )
    assert summary.imported == 2 and len(set(summary.job_ids)) == 2
    assert sorted(session.exec(select(Job.source).where(Job.external_id == "42")).all()) == ["file", "mongo"]


def test_rows_without_external_id_get_a_stable_hashed_key(session: Session) -> None:
    def posting() -> JobIn:
        return job_in("Barista", company="Bean Co", location="Leeds", url="https://bean.example/jobs/1", description="Coffee.")

    first = upsert_jobs(session=session, parsed=parsed(posting(), posting()))
    assert (first.imported, first.skipped) == (1, 1)
    second = upsert_jobs(session=session, parsed=parsed(posting()))
    assert (second.imported, second.updated, second.skipped) == (0, 0, 1)

    (job,) = session.exec(select(Job)).all()
    assert job.external_id == posting().key() and job.external_id.startswith("h:")

    other = upsert_jobs(session=session, parsed=parsed(job_in("Barista", company="Bean Co", location="York", url="https://bean.example/jobs/2")))
    assert other.imported == 1 and count(session, Job) == 2


def test_parse_errors_are_carried_into_the_summary(session: Session) -> None:
    errors = [RowError(3, "title is missing or blank"), RowError(7, "description is too long")]
    summary = upsert_jobs(session=session, parsed=parsed(job_in("Chef", external_id="c-1"), errors=errors))
    assert summary.imported == 1
    assert summary.as_dict() == {
        "imported": 1, "updated": 0, "skipped": 0,
        "errors": [{"line": 3, "error": "title is missing or blank"}, {"line": 7, "error": "description is too long"}],
    }


# --------------------------------------------------------------- duplicates


def test_normalize_company_ignores_case_punctuation_and_legal_suffixes() -> None:
    assert normalize_company("Acme, Inc.") == normalize_company("ACME") == normalize_company("acme GmbH") == "acme"
    assert normalize_company("Société Générale SA") == normalize_company("SOCIETE GENERALE") == "societe generale"
    assert normalize_company("Initech Ltd.") == normalize_company("Initech LLC") == normalize_company("initech") == "initech"
    assert normalize_company("Acme") != normalize_company("Acme Robotics")


def test_normalize_company_strips_dotted_legal_suffixes() -> None:
    assert normalize_company("Philips N.V.") == normalize_company("Philips") == "philips"
    assert normalize_company("Acme B.V.") == normalize_company("Acme S.A.") == "acme"


def test_likely_duplicate_from_another_source_points_at_the_older_job(session: Session) -> None:
    older = upsert_jobs(session=session, parsed=parsed(
        job_in("Senior Data Engineer", external_id="f-1", company="Acme, Inc.", location="Berlin, Germany"))).job_ids[0]
    newer = upsert_jobs(session=session, parsed=parsed(
        job_in("Senior Data-Engineer", external_id="m-1", source="mongo", company="ACME", location="Berlin Germany"))).job_ids[0]

    assert get_job(session=session, job_id=newer).duplicate_of == older
    assert get_job(session=session, job_id=older).duplicate_of is None
    assert id_set(session, duplicates_only=True) == {newer}
    row = next(r for r in list_jobs(session=session, query=JobQuery()).rows if r["id"] == newer)
    assert row["duplicate_of"] == older


def test_same_source_is_never_flagged_as_duplicate(session: Session) -> None:
    summary = upsert_jobs(session=session, parsed=parsed(
        job_in("Senior Data Engineer", external_id="f-1", company="Acme", location="Berlin"),
        job_in("Senior Data Engineer", external_id="f-2", company="Acme, Inc.", location="Berlin"),
    ))
    assert summary.imported == 2
    assert id_set(session, duplicates_only=True) == set()


def test_different_city_or_company_is_not_flagged(session: Session) -> None:
    upsert_jobs(session=session, parsed=parsed(job_in("Senior Data Engineer", external_id="f-1", company="Acme", location="Berlin, Germany")))
    upsert_jobs(session=session, parsed=parsed(
        job_in("Senior Data Engineer", external_id="m-1", source="mongo", company="Acme", location="Munich, Germany"),
        job_in("Senior Data Engineer", external_id="m-2", source="mongo", company="Globex", location="Berlin, Germany"),
        job_in("Junior Sales Manager", external_id="m-3", source="mongo", company="Acme", location="Berlin, Germany"),
    ))
    assert id_set(session, duplicates_only=True) == set()


def test_similarly_spelled_different_places_are_not_duplicates() -> None:
    def posting(source: str, location: str) -> Job:
        return Job(source=source, external_id=location, title="Data Engineer", company="Acme", company_norm="acme", location=location)

    assert likely_duplicate(posting("mongo", "Berlin"), posting("file", "Hybrid - Berlin"))
    assert not likely_duplicate(posting("mongo", "Bern"), posting("file", "Berlin"))
    assert not likely_duplicate(posting("mongo", "Remote, UK"), posting("file", "Remote, US"))


# ------------------------------------------------------------------- export


@pytest.fixture
def exportable(session: Session) -> list[int]:
    summary = upsert_jobs(session=session, parsed=parsed(
        job_in("Data Engineer", external_id="A-1", company="Acme, Inc.", location="Berlin", url="https://a.example/1",
               description='Line one, with "quotes".\nLine two; tabs\there.\nÜmlauts — ok.', tags=["python", "sql"]),
        job_in("Analyst", company="Beta", location="Paris", description="No external id: hashed key."),
        job_in("Chef", external_id="A-3", company="Gamma", location="Rome", description="Not exported."),
    ))
    set_status(session=session, job_ids=[summary.job_ids[0]], status="applied", key="s")
    return summary.job_ids


def test_export_csv_contains_the_selected_jobs_only(session: Session, exportable: list[int]) -> None:
    selected = exportable[:2]
    text = export_jobs(session=session, job_ids=selected, fmt="csv")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [int(r["id"]) for r in rows] == selected
    assert rows[0]["title"] == "Data Engineer" and rows[0]["status"] == "applied" and rows[0]["tags"] == "python,sql"
    assert rows[0]["description"] == 'Line one, with "quotes".\nLine two; tabs\there.\nÜmlauts — ok.'
    assert "Chef" not in text


def test_export_json_contains_the_selected_jobs_only(session: Session, exportable: list[int]) -> None:
    records = json.loads(export_jobs(session=session, job_ids=[exportable[0], exportable[2]], fmt="json"))
    assert [(r["id"], r["title"], r["external_id"]) for r in records] == [(exportable[0], "Data Engineer", "A-1"), (exportable[2], "Chef", "A-3")]
    assert records[0]["tags"] == ["python", "sql"] and records[0]["status"] == "applied"


def test_export_refuses_unknown_format(session: Session, exportable: list[int]) -> None:
    with pytest.raises(ValueError):
        export_jobs(session=session, job_ids=exportable, fmt="xlsx")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_reimporting_an_export_adds_nothing(session: Session, exportable: list[int], fmt: str) -> None:
    text = export_jobs(session=session, job_ids=exportable, fmt=fmt)
    jobs_before, events_before = count(session, Job), count(session, JobEvent)

    reparsed = parse_file(text.encode("utf-8"), f"export.{fmt}", source="file")
    assert reparsed.errors == [] and len(reparsed.rows) == 3
    summary = upsert_jobs(session=session, parsed=reparsed)

    assert (summary.imported, summary.updated, summary.skipped, summary.errors) == (0, 0, 3, [])
    assert sorted(summary.job_ids) == sorted(exportable)
    assert (count(session, Job), count(session, JobEvent)) == (jobs_before, events_before)


# -------------------------------------------------------------------- owners


def test_jobs_of_one_owner_are_invisible_to_another(session: Session) -> None:
    (alice_job,) = upsert_jobs(session=session, parsed=parsed(job_in("Pilot", external_id="p-1")), owner="alice").job_ids

    assert ids(session, owner="alice") == [alice_job]
    assert ids(session, owner="bob") == []
    assert matching_ids(session=session, query=JobQuery(owner="bob")) == []
    assert sum(status_counts(session=session, query=JobQuery(owner="bob")).values()) == 0
    assert get_job(session=session, job_id=alice_job, owner="bob") is None
    assert get_job(session=session, job_id=alice_job, owner="alice") is not None

    assert set_status(session=session, job_ids=[alice_job], status="applied", key="bob-1", owner="bob") == 0
    assert archive_jobs(session=session, job_ids=[alice_job], key="bob-2", owner="bob") == []
    with pytest.raises(LookupError):
        add_note(session=session, job_id=alice_job, text="sneaky", key="bob-3", owner="bob")
    assert export_jobs(session=session, job_ids=[alice_job], fmt="json", owner="bob") == "[]"
    assert get_job(session=session, job_id=alice_job, owner="alice").status == "new"
    assert [e.kind for e in events(session, alice_job)] == ["imported"]

    (bob_job,) = upsert_jobs(session=session, parsed=parsed(job_in("Pilot", external_id="p-1")), owner="bob").job_ids
    assert bob_job != alice_job
    assert ids(session, owner="bob") == [bob_job]


# --------------------------------------------------------------------- scale


@pytest.fixture
def sqlite_session(tmp_path) -> Session:
    url = f"sqlite:///{tmp_path / 'scale.db'}"
    migrate(url)
    engine = get_engine(url)
    with Session(engine, expire_on_commit=False) as s:
        yield s
        s.rollback()
    engine.dispose()


def test_ten_thousand_jobs_page_query_uses_the_status_index(sqlite_session: Session) -> None:
    session = sqlite_session
    rng = random.Random(7)
    statuses = [s for s in JOB_STATUSES if s != "archived"]
    rows = [
        {
            "owner": "local", "source": rng.choice(["file", "mongo", "paste"]), "external_id": f"bulk-{i}",
            "title": f"{rng.choice(['Python', 'Java', 'Data', 'Sales'])} role {i}", "company": f"Company {i % 300}",
            "company_norm": f"company {i % 300}", "location": rng.choice(["Berlin", "Paris", "Remote"]), "url": "",
            "description": "x", "status": rng.choice(statuses), "fit_score": rng.choice([None, *range(101)]), "tags": [],
            "notes_count": 0, "created_at": T0 + timedelta(seconds=i), "updated_at": T0 + timedelta(seconds=i),
        }
        for i in range(10_000)
    ]
    session.execute(insert(Job), rows)
    session.commit()
    assert count(session, Job) == 10_000

    statements: list[tuple[str, Any]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", capture)
    try:
        page = list_jobs(session=session, query=JobQuery(statuses=["applied"], sort="fit_score", desc=True, page=2, page_size=25))
    finally:
        event.remove(engine, "before_cursor_execute", capture)

    applied = sorted((r for r in rows if r["status"] == "applied"), key=lambda r: (r["fit_score"] is None, -(r["fit_score"] or 0)))
    assert page.total == len(applied) and len(page.rows) == 25
    assert all(r["status"] == "applied" for r in page.rows)
    scores = [r["fit_score"] for r in page.rows]
    assert scores == [r["fit_score"] for r in applied[25:50]]

    assert len(statements) == 2  # the count and the page
    raw = session.connection().connection.driver_connection
    for statement, parameters in statements:
        plan = " | ".join(row[-1] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall())
        assert re.search(r"USING (COVERING )?INDEX ix_job_owner_status\w*", plan), plan
        assert "SCAN job" not in plan, plan
