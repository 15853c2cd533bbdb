"""Run-scoped, non-serialized things the nodes need (LangGraph `context_schema`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.llm.base import Analyst, Usage
from pipeline.runs.events import EventSink


@dataclass
class RunContext:
    run_id: int
    analyst: Analyst
    usage: Usage
    sink: EventSink
    out_dir: Path | None = None
    node_timeout: float = 240.0
    cancelled: Callable[[], bool] = lambda: False
    # Called by `publish` after the files are written, with result.json's content:
    # the runner records artifacts and updates the job. Must be idempotent.
    publisher: Callable[[dict[str, Any]], Awaitable[None]] | None = None
    executed: list[str] = field(default_factory=list)  # nodes run in this process (tests, logs)
    done: set[str] = field(default_factory=set)
