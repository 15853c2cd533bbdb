"""LangSmith tracing: off by default with no change to the graph's config; on, one real offline
run hands LangChain the run's name, tags, metadata and the root id the runs panel links to.
LangSmith itself is never called: the tracer is swapped for LangChain's in-memory collector."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from langchain_core.tracers.langchain import LangChainTracer
from langchain_core.tracers.run_collector import RunCollectorCallbackHandler
from sqlmodel import select

from pipeline.llm import tracing
from pipeline.redact import redact
from pipeline.runs import runner
from pipeline.runs.checkpoint import open_checkpointer
from pipeline.runs.queue import recent_runs
from pipeline.settings import settings
from pipeline.store.db import session_scope
from pipeline.store.models import Artifact, Job, Profile, RunEvent, utcnow
from pipeline.store.runs import create_run

KEY = "lsv2_pt_" + "k3y" * 12 + "_secret"
CV = "# Jane Doe\n\n## Experience\n\n- Built pipelines in Python processing 2 TB a day.\n- Cut warehouse costs by 30%.\n"
DESCRIPTION = "We move freight across Europe. You will build our data platform in Python and SQL. " * 3


@pytest.fixture(autouse=True)
def _no_ambient_tracing(monkeypatch):
    """Only our settings decide: no LangSmith variables from the developer's shell, no model key."""
    for name in ("LANGSMITH_TRACING", "LANGCHAIN_TRACING_V2", "LANGSMITH_TRACING_V2", "LANGCHAIN_TRACING",
                 "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(settings, "openai_api_key", None)
    monkeypatch.setattr(settings, "langsmith_api_key", None)
    monkeypatch.setattr(settings, "langsmith_tracing", "")
    monkeypatch.setattr(settings, "langsmith_ui_url", "")
    monkeypatch.setattr(settings, "langsmith_endpoint", None)


def _tracing_on(monkeypatch, ui_url: str = "") -> None:
    monkeypatch.setattr(settings, "langsmith_api_key", KEY)
    monkeypatch.setattr(settings, "langsmith_tracing", "true")
    monkeypatch.setattr(settings, "langsmith_ui_url", ui_url)


@pytest.fixture
def stored_run(default_store) -> tuple[int, int]:
    """A confirmed profile, one job and one queued run in the scratch store: (run_id, job_id)."""
    with session_scope() as s:
        s.add(Profile(name="Jane Doe", markdown=CV, confirmed_at=utcnow()))
        job = Job(source="demo", external_id="trace-1", title="Data Engineer", company="Kestrel Freight", location="Leeds", description=DESCRIPTION)
        s.add(job)
        s.flush()
        return create_run(session=s, job_id=job.id).id, job.id


def _spy_on_graph(monkeypatch) -> list[dict]:
    """Record the config the runner hands the compiled graph, then invoke the real graph."""
    seen: list[dict] = []
    real = runner.compiled

    class Spy:
        def __init__(self, graph) -> None:
            self._graph = graph

        def __getattr__(self, name):
            return getattr(self._graph, name)

        async def ainvoke(self, inputs, config, **kwargs):
            seen.append(config)
            return await self._graph.ainvoke(inputs, config, **kwargs)

    monkeypatch.setattr(runner, "compiled", lambda checkpointer: Spy(real(checkpointer)))
    return seen


def _execute(run_id: int) -> runner.RunOutcome:
    """The app's path: a stored run, the offline analyst (no analyst passed), SQLite checkpoints."""

    async def go():
        async with open_checkpointer() as saver:
            return await runner.execute_run(run_id, checkpointer=saver)  # the default sink stores RunEvents

    return asyncio.run(go())


def _row(run_id: int) -> dict:
    with session_scope() as s:
        return next(r for r in recent_runs(session=s) if r["id"] == run_id)


def test_off_by_default_the_graph_gets_its_old_config_and_rows_no_link(stored_run, monkeypatch):
    run_id, _ = stored_run
    seen = _spy_on_graph(monkeypatch)
    assert not settings.tracing_enabled and tracing.trace_config(run_id=run_id, job_id=1, attempt=1) == {}
    outcome = _execute(run_id)
    assert outcome.status == "succeeded", outcome.error
    (config,) = seen
    assert set(config) == {"configurable", "recursion_limit"}  # no metadata, tags, callbacks or run_id
    assert tracing.trace_url(run_id, 1) is None and tracing.run_trace_url(_row(run_id)) is None
    from jobapp.state.run_views import run_view

    assert run_view(_row(run_id)).trace_url == ""


def test_a_key_alone_or_an_odd_flag_leaves_tracing_off(monkeypatch):
    monkeypatch.setattr(settings, "langsmith_api_key", KEY)
    for flag in ("", "false", "local", "maybe"):
        monkeypatch.setattr(settings, "langsmith_tracing", flag)
        assert not settings.tracing_enabled
    monkeypatch.setattr(settings, "langsmith_tracing", " TRUE ")
    assert settings.tracing_enabled


def test_on_one_real_run_hands_langchain_the_trace_the_panel_links_to(stored_run, monkeypatch):
    run_id, job_id = stored_run
    _tracing_on(monkeypatch)
    collector = RunCollectorCallbackHandler()
    monkeypatch.setattr(tracing, "_tracer", lambda: collector)  # in memory: LangSmith is never called
    seen = _spy_on_graph(monkeypatch)

    outcome = _execute(run_id)
    assert outcome.status == "succeeded", outcome.error

    (config,) = seen
    root = tracing.root_run_id(run_id, 1)
    assert config["run_id"] == root and config["callbacks"] == [collector]
    assert config["tags"] == ["jobapp", f"run:{run_id}", f"job:{job_id}"]
    meta = config["metadata"]
    assert (meta["run_id"], meta["job_id"], meta["attempt"], meta["model"]) == (run_id, job_id, 1, "offline")
    assert "owner" not in meta
    # LangChain really received it: the collector saw one root run with that id, name and metadata,
    # and the layers as its children (one trace, not one per node).
    (traced,) = collector.traced_runs
    assert traced.id == root and traced.parent_run_id is None
    assert traced.name == f"jobapp run {run_id}: Data Engineer @ Kestrel Freight"
    assert traced.extra["metadata"]["run_id"] == run_id and traced.extra["metadata"]["job_id"] == job_id
    assert {"jobapp", f"run:{run_id}"} <= set(traced.tags)
    assert len(traced.child_runs) >= 3
    # ... and the runs panel links to exactly that root run.
    url = tracing.trace_url(run_id, 1)
    assert url == f"https://smith.langchain.com/r/{root}"
    assert tracing.run_trace_url(_row(run_id)) == url  # the recent_runs row the panel maps carries it
    from jobapp.state.run_views import run_view

    assert run_view(_row(run_id)).trace_url == url
    # The key never lands in the run's log, its artifacts or its checkpoints.
    with session_scope() as s:
        events = s.exec(select(RunEvent).where(RunEvent.run_id == run_id)).all()
        artifacts = s.exec(select(Artifact).where(Artifact.run_id == run_id)).all()
    assert events and artifacts
    assert not [e for e in events if KEY in e.message or KEY in str(e.data)]
    for a in artifacts:
        assert KEY.encode() not in Path(a.path).read_bytes(), a.name
    assert KEY.encode() not in (settings.data_dir / "checkpoints.sqlite").read_bytes()


def test_the_root_id_is_stable_per_run_and_attempt():
    a = tracing.root_run_id(42, 1)
    assert a == tracing.root_run_id(42, 1) and a.version == 5
    assert len({a, tracing.root_run_id(42, 2), tracing.root_run_id(43, 1)}) == 3


def test_links_follow_the_ui_setting_and_the_endpoint(monkeypatch):
    _tracing_on(monkeypatch, ui_url="https://smith.langchain.com/o/org-1/projects/p/proj-2?timeModel=x")
    root = tracing.root_run_id(7, 2)
    assert tracing.trace_url(7, 2) == f"https://smith.langchain.com/o/org-1/projects/p/proj-2/r/{root}?poll=true"
    _tracing_on(monkeypatch)
    monkeypatch.setattr(settings, "langsmith_endpoint", "https://eu.api.smith.langchain.com")
    assert tracing.trace_url(7, 2) == f"https://eu.smith.langchain.com/r/{root}"
    assert tracing.trace_url(0, 1) is None  # a CLI run (no stored run) has no link
    assert tracing.run_trace_url({"id": 7, "attempt": 2, "started": False}) is None  # no trace before it starts
    assert tracing.run_trace_url({"id": 7, "attempt": 2, "started": True}) == tracing.trace_url(7, 2)


def test_the_real_tracer_is_built_from_our_settings_without_calling_langsmith(monkeypatch):
    built: list[dict] = []

    class FakeClient:  # a real Client fetches /info in a background thread as soon as it exists
        def __init__(self, **kwargs) -> None:
            built.append(kwargs)

    import langsmith

    monkeypatch.setattr(langsmith, "Client", FakeClient)
    tracing._client.cache_clear()
    _tracing_on(monkeypatch)
    monkeypatch.setattr(settings, "langsmith_project", "jobapp-test")
    monkeypatch.setattr(settings, "langsmith_endpoint", "https://eu.api.smith.langchain.com")
    try:
        first = tracing.trace_config(run_id=5, job_id=6, attempt=1)["callbacks"][0]
        second = tracing.trace_config(run_id=6, job_id=6, attempt=1)["callbacks"][0]
    finally:
        tracing._client.cache_clear()
    assert isinstance(first, LangChainTracer) and first.project_name == "jobapp-test"
    assert built == [{"api_url": "https://eu.api.smith.langchain.com", "api_key": KEY}]  # one client per process
    assert first.client is second.client and isinstance(first.client, FakeClient)


def test_the_configured_key_is_masked_even_in_an_unusual_format(monkeypatch):
    odd = "ls-custom-" + "q" * 20
    monkeypatch.setattr(settings, "langsmith_api_key", odd)
    assert odd not in redact(f"calling langsmith with {odd}")
    monkeypatch.setattr(settings, "langsmith_api_key", KEY)
    assert KEY not in redact(f"key {KEY}")
