"""The run's outreach messages (LinkedIn note, e-mail) as editable text with history."""

from __future__ import annotations

import dataclasses

import reflex as rx

from jobapp.state.base import AppState, in_session
from jobapp.state.views import stamp
from pipeline.cv.letter import LINKEDIN_NOTE_MAX, open_outreach, restore_outreach, save_outreach


@dataclasses.dataclass
class OutreachVersion:
    version: int = 0
    note: str = ""
    when: str = ""


class OutreachState(AppState):
    run_id: int = 0
    version: int = 0
    linkedin_note: str = ""
    email_subject: str = ""
    email_body: str = ""
    versions: list[OutreachVersion] = []
    dirty: bool = False

    @rx.var
    def note_count(self) -> str:
        return f"{len(self.linkedin_note)} / {LINKEDIN_NOTE_MAX}"

    @rx.var
    def note_over(self) -> bool:
        return len(self.linkedin_note) > LINKEDIN_NOTE_MAX

    @rx.var
    def email_text(self) -> str:
        return f"{self.email_subject}\n\n{self.email_body}" if self.email_subject else self.email_body

    @rx.event
    async def open(self, run_id: int):
        self.run_id = run_id
        await self._reload()

    async def _reload(self) -> None:
        doc = await in_session(open_outreach, run_id=self.run_id, owner=self._owner()) if self.run_id else None
        if doc is None:
            self.run_id, self.versions = 0, []
            return
        self.version, self.linkedin_note, self.email_subject, self.email_body = doc.version, doc.linkedin_note, doc.email_subject, doc.email_body
        self.versions = [OutreachVersion(version=v.version, note=v.note, when=stamp(v.created_at)) for v in doc.versions]
        self.dirty = False

    @rx.event
    def set_linkedin_note(self, value: str):
        self.linkedin_note, self.dirty = value, True

    @rx.event
    def set_email_subject(self, value: str):
        self.email_subject, self.dirty = value, True

    @rx.event
    def set_email_body(self, value: str):
        self.email_body, self.dirty = value, True

    @rx.event
    async def save(self):
        if not self.run_id:
            return
        try:
            result = await in_session(
                save_outreach, run_id=self.run_id, owner=self._owner(), base=self.version,
                linkedin_note=self.linkedin_note, email_subject=self.email_subject, email_body=self.email_body,
            )
        except (ValueError, LookupError) as exc:
            return rx.toast.error(str(exc))
        if result.conflict:
            return rx.toast.warning(f"Version {result.version} was saved elsewhere after you started editing; your text is still here. Copy it, reload, and save again.")
        unchanged = result.version == self.version
        await self._reload()
        return rx.toast.info("No changes to save.") if unchanged else rx.toast.success(f"Saved messages as version {result.version}.")

    @rx.event
    async def restore(self, version: int):
        new = await in_session(restore_outreach, run_id=self.run_id, owner=self._owner(), version=version)
        await self._reload()
        return rx.toast.success(f"Restored version {version} as version {new}.")
