"""Repairing what the claim check flags, before a tailored CV, letter or outreach is saved.

Why: listing a strengthened claim in the review leaves the user to find and fix it; a model
that wrote "Led the company-wide migration of 60 services" from "Contributed to the migration
of 40 services" should never get that line as far as a saved file. The master CV holds the
faithful wording, so the repair puts it back:

- CV line with a master source: replaced by the master's line (bullet or paragraph form kept;
  not repeated when the CV already shows it). With no source it was invented: dropped.
  A skills list that names a tool the master never does loses only that item. A role heading
  with a changed title or dates gets the master's title and dates. Headings, the name and the
  contact line are never touched (the check never flags them).
- Letter, e-mail or LinkedIn note: a flagged sentence is dropped, or, when the only finding is
  an inflated English verb with a master source, the master's verb stands in ("I led" ->
  "I contributed to"; `soften_verb` says when that is safe). The greeting and the sign-off
  stay, so the letter still reads as a letter.

Every change is a `Repair`, for the run log (`describe`) and the run's result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.text.analysis import norm_ws, split_sentences
from pipeline.text.claims import ClaimFlag, check_claims, new_skills, role_pairs, soften_verb, source_lines
from pipeline.text.cv import BULLET, is_date_line, section_kind, split_items, strip_md
from pipeline.text.lexicon import fold

_LIST_KINDS = ("skills", "languages", "certifications", "education")
_CONTACT = re.compile(r"@|https?://|www\.|linkedin\.com|github\.com|\+?\d[\d ()-]{7,}\d")
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$|^\s*\|?[\s:-]+\|[\s|:-]*$")
_BOLD_LINE = re.compile(r"^\s*\*\*[^*]+\*\*\s*$")
_LABEL = re.compile(r"^(\*\*[^*]{1,40}\*\*:?\s*|[^,:()]{1,30}:\s+)")
_SAYS = re.compile(r'^Says "(.+?)" where your CV says "(.+?)"')
_ADDS = re.compile(r'^Adds (?:the number )?"(.+?)"')
_NAMES = re.compile(r"^Names (.+?), which")
# A greeting or sign-off line: short, and ends the way such lines do ("Dear Ms Smith,", "Kind regards,").
_FRAME_WORDS = 12
_SIGN_OFF_WORDS = 8


@dataclass(frozen=True)
class Repair:
    document: str  # "cv", "cover_letter", "email", "linkedin_note" or "star_story" (interview prep)
    action: str  # "replaced" (the master's line), "softened" (the master's verb), "pruned" (a list item), "restored" (role title/dates), "dropped"
    line: str  # the flagged line or sentence as the model wrote it (markdown stripped)
    now: str  # what stands in its place ("" when dropped)
    source: str  # the master CV line(s) it came from, " / " between two ("" when none: invented)
    kinds: tuple[str, ...]  # the claim check's kinds that fired
    changes: tuple[str, ...]  # short forms of the findings: "Led -> Contributed to", "60 -> 40", "company-wide removed"

    def as_dict(self) -> dict[str, object]:
        return {"document": self.document, "action": self.action, "line": self.line, "now": self.now, "source": self.source,
                "kinds": list(self.kinds), "changes": list(self.changes)}


def _change(flag: ClaimFlag) -> str:
    """'Says "Led" where your CV says "Contributed to".' -> 'Led -> Contributed to'; additions -> 'X removed'."""
    m = _SAYS.match(flag.why)
    if m:
        old, new = m.group(1), m.group(2)
        if flag.kind == "verb_inflation" and old[:1].islower():
            new = new[:1].lower() + new[1:]
        return f"{old} -> {new}"
    m = _ADDS.match(flag.why) or _NAMES.match(flag.why)
    if m:
        return f"{m.group(1).replace(chr(34), '')} removed"
    return flag.kind


def _key(text: str) -> str:
    return norm_ws(fold(strip_md(text)))


@dataclass
class _Line:
    index: int
    raw: str
    kind: str  # the section kind ("other" for a letter)
    plain: str
    units: list[str]
    whole: bool  # the line is one claim unit (a bullet, a list line), not a paragraph of sentences


def _claim_lines(markdown: str) -> list[_Line]:
    """The lines the claim check reads claims from, with the same units (see claims._claim_units)."""
    lines = markdown.splitlines()
    kind = "header" if any(re.match(r"^##\s", ln) for ln in lines) else "other"
    out: list[_Line] = []
    for i, raw in enumerate(lines):
        s = raw.strip()
        if not s or _RULE.match(s):
            continue
        if s.startswith("#"):
            if s.startswith("##") and not s.startswith("###"):
                kind = section_kind(s.lstrip("#").strip())
            continue
        if kind == "header" or _CONTACT.search(s) or is_date_line(s) or (_BOLD_LINE.match(s) and kind == "experience"):
            continue
        plain = strip_md(s)
        if not plain:
            continue
        whole = bool(BULLET.match(raw)) or kind in _LIST_KINDS
        units = [plain] if whole else (split_sentences(plain) or [plain])
        out.append(_Line(i, raw, kind, plain, units, whole or units == [plain]))
    return out


def _prefix(raw: str) -> str:
    m = BULLET.match(raw)
    return m.group(0) if m else raw[: len(raw) - len(raw.lstrip())]


def _master_text(unit: str, master_md: str) -> str:
    """The master's own text for a source unit: its line with inline markdown when the unit is a whole line."""
    for raw in master_md.splitlines():
        body = BULLET.sub("", raw.strip().lstrip("#").strip())
        if body and strip_md(body) == unit:
            return body
    return unit


def _sources(unit: str, flags: list[ClaimFlag], master_md: str) -> list[str]:
    if not flags[0].source:
        return []
    return source_lines(unit, master_md) or [flags[0].source]


def _prune(raw: str, master_md: str, *, any_line: bool) -> str | None:
    """A list line without the items naming skills the master never does ('' when none is left; None: not a list).

    In a skills-like section every line is a list; elsewhere only a labelled one of three or more items
    ("**Tools:** Jira, Kubernetes, Git"), so a sentence is never cut at its commas."""
    body = raw[len(_prefix(raw)) :]
    label = _LABEL.match(body)
    head, rest = (label.group(0), body[label.end() :]) if label else ("", body)
    items = split_items(rest)
    if len(items) < 2 or (not any_line and (not label or len(items) < 3)):
        return None
    kept = [it for it in items if not new_skills(strip_md(it), master_md)]
    if len(kept) == len(items):
        return None
    return _prefix(raw) + head + ", ".join(kept) if kept else ""


def _group(flags: list[ClaimFlag]) -> dict[str, list[ClaimFlag]]:
    out: dict[str, list[ClaimFlag]] = {}
    for f in flags:
        if f.kind not in ("date", "title"):
            out.setdefault(f.line, []).append(f)
    return out


def _repair(fl: list[ClaimFlag], document: str, action: str, line: str, now: str) -> Repair:
    return Repair(document, action, line, now, fl[0].source, tuple(dict.fromkeys(f.kind for f in fl)), tuple(dict.fromkeys(_change(f) for f in fl)))


# ---------------------------------------------------------------------------
# CV
# ---------------------------------------------------------------------------


def _restore_roles(tailored_md: str, master_md: str, flags: list[ClaimFlag]) -> tuple[str, list[Repair]]:
    """The master's title and dates put back into role headings and date lines the check flagged."""
    role_flags = [f for f in flags if f.kind in ("title", "date")]
    if not role_flags:
        return tailored_md, []
    lines = tailored_md.splitlines()
    repairs: list[Repair] = []
    for role, match in role_pairs(tailored_md, master_md):
        heading = strip_md(role.heading.lstrip("#").strip())
        mine = [f for f in role_flags if f.line == heading or f.line.startswith(heading + " (")]
        if not mine:
            continue
        changed = False
        for i, raw in enumerate(lines):
            new = raw
            if raw == role.heading and any(f.kind == "title" for f in mine):
                new = raw.replace(role.title, match.title, 1) if role.title in raw else match.heading
            if any(f.kind == "date" for f in mine) and (raw == role.heading or raw in role.meta_lines) and role.dates in new:
                new = new.replace(role.dates, match.dates, 1)
            if new != raw:
                lines[i], changed = new, True
        if changed:
            repairs.append(_repair(mine, "cv", "restored", heading, strip_md(match.heading.lstrip("#").strip())))
    return _join(lines, tailored_md), repairs


def _join(lines: list[str], like: str) -> str:
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text + ("\n" if like.endswith("\n") and not text.endswith("\n") else "")


def _cv_pass(tailored_md: str, master_md: str, flags: list[ClaimFlag], *, replace: bool) -> tuple[str, list[Repair]]:
    by_unit = _group(flags)
    if not by_unit:
        return tailored_md, []
    lines = tailored_md.splitlines()
    present = {_key(u) for ln in _claim_lines(tailored_md) for u in ln.units}
    repairs: list[Repair] = []
    out: dict[int, list[str]] = {}  # line index -> what replaces it ([] drops it)
    # Whole lines (bullets) first: when a bullet and a summary sentence share a source, the bullet gets
    # the master's line and the summary sentence, now a repeat, goes.
    for ln in sorted(_claim_lines(tailored_md), key=lambda x: not x.whole):
        hit = [u for u in ln.units if u in by_unit]
        if not hit:
            continue
        if ln.whole:
            fl = by_unit[ln.plain]
            pruned = _prune(ln.raw, master_md, any_line=ln.kind in _LIST_KINDS) if all(f.kind == "new_skill" for f in fl) else None
            if pruned:
                out[ln.index] = [pruned]
                repairs.append(_repair(fl, "cv", "pruned", ln.plain, strip_md(pruned)))
                continue
            new = [s for s in _sources(ln.plain, fl, master_md) if _key(s) not in present] if replace else []
            if new:
                present.update(_key(s) for s in new)
                texts = [_master_text(s, master_md) for s in new]
                out[ln.index] = [_prefix(ln.raw) + t for t in texts] if BULLET.match(ln.raw) else [_prefix(ln.raw) + " ".join(texts)]
                repairs.append(_repair(fl, "cv", "replaced", ln.plain, " / ".join(new)))
            else:
                out[ln.index] = []
                repairs.append(_repair(fl, "cv", "dropped", ln.plain, ""))
            continue
        kept: list[str] = []
        for u in ln.units:
            if u not in by_unit:
                kept.append(u)
                continue
            fl = by_unit[u]
            new = [s for s in _sources(u, fl, master_md) if _key(s) not in present] if replace else []
            if new:
                present.update(_key(s) for s in new)
                kept.extend(new)
                repairs.append(_repair(fl, "cv", "replaced", u, " / ".join(new)))
            else:
                repairs.append(_repair(fl, "cv", "dropped", u, ""))
        out[ln.index] = [_prefix(ln.raw) + " ".join(kept)] if kept else []
    lines = [x for i, raw in enumerate(lines) for x in out.get(i, [raw])]
    return _join(lines, tailored_md), repairs


def repair_cv(tailored_md: str, master_md: str) -> tuple[str, list[Repair]]:
    """The tailored CV with every flagged claim repaired (see the module doc), and what was done.

    A second pass drops whatever a first-pass replacement still leaves flagged, so the result
    carries no line flag; a role flag that the master's title and dates cannot clear is left
    for the review (a heading is never dropped)."""
    if not (tailored_md or "").strip() or not (master_md or "").strip():
        return tailored_md, []
    flags = check_claims(tailored_md, master_md)
    if not flags:
        return tailored_md, []
    text, repairs = _restore_roles(tailored_md, master_md, flags)
    text, done = _cv_pass(text, master_md, check_claims(text, master_md), replace=True)
    repairs += done
    text, done = _cv_pass(text, master_md, check_claims(text, master_md), replace=False)
    return text, repairs + done


# ---------------------------------------------------------------------------
# Letters and outreach
# ---------------------------------------------------------------------------


def _frame_lines(text: str) -> set[int]:
    """Line indexes of the greeting (a short first line) and the sign-off (a short last paragraph) -
    lines that end without a full stop, as "Dear Ms Smith," and "Kind regards," / "Sam Coder" do."""
    lines = text.splitlines()
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    if not filled:
        return set()
    frame = {filled[0]} if len(lines[filled[0]].split()) <= _FRAME_WORDS else set()
    last: list[int] = []
    for i in reversed(filled):
        if last and i != last[-1] - 1:
            break
        last.append(i)
    if sum(len(lines[i].split()) for i in last) <= _SIGN_OFF_WORDS:
        frame.update(last)
    return {i for i in frame if not re.search(r"[.!?…]\W*$", lines[i].strip())}


def repair_letter(text: str, master_md: str, *, posting: str = "", document: str = "cover_letter") -> tuple[str, list[Repair]]:
    """The letter (or e-mail, or note) with each flagged sentence dropped or its verb softened, and what was done.

    `posting` is the job's title, employer and description, first lines first (see `check_claims`:
    the letter may name the job's skills and numbers, not claim them in the first person)."""
    if not (text or "").strip() or not (master_md or "").strip():
        return text, []
    by_unit = _group(check_claims(text, master_md, posting=posting))
    if not by_unit:
        return text, []
    frame = _frame_lines(text)
    lines = text.splitlines()
    repairs: list[Repair] = []
    out: dict[int, list[str]] = {}
    for ln in _claim_lines(text):
        if ln.index in frame or not any(u in by_unit for u in ln.units):
            continue
        kept: list[str] = []
        for u in ln.units:
            fl = by_unit.get(u)
            if not fl:
                kept.append(u)
                continue
            soft = soften_verb(u, fl[0].source) if fl[0].source and all(f.kind == "verb_inflation" for f in fl) else None
            if soft and not check_claims(soft, master_md, posting=posting):
                kept.append(soft)
                repairs.append(_repair(fl, document, "softened", u, soft))
            else:
                repairs.append(_repair(fl, document, "dropped", u, ""))
        if kept == ln.units:
            continue
        if ln.whole and len(ln.units) == 1 and kept:
            out[ln.index] = [ln.raw.replace(ln.units[0], kept[0], 1) if ln.units[0] in ln.raw else _prefix(ln.raw) + kept[0]]
        else:
            out[ln.index] = [_prefix(ln.raw) + " ".join(kept)] if kept else []
    lines = [x for i, raw in enumerate(lines) for x in out.get(i, [raw])]
    return _join(lines, text).strip("\n") + ("\n" if text.endswith("\n") else ""), repairs


# ---------------------------------------------------------------------------
# The run log
# ---------------------------------------------------------------------------

_NAMES_OF = {"cv": "CV", "cover_letter": "cover letter", "email": "outreach e-mail", "linkedin_note": "LinkedIn note", "star_story": "interview stories"}
_MAX_CHANGES = 6
_ROLE_CHANGE = {"title": "job title as in your CV", "date": "dates as in your CV"}


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def describe(document: str, repairs: list[Repair]) -> str:
    """One log line for one document: 'claim check, CV: repaired 2 lines (Led -> Contributed to; 60 -> 40), dropped 1 invented line'."""
    mine = [r for r in repairs if r.document == document]
    if not mine:
        return ""
    unit = "line" if document == "cv" else "sentence"
    parts: list[str] = []
    fixed = [r for r in mine if r.action != "dropped"]
    if fixed:
        # A role's title and dates are said as such: the run log names no employer, title or date.
        changes = list(dict.fromkeys(c for r in fixed for c in (r.changes if r.action != "restored" else [_ROLE_CHANGE.get(k, k) for k in r.kinds])))
        more = f"; {len(changes) - _MAX_CHANGES} more" if len(changes) > _MAX_CHANGES else ""
        parts.append(f"repaired {_n(len(fixed), unit)} ({'; '.join(changes[:_MAX_CHANGES])}{more})")
    invented = [r for r in mine if r.action == "dropped" and not r.source]
    shown = [r for r in mine if r.action == "dropped" and r.source]
    if document != "cv":
        if invented or shown:
            parts.append(f"dropped {_n(len(invented) + len(shown), unit)}")
    else:
        if invented:
            parts.append(f"dropped {_n(len(invented), 'invented line')}")
        if shown:
            parts.append(f"dropped {_n(len(shown), 'line')} whose faithful wording the CV already shows")
    return f"claim check, {_NAMES_OF.get(document, document)}: " + ", ".join(parts)


__all__ = ["Repair", "describe", "repair_cv", "repair_letter"]
