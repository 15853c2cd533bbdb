"""What every layer node does around its own work: cancellation check, timeout,
reason-coded failures, timings, usage, progress and log lines."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from langgraph.runtime import Runtime
from pydantic import ValidationError

from pipeline import metrics
from pipeline.graph.context import RunContext
from pipeline.graph.state import PipelineState
from pipeline.llm.base import CANCELLED, INTERNAL, INVALID_OUTPUT, TIMEOUT, PipelineError

# Share of the progress bar each layer is worth (sums to 100).
WEIGHTS = {"intake": 10, "pain_points": 15, "research": 10, "fit": 15, "people": 5, "writing": 35, "publish": 10}
LABELS = {
    "intake": "Reading the posting",
    "pain_points": "Finding the employer's pain points",
    "research": "Researching company and role",
    "fit": "Scoring fit against the master CV",
    "people": "Finding people to contact",
    "writing": "Writing the tailored CV, cover letter and outreach",
    "publish": "Publishing the application pack",
}

NodeBody = Callable[[PipelineState, RunContext], Awaitable[dict[str, Any]]]


def progress_of(done: set[str]) -> int:
    return sum(WEIGHTS.get(n, 0) for n in done)


def layer(name: str) -> Callable[[NodeBody], Callable[..., Awaitable[dict[str, Any]]]]:
    """Wrap a layer's body into a LangGraph node."""

    def wrap(body: NodeBody):
        # Not functools.wraps: LangGraph reads the signature to pass `runtime`,
        # and __wrapped__ would make it see the body's (state, ctx) instead.
        async def node(state: PipelineState, runtime: Runtime[RunContext]) -> dict[str, Any]:
            ctx = runtime.context
            if ctx.cancelled():
                raise PipelineError(CANCELLED, "cancelled by the user", node=name)
            ctx.executed.append(name)
            ctx.sink.emit("info", name, f"{LABELS[name]}…")
            start = time.perf_counter()
            try:
                out = await asyncio.wait_for(body(state, ctx), ctx.node_timeout)
            except TimeoutError:
                err = PipelineError(TIMEOUT, f"{LABELS[name]} took longer than {ctx.node_timeout:.0f} s", node=name)
                ctx.sink.emit("error", name, str(err), {"code": err.code})
                raise err from None
            except PipelineError as err:
                err.node = err.node or name
                ctx.sink.emit("error", name, str(err), {"code": err.code})
                raise
            except ValidationError as exc:
                err = PipelineError(INVALID_OUTPUT, f"output did not match the expected shape: {exc.error_count()} problem(s)", node=name)
                ctx.sink.emit("error", name, str(err), {"code": err.code})
                raise err from exc
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # anything else is a bug: record it with a code, keep the trace
                err = PipelineError(INTERNAL, f"{type(exc).__name__}: {exc}", node=name)
                ctx.sink.emit("error", name, str(err), {"code": err.code})
                raise err from exc
            took = round(time.perf_counter() - start, 3)
            metrics.layer_done(name, took)
            ctx.done.add(name)
            ctx.sink.progress(name, progress_of(ctx.done))
            ctx.sink.emit("info", name, f"done in {took:.2f} s", {"duration_s": took, "progress": progress_of(ctx.done)})
            await ctx.sink.flush()
            return {**out, "timings": {name: took}, "usage": {name: dict(ctx.usage.per_node.get(name, {}))}}

        node.__name__ = node.__qualname__ = name
        node.__doc__ = body.__doc__
        return node

    return wrap
