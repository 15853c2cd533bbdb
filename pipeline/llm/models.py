"""Which analyst a run gets, decided in one place from the settings.

With `OPENAI_API_KEY` set: `LLMAnalyst` (ChatOpenAI) on `JOBAPP_MODEL`, against
`OPENAI_BASE_URL` when given (Ollama, vLLM, LM Studio, OpenRouter ...). Without a
key: the offline analyst (deterministic text analysis), imported lazily so this
module does not depend on it being importable.

LangSmith tracing needs nothing here: with LANGSMITH_TRACING=true and
LANGSMITH_API_KEY (from the environment or `.env`), a run's graph call carries the
tracer and its metadata (pipeline/llm/tracing.py), and every model call below it
is named `jobapp.<layer>` and tagged with its layer.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.llm.base import Analyst, Usage
from pipeline.llm.openai_analyst import LLMAnalyst, host_of
from pipeline.settings import settings


def make_analyst(*, usage: Usage, log: Callable[[str, str, str], None] | None = None) -> Analyst:
    """The LLM analyst when an API key is configured, else the offline analyst."""
    if settings.openai_api_key:
        return LLMAnalyst(
            model=settings.model,
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
            usage=usage,
            timeout=settings.llm_timeout_seconds,
            max_retries=settings.llm_max_retries,
            log=log,
        )
    from pipeline.llm.offline import OfflineAnalyst  # lazy: optional at import time

    return OfflineAnalyst()


def describe_model() -> str:
    """What the UI shows: 'offline analyst' or 'gpt-4o-mini @ api.openai.com' (no credentials)."""
    if not settings.openai_api_key:
        return "offline analyst"
    return f"{settings.model} @ {host_of(settings.openai_base_url)}"
