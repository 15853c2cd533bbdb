"""The jobs region's view switch: ARIA tabs "Table | Board" and the panel of the chosen view.

Why tabs with one panel: the toolbar (search, filters, chips) above them is shared, so
both tabs control the one panel below it; arrows move between tabs (automatic activation)."""

from __future__ import annotations

import reflex as rx

from jobapp.components.analytics import analytics_view
from jobapp.components.board import BOARD_JS, board_view
from jobapp.state.workspace_view import LABELS, VIEWS, WorkspaceViewState

# Arrow keys, Home and End move along the tablist and select the tab they land on.
TABS_JS = """
(() => {
  if (window.__jobappTabs) return; window.__jobappTabs = true;
  document.addEventListener('keydown', (e) => {
    const tab = e.target.closest && e.target.closest('.view-switch [role=tab]');
    if (!tab) return;
    const tabs = [...tab.parentElement.querySelectorAll('[role=tab]')];
    const i = tabs.indexOf(tab);
    const next = {ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1}[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const to = tabs[(next + tabs.length) % tabs.length];
    to.focus(); to.click();
  });
})();
"""


def view_tab(view: str) -> rx.Component:
    selected = WorkspaceViewState.shown == view
    return rx.el.button(
        LABELS[view],
        role="tab",
        id="view-tab-" + view,
        aria_selected=rx.cond(selected, "true", "false"),
        aria_controls="view-panel",
        tab_index=rx.cond(selected, 0, -1),
        on_click=WorkspaceViewState.set_view(view),
        class_name=rx.cond(selected, "view-tab active", "view-tab"),
        data_testid="view-" + view,
        type="button",
    )


def view_tabs() -> rx.Component:
    return rx.el.div(
        *[view_tab(v) for v in VIEWS],
        rx.script(TABS_JS + BOARD_JS),
        role="tablist",
        aria_label="Show jobs as",
        class_name="view-switch",
    )


def view_panel(table: rx.Component) -> rx.Component:
    """The chosen view (a new view adds its branch here, beside "board")."""
    return rx.el.div(
        rx.match(WorkspaceViewState.shown, ("board", board_view()), ("analytics", analytics_view()), table),
        role="tabpanel",
        id="view-panel",
        aria_labelledby="view-tab-" + WorkspaceViewState.shown,
        class_name="view-panel",
    )
