"""A job posting read once: identity, level, language, must- and nice-to-have skills, duties.

Why its own module: the offline analyst's layers and job matching both read a posting
the same way; `analyse` is deterministic and cached, so a posting read for matching is
read once for every title searched.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.text.analysis import (
    Block,
    Section,
    blocks_of,
    classify_heading,
    detect_language,
    duty_phrase,
    level_from_title,
    level_from_years,
    parse_posting,
    years_required,
)  # fmt: skip
from pipeline.text.intake_fields import band_level, read_fields, without_grade_words
from pipeline.text.lexicon import NICE_CLAUSE, domain_of, find_skills, fold

NOT_HARD = ("soft", "language", "education")  # lexicon domains that are not hard skills


def add_unique(target: list[str], items: list[str]) -> None:
    """Append the items `target` does not have yet, in order."""
    target.extend(it for it in dict.fromkeys(items) if it not in target)


@dataclass(frozen=True)
class PostingView:
    sections: tuple[Section, ...]
    blocks: tuple[Block, ...]
    title: str
    company: str
    location: str
    language: str
    seniority: str
    years: int | None
    must: tuple[str, ...]
    nice: tuple[str, ...]
    responsibilities: tuple[str, ...]
    work_mode: str = ""  # "remote" | "hybrid" | "onsite" | "" (see intake_fields)
    salary: str = ""
    language_requirements: tuple[str, ...] = ()
    deadline: str = ""  # ISO date or ""


_OR_GAP = re.compile(
    r"^[\s,/()]*(?:(?:or|oder|o|u|ou|and/or|y/o|e\.g\.?|such as|for example|z\.\s?b\.?|como|p\.\s?ej\.?|like)\b\.?)?[\s,/()]*"
    r"(?:(?:a|an|any|another|other|similar|equivalent|comparable|un|una|otro|otra|equivalente|similar|ein|eine|einem|einer|einen|andere[nm]?"
    r"|vergleichbare[nmr]?)\s+)*$"
)
_OR_WORD = re.compile(r"\b(?:or|oder|o|u|ou|e\.g|such as|for example|z\.\s?b|como|p\.\s?ej|like)\b|/")
_CLAUSE = re.compile(r";|\.\s+(?=[A-Z])|\s[–—]\s")


def skill_groups(text: str) -> list[str]:
    """Skills named in one requirement; alternatives stay together: 'Kafka, Kinesis or Pulsar' -> 'Kafka or Kinesis or Pulsar'."""
    folded = fold(text)
    chains: list[list] = []
    for hit in find_skills(text):
        gap = folded[chains[-1][-1].end : hit.start] if chains else ""
        if chains and _OR_GAP.match(gap) and ("(" not in gap or _OR_WORD.search(gap)):
            chains[-1].append(hit)
        else:
            chains.append([hit])
    out: list[str] = []
    for chain in chains:
        names = list(dict.fromkeys(h.name for h in chain))
        gaps = " ".join(folded[a.end : b.start] for a, b in itertools.pairwise(chain))
        out.extend([" or ".join(names)] if len(names) > 1 and _OR_WORD.search(gaps) else names)
    return out


def _drop_members(items: list[str]) -> list[str]:
    """A single skill already inside an 'A or B' item of the same list is not listed twice."""
    grouped = {n for g in items if " or " in g for n in g.split(" or ")}
    return [g for g in items if " or " in g or g not in grouped]


_NICE_BEFORE = re.compile(r",?\s*\b(?:preferably|ideally|idealerweise|idealmente|de preferencia|preferiblemente|idealement)\b", re.IGNORECASE)


_LOOKING = re.compile(
    r"\b(?:looking for|hiring|recruiting|seeking|buscamos|busca|necesitamos|incorporamos|wir suchen|suchen wir|sucht"
    r"|nous recherchons|nous recrutons|recherche|recrute|wij zoeken|zoeken wij|we zoeken|zoeken we|zoekt)\s+"
    r"(?:(?:ab sofort|zum nächstmöglichen zeitpunkt|per direct|per subito|de inmediato|immediately|dringend|urgently)\s+)?"
    r"(?:(?:an?|our first|a new|un/una|un/a|un\(e\)|una?|une|eine/n|eine\(n\)|einen|eine?|een)\s+)?"
    r"(?:(?:enthusiastic|experienced|motivated|talented|passionate|ervaren|enthousiaste|gemotiveerde|motivierte[nr]?|engagierte[nr]?"
    r"|erfahrene[nr]?|motivad[oa](?:/a)?|motivée?|motivé\(e\)|dynamique)\s+)*"
    r"(?!(?:someone|somebody|people|you|iemand|jemanden|alguien|quelqu'un|personas|personnes|mensen|talent)\b)"
    r"([^,.;:!?\n]{3,60}?)(?=\s+(?:to|who|for|with|that|from|in|on|at|para|que|con|en|zur|zum|für|fur|mit|ab|pour|qui|avec|au|à|dans|sur"
    r"|voor|die|met|om|bij)\b|\s*[,.;:(!?]|$)",
    re.IGNORECASE,
)
# "Hola," "Bonjour à toutes et à tous," "Beste lezer,": an e-mail's greeting is never the job's name
_GREETING = re.compile(
    r"^(?:hi|hello|hey|dear|good (?:morning|afternoon)|greetings|hola|buenos d[ií]as|buenas(?: tardes)?|estimad[oa]s?|querid[oa]s?|saludos"
    r"|bonjour|bonsoir|madame|monsieur|cher|chère|chers|chères|salut|hallo|liebe[rs]?|sehr geehrte[rs]?|guten (?:tag|morgen)|moin|servus"
    r"|beste|geachte|hoi|goedemorgen|goedemiddag)\b",
    re.IGNORECASE,
)
# "Asunto: Jefe/a de Almacén", "Betreff: Stellenangebot – Buchhalter/in": a mail subject names the job
_SUBJECT_LINE = re.compile(r"^(?:subject|re|fwd?|betreff|asunto|objet|onderwerp)\s*:\s*(.+)$", re.IGNORECASE)
_SUBJECT_PREFIX = re.compile(
    r"^(?:(?:re|fwd?|aw|wg|tr)\s*:\s*)*(?:(?:job|vacancy|job opening|opening|stellenangebot|stellenanzeige|stelle|vacature|oferta(?: de empleo)?"
    r"|offre d'emploi|offre|poste|recrutement|candidatura)\s*[:–—-]\s*|(?:vacature|stellenangebot|offre d'emploi|oferta de empleo)\s+)?",
    re.IGNORECASE,
)
_DATA_LINE = re.compile(r"^\s*[{<\[]")  # JSON-LD or HTML pasted with the posting


def is_greeting(line: str) -> bool:
    """A short salutation line ('Hi all,', 'Estimados candidatos:', 'Beste lezer,')."""
    plain = re.sub(r"\*\*|__", "", line).strip()
    return bool(_GREETING.match(plain)) and len(plain.split()) <= 8 and (bool(re.search(r"[,!:]$", plain)) or len(plain.split()) <= 3)


_NEEDED = re.compile(r"^([A-Z][\w /&-]{2,40}?)\s+(?:needed|wanted|required|gesucht|se busca|gezocht|recherchée?)\b")
_SUBJECT = re.compile(
    r"^(?:\*\*)?((?:The\s+)?[A-Z][\w&'’.-]*(?:\s+(?:&\s+)?[A-Z][\w&'’.-]*){0,4})(?:\*\*)?\s+(?:is|are|ist|es|est|runs|builds|makes|helps|operates|"
    r"processes|moves|powers|gives|turns|designs|develops|provides)\b"
)
_LOCATION = re.compile(r"\b(?:based in|located in|offices? in|Location:|Standort:|Ubicación:)\s+([A-Z][\w-]+(?:,?\s+[A-Z][\w-]+){0,2})")


def _capital(t: str) -> str:
    return t[:1].upper() + t[1:]


def _guess_title(desc: str, blocks: list[Block], company: str) -> str:
    """The posting's own name for the job: a mail subject, a top heading, a short first line, or 'looking for a X'.

    An e-mail's greeting ("Hola,", "Bonjour,") is skipped; the role named in the first
    sentences ("Buscamos un/a Jefe/a de Almacén", "wij zoeken een Junior Accountant") is found.
    """
    lines = [ln.strip() for ln in desc.splitlines() if ln.strip()][:8]
    for ln in lines[:4]:
        m = _SUBJECT_LINE.match(re.sub(r"\*\*|__", "", ln).strip())
        if m:
            t = _SUBJECT_PREFIX.sub("", m.group(1)).strip(" *")
            if t:
                return _capital(t)
    first = next((ln for ln in lines if not is_greeting(ln) and not _SUBJECT_LINE.match(re.sub(r"\*\*|__", "", ln).strip())), "")
    plain = re.sub(r"^#+\s+|\*\*", "", first).strip()
    title_like = first.startswith("# ") or (
        not first.startswith("#") and len(plain.split()) <= 12 and not re.search(r"[.!?:,;]$", plain) and not _DATA_LINE.match(plain)
        and not re.match(r"^[^:]{1,30}:\s", plain) and not _LOOKING.search(plain)
    )  # fmt: skip
    if title_like and plain and classify_heading(plain) == "other" and len(plain.split()) <= 14:
        return plain
    for b in blocks:
        m = _LOOKING.search(b.text) or _NEEDED.match(b.text)
        if m:
            t = m.group(1).strip(" *")
            return _capital(t)
    return f"Role at {company}" if company else "Untitled role"


def _guess_company(sections: tuple[Section, ...]) -> str:
    for s in sections:
        m = re.match(r"^(?:about|uber|sobre|a propos de)\s+(?!us\b|uns\b|the\b|nosotros\b|you\b|this\b)\S", fold(s.heading))
        if m:
            return s.heading.split(None, 1)[1].strip()
    for b in [b for s in sections[:3] for b in s.blocks[:3]]:
        m = _SUBJECT.match(b.text) or re.match(r"^\*\*([^*]{2,60})\*\*", b.text)
        if m and m.group(1).split()[0] not in ("We", "Our", "You", "This", "It", "They"):
            return re.sub(r"^(?:The|Das|Die|Der|El|La|Le|Les|Los|Las|Het|De)\s+", "", m.group(1)).strip()
    return ""


DUTY = re.compile(
    r"^(?:\S+\s+){0,5}?(?:you(?:'ll| will| would)\s|du |sie werden|vas a)|^(?:je|jij|vous|tu|serás|te encargarás)\s|^(?:design|build|lead|manage|own|run|develop|create|maintain|support|deliver|prepare|work|"
    r"coordinate|plan|teach|provide|ensure|drive|improve|monitor|review|write|help|take|shape|turn|analy[sz]e|assess|care for|serve)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=64)
def analyse(title: str, company: str, location: str, description: str) -> PostingView:
    """The posting read once: structure, identity, level, language, skills and duties.

    Skills under a requirements heading are must-haves, under a nice-to-have heading (or
    in a clause such as "Terraform is a plus") nice-to-haves. With no requirements
    section, skills found anywhere but the benefits count as must-haves. Hard skills
    named only in the duties are added to the nice-to-haves: the job uses them.
    """
    sections = parse_posting(description)
    blocks = blocks_of(sections)
    has_req = any(s.kind == "requirements" and s.blocks for s in sections)
    must: list[str] = []
    nice: list[str] = []
    extra: list[str] = []
    for b in blocks:
        if b.kind == "offer":
            continue
        for clause in (c for c in _CLAUSE.split(b.text) if c.strip()):
            pre = _NICE_BEFORE.search(clause)  # "..., preferably in a consultancy": only what follows is optional
            if pre:
                parts = [(clause[: pre.start()], False), (clause[pre.end() :], True)]
            else:
                parts = [(clause, bool(NICE_CLAUSE.search(fold(clause))))]
            for text, optional in parts:
                groups = skill_groups(text)
                if b.kind == "nice" or (optional and (b.kind == "requirements" or not has_req)):
                    add_unique(nice, groups)
                elif b.kind == "requirements" or not has_req:
                    add_unique(must, groups)
                elif b.kind in ("responsibilities", "role", "team"):
                    add_unique(extra, [g for g in groups if " or " not in g and domain_of(g) not in NOT_HARD])
    must = _drop_members(must)
    in_must = {n for g in must for n in g.split(" or ")}
    nice = _drop_members([g for g in nice if not set(g.split(" or ")) <= in_must])
    in_nice = {n for g in nice for n in g.split(" or ")}
    add_unique(nice, [g for g in extra if g not in in_must and g not in in_nice][: max(0, 14 - len(nice))])
    resp = [b.text for b in blocks if b.kind == "responsibilities"]
    if not resp:
        resp = [
            b.text for b in blocks
            if b.kind not in ("offer", "requirements", "nice", "about") and DUTY.search(b.text) and len(b.text.split()) >= 4
        ]  # fmt: skip
        resp = [  # "Du übernimmst die Pflege von ..." -> "Pflege von ...", never the verb fragment "Übernimmst die Pflege"
            duty_phrase(r) or re.sub(r"^(?:\S+\s+){0,5}?(?:you(?:'ll| will| would)(?: be)?|du|vas a)\s+", "", r, count=1, flags=re.IGNORECASE)
            for r in resp
        ]
        resp = [r[:1].upper() + r[1:] for r in resp]
    years = years_required([b for b in blocks if b.kind == "requirements"] or blocks, any_section=has_req)
    fields = read_fields(title, company, location, description, years=years)
    comp = fields.company or _guess_company(sections)
    t = title.strip() or _guess_title(description, blocks, comp)
    loc = fields.location
    if not loc:
        m = _LOCATION.search(description)
        loc = m.group(1) if m else ("Remote" if re.search(r"\b(?:fully remote|remote-first|100% remote)\b", fold(description)) else "")
    # the title's level ('Staff Nurse' is a grade, not a level), else an NHS pay band, else the years asked
    seniority = level_from_title(without_grade_words(t)) or band_level(description) or level_from_years(years)
    return PostingView(
        sections=sections, blocks=tuple(blocks), title=t, company=comp, location=loc,
        language=detect_language(description), seniority=seniority, years=years,
        must=tuple(must[:30]), nice=tuple(nice[:20]), responsibilities=tuple(resp[:12]),
        work_mode=fields.work_mode, salary=fields.salary, language_requirements=tuple(fields.language_requirements),
        deadline=fields.deadline,
    )  # fmt: skip
