"""Process with a paid model: the batch's estimate per job and in total, confirmed before anything
is queued when it may cost more than the owner's threshold (Settings → Spending, else
CONFIRM_COST_ABOVE). A state mixin of JobsState: `_process`
(state/job_actions.py) asks `_ask_cost` instead of queueing, and Confirm queues the same jobs."""

from __future__ import annotations

import dataclasses

import reflex as rx

from jobapp.state.base import AppState
from pipeline.runs.costs import CostPreview, job_line

MAX_LINES = 50  # jobs listed in the dialog; the total covers all of them


@dataclasses.dataclass
class CostLine:
    job_id: int = 0
    title: str = ""
    company: str = ""
    cost: str = ""
    tokens: str = ""


class CostConfirm(AppState, mixin=True):
    cost_open: bool = False
    cost_lines: list[CostLine] = []
    cost_more: int = 0  # jobs beyond MAX_LINES
    cost_count: int = 0
    cost_total: str = ""
    cost_tokens: str = ""
    cost_models: str = ""
    cost_threshold: str = ""
    cost_threshold_from: str = "CONFIRM_COST_ABOVE"  # where the threshold was set
    cost_notes: list[str] = []
    _cost_ids: list[int] = []

    def _ask_cost(self, ids: list[int], preview: CostPreview) -> None:
        """Open the confirmation for `ids` (nothing is queued until Confirm)."""
        lines = [CostLine(**job_line(j)) for j in preview.estimate.jobs]
        self._cost_ids = [j.job_id for j in preview.estimate.jobs if j.job_id] or list(ids)
        self.cost_lines, self.cost_more, self.cost_count = lines[:MAX_LINES], max(0, len(lines) - MAX_LINES), len(lines)
        self.cost_total, self.cost_tokens, self.cost_models = preview.total, preview.tokens, preview.models
        self.cost_threshold, self.cost_threshold_from = f"${preview.threshold:,.2f}", preview.threshold_from
        self.cost_notes = list(preview.notes)
        self.cost_open = True

    def _close_cost(self) -> list[int]:
        ids, self._cost_ids = self._cost_ids, []
        self.cost_open, self.cost_lines, self.cost_notes = False, [], []
        return ids

    @rx.event
    async def confirm_cost(self):
        ids = self._close_cost()
        if not ids:
            return rx.toast.info("Nothing to queue.")
        return await self._queue(ids)

    @rx.event
    def cancel_cost(self):
        if self._close_cost():
            return rx.toast.info("Cancelled: nothing was queued.")

    @rx.event
    def set_cost_open(self, value: bool):
        """Escape, or a click outside: the same as Cancel."""
        if not value and self.cost_open:
            return type(self).cancel_cost
