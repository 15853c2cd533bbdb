"""The one page: header, job table, inspector."""

from __future__ import annotations

import reflex as rx

from jobapp.components import detail_panel, import_dialog, jobs_region, runs_panel
from jobapp.components.admin import admin_dialog, tokens_dialog
from jobapp.components.auth import account_bar, login_view, splash
from jobapp.components.cost_confirm import cost_confirm_dialog
from jobapp.components.phone import phone_bar
from jobapp.components.settings_panel import settings_button
from jobapp.components.today import overdue_pill, today_button
from jobapp.state.auth import AuthState
from jobapp.state.header import HeaderState
from jobapp.state.profile import ProfileState
from jobapp.state.workspace_view import WorkspaceViewState

# "/" focuses the search box unless the user is typing somewhere.
KEYBOARD_JS = """
document.addEventListener('keydown', (e) => {
  const t = e.target; const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
  if (e.key === '/' && !typing) { e.preventDefault(); document.getElementById('job-search')?.focus(); }
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && t && t.classList.contains('note-input')) { e.preventDefault(); t.form?.requestSubmit(); }
});
// Bottom panel: drag the splitter (or focus it and press Up/Down) to resize, click the toggle to collapse.
(() => {
  const root = document.documentElement;
  const saved = localStorage.getItem('jobapp.bottomH');
  if (saved) root.style.setProperty('--bottom-h', saved);
  const current = () => document.getElementById('bottom-panel')?.getBoundingClientRect().height || 280;
  const setH = (px) => {
    const h = Math.round(Math.max(90, Math.min(window.innerHeight - 200, px)));
    root.style.setProperty('--bottom-h', h + 'px');
    const grip = document.getElementById('splitter');
    if (grip) { grip.setAttribute('aria-valuenow', h); grip.setAttribute('aria-valuemax', Math.round(window.innerHeight - 200)); }
    return h;
  };
  const keep = () => localStorage.setItem('jobapp.bottomH', getComputedStyle(root).getPropertyValue('--bottom-h'));
  let dragging = false;
  document.addEventListener('mousedown', (e) => { if (e.target.id === 'splitter') { dragging = true; e.preventDefault(); } });
  document.addEventListener('mousemove', (e) => { if (dragging) setH(window.innerHeight - e.clientY); });
  document.addEventListener('mouseup', () => { if (dragging) { dragging = false; keep(); } });
  document.addEventListener('keydown', (e) => {
    if (e.target.id !== 'splitter' || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    setH(current() + (e.key === 'ArrowUp' ? 20 : -20)); keep();
  });
  const init = () => {
    const grip = document.getElementById('splitter');
    if (!grip) return setTimeout(init, 300);
    grip.setAttribute('aria-valuenow', Math.round(current())); grip.setAttribute('aria-valuemax', Math.round(window.innerHeight - 200));
  };
  init();
  document.addEventListener('click', (e) => {
    if (e.target.id !== 'panel-toggle') return;
    const collapsed = document.body.classList.toggle('panel-collapsed');
    e.target.textContent = collapsed ? '▴' : '▾';
  });
})();
// The phone header's Menu shows or hides the rest of the header.
document.addEventListener('click', (e) => {
  const toggle = e.target.closest && e.target.closest('#header-more-toggle');
  if (!toggle) return;
  const open = toggle.closest('.topbar').classList.toggle('more-open');
  toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
});
// Log auto-scroll: stick to the bottom unless the user scrolled up to read.
(() => {
  let stick = true;
  const attach = () => {
    const box = document.getElementById('log-view');
    if (!box) return setTimeout(attach, 300);
    box.addEventListener('scroll', () => { stick = box.scrollHeight - box.scrollTop - box.clientHeight < 40; });
    new MutationObserver(() => { if (stick) box.scrollTop = box.scrollHeight; }).observe(box, {childList: true, subtree: true});
  };
  attach();
})();
"""


def header() -> rx.Component:
    return rx.el.header(
        rx.el.h1("jobapp", class_name="brand"),
        today_button(),
        overdue_pill(),
        # On a phone the rest folds behind "Menu" (one header line instead of three); wider
        # screens show it all in the row (assets/phone.css).
        rx.el.button("Menu", id="header-more-toggle", class_name="pill pill-btn header-more-toggle", aria_expanded="false",
                     aria_controls="header-more", type="button", data_testid="header-menu"),
        rx.el.div(
            rx.el.button("profile: ", rx.el.b(HeaderState.profile), on_click=ProfileState.open, class_name="pill pill-btn",
                         title="Your CV, job titles and matches", data_testid="open-profile"),
            settings_button(),
            rx.el.span("runs: ", rx.el.b(HeaderState.runs_label), class_name="pill"),
            rx.cond(HeaderState.spend != "", rx.el.span("spent this month: ", rx.el.b(HeaderState.spend), class_name="pill",
                                                        title=HeaderState.spend_title, data_testid="month-spend")),
            account_bar(),
            id="header-more",
            class_name="header-more",
        ),
        class_name="topbar",
    )


def index() -> rx.Component:
    """The workspace for a signed-in browser (always, without accounts on loopback), else the sign-in view."""
    return rx.cond(AuthState.signed_in, workspace(), rx.cond(AuthState.checked, login_view(), splash()))


def workspace() -> rx.Component:
    return rx.el.div(
        header(),
        rx.el.main(
            rx.el.div(jobs_region(), detail_panel(), class_name="workspace"),
            rx.el.div(
                # A window splitter (WAI-ARIA): drag it, or focus it and press Up/Down.
                rx.el.div(id="splitter", class_name="splitter-grip", role="separator", aria_orientation="horizontal", aria_label="Resize the runs panel",
                          aria_controls="bottom-panel", aria_valuemin=90,
                          aria_valuenow=280, tab_index=0, title="Drag (or focus and press Up/Down) to resize"),  # 280: the default height until the script reads it
                rx.el.button("▾", id="panel-toggle", class_name="icon-btn", title="Collapse or expand the runs panel", aria_label="Collapse or expand the runs panel"),
                class_name="splitter",
            ),
            runs_panel(),
            class_name="app-main",
        ),
        phone_bar(),
        import_dialog(),
        cost_confirm_dialog(),
        admin_dialog(),
        tokens_dialog(),
        rx.script(KEYBOARD_JS),
        class_name=rx.cond(WorkspaceViewState.section == "runs", "app section-runs", "app"),
    )
