"""The page's states driven in-process (no browser, no server): hand-offs between states, Find matches,
the table's filter table, and the pipeline use-cases the handlers call. The e2e tests drive the same
handlers through the page; these run in a second."""

from __future__ import annotations

import asyncio
import types

import pytest

from jobapp.state import views
from jobapp.state.base import in_session
from pipeline.sources.demo import load_demo
from pipeline.store.db import session_scope


@pytest.fixture
def root(default_store, monkeypatch):
    """A fresh root state with every substate, signed in as the local owner, on the demo data."""
    from reflex.state import State

    import jobapp.jobapp  # noqa: F401 - the app and every state class
    import jobapp.state.base as base
    from pipeline.accounts.auth import SignedIn

    monkeypatch.setattr(base, "require_signed_in", lambda state: SignedIn(owner="local", mode="local"))
    with session_scope() as s:
        load_demo(session=s)
    return State(_reflex_internal_init=True)


def sub(root, cls):
    return root.get_substate(cls.get_full_name().split(".")[1:])


class Proxy:
    """Stands in for Reflex's background-task proxy: `async with` is a no-op, methods rebind to the proxy."""

    def __init__(self, state):
        object.__setattr__(self, "_state", state)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return None

    def __getattr__(self, name):
        value = getattr(self._state, name)
        if isinstance(value, types.MethodType) and value.__self__ is self._state:
            return types.MethodType(value.__func__, self)
        return value

    def __setattr__(self, name, value):
        setattr(self._state, name, value)

    async def get_state(self, cls):
        return await self._state.get_state(cls)


def test_pipeline_use_cases_and_their_views(default_store):
    from pipeline.matching import batch_snapshot, latest_batch_snapshot, run_match_batch, start_match_batch
    from pipeline.runs.results import job_overview
    from pipeline.store.jobs import JobQuery, add_note, list_jobs, new_key
    from pipeline.store.profiles import profile_label, profile_summary

    with session_scope() as s:
        assert profile_summary(session=s, owner="local") is None
        assert profile_label(session=s, owner="local") == "no profile yet"
        assert latest_batch_snapshot(session=s, owner="local") is None
        load_demo(session=s)
    with session_scope() as s:
        summary = profile_summary(session=s, owner="local")
        assert summary["confirmed"] and summary["source"] == "demo CV"
        titles = [views.title_view(t) for t in summary["titles"]]
        assert titles and all(t.title for t in titles)
        assert profile_label(session=s, owner="local").endswith("(demo)")
        rows = [views.job_row(r) for r in list_jobs(session=s, query=JobQuery(owner="local")).rows]
        assert rows and all(isinstance(r.last_run_status, str) for r in rows)
        add_note(session=s, job_id=rows[0].id, text="called them", key=new_key(), owner="local")
    with session_scope() as s:
        found = job_overview(session=s, job_id=rows[0].id, owner="local")
        assert job_overview(session=s, job_id=rows[0].id, owner="user:9") is None, "another owner's job does not exist"
    detail = views.job_detail(found.job, found.posting_html)
    assert detail.id == rows[0].id and detail.posting_html and detail.created_at
    assert any("called them" in h.message for h in map(views.history_item, found.history))
    assert found.result is None

    with session_scope() as s:
        batch_id = start_match_batch(session=s, owner="local", titles=[t.title for t in titles][:2])
    asyncio.run(run_match_batch(batch_id))
    with session_scope() as s:
        latest = latest_batch_snapshot(session=s, owner="local")
        progress, results = batch_snapshot(session=s, owner="local", batch_id=batch_id)
    assert latest == (batch_id, progress, results) and progress["finished"]
    assert [q.status for q in map(views.query_view, progress["queries"])] == ["succeeded", "succeeded"]
    assert [m.job_id for m in map(views.match_view, results)] == [r["id"] for r in results]


def test_account_and_token_handlers_call_the_pipeline_directly(default_store):
    from pipeline.accounts.tokens import create_token, list_tokens, revoke_token
    from pipeline.accounts.users import add_user, disable_user, list_users

    async def go():
        user = await in_session(add_user, email="Ann@Example.com", password="correct horse battery", is_admin=True)
        assert user.email == "ann@example.com"
        [row] = [views.user_row(u) for u in await in_session(list_users)]
        assert (row.role, row.active, row.last_sign_in) == ("admin", True, "never")
        assert (await in_session(disable_user, email=user.email)).disabled_at is not None
        _, secret = await in_session(create_token, owner="local", name="ci")
        [token] = [views.token_row(t) for t in await in_session(list_tokens, owner="local")]
        assert secret and token.name == "ci" and not token.revoked
        assert await in_session(revoke_token, owner="local", token_id=token.id)
        assert not await in_session(revoke_token, owner="local", token_id=token.id)
        assert [views.token_row(t) for t in await in_session(list_tokens, owner="local")][0].revoked

    asyncio.run(go())


def test_profile_open_restores_matches_and_a_job_takes_the_inspector_back(root):
    from jobapp.state import DetailState, JobsState, MatchesState, ProfileState
    from pipeline.matching import run_match_batch, start_match_batch

    profile, matches, detail, jobs = (sub(root, c) for c in (ProfileState, MatchesState, DetailState, JobsState))

    async def go():
        events = await profile.open()
        assert profile.shown and profile.has_profile and profile.confirmed and profile.titles
        assert len(events) == 1 and "open_profile" in str(events[0]), "the master CV opens; no batch to show yet"
        with session_scope() as s:
            batch_id = start_match_batch(session=s, owner="local", titles=[t.title for t in profile.titles][:2])
        events = await profile.open()
        assert matches.batch_id == batch_id and "follow_batch" in str(events[-1]), "an unfinished batch is followed"
        await run_match_batch(batch_id)
        events = await profile.open()
        assert len(events) == 1 and matches.batch_text.startswith("2/2") and matches.queries

        await jobs.load()
        job_id = jobs.rows[0].id
        await detail.open(job_id)
        assert not profile.shown and detail.job.id == job_id and detail.history
        assert "set_tab" in str(profile.close())
        if matches.matches:
            shortlisted = matches.matches[0].job_id
            assert "set_row_status" in str(await matches.shortlist(shortlisted))
            assert next(m for m in matches.matches if m.job_id == shortlisted).status == "shortlisted"
        events = await jobs.set_row_status(job_id, "applied")
        assert "refresh" in str(events[1])
        await detail.refresh()
        assert detail.job.status == "applied"

    asyncio.run(go())


def test_find_matches_searches_the_profile_titles_and_shows_the_matches_tab(root):
    from jobapp.state import MatchesState, ProfileState

    profile, matches = sub(root, ProfileState), sub(root, MatchesState)

    async def go():
        await profile.open()
        assert profile.tab == "cv"
        events = [e async for e in MatchesState.find_matches.fn(Proxy(matches))]
        assert profile.tab == "matches" and not matches.matching and matches.batch_id and matches.matches
        assert "Found" in str(events[-1])
        events = [e async for e in MatchesState.follow_batch.fn(Proxy(matches), matches.batch_id)]
        assert "Found" in str(events[-1])
        profile.titles = []
        events = [e async for e in MatchesState.find_matches.fn(Proxy(matches))]
        assert "Add at least one job title" in str(events[-1])

    asyncio.run(go())


def test_one_filter_handler_normalises_each_filter(root):
    from jobapp.state import JobsState

    jobs = sub(root, JobsState)

    async def go():
        await jobs.load()
        total = jobs.total
        jobs.page = 2
        await jobs.set_filter("status", "new")
        assert jobs.status_filter == ["new"] and jobs.page == 1 and jobs.filters_active
        await jobs.set_filter("status", "new")
        assert jobs.status_filter == [], "the same chip again clears"
        await jobs.set_filter("status", "new")
        await jobs.set_filter("status", "")
        assert jobs.status_filter == [] and jobs.total == total, "the all chip clears"
        await jobs.set_filter("q", "x" * 300)
        assert jobs.q == "x" * 200 and jobs.total == 0
        await jobs.set_filter("q", "")
        await jobs.set_filter("source", "greenhouse")  # six of the thirty demo postings came from a Greenhouse board
        assert jobs.source_filter == "greenhouse" and jobs.total == 6 < total
        await jobs.set_filter("source", "any")
        await jobs.set_filter("has_run", "yes")
        assert jobs.source_filter == "" and jobs.has_run == "yes" and jobs.total == 0
        await jobs.set_filter("has_run", "any")
        await jobs.set_filter("min_score", " 1234 ")
        await jobs.set_filter("max_score", " 9 ")
        assert (jobs.has_run, jobs.min_score, jobs.max_score) == ("", "123", "9")
        await jobs.set_filter("duplicates", "")
        assert jobs.duplicates_only is True
        await jobs.set_filter("duplicates", "")
        assert jobs.duplicates_only is False
        await jobs.set_filter("no such filter", "1")
        await jobs.clear_filters()
        assert not jobs.filters_active and jobs.total == total

        jobs.selected = [jobs.rows[0].id]
        events = await jobs.bulk_archive()
        assert "jobs_state.undo_archive" in str(events[0]), "the toast's Undo is JobsState's handler"
        assert jobs.total == total - 1 and jobs.selected == []
        events = await jobs.undo_archive()
        assert "Restored 1 job" in str(events[0]) and jobs.total == total

    asyncio.run(go())


def test_the_source_filter_offers_the_owner_s_sources_and_keeps_the_chosen_one(root):
    from jobapp.state import JobsState
    from pipeline.store.models import Job

    jobs = sub(root, JobsState)
    with session_scope() as s:
        s.add(Job(owner="user:9", source="mongo", external_id="elsewhere", title="Someone else's job"))

    async def go():
        await jobs.load()
        assert jobs.sources == ["ashby", "file", "greenhouse", "lever", "link", "paste"], "the demo's sources, not another owner's"
        assert jobs.source_options == jobs.sources
        await jobs.set_filter("source", "link")
        assert jobs.total == 6 and jobs.source_options == jobs.sources
        with session_scope() as s:
            s.add(Job(owner="local", source="ashby", external_id="ashby-1", title="Imported from a board"))
        await jobs.load()  # an import reloads the table
        assert jobs.source_filter == "link" and jobs.total == 6
        await jobs.set_filter("source", "mongo")  # chosen, no job of the owner's has it
        assert jobs.total == 0 and jobs.source_options == ["ashby", "file", "greenhouse", "lever", "link", "mongo", "paste"]
        await jobs.set_filter("source", "any")
        assert "mongo" not in jobs.source_options

    asyncio.run(go())
