"""Layer 3: company and role notes (from the posting; the web when allowed)."""

from __future__ import annotations

from pipeline.graph.context import RunContext
from pipeline.graph.nodes.base import layer
from pipeline.graph.schemas import Intake, Posting
from pipeline.graph.state import PipelineState


@layer("research")
async def research(state: PipelineState, ctx: RunContext) -> dict:
    result = await ctx.analyst.research(Posting.model_validate(state["posting"]), Intake.model_validate(state["intake"]))
    ctx.sink.emit("info", "research", f"{len(result.notes)} note(s) from {', '.join(result.sources) or 'the posting'}")
    return {"research": result.model_dump()}
