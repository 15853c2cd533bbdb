"""test_offline_analyst: the cases that start processes or talk to a service (the rest: tests/unit/test_offline_analyst.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.unit.test_offline_analyst import _DUMP, ROOT


def test_output_does_not_depend_on_hash_seed():
    outs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        res = subprocess.run([sys.executable, "-c", _DUMP.format(root=str(ROOT))], capture_output=True, text=True, env=env, check=True, cwd=ROOT)
        outs.append(res.stdout)
    assert outs[0] == outs[1] and outs[0].strip()
