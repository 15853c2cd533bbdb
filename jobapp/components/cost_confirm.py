"""The confirmation before a paid batch: what each job and the whole batch will cost, then Queue or Cancel.

A Radix alert dialog: focus stays inside while it is open, Escape cancels, the title labels it and
the description (the total) describes it; Cancel has the focus first, so Enter never spends by accident."""

from __future__ import annotations

import reflex as rx

from jobapp.state.cost_confirm import CostLine
from jobapp.state.jobs import JobsState


def _line(line: CostLine) -> rx.Component:
    return rx.el.tr(
        rx.el.td(rx.el.span(line.title, class_name="strong"), rx.el.br(), rx.el.span(line.company, class_name="muted")),
        rx.el.td(line.cost, class_name="num"),
        rx.el.td(line.tokens, class_name="muted num cost-tokens"),
        data_testid="cost-line",
    )


def cost_confirm_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Confirm the cost of this batch"),
            rx.alert_dialog.description(
                "Processing ", rx.el.b(JobsState.cost_count.to(str), " job(s)"), " with ", rx.el.b(JobsState.cost_models),
                " will cost about ", rx.el.b(JobsState.cost_total, data_testid="cost-total"), " (", JobsState.cost_tokens, "). ",
                "You asked to confirm batches that may cost more than ", JobsState.cost_threshold, " (", JobsState.cost_threshold_from, ").",
                class_name="cost-summary",
            ),
            rx.el.div(
                rx.el.table(
                    rx.el.caption("Estimated cost per job (low–high)", class_name="sr-only"),
                    rx.el.thead(rx.el.tr(rx.el.th("Job", scope="col"), rx.el.th("Cost", scope="col"), rx.el.th("Tokens", scope="col", class_name="cost-tokens"))),
                    rx.el.tbody(rx.foreach(JobsState.cost_lines, _line)),
                    class_name="grid-table cost-table",
                ),
                rx.cond(JobsState.cost_more > 0, rx.el.p("… and ", JobsState.cost_more.to(str), " more job(s), included in the total.", class_name="muted")),
                class_name="cost-scroll", tab_index=0, role="region", aria_label="Estimated cost per job",
            ),
            rx.foreach(JobsState.cost_notes, lambda note: rx.el.p(note, class_name="warn", data_testid="cost-note")),
            rx.el.p("A range: repairs of an invalid reply and retries are not included; the runs panel shows spent vs estimated.",
                    class_name="muted small"),
            rx.el.div(
                rx.alert_dialog.cancel(rx.el.button("Cancel", on_click=JobsState.cancel_cost, class_name="btn", auto_focus=True, data_testid="cost-cancel")),
                rx.el.button("Queue ", JobsState.cost_count.to(str), " run(s)", on_click=JobsState.confirm_cost,
                             class_name="btn primary", data_testid="cost-confirm"),
                class_name="dialog-foot cost-foot",
            ),
            max_width="640px",
            data_testid="cost-dialog",
        ),
        open=JobsState.cost_open,
        on_open_change=JobsState.set_cost_open,
    )
