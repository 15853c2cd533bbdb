"""Process with a paid model in the page's states (no browser): the estimate is shown and confirmed
before anything is queued; Cancel queues nothing; held runs resume from the runs panel; the header
shows the month's spend."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from pipeline.settings import settings
from pipeline.store.db import session_scope
from pipeline.store.models import Run
from tests.unit import test_page_states as pages

root = pages.root  # the fixture: a root state with every substate, signed in, on the demo data
sub = pages.sub


@pytest.fixture
def paid(monkeypatch):
    monkeypatch.setattr(settings, "openai_api_key", "sk-state-test-0000000")
    monkeypatch.setattr(settings, "openai_base_url", None)
    monkeypatch.setattr(settings, "model", "gpt-4o-mini")
    monkeypatch.setattr(settings, "writing_model", "")
    monkeypatch.setattr(settings, "confirm_cost_above", 0.0)
    monkeypatch.setattr("pipeline.runs.dispatch.runs_queued", lambda ids: None)  # nothing executes here


def _runs() -> list[Run]:
    with session_scope() as s:
        return list(s.exec(select(Run).order_by(Run.id)).all())


def test_process_asks_first_cancel_queues_nothing_confirm_queues(root, paid):
    from jobapp.state import HeaderState, JobsState

    jobs, header = sub(root, JobsState), sub(root, HeaderState)

    async def go():
        await jobs.load()
        ids = [r.id for r in jobs.rows[:2]]
        jobs.selected = ids
        await jobs.process_selected()
        assert jobs.cost_open and jobs.cost_count == 2 and len(jobs.cost_lines) == 2
        assert all(line.cost.startswith("$") and "–" in line.cost for line in jobs.cost_lines)
        assert jobs.cost_total.startswith("$") and "gpt-4o-mini" in jobs.cost_models and jobs.cost_threshold == "$0.00"
        assert _runs() == []  # asking costs nothing
        assert "Cancelled" in str(jobs.cancel_cost())
        assert not jobs.cost_open and _runs() == []
        assert jobs.set_cost_open(False) is None  # Escape after Cancel: nothing more happens

        await jobs.process_selected()
        assert "cancel_cost" in str(jobs.set_cost_open(False))  # Escape is Cancel
        jobs.cancel_cost()
        await jobs.process_selected()
        await jobs.confirm_cost()
        runs = _runs()
        assert sorted(r.job_id for r in runs) == sorted(ids) and not jobs.cost_open
        assert all(r.estimate_low_usd and r.estimate_high_usd for r in runs)
        await header.load()
        assert header.spend == "$0"  # a paid model is configured: shown, nothing spent yet

    asyncio.run(go())


def test_below_the_threshold_or_offline_queues_at_once(root, paid, monkeypatch):
    from jobapp.state import HeaderState, JobsState

    jobs, header = sub(root, JobsState), sub(root, HeaderState)
    monkeypatch.setattr(settings, "confirm_cost_above", 100.0)

    async def go():
        await jobs.load()
        await jobs.process_row(jobs.rows[0].id)
        assert not jobs.cost_open and len(_runs()) == 1
        monkeypatch.setattr(settings, "openai_api_key", None)
        monkeypatch.setattr(settings, "confirm_cost_above", 0.0)
        await jobs.process_row(jobs.rows[1].id)
        assert not jobs.cost_open and len(_runs()) == 2 and _runs()[1].estimate_high_usd is None
        await header.load()
        assert header.spend == ""  # offline and nothing spent: no spend in the header

    asyncio.run(go())


def test_held_runs_resume_from_the_runs_panel(root, paid, monkeypatch):
    from jobapp.state import JobsState, RunsState
    from pipeline.runs.queue import claim_queued

    jobs, runs = sub(root, JobsState), sub(root, RunsState)
    monkeypatch.setattr(settings, "confirm_cost_above", 100.0)
    monkeypatch.setattr(settings, "max_cost_per_batch", 0.000001)

    async def go():
        await jobs.load()
        jobs.selected = [r.id for r in jobs.rows[:2]]
        await jobs.process_selected()
        with session_scope() as s:
            assert claim_queued(session=s, worker="w", limit=5) == []
        await runs._refresh_panel()
        assert runs.held_count == 2 and all(r.status == "held" for r in runs.runs)
        assert all(r.reason.startswith("held: budget") and r.cost.startswith("est. $") for r in runs.runs)
        assert "2 held" in runs.batch_text and "est. $" in runs.batch_text
        assert "Still held" in str(await runs.resume_all())  # the cap was not raised
        monkeypatch.setattr(settings, "max_cost_per_batch", 0.0)
        assert "Resumed 2 run(s)" in str(await runs.resume_all())
        assert runs.held_count == 0 and all(r.status == "queued" for r in runs.runs)

    asyncio.run(go())
