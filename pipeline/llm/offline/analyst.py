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

from pipeline.graph.schemas import Contact, Fit, Intake, Outreach, PainPoint, PainPoints, People, Posting, Research, StarStory, Writing
from pipeline.llm.offline import phrases as ph
from pipeline.llm.offline.cv_writing import as_first_person, render_tailored, star_parts
from pipeline.llm.postprocess import trim_chars
from pipeline.text.analysis import SALARY, STOPWORDS, WORK_PATTERN, Block, Similarity, content_stems, detect_language, short_title
from pipeline.text.cv import PRESENT, MasterCV, Role, parse_cv, stated_years
from pipeline.text.evidence import shares_evidence
from pipeline.text.fit import RationaleWords, cv_facts, fit_posting
from pipeline.text.intake_fields import PostingFields, read_fields
from pipeline.text.lexicon import domain_of, expand, fold, is_soft, skill_names
from pipeline.text.posting import _LOOKING, DUTY, NOT_HARD, PostingView, analyse, is_greeting
from pipeline.web.facts import add_site_facts
from pipeline.web.people import web_contacts
from pipeline.web.site import company_site

OFFLINE_LABEL = "(offline analysis)"

MAX_PAIN_POINTS = 7


# ---------------------------------------------------------------------------
# The posting, read once (`pipeline.text.posting`) and shared by every layer
# ---------------------------------------------------------------------------


def view(posting: Posting) -> PostingView:
    return analyse(posting.title, posting.company, posting.location, posting.description)


def _sentences(v: PostingView, kinds: tuple[str, ...], n: int, min_words: int = 6) -> list[str]:
    return [b.text for b in v.blocks if b.kind in kinds and len(b.text.split()) >= min_words and not b.bullet][:n]


_HIRING = re.compile(r"\b(?:looking for|hiring|join|you will|you'll|buscamos|wir suchen|role)\b", re.IGNORECASE)


def _role_at(v: PostingView, language: str) -> str:
    return ph.t(language, "role_at", title=v.title, company=v.company) if v.company else v.title


def role_summary(v: PostingView, n: int = 2, language: str = "") -> str:
    """What the role is, in the posting's own sentences (role section first, then the introduction)."""
    language = language or v.language
    sents = _sentences(v, ("role", "team"), n)
    if not sents:
        pool = _sentences(v, ("intro", "other"), 12)
        hire = [i for i, s in enumerate(pool) if _HIRING.search(s)]
        sents = pool[hire[0] : hire[0] + n] if hire else []
    if not sents and v.responsibilities:
        sents = [f"{_role_at(v, language)}: " + "; ".join(r.rstrip(".") for r in v.responsibilities[:n]) + "."]
    if not sents:
        sents = _sentences(v, ("intro", "other", "about"), n, 4)
    return " ".join(sents) or f"{_role_at(v, language)}."


# ---------------------------------------------------------------------------
# Pain points
# ---------------------------------------------------------------------------

_BASE = {"responsibilities": 3.0, "requirements": 1.8, "role": 1.2, "team": 1.0, "intro": 1.0, "other": 1.0, "about": 0.8, "nice": 0.6}
_PROBLEM = re.compile(
    r"\b(?:we need|we want|need someone|needs a plan|starting to|still lives|patchwork|problem|challenge|struggl\w*|creak\w*|doubled|grew"
    r"|cannot wait|can't|cannot|stranded|in a hurry|under control|replac\w*|flaky|fails?|(?:is|are|runs?|running) late|want (?:it|that)|hard to)\b",
    re.IGNORECASE,
)
_THEMES = (
    ("Scaling with growth", r"\b(?:doubl\w*|grow\w*|grew|growth|scal\w*|creak\w*|volume|eightfold|peak)\b"),
    ("Keeping costs down", r"\b(?:cost|costs|spend|bill|expensive|waste)\b"),
    ("Reliability", r"\b(?:reliab\w*|outage|is down|fail\w*|flaky|(?:is|are|runs?|running) late|delay\w*|incident|stranded|breaks?)\b"),
    ("Replacing manual or legacy work", r"\b(?:patchwork|spreadsheets|manual|hand-built|legacy|decade|hurry|cron)\b"),
    ("Quality people can trust", r"\b(?:quality|accura\w*|errors?|trust)\b"),
)

# A theme title in the writing language; the English title stays the key.
_THEME_LOCAL = {
    "de": {"Scaling with growth": "Mit dem Wachstum skalieren", "Keeping costs down": "Kosten niedrig halten", "Reliability": "Zuverlässigkeit",
           "Replacing manual or legacy work": "Manuelle oder veraltete Abläufe ablösen", "Quality people can trust": "Verlässliche Qualität"},
    "es": {"Scaling with growth": "Escalar con el crecimiento", "Keeping costs down": "Contener los costes", "Reliability": "Fiabilidad",
           "Replacing manual or legacy work": "Sustituir trabajo manual o heredado", "Quality people can trust": "Una calidad fiable"},
    "fr": {"Scaling with growth": "Accompagner la croissance", "Keeping costs down": "Maîtriser les coûts", "Reliability": "Fiabilité",
           "Replacing manual or legacy work": "Remplacer le travail manuel ou l'existant", "Quality people can trust": "Une qualité fiable"},
    "nl": {"Scaling with growth": "Meegroeien met de groei", "Keeping costs down": "Kosten laag houden", "Reliability": "Betrouwbaarheid",
           "Replacing manual or legacy work": "Handwerk of verouderde systemen vervangen", "Quality people can trust": "Kwaliteit waarop men kan bouwen"},
}  # fmt: skip
_THEME_KEY = {local: en for table in _THEME_LOCAL.values() for en, local in table.items()} | {t: t for t, _ in _THEMES}
_THEME_TITLES = frozenset(_THEME_KEY)
_YOU = re.compile(r"\byou(?:'ll| will| would)?\b|\bdu\b|\bvas a\b", re.IGNORECASE)
_WE = re.compile(r"^(?:we|our|it|the company)\b|^\w+(?:\s+\w+)?\s+(?:is|are)\s+an?\b", re.IGNORECASE)
_APPLY = re.compile(r"^(?:tell us|send|apply|please|to apply|bewirb|envia|envía|postula)\b", re.IGNORECASE)
_TERMS = re.compile(r"\b(?:holiday|pension|per week|a week|days' leave|annual leave|salary|budget to spend|pro rata|benefits?)\b", re.IGNORECASE)
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


# What a posting says about pay, deadline or how to apply, and about hours and place: facts for the notes, never a need.
_PAY_DEADLINE = re.compile(
    r"\b(?:salary|salario|salaire|salaris|gehalt|vergütung|bezahlung|stundenlohn|fixum|rémunération|remuneración|wir zahlen|we pay"
    r"|brutto|bruto|brutos|brut|per annum|pro jahr|pro monat|al mes|par mois|per maand|per jaar|tvöd|cao|tarifvertrag"
    r"|deadline|closing date|apply by|applications close|bewerbungsfrist|bewerbungsschluss|bewerbungen bitte|bewerben sie sich|bewirb dich"
    r"|fecha límite|plazo de|envía tu|date limite|merci d'envoyer|envoyez|solliciteren|reageer|stuur je)\b",
    re.IGNORECASE,
)
_WORK_TERMS = re.compile(
    r"\b(?:vollzeit|teilzeit|fulltime|full-time|part-time|parttime|temps plein|temps partiel|jornada completa|cdi|cdd|contrato indefinido"
    r"|op locatie|thuiswerken|thuis|vor ort|en présentiel|présentiel|sur site|presencial|on-site|onsite|office-based|hybride?|télétravail"
    r"|teletrabajo|homeoffice|home office|remote|monday to friday)\b",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(r"^(?:best|kind regards|regards|cheers|viele grüße|beste grüße|mit freundlichen grüßen|un saludo|saludos|cordialement"
                       r"|bien à vous|met vriendelijke groet(?:en)?|groet(?:en)?)\b", re.IGNORECASE)  # fmt: skip
_EMPLOYER = re.compile(r"^(?:wir sind|we are|we're|somos|nous sommes|wij zijn|we zijn)\s+(?:eine?|an?|una?|une?|een)\b", re.IGNORECASE)
_CONTACT_LINE = re.compile(r"[\w.+-]+@[\w-]+\.\w|\+?\d[\d ()/-]{7,}\d")
_DATA = re.compile(r"^\s*[{<\[\"]|\"@(?:context|type)\"")  # JSON-LD or HTML pasted with the posting


def _core_name(company: str) -> str:
    """'Transportes Meseta' from 'Transportes Meseta S.L.', 'copper kettle' from 'The Copper Kettle' (folded)."""
    c = re.sub(r"^(?:the|der|die|das|el|la|los|las|le|les|l'|het|de)\s+", "", fold(company).strip())
    c = re.sub(r"[\s,]+(?:gmbh|ag|kg|se|s\.?l\.?u?|s\.?a\.?|b\.?v\.?|n\.?v\.?|ltd|limited|llc|inc|plc|sas|sarl|sa)\.?$", "", c)
    return c.strip(" ,.")


def _not_a_need(b: Block, v: PostingView, first_line: str) -> bool:
    """The posting's title or company line, a signature, a greeting, pay, hours, place, deadline or data: never a pain point."""
    text = b.text.strip()
    sentence = bool(re.search(r"[.!?]$", text))
    if _DATA.search(text) or is_greeting(text) or _SIGN_OFF.match(text) or _same(text, v.title) or (_same(text, first_line) and not sentence):
        return True
    company = _core_name(v.company)
    if not sentence and (_CONTACT_LINE.search(text) or (company and re.search(rf"\b{re.escape(company)}\b", fold(text)) and len(text.split()) <= 9)):
        return True  # a signature or company line: "Recursos Humanos, Transportes Meseta S.L.", "Harbourside Academy Trust - Plymouth"
    if _PAY_DEADLINE.search(text) or _TERMS.search(text) or _APPLY.match(text) or (SALARY.search(text) and not (b.bullet and b.kind == "responsibilities")):
        return True
    if b.kind == "responsibilities":
        return not b.bullet and bool(_WORK_TERMS.search(text))  # "Je werkt 100% thuis vanuit Nederland." after the duties
    if _WORK_TERMS.search(text) and not skill_names(text):
        return True
    if b.kind in ("requirements", "nice"):
        return False
    if _LOOKING.search(text):
        return True  # "we are hiring a X" names the role, not a need
    if not b.bullet and not sentence and len(text.split()) <= 9:
        return True  # a label line: "Manchester · Hybrid · Full-time", "Wat ga je doen"
    if _PROBLEM.search(text):
        return False
    if _EMPLOYER.match(text) or (company and re.match(rf"^(?:(?:the|der|die|das|el|la|le|l'|het|de)\s+)?{re.escape(company)}\b", fold(text))
                                 and not _YOU.search(text)):  # fmt: skip
        return True  # "Kranich Versicherung AG ist ein ...": who the employer is, not what it needs
    return b.kind == "about"


def pain_points(v: PostingView, language: str = "") -> list[dict[str, str]]:
    """Up to seven needs, strongest first: duties, stated problems, then requirements.

    Each quotes its evidence verbatim; a duty or requirement gives the title, a
    problem stated in prose ("our Snowflake spend grew 70%") gets a theme as title.
    Details and theme titles are written in `language` (the posting's by default).
    The posting's title, company line, signature, pay, hours and deadline are no needs;
    two needs with the same title are one.
    """
    language = ph.lang(language or v.language)
    first_line = v.blocks[0].text if v.blocks and v.blocks[0].kind == "intro" else ""
    scored: list[tuple[float, int, Block, bool]] = []
    for b in v.blocks:
        if b.kind == "offer" or len(b.text.split()) < 3 or _not_a_need(b, v, first_line):
            continue
        if len(b.text.split()) < 4 and not (b.bullet and b.kind in ("responsibilities", "requirements", "nice")):
            continue
        prose = b.kind not in ("responsibilities", "requirements", "nice")
        problem = bool(_PROBLEM.search(b.text)) and (not prose or any(re.search(rx, b.text, re.IGNORECASE) for _, rx in _THEMES))
        hard = [h for h in skill_names(b.text) if domain_of(h) not in NOT_HARD]
        base = _BASE.get(b.kind, 1.0) if b.bullet or b.kind not in ("responsibilities", "requirements") else 1.5
        score = base + (3.0 if prose else 0.5) * problem + 0.25 * min(2, len(hard)) + 0.2 * bool(re.search(r"\d", b.text))
        if b.kind in ("intro", "other"):
            score += 1.5 * bool(_YOU.search(b.text)) - 0.4 * bool(_WE.match(b.text))
        scored.append((score, b.index, b, problem))
    scored.sort(key=lambda t: (-t[0], t[1]))
    out: list[dict[str, str]] = []
    chosen: list[Block] = []
    used_themes: set[str] = set()
    for _, _, b, problem in scored:
        stems = set(content_stems(b.text))
        if any(_jaccard(stems, set(content_stems(c.text))) > 0.5 or _same(short_title(b.text), short_title(c.text)) for c in chosen):
            continue
        title = short_title(b.text)
        lead = re.match(r"^(?:if you(?: have| are)?|in practice,? that means(?: you would)?|some weeks will be)\s+", b.text, re.IGNORECASE)
        hard_named = _as_written([s for s in skill_names(b.text) if domain_of(s) not in NOT_HARD], b.text, language)
        if b.kind in ("intro", "other") and (lead or not DUTY.search(b.text)) and hard_named:
            title = ph.join(hard_named[:3], language)
        theme = None
        if problem and b.kind not in ("responsibilities", "requirements", "nice"):
            theme = next((t for t, rx in _THEMES if re.search(rx, b.text, re.IGNORECASE) and t not in used_themes), None)
            if theme:
                title = _THEME_LOCAL.get(language, {}).get(theme, theme)
        skills = _as_written([s for s in skill_names(b.text) if domain_of(s) != "soft"], b.text, language)[:3]
        if _same(title, b.text):  # a short bullet: the title names it, the evidence quotes it
            title = _distinct_title(b.text, hard_named, language)
        if any(_same(title, p["title"]) for p in out):
            continue  # "Performance marketing" twice: one need
        if theme:
            used_themes.add(theme)
        chosen.append(b)
        out.append({"title": title, "detail": _detail(b, problem, skills, language), "evidence": b.text})
        if len(out) >= MAX_PAIN_POINTS:
            break
    return out


def _as_written(skills: list[str], text: str, language: str) -> list[str]:
    """Skill names fit for prose in `language`: outside English only those the text itself uses
    ("Python" yes; the lexicon's English "ICU experience" for "Intensivstation" no)."""
    return skills if language == "en" else [s for s in skills if fold(s) in fold(text)]


def _same(a: str, b: str) -> bool:
    return fold(a).strip(" .;:") == fold(b).strip(" .;:")


# Where a line's head ends ("Statische Berechnungen | für ..."); "of/de/van" are left out: "Carné de conducir" is one name
_CONNECTOR = frozenset(["for", "in", "on", "at", "to", "with", "and", "or", "as", "für", "fur", "mit", "bei", "im", "auf", "nach", "und",
                        "oder", "als", "para", "por", "con", "en", "y", "o", "como", "pour", "dans", "avec", "et", "ou", "comme", "voor",
                        "met", "bij", "op", "of", "(", "-", "–", "—"])  # fmt: skip
_LEADING_QUALIFIER = re.compile(
    r"^(?:(?:sehr|very|muy|très|zeer)\s+)?(?:gute?|good|strong|excellent|solid|fluent|fließend|verhandlungssichere?|buen[oa]s?|bonne?s?|goede?"
    r"|nos|notre|unsere[nm]?|onze|our|nuestr[oa]s?)\s+",
    re.IGNORECASE,
)


_OF = frozenset(["of", "de", "del", "des", "du", "van", "von", "d'"])
_GENERIC_HEAD = frozenset(["experience", "erfahrung", "experiencia", "experience", "ervaring", "kenntnisse", "knowledge", "kennis"])


def _good_end(head: str, text: str) -> bool:
    """A shortened title may not end on a small word, a hyphen ('Stahlbeton-') or an adjective before its noun ('medizinischer')."""
    ws, full = head.split(), text.split()
    if not ws or _same(head, text):
        return False
    last = ws[-1]
    if last.endswith(("-", "/")) or fold(last).strip(",;:") in STOPWORDS or fold(last).strip(",;:") in _CONNECTOR:
        return False
    nxt = full[len(ws)] if len(ws) < len(full) else ""
    return not (last[:1].islower() and nxt[:1].isupper() and len(last) > 3)


def _distinct_title(text: str, hard: list[str], language: str = "en") -> str:
    """A title shorter than the evidence it comes with, so the dossier never says the same line twice.

    The skills it names, else the line without a leading qualifier ("Deutsch- und Englischkenntnisse"),
    else its head ("Statische Berechnungen" from "... für Stahlbeton- und Holzbauten"): never a head
    that ends on a hyphen, a small word or an adjective without its noun.
    """
    if hard and not _same(ph.join(hard[:3], language), text):
        return ph.join(hard[:3], language)
    plain = text.strip().rstrip(".")
    rest = _LEADING_QUALIFIER.sub("", plain, count=1)
    if rest != plain and rest:
        return rest[:1].upper() + rest[1:]
    ws = plain.split()
    for k in range(len(ws) - 1, 0, -1):  # the longest head that ends where a connector starts: "Train commis chefs | and ..."
        head = " ".join(ws[:k]).strip(" ,;:")
        joint = fold(ws[k]) in _CONNECTOR or ws[k].startswith("(") or (k > 1 and fold(ws[k]) in _OF)  # "Check-in y check-out | de huéspedes"
        if joint and _good_end(head, plain) and (k > 1 or fold(head) not in _GENERIC_HEAD):
            return head
    for k in range(len(ws) - 1, 0, -1):
        t = short_title(plain, k)
        if _good_end(t, plain):
            return t
    return text


def _detail(b: Block, problem: bool, skills: list[str], language: str = "en") -> str:
    where = ph.t(language, "where_h", q=ph.quote(b.heading, language)) if b.heading else ph.t(language, "where_intro")
    using = ph.t(language, "using", skills=ph.join(skills, language)) if skills else ""
    kind = {"responsibilities": "resp", "requirements": "req", "nice": "nice"}.get(b.kind, "problem" if problem else "other")
    return ph.t(language, f"detail_{kind}", where=where, using=using).strip()


# ---------------------------------------------------------------------------
# Research (posting only)
# ---------------------------------------------------------------------------


def company_summary(v: PostingView) -> str:
    sents = _sentences(v, ("about",), 3)
    if not sents and v.company:
        key = fold(v.company.split()[0])
        sents = [s for s in _sentences(v, ("intro", "other"), 6, 5) if key in fold(s)][:2]
    return " ".join(sents)


def research_notes(v: PostingView, description: str, language: str = "", fields: PostingFields | None = None) -> list[str]:
    """What the posting says about pay, pattern, team, tools, level and place, in `language` (the posting's by default).

    The structured fields intake reads (work mode, salary, language requirements, deadline)
    come first-hand from `fields`; the older pattern lines are kept only where they add words.
    """
    lang = ph.lang(language or v.language)
    notes = [f"{OFFLINE_LABEL} {ph.t(lang, 'notes_intro')}"]
    team = [b.text for b in v.blocks if re.search(r"\b(?:team|squad|group|department|equipo|unit|directorate)\b", b.text, re.IGNORECASE)
            and re.search(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|eleven)\b|report", b.text, re.IGNORECASE)
            and b.kind != "offer"]  # fmt: skip
    if team:
        notes.append(ph.t(lang, "team", text=" ".join(team[:2])))
    tools = _as_written([s for s in skill_names(description) if domain_of(s) not in NOT_HARD + ("sales",)], description, lang)
    if tools:
        notes.append(ph.t(lang, "tools", items=", ".join(tools[:18])))
    pay = ph.money(fields.salary_min, fields.salary_max, fields.currency, fields.period, lang) if fields else ""
    if pay:
        notes.append(ph.t(lang, "salary", text=pay))
    else:
        salary = SALARY.search("\n".join(b.text for b in v.blocks if b.kind == "offer") or description)
        if salary:
            notes.append(ph.t(lang, "salary_stated", text=salary.group(0).strip()))
    pattern = [b.text for b in v.blocks if WORK_PATTERN.search(b.text) and b.kind != "offer"]
    if not pattern:
        pattern = [c for b in v.blocks if b.kind == "offer" for c in re.split(r",\s*|;\s*|\s+and\s+", b.text) if WORK_PATTERN.search(c)]
    said = min(pattern, key=len).strip(" .")[:300] if pattern else ""
    mode = (fields.work_mode if fields else "") or v.work_mode
    if mode:  # one line: the structured mode, with the posting's own words when they add something
        named = ph.work_mode(mode, lang)
        extra = said and fold(said) != fold(named) and len(said) <= 160
        notes.append(ph.t(lang, "work_mode_detail", mode=named, text=said) if extra else ph.t(lang, "work_mode", mode=named))
    elif said:
        notes.append(ph.t(lang, "pattern", text=said))
    offer = [b.text for b in v.blocks if b.kind == "offer"]
    if offer:
        notes.append(ph.t(lang, "benefits", text=" ".join(offer)[:400]))
    needs = list(fields.language_requirements) if fields else list(v.language_requirements)
    if needs:
        notes.append(ph.t(lang, "languages", items=", ".join(ph.language_requirement(n, lang) for n in needs)))
    deadline = (fields.deadline if fields else "") or v.deadline
    if deadline:
        notes.append(ph.t(lang, "deadline", date=ph.long_date(deadline, lang)))
    level = ph.level(v.seniority, lang) + (ph.t(lang, "years_asked", years=str(v.years)) if v.years else "")
    notes.append(ph.t(lang, "seniority", level=level, language=v.language if lang == "en" else ph.language_name(v.language, lang)))
    if v.location:
        notes.append(ph.t(lang, "location", text=v.location))
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
    ["head", "vp", "director", "manager", "marketing", "engineering", "chief", "officer", "lead", "team", "matron", "ceo", "cto", "cfo", "coo", "founder", "founders", "our", "the", "us", "we", "you", "hr", "talent", "recruiting", "people", "operations", "sales", "product", "data", "design", "finance", "department", "group", "ward", "unit"]
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
            if re.search(r"manager|head|director|matron|lead|principal|headteacher|cto|ceo|vp", stated, re.IGNORECASE) and role in ("recruiter", "mentor"):
                role = "hiring manager"
            elif re.search(r"recruit|talent|people partner|\bhr\b", stated, re.IGNORECASE):
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


# A CV summary in the letter's own language, framed rather than conjugated (no verb morphology needed).
_IN_SHORT = {"de": "Kurz zu mir: {s}.", "es": "En pocas palabras: {s}.", "fr": "En quelques mots{NBSP}: {s}.", "nl": "In het kort: {s}."}


def _inline(line: str, language: str) -> str:
    """A CV line continuing a sentence after a colon: German keeps its capitals, others start lower case unless a name."""
    b = line.strip().rstrip(".")
    ws = b.split()
    first = ws[0] if ws else ""
    if language == "de":  # nouns keep their capital; a leading adjective ("Sorgfältige Dokumentation") does not
        adjective = len(ws) > 1 and first.endswith(("e", "er", "es", "en")) and ws[1][:1].isupper() and first[1:].islower()
        return b[:1].lower() + b[1:] if adjective else b
    if not first or not first[1:].islower() or skill_names(first):
        return b
    return b[:1].lower() + b[1:]


def _recent_role(cv: MasterCV, language: str) -> str:
    """'Zuletzt war ich als X bei Y tätig.': the latest role, a fact every CV states, in any language."""
    latest = cv.roles[0] if cv.roles else None
    if not latest or not latest.title:
        return ""
    at = ph.t(language, "at", company=latest.company) if latest.company else ""
    key = "recent_current" if PRESENT.search(latest.dates or "") else "recent_past"
    return ph.t(language, key, title=latest.title, at=at)


def _intro(cv: MasterCV, language: str, cv_lang: str) -> str:
    """Who I am: the CV summary when the CV shares the letter's language, else only the latest role."""
    if cv_lang != language:
        return _recent_role(cv, language)
    if language == "en":
        return _intro_line(cv)
    if not cv.summary_sentences:
        return _recent_role(cv, language)
    return _IN_SHORT[language].format(s=_inline(cv.summary_sentences[0], language), NBSP=ph.NBSP)


def _bullet_ranker(v: PostingView, cv: MasterCV) -> tuple[Similarity, dict[str, float]]:
    corpus = [b.text for b in v.blocks] + [b for _, b in cv.bullets] + cv.summary_sentences
    sim = Similarity(corpus)
    query = sim.vector(" ".join([v.title, *v.must, *v.nice, *v.responsibilities, *(b.text for b in v.blocks if b.kind == "requirements")]))
    scores = {text: sim.cosine(sim.vector(text), query) for text in [b for _, b in cv.bullets] + cv.summary_sentences}
    return sim, scores


Citation = tuple[PainPoint, Role, str]


def _requirement_text(pain: PainPoint) -> str:
    """What a pain point asks for: a theme title ("Reliability") is ours, so only its evidence counts."""
    return pain.evidence if pain.title in _THEME_TITLES else f"{pain.title} {pain.evidence}"


def _citations(v: PostingView, pains: PainPoints, cv: MasterCV, sim: Similarity, rank: dict[str, float]) -> tuple[list[Citation], list[PainPoint]]:
    """Up to three pain points, strongest first, each with the CV bullet that answers it best (each bullet used once).

    Only bullets that share a skill or term with the pain point (`shares_evidence`) qualify;
    pain points nothing in the CV covers come back as gaps, to be said plainly, never papered over.
    """
    recent = {id(r) for r in cv.roles[:2]}
    picks: list[Citation] = []
    gaps: list[PainPoint] = []
    used: set[str] = set()
    for n, pain in enumerate(pains.items):
        if len(picks) >= 3:
            break
        req = _requirement_text(pain)
        target = sim.vector(req)
        theme = _THEME_EVIDENCE.get(_THEME_KEY.get(pain.title, pain.title))
        best: tuple[float, int, Role, str] | None = None
        for i, (role, bullet) in enumerate(cv.bullets):
            if bullet in used or not shares_evidence(req, bullet):
                continue
            value = sim.cosine(sim.vector(bullet), target) + 0.3 * rank.get(bullet, 0.0) + 0.03 * (id(role) in recent)
            value += 0.15 if theme and re.search(theme, bullet, re.IGNORECASE) else 0.0
            if best is None or (value, -i) > (best[0], best[1]):
                best = (value, -i, role, bullet)
        if best:
            used.add(best[3])
            picks.append((pain, best[2], best[3]))
        elif n < 3:  # a top need the CV cannot answer: interview prep says so
            gaps.append(pain)
    return picks, gaps


def _greeting(company: str, language: str = "en", tone: str = "formal") -> str:
    return ph.t(language, "greeting_c", tone=tone, company=company) if company else ph.t(language, "greeting", tone=tone)


_WHY_US = re.compile(
    r"\b(?:mission|we are|we're|our|founded|build|help|serve|believe|purpose|values?"
    r"|wir sind|unser\w*|gegründet|somos|nuestr[oa]s?|fundad[oa]|misión|nous sommes|notre|nos|fondée?|wij zijn|onze|opgericht|missie)\b",
    re.IGNORECASE,
)


def why_company(v: PostingView, company: str, language: str = "en", tone: str = "formal") -> str:
    """One sentence on why this employer, quoted from the posting's own about/mission text; '' when it says nothing."""
    about = _sentences(v, ("about",), 4, 6) or [s for s in _sentences(v, ("intro", "other"), 8, 6) if _WHY_US.search(s) and not _YOU.search(s)]
    about = [s for s in about if not SALARY.search(s) and not _TERMS.search(s) and not _PROBLEM.search(s) and len(s.split()) <= 40
             and not _LOOKING.search(s)]  # "Nous recrutons un(e) ..." says whom they hire, not who they are
    if not about:
        return ""
    text = about[0].rstrip(".")
    q = ph.quote(text, language) + "." if ph.lang(language) in ("es", "fr") else ph.quote(text + ".", language)  # where the full stop goes
    return ph.t(language, "why_c" if company else "why", tone=tone, company=company, q=q)


def _shown_skills(req: str, bullet: str, language: str) -> list[str]:
    """Skills a requirement and its CV line share, named as the posting (or an English CV) writes them."""
    named = set(expand(skill_names(req)))
    shared = [s for s in shares_evidence(req, bullet) if s in named and domain_of(s) not in NOT_HARD]
    seen = fold(req) + (" " + fold(bullet) if language == "en" else "")
    return [s for s in shared if fold(s) in seen][:2]


def _frame(i: int, role: Role, skills: list[str], repeat: bool, used: set[int]) -> int:
    """Which evidence frame paragraph `i` gets: 0 'In my role as X at Y', 1 'My experience with S comes from ...',
    2 'At Y, ...', 3 'Beyond that, ...'; each needs its slots (skills, company, title) and none is used twice in a letter."""

    def fits(k: int) -> bool:
        return (k == 0 and bool(role.title)) or (k == 1 and bool(skills) and bool(role.title)) or (k == 2 and bool(role.company)) or k == 3

    prefer = [2, 1, 0, 3] if repeat else [i, 1, 2, 0, 3]  # the same role again: "Also at Y ..." first
    for k in prefer:
        if fits(k) and k not in used:
            return k
    return 3


def _evidence(k: int, role: Role, bullet: str, skills: list[str], language: str, same: bool) -> str:
    """The sentence(s) after a requirement's lead: its CV line inside a frame that differs paragraph to paragraph.

    Same language: the line continues the sentence (English verb-led lines in the first person);
    another language: the line is quoted as written, so the user sees what to translate.
    """
    org, title = role.company, role.title
    at = ph.t(language, "at", company=org) if org else ""
    dates = f" ({role.dates})" if role.dates and same else ""
    if language == "en" and same:
        body = as_first_person(bullet).rstrip(".")
        if not body.startswith("I "):  # not verb-led: say it as part of the sentence, not as a quoted CV line
            b = bullet.strip().rstrip(".")
            body = "my work included " + (b if b[:2].isupper() else b[:1].lower() + b[1:])
        if k == 0:
            return f"In my role as {title}{at}, {body}."
        if k == 1:
            where = ph.t("en", "where_role" if org else "where_role_noco", title=title, company=org)
            return f"My experience with {ph.join(skills, 'en')} comes from {where}, where {body}."
        if k == 2:
            also = "I also " + body[2:] if body.startswith("I ") else body
            return f"At {org}{dates}, {also}."
        return f"Beyond that, {body}."
    where = ph.t(language, "where_role" if org else "where_role_noco", title=title, company=org)
    slots = {"title": title, "at": at, "org": org, "dates": dates, "where": where, "skills": ph.join(skills, language)}
    if same:
        return ph.t(language, f"cite_n{k}", line=_inline(bullet, language), **slots)
    return ph.t(language, f"cite_q{k}", q=ph.quote(bullet.strip().rstrip("."), language), **slots)


def _opening(language: str, title: str, company: str, key: str = "opening", tone: str = "formal") -> str:
    """'I am applying for the {title} role at {company}.' (or 'the open position' when intake has no real title)."""
    name = ph.letter_title(title, company)
    key = key if name else key + "_open"
    return ph.t(language, key + "_c" if company else key, tone=tone, title=name, company=company)


def plain_note(title: str, company: str, language: str = "en", tone: str = "formal") -> str:
    """The LinkedIn note with no claim in it: the role and company, then the closing request.

    Why: when the claim check drops every sentence of a model's one-sentence note, the user
    still needs something true to send (both paths use it; see pipeline/graph/nodes/writing.py)."""
    L = ph.lang(language)
    tone = ph.tone(tone)
    return trim_chars(_opening(L, title, company, "li_hello", tone) + ph.t(L, "li_close", tone=tone), 300)


def _cover_letter(
    title: str, company: str, pains: PainPoints, cv: MasterCV, picks: list[Citation], why: str, language: str = "en", cv_lang: str = "en",
    tone: str = "formal",
) -> str:
    """Opening (company and role), one paragraph per paired requirement, why this company, closing; <= 350 words.

    Written in `language`; the CV's lines stay in `cv_lang` (quoted when it differs).
    Requirements with no paired CV evidence are left out rather than claimed; there is no skill counting.
    `tone` picks the frames (`ph.TONE_PHRASES`); "direct" also adds no second summary sentence
    as filler to a short letter, so the evidence paragraphs follow the one-paragraph opening.
    """
    L = ph.lang(language)
    tone = ph.tone(tone)
    opening = f"{_opening(L, title, company, tone=tone)} {_intro(cv, L, cv_lang)}".strip()
    paras = []
    roles_cited: set[int] = set()
    frames: set[int] = set()
    for i, (pain, role, bullet) in enumerate(picks[:3]):
        skills = _shown_skills(_requirement_text(pain), bullet, L)
        k = _frame(i, role, skills, id(role) in roles_cited, frames)
        lead = ph.t(L, f"lead{i}", tone=tone, q=ph.quote(pain.title, L))
        ev = _evidence(k, role, bullet, skills, L, cv_lang == L)
        roles_cited.add(id(role))
        frames.add(k)
        paras.append(f"{lead} {ev}")
    middle = paras + ([why] if why else [])
    if picks:
        closing = ph.t(L, "closing_focus", tone=tone, who=company or ph.t(L, "closing_you"), q=ph.quote(picks[0][0].title, L))
    else:
        closing = ph.t(L, "closing", tone=tone, who=company or ph.t(L, "closing_you"))
    signoff = ph.t(L, "signoff", tone=tone)
    sign = f"{signoff}\n{cv.name}" if cv.name else signoff

    def compose(parts: list[str]) -> str:
        return _greeting(company, L, tone) + "\n\n" + "\n\n".join([opening, *parts, closing]) + "\n\n" + sign

    letter = compose(middle)
    if len(letter.split()) < 180 and len(cv.summary_sentences) > 1 and cv_lang == L and tone != "direct":  # short: the CV's next summary sentence, once
        opening += " " + cv.summary_sentences[1]
        letter = compose(middle)
    while len(letter.split()) > 350 and len(middle) > 1:
        middle = middle[:-1] if not why or middle[-1] != why or len(middle) == 1 else middle[:-2] + [why]
        letter = compose(middle)
    return letter


def _outreach(
    title: str, company: str, must: list[str], nice: list[str], fit: Fit, cv: MasterCV, picks: list[Citation],
    language: str = "en", cv_lang: str = "en", posting_text: str = "", tone: str = "formal",
) -> Outreach:  # fmt: skip
    """A LinkedIn note that fits 300 characters without cutting words, and a short email citing two CV lines (frames in `tone`)."""
    L = ph.lang(language)
    tone = ph.tone(tone)
    name = ph.letter_title(title, company)
    top: list[str] = []
    for item in must + nice:
        hit = next((a for a in item.split(" or ") if a in fit.matched_skills and not is_soft(a)), None)
        if hit and hit not in top and (L == "en" or fold(hit) in fold(posting_text)):  # a skill named as the posting names it
            top.append(hit)
    latest = cv.roles[0] if cv.roles else None
    at = ph.t(L, "at", company=latest.company) if latest and latest.company else ""
    bg = ph.t(L, "li_recent", title=latest.title, at=at) if latest and latest.title else ""
    yrs = stated_years(cv) if L == "en" and cv_lang == "en" else None
    hello = _opening(L, title, company, "li_hello", tone)
    close = ph.t(L, "li_close", tone=tone)
    skills = ph.t(L, "li_skills", skills=ph.join(top[:3], L)) if top else ""
    stop = "." if bg and not bg.endswith(".") else ""  # "... bij Betaalhuis B.V." takes no second full stop
    options = [
        hello + bg + (ph.t(L, "li_years", years=yrs) if yrs and bg else "") + stop + skills + close,
        hello + bg + stop + close,
        hello + close,
    ]
    note = trim_chars(next((o for o in options if len(o) <= 300), options[-1]), 300)
    points = "\n".join(f"- {b}" for _, _, b in picks[:2])  # only evidence paired with a requirement
    signoff = ph.t(L, "mail_signoff", tone=tone)
    sign = f"{signoff}\n{cv.name}" if cv.name else signoff
    opening = _opening(L, title, company, tone=tone)
    body = f"{_greeting(company, L, tone)}\n\n{opening} {_intro(cv, L, cv_lang)}".rstrip()
    body += f"\n\n{ph.t(L, 'mail_points2' if len(picks) > 1 else 'mail_points1', tone=tone)}\n{points}" if points else ""
    body += f"\n\n{ph.t(L, 'mail_close', tone=tone)}\n\n{sign}"
    subject = (ph.t(L, "mail_subject", title=name) if name else ph.t(L, "mail_subject_open")) + (f" – {cv.name}" if cv.name else "")
    return Outreach(linkedin_note=note, email_subject=trim_chars(subject, 120), email_body=body)


def _story(pain: PainPoint, role: Role, bullet: str, language: str = "en", cv_lang: str = "en") -> StarStory:
    """Interview prep from one CV bullet: situation from its role, task/action/result split from its words."""
    task, action, result = star_parts(bullet, cv_lang)
    where = ph.t(language, "star_situation_at", title=role.title, company=role.company) if role.company else role.title
    q = ph.quote(pain.title, language)
    return StarStory(
        pain_point=pain.title,
        situation=", ".join(p for p in (where, role.dates) if p) + ".",
        task=ph.t(language, "star_task", q=q, task=task) if task else ph.t(language, "star_task_only", q=q),
        action=action + ".",
        result=result + "." if result else ph.t(language, "star_no_result"),
        source_line=bullet,
    )


def _gap_story(pain: PainPoint, language: str = "en") -> StarStory:
    """Interview prep for a need the CV has no example of: say so, and what story to prepare."""
    return StarStory(
        pain_point=pain.title,
        situation="",
        task="",
        action="",
        result="",
        source_line="",
        gap=ph.gap_note(pain.title, language),
    )


def cv_language(cv: MasterCV, fallback: str) -> str:
    """The CV's own language (it is never translated); the letter's when the CV is too short to tell."""
    found = detect_language(cv.text)
    return fallback if found == "other" else found


def writing(v: PostingView, intake: Intake, pains: PainPoints, fit: Fit, cv: MasterCV, tone: str = "formal") -> Writing:
    """Tailored CV, cover letter, outreach and STAR stories, all from the master CV's own lines, in `intake.language`;
    the letter, email and LinkedIn note in `tone` ('formal', 'warm', 'direct'; only their frames differ)."""
    L = ph.lang(intake.language)
    tone = ph.tone(tone)
    cv_lang = cv_language(cv, L)
    sim, rank = _bullet_ranker(v, cv)
    title, company = intake.title or v.title, intake.company or v.company
    must, nice = list(intake.must_have or v.must), list(intake.nice_to_have or v.nice)
    picks, gaps = _citations(v, pains, cv, sim, rank)
    order = {p.title: i for i, p in enumerate(pains.items)}
    stories = [_story(p, r, b, L, cv_lang) for p, r, b in picks] + [_gap_story(p, L) for p in gaps]
    stories.sort(key=lambda s: order.get(s.pain_point, 99))
    text = "\n".join(b.text for b in v.blocks)
    return Writing(
        cv_markdown=render_tailored(cv, lambda t: rank.get(t, 0.0), fit.matched_skills),
        cover_letter=_cover_letter(title, company, pains, cv, picks, why_company(v, company, L, tone), L, cv_lang, tone),
        outreach=_outreach(title, company, must, nice, fit, cv, picks, L, cv_lang, text, tone),
        star_stories=stories,
    )


# ---------------------------------------------------------------------------
# The analyst
# ---------------------------------------------------------------------------


class OfflineAnalyst:
    """`pipeline.llm.base.Analyst` without a model: deterministic, local, fast."""

    name = "offline analyst"
    offline = True
    # The user's WritingPreferences, set by `pipeline.llm.models.make_analyst`; its `tone` picks
    # the letter's and outreach's frames (none or "": formal).
    preferences: object = None

    async def intake(self, posting: Posting) -> Intake:
        v = view(posting)
        return Intake(
            title=v.title, company=v.company, location=v.location, seniority=v.seniority, language=v.language,  # type: ignore[arg-type]
            summary=f"{role_summary(v)} {OFFLINE_LABEL}", must_have=list(v.must), nice_to_have=list(v.nice),
            responsibilities=list(v.responsibilities),
        )  # fmt: skip

    async def pain_points(self, posting: Posting, intake: Intake) -> PainPoints:
        return PainPoints(items=[PainPoint(**p) for p in pain_points(view(posting), intake.language)])

    async def research(self, posting: Posting, intake: Intake) -> Research:
        v = view(posting)
        language = ph.lang(intake.language)
        parts = urllib.parse.urlsplit(posting.url or "")
        duties = "; ".join(d.rstrip(".") for d in v.responsibilities[:3])
        fields = read_fields(posting.title, posting.company, posting.location, posting.description, years=v.years)
        research = Research(
            company_summary=company_summary(v),
            role_summary=role_summary(v, 3, language) + (ph.t(language, "main_duties", text=duties) if duties else ""),
            notes=research_notes(v, posting.description, language, fields),
            sources=["posting"],
            website=f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None,
        )
        company = intake.company or v.company
        site = await company_site(posting.url, posting.company_url, company=company, enabled=getattr(self, "web_research", None))
        return add_site_facts(research, site, company)

    async def fit(self, posting: Posting, intake: Intake, cv_markdown: str) -> Fit:
        v = view(posting)
        lists_given = bool(intake.must_have or intake.nice_to_have)
        return fit_posting(
            v, cv_facts(cv_markdown),
            must_items=list(intake.must_have) if lists_given else list(v.must),
            nice_items=list(intake.nice_to_have) if lists_given else list(v.nice),
            level=intake.seniority if intake.seniority != "unspecified" else v.seniority,
            title=intake.title or v.title, words=RationaleWords(**ph.fit_words(intake.language or v.language)),
        )  # fmt: skip

    async def people(self, posting: Posting, intake: Intake) -> People:
        v = view(posting)
        contacts = [Contact(**c) for c in named_contacts(posting.description, v.company)]
        company = intake.company or v.company
        site = await company_site(posting.url, posting.company_url, company=company, enabled=getattr(self, "web_research", None))
        contacts += web_contacts(site, company, contacts)
        named_roles = {c.role.split(" (")[0] for c in contacts if c.name}
        for c in placeholder_contacts(v, intake.title or v.title, intake.company or v.company):
            if c["role"].split(" (")[0] not in named_roles:
                contacts.append(Contact(role=c["role"], name=None, source="placeholder", is_placeholder=True, search_url=c["search_url"]))
        return People(contacts=contacts)

    async def writing(
        self, posting: Posting, intake: Intake, pains: PainPoints, fit: Fit, research: Research, cv_markdown: str
    ) -> Writing:
        return writing(view(posting), intake, pains, fit, parse_cv(cv_markdown), ph.tone(self.preferences))
