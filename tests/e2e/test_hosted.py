"""The hosted configuration in a real browser: PostgreSQL, Redis (state, bus, broker),
two backend processes and a Celery worker process executing the runs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
from playwright.sync_api import Page, expect

from pipeline.store.db import get_engine
from tests.conftest import wipe_postgres
from tests.e2e.conftest import process_rows
from tests.integration.test_celery import REDIS, Hosted, Workers, _claim_redis_db
from tests.support.app_server import free_port, kill_app, running_app

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(300)]


@dataclass
class HostedApp:
    """The hosted app on a fixed port, so it can be killed and started again under open pages."""

    data: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.starts += 1
        self.stack.enter_context(running_app(self.data / "app", env=self.env, port=self.port, log_name=f"app-{self.starts}.log"))

    def kill(self) -> None:
        kill_app(self.url)
        self.stack.close()


@pytest.fixture(scope="module")
def hosted_app(pg_database, tmp_path_factory) -> Iterator[HostedApp]:
    admin, n = _claim_redis_db()
    url = f"{REDIS}/{n}"
    redis.Redis.from_url(url).flushdb()
    with get_engine(pg_database).begin() as conn:
        wipe_postgres(conn)
    data = tmp_path_factory.mktemp("hosted-e2e")
    workers = Workers(Hosted(db_url=pg_database, redis_url=url, data_dir=data, job_ids=[]), data)
    env = {"DB_URL": pg_database, "REDIS_URL": url, "GRANIAN_WORKERS": "2", "JOBAPP_LEASE_SECONDS": "10"}
    app = HostedApp(data=data, env=env)
    try:
        workers.start("w1", analyst="delay:1.0", concurrency=2)  # a run takes ~3.5 s: seen running, and outlives a kill
        workers.wait_ready("w1")
        app.start()
        yield app
    finally:
        app.stack.close()
        workers.kill_all()
        redis.Redis.from_url(url).flushdb()
        admin.delete(f"jobapp:test-db:{n}")


@pytest.fixture(scope="module")
def app_url(hosted_app: HostedApp) -> str:
    return hosted_app.url


def test_hosted_process_two_jobs_and_follow_their_logs(page: Page, app_url: str):
    health = page.request.get(app_url + "/health").json()
    assert health["database"]["status"] == "ok" and health["redis"]["status"] == "ok"
    assert health["workers"]["count"] >= 1
    expect(page.get_by_text("runs:")).to_contain_text("celery")
    page.fill("#job-search", "Tidemark")
    expect(page.get_by_test_id("job-row")).to_have_count(2)
    process_rows(page, 2)
    runs = page.get_by_test_id("run-row")
    expect(runs).to_have_count(2)
    expect(runs.get_by_test_id("run-status").filter(has_text="succeeded")).to_have_count(2, timeout=90_000)
    expect(page.get_by_test_id("log-line").filter(has_text="run succeeded").first).to_be_visible(timeout=20_000)
    for row in range(2):  # the table follows the runs live
        expect(page.get_by_test_id("job-row").nth(row).get_by_test_id("row-run-status")).to_have_text("succeeded")

    runs.first.locator(".run-title").click()
    before = page.get_by_test_id("log-line").all_inner_texts()
    assert any("publish" in line for line in before)
    page.reload()
    expect(page.get_by_test_id("run-row")).to_have_count(2)
    page.get_by_test_id("run-row").first.locator(".run-title").click()
    expect(page.get_by_test_id("log-line")).to_have_count(len(before))
    for row in range(2):
        expect(page.get_by_test_id("job-row").nth(row).get_by_test_id("row-run-status")).to_have_text("succeeded")


def test_backend_killed_and_restarted_page_reconnects_and_continues(page: Page, hosted_app: HostedApp):
    """SIGKILL every backend process while a run executes on the worker; start the backend again.
    The open page reconnects by itself (no reload), shows the run that finished meanwhile,
    and follows a new run live."""
    page.fill("#job-search", "Kestrel")
    rows = page.get_by_test_id("job-row")
    expect(rows).to_have_count(2)
    rows.nth(0).get_by_role("button", name="Process").click()
    run = page.get_by_test_id("run-row").filter(has_text="Kestrel").first
    expect(run.get_by_test_id("run-status")).to_have_text("running", timeout=20_000)

    hosted_app.kill()
    # The worker finishes the run while no backend is up.
    hosted_app.start()

    expect(run.get_by_test_id("run-status")).to_have_text("succeeded", timeout=60_000)
    expect(rows.nth(0).get_by_test_id("row-run-status")).to_have_text("succeeded")
    first_title = run.locator(".run-title").inner_text()
    rows.nth(1).get_by_role("button", name="Process").click()
    second = page.get_by_test_id("run-row").first
    expect(second.locator(".run-title")).not_to_have_text(first_title, timeout=20_000)  # the new run appears live
    expect(second.get_by_test_id("run-status")).to_have_text("succeeded", timeout=60_000)  # and finishes live
    expect(page.get_by_test_id("log-line").filter(has_text="run succeeded").first).to_be_visible()
    expect(rows.nth(1).get_by_test_id("row-run-status")).to_have_text("succeeded")


def test_hosted_through_nginx_over_tls(browser, hosted_app: HostedApp, tmp_path):
    """The hosted configuration behind the deploy/ nginx block, on another host name and port over
    HTTPS/WSS: two backend processes behind one proxy, a run executed by the Celery worker, its
    log followed live through the proxy."""
    from tests.support.proxies import nginx

    with nginx(tmp_path / "nginx", app_port=hosted_app.port) as url:
        public = url.replace("jobs.test", "localhost")  # another name than the app's 127.0.0.1, no resolver rule needed
        context = browser.new_context(viewport={"width": 1400, "height": 900}, ignore_https_errors=True)
        try:
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.goto(public + "/")
            page.fill("#job-search", "Pharmacist")  # a job no other test here processes
            row = page.get_by_test_id("job-row").filter(has=page.get_by_role("button", name="Pharmacist", exact=True))
            expect(row).to_have_count(1)
            row.get_by_role("button", name="Process Pharmacist").click()
            expect(row.get_by_test_id("row-run-status")).to_have_text("succeeded", timeout=60_000)
            expect(page.get_by_test_id("log-line").filter(has_text="run succeeded").first).to_be_visible(timeout=20_000)
        finally:
            context.close()
