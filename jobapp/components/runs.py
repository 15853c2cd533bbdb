"""Bottom panel: runs with progress, and the live log of the followed runs."""

from __future__ import annotations

import reflex as rx

from jobapp.state.detail import DetailState
from jobapp.state.runs import LogView, RunsState, RunView


def run_row(run: RunView) -> rx.Component:
    active = (run.status == "queued") | (run.status == "running") | (run.status == "held")
    followed = RunsState.follow_ids.contains(run.id)
    return rx.el.li(
        rx.el.div(
            rx.el.button("#", run.id.to(str), " ", run.title, on_click=RunsState.follow_run(run.id), class_name="run-title", title="Follow this run's log"),
            rx.el.span(run.company, class_name="muted run-company"),
            rx.el.span(run.status, class_name="badge run-" + run.status, data_testid="run-status"),
            class_name="run-head",
        ),
        rx.el.div(
            rx.el.div(rx.el.div(class_name="bar-fill run-" + run.status, style={"width": run.progress.to(str) + "%"}), class_name="bar", role="progressbar",
                      aria_label="Progress of run #" + run.id.to(str), aria_valuenow=run.progress, aria_valuemin=0, aria_valuemax=100, data_testid="run-progress"),
            rx.el.span(rx.cond(run.step != "", run.step, "waiting"), class_name="muted run-step"),
            rx.el.span(run.elapsed, class_name="muted"),
            rx.el.span(run.cost, class_name="muted run-cost", title="spent vs estimated", data_testid="run-cost"),
            rx.cond(run.status == "held", rx.el.button("Resume", on_click=RunsState.resume(run.id), class_name="btn small primary",
                                                       aria_label="Resume run #" + run.id.to(str), data_testid="run-resume")),
            rx.cond(active, rx.el.button(rx.cond(run.cancel_requested, "Stopping…", "Cancel"), on_click=RunsState.cancel(run.id), class_name="btn small", disabled=run.cancel_requested, data_testid="run-cancel")),
            rx.cond((run.status == "failed") | (run.status == "cancelled") | (run.status == "interrupted"),
                    rx.el.button("Retry", on_click=RunsState.retry(run.id), class_name="btn small", data_testid="run-retry")),
            rx.cond(run.status == "succeeded", rx.el.button("Open", on_click=DetailState.open(run.job_id), class_name="btn small", data_testid="run-open")),
            rx.cond(run.trace_url != "", rx.el.a("Trace ↗", href=run.trace_url, target="_blank", rel="noopener noreferrer", class_name="btn small",
                                                 aria_label="LangSmith trace of run #" + run.id.to(str), data_testid="run-trace")),
            class_name="run-body",
        ),
        rx.cond(run.reason != "", rx.el.div(run.reason, class_name="run-reason")),
        class_name=rx.cond(followed, "run followed", "run"),
        data_testid="run-row",
    )


def log_line(line: LogView) -> rx.Component:
    return rx.el.div(
        rx.el.span(line.ts, class_name="lg-ts"),
        rx.el.span("#", line.run_id.to(str), class_name="lg-run"),
        rx.el.span(line.level, class_name="lg-level lg-" + line.level),
        rx.el.span(line.step, class_name="lg-step"),
        rx.el.span(line.message, class_name="lg-msg"),
        class_name="lg lg-" + line.level,
        data_testid="log-line",
        key=line.key,  # keyed rows: React appends new lines instead of re-rendering the window
    )


def runs_panel() -> rx.Component:
    return rx.el.section(
        rx.el.div(
            rx.el.div(
                rx.el.h2("Runs", class_name="panel-title"),
                rx.el.span(RunsState.batch_text, class_name="muted", data_testid="batch-text"),
                rx.cond(RunsState.held_count > 0, rx.el.button("Resume held (", RunsState.held_count.to(str), ")", on_click=RunsState.resume_all,
                                                             class_name="btn small", data_testid="resume-held")),
                rx.el.button("Follow active", on_click=RunsState.follow_active, class_name="link"),
                class_name="panel-head",
            ),
            rx.cond(
                RunsState.runs.length() > 0,
                rx.el.ul(rx.foreach(RunsState.runs, run_row), class_name="runs-list"),
                rx.el.p("No runs yet: select jobs and press Process.", class_name="muted empty-small"),
            ),
            class_name="runs-col",
        ),
        rx.el.div(
            rx.el.div(
                rx.el.h2("Log", class_name="panel-title", id="log-title"),
                rx.el.span(RunsState.follow_label, class_name="muted", data_testid="log-following"),
                rx.el.div(class_name="grow"),
                rx.el.select(
                    rx.el.option("all levels", value="all"), rx.el.option("info+", value="info"),
                    rx.el.option("warnings+", value="warning"), rx.el.option("errors", value="error"),
                    value=RunsState.level, on_change=RunsState.set_level, aria_label="Log level", data_testid="log-level",
                ),
                rx.el.input(placeholder="filter log…", default_value=RunsState.text, on_change=RunsState.set_text.debounce(200),
                            class_name="log-filter", aria_label="Filter log", data_testid="log-filter"),
                rx.el.button(rx.cond(RunsState.paused, "Resume", "Pause"), on_click=RunsState.toggle_pause, class_name="btn small", data_testid="log-pause"),
                class_name="panel-head",
            ),
            rx.el.div(
                rx.cond(RunsState.has_older, rx.el.button("Load older lines", on_click=RunsState.load_older, class_name="link")),
                rx.foreach(RunsState.lines, log_line),
                id="log-view",
                class_name="log-view",
                role="log",  # focusable so the keyboard can scroll it; not read aloud line by line (the
                aria_live="off",  # runs list above carries each run's status and progress)
                aria_labelledby="log-title",
                tab_index=0,
                data_testid="log-view",
            ),
            class_name="log-col",
        ),
        class_name="bottom-panel",
        id="bottom-panel",
        aria_label="Runs and log",
    )
