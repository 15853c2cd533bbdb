"""What an analyst is (LLM or offline), and the run-wide accounting it reports to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from pipeline.graph.schemas import Fit, Intake, PainPoints, People, Posting, Research, Writing


class PipelineError(Exception):
    """A failure with a reason code the UI can explain and the runner can record."""

    def __init__(self, code: str, message: str, *, node: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.node = node

    def __str__(self) -> str:  # "writing: llm_unavailable: ..." reads well in logs
        base = super().__str__()
        return f"{self.node}: {self.code}: {base}" if self.node else f"{self.code}: {base}"


# Reason codes (stable strings: stored in Run.error_code and shown in the UI).
LLM_UNAVAILABLE = "llm_unavailable"
LLM_AUTH = "llm_auth"  # the model server refused the API key (401/403): never retried
LLM_MODEL_NOT_FOUND = "llm_model_not_found"  # the server has no such model (404): never retried
CONTEXT_TOO_LONG = "context_too_long"  # the prompt does not fit the model's context window, even trimmed
BUDGET_EXCEEDED = "budget_exceeded"
TIMEOUT = "timeout"
INVALID_INPUT = "invalid_input"
INVALID_OUTPUT = "invalid_output"
CANCELLED = "cancelled"
INTERNAL = "internal"


@dataclass
class Usage:
    """Tokens and money spent by one run; the budget is checked before each call."""

    budget_usd: float | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    calls: int = 0
    per_node: dict[str, dict[str, float]] = field(default_factory=dict)

    def check(self, node: str, estimated_cost: float) -> None:
        """Refuse a call that would take the run past its budget."""
        if self.budget_usd is not None and self.cost_usd + estimated_cost > self.budget_usd:
            raise PipelineError(
                BUDGET_EXCEEDED,
                f"the next call (about ${estimated_cost:.4f}) would take the run past its "
                f"${self.budget_usd:.2f} budget (spent ${self.cost_usd:.4f})",
                node=node,
            )

    def add(self, node: str, tokens_in: int, tokens_out: int, cost: float) -> None:
        self.tokens_in += tokens_in
        self.tokens_out += tokens_out
        self.cost_usd += cost
        self.calls += 1
        n = self.per_node.setdefault(node, {"tokens_in": 0, "tokens_out": 0, "cost_usd": 0.0, "calls": 0})
        n["tokens_in"] += tokens_in
        n["tokens_out"] += tokens_out
        n["cost_usd"] += cost
        n["calls"] += 1


@runtime_checkable
class Analyst(Protocol):
    """One method per layer; each returns the layer's schema. Implementations:
    `OfflineAnalyst` (deterministic text analysis) and `LLMAnalyst` (ChatOpenAI)."""

    name: str
    offline: bool

    async def intake(self, posting: Posting) -> Intake: ...

    async def pain_points(self, posting: Posting, intake: Intake) -> PainPoints: ...

    async def research(self, posting: Posting, intake: Intake) -> Research: ...

    async def fit(self, posting: Posting, intake: Intake, cv_markdown: str) -> Fit: ...

    async def people(self, posting: Posting, intake: Intake) -> People: ...

    async def writing(
        self, posting: Posting, intake: Intake, pains: PainPoints, fit: Fit, research: Research, cv_markdown: str
    ) -> Writing: ...


class ContextTooLong(PipelineError):
    """The server refused a prompt longer than the model's context window; `limit` and
    `requested` (tokens) when its message says them, `prompt_chars` of the refused prompt."""

    def __init__(self, message: str, *, node: str = "", limit: int | None = None, requested: int | None = None, prompt_chars: int = 0) -> None:
        super().__init__(CONTEXT_TOO_LONG, message, node=node)
        self.limit, self.requested, self.prompt_chars = limit, requested, prompt_chars
