"""Intake field accuracy on the posting corpus (tests/fixtures/postings), per field and per language.

Why: intake reads company, place, pay, language needs and deadline from many posting
shapes; this table shows where it reads well and where it does not, and how fast.
Run: `python bench/intake.py` (also by `make bench`).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.text.analysis import detect_language
from pipeline.text.intake_fields import PostingFields, read_fields

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "postings"
FIELDS = ("company", "location", "work_mode", "seniority", "salary", "currency", "language_requirements", "deadline", "language")


def _norm(s: object) -> str:
    return " ".join(str(s or "").casefold().split())


def load_corpus() -> list[tuple[str, dict, dict]]:
    """(name, input, expected) for every posting in the corpus."""
    out = []
    for p in sorted(CORPUS.glob("*.json")):
        data = json.loads(p.read_text(encoding="utf-8"))
        out.append((p.stem, data["input"], data["expected"]))
    return out


def field_hits(got: PostingFields, language: str, exp: dict) -> dict[str, bool]:
    """Which fields were read right; the salary counts as right when min and max both match."""
    return {
        "company": _norm(got.company) == _norm(exp["company"]),
        "location": _norm(got.location) == _norm(exp["location"]),
        "work_mode": got.work_mode == exp["work_mode"],
        "seniority": got.seniority == exp["seniority"],
        "salary": (got.salary_min, got.salary_max) == (exp["salary_min"], exp["salary_max"]),
        "currency": got.currency == exp["currency"],
        "language_requirements": [_norm(x) for x in got.language_requirements] == [_norm(x) for x in exp["language_requirements"]],
        "deadline": got.deadline == exp["deadline"],
        "language": language == exp["language"],
    }


def evaluate() -> tuple[dict[str, float], dict[str, dict[str, float]], list[tuple[str, str, object, object]], float]:
    """Accuracy per field, per language and field, the misses, and the median read time in ms."""
    per_field: dict[str, list[bool]] = defaultdict(list)
    per_lang: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    misses: list[tuple[str, str, object, object]] = []
    times: list[float] = []
    for name, inp, exp in load_corpus():
        args = (inp["title"], inp["company"], inp["location"], inp["description"])
        t0 = time.perf_counter()
        got = read_fields(*args)
        times.append(time.perf_counter() - t0)
        for _ in range(4):
            t0 = time.perf_counter()
            read_fields(*args)
            times.append(time.perf_counter() - t0)
        hits = field_hits(got, detect_language(inp["description"]), exp)
        for f, ok in hits.items():
            per_field[f].append(ok)
            per_lang[exp["language"]][f].append(ok)
            if not ok:
                value = (got.salary_min, got.salary_max) if f == "salary" else getattr(got, f, None)
                want = (exp["salary_min"], exp["salary_max"]) if f == "salary" else exp[f]
                misses.append((name, f, value, want))
    acc = {f: sum(v) / len(v) for f, v in per_field.items()}
    lang_acc = {lang: {f: sum(v) / len(v) for f, v in d.items()} for lang, d in per_lang.items()}
    return acc, lang_acc, misses, statistics.median(times) * 1000


def main() -> None:
    acc, lang_acc, misses, ms = evaluate()
    langs = sorted(lang_acc)
    n = {lang: sum(1 for _, _, e in load_corpus() if e["language"] == lang) for lang in langs}
    print(f"intake fields on {sum(n.values())} postings ({', '.join(f'{lang} {n[lang]}' for lang in langs)})")
    print(f"{'field':<22}{'all':>6}" + "".join(f"{lang:>6}" for lang in langs))
    for f in FIELDS:
        print(f"{f:<22}{acc[f]:>6.2f}" + "".join(f"{lang_acc[lang][f]:>6.2f}" for lang in langs))
    print(f"median read_fields time: {ms:.2f} ms")
    if "-v" in sys.argv:
        for m in misses:
            print("miss", *m)


if __name__ == "__main__":
    main()
