"""Runs panel and live log: follow runs, stream their lines in small batches."""

from __future__ import annotations

import asyncio
import time
import uuid

import reflex as rx
from sqlmodel import Session

from jobapp.state import handoffs
from jobapp.state.base import AppState, in_session
from jobapp.state.run_budget import RunBudget
from jobapp.state.run_views import LogView, RunView, batch_text, filter_lines, finished_since, log_view, run_view
from pipeline.accounts.scope import owned_run_ids
from pipeline.runs.bus import get_bus
from pipeline.runs.dispatch import cancel_requested, runs_queued
from pipeline.runs.logs import lines_after, stored_lines_before
from pipeline.runs.queue import batch_summaries, recent_runs, request_cancel, retry_run
from pipeline.store.runs import ACTIVE

PER_RUN_WINDOW = 500  # lines kept per run (the filters search these)
VIEW_LIMIT = 500  # lines sent to the browser at once (newest); "Load older" reaches further back
FLUSH_SECONDS = 0.1  # batch lines for this long before one state update
STREAM_STALE_SECONDS = 5.0  # a log loop that has not stamped its beat for this long is dead
PANEL_SECONDS = 0.5  # refresh the runs panel (progress bars) at most this often while runs are active


def _panel_data(*, session: Session, owner: str) -> tuple[list[dict], list[dict]]:
    return recent_runs(session=session, owner=owner), batch_summaries(session=session, owner=owner, limit=1)


class RunsState(RunBudget, AppState):
    runs: list[RunView] = []
    batch_text: str = ""
    follow_ids: list[int] = []
    follow_label: str = "all active runs"
    lines: list[LogView] = []
    level: str = "all"
    text: str = ""
    paused: bool = False
    has_older: bool = False

    _all: dict[int, list[LogView]] = {}
    _cursors: dict[int, int] = {}
    # The tab's log loop proves it is alive by stamping this each pass. A loop that died
    # with its backend process (hosted: this state lives on in Redis) leaves a stale stamp,
    # so the next `stream` call (the reconnected page's on_load) takes over.
    _stream_id: str = ""
    _stream_beat: float = 0.0
    _auto: bool = True  # follow whatever is active until the user picks
    _view_limit: int = VIEW_LIMIT

    @rx.var
    def active_count(self) -> int:
        return sum(1 for r in self.runs if r.status in ACTIVE)

    # ------------------------------------------------------------ view

    def _rebuild(self) -> None:
        """The browser gets only the filtered, bounded view; the full window stays here."""
        merged = [ln for rid in self.follow_ids for ln in self._all.get(rid, [])]
        if len(self.follow_ids) > 1:
            merged.sort(key=lambda ln: (ln.ts, ln.run_id, ln.seq))
        self.lines = filter_lines(merged, level=self.level, text=self.text)[-self._view_limit :]
        self.has_older = any(self._all.get(rid) and self._all[rid][0].seq > 1 for rid in self.follow_ids)

    def _add(self, run_id: int, new: list[LogView]) -> None:
        have = self._all.setdefault(run_id, [])
        last = self._cursors.get(run_id, 0)
        fresh = [ln for ln in new if ln.seq > last]
        if fresh:
            have.extend(fresh)
            del have[:-PER_RUN_WINDOW]
            self._cursors[run_id] = fresh[-1].seq

    # ------------------------------------------------------------ events

    @rx.event
    async def set_level(self, value: str):
        self.level = value
        self._rebuild()

    @rx.event
    async def set_text(self, value: str):
        self.text = value[:200]
        self._rebuild()

    @rx.event
    def toggle_pause(self):
        self.paused = not self.paused
        if not self.paused:
            self._rebuild()

    @rx.event
    async def follow_run(self, run_id: int):
        if not await in_session(owned_run_ids, owner=self._owner(), run_ids=[run_id]):
            return rx.toast.error(f"Run #{run_id} was not found.")
        self._auto = False
        self.follow_ids = [run_id]
        self.follow_label = f"run #{run_id}"
        await self._load_history([run_id])
        self._rebuild()

    @rx.event
    async def follow_batch(self, batch_id: int):
        self._auto = False
        ids = [r.id for r in self.runs if r.batch_id == batch_id]
        self.follow_ids = ids
        self.follow_label = f"batch #{batch_id}"
        await self._load_history(ids)
        self._rebuild()

    @rx.event
    async def follow_active(self):
        self._auto = True
        await self._refresh_panel()
        await self._load_history(self.follow_ids)
        self._rebuild()

    async def _load_history(self, run_ids: list[int]) -> None:
        """Fill the window from the store (after a reload, or when following a new run)."""
        for rid, lines in (await _fetch_lines([r for r in run_ids if r not in self._cursors], {})).items():
            self._add(rid, lines)

    @rx.event
    async def load_older(self):
        for rid in self.follow_ids:
            have = self._all.get(rid) or []
            if not have or have[0].seq <= 1:
                continue
            older = await asyncio.to_thread(stored_lines_before, rid, have[0].seq, limit=200)
            self._all[rid] = [log_view(ln) for ln in older] + have
            self._view_limit += len(older)
        self._rebuild()

    @rx.event
    async def cancel(self, run_id: int):
        try:
            outcome = await in_session(request_cancel, run_id=run_id, owner=self._owner())
        except LookupError as exc:
            return rx.toast.error(str(exc))
        cancel_requested()
        await self._refresh_panel()
        return rx.toast.info({"cancelled": f"Run #{run_id} cancelled.", "requested": f"Run #{run_id} stops after its current step."}.get(outcome, f"Run #{run_id} has already finished."))

    @rx.event
    async def retry(self, run_id: int):
        try:
            new_id = await in_session(retry_run, run_id=run_id, owner=self._owner())
        except (LookupError, ValueError) as exc:
            return rx.toast.error(str(exc))
        runs_queued([new_id])
        await self._refresh_panel()
        return rx.toast.success(f"Run #{run_id} queued again (resumes from its checkpoint)." if new_id == run_id else f"Started over as run #{new_id}.")

    async def _refresh_panel(self) -> None:
        self._apply_panel(*await in_session(_panel_data, owner=self._owner()))

    def _apply_panel(self, runs: list[dict], batches: list[dict]) -> None:
        self.runs = [run_view(r) for r in runs]
        if batches:
            self.batch_text = batch_text(batches[0])
        self.held_count = sum(1 for r in self.runs if r.status == "held")
        if self._auto:
            active = [r.id for r in self.runs if r.status in ACTIVE]
            keep = active or [r.id for r in self.runs[:1]]
            self.follow_ids = keep
            self.follow_label = "all active runs" if active else (f"run #{keep[0]}" if keep else "no runs yet")

    # ------------------------------------------------------------ streaming

    @rx.event(background=True)
    async def stream(self):
        """One loop per tab: wait for the bus, read outside the lock, apply in one short update."""
        me, owner = uuid.uuid4().hex, ""
        for look in range(2):  # a beat that is fresh now may belong to a loop that just died: look twice
            if look:
                await asyncio.sleep(STREAM_STALE_SECONDS + 0.5)
            async with self:
                if time.time() - self._stream_beat >= STREAM_STALE_SECONDS:
                    self._stream_id, self._stream_beat = me, time.time()
                    owner = self._owner()
                    break
        if not owner:
            return  # a live loop serves this tab
        version, last_panel, first = get_bus().version, 0.0, True
        seen: dict[int, str] | None = None  # None until the first look (no reload on page load)
        try:
            while True:
                if not first:
                    version = await get_bus().wait(version, timeout=1.0)
                    await asyncio.sleep(FLUSH_SECONDS)
                async with self:
                    if self._current_owner() != owner:  # signed out, expired, or another identity: stop
                        return
                    cursors, paused, active = dict(self._cursors), self.paused, self.active_count
                    known = {r.id for r in self.runs}
                since = time.monotonic() - last_panel
                unseen = bool(get_bus().run_ids() - known)  # a run started that the panel does not show yet
                refresh = first or unseen or (active > 0 and since > PANEL_SECONDS) or since > 5
                panel = await in_session(_panel_data, owner=owner) if refresh else None
                async with self:
                    if panel:
                        self._apply_panel(*panel)
                        last_panel = time.monotonic()
                    follow = list(self.follow_ids)
                new = await _fetch_lines(follow, cursors)
                async with self:
                    for rid, lines in new.items():
                        self._add(rid, lines)
                    if (new or panel) and not paused:
                        self._rebuild()
                    states = {r.id: r.status for r in self.runs}
                first = False
                if panel and seen is not None and finished_since(seen, states):
                    yield [handoffs.reload_table(), handoffs.refresh_detail(), handoffs.reload_header()]
                seen = states
        finally:
            async with self:
                if self._stream_id == me:
                    self._stream_beat = 0.0


async def _fetch_lines(follow: list[int], cursors: dict[int, int]) -> dict[int, list[LogView]]:
    """New lines per followed run (the bus, else the store: a reload, a new run, another process)."""
    out: dict[int, list[LogView]] = {}
    for rid in follow:
        lines = await asyncio.to_thread(lines_after, rid, cursors.get(rid, 0), limit=PER_RUN_WINDOW, newest_page=True)
        if lines:
            out[rid] = [log_view(ln) for ln in lines]
    return out


