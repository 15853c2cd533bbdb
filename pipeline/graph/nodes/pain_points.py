"""Layer 2: what the employer needs solved, each with its evidence."""

from __future__ import annotations

from pipeline.graph.context import RunContext
from pipeline.graph.nodes.base import layer
from pipeline.graph.schemas import Intake, Posting
from pipeline.graph.state import PipelineState


@layer("pain_points")
async def pain_points(state: PipelineState, ctx: RunContext) -> dict:
    result = await ctx.analyst.pain_points(Posting.model_validate(state["posting"]), Intake.model_validate(state["intake"]))
    for p in result.items[:3]:
        ctx.sink.emit("info", "pain_points", f"• {p.title}")
    if len(result.items) < 5:
        ctx.sink.emit("warning", "pain_points", f"only {len(result.items)} pain point(s) found: the posting says little")
    return {"pain_points": result.model_dump()}
