"""The profile panel (in the inspector): upload a CV, review the master CV, titles, matches."""

from __future__ import annotations

import reflex as rx

from jobapp import routes
from jobapp.components.editor import cv_editor
from jobapp.components.tabs import tab, tablist
from jobapp.components.upload import drop_zone
from jobapp.state.matches import MatchesState
from jobapp.state.profile import UPLOAD_ID, ProfileState
from jobapp.state.views import MatchView, QueryView, TitleView


def upload_zone() -> rx.Component:
    return drop_zone(
        rx.el.div(
            rx.cond(
                ProfileState.parsing,
                rx.el.p("Reading your CV…", data_testid="cv-parsing"),
                rx.el.div(
                    rx.el.p(rx.el.strong("Upload your CV"), " — drop a PDF, Word (.docx), Markdown or text file here, or click to choose."),
                    rx.el.p("Limit ", ProfileState.max_upload_mb, " MB. The file is kept; you review what was read before it is used.", class_name="muted small"),
                ),
            ),
            class_name="dropzone",
        ),
        id=UPLOAD_ID,
        label="Choose your CV file",
        multiple=False,
        max_files=1,
        on_drop=ProfileState.handle_upload(rx.upload_files(upload_id=UPLOAD_ID)),
        data_testid="cv-upload",
    )


def status_line() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.strong(ProfileState.name, data_testid="profile-name"),
            rx.el.span(" · from ", ProfileState.source, class_name="muted"),
            rx.cond(ProfileState.has_original, rx.el.a("original file", href=routes.profile_original(ProfileState.profile_id),
                                                         class_name="link small", download="", reload_document=True)),
        ),
        rx.cond(
            ProfileState.confirmed,
            rx.el.span("in use by runs", class_name="badge run-succeeded", data_testid="profile-status"),
            rx.el.div(
                rx.el.span("draft: check the master CV below, edit it if needed, then", class_name="small"),
                rx.el.button("Use this profile", on_click=ProfileState.confirm, class_name="btn primary small", data_testid="profile-confirm"),
                class_name="row-gap",
            ),
        ),
        rx.cond(ProfileState.warnings.length() > 0, rx.el.ul(rx.foreach(ProfileState.warnings, lambda w: rx.el.li(w)), class_name="warn small")),
        class_name="profile-status",
    )


def title_row(t: TitleView, i) -> rx.Component:
    return rx.el.li(
        rx.el.div(rx.el.strong(t.title, data_testid="title-text"), rx.el.span(t.reason, class_name="muted small"), class_name="title-main"),
        rx.el.div(
            rx.el.button("↑", on_click=ProfileState.move_title(i, -1), class_name="icon-btn", aria_label="Move " + t.title + " up", disabled=i == 0),
            rx.el.button("↓", on_click=ProfileState.move_title(i, 1), class_name="icon-btn", aria_label="Move " + t.title + " down",
                         disabled=i == ProfileState.titles.length() - 1),
            rx.el.button("✕", on_click=ProfileState.remove_title(i), class_name="icon-btn", aria_label="Remove " + t.title, data_testid="title-remove"),
            class_name="title-actions",
        ),
        class_name="title-row",
        data_testid="title-row",
    )


def titles_tab() -> rx.Component:
    return rx.el.div(
        rx.el.p("Job titles to search for, best first. Remove what does not fit, add your own, reorder.", class_name="muted small"),
        rx.el.ol(rx.foreach(ProfileState.titles, title_row), class_name="titles"),
        rx.el.form(
            rx.el.input(value=ProfileState.new_title, on_change=ProfileState.set_new_title, placeholder="Add a job title…",
                        aria_label="New job title", max_length=120, data_testid="title-new"),
            rx.el.button("Add", type="submit", class_name="btn small"),
            on_submit=lambda _: ProfileState.add_title(),
            class_name="row-gap",
        ),
        rx.el.div(
            rx.el.button("Find matches", on_click=MatchesState.find_matches, class_name="btn primary",
                         disabled=MatchesState.matching | (ProfileState.titles.length() == 0), data_testid="find-matches"),
            rx.el.button("Suggest titles from my CV", on_click=ProfileState.suggest_titles, class_name="btn small",
                         title="Replaces the list with titles suggested from the master CV as it is now", data_testid="suggest-titles"),
            class_name="row-gap",
        ),
    )


def query_row(q: QueryView) -> rx.Component:
    return rx.el.li(
        rx.el.span(q.title),
        rx.el.span(q.status, class_name="badge run-" + q.status, data_testid="query-status"),
        rx.cond(q.status == "succeeded", rx.el.span(q.results.to(str) + " jobs", class_name="muted small")),
        rx.cond(q.error != "", rx.el.span(q.error, class_name="error small")),
        class_name="query-row",
        data_testid="query-row",
    )


def match_row(m: MatchView) -> rx.Component:
    return rx.el.li(
        rx.el.span(m.score, class_name="fit", title="match score"),
        rx.el.div(
            rx.el.button(m.title, on_click=MatchesState.open_job(m.job_id), class_name="title-btn"),
            rx.el.span(m.company, rx.cond(m.location != "", " · " + m.location, ""), class_name="muted small"),
            rx.el.span("for ", m.matched, class_name="small"),
            rx.el.span(m.reasons, class_name="muted small"),
            class_name="match-main",
        ),
        rx.el.div(
            rx.cond(
                m.status == "shortlisted",
                rx.el.span("shortlisted", class_name="badge", data_testid="match-shortlisted"),
                rx.el.button("Shortlist", on_click=MatchesState.shortlist(m.job_id), class_name="btn small", data_testid="match-shortlist"),
            ),
            rx.el.button("Process", on_click=MatchesState.process(m.job_id), class_name="btn small", data_testid="match-process"),
            class_name="title-actions",
        ),
        class_name="match-row",
        data_testid="match-row",
    )


def matches_tab() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.button(rx.cond(MatchesState.matching, "Searching…", "Find matches"), on_click=MatchesState.find_matches,
                         class_name="btn primary small", disabled=MatchesState.matching),
            rx.el.span(MatchesState.batch_text, class_name="muted small", data_testid="match-progress"),
            class_name="row-gap",
        ),
        rx.el.ul(rx.foreach(MatchesState.queries, query_row), class_name="queries"),
        rx.cond(
            MatchesState.matches.length() > 0,
            rx.el.ol(rx.foreach(MatchesState.matches, match_row), class_name="matches"),
            rx.el.p(rx.cond(MatchesState.batch_id > 0, "No stored job matches these titles yet: import more postings (Import → job boards).",
                            "Find matches ranks the jobs in your table by each title and by your profile."), class_name="muted small"),
        ),
    )


def tab_button(key: str, label: str) -> rx.Component:
    return tab(label, selected=ProfileState.tab == key, on_click=ProfileState.set_tab(key), data_testid="profile-tab-" + key)


def profile_panel() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.h2("Profile"),
            rx.el.button("×", on_click=ProfileState.close, class_name="icon-btn sheet-close", aria_label="Close profile", data_sheet_close=True),
            class_name="detail-head",
        ),
        upload_zone(),
        rx.cond(
            ProfileState.has_profile,
            rx.el.div(
                status_line(),
                tablist(
                    tab_button("cv", "Master CV"),
                    tab_button("titles", "Titles (" + ProfileState.titles.length().to(str) + ")"),
                    tab_button("matches", "Matches"),
                    label="Profile",
                ),
                rx.match(ProfileState.tab, ("titles", titles_tab()), ("matches", matches_tab()), cv_editor()),
            ),
            rx.el.p("No profile yet: upload your CV to start.", class_name="muted"),
        ),
        class_name="detail profile-panel",
        data_testid="profile-panel",
    )
