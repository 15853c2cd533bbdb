"""Jobs from links in a real browser (issue 18): the app runs with ALLOW_PRIVATE_FETCH=1 so it
can read the local job pages; two links give two jobs, a 404 a plain-word error; and with
WEB_RESEARCH on, a posting whose JSON-LD names the company's own site (sameAs) is researched
from that site: the dossier lists its facts with their pages and ends with the sources."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.app_server import running_app
from tests.support.company_site import routes as company_routes
from tests.support.web_pages import JOB_GRAPH, JOB_NO_LONGER_ACCEPTING, JOB_SINGLE, POSTING, Route, WebServer, ld
from tests.support.web_pages import page as job_page


@pytest.fixture(scope="module")
def web() -> Iterator[WebServer]:
    with WebServer({"/careers/senior-data-engineer": Route(JOB_SINGLE), "/jobs/pflege-intensiv": Route(JOB_GRAPH)}) as server:
        yield server


@pytest.fixture(scope="module")
def company() -> Iterator[WebServer]:
    """Northwind Health's own site (home, about, team, news; robots.txt)."""
    with WebServer(company_routes()) as server:
        yield server


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("e2e-links")


@pytest.fixture(scope="module")
def app_url(data_dir: Path) -> Iterator[str]:
    with running_app(data_dir, env={"ALLOW_PRIVATE_FETCH": "1", "WEB_RESEARCH": "on"}) as url:
        yield url


def test_paste_two_links_see_two_jobs_and_a_third_gives_its_error(page: Page, web: WebServer):
    good, second, missing = web.url("/careers/senior-data-engineer?utm_source=mail"), web.url("/jobs/pflege-intensiv"), web.url("/careers/removed")
    page.get_by_test_id("open-import").click()
    page.get_by_test_id("import-tab-links").click()
    page.get_by_test_id("links-text").fill(f"{good}\n\n{second}\n{missing}\n")
    page.get_by_test_id("links-submit").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("2 new")
    results = page.get_by_test_id("link-result")
    expect(results).to_have_count(3)
    expect(results.nth(0)).to_contain_text(POSTING["title"])
    expect(results.nth(1)).to_contain_text("Pflegefachkraft")
    expect(results.nth(2)).to_contain_text("no longer exists")
    expect(results.nth(2)).to_have_attribute("data-outcome", "error")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    rows = page.get_by_test_id("job-row")
    for company, title in (("Northwind", POSTING["title"]), ("Contoso", "Pflegefachkraft")):
        page.fill("#job-search", company)
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(title)
        expect(rows.first).to_contain_text("link")
    page.fill("#job-search", "Northwind")
    expect(rows.first).to_contain_text("Northwind Health")


def test_check_links_marks_a_closed_posting(page: Page, web: WebServer):
    url = web.url("/careers/night-nurse")
    web.routes["/careers/night-nurse"] = Route(JOB_SINGLE.replace("Senior Data Engineer", "Night Nurse Lead"))
    page.get_by_test_id("open-import").click()
    page.get_by_test_id("import-tab-links").click()
    page.get_by_test_id("links-text").fill(url)
    page.get_by_test_id("links-submit").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("1 new")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()  # closed: the search typed next is not raced by the dialog's refresh
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


def test_research_from_the_company_site_the_posting_names(page: Page, web: WebServer, company: WebServer):
    title = "Clinical Data Engineer"
    org = {"@type": "Organization", "name": "Northwind Health", "sameAs": company.base_url + "/"}
    web.routes["/jobs/clinical"] = Route(job_page(ld({**POSTING, "title": title, "hiringOrganization": org}), f"<main><h1>{title}</h1></main>"))
    page.get_by_test_id("open-import").click()
    page.get_by_test_id("import-tab-links").click()
    page.get_by_test_id("links-text").fill(web.url("/jobs/clinical"))
    page.get_by_test_id("links-submit").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("1 new")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    page.fill("#job-search", title)
    row = page.get_by_test_id("job-row").filter(has=page.get_by_role("button", name=title, exact=True))
    expect(row).to_have_count(1)
    row.get_by_role("button", name=f"Process {title}").click()
    expect(row.get_by_test_id("row-run-status")).to_have_text("succeeded", timeout=90_000)
    assert "/about-us" in [path for path, _ in company.requests]  # research started at the company's own site

    page.get_by_role("button", name=title, exact=True).click()
    expect(page.get_by_test_id("company-site")).to_have_attribute("href", company.base_url + "/")
    page.get_by_test_id("tab-dossier").click()
    dossier = page.get_by_test_id("dossier")
    expect(dossier).to_contain_text("founded in 2014 by two GPs in Leeds")
    about = company.base_url + "/about-us"
    expect(dossier.locator(f'a[href="{about}"]').first).to_be_visible()  # the fact's page
    expect(dossier.get_by_role("heading", name="Sources")).to_be_visible()
    sources = dossier.locator("h2:has-text('Sources') + ul")
    expect(sources).to_contain_text("posting")
    expect(sources.locator(f'a[href="{about}"]')).to_have_count(1)


def test_process_leaves_an_old_closed_posting_out_and_its_row_runs_it(page: Page, web: WebServer, data_dir: Path):
    title = "Ward Clerk Coordinator"
    web.routes["/jobs/ward-clerk"] = Route(JOB_SINGLE.replace("Senior Data Engineer", title))
    page.get_by_test_id("open-import").click()
    page.get_by_test_id("import-tab-links").click()
    page.get_by_test_id("links-text").fill(web.url("/jobs/ward-clerk"))
    page.get_by_test_id("links-submit").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("1 new")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    with sqlite3.connect(data_dir / "jobapp.db") as db:  # imported a month ago (LINK_CHECK_DAYS is 14) ...
        db.execute("UPDATE job SET created_at = '2020-01-01 00:00:00.000000' WHERE title = ?", (title,))
    web.routes["/jobs/ward-clerk"] = Route(JOB_NO_LONGER_ACCEPTING)  # ... and closed since
    page.fill("#job-search", title)
    row = page.get_by_test_id("job-row").filter(has=page.get_by_role("button", name=title, exact=True))
    expect(row).to_have_count(1)
    box = row.locator("input[type=checkbox]")
    box.click()
    expect(box).to_be_checked()
    page.get_by_test_id("bulk-process").click()
    expect(page.get_by_text("Checking 1 older posting link(s) first")).to_be_visible()
    expect(page.get_by_text("1 posting looks closed and was left out (marked 'closed?')")).to_be_visible()
    expect(row.get_by_test_id("closed-flag")).to_be_visible()
    expect(row.get_by_test_id("row-run-status")).to_have_count(0)
    row.get_by_role("button", name=f"Process {title}").click()  # on purpose: runs anyway
    expect(page.get_by_text("Queued 1 run(s).")).to_be_visible()
