"""Quality of the offline analyst, measured (issue 16, "Measured, not assumed"), in one table.

Why: the offline analyst is what every new user meets; this says how often its fit score
ranks CVs the right way within a profession, whether a junior CV is kept away from a
principal posting, whether every interview story and letter paragraph pairs a requirement
with a CV line that shares a skill or term, whether letters come out in the posting's
language, how well intake reads the posting's fields, how well the claim check catches
seeded inflations, and how long a full offline pack takes.

Data: the CVs and postings named in bench/data/quality/labels.json (new ones under
bench/data/quality/, plus tests/fixtures/analyst/ and the intake corpus
tests/fixtures/postings/); intake accuracy comes from bench/intake.py and the claim-check
set from tests/unit/test_claims.py extended by bench/data/quality/claims.json. The
"intake held-out" rows score (with bench/intake.py's field_hits) 20 postings under
bench/data/quality/heldout/, written from real board and employer shapes without reading
the extractor, so they say how intake reads postings it was not written against.
Run: `python bench/quality.py` (also by `make bench`); `-v` lists every case that fails.
Prints shares, medians and counts; asserts nothing. tests/unit/test_quality_cases.py pins a few cases.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="jobapp-bench-"))

from pipeline.graph.schemas import Posting
from pipeline.llm.offline import OfflineAnalyst
from pipeline.text.analysis import content_stems, detect_language
from pipeline.text.claims import check_claims
from pipeline.text.cv import parse_cv
from pipeline.text.evidence import shares_evidence

DATA = ROOT / "bench" / "data" / "quality"
ANALYST_FIXTURES = ROOT / "tests" / "fixtures" / "analyst"
CORPUS = ROOT / "tests" / "fixtures" / "postings"
LABELS = json.loads((DATA / "labels.json").read_text(encoding="utf-8"))
INTAKE_FIELDS = ("company", "location", "work_mode", "seniority", "salary", "language_requirements", "deadline")
SENIORITY_GAP = 15


# ---------------------------------------------------------------------------
# Data: CVs and postings by reference ("analyst:NAME", "corpus:NAME", "quality:NAME")
# ---------------------------------------------------------------------------


def _split(ref: str) -> tuple[str, str]:
    where, _, name = ref.partition(":")
    if where not in ("analyst", "corpus", "quality") or not name:
        raise ValueError(f"bad reference {ref!r}")
    return where, name


@cache
def cv_markdown(ref: str) -> str:
    where, name = _split(ref)
    path = ANALYST_FIXTURES / f"{name}.md" if where == "analyst" else DATA / "cvs" / f"{name}.md"
    return path.read_text(encoding="utf-8")


@cache
def _corpus_entry(name: str) -> dict:
    return json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))


def posting(ref: str) -> Posting:
    """The posting as a user pastes it: corpus entries with their given fields, markdown files as text only."""
    where, name = _split(ref)
    if where == "corpus":
        inp = _corpus_entry(name)["input"]
        return Posting(title=inp["title"], company=inp["company"], location=inp["location"], description=inp["description"])
    path = ANALYST_FIXTURES / f"{name}.md" if where == "analyst" else DATA / "postings" / f"{name}.md"
    return Posting(description=path.read_text(encoding="utf-8"))


def posting_language(ref: str) -> str:
    where, name = _split(ref)
    return _corpus_entry(name)["expected"]["language"] if where == "corpus" else LABELS["postings"][ref]["language"]


# ---------------------------------------------------------------------------
# Running the offline analyst: the fit alone (cheap) and the full pack (all layers, through the graph)
# ---------------------------------------------------------------------------


def fit_score(posting_ref: str, cv_ref: str) -> int:
    """The offline analyst's fit score (intake, then fit), as a run computes it."""
    analyst, p = OfflineAnalyst(), posting(posting_ref)

    async def go() -> int:
        return (await analyst.fit(p, await analyst.intake(p), cv_markdown(cv_ref))).score

    return asyncio.run(go())


@dataclass
class Pack:
    posting: str
    cv: str
    seconds: float
    final: dict
    error: str = ""

    @property
    def fit(self) -> int:
        return self.final["fit"]["score"]

    @property
    def letter(self) -> str:
        return self.final["writing"]["cover_letter"]


def full_pack(posting_ref: str, cv_ref: str, run_id: int) -> Pack:
    """Every layer (intake, pain points, research, fit, people, writing, publish) through the graph, no files."""
    from langgraph.checkpoint.memory import InMemorySaver

    from pipeline.runs.events import MemorySink
    from pipeline.runs.runner import run_graph

    inputs = {"posting": posting(posting_ref).model_dump(), "cv_markdown": cv_markdown(cv_ref)}
    start = time.perf_counter()
    try:
        final, _ = asyncio.run(run_graph(run_id=run_id, sink=MemorySink(run_id), checkpointer=InMemorySaver(), inputs=inputs,
                                         out_dir=None, analyst=OfflineAnalyst()))  # fmt: skip
    except Exception as exc:  # a failing pack is a result to report, not a reason to stop measuring
        return Pack(posting_ref, cv_ref, time.perf_counter() - start, {}, error=f"{type(exc).__name__}: {exc}".splitlines()[0][:160])
    return Pack(posting_ref, cv_ref, time.perf_counter() - start, final)


# ---------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------


def ranking_holds(scores: dict[str, int]) -> bool:
    return scores["exact"] > scores["partial"] > scores["other"]


def seniority_gap(junior_score: int, principal_score: int) -> int:
    return junior_score - principal_score


def _requirement(pain: dict) -> str:
    """What a pain point asks for, as the offline analyst reads it (its rule when it has one)."""
    from pipeline.graph.schemas import PainPoint
    from pipeline.llm.offline import analyst as offline

    rule = getattr(offline, "_requirement_text", None)
    if rule is not None:
        return rule(PainPoint(**pain))
    return f"{pain['title']} {pain['evidence']}"


_QUOTED = re.compile(r"[“«„\"]\s*([^”»“\"]+?)\s*[”»“\"]")


def _letter_pairs(letter: str, pains: list[dict], bullets: list[str]) -> list[tuple[str, str]]:
    """(requirement, CV line) for each letter paragraph that quotes a pain point's title and carries a CV bullet.

    The greeting and the opening (the role and the CV's own summary) are not pairings; a paragraph
    carries a bullet when most of the bullet's word stems are in it.
    """
    pairs = []
    stems = {b: set(content_stems(b)) for b in bullets}
    titles = {p["title"].casefold(): p for p in pains if p["title"]}
    for para in letter.split("\n\n")[2:]:
        named = [titles[q.casefold()] for q in _QUOTED.findall(para) if q.casefold() in titles]
        if not named:
            continue
        words = set(content_stems(para))
        share, bullet = max(((len(s & words) / len(s), b) for b, s in stems.items() if s), default=(0.0, ""))
        if share >= 0.6:
            pairs.append((_requirement(named[0]), bullet))
    return pairs


def pairs_of(pack: Pack) -> list[tuple[str, str, str]]:
    """('story'|'letter', requirement, CV line) for every pairing the pack makes."""
    pains = pack.final["pain_points"]["items"]
    by_title = {p["title"]: p for p in pains}
    out = []
    for s in pack.final["writing"]["star_stories"]:
        if s.get("source_line"):
            pain = by_title.get(s["pain_point"], {"title": s["pain_point"], "evidence": ""})
            out.append(("story", _requirement(pain), s["source_line"]))
    bullets = [b for _, b in parse_cv(cv_markdown(pack.cv)).bullets]
    out += [("letter", r, b) for r, b in _letter_pairs(pack.letter, pains, bullets)]
    return out


def claim_cases() -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """(master CV, tailored CV, expected kind) seeded inflations and (master, tailored) faithful rephrasings."""
    from tests.unit.test_claims import FAITHFUL, MASTERS, SEEDED, cv_with

    extra = json.loads((DATA / "claims.json").read_text(encoding="utf-8"))
    seeded = [(MASTERS[w], cv_with(MASTERS[w], b), kind) for w, b, kind, _ in SEEDED]
    seeded += [(cv_markdown(c["cv"]), cv_with(cv_markdown(c["cv"]), c["line"]), c["kind"]) for c in extra["seeded"]]
    faithful = [(MASTERS[w], cv_with(MASTERS[w], b)) for w, b in FAITHFUL]
    faithful += [(cv_markdown(c["cv"]), cv_with(cv_markdown(c["cv"]), c["line"])) for c in extra["faithful"]]
    return seeded, faithful


HELDOUT = DATA / "heldout"
HELDOUT_FIELDS = (*INTAKE_FIELDS, "currency")


def heldout_intake() -> tuple[dict[str, float], dict[str, dict[str, float]], list[tuple[str, str, object, object]], int]:
    """Intake accuracy on the held-out postings, scored by bench/intake.py's field_hits: per field, per language and field, the misses, the count."""
    from bench.intake import field_hits
    from pipeline.text.intake_fields import read_fields

    per_field: dict[str, list[bool]] = defaultdict(list)
    per_lang: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    misses: list[tuple[str, str, object, object]] = []
    files = sorted(HELDOUT.glob("*.json"))
    for p in files:
        data = json.loads(p.read_text(encoding="utf-8"))
        inp, exp = data["input"], data["expected"]
        got = read_fields(inp["title"], inp["company"], inp["location"], inp["description"])
        for f, ok in field_hits(got, detect_language(inp["description"]), exp).items():
            if f not in HELDOUT_FIELDS:
                continue
            per_field[f].append(ok)
            per_lang[exp["language"]][f].append(ok)
            if not ok:
                value = (got.salary_min, got.salary_max) if f == "salary" else getattr(got, f, None)
                want = (exp["salary_min"], exp["salary_max"]) if f == "salary" else exp[f]
                misses.append((p.stem, f, value, want))
    acc = {f: sum(v) / len(v) for f, v in per_field.items()}
    lang_acc = {lang: {f: sum(v) / len(v) for f, v in d.items()} for lang, d in per_lang.items()}
    return acc, lang_acc, misses, len(files)


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({a / b:.2f})" if b else "0/0"


def main() -> None:
    verbose = "-v" in sys.argv
    rows: list[tuple[str, str, str, str]] = []
    misses: list[str] = []
    pairs_run: list[tuple[str, str]] = []

    # Ranking within a profession: exact > partial > other stack, per posting (the analyst's intake + fit).
    total_ok = total = 0
    for case in LABELS["ranking"]:
        ok = 0
        med: dict[str, list[int]] = defaultdict(list)
        for p in case["postings"]:
            scores = {kind: fit_score(p, case[kind]) for kind in ("exact", "partial", "other")}
            pairs_run += [(p, case[kind]) for kind in ("exact", "partial", "other")]
            for kind, s in scores.items():
                med[kind].append(s)
            if ranking_holds(scores):
                ok += 1
            else:
                misses.append(
                    f"ranking {case['profession']}: {p}: exact {scores['exact']}, partial {scores['partial']}, other {scores['other']}"
                )
        total_ok, total = total_ok + ok, total + len(case["postings"])
        detail = "median fit exact/partial/other " + " / ".join(f"{statistics.median(med[k]):.0f}" for k in ("exact", "partial", "other"))
        rows.append((f"ranking: {case['profession']}", _pct(ok, len(case["postings"])), "1.00", detail))
    rows.append(
        ("ranking: all professions", _pct(total_ok, total), "1.00", f"{len(LABELS['ranking'])} professions, exact > partial > other")
    )

    # Seniority: a junior CV scores a principal posting at least 15 points below a junior posting of the same stack.
    gaps = []
    for case in LABELS["seniority"]:
        gap = seniority_gap(fit_score(case["junior"], case["cv"]), fit_score(case["principal"], case["cv"]))
        pairs_run += [(case["junior"], case["cv"]), (case["principal"], case["cv"])]
        gaps.append(gap)
        if gap < SENIORITY_GAP:
            misses.append(f"seniority {case['profession']}: {case['cv']}: junior-minus-principal gap {gap}")
    held = sum(g >= SENIORITY_GAP for g in gaps)
    rows.append(("seniority: junior CV, junior - principal", _pct(held, len(gaps)), f">= {SENIORITY_GAP} pts",
                 f"median gap {statistics.median(gaps):.0f} pts (" + ", ".join(f"{c['profession']} {g}" for c, g in zip(LABELS["seniority"], gaps, strict=True)) + ")"))  # fmt: skip

    # Full packs for every pair above: what the user gets, and how long it takes.
    packs = [full_pack(p, c, i + 1) for i, (p, c) in enumerate(pairs_run)]
    failed = [pk for pk in packs if pk.error]
    misses += [f"pack failed: {pk.posting} x {pk.cv}: {pk.error}" for pk in failed]
    errors = sorted({pk.error for pk in failed})
    rows.append(
        (
            "full packs that failed",
            f"{len(failed)} of {len(packs)}",
            "0",
            errors[0] if len(errors) == 1 else f"{len(errors)} distinct errors" if errors else "",
        )
    )
    packs = [pk for pk in packs if not pk.error]

    # Pairs with no shared term, over every story and letter paragraph the packs wrote.
    kinds: dict[str, list[bool]] = defaultdict(list)
    for pk in packs:
        for kind, req, line in pairs_of(pk):
            unpaired = not shares_evidence(req, line)
            kinds[kind].append(unpaired)
            if unpaired:
                misses.append(f"unpaired {kind}: {pk.posting} x {pk.cv}: {req[:70]!r} <- {line[:70]!r}")
    bad = sum(sum(v) for v in kinds.values())
    rows.append(("pairs with no shared term", f"{bad} of {sum(len(v) for v in kinds.values())}", "0",
                 f"{len(kinds['story'])} STAR stories, {len(kinds['letter'])} letter paragraphs, {len(packs)} packs"))  # fmt: skip

    # Letter language: detected language of each letter against the posting's language.
    by_lang: dict[str, list[bool]] = defaultdict(list)
    for pk in packs:
        want, got = posting_language(pk.posting), detect_language(pk.letter)
        by_lang[want].append(got == want)
        if got != want:
            misses.append(f"letter language: {pk.posting} x {pk.cv}: {got}, want {want}")
    right = sum(sum(v) for v in by_lang.values())
    rows.append(("letter language correct", _pct(right, len(packs)), "1.00",
                 ", ".join(f"{lang} {sum(v)}/{len(v)}" for lang, v in sorted(by_lang.items()))))  # fmt: skip

    # Intake fields on the 53-posting corpus (bench/intake.py's data and scoring).
    from bench.intake import evaluate, load_corpus

    acc, lang_acc, intake_misses, _ = evaluate()
    n = len(load_corpus())
    for f in INTAKE_FIELDS:
        rows.append(
            (
                f"intake: {f}",
                f"{acc[f]:.2f}",
                "1.00",
                f"{n} postings; " + " ".join(f"{lang} {lang_acc[lang][f]:.2f}" for lang in sorted(lang_acc)),
            )
        )
    misses += [f"intake {f}: {name}: got {got!r}, want {want!r}" for name, f, got, want in intake_misses if f in INTAKE_FIELDS]

    # Intake fields on held-out postings (bench/data/quality/heldout/), written without reading the extractor.
    held_acc, held_lang, held_misses, held_n = heldout_intake()
    for f in HELDOUT_FIELDS:
        rows.append(
            (
                f"intake held-out: {f}",
                f"{held_acc[f]:.2f}",
                "-",
                f"{held_n} postings; " + " ".join(f"{lang} {held_lang[lang][f]:.2f}" for lang in sorted(held_lang)),
            )
        )
    misses += [f"intake held-out {f}: {name}: got {got!r}, want {want!r}" for name, f, got, want in held_misses]

    # Claim check: seeded inflations (recall by the expected kind) and faithful rephrasings (false flags).
    seeded, faithful = claim_cases()
    caught = flagged_seeded = 0
    for master, tailored, kind in seeded:
        flags = check_claims(tailored, master)
        caught += any(f.kind == kind for f in flags)
        flagged_seeded += bool(flags)
        if not any(f.kind == kind for f in flags):
            misses.append(f"claim not caught as {kind}: {tailored.splitlines()[-1]!r} (got {[f.kind for f in flags]})")
    false = 0
    for master, tailored in faithful:
        flags = check_claims(tailored, master)
        false += bool(flags)
        if flags:
            misses.append(f"claim false flag: {tailored.splitlines()[-1]!r}: {[(f.kind, f.why) for f in flags]}")
    precision = flagged_seeded / (flagged_seeded + false) if flagged_seeded + false else 1.0
    rows.append(
        ("claim check: recall (right kind)", _pct(caught, len(seeded)), "1.00", f"{len(seeded)} seeded inflations (en, de, es, fr, nl)")
    )
    rows.append(("claim check: precision", f"{precision:.2f}", "1.00", f"{false} of {len(faithful)} faithful rephrasings flagged"))
    own = [(pk, check_claims(pk.final["writing"]["cv_markdown"], cv_markdown(pk.cv))) for pk in packs]
    own_flags = sum(len(fl) for _, fl in own)
    misses += [f"claim flag on offline tailored CV: {pk.posting} x {pk.cv}: {f.kind}: {f.line[:70]!r}" for pk, fl in own for f in fl]
    rows.append(("claim flags on offline tailored CVs", str(own_flags), "0", f"{sum(bool(fl) for _, fl in own)} of {len(own)} CVs flagged"))

    letters = [(pk, check_claims(pk.letter, cv_markdown(pk.cv), posting=posting(pk.posting).description)) for pk in packs]
    misses += [
        f"claim flag on offline letter: {pk.posting} x {pk.cv}: {f.kind}: {f.line[:70]!r}: {f.why}" for pk, fl in letters for f in fl
    ]
    rows.append(
        (
            "claim flags on offline letters",
            str(sum(len(fl) for _, fl in letters)),
            "0",
            f"{sum(bool(fl) for _, fl in letters)} of {len(letters)} letters flagged",
        )
    )

    # Offline run time per full pack.
    secs = sorted(pk.seconds for pk in packs) or [0.0]
    rows.append(("offline pack time (median)", f"{statistics.median(secs):.3f} s", "-",
                 f"p95 {secs[max(0, int(len(secs) * 0.95) - 1)]:.3f} s over {len(secs)} posting x CV pairs, all layers"))  # fmt: skip

    cvs = {c for _, c in pairs_run}
    posts = {p for p, _ in pairs_run}
    profs = {c["profession"] for c in LABELS["ranking"]}
    langs = {posting_language(p) for p in posts}
    print(f"\n== quality of the offline analyst: {len(cvs)} CVs, {len(posts)} postings in packs (+{n} in the intake corpus), "
          f"{len(profs)} professions, posting languages {', '.join(sorted(langs))} ==")  # fmt: skip
    w = [max(len(r[i]) for r in rows) for i in range(3)]
    print(f"{'check':<{w[0]}}  {'result':<{w[1]}}  {'want':<{w[2]}}  detail")
    for r in rows:
        print(f"{r[0]:<{w[0]}}  {r[1]:<{w[1]}}  {r[2]:<{w[2]}}  {r[3]}")
    if verbose:
        for m in misses:
            print("miss", m)


if __name__ == "__main__":
    main()
