"""test_metrics: the cases that start processes or talk to a service (the rest: tests/unit/test_metrics.py)."""

from __future__ import annotations

import os
import time
import urllib.request

import pytest

from pipeline import metrics
from tests.integration.test_celery import hosted, workers  # noqa: F401 - the worker fixtures
from tests.unit.test_metrics import LAYERS, _child, _dead_process_file, _dir_total, scrape, value


def test_pdf_render_time_is_observed():
    from pipeline.render.pdf import render_pdf_sync

    before = value(scrape(), "jobapp_pdf_render_duration_seconds_count", outcome="ok")
    render_pdf_sync("<!doctype html><html><body><p>metrics</p></body></html>")
    assert value(scrape(), "jobapp_pdf_render_duration_seconds_count", outcome="ok") == before + 1


def test_values_written_by_another_process_are_summed_in_one_scrape():
    label = f"two-processes-{os.getpid()}"
    child = _child(label)
    out, _ = child.communicate(timeout=60)
    assert child.returncode == 0 and out.strip() == str(metrics.MULTIPROC_DIR), "the child inherits the same directory"
    metrics.login_failed(label)
    metrics.login_failed(label)
    assert value(scrape(), "jobapp_login_failures_total", reason=label) == 3


def test_the_directory_is_wiped_only_when_no_process_uses_it(tmp_path):
    stale = tmp_path / "counter_999999999.db"
    _dead_process_file(stale, 5)
    assert _dir_total(tmp_path, "x") == 5
    env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    first = _child("x", env, wait=True)  # alone: wipes, then keeps the directory's lock
    try:
        assert first.stdout.readline().strip() == str(tmp_path)
        assert not stale.exists(), "nobody lived: the dead process's file goes"
        assert _dir_total(tmp_path, "x") == 1
        _dead_process_file(stale, 5)  # a process that died while `first` lives...
        second = _child("x", env)
        assert second.communicate(timeout=60)[0].strip() == str(tmp_path) and second.returncode == 0
        assert stale.exists(), "...keeps its file: another process was alive, so nothing may be wiped"
        assert _dir_total(tmp_path, "x") == 7, "the dead process's 5, plus one from each live or finished process"
    finally:
        first.communicate("", timeout=60)


@pytest.mark.postgres
@pytest.mark.timeout(90)
def test_a_celery_workers_run_shows_on_its_metrics_port(hosted, workers, tmp_path):
    from pipeline.runs import celery_app
    from tests.integration.test_celery import _queue, _wait_finished
    from tests.support.private_redis import free_port

    port, folder = free_port(), tmp_path / "worker-metrics"
    [run_id] = _queue(hosted, hosted.job_ids[:1])
    workers.start("m", "delay:0.01", concurrency=1, WORKER_METRICS_PORT=str(port), WORKER_METRICS_ADDR="127.0.0.1",
                  PROMETHEUS_MULTIPROC_DIR=str(folder))
    workers.wait_ready("m")
    celery_app.dispatch_celery([run_id])
    [run] = _wait_finished(hosted, [run_id])
    assert run.status == "succeeded", run.error_message
    samples: dict = {}
    deadline = time.monotonic() + 10
    def complete() -> bool:  # the run's counter can land a moment before its last layer's timing
        return value(samples, "jobapp_runs_finished_total", status="succeeded") >= 1 and all(
            value(samples, "jobapp_layer_duration_seconds_count", layer=layer) >= 1 for layer in LAYERS)

    while not complete():
        assert time.monotonic() < deadline, (
            {layer: value(samples, "jobapp_layer_duration_seconds_count", layer=layer) for layer in LAYERS},
            value(samples, "jobapp_runs_finished_total", status="succeeded"), workers.log("m")[-3000:])
        time.sleep(0.1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
            samples = scrape(resp.read().decode())
    assert value(samples, "jobapp_runs_finished_total", status="succeeded") == 1, "the pool child's count, served by the parent"
    assert all(value(samples, "jobapp_layer_duration_seconds_count", layer=layer) == 1 for layer in LAYERS)
    assert ("jobapp_queue_depth", ()) not in samples, "the store's gauges come from the app's /metrics"
    child_pid = int(run.worker.rsplit(":", 1)[1])
    assert (folder / f"histogram_{child_pid}.db").exists() and child_pid != workers.procs["m"].pid
