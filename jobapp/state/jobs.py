"""The job table: query, page, selection and bulk actions."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date

import reflex as rx
from reflex_components_sonner.toast import ToastAction

from jobapp.state import handoffs
from jobapp.state.base import AppState, in_session
from jobapp.state.views import JobRow, StatusChip, job_row
from pipeline.store.export import export_jobs
from pipeline.store.jobs import (
    PAGE_SIZES,
    SORTABLE,
    JobQuery,
    archive_jobs,
    list_jobs,
    matching_ids,
    new_key,
    restore_jobs,
    set_status,
    status_counts,
)
from pipeline.store.models import JOB_STATUSES


class JobsState(AppState):
    q: str = ""
    status_filter: list[str] = []
    source_filter: str = ""
    min_score: str = ""
    max_score: str = ""
    has_run: str = ""
    duplicates_only: bool = False
    sort: str = "updated_at"
    desc: bool = True
    page: int = 1
    page_size: int = 25

    rows: list[JobRow] = []
    total: int = 0
    pages: int = 1
    chips: list[StatusChip] = []
    all_count: int = 0

    selected: list[int] = []
    all_matching: bool = False
    undo_ids: list[int] = []

    # ------------------------------------------------------------ derived

    @rx.var
    def selected_count(self) -> int:
        return self.total if self.all_matching else len(self.selected)

    @rx.var
    def page_all_selected(self) -> bool:
        return bool(self.rows) and all(r.id in self.selected for r in self.rows)

    @rx.var
    def filters_active(self) -> bool:
        return bool(self.q or self.status_filter or self.source_filter or self.min_score or self.max_score or self.has_run or self.duplicates_only)

    @rx.var
    def range_label(self) -> str:
        if not self.total:
            return "No jobs"
        start = (self.page - 1) * self.page_size + 1
        return f"{start}–{min(self.total, start + len(self.rows) - 1)} of {self.total}"

    # ------------------------------------------------------------ loading

    def _query(self, **over) -> JobQuery:
        q = JobQuery(
            q=self.q.strip(),
            statuses=list(self.status_filter),
            sources=[self.source_filter] if self.source_filter else [],
            min_score=_int_or_none(self.min_score),
            max_score=_int_or_none(self.max_score),
            has_run={"yes": True, "no": False}.get(self.has_run),
            duplicates_only=self.duplicates_only,
            sort=self.sort,
            desc=self.desc,
            page=self.page,
            page_size=self.page_size,
            owner=self._owner(),
        )
        return dataclasses.replace(q, **over)

    @rx.event
    async def load(self):
        await self._refresh()

    async def _refresh(self):
        """Fetch the visible page and the chip counts (the only data sent to the browser)."""
        query = self._query()
        page = await in_session(list_jobs, query=query)
        counts = await in_session(status_counts, query=query)
        self.rows = [job_row(r) for r in page.rows]
        self.total, self.pages, self.page = page.total, page.pages, page.page
        self.chips = [StatusChip(status=s, count=counts.get(s, 0)) for s in JOB_STATUSES]
        self.all_count = sum(n for s, n in counts.items() if s != "archived")

    def _reset_page(self):
        self.page = 1
        self.all_matching = False

    @rx.event
    async def set_q(self, value: str):
        self.q = value[:200]
        self._reset_page()
        await self._refresh()

    @rx.event
    async def toggle_status(self, status: str):
        """A chip filters by its status; clicking it again removes the filter."""
        self.status_filter = [] if self.status_filter == [status] else [status]
        self._reset_page()
        await self._refresh()

    @rx.event
    async def clear_status(self):
        self.status_filter = []
        self._reset_page()
        await self._refresh()

    @rx.event
    async def set_source_filter(self, value: str):
        self.source_filter = "" if value == "any" else value
        self._reset_page()
        await self._refresh()

    @rx.event
    async def set_has_run(self, value: str):
        self.has_run = "" if value == "any" else value
        self._reset_page()
        await self._refresh()

    @rx.event
    async def set_min_score(self, value: str):
        self.min_score = value.strip()[:3]
        self._reset_page()
        await self._refresh()

    @rx.event
    async def set_max_score(self, value: str):
        self.max_score = value.strip()[:3]
        self._reset_page()
        await self._refresh()

    @rx.event
    async def toggle_duplicates(self):
        self.duplicates_only = not self.duplicates_only
        self._reset_page()
        await self._refresh()

    @rx.event
    async def clear_filters(self):
        self.q, self.status_filter, self.source_filter = "", [], ""
        self.min_score = self.max_score = self.has_run = ""
        self.duplicates_only = False
        self._reset_page()
        await self._refresh()

    @rx.event
    async def sort_by(self, column: str):
        if column not in SORTABLE:
            return
        if self.sort == column:
            self.desc = not self.desc
        else:
            self.sort, self.desc = column, column in ("fit_score", "updated_at", "created_at")
        self.page = 1
        await self._refresh()

    @rx.event
    async def go_page(self, page: int):
        self.page = max(1, min(page, self.pages))
        await self._refresh()

    @rx.event
    async def set_page_size(self, value: str):
        size = int(value) if value.isdigit() else 25
        self.page_size = size if size in PAGE_SIZES else 25
        self.page = 1
        await self._refresh()

    # ------------------------------------------------------------ selection

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
        self.undo_ids = done
        self.selected = [i for i in self.selected if i not in done]
        self.all_matching = False
        await self._refresh()
        return [
            rx.toast.success(f"Archived {len(done)} job(s).", action=ToastAction(label="Undo", on_click=JobsState.undo_archive), duration=8000),
            handoffs.refresh_detail(),
        ]

    @rx.event
    async def undo_archive(self):
        if not self.undo_ids:
            return rx.toast.info("Nothing to undo.")
        done = await in_session(restore_jobs, job_ids=self.undo_ids, key=new_key(), owner=self._owner())
        self.undo_ids = []
        await self._refresh()
        return [rx.toast.success(f"Restored {len(done)} job(s)."), handoffs.refresh_detail()]

    @rx.event
    async def process_selected(self):
        ids = await self._target_ids()
        if not ids:
            return rx.toast.warning("Select jobs to process.")
        return await self._process(ids)

    @rx.event
    async def process_row(self, job_id: int):
        return await self._process([job_id])

    async def _process(self, ids: list[int]):
        """Queue one run per job (one batch) and return at once; the dispatcher picks them up."""
        from pipeline.runs.dispatch import runs_queued
        from pipeline.runs.queue import queue_runs

        queued = await in_session(queue_runs, job_ids=ids, owner=self._owner())
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


def _int_or_none(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() else None

