"""The container image, built from nothing but Debian, PyPI and npm, and run for real with
podman: a first-run smoke (SQLite only, demo data, one container), and the hosted setup (an
app container and two worker containers on PostgreSQL and Redis, behind nginx with TLS) driven
in Chromium to finished runs, through a worker killed mid-run and an app restart."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from pipeline.store.db import get_engine, session_scope
from pipeline.store.models import Run, RunEvent
from tests.conftest import wipe_postgres
from tests.e2e.conftest import process_rows
from tests.integration.test_celery import REDIS, _claim_redis_db
from tests.support.app_server import free_port
from tests.support.containers import IMAGE, build_image, container, image_size_mb, logs, podman, wait_http
from tests.support.fake_openai import FakeOpenAI
from tests.support.proxies import nginx

pytestmark = [pytest.mark.image, pytest.mark.e2e, pytest.mark.timeout(1800)]
PASSWORD = "a long shared passphrase for the image test"
APP_UID = 10001  # the image's `jobapp` user


@pytest.fixture(scope="module")
def image(tmp_path_factory) -> str:
    log = tmp_path_factory.mktemp("image") / "build.log"
    started = time.monotonic()
    build_image(log)
    print(f"\nimage {IMAGE}: built (or cached) in {time.monotonic() - started:.0f} s, {image_size_mb():.0f} MB")
    return IMAGE


@pytest.fixture(scope="module")
def browser(proxy_browser) -> Browser:
    return proxy_browser


def data_volume(path: Path) -> str:
    """A host folder for /data that the image's non-root user may write."""
    path.mkdir(parents=True, exist_ok=True)
    os.chown(path, APP_UID, APP_UID)
    return f"{path}:/data"


def open_signed_in(browser: Browser, url: str) -> Page:
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, ignore_https_errors=True, accept_downloads=True)
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    page.goto(url + "/")
    expect(page.locator("#login-password")).to_be_visible()
    page.fill("#login-password", PASSWORD)
    with page.expect_navigation():
        page.click("#login-submit")
    expect(page.get_by_test_id("job-row").first).to_be_visible()
    return page


def test_image_runs_as_a_non_root_user_without_test_code_or_secrets(image):
    out = podman("run", "--rm", "--network", "host", "--no-healthcheck", image, "sh", "-c",
                 "id -u; test -d /app/tests && echo tests-present; ls /app/.web/build/client/index.html; "
                 "grep -rl BEGIN /run/secrets 2>/dev/null; ls /tmp").stdout
    lines = out.split()
    assert lines[0] == str(APP_UID)
    assert "tests-present" not in out
    assert "/app/.web/build/client/index.html" in out  # the page is built into the image
    assert "build-ca.pem" not in out


def test_first_run_smoke_sqlite_demo_in_one_container(image, browser, tmp_path):
    """One `podman run` with SQLite only (no Redis, no PostgreSQL) and a mapped port (host port
    -> the container's 3000): the demo is served, and the page works through the mapping."""
    port = free_port()
    with container("jobapp-smoke", "-p", f"127.0.0.1:{port}:3000", "-e", "SEED_DEMO=true", "-e", f"LOGIN_PASSWORD={PASSWORD}",
                   "-v", data_volume(tmp_path / "data"), network="bridge") as name:
        wait_http(f"http://127.0.0.1:{port}/ready", name)
        page = open_signed_in(browser, f"http://127.0.0.1:{port}")
        expect(page.get_by_test_id("range-label")).to_contain_text("30")
        page.context.close()
        assert PASSWORD not in logs(name)


@pytest.fixture(scope="module")
def hosted(image, pg_database, tmp_path_factory) -> Iterator[dict]:
    """PostgreSQL and Redis of the machine, a fake model server (so runs take seconds), the
    schema and demo data made by one-off containers, and the shared /data folder."""
    with get_engine(pg_database).begin() as conn:
        wipe_postgres(conn)
    admin, n = _claim_redis_db()
    url = f"{REDIS}/{n}"
    redis.Redis.from_url(url).flushdb()
    data = tmp_path_factory.mktemp("image-hosted")
    with FakeOpenAI(latency=0.8) as llm:
        env = {"DB_URL": pg_database, "REDIS_URL": url, "LOGIN_PASSWORD": PASSWORD, "TRUSTED_PROXY_HOPS": "1",
               "OPENAI_API_KEY": "sk-image-test-key-000000", "OPENAI_BASE_URL": llm.base_url, "JOBAPP_LEASE_SECONDS": "6",
               "SEED_DEMO": "false"}
        flags = [x for k, v in env.items() for x in ("-e", f"{k}={v}")] + ["-v", data_volume(data / "data")]
        for command in (["python", "-m", "pipeline", "migrate"], ["python", "-m", "pipeline", "seed"]):
            podman("run", "--rm", "--network", "host", "--no-healthcheck", *flags, image, *command, timeout=300)
        try:
            yield {"flags": flags, "db": pg_database, "data": data}
        finally:
            redis.Redis.from_url(url).flushdb()
            admin.delete(f"jobapp:test-db:{n}")


def start_app(hosted: dict, port: int):
    return container("jobapp-app", *hosted["flags"], "-e", f"PORT={port}", "-e", "GRANIAN_WORKERS=2")


def start_worker(hosted: dict, name: str):
    return container(name, *hosted["flags"], "--hostname", name, command=["python", "-m", "pipeline", "worker", "--concurrency", "1"])


def runs(db: str) -> list[Run]:
    with session_scope(db) as s:
        return list(s.exec(select(Run).order_by(Run.id)))


def test_hosted_app_and_two_workers_behind_nginx(image, hosted, browser, tmp_path):
    port = free_port()
    with start_worker(hosted, "jobapp-w1"), start_worker(hosted, "jobapp-w2"):
        app = start_app(hosted, port)
        name = app.__enter__()
        try:
            wait_http(f"http://127.0.0.1:{port}/ready", name)
            with nginx(tmp_path / "nginx", app_port=port) as url:
                page = open_signed_in(browser, url)
                page.fill("#job-search", "engineer")
                expect(page.get_by_test_id("range-label")).to_contain_text("of")
                process_rows(page, 3)
                expect(page.get_by_test_id("log-line").nth(3)).to_be_visible(timeout=60_000)

                # SIGKILL the worker container executing a run, mid-run: the other one finishes it.
                deadline = time.monotonic() + 60
                while not (running := [r for r in runs(hosted["db"]) if r.status == "running" and r.worker]):
                    assert time.monotonic() < deadline, [(r.id, r.status, r.worker) for r in runs(hosted["db"])]
                    time.sleep(0.2)
                victim_run = running[0]
                victim = "jobapp-w1" if "jobapp-w1" in victim_run.worker else "jobapp-w2"
                podman("kill", "-s", "KILL", victim)
                statuses = page.get_by_test_id("run-row").get_by_test_id("run-status")
                expect(statuses.filter(has_text="succeeded")).to_have_count(3, timeout=180_000)
                finished = {r.id: r for r in runs(hosted["db"])}
                assert finished[victim_run.id].attempt >= 2 and victim not in finished[victim_run.id].worker

                # CV.pdf of a finished run, through the proxy.
                page.get_by_test_id("run-row").first.get_by_test_id("run-open").click()
                page.get_by_test_id("tab-cv").click()
                with page.expect_download() as info:
                    page.get_by_test_id("dl-cv-pdf").click()
                assert Path(info.value.path()).read_bytes().startswith(b"%PDF")

                # Restart the app container: the same log comes back from the store.
                page.get_by_test_id("run-row").first.locator(".run-title").click()
                before = page.get_by_test_id("log-line").all_inner_texts()
                assert before
                podman("restart", "-t", "5", name, timeout=120)
                wait_http(f"http://127.0.0.1:{port}/ready", name)
                page.reload()
                page.get_by_test_id("run-row").first.locator(".run-title").click()
                expect(page.get_by_test_id("log-line")).to_have_count(len(before), timeout=30_000)
                assert page.get_by_test_id("log-line").all_inner_texts() == before
                with session_scope(hosted["db"]) as s:
                    stored = s.exec(select(RunEvent.message)).all()
                assert not any("sk-image-test-key" in m for m in stored)
                page.context.close()
        finally:
            app.__exit__(None, None, None)
