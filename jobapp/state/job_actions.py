"""The job table's selection and what is done to the selected jobs: status, archive (with undo), process, export.

A state mixin: JobsState (jobapp/state/jobs.py) is built from it, so these handlers are
JobsState's (`JobsState.bulk_archive`) and read its query (`_query`, `_refresh`)."""

from __future__ import annotations

import asyncio
from datetime import date

import reflex as rx
from reflex_components_sonner.toast import ToastAction

from jobapp.state import handoffs
from jobapp.state.base import AppState, in_session
from pipeline.sources.base import SourceError
from pipeline.sources.links import check_links_now, screen_for_process, stale_links
from pipeline.store.export import export_jobs
from pipeline.store.jobs import archive_jobs, matching_ids, new_key, restore_jobs, set_status
from pipeline.store.models import JOB_STATUSES


class JobActions(AppState, mixin=True):
    selected: list[int] = []
    all_matching: bool = False
    _undo_ids: list[int] = []  # the last archive, for its Undo (backend only)
    _to_process: list[int] = []  # a Process waiting for its link check (backend only)

    @rx.event
    def toggle_row(self, job_id: int):
        self.all_matching = False
        if job_id in self.selected:
            self.selected = [i for i in self.selected if i != job_id]
        else:
            self.selected = self.selected + [job_id]

    @rx.event
    def toggle_page(self):
        page_ids = [r.id for r in self.rows]
        self.all_matching = False
        if all(i in self.selected for i in page_ids):
            self.selected = [i for i in self.selected if i not in page_ids]
        else:
            self.selected = self.selected + [i for i in page_ids if i not in self.selected]

    @rx.event
    def select_all_matching(self):
        self.all_matching = True

    @rx.event
    def clear_selection(self):
        self.selected, self.all_matching = [], False

    async def _target_ids(self) -> list[int]:
        if self.all_matching:
            return await in_session(matching_ids, query=self._query())
        return list(self.selected)

    # ------------------------------------------------------------ bulk actions

    @rx.event
    async def bulk_set_status(self, status: str):
        if status not in JOB_STATUSES:
            return rx.toast.error(f"Unknown status {status!r}.")
        ids = await self._target_ids()
        if not ids:
            return rx.toast.warning("Select jobs first.")
        n = await in_session(set_status, job_ids=ids, status=status, key=new_key(), owner=self._owner())
        self.selected, self.all_matching = [], False
        await self._refresh()
        return [rx.toast.success(f"{n} job(s) set to {status}." if n else f"Already {status}; nothing changed."), handoffs.refresh_detail()]

    @rx.event
    async def set_row_status(self, job_id: int, status: str):
        if status not in JOB_STATUSES:
            return rx.toast.error(f"Unknown status {status!r}.")
        if status == "archived":
            return await self._archive([job_id])
        await in_session(set_status, job_ids=[job_id], status=status, key=new_key(), owner=self._owner())
        await self._refresh()
        return [rx.toast.success(f"Status set to {status}."), handoffs.refresh_detail()]

    @rx.event
    async def bulk_archive(self):
        ids = await self._target_ids()
        if not ids:
            return rx.toast.warning("Select jobs first.")
        return await self._archive(ids)

    async def _archive(self, ids: list[int]):
        done = await in_session(archive_jobs, job_ids=ids, key=new_key(), owner=self._owner())
        self._undo_ids = done
        self.selected = [i for i in self.selected if i not in done]
        self.all_matching = False
        await self._refresh()
        return [
            rx.toast.success(f"Archived {len(done)} job(s).", action=ToastAction(label="Undo", on_click=type(self).undo_archive), duration=8000),
            handoffs.refresh_detail(),
        ]

    @rx.event
    async def undo_archive(self):
        if not self._undo_ids:
            return rx.toast.info("Nothing to undo.")
        done = await in_session(restore_jobs, job_ids=self._undo_ids, key=new_key(), owner=self._owner())
        self._undo_ids = []
        await self._refresh()
        return [rx.toast.success(f"Restored {len(done)} job(s)."), handoffs.refresh_detail()]

    @rx.event
    async def check_selected_links(self):
        """Read the selected jobs' links again (4 at a time, off the event loop): a closed posting gets the "closed?" mark."""
        ids = await self._target_ids()
        if not ids:
            yield rx.toast.warning("Select jobs to check.")
            return
        yield rx.toast.info(f"Checking {len(ids)} link(s)…")
        try:
            out = await asyncio.to_thread(check_links_now, ids, owner=self._owner())
        except SourceError as exc:
            yield rx.toast.error(str(exc))
            return
        await self._refresh()
        skipped = f", {out['skipped']} without a link" if out["skipped"] else ""
        text = f"Checked {out['checked']} link(s): {out['open']} open, {out['closed']} closed?, {out['errors']} could not be read{skipped}."
        yield rx.toast.warning(text) if out["closed"] or out["errors"] else rx.toast.success(text)

    @rx.event
    async def process_selected(self):
        """Links older than LINK_CHECK_DAYS are read again first (a toast says so, then
        `process_after_check`); jobs whose posting looks closed are left out, with a toast saying
        how to run them anyway."""
        ids = await self._target_ids()
        if not ids:
            return rx.toast.warning("Select jobs to process.")
        stale = await in_session(stale_links, job_ids=ids, owner=self._owner())
        if not stale:
            return await self._screened(ids)
        self._to_process = ids
        return [rx.toast.info(f"Checking {len(stale)} older posting link(s) first…"), type(self).process_after_check]

    @rx.event
    async def process_after_check(self):
        ids, self._to_process = self._to_process, []
        return await self._screened(ids) if ids else None

    async def _screened(self, ids: list[int]):
        screened = await asyncio.to_thread(screen_for_process, ids, owner=self._owner())
        left_out = [rx.toast.warning(screened.message(), duration=10000)] if screened.closed else []
        if not screened.process:
            await self._refresh()
            return [*left_out, handoffs.refresh_detail()]
        events = await self._process(screened.process)
        return [*left_out, *(events or [])]

    @rx.event
    async def process_row(self, job_id: int):
        """One job on purpose: no link check, so a posting marked "closed?" runs anyway."""
        return await self._process([job_id])

    async def _process(self, ids: list[int]):
        """With a paid model the batch's cost is estimated first, and confirmed in a dialog when it
        may pass CONFIRM_COST_ABOVE (state/cost_confirm.py); otherwise it is queued at once."""
        from pipeline.runs.costs import preview_batch

        preview = await in_session(preview_batch, job_ids=ids, owner=self._owner())
        if preview.confirm:
            return self._ask_cost(ids, preview)
        return await self._queue(ids, preview.estimate)

    async def _queue(self, ids: list[int], estimate=None):
        """Queue one run per job (one batch) and return at once; the dispatcher picks them up."""
        from pipeline.runs.dispatch import runs_queued
        from pipeline.runs.queue import queue_runs

        queued = await in_session(queue_runs, job_ids=ids, owner=self._owner(), estimate=estimate)
        await asyncio.to_thread(runs_queued, queued.run_ids)
        await self._refresh()
        events = [handoffs.follow_runs()]
        if queued.run_ids:
            msg = f"Queued {len(queued.run_ids)} run(s)."
            if queued.skipped:
                msg += f" {len(queued.skipped)} job(s) already had a run in progress."
            events.append(rx.toast.success(msg))
        else:
            events.append(rx.toast.info("Those jobs already have runs in progress; nothing new was queued."))
        return events

    @rx.event
    async def export(self, fmt: str):
        ids = await self._target_ids()
        if not ids:
            return rx.toast.warning("Select jobs to export.")
        text = await in_session(export_jobs, job_ids=ids, fmt=fmt, owner=self._owner())
        mime = "application/json" if fmt == "json" else "text/csv"
        return [
            rx.download(data=text, filename=f"jobs-{date.today().isoformat()}.{fmt}", mime_type=mime),
            rx.toast.success(f"Exported {len(ids)} job(s) as {fmt.upper()}."),
        ]
