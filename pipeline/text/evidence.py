"""One rule for "does this CV line answer this requirement?", shared by the offline
analyst and the model path, so a nursing duty is never answered by a Kubernetes bullet."""

from __future__ import annotations

from pipeline.text.analysis import content_stems, stem
from pipeline.text.lexicon import domain_of, expand, skill_names

# Words every posting and CV use; sharing them says nothing about the skill asked for.
_GENERIC = frozenset(
    stem(w)
    for w in (
        "experience", "experienced", "team", "teams", "work", "working", "strong", "role", "skills", "skill", "years", "year",
        "ability", "knowledge", "new", "help", "support", "using", "use", "make", "ensure", "good", "well", "across", "within",
        "day", "days", "people", "part", "including", "also", "will", "would", "need", "needs", "want", "looking", "join",
        "company", "business", "develop", "building", "build", "deliver", "manage", "lead", "led", "own", "drive", "high",
        "key", "level", "time", "way", "first", "best", "great", "plus", "etc", "e.g", "one", "two", "three", "every", "more",
        "other", "our", "your", "you", "who", "what", "like", "based", "related", "relevant", "senior", "junior", "hands",
        # action verbs and nouns every field uses in its own sense ("design" a bridge vs an API, "models" in dbt vs in statics)
        "design", "designed", "analyse", "analyze", "analysis", "check", "model", "models", "prepare", "plan", "review", "run",
        "improve", "create", "write", "set", "process", "system", "systems", "service", "services", "project", "projects",
        "result", "results", "change", "changes", "new", "end", "full", "main", "rebuilt", "built", "owned", "ran",
        "maintain", "maintained", "mean", "means", "before", "after", "month", "monthly", "week", "weekly", "daily", "hour",
        "customer", "customers", "client", "clients", "data", "engineer", "engineers", "tool", "tools", "platform",
    )
)  # fmt: skip


def _skills(text: str) -> set[str]:
    return {s for s in expand(skill_names(text)) if domain_of(s) != "soft"}


def _terms(text: str) -> set[str]:
    return {s for s in content_stems(text) if s not in _GENERIC and len(s) > 2 and not s.isdigit()}


def shares_evidence(requirement: str, line: str) -> list[str]:
    """The skills (with synonyms/implications) and word stems a requirement and a CV line share; [] means unrelated.

    One shared lexicon skill is enough; plain words need two, because a single common word
    ("order", "contract", "pipeline") is as often a homonym as a match.
    """
    skills = sorted(_skills(requirement) & _skills(line))
    seen = {t for s in skills for t in content_stems(s)}
    terms = sorted(t for t in _terms(requirement) & _terms(line) if t not in seen)
    if not skills and len(terms) < 2:
        return []
    return skills + terms
