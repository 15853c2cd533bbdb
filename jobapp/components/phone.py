"""What a phone-sized screen adds: the bottom bar (Jobs | Runs & log) and the job sheet's keyboard
and focus handling. Wider screens hide the bar and show both sections at once (assets/phone.css)."""

from __future__ import annotations

import reflex as rx

from jobapp.state.workspace_view import WorkspaceViewState

# The inspector becomes a full-screen sheet on a phone while a job (or the profile) is open: focus
# moves into it and back to where it was when it closes, Escape closes it, and the page behind it
# is inert (no tabbing into what cannot be seen). Wider screens keep the side-by-side inspector.
SHEET_JS = """
(() => {
  if (window.__jobappSheet) return; window.__jobappSheet = true;
  const phone = window.matchMedia('(max-width: 600px)');
  let before = null;
  const behind = () => document.querySelectorAll('.topbar, .jobs-region, .phone-bar');
  const sync = (sheet) => {
    const open = phone.matches && sheet.classList.contains('sheet-open');
    behind().forEach((el) => { el.inert = open; });
    if (open && !sheet.contains(document.activeElement)) {
      before = document.activeElement;
      sheet.focus({preventScroll: true});
    } else if (!open && before) {
      if (before.isConnected && !before.closest('[inert]')) before.focus({preventScroll: true});
      before = null;
    }
  };
  const attach = () => {
    const sheet = document.querySelector('.inspector');
    if (!sheet) return setTimeout(attach, 300);
    new MutationObserver(() => sync(sheet)).observe(sheet, {attributes: true, attributeFilter: ['class']});
    phone.addEventListener('change', () => sync(sheet));
    sync(sheet);
  };
  attach();
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !phone.matches || document.querySelector('[role=dialog], [role=alertdialog]')) return;
    const close = document.querySelector('.inspector.sheet-open [data-sheet-close]');
    if (close) { e.preventDefault(); close.click(); }
  });
})();
"""


def section_button(section: str, label: str) -> rx.Component:
    shown = WorkspaceViewState.section == section
    return rx.el.button(
        label,
        on_click=WorkspaceViewState.set_section(section),
        aria_pressed=rx.cond(shown, "true", "false"),
        class_name=rx.cond(shown, "phone-tab active", "phone-tab"),
        data_testid="section-" + section,
        type="button",
    )


def phone_bar() -> rx.Component:
    """Only shown below 600 px: the runs and log panel is a section of its own there."""
    return rx.el.nav(
        section_button("jobs", "Jobs"),
        section_button("runs", "Runs & log"),
        rx.script(SHEET_JS),
        class_name="phone-bar",
        aria_label="Sections",
    )
