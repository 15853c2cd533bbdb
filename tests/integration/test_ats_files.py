"""The ATS check on PDFs printed by the project's Chromium renderer, and the `ats` command.

Two documents are printed once for the module (one browser): the demo CV and a page that
is only a picture. The CLI runs in a subprocess as scripts use it.
"""

from __future__ import annotations

import asyncio
import base64
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from pipeline.documents.ats import check, posting_from_text, read_pdf
from pipeline.render.browser import find_chromium
from pipeline.render.markdown import render_markdown
from pipeline.render.pdf import PdfRenderer
from pipeline.render.templates import cv_document
from pipeline.settings import PROJECT_ROOT

pytestmark = pytest.mark.skipif(find_chromium() is None, reason="Chromium is not installed (make setup)")

MASTER_CV = PROJECT_ROOT / "pipeline" / "sources" / "demo_data" / "master_cv.md"
POSTING = """# Senior Data Engineer

## Requirements
- Python and SQL
- Kafka or Pulsar
- Airflow
- Rust

## Nice to have
- Terraform
- Scala
"""


def png(width: int, height: int) -> bytes:
    """A plain red PNG, written by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xc8\x1e\x1e" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def printed() -> dict[str, bytes]:
    """The demo CV and an image-only page, printed by one Chromium."""
    image = base64.b64encode(png(120, 60)).decode()
    docs = {
        "cv": cv_document(render_markdown(MASTER_CV.read_text(encoding="utf-8"))),
        "image": cv_document(f'<p><img src="data:image/png;base64,{image}" alt="" style="width:400px"></p>'),
    }

    async def go() -> dict[str, bytes]:
        renderer = PdfRenderer(max_concurrent=1)
        try:
            return {name: (await renderer.render(html)).data for name, html in docs.items()}
        finally:
            await renderer.close()

    return asyncio.run(go())


def test_the_demo_cv_reads_back_in_section_order_with_contact_and_embedded_fonts(printed):
    back = read_pdf(printed["cv"])
    assert back.pages and back.image_only_pages == []  # the page count is the templates' business; the budget follows it
    assert back.fonts and all(f.embedded for f in back.fonts)
    md = MASTER_CV.read_text(encoding="utf-8")
    r = check(back, source_markdown=md, posting=posting_from_text(POSTING), budget=back.pages)
    assert [s.heading for s in r.sections] == ["Summary", "Experience", "Education", "Skills", "Languages", "Certifications"]
    assert all(s.found and s.recognised for s in r.sections) and r.order_ok
    assert r.contact == {"name": True, "email": True, "phone": True}
    assert r.fonts_embedded is True and not r.over_budget
    assert r.missing_must == ["Rust"] and r.missing == ["Rust", "Scala"]
    assert {"Python", "SQL", "Kafka or Pulsar", "Airflow", "Terraform"} <= set(r.found)
    assert not any("not near the top" in p or "heading" in p or "embedded" in p for p in r.problems)


def test_a_page_that_is_only_an_image_is_invisible_text(printed):
    back = read_pdf(printed["image"])
    assert back.lines == [] and back.image_only_pages == [1]
    r = check(back)
    assert "Page 1 has only an image: its text is invisible to an ATS" in r.problems
    assert r.problems[0].startswith("No text could be read from this file")


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "ats", *map(str, args)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_the_cli_prints_the_json_report(printed, tmp_path):
    pdf = tmp_path / "cv.pdf"
    pdf.write_bytes(printed["cv"])
    jd = tmp_path / "posting.md"
    jd.write_text(POSTING, encoding="utf-8")
    pages = read_pdf(printed["cv"]).pages or 0
    proc = run_cli(pdf, "--jd", jd, "--source", MASTER_CV, "--budget", str(max(1, pages - 1)), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert {"coverage", "found", "missing", "pages", "sections", "problems"} <= set(report)
    assert report["pages"] == pages and report["over_budget"] is (pages > 1)
    assert "Rust" in report["missing"] and "Python" in report["found"]
    assert ([f"{pages} pages: over your {pages - 1}-page budget"] if pages > 1 else []) == [p for p in report["problems"] if "budget" in p]
    assert [s["heading"] for s in report["sections"]][:2] == ["Summary", "Experience"]

    human = run_cli(pdf, "--jd", jd)
    assert human.returncode == 0, human.stderr
    assert human.stdout.startswith(f"cv.pdf: {pages} page") and "Posting coverage" in human.stdout


def test_the_cli_refuses_bad_input_with_exit_2(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer <<>>\n%%EOF")
    other = tmp_path / "cv.odt"
    other.write_bytes(b"PK\x03\x04")
    for args, words in (
        ((broken,), "This PDF could not be read"),
        ((tmp_path / "missing.pdf",), "does not exist"),
        ((other,), "cannot be checked"),
        ((broken, "--jd", tmp_path / "no-posting.md"), "does not exist"),
    ):
        proc = run_cli(*args)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert words in proc.stderr and "Traceback" not in proc.stderr
        assert proc.stdout == ""
