"""The inspector's Application part: applied date, follow-up day, interviews with .ics files,
exactly what was sent, and where this CV contradicts one already sent to the company."""

from __future__ import annotations

import reflex as rx

from jobapp.state.tracking import InterviewRow, SentLink, TrackingState
from pipeline.store.tracking import INTERVIEW_KINDS

# Scoped to the section (no stylesheet of its own): wraps at 390 px, visible focus on links too.
STYLE = {
    "& .tracking-row": {"display": "flex", "flexWrap": "wrap", "gap": "6px", "alignItems": "center", "margin": "4px 0"},
    "& .tracking-grid": {"display": "grid", "gridTemplateColumns": "repeat(auto-fit, minmax(110px, 1fr))", "gap": "6px"},
    "& .tracking-field": {"display": "flex", "flexDirection": "column", "gap": "2px", "marginTop": "4px", "minWidth": "0"},
    "& .tracking-field .input": {"width": "100%", "minWidth": "0", "boxSizing": "border-box"},
    "& fieldset": {"border": "1px solid var(--line)", "borderRadius": "6px", "padding": "6px 10px", "minWidth": "0", "margin": "6px 0"},
    "& .interviews": {"listStyle": "none", "padding": "0", "margin": "4px 0"},
    "& .interview": {"borderTop": "1px solid var(--line)", "padding": "6px 0", "overflowWrap": "anywhere"},
    "& .form-error": {"color": "var(--warn)", "margin": "4px 0"},
    "& a:focus-visible": {"outline": "2px solid var(--accent)", "outlineOffset": "1px"},
    "& .warn li": {"overflowWrap": "anywhere"},
}


def tracking_panel() -> rx.Component:
    return rx.el.section(
        rx.el.h3("Application", id="tracking-heading"),
        rx.cond(TrackingState.applied_on != "", rx.el.p("Applied on ", rx.el.strong(TrackingState.applied_on), data_testid="applied-on")),
        follow_up_row(),
        rx.cond(TrackingState.sent_summary != "", sent_block()),
        rx.cond(TrackingState.contradictions.length() > 0, contradictions_block()),
        interviews_block(),
        aria_labelledby="tracking-heading",
        class_name="tracking",
        style=STYLE,
        data_testid="tracking",
    )


def follow_up_row() -> rx.Component:
    return rx.el.div(
        rx.el.label("Follow up on", html_for="follow-up-on"),
        rx.el.input(
            type="date", id="follow-up-on", value=TrackingState.follow_up_on, on_change=TrackingState.set_follow_up,
            data_testid="follow-up-input", class_name="input",
        ),  # fmt: skip
        rx.cond(
            TrackingState.follow_up_on != "",
            rx.fragment(
                rx.el.button("Clear", type="button", on_click=TrackingState.clear_follow_up, class_name="btn small", aria_label="Clear the follow-up day"),
                rx.el.button("Done", type="button", on_click=TrackingState.follow_up_done, class_name="btn small",
                             aria_label="Done: followed up (clears the day, notes it)", data_testid="follow-up-done"),  # fmt: skip
            ),
        ),
        class_name="tracking-row",
    )


def sent_link(link: SentLink) -> rx.Component:
    return rx.el.a("Download ", link.label, href=link.url, download="", reload_document=True, class_name="btn small", data_testid="sent-link")


def sent_block() -> rx.Component:
    return rx.el.div(
        rx.el.p(TrackingState.sent_summary, data_testid="sent-summary"),
        rx.el.div(rx.foreach(TrackingState.sent_links, sent_link), class_name="tracking-row"),
        class_name="tracking-sent",
    )


def contradictions_block() -> rx.Component:
    return rx.el.div(
        rx.el.strong("Your CVs for this company disagree"),
        rx.el.ul(rx.foreach(TrackingState.contradictions, lambda line: rx.el.li(line)), data_testid="contradictions"),
        class_name="warn",
        role="note",
    )


def interview_item(iv: InterviewRow) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.strong(iv.when), rx.el.span(" · ", iv.kind, " · ", iv.minutes.to(str), " min"),
            rx.cond(iv.location != "", rx.el.span(" · ", iv.location)),
            rx.cond(iv.with_whom != "", rx.el.span(" · with ", iv.with_whom)),
        ),  # fmt: skip
        rx.cond(iv.notes != "", rx.el.p(iv.notes, class_name="muted small")),
        rx.el.div(
            rx.el.a("Add to calendar (.ics)", href=iv.ics, download="", reload_document=True, class_name="btn small", data_testid="interview-ics"),
            rx.el.button("Edit", type="button", on_click=TrackingState.edit_interview(iv.id), class_name="btn small",
                         aria_label="Edit the interview on " + iv.when),  # fmt: skip
            rx.el.button("Delete", type="button", on_click=TrackingState.ask_delete(iv.id), class_name="btn small danger",
                         aria_label="Delete the interview on " + iv.when),  # fmt: skip
            class_name="tracking-row",
        ),
        rx.cond(
            TrackingState.deleting == iv.id,
            rx.el.div(
                rx.el.span("Delete this interview?", role="alert"),
                rx.el.button("Yes, delete", type="button", on_click=TrackingState.delete_interview(iv.id), class_name="btn small danger",
                             data_testid="confirm-delete-interview"),  # fmt: skip
                rx.el.button("Keep", type="button", on_click=TrackingState.keep_interview, class_name="btn small"),
                class_name="tracking-row",
            ),
        ),
        class_name="interview",
        data_testid="interview",
    )


def interviews_block() -> rx.Component:
    return rx.el.div(
        rx.el.h4("Interviews"),
        rx.cond(
            TrackingState.interviews.length() > 0,
            rx.el.ul(rx.foreach(TrackingState.interviews, interview_item), class_name="interviews"),
            rx.el.p("No interviews yet.", class_name="muted small"),
        ),
        rx.cond(
            TrackingState.form_open,
            interview_form(),
            rx.el.button("Add interview", type="button", on_click=TrackingState.new_interview, class_name="btn small", data_testid="add-interview"),
        ),
    )


def _field(label: str, control: rx.Component, field_id: str) -> rx.Component:
    return rx.el.div(rx.el.label(label, html_for=field_id), control, class_name="tracking-field")


def interview_form() -> rx.Component:
    f = TrackingState.form
    return rx.el.form(
        rx.el.fieldset(
            rx.el.legend(rx.cond(TrackingState.form_id > 0, "Edit interview", "New interview"), " (your local time)"),
            rx.el.div(
                _field("Date", rx.el.input(type="date", id="iv-day", name="day", default_value=f.day, required=True, class_name="input"), "iv-day"),
                _field("Time", rx.el.input(type="time", id="iv-clock", name="clock", default_value=f.clock, required=True, class_name="input"), "iv-clock"),
                _field("Minutes", rx.el.input(type="number", id="iv-minutes", name="minutes", default_value=f.minutes.to(str), min=5, max=720,
                                              step=5, class_name="input"), "iv-minutes"),  # fmt: skip
                _field("Kind", rx.el.select(*[rx.el.option(k, value=k) for k in INTERVIEW_KINDS], id="iv-kind", name="kind",
                                            default_value=f.kind, class_name="input"), "iv-kind"),  # fmt: skip
                class_name="tracking-grid",
            ),
            _field("Where (address or meeting link)", rx.el.input(id="iv-location", name="location", default_value=f.location, max_length=500,
                                                                  class_name="input"), "iv-location"),  # fmt: skip
            _field("With whom", rx.el.input(id="iv-with", name="with_whom", default_value=f.with_whom, max_length=300, class_name="input"), "iv-with"),
            _field("Notes", rx.el.textarea(id="iv-notes", name="notes", default_value=f.notes, rows=2, max_length=5000, class_name="input"), "iv-notes"),
            rx.cond(TrackingState.error != "", rx.el.p(TrackingState.error, role="alert", class_name="form-error", data_testid="interview-error")),
            rx.el.div(
                rx.el.button("Save interview", type="submit", class_name="btn primary small", data_testid="save-interview"),
                rx.el.button("Cancel", type="button", on_click=TrackingState.cancel_interview, class_name="btn small"),
                class_name="tracking-row",
            ),
        ),
        key=TrackingState.form_key.to(str),
        on_submit=TrackingState.save_interview,
        prevent_default=True,
        class_name="interview-form",
        data_testid="interview-form",
    )
