"""Cost before you spend, in the real app: with a priced model on the local OpenAI-compatible test
server, Process on two jobs shows the estimate per job and in total and asks first; Escape and
Cancel queue nothing; Queue runs them; the runs panel then sets spent against the estimate and the
header shows the month's spend. The dialog is checked with axe and at a phone's width (390 px)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.support.app_server import running_app
from tests.support.axe import axe_violations, describe
from tests.support.fake_openai import FakeOpenAI

MODEL = "acme-pricey"  # priced through MODEL_PRICES: about $1 a job, above the $0.50 default threshold


@pytest.fixture(scope="module")
def llm_server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(latency=0.05) as server:
        yield server


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, llm_server) -> Iterator[str]:
    env = {
        "OPENAI_API_KEY": "sk-e2e-cost-key-0123456789", "OPENAI_BASE_URL": llm_server.base_url, "JOBAPP_MODEL": MODEL,
        "MODEL_PRICES": json.dumps({MODEL: {"input": 40.0, "output": 160.0}}), "MAX_COST_PER_RUN": "50", "LLM_MAX_RETRIES": "1",
    }
    with running_app(tmp_path_factory.mktemp("e2e-cost"), env=env) as url:
        yield url


def _select(page: Page, n: int) -> None:
    for i in range(n):
        box = page.get_by_test_id("job-row").nth(i).locator("input[type=checkbox]")
        box.click()
        expect(box).to_be_checked()


def test_process_shows_the_estimate_and_asks_before_spending(page: Page, llm_server: FakeOpenAI):
    expect(page.get_by_test_id("month-spend")).to_contain_text("$0")
    _select(page, 2)
    dialog = page.get_by_role("alertdialog", name="Confirm the cost of this batch")

    # Process asks first: two jobs, each with a range, and the total.
    page.get_by_test_id("bulk-process").click()
    expect(dialog).to_be_visible()
    expect(dialog.get_by_test_id("cost-line")).to_have_count(2)
    for text in dialog.get_by_test_id("cost-line").all_inner_texts():
        assert "$" in text and "–" in text, text
    expect(dialog.get_by_test_id("cost-total")).to_contain_text("$")
    expect(dialog).to_contain_text(MODEL)
    expect(dialog.get_by_test_id("cost-cancel")).to_be_focused()  # Enter never spends by accident
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('[role=alertdialog]')"), "focus stays in the dialog"
    violations = axe_violations(page, "[role=alertdialog]")
    assert not violations, describe(violations)

    # Escape cancels: nothing queued, nothing sent to the model.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("Cancelled: nothing was queued.")).to_be_visible()
    expect(page.get_by_test_id("run-row")).to_have_count(0)

    # Cancel does the same.
    page.get_by_test_id("bulk-process").click()
    expect(dialog).to_be_visible()
    dialog.get_by_test_id("cost-cancel").click()
    expect(dialog).to_be_hidden()
    page.wait_for_timeout(500)
    expect(page.get_by_test_id("run-row")).to_have_count(0)
    assert llm_server.chat_requests() == []

    # Confirm queues both; the runs panel sets spent against the estimate.
    page.get_by_test_id("bulk-process").click()
    expect(dialog).to_be_visible()
    dialog.get_by_test_id("cost-confirm").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("Queued 2 run(s).")).to_be_visible()
    runs = page.get_by_test_id("run-row")
    expect(runs).to_have_count(2)
    expect(runs.get_by_test_id("run-status").filter(has_text="succeeded")).to_have_count(2, timeout=60_000)
    for text in runs.get_by_test_id("run-cost").all_inner_texts():
        assert text.startswith("$") and " of est. $" in text, text
    expect(page.get_by_test_id("batch-text")).to_contain_text("spent of est. $")
    expect(page.get_by_test_id("month-spend")).not_to_have_text("spent this month: $0", timeout=15_000)
    assert len(llm_server.chat_requests()) == 12


def test_the_dialog_fits_a_phone(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(app_url + "/")
    expect(page.get_by_test_id("job-row").first).to_be_visible()
    page.get_by_test_id("job-row").nth(2).get_by_role("button", name=re.compile(r"^Process ")).click()  # the row's ▶
    dialog = page.get_by_role("alertdialog", name="Confirm the cost of this batch")
    expect(dialog).to_be_visible()
    box = dialog.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cost-dialog-390.png"))
    for tid in ("cost-cancel", "cost-confirm"):
        b = dialog.get_by_test_id(tid).bounding_box()
        assert b and b["x"] >= 0 and b["x"] + b["width"] <= 390 and b["height"] >= 24, (tid, b)
    dialog.get_by_test_id("cost-cancel").click()
    expect(dialog).to_be_hidden()
    context.close()
