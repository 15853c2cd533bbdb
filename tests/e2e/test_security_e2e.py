"""The real app: the page still works under its CSP and its websocket connects; another
origin cannot open that websocket or upload; the REST API streams a real run's log live."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.support.app_server import running_app

ROOT = Path(__file__).resolve().parents[2]
EVIL = "http://evil.example"


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """The app (embedded default, demo data) and an API token for its local user."""
    data = tmp_path_factory.mktemp("e2e-security")
    with running_app(data) as url:
        env = {**os.environ, "DATA_DIR": str(data)}
        env.pop("DB_URL", None)
        out = subprocess.run([sys.executable, "-m", "pipeline", "tokens", "create", "--name", "e2e"],
                             cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        yield url, out.stdout.strip()


def test_page_works_under_its_csp_and_the_websocket_connects(browser, served):
    url, _ = served
    context = browser.new_context()
    page = context.new_page()
    violations: list[str] = []
    sockets: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("websocket", lambda ws: sockets.append(ws.url))
    response = page.goto(url + "/")
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    # Rows come from the backend state over the websocket: visible rows prove it connected.
    expect(page.get_by_test_id("job-row").first).to_be_visible(timeout=30_000)
    # An event to the backend and back, answered with a toast (Reflex runs it through eval).
    box = page.get_by_test_id("job-row").first.locator("input[type=checkbox]")
    box.click()  # controlled by server state: the tick shows after the round trip (.check() demands it at once)
    expect(box).to_be_checked()
    page.get_by_test_id("bulk-process").click()
    expect(page.get_by_text("Queued 1 run(s).")).to_be_visible()
    assert any("/_event" in s for s in sockets), sockets
    assert violations == [], violations
    context.close()


def _ws_url(url: str) -> str:
    return url.replace("http://", "ws://") + "/_event/?EIO=4&transport=websocket"


def test_cross_origin_websocket_is_refused_same_origin_accepted(served):
    url, _ = served
    with pytest.raises(InvalidStatus) as refused, connect(_ws_url(url), origin=EVIL, open_timeout=10):
        pass
    assert refused.value.response.status_code == 403
    with connect(_ws_url(url), origin=url, open_timeout=10) as ws:
        assert ws.recv(timeout=10).startswith("0"), "engine.io open packet"


def test_cross_origin_upload_is_refused(served):
    url, _ = served
    r = httpx.post(url + "/_upload", headers={"Origin": EVIL}, files={"files": ("jobs.csv", b"title\nx\n")}, timeout=10)
    assert r.status_code == 403


def test_api_streams_a_real_run_live(served):
    url, token = served
    auth = {"Authorization": f"Bearer {token}"}
    assert httpx.get(url + "/api/jobs", timeout=10).status_code == 401
    jobs = httpx.get(url + "/api/jobs", headers=auth, params={"page_size": 50, "sort": "title"}, timeout=10).json()["rows"]
    idle = next(j for j in jobs if j["last_run_status"] is None)  # the page test queued one job
    queued = httpx.post(url + "/api/runs", headers={**auth, "Idempotency-Key": "e2e-1"}, json={"job_ids": [idle["id"]]}, timeout=10)
    assert queued.status_code == 202, queued.text
    run_id = queued.json()["run_ids"][0]
    events: list[tuple[str, dict]] = []
    seen_running_before_end = False
    with httpx.stream("GET", f"{url}/api/runs/{run_id}/events", headers=auth, timeout=httpx.Timeout(10, read=60)) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        name = None
        for line in r.iter_lines():
            if line.startswith("event:"):
                name = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and name:
                data = json.loads(line.split(":", 1)[1])
                events.append((name, data))
                if name == "status" and data["status"] == "running":
                    seen_running_before_end = True
                if name == "end":
                    break
    assert seen_running_before_end, "lines arrived while the run was running, not only at the end"
    assert events[-1][0] == "end" and events[-1][1]["status"] == "succeeded", events[-3:]
    seqs = [d["seq"] for n, d in events if n == "log"]
    assert seqs == sorted(set(seqs)) and len(seqs) >= 5
    state = httpx.get(f"{url}/api/runs/{run_id}", headers=auth, timeout=10).json()
    cv = httpx.get(f"{url}/api/runs/{run_id}/artifacts/CV.md", headers=auth, timeout=10)
    assert state["status"] == "succeeded" and cv.status_code == 200
    assert "sandbox" in cv.headers["content-security-policy"] and cv.headers["content-disposition"].startswith("attachment")
