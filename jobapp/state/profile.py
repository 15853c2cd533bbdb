"""The profile panel: upload a CV, review the master CV, edit suggested titles, find matches."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import reflex as rx

from jobapp.state.base import AppState, in_session
from jobapp.state.views import MatchView, QueryView, TitleView, match_view, query_view, title_view
from pipeline.matching import batch_snapshot, latest_batch_snapshot, start_match_batch
from pipeline.profile.uploads import parse_parked_upload, stash_upload
from pipeline.settings import settings
from pipeline.store.profiles import confirm as confirm_profile
from pipeline.store.profiles import profile_summary, save_parsed, set_titles, suggest_again

UPLOAD_ID = "cv-upload"
POLL_SECONDS = 0.3  # how often a running match batch's progress is shown


class ProfileState(AppState):
    shown: bool = False
    tab: str = "cv"
    has_profile: bool = False
    profile_id: int = 0
    name: str = ""
    source: str = ""
    kind: str = ""
    has_original: bool = False
    confirmed: bool = False
    warnings: list[str] = []
    titles: list[TitleView] = []
    new_title: str = ""
    parsing: bool = False
    error: str = ""
    matching: bool = False
    batch_id: int = 0
    batch_text: str = ""
    queries: list[QueryView] = []
    matches: list[MatchView] = []

    @rx.var
    def max_upload_mb(self) -> int:
        return settings.profile_max_bytes // (1024 * 1024)

    @rx.event
    async def open(self):
        """Show the newest profile and the newest Find matches batch (following it if it still runs)."""
        from jobapp.state.editor import EditorState

        self.shown = True
        await self._load()
        events: list[Any] = []
        if self.tab == "cv" and self.profile_id:
            events.append(EditorState.open_profile(self.profile_id))
        latest = await in_session(latest_batch_snapshot, owner=self._owner())
        if latest is not None and not self.matching:
            self._show(*latest)
            if not latest[1].get("finished"):
                events.append(ProfileState.follow_batch(latest[0]))
        return events

    @rx.event
    def close(self):
        from jobapp.state.detail import DetailState

        self.shown = False
        return DetailState.set_tab("detail")

    @rx.event
    def set_tab(self, tab: str):
        from jobapp.state.editor import EditorState

        self.tab = tab if tab in ("cv", "titles", "matches") else "cv"
        if self.tab == "cv" and self.profile_id:
            return EditorState.open_profile(self.profile_id)
        return None

    async def _load(self) -> None:
        data = await in_session(profile_summary, owner=self._owner())
        self.has_profile = data is not None
        if data is None:
            self.profile_id, self.titles, self.warnings = 0, [], []
            return
        self.profile_id, self.name, self.source, self.kind = data["id"], data["name"], data["source"], data["kind"]
        self.has_original, self.confirmed, self.warnings = data["has_original"], data["confirmed"], data["warnings"]
        self.titles = [title_view(t) for t in data["titles"]]

    # ------------------------------------------------------------ upload and review

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):
        """Take the file; parsing (which may call the model for a while) runs in the background
        so the page stays responsive. Upload handlers cannot be background tasks themselves."""
        if not files:
            return self._fail("No file received.")
        file = files[0]
        name = (file.name or "cv")[:200]
        limit = settings.profile_max_bytes
        data = await file.read(limit + 1)
        if len(data) > limit:
            return self._fail(f"{name} is larger than the {limit // (1024 * 1024)} MB limit. Nothing was changed.")
        if self.parsing:
            return rx.toast.info("Still reading the previous file.")
        pending = await asyncio.to_thread(stash_upload, data)
        self.parsing, self.error = True, ""
        return ProfileState.parse_stashed(pending, name)

    @rx.event(background=True)
    async def parse_stashed(self, pending: str, name: str):
        from jobapp.state.editor import EditorState
        from jobapp.state.header import HeaderState
        from pipeline.profile.extract import ProfileError

        async with self:
            owner = self._owner()
        try:
            parsed = await parse_parked_upload(pending, name)
            await in_session(save_parsed, owner=owner, parsed=parsed)
        except (ProfileError, LookupError) as exc:
            async with self:
                self.parsing = False
                toast = self._fail(f"{name}: {getattr(exc, 'message', str(exc))} Nothing was changed.")
            yield toast
            return
        except Exception as exc:  # a model outage: say so, keep nothing half-made
            async with self:
                self.parsing = False
                toast = self._fail(f"{name} could not be read into a profile ({type(exc).__name__}: {exc}). Nothing was changed.")
            yield toast
            return
        async with self:
            self.parsing, self.tab = False, "cv"
            await self._load()
            profile_id = self.profile_id
        yield [
            EditorState.open_profile(profile_id), HeaderState.load,
            rx.toast.success(f"Read {name}: review the master CV, then choose “Use this profile”."),
        ]

    def _fail(self, message: str):
        self.error = message
        return rx.toast.error(message)

    @rx.event
    async def confirm(self):
        from jobapp.state.header import HeaderState

        try:
            await in_session(confirm_profile, owner=self._owner(), profile_id=self.profile_id)
        except (ValueError, LookupError) as exc:
            return rx.toast.error(str(exc))
        await self._load()
        return [HeaderState.load, rx.toast.success("Runs now use this profile's master CV.")]

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

    # ------------------------------------------------------------ matches

    @rx.event(background=True)
    async def find_matches(self):
        """One search per title, as a batch in this process; progress is read back from the store."""
        from pipeline.matching import run_match_batch

        async with self:
            if self.matching:
                return
            titles, owner = [t.title for t in self.titles], self._owner()
            if titles:
                self.matching, self.tab, self.queries, self.matches = True, "matches", [], []
        if not titles:
            yield rx.toast.error("Add at least one job title to search for.")
            return
        try:
            batch_id = await in_session(start_match_batch, owner=owner, titles=titles)
        except ValueError as exc:
            async with self:
                self.matching = False
            yield rx.toast.error(str(exc))
            return
        task = asyncio.create_task(run_match_batch(batch_id))
        closing = await self._watch(batch_id, owner, task.done)
        try:
            await task
        except Exception as exc:  # the batch itself broke (not one title): say so, not "found N"
            yield rx.toast.error(f"Find matches stopped: {type(exc).__name__}: {exc}")
            return
        yield closing

    @rx.event(background=True)
    async def follow_batch(self, batch_id: int):
        """Follow a batch running elsewhere (started before a reload, or resumed at start-up)."""
        async with self:
            if self.matching:
                return
            self.matching, owner = True, self._owner()
        yield await self._watch(batch_id, owner, lambda: False)

    async def _watch(self, batch_id: int, owner: str, stopped):
        """Show the batch's progress until it finishes (or `stopped()`); returns the closing toast."""
        progress: dict[str, Any] = {"total": 0, "failed": 0}
        results: list[dict[str, Any]] = []
        try:
            while True:
                done = stopped()
                progress, results = await in_session(batch_snapshot, owner=owner, batch_id=batch_id)
                async with self:
                    self._show(batch_id, progress, results)
                if done or progress.get("finished"):
                    break
                await asyncio.sleep(POLL_SECONDS)
        finally:
            async with self:
                self.matching = False
        if progress.get("failed"):
            return rx.toast.warning(f"{progress['failed']} of {progress['total']} searches failed; the others completed.")
        return rx.toast.success(f"Found {len(results)} matching job(s) for {progress['total']} title(s).")

    def _show(self, batch_id: int, progress: dict[str, Any], results: list[dict[str, Any]]) -> None:
        self.batch_id = batch_id
        self.queries = [query_view(q) for q in progress.get("queries", [])]
        self.matches = [match_view(r) for r in results]
        finished = progress.get("done", 0) + progress.get("failed", 0)
        self.batch_text = f"{finished}/{progress.get('total', 0)} searches done" + (f", {progress['failed']} failed" if progress.get("failed") else "")

    @rx.event
    async def shortlist(self, job_id: int):
        from jobapp.state.jobs import JobsState

        self._mark(job_id, "shortlisted")
        return JobsState.set_row_status(job_id, "shortlisted")

    @rx.event
    async def process(self, job_id: int):
        from jobapp.state.jobs import JobsState

        return JobsState.process_row(job_id)

    @rx.event
    async def open_job(self, job_id: int):
        from jobapp.state.detail import DetailState

        return DetailState.open(job_id)  # which also hands the inspector back from the profile

    def _mark(self, job_id: int, status: str) -> None:
        self.matches = [dataclasses.replace(m, status=status) if m.job_id == job_id else m for m in self.matches]
