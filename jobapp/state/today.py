"""The Today panel (follow-ups due, this week's interviews) and the header's "N overdue" pill.

Why one state for both: the pill is the panel's count; one load keeps them from disagreeing.
The browser tells its time zone once (on the header button's mount), so "overdue" and "this
week" follow the user's day; the data comes from pipeline/store/today.py, off the event loop."""

from __future__ import annotations

import reflex as rx

from jobapp.state import handoffs
from jobapp.state.base import AppState, in_session
from pipeline.store.models import utcnow
from pipeline.store.today import FollowUpItem, InterviewItem, mark_followed_up, today_panel

ZONE_SCRIPT = "Intl.DateTimeFormat().resolvedOptions().timeZone || ''"


class TodayState(AppState):
    shown: bool = False
    zone: str = ""  # the browser's IANA zone ("" until it told us: UTC)
    follow_ups: list[FollowUpItem] = []
    interviews: list[InterviewItem] = []
    overdue: int = 0
    loaded: bool = False

    @rx.var
    def due_count(self) -> int:
        """What the Today button counts: follow-ups due and interviews coming up."""
        return len(self.follow_ups) + len(self.interviews)

    @rx.event
    async def load(self):
        await self._load()

    async def _load(self) -> None:
        panel = await in_session(today_panel, now=utcnow(), zone=self.zone, owner=self._owner())
        self.follow_ups, self.interviews, self.overdue, self.loaded = panel.follow_ups, panel.interviews, panel.overdue, True

    @rx.event
    async def set_zone(self, zone: str):
        """The browser's time zone (from `ZONE_SCRIPT`): reload when it changes the day's lines."""
        zone = str(zone or "")[:64]
        if zone != self.zone or not self.loaded:
            self.zone = zone
            await self._load()

    @rx.event
    async def set_shown(self, shown: bool):
        """The panel opens with fresh lines (another tab may have changed a date)."""
        if shown:
            await self._load()
        self.shown = shown

    @rx.event
    def open_job(self, job_id: int):
        """Show the job in the inspector (the panel closes so the inspector is in view on a phone)."""
        self.shown = False
        return handoffs.open_job(job_id)

    @rx.event
    async def mark_done(self, job_id: int):
        """The user followed up: clear the job's follow-up day."""
        try:
            await in_session(mark_followed_up, job_id=job_id, owner=self._owner())
        except LookupError:
            return rx.toast.error("That job is gone.")
        await self._load()
        return [rx.toast.success("Follow-up done."), handoffs.refresh_detail()]
