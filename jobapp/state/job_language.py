"""The inspector's "Write in" choice: what the focused job's next run writes the letter, outreach
and dossier in ("" = the posting's language).

A state mixin: DetailState (jobapp/state/detail.py) is built from it, so the handler is
DetailState's (`DetailState.set_language`) and uses its `job_id` and `_refresh`."""

from __future__ import annotations

import reflex as rx

from jobapp.state.base import AppState, in_session
from pipeline.store.jobs import posting_language, set_job_language
from pipeline.store.models import WRITING_LANGUAGES, Job


class JobLanguage(AppState, mixin=True):
    language: str = ""  # the job's choice; "" = the posting's language
    posting_language: str = ""  # the posting's language by name, as intake reads it

    def _show_language(self, job: Job) -> None:
        self.language = job.language or ""
        self.posting_language = posting_language(job.description)

    @rx.event
    async def set_language(self, value: str):
        if not self.job_id:
            return
        try:
            self.language = await in_session(set_job_language, job_id=self.job_id, language=value, owner=self._owner())
        except (ValueError, LookupError) as exc:
            return rx.toast.error(str(exc))
        await self._refresh()  # the history shows the change
        said = WRITING_LANGUAGES.get(self.language, f"the posting's language ({self.posting_language})")
        return rx.toast.success(f"The next run writes in {said}.")
