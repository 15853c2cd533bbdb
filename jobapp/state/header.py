"""The header's facts: whose profile, which model, how runs execute."""

from __future__ import annotations

import reflex as rx

from jobapp.state.base import AppState, in_session
from pipeline.runs.costs import month_summary
from pipeline.settings import settings
from pipeline.store.profiles import profile_label


class HeaderState(AppState):
    profile: str = ""
    spend: str = ""  # this month's spend ("$1.24 of $20.00"); "" hides it (offline and nothing spent)
    spend_title: str = ""

    @rx.var
    def model_label(self) -> str:
        return "offline analyst" if settings.offline else settings.model

    @rx.var
    def runs_label(self) -> str:
        return f"{'celery' if settings.redis_url else 'local'} ×{settings.max_concurrency}"

    @rx.event
    async def load(self):
        self.profile = await in_session(profile_label, owner=self._owner())
        month = await in_session(month_summary, owner=self._owner())
        self.spend = month.label if month.shown else ""
        self.spend_title = f"Model spend this month (UTC), counted from your runs; it starts again on {month.resets}." + (
            " Runs that would pass the monthly cap (MAX_COST_PER_MONTH) are held." if month.cap > 0 else "")
