"""The LangGraph pipeline: wiring, parallel layers, reason-coded failures, checkpoints and resume."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from sqlmodel import select

from pipeline.graph.schemas import Posting
from pipeline.llm.base import PipelineError
from pipeline.runs.checkpoint import open_checkpointer
from pipeline.runs.events import MemorySink
from pipeline.runs.runner import execute_run, run_graph
from pipeline.settings import settings
from pipeline.store.db import session_scope
from pipeline.store.models import Artifact, Job, JobEvent, Profile, Run, RunEvent, utcnow
from pipeline.store.runs import create_run
from tests.support.scripted_analyst import ScriptedAnalyst

ROOT = Path(__file__).resolve().parents[2]
POSTING = Posting(title="Data Engineer", company="Kestrel Freight", location="Leeds",
                  description="We move freight across Europe. You will build our data platform in Python and SQL. " * 3)
CV = "# Jane Doe\n\n## Experience\n\n- Built pipelines in Python processing 2 TB a day.\n- Cut warehouse costs by 30%.\n"
MIDDLE = {"pain_points", "research", "fit", "people"}


def inputs() -> dict:
    return {"posting": POSTING.model_dump(), "cv_markdown": CV}


async def _memory_run(analyst, out_dir=None, run_id=1):
    from langgraph.checkpoint.memory import InMemorySaver

    sink = MemorySink(run_id)
    final, ctx = await run_graph(run_id=run_id, sink=sink, checkpointer=InMemorySaver(), inputs=inputs(), out_dir=out_dir, analyst=analyst)
    return final, ctx, sink


def test_full_run_writes_the_pack(tmp_path):
    analyst = ScriptedAnalyst()
    _final, _ctx, sink = asyncio.run(_memory_run(analyst, tmp_path))
    assert sorted(analyst.calls) == sorted(["intake", *MIDDLE, "writing"])
    assert {p.name for p in tmp_path.iterdir()} == {"CV.md", "cover_letter.md", "outreach.json", "dossier.md", "result.json"}
    result = json.loads((tmp_path / "result.json").read_text())
    for key in ("fit_score", "fit_breakdown", "pain_points", "matched_skills", "missing_skills", "contacts", "cost_usd", "timings", "model", "untraceable_lines"):
        assert key in result, key
    assert result["fit_score"] == 72 and len(result["pain_points"]) == 5
    assert set(result["timings"]) >= {"intake", *MIDDLE, "writing"}
    assert len(json.loads((tmp_path / "outreach.json").read_text())["linkedin_note"]) <= 300
    assert "## Pain points" in (tmp_path / "dossier.md").read_text()
    assert sink.percent == 100
    started = [ln.step for ln in sink.lines if ln.message.endswith("…")]
    assert started[0] == "intake" and started[-1] == "publish"


def test_middle_layers_run_in_parallel():
    analyst = ScriptedAnalyst(delay=0.3)
    asyncio.run(_memory_run(analyst))
    spans = [analyst.intervals[n] for n in MIDDLE]
    latest_start = max(s for s, _ in spans)
    earliest_end = min(e for _, e in spans)
    assert latest_start < earliest_end, "the four middle layers should overlap in time"
    assert analyst.intervals["writing"][0] >= max(analyst.intervals[n][1] for n in ("pain_points", "research", "fit"))


def test_failure_carries_reason_code_and_node():
    analyst = ScriptedAnalyst(fail={"fit": PipelineError("llm_unavailable", "server said 503 five times")})
    with pytest.raises(PipelineError) as info:
        asyncio.run(_memory_run(analyst))
    assert info.value.code == "llm_unavailable" and info.value.node == "fit"


def test_node_timeout(monkeypatch):
    monkeypatch.setattr(settings, "node_timeout_seconds", 0.2)
    with pytest.raises(PipelineError) as info:
        asyncio.run(_memory_run(ScriptedAnalyst(hang={"research"})))
    assert info.value.code == "timeout" and info.value.node == "research"


def test_unexpected_exception_is_internal_with_node():
    with pytest.raises(PipelineError) as info:
        asyncio.run(_memory_run(ScriptedAnalyst(fail={"people": KeyError("boom")})))
    assert info.value.code == "internal" and info.value.node == "people"


def test_tiny_posting_is_invalid_input():
    async def go():
        from langgraph.checkpoint.memory import InMemorySaver

        bad = {"posting": Posting(title="x", description="too short").model_dump(), "cv_markdown": CV}
        await run_graph(run_id=9, sink=MemorySink(), checkpointer=InMemorySaver(), inputs=bad, out_dir=None, analyst=ScriptedAnalyst())

    with pytest.raises(PipelineError) as info:
        asyncio.run(go())
    assert info.value.code == "invalid_input" and info.value.node == "intake"


def test_resume_after_failure_skips_completed_layers(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "data_dir", tmp_path)

    async def go():
        async with open_checkpointer("sqlite:///unused") as saver:
            first = ScriptedAnalyst(fail={"writing": PipelineError("llm_unavailable", "down")})
            with pytest.raises(PipelineError):
                await run_graph(run_id=41, sink=MemorySink(41), checkpointer=saver, inputs=inputs(), out_dir=None, analyst=first)
            second = ScriptedAnalyst()
            final, _ctx = await run_graph(run_id=41, sink=MemorySink(41), checkpointer=saver, inputs=None, out_dir=None, analyst=second)
            return first, second, final

    first, second, final = asyncio.run(go())
    assert set(first.calls) == {"intake", *MIDDLE, "writing"}
    assert second.calls == ["writing"], "completed layers must not run again"
    assert final["result"]["fit_score"] == 72


# ------------------------------------------------------------------ stored runs


@pytest.fixture
def store(default_store):
    """The default (scratch) SQLite store, emptied, with a profile and one job."""
    with session_scope() as s:
        s.add(Profile(name="Jane Doe", markdown=CV, confirmed_at=utcnow()))
        job = Job(source="demo", external_id="k1", title=POSTING.title, company=POSTING.company, location=POSTING.location, description=POSTING.description)
        s.add(job)
        s.flush()
        return job.id


def _new_run(job_id: int) -> int:
    with session_scope() as s:
        return create_run(session=s, job_id=job_id).id


def test_stored_run_records_everything(store):
    run_id = _new_run(store)

    async def go():
        async with open_checkpointer() as saver:
            return await execute_run(run_id, checkpointer=saver, analyst=ScriptedAnalyst())

    outcome = asyncio.run(go())
    assert outcome.status == "succeeded", outcome.error
    with session_scope() as s:
        run = s.get(Run, run_id)
        job = s.get(Job, store)
        assert (run.status, run.progress, run.error_code) == ("succeeded", 100, None)
        assert job.fit_score == 72 and job.status == "ready" and job.last_run_status == "succeeded"
        names = {a.name for a in s.exec(select(Artifact).where(Artifact.run_id == run_id))}
        assert names == {"CV.md", "cover_letter.md", "outreach.json", "dossier.md", "result.json"}
        kinds = [e.kind for e in s.exec(select(JobEvent).where(JobEvent.job_id == store).order_by(JobEvent.id))]
        assert kinds.count("run_started") == 1 and kinds.count("run_finished") == 1 and "status_changed" in kinds
        seqs = [e.seq for e in s.exec(select(RunEvent).where(RunEvent.run_id == run_id).order_by(RunEvent.seq))]
        assert seqs == list(range(1, len(seqs) + 1))
    folder = Path(run.out_dir)
    assert folder.parts[-3:] == ("Kestrel Freight", "Data Engineer", str(run_id))


def test_three_runs_at_once_share_one_sqlite_checkpointer(store):
    ids = [_new_run(store) for _ in range(3)]

    async def go():
        async with open_checkpointer() as saver:
            return await asyncio.gather(*(execute_run(i, checkpointer=saver, analyst=ScriptedAnalyst(delay=0.05)) for i in ids))

    outcomes = asyncio.run(go())
    assert [o.status for o in outcomes] == ["succeeded"] * 3, [o.error for o in outcomes]


def test_secrets_never_reach_events_or_files(store, monkeypatch):

    secret = "sk-test-PLANTED-abcdefghijklmnop"
    monkeypatch.setattr(settings, "openai_api_key", secret)
    run_id = _new_run(store)

    class Leaky(ScriptedAnalyst):
        async def research(self, posting, intake):
            self.log("info", "research", f"calling with key {secret}")
            return await super().research(posting, intake)

    async def go():
        async with open_checkpointer() as saver:
            sink = MemorySink(run_id)
            analyst = Leaky(log=lambda lvl, node, msg: sink.emit(lvl, node, msg))
            return await execute_run(run_id, checkpointer=saver, analyst=analyst)

    assert asyncio.run(go()).status == "succeeded"
    with session_scope() as s:
        run = s.get(Run, run_id)
        messages = " ".join(e.message + json.dumps(e.data) for e in s.exec(select(RunEvent)))
    assert secret not in messages
    for f in Path(run.out_dir).iterdir():
        assert secret not in f.read_text()


