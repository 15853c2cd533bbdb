"""Which analyst a run gets, decided in one place from the effective settings.

The effective settings (pipeline/llm/config.py) are what the user saved in the Settings
panel over the environment: with an API key (or a keyless local server chosen in the page),
`LLMAnalyst` (ChatOpenAI) with the quick model for intake, pain points, research, fit and
people and the writing model for writing, against the chosen base URL (Ollama, vLLM,
LM Studio, OpenRouter ...). Otherwise the offline analyst (deterministic text analysis),
imported lazily so this module does not depend on it being importable. Settings are read at
every call: a change applies to the next run without a restart.

LangSmith tracing needs nothing here: with LANGSMITH_TRACING=true and
LANGSMITH_API_KEY (from the environment or `.env`), a run's graph call carries the
tracer and its metadata (pipeline/llm/tracing.py), and every model call below it
is named `jobapp.<layer>` and tagged with its layer.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.llm.base import Analyst, Usage
from pipeline.llm.config import EffectiveSettings, effective_settings
from pipeline.llm.openai_analyst import LLMAnalyst, host_of


def make_analyst(
    *, usage: Usage, log: Callable[[str, str, str], None] | None = None, owner: str | None = None,
    effective: EffectiveSettings | None = None,
) -> Analyst:
    """The LLM analyst when the owner's effective settings have a model, else the offline analyst.

    `owner` None: the environment alone. The analyst carries `preferences` (the user's
    WritingPreferences) for the writing layer's checks on either path, and `web_research`."""
    eff = effective or effective_settings(owner)
    if log is not None:
        for problem in eff.problems:
            log("warning", "run", problem)
    if not eff.offline and eff.api_key:
        analyst: Analyst = LLMAnalyst(
            model=eff.quick_model,
            writing_model=eff.writing_model,
            api_key=eff.api_key,
            base_url=eff.base_url,
            usage=usage,
            timeout=eff.timeout_seconds,
            max_retries=eff.max_retries,
            temperature=eff.temperature,
            max_tokens=eff.max_tokens,
            system_prompts=eff.prompts,
            writing_preferences=eff.writing.prompt_block(),
            log=log,
        )
    else:
        from pipeline.llm.offline import OfflineAnalyst  # lazy: optional at import time

        analyst = OfflineAnalyst()
    analyst.preferences = eff.writing  # type: ignore[attr-defined]
    # The privacy guard's mode as the user's Settings say (runner and `guarded` pass them on).
    analyst.privacy_mode, analyst.privacy_employers = eff.privacy_guard, eff.privacy_employers  # type: ignore[attr-defined]
    # Whether research/people read the company's own site (pipeline/web/site.py), as the user's Settings say.
    analyst.web_research = eff.web_research  # type: ignore[attr-defined]
    return analyst


def describe_model(owner: str | None = None, *, effective: EffectiveSettings | None = None) -> str:
    """What the UI shows: 'offline analyst', 'gpt-4o-mini @ api.openai.com', or with a separate
    writing model 'llama3.1:8b, writing qwen2.5:32b @ localhost:11434' (no credentials)."""
    eff = effective or effective_settings(owner)
    if eff.offline:
        return "offline analyst"
    models = eff.quick_model if eff.writing_model == eff.quick_model else f"{eff.quick_model}, writing {eff.writing_model}"
    return f"{models} @ {host_of(eff.base_url)}"
