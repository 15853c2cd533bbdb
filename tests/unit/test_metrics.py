"""/metrics: Prometheus text from every process (multiprocess files), the store's state, access rules.

Counters live as long as the test session's metrics directory, so every check compares a
scrape before with one after."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest, multiprocess
from prometheus_client.mmap_dict import MmapedDict, mmap_key
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from jobapp.api.security import install_security
from jobapp.metrics_route import metrics_route
from pipeline import metrics
from pipeline.graph.nodes.base import WEIGHTS
from pipeline.runs.checkpoint import open_checkpointer
from pipeline.runs.runner import execute_run
from pipeline.settings import settings
from pipeline.store.db import session_scope
from pipeline.store.models import Job, Profile, Run, utcnow
from pipeline.store.runs import create_run

ROOT = Path(__file__).resolve().parents[2]
LAYERS = sorted(WEIGHTS)
CV = "# Jane Doe\n\n## Experience\n\n- Built data pipelines in Python and SQL processing 2 TB a day.\n"
DESC = "We move freight across Europe. You will build our data platform in Python and SQL. " * 3


def scrape(text: str | None = None) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of one exposition, keyed by (name, sorted labels); the text must parse."""
    text = text if text is not None else metrics.exposition()[0].decode()
    return {(s.name, tuple(sorted(s.labels.items()))): s.value for fam in text_string_to_metric_families(text) for s in fam.samples}


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def _job(title: str = "Data Engineer") -> int:
    with session_scope() as s:
        job = Job(source="demo", external_id=f"m-{title}-{time.monotonic_ns()}", title=title, company="Kestrel Freight", description=DESC)
        s.add(job)
        s.flush()
        return job.id


# ------------------------------------------------------------------ the text and what counts


def test_multiprocess_mode_is_on_under_data_dir():
    assert metrics.MULTIPROCESS and metrics.MULTIPROC_DIR is not None
    assert metrics.MULTIPROC_DIR.parent == settings.data_dir.resolve() / "metrics"
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(metrics.MULTIPROC_DIR)


def test_exposition_parses_and_has_every_family(default_store):
    metrics.pdf_rendered("ok", 0.4)
    metrics.log_line("info")
    metrics.import_counted("file", type("S", (), {"imported": 2, "updated": 1, "skipped": 0, "errors": [object()]})())
    body, content_type = metrics.exposition()
    assert content_type.startswith("text/plain; version=0.0.4")
    names = {fam.name for fam in text_string_to_metric_families(body.decode())}
    assert {"jobapp_pdf_render_duration_seconds", "jobapp_log_lines", "jobapp_import_rows", "jobapp_runs", "jobapp_queue_depth",
            "jobapp_queue_oldest_age_seconds", "jobapp_store_up"} <= names
    samples = scrape(body.decode())
    assert value(samples, "jobapp_import_rows_total", kind="file", outcome="error") >= 1
    assert value(samples, "jobapp_store_up") == 1
    open_metrics, om_type = metrics.exposition("application/openmetrics-text; version=1.0.0")
    assert om_type.startswith("application/openmetrics-text") and open_metrics.rstrip().endswith(b"# EOF")


def test_a_stored_offline_run_counts_the_run_its_layers_and_its_log_lines(default_store):
    with session_scope() as s:
        s.add(Profile(name="Jane Doe", markdown=CV, confirmed_at=utcnow()))
    with session_scope() as s:
        run_id = create_run(session=s, job_id=_job()).id
    before = scrape()

    async def go():
        async with open_checkpointer() as saver:
            return await execute_run(run_id, checkpointer=saver)  # no key: the offline analyst

    assert asyncio.run(go()).status == "succeeded"
    after = scrape()
    delta = lambda name, **kw: value(after, name, **kw) - value(before, name, **kw)  # noqa: E731
    assert delta("jobapp_runs_finished_total", status="succeeded") == 1
    assert delta("jobapp_run_duration_seconds_count", status="succeeded") == 1
    for layer in LAYERS:
        assert delta("jobapp_layer_duration_seconds_count", layer=layer) == 1, layer
    assert delta("jobapp_log_lines_total", level="info") >= len(LAYERS) * 2  # "…" and "done in" per layer
    assert value(after, "jobapp_runs", status="succeeded") == 1  # the store's own count


def test_llm_calls_count_tokens_and_cost_by_model(monkeypatch):
    from tests.support.fake_openai import FakeOpenAI
    from tests.unit.test_llm_analyst import POSTING, make

    monkeypatch.setattr(settings, "model_prices", {"acme-metrics": {"input": 3.0, "output": 12.0}})
    before = scrape(generate_latest(metrics.registry(include_store=False)).decode())
    with FakeOpenAI() as server:
        analyst = make(server, model="acme-metrics")
        asyncio.run(analyst.intake(POSTING))
        tin, tout = server.total_usage()
    after = scrape(generate_latest(metrics.registry(include_store=False)).decode())
    delta = lambda name, **kw: value(after, name, **kw) - value(before, name, **kw)  # noqa: E731
    assert delta("jobapp_llm_calls_total", model="acme-metrics") == 1
    assert (delta("jobapp_llm_tokens_total", model="acme-metrics", direction="input"), delta("jobapp_llm_tokens_total", model="acme-metrics", direction="output")) == (tin, tout)
    assert delta("jobapp_llm_cost_usd_total", model="acme-metrics") == pytest.approx((tin * 3.0 + tout * 12.0) / 1e6)


def test_wrong_password_counts_a_login_failure(default_store, monkeypatch):
    from pipeline.accounts import auth

    monkeypatch.setattr(settings, "login_password", "a long shared password")
    auth.reset_caches()
    before = value(scrape(), "jobapp_login_failures_total", reason="bad_credentials")
    with pytest.raises(auth.LoginRefused):
        auth.login(None, "not the password", client_ip="192.0.2.77")
    auth.reset_caches()
    assert value(scrape(), "jobapp_login_failures_total", reason="bad_credentials") == before + 1


def test_importer_counts_rows_by_outcome(default_store):
    from pipeline.sources.importer import import_file

    data = b'[{"id": "a", "title": "T1", "company": "C", "description": "long enough text"}, {"id": "b", "company": "no title"}]'
    before = scrape()
    with session_scope() as s:
        summary = import_file(session=s, data=data, filename="jobs.json")
    after = scrape()
    assert value(after, "jobapp_import_rows_total", kind="file", outcome="imported") - value(before, "jobapp_import_rows_total", kind="file", outcome="imported") == summary.imported
    assert value(after, "jobapp_import_rows_total", kind="file", outcome="error") - value(before, "jobapp_import_rows_total", kind="file", outcome="error") == len(summary.errors)


# ------------------------------------------------------------------ several processes


CHILD = "import sys; from pipeline import metrics; metrics.login_failed(sys.argv[1]); print(metrics.MULTIPROC_DIR, flush=True); {tail}"


def _child(label: str, env: dict[str, str] | None = None, *, wait: bool = False) -> subprocess.Popen:
    """A separate Python process that records one login failure under `label`."""
    code = CHILD.format(tail="sys.stdin.read()" if wait else "")
    return subprocess.Popen([sys.executable, "-c", code, label], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def _dir_total(path: Path, label: str) -> float:
    reg = CollectorRegistry()
    multiprocess.MultiProcessCollector(reg, path=str(path))
    return value(scrape(generate_latest(reg).decode()), "jobapp_login_failures_total", reason=label)


def _dead_process_file(path: Path, count: float) -> None:
    """What a process that died (pid 999999999) left behind: `count` failures under label "x"."""
    d = MmapedDict(str(path))
    d.write_value(mmap_key("jobapp_login_failures", "jobapp_login_failures_total", ["reason"], ["x"], "help"), count, 0.0)
    d.close()


# ------------------------------------------------------------------ the store's state


def test_runs_by_status_and_queue_depth_come_from_the_store(default_store):
    job_id = _job()
    with session_scope() as s:
        old = utcnow() - timedelta(minutes=5)
        s.add_all([Run(job_id=job_id, status="queued", created_at=old), Run(job_id=job_id, status="queued"),
                   Run(job_id=job_id, status="running"), Run(job_id=job_id, status="failed"), Run(job_id=job_id, status="succeeded", owner="user:7")])
    samples = scrape()
    assert [value(samples, "jobapp_runs", status=st) for st in ("queued", "running", "succeeded", "failed", "cancelled")] == [2, 1, 1, 1, 0]
    assert value(samples, "jobapp_queue_depth") == 2
    assert 290 < value(samples, "jobapp_queue_oldest_age_seconds") < 600


def test_a_broken_store_is_reported_not_raised(default_store, monkeypatch):
    from pipeline.store import runs

    def down(**_):
        raise ConnectionError("database went away")

    monkeypatch.setattr(runs, "run_status_counts", down)
    samples = scrape()
    assert value(samples, "jobapp_store_up") == 0 and ("jobapp_queue_depth", ()) not in samples


# ------------------------------------------------------------------ the route


def client(host: str = "127.0.0.1") -> TestClient:
    """The route inside the same security middleware as the app (jobapp/jobapp.py)."""
    app = Starlette(routes=[Route("/metrics", metrics_route)])
    install_security(app)
    return TestClient(app, client=(host, 50000))


@pytest.fixture
def open_install(default_store, monkeypatch):
    monkeypatch.setattr(settings, "host", "127.0.0.1")
    monkeypatch.setattr(settings, "metrics_token", "")


def test_loopback_install_answers_loopback_clients_only(open_install):
    ok = client().get("/metrics", headers={"Origin": "https://elsewhere.example"})  # like /health: no Origin check
    assert ok.status_code == 200 and ok.headers["content-type"].startswith("text/plain")
    assert ok.headers["cache-control"] == "no-store"
    assert ("jobapp_queue_depth", ()) in scrape(ok.text)
    assert client("::1").get("/metrics").status_code == 200
    assert client("203.0.113.9").get("/metrics").status_code == 404
    assert client().get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404, "a local proxy's request is not local"


def test_exposed_install_without_a_token_offers_nothing(open_install, monkeypatch):
    monkeypatch.setattr(settings, "host", "0.0.0.0")
    assert client().get("/metrics").status_code == 404


def test_a_token_is_required_once_set_even_on_loopback(open_install, monkeypatch):
    token = "m" * 40
    monkeypatch.setattr(settings, "metrics_token", token)
    for host in ("127.0.0.1", "203.0.113.9"):
        refused = client(host).get("/metrics")
        assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
        assert client(host).get("/metrics", headers={"Authorization": "Bearer " + "m" * 39 + "x"}).status_code == 401
        assert client(host).get("/metrics", headers={"Authorization": f"Basic {token}"}).status_code == 401
        assert client(host).get("/metrics", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    monkeypatch.setattr(settings, "host", "0.0.0.0")
    assert client("203.0.113.9").get("/metrics", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client("203.0.113.9").get("/metrics", headers={"Cookie": "session=whatever"}).status_code == 401, "never the page's sign-in"


def test_the_grafana_dashboard_queries_only_metrics_that_exist(default_store):
    import json
    import re

    dashboard = json.loads((ROOT / "docs" / "grafana-dashboard.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    used = {re.sub(r"_(bucket|count|sum|total)$", "", m) for e in exprs for m in re.findall(r"jobapp_[a-z_]+", e)}
    defined = {fam.name for fam in metrics.LOCAL.collect()} | {fam.name for fam in metrics.StoreCollector().collect()}
    assert used and used <= defined, used - defined
    for title in ("Runs finished", "Queue depth", "Run duration", "Layer duration", "LLM tokens", "LLM cost", "PDF render", "Login failures"):
        assert any(p["title"].startswith(title) for p in dashboard["panels"]), title


def test_the_app_registers_the_route():
    src = (ROOT / "jobapp" / "jobapp.py").read_text()
    assert 'Route("/metrics", metrics_route)' in src


# ------------------------------------------------------------------ a real Celery worker


