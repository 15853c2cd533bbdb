"""Facts about a company from its own pages: whole sentences as the site wrote them, never new words.

`site_facts(pages, company)` picks sentences that say what the company does, how big it is
(people, offices, clinics, countries), when it was founded, its funding and news, its products
and its mission, each with the page it came from and when that page was fetched. A sentence is
kept verbatim (whitespace tidied); one that reads like a menu, a cookie notice or a call to
action is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from pipeline.graph.schemas import Research, ResearchFact
from pipeline.web.site import SitePage, SiteRead

KINDS = ("does", "size", "founded", "funding", "news", "product", "mission")
MAX_FACTS = 10
SEARCH_KINDS = ("founded", "funding", "news", "size")  # what a web search result may add (pipeline/web/search.py)
PER_KIND = {"does": 2, "size": 2, "founded": 1, "funding": 2, "news": 2, "product": 2, "mission": 1}

_NUM = r"(?:\d[\d,.’' ]*\+?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds|thousands)"
PATTERNS: dict[str, re.Pattern[str]] = {
    "founded": re.compile(
        r"\b(?:founded|established|started|since|gegründet|seit|fundad[ao]|desde|fondée?|créée?|depuis|opgericht|sinds|fondata)\b[^.]{0,60}?\b(?:1[89]\d\d|20\d\d)\b",
        re.IGNORECASE,
    ),
    "size": re.compile(
        rf"\b{_NUM}\s*(?:\w+\s+){{0,2}}(?:employees|people|staff|colleagues|engineers|nurses|team members|offices|clinics|locations|countries|stores|sites|"
        r"mitarbeiter(?:innen|\*innen)?|beschäftigte|standorte|länder|empleados|personas|oficinas|países|collaborateurs|salariés|bureaux|pays|"
        r"medewerkers|kantoren|landen|dipendenti|sedi)\b",
        re.IGNORECASE,
    ),
    "funding": re.compile(
        r"\b(?:raised|raises|funding|investment|investors?|series [a-e]|seed round|financing|finanzierung|finanzierungsrunde|ronda de financiación|"
        r"levée de fonds|lève|financieringsronde|acquired|acquisition|übernommen|ipo)\b",
        re.IGNORECASE,
    ),
    "news": re.compile(
        r"\b(?:opened|launched|launches|announced|announces|partnership|partnered|award|won|expands?|expanded|eröffnet|gestartet|"
        r"lanza|lanzó|inaugura|lance|ouvert|lanceert|geopend)\b",
        re.IGNORECASE,
    ),
    "product": re.compile(
        r"\b(?:our (?:app|platform|product|software|service)s?|the \w+ (?:app|platform)|product|platform|produkt|plattform|producto|plataforma|produit|plateforme|"
        r"lets (?:patients|customers|users|teams|people))\b",
        re.IGNORECASE,
    ),
    "mission": re.compile(
        r"\b(?:our mission|mission is|our vision|our purpose|we believe|unsere mission|unser ziel|nuestra misión|notre mission|onze missie)\b",
        re.IGNORECASE,
    ),
}
_DOES_VERBS = re.compile(
    r"\b(?:is an?|are an?|runs|run|builds|build|makes|make|develops|develop|designs|provides|provide|offers|offer|operates|helps|help|"
    r"creates|sells|manufactures|ist ein(?:e|er)?|entwickelt|betreibt|bietet|es una?|desarrolla|ofrece|est une?|développe|propose|"
    r"is een|ontwikkelt|biedt|è una?|sviluppa)\b",
    re.IGNORECASE,
)
_NOISE = re.compile(
    r"cookie|javascript|privacy|datenschutz|newsletter|subscribe|sign up|log ?in|all rights reserved|©|click|book an appointment|"
    r"read more|learn more|mehr erfahren|leer más|en savoir plus|lees meer|see our open roles",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Fact:
    text: str
    source_url: str
    fetched_at: datetime
    kind: str = ""


def sentences(text: str) -> list[str]:
    """Sentences of a page's main text: lines first (headings stay apart), then sentence ends."""
    out: list[str] = []
    for line in text.splitlines():
        line = " ".join(line.split()).strip("-*•· ")
        if not line:
            continue
        out += [s.strip() for s in re.split(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘A-ZÀ-Þ0-9£€$])", line) if s.strip()]
    return out


_PEOPLE = re.compile(r"(?i)\b(?:people|staff|colleagues|engineers|nurses|team members|employees|mitarbeiter|empleados|personas|collaborateurs|medewerkers|dipendenti)\b")
_EMPLOY = re.compile(r"(?i)\b(?:employ|employs|employing|team of|work(?:s|ing)? (?:at|for|here)|strong|beschäftig|arbeiten|trabajan|travaillent|werken|lavorano|headcount)")


def _size(sentence: str) -> bool:
    m = PATTERNS["size"].search(sentence)
    if not m:
        return False
    return not _PEOPLE.search(m.group(0)) or bool(_EMPLOY.search(sentence))  # "used by 40,000 people" is not a head count


def _kind(sentence: str, company_keys: list[str]) -> str:
    for kind in ("founded", "funding"):
        if PATTERNS[kind].search(sentence):
            return kind
    opening = " ".join(sentence.split()[:6]).lower()
    named = any(k in opening for k in company_keys) or re.match(r"(?i)^(?:we|wir|nosotros|nous|wij)\b", sentence)
    if named and _DOES_VERBS.search(" ".join(sentence.split()[:8])):
        return "does"
    if _size(sentence):
        return "size"
    for kind in ("mission", "product", "news"):
        if PATTERNS[kind].search(sentence):
            return kind
    return ""


def site_facts(pages: list[SitePage], company: str = "", limit: int = MAX_FACTS) -> list[Fact]:
    """Verbatim sentences about the company from `pages`, at most `limit`, in the order kinds matter for a letter."""
    keys = [w.lower() for w in re.findall(r"[\w&'-]{3,}", company)[:2] if w.lower() not in {"the", "gmbh", "ltd", "inc", "group"}]
    found: dict[str, list[Fact]] = {k: [] for k in KINDS}
    seen: set[str] = set()
    for page in pages:
        if page.kind == "careers":
            continue  # says what the jobs are, which the posting says better
        for s in sentences(page.text):
            if not 40 <= len(s) <= 320 or not s.endswith((".", "!", ")", '"', "”")) or _NOISE.search(s):
                continue
            if s.startswith(('"', "“")) and re.search(r"\bsaid\b|\bsagte\b|\bdijo\b|\ba déclaré\b|\bzei\b", s):
                continue  # a quote is a person's words, not a fact about the company
            kind = _kind(s, keys)
            key = re.sub(r"\W+", " ", s.lower()).strip()
            if page.kind == "search" and (kind not in SEARCH_KINDS or s.endswith(("...", "…")) or not keys or keys[0] not in s.lower()):
                continue  # a search snippet: only whole news/funding/size sentences that name the company
            if page.kind == "team" and kind not in ("does", "mission"):
                continue  # "Jonas leads a team of eight" is about Jonas, not the company
            if not kind or key in seen or len(found[kind]) >= PER_KIND[kind]:
                continue
            seen.add(key)
            found[kind].append(Fact(text=s, source_url=page.url, fetched_at=page.fetched_at, kind=kind))
    out = [f for k in KINDS for f in found[k]]
    return out[:limit]


def add_site_facts(research: Research, site: SiteRead | None, company: str = "") -> Research:
    """Research with the site's facts (replacing any it had: only extracted sentences are facts) and the pages read as sources.

    Search results (`site.search`) add news, funding and size sentences that name the company,
    after the site's own; a result is a source only when it gave a fact."""
    research.facts = []
    if not site or not (site.pages or site.search):
        return research
    facts = site_facts([*site.pages, *site.search], company)
    research.facts = [ResearchFact(text=f.text, source_url=f.source_url, fetched_on=f.fetched_at.date().isoformat()) for f in facts]
    research.sources += [p.url for p in site.pages if p.url not in research.sources]
    research.sources += [f.source_url for f in facts if f.source_url not in research.sources]  # search results that gave a fact
    if site.pages:
        research.website = site.pages[0].url
    if not research.company_summary:  # the site's own words on what the company does
        research.company_summary = " ".join(f.text for f in facts if f.kind == "does")
    return research
