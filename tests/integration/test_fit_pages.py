"""Fit to N pages through the CLI with real Chromium: `python -m pipeline pdf CV.md OUT.pdf --fit-pages N --jd POSTING`.

Slow (each fitting prints the CV several times), so one test fits a long CV and one
proves a CV that cannot fit writes nothing; the refusals that need no browser are cheap."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.documents.fit import rank_cuts
from pipeline.render.browser import find_chromium
from pipeline.settings import PROJECT_ROOT
from pipeline.text.cv import parse_cv, strip_md
from pipeline.text.posting import analyse

DEMO = PROJECT_ROOT / "pipeline" / "sources" / "demo_data"
MASTER_CV = (DEMO / "master_cv.md").read_text(encoding="utf-8")
needs_chromium = pytest.mark.skipif(find_chromium() is None, reason="Chromium is not installed (make setup)")

FILLER = (  # nothing a backend posting asks for
    "Organised the {c} office summer party and the quarterly team lunches for forty colleagues across two floors.",
    "Represented the {c} engineering group at the annual charity football tournament and the regional careers fair.",
    "Kept the {c} holiday rota spreadsheet current every month and wrote the wiki page about the coffee machine.",
)
RELEVANT = (  # Python, FastAPI, Kafka, PostgreSQL, Terraform, AWS: the posting's must-haves
    "Built Python services with FastAPI that published order events to Kafka for the {c} warehouse systems.",
    "Tuned PostgreSQL queries and indexes for the {c} reporting database, cutting the nightly report to nine minutes.",
    "Moved the {c} build servers to Terraform-managed AWS infrastructure with reviewed changes.",
)
COMPANIES = ("Northwind Logistics", "Orbital Retail", "Quarry Bank", "Tidewater Media", "Umber Health")


def long_cv() -> str:
    """The demo CV (two pages) with five more, older roles: about four pages on classic A4."""
    roles = []
    for i, company in enumerate(COMPANIES):
        bullets = [t.format(c=company) for pair in zip(FILLER, RELEVANT, strict=True) for t in pair]
        roles.append(
            f"### Software Engineer — {company}\n\n*Leeds · Jan {2015 - i} – Dec {2016 - i}*\n\n" + "".join(f"- {b}\n" for b in bullets)
        )
    head, tail = MASTER_CV.split("## Education", 1)
    return head + "\n".join(roles) + "\n## Education" + tail


def posting_text() -> str:
    job = json.loads((DEMO / "jobs.json").read_text(encoding="utf-8"))[0]  # Senior Backend Engineer (Python)
    return f"# {job['title']}\n\n{job['description']}"


def cli(*args: object, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DB_URL", "MONGODB_URI", "REDIS_URL")}
    env["DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


def flat(text: str) -> str:
    """PDF text and markdown compared as words: line wraps, case (uppercase headings) and hyphen breaks ignored."""
    return re.sub(r"\s+", " ", text.replace("-\n", "-")).strip().lower()


def pdf_text(path: Path) -> str:
    return flat("\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(path.read_bytes())).pages))


@needs_chromium
def test_a_four_page_cv_is_fitted_to_two_pages_keeping_what_the_posting_needs(tmp_path: Path) -> None:
    cv_md = long_cv()
    (tmp_path / "long.md").write_text(cv_md, encoding="utf-8")
    (tmp_path / "posting.md").write_text(posting_text(), encoding="utf-8")
    out = tmp_path / "out.pdf"

    run = cli("pdf", tmp_path / "long.md", out, "--kind", "cv", "--fit-pages", 2, "--jd", tmp_path / "posting.md", data_dir=tmp_path)

    assert run.returncode == 0, run.stderr
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) <= 2
    summary = re.search(r"Fitted to 2 pages by removing (\d+) bullets? \(it printed on (\d+); (\d+) trial prints?\)\.", run.stdout)
    assert summary, run.stdout
    removed_count, before, renders = map(int, summary.groups())
    assert before >= 3  # four pages with the bundled fonts; the fit is the point, not the exact count
    assert renders <= 9
    removed = [ln.removeprefix("removed: ") for ln in run.stdout.splitlines() if ln.startswith("removed: ")]
    assert len(removed) == removed_count > 0

    text = pdf_text(out)
    cv = parse_cv(cv_md)
    for bullet in cv.roles[0].bullets:  # the most recent role keeps every bullet
        assert flat(bullet) in text
    for section in cv.sections:  # every heading stays
        assert flat(strip_md(section.heading)) in text
    for role in cv.roles:
        assert flat(role.company) in text

    # Least relevant first: the removed lines are exactly the head of the ranking, and
    # every filler bullet went before any bullet naming the posting's must-haves.
    ranked = [c.line for c in rank_cuts(cv_md, analyse("", "", "", posting_text()))]
    assert removed == ranked[: len(removed)]
    fillers = {f"- {t.format(c=c)}" for c in COMPANIES for t in FILLER}
    relevant = {f"- {t.format(c=c)}" for c in COMPANIES for t in RELEVANT}
    assert fillers <= set(removed)
    assert not any(flat(f[2:]) in text for f in fillers)
    assert any(flat(r[2:]) in text for r in relevant), "no bullet with the posting's skills survived"
    assert not relevant <= set(removed)


@needs_chromium
def test_a_cv_that_cannot_fit_one_page_exits_3_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "cv.md").write_text(MASTER_CV, encoding="utf-8")  # the newest role alone fills most of a page
    (tmp_path / "posting.md").write_text(posting_text(), encoding="utf-8")
    out = tmp_path / "out.pdf"

    run = cli("pdf", tmp_path / "cv.md", out, "--fit-pages", 1, "--jd", tmp_path / "posting.md", data_dir=tmp_path)

    assert run.returncode == 3, run.stdout + run.stderr
    assert not out.exists()
    assert re.search(
        r"Cannot fit 1 page even without the \d+ removable bullets: shorten the summary or the most recent role by hand\.", run.stderr
    )
    would = [ln for ln in run.stderr.splitlines() if ln.startswith("would remove: ")]
    assert len(would) == len(rank_cuts(MASTER_CV, None)) > 0
    assert run.stdout == ""


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (("--kind", "dossier", "--fit-pages", "1"), "shortens a CV written in markdown"),
        (("--jd", "POSTING"), "add --fit-pages 1 or 2"),
        (("--fit-pages", "2", "--jd", "posting.pdf"), "is not a posting in markdown (.md) or plain text (.txt)"),
        (("--fit-pages", "3"), "invalid choice: 3"),
    ],
)
def test_fit_options_refuse_what_they_cannot_do_before_printing(tmp_path: Path, extra: tuple[str, ...], says: str) -> None:
    (tmp_path / "cv.md").write_text(MASTER_CV, encoding="utf-8")
    (tmp_path / "posting.md").write_text(posting_text(), encoding="utf-8")
    args = [str(tmp_path / "posting.md") if a == "POSTING" else a for a in extra]
    run = cli("pdf", tmp_path / "cv.md", tmp_path / "out.pdf", *args, data_dir=tmp_path)
    assert run.returncode == 2
    assert says in run.stderr
    assert not (tmp_path / "out.pdf").exists()
