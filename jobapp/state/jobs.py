"""The job table: filters, sort, page and the rows shown (selection and bulk actions: state/job_actions.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import reflex as rx

from jobapp.state import handoffs
from jobapp.state.base import AppState, in_session
from jobapp.state.cost_confirm import CostConfirm
from jobapp.state.job_actions import JobActions
from jobapp.state.views import JobRow, StatusChip, job_row
from pipeline.store.jobs import PAGE_SIZES, SORTABLE, JobQuery, job_sources, list_jobs, status_counts
from pipeline.store.models import JOB_STATUSES


class JobsState(CostConfirm, JobActions, AppState):
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
    sources: list[str] = []  # the sources of the owner's jobs (the source filter's options), set by load

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
    def source_options(self) -> list[str]:
        """The source filter's choices after "any source": the owner's sources, and the chosen one
        even when no job has it any more (so the select still shows what filters the table)."""
        chosen = [self.source_filter] if self.source_filter and self.source_filter not in self.sources else []
        return sorted([*self.sources, *chosen])

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
        """The page opened, or jobs came in (an import, a finished run): the sources too, then the page."""
        self.sources = await in_session(job_sources, owner=self._owner())
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
        await handoffs.refresh_board(self, query)  # the same search and filters on the board, when it shows
        await handoffs.refresh_today(self)  # a status move changes what is due

    def _reset_page(self):
        self.page = 1
        self.all_matching = False

    @rx.event
    async def set_filter(self, name: str, value: str = ""):
        """A toolbar filter changed: store it as its normaliser says, back to page 1, re-query."""
        if name not in FILTERS:
            return
        var, normalise = FILTERS[name]
        setattr(self, var, normalise(getattr(self, var), value))
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


def _int_or_none(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() else None


def _any_clears(_current: str, value: str) -> str:
    return "" if value == "any" else value


def _score(_current: str, value: str) -> str:
    return value.strip()[:3]


# The toolbar's filters: name -> (the state var it sets, normaliser(current value, sent value) -> new value).
FILTERS: dict[str, tuple[str, Callable[[Any, str], Any]]] = {
    "q": ("q", lambda _, value: value[:200]),
    "status": ("status_filter", lambda current, value: [] if not value or current == [value] else [value]),  # a chip: again (or "") clears
    "source": ("source_filter", _any_clears),
    "has_run": ("has_run", _any_clears),
    "min_score": ("min_score", _score),
    "max_score": ("max_score", _score),
    "duplicates": ("duplicates_only", lambda current, _: not current),  # a toggle: the sent value is ignored
}

