"""The offline fit of a posting against a master CV: must-have and nice-to-have coverage,
seniority and title similarity, weighed into one 0-100 score with a plain-words rationale.

Why here, outside the offline analyst: job matching scores one CV against many stored
postings with the same estimate the analyst's fit layer gives one posting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from pipeline.graph.schemas import Fit, FitBreakdown
from pipeline.text.analysis import LEVELS, content_stems, join_words, level_from_title, level_from_years
from pipeline.text.cv import parse_cv, years_of_experience
from pipeline.text.intake_fields import without_grade_words
from pipeline.text.lexicon import domain_of, expand, is_soft, skill_names
from pipeline.text.posting import NOT_HARD, PostingView, add_unique
from pipeline.text.titles import title_similarity

# Fit score = weighted sum of four 0-100 parts (weights sum to 1). Must-haves dominate:
# they are what a screener checks first. Title similarity is the best single proxy for
# "has done this job before". Seniority and nice-to-haves adjust the result.
# Where CVs meet the same must-haves, a recruiter separates them by the rest of the posting:
# the nice-to-have part also weighs the skills the posting names outside its lists (title,
# duties), and the title part also compares the specialism a title names ("Docent Wiskunde"
# and "Teacher of Mathematics" share Mathematics), which string similarity misses across languages.
WEIGHT_MUST_HAVE = 0.50
WEIGHT_NICE_TO_HAVE = 0.15
WEIGHT_SENIORITY = 0.15
WEIGHT_TITLE = 0.20
SOFT_SKILL_WEIGHT = 0.5  # a soft skill counts half inside a coverage share: every CV claims "communication"
NO_SIGNAL_SENIORITY = 70.0  # neither side states a level or years: neutral, slightly positive
UNLISTED_TERM_WEIGHT = 0.5  # a skill the posting names only in its title or duties counts half a listed nice-to-have
TITLE_SKILL_CEILING = 80.0  # titles naming the same specialism: strong, but not the same job title word for word
_CONTEXT_KINDS = ("offer", "about")  # benefits and the company's story are not what the job asks


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
            add_unique(matched, hits)
        else:
            missing.append(item)
    return round(100 * got / total, 1), matched, missing


def _hard_skills(text: str) -> list[str]:
    return [n for n in skill_names(text) if domain_of(n) not in NOT_HARD]


def unlisted_terms(v: PostingView, title: str, listed: list[str]) -> list[str]:
    """Hard skills the posting names in its title or duties (any block but the offer and the company) that neither list holds.

    Why: where two CVs meet the same must-haves, the rest of the posting still tells them apart
    (an FP&A posting that will "own the monthly forecast and present variance analysis").
    """
    in_lists = {n for item in listed for n in item.split(" or ")}
    out: list[str] = []
    add_unique(out, _hard_skills(title))
    for b in v.blocks:
        if b.kind not in _CONTEXT_KINDS:
            add_unique(out, _hard_skills(b.text))
    return [n for n in out if n not in in_lists]


def title_skill_similarity(title: str, cv_title_skills: frozenset[str]) -> float:
    """0-TITLE_SKILL_CEILING: share of the hard skills a posting's title names that the CV's own titles name.

    Language-blind, unlike word overlap: "Docent Wiskunde" and "Teacher of Mathematics" both name
    Mathematics, "Tragwerksplanerin" and "Structural Engineer" both name structural design.
    """
    named = list(dict.fromkeys(_hard_skills(title)))
    if not named:
        return 0.0
    return round(TITLE_SKILL_CEILING * sum(1 for n in named if n in cv_title_skills) / len(named), 1)


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


# The rationale's sentence frames in English; the offline analyst passes the posting's language
# (its frames live in `pipeline.llm.offline.phrases`, keys "fit_*", which this package may not import).
FIT_FRAMES_EN = {
    "fit_must": "the CV covers {got} of {n} must-have skills",
    "fit_nice": "{got} of {n} nice-to-haves",
    "fit_years": "about {cv_years} years of experience against {asked} ({level} level)",
    "fit_asked": "{years}+ years",
    "fit_no_min": "no stated minimum",
    "fit_title": "title match {score}/100 (latest role: {latest})",
    "fit_head": "Offline estimate: {parts}.",
    "fit_head_none": "Offline estimate from the posting's words.",
    "fit_gaps": " Biggest gaps: {gaps}.",
    "fit_no_gaps": " No listed skill is missing from the CV.",
}


@dataclass(frozen=True)
class RationaleWords:
    """How the rationale is worded: frames by key, a list joined ('a, b and c'), a level named."""

    frame: Callable[..., str] = lambda key, **slots: FIT_FRAMES_EN[key].format(**slots)
    join: Callable[[list[str]], str] = join_words
    level: Callable[[str], str] = lambda level: level


def _rationale(must: list[str], m_missing: list[str], nice: list[str], n_missing: list[str], cv_years: float | None,
               v: PostingView, level: str, latest: str, title: float, words: RationaleWords | None = None) -> str:  # fmt: skip
    w = words or RationaleWords()
    parts = []
    if must:
        parts.append(w.frame("fit_must", got=str(len(must) - len(m_missing)), n=str(len(must))))
    if nice:
        parts.append(w.frame("fit_nice", got=str(len(nice) - len(n_missing)), n=str(len(nice))))
    if cv_years is not None:
        asked = w.frame("fit_asked", years=str(v.years)) if v.years else w.frame("fit_no_min")
        parts.append(w.frame("fit_years", cv_years=str(int(cv_years)), asked=asked, level=w.level(level)))
    if latest:
        parts.append(w.frame("fit_title", score=str(int(title)), latest=latest))
    head = w.frame("fit_head", parts="; ".join(parts)) if parts else w.frame("fit_head_none")
    gaps = (m_missing + [n for n in n_missing if n not in m_missing])[:3]
    return head + (w.frame("fit_gaps", gaps=w.join(gaps)) if gaps else w.frame("fit_no_gaps"))


@dataclass(frozen=True)
class CvFacts:
    """What fit scoring needs from the master CV, read once: matching scores one CV against many postings."""

    skills: frozenset[str]
    stems: frozenset[str]
    years: float | None
    latest: str
    level: str | None
    titles: tuple[str, ...]
    title_skills: frozenset[str] = frozenset()  # skills the CV's titles and headline name, and what they imply


@lru_cache(maxsize=8)
def cv_facts(cv_markdown: str) -> CvFacts:
    cv = parse_cv(cv_markdown)
    years = years_of_experience(cv)
    latest = cv.roles[0].title if cv.roles else ""
    titles = tuple([r.title for r in cv.roles] + [" ".join(s.split()[:8]) for s in cv.summary_sentences[:1]])  # the headline counts too
    return CvFacts(
        skills=frozenset(cv.skills), stems=frozenset(content_stems(cv_markdown)), years=years, latest=latest,
        level=level_from_title(without_grade_words(latest)) or level_from_years(years), titles=titles,
        title_skills=frozenset(expand(skill_names("\n".join(titles)))),
    )  # fmt: skip


def fit_posting(
    v: PostingView, cv: CvFacts, *, must_items: list[str], nice_items: list[str], level: str, title: str, words: RationaleWords | None = None
) -> Fit:
    """The offline fit of one posting (already read) against a CV (already read); sync so matching can batch it.

    `words` writes the rationale in another language (English by default).
    """
    must, m_hit, m_missing = coverage(must_items, cv.skills, cv.stems)  # type: ignore[arg-type]
    nice, n_hit, n_missing = coverage(nice_items, cv.skills, cv.stems)  # type: ignore[arg-type]
    must = keyword_coverage(v, cv.stems) if must is None else must  # type: ignore[arg-type]
    unlisted = unlisted_terms(v, title, must_items + nice_items)
    if unlisted:  # the rest of the posting weighs in with the nice-to-haves, each unlisted skill at half weight
        u_share = sum(1 for n in unlisted if n in cv.skills) / len(unlisted)
        n_weight = float(len(nice_items))
        u_weight = UNLISTED_TERM_WEIGHT * len(unlisted)
        nice = round((n_weight * (nice or 0.0) + u_weight * 100 * u_share) / (n_weight + u_weight), 1)
    nice = must if nice is None else nice
    seniority = seniority_score(level, v.years, cv.level, cv.years)  # type: ignore[arg-type]
    title_score = max(title_similarity(title, list(cv.titles)), title_skill_similarity(title, cv.title_skills))
    score = WEIGHT_MUST_HAVE * must + WEIGHT_NICE_TO_HAVE * nice + WEIGHT_SENIORITY * seniority + WEIGHT_TITLE * title_score
    matched: list[str] = []
    add_unique(matched, m_hit + n_hit)
    return Fit(
        score=max(0, min(100, round(score))),
        breakdown=FitBreakdown(must_have=must, nice_to_have=nice, seniority=seniority, title=title_score),
        matched_skills=matched,
        missing_skills=m_missing + [m for m in n_missing if m not in m_missing],
        rationale=_rationale(must_items, m_missing, nice_items, n_missing, cv.years, v, level, cv.latest, title_score, words),
    )
