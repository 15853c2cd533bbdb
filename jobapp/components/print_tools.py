"""Under the editable page: the job's layout (template, paper, ATS-safe text, page budget), the
layout check, "Fit to N pages", the ATS read-back panel, the live print preview, downloads."""

from __future__ import annotations

import reflex as rx

from jobapp import routes
from jobapp.state.ats_views import CoverageBar
from jobapp.state.editor import EditorState
from pipeline.documents.layout import CV_PAGE_BUDGETS
from pipeline.render.templates import PAGE_SIZE_LABELS, PAGE_SIZES, TEMPLATE_LABELS, TEMPLATES


def download(label: str, href, testid: str) -> rx.Component:
    # rx.el.a is a React Router link: reload_document lets the browser fetch and save the file.
    return rx.el.a(label, href=href, class_name="btn small", data_testid=testid, download="", reload_document=True)


def layout_bar() -> rx.Component:
    is_cv = EditorState.kind == "cv"
    return rx.el.div(
        rx.cond(is_cv, rx.el.select(*[rx.el.option(TEMPLATE_LABELS[t], value=t) for t in TEMPLATES],
                                    value=EditorState.template, on_change=EditorState.set_template, aria_label="CV template", data_testid="cv-template")),
        rx.el.select(*[rx.el.option(PAGE_SIZE_LABELS[s], value=s) for s in PAGE_SIZES],
                     value=EditorState.page_size, on_change=EditorState.set_page_size, aria_label="Page size"),
        rx.cond(is_cv & (EditorState.run_id > 0), rx.el.select(
            *[rx.el.option(f"{n} page{'s' if n != 1 else ''} max", value=str(n)) for n in CV_PAGE_BUDGETS],
            value=EditorState.cv_pages.to(str), on_change=EditorState.set_cv_pages, aria_label="Page budget", data_testid="cv-budget",
        )),
        rx.cond(is_cv, rx.el.label(rx.el.input(type="checkbox", checked=EditorState.ats_safe, on_change=EditorState.toggle_ats), " ATS-safe text", class_name="small")),
        rx.el.button("Check layout", on_click=EditorState.check_layout, class_name="btn small"),
        rx.el.button(rx.cond(EditorState.show_print_preview, "Hide preview", "Preview"), on_click=EditorState.toggle_print_preview,
                     class_name="btn small", aria_expanded=EditorState.show_print_preview, data_testid="print-preview-toggle"),
        rx.el.span(EditorState.layout, class_name=rx.cond(EditorState.over_budget, "warn-inline small", "muted small"), data_testid="cv-layout", aria_live="polite"),
        rx.cond(EditorState.spill, rx.el.span("a few lines spill onto the last page", class_name="warn-inline")),
        class_name="editor-bar",
    )


def fit_panel() -> rx.Component:
    """The fit button, and what the last fit did (or would have to do)."""
    budget = EditorState.cv_pages.to(str)
    return rx.el.div(
        rx.el.button(
            rx.cond(EditorState.fitting, "Fitting…", rx.cond(EditorState.cv_pages == 1, "Fit to 1 page", "Fit to " + budget + " pages")),
            on_click=rx.call_script("window.jobappEditor ? window.jobappEditor.isDirty() : false", callback=EditorState.fit_pages),
            disabled=EditorState.fitting, class_name="btn small", data_testid="fit-pages",
            title="Drop the bullets least relevant to this posting until the PDF fits; saved as a new version",
        ),
        rx.cond(EditorState.fit_message != "", rx.el.div(
            rx.el.p(EditorState.fit_message, data_testid="fit-message"),
            rx.cond(EditorState.fit_removed.length() > 0, rx.el.details(
                rx.el.summary("Lines ", rx.cond(EditorState.fit_message.contains("Cannot"), "it would have to remove", "removed"), " (", EditorState.fit_removed.length().to(str), ")"),
                rx.el.ul(rx.foreach(EditorState.fit_removed, lambda line: rx.el.li(line)), data_testid="fit-removed"),
            )),
            class_name="fit-result", role="status",
        )),
        class_name="editor-bar",
    )


def coverage_bar(bar: CoverageBar) -> rx.Component:
    """Master CV against tailored CV for one kind of term, as two labelled bars."""
    return rx.el.div(
        rx.el.span(bar.label, class_name="fb-label"),
        rx.el.div(
            rx.el.div(class_name="ats-before", style={"width": bar.before.to(str) + "%"}),
            rx.el.div(class_name="ats-after", style={"width": bar.after.to(str) + "%"}),
            class_name="ats-track", role="img",
            aria_label=bar.label + " coverage: master CV " + bar.before.to(str) + "%, tailored CV " + bar.after.to(str) + "%",
        ),
        rx.el.span(bar.before.to(str), " → ", bar.after.to(str), class_name="fb-value"),
        class_name="fb",
    )


def term(name) -> rx.Component:
    return rx.el.span(name, class_name="tag")


def ats_panel() -> rx.Component:
    a = EditorState.ats
    return rx.el.section(
        rx.el.div(
            rx.el.h3("What an ATS reads", id="ats-heading"),
            rx.el.button(rx.cond(EditorState.ats_busy, "Checking…", rx.cond(a.checked, "Check again", "Check the exported file")),
                         on_click=EditorState.run_ats_check, disabled=EditorState.ats_busy, class_name="btn small", data_testid="ats-check"),
            class_name="copy-head",
        ),
        rx.cond(a.checked, rx.el.div(
            rx.el.p(rx.el.strong(a.coverage.to(str), "% "), "of the posting's terms found in the exported PDF", rx.cond(a.pages != "", rx.el.span(" · ", a.pages)),
                    class_name="small", data_testid="ats-coverage"),
            rx.el.div(rx.el.span("master CV", class_name="legend ats-before"), rx.el.span("tailored CV", class_name="legend ats-after"), class_name="small muted"),
            rx.el.div(rx.foreach(a.bars, coverage_bar), class_name="fit-bars", data_testid="ats-chart"),
            rx.cond(a.problems.length() > 0,
                    rx.el.ul(rx.foreach(a.problems, lambda p: rx.el.li(p)), class_name="warn", data_testid="ats-problems"),
                    rx.el.p("No problems: name, e-mail and phone at the top, standard headings in order, fonts embedded, no text in images.", class_name="small")),
            rx.cond(a.missing.length() > 0, rx.el.div(rx.el.strong("Missing: "), rx.foreach(a.missing, term), class_name="tags missing")),
            rx.cond(a.gained.length() > 0, rx.el.div(rx.el.strong("Gained by tailoring: "), rx.foreach(a.gained, term), class_name="tags")),
            rx.el.p("Sections: ", a.sections, class_name="small muted"),
            rx.el.p(a.contact, class_name="small muted"),
        ), rx.el.p("Reads back the exported PDF and Word file as an applicant tracking system would, for this CV and your master CV.", class_name="small muted")),
        class_name="ats-panel", aria_labelledby="ats-heading", data_testid="ats-panel",
    )


def downloads() -> rx.Component:
    run_id = EditorState.run_id
    layout = (EditorState.template, EditorState.page_size, EditorState.ats_safe)  # what the links ask for
    return rx.cond(
        EditorState.kind == "letter",
        rx.el.div(
            download("letter.pdf", routes.letter_pdf(run_id, EditorState.page_size), "dl-letter-pdf"),
            download("cover_letter.docx", routes.letter_docx(run_id, EditorState.page_size), "dl-letter-docx"),
            download("cover_letter.md", routes.letter_md(run_id), "dl-letter-md"),
            class_name="editor-bar",
        ),
        rx.el.div(
            download("CV.pdf", routes.cv_pdf(run_id, *layout), "dl-cv-pdf"),
            download("CV.docx", routes.cv_docx(run_id, *layout), "dl-cv-docx"),
            download("dossier.pdf", routes.dossier_pdf(run_id, EditorState.page_size), "dl-dossier-pdf"),
            download("CV.md", routes.cv_md(run_id), "dl-cv-md"),
            download("Application pack (.zip)", routes.pack_zip(run_id, *layout), "dl-zip"),
            class_name="editor-bar",
        ),
    )


def print_tools() -> rx.Component:
    is_run = EditorState.run_id > 0
    return rx.el.div(
        layout_bar(),
        rx.cond(is_run & (EditorState.kind == "cv"), fit_panel()),
        # A new frame per document (keyed), created with its srcdoc: Chromium may leave a frame blank
        # when srcdoc changes after the frame was made.
        rx.cond(EditorState.show_print_preview & (EditorState.print_preview != ""), rx.el.iframe(
            src_doc=EditorState.print_preview, sandbox="", title="Print preview", class_name="print-preview", data_testid="print-preview",
            key=EditorState.preview_key.to(str),
        )),
        rx.cond(is_run, downloads()),
        rx.cond(is_run & (EditorState.kind == "cv"), ats_panel()),
    )
