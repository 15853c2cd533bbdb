"""The claim check: tailored lines that were traced to the master CV but strengthened on the way.

Why: `untraceable_lines` catches a line with no source at all; users stop trusting a
generated CV for a subtler reason - "contributed to" became "led", 31% became 40%,
"company-wide" or a tool appeared, a title or a date moved. Each tailored line is paired
with the master line(s) it came from and compared fact by fact. Precision comes first:
a false flag costs the user's trust as much as a missed one, so every rule needs a
concrete difference (a verb, a number, a phrase, a skill, a date) it can name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.text.analysis import Similarity, content_stems, norm_ws, split_sentences
from pipeline.text.cv import BULLET, DATE_RANGE, Role, is_date_line, parse_cv, section_kind, strip_md
from pipeline.text.lexicon import deaccent, expand, find_skills, fold, is_soft, skill_names

KINDS = ("verb_inflation", "number", "scope", "new_skill", "date", "title")

# A master unit is the source of a tailored line when it holds this share of the line's
# content words and at least two of them (a one-word overlap is chance, not a source).
SOURCE_SHARE = 0.5
SOURCE_MIN_SHARED = 2


@dataclass(frozen=True)
class ClaimFlag:
    line: str  # the tailored line (as written, markdown stripped)
    source: str  # the master CV line(s) it came from ("" when none matched well enough)
    kind: str  # one of KINDS
    why: str  # one plain sentence naming the change

    def as_dict(self) -> dict[str, str]:
        return {"line": self.line, "source": self.source, "kind": self.kind, "why": self.why}


# ---------------------------------------------------------------------------
# Verbs
# ---------------------------------------------------------------------------

_WEAK = re.compile(
    r"\b(?:contribut(?:ed|ing|e)\s+to|helped|helping|help(?:ed)?\s+to|supported|supporting|assisted|assisting"
    r"|participated\s+in|took\s+part\s+in|worked\s+on|was\s+part\s+of|were\s+part\s+of|part\s+of\s+the|involved\s+in"
    r"|member\s+of|mitgewirkt|mitgearbeitet|unterstutzt|unterstutzte|beteiligt|wirkte\s+mit|arbeitete\s+mit"
    r"|mitarbeit|mithilfe|unterstutzung\s+(?:bei|von|des|der)|beteiligung|colaboracion\s+en|apoyo\s+en|participacion\s+en"
    r"|participation\s+a|contribution\s+a|bijdrage\s+aan|meegewerkt\s+aan|medewerking"
    r"|colabore|colaborado|colabor[oa]|apoye|apoyado|ayude|participe|contribui"
    r"|contribue|aide|participe|collabore|soutenu|meegewerkt|ondersteund|ondersteunde|bijgedragen|geholpen|meegeholpen)\b"
)
# Leadership and ownership verbs: a claim of their own, whatever follows them.
_STRONG = re.compile(
    r"\b(?:led|lead|leading|owned|owning|headed|heading|spearheaded|spearheading|architected|drove|driving|directed"
    r"|managed|managing|founded|co-founded|oversaw|overseen|orchestrated|championed|pioneered|ran|in\s+charge\s+of"
    r"|took\s+ownership|was\s+responsible\s+for|leitete|geleitet|verantwortete|verantwortet|fuhrte|gegrundet|grundete"
    r"|verantwortung\s+fur|verantwortlich\s+fur|leitung\s+(?:des|der|von)|gesamtverantwortung|responsable\s+de|direccion\s+de"
    r"|liderazgo\s+de|direction\s+de|pilotage\s+de|verantwoordelijk\s+voor|leiding\s+over"
    r"|lidere|liderado|dirigi|dirigido|encabece|gestione|funde|fundado|dirige|pilote|mene|gere|fonde"
    r"|leidde|geleid|leiding\s+gegeven|gaf\s+leiding|beheerde|opgericht|richtte\s+op)\b"
)
# Making verbs: strong only where the source said the person helped with them ("helped build").
_MAKING = {
    "built": "build", "build": "build", "designed": "design", "design": "design", "created": "creat", "developed": "develop",
    "implemented": "implement", "delivered": "deliver", "launched": "launch", "established": "establish",
    "aufgebaut": "aufgebaut|aufbau", "entwickelt": "entwickel", "entworfen": "entw", "disene": "disen", "desarrolle": "desarroll",
    "construi": "constru", "concu": "conc", "developpe": "developp", "construit": "constru", "ontworpen": "ontw", "gebouwd": "bouw",
    "ontwikkeld": "ontwikkel",
}
_MAKING_RE = re.compile(r"\b(" + "|".join(_MAKING) + r")\b")
_PASSIVE = re.compile(r"\b(?:led|managed|directed|headed|overseen|run|driven|owned)\s+by\b")


def _verb_change(line: str, source: str) -> tuple[str, str, bool] | None:
    """(the line's verb, the source's weaker phrase, whether the line's verb is a leadership verb), or None."""
    t, s = fold(line), fold(source)
    weak = _WEAK.search(s)
    if not weak or _WEAK.search(t):
        return None  # the source claims no more than a part, or the line still says so
    t_plain = _PASSIVE.sub(" ", t)
    for m in _STRONG.finditer(t_plain):
        verb = m.group(0)
        if not re.search(rf"\b{re.escape(verb)}\b", _PASSIVE.sub(" ", s)):
            return _as_written(line, verb), _as_written(source, weak.group(0)), True
    for m in _MAKING_RE.finditer(t_plain):
        verb = m.group(1)
        root = _MAKING[verb]
        after_weak = s[weak.start() : weak.end() + 40]
        if re.search(rf"\b(?:{root})", after_weak) or re.search(rf"\b(?:{root})\w*\b", s[weak.end() : weak.end() + 25]):
            said = s[weak.start() : weak.end()] + s[weak.end() :].split(",")[0][:30]
            phrase = " ".join(said.split()[: len(weak.group(0).split()) + 2])
            return _as_written(line, verb), _as_written(source, phrase), False
    return None


def _verb_flag(line: str, source: str) -> str:
    """The why of a verb inflation, or ''."""
    change = _verb_change(line, source)
    return f'Says "{change[0]}" where your CV says "{change[1]}".' if change else ""


# English past-tense leadership verbs and the past-tense weak phrases that can stand in their place:
# "I led the migration" -> "I contributed to the migration" reads as English; other forms are dropped.
_SOFTEN_STRONG = re.compile(
    r"\b(led|owned|headed|spearheaded|architected|drove|directed|managed|founded|co-founded|oversaw|orchestrated|championed|pioneered|ran)\b",
    re.IGNORECASE,
)
_SOFTEN_WEAK = ("contributed to", "helped", "supported", "assisted", "assisted with", "participated in", "took part in", "worked on")


def soften_verb(line: str, source: str) -> str | None:
    """The line with its inflated verb replaced by the source's weaker verb, or None when that is not safe.

    Only the plain English case: a past-tense leadership verb ("led", "managed", "ran") not after
    have/has/had, and a past-tense weak phrase in the source ("contributed to", "helped",
    "supported" ...). Anything else - other languages, "built" vs "helped build", perfect tenses -
    returns None, and the caller drops the sentence instead of guessing at grammar."""
    change = _verb_change(line, source)
    if not change or not change[2]:
        return None
    strong, weak, _ = change
    if weak.lower() not in _SOFTEN_WEAK or not _SOFTEN_STRONG.fullmatch(strong):
        return None
    m = next((m for m in re.finditer(rf"\b{re.escape(strong)}\b", line)), None)
    if m is None or re.search(r"\b(?:have|has|had|having|'ve|'d)\s+$", line[: m.start()], re.IGNORECASE):
        return None
    word = weak.lower()
    if strong[:1].isupper():
        word = word[:1].upper() + word[1:]
    return line[: m.start()] + word + line[m.end() :]


def _as_written(text: str, folded_phrase: str) -> str:
    """The phrase as the text spells it (accents, case), found through its folded form."""
    i = fold(text).find(folded_phrase)
    return text[i : i + len(folded_phrase)] if i >= 0 and len(fold(text)) == len(text) else folded_phrase


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

_NUM = re.compile(
    r"(?<![\w./-])(?P<cur>[£$€¥]\s?)?(?P<n>\d{1,3}(?:[,.'’\u202f]\d{3})+(?![\d])|\d+(?:[.,]\d+)?)"
    r"(?:\s?(?P<unit>%|percent|per\s?cent|prozent|por\s?ciento|pour\s?cent|procent|x|k|m|bn|million|millionen|millones|thousand|billion|mio|mrd|tsd)\b|(?P<pct>%))?"
    r"(?![\w/]|\.\d)"
)
_MULT = {"k": 1e3, "thousand": 1e3, "tsd": 1e3, "m": 1e6, "million": 1e6, "millionen": 1e6, "millones": 1e6, "mio": 1e6, "bn": 1e9, "billion": 1e9, "mrd": 1e9}
_WORD_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100, "dozen": 12,
    "zwei": 2, "drei": 3, "funf": 5, "sechs": 6, "sieben": 7, "neun": 9, "zehn": 10, "zwolf": 12,
    "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    "twee": 2, "drie": 3, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9, "tien": 10,
}
_WORD_NUM_RE = re.compile(r"\b(" + "|".join(_WORD_NUMBERS) + r")\b")
# Names that carry a number without it being a claim: ISO 27001, Python 3, Band 6, Level 3, IPv6 ...
_NAME_BEFORE = re.compile(r"(?:\b[A-Z]{2,}[a-z]?|\b(?:Band|Level|Grade|Stage|Key Stage|Year|Version|v|Windows|Office|Series|Tier|Phase|Step)) ?$")


# A number that counts the message's own parts ("Two things from my CV match", "a 15-minute call")
# is the writer's frame, not a claim about the applicant.
_FRAME_AFTER = re.compile(
    r"^[\s-]*(?:\w+\s+)?(?:things|points|examples|reasons|ways|highlights|lines|dinge|punkte|beispiele|grunde|cosas|puntos|ejemplos"
    r"|razones|choses|exemples|raisons|dingen|punten|voorbeelden|redenen)\b"
    r"|^[\s-]*(?:minutes?|mins?|minuten|minutos|minuut)\b(?:\s+\w+){0,3}?\s+(?:call|chat|conversation|time|gesprach|telefonat|llamada|charla"
    r"|conversacion|appel|echange|entretien|gesprek|belletje)\b"
)


@dataclass(frozen=True)
class _Number:
    text: str
    value: float
    start: int
    noun: str = ""  # the counted thing's stem for a bare number ("7 years" -> "year"), else ""


def _noun(after: str) -> str:
    """The content stem of the word right after a number ('' for none, a stop word or punctuation)."""
    m = re.match(r"\s*([^\W\d_][\w-]*)", after)
    stems = content_stems(m.group(1)) if m else []
    return stems[0] if len(stems) == 1 else ""


_YEAR = re.compile(r"^(?:19[5-9]\d|20\d\d)$")


def _value(raw: str) -> float:
    """'1,200' / '1.200' / '1200' -> 1200.0; '1.5' / '1,5' -> 1.5 (three digits after a separator mean thousands)."""
    s = raw.replace("'", "").replace("’", "").replace("\u202f", "")
    if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", s):
        return float(re.sub(r"[,.]", "", s))
    return float(s.replace(",", "."))


def _numbers(text: str) -> list[_Number]:
    """Claimed numbers in `text`, skill and standard names excluded ('S3', 'Python 3', 'ISO 27001')."""
    plain = deaccent(text)
    skill_ends = {h.end for h in find_skills(text) if h.domain != "soft"}  # "Python 3", never "Mentored 11"
    out: list[_Number] = []
    for m in _NUM.finditer(plain):
        before = plain[: m.start()].rstrip(" ")
        if m.group("cur") is None and (m.start() - len(before) <= 1) and (len(before) in skill_ends or _NAME_BEFORE.search(before)):
            continue
        if not m.group("unit") and not m.group("pct") and _FRAME_AFTER.match(fold(plain[m.end() :])):
            continue
        value = _value(m.group("n"))
        unit = (m.group("unit") or "").lower()
        value *= _MULT.get(unit, 1.0)
        out.append(_Number(m.group(0).strip(), round(value, 4), m.start(), "" if m.group("cur") or unit or m.group("pct") else _noun(plain[m.end() :])))
    for m in _WORD_NUM_RE.finditer(fold(text)):
        if _FRAME_AFTER.match(fold(text)[m.end() :]):
            continue
        out.append(_Number(text[m.start() : m.end()], float(_WORD_NUMBERS[m.group(1)]), m.start(), _noun(text[m.end() :])))
    return out


_TEAM = re.compile(
    r"\b(?:team|group|department|staff|unit)\s+of\s+(?:\w+\s+)?(\d+|" + "|".join(_WORD_NUMBERS) + r")\b"
    r"|\b(\d+|" + "|".join(_WORD_NUMBERS) + r")[- ](?:person|people|strong|member|fte|headcount)\b"
    r"|\b(\d+|" + "|".join(_WORD_NUMBERS) + r")\s+direct\s+reports?\b"
    r"|\bteam\s+von\s+(\d+)|\bequipo\s+de\s+(\d+)|\bequipe\s+de\s+(\d+)|\bteam\s+van\s+(\d+)"
)
_HAS_TEAM = re.compile(r"\b(?:team|group|staff|direct reports?|equipo|equipe)\b")


def _number_flags(line: str, sources: list[str], master: _Master, *, excused: set[float] = frozenset()) -> list[tuple[str, str]]:
    """(kind, why) for numbers the line adds or changes; team sizes are scope when the source has no team."""
    src_text = " / ".join(sources)
    src_nums = [n for s in sources for n in _numbers(s)]
    src_values = {n.value for n in src_nums}
    line_nums = _numbers(line)
    line_values = {n.value for n in line_nums}
    team_values = {float(_WORD_NUMBERS.get(g, 0) or g) for m in _TEAM.finditer(fold(line)) for g in m.groups() if g}
    out: list[tuple[str, str]] = []
    changed_from = [n for n in src_nums if n.value not in line_values]
    seen: set[float] = set()
    for n in line_nums:
        if n.value in src_values or n.value in seen or n.value in excused:
            continue
        seen.add(n.value)
        if master.number_elsewhere(n.value, line):
            continue  # a fact of another master line about the same thing, merged in
        if n.noun and (n.value, n.noun) in master.counted:
            continue  # the master counts the same thing ("7 years of experience" -> "7 years in total")
        if _YEAR.match(n.text) and n.value in master.years and not any(_YEAR.match(o.text) for o in changed_from):
            continue  # a year of the master's (a role's dates) named with the role, not a changed year of the source line
        if n.value in team_values and not _HAS_TEAM.search(fold(src_text)):
            team = next(m.group(0) for m in _TEAM.finditer(fold(line)) if any(g and float(_WORD_NUMBERS.get(g, 0) or g) == n.value for g in m.groups()))
            out.append(("scope", f'Adds "{_as_written(line, team)}", a team size your CV does not state here.'))
        elif changed_from and sources:
            old = changed_from.pop(0)
            out.append(("number", f'Says "{n.text}" where your CV says "{old.text}".'))
        else:
            out.append(("number", f'Adds the number "{n.text}", which your CV does not state{" here" if sources else ""}.'))
    return out


# ---------------------------------------------------------------------------
# Scope
# ---------------------------------------------------------------------------

_ORGS = r"(?:org|orgs|organi[sz]ation|company|business|group|enterprise|firm|trust|school|hospital|department|division|region|country|bank|university)"
_SCOPES: tuple[tuple[str, str], ...] = (
    ("company-wide", r"\b(?:company|organi[sz]ation|org|enterprise|firm|group|trust|school|hospital|department|business|division)[- ]wide\b"),
    ("company-wide", rf"\bacross\s+(?:the\s+|our\s+|my\s+)?(?:whole\s+|entire\s+)?{_ORGS}\b"),
    ("company-wide", rf"\bthroughout\s+(?:the\s+)?(?:whole\s+|entire\s+)?{_ORGS}\b"),
    ("company-wide", r"\b(?:unternehmensweit|konzernweit|bereichsubergreifend|en\s+toda\s+la\s+(?:empresa|organizacion)|a\s+l'echelle\s+de\s+l'(?:entreprise|organisation)|organisatiebreed|bedrijfsbreed)\w*"),
    ("global", r"\b(?:global|globally|worldwide|world-wide|weltweit|a\s+nivel\s+mundial|mondial\w*|wereldwijd|internationally)\b"),
    ("all teams", r"\b(?:all|every)\s+(?:\w+\s+)?(?:teams|departments|wards|sites|regions|markets|products|offices|schools|clients|business\s+units)\b"),
    ("all teams", r"\b(?:alle[n]?\s+teams|todos\s+los\s+equipos|toutes\s+les\s+equipes)\b"),
    ("end-to-end", r"\bend[- ]to[- ]end\b"),
    ("every", r"\bevery\b"),
    ("sole", r"\b(?:single-handedly|single handedly|sole|solely|on my own|alone)\b"),
)


def _scopes(text: str) -> dict[str, str]:
    """Scope phrases in `text`: canonical key -> the phrase as matched (folded)."""
    f = fold(text)
    out: dict[str, str] = {}
    for key, rx in _SCOPES:
        m = re.search(rx, f)
        if m and key not in out:
            out[key] = m.group(0)
    return out


# ---------------------------------------------------------------------------
# The master CV, indexed once
# ---------------------------------------------------------------------------

_CONTACT = re.compile(r"@|https?://|www\.|linkedin\.com|github\.com|\+?\d[\d ()-]{7,}\d")
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$|^\s*\|?[\s:-]+\|[\s|:-]*$")
_BOLD_LINE = re.compile(r"^\s*\*\*[^*]+\*\*\s*$")


def _units(markdown: str) -> list[str]:
    """Master lines and their sentences (markdown stripped), each a possible source."""
    out: list[str] = []
    for line in (markdown or "").splitlines():
        plain = strip_md(line.lstrip("#").strip()) if line.strip() else ""
        if not plain:
            continue
        for u in [plain, *split_sentences(plain)]:
            if u not in out:
                out.append(u)
    return out


def _stems(text: str) -> set[str]:
    """Content stems without bare numbers: a changed number must not hide the source."""
    return {s for s in content_stems(text) if not s.replace(".", "").replace(",", "").isdigit()}


class _Master:
    """The master CV as source units with their stems, its skills and numbers."""

    def __init__(self, master_md: str) -> None:
        self.markdown = master_md or ""
        self.units = _units(self.markdown)
        self.stems = [_stems(u) for u in self.units]
        self.exact = {norm_ws(fold(u)) for u in self.units}
        self.sim = Similarity(self.units)
        names = skill_names(self.markdown)
        self.skills = set(expand(names)) | set(names)
        self.cv = parse_cv(self.markdown)
        numbers = [n for u in self.units for n in _numbers(u)]
        self.counted = {(n.value, n.noun) for n in numbers if n.noun}  # "7 years", "40 suppliers"
        self.years = {n.value for n in numbers if _YEAR.match(n.text)}

    def sources(self, line: str) -> list[str]:
        """The unit(s) the line came from: the best one, plus a second when it covers what the first lacks."""
        want = _stems(line)
        if not want:
            return []
        vec = self.sim.vector(line)
        scored = []
        for i, have in enumerate(self.stems):
            shared = len(want & have)
            if shared:
                scored.append((shared / len(want), self.sim.cosine(vec, self.sim.vector(self.units[i])), -len(self.units[i]), i))
        if not scored:
            return []
        scored.sort(reverse=True)
        share, _, _, best = scored[0]
        shared = len(want & self.stems[best])
        if share < SOURCE_SHARE or shared < min(SOURCE_MIN_SHARED, len(want)):
            return []
        picked = [best]
        missing = want - self.stems[best]
        if len(missing) >= 2:
            extra = max(((len(missing & self.stems[i]), i) for _, _, _, i in scored[1:] if self.units[i] not in self.units[best]), default=(0, -1))
            if extra[0] >= 2:
                picked.append(extra[1])
        return [self.units[i] for i in picked]

    def number_elsewhere(self, value: float, line: str) -> bool:
        """The number is stated by another master unit that shares at least two words with the line."""
        want = _stems(line)
        return any(value in {n.value for n in _numbers(u)} and len(want & s) >= SOURCE_MIN_SHARED for u, s in zip(self.units, self.stems, strict=True))


@lru_cache(maxsize=32)
def _master(master_md: str) -> _Master:
    return _Master(master_md)


def source_lines(line: str, master_md: str) -> list[str]:
    """The best-matching master line(s) or sentence(s) for a tailored line, markdown stripped ([] when none matches well enough)."""
    return _master(master_md).sources(strip_md(line))


def source_of(line: str, master_md: str) -> str:
    """The best-matching master line(s) for a tailored line, joined by " / " ("" when none matches well enough)."""
    return " / ".join(source_lines(line, master_md))


# ---------------------------------------------------------------------------
# Roles: titles and dates
# ---------------------------------------------------------------------------

_JUNIOR = re.compile(r"\b(?:junior|jr|assistant|associate|trainee|intern|graduate|apprentice|deputy|acting|student|werkstudent|praktikant|becario|stagiaire|stagiair)\b")


def _date_points(dates: str) -> list[tuple[int, int | None] | str]:
    """'Apr 2021 – Present' -> [(2021, 4), 'present']."""
    m = DATE_RANGE.search(strip_md(dates))
    if not m:
        return []
    parts = [m.group(1), m.group(2)] if m.group(1) else [m.group(3)]
    out: list[tuple[int, int | None] | str] = []
    months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    for p in parts:
        f = fold(p or "")
        y = re.search(r"(?:19|20)\d{2}", f)
        if not y:
            out.append("present")
            continue
        mo = re.match(r"([a-z]+)", f)
        num = re.match(r"(\d{1,2})/", f)
        month = (months.index(mo.group(1)[:3]) + 1 if mo and mo.group(1)[:3] in months else None) if mo else (int(num.group(1)) if num else None)
        out.append((int(y.group(0)), month))
    return out


def _same_dates(a: str, b: str) -> bool:
    pa, pb = _date_points(a), _date_points(b)
    if not pa or not pb or len(pa) != len(pb):
        return not pa or not pb  # one side without dates says nothing new
    for x, y in zip(pa, pb, strict=True):
        if isinstance(x, str) or isinstance(y, str):
            if x != y:
                return False
            continue
        if x[0] != y[0] or (x[1] is not None and y[1] is not None and x[1] != y[1]):
            return False
    return True


def _title_key(title: str) -> str:
    return norm_ws(re.sub(r"[^\w\s]", " ", fold(title).replace("&", " and ")))


def _same_company(a: str, b: str) -> bool:
    a, b = _title_key(a), _title_key(b)
    return bool(a and b and (a in b or b in a))


def role_pairs(tailored_md: str, master_md: str) -> list[tuple[Role, Role]]:
    """(tailored role, the master role it shows) for every tailored role whose employer the master names.

    Several master roles at one employer (a promotion): the one with the same title and dates
    wins, then the same title, then the same dates, then the first - so a faithfully copied
    earlier role is never compared with the later one."""
    m_roles = _master(master_md).cv.roles
    out: list[tuple[Role, Role]] = []
    for role in parse_cv(tailored_md).roles:
        same = [r for r in m_roles if _same_company(role.company, r.company)]
        if not same:
            continue  # a role the master lacks is the untraceable check's finding
        title = _title_key(role.title)
        rank = [((_title_key(r.title) == title) * 2 + (bool(role.dates and r.dates) and _same_dates(role.dates, r.dates)), -i) for i, r in enumerate(same)]
        out.append((role, same[max(range(len(same)), key=lambda i: rank[i])]))
    return out


def _role_flags(tailored_md: str, master: _Master) -> list[ClaimFlag]:
    flags: list[ClaimFlag] = []
    for role, match in role_pairs(tailored_md, master.markdown):
        line = strip_md(role.heading.lstrip("#").strip())
        source = strip_md(match.heading.lstrip("#").strip())
        t_title, m_title = _title_key(role.title), _title_key(match.title)
        added = set(t_title.split()) - set(m_title.split()) - {"and"}
        if t_title != m_title and (added or (_JUNIOR.search(m_title) and not _JUNIOR.search(t_title))):
            flags.append(ClaimFlag(line, source, "title", f'Says "{role.title}" where your CV says "{match.title}".'))
        if role.dates and match.dates and not _same_dates(role.dates, match.dates):
            flags.append(ClaimFlag(line + (f" ({role.dates})" if role.dates not in line else ""), source + (f" ({match.dates})" if match.dates not in source else ""),
                                   "date", f'Says "{role.dates}" where your CV says "{match.dates}".'))
    return flags


# ---------------------------------------------------------------------------
# Lines
# ---------------------------------------------------------------------------

def _claim_units(tailored_md: str) -> list[tuple[str, str]]:
    """(section kind, plain unit) for every line that makes a claim: bullets, summary and letter sentences."""
    lines = (tailored_md or "").splitlines()
    has_sections = any(re.match(r"^##\s", ln) for ln in lines)
    kind = "header" if has_sections else "other"
    out: list[tuple[str, str]] = []
    for raw in lines:
        s = raw.strip()
        if not s or _RULE.match(s):
            continue
        if s.startswith("#"):
            if s.startswith("##") and not s.startswith("###"):
                kind = section_kind(s.lstrip("#").strip())
            continue
        if kind == "header" or _CONTACT.search(s) or is_date_line(s) or (_BOLD_LINE.match(s) and kind == "experience"):
            continue
        plain = strip_md(s)
        if not plain:
            continue
        units = [plain] if BULLET.match(raw) or kind in ("skills", "languages", "certifications", "education") else (split_sentences(plain) or [plain])
        out.extend((kind, u) for u in units)
    return out


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|„[^“”]*[“”]|«[^»]*»")
# The applicant speaking of themself: "I", "my", "ich", "je suis", "yo", "mi", "ik" ... Plural "we" is
# left out (a letter's "we" is as often the employer's as the applicant's old team's).
_FIRST_PERSON = re.compile(
    r"\b(?:i|i'm|i've|i'd|i'll|my|me|myself|mine|ich|mein\w*|mir|mich|j'\w*|moi|mon|ma|mes|yo|mi|mis|conmigo|ik|mijn|mij)\b"
    r"|\bje\s+(?!\w*t\b)\w+"  # French "je suis"; Dutch "je" (you) takes a verb in -t: "je zoekt", "je bent"
    r"|\bhe\s+\w+(?:ado|ido)\b"  # Spanish "he dirigido" (I have led) without a pronoun
)


def _first_person(text: str) -> bool:
    return bool(_FIRST_PERSON.search(fold(text)))


def _posting_names(posting: str) -> list[str]:
    """The posting's first two lines when short: the job title and employer a letter names ("the Kubernetes Engineer role")."""
    lines = [ln.strip() for ln in (posting or "").splitlines() if ln.strip()][:2]
    return sorted((ln for ln in lines if len(ln.split()) <= 12), key=len, reverse=True)


def _without(text: str, names: list[str]) -> str:
    for name in names:
        text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
    return text


def _new_skills(said: str, master: _Master, excused: set[str]) -> list[str]:
    aligned = len(fold(said)) == len(said)
    return list(dict.fromkeys(said[h.start : h.end] if aligned else h.name for h in find_skills(said)
                              if h.name not in master.skills and h.name not in excused and not is_soft(h.name)))


def new_skills(text: str, master_md: str) -> list[str]:
    """Skills and tools `text` names that the master CV never does (soft skills aside), as written."""
    return _new_skills(text, _master(master_md), set())


def check_claims(tailored_md: str, master_md: str, *, posting: str = "") -> list[ClaimFlag]:
    """Every strengthened claim in a tailored CV or letter, in document order (roles first).

    A letter quotes and names the posting: quoted text is never a claim, the posting's title
    and employer (its first two short lines) are names, not claims - nor are the skills and
    numbers in them, however the letter words the title ("the Senior DevOps Engineer role"
    for "Ingénieur DevOps Senior (H/F)"), so "I have run Java" is not caught when the job is
    called "Java Developer" - and with `posting` a sentence that has no master source may name the posting's skills and numbers when it
    speaks about the job ("you need Kubernetes"). Whether it instead claims them for the
    applicant ("I have run Kubernetes") cannot be told apart reliably by words alone, so the
    rule is grammatical: a first-person sentence ("I", "my", "ich", "je", "yo", "mi", "ik" ...,
    see `_FIRST_PERSON`) gets no excuse, every other sentence does. Known gaps: a claim
    written without a first-person word ("Kubernetes is my daily tool" is caught; "Daily
    Kubernetes work at scale." is not) and Spanish or Italian sentences that drop the pronoun
    apart from "he + participle"."""
    master = _master(master_md)
    flags = _role_flags(tailored_md, master)
    seen: set[tuple[str, str]] = set()
    posting_skills = set(expand(skill_names(posting))) if posting else set()
    posting_numbers = {n.value for n in _numbers(posting)} if posting else set()
    names = _posting_names(posting)
    title_skills = set(expand(skill_names("\n".join(names))))
    title_numbers = {n.value for n in _numbers("\n".join(names))}
    for kind, unit in _claim_units(tailored_md):
        if norm_ws(fold(unit)) in master.exact:
            continue
        said = _without(_QUOTED.sub(" ", unit), names)
        sources = [] if kind in ("skills", "languages", "certifications", "education") else master.sources(said)
        source = " / ".join(sources)
        found: list[tuple[str, str]] = []
        about_the_job = not sources and not _first_person(said)
        new = _new_skills(said, master, posting_skills if about_the_job else title_skills)
        if new:
            found.append(("new_skill", f"Names {_quote(new)}, which your CV never mentions."))
        if sources:
            why = _verb_flag(said, source)
            if why:
                found.append(("verb_inflation", why))
            have = _scopes(source)
            for key, phrase in _scopes(said).items():
                if key not in have:
                    found.append(("scope", f'Adds "{_as_written(said, phrase)}", a scope your CV does not state here.'))
        found.extend(_number_flags(said, sources, master, excused=posting_numbers if about_the_job else title_numbers))
        for k, why in found:
            if (unit, why) not in seen:
                seen.add((unit, why))
                flags.append(ClaimFlag(unit, source, k, why))
    return flags


def _quote(names: list[str]) -> str:
    q = [f'"{n}"' for n in names]
    return q[0] if len(q) == 1 else ", ".join(q[:-1]) + " and " + q[-1]


def drop_flagged(tailored_md: str, flags: list[ClaimFlag]) -> str:
    """The markdown without flagged lines (a flagged sentence leaves its paragraph); headings, the name and role lines stay."""
    dropped = {f.line for f in flags if f.kind not in ("date", "title")}
    if not dropped:
        return tailored_md
    out: list[str] = []
    for raw in tailored_md.splitlines():
        s = raw.strip()
        if not s or s.startswith("#") or _BOLD_LINE.match(s) or is_date_line(s):
            out.append(raw)
            continue
        plain = strip_md(s)
        if plain in dropped:
            continue
        kept = raw
        for unit in dropped:
            if unit in kept and unit != plain:
                kept = re.sub(r"\s{2,}", " ", kept.replace(unit, "")).rstrip()
        if strip_md(kept.strip()):
            out.append(kept)
    text = "\n".join(out)
    return text + ("\n" if tailored_md.endswith("\n") else "")
