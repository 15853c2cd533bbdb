"""The inspector: follows the focused row."""

from __future__ import annotations

import reflex as rx

from jobapp.components.table import status_select
from jobapp.state.detail import DetailState, HistoryItem


def history_item(item: HistoryItem) -> rx.Component:
    return rx.el.li(
        rx.el.div(rx.el.span(item.kind.replace("_", " "), class_name="ev-kind ev-" + item.kind), rx.el.span(item.when, class_name="muted"), class_name="ev-head"),
        rx.el.div(item.message, class_name="ev-msg"),
        class_name="event",
        data_testid="history-item",
    )


def detail_panel() -> rx.Component:
    job = DetailState.job
    return rx.el.aside(
        rx.cond(
            DetailState.has_job,
            rx.el.div(
                rx.el.div(
                    rx.el.h2(job.title, data_testid="detail-title"),
                    rx.el.button("×", on_click=DetailState.close, class_name="icon-btn", aria_label="Close detail"),
                    class_name="detail-head",
                ),
                rx.el.div(
                    rx.el.span(job.company, class_name="strong"),
                    rx.cond(job.location != "", rx.el.span(" · ", job.location)),
                    class_name="detail-sub",
                ),
                rx.el.div(
                    status_select(job.status, DetailState.change_status, aria_label="Status", data_testid="detail-status"),
                    rx.el.span("source: ", job.source, class_name="muted"),
                    rx.cond(job.fit_score, rx.el.span("fit ", job.fit_score, class_name="fit")),
                    rx.cond(job.url != "", rx.el.a("Open posting ↗", href=job.url, target="_blank", rel="noopener noreferrer nofollow")),
                    class_name="detail-meta",
                ),
                rx.cond(
                    job.duplicate_of,
                    rx.el.div(
                        "Likely a duplicate of ",
                        rx.el.button("job #", job.duplicate_of.to(str), on_click=DetailState.open(job.duplicate_of.to(int)), class_name="link"),
                        " (same company, near-identical title and location, other source).",
                        class_name="warn",
                    ),
                ),
                rx.cond(job.tags.length() > 0, rx.el.div(rx.foreach(job.tags, lambda t: rx.el.span(t, class_name="tag")), class_name="tags")),
                rx.el.h3("Posting"),
                rx.html(job.posting_html, class_name="posting", data_testid="detail-description"),
                rx.el.h3("Notes"),
                rx.el.form(
                    rx.el.textarea(
                        value=DetailState.note_draft,
                        on_change=DetailState.set_note_draft,
                        placeholder="Add a note (Ctrl+Enter to save)",
                        rows=2,
                        class_name="note-input",
                        data_testid="note-input",
                        max_length=5000,
                    ),
                    rx.el.button("Add note", type="submit", class_name="btn", data_testid="add-note"),
                    on_submit=DetailState.submit_note,
                    prevent_default=True,
                    class_name="note-form",
                ),
                rx.el.h3("History"),
                rx.el.ul(rx.foreach(DetailState.history, history_item), class_name="history", data_testid="history"),
                class_name="detail",
            ),
            rx.el.div(
                rx.el.p("Select a job to see its posting, notes and history."),
                rx.el.p("Tip: / focuses search; click a title to open it here.", class_name="muted"),
                class_name="detail-empty",
            ),
        ),
        class_name="inspector",
    )
