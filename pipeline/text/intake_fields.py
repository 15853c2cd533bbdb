"""What a job seeker needs from a posting, read from the shapes boards publish.

Why its own module: a pasted posting often arrives with empty import fields, so the
company, place, work mode, pay, language needs and deadline must come from the text
itself ("Role — Company (City)", "About Acme", JSON-LD, an e-mail signature, ...).
Given import fields win; the text only fills gaps. Pure regex, no I/O: it runs inside
the cached `analyse`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date

from pipeline.text.analysis import blocks_of, level_from_title, level_from_years, parse_posting, years_required


@dataclass(frozen=True)
class PostingFields:
    company: str = ""
    location: str = ""
    work_mode: str = ""  # "remote" | "hybrid" | "onsite" | ""
    seniority: str = "unspecified"
    salary: str = ""
    salary_min: float | None = None  # whole amounts are ints; hourly pay keeps its cents
    salary_max: float | None = None
    currency: str = ""
    period: str = ""  # "year" | "month" | "hour" | ""
    language_requirements: list[str] = field(default_factory=list)
    deadline: str = ""


_DASH = r"\s+[—–-]\s+"
_ORG_END = r"(?:GmbH|AG|SE|KG|Ltd\.?|Limited|LLC|Inc\.?|plc|S\.?L\.?|S\.?A\.?|SAS|SARL|B\.?V\.?|N\.?V\.?|Group|Hospital|Bank|Clinic)"
_LEGAL_TAIL = re.compile(rf"\b{_ORG_END}$")
_NOT_CO = re.compile(
    r"^(?:us|uns|nosotros|nous|ons|the role|the team|you|this role|the job|remote|hybrid|m/w/d|w/m/d|m/f/d|h/f|f/h|"
    r"full[- ]time|part[- ]time|vollzeit|teilzeit|\d.*)$",
    re.IGNORECASE,
)
_DEPT_TAIL = re.compile(
    r"\b(?:unit|team|department|dept|ward|station|abteilung|afdeling|servicio|service|équipe|equipo|desk)$", re.IGNORECASE
)
_TEAMISH = re.compile(
    r"^(?:ward|team|unit|department|dept|abteilung|equipo|équipe|afdeling|payments|platform|finance|sales|marketing|"
    r"operations|engineering|region|bereich|gebiet|zona|zone|regio|\w+ team)\b",
    re.IGNORECASE,
)


def _clean(s: str) -> str:
    s = re.sub(r"\s+", " ", re.sub(r"[*_#`]", "", s)).strip(" ,;:|-–—\"'")
    if s.endswith(".") and not re.search(r"\b[A-Z]\.(?:[A-Z]\.)*$|\b(?:Ltd|Inc|Co)\.$", s):
        s = s[:-1].rstrip()  # a sentence's full stop, not the one of "S.L." or "B.V."
    return s


def _is_company(s: str) -> bool:
    s = _clean(s)
    return bool(s) and len(s) <= 60 and not _NOT_CO.match(s) and bool(re.match(r"[A-Z0-9ÄÖÜÉ]", s))


_SUBJECT = re.compile(
    r"^(?:(?:subject|betreff|asunto|objet|onderwerp|re|fwd?)\s*:\s*)+(?:(?:vacancy|vacature|stellenangebot|oferta de empleo|oferta|"
    r"offre d'emploi|job opening)\s*[-–—:]\s*)?",
    re.IGNORECASE,
)


def _first_line(desc: str) -> str:
    """The first line, without an e-mail's 'Subject: Vacancy –' ahead of the role."""
    return next((_clean(_SUBJECT.sub("", ln)) for ln in desc.splitlines() if _clean(_SUBJECT.sub("", ln))), "")


def _jsonld(desc: str) -> dict:
    """An embedded schema.org JobPosting, if the paste carried one."""
    i = desc.find('"JobPosting"')
    if i < 0:
        return {}
    start = desc.rfind("{", 0, i)
    while start >= 0:
        depth = 0
        for j in range(start, len(desc)):
            depth += {"{": 1, "}": -1}.get(desc[j], 0)
            if depth == 0:
                try:
                    data = json.loads(desc[start : j + 1])
                except ValueError:
                    break
                if isinstance(data, dict) and data.get("@type") == "JobPosting":
                    return data
                break
        start = desc.rfind("{", 0, start)
    return {}


# --- company and location -----------------------------------------------------------

_PAREN = re.compile(r"\(([^()]{2,80})\)\s*$")
_CITY = r"[A-ZÄÖÜÉ][a-zäöüßéèêàáíóúñøåç'’-]+(?:[ -][A-ZÄÖÜÉ][a-zäöüßéèêàáíóúñøåç'’-]+){0,2}"  # "GCSE", "Hannover. Unsere" are not places


def _from_first_line(line: str, body: str = "") -> tuple[str, str]:
    """'Role — Company (City)', 'Role (Company, City)', 'Role at Company', 'Role – Team, Company'."""
    line = re.sub(r"\((?:m|w|f|d|h|x)(?:\s*/\s*(?:m|w|f|d|h|x))+\)", "", line, flags=re.IGNORECASE).strip()
    company, loc = "", ""
    m = _PAREN.search(line)
    if m:
        inner = [p.strip() for p in m.group(1).split(",")]
        head = line[: m.start()].strip()
        if len(inner) >= 2 and _is_company(inner[0]):
            company, loc = inner[0], ", ".join(inner[1:])
        elif re.fullmatch(_CITY, inner[0]) or "remote" in inner[0].lower():
            loc = inner[0]
            line = head
        else:
            line = head
        if company:
            return company, loc
    m = re.search(r"\b(at|bei|en|chez|bij)\s+([A-Z][^,()|]{1,60}?)(?:\s*[,|]\s*(" + _CITY + r"))?$", line)
    if m and _is_company(m.group(2)) and (m.group(1) != "en" or body.count(_clean(m.group(2))) > 1):
        # Spanish "en" also means "in" ("Especialista en Marketing Digital"): the name must recur in the text
        return _clean(m.group(2)), loc or (m.group(3) or "")
    parts = re.split(_DASH + "|\\s+\\|\\s+", line)
    if len(parts) >= 2:
        tail = parts[-1]
        bits = [b.strip() for b in tail.split(",")]
        legal = [b for b in bits if _LEGAL_TAIL.search(b)]
        cand = legal[-1] if legal else bits[-1] if len(bits) > 1 and _TEAMISH.match(bits[0]) else bits[0]
        if len(bits) > 1 and not _TEAMISH.match(bits[0]) and re.fullmatch(_CITY, bits[-1]) and not _LEGAL_TAIL.search(bits[-1]):
            loc = loc or bits[-1]
        cand = _clean(cand)
        if len(bits) == 1 and re.fullmatch(_CITY, cand) and re.search(rf"(?:\b(?:in|en|à|a|te|im)\s+|\(){re.escape(cand)}\b", body):
            return "", loc or cand  # 'Dependiente/a - Centro comercial - Málaga' and 'nueva tienda en Málaga': a place
        named = bool(_LEGAL_TAIL.search(cand)) or not body.strip() or body.count(cand) > 1
        if _is_company(cand) and not _TEAMISH.match(cand) and not _DEPT_TAIL.search(cand) and named:
            # the dash shape is the weakest: "Nurse – Intensive Care Unit" names a unit, so the name must look like
            # an organisation or recur in the text
            return _clean(cand), loc
    return "", loc


_ABOUT = re.compile(
    r"^(?:#+\s*)?\**(?:about|über|uber|sobre|à propos de|a propos de|over|quiénes somos en|wer ist)\s+(?!us\b|uns\b|the role\b|the job\b|"
    r"nosotros\b|nous\b|ons\b|you\b|this\b|the position\b|de functie\b|le poste\b|el puesto\b|die stelle\b)(.{2,60}?)\**\s*:?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_LABEL_CO = re.compile(
    r"^\W*(?:company|employer|organisation|organization|unternehmen|arbeitgeber|firma|empresa|entreprise|société|bedrijf|werkgever|"
    r"hiring organi[sz]ation)\s*:\s*(.{2,60})$",
    re.IGNORECASE | re.MULTILINE,
)
_LABEL_LOC = re.compile(
    r"^\W*(?:location|locations|based in|standort|arbeitsort|einsatzort|ort|ubicación|ubicacion|localización|lieu|localisation|"
    r"locatie|standplaats|werklocatie|werkplek|lieu de travail|lugar de trabajo|city|ciudad|ville|stadt)\s*:\s*(.{2,120})$",
    re.IGNORECASE | re.MULTILINE,
)
_INLINE_LOC = re.compile(
    r"\b(?:based in|located in|offices? in|in unserem Büro in|sede en|basée? à|gevestigd in|in de regio|im Raum|im Großraum)\s+("
    + _CITY
    + ")"
)
_NAME_WORD = r"[A-ZÄÖÜÉ][\w&'’.-]+"
_SELF = re.compile(
    rf"(?:^|[.!][ \t]+)({_NAME_WORD}(?:[ \t]+(?:(?:&|de|del|der|van|von|du|des|la)[ \t]+)?(?:l['’]|d['’])?{_NAME_WORD}){{0,4}})[ \t]+"
    r"(?:is|are|ist|es|est|is een|is a|was founded|wurde|sucht|recrute|recruits|zoekt|busca)\b",
    re.MULTILINE,
)
_SIGN = re.compile(
    r"(?:kind regards|best regards|warm regards|regards|best wishes|many thanks|thanks|best|cheers|mit freundlichen grüßen|viele grüße|beste grüße|un saludo|saludos|atentamente|"
    r"cordialement|bien à vous|met vriendelijke groet|vriendelijke groeten|groeten)\s*,?\s*\n(.{0,300})$",
    re.IGNORECASE | re.DOTALL,
)
_WE = re.compile(
    r"^(?:We|Our|You|This|It|They|Wir|Nous|Somos|Wij|Je|Du|Sie|Het|The role|In|At|Bei|En|Als|Als je|Applications|Candidates|Interviews|"
    r"Bewerbungen|Candidaturas|Candidatures|Sollicitaties|Unser|Unsere|Ihr|Ihre|Notre|Votre|Nuestro|Nuestra|Onze|Ons|Jouw)\b"
)


_ORG_NAMED = re.compile(
    r"\b(?:at|bei|chez|bij|en el|en la|im|am)\s+((?:[A-Z][\w'’&-]*\s+){0,5}(?:University Hospital|Hospital|Klinikum|Clinic|GmbH|Ltd|LLP|plc|B\.V\.|S\.L\.|SAS))\b"
)


def _company_from_text(desc: str) -> str:
    m = _LABEL_CO.search(desc)
    if m and _is_company(m.group(1)):
        return _clean(m.group(1))
    m = _ABOUT.search(desc)
    if m and _is_company(m.group(1)):
        return _clean(m.group(1))
    m = _SIGN.search(desc.strip()[-500:])  # a signature closes the text
    if m:
        lines = [_clean(ln) for ln in m.group(1).splitlines() if _clean(ln)]
        for ln in reversed(lines[-3:]):
            last = ln.split(",")[-1].strip()
            if "@" not in last and not re.search(r"\d{3}", last) and _is_company(last) and len(lines) > 1 and ln != lines[0]:
                return _clean(last)
    m = _ORG_NAMED.search(desc[:2000])
    if m:
        return _clean(m.group(1))
    found = []
    for m in _SELF.finditer(desc[:1500]):
        cand = _clean(m.group(1))
        if _is_company(cand) and not _WE.match(cand) and len(cand.split()) <= 6:
            name = re.sub(r"^(?:The|Das|Die|Der|El|La|Le|Les|Los|Las|Het|De)\s+", "", cand)
            if not _TEAMISH.match(name):  # "Das Team sucht …"
                found.append(name)
    # a name the posting repeats before one it says once ("Applications are reviewed …", then "Halden Biosciences is …")
    return next((c for c in found if desc.count(c) > 1), found[0] if found else "")


_PLACE_NOUN = re.compile(
    r"\b(?:office|offices|headquarters|HQ|kantoor|vestiging|siège|sede|centre|center|centro|Büro|restaurant|school|campus|warehouse|almacén|"
    r"ziekenhuis|hospital|clinic|hotel|store|shop)(?:\s+[a-záéíóúèàüöäç-]+){0,5}\s+(?:in|en|à|de|im|te)\s+(?:the centre of\s+|het centrum van\s+)?"
    r"(" + _CITY + r")\b",
    re.MULTILINE,
)
_OUR_CITY = re.compile(r"\bour\s+(" + _CITY + r")\s+(?:office|site|branch|store|team)\b")
_SELF_IN = re.compile(
    r"\b(?:is|ist|es|est|is een|recrute|recruiting|hiring|zoeken|buscamos|sucht|suchen)\s[^.\n]{0,100}?\b(?:in|en|à|te)\s+("
    + _CITY
    + r")\b"
)
_HEAD_BITS = re.compile(
    r"\b(?:hybrid|remote|on-?site|full[- ]time|part[- ]time|permanent|contract|vollzeit|teilzeit|cdi|cdd|fulltime|parttime|"
    r"presencial|h[íi]brido|teletrabajo|télétravail|thuiswerk\w*|in[- ]person|werkstudent\w*|festanstellung|jornada completa|"
    r"\d+(?:\s*[-–]\s*\d+)?\s*(?:uur|hours|hrs|std|stunden|horas|heures))\b",
    re.IGNORECASE,
)
# a place on a header line: 'München', 'Lloret de Mar (Girona)', 'Columbus, OH 43215', 'Barcelona, Cataluña, España (Híbrido)'
_PLACE = (
    _CITY + r"|[A-ZÄÖÜÉ][\w'’-]+(?:\s+(?:de|del|de la|la|le|les|sur|sous|am|an der|upon|on|aan|aan de|aan den|op|en)\s+[A-ZÄÖÜÉ][\w'’-]+)+"
)
_HEADING = re.compile(
    r"^(?:responsibilities|requirements|benefits|description|overview|summary|missions?|profil\w*|aufgaben|anforderungen|funciones|"
    r"requisitos|descripción|beneficios|avantages|taken|functie\w*|vereisten|aanbod|le poste|contact)$|^(?:about|über|over|sobre|à propos)\b",
    re.IGNORECASE,
)


def _place_of(s: str) -> str:
    s = re.sub(r"\s*\([^()]*\)\s*$", "", _clean(s)).split(",")[0].strip()
    return s if re.fullmatch(_PLACE, s) and not _HEAD_BITS.search(s) and not _HEADING.match(s) else ""


def _ends_header(line: str) -> bool:
    sentence = re.search(r"[.!?]$", line) and not _LEGAL_TAIL.search(_clean(line))
    return bool(sentence or re.search(r"[,;]$", line) or line.startswith(("-", "•", "*")) or len(line.split()) > 12)


def _second_line(desc: str) -> tuple[str, str]:
    """Board headers under the title: company and place on one line ('Company - City', LinkedIn's 'Company · City, Region
    (Hybrid)', 'Organisation | City | 36 uur'), or stacked one a line (StepStone, InfoJobs, Indeed US, Welcome to the Jungle:
    a line that is only a place, beside a contract or work-mode line, under the company's line)."""
    lines = [ln.strip() for ln in desc.splitlines() if ln.strip()][:8]
    top = 2 if _company_above_title(desc)[0] else 1  # the title's line is not a header line
    for ln in lines[top : top + 1]:
        parts = [_clean(p) for p in re.split(r"\s+[·|•–—-]\s+", ln)]
        if len(parts) < 2 or len(ln) > 100 or not _is_company(parts[0]) or _HEAD_BITS.search(parts[0]):
            continue
        place = _place_of(parts[1])
        if place and all(_HEAD_BITS.search(p) for p in parts[2:]):
            return parts[0], place
    # the header ends at the first sentence, greeting or bullet ("Bonjour,", "Wir suchen …", "- Python"); "S.L." ends a name
    end = next((i for i, ln in enumerate(lines) if i >= top and _ends_header(ln)), len(lines))
    for i in range(top, end):
        ln, prev, nxt = lines[i], lines[i - 1], lines[i + 1] if i + 1 < end else ""
        if len(ln) > 50 or re.search(r"[|·•:]", ln) or nxt.startswith(("-", "•", "*")):
            continue
        place = _place_of(ln)
        if not place or not (_HEAD_BITS.search(nxt) or _HEAD_BITS.search(prev)):
            continue
        co = _clean(prev)
        named = bool(_LEGAL_TAIL.search(co)) or desc.count(co) > 1
        # right under the title the stack itself names the company; further down the name must look like one or recur
        ok = (i == top + 1 or (i > top and named)) and _is_company(co) and not _HEAD_BITS.search(co)
        return (co if ok else ""), place
    return "", ""


def _company_above_title(desc: str) -> tuple[str, str]:
    """Welcome to the Jungle puts the company's name above the title: a short first line the text later opens a sentence with
    ('Kelvia\nLead Developer Back-end … Kelvia édite un logiciel'). The company and the title line, or two empty strings."""
    lines = [ln.strip() for ln in desc.splitlines() if ln.strip()][:2]
    if len(lines) < 2:
        return "", ""
    first = _clean(lines[0])
    if len(first.split()) > 4 or not _is_company(first) or _HEAD_BITS.search(first) or level_from_title(first) or _TEAMISH.match(first):
        return "", ""
    rest = desc[desc.find(lines[1]) :]
    if re.search(rf"(?:^|[.!?][ \t]+){re.escape(first)}[ \t]+[a-zà-ÿ]", rest, re.MULTILINE):
        return first, _clean(lines[1])
    return "", ""


def _location_from_text(desc: str, company: str) -> str:
    m = _LABEL_LOC.search(desc)
    if m and len(loc := _clean(re.split(r"\s*[|(;·,]\s*|\s+[–—-]\s+", m.group(1))[0])) <= 60:
        return loc
    heads = [ln.strip() for ln in desc.splitlines() if ln.strip()][1:4]
    line_loc = _second_line(desc)[1]
    if line_loc:
        return line_loc
    for ln in heads:  # "Acme Trust - Plymouth", "Manchester · Hybrid · Full-time"
        parts = [_clean(p) for p in re.split(r"\s+[·|•–—-]\s+", ln)]
        if len(parts) < 2 or len(ln) > 80:
            continue
        if company and parts[0] == company and re.fullmatch(_CITY, parts[1]):
            return parts[1]
        if any(_HEAD_BITS.search(p) for p in parts[1:]) and re.fullmatch(_CITY, parts[0]) and parts[0] != company:
            return parts[0]
    m = _INLINE_LOC.search(desc) or _PLACE_NOUN.search(desc) or _OUR_CITY.search(desc) or _SELF_IN.search(desc[:1500])
    return _clean(m.group(1)) if m else ""


# --- work mode ------------------------------------------------------------------------

_DAYS = (
    r"(?:\d|one|two|three|four|ein|zwei|drei|vier|un|deux|trois|quatre|dos|tres|cuatro|een|twee|drie)\s*"
    r"(?:days?|tage?n?|jours?|días|dagen)"
)
_HYBRID = re.compile(
    r"\bhybrid\w*|\bhíbrid[oa]\b|\bhybride\b|\b\d\s*(?:days?|tage?n?|días|jours|dagen)\s+(?:a week\s+)?(?:in|im|en|au|op)\s+(?:the\s+|der\s+|el\s+|la\s+|het\s+)?"
    r"(?:office|büro|oficina|bureau|kantoor)|\bteilweise homeoffice|\bmobiles arbeiten\b|\bdeels thuis|\bparcialmente remoto|"
    r"télétravail partiel|\bjours? de télétravail|\bdías de teletrabajo|\bthuiswerkdag|"
    r"(?:homeoffice|home office|remote|télétravail|teletrabajo|thuiswerk\w*)\s+(?:an\s+|bis zu\s+|de\s+)?"
    + _DAYS
    + "|"
    + _DAYS
    + r"\s+(?:per week\s+|pro woche\s+|par semaine\s+)?(?:of\s+|de\s+|im\s+)?(?:remote|homeoffice|home office|télétravail|teletrabajo|thuis)",
    re.IGNORECASE,
)
_REMOTE = re.compile(
    r"\bfully remote\b|\b100\s*%\s*(?:remote|remoto|télétravail|homeoffice|thuis)|\bremote[- ]first\b|\bremote\s*(?:only|position|role|job)\b|"
    r"\bwork from anywhere\b|\b(?:komplett|vollständig|voll)\s*(?:im\s*)?(?:remote|homeoffice)\b|\bteletrabajo\b|\ben remoto\b|\bremoto\b|"
    r"\btélétravail\b|\bfull remote\b|\bthuiswerken\b|\bvanuit huis\b|\bhomeoffice\b|\bhome office\b|^\W*(?:location|standort|ubicación|lieu|locatie)\s*:\s*remote",
    re.IGNORECASE | re.MULTILINE,
)
_ONSITE = re.compile(
    r"\bon[- ]site\b|\bonsite\b|\bin[- ]office\b|\bvor ort\b|\bpresencial\b|\bsur site\b|\ben présentiel\b|\bop locatie\b|\bop kantoor\b|"
    r"\bno remote\b|\bkein homeoffice\b|\boffice[- ]based\b|\bsur place\b|\blocation\s*:\s*in[- ]person\b|\bin[- ]person\s+(?:role|position|job)\b",
    re.IGNORECASE,
)


_MODE_HINT = (
    "remot", "hybrid", "híbrid", "mobil", "anywhere", "distance", "office", "büro", "oficina", "bureau", "kantoor", "télétravail",
    "teletrabajo", "thuis", "site", "vor ort", "presencial", "présentiel", "locatie", "place", "based", "person",
)  # fmt: skip


def _windows(text: str, keys: tuple[str, ...], width: int = 50) -> str:
    """The text within `width` characters of each key (lower case), one piece a line."""
    low = text.lower()
    spans: list[tuple[int, int]] = []
    for k in keys:
        i = low.find(k)
        while i >= 0:
            spans.append((max(0, i - width), i + len(k) + width))
            i = low.find(k, i + 1)
    if not spans:
        return ""
    spans.sort()
    merged = [list(spans[0])]
    for a, b in spans[1:]:
        if a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return "\n".join(text[a:b] for a, b in merged)


def _lines_with(text: str, keys: tuple[str, ...]) -> str:
    """The lines that contain one of `keys` (lower case): substring tests are far cheaper than the full patterns."""
    return "\n".join(ln for ln, low in ((ln, ln.lower()) for ln in text.splitlines()) if any(k in low for k in keys))


def _work_mode(desc: str, location: str, ld: dict) -> str:
    if ld.get("jobLocationType") == "TELECOMMUTE":
        return "remote"
    # only the words around a hint are searched: the full patterns are slow on a long posting
    text = _windows(f"{location}\n{desc}", _MODE_HINT)
    if not text:
        return ""
    if _HYBRID.search(text):
        return "hybrid"
    if re.search(r"\b(?:no|kein|sin|pas de|geen)\s+(?:remote|homeoffice|teletrabajo|télétravail|thuiswerken)", text, re.IGNORECASE):
        return "onsite"
    if _REMOTE.search(text):
        return "remote"
    if _ONSITE.search(text):
        return "onsite"
    return ""


# --- salary ---------------------------------------------------------------------------

_CUR = {"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP", "$": "USD", "usd": "USD", "chf": "CHF"}
_CUR_SIGN = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF "}
_NUM = r"\d{1,3}(?:[.,\s'’]\d{3})+|\d+(?:[.,]\d+)?\s*[kK]?|\d+"  # Swiss pay writes 115'000
_SAL = re.compile(
    rf"(?P<pre>[€£$]|\b(?:EUR|GBP|USD|CHF)\s?)?\s*(?P<a>{_NUM})\s*(?P<ak>[kK])?\s*(?P<mid>[€£$]|EUR|GBP|USD|CHF)?"
    rf"(?:\s*(?:[-–—]|to|bis|a|à|tot|y|(?P<word>and|und|en|et))\s*(?:(?:maximaal|maximal|max\.|höchstens|máximo|maximum)\s*)?(?P<pre2>[€£$]|\b(?:EUR|GBP|USD|CHF)\s?)?\s*(?P<b>{_NUM})\s*(?P<bk>[kK])?)?"
    rf"\s*(?P<post>[€£$]|EUR|GBP|USD|CHF|euros?\b)?",
    re.IGNORECASE,
)
_UPTO = re.compile(r"\b(?:up to|bis zu|hasta|jusqu'à|jusqu’à|tot)\s*$", re.IGNORECASE)
_FROM = re.compile(r"\b(?:from|ab|desde|à partir de|vanaf)\s*$", re.IGNORECASE)
_PERIOD = [
    ("hour", r"per hour|an hour|/\s*h(?:our|r)?\b|hourly|pro stunde|/\s*stunde|por hora|de l'heure|par heure|/\s*heure|per uur|/\s*uur"),
    (
        "month",
        r"per month|a month|/\s*mo(?:nth)?\b|monthly|pro monat|monatlich|/\s*monat|al mes|mensual|/\s*mes\b|par mois|mensuel|/\s*mois|per maand|/\s*maand",
    ),
    (
        "year",
        r"per annum|a year|per year|/\s*y(?:ea)?r\b|annual|p\.a\.|pro jahr|/\s*jahr|jährlich|brutto|al año|anual|brutos? anual|/\s*año|par an\b|annuel|"
        r"/\s*an\b|brut annuel|per jaar|/\s*jaar|bruto per jaar|jaarsalaris|salary|gehalt|salario|salaire|salaris",
    ),
]


_PAY_CUE = re.compile(
    r"salary|salaries|\bpay\b|paying|\bbase\b|compensation|remuneration|\bote\b|per annum|gehalt|vergütung|brutto|lohn|salario|sueldo|"
    r"retribución|bruto|salaire|rémunération|\bbrut\b|salaris|loon|\bwage"
)
_NOT_PAY = re.compile(
    r"budget|spend|worth|deal|contract|revenue|turnover|umsatz|presupuesto|chiffre|omzet|allowance|learning|funding|raised|valuation|"
    r"customers?|gmv|arr\b|savings|cost"
)


def _num(s: str, k: bool) -> float:
    s = s.strip().lower()
    if s.endswith("k"):
        k, s = True, s[:-1].strip()
    if re.fullmatch(r"\d{1,3}(?:[.,\s'’]\d{3})+", s):
        v = float(re.sub(r"[.,\s'’]", "", s))
    else:
        v = float(s.replace(",", "."))
    v = v * 1000 if k else v
    return int(v) if float(v).is_integer() else round(v, 2)


def _salary(desc: str, ld: dict) -> tuple[str, float | None, float | None, str, str]:
    bs = ld.get("baseSalary")
    if isinstance(bs, dict):
        val = bs.get("value") if isinstance(bs.get("value"), dict) else {}
        lo, hi = val.get("minValue", val.get("value")), val.get("maxValue")
        unit = str(val.get("unitText", "YEAR")).lower()
        per = {"year": "year", "month": "month", "hour": "hour"}.get(unit, "year")
        if lo is not None:
            return _fmt(lo, hi, str(bs.get("currency", "")).upper(), per)
    best: tuple[int, tuple[str, float | None, float | None, str, str]] | None = None
    for line in desc.splitlines():
        if not re.search(r"[€£$]|\b(?:EUR|GBP|USD|CHF|euros?)\b", line, re.IGNORECASE):
            continue
        low = line.lower()
        for m in _SAL.finditer(line):
            cur_tok = m.group("pre") or m.group("mid") or m.group("pre2") or m.group("post")
            if not cur_tok:
                continue
            cur = _CUR.get(cur_tok.strip().lower(), "")
            try:
                a = _num(m.group("a"), bool(m.group("ak")) or bool(m.group("bk")))
                b = _num(m.group("b"), bool(m.group("bk")) or bool(m.group("ak"))) if m.group("b") else None
            except ValueError:
                continue
            if m.group("word") and b is not None and b < a:
                b = None  # "€2,000 and 25 days' holiday": 'and' joins a range only when it rises
            if a < 8 and b is None:
                continue
            per = next((p for p, rx in _PERIOD if re.search(rx, low)), "")
            if not per or (per == "hour" and a >= 500) or (per == "month" and a >= 20000):
                per = "hour" if a < 200 else "month" if a < 12000 else "year"  # "10-hour days", "once a month": the amount decides
            near = low[max(0, m.start() - 40) : m.end() + 25]
            score = (2 if _PAY_CUE.search(low) else 0) + (1 if b is not None else 0) - (4 if _NOT_PAY.search(near) else 0)
            found = _fmt(None, a, cur, per) if b is None and _UPTO.search(line[: m.start()]) else _fmt(a, b, cur, per)
            if best is None or score > best[0]:
                best = (score, found)
    # an amount beside "budget", "spend" or "deal" is not pay; a line that says salary/base/brutto is
    return best[1] if best and best[0] > -2 else ("", None, None, "", "")


def _fmt(lo: float | None, hi: float | None, cur: str, per: str) -> tuple[str, float | None, float | None, str, str]:
    sign = _CUR_SIGN.get(cur, cur + " " if cur else "")

    def n(v: float) -> str:
        return f"{v:,}" if isinstance(v, int) else f"{v:,.2f}"

    if lo is not None and hi is not None and hi < lo:
        lo, hi = hi, lo
    if lo is not None and hi is not None:
        text = f"{sign}{n(lo)}–{n(hi)}"
    elif lo is not None:
        text = f"from {sign}{n(lo)}"
    else:
        text = f"up to {sign}{n(hi)}"
    return f"{text} an {per}" if per == "hour" else f"{text} a {per}" if per else text, lo, hi, cur, per


# --- language requirements --------------------------------------------------------------

_LANGS = {
    "English": r"english|englisch\w*|inglés|ingles|anglais|engels",
    "German": r"german|deutsch\w*|alemán|aleman|allemand|duits",
    "Spanish": r"spanish|spanisch\w*|español|espanol|castellano|espagnol|spaans",
    "French": r"french|französisch\w*|francés|frances|français|francais|frans",
    "Dutch": r"dutch|niederländisch\w*|neerlandés|néerlandais|nederlands\w*",
    "Italian": r"italian|italienisch|italiano|italien|italiaans",
    "Portuguese": r"portuguese|portugiesisch|portugués|portugais|portugees",
    "Catalan": r"catalan|catalán|català",
}
_LANG_STEMS = (
    "engl", "ingl", "angl", "engels", "germ", "deutsch", "alem", "allem", "duits", "span", "espa", "castell", "spaans", "fren", "franz",
    "franc", "frans", "dutch", "niederl", "neerl", "nederl", "ital", "portu", "catal",
)  # fmt: skip
_LANG_RX = re.compile(r"\b(" + "|".join(_LANGS.values()) + r")\b", re.IGNORECASE)
_LEVEL = re.compile(r"\b([ABC][12])\b")
_LANG_CUE = re.compile(
    r"fluent|fluency|native|proficien|business|spoken|written|level|skills|verhandlungssicher|fließend|kenntnisse|sprach|muttersprach|"
    r"nivel|dominio|idioma|imprescindible|valorable|courant|bilingue|maîtrise|niveau|langue|vloeiend|beheersing|taal|goede|excellent|"
    r"good|strong|required|[ABC][12]|speak|sprichst|hablas|parles|spreek|fluid|nativ|alto|pré|plus|nice to have|kennis|uitstekend|goed|"
    r"basis|grundkenntnisse|mitbringst|techni|professi|profesional",
    re.IGNORECASE,
)


def _language_requirements(desc: str) -> list[str]:
    out: list[str] = []
    for raw in _lines_with(desc, _LANG_STEMS).splitlines():
        if not _LANG_RX.search(raw) or not _LANG_CUE.search(raw) or re.search(r"\bposting\b|\"@", raw):
            continue
        hits = list(_LANG_RX.finditer(raw))
        for i, h in enumerate(hits):
            name = next(n for n, rx in _LANGS.items() if re.fullmatch(rx, h.group(1), re.IGNORECASE))
            end = hits[i + 1].start() if i + 1 < len(hits) else len(raw)
            window = raw[h.end() : min(end, h.end() + 40)]
            before = re.search(r"\b([ABC][12])[\s-]*(?:level\s+|niveau\s+|nivel\s+)?$", raw[max(0, h.start() - 14) : h.start()])
            lv = _LEVEL.search(window) or before
            item = f"{name} {lv.group(1)}" if lv else name
            same = [i for i, o in enumerate(out) if o.split()[0] == name]
            if not same:
                out.append(item)
            elif lv and out[same[0]] == name:
                out[same[0]] = item  # a later line gives the level
    return out


# --- deadline -----------------------------------------------------------------------------

_MONTHS = {
    **dict.fromkeys(["january", "jan", "januar", "jänner", "enero", "janvier", "januari"], 1),
    **dict.fromkeys(["february", "feb", "februar", "febrero", "février", "fevrier", "februari"], 2),
    **dict.fromkeys(["march", "mar", "märz", "marz", "marzo", "mars", "maart"], 3),
    **dict.fromkeys(["april", "apr", "abril", "avril"], 4),
    **dict.fromkeys(["may", "mai", "mayo", "mei"], 5),
    **dict.fromkeys(["june", "jun", "juni", "junio", "juin"], 6),
    **dict.fromkeys(["july", "jul", "juli", "julio", "juillet"], 7),
    **dict.fromkeys(["august", "aug", "agosto", "août", "aout", "augustus"], 8),
    **dict.fromkeys(["september", "sep", "sept", "septiembre", "septembre"], 9),
    **dict.fromkeys(["october", "oct", "oktober", "octubre", "octobre"], 10),
    **dict.fromkeys(["november", "nov", "noviembre", "novembre"], 11),
    **dict.fromkeys(["december", "dec", "dezember", "diciembre", "décembre", "decembre"], 12),
}
_DEADLINE_CUE = re.compile(
    r"deadline|apply by|applications? close|closing date|closes on|bewerbungsfrist|bewerbungsschluss|bewerben bis|bis zum|"
    r"fecha l[ií]mite|plazo|hasta el|date limite|avant le|jusqu'au|sluitingsdatum|reageer vóór|reageren kan tot|uiterlijk|solliciteer vóór|"
    r"solliciteren kan tot|\bbis(?: zum)?\s+(?=\d)|\bvóór\s+(?=\d)",
    re.IGNORECASE,
)
_MON_RX = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATES = [
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "ymd"),
    (re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b"), "dmy"),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th|\.|er)?\s+(?:de\s+)?({_MON_RX})\.?,?\s+(?:de\s+)?(\d{{4}})\b", re.IGNORECASE), "dMy"),
    (re.compile(rf"\b({_MON_RX})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE), "Mdy"),
]


def _date(text: str) -> str:
    best: tuple[int, str] | None = None
    for rx, kind in _DATES:
        for m in rx.finditer(text):
            g = m.groups()
            try:
                if kind == "ymd":
                    d = date(int(g[0]), int(g[1]), int(g[2]))
                elif kind == "dmy":  # 15/03/2027; a US 03/15/2027 when the month would be over 12
                    d = date(int(g[2]), int(g[1]), int(g[0])) if int(g[1]) <= 12 else date(int(g[2]), int(g[0]), int(g[1]))
                elif kind == "dMy":
                    d = date(int(g[2]), _MONTHS[g[1].lower()], int(g[0]))
                else:
                    d = date(int(g[2]), _MONTHS[g[0].lower()], int(g[1]))
            except (ValueError, KeyError):
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), d.isoformat())
    return best[1] if best else ""


def _deadline(desc: str, ld: dict) -> str:
    if ld.get("validThrough"):
        d = _date(str(ld["validThrough"])[:10])
        if d:
            return d
    if not re.search(r"\b20\d\d\b", desc):
        return ""  # no full date anywhere: skip the cue search
    for m in _DEADLINE_CUE.finditer(desc):
        d = _date(desc[m.start() : m.end() + 60])
        if d:
            return d
    return ""


_HIRING = re.compile(
    r"\b(?:hiring|looking for|recruiting|(?:wij |we )?zoeken(?: wij| we)?|buscamos|recrutons|recherchons|recrute|suchen wir|wir suchen)\s+(?:an?|een|un/a|un|una|un\(e\)|eine?n?)?\s*"
    r"([^.,;\n]{3,60})",
    re.IGNORECASE,
)


def _level(title: str) -> str | None:
    """The shared title levels, plus Dutch 'medior' and '-leider' (a lead, unlike German 'Leiter')."""
    if re.search(r"\bmedior\b", title, re.IGNORECASE):
        return "mid"
    if re.search(r"leider\b|\bleidinggevende\b", title, re.IGNORECASE):
        return "lead"
    if re.search(r"^\s*stage\s*[-–—:(]|\(stage\)|\bstage\s+(?:de\s+)?\d+\s*mois|\bstagiair\w*|\bafstudeerstage\b", title, re.IGNORECASE):
        return "intern"  # French 'Stage – …', 'stage de 6 mois', Dutch 'stagiair'
    return level_from_title(title)


def without_grade_words(title: str) -> str:
    """'Staff Nurse' is a grade, not a 'staff engineer': the word says nothing of the level."""
    return re.sub(r"\bstaff (nurse|teacher|accountant)", r"\1", title, flags=re.IGNORECASE)


# NHS Agenda for Change pay bands, a real level when the title states none: Band 5 is the entry grade of a
# registered nurse or allied health professional, 6 experienced/specialist, 7 senior, 8a-8d and 9 lead roles.
_NHS_BAND = re.compile(r"\bband\s*(5|6|7|8\s*[a-d]?|9)\b(?![.,]\d)", re.IGNORECASE)
_NHS_CONTEXT = re.compile(r"£|\bnhs\b|agenda for change|\bafc\b|\bnmc\b|\bhcpc\b", re.IGNORECASE)
_BAND_LEVEL = {"5": "junior", "6": "mid", "7": "senior", "8": "lead", "9": "lead"}


def band_level(description: str) -> str | None:
    """The level an NHS pay band in the posting states ('Band 5: £28,407 - £34,581'); the lowest band when a range is given.

    A band counts only on a line with a pound sum or in a posting naming the NHS, Agenda for Change, the NMC or the HCPC.
    """
    desc = description or ""
    nhs_wide = bool(re.search(r"\bnhs\b|agenda for change|\bnmc\b|\bhcpc\b", desc, re.IGNORECASE))
    bands = [m.group(1)[0] for line in desc.splitlines() if nhs_wide or _NHS_CONTEXT.search(line) for m in _NHS_BAND.finditer(line)]
    return _BAND_LEVEL[min(bands)] if bands else None


_YEARS_NL = re.compile(
    r"\b(\d{1,2})\+?\s*jaar\s+(?:ervaring|werkervaring)|\b(?:werk)?ervaring\s*:\s*(?:minimaal|minstens|ten minste|min\.)?\s*(\d{1,2})\+?\s*jaar",
    re.IGNORECASE,
)
# beginners welcome: an entry-level post when neither the title nor a grade says otherwise
_ENTRY = re.compile(
    r"débutant(?:\(e\)|e)?s?(?:\(e\)s)?\s+(?:accepté|bienvenu)|no (?:prior |previous )?experience (?:is )?(?:needed|required|necessary)|"
    r"sin experiencia previa|keine (?:berufs)?erfahrung (?:nötig|erforderlich|notwendig)|geen (?:werk)?ervaring (?:nodig|vereist)",
    re.IGNORECASE,
)


# --- entry point ------------------------------------------------------------------------------


_FOR_CLIENT = re.compile(
    r"\b(?:our client|on behalf of (?:our|a) client|(?:für|fuer) unseren kunden|im auftrag unseres kunden|unser kunde|notre client|"
    r"pour le compte de (?:notre|l'un de nos|nos) client|nuestro cliente|empresa cliente|onze opdrachtgever|onze klant)\b",
    re.IGNORECASE,
)


def _ld_location(ld: dict) -> str:
    loc = ld.get("jobLocation")
    loc = loc[0] if isinstance(loc, list) and loc else loc
    addr = loc.get("address", {}) if isinstance(loc, dict) else {}
    if isinstance(addr, dict):
        return str(addr.get("addressLocality", "") or "")
    return str(addr or "")


def read_fields(title: str, company: str, location: str, description: str, *, years: int | None | str = "parse") -> PostingFields:
    """The fields a job seeker needs; the given import fields win, the text fills gaps.

    `years` lets `analyse` pass the years it already read, so the posting is parsed once.
    """
    desc = description or ""
    ld = _jsonld(desc)
    first = _first_line(desc)
    above, above_title = ("", "") if company.strip() or ld else _company_above_title(desc)
    first = above_title or first
    line_co, line_loc = _from_first_line(title.strip() or first, desc) if (title.strip() or first) else ("", "")
    if not line_co and title.strip() and first:
        line_co, line_loc2 = _from_first_line(first, desc)
        line_loc = line_loc or line_loc2
    org = ld.get("hiringOrganization")
    ld_co = str(org.get("name", "")) if isinstance(org, dict) else str(org or "")
    if company.strip() or ld_co.strip() or not _FOR_CLIENT.search(desc[:1000]):  # an agency says so early; "our clients" is not it
        comp = company.strip() or _clean(ld_co) or above or line_co or _second_line(desc)[0] or _company_from_text(desc)
    else:
        comp = ""  # a recruiter's posting for a client it does not name
    loc = location.strip() or _ld_location(ld) or line_loc or _location_from_text(desc, comp)
    mode = _work_mode(desc + "\n" + title, loc, ld)
    if not loc and mode == "remote":
        loc = "Remote"
    t = title.strip() or str(ld.get("title", "")) or first
    t = without_grade_words(t)  # a grade, not 'staff engineer'
    hired = _HIRING.search(desc)
    hired_text = hired.group(1) if hired else ""
    yrs = years_required_text(desc) if years == "parse" else years
    if yrs is None:
        m = _YEARS_NL.search(desc)
        yrs = int(m.group(1) or m.group(2)) if m else None
    # the title's level, the hired role's, an NHS pay band (a stated grade, so before the years asked), the years
    entry = "junior" if _ENTRY.search(desc) else None
    sen = _level(t) or (_level(hired_text) if hired_text else None) or band_level(desc) or entry or level_from_years(yrs)  # type: ignore[arg-type]
    sal, lo, hi, cur, per = _salary(desc, ld)
    return PostingFields(
        company=comp, location=loc, work_mode=mode, seniority=sen, salary=sal, salary_min=lo, salary_max=hi,
        currency=cur, period=per, language_requirements=_language_requirements(desc), deadline=_deadline(desc, ld),
    )  # fmt: skip


def years_required_text(desc: str) -> int | None:
    """Years of experience asked, via the same reader `analyse` uses."""
    sections = parse_posting(desc)
    blocks = blocks_of(sections)
    has_req = any(s.kind == "requirements" and s.blocks for s in sections)
    return years_required([b for b in blocks if b.kind == "requirements"] or blocks, any_section=has_req)
