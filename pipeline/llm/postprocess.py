"""Checks applied to every writing result, whichever analyst (LLM or offline) made it.

Why here and not in each analyst: the promises a run makes - the tailored CV adds no
claim, a LinkedIn note fits LinkedIn's 300 characters, no stray HTML reaches a PDF -
must hold for both model paths, so one pure implementation enforces them.
"""

from __future__ import annotations

import re

from pipeline.graph.schemas import Outreach, PainPoints, StarStory, Writing
from pipeline.text.analysis import content_stems, norm_ws, split_sentences
from pipeline.text.claim_repair import Repair, repair_cv, repair_letter
from pipeline.text.cv import is_date_line, strip_md
from pipeline.text.evidence import shares_evidence
from pipeline.text.lexicon import fold

LINKEDIN_MAX_CHARS = 300
SUBJECT_MAX_CHARS = 120
COVER_LETTER_MAX_WORDS = 450

# A line is traceable when this share of its content words appear in the master CV
# at all, and at least BEST_LINE_SHARE of them in one master line or sentence.
ANYWHERE_SHARE = 0.8
BEST_LINE_SHARE = 0.5

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CONTACT = re.compile(r"@|https?://|www\.|linkedin\.com|github\.com|\+?\d[\d ()-]{7,}\d")
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$|^\s*\|?[\s:-]+\|[\s|:-]*$")
_CAP_WORD = re.compile(r"(?<![\w'])([A-Z][\w&+#.-]*[\w+#])")


def _numbers(text: str) -> set[str]:
    """Numbers as written minus thousands separators: '1,800' and '1800' are one number."""
    out = set()
    for n in _NUMBER.findall(text):
        out.add(n.replace(",", ""))
        out.add(n.replace(",", "").replace(".", ""))
    return out


def _content_lines(markdown: str) -> list[str]:
    """Lines that can carry a claim: not blank, not headings, rules, contact or date lines."""
    out = []
    for line in (markdown or "").splitlines():
        s = line.strip()
        if not s or s.startswith("#") or _RULE.match(s) or _CONTACT.search(s) or is_date_line(s):
            continue
        out.append(line)
    return out


class _Master:
    """The master CV as sets of stems, per sentence and overall, plus its numbers."""

    def __init__(self, master_md: str) -> None:
        plain_lines = [strip_md(ln) for ln in (master_md or "").splitlines() if ln.strip()]
        self.exact = {norm_ws(fold(ln)) for ln in plain_lines}
        self.units = [set(content_stems(u)) for ln in plain_lines for u in [ln, *split_sentences(ln)]]
        self.units = [u for u in self.units if u]
        self.all = set().union(*self.units) if self.units else set()
        self.numbers = _numbers(master_md or "")

    def traceable(self, unit: str) -> bool:
        toks = content_stems(unit)
        if not toks:
            return True
        if _numbers(unit) - self.numbers:
            return False  # a number the master never states is the surest sign of an invented claim
        for word in _CAP_WORD.findall(unit)[1:] if unit[:1].isupper() else _CAP_WORD.findall(unit):
            stems = content_stems(word)
            if stems and not any(s in self.all for s in stems):
                return False  # a new proper noun or acronym: an employer, tool or title the master lacks
        uniq = set(toks)
        anywhere = sum(1 for t in uniq if t in self.all) / len(uniq)
        if len(uniq) <= 3:
            return anywhere == 1.0
        best = max((len(uniq & u) / len(uniq) for u in self.units), default=0.0)
        return anywhere >= ANYWHERE_SHARE and best >= BEST_LINE_SHARE


def untraceable_lines(tailored_md: str, master_md: str) -> list[str]:
    """Tailored-CV statements with no source in the master CV, in order, without duplicates.

    Why: a tailored CV may reorder, select and rephrase, never invent. Each content line
    (and each sentence of a longer paragraph) must reuse the master's words: rephrasing
    that keeps the key words passes; a new number, a new proper noun, or mostly new
    words ("Led a team of 50 at Google") is reported. Headings, contact and date lines
    are skipped because they are copied, not claimed.
    """
    master = _Master(master_md)
    flagged: list[str] = []
    for line in _content_lines(tailored_md):
        plain = strip_md(line)
        if not plain or norm_ws(fold(plain)) in master.exact:
            continue
        units = split_sentences(plain) or [plain]
        for unit in units:
            if not master.traceable(unit):
                item = plain if len(units) == 1 else unit
                if item not in flagged:
                    flagged.append(item)
    return flagged


# ---------------------------------------------------------------------------
# Length limits and HTML
# ---------------------------------------------------------------------------

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_BREAK_TAG = re.compile(r"<br\s*/?>|</p>", re.IGNORECASE)


def strip_html(text: str) -> str:
    """Raw HTML tags and comments removed (line-break tags become newlines); '<5 years' survives."""
    text = _COMMENT.sub("", text or "")
    text = _BREAK_TAG.sub("\n", text)
    return _TAG.sub("", text)


def trim_chars(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a sentence end when that keeps most of it, else a word."""
    text = text.strip()
    if len(text) <= limit:
        return text
    head = text[:limit]
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s|$)", head)]
    if ends and ends[-1] >= limit * 0.6:
        return head[: ends[-1]].strip()
    cut = head[: limit - 1].rsplit(None, 1)[0] if " " in head[: limit - 1] else head[: limit - 1]
    return cut.rstrip(" ,;:-–—") + "…"


def trim_words(text: str, limit: int) -> str:
    """At most `limit` words, dropping whole sentences from the end of the body; a short sign-off is kept."""
    if len(text.split()) <= limit:
        return text
    paras = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    sign_off = paras.pop() if len(paras) > 1 and len(paras[-1].split()) <= 8 else ""
    budget = limit - len(sign_off.split())
    kept: list[str] = []
    used = 0
    for para in paras:
        sents = split_sentences(para.replace("\n", " ")) or [para]
        take = []
        for s in sents:
            n = len(s.split())
            if used + n > budget:
                break
            take.append(s)
            used += n
        if take:
            kept.append(" ".join(take))
        if len(take) < len(sents):
            break
    return "\n\n".join(kept + ([sign_off] if sign_off else []))


def enforce_limits(writing: Writing) -> Writing:
    """The pack within its channels' limits and free of raw HTML, for either model path.

    Why: LinkedIn rejects notes over 300 characters, mail clients truncate long
    subjects, a cover letter over ~450 words goes unread, and HTML that a model slips
    in would render literally in markdown and PDFs.
    """
    note = trim_chars(norm_ws(strip_html(writing.outreach.linkedin_note)), LINKEDIN_MAX_CHARS)
    subject = trim_chars(norm_ws(strip_html(writing.outreach.email_subject)), SUBJECT_MAX_CHARS)
    body = strip_html(writing.outreach.email_body).strip()
    stories = [
        StarStory(**{k: strip_html(v) if isinstance(v, str) else v for k, v in s.model_dump().items()}) for s in writing.star_stories
    ]
    return Writing(
        cv_markdown=strip_html(writing.cv_markdown),
        cover_letter=trim_words(strip_html(writing.cover_letter).strip(), COVER_LETTER_MAX_WORDS),
        outreach=Outreach(linkedin_note=note, email_subject=subject, email_body=body),
        star_stories=stories,
    )


def repair_claims(writing: Writing, master_md: str, *, posting: str = "") -> tuple[Writing, list[Repair]]:
    """The pack with every strengthened claim repaired: the CV against the master CV, the letter,
    e-mail body and LinkedIn note against the master CV and `posting` (title, employer and
    description, first lines first). See pipeline/text/claim_repair.py for what a repair is.

    Why here: a model may turn "contributed to" into "led" or 40 into 60; the offline analyst
    writes only from master lines, so for it this is a no-op, and both paths get the same promise."""
    cv, repairs = repair_cv(writing.cv_markdown, master_md)
    letter, done = repair_letter(writing.cover_letter, master_md, posting=posting, document="cover_letter")
    repairs += done
    body, done = repair_letter(writing.outreach.email_body, master_md, posting=posting, document="email")
    repairs += done
    note, done = repair_letter(writing.outreach.linkedin_note, master_md, posting=posting, document="linkedin_note")
    repairs += done
    stories, done = _repair_stories(writing.star_stories, master_md, posting)
    repairs += done
    if not repairs:
        return writing, []
    outreach = writing.outreach.model_copy(update={"email_body": body, "linkedin_note": note})
    return writing.model_copy(update={"cv_markdown": cv, "cover_letter": letter, "outreach": outreach, "star_stories": stories}), repairs


def _repair_stories(stories: list[StarStory], master_md: str, posting: str) -> tuple[list[StarStory], list[Repair]]:
    """Interview stories with their strengthened sentences dropped (or verbs softened), like a letter's.

    Why: a story told in an interview is a claim too; "I led the team of 12" from "contributed
    to" fails the first follow-up question. A story left with no action becomes a gap note."""
    out: list[StarStory] = []
    repairs: list[Repair] = []
    for story in stories:
        if story.gap and not story.action:
            out.append(story)
            continue
        fields: dict[str, str] = {}
        for name in ("situation", "task", "action", "result"):
            fields[name], done = repair_letter(getattr(story, name), master_md, posting=posting, document="star_story")
            repairs += done
        if fields == {n: getattr(story, n) for n in fields}:
            out.append(story)
        elif fields["action"].strip():
            out.append(story.model_copy(update=fields))
        else:
            out.append(StarStory(pain_point=story.pain_point, situation="", task="", action="", result="", gap=gap_note(story.pain_point)))
    return out, repairs


def gap_note(pain_point: str) -> str:
    """What interview prep says when the CV has no example for a need (both analysts use it)."""
    return f"Your CV has no example of “{pain_point}” yet: prepare a short story about a time you did this (the situation, what you did, the result)."


def validate_pairs(writing: Writing, pains: PainPoints) -> Writing:
    """Keep only STAR stories whose CV line shares a skill or term with its pain point (`shares_evidence`).

    Why: a model, like the old offline ranking, will happily answer a nursing duty with a
    Kubernetes bullet. An unrelated pair becomes an honest gap note instead of a story.
    """
    asked = {p.title: f"{p.title} {p.evidence}" for p in pains.items}
    stories: list[StarStory] = []
    for s in writing.star_stories:
        if s.gap and not s.source_line:
            stories.append(s)
            continue
        line = s.source_line or f"{s.action} {s.result}"
        if shares_evidence(asked.get(s.pain_point, s.pain_point), line):
            stories.append(s)
        elif not any(x.pain_point == s.pain_point for x in stories):
            stories.append(StarStory(pain_point=s.pain_point, situation="", task="", action="", result="", gap=gap_note(s.pain_point)))
    answered = {s.pain_point for s in stories if not s.gap}
    stories = [s for s in stories if not s.gap or s.pain_point not in answered]
    return writing.model_copy(update={"star_stories": stories})


__all__ = ["enforce_limits", "gap_note", "repair_claims", "validate_pairs", "strip_html", "trim_chars", "trim_words", "untraceable_lines"]
