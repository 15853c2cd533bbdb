"""Layer 5: who to contact. Placeholders are marked as such, never given invented names."""

from __future__ import annotations

from pipeline.graph.context import RunContext
from pipeline.graph.nodes.base import layer
from pipeline.graph.schemas import Intake, Posting
from pipeline.graph.state import PipelineState


@layer("people")
async def people(state: PipelineState, ctx: RunContext) -> dict:
    posting = Posting.model_validate(state["posting"])
    result = await ctx.analyst.people(posting, Intake.model_validate(state["intake"]))
    for c in result.contacts:
        # A name the model returned that the posting does not contain is not a fact: demote it.
        if c.name and not c.is_placeholder and c.source == "posting" and c.name not in posting.description:
            ctx.sink.emit("warning", "people", f"dropped a contact name not found in the posting ({c.role})")
            c.name, c.is_placeholder, c.source = None, True, "placeholder"
    named = sum(1 for c in result.contacts if not c.is_placeholder)
    ctx.sink.emit("info", "people", f"{len(result.contacts)} contact(s), {named} named in a source")
    return {"people": result.model_dump()}
