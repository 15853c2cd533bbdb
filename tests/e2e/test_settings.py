"""Settings in the page, in the real app: a new user opens Settings from the header, picks a preset,
types a key and saves it (the page then shows only its last four characters, never the key), tests
the connection against the local OpenAI-compatible test server (its model list; a wrong key in plain
words), saves a concurrency (the header's runs pill follows) and a monthly cap, has a prompt override without the JSON rules refused and resets it; the panel passes axe,
works by keyboard (focus in on open, Escape closes, focus back) and fits a 390 px phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.support.app_server import running_app
from tests.support.axe import axe_violations, describe
from tests.support.fake_openai import FakeOpenAI

KEY = "sk-e2e-settings-key-0123456789-a1b2"
WRONG = "sk-e2e-wrong-key-9876543210-zzzz"
MODELS = ("quick-one", "writer-two")


@pytest.fixture(scope="module")
def llm_server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(api_key=KEY, models=MODELS) as server:
        yield server


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    """The embedded default: no model in the environment (the offline analyst) until one is saved in the page."""
    env = {"OPENAI_API_KEY": "", "OPENAI_BASE_URL": "", "JOBAPP_MODEL": "gpt-4o-mini", "PRIVACY_GUARD": "remote"}
    with running_app(tmp_path_factory.mktemp("e2e-settings"), env=env) as url:
        yield url


def _no_secret(page: Page) -> None:
    html = page.content()
    assert KEY not in html and WRONG not in html and KEY[-12:] not in html


def test_pick_test_and_save_a_model_in_the_page(page: Page, llm_server: FakeOpenAI):
    opener = page.get_by_test_id("open-settings")
    expect(opener).to_contain_text("offline analyst")
    opener.click()
    dialog = page.get_by_role("dialog", name="Settings")
    expect(dialog).to_be_visible()
    assert page.evaluate("() => !!document.activeElement.closest('[role=dialog]')"), "focus moves into the panel"
    expect(dialog).to_contain_text("Changes apply to the next run")
    expect(dialog.get_by_test_id("source-quick_model")).to_contain_text("environment")
    expect(dialog.get_by_test_id("settings-privacy-note")).to_contain_text(
        "your name, e-mail, phone, address, profile links and birth date are replaced by placeholders")

    # A preset fills its base URL; a custom server keeps what is typed.
    dialog.get_by_label("Provider").select_option("ollama")
    expect(dialog.get_by_test_id("settings-base-url")).to_have_value("http://localhost:11434/v1")
    dialog.get_by_label("Provider").select_option("custom")
    dialog.get_by_test_id("settings-base-url").fill(llm_server.base_url)
    dialog.get_by_test_id("settings-quick-model").fill("quick-one")
    dialog.get_by_test_id("settings-api-key").fill(KEY)
    _no_secret(page)

    # Test connection with the unsaved values: the server's models, in green.
    dialog.get_by_test_id("settings-test").click()
    expect(dialog.get_by_test_id("settings-test-ok")).to_contain_text("2 models listed", timeout=20_000)
    dialog.get_by_text("Models this server lists").click()
    expect(dialog.get_by_test_id("settings-models")).to_contain_text("writer-two")
    assert page.locator("#settings-model-list option").evaluate_all("os => os.map(o => o.value)") == list(MODELS)

    # Save: the key field becomes "saved key …a1b2"; the page never holds the key.
    dialog.get_by_test_id("settings-save").click()
    expect(dialog.get_by_test_id("settings-note")).to_contain_text("Saved. Changes apply to the next run.")
    expect(dialog.get_by_test_id("settings-key-hint")).to_have_text("saved key …a1b2")
    expect(dialog.get_by_test_id("settings-api-key")).to_have_count(0)
    expect(dialog.get_by_test_id("source-quick_model")).to_contain_text("saved")
    expect(dialog.get_by_test_id("source-api_key")).to_contain_text("saved")
    expect(page.get_by_test_id("header-model")).to_have_text(f"quick-one @ 127.0.0.1:{llm_server.base_url.split(':')[2].split('/')[0]}")
    _no_secret(page)

    # A wrong key, in plain words; "Keep the saved key" goes back.
    dialog.get_by_test_id("settings-key-replace").click()
    expect(dialog.get_by_test_id("settings-api-key")).to_be_focused()
    dialog.get_by_test_id("settings-api-key").fill(WRONG)
    dialog.get_by_test_id("settings-test").click()
    expect(dialog.get_by_test_id("settings-test-error")).to_contain_text("rejected the API key", timeout=20_000)
    _no_secret(page)
    dialog.get_by_role("button", name="Keep the saved key").click()
    dialog.get_by_test_id("settings-test").click()
    expect(dialog.get_by_test_id("settings-test-ok")).to_be_visible(timeout=20_000)

    # Save validates through the engine: its message next to the form, nothing changed.
    dialog.get_by_test_id("settings-temperature").fill("5")
    dialog.get_by_test_id("settings-save").click()
    expect(dialog.get_by_test_id("settings-error")).to_contain_text("temperature")
    dialog.get_by_test_id("settings-temperature").fill("")

    # Prompts: an override without the JSON rules is refused; a kept one saves; reset to default.
    dialog.get_by_label("Layer").select_option("fit")
    box = dialog.get_by_test_id("settings-prompt-text")
    expect(box).to_have_value(lambda_prefix("LAYER: fit"))
    default = box.input_value()
    box.fill("Score the CV. Be honest.")
    dialog.get_by_test_id("settings-prompt-save").click()
    expect(dialog.get_by_test_id("settings-prompt-error")).to_contain_text("output-format instructions")
    expect(dialog.get_by_test_id("settings-prompt-source")).to_have_text("the built-in prompt")
    box.fill(default.replace("honestly", "honestly and briefly"))
    dialog.get_by_test_id("settings-prompt-save").click()
    expect(dialog.get_by_test_id("settings-prompt-source")).to_have_text("your prompt (saved)")
    dialog.get_by_test_id("settings-prompt-reset").click()
    expect(dialog.get_by_test_id("settings-prompt-source")).to_have_text("the built-in prompt")
    expect(box).to_have_value(default)
    expect(box).to_be_focused()  # Reset is disabled now: the focus stays in the panel

    # Run defaults and Spending: saved values say so; the header's runs pill follows the concurrency.
    spending = dialog.get_by_role("group", name="Spending")
    expect(spending.get_by_test_id("source-max_cost_per_month")).to_contain_text("default")
    expect(dialog.get_by_test_id("settings-web-research")).to_be_visible()
    expect(dialog.get_by_role("group", name="Run defaults")).to_contain_text("robots.txt honoured, at most 8 pages")
    dialog.get_by_test_id("settings-concurrency").fill("1")
    spending.get_by_label("Monthly cap ($)").fill("25")
    dialog.get_by_test_id("settings-save").click()
    expect(dialog.get_by_test_id("settings-note")).to_contain_text("Saved.")
    expect(spending.get_by_test_id("source-max_cost_per_month")).to_contain_text("saved")
    expect(page.locator(".pill", has_text="runs:")).to_contain_text("local ×1")

    violations = axe_violations(page, "[role=dialog]")
    assert not violations, describe(violations)

    # By keyboard: focus stays inside; Escape closes and gives the focus back to the header button.
    for _ in range(4):
        page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('[role=dialog]')"), "focus stays in the panel"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    _no_secret(page)

    # Reopened (a new page load too): the saved values, the key as its hint only.
    page.reload()
    expect(page.get_by_test_id("header-model")).to_contain_text("quick-one")
    page.get_by_test_id("open-settings").click()
    expect(dialog.get_by_test_id("settings-key-hint")).to_have_text("saved key …a1b2")
    expect(dialog.get_by_test_id("settings-quick-model")).to_have_value("quick-one")
    _no_secret(page)


def lambda_prefix(prefix: str):
    import re

    return re.compile("^" + re.escape(prefix))


def test_the_panel_fits_a_phone(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(app_url + "/")
    expect(page.get_by_test_id("job-row").first).to_be_visible()
    page.get_by_role("button", name="Menu").click()  # on a phone the header folds Settings behind its menu
    page.get_by_test_id("open-settings").click()
    dialog = page.get_by_role("dialog", name="Settings")
    expect(dialog).to_be_visible()
    box = dialog.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    panel = "document.querySelector('[role=dialog]')"
    assert page.evaluate(f"() => {panel}.scrollWidth <= {panel}.clientWidth + 1"), "no horizontal scroll inside the panel"
    for tid in ("settings-base-url", "settings-test", "settings-save", "settings-prompt-text", "settings-prompt-reset",
                "settings-max-cost-per-month"):
        b = dialog.get_by_test_id(tid).bounding_box()
        assert b and b["x"] >= 0 and b["x"] + b["width"] <= 390, (tid, b)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "settings-390.png"))
    violations = axe_violations(page, "[role=dialog]")
    assert not violations, describe(violations)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    context.close()
