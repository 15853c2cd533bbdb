"""The editor's print tools: the job's layout (template, paper, ATS-safe text, page budget), the
layout check, "Fit to N pages", the ATS read-back and the live print preview.

A state mixin: EditorState (jobapp/state/editor.py) is built from it, so these handlers are
EditorState's and read its subject, kind, run and version. The work is in `pipeline`: this
module only calls it and turns results into what the page shows."""

from __future__ import annotations

import reflex as rx

from jobapp.state.ats_views import AtsView, ats_view
from jobapp.state.base import AppState, in_session
from pipeline.documents.layout import CV_PAGE_BUDGETS, LETTER_PAGES, Layout
from pipeline.render.templates import DEFAULT_PAGE_SIZE, DEFAULT_TEMPLATE


class DocumentTools(AppState, mixin=True):
    template: str = DEFAULT_TEMPLATE
    page_size: str = DEFAULT_PAGE_SIZE
    ats_safe: bool = False
    cv_pages: int = 2
    layout: str = ""  # what the layout check found, in words
    spill: bool = False
    over_budget: bool = False
    fitting: bool = False
    fit_message: str = ""
    fit_removed: list[str] = []
    ats: AtsView = AtsView()
    ats_busy: bool = False
    show_print_preview: bool = False
    print_preview: str = ""
    preview_key: int = 0  # a new frame for each document shown
    _layout_seq: int = 0  # only the newest layout check may write its answer

    def _layout(self) -> Layout:
        return Layout(template=self.template, page_size=self.page_size, ats_safe=self.ats_safe, cv_pages=self.cv_pages)

    def _reset_tools(self) -> None:
        self.layout, self.spill, self.over_budget = "", False, False
        self.fit_message, self.fit_removed = "", []
        self.ats, self.show_print_preview, self.print_preview = AtsView(), False, ""

    async def _load_layout(self) -> None:
        """The job's stored layout, and the ATS check kept with the current version for it."""
        from pipeline.cv.ats_check import stored_check
        from pipeline.runs.documents import run_layout

        if not self.run_id:
            return
        _, layout = await in_session(run_layout, run_id=self.run_id, owner=self._owner())
        self.template, self.page_size, self.ats_safe, self.cv_pages = layout.template, layout.page_size, layout.ats_safe, layout.cv_pages
        if self.kind == "cv":
            import asyncio

            found = await asyncio.to_thread(stored_check, run_id=self.run_id, owner=self._owner(), layout=layout)
            self.ats = ats_view(found) if found else AtsView()

    async def _keep_layout(self):
        """Store the choice on the job, then re-check the layout (and the preview when it is open)."""
        from pipeline.runs.documents import set_run_layout

        if self.run_id:
            await in_session(set_run_layout, run_id=self.run_id, layout=self._layout(), owner=self._owner())
        self.ats = AtsView()  # a check applies to one layout
        events = [self.__class__.check_layout]
        if self.show_print_preview:
            events.append(self.__class__.refresh_print_preview)
        return events

    @rx.event
    async def set_template(self, value: str):
        self.template = Layout.of({"template": value}).template
        return await self._keep_layout()

    @rx.event
    async def set_page_size(self, value: str):
        self.page_size = Layout.of({"page_size": value}).page_size
        return await self._keep_layout()

    @rx.event
    async def toggle_ats(self):
        self.ats_safe = not self.ats_safe
        return await self._keep_layout()

    @rx.event
    async def set_cv_pages(self, value: str):
        self.cv_pages = int(value) if value.isdigit() and int(value) in CV_PAGE_BUDGETS else 2
        return await self._keep_layout()

    @rx.event
    async def toggle_print_preview(self):
        self.show_print_preview = not self.show_print_preview
        if self.show_print_preview:
            return self.__class__.refresh_print_preview

    @rx.event
    async def refresh_print_preview(self):
        """The exact document the PDF is printed from, shown in a sandboxed frame."""
        from pipeline.cv.editing import cv_source
        from pipeline.runs.documents import current_letter, cv_html_document, letter_html_document

        owner = self._owner()
        self.preview_key += 1
        if self.kind == "letter":
            letter = await in_session(current_letter, run_id=self.run_id, owner=owner)
            self.print_preview = letter_html_document(letter, page_size=self.page_size) if letter else ""
        else:
            cv = await in_session(cv_source, subject=self.subject, owner=owner)
            self.print_preview = cv_html_document(cv, template=self.template, page_size=self.page_size, ats_safe=self.ats_safe) if cv else ""

    @rx.event(background=True)
    async def check_layout(self):
        """Print the document (cached by content) to report its pages against the budget."""
        from pipeline.cv.editing import cv_source
        from pipeline.runs.documents import current_letter, cv_pdf, letter_pdf

        async with self:
            subject, kind, run_id, layout = self.subject, self.kind, self.run_id, self._layout()
            if not subject:
                return
            owner = self._owner()
            self._layout_seq += 1
            seq = self._layout_seq
            self.layout = "checking layout…"
        budget = LETTER_PAGES if kind == "letter" else layout.cv_pages
        try:
            if kind == "letter":
                letter = await in_session(current_letter, run_id=run_id, owner=owner)
                pdf = (await letter_pdf(letter, page_size=layout.page_size))[1] if letter else None
            else:
                cv = await in_session(cv_source, subject=subject, owner=owner)
                pdf = (await cv_pdf(cv, template=layout.template, page_size=layout.page_size, ats_safe=layout.ats_safe))[1] if cv else None
        except Exception as exc:  # noqa: BLE001  (the editor keeps working without a layout check)
            async with self:
                if seq == self._layout_seq:
                    self.layout, self.spill, self.over_budget = f"layout check failed: {exc}", False, False
            return
        async with self:
            if seq != self._layout_seq:  # a newer check (another budget, template or version) is under way
                return
            if pdf is None:
                self.layout = ""
                return
            plural = "s" if pdf.pages != 1 else ""
            over = run_id > 0 and pdf.pages > budget
            self.layout = f"{pdf.pages} page{plural} ({layout.page_size})" + (f": over the {budget}-page budget" if over else "")
            self.spill, self.over_budget = pdf.spill, over

    @rx.event(background=True)
    async def fit_pages(self, dirty: bool = False):
        """Shorten the tailored CV to the page budget and save it as a new version."""
        from pipeline.cv.fitting import fit_cv

        if dirty:
            yield rx.toast.warning("Save your edits first, then fit: the fit works on the saved version.")
            return
        async with self:
            if self.kind != "cv" or not self.run_id or self.fitting:
                return
            run_id, base, layout, owner = self.run_id, self.version, self._layout(), self._owner()
            self.fitting, self.fit_message, self.fit_removed = True, f"Fitting to {layout.cv_pages} page{'s' if layout.cv_pages != 1 else ''}…", []
        try:
            result = await fit_cv(run_id=run_id, owner=owner, base=base, layout=layout)
        except Exception as exc:  # noqa: BLE001  (a failed fit changes nothing)
            async with self:
                self.fitting, self.fit_message = False, f"The fit failed and nothing was changed: {exc}"
            return
        async with self:
            self.fitting = False
            if result is None:
                self.fit_message = "This run has no CV to fit."
                return
            outcome, saved = result.outcome, result.saved
            if saved is not None and saved.conflict:
                self.fit_message = f"Version {saved.version} was saved while the fit ran, so the fit was not saved. Nothing was lost: fit again."
                return
            self.fit_message = outcome.message
            self.fit_removed = list(outcome.removed if outcome.fits else outcome.would_remove)
        if saved is not None and saved.ok:
            yield self.__class__.reload_after_fit
            yield rx.toast.success(f"Saved as version {saved.version}. Restore version {base} to undo.")

    @rx.event(background=True)
    async def run_ats_check(self):
        """Print, read back and check the CV as an ATS would, against the master CV."""
        from pipeline.cv.ats_check import check_run_cv

        async with self:
            if self.kind != "cv" or not self.run_id or self.ats_busy:
                return
            run_id, layout, owner = self.run_id, self._layout(), self._owner()
            self.ats_busy = True
        try:
            result = await check_run_cv(run_id=run_id, owner=owner, layout=layout)
        except Exception as exc:  # noqa: BLE001  (shown, never a crash of the editor)
            async with self:
                self.ats_busy = False
            yield rx.toast.error(f"The ATS check could not read the exported file: {exc}")
            return
        async with self:
            self.ats_busy = False
            self.ats = ats_view(result) if result else AtsView()
