"""The Board's states driven in-process on the demo data: the view switch, the table's query and
refresh reaching the board (through handoffs), and moves by menu and by Shift+Arrow being the
table's status change."""

from __future__ import annotations

import asyncio

from tests.unit.test_page_states import root, sub  # noqa: F401 - the fixture


def test_board_follows_the_table_and_moves_are_status_changes(root):  # noqa: F811
    from jobapp.state.board import BoardState
    from jobapp.state.jobs import JobsState
    from jobapp.state.workspace_view import VIEWS, WorkspaceViewState

    board, jobs, view = sub(root, BoardState), sub(root, JobsState), sub(root, WorkspaceViewState)

    async def go():
        await jobs.load()
        assert view.shown == "table" and "board" in VIEWS
        view.set_view("nowhere")
        assert view.shown == "table", "an unknown view is ignored"
        view.set_view("board")
        await board.load()
        totals = {c.status: c.total for c in board.columns}
        assert [c.status for c in board.columns] == ["new", "shortlisted", "ready", "applied", "interviewing", "offer", "rejected"]
        assert sum(totals.values()) == jobs.all_count and all(len(c.cards) == c.total - c.more for c in board.columns)

        card = next(c for col in board.columns for c in col.cards)
        await board.move(card.id, "ready" if card.status != "ready" else "applied")
        target = "ready" if card.status != "ready" else "applied"
        assert board._card(card.id).status == target and board.announce.startswith(f"Moved {card.title} to {target}")
        assert {c.status: c.count for c in jobs.chips}[target] == totals[target] + 1, "the table's counts follow"

        events = await board.browser_move(f"{card.id}:>:key:1")
        moved = board._card(card.id).status
        assert moved == {"ready": "applied", "applied": "interviewing"}[target] and any("focus" in str(e) for e in events)
        await board.move(card.id, "new")
        await board.browser_move(f"{card.id}:<:key:2")
        assert board._card(card.id).status == "new" and "already in the first column" in board.announce
        await board.browser_move("x:ready:drag:3")  # garbage from the page changes nothing
        events = await board.move(999_999, "applied")  # not this owner's (or no longer there)
        assert "could not be moved" in board.announce and any("error" in str(e) for e in events)

        everyone = jobs.all_count
        await jobs.set_filter("q", card.title)
        assert sum(c.total for c in board.columns) == jobs.all_count < everyone and board._card(card.id) is not None
        await board.show_in_table("new")
        assert view.view == "table" and jobs.status_filter == ["new"]

    asyncio.run(go())
