"""Model prices, so token usage becomes money and a run can stop before its budget.

The built-in table holds list prices in USD per 1M tokens (input / output) as
published by OpenAI for common models; prices change, so the table is only a
default: `MODEL_PRICES` (settings.model_prices, JSON such as
`{"my-model": {"input": 0.15, "output": 0.60}}`) is merged over it, and callers
may pass their own overrides. Names match exactly, then by the longest known
prefix (`gpt-4o-mini-2024-07-18` -> `gpt-4o-mini`), with a provider prefix such as
`openai/` (OpenRouter) ignored. A model with no price costs 0 and is reported as
unpriced, so the UI can say so instead of showing a wrong total.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

from pipeline.settings import settings

# USD per 1M tokens. Edit freely, or override with MODEL_PRICES.
BUILTIN_PRICES: dict[str, dict[str, float]] = {
    "gpt-4o-mini": {"input": 0.15, "output": 0.60},
    "gpt-4o": {"input": 2.50, "output": 10.00},
    "gpt-4.1": {"input": 2.00, "output": 8.00},
    "gpt-4.1-mini": {"input": 0.40, "output": 1.60},
    "gpt-4.1-nano": {"input": 0.10, "output": 0.40},
    "gpt-5": {"input": 1.25, "output": 10.00},
    "gpt-5-mini": {"input": 0.25, "output": 2.00},
    "gpt-5-nano": {"input": 0.05, "output": 0.40},
    "o4-mini": {"input": 1.10, "output": 4.40},
    "o3-mini": {"input": 1.10, "output": 4.40},
    "gpt-3.5-turbo": {"input": 0.50, "output": 1.50},
}

# Rough characters per token for the pre-call estimate (English averages ~4;
# a lower figure over-estimates, which is the safe side for a budget).
CHARS_PER_TOKEN = 3.5


class Price(NamedTuple):
    input: float  # USD per 1M input tokens
    output: float  # USD per 1M output tokens


def price_table(overrides: Mapping[str, Mapping[str, float]] | None = None) -> dict[str, Price]:
    """Built-in prices, then settings.model_prices, then `overrides` (later wins)."""
    table: dict[str, Price] = {}
    for source in (BUILTIN_PRICES, settings.model_prices or {}, overrides or {}):
        for name, p in source.items():
            table[name.lower()] = Price(float(p.get("input", 0.0)), float(p.get("output", 0.0)))
    return table


def price_of(model: str, overrides: Mapping[str, Mapping[str, float]] | None = None) -> Price | None:
    """The price of `model`, or None when nothing in the table matches it."""
    table = price_table(overrides)
    name = (model or "").strip().lower()
    candidates = [name]
    if "/" in name:  # "openai/gpt-4o-mini" (OpenRouter and similar gateways)
        candidates.append(name.rsplit("/", 1)[1])
    for cand in candidates:
        if cand in table:
            return table[cand]
    for cand in candidates:  # dated or suffixed variants: the longest known prefix
        for key in sorted(table, key=len, reverse=True):
            if cand.startswith(key) and cand[len(key) : len(key) + 1] in {"-", ":", "@"}:
                return table[key]
    return None


def is_priced(model: str, overrides: Mapping[str, Mapping[str, float]] | None = None) -> bool:
    """Whether `model` has a price (an unpriced model is counted as free)."""
    return price_of(model, overrides) is not None


def cost_usd(model: str, tokens_in: int, tokens_out: int, *, overrides: Mapping[str, Mapping[str, float]] | None = None) -> float:
    """What a call cost; 0.0 for an unpriced model (check `is_priced` to report it)."""
    price = price_of(model, overrides)
    if price is None:
        return 0.0
    return (tokens_in * price.input + tokens_out * price.output) / 1_000_000


def estimate_tokens(chars: int) -> int:
    """A deliberately generous token count for `chars` characters of prompt."""
    return math.ceil(max(chars, 0) / CHARS_PER_TOKEN)


def estimate_cost(
    model: str, prompt_chars: int, max_output_tokens: int, *, overrides: Mapping[str, Mapping[str, float]] | None = None
) -> float:
    """Worst-case cost of the next call, for the budget check made before it."""
    return cost_usd(model, estimate_tokens(prompt_chars), max(max_output_tokens, 0), overrides=overrides)
