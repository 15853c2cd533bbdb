"""The header's facts: whose profile, how runs execute, this month's spend (the model pill and the
Settings panel it opens are state/settings_panel.py)."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from jobapp.state.base import AppState, in_session
from pipeline.llm.config import effective_settings
from pipeline.runs.costs import month_summary
from pipeline.runs.dispatch import hosted
from pipeline.settings import settings
from pipeline.store.profiles import profile_label


def runs_label(*, session: Session, owner: str) -> str:
    """"local ×2": how many of the owner's runs run at once (their saved concurrency, at most
    MAX_CONCURRENCY); hosted: "celery ×N", the workers' deployment setting."""
    if hosted():
        return f"celery ×{settings.max_concurrency}"
    return f"local ×{effective_settings(owner, session=session).concurrency}"


class HeaderState(AppState):
    profile: str = ""
    runs_label: str = ""
    spend: str = ""  # this month's spend ("$1.24 of $20.00"); "" hides it (offline and nothing spent)
    spend_title: str = ""

    @rx.event
    async def load(self):
        owner = self._owner()
        self.profile = await in_session(profile_label, owner=owner)
        self.runs_label = await in_session(runs_label, owner=owner)
        month = await in_session(month_summary, owner=owner)
        self.spend = month.label if month.shown else ""
        self.spend_title = f"Model spend this month (UTC), counted from your runs; it starts again on {month.resets}." + (
            " Runs that would pass the monthly cap are held (Settings → Spending)." if month.cap > 0 else "")
