"""The job table in a real browser: search, chips, selection, bulk actions, notes, import, archive."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS

rows = lambda page: page.get_by_test_id("job-row")  # noqa: E731


def search(page: Page, text: str) -> None:
    page.fill("#job-search", text)


def tick(box) -> None:
    """Checkboxes are controlled by server state: click, then wait for the round trip."""
    box.click()
    expect(box).to_be_checked()


def test_first_run_shows_demo_jobs_and_health(page: Page, app_url: str):
    expect(page.get_by_test_id("range-label")).to_have_text("1–25 of 30")
    expect(rows(page)).to_have_count(25)
    expect(page.get_by_test_id("chip-all")).to_contain_text("30")
    health = page.request.get(app_url + "/health").json()
    assert health["database"]["status"] == "ok" and health["ok"] is True
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "table.png"), full_page=True)


def test_search_is_server_side_and_covers_description(page: Page):
    search(page, "ventilat")  # a word only the ICU posting's description has
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("Registered Nurse")
    search(page, "nurse care")  # every word must match somewhere
    expect(page.get_by_test_id("range-label")).to_have_text(re.compile(r"of [1-5]$"))
    search(page, "zzzz-no-such-posting")
    expect(rows(page)).to_have_count(0)
    expect(page.get_by_text("No job matches these filters.")).to_be_visible()


def test_status_chip_filters_and_pagination(page: Page):
    page.get_by_test_id("chip-shortlisted").click()
    expect(rows(page)).to_have_count(3)
    for i in range(3):
        expect(rows(page).nth(i).locator("select")).to_have_value("shortlisted")
    page.get_by_test_id("chip-shortlisted").click()
    expect(rows(page)).to_have_count(25)
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.get_by_test_id("range-label")).to_have_text("26–30 of 30")
    expect(rows(page)).to_have_count(5)


def test_select_rows_and_bulk_set_status(page: Page):
    search(page, "Tidemark")
    expect(rows(page)).to_have_count(2)
    tick(rows(page).nth(0).locator("input[type=checkbox]"))
    tick(rows(page).nth(1).locator("input[type=checkbox]"))
    expect(page.get_by_test_id("selected-count")).to_have_text("2 selected")
    page.get_by_test_id("bulk-status").select_option("ready")
    expect(page.get_by_text("2 job(s) set to ready.")).to_be_visible()
    for i in range(2):
        expect(rows(page).nth(i).locator("select")).to_have_value("ready")
    expect(page.get_by_test_id("chip-ready")).to_contain_text("2")


def test_note_appears_in_history_newest_first(page: Page):
    search(page, "Pharmacist")
    page.get_by_role("button", name="Pharmacist", exact=True).click()
    expect(page.get_by_test_id("detail-title")).to_contain_text("Pharmacist")
    page.get_by_test_id("note-input").fill("Asked Priya for a referral")
    page.get_by_test_id("add-note").click()
    history = page.get_by_test_id("history-item")
    expect(history.first).to_contain_text("Asked Priya for a referral")
    expect(history.first).to_contain_text("note added")
    expect(history.last).to_contain_text("Imported")
    page.get_by_test_id("detail-status").select_option("applied")
    expect(history.first).to_contain_text("new → applied")
    expect(page.get_by_role("combobox", name="Status of Pharmacist", exact=True)).to_have_value("applied")


def test_import_csv_adds_rows_and_reports_bad_lines(page: Page, tmp_path):
    csv_file = tmp_path / "jobs.csv"
    csv_file.write_text(
        "title,company,location,description\n"
        "Harbour Pilot,Blue Gull Ports,Aberdeen,Guide vessels into the harbour.\n"
        ",Nameless Co,Leeds,A row without a title\n"
        "Lighthouse Keeper,Blue Gull Ports,Shetland,Keep the light burning.\n",
        encoding="utf-8",
    )
    page.get_by_test_id("open-import").click()
    page.locator("input[type=file]").set_input_files(str(csv_file))
    expect(page.get_by_test_id("import-summary")).to_contain_text("2 new")
    expect(page.get_by_test_id("import-problems")).to_contain_text("line 3")
    page.get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    search(page, "Blue Gull")
    expect(rows(page)).to_have_count(2)
    # The same file again adds nothing.
    page.get_by_test_id("open-import").click()
    page.locator("input[type=file]").set_input_files(str(csv_file))
    expect(page.get_by_test_id("import-summary")).to_contain_text("0 new")


def test_import_pasted_posting(page: Page):
    page.get_by_test_id("open-import").click()
    page.get_by_test_id("import-tab-paste").click()
    page.locator("input[name=title]").fill("Night Ferry Purser")
    page.locator("input[name=company]").fill("Northlight Ferries")
    page.locator("textarea[name=text]").fill("We need a purser for overnight sailings. Must have hospitality experience.")
    page.get_by_test_id("paste-submit").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("1 new")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    search(page, "Northlight")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("paste")


def test_archive_and_undo(page: Page):
    search(page, "Kestrel")
    expect(rows(page)).to_have_count(2)
    tick(rows(page).first.locator("input[type=checkbox]"))
    page.get_by_test_id("bulk-archive").click()
    expect(rows(page)).to_have_count(1)
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Restored 1 job(s).")).to_be_visible()
    expect(rows(page)).to_have_count(2)


def test_select_all_matching_and_export(page: Page):
    tick(page.get_by_test_id("select-page"))
    expect(page.get_by_test_id("selected-count")).to_have_text("25 selected")
    page.get_by_test_id("select-all-matching").click()
    total = int(re.search(r"of (\d+)", page.get_by_test_id("range-label").inner_text()).group(1))
    expect(page.get_by_test_id("selected-count")).to_have_text(f"{total} selected")
    with page.expect_download() as info:
        page.get_by_role("button", name="Export JSON").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert len(data) == total
    assert {"title", "company", "status", "description"} <= set(data[0])


def test_sort_by_company(page: Page):
    page.get_by_test_id("sort-company").click()
    expect(page.get_by_test_id("sort-company")).to_contain_text("↑")
    companies = [rows(page).nth(i).locator(".col-company").inner_text() for i in range(5)]
    assert companies == sorted(companies, key=str.lower)
