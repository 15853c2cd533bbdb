"""The graph's state. Values are plain JSON-like dicts (model_dump of the layer
schemas), so checkpoints deserialize without trusting arbitrary classes."""

from __future__ import annotations

from typing import Annotated, Any, TypedDict


def merge(left: dict | None, right: dict | None) -> dict:
    """Reducer for keys that parallel nodes write (each adds its own entry)."""
    return {**(left or {}), **(right or {})}


class PipelineState(TypedDict, total=False):
    posting: dict[str, Any]
    cv_markdown: str
    language: str  # the writing language set for the job (ISO 639-1); "" or absent: the posting's
    intake: dict[str, Any]
    pain_points: dict[str, Any]
    research: dict[str, Any]
    fit: dict[str, Any]
    people: dict[str, Any]
    writing: dict[str, Any]
    untraceable_lines: list[str]
    claim_repairs: list[dict[str, Any]]  # the claim check's repairs of the CV, letter and outreach (pipeline/text/claim_repair.py)
    timings: Annotated[dict[str, float], merge]
    usage: Annotated[dict[str, dict[str, float]], merge]
    artifacts: dict[str, dict[str, Any]]
    result: dict[str, Any]
