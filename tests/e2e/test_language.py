"""The inspector's "Write in" choice in a real browser: an English demo posting set to Deutsch is
processed by the offline analyst and its pack is written in German."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.support.axe import axe_violations, describe

TITLE = "Staff Data Platform Engineer"  # a demo posting in English


def open_job(page: Page) -> None:
    expect(page.get_by_test_id("range-label")).to_be_visible()  # hydrated
    page.fill("#job-search", TITLE)
    expect(page.get_by_test_id("job-row").filter(has=page.get_by_role("button", name=TITLE, exact=True))).to_be_visible()
    page.get_by_role("button", name=TITLE, exact=True).click()
    expect(page.get_by_test_id("detail-title")).to_have_text(TITLE)


def test_a_job_set_to_german_is_written_in_german(page: Page) -> None:
    open_job(page)
    choice = page.get_by_label("Write in")  # the select, by its visible label
    expect(choice).to_have_attribute("data-testid", "job-language")
    expect(choice).to_have_value("")
    expect(choice.locator("option")).to_have_text(["Posting's language (English)", "English", "Deutsch", "Español", "Français", "Nederlands"])
    expect(page.get_by_text("applies to the next run")).to_be_visible()
    violations = axe_violations(page, ".inspector")  # the whole detail: the select and the scrollable posting
    assert not violations, describe(violations)

    choice.select_option("de")
    expect(page.get_by_text("The next run writes in Deutsch.")).to_be_visible()
    expect(page.get_by_test_id("history-item").first).to_contain_text("Writing language set to Deutsch (de)")

    page.reload()  # kept by the store, not the page
    open_job(page)
    expect(page.get_by_test_id("job-language")).to_have_value("de")

    row = page.get_by_test_id("job-row").filter(has=page.get_by_role("button", name=TITLE, exact=True))
    row.get_by_role("button", name=f"Process {TITLE}").click()
    expect(row.get_by_test_id("row-run-status")).to_have_text("succeeded", timeout=60_000)
    page.get_by_role("button", name=TITLE, exact=True).click()

    link = page.get_by_test_id("artifact-link").filter(has_text="result.json")
    expect(link).to_be_visible()
    result = page.request.get(page.url.rstrip("/") + link.get_attribute("href")).json()
    assert result["job"]["language"] == "de"

    page.get_by_test_id("tab-letter").click()
    editor = page.get_by_test_id("cv-editor")
    expect(editor).to_contain_text("Sehr geehrte", timeout=20_000)  # the offline analyst's German letter
    expect(editor).not_to_contain_text("Dear")
