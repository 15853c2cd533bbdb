"""The header's facts: whose profile, which model, how runs execute."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session, select

from jobapp.state.base import AppState, in_session
from pipeline.settings import settings
from pipeline.store.models import Profile


def _profile_label(*, session: Session, owner: str) -> str:
    profile = session.exec(select(Profile).where(Profile.owner == owner).order_by(Profile.id.desc())).first()
    if profile is None:
        return "no profile yet"
    return f"{profile.name or 'profile'} v{profile.version}" + (" (demo)" if profile.is_demo else "")


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
