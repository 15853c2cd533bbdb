"""What the Settings panel saves is used: the owner's concurrency in the local dispatcher, the page
budget and ATS-safe text as a job's default layout, the spending caps and the confirmation
threshold (raised in the page, Resume works without a restart), and the offline analyst chosen
in the page over an environment key. Store tests run on SQLite here and on PostgreSQL from
tests/integration/on_postgres/test_settings_used.py."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from pipeline.documents.layout import Layout
from pipeline.llm import config
from pipeline.llm.base import Usage
from pipeline.runs import budget, queue
from pipeline.runs.documents import run_layout
from pipeline.settings import settings
from pipeline.store.db import session_scope
from pipeline.store.models import Job, Run
from pipeline.store.runs import create_batch, create_run

ME, OTHER = "user:1", "user:2"


@pytest.fixture
def env(monkeypatch):
    """No model, no caps and a ceiling of 4 in the environment, whatever the machine's .env says."""
    for name, value in (("openai_api_key", None), ("openai_base_url", None), ("max_concurrency", 4), ("max_cost_per_batch", 0.0),
                        ("max_cost_per_month", 0.0), ("confirm_cost_above", 0.5)):
        monkeypatch.setattr(settings, name, value)
    return monkeypatch


def _save(session: Session, owner: str = ME, **fields) -> None:
    current = config.load(session=session, owner=owner).settings.model_dump()
    for key, value in fields.items():
        if key in ("concurrency", "cv_pages", "ats_safe", "web_research"):
            current["run"][key] = value
        else:
            current[key] = value
    config.save(current, session=session, owner=owner)


def _runs(session: Session, n: int, *, owner: str = ME, low: float | None = None, high: float | None = None) -> list[int]:
    batch = create_batch(session=session, total=n, owner=owner)
    ids = []
    for i in range(n):
        job = Job(source="demo", external_id=f"{owner}-{batch.id}-{i}", title=f"Role {i}", company="Acme", owner=owner)
        session.add(job)
        session.flush()
        run = create_run(session=session, job_id=job.id, batch_id=batch.id, owner=owner)
        run.estimate_low_usd, run.estimate_high_usd = low, high
        session.add(run)
        ids.append(run.id)
    session.flush()
    return ids


def _status(session: Session, ids: list[int]) -> list[str]:
    session.expire_all()
    return [session.get(Run, i).status for i in ids]


# ----------------------------------------------------------------------------- concurrency


def test_the_saved_concurrency_limits_the_owners_running_runs(session, env):
    _save(session, concurrency=1)
    mine, theirs = _runs(session, 3), _runs(session, 3, owner=OTHER)
    claimed = queue.claim_queued(session=session, worker="w", limit=10, per_owner=True)
    assert claimed == [mine[0], *theirs]  # me: 1 at once; the other owner: MAX_CONCURRENCY (4)
    assert queue.claim_queued(session=session, worker="w", limit=10, per_owner=True) == []
    assert queue.owner_room(session=session) == {ME: 0}
    _save(session, concurrency=2)  # a change applies to the next claim: no restart
    assert queue.claim_queued(session=session, worker="w", limit=10, per_owner=True) == [mine[1]]
    assert _status(session, mine) == ["running", "running", "queued"]


def test_without_per_owner_limits_claim_is_unchanged(session, env):
    _save(session, concurrency=1)
    ids = _runs(session, 3)
    assert queue.claim_queued(session=session, worker="w", limit=10) == ids  # e.g. tests, the CLI


def test_max_concurrency_stays_the_ceiling(session, env):
    _save(session, concurrency=10)
    eff = config.effective_settings(ME, session=session)
    assert eff.concurrency == 4 and eff.sources["concurrency"] == "saved"
    assert config.effective_settings(OTHER, session=session).concurrency == 4


def test_the_local_dispatcher_runs_one_at_a_time_for_an_owner_who_saved_1(default_store, env):
    from pipeline.runs.local import LocalDispatcher
    from pipeline.store.models import LOCAL_OWNER, Profile, utcnow
    from tests.support.scripted_analyst import ScriptedAnalyst

    desc = "We move freight across Europe. You will build our data platform in Python and SQL. " * 3
    with session_scope() as s:
        s.add(Profile(name="Jane", markdown="# Jane Doe\n\n## Experience\n\n- Built pipelines in Python.\n", confirmed_at=utcnow()))
        jobs = [Job(source="demo", external_id=f"c{i}", title=f"Engineer {i}", company=f"Co {i}", description=desc) for i in range(3)]
        s.add_all(jobs)
        s.flush()
        _save(s, owner=LOCAL_OWNER, concurrency=1)
        ids = queue.queue_runs(session=s, job_ids=[j.id for j in jobs]).run_ids
    d = LocalDispatcher(max_concurrency=3, poll_seconds=0.05, analyst_factory=lambda: ScriptedAnalyst(delay=0.02))

    async def drain():
        task = asyncio.create_task(d.run_forever())
        try:
            deadline = time.monotonic() + 60
            while True:
                with session_scope() as s:
                    if all(st == "succeeded" for st in _status(s, ids)):
                        return
                assert time.monotonic() < deadline
                await asyncio.sleep(0.05)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    asyncio.run(drain())
    assert d.peak == 1


# ----------------------------------------------------------------------------- a job's default layout


def test_a_job_without_a_layout_gets_the_saved_page_budget_and_ats_text(session, env):
    from pipeline.store.jobs import set_layout

    run_id = _runs(session, 1)[0]
    assert run_layout(session=session, run_id=run_id, owner=ME)[1] == Layout()  # nothing saved: built-in
    _save(session, cv_pages=1, ats_safe=True)
    job_id, layout = run_layout(session=session, run_id=run_id, owner=ME)
    assert (layout.cv_pages, layout.ats_safe, layout.template) == (1, True, Layout().template)
    set_layout(session=session, job_id=job_id, layout={**layout.as_dict(), "cv_pages": 2, "ats_safe": False}, owner=ME)
    assert run_layout(session=session, run_id=run_id, owner=ME)[1].cv_pages == 2  # the job's own choice wins
    assert run_layout(session=session, run_id=run_id, owner=ME)[1].ats_safe is False


def test_layout_of_fills_what_is_missing_from_the_defaults():
    base = Layout.defaults(cv_pages=1, ats_safe=True)
    assert Layout.of({}, defaults=base) == base
    assert Layout.of({"cv_pages": 2, "ats_safe": False, "template": "nope"}, defaults=base) == Layout(cv_pages=2, ats_safe=False)
    assert Layout.of({"cv_pages": 7}) == Layout() and Layout.defaults() == Layout()


# ----------------------------------------------------------------------------- spending


def test_spending_falls_back_to_the_environment_and_says_where_it_came_from(session, env):
    env.setattr(settings, "max_cost_per_month", 20.0)
    eff = config.effective_settings(ME, session=session)
    assert (eff.confirm_cost_above, eff.max_cost_per_batch, eff.max_cost_per_month) == (0.5, 0.0, 20.0)
    assert eff.sources["max_cost_per_month"] in ("environment", "default")
    _save(session, confirm_cost_above=2.5, max_cost_per_batch=0, max_cost_per_month=50)
    eff = config.effective_settings(ME, session=session)
    assert (eff.confirm_cost_above, eff.max_cost_per_batch, eff.max_cost_per_month) == (2.5, 0.0, 50.0)
    assert {eff.sources[k] for k in ("confirm_cost_above", "max_cost_per_batch", "max_cost_per_month")} == {"saved"}
    assert budget.caps_for(ME, session=session) == budget.Caps(batch=0.0, month=50.0, batch_from=budget.SAVED, month_from=budget.SAVED)
    assert budget.caps_for(OTHER, session=session).month == 20.0  # per owner
    with pytest.raises(config.SettingsError, match="max_cost_per_month"):
        config.validate({"max_cost_per_month": -1})


def test_a_run_held_by_the_monthly_cap_runs_after_the_cap_is_raised_in_the_page(session, env):
    env.setattr(settings, "max_cost_per_month", 0.15)  # the environment's cap
    job = Job(source="demo", external_id="spent", title="Spent", owner=ME)
    session.add(job)
    session.flush()
    now = datetime.now(UTC)
    session.add(Run(job_id=job.id, owner=ME, status="succeeded", cost_usd=0.10, created_at=now, started_at=now, finished_at=now))
    session.flush()
    ids = _runs(session, 1, low=0.08, high=0.12)
    assert queue.claim_queued(session=session, worker="w", limit=5, per_owner=True) == []
    assert _status(session, ids) == ["held"]
    assert "MAX_COST_PER_MONTH" in session.get(Run, ids[0]).error_message
    with pytest.raises(ValueError, match="Settings → Spending"):
        budget.resume_held(session=session, owner=ME)
    _save(session, max_cost_per_month=1.0)  # raised in the page: no restart, no environment change
    assert budget.resume_held(session=session, owner=ME) == ids
    assert queue.claim_queued(session=session, worker="w", limit=5, per_owner=True) == ids
    assert _status(session, ids) == ["running"]


def test_a_saved_batch_cap_holds_and_says_it_was_saved_and_0_lifts_the_environments(session, env):
    env.setattr(settings, "max_cost_per_batch", 0.01)
    _save(session, max_cost_per_batch=0.25)
    ids = _runs(session, 4, low=0.08, high=0.12)
    assert queue.claim_queued(session=session, worker="w", limit=10) == ids[:2]
    assert _status(session, ids)[2:] == ["held", "held"]
    assert budget.SAVED in session.get(Run, ids[2]).error_message
    _save(session, max_cost_per_batch=0)  # 0: no cap, even though the environment has one
    assert budget.resume_held(session=session, owner=ME) == ids[2:]
    assert queue.claim_queued(session=session, worker="w", limit=10) == ids[2:]


def test_the_confirmation_threshold_is_the_saved_one(default_store, env):
    from pipeline.runs import costs
    from pipeline.sources.demo import load_demo
    from pipeline.store.models import LOCAL_OWNER

    env.setattr(settings, "openai_api_key", "sk-threshold-test-000000")
    env.setattr(settings, "model", "gpt-4o-mini")
    env.setattr(settings, "writing_model", "")
    env.setattr(settings, "confirm_cost_above", 0.0)
    with session_scope() as s:
        load_demo(session=s)
        ids = [j.id for j in s.query(Job).order_by(Job.id).all()][:2]
        asked = costs.preview_batch(session=s, job_ids=ids, owner=LOCAL_OWNER)
        assert asked.confirm and asked.threshold == 0.0 and asked.threshold_from == "CONFIRM_COST_ABOVE"
        _save(s, owner=LOCAL_OWNER, confirm_cost_above=1000.0)
        quiet = costs.preview_batch(session=s, job_ids=ids, owner=LOCAL_OWNER)
        assert not quiet.confirm and quiet.threshold == 1000.0 and quiet.threshold_from == "Settings → Spending"


# ----------------------------------------------------------------------------- the offline analyst, chosen


def test_the_offline_preset_wins_over_an_environment_key(session, env):
    from pipeline.llm.estimate import configured_models
    from pipeline.llm.models import describe_model, make_analyst
    from pipeline.llm.offline import OfflineAnalyst
    from pipeline.llm.openai_analyst import LLMAnalyst

    env.setattr(settings, "openai_api_key", "sk-env-key-should-not-be-used-0000")
    env.setattr(settings, "model", "gpt-4o-mini")
    assert isinstance(make_analyst(usage=Usage(), effective=config.effective_settings(ME, session=session)), LLMAnalyst)
    _save(session, provider="offline", base_url="https://example.com/v1")  # no model needed; a stale URL is not used
    eff = config.effective_settings(ME, session=session)
    assert eff.offline and eff.api_key is None and eff.base_url is None and eff.key_source == "" and not eff.problems
    assert isinstance(make_analyst(usage=Usage(), effective=eff), OfflineAnalyst)
    assert describe_model(effective=eff) == "offline analyst"
    assert configured_models(owner=ME, session=session).offline  # no estimate, no confirmation, never held
    assert not config.effective_settings(OTHER, session=session).offline  # the other owner keeps the environment's model


def test_the_panel_shows_and_saves_the_offline_preset_and_the_spending_fieldset(session, env):
    from jobapp.state.settings_panel_views import OFFLINE_REPORT, check_connection, load_panel, save_panel

    env.setattr(settings, "openai_api_key", "sk-env-key-should-not-be-used-0000")
    data = load_panel(session=session, owner=ME)
    assert data["model_label"] != "offline analyst" and data["form"]["max_cost_per_month"] == ""
    assert data["effective"]["confirm_cost_above"] == "0.5" and data["effective"]["concurrency_ceiling"] == "4"
    form = {**data["form"], "provider": "offline", "confirm_cost_above": "$1,50", "max_cost_per_batch": "0", "max_cost_per_month": "25"}
    data = save_panel(session=session, owner=ME, form=form)
    assert data["model_label"] == "offline analyst"
    assert (data["form"]["confirm_cost_above"], data["form"]["max_cost_per_batch"], data["form"]["max_cost_per_month"]) == ("1.5", "0", "25")
    assert data["sources"]["max_cost_per_month"] == "saved" and data["effective"]["max_cost_per_month"] == "25"
    report = check_connection(config.effective_settings(ME, session=session))
    assert report["message"] == OFFLINE_REPORT and report["models"] == []
    with pytest.raises(config.SettingsError, match="Monthly cap"):
        save_panel(session=session, owner=ME, form={**form, "max_cost_per_month": "lots"})


def test_the_header_shows_the_effective_concurrency(session, env):
    from jobapp.state.header import HeaderState, runs_label

    assert runs_label(session=session, owner=ME) == "local ×4"
    _save(session, concurrency=2)
    assert runs_label(session=session, owner=ME) == "local ×2"
    env.setattr(settings, "redis_url", "redis://localhost:6379/0")
    assert runs_label(session=session, owner=ME) == "celery ×4"  # hosted: the workers' deployment setting
    assert "model_label" not in HeaderState.vars  # the model pill is the Settings panel's



# ----------------------------------------------------------------------------- web research, the owner's


@pytest.mark.parametrize("saved", [False, True])
def test_the_saved_web_research_decides_whether_a_run_reads_the_company_site(session, env, saved):
    from pipeline.graph.schemas import Intake, Posting
    from pipeline.llm.models import make_analyst
    from pipeline.web import site
    from tests.support.company_site import routes
    from tests.support.web_pages import WebServer

    env.setenv("ALLOW_PRIVATE_FETCH", "1")
    env.setattr(site, "MIN_INTERVAL", 0.0)
    env.setattr(settings, "web_research", not saved)  # the environment's default says the opposite: the saved value wins
    site.clear_cache()
    _save(session, provider="offline", web_research=saved)
    analyst = make_analyst(usage=Usage(), effective=config.effective_settings(ME, session=session))
    intake = Intake(title="Senior Data Engineer", company="Northwind Health", location="Leeds")
    try:
        with WebServer(routes()) as web:
            posting = Posting(title="Senior Data Engineer", company="Northwind Health", url=web.url("/careers/senior-data-engineer"),
                              description="Senior Data Engineer\n\nBuild Airflow pipelines over PostgreSQL.")
            research = asyncio.run(analyst.research(posting, intake))
            people = asyncio.run(analyst.people(posting, intake))
            fetched = list(web.requests)
    finally:
        site.clear_cache()
    if saved:
        assert fetched and research.facts and any(c.name for c in people.contacts if c.source != "posting")
    else:
        assert fetched == [] and research.facts == [] and research.sources == ["posting"]
    # nothing saved: the environment's WEB_RESEARCH is the default
    _save(session, web_research=None)
    assert config.effective_settings(ME, session=session).web_research is (not saved)
