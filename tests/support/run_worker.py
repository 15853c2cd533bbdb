"""Subprocess used by the kill/resume test: runs one stored run with a scripted analyst."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from pipeline.runs.checkpoint import open_checkpointer
from pipeline.runs.runner import execute_run
from tests.support.scripted_analyst import ScriptedAnalyst


async def main(run_id: int, calls: Path, hang: set[str]) -> None:
    async with open_checkpointer() as saver:
        await execute_run(run_id, checkpointer=saver, analyst=ScriptedAnalyst(calls_file=calls, hang=hang))


if __name__ == "__main__":
    hang = {h.split(":", 1)[1] for h in sys.argv[3:] if h.startswith("hang:")}
    asyncio.run(main(int(sys.argv[1]), Path(sys.argv[2]), hang))
