"""Profile in the browser: upload a CV PDF, review it, edit titles, find matches, shortlist one."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.app_server import running_app
from tests.unit.test_boards import greenhouse_board
from tests.unit.test_profile_structure import AMARA as NURSE_CV  # one CV text for the parser test and this one

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    """The embedded app, with Greenhouse's public board API played by a local server."""

    class Board(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            found = self.path.split("?")[0] == "/v1/boards/acme/jobs"
            body = json.dumps(greenhouse_board() if found else {"status": 404, "error": "Job not found"}).encode()
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Board)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = {"GREENHOUSE_API_URL": f"http://127.0.0.1:{server.server_address[1]}"}
        with running_app(tmp_path_factory.mktemp("e2e-profile"), env=env) as url:
            yield url
    finally:
        server.shutdown()


def test_import_a_company_job_board(page: Page):
    page.get_by_test_id("open-import").click()
    page.get_by_test_id("import-tab-board").click()
    page.get_by_test_id("board-name").fill("nobody-here")
    page.get_by_test_id("board-submit").click()
    expect(page.get_by_text("Nothing was imported.").first).to_be_visible()
    page.get_by_test_id("board-name").fill("https://boards.greenhouse.io/acme")
    page.get_by_test_id("board-submit").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("2 new")
    page.get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.get_by_test_id("range-label")).to_contain_text("of 32")  # the import's own table refresh came first
    page.fill("#job-search", "Acme Robotics")
    expect(page.get_by_test_id("job-row")).to_have_count(2)
    expect(page.get_by_test_id("job-row").filter(has_text="Registered Nurse")).to_have_count(1)


@pytest.fixture(scope="module")
def cv_pdf(tmp_path_factory) -> Path:
    """A real CV PDF printed by the app's own CLI (in a subprocess: the browser tests' event loop
    would refuse a second one in this process)."""
    folder = tmp_path_factory.mktemp("cv")
    md, pdf = folder / "amara.md", folder / "Amara Okafor CV.pdf"
    md.write_text(NURSE_CV, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pipeline", "pdf", str(md), str(pdf)], cwd=ROOT, check=True, capture_output=True, timeout=120)
    assert pdf.read_bytes().startswith(b"%PDF")
    return pdf


def test_upload_cv_review_titles_find_matches_and_shortlist(page: Page, cv_pdf: Path, app_url: str):
    page.get_by_test_id("open-profile").click()
    panel = page.get_by_test_id("profile-panel")
    expect(panel).to_be_visible()
    panel.locator("input[type=file]").set_input_files(str(cv_pdf))

    # What was read: the name, a draft to review, the master CV in the editor.
    expect(page.get_by_test_id("profile-name")).to_have_text("Amara Okafor", timeout=30_000)
    expect(page.get_by_test_id("profile-confirm")).to_be_visible()
    editor = page.get_by_test_id("cv-editor")
    expect(editor).to_contain_text("sepsis bundle audit")
    expect(page.get_by_test_id("open-profile")).to_contain_text("to review")

    # Review: fix a line, save (a new version of the master CV), then use the profile.
    editor.get_by_text("Mentored 12 newly qualified nurses").click()
    page.keyboard.press("End")
    page.keyboard.type(" and two overseas nurses")
    page.get_by_test_id("cv-save").click()
    expect(page.get_by_test_id("cv-version")).to_have_text("v2")
    page.get_by_test_id("profile-confirm").click()
    expect(page.get_by_test_id("profile-status")).to_have_text("in use by runs")
    expect(page.get_by_test_id("open-profile")).to_contain_text("Amara Okafor v2")
    expect(page.get_by_test_id("open-profile")).not_to_contain_text("to review")

    # Suggested titles fit a nurse; remove one, add one.
    page.get_by_test_id("profile-tab-titles").click()
    titles = page.get_by_test_id("title-text")
    expect(titles.first).to_be_visible()
    names = titles.all_inner_texts()
    assert 5 <= len(names) <= 10, names
    assert all("engineer" not in n.lower() for n in names), names
    assert sum("nurse" in n.lower() or "nursing" in n.lower() for n in names) >= 3, names
    removed = names[-1]
    page.get_by_test_id("title-row").filter(has_text=removed).get_by_test_id("title-remove").click()
    expect(titles).to_have_count(len(names) - 1)
    expect(page.get_by_test_id("title-row").filter(has_text=removed)).to_have_count(0)
    page.get_by_test_id("title-new").fill("Critical Care Outreach Nurse")
    page.get_by_test_id("title-new").press("Enter")
    expect(titles.last).to_have_text("Critical Care Outreach Nurse")

    # Find matches: one search per title, combined results, nursing jobs first.
    page.get_by_test_id("find-matches").click()
    expect(page.get_by_test_id("match-progress")).to_contain_text(f"{len(names)}/{len(names)} searches done", timeout=60_000)
    queries = page.get_by_test_id("query-row")
    expect(queries).to_have_count(len(names))
    matches = page.get_by_test_id("match-row")
    expect(matches.first).to_be_visible()
    expect(matches.first).to_contain_text("Nurse")
    first_title = matches.first.locator(".title-btn").inner_text()

    # Shortlist the best match: the job's status changes in the table too.
    matches.first.get_by_test_id("match-shortlist").click()
    expect(matches.first.get_by_test_id("match-shortlisted")).to_be_visible()
    expect(page.get_by_text("Status set to shortlisted.")).to_be_visible()
    page.get_by_role("button", name="Close profile").click()
    page.fill("#job-search", first_title.split("—")[0].strip())
    row = page.get_by_test_id("job-row").filter(has_text=first_title).first
    expect(row.get_by_role("combobox")).to_have_value("shortlisted")

    # Another tab (a new session) finds the newest search and its results in the store.
    other = page.context.browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    other.goto(app_url + "/")
    other.get_by_test_id("open-profile").click()
    other.get_by_test_id("profile-tab-matches").click()
    expect(other.get_by_test_id("match-row").first.locator(".title-btn")).to_have_text(first_title)
    expect(other.get_by_test_id("match-row").first.get_by_test_id("match-shortlisted")).to_be_visible()
    other.context.close()
