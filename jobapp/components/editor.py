"""The CV and letter regions: the document as an editable page, versions, restore, conflicts,
compare; the print tools (layout, fit, ATS check, preview, downloads) are in print_tools."""

from __future__ import annotations

import reflex as rx

from jobapp.components.print_tools import print_tools
from jobapp.state.editor import EditorState, ReviewView, VersionView

TOOLBAR = [
    ("bold", "", "B", "Bold (Ctrl+B)"),
    ("italic", "", "I", "Italic (Ctrl+I)"),
    ("insertUnorderedList", "", "• List", "Bullet list"),
    ("formatBlock", "h2", "H2", "Section heading"),
    ("formatBlock", "h3", "H3", "Role heading"),
    ("formatBlock", "p", "¶", "Paragraph"),
    ("undo", "", "↶", "Undo (Ctrl+Z)"),
    ("redo", "", "↷", "Redo (Ctrl+Y)"),
]


def tool(cmd: str, arg: str, label: str, title: str) -> rx.Component:
    # A spoken name must contain the visible label (WCAG 2.5.3): "H2, Section heading".
    name = f"{label}, {title}" if label[:1].isalnum() and label not in title else title
    return rx.el.button(label, data_cmd=cmd, data_arg=arg, title=title, aria_label=name, class_name="tool", type="button")


def version_row(v: VersionView) -> rx.Component:
    return rx.el.li(
        rx.el.span("v", v.version.to(str), class_name="strong"),
        rx.el.span(v.when, class_name="muted"),
        rx.el.span(v.note, class_name="muted"),
        rx.el.button("View", on_click=EditorState.view_version(v.version), class_name="link"),
        rx.cond(v.version != EditorState.version, rx.el.button("Restore", on_click=EditorState.restore(v.version), class_name="link", data_testid="restore-v" + v.version.to(str))),
        class_name="version",
    )


def review_row(r: ReviewView) -> rx.Component:
    return rx.el.li(
        rx.el.span(r.line, class_name=rx.cond(r.present, "", "fixed")),
        rx.cond(r.why != "", rx.el.span(" — ", r.why, class_name="muted small", data_testid="review-why")),
        rx.cond(
            r.accepted, rx.el.span(" accepted", class_name="tag"),
            rx.cond(r.present, rx.el.button("Accept", on_click=EditorState.accept_line(r.line), class_name="link", title="I can back this line up"),
                    rx.el.span(" fixed", class_name="tag")),
        ),
        data_testid="review-line",
    )


def conflict_view() -> rx.Component:
    return rx.el.div(
        rx.el.p(rx.el.strong("Conflict: "), "version ", EditorState.theirs_version.to(str), " was saved after you started editing. Nothing was lost; choose which to keep."),
        rx.el.div(
            rx.el.div(rx.el.h4("Your edit"), rx.html(EditorState.mine_html, class_name="cv-page mini"), class_name="conflict-side"),
            rx.el.div(rx.el.h4("Saved version ", EditorState.theirs_version.to(str)), rx.html(EditorState.theirs_html, class_name="cv-page mini"), class_name="conflict-side"),
            class_name="conflict-grid",
        ),
        rx.el.button("Keep mine (save on top)", on_click=EditorState.keep_mine, class_name="btn primary small", data_testid="keep-mine"),
        rx.el.button("Use the saved version", on_click=EditorState.take_theirs, class_name="btn small"),
        class_name="warn conflict",
        data_testid="conflict",
    )


def cv_editor() -> rx.Component:
    is_run = EditorState.run_id > 0
    is_letter = EditorState.kind == "letter"
    return rx.cond(
        EditorState.subject != "",
        rx.el.div(
            rx.el.div(
                *[tool(*t) for t in TOOLBAR],
                rx.el.span("", id="cv-stats", class_name="muted small", aria_live="polite"),
                rx.el.div(class_name="grow"),
                rx.el.span("v", EditorState.version.to(str), class_name="muted small", data_testid="cv-version"),
                rx.cond(is_letter, rx.el.button("Regenerate from the run", on_click=EditorState.regenerate, class_name="btn small", data_testid="letter-regenerate",
                                                title="The letter as the run wrote it, as a new version (your edits stay in the history)")),
                rx.el.button("Save", id="cv-save", class_name="btn primary small", data_testid="cv-save",
                             on_click=rx.call_script("window.jobappEditor.content()", callback=EditorState.save)),
                class_name="editor-toolbar",
            ),
            rx.el.div("", id="cv-editor-msg", class_name="editor-msg", role="status"),
            rx.el.div(
                rx.el.span("Unsaved changes from an earlier visit are available."),
                rx.el.button("Restore them", id="cv-draft-restore", class_name="link", type="button"),
                rx.el.button("Discard", id="cv-draft-discard", class_name="link", type="button"),
                id="cv-draft-banner", class_name="warn hidden",
            ),
            rx.cond(EditorState.conflict, conflict_view()),
            rx.html(
                EditorState.html, id="cv-editor", class_name="cv-page", data_kind=EditorState.kind, content_editable=True, spell_check=True,
                data_subject=EditorState.subject, data_version=EditorState.version.to(str), data_testid="cv-editor",
                aria_label=rx.cond(is_letter, "Cover letter (editable)", rx.cond(is_run, "Tailored CV (editable)", "Master CV (editable)")),
                role="textbox", aria_multiline="true",
            ),
            print_tools(),
            rx.cond(
                EditorState.review.length() > 0,
                rx.el.div(
                    rx.el.strong("Lines to check against your master CV (no source, or a claim made stronger): fix them in the editor, or accept them."),
                    rx.el.ul(rx.foreach(EditorState.review, review_row)),
                    class_name="warn review",
                ),
            ),
            rx.el.h3("Versions"),
            rx.el.ul(rx.foreach(EditorState.versions, version_row), class_name="versions", data_testid="versions"),
            rx.cond(
                EditorState.preview_version > 0,
                rx.el.div(
                    rx.el.div(rx.el.strong("Version ", EditorState.preview_version.to(str)), rx.el.button("Close", on_click=EditorState.close_preview, class_name="link")),
                    rx.html(EditorState.preview_html, class_name="cv-page mini"),
                    class_name="preview",
                ),
            ),
            rx.cond(is_run & ~is_letter, rx.el.div(
                rx.el.h3(
                    "Compared with the master CV ",
                    rx.el.button(rx.cond(EditorState.show_compare, "hide", "show"), on_click=EditorState.toggle_compare, class_name="link"),
                ),
                rx.el.p(EditorState.compare_summary, class_name="muted small"),
                rx.cond(EditorState.show_compare, rx.html(EditorState.compare, class_name="compare", data_testid="compare")),
            )),
            class_name="editor",
        ),
        rx.el.p(rx.cond(is_letter, "No cover letter for this run.", "No tailored CV yet: process this job first."), class_name="muted detail-empty"),
    )
