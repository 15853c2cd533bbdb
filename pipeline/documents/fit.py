"""Fit a CV to a page budget: remove the bullets that matter least for one posting until it fits.

Why here and why this way: a tailored CV that spills onto a third page reads worse than one
without its least relevant lines, and the user should not have to guess which lines those
are. Relevance comes from the same text tools the fit score uses (lexicon skills with their
synonyms, the posting's must- and nice-to-haves, its key phrases), so "least relevant" means
what the rest of the app means by it. Page counts come from the caller (`count_pages`
renders the exact template and paper size), so this module knows nothing about Chromium;
it only keeps the renders few: one for the whole CV, then a bracketed binary search.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from pipeline.text.analysis import content_stems, key_phrases
from pipeline.text.cv import BULLET, MasterCV, parse_cv
from pipeline.text.lexicon import domain_of, expand, is_soft, skill_names
from pipeline.text.posting import PostingView

# Relevance of one bullet = the posting's needs it carries. A must-have outweighs a
# nice-to-have, which outweighs a key phrase; shared plain words only break near-ties
# (capped, so a long bullet never beats a bullet that names a required skill).
MUST_WEIGHT = 3.0
NICE_WEIGHT = 1.0
PHRASE_WEIGHT = 0.5
TERM_WEIGHT = 0.1
TERM_CAP = 4  # 4 * 0.1 < one phrase
SOFT_WEIGHT = 0.5  # "communication" is on every CV and in every posting: half weight
KEY_PHRASES = 15
TOP_TERMS = 30
CV_PAGE_BUDGETS = (1, 2)
CHARS_PER_LINE = 90  # of body text on a printed CV (A4/Letter, any template), for guessing only
# Skills and spoken-language lists stay whole: they are the keywords a screener and an
# applicant tracking system look for, and one of their lines saves almost no space.
KEPT_SECTIONS = ("skills", "languages")

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")


@dataclass(frozen=True)
class Cut:
    """One removable bullet (with any lines nested under it), and why it ranks where it does."""

    line: str  # the bullet as written; lines nested under it follow after "\n"
    section: str  # the section heading it sits under
    role: str  # the role heading ("" outside the experience section)
    score: float  # relevance to the posting: higher stays longer


@dataclass
class FitOutcome:
    """What fitting did, in words the user can act on."""

    markdown: str  # the fitted CV (the input unchanged when nothing was removed or it cannot fit)
    removed: list[str]  # removed bullets, least relevant first
    pages_before: int
    pages: int  # pages of `markdown`; when it cannot fit, of the CV without every removable bullet
    fits: bool
    would_remove: list[str] = field(default_factory=list)  # when it cannot fit: every removable bullet
    renders: int = 0
    message: str = ""


# --- ranking -------------------------------------------------------------------


@dataclass(frozen=True)
class _Needs:
    """What a posting asks for, in the forms a bullet is compared in."""

    must: tuple[tuple[frozenset[str], float], ...]  # alternatives ("A or B"), weight
    nice: tuple[tuple[frozenset[str], float], ...]
    phrases: tuple[frozenset[str], ...]  # stems of each key phrase
    terms: frozenset[str]  # the posting's most frequent content stems


def _groups(items: tuple[str, ...]) -> tuple[tuple[frozenset[str], float], ...]:
    out = []
    for item in items:
        alts = frozenset(a.strip() for a in item.split(" or ") if a.strip())
        if alts:
            out.append((alts, SOFT_WEIGHT if all(is_soft(a) for a in alts) else 1.0))
    return tuple(out)


def _needs(posting: PostingView | None) -> _Needs | None:
    if posting is None:
        return None
    text = "\n".join([posting.title, *(b.text for b in posting.blocks if b.kind != "offer")])
    phrases = tuple(st for p in key_phrases(text, k=KEY_PHRASES) if (st := frozenset(content_stems(p))))
    counts = Counter(s for s in content_stems(text) if len(s) >= 4 and not s.isdigit())
    terms = frozenset(s for s, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TERMS])
    return _Needs(_groups(posting.must), _groups(posting.nice), phrases, terms)


def _covers(alts: frozenset[str], skills: set[str], stems: set[str]) -> bool:
    """An 'A or B' need is carried by either; a name outside the lexicon by most of its words."""
    if alts & skills:
        return True
    return any(not domain_of(a) and (st := set(content_stems(a))) and len(st & stems) / len(st) >= 0.6 for a in alts)


def _relevance(text: str, needs: _Needs | None) -> float:
    """How much of what the posting asks for this text carries (0 without a posting)."""
    if needs is None:
        return 0.0
    skills = set(expand(skill_names(text)))
    stems = set(content_stems(text))
    score = sum(MUST_WEIGHT * w for alts, w in needs.must if _covers(alts, skills, stems))
    score += sum(NICE_WEIGHT * w for alts, w in needs.nice if _covers(alts, skills, stems))
    score += PHRASE_WEIGHT * sum(1 for p in needs.phrases if p <= stems)
    score += TERM_WEIGHT * min(TERM_CAP, len(stems & needs.terms))
    return round(score, 2)


@dataclass(frozen=True)
class _Item:
    cut: Cut
    age: int  # 0 = the newest role or no role; higher = older
    position: int  # line index in the CV


def _items(markdown: str, cv: MasterCV) -> list[_Item]:
    """Every removable bullet with its section, role and age, walking the lines in step with `parse_cv`.

    `parse_cv` reads sections and roles in line order, so matching its headings in turn
    says which section and role each line belongs to without parsing the CV a second way."""
    lines = markdown.splitlines()
    sections = list(cv.sections)
    roles = [(s, r) for s in sections for r in s.roles]
    first_exp = next((s for s in sections if s.kind == "experience"), None)
    newest = first_exp.roles[0] if first_exp and first_exp.roles else None
    ages = {id(r): i for i, (_, r) in enumerate(roles)}
    headings = {s.raw_heading for s in sections} | {r.heading for _, r in roles}
    # "## Jane Doe" as the first heading reads as a section: it is the name, and what sits
    # under it (contact details, even written as bullets) is the header.
    header = sections[0] if not cv.name and sections and sections[0].kind == "other" else None
    out: list[_Item] = []
    si = ri = -1
    i = 0
    while i < len(lines):
        line = lines[i]
        if si + 1 < len(sections) and line == sections[si + 1].raw_heading:
            si += 1
            i += 1
            continue
        sec = sections[si] if si >= 0 else None
        if sec is not None and ri + 1 < len(roles) and roles[ri + 1][0] is sec and line == roles[ri + 1][1].heading:
            ri += 1
            i += 1
            continue
        role = roles[ri][1] if ri >= 0 and roles[ri][0] is sec else None
        if sec is None or sec is header or sec.kind in KEPT_SECTIONS or not BULLET.match(line):
            i += 1
            continue
        block = _item_lines(lines, i, headings)
        if role is None or role is not newest:
            text = "\n".join(block)
            cut = Cut(line=text, section=sec.heading, role=role.heading.strip() if role else "", score=0.0)
            out.append(_Item(cut, ages[id(role)] if role else 0, i))
        i += len(block)
    return out


def _item_lines(lines: list[str], i: int, headings: set[str]) -> list[str]:
    """A bullet and what is nested under it (more-indented lines, up to a blank line).

    An unindented line after a bullet stays where it is: the CV reader may take it for a
    role heading or a date line, and removing too little is the safe mistake."""
    indent = len(lines[i]) - len(lines[i].lstrip())
    j = i + 1
    while (
        j < len(lines)
        and lines[j].strip()
        and len(lines[j]) - len(lines[j].lstrip()) > indent
        and not _HEADING.match(lines[j])
        and lines[j] not in headings
    ):
        j += 1
    return lines[i:j]


def rank_cuts(markdown: str, posting: PostingView | None) -> list[Cut]:
    """Removable bullets, least relevant first; ties: older role first, then longer first.

    Never listed: the name, the contact lines, headings, summary paragraphs, the skills
    and languages lists, and the bullets of the most recent role (the first role of the
    experience section)."""
    cv = parse_cv(markdown or "")
    needs = _needs(posting)
    items = [_Item(Cut(it.cut.line, it.cut.section, it.cut.role, _relevance(it.cut.line, needs)), it.age, it.position)
             for it in _items(markdown or "", cv)]  # fmt: skip
    items.sort(key=lambda it: (it.cut.score, -it.age, -len(it.cut.line), -it.position))
    return [it.cut for it in items]


# --- removing ------------------------------------------------------------------


def drop_lines(markdown: str, lines: list[str]) -> str:
    """The CV without exactly these bullets; every other byte stays as it was.

    A bullet written twice is removed from the bottom up, once per time it is listed:
    older roles sit lower, and the most recent role's copy must stay."""
    if not lines:
        return markdown
    src = markdown.splitlines(keepends=True)
    bare = markdown.splitlines()  # the same split as `src`, without the line ends
    want = Counter(lines)
    by_first: dict[str, list[list[str]]] = {}
    for entry in want:
        by_first.setdefault(entry.split("\n")[0], []).append(entry.split("\n"))
    removed = [False] * len(src)
    for i in range(len(src) - 1, -1, -1):
        for parts in by_first.get(bare[i], ()):
            entry = "\n".join(parts)
            span = range(i, i + len(parts))
            if want[entry] > 0 and span.stop <= len(src) and all(bare[j] == parts[j - i] and not removed[j] for j in span):
                for j in span:
                    removed[j] = True
                want[entry] -= 1
                break
    missing = [e for e, left in want.items() if left > 0]
    if missing:
        raise ValueError(f"Not a bullet of this CV: {missing[0].splitlines()[0][:80]!r}")
    not_bullets = [e for e in lines if not BULLET.match(e)]
    if not_bullets:
        raise ValueError(f"Only bullets can be removed, not {not_bullets[0][:80]!r}")
    return "".join(ln for ln, gone in zip(src, removed, strict=True) if not gone)


# --- fitting -------------------------------------------------------------------


def _weight(text: str) -> float:
    """Rough printed height of some markdown, in lines of body text (for the first guesses only).

    Measured on the print templates: a line holds about 90 characters, a list item adds a
    fifth of a line of spacing, a paragraph under half a line, a heading about two lines."""
    height = 0.0
    for line in text.splitlines():
        plain = line.strip()
        if not plain:
            continue
        heading = _HEADING.match(line)
        if heading:
            height += 2.0
        elif BULLET.match(line):
            height += math.ceil(len(plain) / CHARS_PER_LINE) + 0.2
        else:
            height += math.ceil(len(plain) / CHARS_PER_LINE) + 0.4
    return height


def _first_guesses(markdown: str, cuts: list[Cut], before: int, pages: int) -> tuple[int, int, int]:
    """(likely too few, best guess, likely enough) cuts, from how much text must go.

    The CV fills more than before-1 pages and at most `before`, so a page holds between
    W/before and W/(before-1) of its weight W; the best guess assumes the last page half full."""
    total = _weight(markdown)
    cum = [0.0]
    for c in cuts:
        cum.append(cum[-1] + _weight(c.line))

    def k_for(need: float) -> int:
        return next((k for k, w in enumerate(cum) if w >= need), len(cuts))

    cap_low, cap_mid = total / before, total / (before - 0.5)
    cap_high = total / (before - 1) if before > 1 else cap_mid
    return k_for(total - pages * cap_high) - 1, k_for(total - pages * cap_mid), k_for(total - pages * cap_low)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


async def fit_to_pages(markdown: str, *, pages: int, posting: PostingView | None,
                       count_pages: Callable[[str], Awaitable[int]]) -> FitOutcome:  # fmt: skip
    """The CV with the fewest least-relevant bullets removed so it prints on `pages` pages.

    Renders: the whole CV once; if over budget, a first guess from the page ratio, steps
    from it until one side fits and the other does not, then a binary search for the
    smallest number k of ranked cuts that fits (about log2 of the cuts in all). The k found
    was rendered and fits; k - 1 was rendered and does not (or is the whole CV). Every
    count is remembered: nothing is rendered twice."""
    if pages not in CV_PAGE_BUDGETS:
        raise ValueError(f"A CV can be fitted to 1 or 2 pages, not {pages}.")
    if not (markdown or "").strip():
        raise ValueError("The CV is empty: there is nothing to fit.")
    counted: dict[int, int] = {}
    cuts: list[Cut] = []

    async def pages_with(k: int) -> int:
        if k not in counted:
            counted[k] = await count_pages(drop_lines(markdown, [c.line for c in cuts[:k]]) if k else markdown)
        return counted[k]

    before = await pages_with(0)
    page_words = _plural(pages, "page")
    if before <= pages:
        return FitOutcome(markdown, [], before, before, True, renders=len(counted), message=f"Already fits {page_words}.")
    cuts = rank_cuts(markdown, posting)
    n = len(cuts)
    # The answer k lies in (lo, hi]: `lo` cuts are known to be too few, `hi` cuts known to fit
    # (n + 1: nothing known to fit yet). Probe the page-ratio guess, then step away from it
    # (half the distance to the model's bound, doubling) until the other side is found, then
    # bisect. Pages are whole numbers, so each render is one bit: the model only saves a few.
    lo, hi = 0, n + 1

    async def fits(k: int) -> bool:
        return await pages_with(k) <= pages

    if n:
        low_guess, guess, high_guess = _first_guesses(markdown, cuts, before, pages)
        k = min(max(guess, 1), n)
        if await fits(k):
            hi, step = k, max((k - max(low_guess, 0)) // 2, 1)
            while hi - lo > 1:
                k = max(hi - step, lo + 1)
                if not await fits(k):
                    lo = k
                    break
                hi, step = k, step * 2
        else:
            lo, step = k, max((high_guess - k) // 2, 1)
            while hi - lo > 1:
                k = min(lo + step, n)
                if await fits(k):
                    hi = k
                    break
                lo, step = k, step * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if await fits(mid):
            hi = mid
        else:
            lo = mid
    if hi > n:
        after = counted.get(n, before)
        why = f"even without the {_plural(n, 'removable bullet')}" if n else "and it has no bullet that may be removed"
        return FitOutcome(
            markdown, [], before, after, False, would_remove=[c.line for c in cuts], renders=len(counted),
            message=f"Cannot fit {page_words} {why}: shorten the summary or the most recent role by hand.",
        )  # fmt: skip
    removed = [c.line for c in cuts[:hi]]
    return FitOutcome(
        drop_lines(markdown, removed), removed, before, counted[hi], True, renders=len(counted),
        message=f"Fitted to {page_words} by removing {_plural(hi, 'bullet')}.",
    )  # fmt: skip
