"""Which view the jobs region shows (Table or Board), remembered per browser.

Why its own state: the choice is the browser's (localStorage), not the account's, and the
views themselves stay unaware of one another: a new view is one entry in VIEWS plus its
branch in jobapp/components/view_switch.py."""

from __future__ import annotations

import reflex as rx

from jobapp.state import handoffs
from jobapp.state.base import AppState

# A new view: one entry here and its branch in components/view_switch.py (as "analytics" did).
VIEWS: tuple[str, ...] = ("table", "board", "analytics")
LABELS = {"table": "Table", "board": "Board", "analytics": "Analytics"}


# On a phone the page shows one section at a time: the jobs (and the job sheet over them) or the
# runs and their log, chosen in the bottom bar (components/phone.py). Wider screens show both.
SECTIONS: tuple[str, ...] = ("jobs", "runs")


class WorkspaceViewState(AppState):
    view: str = rx.LocalStorage("table", name="jobapp.view")  # no cross-tab sync: each open tab keeps its view
    section: str = "jobs"

    @rx.var
    def shown(self) -> str:
        """The stored choice, or the table when the browser kept something this app no longer has."""
        return self.view if self.view in VIEWS else "table"

    @rx.event
    def set_view(self, view: str):
        """Switch views; the board reads its columns now (on a page load the table's load does it)."""
        if view in VIEWS:
            self.view = view
            if view == "board":
                return handoffs.load_board()

    @rx.event
    def set_section(self, section: str):
        if section in SECTIONS:
            self.section = section
