"""Job-title similarity: title words with synonyms folded, seniority words dropped and
generic nouns ("Engineer", "Manager") weighed lightly, in English, German, Spanish and French.
"""

from __future__ import annotations

import re

from pipeline.text.analysis import STOPWORDS, words

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
_TITLE_DROP = frozenset(["senior", "sr", "junior", "jr", "lead", "principal", "staff", "head", "chief", "associate", "assistant", "intern", "trainee", "graduate", "mid", "level", "band", "ii", "iii", "in"])
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
