"""The header's facts: whose profile, which model, how runs execute."""

from __future__ import annotations

import reflex as rx

from jobapp.state.base import AppState, in_session
from pipeline.settings import settings
from pipeline.store.profiles import profile_label


class HeaderState(AppState):
    profile: str = ""

    @rx.var
    def model_label(self) -> str:
        return "offline analyst" if settings.offline else settings.model

    @rx.var
    def runs_label(self) -> str:
        return f"{'celery' if settings.redis_url else 'local'} ×{settings.max_concurrency}"

    @rx.event
    async def load(self):
        self.profile = await in_session(profile_label, owner=self._owner())
