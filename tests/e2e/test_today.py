"""The Today panel and the calendar feed in a real browser, on the demo's eight weeks (seeded
relative to today): the header says "2 overdue"; Today lists the due follow-ups (overdue first)
and this week's interviews; Done removes a follow-up and the header count drops; a line opens its
job in the inspector. Settings creates the private feed URL (absolute, from the page's origin),
which downloads as a calendar `icalendar` parses; axe-core finds nothing in either panel."""

from __future__ import annotations

from icalendar import Calendar
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.support.axe import axe_violations, describe


def test_today_lists_follow_ups_and_interviews_and_done_drops_the_overdue_count(page: Page) -> None:
    overdue = page.get_by_test_id("header-overdue")
    expect(overdue).to_have_text("2 overdue")
    overdue.click()
    dialog = page.get_by_role("dialog", name="Today")
    expect(dialog).to_be_visible()
    follow_ups = dialog.get_by_test_id("today-follow-up")
    expect(follow_ups).to_have_count(3)
    expect(follow_ups.nth(0)).to_contain_text("Senior UX Designer")
    expect(follow_ups.nth(0).get_by_test_id("today-due-label")).to_contain_text("Overdue by 9 days")
    expect(follow_ups.nth(2).get_by_test_id("today-due-label")).to_have_text("Due today")
    interviews = dialog.get_by_test_id("today-interview")
    expect(interviews).to_have_count(2)
    expect(interviews.nth(0)).to_contain_text("Site Reliability Engineer")
    expect(interviews.nth(1)).to_contain_text("DevOps Engineer")

    violations = axe_violations(page, "[role=dialog]")
    assert not violations, describe(violations)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "today.png"))

    follow_ups.nth(0).get_by_test_id("today-done").click()
    expect(follow_ups).to_have_count(2)
    expect(dialog).not_to_contain_text("Senior UX Designer")
    expect(overdue).to_have_text("1 overdue")

    dialog.get_by_role("button", name="Data Engineer · Kestrel Mobility").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("detail-title")).to_contain_text("Data Engineer")


def test_settings_creates_a_calendar_feed_url_that_downloads_as_a_calendar(page: Page, app_url: str) -> None:
    page.get_by_test_id("open-settings").click()
    dialog = page.get_by_role("dialog", name="Settings")
    expect(dialog.get_by_test_id("settings-feed-state")).to_contain_text("No feed URL yet")
    dialog.get_by_test_id("settings-feed-create").click()
    url_box = dialog.get_by_test_id("settings-feed-url")
    expect(url_box).to_be_visible()
    url = url_box.input_value()
    assert url.startswith(app_url.rstrip("/") + "/calendar/jcal_") and url.endswith(".ics"), url

    violations = axe_violations(page, "[role=dialog]")
    assert not violations, describe(violations)

    response = page.request.get(url)
    assert response.status == 200 and response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.body())
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert any("Site Reliability Engineer" in s for s in summaries), summaries
    assert any(s.startswith("Follow up:") for s in summaries), summaries

    dialog.get_by_test_id("settings-feed-revoke").click()
    expect(dialog.get_by_test_id("settings-feed-message")).to_contain_text("revoked")
    assert page.request.get(url).status == 404


def test_today_fits_a_phone(browser, app_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(app_url + "/")
    expect(page.get_by_test_id("job-row").first).to_be_visible()
    page.get_by_test_id("open-today").click()
    dialog = page.get_by_role("dialog", name="Today")
    expect(dialog.get_by_test_id("today-interview").first).to_be_visible()
    box = dialog.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    page.screenshot(path=str(ARTIFACTS / "today-390.png"))
    assert page.evaluate("() => { const d = document.querySelector('[role=dialog]'); return d.scrollWidth <= d.clientWidth + 1; }")
    for pill in ("open-today",):  # the rest of the page at 390 px is the phone layout's (tests there)
        b = page.get_by_test_id(pill).bounding_box()
        assert b and b["x"] + b["width"] <= 390, (pill, b)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("open-today")).to_be_focused()
    context.close()
