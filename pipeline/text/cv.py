"""Master-CV reading: header, sections, roles with dates, bullets and skills lines.

Why its own module: fit, writing, the traceability check and the profile editor all
need the same view of a CV; a tailored CV is rebuilt from exactly these lines, so it
never says more than the master.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.text.analysis import split_sentences
from pipeline.text.lexicon import expand, fold, skill_names

_SECTION_KINDS = (
    ("summary", r"summary|profile|about me|personal statement|objective|perfil|resumen|zusammenfassung|kurzprofil|uber mich|profil"
     r"|profiel|samenvatting|over mij|sobre mi|resume\b|a propos de moi"),
    ("experience", r"experience|employment|work history|career|positions|berufserfahrung|experiencia|erfahrung|berufliche|werdegang"
     r"|werkervaring|ervaring|loopbaan|werkgeschiedenis|parcours professionnel|trayectoria"),
    ("skills", r"skills|competenc|expertise|technical|tools|kenntnisse|habilidades|aptitudes|core strengths|competences|fahigkeiten"
     r"|vaardigheden|kennis\b|conocimientos"),
    ("languages", r"languages|sprachen|sprachkenntnisse|idiomas|langues|talen\b|talenkennis"),
    ("certifications", r"certif|licen|registration|accreditation|zertifi|training"),
    ("education", r"education|qualification|academic|ausbildung|formacion|formation|studium|bildung|opleiding|estudios"),
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|januar|februar|marz|mär|mrz|mrt|mai|mei|juni|juli|okt|dez|ene|abr|ago|dic|avr|fév|fev|jui|aoû|déc)[a-zéû]*\.?"
_DATE = rf"(?:{_MONTH}\s+)?(?:\d{{1,2}}/)?(?:19|20)\d{{2}}"
# "2019 – heden": the words for an ongoing role (a CV's own language, accents folded or not)
_PRESENT = (
    r"\b(?:present|current(?:ly)?|now|today|ongoing|heute|bis heute|derzeit|jetzt|aktuell|actualidad|actualmente|actual|la fecha|presente|hoy"
    r"|aujourd['’]hui|(?:à|a) ce jour|en cours|heden|huidig|nu)\b"
)
PRESENT = re.compile(_PRESENT, re.IGNORECASE)  # a role's dates say it is ongoing
DATE_RANGE = re.compile(rf"({_DATE})\s*(?:-|to|bis|a|à|au|tot|–|—)\s*({_DATE}|{_PRESENT})|({_DATE})", re.IGNORECASE)
_MONTHS = {m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])} | {
    "mrz": 3, "mrt": 3, "mai": 5, "mei": 5, "okt": 10, "dez": 12, "ene": 1, "abr": 4, "ago": 8, "dic": 12, "avr": 4, "fev": 2, "aou": 8,
}
BULLET = re.compile(r"^\s*(?:[-*•·▪]|\d{1,2}[.)])\s+")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_BOLD_ONLY = re.compile(r"^\s*\*\*([^*]+)\*\*\s*$")
_TITLE_SEPARATORS = (r"\s+[—–]\s+", r"\s+\|\s+", r"\s+@\s+", r"\s+(?:at|bei|en|chez)\s+", r"\s+-\s+", r",\s+")


def strip_md(text: str) -> str:
    """Markdown emphasis, links and bullet markers removed; the words stay as written."""
    text = BULLET.sub("", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    return re.sub(r"(\*\*|__|\*|_|`)", "", text).strip()


def is_date_line(line: str) -> bool:
    """A short line that is mostly dates (and a place): '*London · Apr 2021 – Present*'."""
    plain = strip_md(line)
    return bool(DATE_RANGE.search(plain)) and len(plain.split()) <= 14 and not BULLET.match(line)


def _year(token: str, today: dt.date) -> float | None:
    t = fold(token)
    if re.search(_PRESENT, t):
        return today.year + (today.month - 1) / 12
    y = re.search(r"(19|20)\d{2}", t)
    if not y:
        return None
    m = re.match(r"([a-z]+)", t)
    month = _MONTHS.get(m.group(1)[:3], 1) if m else 1
    return int(y.group(0)) + (month - 1) / 12


@dataclass
class Role:
    """One job in the experience section."""

    heading: str
    title: str
    company: str
    dates: str = ""
    meta_lines: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    start: float | None = None
    end: float | None = None


@dataclass
class CVSection:
    heading: str
    raw_heading: str
    kind: str
    lines: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    intro_lines: list[str] = field(default_factory=list)


@dataclass
class MasterCV:
    name: str
    name_line: str
    header_lines: list[str]
    sections: list[CVSection]
    text: str

    def section(self, kind: str) -> CVSection | None:
        return next((s for s in self.sections if s.kind == kind), None)

    @property
    def roles(self) -> list[Role]:
        return [r for s in self.sections if s.kind == "experience" for r in s.roles]

    @property
    def summary_sentences(self) -> list[str]:
        sec = self.section("summary")
        if sec is None:
            return []
        return [s for ln in sec.lines if ln.strip() and not BULLET.match(ln) for s in split_sentences(strip_md(ln))]

    @property
    def bullets(self) -> list[tuple[Role, str]]:
        return [(r, b) for r in self.roles for b in r.bullets]

    @property
    def skills(self) -> list[str]:
        """Every lexicon skill the CV states, plus what those imply."""
        return expand(skill_names(self.text))


def section_kind(heading: str) -> str:
    h = fold(heading)
    for kind, rx in _SECTION_KINDS:
        if re.search(rf"\b(?:{rx})", h):
            return kind
    return "other"


def _parse_role(heading_text: str, today: dt.date) -> Role:
    plain = strip_md(heading_text)
    dates = ""
    m = DATE_RANGE.search(plain)
    if m:
        dates = m.group(0)
        plain = (plain[: m.start()] + plain[m.end() :]).strip(" ()|,·-–—")
    parts = [plain]
    for sep in _TITLE_SEPARATORS:  # "Title (Band 6), Unit — Employer": the dash separates, not the comma
        pieces = [p.strip() for p in re.split(sep, plain, maxsplit=1) if p.strip()]
        if len(pieces) == 2:
            parts = pieces
            break
    role = Role(heading=heading_text, title=parts[0] if parts else plain, company=parts[1] if len(parts) > 1 else "")
    if dates:
        _set_dates(role, dates, today)
    return role


def _set_dates(role: Role, text: str, today: dt.date) -> None:
    m = DATE_RANGE.search(strip_md(text))
    if not m:
        return
    role.dates = m.group(0).strip()
    if m.group(1):
        role.start, role.end = _year(m.group(1), today), _year(m.group(2), today)
    else:
        role.start = role.end = _year(m.group(3), today)


def _is_section_heading(line: str) -> tuple[int, str] | None:
    m = _MD_HEADING.match(line)
    if m:
        return len(m.group(1)), m.group(2).strip()
    m = _BOLD_ONLY.match(line)
    if m and section_kind(m.group(1)) != "other" and len(m.group(1).split()) <= 4:
        return 2, m.group(1).strip().rstrip(":")
    plain = line.strip()
    if plain.isupper() and 1 <= len(plain.split()) <= 4 and section_kind(plain) != "other":
        return 2, plain.title()
    return None


@lru_cache(maxsize=64)
def parse_cv(markdown: str, today: dt.date | None = None) -> MasterCV:
    """Split a markdown CV into header, sections, roles (title, company, dates) and bullets."""
    today = today or dt.date.today()
    lines = (markdown or "").splitlines()
    name, name_line, header = "", "", []
    sections: list[CVSection] = []
    for line in lines:
        head = _is_section_heading(line)
        if head and head[0] == 1 and not name:
            name, name_line = head[1], line
            continue
        if head and (head[0] <= 2 or not sections):
            sections.append(CVSection(head[1], line, section_kind(head[1])))
            continue
        if not sections:
            if line.strip() and not name:
                name, name_line = strip_md(line), line
            elif line.strip():
                header.append(line)
            continue
        sec = sections[-1]
        sec.lines.append(line)
        if sec.kind != "experience":
            continue
        if head or (_BOLD_ONLY.match(line) and not is_date_line(line)):
            sec.roles.append(_parse_role(head[1] if head else line, today))
            sec.roles[-1].heading = line
        elif not sec.roles:
            if line.strip():
                sec.intro_lines.append(line)
        elif BULLET.match(line):
            sec.roles[-1].bullets.append(strip_md(line))
        elif line.strip():
            role = sec.roles[-1]
            role.meta_lines.append(line)
            if is_date_line(line) and role.start is None:
                _set_dates(role, line, today)
    return MasterCV(name=name, name_line=name_line, header_lines=header, sections=sections, text=markdown or "")


def years_of_experience(cv: MasterCV) -> float | None:
    """Years worked, from role dates with overlaps merged; else the number the CV states."""
    spans = sorted((r.start, r.end if r.end is not None else r.start) for r in cv.roles if r.start is not None)
    total, cur_s, cur_e = 0.0, None, None
    for s, e in spans:
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        total += cur_e - cur_s
    if total > 0:
        return round(total, 1)
    m = re.search(r"(\d{1,2})\+?\s*(?:years|yrs|jahre|anos)", fold(" ".join(cv.summary_sentences)))
    return float(m.group(1)) if m else None


def stated_years(cv: MasterCV) -> str | None:
    """'9 years' exactly as the CV's summary says it (so outreach never computes a claim)."""
    m = re.search(r"\b(\d{1,2}\+?\s*years?)\b", " ".join(cv.summary_sentences))
    return m.group(1) if m else None


def split_items(text: str) -> list[str]:
    """Comma-separated items at parenthesis depth 0: 'AWS (EKS, ECS), Docker' -> 2 items."""
    items, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "([" and 1 or (ch in ")]" and -1 or 0)
        if ch == "," and depth == 0:
            items.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        items.append(cur.strip())
    return items
