"""The header's facts: whose profile, which model, how runs execute."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from jobapp.state.base import AppState, in_session
from pipeline.settings import settings
from pipeline.store.profiles import active_profile, latest_profile


def _profile_label(*, session: Session, owner: str) -> str:
    """The profile runs use; a newer upload still under review is named too."""
    active, newest = active_profile(session=session, owner=owner), latest_profile(session=session, owner=owner)
    if newest is None:
        return "no profile yet"
    label = "none in use" if active is None else f"{active.name or 'profile'} v{active.version}" + (" (demo)" if active.is_demo else "")
    if active is None or newest.id != active.id:
        label += f" · {newest.name or 'upload'} to review"
    return label


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
        self.profile = await in_session(_profile_label, owner=self._owner())
