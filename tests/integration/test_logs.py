"""test_logs: the cases that start processes or talk to a service (the rest: tests/unit/test_logs.py)."""

from __future__ import annotations

import subprocess
import sys
import time

from tests.unit.test_logs import ROOT, URL_PASSWORD, _assert_only_json, _env


def test_the_cli_logs_only_json_lines_on_stderr(tmp_path):
    """`python -m pipeline migrate` on a fresh database: alembic's lines (shown at DEBUG) are JSON."""
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "migrate"], cwd=ROOT, env=_env(tmp_path, LOG_LEVEL="DEBUG"),
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    records = _assert_only_json(proc.stderr)
    assert any(r["logger"].startswith("alembic") and "Running upgrade" in r["message"] for r in records)


def test_celery_setup_logging_signal_installs_our_handler_not_celerys(tmp_path):
    """Celery's own set-up, as a worker runs it, sends `setup_logging`: our receiver takes over,
    so Celery neither adds its handler nor redirects stdout."""
    code = (
        "import logging, sys\n"
        "from pipeline.runs.celery_app import app\n"
        "app.log.setup(loglevel='INFO', redirect_stdouts=True)\n"
        "assert len(logging.getLogger().handlers) == 1, logging.getLogger().handlers\n"
        "assert sys.stdout is sys.__stdout__\n"
        "logging.getLogger('celery.app.trace').info('Task jobapp.run[1] succeeded')\n"
        f"logging.getLogger('pipeline.runs.celery_app').error('broker redis://default:{URL_PASSWORD}@redis:6379/0 gone')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    records = _assert_only_json(proc.stderr)
    assert [r["logger"] for r in records] == ["celery.app.trace", "pipeline.runs.celery_app"]


def test_a_real_celery_worker_prints_json_only(tmp_path):
    """A solo worker on an in-memory broker (no Redis): every stderr line up to "ready." and
    through its shutdown is JSON."""
    err = tmp_path / "stderr.txt"
    with err.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "pipeline.runs.celery_app:app", "worker", "--pool=solo",
             "--without-gossip", "--without-mingle", "--loglevel=INFO", "-Q", "default"],
            cwd=ROOT, env=_env(tmp_path, CELERY_BROKER_URL="memory://"), stdout=subprocess.DEVNULL, stderr=sink,
        )
        try:
            deadline = time.monotonic() + 45
            while " ready." not in err.read_text() and proc.poll() is None:
                assert time.monotonic() < deadline, err.read_text()
                time.sleep(0.2)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    records = _assert_only_json(err.read_text())
    assert any(r["logger"] == "celery.apps.worker" and r["message"].endswith(" ready.") for r in records)
