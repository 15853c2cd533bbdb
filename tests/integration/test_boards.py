"""test_boards: the cases that start processes or talk to a service (the rest: tests/unit/test_boards.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from pipeline.settings import PROJECT_ROOT
from tests.unit.test_boards import boards  # noqa: F401 - shared helpers and fixtures


def test_cli_imports_a_board(boards, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DB_URL", "MONGODB_URI", "REDIS_URL")}
    env.update(DATA_DIR=str(tmp_path / "data"), GREENHOUSE_API_URL=boards.url)

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pipeline", *args], check=False, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)

    ok = cli("jobs", "import", "--board", "greenhouse:acme")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == {"imported": 2, "updated": 0, "skipped": 0, "errors": []}
    listed = cli("jobs", "list", "--json")
    assert {r["source"] for r in json.loads(listed.stdout)} == {"greenhouse"}
    bad = cli("jobs", "import", "--board", "greenhouse:missing")
    assert bad.returncode == 1 and "There is no Greenhouse board “missing”" in bad.stderr
