"""Jobs from links in a real browser (issue 18): the app runs with ALLOW_PRIVATE_FETCH=1 so it
can read the local job pages; one link gives a job, a 404 a plain-word error."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.support.app_server import running_app
from tests.support.web_pages import JOB_SINGLE, POSTING, Route, WebServer


@pytest.fixture(scope="module")
def web() -> Iterator[WebServer]:
    with WebServer({"/careers/senior-data-engineer": Route(JOB_SINGLE)}) as server:
        yield server


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("e2e-links"), env={"ALLOW_PRIVATE_FETCH": "1"}) as url:
        yield url


def test_paste_two_links_one_job_one_error(page: Page, web: WebServer):
    good, missing = web.url("/careers/senior-data-engineer?utm_source=mail"), web.url("/careers/removed")
    page.get_by_test_id("open-import").click()
    page.get_by_test_id("import-tab-links").click()
    page.get_by_test_id("links-text").fill(f"{good}\n\n{missing}\n")
    page.get_by_test_id("links-submit").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("1 new")
    results = page.get_by_test_id("link-result")
    expect(results).to_have_count(2)
    expect(results.nth(0)).to_contain_text(POSTING["title"])
    expect(results.nth(1)).to_contain_text("no longer exists")
    expect(results.nth(1)).to_have_attribute("data-outcome", "error")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    page.fill("#job-search", "Northwind")
    rows = page.get_by_test_id("job-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(POSTING["title"])
    expect(rows.first).to_contain_text("Northwind Health")
    expect(rows.first).to_contain_text("link")


def test_check_links_marks_a_closed_posting(page: Page, web: WebServer):
    url = web.url("/careers/night-nurse")
    web.routes["/careers/night-nurse"] = Route(JOB_SINGLE.replace("Senior Data Engineer", "Night Nurse Lead"))
    page.get_by_test_id("open-import").click()
    page.get_by_test_id("import-tab-links").click()
    page.get_by_test_id("links-text").fill(url)
    page.get_by_test_id("links-submit").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("1 new")
    page.keyboard.press("Escape")
    web.routes.pop("/careers/night-nurse")  # taken down: now a 404
    page.fill("#job-search", "Night Nurse Lead")
    rows = page.get_by_test_id("job-row")
    expect(rows).to_have_count(1)
    box = rows.first.locator("input[type=checkbox]")
    box.click()
    expect(box).to_be_checked()
    page.get_by_test_id("bulk-check-links").click()
    flag = rows.first.get_by_test_id("closed-flag")
    expect(flag).to_be_visible()
    expect(flag).to_have_attribute("title", re.compile("HTTP 404"))
    expect(rows).to_have_count(1)  # never deleted
