"""Links after import (issue 18): the company's own site a posting names reaches research, a
link check is a line in the job's history (on a change only), and Process re-checks links older
than LINK_CHECK_DAYS and leaves closed postings out (the row's own Process runs one anyway).
Local servers on 127.0.0.1 (ALLOW_PRIVATE_FETCH)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import select

from pipeline.runs.checkpoint import open_checkpointer
from pipeline.runs.events import MemorySink
from pipeline.runs.runner import execute_run
from pipeline.settings import settings
from pipeline.sources.links import check_links, check_links_now, import_urls, screen_for_process, stale_links
from pipeline.store.db import session_scope
from pipeline.store.models import Job, JobEvent, Profile, utcnow
from pipeline.store.runs import create_run
from pipeline.web import site
from tests.support.company_site import routes as company_routes
from tests.support.web_pages import JOB_NO_LONGER_ACCEPTING, JOB_SINGLE, POSTING, Route, WebServer, ld, page
from tests.unit.test_page_states import root, sub  # noqa: F401 - the page's states on the demo data

CV = "# Jane Doe\n\n## Experience\n\n- Built data pipelines in Python and SQL processing 2 TB a day.\n- Ran Airflow for 3 years.\n"


@pytest.fixture
def allow_local(monkeypatch):
    monkeypatch.setenv("ALLOW_PRIVATE_FETCH", "1")
    monkeypatch.setattr(settings, "allow_private_fetch", True)


@pytest.fixture
def board(allow_local):
    """A job site: an open posting, a closed one, and one that fails."""
    with WebServer({"/open": Route(JOB_SINGLE), "/closed": Route(JOB_NO_LONGER_ACCEPTING), "/down": Route("", status=503)}) as server:
        yield server


def _events(session, job_id: int) -> list[JobEvent]:
    return list(session.exec(select(JobEvent).where(JobEvent.job_id == job_id, JobEvent.kind == "link_checked").order_by(JobEvent.id)))


# ---------------------------------------------------------------- company_url to research


def test_the_company_site_the_posting_names_is_where_the_runs_research_starts(default_store, allow_local, monkeypatch):
    monkeypatch.setattr(settings, "web_research", True)
    monkeypatch.setattr(site, "MIN_INTERVAL", 0.0)
    site.clear_cache()
    with WebServer(company_routes()) as company, WebServer() as jobs:
        org = {"@type": "Organization", "name": "Northwind Health", "sameAs": company.base_url + "/"}
        jobs.routes["/jobs/7"] = Route(page(ld({**POSTING, "hiringOrganization": org}), "<main><h1>Senior Data Engineer</h1></main>"))
        with session_scope() as s:
            s.add(Profile(name="Jane Doe", markdown=CV, confirmed_at=utcnow()))
            job_id = import_urls(session=s, urls=[jobs.url("/jobs/7")], owner="local").job_ids[0]
            assert s.get(Job, job_id).company_url == company.base_url + "/"
            run_id = create_run(session=s, job_id=job_id).id

        async def go():
            async with open_checkpointer() as saver:
                return await execute_run(run_id, checkpointer=saver, sink=MemorySink(run_id))

        outcome = asyncio.run(go())
        read = [path for path, _ in company.requests]
    assert outcome.status == "succeeded", outcome.error
    assert "/about-us" in read and "/team" in read  # the company's site, not the job site's
    facts = outcome.result["research"]["facts"]
    assert facts and all(f["source_url"].startswith(company.base_url) for f in facts)
    assert company.base_url + "/about-us" in outcome.result["research"]["sources"]


def test_a_page_without_a_company_link_leaves_company_url_empty(board, session):
    job_id = import_urls(session=session, urls=[board.url("/open")], owner="local").job_ids[0]
    # JOB_SINGLE names https://northwind-health.example (sameAs): kept as given
    assert session.get(Job, job_id).company_url == "https://northwind-health.example"
    from pipeline.store.jobs import JobQuery, list_jobs

    assert list_jobs(session=session, query=JobQuery(owner="local")).rows[0]["company_url"] == "https://northwind-health.example"
    with WebServer({"/bare": Route(page("", "<main><h1>Plain Role</h1><p>Work with us on data.</p></main>", title="Plain Role"))}) as plain:
        out = import_urls(session=session, urls=[plain.url("/bare")], owner="local")
        assert out.job_ids and session.get(Job, out.job_ids[0]).company_url == ""


# ---------------------------------------------------------------- history


def test_a_check_is_a_history_line_only_when_the_status_changes(board, session):
    job_id = import_urls(session=session, urls=[board.url("/open")], owner="local").job_ids[0]
    check_links(session=session, job_ids=[job_id], owner="local")
    check_links(session=session, job_ids=[job_id], owner="local")  # the same result: no second line
    assert [e.message for e in _events(session, job_id)] == ["Link checked: still looks open"]
    board.routes["/open"] = Route(JOB_NO_LONGER_ACCEPTING)
    first_checked = session.get(Job, job_id).link_checked_at
    check_links(session=session, job_ids=[job_id], owner="local")
    check_links(session=session, job_ids=[job_id], owner="local")
    events = _events(session, job_id)
    assert len(events) == 2 and events[1].message.startswith("Link checked: looks closed (")
    assert events[1].data["from"] == "open" and events[1].data["to"] == "closed"
    assert session.get(Job, job_id).link_checked_at >= first_checked  # the repeat still moved the time
    board.routes["/open"] = Route(JOB_SINGLE)
    check_links(session=session, job_ids=[job_id], owner="local")
    assert _events(session, job_id)[-1].message == "Link checked: open again"


def test_a_closed_posting_at_import_is_a_history_line(board, session):
    job_id = import_urls(session=session, urls=[board.url("/closed")], owner="local").job_ids[0]
    assert [e.message.split(" (")[0] for e in _events(session, job_id)] == ["Link checked: looks closed"]


# ---------------------------------------------------------------- before Process


def _aged(job_id: int, days: int) -> None:
    with session_scope() as s:
        job = s.get(Job, job_id)
        job.created_at = utcnow() - timedelta(days=days)
        if job.link_checked_at is not None:
            job.link_checked_at = job.created_at
        s.add(job)


def _import(*urls: str) -> list[int]:
    with session_scope() as s:
        return import_urls(session=s, urls=list(urls), owner="local").job_ids


def test_process_checks_old_links_and_leaves_closed_postings_out(default_store, board):
    for path in ("/a", "/b", "/c"):
        board.routes[path] = Route(JOB_SINGLE)
    old_open, old_closing, fresh = _import(board.url("/a"), board.url("/b"), board.url("/c"))
    _aged(old_open, 30)
    _aged(old_closing, 30)
    board.routes["/b"] = Route(JOB_NO_LONGER_ACCEPTING)  # closed since
    board.routes["/c"] = Route(JOB_NO_LONGER_ACCEPTING)  # the fresh job's page closed too, but it is not re-checked
    board.requests.clear()
    screened = screen_for_process([fresh, old_closing, old_open], owner="local", days=14)
    assert screened.process == [fresh, old_open] and screened.closed == [old_closing]
    assert screened.checked == 2 and screened.errors == 0
    assert sorted(p for p, _ in board.requests) == ["/a", "/b"]
    assert screened.message() == "1 posting looks closed and was left out (marked 'closed?'). Process it from its row to run anyway."
    with session_scope() as s:
        assert s.get(Job, old_closing).link_status == "closed" and s.get(Job, old_open).link_status == "open"
        assert s.get(Job, fresh).link_status == ""
        assert _events(s, old_closing)[-1].message.startswith("Link checked: looks closed")
    # checked just now: a second press checks nothing, the closed job is still left out
    board.requests.clear()
    again = screen_for_process([fresh, old_closing, old_open], owner="local", days=14)
    assert board.requests == [] and again.closed == [old_closing] and again.checked == 0


def test_link_check_days_zero_never_checks_nor_leaves_out(default_store, board, monkeypatch):
    (job_id,) = _import(board.url("/closed"))
    _aged(job_id, 400)
    board.requests.clear()
    monkeypatch.setattr(settings, "link_check_days", 0)
    screened = screen_for_process([job_id], owner="local")
    assert screened.process == [job_id] and screened.closed == [] and board.requests == []
    with session_scope() as s:
        assert stale_links(session=s, job_ids=[job_id], owner="local") == {}
        assert stale_links(session=s, job_ids=[job_id], owner="local", days=14) == {job_id: board.url("/closed")}


def test_a_link_that_cannot_be_read_never_blocks_processing(default_store, board):
    (job_id,) = _import(board.url("/open"))
    _aged(job_id, 30)
    board.routes["/open"] = Route("", status=503)
    screened = screen_for_process([job_id], owner="local", days=14)
    assert screened.process == [job_id] and screened.closed == [] and screened.errors == 1
    with session_scope() as s:
        job = s.get(Job, job_id)
        assert job.link_status == "error" and "503" in job.link_note
    # nothing listens at all (a refused connection): still processed
    with session_scope() as s:
        job = s.get(Job, job_id)
        job.url, job.link_checked_at = "http://127.0.0.1:9/gone", utcnow() - timedelta(days=30)
    assert screen_for_process([job_id], owner="local", days=14).process == [job_id]


def test_jobs_without_a_link_or_of_another_owner_are_not_checked(default_store, board):
    with session_scope() as s:
        pasted = Job(owner="local", source="paste", external_id="p1", title="Pasted", created_at=utcnow() - timedelta(days=90))
        theirs = Job(owner="other", source="link", external_id="t1", title="Theirs", url=board.url("/closed"), created_at=utcnow() - timedelta(days=90))
        s.add(pasted)
        s.add(theirs)
        s.flush()
        ids = [pasted.id, theirs.id]
    board.requests.clear()
    assert screen_for_process(ids, owner="local", days=14).process == ids and board.requests == []


def test_the_table_leaves_closed_out_and_the_rows_process_runs_it_anyway(root, board, monkeypatch):  # noqa: F811
    from jobapp.state import JobsState
    from pipeline.store.models import Run

    monkeypatch.setattr("pipeline.runs.dispatch.runs_queued", lambda ids: None)  # nothing executes here
    closed, open_ = _import(board.url("/closed"), board.url("/open"))
    _aged(closed, 30)
    _aged(open_, 30)
    board.routes["/closed"] = Route(JOB_NO_LONGER_ACCEPTING)
    jobs = sub(root, JobsState)

    def queued() -> list[int]:
        with session_scope() as s:
            return sorted(r.job_id for r in s.exec(select(Run)))

    async def go():
        await jobs.load()
        jobs.selected = [closed, open_]
        said = str(await jobs.process_selected())  # both links are old: a toast, then the check
        assert "Checking 2 older posting link(s) first" in said and "process_after_check" in said and queued() == []
        said = str(await jobs.process_after_check())
        assert "1 posting looks closed and was left out" in said and "Queued 1 run(s)" in said
        assert queued() == [open_]
        jobs.selected = [closed]
        said = str(await jobs.process_selected())
        assert "left out" in said and "Checking" not in said and queued() == [open_]  # checked just now; still left out
        assert await jobs.process_after_check() is None  # nothing waiting
        await jobs.process_row(closed)  # on purpose, from its row
        assert queued() == sorted([open_, closed])

    asyncio.run(go())


def test_the_cli_runs_a_named_job_even_when_its_posting_looks_closed(default_store, board, capsys):
    from pipeline.__main__ import main

    with session_scope() as s:
        s.add(Profile(name="Jane Doe", markdown=CV, confirmed_at=utcnow()))
    board.routes["/later"] = Route(JOB_SINGLE)
    (job_id,) = _import(board.url("/later"))
    _aged(job_id, 30)
    board.routes["/later"] = Route(JOB_NO_LONGER_ACCEPTING)
    assert main(["run", "--job-id", str(job_id)]) == 0
    err = capsys.readouterr().err
    assert "note: the posting looks closed (" in err and "running it anyway" in err and "succeeded" in err
    with session_scope() as s:
        assert s.get(Job, job_id).link_status == "closed"


def test_check_links_now_uses_its_own_short_sessions(default_store, board):
    open_id, closed_id = _import(board.url("/open"), board.url("/closed"))
    board.routes["/closed"] = Route(JOB_SINGLE)  # open again
    with session_scope() as s:
        s.add(Job(owner="local", source="paste", external_id="p2", title="No link"))
    out = check_links_now([open_id, closed_id, 999_999], owner="local")
    assert (out["checked"], out["open"], out["closed"], out["skipped"]) == (2, 2, 0, 1)
    with session_scope() as s:
        assert s.get(Job, closed_id).link_status == "open"
        assert _events(s, closed_id)[-1].message == "Link checked: open again"
    with pytest.raises(Exception, match="at most 200"):
        check_links_now(range(1, 202), owner="local")


def test_screening_on_the_store_given(db_url, board):
    """The same screen on a store named by URL (PostgreSQL from tests/integration/on_postgres/)."""
    for path in ("/x", "/y"):
        board.routes[path] = Route(JOB_SINGLE)
    with session_scope(db_url) as s:
        ids = import_urls(session=s, urls=[board.url("/x"), board.url("/y")], owner="local").job_ids
        for job in s.exec(select(Job).where(Job.id.in_(ids))):
            job.created_at = utcnow() - timedelta(days=20)
    board.routes["/y"] = Route(JOB_NO_LONGER_ACCEPTING)
    screened = screen_for_process(ids, owner="local", days=14, db_url=db_url)
    assert screened.process == [ids[0]] and screened.closed == [ids[1]] and screened.checked == 2
    with session_scope(db_url) as s:
        assert _events(s, ids[1])[-1].data["to"] == "closed"
        assert stale_links(session=s, job_ids=ids, owner="local", days=14) == {}
