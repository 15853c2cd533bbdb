"""Below the letter: the LinkedIn note (with LinkedIn's 300-character counter) and the e-mail,
editable, saved with history, each with a copy button."""

from __future__ import annotations

import reflex as rx

from jobapp.state.outreach import OutreachState, OutreachVersion


def copy_button(label: str, text) -> rx.Component:
    return rx.el.button("Copy", on_click=[rx.set_clipboard(text), rx.toast.success(label + " copied.")], class_name="btn small", aria_label="Copy " + label)


def version_row(v: OutreachVersion) -> rx.Component:
    return rx.el.li(
        rx.el.span("v", v.version.to(str), class_name="strong"),
        rx.el.span(v.when, class_name="muted"),
        rx.el.span(v.note, class_name="muted"),
        rx.cond(v.version != OutreachState.version, rx.el.button("Restore", on_click=OutreachState.restore(v.version), class_name="link")),
        class_name="version",
    )


def outreach_editor() -> rx.Component:
    return rx.cond(
        OutreachState.run_id > 0,
        rx.el.section(
            rx.el.h3("Outreach", id="outreach-heading"),
            rx.el.div(
                rx.el.label("LinkedIn note", html_for="outreach-note", class_name="strong"),
                rx.el.span(OutreachState.note_count, class_name=rx.cond(OutreachState.note_over, "warn-inline small", "muted small"), data_testid="note-count", aria_live="polite"),
                copy_button("LinkedIn note", OutreachState.linkedin_note),
                class_name="copy-head",
            ),
            rx.el.textarea(value=OutreachState.linkedin_note, on_change=OutreachState.set_linkedin_note, id="outreach-note", rows=4,
                           class_name="note-input", data_testid="outreach-note", aria_invalid=OutreachState.note_over),
            rx.el.div(
                rx.el.label("E-mail subject", html_for="outreach-subject", class_name="strong"),
                copy_button("E-mail", OutreachState.email_text),
                class_name="copy-head",
            ),
            rx.el.input(value=OutreachState.email_subject, on_change=OutreachState.set_email_subject, id="outreach-subject", class_name="note-input", max_length=200),
            rx.el.label("E-mail", html_for="outreach-body", class_name="strong"),
            rx.el.textarea(value=OutreachState.email_body, on_change=OutreachState.set_email_body, id="outreach-body", rows=8, class_name="note-input", data_testid="outreach-body"),
            rx.el.div(
                rx.el.button("Save messages", on_click=OutreachState.save, class_name="btn primary small", data_testid="outreach-save", disabled=OutreachState.note_over),
                rx.el.span("v", OutreachState.version.to(str), class_name="muted small", data_testid="outreach-version"),
                class_name="editor-bar",
            ),
            rx.el.details(rx.el.summary("Message versions"), rx.el.ul(rx.foreach(OutreachState.versions, version_row), class_name="versions")),
            class_name="outreach", aria_labelledby="outreach-heading",
        ),
    )
