"""Wiring: intake, then four independent layers in parallel, then writing, then publish.

    intake ─┬─ pain_points ─┐
            ├─ research ────┼─ writing ─┐
            ├─ fit ─────────┘           ├─ publish
            └─ people ──────────────────┘
"""

from __future__ import annotations

from functools import lru_cache

from langgraph.graph import END, START, StateGraph

from pipeline.graph import nodes
from pipeline.graph.context import RunContext
from pipeline.graph.state import PipelineState

NODE_ORDER = ("intake", "pain_points", "research", "fit", "people", "writing", "publish")


@lru_cache(maxsize=1)
def builder() -> StateGraph:
    g = StateGraph(PipelineState, context_schema=RunContext)
    for name in NODE_ORDER:
        g.add_node(name, getattr(nodes, name))
    g.add_edge(START, "intake")
    for name in ("pain_points", "research", "fit", "people"):
        g.add_edge("intake", name)
    g.add_edge(["pain_points", "research", "fit"], "writing")
    g.add_edge(["writing", "people"], "publish")
    g.add_edge("publish", END)
    return g


_compiled: dict[int, object] = {}


def compiled(checkpointer=None):
    """The graph compiled once per checkpointer (one long-lived saver per process)."""
    key = id(checkpointer)
    graph = _compiled.get(key)
    if graph is None:
        graph = _compiled[key] = builder().compile(checkpointer=checkpointer)
    return graph
