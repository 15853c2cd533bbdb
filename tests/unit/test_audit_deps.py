"""`make audit` reports and never fails the build: findings, unknown packages, no service."""

from __future__ import annotations

import json
import subprocess

import pytest

from tools import audit_deps


def fake_run(stdout: str = "", stderr: str = "", exc: Exception | None = None):
    def run(*_a, **_k):
        if exc:
            raise exc
        return subprocess.CompletedProcess([], 1, stdout=stdout, stderr=stderr)

    return run


@pytest.mark.parametrize("run,expected", [
    (fake_run(json.dumps({"dependencies": [
        {"name": "jinja2", "version": "3.0.0", "vulns": [{"id": "GHSA-xxxx", "fix_versions": ["3.1.5"]}]},
        {"name": "ok", "version": "1.0", "vulns": []},
        {"name": "private", "version": "0.1", "skip_reason": "not on PyPI"},
    ]})), ["jinja2 3.0.0: GHSA-xxxx (fixed in: 3.1.5)", "1 known vulnerability in 1 of 2 audited packages; 1 package(s) not known"]),
    (fake_run(stderr="requests.exceptions.ConnectionError: api.osv.dev unreachable"), ["SKIPPED, the advisory service is unreachable", "ConnectionError"]),
    (fake_run(json.dumps({"dependencies": [{"name": "a", "version": "1", "skip_reason": "x"}]})), ["SKIPPED, the advisory service knew none"]),
    (fake_run(exc=subprocess.TimeoutExpired("pip-audit", 180)), ["did not answer within"]),
])
def test_audit_reports_without_failing(monkeypatch, capsys, run, expected):
    monkeypatch.setattr(audit_deps.subprocess, "run", run)
    assert audit_deps.main() == 0
    out = capsys.readouterr().out
    for needle in expected:
        assert needle in out
