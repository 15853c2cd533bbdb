"""Checking the model's research facts against the pages they cite.

On the model path the research layer sends the company's fetched pages to the model and asks
for short summaries, each citing a page (by the id it was labelled with) and quoting the words
it rests on. A summary is kept only when
- the cited page is one that was sent,
- the quote occurs on that page (whitespace, quote marks, dashes and case do not matter, and a
  tiny difference is tolerated: a character or two in a long quote), and is long enough to
  carry a claim (at least four words), and
- the quote does not read like an instruction to a model (a prompt injection on the page), and
- the summary adds nothing the quote lacks: every number in it (years, amounts, percentages,
  head counts) is in the quote, and every name (a capitalised word) is in the quote or the
  company's name;
- a quote from a web search result (a page of kind "search": a snippet about any company of a
  similar name) names the company itself.
Everything else is dropped; the caller logs how many and why, never the pages' text.

The checks are deliberately strict: a dropped fact costs the dossier a line, a wrong one costs
the candidate credibility in a letter or an interview.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from pydantic import BaseModel, Field, field_validator

from pipeline.graph.schemas import ResearchFact
from pipeline.web.site import SitePage

MIN_QUOTE_WORDS = 4
FUZZY_MIN = 0.95  # similarity of a quote to its best-matching stretch of the page
FUZZY_SCAN_CHARS = 40_000  # a near match is looked for in this much of a page (the model saw less of it)
MAX_FACTS = 10

# Why a fact was dropped (the run log counts them).
NO_PAGE = "cites a page that was not sent"
NOT_ON_PAGE = "quote not on the cited page"
SHORT_QUOTE = "quote too short to check"
ADDS_NUMBER = "adds a number the quote lacks"
ADDS_NAME = "adds a name the quote lacks"
DUPLICATE = "repeats another fact"
INSTRUCTION = "reads like an instruction to a model"
OTHER_COMPANY = "search result quote does not name the company"

# Text on a page that speaks to a model rather than about the company (prompt injection): a fact
# quoting it, or saying it, is not a fact even when the page has the words.
_INSTRUCTION = re.compile(
    r"(?i)\b(?:ignore|disregard|forget|override)\b.{0,40}?\b(?:instructions?|prompts?|rules|above)\b|\bsystem prompt\b"
    r"|\b(?:ai|language model|assistant|chatbot|llm)s?\b.{0,30}?\b(?:must|should|always|never)\b"
    r"|\b(?:say|state|claim|write|answer|respond|tell \w+)(?: that)? (?:the|this) (?:company|employer)\b"
)


class CitedFact(BaseModel):
    """One fact as the model gives it: a summary sentence, the page it cites, the words it quotes."""

    text: str = Field(description="one sentence about the company, in the requested language")
    page: str = Field(description="the id of the page the fact comes from, e.g. P2")
    quote: str = Field(description="the exact words on that page the sentence rests on, copied verbatim (one sentence or part of one)")

    @field_validator("page", mode="before")
    @classmethod
    def _page_id(cls, v: object) -> object:
        return f"P{v}" if isinstance(v, int) else v


class CitedFacts(BaseModel):
    """The model's reply: facts about the company from the pages, each with its citation."""

    facts: list[CitedFact] = Field(description="facts the pages state about the company (at most 10); [] when they state none")


@dataclass(frozen=True)
class Checked:
    kept: list[ResearchFact]
    dropped: Counter[str]


def page_id(index: int) -> str:
    """The label of the `index`-th page sent (0-based): P1, P2, ..."""
    return f"P{index + 1}"


# ---------------------------------------------------------------------------- normalising

_QUOTES = str.maketrans({"’": "'", "‘": "'", "‚": "'", "‛": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
                         "‹": "'", "›": "'", "–": "-", "—": "-", "‐": "-", "‑": "-", "‒": "-", "−": "-", "…": "..."})  # fmt: skip


def normalise(text: str) -> str:
    """Text compared for quoting: NFKC, one kind of quote mark and dash, case folded, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES).casefold()
    return " ".join(text.split())


def _trimmed(quote: str) -> str:
    """A quote without the marks and ellipses models put around it."""
    return normalise(quote).strip(" \"'.,;:-").removeprefix("...").removesuffix("...").strip(" \"'.,;:-")


def find_quote(quote: str, page_text: str) -> str | None:
    """The stretch of `page_text` (normalised) that `quote` quotes, or None when the page does not
    have it. A long quote may differ by a character or two; what it claims is then read from the
    page's own words, so a changed digit in a quote never counts (see `adds_to_quote`)."""
    q, page = _trimmed(quote), normalise(page_text)
    if not q:
        return None
    if q in page:
        return q
    if len(q) < 30:
        return None  # a short quote must match exactly: one wrong character may be the claim
    ratio, start = _partial_ratio(q, page[:FUZZY_SCAN_CHARS])
    return page[max(0, start - 8) : start + len(q) + 8] if ratio >= FUZZY_MIN else None


def quote_on_page(quote: str, page_text: str) -> bool:
    """`quote` occurs in `page_text` (normalised; a near-identical stretch counts for a long quote)."""
    return find_quote(quote, page_text) is not None


def _partial_ratio(short: str, long: str) -> tuple[float, int]:
    """The best similarity of `short` to a same-length stretch of `long`, and where that stretch starts
    (rapidfuzz's partial_ratio, with difflib)."""
    if len(short) > len(long):
        return 0.0, 0
    best, where = 0.0, 0
    for a, b, size in SequenceMatcher(None, short, long, autojunk=False).get_matching_blocks():
        if size < 4:
            continue
        start = max(0, min(b - a, len(long) - len(short)))
        ratio = SequenceMatcher(None, short, long[start : start + len(short)], autojunk=False).ratio()
        if ratio > best:
            best, where = ratio, start
    return best, where


# ---------------------------------------------------------------------------- what a summary claims

_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f,.'’]\d{3})+(?!\d)|\d+(?:[.,]\d+)?")
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10",
    "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17",
    "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
    "first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5", "sixth": "6", "seventh": "7", "eighth": "8",
    "ninth": "9", "tenth": "10", "eleventh": "11", "twelfth": "12", "twentieth": "20",
    "ein": "1", "eine": "1", "zwei": "2", "drei": "3", "vier": "4", "fünf": "5", "sechs": "6", "sieben": "7", "acht": "8", "neun": "9",
    "zehn": "10", "elf": "11", "zwölf": "12", "uno": "1", "una": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5", "seis": "6",
    "siete": "7", "ocho": "8", "nueve": "9", "diez": "10", "doce": "12", "un": "1", "une": "1", "deux": "2", "trois": "3", "quatre": "4",
    "cinq": "5", "sept": "7", "huit": "8", "neuf": "9", "dix": "10", "douze": "12", "een": "1", "twee": "2", "drie": "3", "vijf": "5",
    "zes": "6", "zeven": "7", "negen": "9", "tien": "10", "twaalf": "12",
}  # fmt: skip


def numbers(text: str) -> set[str]:
    """The numbers in `text`, separators normalised ("10,000", "10 000", "10.000" -> "10000"; "3,5" -> "3.5")."""
    out = set()
    for m in _NUMBER.finditer(unicodedata.normalize("NFKC", text or "")):
        raw = m.group(0)
        if re.fullmatch(r"\d{1,3}(?:[ \u00a0\u202f,.'’]\d{3})+", raw):
            out.add(re.sub(r"\D", "", raw))
        else:
            out.add(raw.replace(",", "."))
    return out


def _quote_numbers(quote: str) -> set[str]:
    """Numbers the quote states, in figures or in words ("twelve clinics" states 12)."""
    words = {_NUMBER_WORDS[w] for w in re.findall(r"[^\W\d_]+", quote.casefold()) if w in _NUMBER_WORDS}
    return numbers(quote) | words


# Words a sentence may start with that name nothing.
_STARTER_WORDS = (
    "the a an it its this that these they their there today since in on at with by as for from after before over about its "
    "we our us he she his her founded based established headquartered launched backed owned led run "
    "according currently recently now around more over nearly almost approximately roughly some each every all both "
    "while although because besides also additionally together across through under within per "
    "der die das ein eine es sie ihr ihre seit im in mit unter über heute wir unser unsere "
    "el la los las un una es su sus desde en con hoy nosotros nuestra nuestro "
    "le la les un une il elle ils elles son sa ses depuis en avec aujourd'hui nous notre "
    "de het een zij haar hun sinds in met vandaag wij onze ons"
)
_STARTERS = frozenset(_STARTER_WORDS.split())
_LEGAL = frozenset({"the", "gmbh", "ltd", "inc", "group", "plc", "llc", "ag", "bv", "sa", "sas", "sl", "srl", "spa", "nv", "co", "corp"})
_NOUNS_CAPITALISED = {"de", "lb"}  # languages that capitalise every noun: only name-like words are checked
_WORD = re.compile(r"[^\W\d_][\w'’&.-]*", re.UNICODE)


def names(text: str, language: str = "") -> list[str]:
    """The capitalised words of `text` that may be names (a sentence's first word only when it is not
    a common opener; in German only acronyms, words with inner capitals and runs of capitalised words)."""
    out: list[str] = []
    sentence_start = True
    words = list(_WORD.finditer(text or ""))
    for i, m in enumerate(words):
        w = m.group(0).rstrip(".'’-")
        first = sentence_start
        before = text[words[i - 1].start() : m.start()] if i else ""
        sentence_start = False
        if i and re.search(r"[.!?:]['’\"”)]*\s+$", before):
            first = True
        if not w or not w[0].isupper():
            continue
        if first and w.casefold() in _STARTERS:
            continue
        if (language or "").lower() in _NOUNS_CAPITALISED and not _name_like(w, words, i, text):
            continue
        out.append(w)
    return out


def _name_like(w: str, words: list[re.Match[str]], i: int, text: str) -> bool:
    if len(w) >= 2 and (w.isupper() or any(c.isupper() for c in w[1:])):
        return True  # NHS, GmbH, McKinsey

    def cap(j: int) -> bool:
        return (
            0 <= j < len(words)
            and words[j].group(0)[:1].isupper()
            and words[j].group(0).casefold() not in _STARTERS
            and text[words[min(i, j)].end() : words[max(i, j)].start()].strip() == ""
        )

    return cap(i - 1) or cap(i + 1)  # "Calder Ventures", "Amara Okafor"


def adds_to_quote(summary: str, quote: str, company: str = "", language: str = "") -> str:
    """Why `summary` says more than `quote` (ADDS_NUMBER / ADDS_NAME), or "" when it does not."""
    allowed_numbers = _quote_numbers(quote) | numbers(company)
    if numbers(summary) - allowed_numbers:
        return ADDS_NUMBER
    known = {w.casefold().rstrip(".'’-") for w in _WORD.findall(f"{quote} {company}")}
    flat = normalise(f"{quote} {company}")
    for name in names(summary, language):
        key = name.casefold()
        if key in known or key.removesuffix("'s").removesuffix("’s") in known:
            continue
        if len(key) >= 4 and key in flat:  # "Northwind's" / a name inside a longer word of the quote
            continue
        return ADDS_NAME
    return ""


# ---------------------------------------------------------------------------- the check


def check_facts(facts: list[CitedFact], pages: dict[str, SitePage], company: str = "", language: str = "") -> Checked:
    """The facts whose citation holds, as ResearchFacts with the cited page's URL, fetch date and the
    quote; the count of the others by reason. `pages` maps each id that was sent to its page."""
    kept: list[ResearchFact] = []
    dropped: Counter[str] = Counter()
    seen: set[str] = set()
    key_word = next((w.casefold() for w in _WORD.findall(company) if len(w) >= 3 and w.casefold() not in _LEGAL), "")
    for fact in facts:
        text = " ".join((fact.text or "").split())
        page = pages.get((fact.page or "").strip().upper())
        if not text:
            continue
        if page is None:
            dropped[NO_PAGE] += 1
            continue
        if len(_trimmed(fact.quote).split()) < MIN_QUOTE_WORDS:
            dropped[SHORT_QUOTE] += 1
            continue
        stated = find_quote(fact.quote, page.text)
        if stated is None:
            dropped[NOT_ON_PAGE] += 1
            continue
        if _INSTRUCTION.search(stated) or _INSTRUCTION.search(fact.quote) or _INSTRUCTION.search(text):
            dropped[INSTRUCTION] += 1
            continue
        if page.kind == "search" and (not key_word or key_word not in stated):
            dropped[OTHER_COMPANY] += 1
            continue
        why = adds_to_quote(text, stated, company, language)
        if why:
            dropped[why] += 1
            continue
        key = normalise(text)
        if key in seen:
            dropped[DUPLICATE] += 1
            continue
        seen.add(key)
        kept.append(
            ResearchFact(text=text, source_url=page.url, fetched_on=page.fetched_at.date().isoformat(), quote=" ".join(fact.quote.split()))
        )
    return Checked(kept=kept[:MAX_FACTS], dropped=dropped)


def describe_dropped(dropped: Counter[str]) -> str:
    """ "3 (2 quote not on the cited page, 1 adds a number the quote lacks)" for the run log."""
    total = sum(dropped.values())
    return f"{total} (" + ", ".join(f"{n} {why}" for why, n in dropped.most_common()) + ")"
