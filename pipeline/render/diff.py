"""What tailoring changed: the master CV against the tailored CV, line by line.

A tailored CV may only reorder, select and rephrase the master CV, so the view
answers exactly those questions: which lines were kept, dropped, reordered,
rephrased (with the words that changed) or added. Lines are compared as
whitespace-normalized text; the HTML carries escaped text only.
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from typing import Literal

Kind = Literal["kept", "removed", "added", "rephrased", "moved", "moved rephrased"]
REPHRASE_RATIO = 0.5  # word-level similarity above which an added line counts as a rephrasing of a dropped one
MAX_PAIRINGS = 200_000  # line comparisons when looking for rephrasings; a CV needs a few thousand
_WS = re.compile(r"\s+")
_WORDS = re.compile(r"\S+|\s+")
_TOKENS = re.compile(r"\w+")


@dataclass(frozen=True)
class DiffRow:
    kind: Kind
    text: str  # the tailored line (the master line for "removed")
    old: str = ""  # the master line a rephrased line came from


@dataclass(frozen=True)
class DiffCounts:
    kept: int = 0
    rephrased: int = 0
    dropped: int = 0
    reordered: int = 0
    added: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def __str__(self) -> str:
        parts = [f"{self.kept} lines kept", f"{self.rephrased} rephrased", f"{self.dropped} dropped", f"{self.reordered} reordered"]
        if self.added:
            parts.append(f"{self.added} added")
        return ", ".join(parts)


def _lines(md: str) -> list[str]:
    return [t for t in (_WS.sub(" ", line).strip() for line in (md or "").splitlines()) if t]


def diff_rows(master_md: str, tailored_md: str) -> list[DiffRow]:
    """The tailored CV in order, with dropped master lines where they used to be."""
    old, new = _lines(master_md), _lines(tailored_md)
    rows: list[DiffRow | None] = []
    removed: dict[int, int] = {}  # master index -> row slot (so a later match can take it back)
    added: list[tuple[int, int]] = []  # (tailored index, row slot)
    local: dict[int, range] = {}  # tailored index -> the master lines it replaced in place
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            rows.extend(DiffRow("kept", t) for t in new[j1:j2])
            continue
        for i in range(i1, i2):
            removed[i] = len(rows)
            rows.append(DiffRow("removed", old[i]))
        for j in range(j1, j2):
            local[j] = range(i1, i2)
            added.append((j, len(rows)))
            rows.append(None)
    pending: list[tuple[int, int]] = []
    by_text: dict[str, list[int]] = {}
    for i in removed:
        by_text.setdefault(old[i], []).append(i)
    # 1. the same line elsewhere in the master CV: reordered
    for j, slot in added:
        same = by_text.get(new[j])
        if not same:
            pending.append((j, slot))
            continue
        rows[removed.pop(same.pop(0))] = None
        rows[slot] = DiffRow("moved", new[j])
    # 2. a similar dropped line: rephrased (and reordered when it came from elsewhere)
    tokens = {i: _TOKENS.findall(old[i].lower()) for i in removed}
    budget = MAX_PAIRINGS
    for j, slot in pending:
        best, score = None, REPHRASE_RATIO
        sm = SequenceMatcher(None, autojunk=False)
        sm.set_seq2(_TOKENS.findall(new[j].lower()))
        for i in removed:
            budget -= 1
            if budget < 0:
                break
            sm.set_seq1(tokens[i])
            if sm.real_quick_ratio() > score and sm.quick_ratio() > score and sm.ratio() > score:
                best, score = i, sm.ratio()
        if best is None:
            rows[slot] = DiffRow("added", new[j])
            continue
        rows[removed.pop(best)] = None
        rows[slot] = DiffRow("rephrased" if best in local[j] else "moved rephrased", new[j], old[best])
    return [r for r in rows if r is not None]


def changed_line_count(master_md: str, tailored_md: str) -> DiffCounts:
    """Summary numbers for the UI: "12 lines kept, 3 rephrased, 4 dropped, 2 reordered"."""
    rows = diff_rows(master_md, tailored_md)
    n = {k: sum(1 for r in rows if r.kind == k) for k in ("kept", "removed", "added", "rephrased", "moved", "moved rephrased")}
    return DiffCounts(
        kept=n["kept"],
        rephrased=n["rephrased"] + n["moved rephrased"],
        dropped=n["removed"],
        reordered=n["moved"] + n["moved rephrased"],
        added=n["added"],
    )


def _word_diff(old: str, new: str) -> str:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(html.escape("".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(f"<del>{html.escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{html.escape(''.join(b[j1:j2]))}</ins>")
    return "".join(out)


def compare_html(master_md: str, tailored_md: str) -> str:
    """Escaped HTML, one `div.diff-line` a line, classed by what tailoring did to it."""
    out = ['<div class="cv-diff">']
    for row in diff_rows(master_md, tailored_md):
        text = html.escape(row.text)
        if row.kind == "removed":
            body = f"<del>{text}</del>"
        elif row.kind == "added":
            body = f"<ins>{text}</ins>"
        elif row.kind in ("rephrased", "moved rephrased"):
            body = _word_diff(row.old, row.text)
        else:
            body = text
        title = {"moved": "reordered", "moved rephrased": "reordered and rephrased", "removed": "dropped"}.get(row.kind, row.kind)
        out.append(f'<div class="diff-line {row.kind}" title="{title}">{body}</div>')
    out.append("</div>")
    return "\n".join(out)
