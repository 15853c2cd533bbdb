"""How well one stored job answers one searched title, for one profile.

A match score (0-100) blends two things a job seeker weighs: is this the job I
asked for (title similarity, seniority words ignored, synonyms folded by the
title tokens of `pipeline.text.titles`), and could I get it (the offline fit of the
posting against the master CV: must-have coverage, nice-to-haves, seniority).
The title leads because it is what the user asked for; fit orders the jobs
that answer it. Each score carries two or three reasons in plain words.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from pipeline.text.fit import CvFacts, cv_facts, fit_posting
from pipeline.text.posting import analyse
from pipeline.text.titles import title_tokens, title_variants

WEIGHT_TITLE = 0.6
WEIGHT_FIT = 0.4
MIN_TITLE_SCORE = 0.2  # below this a job's title shares only a generic word ("Engineer") with nothing else
MAX_MISSING_SHOWN = 3


class MatchError(ValueError):
    """A searched title that cannot be matched; the message is shown to the user as is."""


@lru_cache(maxsize=65_536)
def _tokens(title: str) -> tuple[tuple[str, float], ...]:
    """Title tokens, with 'registered' dropped beside 'nurse' so "RN" and "Registered Nurse" are the same job."""
    toks = title_tokens(title)
    if "nurse" in toks:
        toks.pop("registered", None)
    return tuple(toks.items())


def query_tokens(title: str) -> dict[str, float]:
    """The searched title's tokens; a title of only seniority or filler words cannot be searched."""
    toks = dict(_tokens(title))
    if not toks:
        raise MatchError(f"“{title}” has no words to search for besides seniority or filler words; add the job's name, e.g. “{title} Nurse” or “{title} Engineer”.")
    return toks


def prefilter_words(query: dict[str, float]) -> list[str]:
    """Folded words whose presence in a job's search text makes it a candidate (cheap SQL LIKE terms)."""
    out: list[str] = []
    for token in query:
        for w in title_variants(token):
            if w not in out:
                out.append(w)
    if "nurse" in query and "rn" not in out:
        out.append("rn")
    return out


def title_score(query: dict[str, float], posting_title: str) -> float:
    """0-1: mostly how much of the searched title the job's title covers, partly how much else it adds."""
    p = dict(_tokens(posting_title))
    if not p:
        return 0.0
    shared = sum(w for k, w in query.items() if k in p)
    if not shared:
        return 0.0
    q_total = sum(query.values())
    cover = shared / q_total
    dice = 2 * shared / (q_total + sum(p.values()))
    return round(min(1.0, 0.8 * cover + 0.2 * dice), 3)


@dataclass(frozen=True)
class JobFit:
    """The part of a job's offline fit that matching shows."""

    score: int
    must_total: int
    must_missing: tuple[str, ...]
    missing: tuple[str, ...]


class _FitCache:
    """Fits by (job, its last update, CV): one batch's titles share them, and repeated searches are warm."""

    def __init__(self, size: int = 50_000) -> None:
        self._data: OrderedDict[tuple, JobFit] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple) -> JobFit | None:
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
            return hit

    def put(self, key: tuple, value: JobFit) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


FIT_CACHE = _FitCache()


def cv_key(cv_markdown: str) -> str:
    return hashlib.sha256(cv_markdown.encode("utf-8")).hexdigest()[:16]


def job_fit(*, job_id: int, version: str, title: str, company: str, location: str, description: str, cv_markdown: str, cv: CvFacts | None = None) -> JobFit:
    """The offline fit of a stored job against the CV, computed once per job version and CV."""
    key = (job_id, version, cv_key(cv_markdown))
    hit = FIT_CACHE.get(key)
    if hit is not None:
        return hit
    v = analyse(title, company, location, description)
    fit = fit_posting(v, cv or cv_facts(cv_markdown), must_items=list(v.must), nice_items=list(v.nice), level=v.seniority, title=v.title)
    must_missing = tuple(m for m in fit.missing_skills if m in v.must)
    out = JobFit(score=fit.score, must_total=len(v.must), must_missing=must_missing, missing=tuple(fit.missing_skills))
    FIT_CACHE.put(key, out)
    return out


def combined_score(title: float, fit: JobFit | None) -> int:
    """0-100; without a profile the title alone decides."""
    if fit is None:
        return max(0, min(100, round(100 * title)))
    return max(0, min(100, round(100 * (WEIGHT_TITLE * title + WEIGHT_FIT * fit.score / 100))))


def title_reason(query_title: str, score: float) -> str:
    if score >= 0.85:
        return f"title matches “{query_title}”"
    if score >= 0.5:
        return f"title close to “{query_title}”"
    return f"title partly matches “{query_title}”"


def fit_reasons(fit: JobFit | None) -> list[str]:
    """One or two reasons about the profile: must-have coverage and what is missing."""
    if fit is None:
        return ["no confirmed profile: ranked by title only"]
    if fit.must_total:
        have = fit.must_total - len(fit.must_missing)
        out = [f"covers {have}/{fit.must_total} must-have skills"]
    else:
        out = [f"profile fit {fit.score}/100 (the posting lists no skills)"]
    gaps = list(fit.must_missing or fit.missing)[:MAX_MISSING_SHOWN]
    if gaps:
        out.append("missing: " + ", ".join(gaps))
    return out
