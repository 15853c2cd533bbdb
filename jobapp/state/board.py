"""The Board view: the table's filtered jobs as columns by status, and moving a card.

A move is the table's status change (pipeline set_status with a fresh idempotency key, off
the event loop), so the board, the table's counts and the inspector stay one story. The
query is the table's (JobsState._query, through handoffs), so search and filters apply."""

from __future__ import annotations

import dataclasses

import reflex as rx

from jobapp.state import handoffs
from jobapp.state.base import AppState, in_session
from pipeline.store.board import BOARD_STATUSES, Column, board_columns, neighbour_status
from pipeline.store.jobs import JobQuery, new_key, set_status


@dataclasses.dataclass
class BoardCard:
    id: int = 0
    title: str = ""
    company: str = ""
    status: str = ""
    fit_score: int | None = None
    follow_up_on: str = ""
    overdue: bool = False
    next_interview: str = ""  # "YYYY-MM-DD HH:MM" in the browser's zone


@dataclasses.dataclass
class BoardColumn:
    status: str = ""
    total: int = 0
    more: int = 0
    cards: list[BoardCard] = dataclasses.field(default_factory=list)


def column_view(c: Column) -> BoardColumn:
    cards = [BoardCard(id=k.id, title=k.title, company=k.company, status=k.status, fit_score=k.fit_score, follow_up_on=k.follow_up_on,
                       overdue=k.overdue, next_interview=k.next_interview.replace("T", " ")[:16])
             for k in c.cards]  # fmt: skip
    return BoardColumn(status=c.status, total=c.total, more=c.more, cards=cards)


class BoardState(AppState):
    # One var a column (not one list): a move re-sends and re-renders the two columns it changed,
    # not the whole board (1,400 cards at 2,000 active applications). Names: "col_" + status.
    col_new: BoardColumn = BoardColumn(status="new")
    col_shortlisted: BoardColumn = BoardColumn(status="shortlisted")
    col_ready: BoardColumn = BoardColumn(status="ready")
    col_applied: BoardColumn = BoardColumn(status="applied")
    col_interviewing: BoardColumn = BoardColumn(status="interviewing")
    col_offer: BoardColumn = BoardColumn(status="offer")
    col_rejected: BoardColumn = BoardColumn(status="rejected")
    announce: str = ""  # read by the board's aria-live region after every move

    @property
    def columns(self) -> list[BoardColumn]:
        return [getattr(self, "col_" + s) for s in BOARD_STATUSES]

    @rx.event
    async def load(self):
        await self._load(await handoffs.jobs_query(self))

    async def _load(self, query: JobQuery):
        """Re-read the columns under the table's query (the table's refresh calls this while the board shows)."""
        zone = await handoffs.browser_zone(self)
        for column in await in_session(board_columns, query=query, zone=zone):
            view = column_view(column)
            if getattr(self, "col_" + column.status) != view:  # an unchanged column stays out of the delta
                setattr(self, "col_" + column.status, view)

    def _card(self, job_id: int) -> BoardCard | None:
        return next((k for c in self.columns for k in c.cards if k.id == job_id), None)

    @rx.event
    async def move(self, job_id: int, status: str):
        """The card's "Move to…" menu."""
        return await self._move(job_id, status, owner=self._owner(), refocus=False)

    @rx.event
    async def browser_move(self, value: str):
        """A drop or a Shift+Arrow from the board's script: "job id:target:how:nonce", where a
        keyboard move's target is "<" or ">" (the column before or after the card's)."""
        job_id, target, how = (value.split(":") + ["", "", ""])[:3]
        if not job_id.isdigit():
            return
        card = self._card(int(job_id))
        if card is None:
            return
        if target in ("<", ">"):
            step = -1 if target == "<" else 1
            target = neighbour_status(card.status, step) or ""
            if not target:
                self.announce = f"{card.title} is already in the {'first' if step < 0 else 'last'} column."
                return
        return await self._move(card.id, target, owner=self._owner(), refocus=how == "key")

    async def _move(self, job_id: int, status: str, *, owner: str, refocus: bool):
        """Every move: the signed-in owner's job only (a stranger's id changes nothing)."""
        if status not in BOARD_STATUSES:
            return rx.toast.error(f"Unknown status {status!r}.")
        card = self._card(job_id)
        changed = await in_session(set_status, job_ids=[job_id], status=status, key=new_key(), owner=owner)
        await handoffs.refresh_jobs(self)  # the table and its counts, and this board (the table's refresh reloads it)
        title = card.title if card else f"Job {job_id}"
        column = next((c for c in self.columns if c.status == status), None)
        where = f"{status} ({column.total} in the column)" if column else status
        if changed:
            self.announce = f"Moved {title} to {where}."
        elif card is not None and card.status == status:
            self.announce = f"{title} is already {status}."
        else:  # gone meanwhile (archived or deleted in another tab): the reload above shows where things are
            self.announce = f"{title} could not be moved; the board is up to date now."
            return [rx.toast.error(self.announce), handoffs.refresh_detail()]
        events = [handoffs.refresh_detail()]
        if refocus:
            events.append(rx.call_script(FOCUS_CARD_JS % (job_id, status)))
        return events

    @rx.event
    async def show_in_table(self, status: str):
        """A column's "N more": the table, filtered to that status, lists every one of them."""
        if status in BOARD_STATUSES:
            await handoffs.show_status_in_table(self, status)


# After a keyboard move the card is re-rendered in its new column: give it the focus back.
FOCUS_CARD_JS = """(() => { let n = 0; const go = () => { const c = document.querySelector('.board-card[data-card-id="%d"][data-status="%s"]');
  if (c) { c.focus(); c.scrollIntoView({block: 'nearest', inline: 'nearest'}); } else if (n++ < 20) setTimeout(go, 50); }; setTimeout(go, 30); })()"""
