"""The import dialog: file, pasted posting, posting links, job board, MongoDB."""

from __future__ import annotations

import reflex as rx

from jobapp.components.tabs import tab, tablist
from jobapp.components.upload import drop_zone
from jobapp.state.importer import BOARD_PROVIDERS, ImportState, LinkResult
from jobapp.state.views import RowProblem

UPLOAD_ID = "job-import"


def problem_row(p: RowProblem) -> rx.Component:
    return rx.el.li(rx.el.span("line ", p.line, class_name="strong"), ": ", p.error)


def result_view() -> rx.Component:
    return rx.el.div(
        rx.cond(ImportState.error != "", rx.el.div(ImportState.error, class_name="error", data_testid="import-error")),
        rx.cond(ImportState.summary != "", rx.el.div(ImportState.summary, class_name="ok", data_testid="import-summary")),
        rx.cond(ImportState.problems.length() > 0, rx.el.ul(rx.foreach(ImportState.problems, problem_row), class_name="problems", data_testid="import-problems")),
    )


def file_tab() -> rx.Component:
    return rx.el.div(
        drop_zone(
            rx.el.div(
                rx.el.p("Drop a JSON or CSV file here, or click to choose one."),
                rx.el.p("Columns: title (required), company, location, url, description, id, status, tags. Limit ", ImportState.max_file_mb, " MB.", class_name="muted"),
                class_name="dropzone",
            ),
            id=UPLOAD_ID,
            label="Choose a JSON or CSV file of jobs",
            multiple=False,
            max_files=1,
            on_drop=ImportState.handle_upload(rx.upload_files(upload_id=UPLOAD_ID)),
        ),
    )


def _field(label: str, name: str, value, **props) -> rx.Component:
    return rx.el.label(
        rx.el.span(label),
        rx.el.input(value=value, on_change=lambda v: ImportState.set_paste_field(name, v), name=name, **props),
        class_name="field",
    )


def paste_tab() -> rx.Component:
    return rx.el.form(
        rx.el.div(
            _field("Title", "title", ImportState.paste_title, placeholder="inferred from the text when empty"),
            _field("Company", "company", ImportState.paste_company),
            _field("Location", "location", ImportState.paste_location),
            _field("URL", "url", ImportState.paste_url, type="url"),
            class_name="field-grid",
        ),
        rx.el.textarea(
            value=ImportState.paste_text,
            on_change=lambda v: ImportState.set_paste_field("text", v),
            placeholder="Paste the job posting here",
            rows=10,
            class_name="paste-text",
            name="text",
        ),
        rx.el.button("Add posting", type="submit", class_name="btn primary", data_testid="paste-submit"),
        on_submit=ImportState.submit_paste,
        prevent_default=True,
    )


def link_result_row(r: LinkResult) -> rx.Component:
    return rx.el.li(
        rx.el.span(r.outcome, class_name=rx.cond(r.outcome == "error", "badge warn", "badge")),
        " ",
        rx.el.a(r.url, href=r.url, target="_blank", rel="noopener noreferrer", class_name="muted"),
        rx.cond(r.outcome == "error", rx.el.span(": ", r.error), rx.el.span(": ", r.title, class_name="strong")),
        data_testid="link-result",
        data_outcome=r.outcome,
    )


def links_tab() -> rx.Component:
    return rx.el.form(
        rx.el.p("Paste links to job postings, one a line (at most 50). Each page is read and its posting added; "
                "importing a link again updates its job.", class_name="muted"),
        rx.el.label(
            rx.el.span("Links"),
            rx.el.textarea(value=ImportState.links_text, on_change=ImportState.set_links_text, rows=6, name="links",
                           placeholder="https://boards.greenhouse.io/acme/jobs/4012345\nhttps://careers.example.com/jobs/data-engineer",
                           class_name="paste-text", data_testid="links-text"),
            class_name="field",
        ),
        rx.el.button(rx.cond(ImportState.busy, "Reading links…", "Import links"), type="submit", disabled=ImportState.busy,
                     class_name="btn primary", data_testid="links-submit"),
        rx.cond(ImportState.link_results.length() > 0,
                rx.el.ul(rx.foreach(ImportState.link_results, link_result_row), class_name="problems", data_testid="link-results")),
        on_submit=lambda _: ImportState.submit_links(),
        prevent_default=True,
    )


def mongo_tab() -> rx.Component:
    return rx.el.div(
        rx.cond(
            ImportState.mongo_configured,
            rx.el.p("Imports documents (jobId, title, company, job_description, location, url, status) from the configured MongoDB.", class_name="muted"),
            rx.el.p("MONGODB_URI is not set. Add it to .env and restart to import from MongoDB.", class_name="warn"),
        ),
        rx.el.div(
            rx.el.label(rx.el.span("Database"), rx.el.input(value=ImportState.mongo_database, on_change=ImportState.set_mongo_database), class_name="field"),
            rx.el.label(rx.el.span("Collection"), rx.el.input(value=ImportState.mongo_collection, on_change=ImportState.set_mongo_collection), class_name="field"),
            class_name="field-grid",
        ),
        rx.el.button(
            rx.cond(ImportState.busy, "Importing…", "Import from MongoDB"),
            on_click=ImportState.submit_mongo,
            disabled=ImportState.busy | ~ImportState.mongo_configured,
            class_name="btn primary",
        ),
    )


def board_tab() -> rx.Component:
    return rx.el.form(
        rx.el.p("Pull a company's open positions from its public job board. Importing again updates them.", class_name="muted"),
        rx.el.div(
            rx.el.label(
                rx.el.span("Provider"),
                rx.el.select(*[rx.el.option(label, value=key) for key, label in BOARD_PROVIDERS.items()],
                             value=ImportState.board_provider, on_change=ImportState.set_board_provider, data_testid="board-provider"),
                class_name="field",
            ),
            rx.el.label(
                rx.el.span("Board name or link"),
                rx.el.input(value=ImportState.board_name, on_change=ImportState.set_board_name, placeholder="e.g. acme or https://boards.greenhouse.io/acme",
                            max_length=300, data_testid="board-name"),
                class_name="field",
            ),
            class_name="field-grid",
        ),
        rx.el.button(rx.cond(ImportState.busy, "Importing…", "Import open positions"), type="submit", disabled=ImportState.busy,
                     class_name="btn primary", data_testid="board-submit"),
        on_submit=lambda _: ImportState.submit_board(),
        prevent_default=True,
    )


def tab_button(key: str, label: str) -> rx.Component:
    return tab(label, selected=ImportState.tab == key, on_click=ImportState.set_tab(key), data_testid="import-tab-" + key)


def import_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Import jobs"),
            tablist(tab_button("file", "File"), tab_button("paste", "Paste a posting"), tab_button("links", "Links"),
                    tab_button("board", "Job board"), tab_button("mongo", "MongoDB"), label="Import from"),
            rx.match(ImportState.tab, ("paste", paste_tab()), ("links", links_tab()), ("board", board_tab()), ("mongo", mongo_tab()), file_tab()),
            result_view(),
            rx.el.div(rx.dialog.close(rx.el.button("Close", class_name="btn")), class_name="dialog-foot"),
            max_width="720px",
        ),
        open=ImportState.open,
        on_open_change=ImportState.set_open,
    )
