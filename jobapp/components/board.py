"""The Board view: a column per status with its count, cards that open the job, and moves by
drag and drop, by a "Move to…" menu and by Shift+Arrow (announced in an aria-live region)."""

from __future__ import annotations

import reflex as rx

from jobapp.state.board import BoardCard, BoardColumn, BoardState
from jobapp.state.detail import DetailState
from pipeline.store.board import BOARD_STATUSES

# Drag a card onto a column (a mouse, or on a touch screen press and hold, then drag), or
# Shift+ArrowLeft/Right on a focused card, Enter to open it, arrows to move the focus between
# cards. Tab stops once per column (roving tabindex: the column's current card, then its "Move
# to…" menu), not once per card, so a keyboard crosses a board of 2,000 cards in 14 presses. The
# script writes "job id:target:how:nonce" into the hidden #board-move input and fires its input
# event, which Reflex sends to BoardState.browser_move (the nonce makes a repeat a change).
BOARD_JS = """
(() => {
  if (window.__jobappBoard) return; window.__jobappBoard = true;
  const send = (id, target, how) => {
    const input = document.getElementById('board-move');
    if (!input) return;
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, [id, target, how, Date.now()].join(':'));
    input.dispatchEvent(new Event('input', {bubbles: true}));
  };
  const clearOver = (keep) => document.querySelectorAll('.board-col.drop-over').forEach((c) => c !== keep && c.classList.remove('drop-over'));
  document.addEventListener('dragstart', (e) => {
    const card = e.target.closest && e.target.closest('.board-card');
    if (!card) return;
    e.dataTransfer.setData('text/plain', card.dataset.cardId);
    e.dataTransfer.effectAllowed = 'move';
    card.classList.add('dragging');
  });
  document.addEventListener('dragend', (e) => {
    const card = e.target.closest && e.target.closest('.board-card');
    if (card) card.classList.remove('dragging');
    clearOver(null);
  });
  document.addEventListener('dragover', (e) => {
    const col = e.target.closest && e.target.closest('.board-col');
    if (!col) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    clearOver(col); col.classList.add('drop-over');
  });
  document.addEventListener('drop', (e) => {
    const col = e.target.closest && e.target.closest('.board-col');
    if (!col) return;
    e.preventDefault(); clearOver(null);
    const id = e.dataTransfer.getData('text/plain');
    const card = id && document.querySelector('.board-card[data-card-id="' + id + '"]');
    if (card && card.dataset.status !== col.dataset.status) send(id, col.dataset.status, 'drag');
  });
  // Roving tabindex: one card per column is in the tab order (the last one focused there, else
  // the first), and only the focused card's menu; moves and new cards keep that true.
  const rove = (col, current) => {
    const cards = col.querySelectorAll('.board-card');
    const keep = current || col.querySelector('.board-card[tabindex="0"]') || cards[0];
    cards.forEach((c) => { const want = c === keep ? 0 : -1; if (c.tabIndex !== want) c.tabIndex = want; });
  };
  const roveAll = () => document.querySelectorAll('.board-col').forEach((col) => rove(col));
  let roveQueued = false;
  const touchesBoard = (r) => r.target.closest && (r.target.closest('.board') || r.target.querySelector('.board'));
  new MutationObserver((records) => {
    if (roveQueued || !records.some(touchesBoard)) return;
    roveQueued = true;
    requestAnimationFrame(() => { roveQueued = false; roveAll(); });
  }).observe(document.body, {childList: true, subtree: true});
  document.addEventListener('focusin', (e) => {
    const card = e.target.closest && e.target.closest('.board-card');
    if (!card) return;
    rove(card.closest('.board-col'), card);
    document.querySelectorAll('.board-card .card-move[tabindex="0"]').forEach((m) => { m.tabIndex = -1; });
    const menu = card.querySelector('.card-move');
    if (menu) menu.tabIndex = 0;
  });
  // Touch: press and hold a card, then drag it onto a column; a quick swipe still scrolls.
  let touch = null;
  const endTouch = () => {
    if (!touch) return;
    clearTimeout(touch.timer);
    touch.card.classList.remove('dragging'); touch.card.style.transform = '';
    clearOver(null); touch = null;
  };
  document.addEventListener('touchstart', (e) => {
    const card = e.target.closest && e.target.closest('.board-card');
    if (!card || e.touches.length !== 1 || e.target.closest('select')) return;
    const t = e.touches[0];
    touch = {card, x: t.clientX, y: t.clientY, active: false};
    touch.timer = setTimeout(() => { if (touch) { touch.active = true; card.classList.add('dragging'); } }, 350);
  }, {passive: true});
  document.addEventListener('touchmove', (e) => {
    if (!touch) return;
    const t = e.touches[0];
    if (!touch.active) { if (Math.hypot(t.clientX - touch.x, t.clientY - touch.y) > 10) endTouch(); return; }
    e.preventDefault();  // the held card moves, not the page
    touch.card.style.transform = `translate(${t.clientX - touch.x}px, ${t.clientY - touch.y}px)`;
    const board = touch.card.closest('.board');
    const edge = board.getBoundingClientRect();
    if (t.clientX > edge.right - 40) board.scrollLeft += 12; else if (t.clientX < edge.left + 40) board.scrollLeft -= 12;
    touch.card.style.visibility = 'hidden';
    const col = document.elementFromPoint(t.clientX, t.clientY)?.closest('.board-col');
    touch.card.style.visibility = '';
    clearOver(col); if (col) col.classList.add('drop-over');
    touch.col = col;
  }, {passive: false});
  document.addEventListener('touchend', (e) => {
    if (!touch) return;
    const {card, active, col} = touch;
    endTouch();
    if (!active) return;
    e.preventDefault();  // no click on the title: a drag is not a tap
    if (col && col.dataset.status !== card.dataset.status) send(card.dataset.cardId, col.dataset.status, 'drag');
  });
  document.addEventListener('touchcancel', endTouch);
  document.addEventListener('keydown', (e) => {
    const card = e.target.closest && e.target.closest('.board-card');
    if (!card || e.target.tagName === 'SELECT') return;
    if (e.shiftKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      e.preventDefault();
      send(card.dataset.cardId, e.key === 'ArrowLeft' ? '<' : '>', 'key');
    } else if (!e.shiftKey && e.target === card && ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'].includes(e.key)) {
      // Up/Down: the card above or below; Left/Right: the first card of the column beside.
      e.preventDefault();
      let to = null;
      if (e.key === 'ArrowUp') to = card.previousElementSibling;
      else if (e.key === 'ArrowDown') to = card.nextElementSibling;
      else {
        let col = card.closest('.board-col');
        do { col = e.key === 'ArrowLeft' ? col.previousElementSibling : col.nextElementSibling; } while (col && !col.querySelector('.board-card'));
        to = col && col.querySelector('.board-card');
      }
      if (to) { to.focus(); to.scrollIntoView({block: 'nearest', inline: 'nearest'}); }
    } else if (e.key === 'Enter' && e.target === card) {
      e.preventDefault();
      card.querySelector('.card-title').click();
    }
  });
})();
"""


def move_menu(card: BoardCard) -> rx.Component:
    return rx.el.select(
        rx.el.option("Move to…", value="", disabled=True),
        *[rx.el.option(s, value=s) for s in BOARD_STATUSES],
        value="",
        on_change=lambda v: BoardState.move(card.id, v),
        aria_label="Move " + card.title + " to",
        class_name="card-move",
        tab_index=-1,  # in the tab order only on the focused card (BOARD_JS)
        data_testid="card-move",
    )


def card_view(card: BoardCard) -> rx.Component:
    return rx.el.li(
        rx.el.button(card.title, on_click=DetailState.open(card.id), class_name="card-title", type="button", tab_index=-1),
        rx.el.div(card.company, class_name="card-company"),
        rx.el.div(
            rx.cond(card.fit_score, rx.el.span("fit ", rx.el.b(card.fit_score), class_name="card-fit"), rx.el.span("fit –", class_name="muted")),
            rx.cond(
                card.follow_up_on != "",
                rx.el.span(
                    rx.cond(card.overdue, "overdue: follow up ", "follow up "), card.follow_up_on,
                    class_name=rx.cond(card.overdue, "card-date overdue", "card-date"), data_testid="card-follow-up",
                ),
            ),
            rx.cond(card.next_interview != "", rx.el.span("interview ", card.next_interview, class_name="card-date", data_testid="card-interview")),
            class_name="card-meta",
        ),
        move_menu(card),
        class_name=rx.cond(DetailState.job_id == card.id, "board-card focused", "board-card"),
        tab_index=-1,  # BOARD_JS puts one card per column in the tab order
        draggable=True,
        key=card.id,  # React keeps each card's node: a move inserts one card instead of rewriting the column
        data_card_id=card.id,
        data_status=card.status,
        data_testid="board-card",
        aria_describedby="board-hint",
    )


def column_view(status: str, column: BoardColumn) -> rx.Component:
    heading = "board-h-" + status
    return rx.el.section(
        rx.el.h2(
            rx.el.span(status, class_name="badge status-" + status),
            " ",
            rx.el.span(column.total, class_name="col-count", data_testid="col-count"),
            id=heading,
            class_name="board-col-h",
        ),
        rx.cond(column.total == 0, rx.el.p("No jobs here.", class_name="board-empty muted")),
        rx.el.ul(rx.foreach(column.cards, card_view), class_name="board-cards", aria_labelledby=heading),
        rx.cond(
            column.more > 0,
            rx.el.button(column.more, " more: show them in the table", on_click=BoardState.show_in_table(status), class_name="link board-more"),
        ),
        aria_labelledby=heading,
        class_name="board-col",
        data_status=status,
        data_testid="board-col-" + status,
    )


def board_view() -> rx.Component:
    return rx.el.div(
        rx.el.div(*[column_view(s, getattr(BoardState, "col_" + s)) for s in BOARD_STATUSES], class_name="board", data_testid="board"),
        rx.el.p("Tab moves between columns, arrow keys between cards. Drag a card to another column, or press Shift+Left or Shift+Right to move it; Enter opens the job.", id="board-hint", class_name="sr-only"),
        rx.el.div(BoardState.announce, role="status", aria_live="polite", class_name="sr-only", data_testid="board-announce"),
        rx.el.input(id="board-move", type="text", on_change=BoardState.browser_move, hidden=True, aria_hidden="true", tab_index=-1),
        class_name="board-wrap",
    )
