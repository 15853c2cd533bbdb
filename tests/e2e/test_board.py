"""The Board view in a real browser: the Table | Board tabs (remembered after a reload), cards in
columns by status, a drag from ready to applied and a Shift+Arrow move (the same status change
the table shows), the table's search applied to the board, axe-core and a 390 px screen."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.support.axe import axe_violations, describe


def _count(page: Page, status: str) -> int:
    return int(page.get_by_test_id("board-col-" + status).get_by_test_id("col-count").inner_text())


def _ready_job(page: Page) -> tuple[str, str]:
    """The table's first job, set to "ready" the table's way: its id and title."""
    row = page.get_by_test_id("job-row").first
    job_id, title = row.get_attribute("data-job-id"), row.locator(".title-btn").inner_text()
    row.locator("select").select_option("ready")
    expect(page.get_by_text("Status set to ready.")).to_be_visible()  # the server's answer, not just the select
    expect(page.locator(f"[data-testid=job-row][data-job-id='{job_id}'] select")).to_have_value("ready")
    return job_id, title


def test_drag_and_keyboard_moves_are_status_changes_and_the_view_is_remembered(page: Page):
    job_id, title = _ready_job(page)
    tab = page.get_by_role("tab", name="Board")
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    card = page.locator(f".board-card[data-card-id='{job_id}']")
    expect(page.get_by_test_id("board-col-ready").locator(f"[data-card-id='{job_id}']")).to_be_visible()
    expect(page.get_by_test_id("board-card").first).to_be_visible()
    ready, applied = _count(page, "ready"), _count(page, "applied")

    card.drag_to(page.get_by_test_id("board-col-applied").locator(".board-cards"))
    expect(page.get_by_test_id("board-col-applied").locator(f"[data-card-id='{job_id}']")).to_be_visible()
    expect(page.get_by_test_id("board-col-applied").get_by_test_id("col-count")).to_have_text(str(applied + 1))
    expect(page.get_by_test_id("board-col-ready").get_by_test_id("col-count")).to_have_text(str(ready - 1))
    expect(page.get_by_test_id("chip-applied")).to_contain_text(str(applied + 1))
    expect(card.get_by_test_id("card-follow-up")).to_contain_text("follow up")  # applying set the follow-up day

    first = page.get_by_test_id("board-col-applied").get_by_test_id("board-card").first
    first.focus()
    page.keyboard.press("ArrowDown")  # arrows move the focus between cards
    expect(page.get_by_test_id("board-col-applied").get_by_test_id("board-card").nth(1)).to_be_focused()
    card.focus()
    page.keyboard.press("Shift+ArrowRight")
    moved = page.get_by_test_id("board-col-interviewing").locator(f"[data-card-id='{job_id}']")
    expect(moved).to_be_visible()
    expect(page.get_by_test_id("board-announce")).to_have_text(re.compile(rf"Moved {re.escape(title)} to interviewing"))
    expect(moved).to_be_focused()
    moved.get_by_test_id("card-move").select_option("offer")
    expect(page.get_by_test_id("board-col-offer").locator(f"[data-card-id='{job_id}']")).to_be_visible()

    page.get_by_test_id("board-col-offer").locator(f"[data-card-id='{job_id}'] .card-title").click()
    expect(page.locator(".inspector")).to_contain_text(title)  # a card opens the job in the inspector

    page.reload()
    expect(page.get_by_role("tab", name="Board")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("board-col-offer").locator(f"[data-card-id='{job_id}']")).to_be_visible()
    page.get_by_role("tab", name="Board").focus()
    page.keyboard.press("ArrowLeft")  # the tablist's arrows
    expect(page.get_by_role("tab", name="Table")).to_have_attribute("aria-selected", "true")
    expect(page.locator(f"[data-testid=job-row][data-job-id='{job_id}'] select")).to_have_value("offer")


def test_board_follows_the_search_passes_axe_and_scrolls_by_column_on_a_phone(page: Page):
    job_id, title = _ready_job(page)
    page.get_by_role("tab", name="Board").click()
    expect(page.get_by_test_id("board-card").first).to_be_visible()
    page.fill("#job-search", title)
    expect(page.locator(f".board-card[data-card-id='{job_id}']")).to_be_visible()
    expect(page.get_by_test_id("board-card")).to_have_count(sum(_count(page, s) for s in ("new", "shortlisted", "ready", "applied", "interviewing", "offer", "rejected")))
    page.fill("#job-search", "zzzz-no-such-posting")
    expect(page.get_by_test_id("board-card")).to_have_count(0)
    page.fill("#job-search", "")
    expect(page.get_by_test_id("board-card").first).to_be_visible()

    violations = axe_violations(page, ".jobs-region")
    assert not violations, describe(violations)

    page.set_viewport_size({"width": 390, "height": 844})
    board = page.get_by_test_id("board")
    sizes = board.evaluate("b => [b.scrollWidth, b.clientWidth, b.getBoundingClientRect().right]")
    assert sizes[0] > sizes[1], "the columns scroll inside the board"
    assert sizes[2] <= 390, f"the board fits the screen ({sizes})"
    assert board.bounding_box()["height"] > 300, "the board keeps most of a phone's height"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "board-390.png"))
    violations = axe_violations(page, ".jobs-region")
    assert not violations, describe(violations)


def test_tab_stops_once_per_column_and_the_focused_cards_menu(page: Page):
    page.get_by_role("tab", name="Board").click()
    expect(page.get_by_test_id("board-card").first).to_be_visible()  # the columns have loaded: their counts are real
    filled = [c for c in ("new", "shortlisted", "ready", "applied", "interviewing", "offer", "rejected") if _count(page, c) > 0]
    # Start at a column whose next non-empty neighbour has two cards or more (what the module's
    # earlier tests moved decides which): Tab must skip a column's other cards, ArrowDown needs two.
    start = next(i for i in range(len(filled) - 1) if _count(page, filled[i]) > 1 and _count(page, filled[i + 1]) > 1)
    columns = filled[start:]
    first = page.get_by_test_id("board-col-" + columns[0]).get_by_test_id("board-card")
    assert first.count() > 1, "the first column has several cards: Tab must skip past them"
    first.first.focus()
    page.keyboard.press("Tab")
    expect(first.first.get_by_test_id("card-move")).to_be_focused()  # the focused card's menu, then the next column
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("board-col-" + columns[1]).get_by_test_id("board-card").first).to_be_focused()
    page.keyboard.press("ArrowDown")
    second = page.get_by_test_id("board-col-" + columns[1]).get_by_test_id("board-card").nth(1)
    expect(second).to_be_focused()
    page.keyboard.press("Shift+Tab")  # back to the column before (only the focused card's menu is a stop)
    expect(first.first).to_be_focused()
    page.keyboard.press("Tab")
    expect(first.first.get_by_test_id("card-move")).to_be_focused()
    page.keyboard.press("Tab")
    expect(second).to_be_focused()  # a column remembers the card the keyboard left it on
    assert page.evaluate("document.querySelectorAll('.board-card[tabindex=\"0\"]').length") == len(filled)


def test_a_touch_screen_moves_a_card_by_press_hold_and_drag(browser, app_url: str):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(app_url + "/")
    expect(page.get_by_test_id("job-row").first).to_be_visible()
    job_id, title = _ready_job(page)
    page.get_by_role("tab", name="Board").click()
    card = page.get_by_test_id("board-col-ready").locator(f"[data-card-id='{job_id}']")
    expect(card).to_be_visible()
    page.get_by_test_id("board-col-ready").evaluate("c => c.scrollIntoView({inline: 'start'})")
    applied = _count(page, "applied")
    start = card.bounding_box()
    target = page.get_by_test_id("board-col-applied").bounding_box()
    assert target["x"] < 390, "the next column peeks in at the right edge"
    cdp = context.new_cdp_session(page)

    def touch(kind: str, x: float, y: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    x, y = start["x"] + start["width"] / 2, start["y"] + 20
    touch("touchStart", x, y)
    page.wait_for_timeout(500)  # press and hold picks the card up
    tx = min(385.0, target["x"] + 30)
    for i in range(1, 9):
        touch("touchMove", x + (tx - x) * i / 8, y + 10)
        page.wait_for_timeout(30)
    touch("touchEnd", tx, y + 10)
    expect(page.get_by_test_id("board-col-applied").locator(f"[data-card-id='{job_id}']")).to_be_attached()
    expect(page.get_by_test_id("board-col-applied").get_by_test_id("col-count")).to_have_text(str(applied + 1))
    expect(page.get_by_test_id("board-announce")).to_contain_text(f"Moved {title} to applied")
    expect(page.get_by_test_id("detail-title")).to_be_hidden()  # the drag was not a tap on the title

    # A quick swipe is a scroll, not a move.
    col = page.get_by_test_id("board-col-applied").locator(f"[data-card-id='{job_id}']")
    col.scroll_into_view_if_needed()
    box = col.bounding_box()
    touch("touchStart", box["x"] + 40, box["y"] + 20)
    touch("touchMove", box["x"] + 10, box["y"] + 20)
    touch("touchMove", box["x"] - 60, box["y"] + 20)
    touch("touchEnd", box["x"] - 60, box["y"] + 20)
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("board-col-applied").get_by_test_id("col-count")).to_have_text(str(applied + 1))
    context.close()
