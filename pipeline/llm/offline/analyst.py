"""The offline analyst: every pipeline layer by deterministic text analysis, no network.

Why it exists: a run must give real, specific results without an API key. Each method
reads the posting's own structure (sections, bullets, sentences), the skill lexicon
and the master CV, and quotes or reorders what is there instead of inventing text.
The same input always gives the same output. Output is labelled "(offline analysis)"
once in `Intake.summary` and once in `Research.notes`; result.json names the model
"offline analyst". The cover letter and CV carry no label: they read as the user's.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache

from pipeline.graph.schemas import Contact, Fit, FitBreakdown, Intake, Outreach, PainPoint, PainPoints, People, Posting, Research, StarStory, Writing
from pipeline.llm.offline.cv import MasterCV, Role, as_first_person, parse_cv, render_tailored, star_parts, stated_years, years_of_experience
from pipeline.llm.offline.lexicon import NICE_CLAUSE, domain_of, find_skills, fold, is_soft, skill_names
from pipeline.llm.postprocess import trim_chars
from pipeline.llm.offline.text import (
    LEVELS, SALARY, STOPWORDS, WORK_PATTERN, Block, Section, Similarity, blocks_of, content_stems, detect_language, detect_seniority,
    classify_heading, level_from_title, level_from_years, parse_posting, short_title, words, years_required,
)  # fmt: skip

OFFLINE_LABEL = "(offline analysis)"

# Fit score = weighted sum of four 0-100 parts (weights sum to 1). Must-haves dominate:
# they are what a screener checks first. Title similarity is the best single proxy for
# "has done this job before". Seniority and nice-to-haves adjust the result.
WEIGHT_MUST_HAVE = 0.50
WEIGHT_NICE_TO_HAVE = 0.15
WEIGHT_SENIORITY = 0.15
WEIGHT_TITLE = 0.20
SOFT_SKILL_WEIGHT = 0.5  # a soft skill counts half inside a coverage share: every CV claims "communication"
NO_SIGNAL_SENIORITY = 70.0  # neither side states a level or years: neutral, slightly positive

MAX_PAIN_POINTS = 7
_NOT_HARD = ("soft", "language", "education")


# ---------------------------------------------------------------------------
# The posting, read once and shared by every layer
# ---------------------------------------------------------------------------


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
        gaps = " ".join(folded[a.end : b.start] for a, b in zip(chain, chain[1:]))
        out.extend([" or ".join(names)] if len(names) > 1 and _OR_WORD.search(gaps) else names)
    return out


def _add(target: list[str], items: list[str]) -> None:
    target.extend(it for it in dict.fromkeys(items) if it not in target)


def _drop_members(items: list[str]) -> list[str]:
    """A single skill already inside an 'A or B' item of the same list is not listed twice."""
    grouped = {n for g in items if " or " in g for n in g.split(" or ")}
    return [g for g in items if " or " in g or g not in grouped]


_NICE_BEFORE = re.compile(r",?\s*\b(?:preferably|ideally|idealerweise|idealmente|de preferencia|preferiblemente|idealement)\b", re.I)


_LOOKING = re.compile(
    r"\b(?:looking for|hiring|recruiting|seeking|buscamos|wir suchen|nous recherchons)\s+(?:an?|our first|a new|un|una|eine?n?|une?)?\s*"
    r"(?:enthusiastic|experienced|motivated|talented)?\s*([^,.;:]{3,60}?)(?=\s+(?:to|who|for|with|that|para|que|con|zur|zum|fur|pour|qui|from|in|on)\b|[,.;:(]|$)",
    re.I,
)
_NEEDED = re.compile(r"^([A-Z][\w /&-]{2,40}?)\s+(?:needed|wanted|required|gesucht|se busca)\b")
_SUBJECT = re.compile(
    r"^(?:\*\*)?((?:The\s+)?[A-Z][\w&'’.-]*(?:\s+(?:&\s+)?[A-Z][\w&'’.-]*){0,4})(?:\*\*)?\s+(?:is|are|ist|es|est|runs|builds|makes|helps|operates|"
    r"processes|moves|powers|gives|turns|designs|develops|provides)\b"
)
_LOCATION = re.compile(r"\b(?:based in|located in|offices? in|Location:|Standort:|Ubicación:)\s+([A-Z][\w-]+(?:,?\s+[A-Z][\w-]+){0,2})")


def _guess_title(desc: str, blocks: list[Block], company: str) -> str:
    """The posting's own name for the job: a top heading, a short first line, or 'looking for a X'."""
    first = next((ln.strip() for ln in desc.splitlines() if ln.strip()), "")
    plain = re.sub(r"^#\s+|\*\*", "", first).strip()
    if first.startswith("# ") or (not first.startswith("#") and len(plain.split()) <= 7 and not re.search(r"[.!?:]$", plain)):
        if classify_heading(plain) == "other" and len(plain.split()) <= 14:
            return plain
    for b in blocks:
        m = _LOOKING.search(b.text) or _NEEDED.match(b.text)
        if m:
            t = m.group(1).strip(" *")
            return t[:1].upper() + t[1:]
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


_DUTY = re.compile(
    r"^(?:\S+\s+){0,5}?(?:you(?:'ll| will| would)\s|du |sie werden|vas a)|^(?:design|build|lead|manage|own|run|develop|create|maintain|support|deliver|prepare|work|"
    r"coordinate|plan|teach|provide|ensure|drive|improve|monitor|review|write|help|take|shape|turn|analy[sz]e|assess|care for|serve)\b",
    re.I,
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
                    _add(nice, groups)
                elif b.kind == "requirements" or not has_req:
                    _add(must, groups)
                elif b.kind in ("responsibilities", "role", "team"):
                    _add(extra, [g for g in groups if " or " not in g and domain_of(g) not in _NOT_HARD])
    must = _drop_members(must)
    in_must = {n for g in must for n in g.split(" or ")}
    nice = _drop_members([g for g in nice if not set(g.split(" or ")) <= in_must])
    in_nice = {n for g in nice for n in g.split(" or ")}
    _add(nice, [g for g in extra if g not in in_must and g not in in_nice][: max(0, 14 - len(nice))])
    resp = [b.text for b in blocks if b.kind == "responsibilities"]
    if not resp:
        resp = [
            b.text for b in blocks
            if b.kind not in ("offer", "requirements", "nice", "about") and _DUTY.search(b.text) and len(b.text.split()) >= 4
        ]  # fmt: skip
        resp = [re.sub(r"^(?:\S+\s+){0,5}?(?:you(?:'ll| will| would)(?: be)?|du|vas a)\s+", "", r, count=1, flags=re.I) for r in resp]
        resp = [r[:1].upper() + r[1:] for r in resp]
    comp = company.strip() or _guess_company(sections)
    t = title.strip() or _guess_title(description, blocks, comp)
    years = years_required([b for b in blocks if b.kind == "requirements"] or blocks, any_section=has_req)
    loc = location.strip()
    if not loc:
        m = _LOCATION.search(description)
        loc = m.group(1) if m else ("Remote" if re.search(r"\b(?:fully remote|remote-first|100% remote)\b", fold(description)) else "")
    return PostingView(
        sections=sections, blocks=tuple(blocks), title=t, company=comp, location=loc,
        language=detect_language(description), seniority=detect_seniority(t, years), years=years,
        must=tuple(must[:30]), nice=tuple(nice[:20]), responsibilities=tuple(resp[:12]),
    )  # fmt: skip


def view(posting: Posting) -> PostingView:
    return analyse(posting.title, posting.company, posting.location, posting.description)


def _sentences(v: PostingView, kinds: tuple[str, ...], n: int, min_words: int = 6) -> list[str]:
    return [b.text for b in v.blocks if b.kind in kinds and len(b.text.split()) >= min_words and not b.bullet][:n]


_HIRING = re.compile(r"\b(?:looking for|hiring|join|you will|you'll|buscamos|wir suchen|role)\b", re.I)


def role_summary(v: PostingView, n: int = 2) -> str:
    """What the role is, in the posting's own sentences (role section first, then the introduction)."""
    sents = _sentences(v, ("role", "team"), n)
    if not sents:
        pool = _sentences(v, ("intro", "other"), 12)
        hire = [i for i, s in enumerate(pool) if _HIRING.search(s)]
        sents = pool[hire[0] : hire[0] + n] if hire else []
    if not sents and v.responsibilities:
        sents = [f"{v.title}{' at ' + v.company if v.company else ''}: " + "; ".join(r.rstrip(".") for r in v.responsibilities[:n]) + "."]
    if not sents:
        sents = _sentences(v, ("intro", "other", "about"), n, 4)
    return " ".join(sents) or f"{v.title}{' at ' + v.company if v.company else ''}."


# ---------------------------------------------------------------------------
# Pain points
# ---------------------------------------------------------------------------

_BASE = {"responsibilities": 3.0, "requirements": 1.8, "role": 1.2, "team": 1.0, "intro": 1.0, "other": 1.0, "about": 0.8, "nice": 0.6}
_PROBLEM = re.compile(
    r"\b(?:we need|we want|need someone|needs a plan|starting to|still lives|patchwork|problem|challenge|struggl\w*|creak\w*|doubled|grew"
    r"|cannot wait|can't|cannot|stranded|in a hurry|under control|replac\w*|flaky|fails?|(?:is|are|runs?|running) late|want (?:it|that)|hard to)\b",
    re.I,
)
_THEMES = (
    ("Scaling with growth", r"\b(?:doubl\w*|grow\w*|grew|growth|scal\w*|creak\w*|volume|eightfold|peak)\b"),
    ("Keeping costs down", r"\b(?:cost|costs|spend|bill|expensive|waste)\b"),
    ("Reliability", r"\b(?:reliab\w*|outage|is down|fail\w*|flaky|(?:is|are|runs?|running) late|delay\w*|incident|stranded|breaks?)\b"),
    ("Replacing manual or legacy work", r"\b(?:patchwork|spreadsheets|manual|hand-built|legacy|decade|hurry|cron)\b"),
    ("Quality people can trust", r"\b(?:quality|accura\w*|errors?|trust)\b"),
)

_THEME_TITLES = frozenset(t for t, _ in _THEMES)
_YOU = re.compile(r"\byou(?:'ll| will| would)?\b|\bdu\b|\bvas a\b", re.I)
_WE = re.compile(r"^(?:we|our|it|the company)\b|^\w+(?:\s+\w+)?\s+(?:is|are)\s+an?\b", re.I)
_APPLY = re.compile(r"^(?:tell us|send|apply|please|to apply|bewirb|envia|envía|postula)\b", re.I)
_TERMS = re.compile(r"\b(?:holiday|pension|per week|a week|days' leave|annual leave|salary|budget to spend|pro rata|benefits?)\b", re.I)
# What a CV line that answers each theme tends to say (used only to pick which CV line to cite).
_THEME_EVIDENCE = {
    "Scaling with growth": r"scal|million|per second|requests|volume|traffic|throughput|grow|\d{3},\d{3}|\d+k\b|mentor|newly|onboard|induct|train",
    "Keeping costs down": r"cost|bill|sav|budget|spend|£|\$|€",
    "Reliability": r"reliab|on-call|incident|uptime|recovery|fail|outage|alert|runbook",
    "Replacing manual or legacy work": r"replac|automat|migrat|legacy|manual|rebuilt|moved|introduc",
    "Quality people can trust": r"quality|test|accura|error|defect|check|audit",
}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def pain_points(v: PostingView) -> list[dict[str, str]]:
    """Up to seven needs, strongest first: duties, stated problems, then requirements.

    Each quotes its evidence verbatim; a duty or requirement gives the title, a
    problem stated in prose ("our Snowflake spend grew 70%") gets a theme as title.
    """
    scored: list[tuple[float, int, Block, bool]] = []
    for b in v.blocks:
        if b.kind == "offer" or len(b.text.split()) < 4:
            continue
        prose = b.kind not in ("responsibilities", "requirements", "nice")
        problem = bool(_PROBLEM.search(b.text)) and (not prose or any(re.search(rx, b.text, re.I) for _, rx in _THEMES))
        hard = [h for h in skill_names(b.text) if domain_of(h) not in _NOT_HARD]
        base = _BASE.get(b.kind, 1.0) if b.bullet or b.kind not in ("responsibilities", "requirements") else 1.5
        score = base + (3.0 if prose else 0.5) * problem + 0.25 * min(2, len(hard)) + 0.2 * bool(re.search(r"\d", b.text))
        if b.kind in ("intro", "other"):
            if SALARY.search(b.text) or _TERMS.search(b.text) or _APPLY.match(b.text):
                continue  # pay and perks in a posting without headings
            score += 1.5 * bool(_YOU.search(b.text)) - 0.4 * bool(_WE.match(b.text))
        scored.append((score, b.index, b, problem))
    scored.sort(key=lambda t: (-t[0], t[1]))
    chosen: list[tuple[Block, bool]] = []
    for _, _, b, problem in scored:
        stems = set(content_stems(b.text))
        if all(_jaccard(stems, set(content_stems(c.text))) <= 0.5 for c, _ in chosen):
            chosen.append((b, problem))
        if len(chosen) >= MAX_PAIN_POINTS:
            break
    out: list[dict[str, str]] = []
    used_themes: set[str] = set()
    for b, problem in chosen:
        title = short_title(b.text)
        lead = re.match(r"^(?:if you(?: have| are)?|in practice,? that means(?: you would)?|some weeks will be)\s+", b.text, re.I)
        hard_named = [s for s in skill_names(b.text) if domain_of(s) not in _NOT_HARD]
        if b.kind in ("intro", "other") and (lead or not _DUTY.search(b.text)) and hard_named:
            title = _join(hard_named[:3])
        if problem and b.kind not in ("responsibilities", "requirements", "nice"):
            theme = next((t for t, rx in _THEMES if re.search(rx, b.text, re.I) and t not in used_themes), None)
            if theme:
                used_themes.add(theme)
                title = theme
        skills = [s for s in skill_names(b.text) if domain_of(s) != "soft"][:3]
        out.append({"title": title, "detail": _detail(b, problem, skills), "evidence": b.text})
    return out


def _join(items: list[str], conj: str = "and") -> str:
    items = [i for i in items if i]
    return items[0] if len(items) == 1 else (", ".join(items[:-1]) + f" {conj} " + items[-1] if items else "")


def _detail(b: Block, problem: bool, skills: list[str]) -> str:
    where = f"under “{b.heading}”" if b.heading else "in the posting's introduction"
    using = f" and involves {_join(skills)}" if skills else ""
    if b.kind == "responsibilities":
        return f"A core duty listed {where}{using}; expect to be asked how you have done it before."
    if b.kind == "requirements":
        return f"A stated requirement {where}{using}; screeners will look for concrete evidence of it."
    if b.kind == "nice":
        return f"Listed as a bonus {where}{using}; it can set an application apart."
    if problem:
        return f"The posting describes this as a current problem {where}{using}, so showing you have solved it before matters."
    return f"Part of how the posting describes the job {where}{using}."


# ---------------------------------------------------------------------------
# Research (posting only)
# ---------------------------------------------------------------------------


def company_summary(v: PostingView) -> str:
    sents = _sentences(v, ("about",), 3)
    if not sents and v.company:
        key = fold(v.company.split()[0])
        sents = [s for s in _sentences(v, ("intro", "other"), 6, 5) if key in fold(s)][:2]
    return " ".join(sents)


def research_notes(v: PostingView, description: str) -> list[str]:
    notes = [f"{OFFLINE_LABEL} Notes taken from the posting text only; no website or search service was read."]
    team = [b.text for b in v.blocks if re.search(r"\b(?:team|squad|group|department|equipo|unit|directorate)\b", b.text, re.I)
            and re.search(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|eleven)\b|report", b.text, re.I)
            and b.kind != "offer"]  # fmt: skip
    if team:
        notes.append("Team: " + " ".join(team[:2]))
    tools = [s for s in skill_names(description) if domain_of(s) not in _NOT_HARD + ("sales",)]
    if tools:
        notes.append("Skills and tools the posting names: " + ", ".join(tools[:18]) + ".")
    salary = SALARY.search("\n".join(b.text for b in v.blocks if b.kind == "offer") or description)
    if salary:
        notes.append(f"Salary stated: {salary.group(0).strip()}.")
    pattern = [b.text for b in v.blocks if WORK_PATTERN.search(b.text) and b.kind != "offer"]
    if not pattern:
        pattern = [c for b in v.blocks if b.kind == "offer" for c in re.split(r",\s*|;\s*|\s+and\s+", b.text) if WORK_PATTERN.search(c)]
    if pattern:
        notes.append("Working pattern: " + min(pattern, key=len).strip(" .")[:300] + ".")
    offer = [b.text for b in v.blocks if b.kind == "offer"]
    if offer:
        notes.append("Benefits: " + " ".join(offer)[:400])
    level = v.seniority + (f", {v.years}+ years of experience asked" if v.years else "")
    notes.append(f"Seniority: {level}. Posting language: {v.language}.")
    if v.location:
        notes.append(f"Location: {v.location}.")
    return notes


# ---------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------

_UPPER = r"[A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ]"
_PARTICLE = r"(?:van|von|de|da|del|der|di|le|la|du|dos|das)"
# Name words must start with a capital (the cue before them is case-insensitive): "contact Maria Lopez at" stops at "at".
_NAME = rf"(?:(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sister|Sr|Sra|Herr|Frau)\.?\s+)?({_UPPER}[\w'’-]+(?:\s+(?:{_PARTICLE}\s+)?{_UPPER}[\w'’-]+){{1,2}})"
_TITLE_WORDS = r"(?:[A-Z][\w&'-]*\s+){0,3}(?:[A-Z][\w&'-]*|CTO|CEO|COO|CFO|VP)"
_CONTACT_CUES = (
    ("hiring manager", r"(?i:\b(?:report(?:ing|s)?(?: directly)? to|reports into)\s+(?:our\s+|the\s+)?)" + rf"(?:({_TITLE_WORDS}),\s+)?"),
    ("hiring manager", r"(?i:\bhiring manager(?: is|:)?\s+)()"),
    ("team lead", r"(?i:\b(?:led by|managed by|headed by|team lead(?: is|:)?)\s+)()"),
    ("recruiter", r"(?i:\b(?:contact|reach out to|write to|email|recruiter(?: is|:)?|talent partner(?: is|:)?|questions to)\s+)()"),
    ("mentor", r"(?i:\b(?:mentor|preceptor),?\s+)()"),
)
_NOT_NAME = frozenset(
    "head vp director manager marketing engineering chief officer lead team matron ceo cto cfo coo founder founders our the us we you "
    "hr talent recruiting people operations sales product data design finance department group ward unit".split()
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ROLE_AFTER = re.compile(
    r"^\s*(?:,|\(|-|–|—)\s*(?:our\s+|the\s+)?((?:[A-Z][\w&'-]*\s+(?:of\s+)?){0,4}?(?:[A-Z][\w&'-]*\s+)?"
    r"(?:Manager|Director|Lead|Head of [A-Z][\w&' -]{1,30}?|Recruiter|Partner|Officer|Matron|Engineer|VP [A-Z]\w+|CTO|CEO|COO|CFO|Founder|Principal|Headteacher))"
    r"(?=[,.;)]|\s+(?:at|who|and)\b|$)"
)



def named_contacts(description: str, company: str) -> list[dict]:
    """People the posting names, with the role it gives them; never a guessed name."""
    out: list[dict] = []
    company_words = {fold(w) for w in company.split()}
    for cue_role, cue in _CONTACT_CUES:
        for m in re.finditer(cue + _NAME, description):
            name = m.group(2).strip(" ,.")
            parts = [p for p in name.split() if not re.fullmatch(_PARTICLE, p)]
            if any(fold(p) in _NOT_NAME or fold(p) in company_words for p in parts):
                continue
            after = _ROLE_AFTER.match(description[m.end() :])
            stated = (m.group(1) or (after.group(1) if after else "")).strip(" ,")
            role = cue_role
            if re.search(r"manager|head|director|matron|lead|principal|headteacher|cto|ceo|vp", stated, re.I) and role in ("recruiter", "mentor"):
                role = "hiring manager"
            elif re.search(r"recruit|talent|people partner|\bhr\b", stated, re.I):
                role = "recruiter"
            if any(c["name"] == name for c in out):
                continue
            window = description[max(0, m.start() - 120) : m.end() + 160]
            email = next((e for e in _EMAIL.findall(window) if any(fold(p)[:3] in fold(e) for p in parts)), None)
            label = f"{role} ({stated})" if stated else role
            out.append({"role": label, "name": name, "source": "posting", "is_placeholder": False, "email": email})
    for email in _EMAIL.findall(description):
        if not any(c.get("email") == email for c in out):
            out.append({"role": "recruiting contact", "name": None, "source": "posting", "is_placeholder": False, "email": email})
    return out


_TEAM = re.compile(r"\b(?:the|our|join)\s+((?:(?:[A-Z][\w/-]*|&)\s+){0,4}?[A-Z][\w/-]*)\s+(team|squad|group|department|unit)\b")


def placeholder_contacts(v: PostingView, title: str, company: str) -> list[dict]:
    """Role-based placeholders with a search link each; name stays None."""
    where = company or v.location or ""
    li = "https://www.linkedin.com/search/results/people/?keywords="
    gq = "https://www.google.com/search?q="
    team = next((m.group(1) + " " + m.group(2) for b in v.blocks for m in [_TEAM.search(b.text)] if m), "")
    return [
        {"role": "hiring manager", "search_url": li + urllib.parse.quote_plus(f"{where} {title} manager".strip())},
        {"role": "recruiter", "search_url": gq + urllib.parse.quote_plus(f'site:linkedin.com/in "{where}" recruiter OR "talent acquisition"')},
        {"role": f"team lead ({team})" if team else "team lead", "search_url": li + urllib.parse.quote_plus(f"{where} {team or title} lead".strip())},
    ]


# ---------------------------------------------------------------------------
# Fit
# ---------------------------------------------------------------------------

_TITLE_SYNONYMS = {
    "developer": "engineer", "programmer": "engineer", "entwickler": "engineer", "entwicklerin": "engineer", "desarrollador": "engineer",
    "ingeniero": "engineer", "ingenieur": "engineer", "swe": "engineer", "educator": "teacher", "instructor": "teacher", "lecturer": "teacher",
    "tutor": "teacher", "profesor": "teacher", "profesora": "teacher", "lehrer": "teacher", "lehrerin": "teacher", "docente": "teacher",
    "teaching": "teacher", "maths": "mathematics", "math": "mathematics", "matematicas": "mathematics", "rn": "nurse", "nursing": "nurse",
    "enfermero": "nurse", "enfermera": "nurse", "icu": "critical", "intensive": "critical", "itu": "critical", "accounting": "accountant",
    "sre": "reliability", "ux": "design", "designer": "design", "pflegefachkraft": "nurse", "pflegefachfrau": "nurse", "pflegefachmann": "nurse",
    "krankenpfleger": "nurse", "krankenschwester": "nurse", "gesundheits": "nurse", "intensivstation": "critical", "intensivpflege": "critical",
    "uci": "critical", "infirmier": "nurse", "infirmiere": "nurse", "enseignante": "teacher", "lehrkraft": "teacher",
}  # fmt: skip
_TITLE_DROP = frozenset("senior sr junior jr lead principal staff head chief associate assistant intern trainee graduate mid level band ii iii in".split())
_TITLE_GENERIC = {"engineer": 0.35, "manager": 0.5, "specialist": 0.4, "analyst": 0.5, "officer": 0.4, "consultant": 0.4,
                  "coordinator": 0.4, "executive": 0.4, "director": 0.4, "care": 0.6, "unit": 0.3, "supervisor": 0.5}  # fmt: skip


def _title_tokens(title: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for w in words(re.sub(r"[:/&()]", " ", title)):
        w = _TITLE_SYNONYMS.get(w, w)
        if w in _TITLE_DROP or w in STOPWORDS or len(w) < 2:
            continue
        w = w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w
        out[w] = _TITLE_GENERIC.get(w, 1.0)
    return out


def title_tokens(title: str) -> dict[str, float]:
    """A title's words as title matching weighs them (synonyms folded, seniority dropped); a fresh dict each call."""
    return _title_tokens(title)


def title_variants(token: str) -> list[str]:
    """The words that fold into a title token ('engineer' <- 'developer', 'programmer', ...): for a text prefilter."""
    return [token] + sorted(w for w, t in _TITLE_SYNONYMS.items() if t == token and w != token)


def title_similarity(posting_title: str, cv_titles: list[str]) -> float:
    """0-100: weighted overlap of title words (synonyms folded, seniority words dropped, generic nouns light)."""
    p = _title_tokens(posting_title)
    if not p:
        return 50.0
    best = 0.0
    for i, t in enumerate(cv_titles):
        c = _title_tokens(t)
        shared = sum(w for k, w in p.items() if k in c)
        if c and shared:
            dice = 2 * shared / (sum(p.values()) + sum(c.values()))
            best = max(best, (0.5 * dice + 0.5 * shared / sum(p.values())) * (1.0 if i < 2 else 0.85))
    return round(100 * best, 1)


def seniority_score(post_level: str, years_req: int | None, cv_level: str, cv_years: float | None) -> float:
    """0-100: the CV's years against the years asked, and its level against the posting's."""
    parts: list[float] = []
    if years_req and cv_years is not None:
        parts.append(100.0 if cv_years >= years_req else max(0.0, 100.0 - 22.0 * (years_req - cv_years)))
    if post_level in LEVELS and cv_level in LEVELS:
        d = LEVELS.index(post_level) - LEVELS.index(cv_level)
        parts.append({0: 100.0, 1: 65.0, 2: 35.0}.get(d, 10.0) if d >= 0 else max(60.0, 100.0 - 10.0 * (-d - 1)))
    return round(sum(parts) / len(parts), 1) if parts else NO_SIGNAL_SENIORITY


def coverage(items: list[str], cv_skills: set[str], cv_stems: set[str]) -> tuple[float | None, list[str], list[str]]:
    """(0-100 weighted share of items the CV covers, or None without items; CV names matched; items missing).

    An item 'A or B' is covered by either; a name outside the lexicon (an LLM intake)
    is covered when most of its words appear in the CV.
    """
    if not items:
        return None, [], []
    got = total = 0.0
    matched: list[str] = []
    missing: list[str] = []
    for item in items:
        alts = [a.strip() for a in item.split(" or ") if a.strip()]
        w = SOFT_SKILL_WEIGHT if all(is_soft(a) for a in alts) else 1.0
        hits = [a for a in alts if a in cv_skills]
        if not hits:
            hits = [a for a in alts if not domain_of(a) and (st := set(content_stems(a))) and len(st & cv_stems) / len(st) >= 0.6][:1]
        total += w
        if hits:
            got += w
            _add(matched, hits)
        else:
            missing.append(item)
    return round(100 * got / total, 1), matched, missing


def keyword_coverage(v: PostingView, cv_stems: set[str]) -> float:
    """0-100 share of the posting's 15 most frequent content words found in the CV (postings without skills)."""
    counts: dict[str, int] = {}
    for b in v.blocks:
        if b.kind != "offer":
            for s in content_stems(b.text):
                if len(s) >= 4 and not s.isdigit():
                    counts[s] = counts.get(s, 0) + 1
    top = [s for s, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:15]]
    return round(100 * sum(1 for s in top if s in cv_stems) / len(top), 1) if top else 50.0


def _rationale(must: list[str], m_missing: list[str], nice: list[str], n_missing: list[str], cv_years: float | None,
               v: PostingView, level: str, latest: str, title: float) -> str:  # fmt: skip
    parts = []
    if must:
        parts.append(f"the CV covers {len(must) - len(m_missing)} of {len(must)} must-have skills")
    if nice:
        parts.append(f"{len(nice) - len(n_missing)} of {len(nice)} nice-to-haves")
    if cv_years is not None:
        asked = f"{v.years}+ years" if v.years else "no stated minimum"
        parts.append(f"about {int(cv_years)} years of experience against {asked} ({level} level)")
    if latest:
        parts.append(f"title match {int(title)}/100 (latest role: {latest})")
    head = ("Offline estimate: " + "; ".join(parts) + ".") if parts else "Offline estimate from the posting's words."
    gaps = (m_missing + [n for n in n_missing if n not in m_missing])[:3]
    return head + (f" Biggest gaps: {_join(gaps)}." if gaps else " No listed skill is missing from the CV.")


@dataclass(frozen=True)
class CvFacts:
    """What fit scoring needs from the master CV, read once: matching scores one CV against many postings."""

    skills: frozenset[str]
    stems: frozenset[str]
    years: float | None
    latest: str
    level: str | None
    titles: tuple[str, ...]


@lru_cache(maxsize=8)
def cv_facts(cv_markdown: str) -> CvFacts:
    cv = parse_cv(cv_markdown)
    years = years_of_experience(cv)
    latest = cv.roles[0].title if cv.roles else ""
    return CvFacts(
        skills=frozenset(cv.skills), stems=frozenset(content_stems(cv_markdown)), years=years, latest=latest,
        level=level_from_title(latest) or level_from_years(years),
        titles=tuple([r.title for r in cv.roles] + [" ".join(s.split()[:8]) for s in cv.summary_sentences[:1]]),  # the headline counts too
    )  # fmt: skip


def fit_posting(v: PostingView, cv: CvFacts, *, must_items: list[str], nice_items: list[str], level: str, title: str) -> Fit:
    """The offline fit of one posting (already read) against a CV (already read); sync so matching can batch it."""
    must, m_hit, m_missing = coverage(must_items, cv.skills, cv.stems)  # type: ignore[arg-type]
    nice, n_hit, n_missing = coverage(nice_items, cv.skills, cv.stems)  # type: ignore[arg-type]
    must = keyword_coverage(v, cv.stems) if must is None else must  # type: ignore[arg-type]
    nice = must if nice is None else nice
    seniority = seniority_score(level, v.years, cv.level, cv.years)  # type: ignore[arg-type]
    title_score = title_similarity(title, list(cv.titles))
    score = WEIGHT_MUST_HAVE * must + WEIGHT_NICE_TO_HAVE * nice + WEIGHT_SENIORITY * seniority + WEIGHT_TITLE * title_score
    matched: list[str] = []
    _add(matched, m_hit + n_hit)
    return Fit(
        score=max(0, min(100, round(score))),
        breakdown=FitBreakdown(must_have=must, nice_to_have=nice, seniority=seniority, title=title_score),
        matched_skills=matched,
        missing_skills=m_missing + [m for m in n_missing if m not in m_missing],
        rationale=_rationale(must_items, m_missing, nice_items, n_missing, cv.years, v, level, cv.latest, title_score),
    )


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def _an(phrase: str) -> str:
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def _intro_line(cv: MasterCV) -> str:
    """The CV's first summary sentence as 'I am a ...' when it is a noun phrase, else as written."""
    if not cv.summary_sentences:
        return ""
    s = cv.summary_sentences[0].rstrip(".")
    ws = s.split()
    if re.match(r"^(?:I|I'm|My|Over|With|As|For|Since|After|Having|Currently|Today)$", ws[0]) or ws[0].isupper():
        return s + "."
    proper = len(ws) > 1 and ws[1][:1].isupper()  # "Registered Nurse (Adult) ...": keep the capitals
    return f"I am {_an(s if proper else s[:1].lower() + s[1:])}."


def _bullet_ranker(v: PostingView, cv: MasterCV) -> tuple[Similarity, dict[str, float]]:
    corpus = [b.text for b in v.blocks] + [b for _, b in cv.bullets] + cv.summary_sentences
    sim = Similarity(corpus)
    query = sim.vector(" ".join([v.title, *v.must, *v.nice, *v.responsibilities, *(b.text for b in v.blocks if b.kind == "requirements")]))
    scores = {text: sim.cosine(sim.vector(text), query) for text in [b for _, b in cv.bullets] + cv.summary_sentences}
    return sim, scores


Citation = tuple[PainPoint, Role, str]


def _citations(v: PostingView, pains: PainPoints, cv: MasterCV, sim: Similarity, rank: dict[str, float]) -> list[Citation]:
    """For each of the top three pain points, the CV bullet that answers it best (each bullet used once)."""
    recent = {id(r) for r in cv.roles[:2]}
    picks: list[Citation] = []
    used: set[str] = set()
    for pain in pains.items[:3]:
        target = sim.vector(pain.evidence if pain.title in _THEME_TITLES else f"{pain.title} {pain.evidence}")
        theme = _THEME_EVIDENCE.get(pain.title)
        best: tuple[float, int, Role, str] | None = None
        for i, (role, bullet) in enumerate(cv.bullets):
            if bullet in used:
                continue
            value = sim.cosine(sim.vector(bullet), target) + 0.3 * rank.get(bullet, 0.0) + 0.03 * (id(role) in recent)
            value += 0.15 if theme and re.search(theme, bullet, re.I) else 0.0
            if best is None or (value, -i) > (best[0], best[1]):
                best = (value, -i, role, bullet)
        if best:
            used.add(best[3])
            picks.append((pain, best[2], best[3]))
    return picks


def _greeting(company: str) -> str:
    return f"Dear {company} hiring team," if company else "Dear Hiring Manager,"


def _cover_letter(title: str, company: str, must: list[str], pains: PainPoints, fit: Fit, cv: MasterCV,
                  picks: list[Citation], rank: dict[str, float]) -> str:  # fmt: skip
    """About 200-300 words: who I am (CV summary), three pain points answered by CV bullets, skills, gaps."""
    at = f" at {company}" if company else ""
    opening = f"I am applying for the {title} role{at}. {_intro_line(cv)}".strip()
    leads = ("Your posting puts “{t}” at the centre of the role.", "You also need “{t}”.", "You also mention “{t}”.")
    cites = [
        leads[i].format(t=pain.title) + f" {'At ' + role.company if role.company else 'As ' + role.title}, {as_first_person(bullet)}"
        for i, (pain, role, bullet) in enumerate(picks)
    ]
    middle = [" ".join(cites)] if cites else []
    have = [a for item in must for a in item.split(" or ") if a in fit.matched_skills and not is_soft(a)][:5]
    if must and have:
        gaps = [m for m in fit.missing_skills if m in must]
        skills = f"Of the must-have skills you list, my CV shows {len(must) - len(gaps)} of {len(must)}, including {_join(have)}."
        if gaps:
            skills += f" I have less hands-on experience with {_join(gaps[:2])}, and I would be glad to discuss how I would close that gap."
        middle.append(skills)
    focus = f", starting with “{pains.items[0].title}”" if pains.items else ""
    closing = f"I would welcome the chance to talk about how I could help {company or 'you'}{focus}. Thank you for your time."
    sign = f"Kind regards,\n{cv.name}" if cv.name else "Kind regards"

    def compose(first: str) -> str:
        return _greeting(company) + "\n\n" + "\n\n".join([first, *middle, closing]) + "\n\n" + sign

    letter = compose(opening)
    if len(letter.split()) < 200 and len(cv.summary_sentences) > 1:  # short: add the CV's most relevant other summary sentence
        letter = compose(opening + " " + max(cv.summary_sentences[1:], key=lambda s: rank.get(s, 0.0)))
    return letter


def _outreach(title: str, company: str, must: list[str], nice: list[str], fit: Fit, cv: MasterCV, picks: list[Citation]) -> Outreach:
    """A LinkedIn note that fits 300 characters without cutting words, and a short email citing two CV lines."""
    at = f" at {company}" if company else ""
    top: list[str] = []
    for item in must + nice:
        hit = next((a for a in item.split(" or ") if a in fit.matched_skills and not is_soft(a)), None)
        if hit and hit not in top:
            top.append(hit)
    latest = cv.roles[0] if cv.roles else None
    bg = f" Most recently {latest.title}{' at ' + latest.company if latest.company else ''}" if latest else ""
    yrs = stated_years(cv)
    hello, close = f"Hi, I am applying for the {title} role{at}.", " I would be glad to connect and hear more about the team."
    options = [
        hello + bg + (f", {yrs} in total" if yrs and bg else "") + ("." if bg else "") + (f" Relevant skills: {_join(top[:3])}." if top else "") + close,
        hello + bg + ("." if bg else "") + close,
        hello + close,
    ]
    note = trim_chars(next((o for o in options if len(o) <= 300), options[-1]), 300)
    points = "\n".join(f"- {b}" for _, _, b in picks[:2])
    sign = f"Kind regards,\n{cv.name}" if cv.name else "Kind regards"
    body = f"{_greeting(company)}\n\n{hello[4:]} {_intro_line(cv)}".rstrip()
    body += f"\n\nTwo things from my CV that match what you need:\n{points}" if points else ""
    body += "\n\nMy tailored CV and cover letter are attached. I would welcome a short call at a time that suits you.\n\n" + sign
    subject = f"Application: {title}" + (f" – {cv.name}" if cv.name else "")
    return Outreach(linkedin_note=note, email_subject=trim_chars(subject, 120), email_body=body)


def _story(pain: PainPoint, role: Role, bullet: str) -> StarStory:
    """Interview prep from one CV bullet: situation from its role, task/action/result split from its words."""
    task, action, result = star_parts(bullet)
    where = role.title + (f" at {role.company}" if role.company else "")
    return StarStory(
        pain_point=pain.title,
        situation=", ".join(p for p in (where, role.dates) if p) + ".",
        task=f"Relevant to “{pain.title}”: {task}." if task else f"Relevant to “{pain.title}”.",
        action=action + ".",
        result=result + "." if result else "Not stated in the CV: add the measurable outcome in your own words.",
        source_line=bullet,
    )


def writing(v: PostingView, intake: Intake, pains: PainPoints, fit: Fit, cv: MasterCV) -> Writing:
    """Tailored CV, cover letter, outreach and STAR stories, all from the master CV's own lines."""
    sim, rank = _bullet_ranker(v, cv)
    title, company = intake.title or v.title, intake.company or v.company
    must, nice = list(intake.must_have or v.must), list(intake.nice_to_have or v.nice)
    picks = _citations(v, pains, cv, sim, rank)
    return Writing(
        cv_markdown=render_tailored(cv, lambda t: rank.get(t, 0.0), fit.matched_skills),
        cover_letter=_cover_letter(title, company, must, pains, fit, cv, picks, rank),
        outreach=_outreach(title, company, must, nice, fit, cv, picks),
        star_stories=[_story(p, r, b) for p, r, b in picks],
    )


# ---------------------------------------------------------------------------
# The analyst
# ---------------------------------------------------------------------------


class OfflineAnalyst:
    """`pipeline.llm.base.Analyst` without a model: deterministic, local, fast."""

    name = "offline analyst"
    offline = True

    async def intake(self, posting: Posting) -> Intake:
        v = view(posting)
        return Intake(
            title=v.title, company=v.company, location=v.location, seniority=v.seniority, language=v.language,  # type: ignore[arg-type]
            summary=f"{role_summary(v)} {OFFLINE_LABEL}", must_have=list(v.must), nice_to_have=list(v.nice),
            responsibilities=list(v.responsibilities),
        )  # fmt: skip

    async def pain_points(self, posting: Posting, intake: Intake) -> PainPoints:
        return PainPoints(items=[PainPoint(**p) for p in pain_points(view(posting))])

    async def research(self, posting: Posting, intake: Intake) -> Research:
        v = view(posting)
        parts = urllib.parse.urlsplit(posting.url or "")
        duties = "; ".join(d.rstrip(".") for d in v.responsibilities[:3])
        return Research(
            company_summary=company_summary(v),
            role_summary=role_summary(v, 3) + (f" Main duties: {duties}." if duties else ""),
            notes=research_notes(v, posting.description),
            sources=["posting"],
            website=f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None,
        )

    async def fit(self, posting: Posting, intake: Intake, cv_markdown: str) -> Fit:
        v = view(posting)
        lists_given = bool(intake.must_have or intake.nice_to_have)
        return fit_posting(
            v, cv_facts(cv_markdown),
            must_items=list(intake.must_have) if lists_given else list(v.must),
            nice_items=list(intake.nice_to_have) if lists_given else list(v.nice),
            level=intake.seniority if intake.seniority != "unspecified" else v.seniority,
            title=intake.title or v.title,
        )  # fmt: skip

    async def people(self, posting: Posting, intake: Intake) -> People:
        v = view(posting)
        contacts = [Contact(**c) for c in named_contacts(posting.description, v.company)]
        named_roles = {c.role.split(" (")[0] for c in contacts if c.name}
        for c in placeholder_contacts(v, intake.title or v.title, intake.company or v.company):
            if c["role"].split(" (")[0] not in named_roles:
                contacts.append(Contact(role=c["role"], name=None, source="placeholder", is_placeholder=True, search_url=c["search_url"]))
        return People(contacts=contacts)

    async def writing(
        self, posting: Posting, intake: Intake, pains: PainPoints, fit: Fit, research: Research, cv_markdown: str
    ) -> Writing:
        return writing(view(posting), intake, pains, fit, parse_cv(cv_markdown))
