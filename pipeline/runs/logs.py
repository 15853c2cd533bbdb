"""Reading a run's log after a cursor: the live bus while its window reaches back that far,
else the store, which holds every line. The runs panel and the SSE endpoint both read here,
so they agree on which lines a follower gets. Blocking (the store, and Redis when it is the
bus): async callers run these in a thread."""

from __future__ import annotations

from pipeline.runs.bus import get_bus
from pipeline.runs.events import LogLine
from pipeline.store.db import session_scope
from pipeline.store.models import RunEvent
from pipeline.store.runs import run_events, run_events_before

PAGE = 500  # lines read from the store at once


def stored_lines_after(run_id: int, cursor: int, *, limit: int = PAGE) -> list[LogLine]:
    """Up to `limit` stored lines with seq > `cursor`, oldest first (the store only: a finished
    run's last lines are stored before the run is marked finished)."""
    with session_scope() as session:
        return [_line(r) for r in run_events(session=session, run_id=run_id, after_seq=cursor, limit=limit)]


def stored_lines_before(run_id: int, before: int, *, limit: int = PAGE) -> list[LogLine]:
    """Up to `limit` stored lines just before seq `before`, oldest first ("load older")."""
    with session_scope() as session:
        return [_line(r) for r in run_events_before(session=session, run_id=run_id, before_seq=before, limit=limit)]


def lines_after(run_id: int, cursor: int, *, limit: int = PAGE, newest_page: bool = False) -> list[LogLine]:
    """Lines with seq > `cursor`, oldest first: the bus's window when it covers the cursor, else
    up to `limit` lines from the store. With `newest_page`, a reader starting from 0 on a log
    longer than one page gets its newest page (a panel shows the tail), not its oldest."""
    lines, covered = get_bus().lines_after(run_id, cursor)
    if covered:
        return lines
    if newest_page and cursor == 0:  # the newest page is the whole log when it is shorter than one
        return stored_lines_before(run_id, 2**31, limit=limit)
    return stored_lines_after(run_id, cursor, limit=limit)


def _line(row: RunEvent) -> LogLine:
    return LogLine(row.run_id, row.seq, row.ts, row.level, row.step, row.message, row.data or {})
