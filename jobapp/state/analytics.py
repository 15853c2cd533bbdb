"""The Analytics view's state: the signed-in owner's numbers, read when the view opens.

Why a fresh read on every opening (no cache): the numbers change with every status move made
in the table or on the board, and one read of 10,000 jobs costs a few milliseconds."""

from __future__ import annotations

from typing import Any

import reflex as rx

from jobapp.state.analytics_views import view_of
from jobapp.state.base import AppState, in_session
from pipeline.store.analytics import Numbers, numbers
from pipeline.store.models import utcnow

_EMPTY = view_of(Numbers(funnel={}, weeks=[]))


class AnalyticsState(AppState):
    """What the charts show; every var comes from jobapp/state/analytics_views.view_of."""

    loaded: bool = False
    loading: bool = False
    empty: bool = True
    funnel: list[dict[str, Any]] = _EMPTY["funnel"]
    funnel_summary: str = ""
    weeks: list[dict[str, Any]] = []
    weeks_summary: str = ""
    weeks_empty: bool = True
    source_rows: list[dict[str, Any]] = []
    source_chart: list[dict[str, Any]] = []
    source_summary: str = ""
    fit_rows: list[dict[str, Any]] = []
    fit_chart: list[dict[str, Any]] = []
    fit_summary: str = ""
    template_rows: list[dict[str, Any]] = []
    template_chart: list[dict[str, Any]] = []
    template_summary: str = ""
    days: list[dict[str, Any]] = []
    days_median: str = ""
    days_summary: str = ""
    answers: int = 0
    points: list[dict[str, Any]] = []
    outcomes: list[dict[str, Any]] = []
    outcomes_note: str = ""
    enough_outcomes: bool = False

    @rx.event
    async def load(self):
        """Read the numbers in a worker thread (one short session), then shape them for the charts."""
        self.loading = True
        yield
        try:
            data = await in_session(numbers, now=utcnow(), owner=self._owner())
            for name, value in view_of(data).items():
                setattr(self, name, value)
            self.loaded = True
        finally:
            self.loading = False
