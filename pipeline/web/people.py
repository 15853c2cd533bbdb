"""Named people from the company's own pages: a name only where a page states it with a role.

Two shapes are read, nothing else:
- a team page line "Name — Role" / "Name, Role" / "Name | Role" (a heading or a card), or a
  name line followed by a role line;
- a press sentence "said Name, CTO of X" / "Name, CEO of X, said".

The role must read like a job title (the words below), the name like a person's name (two or
three capitalised words, none of them a title word or the company's). Each person carries the
URL of the page that states them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.graph.schemas import Contact
from pipeline.web.site import SitePage, SiteRead

_UPPER = r"[A-ZÀ-ÖØ-ÞĀ-ŽŁŚŻ]"
_WORD = rf"{_UPPER}[a-zà-öø-ÿā-žłśżA-Z'’-]+"
_PARTICLE = r"(?:van|von|de|da|del|der|di|le|la|du|dos|das|ten|ter)"
NAME = rf"({_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_WORD}){{1,2}})"
ROLE_WORDS = re.compile(
    r"\b(?:chief \w+(?: \w+)? officer|ceo|cto|cfo|coo|cpo|cmo|ciso|vp|vice president|president|founder|co-founder|cofounder|"
    r"managing director|director|head of|lead|manager|recruiter|talent|people partner|hr business partner|partner|principal|chair|"
    r"geschäftsführer(?:in)?|vorstand|leiter(?:in)?|gründer(?:in)?|director[a]?|responsable|directeur|directrice|fondateur|fondatrice|"
    r"oprichter|directeur|hoofd|teamleider|recruiter)\b",
    re.IGNORECASE,
)
_NOT_NAME = frozenset(
    ["head", "chief", "officer", "director", "manager", "lead", "team", "our", "the", "about", "people", "talent", "patient", "experience", "engineering", "data", "product", "sales", "marketing", "operations", "finance", "design", "board", "leadership", "founder", "founders", "news", "press", "careers", "jobs", "vice", "president"]
)
_SEP = r"\s*(?:—|–|-|,|\||:)\s*"
TEAM_LINE = re.compile(rf"^{NAME}{_SEP}(.{{2,80}}?)\.?$")
PRESS = (
    re.compile(rf"\bsaid\s+{NAME},\s+(?:the\s+)?([^,.;\"”]{{2,60}}?)(?:\s+(?:of|at)\s+[^,.;\"”]{{2,60}})?[.,]"),
    re.compile(rf"(?:^|[\"”]\s*|\.\s+){NAME},\s+(?:the\s+)?([^,.;\"”]{{2,60}}?)(?:\s+(?:of|at)\s+[^,.;\"”]{{2,60}})?,\s+said\b"),
    re.compile(rf"\bsagte\s+{NAME},\s+([^,.;\"”]{{2,60}}?)(?:\s+(?:von|bei)\s+[^,.;\"”]{{2,60}})?[.,]"),
)


@dataclass(frozen=True)
class WebPerson:
    name: str
    role: str  # as the page states it ("Head of Data Engineering")
    source_url: str


def _is_name(name: str, company: str) -> bool:
    company_words = {w.lower() for w in re.findall(r"\w+", company)}
    parts = [p for p in name.split() if not re.fullmatch(_PARTICLE, p)]
    return len(parts) >= 2 and not any(p.lower() in _NOT_NAME or p.lower() in company_words for p in parts)


def _role(text: str) -> str:
    role = " ".join(text.split()).strip(" .,;:")
    if not ROLE_WORDS.search(role) or len(role) > 70 or re.search(r"[.!?]\s", role):
        return ""
    return role


def web_people(pages: list[SitePage], company: str = "", limit: int = 6) -> list[WebPerson]:
    out: list[WebPerson] = []

    def add(name: str, role: str, url: str) -> None:
        if role and _is_name(name, company) and all(p.name != name for p in out):
            out.append(WebPerson(name=name, role=role, source_url=url))

    for page in pages:
        if page.kind == "search":
            continue  # a search snippet never names a contact: only the company's pages and the posting do
        lines = [" ".join(ln.split()) for ln in page.text.splitlines() if ln.strip()]
        if page.kind == "team":
            for i, line in enumerate(lines):
                head = line.split(". ", 1)[0]  # "Amara Okafor — Chief Executive Officer. Amara co-founded ..."
                m = TEAM_LINE.match(head)
                if m:
                    add(m.group(1), _role(m.group(2)), page.url)
                elif re.fullmatch(NAME, line) and i + 1 < len(lines) and len(lines[i + 1]) <= 60:
                    add(line, _role(lines[i + 1]), page.url)  # a card: the name, then the role on its own line
        for line in lines:
            for pattern in PRESS:
                for m in pattern.finditer(line):
                    add(m.group(1), _role(m.group(2)), page.url)
    return out[:limit]


def contact_role(role: str) -> str:
    """The contact's role word for the people layer: recruiter for hiring roles, else "company contact"."""
    if re.search(r"(?i)recruit|talent|people partner|\bhr\b|human resources|personal", role):
        return "recruiter"
    return "company contact"


def web_contacts(site: SiteRead | None, company: str, known: list[Contact]) -> list[Contact]:
    """Contacts for the people a site states with a role, skipping names already in `known`."""
    out: list[Contact] = []
    for p in web_people(site.pages, company) if site else []:
        if all((c.name or "").casefold() != p.name.casefold() for c in [*known, *out]):
            out.append(Contact(role=f"{contact_role(p.role)} ({p.role})", name=p.name, source=p.source_url, is_placeholder=False))
    return out
