"""The jobs region's view switch: ARIA tabs "Table | Board" and the panel of the chosen view.

Why tabs with one panel: the toolbar (search, filters, chips) above them is shared, so
both tabs control the one panel below it; arrows move between tabs (automatic activation)."""

from __future__ import annotations

import reflex as rx

from jobapp.components.analytics import analytics_view
from jobapp.components.board import BOARD_JS, board_view
from jobapp.components.tabs import tab, tablist
from jobapp.state.workspace_view import LABELS, VIEWS, WorkspaceViewState


def view_tab(view: str) -> rx.Component:
    return tab(LABELS[view], selected=WorkspaceViewState.shown == view, on_click=WorkspaceViewState.set_view(view), class_name="view-tab",
               id="view-tab-" + view, aria_controls="view-panel", data_testid="view-" + view)


def view_tabs() -> rx.Component:
    return rx.fragment(tablist(*[view_tab(v) for v in VIEWS], label="Show jobs as", class_name="view-switch"), rx.script(BOARD_JS))


def view_panel(table: rx.Component) -> rx.Component:
    """The chosen view (a new view adds its branch here, beside "board")."""
    return rx.el.div(
        rx.match(WorkspaceViewState.shown, ("board", board_view()), ("analytics", analytics_view()), table),
        role="tabpanel",
        id="view-panel",
        aria_labelledby="view-tab-" + WorkspaceViewState.shown,
        class_name="view-panel",
    )
