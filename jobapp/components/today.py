"""The Today panel: follow-ups due (overdue first) and this week's interviews, opened from the
header ("Today" or "N overdue"). A Radix dialog, like Settings: it fits a phone (390 px), keeps
the focus inside, returns it to the Today button, and does not compete with the jobs region's
Table | Board switch. Each line opens its job in the inspector; a follow-up can be marked done."""

from __future__ import annotations

import reflex as rx

from jobapp.state.today import ZONE_SCRIPT, TodayState
from pipeline.store.today import FollowUpItem, InterviewItem

T = TodayState


def _job_button(job_id: rx.Var[int], title: rx.Var[str], company: rx.Var[str]) -> rx.Component:
    return rx.el.button(
        rx.el.b(title), rx.el.span(" · ", company, class_name="muted"), type="button", on_click=T.open_job(job_id),
        class_name="today-job", title="Open this job in the inspector",
    )


def _follow_up(item: rx.Var[FollowUpItem]) -> rx.Component:
    return rx.el.li(
        _job_button(item.job_id, item.title, item.company),
        rx.el.span(item.label, class_name=rx.cond(item.overdue, "today-due overdue", "today-due"), data_testid="today-due-label"),
        rx.el.button("Done", type="button", on_click=T.mark_done(item.job_id), class_name="btn small",
                     aria_label="Mark the follow-up done: " + item.title, data_testid="today-done"),
        class_name="today-item", data_testid="today-follow-up",
    )


def _interview(item: rx.Var[InterviewItem]) -> rx.Component:
    return rx.el.li(
        _job_button(item.job_id, item.title, item.company),
        rx.el.span(rx.el.time(item.when, date_time=item.starts_at), " · ", item.kind,
                   rx.cond(item.with_whom != "", rx.el.span(" · ", item.with_whom)), class_name="today-due"),
        rx.cond(item.where != "", rx.el.span(item.where, class_name="muted small today-where")),
        class_name="today-item", data_testid="today-interview",
    )


def _section(title: str, items: rx.Var, render, empty: str, testid: str) -> rx.Component:
    return rx.el.section(
        rx.el.h3(title, class_name="today-h"),
        rx.cond(items.length() > 0, rx.el.ul(rx.foreach(items, render), class_name="today-list", data_testid=testid),
                rx.el.p(empty, class_name="muted small")),
        aria_label=title,
    )


def today_button() -> rx.Component:
    """The header's "Today" pill (the dialog's trigger) and the panel it opens."""
    return rx.dialog.root(
        rx.dialog.trigger(rx.el.button(
            "Today", rx.cond(T.due_count > 0, rx.el.b(" ", T.due_count.to(str))),
            on_mount=rx.call_script(ZONE_SCRIPT, callback=T.set_zone), class_name="pill pill-btn",
            title="Follow-ups due and this week's interviews", data_testid="open-today",
        )),
        rx.dialog.content(
            rx.el.div(
                rx.dialog.title("Today", class_name="settings-title"),
                rx.dialog.close(rx.el.button("×", class_name="icon-btn", aria_label="Close Today", type="button")),
                class_name="detail-head",
            ),
            rx.dialog.description(
                "Follow-ups due (overdue first) and interviews in the next seven days, in your time zone. "
                "Choose a job to open it; Done clears its follow-up day.",
                class_name="muted small",
            ),
            _section("Follow-ups due", T.follow_ups, _follow_up, "Nothing to follow up today.", "today-follow-ups"),
            _section("Interviews this week", T.interviews, _interview, "No interviews in the next seven days.", "today-interviews"),
            rx.el.div(rx.dialog.close(rx.el.button("Close", type="button", class_name="btn")), class_name="dialog-foot row-gap"),
            class_name="settings-panel today-panel",
            data_testid="today-panel",
        ),
        open=T.shown,
        on_open_change=T.set_shown,
    )


def overdue_pill() -> rx.Component:
    """"N overdue" (follow-ups past their day): opens the Today panel; hidden when nothing is overdue."""
    return rx.cond(
        T.overdue > 0,
        rx.el.button(
            rx.el.b(T.overdue.to(str)), " overdue", type="button", on_click=T.set_shown(True), class_name="pill pill-btn pill-warn",
            title="Follow-ups past their day: open Today", data_testid="header-overdue",
        ),
    )
