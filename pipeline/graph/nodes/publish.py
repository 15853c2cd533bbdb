"""Layer 7: write the pack and hand the result to the store (idempotent: safe to repeat)."""

from __future__ import annotations

import asyncio

from pipeline.graph.context import RunContext
from pipeline.graph.nodes.base import layer
from pipeline.graph.outputs import build_result, write_pack
from pipeline.graph.state import PipelineState


@layer("publish")
async def publish(state: PipelineState, ctx: RunContext) -> dict:
    usage = {**state.get("usage", {})}
    result = build_result(state, run_id=ctx.run_id, model=ctx.analyst.name, offline=ctx.analyst.offline, usage=usage)
    artifacts: dict = {}
    if ctx.out_dir is not None:
        artifacts = await asyncio.to_thread(write_pack, ctx.out_dir, dict(state), result)
        ctx.sink.emit("info", "publish", f"wrote {len(artifacts)} files to {ctx.out_dir}", {"files": sorted(artifacts)})
    if ctx.publisher is not None:
        await ctx.publisher({**result, "artifacts": artifacts})
    return {"artifacts": artifacts, "result": result}
