"""The application pack in a real browser: the Letter tab (edit, save, regenerate, PDF and Word),
outreach with history and LinkedIn's limit, the CV's Word file, "Fit to N pages", the ATS panel,
the print preview, and axe-core on the new views."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

from docx import Document
from playwright.sync_api import Page, expect

from tests.support.axe import axe_violations, describe

TITLE = "Staff Data Platform Engineer"


def process_and_open(page: Page, tab: str) -> None:
    expect(page.get_by_test_id("range-label")).to_be_visible()  # hydrated
    page.fill("#job-search", TITLE)
    row = page.get_by_test_id("job-row").filter(has=page.get_by_role("button", name=TITLE, exact=True))
    expect(row).to_be_visible()
    status = row.get_by_test_id("row-run-status")
    if status.count() == 0 or status.inner_text().strip() != "succeeded":
        row.get_by_role("button", name=f"Process {TITLE}").click()
        expect(row.get_by_test_id("row-run-status")).to_have_text("succeeded", timeout=60_000)
    page.get_by_role("button", name=TITLE, exact=True).click()
    page.get_by_test_id(f"tab-{tab}").click()


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_letter_is_edited_saved_regenerated_and_downloaded(page: Page, tmp_path):
    process_and_open(page, "letter")
    editor = page.get_by_test_id("cv-editor")
    expect(editor).to_contain_text("Dear")
    expect(page.get_by_test_id("cv-version")).to_have_text("v1")
    page.wait_for_function("() => !!window.jobappEditor")
    expect(page.locator("#cv-stats")).to_contain_text("words")
    editor.locator("p").nth(1).click()
    page.keyboard.press("End")
    page.keyboard.type(" Quokkaplatform")
    page.get_by_test_id("cv-save").click()
    expect(page.get_by_text("Saved version 2.")).to_be_visible()
    expect(page.get_by_test_id("cv-layout")).to_contain_text("1 page", timeout=30_000)

    with page.expect_download() as info:
        page.get_by_test_id("dl-letter-pdf").click()
    info.value.save_as(tmp_path / "letter.pdf")
    text = pdf_text(tmp_path / "letter.pdf")
    assert "Quokkaplatform" in text and "Jane Doe" in text and "Application for Staff Data Platform Engineer" in text
    assert text.index("Jane Doe") < text.index("Application for") < text.index("Dear"), "head first: sender, subject, then the body"
    with page.expect_download() as info:
        page.get_by_test_id("dl-letter-docx").click()
    doc = Document(info.value.path())
    assert any("Quokkaplatform" in p.text for p in doc.paragraphs)

    # A pasted image is refused in words (an ATS cannot read it); the text stays as it was.
    page.evaluate("""() => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array([137, 80, 78, 71])], 'photo.png', {type: 'image/png'}));
        document.getElementById('cv-editor').dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
    }""")
    expect(page.locator("#cv-editor-msg")).to_contain_text("Images cannot go into a CV or letter")
    expect(editor.locator("img")).to_have_count(0)

    # A letter that grew past one page is flagged against its 1-page budget.
    page.evaluate("""() => {
        const e = document.getElementById('cv-editor');
        const para = '<p>' + 'I also led many long projects with many colleagues across many teams. '.repeat(12) + '</p>';
        e.insertAdjacentHTML('beforeend', para.repeat(6));
        e.dispatchEvent(new Event('input', {bubbles: true}));
    }""")
    page.get_by_test_id("cv-save").click()
    expect(page.get_by_text("Saved version 3.")).to_be_visible()
    expect(page.get_by_test_id("cv-layout")).to_contain_text("over the 1-page budget", timeout=30_000)

    page.get_by_test_id("letter-regenerate").click()
    expect(page.get_by_text("Regenerated as version 4.")).to_be_visible()
    expect(editor).not_to_contain_text("Quokkaplatform")
    expect(page.get_by_test_id("restore-v2")).to_be_visible()

    violations = axe_violations(page, ".inspector")
    assert not violations, describe(violations)


def test_outreach_is_saved_with_history_and_linkedin_limit(page: Page):
    process_and_open(page, "letter")
    note = page.get_by_test_id("outreach-note")
    expect(note).not_to_have_value("")
    note.fill("x" * 301)
    expect(page.get_by_test_id("note-count")).to_have_text("301 / 300")
    expect(page.get_by_test_id("outreach-save")).to_be_disabled()
    note.fill("Hi! I applied for the Staff Data Platform Engineer role and would love to connect.")
    expect(page.get_by_test_id("outreach-save")).to_be_enabled()
    page.get_by_test_id("outreach-save").click()
    expect(page.get_by_test_id("outreach-version")).to_have_text("v2")
    page.reload()
    process_and_open(page, "letter")
    expect(page.get_by_test_id("outreach-note")).to_have_value("Hi! I applied for the Staff Data Platform Engineer role and would love to connect.")


def test_cv_word_file_fit_to_the_page_budget_ats_panel_and_preview(page: Page, tmp_path):
    process_and_open(page, "cv")
    expect(page.get_by_test_id("cv-editor")).to_contain_text("Jane Doe")
    version = int(page.get_by_test_id("cv-version").inner_text().lstrip("v"))

    with page.expect_download() as info:
        page.get_by_test_id("dl-cv-docx").click()
    doc = Document(info.value.path())
    assert doc.paragraphs[0].style.name == "Title" and "Jane Doe" in doc.paragraphs[0].text
    assert any(p.style.name == "List Bullet" for p in doc.paragraphs)

    page.get_by_test_id("cv-budget").select_option("1")
    expect(page.get_by_test_id("cv-layout")).to_contain_text("over the 1-page budget", timeout=30_000)
    page.get_by_test_id("fit-pages").click()
    expect(page.get_by_test_id("fit-message")).to_contain_text("Cannot fit 1 page", timeout=60_000)
    expect(page.get_by_test_id("fit-removed").locator("li").first).to_be_attached()
    expect(page.get_by_test_id("cv-version")).to_have_text(f"v{version}")

    # An older role pasted in makes the CV too long for two pages: Fit cuts it back, as a new version.
    page.wait_for_function("() => !!window.jobappEditor")
    page.evaluate("""() => {
        const e = document.getElementById('cv-editor');
        const items = Array.from({length: 45}, (_, i) => `<li>Maintained legacy finance report number ${i} in Visual Basic for the accounts team.</li>`).join('');
        e.insertAdjacentHTML('beforeend', `<h3>Clerk — Old Co</h3><p>2001 – 2003</p><ul>${items}</ul>`);
        e.dispatchEvent(new Event('input', {bubbles: true}));
    }""")
    page.get_by_test_id("cv-save").click()
    expect(page.get_by_test_id("cv-version")).to_have_text(f"v{version + 1}")
    page.get_by_test_id("cv-budget").select_option("2")
    expect(page.get_by_test_id("cv-layout")).to_contain_text("over the 2-page budget", timeout=30_000)
    page.get_by_test_id("fit-pages").click()
    expect(page.get_by_test_id("fit-message")).to_contain_text("Fitted to 2 pages", timeout=60_000)
    expect(page.get_by_test_id("cv-version")).to_have_text(f"v{version + 2}", timeout=30_000)
    expect(page.get_by_test_id("cv-editor")).not_to_contain_text("legacy finance report number 44")
    expect(page.get_by_test_id("versions")).to_contain_text("fitted to 2 pages: removed")
    with page.expect_download() as info:
        page.get_by_test_id("dl-cv-pdf").click()
    info.value.save_as(tmp_path / "CV.pdf")
    from pypdf import PdfReader

    assert len(PdfReader(tmp_path / "CV.pdf").pages) == 2

    page.get_by_test_id("ats-check").click()
    expect(page.get_by_test_id("ats-coverage")).to_contain_text("%", timeout=60_000)
    expect(page.get_by_test_id("ats-chart").locator(".fb").first).to_be_visible()

    page.get_by_test_id("print-preview-toggle").click()
    expect(page.get_by_test_id("print-preview-toggle")).to_have_text("Hide preview")
    expect(page.get_by_test_id("print-preview")).to_have_attribute("srcdoc", re.compile("Jane Doe"), timeout=15_000)
    frame = page.frame_locator("[data-testid=print-preview]")
    expect(frame.locator("h1")).to_contain_text("Jane Doe", timeout=15_000)  # the frame shows the print document
    page.get_by_test_id("cv-template").select_option("modern")
    expect(page.get_by_test_id("cv-layout")).to_contain_text("page", timeout=30_000)

    with page.expect_download() as info:
        page.get_by_test_id("dl-zip").click()
    names = set(zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes())).namelist())
    assert {"CV.pdf", "CV.docx", "letter.pdf", "cover_letter.docx", "cover_letter.md", "outreach.json"} <= names

    violations = axe_violations(page, ".inspector")
    assert not violations, describe(violations)

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.querySelector('.ats-panel').scrollWidth <= document.querySelector('.ats-panel').clientWidth + 1")
