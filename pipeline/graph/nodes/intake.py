"""Layer 1: normalise the posting."""

from __future__ import annotations

from pipeline.graph.context import RunContext
from pipeline.graph.nodes.base import layer
from pipeline.graph.schemas import Posting
from pipeline.graph.state import PipelineState
from pipeline.llm.base import INVALID_INPUT, PipelineError

MIN_DESCRIPTION_CHARS = 40


@layer("intake")
async def intake(state: PipelineState, ctx: RunContext) -> dict:
    posting = Posting.model_validate(state["posting"])
    if len(posting.description.strip()) < MIN_DESCRIPTION_CHARS:
        raise PipelineError(INVALID_INPUT, f"the posting has {len(posting.description.strip())} characters of text; at least {MIN_DESCRIPTION_CHARS} are needed")
    if not state.get("cv_markdown", "").strip():
        raise PipelineError(INVALID_INPUT, "there is no master CV: add one to the profile first")
    result = await ctx.analyst.intake(posting)
    ctx.sink.emit("info", "intake", f"{result.title} at {result.company or 'unknown company'}: {result.seniority}, {len(result.must_have)} must-have and {len(result.nice_to_have)} nice-to-have skills")
    return {"intake": result.model_dump()}
