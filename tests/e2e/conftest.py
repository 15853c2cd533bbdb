"""The real app in a subprocess, driven by headless Chromium."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.support.app_server import launch_browser, running_app

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    """The embedded default (offline analyst, demo data); one app at a time, per test module."""
    with running_app(tmp_path_factory.mktemp("e2e-data")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Module-scoped: Playwright's sync API keeps an event loop running in the main
    thread while open, which would break `asyncio.run` in the other tests."""
    with sync_playwright() as p:
        b = launch_browser(p)
        yield b
        b.close()


def process_rows(page: Page, n: int) -> None:
    """Tick the first `n` rows of the table (each tick waits for the server's round trip) and
    press Process; the toast confirms the queued runs."""
    for i in range(n):
        box = page.get_by_test_id("job-row").nth(i).locator("input[type=checkbox]")
        box.click()
        expect(box).to_be_checked()
    page.get_by_test_id("bulk-process").click()
    expect(page.get_by_text(f"Queued {n} run(s).")).to_be_visible()


@pytest.fixture(scope="module")
def proxy_browser():
    """Chromium that resolves the proxies' made-up host name (tests/support/proxies.py) to 127.0.0.1."""
    from pipeline.render.browser import LAUNCH_ARGS, find_chromium
    from tests.support.proxies import browser_args

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=find_chromium(), args=[*LAUNCH_ARGS, *browser_args()])
        yield b
        b.close()


@contextlib.contextmanager
def opened_page(browser, app_url: str, **context_options) -> Iterator[Page]:
    """The app's page in a new browser context (a desktop window unless the options say else),
    once the table shows its first row; the context closes after."""
    context = browser.new_context(**{"viewport": {"width": 1400, "height": 900}, "accept_downloads": True, **context_options})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.goto(app_url + "/")
    expect(pg.get_by_test_id("job-row").first).to_be_visible()
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture
def page(browser, app_url) -> Iterator[Page]:
    with opened_page(browser, app_url) as pg:
        yield pg


