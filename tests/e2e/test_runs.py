"""Process jobs from the table and watch them live, with the real ChatOpenAI client
talking to a local OpenAI-compatible server (so runs take long enough to cancel)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, process_rows
from tests.support.app_server import running_app
from tests.support.fake_openai import FakeOpenAI

LATENCY = 1.2


@pytest.fixture(scope="module")
def llm_server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(latency=LATENCY) as server:
        yield server


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, llm_server) -> Iterator[str]:
    env = {"OPENAI_API_KEY": "sk-e2e-test-key-0123456789", "OPENAI_BASE_URL": llm_server.base_url, "JOBAPP_MODEL": "gpt-4o-mini", "LLM_MAX_RETRIES": "1"}
    with running_app(tmp_path_factory.mktemp("e2e-runs"), env=env) as url:
        yield url


def runs(page: Page):
    return page.get_by_test_id("run-row")


def test_process_three_jobs_watch_cancel_open_and_reload(page: Page, llm_server: FakeOpenAI):
    expect(page.get_by_text("model:")).to_contain_text("gpt-4o-mini")
    page.fill("#job-search", "engineer")
    expect(page.get_by_test_id("range-label")).to_contain_text("of 1")
    process_rows(page, 3)
    expect(runs(page)).to_have_count(3)

    # Cancel one while it is in its first layers.
    victim = runs(page).nth(2)
    victim.get_by_test_id("run-cancel").click()

    # Progress bars move and log lines stream in.
    expect(page.locator("[data-testid=run-progress][aria-valuenow='10']").first).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("log-line").nth(5)).to_be_visible(timeout=20_000)

    # Filter the log by text, then clear the filter.
    page.get_by_test_id("log-filter").fill("fit")
    expect(page.get_by_test_id("log-line").first).to_contain_text("fit", ignore_case=True, timeout=10_000)
    for text in page.get_by_test_id("log-line").all_inner_texts():
        assert "fit" in text.lower()
    page.get_by_test_id("log-filter").fill("")

    # The cancelled run stops at a node boundary; the others succeed.
    expect(victim.get_by_test_id("run-status")).to_have_text("cancelled", timeout=30_000)
    statuses = runs(page).get_by_test_id("run-status")
    expect(statuses.filter(has_text="succeeded")).to_have_count(2, timeout=60_000)
    assert llm_server.requests, "the app called the model server"
    assert all("sk-e2e-test-key" not in t for t in page.get_by_test_id("log-line").all_inner_texts())

    # Open a result: fit chart, pain points with evidence, artifacts.
    runs(page).filter(has_text="succeeded").first.get_by_test_id("run-open").click()
    expect(page.get_by_test_id("run-results")).to_be_visible()
    expect(page.get_by_test_id("fit-chart")).to_be_visible()
    expect(page.get_by_test_id("pain-point").first).to_be_visible()
    expect(page.get_by_test_id("artifact-link").filter(has_text="CV.md")).to_be_visible()
    href = page.get_by_test_id("artifact-link").filter(has_text="CV.md").get_attribute("href")
    cv = page.request.get(page.url.rstrip("/") + href)
    assert cv.status == 200 and "Jane Doe" in cv.text()
    assert page.request.get(page.url.rstrip("/") + href.replace("CV.md", "..%2F..%2Fjobapp.db")).status == 404
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "runs.png"))

    # Follow one run's log, reload, and see the same lines (no gaps, no duplicates).
    runs(page).filter(has_text="succeeded").first.locator(".run-title").click()
    label = page.get_by_test_id("log-following").inner_text()
    before = page.get_by_test_id("log-line").all_inner_texts()
    assert len(before) > 5
    page.reload()
    expect(page.get_by_test_id("log-line").first).to_be_visible()
    runs(page).filter(has_text=re.compile(label.replace("run ", ""))).first.locator(".run-title").click()
    expect(page.get_by_test_id("log-line")).to_have_count(len(before))
    assert page.get_by_test_id("log-line").all_inner_texts() == before
