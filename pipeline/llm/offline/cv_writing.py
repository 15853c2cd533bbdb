"""Writing from the master CV's own lines: the tailored CV, and CV bullets as prose.

Why its own module: the offline analyst's writing layer re-cuts the master CV for one
posting (never adding a line) and quotes its bullets in the first person or as STAR
parts; reading the CV itself is `pipeline.text.cv`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.text.cv import BULLET, MasterCV, split_items
from pipeline.text.lexicon import expand, fold, skill_names

# ---------------------------------------------------------------------------
# Tailored CV
# ---------------------------------------------------------------------------

_ITEM_LINE = re.compile(r"^(\s*(?:[-*•]\s+)?(?:\*\*[^*]{1,40}\*\*:?\s*|[^:,()]{1,30}:\s+)?)(.*)$")


def reorder_skills_line(line: str, matched: set[str]) -> tuple[str, int]:
    """Items naming a matched skill first (stable); returns the line and how many matched."""
    m = _ITEM_LINE.match(line)
    if not m or "," not in m.group(2):
        return line, int(bool(set(skill_names(line)) & matched))
    items = split_items(m.group(2))
    hits = [bool(set(skill_names(it)) & matched) for it in items]
    ordered = [it for it, h in zip(items, hits, strict=True) if h] + [it for it, h in zip(items, hits, strict=True) if not h]
    return m.group(1) + ", ".join(ordered), sum(hits)


def render_tailored(
    cv: MasterCV,
    bullet_score: Callable[[str], float],
    matched_skills: list[str],
    *,
    keep_recent: int = 5,
    keep_older: int = 3,
    max_summary: int = 4,
) -> str:
    """The master CV re-cut for one posting, using only its own lines.

    Summary sentences and role bullets are re-ranked by `bullet_score`; each role keeps
    its best bullets (more for the two most recent roles); skills lines put matched
    skills first. Headings, contact lines, dates and other sections are copied as-is.
    """
    matched = set(expand(matched_skills))
    out: list[str] = [cv.name_line, ""] if cv.name_line else []
    out += cv.header_lines
    role_no = 0
    for sec in cv.sections:
        out += ["", sec.raw_heading, ""] if out else [sec.raw_heading, ""]
        if sec.kind == "summary" and cv.summary_sentences:
            sents = cv.summary_sentences
            rest = sorted(range(1, len(sents)), key=lambda i: (-bullet_score(sents[i]), i))[: max_summary - 1]
            out.append(" ".join([sents[0]] + [sents[i] for i in rest]))
            out += [ln for ln in sec.lines if BULLET.match(ln)]
        elif sec.kind == "experience" and sec.roles:
            out += [ln for ln in sec.intro_lines]
            for role in sec.roles:
                keep = keep_recent if role_no < 2 else keep_older
                ranked = sorted(range(len(role.bullets)), key=lambda i: (-bullet_score(role.bullets[i]), i))[:keep]
                out += [role.heading, ""] + role.meta_lines + ([""] if role.meta_lines else [])
                out += [f"- {role.bullets[i]}" for i in ranked] + [""]
                role_no += 1
            while out and not out[-1].strip():
                out.pop()
        elif sec.kind == "skills":
            body = [reorder_skills_line(ln, matched) for ln in sec.lines]
            bullets = [(i, ln, n) for i, (ln, n) in enumerate(body) if BULLET.match(ln)]
            order = sorted(bullets, key=lambda t: (-t[2], t[0]))
            slots = iter(order)
            lines = [next(slots)[1] if BULLET.match(ln) else ln for ln, _ in body]
            out += _trim(lines)
        else:
            out += _trim(sec.lines)
    return "\n".join(_collapse(out)).strip() + "\n"


def _trim(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _collapse(lines: list[str]) -> list[str]:
    out: list[str] = []
    for ln in lines:
        if not ln.strip() and out and not out[-1].strip():
            continue
        out.append(ln.rstrip())
    return out


# ---------------------------------------------------------------------------
# Bullets as prose: citations and STAR parts
# ---------------------------------------------------------------------------

_BASE_VERBS = frozenset(
    ["deliver", "act", "administer", "keep", "teach", "plan", "use", "run", "lead", "manage", "build", "design", "own", "maintain", "support", "coordinate", "provide", "develop", "write", "review", "mentor", "coach", "train", "prepare", "monitor", "care", "assess", "supervise", "oversee", "handle", "process", "create", "analyse", "analyze", "deliver", "implement", "organise", "organize", "present", "negotiate", "sell", "drive", "improve", "ensure", "work", "collaborate", "partner"]
)
_IRREGULAR_PAST = frozenset(
    ["led", "built", "ran", "wrote", "cut", "taught", "made", "took", "set", "won", "grew", "drove", "brought", "kept", "held", "gave", "sold", "spent", "met", "found", "began", "became", "rebuilt", "oversaw", "undertook", "rewrote", "shipped", "put", "saw", "chose"]
)
_RESULT_CUE = re.compile(
    r"(?:,|;|\s[–—]|\s)\s*(?:reducing|cutting|bringing|lowering|raising|increasing|improving|saving|preventing|resulting in|after which|which"
    r"|so that|leading to|allowing|enabling|delivering|achieving|halving|doubling|taking|helping|(?:two|three|four|all|both|most|many|some) of whom)\b"
)


def starts_with_past_verb(bullet: str) -> bool:
    """'Led ...', 'Designed ...': the bullet reads as 'I <bullet>' in a letter."""
    first = fold(bullet.split(None, 1)[0]).strip(",;:") if bullet.strip() else ""
    return first in _IRREGULAR_PAST or (first.endswith("ed") and len(first) > 4)


def starts_with_verb(bullet: str) -> bool:
    """Past ('Led') or present ('Deliver') tense: either reads as 'I ...'."""
    first = fold(bullet.split(None, 1)[0]).strip(",;:") if bullet.strip() else ""
    return starts_with_past_verb(bullet) or first in _BASE_VERBS


def as_first_person(bullet: str) -> str:
    """'Led the move ...' -> 'I led the move ...'; other bullets are quoted unchanged."""
    b = bullet.strip().rstrip(".")
    if starts_with_verb(b) and not b.split()[0].isupper():
        return "I " + b[:1].lower() + b[1:] + "."
    return f"one line of my CV reads: “{b}.”"


def star_parts(bullet: str, language: str = "en") -> tuple[str, str, str]:
    """(task, action, result) split from one CV bullet, using only its words.

    The split reads English verbs and result cues; a line in another language (`language`,
    the CV's own) is kept whole as the action, with no task or result guessed from it.
    """
    b = bullet.strip().rstrip(".")
    if language != "en":
        return "", b[:1].upper() + b[1:], ""
    action, result = b, ""
    m = _RESULT_CUE.search(b)
    if m and len(b[: m.start()].split()) >= 3:
        action, result = b[: m.start()].strip(" ,;"), b[m.end() - len(m.group(0).lstrip(",;–— ")) :].strip()
    else:
        by = re.search(r"\s+by\s+(?=[\w-]+ing\b)", b)
        if by and re.search(r"\d", b[: by.start()]):
            result, action = b[: by.start()], "By " + b[by.end() :]
    head = result if action.startswith("By ") else action
    words_ = head.split()
    i = 1
    while i < len(words_):  # skip the leading verbs: "Assessed, planned, implemented and evaluated care ..."
        w, prev = words_[i], words_[i - 1]
        if fold(w) in ("and", "&") or (starts_with_verb(w) and (prev.endswith(",") or fold(prev) == "and")):
            i += 1
        else:
            break
    obj = " ".join(words_[i:])
    obj = re.split(r"\s\(|;|,\s|\s+(?:and|using|with)\s+\w+ed\b|\s+using\s", obj)[0].strip()
    result = result[:1].upper() + result[1:] if result else ""
    return obj, action[:1].upper() + action[1:], result
