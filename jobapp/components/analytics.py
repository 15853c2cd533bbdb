"""The Analytics view ("Your numbers"): the funnel, applications and answers per week, response
rates by source, fit band and CV template, days to the first answer, and fit against outcome.

Why every chart sits in a role="img" box named by a summary sentence, with a table beside or
under it: the charts are SVG drawings a screen reader cannot read; the sentence and the table
say the same numbers in words. Charts fill their card's width (recharts' ResponsiveContainer),
so the view fits a 390 px phone without sideways scrolling. Styles: assets/analytics.css."""

from __future__ import annotations

import reflex as rx

from jobapp.state.analytics import AnalyticsState as A
from pipeline.store.analytics import MIN_GROUP, MIN_OUTCOMES

APPLIED_COLOR = "#4f46e5"  # the app's accent
ANSWERED_COLOR = "#15803d"
RATE_COLOR = "#0e7490"
NO_A11Y_LAYER = {"accessibilityLayer": False}  # the chart is a picture (role=img), not a keyboard widget


def _card(title: str, key: str, *children: rx.Component) -> rx.Component:
    heading = f"analytics-{key}-title"
    return rx.el.section(rx.el.h3(title, id=heading, class_name="an-title"), *children, class_name="an-card",
                         aria_labelledby=heading, data_testid=f"analytics-{key}")  # fmt: skip


def _chart(summary, chart: rx.Component, key: str) -> rx.Component:
    return rx.el.div(chart, role="img", aria_label=summary, class_name="an-chart", data_testid=f"chart-{key}")


def _axes(x_key: str, *, y_unit: str = "", y_max: int | None = None, every_tick: bool = True) -> list[rx.Component]:
    """Grid, axes and tooltip; `every_tick=False` lets recharts drop labels that would overlap (8 weeks on a phone)."""
    y = {"domain": [0, y_max]} if y_max else {}
    return [
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
        rx.recharts.x_axis(data_key=x_key, interval=0 if every_tick else "preserveStartEnd", min_tick_gap=4, tick={"fontSize": 11}),
        rx.recharts.y_axis(allow_decimals=False, width=46 if y_unit else 32, unit=y_unit, tick={"fontSize": 11}, **y),
        rx.recharts.graphing_tooltip(),
    ]


def _table(caption: str, headers: tuple[str, ...], rows, cells, *, hidden: bool = False) -> rx.Component:
    table = rx.el.table(
        rx.el.caption(caption, class_name="sr-only"),
        rx.el.thead(rx.el.tr(*[rx.el.th(h, scope="col") for h in headers])),
        rx.el.tbody(rx.foreach(rows, lambda r: rx.el.tr(*cells(r)))),
        class_name="an-table",
    )
    # A table cannot be narrower than its content, so a hidden one sits in a 1 px box (no sideways scroll).
    return rx.el.div(table, class_name="sr-only") if hidden else table


# ------------------------------------------------------------------ funnel


def _stage(row) -> rx.Component:
    return rx.el.li(
        rx.el.span(row["label"], class_name="an-stage"),
        rx.el.span(rx.el.span(class_name="an-bar-fill", style={"width": f"{row['width']}%"}), class_name="an-bar", aria_hidden="true"),
        rx.el.span(row["count"], class_name="an-count", data_testid="funnel-" + row["stage"].to(str)),
        rx.el.span(row["conversion"], class_name="an-conv muted"),
        class_name="an-funnel-row",
    )


def funnel_card() -> rx.Component:
    return _card(
        "Funnel", "funnel",
        rx.el.ol(rx.foreach(A.funnel, _stage), class_name="an-funnel", aria_label=A.funnel_summary),
        rx.el.p("Processed: a finished run. Responded: an interview, an offer or a rejection after applying. "
                "Each percentage is of the stage above.", class_name="an-note muted"),
    )  # fmt: skip


# ------------------------------------------------------------------ weeks


def weeks_card() -> rx.Component:
    chart = rx.recharts.bar_chart(
        *_axes("week", every_tick=False),
        rx.recharts.legend(),
        rx.recharts.bar(data_key="applied", name="Applied", fill=APPLIED_COLOR, max_bar_size=28, is_animation_active=False),
        rx.recharts.bar(data_key="responded", name="Answered", fill=ANSWERED_COLOR, max_bar_size=28, is_animation_active=False),
        data=A.weeks, margin={"top": 8, "right": 8, "left": 0, "bottom": 0}, custom_attrs=NO_A11Y_LAYER,
    )
    return _card(
        "Applications and answers per week", "weeks",
        rx.cond(
            A.weeks_empty,
            rx.el.p(A.weeks_summary, class_name="an-empty"),
            rx.fragment(
                _chart(A.weeks_summary, chart, "weeks"),
                _table("Applications and answers per week", ("Week of", "Applied", "Answered"), A.weeks,
                       lambda r: [rx.el.td(r["week"]), rx.el.td(r["applied"]), rx.el.td(r["responded"])], hidden=True),
            ),
        ),
    )  # fmt: skip


# ------------------------------------------------------------------ rates


def _rate_cell(r) -> rx.Component:
    return rx.el.td(r["label"], class_name=rx.cond(r["too_few"], "muted", ""))


def rate_card(title: str, key: str, rows, chart_data, summary, group_header: str) -> rx.Component:
    chart = rx.recharts.bar_chart(
        *_axes("group", y_unit="%", y_max=100),
        rx.recharts.bar(data_key="rate", name="Response rate", fill=RATE_COLOR, unit="%", max_bar_size=56, is_animation_active=False),
        data=chart_data, margin={"top": 8, "right": 8, "left": 0, "bottom": 0}, custom_attrs=NO_A11Y_LAYER,
    )
    return _card(
        title, key,
        rx.cond(
            rows.length() == 0,
            rx.el.p("No applications yet.", class_name="an-empty"),
            rx.fragment(
                rx.cond(chart_data.length() > 0, _chart(summary, chart, key),
                        rx.el.p(f"Every group has fewer than {MIN_GROUP} applications: too few to compare.", class_name="an-empty")),
                _table(title, (group_header, "Applied", "Answered", "Rate"), rows,
                       lambda r: [rx.el.th(r["group"], scope="row"), rx.el.td(r["applied"]), rx.el.td(r["responded"]), _rate_cell(r)]),
            ),
        ),
    )  # fmt: skip


# ------------------------------------------------------------------ days to response


def days_card() -> rx.Component:
    chart = rx.recharts.bar_chart(
        *_axes("bucket"),
        rx.recharts.bar(data_key="count", name="Answers", fill=ANSWERED_COLOR, max_bar_size=56, is_animation_active=False),
        data=A.days, margin={"top": 8, "right": 8, "left": 0, "bottom": 0}, custom_attrs=NO_A11Y_LAYER,
    )
    return _card(
        "Days to first response", "days",
        rx.cond(
            A.answers == 0,
            rx.el.p("No answers yet: the days from applying to the first answer show here.", class_name="an-empty"),
            rx.fragment(
                rx.el.p("Median ", rx.el.b(A.days_median, data_testid="days-median"), " over ", A.answers, " answers",
                        class_name="an-big"),
                _chart(A.days_summary, chart, "days"),
                _table("Answers by days to first response", ("Days", "Answers"), A.days,
                       lambda r: [rx.el.td(r["bucket"]), rx.el.td(r["count"])], hidden=True),
            ),
        ),
    )  # fmt: skip


# ------------------------------------------------------------------ fit against outcome


def outcomes_card() -> rx.Component:
    chart = rx.recharts.scatter_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.x_axis(data_key="fit", type_="number", name="Fit", domain=[0, 100], tick={"fontSize": 11}),
        rx.recharts.y_axis(data_key="outcome", type_="category", name="Outcome", width=78, allow_duplicated_category=False,
                           tick={"fontSize": 11}),
        rx.recharts.graphing_tooltip(),
        rx.recharts.scatter(data=A.points, name="Applications", fill=APPLIED_COLOR, is_animation_active=False),
        margin={"top": 8, "right": 12, "left": 0, "bottom": 0}, custom_attrs=NO_A11Y_LAYER,
    )  # fmt: skip
    return _card(
        "Fit score against outcome", "outcomes",
        rx.cond(
            A.enough_outcomes,
            rx.fragment(
                _chart(A.outcomes_note, chart, "outcomes"),
                _table("Outcomes by fit score", ("Outcome", "Applications", "Median fit"), A.outcomes,
                       lambda r: [rx.el.th(r["outcome"], scope="row"), rx.el.td(r["count"]), rx.el.td(r["median_fit"])]),
            ),
            rx.el.p(A.outcomes_note, class_name="an-empty", data_testid="outcomes-not-enough"),
        ),
        rx.el.p(f"An outcome: an offer, an interview, a rejection, or no answer 30 days after applying; "
                f"the chart needs {MIN_OUTCOMES}.", class_name="an-note muted"),
    )  # fmt: skip


# ------------------------------------------------------------------ the view


def empty_state() -> rx.Component:
    return rx.el.div(
        rx.el.p(rx.el.b("No numbers yet.")),
        rx.el.p("Process a few jobs and move the ones you send to Applied (in the table or on the board). "
                "The funnel, weekly applications, response rates and days to an answer then show here."),
        class_name="an-card an-empty-state", data_testid="analytics-empty",
    )  # fmt: skip


def analytics_view() -> rx.Component:
    """The whole view; reads the owner's numbers each time it opens."""
    return rx.el.section(
        rx.el.div(
            rx.el.h2("Your numbers", id="analytics-title", class_name="an-heading"),
            rx.el.button("Refresh", type="button", on_click=A.load, class_name="btn small", disabled=A.loading,
                         data_testid="analytics-refresh"),
            rx.el.span(rx.cond(A.loading, "Loading…", ""), class_name="muted", role="status"),
            class_name="an-head",
        ),
        rx.el.p("All your jobs, whatever the search and filters above (they apply to the table and the board).",
                class_name="an-note muted an-scope"),
        rx.cond(
            A.loaded,
            rx.cond(
                A.empty,
                empty_state(),
                rx.el.div(
                    funnel_card(),
                    weeks_card(),
                    rate_card("Response rate by source", "source", A.source_rows, A.source_chart, A.source_summary, "Source"),
                    rate_card("Response rate by fit band", "fit", A.fit_rows, A.fit_chart, A.fit_summary, "Fit band"),
                    rate_card("Response rate by CV template", "template", A.template_rows, A.template_chart, A.template_summary, "Template"),
                    days_card(),
                    outcomes_card(),
                    class_name="an-grid",
                ),
            ),
        ),
        class_name="analytics", aria_labelledby="analytics-title", data_testid="analytics-view",
        on_mount=A.load,
    )  # fmt: skip
