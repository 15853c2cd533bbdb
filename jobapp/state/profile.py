"""The profile panel: upload a CV, review the master CV, edit suggested titles (Find matches: state/matches.py)."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from jobapp.state import handoffs
from jobapp.state.base import AppState, in_session
from jobapp.state.views import TitleView, title_view
from pipeline.profile.uploads import parse_parked_upload, stash_upload
from pipeline.settings import settings
from pipeline.store.profiles import confirm as confirm_profile
from pipeline.store.profiles import profile_summary, save_parsed, set_titles, suggest_again

UPLOAD_ID = "cv-upload"


class ProfileState(AppState):
    shown: bool = False
    tab: str = "cv"
    has_profile: bool = False
    profile_id: int = 0
    name: str = ""
    source: str = ""
    has_original: bool = False
    confirmed: bool = False
    warnings: list[str] = []
    titles: list[TitleView] = []
    new_title: str = ""
    parsing: bool = False

    @rx.var
    def max_upload_mb(self) -> int:
        return settings.profile_max_bytes // (1024 * 1024)

    @rx.event
    async def open(self):
        """Show the newest profile and the newest Find matches batch (following it if it still runs)."""
        self.shown = True
        await self._load()
        events: list[Any] = []
        if self.tab == "cv" and self.profile_id:
            events.append(handoffs.open_master_cv(self.profile_id))
        return events + await handoffs.restore_matches(self)

    @rx.event
    def close(self):
        self.shown = False
        return handoffs.detail_tab("detail")

    @rx.event
    def set_tab(self, tab: str):
        self.tab = tab if tab in ("cv", "titles", "matches") else "cv"
        if self.tab == "cv" and self.profile_id:
            return handoffs.open_master_cv(self.profile_id)
        return None

    async def _load(self) -> None:
        data = await in_session(profile_summary, owner=self._owner())
        self.has_profile = data is not None
        if data is None:
            self.profile_id, self.titles, self.warnings = 0, [], []
            return
        self.profile_id, self.name, self.source = data["id"], data["name"], data["source"]
        self.has_original, self.confirmed, self.warnings = data["has_original"], data["confirmed"], data["warnings"]
        self.titles = [title_view(t) for t in data["titles"]]

    # ------------------------------------------------------------ upload and review

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):
        """Take the file; parsing (which may call the model for a while) runs in the background
        so the page stays responsive. Upload handlers cannot be background tasks themselves."""
        if not files:
            return rx.toast.error("No file received.")
        file = files[0]
        name = (file.name or "cv")[:200]
        limit = settings.profile_max_bytes
        data = await file.read(limit + 1)
        if len(data) > limit:
            return rx.toast.error(f"{name} is larger than the {limit // (1024 * 1024)} MB limit. Nothing was changed.")
        if self.parsing:
            return rx.toast.info("Still reading the previous file.")
        pending = await asyncio.to_thread(stash_upload, data)
        self.parsing = True
        return ProfileState.parse_stashed(pending, name)

    @rx.event(background=True)
    async def parse_stashed(self, pending: str, name: str):
        from pipeline.profile.extract import ProfileError

        async with self:
            owner = self._owner()
        try:
            parsed = await parse_parked_upload(pending, name, owner=owner)
            await in_session(save_parsed, owner=owner, parsed=parsed)
        except (ProfileError, LookupError) as exc:
            async with self:
                self.parsing = False
            yield rx.toast.error(f"{name}: {getattr(exc, 'message', str(exc))} Nothing was changed.")
            return
        except Exception as exc:  # noqa: BLE001 - a model outage: say so, keep nothing half-made
            async with self:
                self.parsing = False
            yield rx.toast.error(f"{name} could not be read into a profile ({type(exc).__name__}: {exc}). Nothing was changed.")
            return
        async with self:
            self.parsing, self.tab = False, "cv"
            await self._load()
            profile_id = self.profile_id
        yield [
            handoffs.open_master_cv(profile_id), handoffs.reload_header(),
            rx.toast.success(f"Read {name}: review the master CV, then choose “Use this profile”."),
        ]

    @rx.event
    async def confirm(self):
        try:
            await in_session(confirm_profile, owner=self._owner(), profile_id=self.profile_id)
        except (ValueError, LookupError) as exc:
            return rx.toast.error(str(exc))
        await self._load()
        return [handoffs.reload_header(), rx.toast.success("Runs now use this profile's master CV.")]

    # ------------------------------------------------------------ titles

    @rx.event
    def set_new_title(self, value: str):
        self.new_title = value

    async def _save_titles(self, titles: list[TitleView]):
        from pipeline.profile.titles import TitleError

        try:
            await in_session(set_titles, owner=self._owner(), profile_id=self.profile_id,
                             titles=[{"title": t.title, "reason": t.reason} for t in titles])
        except (TitleError, LookupError) as exc:
            return rx.toast.error(str(exc))
        await self._load()
        return None

    @rx.event
    async def add_title(self):
        title = " ".join(self.new_title.split())
        if not title:
            return rx.toast.error("Type a job title to add.")
        problem = await self._save_titles([*self.titles, TitleView(title=title, reason="added by you")])
        if problem is None:
            self.new_title = ""
        return problem

    @rx.event
    async def suggest_titles(self):
        """Suggest titles again from the master CV as it is now (replaces the list)."""
        try:
            await in_session(suggest_again, owner=self._owner(), profile_id=self.profile_id)
        except LookupError as exc:
            return rx.toast.error(str(exc))
        await self._load()
        return rx.toast.success(f"Suggested {len(self.titles)} titles from your master CV.")

    @rx.event
    async def remove_title(self, index: int):
        return await self._save_titles([t for i, t in enumerate(self.titles) if i != index])

    @rx.event
    async def move_title(self, index: int, delta: int):
        to = index + delta
        if not (0 <= index < len(self.titles) and 0 <= to < len(self.titles)):
            return None
        titles = list(self.titles)
        titles.insert(to, titles.pop(index))
        return await self._save_titles(titles)
