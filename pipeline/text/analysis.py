"""Plain-text analysis: words and stems, sentences, posting sections, seniority,
language, key phrases and a TF-IDF similarity. Standard library only.

Why these pieces: a posting's structure carries most of its meaning ("Requirements"
vs "Nice to have"), and ranking CV bullets against a posting needs a similarity that
works for any profession, so it is built from word stems plus lexicon skills.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.text.lexicon import fold, skill_names

# ---------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------

STOP_EN = frozenset(
    ["a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "etc", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "per", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "via", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "ll", "ve", "re", "s", "t", "d", "m", "us", "within", "across"]
)
STOP_DE = frozenset(
    ["der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "einem", "eines", "und", "oder", "aber", "mit", "fur", "von", "zu", "zum", "zur", "im", "in", "ist", "sind", "wir", "du", "sie", "ihr", "es", "auf", "bei", "als", "auch", "nicht", "sich", "dich", "dein", "deine", "deinen", "unser", "unsere", "unseren", "wie", "was", "wer", "wenn", "dass", "so", "an", "aus", "nach", "um", "uber", "vor", "bis", "durch", "gegen", "ohne", "sehr", "mehr", "noch", "nur", "schon", "dann", "hier"]
)
STOP_ES = frozenset(
    ["el", "la", "los", "las", "un", "una", "unos", "unas", "y", "o", "u", "de", "del", "al", "en", "con", "para", "por", "que", "se", "su", "sus", "es", "son", "como", "mas", "pero", "sin", "sobre", "entre", "tu", "nuestro", "nuestra", "nuestros", "nuestras", "lo", "le", "les", "muy", "ya", "este", "esta", "estos", "estas", "desde", "hasta", "cada", "tambien"]
)
STOP_FR = frozenset(
    ["le", "la", "les", "un", "une", "des", "et", "ou", "de", "du", "au", "aux", "en", "avec", "pour", "par", "que", "qui", "se", "sa", "son", "ses", "est", "sont", "comme", "plus", "mais", "sans", "sur", "entre", "vous", "nous", "notre", "nos", "votre", "vos", "ce", "cette", "ces", "dans", "il", "elle", "ils", "elles", "ne", "pas"]
)
STOPWORDS = STOP_EN | STOP_DE | STOP_ES | STOP_FR | frozenset(["able", "ability", "including", "strong", "good", "great", "excellent", "ideally", "plus"])

_WORD = re.compile(r"[^\W_]+(?:[+#]+|(?:['.][^\W_]+)*)", re.UNICODE)


def norm_ws(text: str) -> str:
    """Whitespace collapsed: the form in which quotes are compared with their source."""
    return " ".join((text or "").split())


def words(text: str) -> list[str]:
    """Folded word tokens ('C++' and 'node.js' stay whole)."""
    return _WORD.findall(fold(text))


_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "ly", "s")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light, language-agnostic suffix stripper: 'designed', 'designs', 'designing' -> 'design'."""
    w = word
    if len(w) <= 3 or not w.isalpha():
        return w
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            if suf in ("ies", "ied"):
                w = w[: -len(suf)] + "y"
            elif suf in ("ation", "ations"):
                w = w[: -len(suf)] + "at"
            elif suf == "s" and w.endswith(("ss", "us", "is")):
                pass
            else:
                w = w[: -len(suf)]
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def content_stems(text: str) -> list[str]:
    """Stems of the meaningful words in `text` (no stopwords, no one-letter words)."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def join_words(items: list[str], conj: str = "and") -> str:
    """'a, b and c' (empty items skipped)."""
    items = [i for i in items if i]
    return items[0] if len(items) == 1 else (", ".join(items[:-1]) + f" {conj} " + items[-1] if items else "")


# ---------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------

_ABBREV = frozenset(["e.g", "i.e", "etc", "approx", "vs", "dr", "mr", "mrs", "ms", "st", "no", "z.b", "d.h", "ca", "inc", "ltd", "co", "p.a", "a.m", "p.m", "jr", "sr", "nr", "bzw", "u.a", "incl", "min", "max", "dept", "est", "fig", "ref"])
_BOUNDARY = re.compile(r"[.!?…]+[\"')\]”’]*\s+")
_BULLET = re.compile(r"^\s*(?:[-*•·▪‣◦–]|\d{1,2}[.)])\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, each an exact (stripped) substring; every line break ends one."""
    out: list[str] = []
    for line in (text or "").splitlines():
        line = _BULLET.sub("", line).strip()
        start = 0
        for m in _BOUNDARY.finditer(line):
            nxt = line[m.end() : m.end() + 1]
            prev = line[start : m.start()].rsplit(None, 1)
            token = fold(prev[-1]).strip("(\"'") if prev else ""
            if not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in "\"“(¡¿£$€") or token in _ABBREV or len(token) == 1:
                continue
            piece = line[start : m.end()].strip()
            if piece:
                out.append(piece)
            start = m.end()
        tail = line[start:].strip()
        if tail:
            out.append(tail)
    return out


# ---------------------------------------------------------------------------
# Posting structure
# ---------------------------------------------------------------------------

HEADING_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx))
    for kind, rx in (
        ("offer", r"\b(?:what we offer|we offer|our offer|offer|benefits?|perks|package|compensation|salary|pay|rewards?|what'?s in it for you"
         r"|why join|why work|terms|was wir bieten|wir bieten|unser angebot|ofrecemos|que ofrecemos|beneficios|nous offrons|avantages"
         r"|remuneration|vergutung|gehalt|conditions|wat bieden wij|wat wij bieden|wij bieden|arbeidsvoorwaarden|was wir ihnen bieten"
         r"|ce que nous (?:offrons|proposons)|nous proposons|lo que ofrecemos|te ofrecemos)\b"),
        ("nice", r"\b(?:nice[\s-]to[\s-]haves?|nice extras|bonus|preferred|desirable|desired|advantageous|a plus|plus|good to have"
         r"|would be nice|great if|assets?|extra credit|ideally|wunschenswert|von vorteil|pluspunkte?|deseables?|se valorara|valorable"
         r"|valoraremos|un plus|souhaite|apprecie|atouts?)\b"),
        ("requirements", r"\b(?:requirements?|required|requisites?|must[\s-]haves?|essential|qualifications?|what you(?:'ll| will)? (?:bring|need|have)"
         r"|you(?:'ll| will)? bring|you should have|you have|looking for|person spec\w*|profile|about you|who you are|what we need"
         r"|what we expect|you(?:'ll| will)? need|skills|experience|criteria|competenc\w*|ideal candidate|the person|anforderungen"
         r"|voraussetzungen|profil|das bringst du mit|was du mitbringst|du bringst|qualifikation\w*|kenntnisse|requisitos?"
         r"|imprescindible|perfil|que buscamos|lo que buscamos|se requiere|profil recherche|competences|das bringen sie mit|ihr profil"
         r"|wat vragen wij|wat wij vragen|wie ben jij|wie jij bent|wie zoeken wij|jouw profiel|functie-?eisen|wat breng je mee|votre profil"
         r"|ce que nous recherchons|tu perfil|requisitos)\b"),
        ("responsibilities", r"\b(?:responsibilit\w*|what you(?:'ll| will)? (?:do|be doing|work on|be working on)|duties|key tasks|tasks"
         r"|the job involves|in this role|day[\s-]to[\s-]day|your role|your impact|accountabilities|aufgaben|was dich erwartet"
         r"|tatigkeiten|funciones|responsabilidades|tareas|que haras|missions?|was sie erwartet|ihre aufgaben|deine aufgaben|wat ga je doen"
         r"|jouw taken|taken|werkzaamheden|wat je gaat doen|ce que vous ferez|ce que tu feras|vos missions|lo que haras|que vas a hacer)\b"),
        ("team", r"\b(?:the team|our team|about the team|your team|meet the team|das team|unser team|el equipo|nuestro equipo|l'equipe"
         r"|who you'll work with)\b"),
        ("about", r"\b(?:about us|who we are|about (?!the role|the job|the position|you\b|this role)\w+|uber uns|wer wir sind"
         r"|quienes somos|sobre nosotros|qui sommes[\s-]nous|a propos|our company|the company|our story|our mission|over ons|wie zijn wij"
         r"|over (?!de functie|de rol|jou\b|je\b)\w+)\b"),
        ("role", r"\b(?:the role|about the role|the position|about the position|the job|about the job|position summary|the opportunity"
         r"|role summary|main purpose|why this role|el puesto|la posicion|el rol|die stelle|die position|deine rolle|le poste"
         r"|overview|summary|job description|role|over de functie|de functie|de rol|über die stelle|la mission|el puesto)\b"),
    )
)


def classify_heading(heading: str) -> str:
    """What a section heading announces: requirements, nice, responsibilities, about, team, role, offer or other."""
    h = fold(heading)
    for kind, rx in HEADING_KINDS:
        if rx.search(h):
            return kind
    return "other"


@dataclass(frozen=True)
class Block:
    """One unit of a posting: a bullet or a sentence, with the section it sits in."""

    text: str
    kind: str
    heading: str
    bullet: bool
    index: int


@dataclass
class Section:
    heading: str
    kind: str
    blocks: list[Block] = field(default_factory=list)


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)([^*_]{1,80}?)(?:\*\*|__)\s*:?\s*$")
_BOLD_LEAD = re.compile(r"^\s*(?:\*\*|__)([^*_]{1,60}?)[:.]\s*(?:\*\*|__)\s*(.*)$|^\s*(?:\*\*|__)([^*_]{1,60}?)(?:\*\*|__)\s*[:.]\s*(.*)$")
_LABEL = re.compile(r"^([^:.!?]{2,40}):\s+(\S.*)$")


def _heading_of(line: str, next_is_bullet: bool) -> tuple[str, str] | None:
    """(heading, rest of line) when `line` is a heading, else None."""
    m = _MD_HEADING.match(line) or _BOLD_LINE.match(line)
    if m:
        return m.group(1).strip().rstrip(":").strip(), ""
    m = _BOLD_LEAD.match(line)
    if m:
        head, rest = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(3), m.group(4))
        return head.strip(), rest.strip()
    if _BULLET.match(line):
        return None
    text = line.strip()
    n_words = len(text.split())
    if text.endswith(":") and n_words <= 10:
        return text.rstrip(":").strip(), ""
    m = _LABEL.match(text)
    if m and len(m.group(1).split()) <= 5 and classify_heading(m.group(1)) != "other":
        return m.group(1).strip(), m.group(2).strip()
    kind = classify_heading(text)
    bare_label = n_words <= 6 and not re.search(r"[.!?,;]$", text)  # "Requirements", "Key facts" before bullets
    if bare_label and ((kind != "other" and next_is_bullet) or kind in ("requirements", "nice", "responsibilities", "offer")):
        return text, ""
    return None


@lru_cache(maxsize=256)
def parse_posting(text: str) -> tuple[Section, ...]:
    """The posting's sections, in order; text before any heading is the 'intro' section."""
    lines = [ln for ln in (text or "").splitlines()]
    sections = [Section("", "intro")]
    idx = 0
    for i, raw in enumerate(lines):
        if not raw.strip():
            continue
        nxt = next((ln for ln in lines[i + 1 :] if ln.strip()), "")
        head = _heading_of(raw, bool(_BULLET.match(nxt)))
        body = raw
        if head is not None:
            sections.append(Section(head[0], classify_heading(head[0])))
            body = head[1]
            if not body:
                continue
        is_bullet = bool(_BULLET.match(body))
        pieces = [_BULLET.sub("", body).strip()] if is_bullet else split_sentences(body)
        for piece in pieces:
            piece = piece.strip()
            if piece and re.search(r"\w", piece):
                sec = sections[-1]
                sec.blocks.append(Block(piece, sec.kind, sec.heading, is_bullet, idx))
                idx += 1
    return tuple(s for s in sections if s.blocks or s.heading)


_DATA_BLOCK = re.compile(r"^\s*[{\[<]|\"@(?:context|type)\"")  # JSON-LD or HTML pasted with the posting


def blocks_of(sections: Iterable[Section]) -> list[Block]:
    """The posting's text blocks; pasted JSON-LD or markup is data for intake, never a sentence to quote."""
    return [b for s in sections for b in s.blocks if not _DATA_BLOCK.search(b.text)]


# ---------------------------------------------------------------------------
# Seniority and years of experience
# ---------------------------------------------------------------------------

LEVELS = ("intern", "junior", "mid", "senior", "lead", "principal", "executive")
_TITLE_LEVELS = (
    ("executive", r"\b(?:chief|cto|ceo|cfo|coo|vp|vice president|head of|director|directora?|leiter\w*|jefe|jefa|partner)\b"),
    ("principal", r"\b(?:principal|staff|distinguished)\b"),
    ("lead", r"\b(?:lead|leader|supervisor|team lead|tech lead|teamleiter\w*|coordinador\w*|encargad\w*|matron|head teacher)\b"),
    ("senior", r"\b(?:senior|sr|snr|experienced|advanced|band 7|band 8\w?)\b"),
    ("mid", r"\b(?:mid|mid-level|intermediate|band 6)\b"),
    ("junior", r"\b(?:junior|jr|graduate|entry[\s-]level|trainee|apprentice|ect|nqt|newly qualified|berufseinsteiger\w*|band 5)\b"),
    ("intern", r"\b(?:intern|internship|praktikum|praktikant\w*|becari[oa]|practicas|stagiaire|werkstudent\w*)\b"),
)
_NUMS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12,
    "ein": 1, "einem": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6, "acht": 8, "zehn": 10,
    "un": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "diez": 10, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
}  # fmt: skip
_NUM = r"(\d{1,2}|" + "|".join(_NUMS) + ")"
_YEARS = re.compile(_NUM + r"\s*(?:\+|plus)?\s*(?:(?:-|to|bis|a)\s*\d{1,2}\s*)?\+?\s*(?:years?|yrs?|jahre?n?|anos?|ans)\b(?!\s+old)")
_MONTHS = re.compile(_NUM + r"\s*(?:months?|monate?n?|meses|mois)\b")
_EXPERIENCE = re.compile(r"\b(?:experience|experienced|erfahrung|experiencia|berufserfahrung|worked|working|in (?:a|an) \w+ role|as an? )")


def _num(token: str) -> int:
    return int(token) if token.isdigit() else _NUMS.get(token, 0)


def years_required(blocks: Iterable[Block], any_section: bool) -> int | None:
    """The most years of experience a posting asks for (ranges count by their lower end)."""
    best: float | None = None
    for b in blocks:
        t = fold(b.text)
        if not any_section and not _EXPERIENCE.search(t):
            continue
        for m in _YEARS.finditer(t):
            n = _num(m.group(1))
            if 0 < n <= 30:
                best = max(best or 0, n)
        for m in _MONTHS.finditer(t):
            n = _num(m.group(1))
            if 0 < n <= 60:
                best = max(best or 0, round(n / 12, 1))
    return None if best is None else int(math.ceil(best))


def level_from_title(title: str) -> str | None:
    t = fold(title)
    for level, rx in _TITLE_LEVELS:
        if re.search(rx, t):
            return level
    return None


def level_from_years(years: float | None) -> str:
    if years is None:
        return "unspecified"
    if years >= 5:
        return "senior"
    if years >= 3:
        return "mid"
    return "junior" if years >= 0.5 else "intern"


def detect_seniority(title: str, years: int | None) -> str:
    """Seniority from the title's words first (they are explicit), else from the years asked."""
    return level_from_title(title) or level_from_years(years)


# ---------------------------------------------------------------------------
# Language
# ---------------------------------------------------------------------------

_LANG_STOPS = {
    "en": frozenset(["the", "and", "of", "to", "you", "we", "with", "for", "our", "is", "are", "will", "your", "be", "that", "this", "have", "in", "on", "as"]),
    "de": frozenset(["und", "der", "die", "das", "mit", "fur", "wir", "du", "ist", "ein", "eine", "zu", "von", "den", "dem", "auf", "bei", "sich", "nicht", "auch", "im"]),
    "es": frozenset(["el", "la", "los", "las", "y", "de", "en", "con", "para", "un", "una", "que", "por", "del", "se", "al", "nuestro", "es", "como"]),
    "fr": frozenset(["le", "la", "les", "et", "de", "des", "en", "avec", "pour", "un", "une", "que", "nous", "vous", "est", "du", "dans", "au"]),
    "it": frozenset(["il", "di", "che", "e", "con", "per", "una", "gli", "della", "nel", "sono", "del", "la", "le"]),
    "nl": frozenset(["de", "het", "en", "een", "van", "met", "voor", "wij", "je", "is", "op", "zijn", "niet", "ons"]),
    "pt": frozenset(["o", "a", "os", "as", "de", "e", "com", "para", "um", "uma", "que", "do", "da", "em", "nao", "nosso"]),
}


def detect_language(text: str) -> str:
    """ISO 639-1 code by stopword share (en/de/es/fr/it/nl/pt); 'other' when nothing fits."""
    toks = words(text)[:600]
    if not toks:
        return "other"
    scores = {lang: sum(1 for w in toks if w in stops) for lang, stops in _LANG_STOPS.items()}
    lang, best = max(scores.items(), key=lambda kv: (kv[1], kv[0] == "en"))
    return lang if best >= 2 or (best >= 1 and len(toks) < 12) else "other"


# ---------------------------------------------------------------------------
# Key phrases (RAKE-like) and similarity
# ---------------------------------------------------------------------------

_PHRASE_SPLIT = re.compile(r"[,.;:!?()\[\]\"“”/|•\n]+|\s[-–—]\s")


def key_phrases(text: str, k: int = 10) -> list[str]:
    """The text's most characteristic multi-word phrases, scored by word degree over frequency."""
    candidates: list[list[str]] = []
    for chunk in _PHRASE_SPLIT.split(text or ""):
        current: list[str] = []
        for tok in chunk.split():
            clean = tok.strip("*_'`’")
            if not clean or fold(clean) in STOPWORDS or not re.search(r"[^\W\d_]", clean):
                if current:
                    candidates.append(current)
                current = []
            else:
                current.append(clean)
        if current:
            candidates.append(current)
    freq: Counter[str] = Counter()
    degree: Counter[str] = Counter()
    for phrase in candidates:
        for w in phrase:
            freq[fold(w)] += 1
            degree[fold(w)] += len(phrase) - 1
    scored: dict[str, tuple[float, int, str]] = {}
    for i, phrase in enumerate(candidates):
        if len(phrase) > 4:
            continue
        key = fold(" ".join(phrase))
        score = sum((degree[fold(w)] + freq[fold(w)]) / freq[fold(w)] for w in phrase)
        if key not in scored or scored[key][0] < score:
            scored[key] = (score, -i, " ".join(phrase))
    ranked = sorted(scored.values(), reverse=True)
    return [p for _, _, p in ranked[:k]]


class Similarity:
    """TF-IDF cosine over word stems plus lexicon skills (a shared skill counts double).

    The IDF comes from the texts the caller compares (posting sentences and CV bullets),
    so words every bullet shares ("team", "built") weigh little and rare ones weigh most.
    """

    SKILL_WEIGHT = 2.0

    def __init__(self, corpus: Iterable[str]) -> None:
        docs = [self._features(t) for t in corpus]
        df: Counter[str] = Counter()
        for d in docs:
            df.update(d.keys())
        self.n = max(1, len(docs))
        self.idf = {f: math.log((self.n + 1) / (c + 1)) + 1.0 for f, c in df.items()}
        self.default_idf = math.log(self.n + 1) + 1.0

    @staticmethod
    def _features(text: str) -> Counter[str]:
        feats: Counter[str] = Counter(content_stems(text))
        for name in skill_names(text):
            feats["§" + name] += 1
        return feats

    def vector(self, text: str) -> dict[str, float]:
        vec: dict[str, float] = {}
        for f, c in self._features(text).items():
            w = (1.0 + math.log(c)) * self.idf.get(f, self.default_idf)
            vec[f] = w * (self.SKILL_WEIGHT if f.startswith("§") else 1.0)
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {f: v / norm for f, v in vec.items()}

    @staticmethod
    def cosine(a: dict[str, float], b: dict[str, float]) -> float:
        if len(a) > len(b):
            a, b = b, a
        return sum(v * b.get(f, 0.0) for f, v in a.items())

    def score(self, a: str, b: str) -> float:
        return self.cosine(self.vector(a), self.vector(b))


# ---------------------------------------------------------------------------
# Phrases taken from a posting
# ---------------------------------------------------------------------------

_LEAD_IN = re.compile(r"^(?:you(?:'ll| will)(?: be)?|you would|we need someone (?:to|who)|du|sie|vas a|tu)\s+", re.IGNORECASE)
_CUTS = re.compile(r":|;|\s\(|\s[–—-]\s|,\s|\s(?:so that|so|which|that|who|including|together with|with|using|to help|where|while|because)\s")
_PREPS = frozenset(["for", "in", "of", "on", "at", "to", "into", "across", "within", "from", "by", "via", "fur", "mit", "von", "bei", "para", "por", "con", "en", "de", "pour", "dans", "avec"])
# English "a"/"an" only where English would use them: German "an", Spanish/French "a" are prepositions
_DETERMINERS = re.compile(
    r"(?<![\w/])(?:our|your|the|a(?=\s+(?!(?:la|las|los|le|les)\b)[^\Waeiou])|an(?=\s+[aeiou])|their|its|unsere[nm]?|nuestros?|nuestras?)\s+", re.IGNORECASE
)


# Duties written to the reader ("Du übernimmst die Pflege ...", "Je bent verantwoordelijk voor ...",
# "Serás responsable de ...", "Vous assurerez ...") become a noun phrase or an infinitive, as a posting's
# own bullet would say it: "Pflege von ...", "Planning", "Gestión de ...", "Assurer le suivi ...".
_ART = (r"(?:der|die|das|den|dem|des|ein|eine|einen|einem|einer|unsere[nmrs]?|unser|deine[nmrs]?|dein|ihre[nmrs]?|de|het|een|onze|ons"
        r"|jouw|uw|el|la|los|las|un|una|unos|unas|nuestr[oa]s?|tus?|sus?|le|les|une|du|nos|notre|vos|votre|the|a|an|our|your)")
_LEAD_ART = re.compile(rf"^(?:{_ART}\s+|l['’])", re.IGNORECASE)
_PHRASAL = (  # (pattern, what replaces it)
    (r"^(?:you(?:'ll| will| would)?|you are|you're)\s+(?:be\s+)?(?:responsible for|in charge of|accountable for|taking care of|take care of"
     r"|looking after|look after)\s+", ""),
    (r"^(?:du|sie|ihr)\s+(?:bist|sind|seid)\s+(?:\w+\s+)?(?:verantwortlich|zuständig)\s+für\s+", ""),
    (r"^(?:du|sie)\s+(?:kümmerst|kümmern)\s+(?:dich|sich)\s+(?:\w+\s+)?um\s+", ""),
    (r"^(?:du|sie)\s+(?:arbeitest|arbeiten)\s+(?:eng\s+|aktiv\s+|gemeinsam\s+)?mit\s+(.+?)\s+zusammen\b", r"Zusammenarbeit mit \1"),
    (r"^(?:du|sie)\s+(?:wirst|werden)\s+", ""),  # "Du wirst Projekte leiten": object and infinitive, as German bullets say it
    (r"^(?:je|jij|u)\s+(?:bent|is)\s+(?:\w+\s+)?verantwoordelijk\s+voor\s+", ""),
    (r"^(?:je|jij|u)\s+(?:zorgt|draagt zorg)\s+voor\s+", ""),
    (r"^(?:je|jij|u)\s+(?:houdt|houd)\s+(?:je|jezelf|zich)\s+bezig\s+met\s+", ""),
    (r"^(?:je|jij|u)\s+werkt\s+(?:nauw\s+)?samen\s+met\s+", "Samenwerking met "),
    (r"^(?:je|jij|u)\s+werkt\s+met\s+", "Werken met "),
    (r"^(?:du|sie)\s+(?:arbeitest|arbeiten)\s+mit\s+", "Arbeit mit "),
    (r"^(?:je|jij|u)\s+(?:gaat|zult)\s+", ""),
    (r"^(?:tú\s+|usted\s+)?(?:serás|será|eres|es)\s+(?:el\s+|la\s+)?(?:responsable|encargad[oa](?:/a)?)\s+del?\s+", ""),
    (r"^(?:tú\s+)?te\s+encargarás\s+del?\s+", ""),
    (r"^(?:usted\s+)?se\s+encargará\s+del?\s+", ""),
    (r"^(?:tú\s+|usted\s+)?(?:vas|va)\s+a\s+", ""),
    (r"^(?:vous|tu)\s+(?:serez|seras|êtes|es)\s+(?:\w+\s+)?(?:responsable|en charge|chargée?|garante?)\s+(?:de\s+l['’]|d['’]|du\s+|des\s+|de\s+)", ""),
    (r"^(?:vous|tu)\s+(?:prendrez|prendras|prenez|prends)\s+en\s+charge\s+", "Prise en charge "),
)
_PHRASAL_RX = tuple((re.compile(p, re.IGNORECASE), r) for p, r in _PHRASAL)
_ES_IRREGULAR = {"harás": "hacer", "hará": "hacer", "tendrás": "tener", "tendrá": "tener", "podrás": "poder", "podrá": "poder",
                 "pondrás": "poner", "pondrá": "poner", "saldrás": "salir", "vendrás": "venir", "dirás": "decir", "sabrás": "saber"}
_FR_IRREGULAR = {"serez": "être", "seras": "être", "aurez": "avoir", "auras": "avoir", "ferez": "faire", "feras": "faire",
                 "irez": "aller", "iras": "aller", "pourrez": "pouvoir", "pourras": "pouvoir", "devrez": "devoir", "devras": "devoir",
                 "saurez": "savoir", "verrez": "voir", "viendrez": "venir", "tiendrez": "tenir", "mettrez": "mettre", "mettras": "mettre"}  # fmt: skip
_PARTICLE_END = re.compile(r"\s+(?:op|af|uit|aan|mee|door|bij|durch|an|ab|auf|aus|mit|vor|zu|ein|fest|weiter|zusammen|teil)(?=\s+(?:en|und)\s|\s*[.;,]?\s*$)", re.IGNORECASE)
_NEXT_VERB = re.compile(r"\s+(?:en|und)\s+(?=[a-zäöüß]+(?:st|t)\b)")  # "... op en bewaakt het budget": a second duty starts


def _fr_infinitive(verb: str) -> str | None:
    v = verb.lower()
    if v in _FR_IRREGULAR:
        return _FR_IRREGULAR[v]
    for end in ("ez", "as"):
        if v.endswith(("i" + end, "ss" + end)) or not v.endswith(end):
            continue
        stem = v[: -len(end)]
        if stem.endswith(("er", "ir")):
            return stem  # future: assurer-ez, finir-as
        if re.search(r"[dtvbp]r$", stem):
            return stem + "e"  # future: prendr-ez -> prendre
        if end == "ez" and len(stem) >= 3:
            return stem + "er"  # present: assur-ez -> assurer
    return None


def duty_phrase(text: str) -> str | None:
    """A duty addressed to the reader as a noun phrase or infinitive; None when `text` is not in that shape."""
    s = text.strip()
    for rx, repl in _PHRASAL_RX:
        m = rx.match(s)
        if m:
            rest = s[m.end() :]
            if repl == "Prise en charge ":  # "les patients" -> "des patients", "la relation" -> "de la relation"
                return repl + re.sub(r"^(?:(les|des)\s+|(la)\s+|(le)\s+|(l['’]))", lambda g: "des " if g.group(1) else "de la " if g.group(2)
                                     else "du " if g.group(3) else "de l'", rest, count=1, flags=re.IGNORECASE)  # fmt: skip
            return m.expand(repl) + rest if repl else _LEAD_ART.sub("", rest, count=1)
    m = re.match(r"^(?i:du|sie|je|jij)\s+([a-zäöüßé]+)\s+(?:(?:dich|sich|je|jezelf|zich)\s+)?(.+)$", s)
    if m:  # V2 (German, Dutch): drop subject and verb, keep the object
        rest = _NEXT_VERB.split(m.group(2), maxsplit=1)[0]
        rest = _PARTICLE_END.sub("", rest).strip()
        return _LEAD_ART.sub("", rest, count=1) if len(rest.split()) >= 1 else None
    m = re.match(r"^(?:tú\s+|usted\s+)?(\w+(?:arás|erás|irás|ará|erá|irá))\s+(.+)$", s, re.IGNORECASE)
    if m and fold(m.group(1)) not in ("sera", "seras"):
        verb = m.group(1).lower()
        inf = _ES_IRREGULAR.get(verb) or re.sub(r"(?:ás|á)$", "", verb)
        return f"{inf} {m.group(2)}"
    m = re.match(r"^(?:vous|tu)\s+(\S+)\s+(.+)$", s, re.IGNORECASE)
    if m:
        inf = _fr_infinitive(m.group(1))
        if inf:
            return f"{inf} {m.group(2)}"
    return None


def short_title(text: str, max_words: int = 8) -> str:
    """A few words naming what a duty or requirement is about: the text's head clause, trimmed."""
    s = re.sub(r"\*\*|__", "", text).strip()
    s = duty_phrase(s) or _LEAD_IN.sub("", s)
    for m in _CUTS.finditer(s):
        if len(s[: m.start()].split()) >= (3 if m.group(0)[:1] in ":;,( " and not m.group(0).strip()[:1].isalpha() else 4):
            s = s[: m.start()]
            break
    if len(s.split()) > max_words:
        s = _DETERMINERS.sub("", s)
    ws = s.split()
    if len(ws) > max_words:
        ws = ws[:max_words]
        cut = max((i for i, w in enumerate(ws) if i >= 3 and fold(w) in _PREPS), default=0)
        ws = ws[:cut] if cut else ws
    while len(ws) > 2 and fold(ws[-1]).strip(",.;:") in STOPWORDS:
        ws.pop()
    out = " ".join(ws).strip(" ,.;:")
    if out.count("(") > out.count(")"):
        out = out[: out.rfind("(")].strip(" ,.;:")
    return out[:1].upper() + out[1:]


SALARY = re.compile(
    r"(?:(?:[£$€]|USD|EUR|GBP|CAD|AUD|NZD|NOK|DKK|SEK|CHF)\s?\$?\s?\d(?:[\d.,]*\d)?\s?[kK]?|\d(?:[\d.,]*\d)?\s?[kK]?\s?(?:€|EUR|NOK|DKK|SEK|CHF))"
    r"(?:\s*(?:–|-|to|bis|a)\s*(?:(?:[£$€]|USD|EUR|GBP|CAD|AUD|NOK|DKK|SEK|CHF)\s?\$?\s?)?\d(?:[\d.,]*\d)?\s?[kK]?(?:\s?(?:€|EUR|NOK|DKK|SEK|CHF))?)?"
    r"(?:\s+(?:per|a|pro)\s+(?:month|year|annum|hour|monat|jahr|mes|ano)|\s+pro rata|\s+gross per month|\s+base)?"
)
WORK_PATTERN = re.compile(
    r"\b(?:remote|hybrid(?=\s+(?:working|work|role|model|setup|pattern)|\s*[,.;)]|$)|office days?|days? a week in|days? in (?:the|our) office|in the office|on-?site|homeoffice|home office|home-office"
    r"|teletrabajo|presencial|teletravail|flexible working|fully remote|remote-first)\b",
    re.IGNORECASE,
)
