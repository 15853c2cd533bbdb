"""CV text to a structured profile (`ProfileData`) and a clean master CV in markdown.

Why the markdown is generated from the structure, in both paths: the rest of the
engine (fit, tailoring, traceability) reads the master CV through
`pipeline.llm.offline.cv.parse_cv`, which expects `# Name`, `## Section`,
`### Title — Company` and `- bullet`. Building the markdown from `ProfileData` gives
every upload that shape, whatever the file looked like.

Offline, the text is first given markdown structure by line heuristics (headings,
bullets, wrapped lines, role lines next to dates) and then read with `parse_cv`,
so section detection (EN/DE/ES/FR) is the one the pipeline already uses. With a
model, `LLMAnalyst.structured` returns `ProfileData`; contact details and the name
it returns are kept only when the text states them.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from pipeline.llm.offline.cv import DATE_RANGE, MasterCV, Role, is_date_line, parse_cv, split_items, strip_md
from pipeline.llm.offline.cv import _section_kind as section_kind  # the pipeline's own EN/DE/ES/FR heading words
from pipeline.llm.offline.lexicon import domain_of, fold, skill_names

MAX_SKILLS = 80
MAX_BULLET_CHARS = 600


class ContactInfo(BaseModel):
    email: str = ""
    phone: str = ""
    location: str = ""
    links: list[str] = Field(default_factory=list)


class ExperienceEntry(BaseModel):
    title: str = ""
    company: str = ""
    location: str = ""
    dates: str = Field(default="", description="as written, e.g. 'Apr 2021 – Present'")
    bullets: list[str] = Field(default_factory=list)


class EducationEntry(BaseModel):
    degree: str = ""
    institution: str = ""
    dates: str = ""
    details: list[str] = Field(default_factory=list)


class SkillGroup(BaseModel):
    label: str = ""
    items: list[str] = Field(default_factory=list)


class ExtraSection(BaseModel):
    heading: str = ""
    lines: list[str] = Field(default_factory=list, description="markdown lines as in the CV")


class ProfileData(BaseModel):
    """What a CV says, in fields; `Profile.parsed` stores it as JSON."""

    name: str = ""
    headline: str = Field(default="", description="the line under the name, e.g. 'Senior Backend Engineer'")
    contact: ContactInfo = Field(default_factory=ContactInfo)
    summary: str = ""
    experience: list[ExperienceEntry] = Field(default_factory=list)
    education: list[EducationEntry] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list, description="every skill, once")
    skill_groups: list[SkillGroup] = Field(default_factory=list, description="skills as the CV groups them, if it does")
    languages: list[str] = Field(default_factory=list, description="spoken languages with level, e.g. 'German (C1)'")
    certifications: list[str] = Field(default_factory=list)
    other_sections: list[ExtraSection] = Field(default_factory=list, description="sections not covered above (projects, awards ...)")


# ---------------------------------------------------------------- text -> markdown-ish

_BULLET = re.compile(r"^\s*(?:[-*•·▪●◦‣■□➢➤►–—]|\d{1,2}[.)])\s*(?=\S)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d\s().-]{6,}\d(?![\w])")
_URL = re.compile(r"(?:https?://)?(?:www\.)?(?:linkedin\.com|github\.com|gitlab\.com|[\w-]+\.(?:dev|io|me|com|org|net|page)/)[^\s,;|·•]*", re.I)
_SEPARATORS = re.compile(r"\s*(?:[|·•,]|\s{3,}|\s[–—-]\s)\s*")
_SENTENCE_END = re.compile(r"[.!?:;。！？]$")


def _heading_kind(line: str) -> str | None:
    """A short line that names a section ('Experience', 'BERUFSERFAHRUNG:', '## Skills')."""
    plain = strip_md(line.strip().lstrip("#").strip()).rstrip(":").strip()
    if not plain or len(plain.split()) > 5 or _SENTENCE_END.search(plain) or _BULLET.match(line):
        return None
    kind = section_kind(plain)
    return None if kind == "other" else kind


def _looks_like_name(line: str) -> bool:
    plain = strip_md(line.lstrip("#").strip())
    return bool(plain) and len(plain.split()) <= 6 and not re.search(r"[@\d/:]", plain) and _heading_kind(plain) is None


def to_markdownish(text: str) -> str:
    """Plain CV text with markdown structure added: '# Name', '## Section', '### Role', '- bullet'."""
    raw = [ln.rstrip() for ln in text.splitlines()]
    out: list[str] = []
    section = ""
    named = False
    i = 0
    while i < len(raw):
        line = raw[i].strip()
        i += 1
        if not line:
            out.append("")
            continue
        if line.startswith("#"):  # already markdown
            level = len(line) - len(line.lstrip("#"))
            body = line.lstrip("#").strip()
            if not named and level == 1:
                named = True
            elif _heading_kind(body):
                section = _heading_kind(body) or section
            out.append(line)
            continue
        if not named:
            named = True
            if _looks_like_name(line):
                out.append("# " + strip_md(line))
                continue
        kind = _heading_kind(line)
        if kind:
            section = kind
            plain = strip_md(line).rstrip(":").strip()
            out += ["", "## " + (plain.title() if plain.isupper() else plain), ""]
            continue
        plain = strip_md(line).rstrip(":").strip()
        if section and plain.isupper() and 1 <= len(plain.split()) <= 4 and not DATE_RANGE.search(plain):
            section = "other"  # an unknown section in capitals: 'VOLUNTEERING', 'PUBLICATIONS'
            out += ["", "## " + plain.title(), ""]
            continue
        bullet = _BULLET.match(line)
        if bullet:
            out.append("- " + line[bullet.end() :].strip())
            continue
        if section in ("experience", "education") and _is_entry_line(line, raw, i):
            out += ["", "### " + strip_md(line)]
            continue
        prev = next((ln for ln in reversed(out) if ln.strip()), "")
        if _continues(prev, line, out):
            out[-1] = out[-1].rstrip() + " " + line
            continue
        out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def _continues(prev: str, line: str, out: list[str]) -> bool:
    """A wrapped line: it follows a bullet or paragraph line directly and that line did not end a sentence."""
    if not out or not out[-1].strip() or not prev or prev.startswith("#") or is_date_line(line) or is_date_line(prev):
        return False
    if _EMAIL.search(line) or _PHONE.fullmatch(line.strip()):
        return False
    if _EMAIL.search(prev) or _heading_kind(line):
        return False
    if prev.startswith("- "):
        return line[:1].islower() or not _SENTENCE_END.search(prev)
    return len(prev.split()) >= 6 and not _SENTENCE_END.search(prev)


def _is_entry_line(line: str, raw: list[str], nxt: int) -> bool:
    """'Senior Engineer, Acme (2019 – 2023)' or a short line followed by a dates line."""
    words = len(line.split())
    if _SENTENCE_END.search(line) and not DATE_RANGE.search(line):
        return False
    if DATE_RANGE.search(line) and words <= 16 and not is_date_line(line):
        return True
    following = next((ln.strip() for ln in raw[nxt : nxt + 2] if ln.strip()), "")
    return words <= 12 and bool(following) and is_date_line(following) and not is_date_line(line)


# ---------------------------------------------------------------- offline structuring


def structure_offline(text: str) -> ProfileData:
    """Fields by heuristics and the offline CV reader; never invents what the text does not say."""
    md = to_markdownish(text)
    cv = parse_cv(md)
    header = [strip_md(h) for h in cv.header_lines if h.strip()]
    name = strip_md(cv.name) if _looks_like_name(cv.name) else ""
    data = ProfileData(name=name.title() if name.isupper() else name)  # "MARÍA GARCÍA" -> "María García"
    data.contact = _contact(header, text)
    data.headline = _headline(header, data.contact)
    rest = [h for h in header if h != data.headline and not _is_contact_line(h, data.contact)]
    data.summary = " ".join([*rest, _summary(cv)]).strip()
    data.experience = [_entry(r) for r in cv.roles]
    data.education = _education(cv)
    data.skill_groups, data.skills = _skills(cv, text)
    data.languages = _list_section(cv, "languages") or [s for s in skill_names(text) if domain_of(s) == "language"]
    data.certifications = _list_section(cv, "certifications")
    data.other_sections = [
        ExtraSection(heading=sec.heading, lines=[ln for ln in sec.lines if ln.strip()])
        for sec in cv.sections
        if (sec.kind == "other" or (sec.kind == "experience" and not sec.roles)) and any(ln.strip() for ln in sec.lines)
    ]
    for sec in cv.sections:  # lines before the first role ("Selected roles:") are kept with the summary
        if sec.kind == "experience" and sec.roles and sec.intro_lines:
            data.summary = " ".join([data.summary, *(strip_md(x) for x in sec.intro_lines)]).strip()
    return tidy(data)


def _is_contact_line(line: str, contact: ContactInfo) -> bool:
    return bool(_EMAIL.search(line) or _PHONE.search(line) or _URL.search(line)) or (bool(contact.location) and contact.location in line)


def _contact(header: list[str], text: str) -> ContactInfo:
    """Contact details from the header, else from anywhere (sidebar layouts put them in a column)."""
    head = "\n".join(header)
    where = head if (_EMAIL.search(head) or _PHONE.search(head)) else text
    email = _EMAIL.search(where) or _EMAIL.search(text)
    phone = _PHONE.search(_EMAIL.sub(" ", where)) or _PHONE.search(_EMAIL.sub(" ", text))
    links = list(dict.fromkeys(m.group(0).rstrip(".") for m in _URL.finditer(_EMAIL.sub(" ", where))))[:5]
    location = ""
    for seg in (s.strip() for h in header for s in re.split(r"\s*[|·•]\s*|\s{3,}", h)):
        if seg and not (_EMAIL.search(seg) or _PHONE.search(seg) or _URL.search(seg)) and re.fullmatch(
            r"[^\W\d_][\w .'’-]{1,40},\s*[^\W\d_][\w .'’-]{1,40}", seg
        ):
            location = seg
            break
    phone_text = re.sub(r"\s+", " ", phone.group(0)).strip() if phone and len(re.sub(r"\D", "", phone.group(0))) >= 7 else ""
    if phone_text and DATE_RANGE.fullmatch(phone_text):
        phone_text = ""
    return ContactInfo(email=email.group(0) if email else "", phone=phone_text, location=location, links=links)


def _headline(header: list[str], contact: ContactInfo) -> str:
    for h in header[:3]:
        if _EMAIL.search(h) or _PHONE.search(h) or _URL.search(h) or (contact.location and contact.location in h):
            continue
        if 1 <= len(h.split()) <= 10 and not _SENTENCE_END.search(h):
            return h
    return ""


def _summary(cv: MasterCV) -> str:
    sec = cv.section("summary")
    return " ".join(strip_md(ln) for ln in sec.lines if ln.strip()) if sec is not None else ""


def _entry(role: Role) -> ExperienceEntry:
    location, bullets = "", list(role.bullets)
    for meta in role.meta_lines:
        plain = strip_md(meta)
        if is_date_line(meta):
            rest = DATE_RANGE.sub("", plain).strip(" ·|,()-–—")
            location = location or rest
        elif len(plain.split()) > 6:
            bullets.insert(0, plain)  # a description paragraph under the role
        else:
            location = location or plain
    title, company = strip_md(role.title), strip_md(role.company)
    if not company and "," in title:
        title, _, company = title.partition(",")
    return ExperienceEntry(title=title.strip(), company=company.strip(), location=location, dates=role.dates, bullets=bullets)


def _education(cv: MasterCV) -> list[EducationEntry]:
    sec = cv.section("education")
    if sec is None:
        return []
    out: list[EducationEntry] = []
    for line in sec.lines:
        if not line.strip():
            continue
        plain = strip_md(line.lstrip("#").strip())
        if line.lstrip().startswith("- ") and out:
            out[-1].details.append(plain)
            continue
        if is_date_line(line) and out and not out[-1].dates:
            out[-1].dates = DATE_RANGE.search(plain).group(0)  # type: ignore[union-attr]
            continue
        if out and not line.lstrip().startswith(("#", "-", "*")) and not out[-1].details and len(plain.split()) > 8:
            out[-1].details.append(plain)
            continue
        m = DATE_RANGE.search(plain)
        dates = m.group(0) if m else ""
        rest = (plain[: m.start()] + plain[m.end() :]).strip(" ·|,()-–—") if m else plain
        parts = [p.strip() for p in re.split(r"\s+[—–|@·]\s+|,\s+(?=[A-Z])", rest, maxsplit=1) if p.strip()]
        extra = [p.strip() for p in re.split(r"\s+·\s+", parts[1])] if len(parts) > 1 else []
        out.append(EducationEntry(degree=parts[0] if parts else rest, institution=extra[0] if extra else "", dates=dates, details=extra[1:]))
    return out


_LABEL = re.compile(r"^\s*(?:[-*]\s+)?(?:\*\*([^*]{1,40}?):?\*\*:?|([^:,()]{1,30}):)\s+(.*)$")


def _skills(cv: MasterCV, text: str) -> tuple[list[SkillGroup], list[str]]:
    sec = cv.section("skills")
    groups: list[SkillGroup] = []
    flat: list[str] = []
    if sec is not None:
        for line in sec.lines:
            if not line.strip():
                continue
            m = _LABEL.match(line)
            label, body = (m.group(1) or m.group(2) or "", m.group(3)) if m else ("", strip_md(line))
            items = [strip_md(x).strip(" .;") for part in re.split(r"\s*[;|•·]\s*", body) for x in split_items(part)]
            items = [x for x in items if x and len(x) <= 80]
            if label:
                groups.append(SkillGroup(label=strip_md(label), items=items))
            flat += items
    if not flat:
        flat = [s for s in skill_names(text) if domain_of(s) not in ("soft", "language", "education")]
    return groups, list(dict.fromkeys(flat))[:MAX_SKILLS]


def _list_section(cv: MasterCV, kind: str) -> list[str]:
    sec = cv.section(kind)
    if sec is None:
        return []
    items: list[str] = []
    for line in sec.lines:
        plain = strip_md(line.lstrip("#").strip())
        if not plain:
            continue
        items += [x.strip() for x in (split_items(plain) if kind == "languages" and not line.lstrip().startswith("-") else [plain]) if x.strip()]
    return list(dict.fromkeys(items))


def tidy(data: ProfileData) -> ProfileData:
    """Whitespace collapsed, empty entries dropped, overlong bullets cut, duplicates removed."""

    def t(s: str, limit: int = 300) -> str:
        s = " ".join((s or "").split())
        return s if len(s) <= limit else s[: limit - 1] + "…"

    data.name = t(data.name, 200)
    data.headline = t(data.headline, 200)
    data.summary = t(data.summary, 4000)
    data.contact.email, data.contact.phone, data.contact.location = t(data.contact.email, 200), t(data.contact.phone, 40), t(data.contact.location, 120)
    data.contact.links = list(dict.fromkeys(t(x, 300) for x in data.contact.links if x.strip()))
    for e in data.experience:
        e.title, e.company, e.location, e.dates = t(e.title, 200), t(e.company, 200), t(e.location, 120), t(e.dates, 60)
        e.bullets = list(dict.fromkeys(t(b, MAX_BULLET_CHARS) for b in e.bullets if b.strip()))
    data.experience = [e for e in data.experience if e.title or e.company]
    for ed in data.education:
        ed.degree, ed.institution, ed.dates = t(ed.degree, 300), t(ed.institution, 200), t(ed.dates, 60)
        ed.details = [t(x, MAX_BULLET_CHARS) for x in ed.details if x.strip()]
    data.education = [ed for ed in data.education if ed.degree or ed.institution]
    data.skills = list(dict.fromkeys(t(s, 80) for s in data.skills if s.strip()))[:MAX_SKILLS]
    for g in data.skill_groups:
        g.label, g.items = t(g.label, 60), [t(s, 80) for s in g.items if s.strip()]
    data.skill_groups = [g for g in data.skill_groups if g.items]
    data.languages = list(dict.fromkeys(t(s, 80) for s in data.languages if s.strip()))[:20]
    data.certifications = list(dict.fromkeys(t(s, 200) for s in data.certifications if s.strip()))[:30]
    for x in data.other_sections:
        x.heading, x.lines = t(x.heading, 120) or "Other", [ln.rstrip() for ln in x.lines if ln.strip()]
    data.other_sections = [x for x in data.other_sections if x.lines]
    return data


# ---------------------------------------------------------------- markdown


def to_markdown(data: ProfileData) -> str:
    """The clean master CV, in the shape `parse_cv` and the CV templates expect."""
    out: list[str] = [f"# {data.name or 'Your name'}", ""]
    if data.headline:
        out += [data.headline, ""]
    contact = [data.contact.location, data.contact.email, data.contact.phone, *data.contact.links]
    if any(contact):
        out += [" · ".join(c for c in contact if c), ""]
    if data.summary:
        out += ["## Summary", "", data.summary, ""]
    if data.experience:
        out += ["## Experience", ""]
        for e in data.experience:
            out.append("### " + " — ".join(x for x in (e.title, e.company) if x))
            meta = " · ".join(x for x in (e.location, e.dates) if x)
            out += ["", f"*{meta}*"] if meta else []
            out += [""] + [f"- {b}" for b in e.bullets] + ([""] if e.bullets else [])
    if data.education:
        out += ["## Education", ""]
        for ed in data.education:
            head = f"**{ed.degree}**" if ed.degree else ""
            tail = " · ".join(x for x in (ed.institution, ed.dates) if x)
            out.append(" — ".join(x for x in (head, tail) if x))
            out += ed.details
            out.append("")
    if data.skill_groups:
        out += ["## Skills", ""] + [f"- **{g.label}:** {', '.join(g.items)}" if g.label else f"- {', '.join(g.items)}" for g in data.skill_groups] + [""]
    elif data.skills:
        out += ["## Skills", "", "- " + ", ".join(data.skills), ""]
    if data.languages:
        out += ["## Languages", ""] + [f"- {x}" for x in data.languages] + [""]
    if data.certifications:
        out += ["## Certifications", ""] + [f"- {x}" for x in data.certifications] + [""]
    for x in data.other_sections:
        out += [f"## {x.heading}", "", *x.lines, ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


# ---------------------------------------------------------------- with a model


def ground(data: ProfileData, text: str, fallback: ProfileData) -> ProfileData:
    """Keep a model's name and contact details only where the CV text states them (else the offline reading)."""
    folded = fold(" ".join(text.split()))

    def stated(value: str) -> bool:
        return bool(value) and fold(" ".join(value.split())) in folded

    if not stated(data.name):
        data.name = fallback.name
    c = data.contact
    c.email = c.email if stated(c.email) else fallback.contact.email
    digits = re.sub(r"\D", "", text)
    c.phone = c.phone if c.phone and re.sub(r"\D", "", c.phone) in digits else fallback.contact.phone
    c.links = [x for x in c.links if stated(x.split("://")[-1].removeprefix("www."))] or fallback.contact.links
    return tidy(data)


async def structure_llm(text: str, analyst) -> ProfileData:
    """`ProfileData` from the model (`LLMAnalyst.structured`), grounded in the text."""
    from pipeline.profile import prompts

    user = prompts.PROFILE_USER.format(cv=prompts.cv_text_block(text), schema=prompts.schema_json(ProfileData))
    data = await analyst.structured("profile", ProfileData, prompts.PROFILE_SYSTEM, user)
    return ground(data, text, structure_offline(text))
