"""The job table: toolbar, status chips, selection bar, rows, pager."""

from __future__ import annotations

import reflex as rx

from jobapp.components.view_switch import view_panel, view_tabs
from jobapp.state.detail import DetailState
from jobapp.state.importer import ImportState
from jobapp.state.jobs import JobsState
from jobapp.state.views import JobRow, StatusChip
from pipeline.store.jobs import PAGE_SIZES
from pipeline.store.models import JOB_STATUSES

COLUMNS = [
    ("title", "Title"), ("company", "Company"), ("location", "Location"), ("status", "Status"), ("fit_score", "Fit"),
    ("last_run_status", "Run"), ("source", "Source"), ("updated_at", "Updated"),
]


def status_badge(status) -> rx.Component:
    return rx.el.span(status, class_name="badge status-" + status)


def status_select(value, on_change, **props) -> rx.Component:
    return rx.el.select(
        *[rx.el.option(s, value=s) for s in JOB_STATUSES],
        value=value,
        on_change=on_change,
        class_name="status-select status-" + value,
        **props,
    )


def chip(c: StatusChip) -> rx.Component:
    active = JobsState.status_filter.contains(c.status)
    return rx.el.button(
        rx.el.span(c.status),
        rx.el.span(c.count, class_name="chip-count"),
        on_click=JobsState.set_filter("status", c.status),
        class_name=rx.cond(active, "chip active status-" + c.status, "chip status-" + c.status),
        data_testid="chip-" + c.status,
        aria_pressed=active,
    )


def toolbar() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.input(
                placeholder="Search title, company, location, description…  ( / )",
                default_value=JobsState.q,
                on_change=lambda v: JobsState.set_filter("q", v).debounce(250),
                class_name="search",
                id="job-search",
                type="search",
                aria_label="Search jobs",
            ),
            rx.el.select(
                rx.el.option("any source", value="any"),
                rx.foreach(JobsState.source_options, lambda s: rx.el.option(s, value=s)),
                value=rx.cond(JobsState.source_filter == "", "any", JobsState.source_filter),
                on_change=lambda v: JobsState.set_filter("source", v),
                aria_label="Source",
                data_testid="source-filter",
            ),
            rx.el.select(
                rx.el.option("run: any", value="any"),
                rx.el.option("has run", value="yes"),
                rx.el.option("never run", value="no"),
                value=rx.cond(JobsState.has_run == "", "any", JobsState.has_run),
                on_change=lambda v: JobsState.set_filter("has_run", v),
                aria_label="Has run",
            ),
            rx.el.label(
                "fit",
                rx.el.input(type="text", input_mode="numeric", pattern="[0-9]*", max_length=3, placeholder="min", default_value=JobsState.min_score, on_change=lambda v: JobsState.set_filter("min_score", v).debounce(400), class_name="score", aria_label="Minimum fit"),
                "–",
                rx.el.input(type="text", input_mode="numeric", pattern="[0-9]*", max_length=3, placeholder="max", default_value=JobsState.max_score, on_change=lambda v: JobsState.set_filter("max_score", v).debounce(400), class_name="score", aria_label="Maximum fit"),
                class_name="score-range",
            ),
            rx.el.button("Duplicates", on_click=JobsState.set_filter("duplicates", ""), class_name=rx.cond(JobsState.duplicates_only, "chip active", "chip"), title="Show only likely duplicates"),
            rx.cond(JobsState.filters_active, rx.el.button("Clear filters", on_click=JobsState.clear_filters, class_name="link")),
            rx.el.div(class_name="grow"),
            rx.el.button("Import", on_click=ImportState.set_open(True), class_name="btn primary", data_testid="open-import"),
            class_name="toolbar-row",
        ),
        rx.el.div(
            rx.el.button(
                rx.el.span("all"), rx.el.span(JobsState.all_count, class_name="chip-count"),
                on_click=JobsState.set_filter("status", ""),
                class_name=rx.cond(JobsState.status_filter.length() == 0, "chip active", "chip"),
                data_testid="chip-all",
            ),
            rx.foreach(JobsState.chips, chip),
            class_name="chips",
        ),
        class_name="toolbar",
    )


def selection_bar() -> rx.Component:
    return rx.el.div(
        rx.el.span(JobsState.selected_count, " selected", class_name="sel-count", data_testid="selected-count"),
        rx.cond(
            JobsState.all_matching,
            rx.el.span("All ", JobsState.total, " matching jobs are selected."),
            rx.cond(
                JobsState.page_all_selected & (JobsState.total > JobsState.rows.length()),
                rx.el.button("Select all ", JobsState.total, " matching", on_click=JobsState.select_all_matching, class_name="link", data_testid="select-all-matching"),
            ),
        ),
        rx.el.button("Clear", on_click=JobsState.clear_selection, class_name="link"),
        rx.el.div(class_name="grow"),
        rx.el.button("Process ", JobsState.selected_count, on_click=JobsState.process_selected, class_name="btn primary", data_testid="bulk-process"),
        rx.el.select(
            rx.el.option("Set status…", value="", disabled=True),
            *[rx.el.option(s, value=s) for s in JOB_STATUSES if s != "archived"],
            value="",
            on_change=JobsState.bulk_set_status,
            aria_label="Set status of selected jobs",
            data_testid="bulk-status",
        ),
        rx.el.button("Archive", on_click=JobsState.bulk_archive, class_name="btn", data_testid="bulk-archive"),
        rx.el.button("Check links", on_click=JobsState.check_selected_links, class_name="btn", data_testid="bulk-check-links",
                     title="Read the postings' links again and mark the ones that look closed (nothing is deleted)"),
        rx.el.button("Export CSV", on_click=JobsState.export("csv"), class_name="btn"),
        rx.el.button("Export JSON", on_click=JobsState.export("json"), class_name="btn"),
        class_name=rx.cond(JobsState.selected_count > 0, "selection-bar", "selection-bar hidden"),
    )


def header_cell(key: str, label: str) -> rx.Component:
    arrow = rx.cond(JobsState.sort == key, rx.cond(JobsState.desc, " ↓", " ↑"), "")
    return rx.el.th(
        rx.el.button(label, arrow, on_click=JobsState.sort_by(key), class_name="th-btn", data_testid="sort-" + key),
        class_name="col-" + key,
        aria_sort=rx.cond(JobsState.sort == key, rx.cond(JobsState.desc, "descending", "ascending"), "none"),
    )


def row_view(row: JobRow) -> rx.Component:
    selected = JobsState.selected.contains(row.id) | JobsState.all_matching
    focused = DetailState.job_id == row.id
    return rx.el.tr(
        rx.el.td(
            rx.el.input(type="checkbox", checked=selected, on_change=JobsState.toggle_row(row.id), aria_label="Select " + row.title, class_name="row-check"),
            class_name="col-check",
        ),
        rx.el.td(
            rx.el.button(row.title, on_click=DetailState.open(row.id), class_name="title-btn"),
            rx.cond(row.duplicate_of, rx.el.span("duplicate?", class_name="dup-flag", title="Likely the same posting as job #" + row.duplicate_of.to(str) + " from another source")),
            rx.cond(row.link_status == "closed", rx.el.span("closed?", class_name="dup-flag", title="The posting may be closed: " + row.link_note,
                                                            aria_label="The posting may be closed: " + row.link_note, data_testid="closed-flag")),
            class_name="col-title",
        ),
        rx.el.td(row.company, class_name="col-company"),
        rx.el.td(row.location, class_name="col-location"),
        rx.el.td(status_select(row.status, lambda v: JobsState.set_row_status(row.id, v), aria_label="Status of " + row.title), class_name="col-status"),
        rx.el.td(rx.cond(row.fit_score, rx.el.span(row.fit_score, class_name="fit"), rx.el.span("–", class_name="muted")), class_name="col-fit_score"),
        rx.el.td(
            rx.cond(row.last_run_status != "", rx.el.span(row.last_run_status, class_name="badge run-" + row.last_run_status, data_testid="row-run-status")),
            rx.el.button("▶", on_click=JobsState.process_row(row.id), class_name="icon-btn play", title="Process this job", aria_label="Process " + row.title),
            class_name="col-last_run_status",
        ),
        rx.el.td(row.source, class_name="col-source muted"),
        rx.el.td(row.updated_at.to(str)[:10], class_name="col-updated_at muted"),
        class_name=rx.cond(focused, "row focused", rx.cond(selected, "row selected", "row")),
        data_testid="job-row",
        data_job_id=row.id,
    )


def job_table() -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.thead(
                rx.el.tr(
                    rx.el.th(
                        rx.el.input(type="checkbox", checked=JobsState.page_all_selected, on_change=JobsState.toggle_page, aria_label="Select this page", data_testid="select-page"),
                        class_name="col-check",
                    ),
                    *[header_cell(k, label) for k, label in COLUMNS],
                )
            ),
            rx.el.tbody(rx.foreach(JobsState.rows, row_view)),
            class_name="jobs",
        ),
        rx.cond(
            JobsState.total == 0,
            rx.el.div(
                rx.cond(JobsState.filters_active, "No job matches these filters.", "No jobs yet: import a file or paste a posting."),
                class_name="empty",
            ),
        ),
        class_name="table-wrap",
    )


def pager() -> rx.Component:
    return rx.el.div(
        rx.el.span(JobsState.range_label, data_testid="range-label"),
        rx.el.div(class_name="grow"),
        rx.el.button(rx.el.span("‹ ", aria_hidden="true"), "Prev", on_click=JobsState.go_page(JobsState.page - 1), disabled=JobsState.page <= 1, class_name="btn", title="Previous page"),
        rx.el.span("page ", JobsState.page, " / ", JobsState.pages, class_name="muted"),
        rx.el.button("Next", rx.el.span(" ›", aria_hidden="true"), on_click=JobsState.go_page(JobsState.page + 1), disabled=JobsState.page >= JobsState.pages, class_name="btn", title="Next page"),
        rx.el.select(
            *[rx.el.option(f"{n} / page", value=str(n)) for n in PAGE_SIZES],
            value=JobsState.page_size.to(str),
            on_change=JobsState.set_page_size,
            aria_label="Page size",
        ),
        class_name="pager",
    )


def jobs_region() -> rx.Component:
    """The view switch, the shared toolbar (its filters apply to every view) and the chosen view."""
    return rx.el.section(view_tabs(), toolbar(), view_panel(rx.fragment(selection_bar(), job_table(), pager())), class_name="jobs-region", aria_label="Jobs")
