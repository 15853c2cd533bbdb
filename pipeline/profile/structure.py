"""CV text to a structured profile (`ProfileData`) and a clean master CV in markdown.

Why the markdown is generated from the structure, in both paths: the rest of the
engine (fit, tailoring, traceability) reads the master CV through
`pipeline.text.cv.parse_cv`, which expects `# Name`, `## Section`,
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

from pipeline.text.cv import DATE_RANGE, MasterCV, Role, is_date_line, parse_cv, section_kind, split_items, strip_md
from pipeline.text.lexicon import domain_of, fold, skill_names

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
    section_order: list[str] = Field(
        default_factory=list,
        description="the CV's sections in the order it has them: summary, experience, education, skills, languages, "
        "certifications, or 'other:<heading>'",
    )


# ---------------------------------------------------------------- text -> markdown-ish

_BULLET = re.compile(r"^\s*(?:\*(?!\*)|[-•·▪●◦‣■□➢➤►–—]|\d{1,2}[.)])\s*(?=\S)")  # "**bold**" is no bullet
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d\s().-]{6,}\d(?![\w])")
_URL = re.compile(r"(?:https?://)?(?:www\.)?(?:linkedin\.com|github\.com|gitlab\.com|[\w-]+\.(?:dev|io|me|com|org|net|page)/)[^\s,;|·•]*", re.IGNORECASE)
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
    raw = _join_wrapped_dates([ln.rstrip() for ln in text.splitlines()])
    out: list[str] = []
    section = ""
    named = False
    role: _RoleState | None = None  # the role whose lines are being read (experience sections only)
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
            elif level <= 2 and _heading_kind(body):
                section = _heading_kind(body) or section
                role = None
                line = "#" * level + " " + _heading_case(strip_md(body).rstrip(":").strip())
            elif level <= 2:
                section, role = "other", None
                line = "#" * level + " " + _heading_case(body)
            elif section == "experience":
                role = _RoleState(has_dates=bool(DATE_RANGE.search(body)))
                out += ["", line]
                continue
            out.append(line)
            continue
        if not named:
            named = True
            if _looks_like_name(line):
                out.append("# " + strip_md(line))
                continue
        kind = _heading_kind(line)
        if kind:
            section, role = kind, None
            plain = strip_md(line).rstrip(":").strip()
            out += ["", "## " + _heading_case(plain), ""]
            continue
        plain = strip_md(line).rstrip(":").strip()
        if section and plain.isupper() and 1 <= len(plain.split()) <= 4 and not DATE_RANGE.search(plain):
            section, role = "other", None  # an unknown section in capitals: 'VOLUNTEERING', 'PUBLICATIONS'
            out += ["", "## " + plain.title(), ""]
            continue
        if section == "experience":
            role = _experience_line(line, raw, i, out, role)
            continue
        bullet = _BULLET.match(line)
        if bullet:
            out.append("- " + line[bullet.end() :].strip())
            continue
        if section == "education" and _is_entry_line(line, raw, i):
            out += ["", "### " + strip_md(line)]
            continue
        prev = next((ln for ln in reversed(out) if ln.strip()), "")
        if _continues(prev, line, out):
            out[-1] = out[-1].rstrip() + " " + line
            continue
        out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def _heading_case(text: str) -> str:
    return text.title() if text.isupper() and len(text) > 3 else text


class _RoleState:
    """Where the reader is inside one role: right after its heading (dates, place) or in its bullets."""

    def __init__(self, has_dates: bool) -> None:
        self.has_dates = has_dates
        self.in_head = True  # dates and place lines may still follow the heading
        self.marked = False  # the CV marks this role's bullets ('•', '-'): unmarked lines are then wraps


_OPEN_END = re.compile(  # a line ending like this goes on: '... and', '(2019–', 'Python,' (same words in pdftext/structure)
    r"(?:[,;:&+/(\[–—-]|\b(?:and|or|of|the|a|an|in|for|to|with|at|by|on|from|as|into|including"
    r"|und|oder|der|die|das|den|mit|für|im|y|o|de|del|la|el|en|con|et|des|du|le|les|pour))$",
    re.IGNORECASE,
)
_DATE_AT_EDGE = re.compile(rf"^[\s(\[|·•,–—-]*(?:{DATE_RANGE.pattern})|(?:{DATE_RANGE.pattern})[\s)\]|·•,.–—-]*$", re.IGNORECASE)
_TITLE_WORD = re.compile(
    r"\b(?:engineer|developer|programmer|manager|nurse|analyst|designer|consultant|director|lead|head|officer|specialist|assistant|"
    r"associate|intern|trainee|teacher|lecturer|scientist|researcher|architect|administrator|coordinator|technician|accountant|"
    r"advisor|adviser|executive|representative|supervisor|editor|writer|owner|founder|cto|ceo|cfo|vp|president|chef|cook|"
    r"driver|clerk|agent|operator|therapist|pharmacist|physician|doctor|midwife|paramedic|carer|worker|"
    r"ingenieur\w*|entwickler\w*|leiter\w*|berater\w*|referent\w*|sachbearbeiter\w*|pfleger\w*|krankenschwester|werkstudent\w*|"
    r"ingeniero|ingeniera|desarrollador\w*|jefe|jefa|enfermer[oa]|responsable|gerente|analista|tecnic[oa]|"
    r"ingenieur|développeu\w*|chef|infirmi\w*|chargé\w*)\b",
    re.IGNORECASE,
)


def _date_rest(line: str) -> tuple[re.Match | None, str]:
    """The first date (range) in a line and the words around it."""
    plain = strip_md(line)
    m = DATE_RANGE.search(plain)
    return m, ((plain[: m.start()] + " " + plain[m.end() :]).strip(" ·|,()[]-–—") if m else plain)


def _dates_only(line: str) -> bool:
    """'Jan 2019 – Present', '*London · 2019 – 2022*', 'Senior Engineer · 2019 – 2022': dates with at most a few words."""
    m, rest = _date_rest(line)
    return m is not None and len(rest.split()) <= 4 and not _SENTENCE_END.search(rest)


_MENTION = re.compile(r"\b(?:in|since|seit|im|en|desde|depuis|from|until|by|of|to|bis)\W*$", re.IGNORECASE)


def _is_role_line(line: str, raw: list[str], nxt: int, role: _RoleState | None) -> bool:
    """'Senior Engineer, Acme (2019 – 2023)', a bold line, or a short line followed by a dates line.

    Right under a heading without dates, a line with dates belongs to that heading ('Jan 2019 – Present',
    'Senior Engineer · 2019 – 2022' under 'Acme — Berlin'); elsewhere dates plus two or more words
    at the start or end of a line make a role ('Product Manager, Tessellate  Jan 2021 – Present')."""
    plain = strip_md(line)
    words = len(plain.split())
    m, rest = _date_rest(line)
    under_head = role is not None and role.in_head and not role.has_dates
    if m is not None and under_head and len(rest.split()) <= 6:
        return False
    if _BOLD_LINE.match(line) and words <= 20 and (m is None or len(rest.split()) >= 2):
        return True
    if m is not None and _DATE_AT_EDGE.search(plain) and words <= 20 and len(rest.split()) >= 2:
        before = plain[: m.start()]
        return not _SENTENCE_END.search(rest) and not _MENTION.search(before) and not rest[:1].islower()
    if _SENTENCE_END.search(plain) or m is not None or words > 12:
        return False
    following = next((ln.strip() for ln in raw[nxt : nxt + 2] if ln.strip()), "")
    return bool(following) and _dates_only(following) and not _BULLET.match(following)


_BOLD_LINE = re.compile(r"^\s*\*\*[^*]+\*\*\s*$")


def _experience_line(line: str, raw: list[str], nxt: int, out: list[str], role: _RoleState | None) -> _RoleState | None:
    """One line of an experience section: a role heading, its dates/place lines, or one of its bullets.

    Lines after a role heading up to the next role or section are that role's bullets, whether or
    not the CV marked them (PDF list markers are often drawn, not text); a line that starts in
    lower case or follows an open end ('... and', '(2019–') continues the bullet before it."""
    bullet = _BULLET.match(line)
    if not bullet and _is_role_line(line, raw, nxt, role):
        out += ["", "### " + strip_md(line)]
        return _RoleState(has_dates=bool(DATE_RANGE.search(line)))
    if role is None:  # text before the first role: kept as it is (the summary takes it)
        out.append("- " + line[bullet.end() :].strip() if bullet else line)
        return None
    if not bullet and role.in_head and _dates_only(line):
        _head_meta(line, out, role)
        return role
    if not bullet and role.in_head and _is_place(line):
        out.append(line)
        return role
    role.in_head = False
    prev = out[-1] if out and out[-1].startswith("- ") else ""
    if bullet:
        role.marked = True
        out.append("- " + line[bullet.end() :].strip())
    elif prev and (line[:1].islower() or _OPEN_END.search(prev) or (role.marked and not _SENTENCE_END.search(prev))):
        out[-1] = _join_words(prev, line)
    else:
        out.append("- " + strip_md(line) if _BOLD_LINE.match(line) else "- " + line)
    return role


def _head_meta(line: str, out: list[str], role: _RoleState) -> None:
    """A dates line under a role heading; 'Company — City' then 'Title · dates' is turned round to 'Title — Company'."""
    plain = strip_md(line)
    m = DATE_RANGE.search(plain)
    rest = (plain[: m.start()] + plain[m.end() :]).strip(" ·|,()[]-–—") if m else ""
    head_at = next((k for k in range(len(out) - 1, -1, -1) if out[k].startswith("### ")), None)
    if rest and m and not role.has_dates and head_at is not None and _TITLE_WORD.search(rest):
        heading = out[head_at][4:]
        if not _TITLE_WORD.search(heading):
            parts = [x.strip() for x in re.split(r"\s+[—–|·-]\s+|,\s+", heading, maxsplit=1)]
            company, place = parts[0], parts[1] if len(parts) > 1 else ""
            out[head_at] = f"### {rest} — {company}"
            out.append(f"*{' · '.join(x for x in (place, m.group(0)) if x)}*")
            role.has_dates = True
            return
    role.has_dates = role.has_dates or bool(m)
    out.append(line)


def _is_place(line: str) -> bool:
    """'Berlin, Germany', 'Remote', 'London · Hybrid': a few capitalised words right under a role."""
    plain = strip_md(line)
    words = plain.replace("·", " ").replace("|", " ").replace(",", " ").split()
    return 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not _SENTENCE_END.search(plain)


def _join_words(prev: str, line: str) -> str:
    if re.search(r"\S[–—/-]$", prev):
        return prev + line
    return prev.rstrip() + " " + line


_WRAPPED_DATE = re.compile(rf"(?:{DATE_RANGE.pattern})\s*(?:-|–|—|to|bis|a)\s*$", re.IGNORECASE)
_DATE_START = re.compile(rf"^\(?\s*(?:{DATE_RANGE.pattern}|present|current|now|today|heute|actualidad|presente|ongoing)", re.IGNORECASE)


def _join_wrapped_dates(lines: list[str]) -> list[str]:
    """'Staff Nurse — Leeds (2019–' + 'present)' back on one line (a role line wrapped inside its dates)."""
    out: list[str] = []
    for line in lines:
        if out and _WRAPPED_DATE.search(out[-1].strip().rstrip("*")) and _DATE_START.match(line.strip().lstrip("*")):
            prev = out[-1].rstrip()
            bold = prev.endswith("**") and line.strip().startswith("**")
            if bold:
                prev, line = prev[:-2], line.strip()[2:]
            out[-1] = _join_words(prev, line.strip())
            continue
        out.append(line)
    return out


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
    data.section_order = [
        f"other:{sec.heading}" if sec.kind == "other" or (sec.kind == "experience" and not sec.roles) else sec.kind for sec in cv.sections
    ]
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
        parts = [p.strip() for p in re.split(r"\s+[—–|@·-]\s+|,\s+(?=[A-Z])", rest, maxsplit=1) if p.strip()]
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
    data.section_order = list(dict.fromkeys(t(x, 130) for x in data.section_order if x.strip()))[:40]
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
    blocks = _section_blocks(data)
    for key in section_order(data, blocks):
        out += blocks[key]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def section_order(data: ProfileData, blocks: dict[str, list[str]] | None = None) -> list[str]:
    """Keys of the sections to write, in the CV's own order; sections it did not place follow in the usual order."""
    present = blocks if blocks is not None else _section_blocks(data)
    placed = [k for k in data.section_order if k in present]
    first = ["summary"] if "summary" in present and "summary" not in placed else []  # header lines under the name
    return list(dict.fromkeys([*first, *placed, *present]))


def _section_blocks(data: ProfileData) -> dict[str, list[str]]:
    """Markdown lines of each non-empty section, keyed 'summary' ... or 'other:<heading>', in the usual order."""
    blocks: dict[str, list[str]] = {}
    if data.summary:
        blocks["summary"] = ["## Summary", "", data.summary, ""]
    if data.experience:
        out = ["## Experience", ""]
        for e in data.experience:
            out.append("### " + " — ".join(x for x in (e.title, e.company) if x))
            meta = " · ".join(x for x in (e.location, e.dates) if x)
            out += ["", f"*{meta}*"] if meta else []
            out += [""] + [f"- {b}" for b in e.bullets] + ([""] if e.bullets else [])
        blocks["experience"] = out
    if data.education:
        out = ["## Education", ""]
        for ed in data.education:
            head = f"**{ed.degree}**" if ed.degree else ""
            tail = " · ".join(x for x in (ed.institution, ed.dates) if x)
            out.append(" — ".join(x for x in (head, tail) if x))
            out += ed.details
            out.append("")
        blocks["education"] = out
    if data.skill_groups:
        blocks["skills"] = ["## Skills", ""] + [f"- **{g.label}:** {', '.join(g.items)}" if g.label else f"- {', '.join(g.items)}" for g in data.skill_groups] + [""]
    elif data.skills:
        blocks["skills"] = ["## Skills", "", "- " + ", ".join(data.skills), ""]
    if data.languages:
        blocks["languages"] = ["## Languages", ""] + [f"- {x}" for x in data.languages] + [""]
    if data.certifications:
        blocks["certifications"] = ["## Certifications", ""] + [f"- {x}" for x in data.certifications] + [""]
    for x in data.other_sections:
        key = f"other:{x.heading}"
        blocks[key] = blocks.get(key, []) + [f"## {x.heading}", "", *x.lines, ""]
    return blocks


# ---------------------------------------------------------------- with a model


def ground(data: ProfileData, text: str, fallback: ProfileData) -> ProfileData:
    """Keep a model's name and contact details only where the CV text states them (else the offline reading)."""
    folded = fold(" ".join(text.split()))

    def stated(value: str) -> bool:
        return bool(value) and fold(" ".join(value.split())) in folded

    if not stated(data.name):
        data.name = fallback.name
    data.section_order = data.section_order or fallback.section_order  # the model may not say; the text's order stands
    c = data.contact
    c.email = c.email if stated(c.email) else fallback.contact.email
    digits = re.sub(r"\D", "", text)
    c.phone = c.phone if c.phone and re.sub(r"\D", "", c.phone) in digits else fallback.contact.phone
    c.links = [x for x in c.links if stated(x.split("://")[-1].removeprefix("www."))] or fallback.contact.links
    return tidy(data)


async def structure_llm(text: str, analyst) -> ProfileData:
    """`ProfileData` from the model (`LLMAnalyst.structured`), grounded in the text.

    The privacy guard (PRIVACY_GUARD) withholds the name and contact details the offline
    reading finds, and any stated anywhere in the text; the model fills its fields with
    placeholders, restored before grounding."""
    from pipeline.llm.privacy import guarded
    from pipeline.profile import prompts

    offline = structure_offline(text)
    top = "\n".join([ln for ln in text.splitlines() if ln.strip()][:8])  # the file's own header, as laid out
    analyst = guarded(analyst, to_markdown(offline) + "\n\n" + text, profile=offline, header_text=top)
    user = prompts.PROFILE_USER.format(cv=prompts.cv_text_block(text), schema=prompts.schema_json(ProfileData))
    data = await analyst.structured("profile", ProfileData, prompts.PROFILE_SYSTEM, user)
    return ground(data, text, offline)
