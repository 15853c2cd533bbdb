"""The document editor: the focused job's tailored CV or cover letter (or the master CV), with
versions, restore, conflicts and compare; print tools come from DocumentTools."""

from __future__ import annotations

import dataclasses

import reflex as rx

from jobapp.state.base import AppState, in_session
from jobapp.state.document_tools import DocumentTools
from jobapp.state.views import stamp
from pipeline.cv import OpenedCv, open_cv, open_master_cv, restore_cv, save_cv, view_version
from pipeline.cv.letter import open_letter, regenerate_letter

MAX_EDITOR_BYTES = 400_000  # the editor refuses more before sending (websocket messages cap near 1 MB)


@dataclasses.dataclass
class ReviewView:
    line: str = ""
    present: bool = True
    accepted: bool = False
    kind: str = "untraceable"  # or what the claim check found: verb_inflation, number, scope, new_skill, date, title
    why: str = ""


@dataclasses.dataclass
class VersionView:
    version: int = 0
    note: str = ""
    when: str = ""


def _views(cv: OpenedCv) -> tuple[list[VersionView], list[ReviewView]]:
    versions = [VersionView(version=v.version, note=v.note, when=stamp(v.created_at)) for v in cv.versions]
    reviews = [
        ReviewView(line=r.line, present=r.present, accepted=r.accepted, kind=getattr(r, "kind", "untraceable"), why=getattr(r, "why", ""))
        for r in cv.review
    ]
    return versions, reviews


class EditorState(DocumentTools, AppState):
    """Edits one subject: a run's tailored CV or letter (run_id, kind) or a profile's master CV (profile_id)."""

    kind: str = "cv"  # "cv" or "letter" for a run's documents
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
    @rx.var
    def subject(self) -> str:
        if self.run_id:
            return f"{'letter' if self.kind == 'letter' else 'run'}:{self.run_id}"
        return f"profile:{self.profile_id}" if self.profile_id else ""

    @rx.event
    async def open(self, run_id: int):
        await self._open_run(run_id, "cv")

    @rx.event
    async def open_letter(self, run_id: int):
        await self._open_run(run_id, "letter")

    async def _open_run(self, run_id: int, kind: str) -> None:
        self.run_id, self.profile_id, self.kind = run_id, 0, kind
        self.conflict = False
        self.preview_version = 0
        self._reset_tools()
        await self._reload()
        await self._load_layout()

    @rx.event
    async def open_profile(self, profile_id: int):
        self.run_id, self.profile_id, self.kind = 0, profile_id, "cv"
        self.conflict, self.show_compare = False, False
        self.preview_version = 0
        self._reset_tools()
        await self._reload()

    async def _reload(self) -> None:
        if self.run_id and self.kind == "letter":
            cv = await in_session(open_letter, run_id=self.run_id, owner=self._owner())
        elif self.run_id:
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
    async def reload_after_fit(self):
        """The fitted version replaces the editor's content (drafts of the old one are dropped)."""
        await self._reload()
        return [rx.call_script(f"window.jobappEditor && window.jobappEditor.saved('{self.subject}')"), EditorState.check_layout]

    @rx.event
    async def regenerate(self):
        """The run's letter as the pipeline wrote it, as a new version (never over an edit)."""
        if self.kind != "letter" or not self.run_id:
            return
        try:
            result = await in_session(regenerate_letter, run_id=self.run_id, owner=self._owner(), base=self.version)
        except LookupError as exc:
            return rx.toast.error(str(exc))
        if result.conflict:
            return rx.toast.warning(f"Version {result.version} was saved elsewhere: open it again, then regenerate.")
        unchanged = result.version == self.version
        await self._reload()
        script = rx.call_script(f"window.jobappEditor && window.jobappEditor.saved('{self.subject}')")
        return [script, rx.toast.info("The letter already matches the run's letter.") if unchanged else rx.toast.success(f"Regenerated as version {result.version}.")]

    @rx.event
    async def save(self, html: str):
        """Called with the editor's HTML (sent by the page's Save button or Ctrl+S)."""
        if not self.subject:
            return
        if not isinstance(html, str) or not html:
            return rx.toast.error("Nothing to save.")
        if html == "__too_large__":
            return rx.toast.error(f"This document is too large to save (the limit is {MAX_EDITOR_BYTES // 1000} kB). Nothing was sent; your text is still in the editor.")
        if len(html.encode("utf-8")) > MAX_EDITOR_BYTES:
            return rx.toast.error(f"This document is too large to save ({len(html.encode()) // 1000} kB; the limit is {MAX_EDITOR_BYTES // 1000} kB). Remove pasted images or formatting.")
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
