"""Runs held by a cost cap: Resume puts them back in the queue (a state mixin of RunsState)."""

from __future__ import annotations

import asyncio

import reflex as rx

from jobapp.state import handoffs
from jobapp.state.base import AppState, in_session
from pipeline.runs.budget import resume_held
from pipeline.runs.dispatch import runs_queued


class RunBudget(AppState, mixin=True):
    held_count: int = 0

    @rx.event
    async def resume(self, run_id: int):
        """Resume one held run (of the signed-in owner: another's is not found)."""
        return await self._resume([run_id], self._owner())

    @rx.event
    async def resume_all(self):
        """Resume every held run of this user, oldest first."""
        return await self._resume(None, self._owner())

    async def _resume(self, run_ids: list[int] | None, owner: str):
        try:
            ids = await in_session(resume_held, owner=owner, run_ids=run_ids)
        except ValueError as exc:  # the cap still holds: say which and how to lift it
            return rx.toast.warning(f"Still held: {exc}", duration=10000)
        if not ids:
            return rx.toast.info("No held runs to resume.")
        await asyncio.to_thread(runs_queued, ids)
        await self._refresh_panel()
        return [rx.toast.success(f"Resumed {len(ids)} run(s)."), handoffs.reload_table()]
