"""The tests' Celery worker: `python -m pipeline worker` with a scripted analyst, so runs are slow,
hang or record their layer calls on demand. The script comes from the environment, parsed here
on the test side; production code only offers the hook (`celery_app.analyst_factory`).

    JOBAPP_TEST_ANALYST="delay:0.2,hang:writing,calls:/tmp/calls.txt" python -m tests.support.celery_worker --concurrency 2
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from tests.support.scripted_analyst import ScriptedAnalyst


def scripted(spec: str) -> dict[str, Any]:
    """`delay:0.2,hang:writing,calls:/tmp/calls.txt` -> ScriptedAnalyst keyword arguments."""
    opts: dict[str, Any] = {"hang": set()}
    for part in filter(None, spec.split(",")):
        key, _, value = part.partition(":")
        if key == "delay":
            opts["delay"] = float(value)
        elif key == "hang":
            opts["hang"].add(value)
        elif key == "calls":
            opts["calls_file"] = Path(value)
        else:
            raise SystemExit(f"unknown JOBAPP_TEST_ANALYST part {part!r}")
    return opts


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.support.celery_worker")
    parser.add_argument("--concurrency", type=int, default=None)
    args = parser.parse_args()
    spec = os.environ.get("JOBAPP_TEST_ANALYST", "")
    if spec:
        from pipeline.runs import celery_app

        opts = scripted(spec)
        celery_app.analyst_factory = lambda: ScriptedAnalyst(**opts)  # set before the pool forks
    from pipeline.runs.worker import main as worker_main

    return worker_main(args.concurrency)


if __name__ == "__main__":
    sys.exit(main())
