"""Subprocess for the restart test: a dispatcher whose analyst hangs in one layer."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from pipeline.runs.local import LocalDispatcher
from tests.support.scripted_analyst import ScriptedAnalyst

if __name__ == "__main__":
    calls = Path(sys.argv[1])
    hang = {h.split(":", 1)[1] for h in sys.argv[2:] if h.startswith("hang:")}
    d = LocalDispatcher(poll_seconds=0.05, analyst_factory=lambda: ScriptedAnalyst(calls_file=calls, hang=hang))
    asyncio.run(d.run_forever())
