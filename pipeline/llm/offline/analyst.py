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
from pipeline.llm.offline.cv_writing import as_first_person, render_tailored, star_parts
from pipeline.llm.postprocess import gap_note, trim_chars
from pipeline.text.analysis import SALARY, WORK_PATTERN, Block, Similarity, content_stems, join_words, short_title
from pipeline.text.cv import MasterCV, Role, parse_cv, stated_years
from pipeline.text.evidence import shares_evidence
from pipeline.text.fit import cv_facts, fit_posting
from pipeline.text.lexicon import domain_of, fold, is_soft, skill_names
from pipeline.text.posting import DUTY, NOT_HARD, PostingView, analyse

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
    re.IGNORECASE,
)
_THEMES = (
    ("Scaling with growth", r"\b(?:doubl\w*|grow\w*|grew|growth|scal\w*|creak\w*|volume|eightfold|peak)\b"),
    ("Keeping costs down", r"\b(?:cost|costs|spend|bill|expensive|waste)\b"),
    ("Reliability", r"\b(?:reliab\w*|outage|is down|fail\w*|flaky|(?:is|are|runs?|running) late|delay\w*|incident|stranded|breaks?)\b"),
    ("Replacing manual or legacy work", r"\b(?:patchwork|spreadsheets|manual|hand-built|legacy|decade|hurry|cron)\b"),
    ("Quality people can trust", r"\b(?:quality|accura\w*|errors?|trust)\b"),
)

_THEME_TITLES = frozenset(t for t, _ in _THEMES)
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
        problem = bool(_PROBLEM.search(b.text)) and (not prose or any(re.search(rx, b.text, re.IGNORECASE) for _, rx in _THEMES))
        hard = [h for h in skill_names(b.text) if domain_of(h) not in NOT_HARD]
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
        if all(_jaccard(stems, set(content_stems(c.text))) <= 0.5 and not _same(short_title(b.text), short_title(c.text)) for c, _ in chosen):
            chosen.append((b, problem))
        if len(chosen) >= MAX_PAIN_POINTS:
            break
    out: list[dict[str, str]] = []
    used_themes: set[str] = set()
    for b, problem in chosen:
        title = short_title(b.text)
        lead = re.match(r"^(?:if you(?: have| are)?|in practice,? that means(?: you would)?|some weeks will be)\s+", b.text, re.IGNORECASE)
        hard_named = [s for s in skill_names(b.text) if domain_of(s) not in NOT_HARD]
        if b.kind in ("intro", "other") and (lead or not DUTY.search(b.text)) and hard_named:
            title = join_words(hard_named[:3])
        if problem and b.kind not in ("responsibilities", "requirements", "nice"):
            theme = next((t for t, rx in _THEMES if re.search(rx, b.text, re.IGNORECASE) and t not in used_themes), None)
            if theme:
                used_themes.add(theme)
                title = theme
        skills = [s for s in skill_names(b.text) if domain_of(s) != "soft"][:3]
        if _same(title, b.text):  # a short bullet: the title names it, the evidence quotes it
            title = _distinct_title(b.text, hard_named)
        out.append({"title": title, "detail": _detail(b, problem, skills), "evidence": b.text})
    return out


def _same(a: str, b: str) -> bool:
    return fold(a).strip(" .;:") == fold(b).strip(" .;:")


def _distinct_title(text: str, hard: list[str]) -> str:
    """A title shorter than the evidence it comes with, so the dossier never says the same line twice."""
    if hard and not _same(join_words(hard[:3]), text):
        return join_words(hard[:3])
    n = len(text.split())
    for k in range(n - 1, 1, -1):
        t = short_title(text, k)
        if not _same(t, text):
            return t
    return text


def _detail(b: Block, problem: bool, skills: list[str]) -> str:
    where = f"under “{b.heading}”" if b.heading else "in the posting's introduction"
    using = f" and involves {join_words(skills)}" if skills else ""
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
    team = [b.text for b in v.blocks if re.search(r"\b(?:team|squad|group|department|equipo|unit|directorate)\b", b.text, re.IGNORECASE)
            and re.search(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|eleven)\b|report", b.text, re.IGNORECASE)
            and b.kind != "offer"]  # fmt: skip
    if team:
        notes.append("Team: " + " ".join(team[:2]))
    tools = [s for s in skill_names(description) if domain_of(s) not in NOT_HARD + ("sales",)]
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
        theme = _THEME_EVIDENCE.get(pain.title)
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


def _greeting(company: str) -> str:
    return f"Dear {company} hiring team," if company else "Dear Hiring Manager,"


_WHY_US = re.compile(r"\b(?:mission|we are|we're|our|founded|build|help|serve|believe|purpose|values?)\b", re.IGNORECASE)


def why_company(v: PostingView, company: str) -> str:
    """One sentence on why this employer, quoted from the posting's own about/mission text; '' when it says nothing."""
    about = _sentences(v, ("about",), 4, 6) or [s for s in _sentences(v, ("intro", "other"), 8, 6) if _WHY_US.search(s) and not _YOU.search(s)]
    about = [s for s in about if not SALARY.search(s) and not _TERMS.search(s) and not _PROBLEM.search(s) and len(s.split()) <= 40]
    if not about:
        return ""
    quote = about[0].rstrip(".")
    return f"Part of why I am applying is how you describe {company or 'yourselves'}: “{quote}.”"


def _cover_letter(title: str, company: str, pains: PainPoints, cv: MasterCV, picks: list[Citation], why: str) -> str:
    """Opening (company and role), one paragraph per paired requirement, why this company, closing; <= 350 words.

    Requirements with no paired CV evidence are left out rather than claimed; there is no skill counting.
    """
    at = f" at {company}" if company else ""
    opening = f"I am applying for the {title} role{at}. {_intro_line(cv)}".strip()
    leads = ("You put “{t}” at the centre of the role.", "You also need “{t}”.", "You also mention “{t}”.")
    paras = []
    for i, (pain, role, bullet) in enumerate(picks[:3]):
        where = f"In my role as {role.title}{' at ' + role.company if role.company else ''}" if role.title else (f"At {role.company}" if role.company else "In a previous role")
        body = as_first_person(bullet).rstrip(".")
        if not body.startswith("I "):  # not verb-led: say it as part of the sentence, not as a quoted CV line
            b = bullet.strip().rstrip(".")
            body = "my work included " + (b if b[:2].isupper() else b[:1].lower() + b[1:])
        paras.append(leads[i].format(t=pain.title) + f" {where}, {body}.")
    middle = paras + ([why] if why else [])
    focus = f", starting with “{picks[0][0].title}”" if picks else ""
    closing = f"I would welcome the chance to talk about how I could help {company or 'you'}{focus}. Thank you for your time."
    sign = f"Kind regards,\n{cv.name}" if cv.name else "Kind regards"

    def compose(parts: list[str]) -> str:
        return _greeting(company) + "\n\n" + "\n\n".join([opening, *parts, closing]) + "\n\n" + sign

    letter = compose(middle)
    if len(letter.split()) < 180 and len(cv.summary_sentences) > 1:  # short: the CV's next summary sentence, once
        opening += " " + cv.summary_sentences[1]
        letter = compose(middle)
    while len(letter.split()) > 350 and len(middle) > 1:
        middle = middle[:-1] if not why or middle[-1] != why or len(middle) == 1 else middle[:-2] + [why]
        letter = compose(middle)
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
        hello + bg + (f", {yrs} in total" if yrs and bg else "") + ("." if bg else "") + (f" Relevant skills: {join_words(top[:3])}." if top else "") + close,
        hello + bg + ("." if bg else "") + close,
        hello + close,
    ]
    note = trim_chars(next((o for o in options if len(o) <= 300), options[-1]), 300)
    points = "\n".join(f"- {b}" for _, _, b in picks[:2])  # only evidence paired with a requirement
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


def _gap_story(pain: PainPoint) -> StarStory:
    """Interview prep for a need the CV has no example of: say so, and what story to prepare."""
    return StarStory(
        pain_point=pain.title,
        situation="",
        task="",
        action="",
        result="",
        source_line="",
        gap=gap_note(pain.title),
    )


def writing(v: PostingView, intake: Intake, pains: PainPoints, fit: Fit, cv: MasterCV) -> Writing:
    """Tailored CV, cover letter, outreach and STAR stories, all from the master CV's own lines."""
    sim, rank = _bullet_ranker(v, cv)
    title, company = intake.title or v.title, intake.company or v.company
    must, nice = list(intake.must_have or v.must), list(intake.nice_to_have or v.nice)
    picks, gaps = _citations(v, pains, cv, sim, rank)
    order = {p.title: i for i, p in enumerate(pains.items)}
    stories = [_story(p, r, b) for p, r, b in picks] + [_gap_story(p) for p in gaps]
    stories.sort(key=lambda s: order.get(s.pain_point, 99))
    return Writing(
        cv_markdown=render_tailored(cv, lambda t: rank.get(t, 0.0), fit.matched_skills),
        cover_letter=_cover_letter(title, company, pains, cv, picks, why_company(v, company)),
        outreach=_outreach(title, company, must, nice, fit, cv, picks),
        star_stories=stories,
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
