"""Execute one pipeline run: from a stored job (records everything) or from files (CLI)."""

from __future__ import annotations

import asyncio
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.graph.build import NODE_ORDER, compiled
from pipeline.graph.context import RunContext
from pipeline.graph.nodes.base import progress_of
from pipeline.graph.schemas import Posting
from pipeline.llm.base import CANCELLED, INTERNAL, INVALID_INPUT, TIMEOUT, Analyst, PipelineError, Usage
from pipeline.llm.tracing import trace_config
from pipeline.logs import log_context
from pipeline.runs.events import EventSink, MemorySink
from pipeline.settings import settings
from pipeline.store.models import RunStatus, utcnow

WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class RunOutcome:
    status: str
    result: dict[str, Any] | None = None
    error_code: str | None = None
    error: str | None = None
    executed: list[str] | None = None


def _usage_from_state(values: dict[str, Any]) -> Usage:
    """A resumed run keeps counting from what its completed nodes already spent."""
    usage = Usage(budget_usd=settings.max_cost_per_run or None)
    for node, u in (values.get("usage") or {}).items():
        if u:
            usage.add(node, int(u.get("tokens_in", 0)), int(u.get("tokens_out", 0)), float(u.get("cost_usd", 0.0)))
            usage.calls += int(u.get("calls", 1)) - 1
    return usage


def _analyst_for(usage: Usage, sink: EventSink, owner: str | None = None) -> Analyst:
    """The owner's analyst as their Settings say now (None: the environment alone)."""
    from pipeline.llm.models import make_analyst

    return make_analyst(usage=usage, log=lambda level, node, msg: sink.emit(level, node, msg), owner=owner)


def _guard(analyst: Analyst, cv_markdown: str, profile: dict[str, Any] | None):
    """Give a model analyst built for this run the privacy guard for its master CV and profile
    (when PRIVACY_GUARD says so for its server); the guard, or None."""
    from pipeline.llm.openai_analyst import LLMAnalyst
    from pipeline.llm.privacy import guard_for

    if not isinstance(analyst, LLMAnalyst):
        return None
    if analyst.guard is None:
        analyst.guard = guard_for(cv_markdown, analyst.base_url, profile=profile, mode=getattr(analyst, "privacy_mode", None),
                                  employers=getattr(analyst, "privacy_employers", None))
    return analyst.guard


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


async def run_graph(
    *, run_id: int, sink: EventSink, checkpointer: Any, inputs: dict[str, Any] | None, out_dir: Path | None,
    publisher=None, cancelled=lambda: False, analyst: Analyst | None = None, resume_values: dict[str, Any] | None = None,
    trace: dict[str, Any] | None = None, profile: dict[str, Any] | None = None, owner: str | None = None,
) -> tuple[dict[str, Any], RunContext]:
    """Invoke (or resume, when `inputs` is None) the graph under the run's timeout; `trace` is
    extra LangChain run config (pipeline.llm.tracing.trace_config), empty when tracing is off.

    A model analyst built here gets the privacy guard for the run's master CV and `profile`
    (the stored profile's name and contact details); an analyst passed in is used as it is."""
    usage = _usage_from_state(resume_values or {})
    guard = None
    if analyst is None:
        analyst = await asyncio.to_thread(_analyst_for, usage, sink, owner) if owner else _analyst_for(usage, sink)
        cv = (inputs or {}).get("cv_markdown") or (resume_values or {}).get("cv_markdown") or ""
        guard = _guard(analyst, cv, profile)
    ctx = RunContext(
        run_id=run_id, analyst=analyst, usage=usage, sink=sink, out_dir=out_dir,
        node_timeout=settings.node_timeout_seconds, cancelled=cancelled, publisher=publisher,
    )
    if resume_values:
        ctx.done = {n for n in NODE_ORDER if n in (resume_values.get("timings") or {})}
    config = {"configurable": {"thread_id": str(run_id)}, "recursion_limit": 25, **(trace or {})}
    graph = compiled(checkpointer)
    try:
        final = await asyncio.wait_for(graph.ainvoke(inputs, config, context=ctx), settings.pipeline_timeout_seconds)
    except TimeoutError:
        raise _with_usage(PipelineError(TIMEOUT, f"the run took longer than {settings.pipeline_timeout_seconds} s"), usage) from None
    except PipelineError as err:
        _with_usage(err, usage)
        raise
    finally:
        if guard is not None:  # how many, never which
            sink.emit("info", "run", f"privacy guard: {_plural(guard.withheld, 'personal detail')} withheld from the model")
    return final, ctx


def _with_usage(err: PipelineError, usage: Usage) -> PipelineError:
    """A failed run still spent what its calls cost: the error carries it to the run's record."""
    err.usage = usage  # type: ignore[attr-defined]
    return err


async def run_files(*, cv_markdown: str, posting: Posting, out_dir: Path, sink: MemorySink | None = None, language: str = "") -> RunOutcome:
    """One posting, no database: in-memory checkpoints, files in `out_dir`; `language` as Job.language."""
    from langgraph.checkpoint.memory import InMemorySaver

    sink = sink or MemorySink()
    sink.emit("info", "run", "run started (no database)")
    try:
        final, ctx = await run_graph(
            run_id=0, sink=sink, checkpointer=InMemorySaver(),  # 0: not a stored run
            inputs={"posting": posting.model_dump(), "cv_markdown": cv_markdown, "language": language}, out_dir=out_dir,
        )
    except PipelineError as err:
        return RunOutcome(status=RunStatus.failed.value, error_code=err.code, error=str(err))
    return RunOutcome(status=RunStatus.succeeded.value, result=final.get("result"), executed=ctx.executed)


# ---------------------------------------------------------------- stored runs


def _load(run_id: int) -> dict[str, Any]:
    from pipeline.store.db import session_scope
    from pipeline.store.models import Job, Run
    from pipeline.store.profiles import active_profile

    with session_scope() as s:
        run = s.get(Run, run_id)
        if run is None:
            raise LookupError(f"run {run_id} not found")
        job = s.get(Job, run.job_id)
        profile = active_profile(session=s, owner=run.owner)  # the newest confirmed profile: a draft is never tailored from
        return {
            "run": {
                "id": run.id, "status": run.status, "attempt": run.attempt, "started_at": run.started_at, "owner": run.owner,
                "job_id": run.job_id, "batch_id": run.batch_id,
            },
            "job": None if job is None else {
                "id": job.id, "title": job.title, "company": job.company, "location": job.location, "url": job.url,
                "description": job.description, "status": job.status, "source": job.source, "external_id": job.external_id,
                "language": job.language, "company_url": job.company_url,
            },
            "cv": profile.markdown if profile else "",
            # What the privacy guard withholds besides the CV's own header (pipeline/llm/privacy.py).
            "profile": {"name": profile.name, "contact": (profile.parsed or {}).get("contact") or {}} if profile else None,
        }


def _mark_started(run_id: int, attempt: int, resumed: bool) -> None:
    from pipeline.store.db import session_scope
    from pipeline.store.jobs import record_event
    from pipeline.store.models import EventKind
    from pipeline.store.runs import get_run, set_run_state

    with session_scope() as s:
        run = get_run(session=s, run_id=run_id)
        set_run_state(
            session=s, run_id=run_id, status=RunStatus.running.value, attempt=attempt, worker=WORKER_NAME,
            started_at=run.started_at or utcnow(), heartbeat_at=utcnow(), error_code=None, error_message=None,
        )
        record_event(
            session=s, job_id=run.job_id, kind=EventKind.run_started, key=f"run:{run_id}:started:{attempt}",
            message=f"Run {run_id} {'resumed' if resumed else 'started'} (attempt {attempt})", data={"run_id": run_id},
        )


def _publish_to_store(run_id: int, result: dict[str, Any]) -> None:
    """Artifacts, the job's fit score and status, and the run's accounting. Safe to repeat."""
    from pipeline.store.db import session_scope
    from pipeline.store.models import Job, JobStatus
    from pipeline.store.runs import get_run, record_artifact, set_run_state

    with session_scope() as s:
        run = get_run(session=s, run_id=run_id)
        for name, meta in (result.get("artifacts") or {}).items():
            record_artifact(session=s, run_id=run_id, name=name, path=meta["path"], size=meta["size"], sha256=meta["sha256"])
        set_run_state(
            session=s, run_id=run_id, model=result.get("model", "")[:100], cost_usd=result.get("cost_usd", 0.0),
            tokens_in=result.get("tokens_in", 0), tokens_out=result.get("tokens_out", 0),
            out_dir=str(Path(next(iter(result["artifacts"].values()))["path"]).parent) if result.get("artifacts") else None,
        )
        job = s.get(Job, run.job_id)
        if job is not None:
            job.fit_score = int(result.get("fit_score", 0))
            job.updated_at = utcnow()
            s.add(job)
        if job is not None and job.status in (JobStatus.new.value, JobStatus.shortlisted.value):
            from pipeline.store.jobs import set_status

            set_status(session=s, job_ids=[job.id], status=JobStatus.ready.value, key=f"run:{run_id}:ready", owner=job.owner)


def _mark_finished(
    run_id: int, status: str, code: str | None = None, message: str | None = None, progress: int | None = None, usage: Usage | None = None
) -> None:
    from pipeline import metrics
    from pipeline.runs.queue import refresh_batch
    from pipeline.store.db import session_scope
    from pipeline.store.jobs import record_event
    from pipeline.store.models import EventKind
    from pipeline.store.runs import get_run, set_run_state

    with session_scope() as s:
        fields: dict[str, Any] = {"status": status, "finished_at": utcnow(), "error_code": code, "error_message": message}
        if progress is not None:
            fields["progress"] = progress
        if usage is not None and usage.cost_usd + usage.tokens_in > 0:
            # A failed or cancelled run keeps what it spent (the month's spend and the caps count it).
            before = get_run(session=s, run_id=run_id)
            if before is not None and usage.cost_usd >= (before.cost_usd or 0.0):
                fields.update(cost_usd=round(usage.cost_usd, 6), tokens_in=usage.tokens_in, tokens_out=usage.tokens_out)
        fields["cancel_requested"] = False
        set_run_state(session=s, run_id=run_id, **fields)
        run = get_run(session=s, run_id=run_id)
        refresh_batch(session=s, batch_id=run.batch_id)
        record_event(
            session=s, job_id=run.job_id, kind=EventKind.run_finished, key=f"run:{run_id}:finished:{run.attempt}",
            message=f"Run {run_id} {status}" + (f": {message}" if message else ""), data={"run_id": run_id, "status": status, "code": code},
        )
    metrics.run_finished(status, run.started_at)  # after the commit: only a recorded finish counts


async def execute_run(
    run_id: int, *, checkpointer: Any, cancelled=lambda: False, sink: EventSink | None = None, analyst: Analyst | None = None
) -> RunOutcome:
    """Run (or resume from its checkpoint) a stored run, recording status, log, artifacts and results."""
    from pipeline.graph.outputs import pack_dir
    from pipeline.runs.events import DbSink

    loaded = await asyncio.to_thread(_load, run_id)
    sink = sink or DbSink(run_id)
    # Every server log line from here on (tasks and threads started inside too) names the run.
    with log_context(run_id=run_id, job_id=loaded["run"]["job_id"], batch_id=loaded["run"]["batch_id"]):
        try:
            return await _execute(run_id, loaded, sink, checkpointer, cancelled, pack_dir, analyst)
        finally:
            await sink.aclose()


async def _execute(run_id, loaded, sink, checkpointer, cancelled, pack_dir, analyst) -> RunOutcome:
    job, run = loaded["job"], loaded["run"]
    graph = compiled(checkpointer)
    config = {"configurable": {"thread_id": str(run_id)}}
    snapshot = await graph.aget_state(config)
    values = dict(snapshot.values or {})
    resumed = bool(values)
    attempt = run["attempt"] + (1 if run["started_at"] is not None else 0)
    await asyncio.to_thread(_mark_started, run_id, attempt, resumed)
    if job is None:
        return await _fail(run_id, sink, PipelineError(INVALID_INPUT, "the job was deleted"))
    if resumed:
        done = [n for n in NODE_ORDER if n in (values.get("timings") or {})]
        sink.emit("info", "run", f"resuming from checkpoint: {', '.join(done) or 'no layer'} already done", {"resumed": True, "done": done})
        sink.progress("resume", progress_of(set(done)))
        inputs = None
    else:
        sink.emit("info", "run", f"run started: {job['title']} at {job['company'] or 'unknown company'}")
        inputs = {
            "posting": Posting(**{k: job[k] for k in ("title", "company", "location", "url", "description", "company_url")}).model_dump(),
            "cv_markdown": loaded["cv"], "language": job["language"],  # the job's writing language, as set when the run starts
        }
    out_dir = pack_dir(settings.data_dir, job["company"], job["title"], run_id)

    async def publisher(result: dict[str, Any]) -> None:
        await asyncio.to_thread(_publish_to_store, run_id, result)

    try:
        if resumed and not snapshot.next:
            final = values  # the graph had finished; only the store update may be missing
            if final.get("result"):
                await publisher({**final["result"], "artifacts": final.get("artifacts", {})})
            executed: list[str] = []
        else:
            final, ctx = await run_graph(
                run_id=run_id, sink=sink, checkpointer=checkpointer, inputs=inputs, out_dir=out_dir,
                publisher=publisher, cancelled=cancelled, resume_values=values if resumed else None, analyst=analyst,
                profile=loaded.get("profile"), owner=run["owner"],
                trace=trace_config(run_id=run_id, job_id=job["id"], batch_id=run["batch_id"], attempt=attempt, title=job["title"], company=job["company"]),
            )
            executed = ctx.executed
    except PipelineError as err:
        outcome = await _fail(run_id, sink, err)
        await _write_back(job, run_id, sink, outcome.status, None, {})
        return outcome
    except asyncio.CancelledError:
        sink.emit("warning", "run", "run interrupted; it resumes from its checkpoint")
        await asyncio.shield(asyncio.to_thread(_mark_finished, run_id, RunStatus.interrupted.value, "interrupted", "the worker stopped"))
        raise
    except Exception as exc:  # noqa: BLE001 - a bug: fail the run visibly, never strand it as running
        return await _fail(run_id, sink, PipelineError(INTERNAL, f"{type(exc).__name__}: {exc}"))
    result = final.get("result") or {}
    # Before the run counts as finished: the next queued run of a one-at-a-time owner starts only after this.
    await _warn_contradictions(run_id, sink, (final.get("writing") or {}).get("cv_markdown"))
    sink.emit("info", "run", f"run succeeded: fit {result.get('fit_score')}/100, cost ${result.get('cost_usd', 0):.4f}")
    sink.progress("done", 100)
    await sink.flush()
    await asyncio.to_thread(_mark_finished, run_id, RunStatus.succeeded.value, None, None, 100)
    artifacts = final.get("artifacts") or {}
    await _write_back(job, run_id, sink, RunStatus.succeeded.value, result, {n: f"/api/runs/{run_id}/artifacts/{n}" for n in artifacts})
    return RunOutcome(status=RunStatus.succeeded.value, result=result, executed=executed)


async def _warn_contradictions(run_id: int, sink: EventSink, cv_markdown: str | None = None) -> None:
    """One warning line when the new CV contradicts a CV already sent to the same company
    (pipeline.store.tracking.contradiction_warning); a check that fails never fails the run."""
    import logging

    from pipeline.store.db import session_scope
    from pipeline.store.tracking import contradiction_warning

    def check() -> str | None:
        with session_scope() as s:
            return contradiction_warning(session=s, run_id=run_id, cv_markdown=cv_markdown)

    try:
        line = await asyncio.to_thread(check)
    except Exception:  # advice, not a step of the run
        logging.getLogger(__name__).warning("contradiction check failed for run %s", run_id, exc_info=True)
        return
    if line:
        sink.emit("warning", "publish", line, {"contradictions": True})


async def _write_back(job: dict[str, Any], run_id: int, sink: EventSink, status: str, result: dict[str, Any] | None, urls: dict[str, str]) -> None:
    """Jobs imported from MongoDB get the run's outcome written back (never fails the run)."""
    if job.get("source") != "mongo" or not settings.mongodb_uri:
        return
    from pipeline.sources.writeback import write_back_with_retries, writeback_fields

    fields = writeback_fields(run_id=run_id, status=status, result=result, artifact_urls=urls)
    await write_back_with_retries(job["external_id"], fields, log=lambda level, msg: sink.emit(level, "publish", msg))
    await sink.flush()


async def _fail(run_id: int, sink: EventSink, err: PipelineError) -> RunOutcome:
    status = RunStatus.cancelled.value if err.code == CANCELLED else RunStatus.failed.value
    sink.emit("error" if status == RunStatus.failed.value else "warning", err.node or "run", f"run {status}: {err}", {"code": err.code})
    await sink.flush()
    await asyncio.to_thread(_mark_finished, run_id, status, err.code, str(err)[:2000], None, getattr(err, "usage", None))
    return RunOutcome(status=status, error_code=err.code, error=str(err))
