"""test_accounts: the cases that start processes or talk to a service (the rest: tests/unit/test_accounts.py)."""

from __future__ import annotations

import subprocess
import sys

from tests.unit.test_accounts import PW


def test_settings_no_longer_refuse_at_import_so_the_first_account_can_be_made(tmp_path):
    env = {"DATA_DIR": str(tmp_path), "HOST": "0.0.0.0", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "pipeline", "users", "add", "Admin@Example.org", "--admin", "--password-stdin"],
                         input=PW + "\n", env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "added admin@example.org (admin" in out.stdout
    listed = subprocess.run([sys.executable, "-m", "pipeline", "users", "list"], env=env, capture_output=True, text=True, timeout=120)
    assert "admin@example.org\tadmin\tactive" in listed.stdout
    again = subprocess.run([sys.executable, "-m", "pipeline", "users", "add", "admin@example.org", "--password-stdin"],
                           input=PW + "\n", env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 2 and "already exists" in again.stderr
    short = subprocess.run([sys.executable, "-m", "pipeline", "users", "add", "b@example.org", "--password-stdin"],
                           input="short\n", env=env, capture_output=True, text=True, timeout=120)
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
