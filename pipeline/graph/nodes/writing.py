"""Layer 6: the tailored CV, cover letter and outreach, then the shared checks."""

from __future__ import annotations

from pipeline.graph.context import RunContext
from pipeline.graph.nodes.base import layer
from pipeline.graph.schemas import Fit, Intake, PainPoints, Posting, Research
from pipeline.graph.state import PipelineState
from pipeline.llm.offline.analyst import plain_note
from pipeline.llm.postprocess import enforce_limits, repair_claims, untraceable_lines
from pipeline.llm.preferences import apply_preferences
from pipeline.text.claim_repair import describe

DOCUMENTS = ("cv", "cover_letter", "email", "linkedin_note", "star_story")


@layer("writing")
async def writing(state: PipelineState, ctx: RunContext) -> dict:
    posting = Posting.model_validate(state["posting"])
    intake = Intake.model_validate(state["intake"])
    result = await ctx.analyst.writing(
        posting,
        intake,
        PainPoints.model_validate(state["pain_points"]),
        Fit.model_validate(state["fit"]),
        Research.model_validate(state["research"]),
        state["cv_markdown"],
    )
    result = enforce_limits(result)
    # The letter may name the job: its title and employer first (the check reads them as names), then the posting.
    posting_text = "\n".join(x for x in (intake.title or posting.title, intake.company or posting.company, posting.description) if x)
    result, repairs = repair_claims(result, state["cv_markdown"], posting=posting_text)
    if any(r.document == "linkedin_note" for r in repairs) and len(result.outreach.linkedin_note.split()) < 4:
        # Every sentence of the note was a strengthened claim: send the claim-free note instead of nothing.
        tone = getattr(getattr(ctx.analyst, "preferences", None), "tone", "")
        note = plain_note(intake.title or posting.title, intake.company or posting.company, intake.language, tone)
        result = result.model_copy(update={"outreach": result.outreach.model_copy(update={"linkedin_note": note})})
    for doc in DOCUMENTS:
        line = describe(doc, repairs)
        if line:
            ctx.sink.emit("warning", "writing", line, {"repairs": [r.as_dict() for r in repairs if r.document == doc][:20]})
    if not repairs:
        ctx.sink.emit("info", "writing", "claim check: no strengthened claims in the CV, cover letter, outreach or interview stories")
    result, notes = apply_preferences(result, getattr(ctx.analyst, "preferences", None))  # signature, words to avoid (Settings)
    for note in notes:
        ctx.sink.emit("warning", "writing", note)
    untraced = untraceable_lines(result.cv_markdown, state["cv_markdown"])
    if untraced:
        ctx.sink.emit("warning", "writing", f"{len(untraced)} line(s) of the tailored CV have no source in the master CV: review them", {"lines": untraced[:20]})
    else:
        ctx.sink.emit("info", "writing", "every line of the tailored CV traces to the master CV")
    return {"writing": result.model_dump(), "untraceable_lines": untraced, "claim_repairs": [r.as_dict() for r in repairs]}
