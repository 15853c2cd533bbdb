"""Layer 1: normalise the posting."""

from __future__ import annotations

from pipeline.graph.context import RunContext
from pipeline.graph.nodes.base import layer
from pipeline.graph.schemas import Intake, Posting
from pipeline.graph.state import PipelineState
from pipeline.llm.base import INVALID_INPUT, PipelineError
from pipeline.llm.prompts import POSTING_LANGUAGE, language_name

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
    chosen = (state.get("language") or "").strip().lower()  # the job's own language wins over the user's default
    default = "" if chosen else getattr(getattr(ctx.analyst, "preferences", None), "default_language", "")
    _apply_language(result, chosen or default, ctx, "set for this job" if chosen else "your default language in Settings")
    return {"intake": result.model_dump()}


def _apply_language(result: Intake, chosen: str, ctx: RunContext, why: str = "set for this job") -> None:
    """Every later layer writes in intake.language: the job's own choice, when it has one, wins
    over the language the analyst read from the posting."""
    posting = language_name(result.language)
    if not chosen:
        said = "the posting's language, which was not recognised" if posting == POSTING_LANGUAGE else f"{posting}, the posting's language"
        ctx.sink.emit("info", "intake", f"writing in {said}", {"language": result.language})
        return
    if chosen == result.language:
        ctx.sink.emit("info", "intake", f"writing in {posting} ({why}, as the posting)", {"language": chosen})
        return
    posting_said = "the posting's language was not recognised" if posting == POSTING_LANGUAGE else f"the posting is in {posting}"
    ctx.sink.emit(
        "info", "intake", f"writing in {language_name(chosen)} ({why}; {posting_said})",
        {"language": chosen, "posting_language": result.language},
    )
    result.language = chosen
