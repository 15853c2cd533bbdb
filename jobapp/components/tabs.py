"""ARIA tabs for every tab row in the page (views, detail, profile, import): the selected tab is
announced as selected, only it is in the tab order, and arrow keys, Home and End move along the
row and select the tab they land on (automatic activation)."""

from __future__ import annotations

from typing import Any

import reflex as rx

TABS_JS = """
(() => {
  if (window.__jobappTabs) return; window.__jobappTabs = true;
  document.addEventListener('keydown', (e) => {
    const tab = e.target.closest && e.target.closest('[role=tablist] > [role=tab]');
    if (!tab) return;
    const tabs = [...tab.parentElement.querySelectorAll(':scope > [role=tab]')];
    const i = tabs.indexOf(tab);
    const next = {ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1}[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const to = tabs[(next + tabs.length) % tabs.length];
    to.focus(); to.click();
  });
})();
"""


def tab(label: Any, *, selected: Any, on_click: Any, class_name: str = "tab", **props: Any) -> rx.Component:
    """One tab; `class_name` gains " active" while selected (the CSS of each tab row keys on it)."""
    return rx.el.button(
        label,
        role="tab",
        aria_selected=rx.cond(selected, "true", "false"),
        tab_index=rx.cond(selected, 0, -1),
        on_click=on_click,
        class_name=rx.cond(selected, class_name + " active", class_name),
        type="button",
        **props,
    )


def tablist(*tabs: rx.Component, label: str, class_name: str = "tabs") -> rx.Component:
    return rx.fragment(rx.el.div(*tabs, role="tablist", aria_label=label, class_name=class_name), rx.script(TABS_JS))
