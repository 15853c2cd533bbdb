"""Find matches (the profile panel's Matches tab): search the stored jobs by the profile's titles, follow the batch."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import reflex as rx

from jobapp.state import handoffs
from jobapp.state.base import AppState, in_session
from jobapp.state.views import MatchView, QueryView, match_view, query_view
from pipeline.matching import batch_snapshot, latest_batch_snapshot, run_match_batch, start_match_batch

POLL_SECONDS = 0.3  # how often a running match batch's progress is shown


class MatchesState(AppState):
    matching: bool = False
    batch_id: int = 0
    batch_text: str = ""
    queries: list[QueryView] = []
    matches: list[MatchView] = []

    async def _restore(self) -> list[Any]:
        """Show the newest batch (the profile panel opened); the event to follow it while it still runs."""
        latest = await in_session(latest_batch_snapshot, owner=self._owner())
        if latest is None or self.matching:
            return []
        self._show(*latest)
        return [] if latest[1].get("finished") else [MatchesState.follow_batch(latest[0])]

    @rx.event(background=True)
    async def find_matches(self):
        """One search per title, as a batch in this process; progress is read back from the store."""
        async with self:
            if self.matching:
                return
            titles, owner = await handoffs.profile_titles(self), self._owner()
            if titles:
                self.matching, self.queries, self.matches = True, [], []
                await handoffs.show_matches_tab(self)
        if not titles:
            yield rx.toast.error("Add at least one job title to search for.")
            return
        try:
            batch_id = await in_session(start_match_batch, owner=owner, titles=titles)
        except ValueError as exc:
            async with self:
                self.matching = False
            yield rx.toast.error(str(exc))
            return
        task = asyncio.create_task(run_match_batch(batch_id))
        closing = await self._watch(batch_id, owner, task.done)
        try:
            await task
        except Exception as exc:  # noqa: BLE001 - the batch itself broke (not one title): say so, not "found N"
            yield rx.toast.error(f"Find matches stopped: {type(exc).__name__}: {exc}")
            return
        yield closing

    @rx.event(background=True)
    async def follow_batch(self, batch_id: int):
        """Follow a batch running elsewhere (started before a reload, or resumed at start-up)."""
        async with self:
            if self.matching:
                return
            self.matching, owner = True, self._owner()
        yield await self._watch(batch_id, owner, lambda: False)

    async def _watch(self, batch_id: int, owner: str, stopped):
        """Show the batch's progress until it finishes (or `stopped()`); returns the closing toast."""
        progress: dict[str, Any] = {"total": 0, "failed": 0}
        results: list[dict[str, Any]] = []
        try:
            while True:
                done = stopped()
                progress, results = await in_session(batch_snapshot, owner=owner, batch_id=batch_id)
                async with self:
                    self._show(batch_id, progress, results)
                if done or progress.get("finished"):
                    break
                await asyncio.sleep(POLL_SECONDS)
        finally:
            async with self:
                self.matching = False
        if progress.get("failed"):
            return rx.toast.warning(f"{progress['failed']} of {progress['total']} searches failed; the others completed.")
        return rx.toast.success(f"Found {len(results)} matching job(s) for {progress['total']} title(s).")

    def _show(self, batch_id: int, progress: dict[str, Any], results: list[dict[str, Any]]) -> None:
        self.batch_id = batch_id
        self.queries = [query_view(q) for q in progress.get("queries", [])]
        self.matches = [match_view(r) for r in results]
        finished = progress.get("done", 0) + progress.get("failed", 0)
        self.batch_text = f"{finished}/{progress.get('total', 0)} searches done" + (f", {progress['failed']} failed" if progress.get("failed") else "")

    @rx.event
    async def shortlist(self, job_id: int):
        self.matches = [dataclasses.replace(m, status="shortlisted") if m.job_id == job_id else m for m in self.matches]
        return handoffs.set_job_status(job_id, "shortlisted")

    @rx.event
    async def process(self, job_id: int):
        return handoffs.process_job(job_id)

    @rx.event
    async def open_job(self, job_id: int):
        return handoffs.open_job(job_id)  # which also hands the inspector back from the profile
