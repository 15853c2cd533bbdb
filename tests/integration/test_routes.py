"""test_routes: the cases that start processes or talk to a service (the rest: tests/unit/test_routes.py)."""

from __future__ import annotations

import subprocess
import sys

from tests.unit.test_routes import ROOT


def test_the_server_side_imports_the_routes_without_reflex():
    code = "import sys, jobapp.api.files, jobapp.routes; assert 'reflex' not in sys.modules, 'reflex loaded'"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)
