"""The hosted configuration in a real browser: PostgreSQL, Redis (state, bus, broker),
two backend processes and a Celery worker process executing the runs."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import redis
from playwright.sync_api import Page, expect
from sqlalchemy import text

from pipeline.store.db import get_engine
from tests.app_server import running_app
from tests.conftest import TABLES
from tests.test_celery import REDIS, Hosted, Workers, _claim_redis_db

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def app_url(pg_database, tmp_path_factory) -> Iterator[str]:
    admin, n = _claim_redis_db()
    url = f"{REDIS}/{n}"
    redis.Redis.from_url(url).flushdb()
    with get_engine(pg_database).begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(TABLES) + " RESTART IDENTITY CASCADE"))
    data = tmp_path_factory.mktemp("hosted-e2e")
    workers = Workers(Hosted(db_url=pg_database, redis_url=url, data_dir=data, job_ids=[]), data)
    try:
        workers.start("w1", analyst="", concurrency=2)
        workers.wait_ready("w1")
        env = {"DB_URL": pg_database, "REDIS_URL": url, "GRANIAN_WORKERS": "2", "JOBAPP_LEASE_SECONDS": "10"}
        with running_app(data / "app", env=env) as app:
            yield app
    finally:
        workers.kill_all()
        redis.Redis.from_url(url).flushdb()
        admin.delete(f"jobapp:test-db:{n}")


def test_hosted_process_two_jobs_and_follow_their_logs(page: Page, app_url: str):
    health = page.request.get(app_url + "/health").json()
    assert health["database"]["status"] == "ok" and health["redis"]["status"] == "ok"
    assert health["workers"]["count"] >= 1
    expect(page.get_by_text("runs:")).to_contain_text("celery")
    page.fill("#job-search", "Tidemark")
    expect(page.get_by_test_id("job-row")).to_have_count(2)
    for i in range(2):
        box = page.get_by_test_id("job-row").nth(i).locator("input[type=checkbox]")
        box.click()
        expect(box).to_be_checked()
    page.get_by_test_id("bulk-process").click()
    expect(page.get_by_text("Queued 2 run(s).")).to_be_visible()
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
