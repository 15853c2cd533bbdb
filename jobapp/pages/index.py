"""The one page: header, job table, inspector."""

from __future__ import annotations

import reflex as rx

from jobapp.components import detail_panel, import_dialog, jobs_region
from jobapp.state.header import HeaderState

# "/" focuses the search box unless the user is typing somewhere.
KEYBOARD_JS = """
document.addEventListener('keydown', (e) => {
  const t = e.target; const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
  if (e.key === '/' && !typing) { e.preventDefault(); document.getElementById('job-search')?.focus(); }
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && t && t.classList.contains('note-input')) { e.preventDefault(); t.form?.requestSubmit(); }
});
"""


def header() -> rx.Component:
    return rx.el.header(
        rx.el.span("jobapp", class_name="brand"),
        rx.el.span("profile: ", rx.el.b(HeaderState.profile), class_name="pill"),
        rx.el.span("model: ", rx.el.b(HeaderState.model_label), class_name="pill"),
        rx.el.span("runs: ", rx.el.b(HeaderState.runs_label), class_name="pill"),
        class_name="topbar",
    )


def index() -> rx.Component:
    return rx.el.div(
        header(),
        rx.el.main(jobs_region(), detail_panel(), class_name="workspace"),
        import_dialog(),
        rx.script(KEYBOARD_JS),
        class_name="app",
    )
