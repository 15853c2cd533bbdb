"""Everyone, every screen: axe-core on the whole page (landmarks, one main, a level-one heading,
named progress bars, a keyboard-scrollable log), the profile panel and the import dialog; and a
walk-through on a 390 px phone: cards instead of table rows, the job as a full-screen sheet, the
runs and log as a section of their own, no sideways scrolling anywhere, the dossier read there."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, opened_page
from tests.support.axe import axe_violations, describe

PHONE = {"width": 390, "height": 844}


def assert_clean(page: Page, selector: str | None = None, *, best_practice: bool = False) -> None:
    violations = axe_violations(page, selector, best_practice=best_practice)
    assert not violations, describe(violations)


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def phone(browser: Browser, app_url: str) -> Iterator[Page]:
    """A phone: 390 px, touch, the page's own viewport meta honoured (is_mobile)."""
    with opened_page(browser, app_url, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2) as pg:
        yield pg


def test_the_whole_page_passes_axe_with_runs_a_log_the_keyboard_reaches_and_named_progress(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("jobapp")
    expect(page.get_by_role("main")).to_be_visible()
    expect(page.get_by_role("region", name="Runs and log")).to_be_visible()
    assert_clean(page, best_practice=True)

    row = page.get_by_test_id("job-row").first
    title = row.locator(".title-btn").inner_text()
    row.get_by_role("button", name=f"Process {title}").click()
    run = page.get_by_test_id("run-row").first
    expect(run.get_by_test_id("run-status")).to_have_text("succeeded", timeout=60_000)
    expect(run.get_by_role("progressbar", name="Progress of run #1")).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_test_id("log-line").first).to_be_visible()
    assert_clean(page, best_practice=True)

    # The log scrolls by keyboard: Tab from the last control of its header lands in it.
    page.get_by_test_id("log-pause").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "log-view"
    expect(page.get_by_role("log", name="Log")).to_be_focused()


def test_the_board_and_analytics_views_pass_axe_as_whole_pages(page: Page) -> None:
    for view, marker in (("Board", "board"), ("Analytics", "analytics-view"), ("Table", "job-row")):
        page.get_by_role("tab", name=view).click()
        expect(page.get_by_test_id(marker).first).to_be_visible()
        assert_clean(page, best_practice=True)


def test_the_profile_panel_and_every_import_tab_pass_axe(page: Page) -> None:
    page.get_by_test_id("open-profile").click()
    expect(page.get_by_test_id("profile-panel")).to_be_visible()
    for tab in ("cv", "titles", "matches"):
        page.get_by_test_id(f"profile-tab-{tab}").click()
        expect(page.get_by_test_id(f"profile-tab-{tab}")).to_have_attribute("aria-selected", "true")
        assert_clean(page, ".inspector")

    page.get_by_test_id("open-import").click()
    dialog = page.get_by_role("dialog", name="Import jobs")
    for tab in ("file", "paste", "links", "board", "mongo"):
        dialog.get_by_test_id(f"import-tab-{tab}").click()
        expect(dialog.get_by_test_id(f"import-tab-{tab}")).to_have_attribute("aria-selected", "true")
        assert_clean(page, "[role=dialog]")
    # Arrow keys move between the tabs (the same tabs pattern as the views above the table).
    dialog.get_by_test_id("import-tab-mongo").focus()
    page.keyboard.press("Home")
    expect(dialog.get_by_test_id("import-tab-file")).to_be_focused()
    expect(dialog.get_by_test_id("import-tab-file")).to_have_attribute("aria-selected", "true")


def test_a_phone_walk_through_cards_a_job_sheet_a_status_change_a_run_and_the_dossier(phone: Page) -> None:
    page = phone
    assert page.evaluate("innerWidth") == 390, "the page's viewport meta makes a phone lay it out at its own width"
    assert page_width(page) <= 390
    card = page.get_by_test_id("job-row").first
    box = card.bounding_box()
    assert box and box["width"] <= 390 and box["height"] > 60, f"a row is a card the screen's width: {box}"
    assert page.locator("tr.row .col-location").first.is_hidden()
    assert_clean(page, best_practice=True)

    title = card.locator(".title-btn").inner_text()
    card.locator(".title-btn").click()
    sheet = page.locator(".inspector")
    expect(page.get_by_test_id("detail-title")).to_have_text(title)
    box = sheet.bounding_box()
    assert box == {"x": 0, "y": 0, "width": 390, "height": 844}, f"the job is a full-screen sheet: {box}"
    expect(sheet).to_be_focused()
    assert page.evaluate("document.querySelector('.jobs-region').inert"), "the page behind the sheet is out of the tab order"
    assert page_width(page) <= 390
    assert_clean(page, best_practice=True)

    page.get_by_test_id("detail-status").select_option("shortlisted")
    expect(page.get_by_test_id("history-item").first).to_contain_text("shortlisted")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("detail-title")).to_be_hidden()
    expect(card.locator(".title-btn")).to_be_focused()
    expect(card.get_by_role("combobox", name=f"Status of {title}")).to_have_value("shortlisted")

    card.get_by_role("button", name=f"Process {title}").click()
    page.get_by_test_id("section-runs").click()
    expect(page.get_by_test_id("section-runs")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("region", name="Jobs")).to_be_hidden()
    run = page.get_by_test_id("run-row").first
    expect(run.get_by_test_id("run-status")).to_have_text("succeeded", timeout=60_000)
    expect(page.get_by_test_id("log-line").first).to_be_visible()
    assert page_width(page) <= 390
    assert_clean(page, best_practice=True)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone-runs.png"))

    run.get_by_test_id("run-open").click()
    expect(page.get_by_test_id("detail-title")).to_have_text(title)
    page.get_by_test_id("tab-dossier").click()
    expect(page.get_by_test_id("dossier")).to_contain_text(title)
    assert page_width(page) <= 390
    assert_clean(page, ".inspector")
    page.screenshot(path=str(ARTIFACTS / "phone-dossier.png"))
    page.get_by_role("button", name="Close detail").click()
    page.get_by_test_id("section-jobs").click()
    expect(page.get_by_role("region", name="Jobs")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "phone-table.png"))


def test_the_phone_header_is_one_line_with_the_rest_behind_its_menu(phone: Page) -> None:
    page = phone
    header = page.get_by_role("banner")
    assert header.bounding_box()["height"] < 60, "brand, Today, overdue and Menu on one line"
    expect(page.get_by_test_id("open-profile")).to_be_hidden()
    menu = page.get_by_role("button", name="Menu")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.get_by_test_id("open-profile").click()
    expect(page.get_by_test_id("profile-panel")).to_be_visible()  # the profile opens as the sheet
    page.get_by_role("button", name="Close profile").click()
    menu.click()
    expect(page.get_by_test_id("open-profile")).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")


def test_dialogs_fit_a_phone(phone: Page) -> None:
    page = phone
    page.get_by_role("button", name="Menu").click()  # settings and tokens live behind the header's menu
    for opener, name in (("open-import", "Import jobs"), ("open-settings", "Settings"), ("open-today", "Today"), ("#tokens-button", "API tokens")):
        (page.locator(opener) if opener.startswith("#") else page.get_by_test_id(opener)).click()
        dialog = page.get_by_role("dialog", name=name)
        expect(dialog).to_be_visible()
        box = dialog.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, f"{name}: {box}"
        assert page_width(page) <= 390, name
        assert_clean(page, "[role=dialog]")
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()


FOCUS_RING = """() => {
  const el = document.activeElement; const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) || (s.boxShadow && s.boxShadow !== 'none');
  return {ring, what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') + ' ' + (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 30)};
}"""


def test_every_control_tabbed_to_shows_where_the_focus_is(page: Page) -> None:
    """Tab from the top through the header, the toolbar, the first rows, the pager and the runs
    panel: each stop draws an outline or a ring (visible focus, WCAG 2.4.7)."""
    page.get_by_role("button", name=page.get_by_test_id("job-row").first.locator(".title-btn").inner_text(), exact=True).click()
    page.locator("body").focus()
    page.evaluate("document.activeElement.blur()")
    seen, missing = set(), []
    for _ in range(140):
        page.keyboard.press("Tab")
        got = page.evaluate(FOCUS_RING)
        if got["what"] in seen or got["what"].startswith("body"):  # past the last control the browser's own UI has the focus
            continue
        seen.add(got["what"])
        if not got["ring"]:
            missing.append(got["what"])
    assert len(seen) > 60, f"the walk reached only {len(seen)} controls"
    assert not missing, "no visible focus on: " + "; ".join(missing)


def test_the_runs_panel_resizes_by_keyboard(page: Page) -> None:
    splitter = page.get_by_role("separator", name="Resize the runs panel")
    before = page.locator("#bottom-panel").bounding_box()["height"]
    splitter.focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    taller = page.locator("#bottom-panel").bounding_box()["height"]
    assert taller >= before + 30, (before, taller)
    expect(splitter).to_have_attribute("aria-valuenow", re.compile(r"^\d+$"))
    page.keyboard.press("ArrowDown")
    assert page.locator("#bottom-panel").bounding_box()["height"] < taller
    page.reload()
    expect(page.get_by_test_id("job-row").first).to_be_visible()
    assert abs(page.locator("#bottom-panel").bounding_box()["height"] - (taller - 20)) < 3, "the height is remembered"
