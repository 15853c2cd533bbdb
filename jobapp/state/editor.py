"""The CV editor: the focused job's tailored CV, versions, conflicts, compare, layout check."""

from __future__ import annotations

import dataclasses

import reflex as rx

from jobapp.state.base import AppState, in_session
from jobapp.state.views import stamp
from pipeline.cv import OpenedCv, cv_source, open_cv, open_master_cv, restore_cv, save_cv, view_version
from pipeline.render.templates import DEFAULT_PAGE_SIZE, DEFAULT_TEMPLATE, PAGE_SIZES, TEMPLATES

MAX_EDITOR_BYTES = 400_000  # the editor refuses more before sending (websocket messages cap near 1 MB)


@dataclasses.dataclass
class ReviewView:
    line: str = ""
    present: bool = True
    accepted: bool = False


@dataclasses.dataclass
class VersionView:
    version: int = 0
    note: str = ""
    when: str = ""


def _views(cv: OpenedCv) -> tuple[list[VersionView], list[ReviewView]]:
    versions = [VersionView(version=v.version, note=v.note, when=stamp(v.created_at)) for v in cv.versions]
    return versions, [ReviewView(line=r.line, present=r.present, accepted=r.accepted) for r in cv.review]


class EditorState(AppState):
    """Edits one subject: a run's tailored CV (run_id) or a profile's master CV (profile_id)."""

    run_id: int = 0
    profile_id: int = 0
    version: int = 0
    html: str = ""
    versions: list[VersionView] = []
    compare: str = ""
    compare_summary: str = ""
    review: list[ReviewView] = []
    show_compare: bool = False
    preview_version: int = 0
    preview_html: str = ""
    conflict: bool = False
    mine_html: str = ""
    theirs_html: str = ""
    theirs_version: int = 0
    template: str = DEFAULT_TEMPLATE
    page_size: str = DEFAULT_PAGE_SIZE
    ats_safe: bool = False
    layout: str = ""
    spill: bool = False
    busy: bool = False

    @rx.var
    def subject(self) -> str:
        if self.run_id:
            return f"run:{self.run_id}"
        return f"profile:{self.profile_id}" if self.profile_id else ""

    @rx.event
    async def open(self, run_id: int):
        self.run_id, self.profile_id = run_id, 0
        self.conflict = False
        self.preview_version = 0
        await self._reload()

    @rx.event
    async def open_profile(self, profile_id: int):
        self.run_id, self.profile_id = 0, profile_id
        self.conflict, self.show_compare = False, False
        self.preview_version = 0
        self.layout, self.spill = "", False
        await self._reload()

    async def _reload(self) -> None:
        if self.run_id:
            cv = await in_session(open_cv, run_id=self.run_id, owner=self._owner())
        elif self.profile_id:
            cv = await in_session(open_master_cv, profile_id=self.profile_id, owner=self._owner())
        else:
            cv = None
        if cv is None:
            self.run_id = self.profile_id = 0
            return
        self.version, self.html = cv.version, cv.html
        self.compare, self.compare_summary = cv.compare, cv.compare_summary
        self.versions, self.review = _views(cv)

    @rx.event
    async def accept_line(self, line: str):
        from pipeline.runs.review import accept_line

        await in_session(accept_line, run_id=self.run_id, line=line, owner=self._owner())
        await self._reload()
        return rx.toast.success("Accepted: recorded in the job's history.")

    @rx.event
    def toggle_compare(self):
        self.show_compare = not self.show_compare

    @rx.event
    def set_template(self, value: str):
        self.template = value if value in TEMPLATES else DEFAULT_TEMPLATE

    @rx.event
    def set_page_size(self, value: str):
        self.page_size = value if value in PAGE_SIZES else DEFAULT_PAGE_SIZE

    @rx.event
    def toggle_ats(self):
        self.ats_safe = not self.ats_safe

    @rx.event
    async def save(self, html: str):
        """Called with the editor's HTML (sent by the page's Save button or Ctrl+S)."""
        if not self.subject:
            return
        if not isinstance(html, str) or not html:
            return rx.toast.error("Nothing to save.")
        if html == "__too_large__":
            return rx.toast.error(f"This CV is too large to save (the limit is {MAX_EDITOR_BYTES // 1000} kB). Nothing was sent; your text is still in the editor.")
        if len(html.encode("utf-8")) > MAX_EDITOR_BYTES:
            return rx.toast.error(f"This CV is too large to save ({len(html.encode()) // 1000} kB; the limit is {MAX_EDITOR_BYTES // 1000} kB). Remove pasted images or formatting.")
        base = self.version
        try:
            result = await in_session(save_cv, subject=self.subject, html=html, base=base, owner=self._owner())
        except (ValueError, LookupError) as exc:
            return rx.toast.error(str(exc))
        if result.conflict:
            from pipeline.render.sanitize import clean_editor_html

            self.conflict = True
            self.mine_html = clean_editor_html(html).html  # shown next to theirs: never raw browser HTML
            self.theirs_html = result.theirs.html if result.theirs else ""
            self.theirs_version = result.theirs.version if result.theirs else 0
            return rx.toast.warning(f"Version {self.theirs_version} was saved elsewhere after you started editing: compare and choose.")
        await self._reload()
        events = [rx.call_script(f"window.jobappEditor && window.jobappEditor.saved('{self.subject}')"), EditorState.check_layout]
        if result.version == base:
            events.append(rx.toast.info("No changes to save."))
        elif result.removed:
            events.append(rx.toast.warning(f"Saved version {result.version}. Removed for safety: {', '.join(result.removed)}."))
        else:
            events.append(rx.toast.success(f"Saved version {result.version}."))
        return events

    @rx.event
    async def keep_mine(self):
        """Resolve a conflict by saving my edit on top of the newest version."""
        self.version = self.theirs_version
        self.conflict = False
        return EditorState.save(self.mine_html)

    @rx.event
    async def take_theirs(self):
        self.conflict = False
        await self._reload()
        return rx.call_script(f"window.jobappEditor && window.jobappEditor.saved('{self.subject}')")

    @rx.event
    async def view_version(self, version: int):
        self.preview_version = version
        self.preview_html = await in_session(view_version, subject=self.subject, version=version, owner=self._owner())

    @rx.event
    def close_preview(self):
        self.preview_version = 0

    @rx.event
    async def restore(self, version: int):
        new = await in_session(restore_cv, subject=self.subject, version=version, owner=self._owner())
        self.preview_version = 0
        await self._reload()
        return [rx.toast.success(f"Restored version {version} as version {new}."), EditorState.check_layout]

    @rx.event(background=True)
    async def check_layout(self):
        """Render the PDF (cached by content) to report pages and spill-over."""
        from pipeline.runs.documents import cv_pdf

        async with self:
            subject = self.subject
            if not subject:
                return
            template, page_size, ats = self.template, self.page_size, self.ats_safe
            owner = self._owner()
            self.layout = "checking layout…"
        cv = await in_session(cv_source, subject=subject, owner=owner)
        if cv is None:
            async with self:
                self.layout = ""
            return
        try:
            _, pdf = await cv_pdf(cv, template=template, page_size=page_size, ats_safe=ats)
        except Exception as exc:  # noqa: BLE001  (the editor keeps working without a layout check)
            async with self:
                self.layout, self.spill = f"layout check failed: {exc}", False
            return
        async with self:
            self.layout = f"{pdf.pages} page{'s' if pdf.pages != 1 else ''} ({page_size})"
            self.spill = pdf.spill
