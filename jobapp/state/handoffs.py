"""Cross-state hand-offs: the one module where one feature state names another.

A state that must make another one act (reload the table after an import, refresh the
inspector after a status change, open the CV editor) calls a function here instead of
importing that state. The feature states import this module, so it imports them lazily,
in `_state` alone: no state module imports another state module, and there is no import
circle however the states call each other.

Plain functions return the event to hand back from a handler (Reflex runs it next, like
returning `JobsState.load`); async ones take the calling state and reach the other through
`get_state` (same event, same delta), for changes that must land together."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reflex.event import EventHandler, EventSpec

    from jobapp.state.base import AppState
    from pipeline.store.jobs import JobQuery

_WHERE = {
    "BoardState": "jobapp.state.board",
    "DetailState": "jobapp.state.detail",
    "EditorState": "jobapp.state.editor",
    "HeaderState": "jobapp.state.header",
    "JobsState": "jobapp.state.jobs",
    "MatchesState": "jobapp.state.matches",
    "OutreachState": "jobapp.state.outreach",
    "ProfileState": "jobapp.state.profile",
    "RunsState": "jobapp.state.runs",
    "WorkspaceViewState": "jobapp.state.workspace_view",
    "TodayState": "jobapp.state.today",
    "TrackingState": "jobapp.state.tracking",
}


def _state(name: str) -> Any:
    """The state class `name`, imported on first use (the only import of one state by another)."""
    return getattr(importlib.import_module(_WHERE[name]), name)


# ---------------------------------------------------------------- the job table


def reload_table() -> EventHandler:
    """Re-query the visible page and the chip counts (after an import, a note, a finished run)."""
    return _state("JobsState").load


def set_job_status(job_id: int, status: str) -> EventSpec:
    """Set one job's status the way the table does (archiving offers Undo)."""
    return _state("JobsState").set_row_status(job_id, status)


def process_job(job_id: int) -> EventSpec:
    """Queue a run for one job, as the table's ▶ button does."""
    return _state("JobsState").process_row(job_id)


async def jobs_query(state: AppState) -> JobQuery:
    """The table's current query (search, filters, sort): what the board shows too."""
    return (await state.get_state(_state("JobsState")))._query()


async def refresh_jobs(state: AppState) -> None:
    """Re-query the table's page and counts in this same event (and the board, when it shows)."""
    await (await state.get_state(_state("JobsState")))._refresh()


async def show_status_in_table(state: AppState, status: str) -> None:
    """Switch to the table, filtered to one status (a board column's "N more")."""
    jobs = await state.get_state(_state("JobsState"))
    jobs.status_filter = [status]
    jobs._reset_page()
    (await state.get_state(_state("WorkspaceViewState"))).view = "table"
    await jobs._refresh()


# ---------------------------------------------------------------- the board


def load_board() -> EventHandler:
    """Read the board's columns under the table's query (the view switched to the board)."""
    return _state("BoardState").load


async def refresh_board(state: AppState, query: JobQuery) -> None:
    """Reload the board under the table's new query, only while the board is the view shown."""
    if (await state.get_state(_state("WorkspaceViewState"))).shown == "board":
        await (await state.get_state(_state("BoardState")))._load(query)


# ---------------------------------------------------------------- the inspector


def refresh_detail() -> EventHandler:
    """Re-read the focused job (its status, history or result changed)."""
    return _state("DetailState").refresh


def open_job(job_id: int) -> EventSpec:
    """Focus a job in the inspector (which also takes the inspector back from the profile)."""
    return _state("DetailState").open(job_id)


def detail_tab(tab: str) -> EventSpec:
    return _state("DetailState").set_tab(tab)


def load_tracking(job_id: int) -> EventSpec:
    """Re-read the job's follow-up, interviews and what was sent (the inspector's Application part)."""
    return _state("TrackingState").load(job_id)


async def hide_profile(state: AppState) -> None:
    """The inspector shows a job again instead of the profile panel."""
    (await state.get_state(_state("ProfileState"))).shown = False


# ---------------------------------------------------------------- the CV editor


def open_run_cv(run_id: int) -> EventSpec:
    """Open a run's tailored CV in the editor."""
    return _state("EditorState").open(run_id)


def open_run_letter(run_id: int) -> list[EventSpec]:
    """Open a run's cover letter in the editor, and its outreach messages beside it."""
    return [_state("EditorState").open_letter(run_id), _state("OutreachState").open(run_id)]


def open_master_cv(profile_id: int) -> EventSpec:
    """Open a profile's master CV in the editor."""
    return _state("EditorState").open_profile(profile_id)


# ---------------------------------------------------------------- header, runs panel


def reload_header() -> EventHandler:
    """Re-read which profile runs use (after an upload or a confirm)."""
    return _state("HeaderState").load


async def refresh_today(state: AppState) -> None:
    """Re-read the Today panel and the header's overdue count (a status move changes follow-ups),
    once the page has loaded them (it knows the browser's time zone by then)."""
    today = await state.get_state(_state("TodayState"))
    if today.loaded:
        await today._load()


async def browser_zone(state: AppState) -> str:
    """The browser's IANA time zone as the page told the Today panel ("" until then: UTC)."""
    return (await state.get_state(_state("TodayState"))).zone


def follow_runs() -> EventHandler:
    """Make the runs panel follow the active runs (after queueing some)."""
    return _state("RunsState").follow_active


# ---------------------------------------------------------------- profile and matches


async def restore_matches(state: AppState) -> list[EventSpec]:
    """Show the owner's newest Find matches batch; the events to follow it while it still runs."""
    return await (await state.get_state(_state("MatchesState")))._restore()


async def profile_titles(state: AppState) -> list[str]:
    """The job titles on the profile's list, best first (what Find matches searches for)."""
    return [t.title for t in (await state.get_state(_state("ProfileState"))).titles]


async def show_matches_tab(state: AppState) -> None:
    (await state.get_state(_state("ProfileState"))).tab = "matches"
