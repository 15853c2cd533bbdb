"""What processing a job will cost with a paid model, before anything is sent.

The estimate builds each layer's real prompt (pipeline/llm/prompts.py: the system prompt,
the fenced posting and master CV, the schema JSON) from the job's own texts, adds the
context a later layer carries from earlier layers' outputs (intake for four layers;
intake, pain points, fit and research for writing), and counts tokens from characters.
Outputs range from what a layer typically writes (low) to twice that, never above the layer's
budget in `openai_analyst.OUTPUT_TOKENS` (high); writing grows with the CV, since it returns a
tailored copy of it (a long CV takes it past its budget). Tokens times the price table
(pipeline/llm/pricing.py) give the range; its midpoint is what the caps count a run as.

With web research on, the research layer makes a second call: the company's fetched pages (up to
`prompts.MAX_PAGES_CHARS`, half of that at the low end, since a site may be short or unreachable)
and the facts it cites from them; it is counted in the research layer's figures.

What the range leaves out: repair calls after an invalid reply (one extra call each) and
retries after transient errors, which the server may or may not bill. A model with no
price gets token counts and no money figure (`cost` is None), never a made-up one.
The offline analyst costs nothing and needs no confirmation.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pipeline.graph.schemas import Fit, Intake, PainPoints, People, Research, Writing
from pipeline.llm import pricing, prompts
from pipeline.llm.openai_analyst import OUTPUT_TOKENS

LAYERS = ("intake", "pain_points", "research", "fit", "people", "writing")

# Characters per token, central figures: prose in Latin script (posting, CV, context) and the
# denser schema JSON. Other scripts (CJK, Cyrillic, Greek ...) take about a token per 1.5 chars.
PROSE_CPT = 4.0
SCHEMA_CPT = 3.4
OTHER_SCRIPT_CPT = 1.5
# Tokenizers differ (OpenAI's o200k, Llama's, Mistral's ...): the input range spans this much.
INPUT_LOW, INPUT_HIGH = 0.9, 1.2
MESSAGE_OVERHEAD = 4  # tokens per chat message (role and separators), plus 3 per request
REQUEST_OVERHEAD = 3
# Earlier outputs come back as indented JSON: whitespace and quotes add to their length.
CONTEXT_INFLATION = 1.15

# What a layer typically writes (tokens): a fixed part plus a share of the posting's tokens
# (longer postings list more requirements and pain points). The high end is twice that, at
# most the layer's OUTPUT_TOKENS.
TYPICAL_OUTPUT: dict[str, tuple[int, float]] = {
    "intake": (250, 0.10),
    "pain_points": (420, 0.05),
    "research": (280, 0.04),
    "fit": (260, 0.03),
    "people": (220, 0.0),
}
# The research layer's facts call (web research on): what it typically writes.
FACTS_OUTPUT_LOW = 450

# Writing: a tailored CV (most of the master CV, reordered), a letter under 350 words, the
# outreach and up to three STAR stories.
WRITING_FIXED_LOW, WRITING_FIXED_HIGH = 1100, 2000
WRITING_CV_LOW, WRITING_CV_HIGH = 0.7, 1.1

_SCHEMAS = {"intake": Intake, "pain_points": PainPoints, "research": Research, "fit": Fit, "people": People, "writing": Writing}
# Which earlier outputs each layer gets as context (openai_analyst._context).
_CONTEXT = {
    "intake": (),
    "pain_points": ("intake",),
    "research": ("intake",),
    "fit": ("intake",),
    "people": ("intake",),
    "writing": ("intake", "pain_points", "fit", "research"),
}


@dataclass(frozen=True)
class Span:
    """A low-high range."""

    low: float
    high: float

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2

    def __add__(self, other: Span) -> Span:
        return Span(self.low + other.low, self.high + other.high)


ZERO = Span(0.0, 0.0)


@dataclass(frozen=True)
class LayerEstimate:
    layer: str
    model: str
    tokens_in: Span
    tokens_out: Span
    cost: Span | None  # None: the model has no price


@dataclass(frozen=True)
class JobEstimate:
    job_id: int | None
    title: str
    company: str
    layers: list[LayerEstimate]

    @property
    def tokens_in(self) -> Span:
        return sum((x.tokens_in for x in self.layers), ZERO)

    @property
    def tokens_out(self) -> Span:
        return sum((x.tokens_out for x in self.layers), ZERO)

    @property
    def cost(self) -> Span | None:
        """None when any layer's model has no price."""
        if any(x.cost is None for x in self.layers):
            return None
        return sum((x.cost for x in self.layers if x.cost is not None), ZERO)

    @property
    def unpriced(self) -> list[str]:
        return sorted({x.model for x in self.layers if x.cost is None})


@dataclass(frozen=True)
class BatchEstimate:
    offline: bool
    jobs: list[JobEstimate] = field(default_factory=list)
    host: str = ""
    remote: bool = True  # the model server is not on this machine or a private network

    @property
    def cost(self) -> Span | None:
        if self.offline:
            return ZERO
        if any(j.cost is None for j in self.jobs):
            return None
        return sum((j.cost for j in self.jobs if j.cost is not None), ZERO)

    @property
    def tokens_in(self) -> Span:
        return sum((j.tokens_in for j in self.jobs), ZERO)

    @property
    def tokens_out(self) -> Span:
        return sum((j.tokens_out for j in self.jobs), ZERO)

    @property
    def unpriced(self) -> list[str]:
        return sorted({m for j in self.jobs for m in j.unpriced})

    def needs_confirmation(self, threshold_usd: float) -> bool:
        """Ask first when the batch may cost more than `threshold_usd` (the high end counts), or
        when a remote model has no price (its cost is unknown). Offline and local unpriced
        servers (Ollama, LM Studio on this machine) are free."""
        if self.offline or not self.jobs:
            return False
        cost = self.cost
        if cost is None:
            return self.remote
        return cost.high > max(threshold_usd, 0.0) or (threshold_usd <= 0 and cost.high > 0)


# ---------------------------------------------------------------------------- counting


def count_tokens(text: str, chars_per_token: float = PROSE_CPT) -> float:
    """A central token count for `text`: Latin-script characters at `chars_per_token`, other
    scripts at OTHER_SCRIPT_CPT (a kanji or a Cyrillic letter costs far more than a Latin one)."""
    if not text:
        return 0.0
    other = sum(1 for ch in text if ord(ch) >= 0x0370)  # Greek and every script after it
    return (len(text) - other) / chars_per_token + other / OTHER_SCRIPT_CPT


@functools.cache
def _schema_json(layer: str) -> str:
    return prompts.schema_json(_SCHEMAS[layer])


def _typical_output(layer: str, posting_tokens: float, cv_tokens: float) -> Span:
    """Output tokens of one layer: typical (low) to its budget (high)."""
    if layer == "writing":
        low = WRITING_FIXED_LOW + WRITING_CV_LOW * cv_tokens
        return Span(low, WRITING_FIXED_HIGH + WRITING_CV_HIGH * cv_tokens)  # past its budget for a long CV
    fixed, share = TYPICAL_OUTPUT[layer]
    budget = OUTPUT_TOKENS.get(layer, 1500)
    low = min(fixed + share * posting_tokens, budget)
    return Span(low, min(2 * low, budget))


def _user_prompt(layer: str, *, posting: str, cv: str, language: str) -> str:
    """The layer's user message with an empty context block (its size is added separately)."""
    schema = _schema_json(layer)
    context = prompts.fence(prompts.CONTEXT_TAG, "") if _CONTEXT[layer] else ""
    if layer == "intake":
        return prompts.INTAKE_USER.format(posting=posting, schema=schema)
    if layer == "pain_points":
        return prompts.PAIN_POINTS_USER.format(language=prompts.language_rule(layer, language), context=context, posting=posting, schema=schema)
    if layer == "research":
        return prompts.RESEARCH_USER.format(language=prompts.language_rule(layer, language), context=context, posting=posting, schema=schema)
    if layer == "fit":
        return prompts.FIT_USER.format(context=context, posting=posting, cv=cv, schema=schema)
    if layer == "people":
        return prompts.PEOPLE_USER.format(context=context, posting=posting, schema=schema)
    return prompts.WRITING_USER.format(language=prompts.language_rule(layer, language), context=context, posting=posting, cv=cv, schema=schema)


_SYSTEM = {
    "intake": prompts.INTAKE_SYSTEM, "pain_points": prompts.PAIN_POINTS_SYSTEM, "research": prompts.RESEARCH_SYSTEM,
    "fit": prompts.FIT_SYSTEM, "people": prompts.PEOPLE_SYSTEM, "writing": prompts.WRITING_SYSTEM,
}


def estimate_job(
    *,
    title: str,
    company: str,
    location: str,
    url: str,
    description: str,
    cv_markdown: str,
    models: Mapping[str, str],
    language: str = "",
    job_id: int | None = None,
    prices: Mapping[str, Mapping[str, float]] | None = None,
    web_research: bool = False,
) -> JobEstimate:
    """Tokens and cost per layer for one job; `models` maps each layer to the model it uses;
    `web_research`: the research layer also sends the company's pages (a second call)."""
    posting = prompts.posting_block(title=title, company=company, location=location, url=url, description=description)
    cv = prompts.cv_block(cv_markdown)
    posting_tokens = count_tokens(description[: prompts.MAX_POSTING_CHARS])
    cv_tokens = count_tokens(cv_markdown[: prompts.MAX_CV_CHARS])
    outputs = {layer: _typical_output(layer, posting_tokens, cv_tokens) for layer in LAYERS}
    layers = []
    for layer in LAYERS:
        schema = _schema_json(layer)
        user = _user_prompt(layer, posting=posting, cv=cv, language=language)
        prose = _SYSTEM[layer] + user.replace(schema, "")
        central = count_tokens(prose) + count_tokens(schema, SCHEMA_CPT) + 2 * MESSAGE_OVERHEAD + REQUEST_OVERHEAD
        # Earlier outputs come back as JSON context: as long as they were written, a little longer.
        context = sum((outputs[c] for c in _CONTEXT[layer]), ZERO)
        tokens_in = Span(central * INPUT_LOW + context.low * CONTEXT_INFLATION, central * INPUT_HIGH + context.high * CONTEXT_INFLATION)
        tokens_out = outputs[layer]
        if layer == "research" and web_research:
            facts_in, facts_out = _facts_call(language)
            tokens_in, tokens_out = tokens_in + facts_in, tokens_out + facts_out
        tokens_in = Span(round(tokens_in.low), round(tokens_in.high))
        tokens_out = Span(round(tokens_out.low), round(tokens_out.high))
        model = models.get(layer, "")
        cost = None
        if pricing.is_priced(model, prices):
            cost = Span(
                pricing.cost_usd(model, int(tokens_in.low), int(tokens_out.low), overrides=prices),
                pricing.cost_usd(model, int(tokens_in.high), int(tokens_out.high), overrides=prices),
            )
        layers.append(LayerEstimate(layer=layer, model=model, tokens_in=tokens_in, tokens_out=tokens_out, cost=cost))
    return JobEstimate(job_id=job_id, title=title, company=company, layers=layers)


def _facts_call(language: str) -> tuple[Span, Span]:
    """(input, output) tokens of the research layer's facts call: its prompt with the pages' budget
    half used (low) or all used (high)."""
    from pipeline.web.citations import CitedFacts

    schema = prompts.schema_json(CitedFacts)
    user = prompts.RESEARCH_FACTS_USER.format(company="", language=prompts.language_rule("research", language), pages="", schema="")
    central = count_tokens(prompts.RESEARCH_FACTS_SYSTEM + user) + count_tokens(schema, SCHEMA_CPT) + 2 * MESSAGE_OVERHEAD + REQUEST_OVERHEAD
    pages = count_tokens("x" * prompts.MAX_PAGES_CHARS)
    tokens_in = Span((central + pages / 2) * INPUT_LOW, (central + pages) * INPUT_HIGH)
    return tokens_in, Span(FACTS_OUTPUT_LOW, min(2 * FACTS_OUTPUT_LOW, OUTPUT_TOKENS["research_facts"]))


# ---------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class ModelChoice:
    """Which model each layer of the next run uses, and where it runs."""

    offline: bool
    models: dict[str, str] = field(default_factory=dict)
    host: str = ""
    remote: bool = True
    web_research: bool = False  # the research layer also reads the company's site (a second call)


def configured_models(*, owner: str | None = None, session=None) -> ModelChoice:
    """The models the owner's next run would use: the same effective settings (saved in the page,
    over the environment) that pipeline.llm.models.make_analyst builds the analyst from."""
    from pipeline.llm.config import effective_settings
    from pipeline.llm.openai_analyst import host_of
    from pipeline.llm.privacy import is_remote

    eff = effective_settings(owner, session=session)
    if eff.offline:
        return ModelChoice(offline=True)
    models = {layer: (eff.writing_model if layer == "writing" else eff.quick_model) for layer in LAYERS}
    return ModelChoice(
        offline=False, models=models, host=host_of(eff.base_url), remote=is_remote(eff.base_url), web_research=bool(eff.web_research)
    )


# ---------------------------------------------------------------------------- from the store


def estimate_jobs(*, session, job_ids: Iterable[int], owner: str, choice: ModelChoice | None = None) -> BatchEstimate:
    """The estimate for processing these jobs (the owner's, not archived) with the configured models
    and the owner's active master CV."""
    from pipeline.store.jobs import jobs_by_ids
    from pipeline.store.profiles import active_profile

    choice = choice or configured_models(owner=owner, session=session)
    jobs = [j for j in jobs_by_ids(session=session, job_ids=list(job_ids), owner=owner) if j.archived_at is None]
    if choice.offline:
        return BatchEstimate(offline=True, host="offline analyst", remote=False)
    profile = active_profile(session=session, owner=owner)
    cv = profile.markdown if profile else ""
    out = [
        estimate_job(
            title=j.title, company=j.company, location=j.location, url=j.url, description=j.description, cv_markdown=cv,
            models=choice.models, language=j.language, job_id=j.id, web_research=choice.web_research,
        )
        for j in jobs
    ]
    return BatchEstimate(offline=False, jobs=out, host=choice.host, remote=choice.remote)


def describe(span: Span | None) -> str:
    """"$0.012–0.020" (or "unknown" for an unpriced model)."""
    if span is None:
        return "unknown"
    if span.high == 0:
        return "$0"
    digits = 4 if span.high < 0.01 else 3 if span.high < 1 else 2
    return f"${span.low:,.{digits}f}–{span.high:,.{digits}f}"


def money(usd: float) -> str:
    """Dollars with enough digits to be useful for small amounts ($0.0042, $0.12, $3.40)."""
    if usd == 0:
        return "$0"
    if usd < 0.01:
        return f"${usd:.4f}"
    if usd < 1:
        return f"${usd:.3f}"
    return f"${usd:,.2f}"


def as_json(batch: BatchEstimate) -> str:
    """A compact record of an estimate (for logs and tests)."""
    cost = batch.cost
    return json.dumps({
        "offline": batch.offline, "jobs": len(batch.jobs), "unpriced": batch.unpriced,
        "cost": None if cost is None else [round(cost.low, 6), round(cost.high, 6)],
        "tokens_in": [batch.tokens_in.low, batch.tokens_in.high], "tokens_out": [batch.tokens_out.low, batch.tokens_out.high],
    })
