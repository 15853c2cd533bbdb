"""The inspector: the focused job's posting, status, notes and history."""

from __future__ import annotations

import reflex as rx

from jobapp.state import handoffs
from jobapp.state.base import AppState, in_session
from jobapp.state.job_language import JobLanguage
from jobapp.state.views import HistoryItem, JobDetail, RunResult, history_item, job_detail, result_view
from pipeline.runs.results import job_overview
from pipeline.store.jobs import add_note, new_key, set_status
from pipeline.store.models import JOB_STATUSES


class DetailState(JobLanguage, AppState):
    job_id: int = 0
    job: JobDetail = JobDetail()
    history: list[HistoryItem] = []
    note_draft: str = ""
    result: RunResult = RunResult()
    has_result: bool = False
    tab: str = "detail"
    dossier: str = ""

    @rx.var
    def has_job(self) -> bool:
        return self.job_id > 0

    @rx.event
    async def open(self, job_id: int):
        await handoffs.hide_profile(self)  # a job takes the inspector back from the profile
        self.job_id = job_id
        self.note_draft = ""
        await self._refresh()
        if not self.has_result:
            self.tab = "detail"
        return [e for e in (self._tab_event(), handoffs.load_tracking(job_id)) if e is not None]

    @rx.event
    async def set_tab(self, tab: str):
        self.tab = tab if tab in ("detail", "cv", "letter", "dossier") and (tab == "detail" or self.has_result) else "detail"
        return self._tab_event()

    def _tab_event(self):
        if self.tab == "cv":
            return handoffs.open_run_cv(self.result.run_id)
        if self.tab == "letter":
            return handoffs.open_run_letter(self.result.run_id)
        if self.tab == "dossier":
            return DetailState.load_dossier
        return None

    @rx.event
    async def load_dossier(self):
        from pipeline.runs.documents import dossier_html

        self.dossier = await in_session(dossier_html, run_id=self.result.run_id, owner=self._owner()) or "<p>No dossier for this run.</p>"

    @rx.event
    def close(self):
        self.job_id = 0

    @rx.event
    async def refresh(self):
        if self.job_id:
            await self._refresh()
            return handoffs.load_tracking(self.job_id)
        return None

    async def _refresh(self):
        found = await in_session(job_overview, job_id=self.job_id, owner=self._owner())
        if found is None:
            self.job_id = 0
            return
        self.job, self.history = job_detail(found.job, found.posting_html), [history_item(e) for e in found.history]
        self._show_language(found.job)
        self.has_result = found.result is not None
        self.result = result_view(found.result) if found.result else RunResult()

    @rx.event
    def set_note_draft(self, value: str):
        self.note_draft = value

    @rx.event
    async def submit_note(self):
        if not self.job_id:
            return
        try:
            await in_session(add_note, job_id=self.job_id, text=self.note_draft, key=new_key(), owner=self._owner())
        except (ValueError, LookupError) as exc:
            return rx.toast.error(str(exc))
        self.note_draft = ""
        await self._refresh()
        return [rx.toast.success("Note added."), handoffs.reload_table()]

    @rx.event
    async def change_status(self, status: str):
        if not self.job_id or status not in JOB_STATUSES:
            return
        if status == "archived":
            return handoffs.set_job_status(self.job_id, status)
        await in_session(set_status, job_ids=[self.job_id], status=status, key=new_key(), owner=self._owner())
        await self._refresh()
        await handoffs.refresh_today(self)  # applying sets a follow-up day
        return [rx.toast.success(f"Status set to {status}."), handoffs.reload_table(), handoffs.load_tracking(self.job_id)]

