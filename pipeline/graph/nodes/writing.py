"""Layer 6: the tailored CV, cover letter and outreach, then the shared checks."""

from __future__ import annotations

from pipeline.graph.context import RunContext
from pipeline.graph.nodes.base import layer
from pipeline.graph.schemas import Fit, Intake, PainPoints, Posting, Research
from pipeline.graph.state import PipelineState
from pipeline.llm.postprocess import enforce_limits, untraceable_lines


@layer("writing")
async def writing(state: PipelineState, ctx: RunContext) -> dict:
    result = await ctx.analyst.writing(
        Posting.model_validate(state["posting"]),
        Intake.model_validate(state["intake"]),
        PainPoints.model_validate(state["pain_points"]),
        Fit.model_validate(state["fit"]),
        Research.model_validate(state["research"]),
        state["cv_markdown"],
    )
    result = enforce_limits(result)
    untraced = untraceable_lines(result.cv_markdown, state["cv_markdown"])
    if untraced:
        ctx.sink.emit("warning", "writing", f"{len(untraced)} line(s) of the tailored CV have no source in the master CV: review them", {"lines": untraced[:20]})
    else:
        ctx.sink.emit("info", "writing", "every line of the tailored CV traces to the master CV")
    return {"writing": result.model_dump(), "untraceable_lines": untraced}
