"""The CV editor in a real browser: edit, save, reload, PDF, restore, drafts, hostile HTML, conflicts."""

from __future__ import annotations

import subprocess
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS


def open_cv(page: Page, title: str = "Data Engineer") -> None:
    expect(page.get_by_test_id("range-label")).to_be_visible()  # hydrated: typing now reaches the server
    page.fill("#job-search", title)
    page.get_by_role("button", name=title, exact=True).click()
    page.get_by_test_id("tab-cv").click()
    expect(page.get_by_test_id("cv-editor")).to_contain_text("Jane Doe")


def type_at_end_of_summary(page: Page, text: str) -> None:
    page.wait_for_function("() => !!window.jobappEditor")  # the editor script keeps drafts; typing before it loads keeps none
    editor = page.get_by_test_id("cv-editor")
    editor.locator("p").first.click()
    page.keyboard.press("End")
    page.keyboard.type(text)


def test_process_then_edit_save_reload_pdf_restore(page: Page, app_url: str, tmp_path):
    page.fill("#job-search", "Data Engineer")
    row = page.get_by_test_id("job-row").filter(has=page.get_by_role("button", name="Data Engineer", exact=True))
    row.get_by_role("button", name="Process Data Engineer").click()
    expect(row.get_by_test_id("row-run-status")).to_have_text("succeeded", timeout=60_000)

    open_cv(page)
    expect(page.get_by_test_id("cv-version")).to_have_text("v1")
    type_at_end_of_summary(page, " Zanzibarquux")
    page.get_by_test_id("cv-save").click()
    expect(page.get_by_text("Saved version 2.")).to_be_visible()
    expect(page.get_by_test_id("cv-layout")).to_contain_text("page", timeout=30_000)

    page.reload()
    open_cv(page)
    expect(page.get_by_test_id("cv-editor")).to_contain_text("Zanzibarquux")
    expect(page.get_by_test_id("cv-version")).to_have_text("v2")

    with page.expect_download() as info:
        page.get_by_test_id("dl-cv-pdf").click()
    pdf = tmp_path / "CV.pdf"
    info.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Zanzibarquux" in text
    with page.expect_download() as info:
        page.get_by_test_id("dl-cv-md").click()
    assert "Zanzibarquux" in Path(info.value.path()).read_text(encoding="utf-8")

    page.get_by_test_id("restore-v1").click()
    expect(page.get_by_text("Restored version 1 as version 3.")).to_be_visible()
    expect(page.get_by_test_id("cv-editor")).not_to_contain_text("Zanzibarquux")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "editor.png"))


def test_unsaved_edits_survive_a_reload(page: Page):
    open_cv(page)
    type_at_end_of_summary(page, " Quokkaword")
    page.once("dialog", lambda d: d.accept())  # the unsaved-changes warning
    page.reload()
    open_cv(page)
    expect(page.get_by_test_id("cv-editor")).not_to_contain_text("Quokkaword")
    page.get_by_role("button", name="Restore them").click()
    expect(page.get_by_test_id("cv-editor")).to_contain_text("Quokkaword")
    page.get_by_test_id("cv-save").click()
    expect(page.get_by_text("Saved version")).to_be_visible()


def test_hostile_html_is_removed_and_reported(page: Page):
    open_cv(page)
    page.evaluate("""() => {
        const e = document.getElementById('cv-editor');
        e.insertAdjacentHTML('beforeend', '<p>Safe line Hedgehogword</p><img src=x onerror="window.pwned=1"><p onclick="alert(1)">click</p><a href="javascript:alert(1)">x</a>');
        e.dispatchEvent(new Event('input', {bubbles: true}));
    }""")
    page.get_by_test_id("cv-save").click()
    expect(page.get_by_text("Removed for safety")).to_be_visible()
    html = page.get_by_test_id("cv-editor").inner_html()
    assert "Hedgehogword" in html
    assert "onerror" not in html and "onclick" not in html and "javascript:" not in html and "<img" not in html


def test_stale_save_is_a_conflict_not_an_overwrite(page: Page, browser, app_url: str):
    open_cv(page)
    other_ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    other = other_ctx.new_page()
    other.goto(app_url + "/")
    open_cv(other)
    type_at_end_of_summary(other, " Otherword")
    other.get_by_test_id("cv-save").click()
    expect(other.get_by_text("Saved version")).to_be_visible()
    other_ctx.close()

    type_at_end_of_summary(page, " Mineword")
    page.get_by_test_id("cv-save").click()
    expect(page.get_by_test_id("conflict")).to_be_visible()
    expect(page.get_by_test_id("conflict")).to_contain_text("Otherword")
    page.get_by_test_id("keep-mine").click()
    expect(page.get_by_test_id("conflict")).to_have_count(0)
    expect(page.get_by_test_id("cv-editor")).to_contain_text("Mineword")
