"""A run's documents end to end with real Chromium and python-docx: "Fit to N pages" saves a new
version that names what it removed (and never writes over a version saved meanwhile), the ATS
check is kept with the version it checked, and the letter prints with its head."""

from __future__ import annotations

import asyncio
import io
import json

import pytest
from docx import Document
from pypdf import PdfReader

from pipeline.cv.ats_check import check_run_cv, stored_check
from pipeline.cv.fitting import fit_cv
from pipeline.documents.layout import Layout
from pipeline.render.pdf import shutdown_renderer
from pipeline.runs.documents import current_cv, current_letter, cv_docx, letter_docx, letter_pdf
from pipeline.store import cv as cv_store
from pipeline.store.db import session_scope
from pipeline.store.models import Artifact, Job, Profile, Run, utcnow

MASTER = "# Jane Doe\n\nLondon · jane@example.com · +44 20 7946 0000\n\n## Summary\n\nData engineer.\n\n## Experience\n\n"
ROLE = "### {title} — {company}\n\n{years}\n\n" + "".join(f"- Built {{topic}} pipeline number {i} with careful testing and reviews.\n" for i in range(8)) + "\n"
POSTING = "Platform engineer.\n\nRequirements:\n- Kafka and Python\n- Terraform is a plus\n"


def long_cv() -> str:
    roles = [ROLE.format(title=f"Engineer {n}", company=f"Firm {n}", years=f"{2024 - 2 * n} – {2026 - 2 * n}", topic=t)
             for n, t in enumerate(["Kafka", "Python", "Excel", "Access", "Lotus", "COBOL", "Fortran", "Pascal", "BASIC"])]  # fmt: skip
    return MASTER + "".join(roles) + "## Education\n\nBSc Computer Science, 2010\n"


@pytest.fixture
def run_id(default_store, tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    files = {
        "CV.md": long_cv(), "cover_letter.md": "Dear Acme hiring team,\n\nI build data platforms.\n\nKind regards,\nJane Doe\n",
        "outreach.json": json.dumps({"linkedin_note": "Hi", "email_subject": "Hello", "email_body": "Body"}),
    }  # fmt: skip
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    with session_scope() as s:
        s.add(Profile(name="Jane", markdown=MASTER + "- Built things.\n", confirmed_at=utcnow()))
        job = Job(source="demo", external_id="p1", title="Platform Engineer", company="Acme", location="London", description=POSTING)
        s.add(job)
        s.flush()
        run = Run(job_id=job.id, status="succeeded", out_dir=str(folder), finished_at=utcnow())
        s.add(run)
        s.flush()
        s.add_all([Artifact(run_id=run.id, name=n, path=str(folder / n), size=1) for n in files])
        rid = run.id
    yield rid
    asyncio.run(shutdown_renderer())


def _newest(run_id: int):
    with session_scope() as s:
        return current_cv(session=s, run_id=run_id, owner="local")


def test_fit_saves_a_shorter_version_that_names_what_it_removed(run_id):
    start = _newest(run_id)
    result = asyncio.run(fit_cv(run_id=run_id, owner="local", base=start.version, layout=Layout(cv_pages=1)))
    assert result is not None and result.outcome.pages_before > 1
    if result.outcome.fits:
        assert result.saved is not None and result.saved.ok and result.saved.version == start.version + 1
        newest = _newest(run_id)
        assert "Kafka pipeline number 0" in newest.markdown, "the most recent role stays"
        assert all(line.strip() not in newest.markdown for line in result.outcome.removed)
        with session_scope() as s:
            note = cv_store.latest(session=s, subject=f"run:{run_id}").note
        assert note.startswith("fitted to 1 page: removed") and "pipeline number" in note
    else:
        assert result.saved is None and result.outcome.would_remove and "Cannot" in result.outcome.message


def test_a_version_saved_while_fitting_wins_and_nothing_is_lost(run_id):
    start = _newest(run_id)
    with session_scope() as s:
        cv_store.save_markdown_version(session=s, subject=f"run:{run_id}", markdown=start.markdown + "\nA late edit.\n", base_version=start.version, owner="local")
    result = asyncio.run(fit_cv(run_id=run_id, owner="local", base=start.version, layout=Layout(cv_pages=2)))
    assert result is not None and result.saved is not None and result.saved.conflict
    assert "A late edit." in _newest(run_id).markdown and _newest(run_id).version == start.version + 1


def test_the_ats_check_is_kept_with_the_version_and_layout_it_checked(run_id):
    layout = Layout(template="classic", cv_pages=2)
    result = asyncio.run(check_run_cv(run_id=run_id, owner="local", layout=layout))
    assert result is not None and result["version"] == _newest(run_id).version
    assert {"pdf", "docx", "master", "compare"} <= set(result)
    assert "Kafka" in result["pdf"]["found"] and result["pdf"]["contact"]["email"]
    assert stored_check(run_id=run_id, owner="local", layout=layout)["pdf"] == result["pdf"]
    assert stored_check(run_id=run_id, owner="local", layout=Layout(template="compact")) is None, "another layout needs its own check"
    assert stored_check(run_id=run_id, owner="intruder", layout=layout) is None
    assert asyncio.run(check_run_cv(run_id=run_id, owner="intruder", layout=layout)) is None


def test_the_letter_prints_and_saves_as_word_with_its_head(run_id):
    with session_scope() as s:
        letter = current_letter(session=s, run_id=run_id, owner="local")
        cv = current_cv(session=s, run_id=run_id, owner="local")
    _, pdf = asyncio.run(letter_pdf(letter))
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert pdf.pages == 1
    assert text.index("Jane Doe") < text.index("Application for Platform Engineer") < text.index("Dear Acme")
    doc = Document(io.BytesIO(letter_docx(letter)))
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    assert texts[0] == "Jane Doe" and "Application for Platform Engineer" in texts and "I build data platforms." in " ".join(texts)
    cv_doc = Document(io.BytesIO(cv_docx(cv, template="modern", page_size="Letter")))
    assert cv_doc.paragraphs[0].style.name == "Title" and round(cv_doc.sections[0].page_width.inches, 1) == 8.5
