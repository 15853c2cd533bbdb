"""The inspector: follows the focused row."""

from __future__ import annotations

import reflex as rx

from jobapp import routes
from jobapp.components.editor import cv_editor
from jobapp.components.outreach import outreach_editor
from jobapp.components.profile import profile_panel
from jobapp.components.table import status_select
from jobapp.components.tabs import tab, tablist
from jobapp.components.tracking import tracking_panel
from jobapp.state.detail import DetailState
from jobapp.state.profile import ProfileState
from jobapp.state.views import ArtifactLink, Bar, HistoryItem, Pain, Person
from pipeline.store.models import WRITING_LANGUAGES


def history_item(item: HistoryItem) -> rx.Component:
    return rx.el.li(
        rx.el.div(rx.el.span(item.kind.replace("_", " "), class_name="ev-kind ev-" + item.kind), rx.el.span(item.when, class_name="muted"), class_name="ev-head"),
        rx.el.div(item.message, class_name="ev-msg"),
        class_name="event",
        data_testid="history-item",
    )


def fit_bar(bar: Bar) -> rx.Component:
    return rx.el.div(
        rx.el.span(bar.label, class_name="fb-label"),
        rx.el.div(rx.el.div(class_name="fb-fill", style={"width": bar.value.to(str) + "%"}), class_name="fb-track"),
        rx.el.span(bar.value, class_name="fb-value"),
        class_name="fb",
    )


def pain_item(p: Pain) -> rx.Component:
    return rx.el.li(rx.el.strong(p.title), rx.cond(p.detail != "", rx.el.span(" — ", p.detail)), rx.el.blockquote(p.evidence), data_testid="pain-point")


def person_item(c: Person) -> rx.Component:
    return rx.el.li(
        rx.el.strong(c.role), ": ",
        rx.cond(c.name != "", rx.el.span(c.name, " (", c.source, ")"), rx.el.span("to find", class_name="muted")),
        rx.cond(c.placeholder, rx.el.span(" placeholder", class_name="tag")),
        rx.cond(c.search_url != "", rx.el.a(" search ↗", href=c.search_url, target="_blank", rel="noopener noreferrer nofollow")),
    )


def artifact_link(a: ArtifactLink) -> rx.Component:
    return rx.el.a(a.name, href=a.url, target="_blank", rel="noopener", class_name="artifact", data_testid="artifact-link", reload_document=True)


def skill_chip(name) -> rx.Component:
    return rx.el.span(name, class_name="tag")


def copy_block(label: str, text) -> rx.Component:
    return rx.el.div(
        rx.el.div(rx.el.strong(label), rx.el.button("Copy", on_click=[rx.set_clipboard(text), rx.toast.success(label + " copied.")], class_name="btn small"), class_name="copy-head"),
        rx.el.div(text, class_name="copy-text"),
        class_name="copy-block",
    )


def results_view() -> rx.Component:
    r = DetailState.result
    return rx.el.div(
        rx.el.h3("Result of run #", r.run_id.to(str)),
        rx.el.div(
            rx.el.div(rx.el.span(r.fit_score, class_name="fit-big", data_testid="fit-score"), rx.el.span("/100 fit", class_name="muted"), class_name="fit-score"),
            rx.el.div(rx.foreach(r.bars, fit_bar), class_name="fit-bars", data_testid="fit-chart"),
            class_name="fit-row",
        ),
        rx.cond(r.rationale != "", rx.el.p(r.rationale, class_name="muted")),
        rx.el.div(rx.el.strong("Matched: "), rx.foreach(r.matched, skill_chip), class_name="tags"),
        rx.el.div(rx.el.strong("Missing: "), rx.foreach(r.missing, skill_chip), class_name="tags missing"),
        rx.el.h3("Pain points"),
        rx.el.ol(rx.foreach(r.pains, pain_item), class_name="pains"),
        rx.el.h3("People to contact"),
        rx.el.ul(rx.foreach(r.people, person_item), class_name="people"),
        rx.el.h3("Outreach"),
        copy_block("LinkedIn note", r.linkedin_note),
        copy_block("Email", r.email_subject + "\n\n" + r.email_body),
        rx.el.p("As the run wrote them; edit and keep versions in the ", rx.el.button("Letter tab", on_click=DetailState.set_tab("letter"), class_name="link"), ".", class_name="muted small"),
        rx.cond(r.untraceable.length() > 0, rx.el.div(
            rx.el.strong("Check these CV lines: no source in the master CV"),
            rx.el.ul(rx.foreach(r.untraceable, lambda ln: rx.el.li(ln))), class_name="warn")),
        rx.el.h3("Files"),
        rx.el.div(rx.foreach(r.artifacts, artifact_link), class_name="artifacts"),
        rx.el.p("Prepared by ", r.model, " · cost ", r.cost, class_name="muted small"),
        class_name="results",
        data_testid="run-results",
    )


def detail_panel() -> rx.Component:
    job = DetailState.job
    return rx.el.aside(
        rx.cond(
            ProfileState.shown,
            profile_panel(),
            job_inspector(job),
        ),
        # A full-screen sheet on a phone while something is open in it (assets/phone.css, components/phone.py).
        class_name=rx.cond(DetailState.has_job | ProfileState.shown, "inspector sheet-open", "inspector"),
        tab_index=-1,
        aria_label=rx.cond(ProfileState.shown, "Your profile", "Job detail"),
    )


def job_inspector(job) -> rx.Component:
    return rx.el.div(
        rx.cond(
            DetailState.has_job,
            rx.el.div(
                rx.el.div(
                    rx.el.h2(job.title, data_testid="detail-title"),
                    rx.el.button("×", on_click=DetailState.close, class_name="icon-btn sheet-close", aria_label="Close detail", data_sheet_close=True),
                    class_name="detail-head",
                ),
                rx.el.div(
                    rx.el.span(job.company, class_name="strong"),
                    rx.cond(job.location != "", rx.el.span(" · ", job.location)),
                    class_name="detail-sub",
                ),
                rx.el.div(
                    status_select(job.status, DetailState.change_status, aria_label="Status", data_testid="detail-status"),
                    rx.el.span("source: ", job.source, class_name="muted"),
                    rx.cond(job.fit_score, rx.el.span("fit ", job.fit_score, class_name="fit")),
                    rx.cond(job.url != "", rx.el.a("Open posting ↗", href=job.url, target="_blank", rel="noopener noreferrer nofollow")),
                    rx.cond(job.company_url != "", rx.el.a("Company site ↗", href=job.company_url, target="_blank",
                                                           rel="noopener noreferrer nofollow", data_testid="company-site")),
                    class_name="detail-meta",
                ),
                language_select(),
                tablist(
                    tab_button("detail", "Detail"),
                    rx.cond(DetailState.has_result, tab_button("cv", "CV")),
                    rx.cond(DetailState.has_result, tab_button("letter", "Letter")),
                    rx.cond(DetailState.has_result, tab_button("dossier", "Dossier")),
                    label="Job",
                ),
                rx.match(
                    DetailState.tab,
                    ("cv", cv_editor()),
                    ("letter", rx.el.div(cv_editor(), outreach_editor())),
                    ("dossier", rx.el.div(
                        rx.el.a("Download dossier.pdf", href=routes.dossier_pdf(DetailState.result.run_id), class_name="btn small", download="", reload_document=True),
                        rx.html(DetailState.dossier, class_name="dossier", data_testid="dossier"),
                    )),
                    detail_body(job),
                ),
                class_name="detail",
            ),
            rx.el.div(
                rx.el.p("Select a job to see its posting, notes and history."),
                rx.el.p("Tip: / focuses search; click a title to open it here.", class_name="muted"),
                rx.el.p(rx.el.button("Open your profile", on_click=ProfileState.open, class_name="link"),
                        " to upload your CV, pick job titles and find matching jobs.", class_name="muted"),
                class_name="detail-empty",
            ),
        ),
    )


def language_select() -> rx.Component:
    """What the job's next run writes the letter, outreach and dossier in."""
    return rx.el.div(
        rx.el.label("Write in", html_for="job-language", class_name="small"),
        rx.el.select(
            rx.el.option(f"Posting's language ({DetailState.posting_language})", value=""),
            *[rx.el.option(name, value=code) for code, name in WRITING_LANGUAGES.items()],
            id="job-language", value=DetailState.language, on_change=DetailState.set_language,
            aria_describedby="job-language-hint", data_testid="job-language",
        ),
        rx.el.span("applies to the next run", id="job-language-hint", class_name="muted small"),
        class_name="detail-meta job-language-row",
    )


def tab_button(key: str, label: str) -> rx.Component:
    return tab(label, selected=DetailState.tab == key, on_click=DetailState.set_tab(key), data_testid="tab-" + key)


def detail_body(job) -> rx.Component:
    return rx.el.div(
        rx.cond(
            job.duplicate_of,
            rx.el.div(
                "Likely a duplicate of ",
                rx.el.button("job #", job.duplicate_of.to(str), on_click=DetailState.open(job.duplicate_of.to(int)), class_name="link"),
                " (same company, near-identical title and location, other source).",
                class_name="warn",
            ),
        ),
        rx.cond(job.tags.length() > 0, rx.el.div(rx.foreach(job.tags, lambda t: rx.el.span(t, class_name="tag")), class_name="tags")),
        tracking_panel(),
        rx.cond(DetailState.has_result, results_view()),
        rx.el.h3("Posting"),
        rx.html(job.posting_html, class_name="posting", data_testid="detail-description", tab_index=0, role="region", aria_label="Posting text"),
        rx.el.h3("Notes"),
        rx.el.form(
            rx.el.textarea(
                value=DetailState.note_draft,
                on_change=DetailState.set_note_draft,
                placeholder="Add a note (Ctrl+Enter to save)",
                rows=2,
                class_name="note-input",
                data_testid="note-input",
                max_length=5000,
            ),
            rx.el.button("Add note", type="submit", class_name="btn", data_testid="add-note"),
            on_submit=DetailState.submit_note,
            prevent_default=True,
            class_name="note-form",
        ),
        rx.el.h3("History"),
        rx.el.ul(rx.foreach(DetailState.history, history_item), class_name="history", data_testid="history"),
    )
