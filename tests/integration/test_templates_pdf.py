"""Print templates in real Chromium: every CV template prints the demo CV with all of its text
readable in source order, "modern" is no longer than "classic", and a typical cover letter
with its head fits one page and reads sender, date, recipient, subject, body.

All documents are printed once, by one browser, for the whole module."""

from __future__ import annotations

import asyncio
import html
import io
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.documents.letter import LetterHead
from pipeline.render.browser import find_chromium
from pipeline.render.markdown import render_markdown
from pipeline.render.pdf import PdfRenderer, PdfResult
from pipeline.render.templates import PAGE_SIZES, TEMPLATES, cv_document, letter_document

pytestmark = pytest.mark.skipif(find_chromium() is None, reason="Chromium is not installed (make setup)")

MASTER_CV = Path(__file__).resolve().parents[2] / "pipeline" / "sources" / "demo_data" / "master_cv.md"

LETTER_MD = """Dear Hiring Manager,

I am writing to apply for the Staff Engineer role on your Data Platform team. For nine years I have built Python \
services and data platforms on AWS, and the problems your posting describes (event-driven tracking, reliable \
nightly loads and a cloud bill that keeps growing) are the ones I have spent the last four years solving at \
Corvid Freight.

At Corvid I led the move of shipment tracking from nightly batch files to a Kafka event stream of about forty \
million events a day, bringing customer updates from six hours to under two minutes. I rebuilt the warehouse \
layer in dbt with tests on every model, which cut failed nightly loads from nine a month to one, and I reduced \
our AWS spend by 31% by right-sizing databases and moving cold data to cheaper storage tiers.

I also care about the people who run these systems. I ran the on-call rotation for eight engineers, wrote the \
runbooks and introduced blameless post-mortems, after which our mean time to recovery fell from 75 to 28 \
minutes. I have mentored six engineers, two of whom were promoted to senior within eighteen months.

Your plan to consolidate three regional platforms into one is exactly the kind of work I want to do next. I \
have done a similar migration before, moving thirty-five courier integrations onto one platform without \
downtime, and I know how much of that work is careful sequencing, clear communication with the teams who \
depend on the old systems, and patience with the long tail of edge cases. I would welcome the chance to \
discuss how my experience with Kafka, dbt and Terraform could help your team deliver it.

Thank you for your time and consideration.

Kind regards,\\
Jane Doe
"""

HEAD = LetterHead(
    sender_name="Jane Doe",
    sender_lines=("12 Example Road, London N1 7AA", "jane.doe@example.com", "+44 20 7946 0000", "linkedin.com/in/janedoe-example"),
    date="4 December 2026",
    recipient_lines=("Northwind Logistics", "Data Platform team", "Manchester, UK"),
    subject="Application for Staff Engineer",
)


def _squash(text: str) -> str:
    """Text without whitespace, ligatures split (NFKC), case folded (headings print in capitals):
    what source and PDF agree on however lines wrap."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def _html_text(body_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", body_html))


def _pdf_text(result: PdfResult) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(result.data)).pages)


@pytest.fixture(scope="module")
def printed() -> dict[str, PdfResult]:
    """Every CV template on A4, classic and modern on US Letter too, and the letter on both sizes."""
    body = render_markdown(MASTER_CV.read_text(encoding="utf-8"))
    docs = {f"{t}/A4": cv_document(body, template=t) for t in TEMPLATES}
    docs |= {f"{t}/Letter": cv_document(body, template=t, page_size="Letter") for t in ("classic", "modern")}
    docs |= {f"letter/{size}": letter_document(render_markdown(LETTER_MD), head=HEAD, page_size=size) for size in PAGE_SIZES}

    async def go() -> dict[str, PdfResult]:
        renderer = PdfRenderer()
        try:
            return {key: await renderer.render(doc) for key, doc in docs.items()}
        finally:
            await renderer.close()

    return asyncio.run(go())


@pytest.mark.parametrize("template", TEMPLATES)
def test_cv_template_prints_all_text_in_source_order(printed: dict[str, PdfResult], template: str):
    result = printed[f"{template}/A4"]
    assert abs(result.page_width_pt - 595) <= 2 and not result.spill
    source = _squash(_html_text(render_markdown(MASTER_CV.read_text(encoding="utf-8"))))
    text = _squash(_pdf_text(result))
    # Everything the CV says, in the order it says it: no text lost, added (markers are shapes) or reordered.
    assert text == source


@pytest.mark.parametrize("size", ["A4", "Letter"])
def test_modern_is_no_longer_than_classic(printed: dict[str, PdfResult], size: str):
    assert printed[f"modern/{size}"].pages <= printed[f"classic/{size}"].pages


def test_letter_fits_one_page_in_letter_order(printed: dict[str, PdfResult]):
    assert 290 <= len(LETTER_MD.split()) <= 320  # a typical letter, not a short one
    for size in PAGE_SIZES:
        result = printed[f"letter/{size}"]
        assert result.pages == 1, size
        text = _pdf_text(result)
        order = [
            "Jane Doe", "12 Example Road", "linkedin.com/in/janedoe-example", "4 December 2026",
            "Northwind Logistics", "Manchester, UK", "Application for Staff Engineer", "Dear Hiring Manager,",
            "I am writing to apply", "Thank you for your time", "Kind regards,",
        ]
        positions = [text.find(s) for s in order]
        assert -1 not in positions, [s for s, p in zip(order, positions, strict=True) if p < 0]
        assert positions == sorted(positions), text[:400]
        assert text.rstrip().endswith("Jane Doe")  # the signature closes the page
        assert "\ufb00" not in text and "\ufb01" not in text  # no ligature glyphs in the text layer
