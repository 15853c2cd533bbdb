"""Layer 4: score the master CV against the posting."""

from __future__ import annotations

from pipeline.graph.context import RunContext
from pipeline.graph.nodes.base import layer
from pipeline.graph.schemas import Intake, Posting
from pipeline.graph.state import PipelineState


@layer("fit")
async def fit(state: PipelineState, ctx: RunContext) -> dict:
    result = await ctx.analyst.fit(Posting.model_validate(state["posting"]), Intake.model_validate(state["intake"]), state["cv_markdown"])
    b = result.breakdown
    ctx.sink.emit(
        "info", "fit",
        f"fit {result.score}/100 (must-have {b.must_have:.0f}, nice-to-have {b.nice_to_have:.0f}, seniority {b.seniority:.0f}, title {b.title:.0f})",
        {"score": result.score},
    )
    if result.missing_skills:
        ctx.sink.emit("info", "fit", "missing: " + ", ".join(result.missing_skills[:8]))
    return {"fit": result.model_dump()}
