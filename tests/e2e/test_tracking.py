"""After applying, in a real browser: the detail's Application part records what was sent
("Sent: CV v1 (PDF) ..." with a download of exactly that version), a follow-up day, and an
interview typed in the browser's own time zone whose .ics file parses with `icalendar` at the
right UTC time; the job moves to interviewing; axe-core finds nothing in the detail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from tests.e2e.conftest import opened_page
from tests.support.axe import axe_violations, describe

TITLE = "Staff Data Platform Engineer"
ZONE = "America/New_York"  # 14:30 on 7 December there is 19:30 UTC


@pytest.fixture
def ny_page(browser, app_url) -> Iterator[Page]:
    """The page in a browser whose clock is New York's, so local time and UTC differ."""
    with opened_page(browser, app_url, timezone_id=ZONE) as pg:
        yield pg


def open_processed(page: Page) -> None:
    expect(page.get_by_test_id("range-label")).to_be_visible()  # hydrated
    page.fill("#job-search", TITLE)
    row = page.get_by_test_id("job-row").filter(has=page.get_by_role("button", name=TITLE, exact=True))
    expect(row).to_be_visible()
    row.get_by_role("button", name=f"Process {TITLE}").click()
    expect(row.get_by_test_id("row-run-status")).to_have_text("succeeded", timeout=60_000)
    page.get_by_role("button", name=TITLE, exact=True).click()
    expect(page.get_by_test_id("detail-title")).to_have_text(TITLE)


def test_applied_follow_up_interview_and_what_was_sent(ny_page: Page, app_url: str) -> None:
    page = ny_page
    open_processed(page)
    status = page.get_by_test_id("detail-status")
    status.select_option("shortlisted")  # whatever the demo data says, the next move is a fresh application
    expect(status).to_have_value("shortlisted")
    status.select_option("applied")
    expect(status).to_have_value("applied")
    expect(page.get_by_test_id("sent-summary")).to_contain_text("Sent: CV v1 (PDF), letter v1 (PDF) on ")
    expect(page.get_by_test_id("applied-on")).to_be_visible()
    cv_link = page.get_by_test_id("sent-link").first
    expect(cv_link).to_contain_text("CV v1 (PDF)")
    href = cv_link.get_attribute("href") or ""
    assert "version=1" in href
    pdf = page.request.get(app_url + href)
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    follow = page.get_by_label("Follow up on")
    follow.fill("2027-01-15")
    expect(page.get_by_text("Follow-up set.")).to_be_visible()
    expect(follow).to_have_value("2027-01-15")

    before = page.get_by_test_id("interview").count()
    page.get_by_test_id("add-interview").click()
    page.get_by_label("Date").fill("2026-12-07")
    page.get_by_label("Time").fill("14:30")
    page.get_by_label("Minutes").fill("45")
    page.get_by_label("Kind").select_option("onsite")
    page.get_by_label("Where (address or meeting link)").fill("Acme HQ, 5th floor")
    page.get_by_label("With whom").fill("Kim Lee")
    page.get_by_test_id("save-interview").click()
    expect(page.get_by_text("Interview saved.")).to_be_visible()
    item = page.get_by_test_id("interview").filter(has_text="Kim Lee")
    expect(page.get_by_test_id("interview")).to_have_count(before + 1)
    expect(item).to_contain_text("Mon 7 Dec 2026, 14:30")  # shown in the browser's zone
    expect(status).to_have_value("interviewing")  # an interview is the employer's answer

    ics = item.get_by_test_id("interview-ics").get_attribute("href") or ""
    r = page.request.get(app_url + ics)
    assert r.status == 200 and r.headers["content-type"].startswith("text/calendar")
    [event] = Calendar.from_ical(r.body()).walk("VEVENT")
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2026, 12, 7, 19, 30, tzinfo=UTC), "stored and exported in UTC"
    assert "Acme HQ" in str(event.get("location"))

    violations = axe_violations(page, ".inspector")
    assert not violations, describe(violations)
    page.set_viewport_size({"width": 390, "height": 844})
    overflow = page.evaluate("() => { const e = document.querySelector('[data-testid=tracking]'); return e.scrollWidth - e.clientWidth; }")
    assert overflow <= 0, "the Application part fits a phone's width"
