"""Word export read back with python-docx: styles, properties, page setup, links, scripts, letter head.

No LibreOffice here (tests/integration/test_docx_libreoffice.py converts the files to PDF)."""

from __future__ import annotations

import argparse
import io
import statistics
import time
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Inches, Mm

from pipeline.documents.docx import html_to_docx, markdown_to_docx
from pipeline.documents.docx_cli import docx_main, first_heading
from pipeline.documents.letter import LetterHead
from pipeline.render.templates import PAGE_SIZES, TEMPLATES, margins_mm

ROOT = Path(__file__).resolve().parents[2]
MASTER_CV = ROOT / "pipeline" / "sources" / "demo_data" / "master_cv.md"

CV_MD = """# Jane Doe

London · jane@example.com · [linkedin.com/in/jane](https://linkedin.com/in/jane)

## Experience

### Staff Engineer — Acme

*Berlin · 2020 – now*

- Built **the pipeline** with *care* and no shortcuts
  - Nested detail
- Second item

1. First step
2. Second step

#### Tools

Line one\\
Line two
"""


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def styles_and_text(doc) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in doc.paragraphs]


def rpr(run_el, tag: str):
    props = run_el.find(qn("w:rPr"))
    return None if props is None else props.find(qn(tag))


# --- structure ---------------------------------------------------------------------


def test_paragraph_styles_follow_the_html_in_order():
    doc = read(markdown_to_docx(CV_MD))
    assert styles_and_text(doc) == [
        ("Title", "Jane Doe"),
        ("Normal", "London · jane@example.com · linkedin.com/in/jane"),
        ("Heading 1", "Experience"),
        ("Heading 2", "Staff Engineer — Acme"),
        ("Normal", "Berlin · 2020 – now"),
        ("List Bullet", "Built the pipeline with care and no shortcuts"),
        ("List Bullet 2", "Nested detail"),
        ("List Bullet", "Second item"),
        ("List Number", "First step"),
        ("List Number", "Second step"),
        ("Heading 3", "Tools"),
        ("Normal", "Line one\nLine two"),
    ]


def test_inline_formatting_is_run_formatting_and_br_a_line_break_in_the_same_paragraph():
    doc = read(html_to_docx("<p>plain <strong>bold</strong> <em>italic</em> <u>under</u> <b><i>both</i></b><br>next line</p>"))
    (para,) = doc.paragraphs
    runs = {r.text: r for r in para.runs if r.text.strip()}
    assert runs["bold"].bold and not runs["bold"].italic
    assert runs["italic"].italic and not runs["italic"].bold
    assert runs["under"].underline
    assert runs["both"].bold and runs["both"].italic
    assert not runs["plain "].bold
    assert len(para._p.findall(".//" + qn("w:br"))) == 1
    assert para.text == "plain bold italic under both\nnext line"


def test_headings_h4_to_h6_are_heading_3_and_unknown_tags_keep_their_text():
    html = "<h4>Four</h4><h5>Five</h5><h6>Six</h6><p>a <foo>custom <b>bold</b></foo> tag</p><section>boxed</section><script>x()</script>"
    assert styles_and_text(read(html_to_docx(html))) == [
        ("Heading 3", "Four"), ("Heading 3", "Five"), ("Heading 3", "Six"), ("Normal", "a custom bold tag"), ("Normal", "boxed"),
    ]


def test_nested_lists_and_loose_list_items():
    html = (
        "<ul><li><p>Loose item</p><p>second paragraph</p></li>"
        "<li>Outer<ul><li>Inner<ol><li>Deep</li></ol></li></ul></li></ul>"
        "<ol start=\"4\"><li>four</li></ol><ol><li>one again</li></ol>"
    )
    doc = read(html_to_docx(html))
    assert styles_and_text(doc) == [
        ("List Bullet", "Loose item"), ("List Continue", "second paragraph"), ("List Bullet", "Outer"),
        ("List Bullet 2", "Inner"), ("List Number 3", "Deep"), ("List Number", "four"), ("List Number", "one again"),
    ]
    # Each <ol> counts on its own: separate numbering instances, the first starting at 4.
    four, again = doc.paragraphs[5], doc.paragraphs[6]
    num_four = four._p.pPr.numPr.numId.val
    num_again = again._p.pPr.numPr.numId.val
    assert num_four != num_again
    numbering = doc.part.numbering_part.element
    start = numbering.num_having_numId(num_four).find(qn("w:lvlOverride")).find(qn("w:startOverride"))
    assert start.get(qn("w:val")) == "4"


def test_tables_are_flattened_into_paragraphs():
    html = (
        "<table><thead><tr><th>Skill</th><th>Level</th></tr></thead>"
        "<tbody><tr><td>Python</td><td>expert</td></tr><tr><td> Go </td><td></td><td>2 years</td></tr></tbody></table>"
    )
    doc = read(html_to_docx(html))
    assert doc.tables == []
    assert doc.element.body.find(".//" + qn("w:tbl")) is None
    assert styles_and_text(doc) == [("Normal", "Skill | Level"), ("Normal", "Python | expert"), ("Normal", "Go | | 2 years")]
    assert all(r.bold for r in doc.paragraphs[0].runs if r.text.strip(" |"))


def test_markdown_tables_are_flattened_too():
    doc = read(markdown_to_docx("| Year | Role |\n|---|---|\n| 2024 | Lead |\n"))
    assert [p.text for p in doc.paragraphs] == ["Year | Role", "2024 | Lead"]


def test_preformatted_text_keeps_its_spaces_and_lines():
    doc = read(markdown_to_docx("```\nfor x in y:\n    go(x)\n```\n"))
    assert [p.text for p in doc.paragraphs] == ["for x in y:\n    go(x)"]
    assert doc.paragraphs[0].runs[0].style.name == "HTML Code"


def test_contact_details_stay_in_the_body():
    data = markdown_to_docx(CV_MD)
    doc = read(data)
    assert "jane@example.com" in doc.paragraphs[1].text
    section = doc.sections[0]
    assert section.header.is_linked_to_previous and section.footer.is_linked_to_previous  # no header/footer parts
    body = doc.element.body
    assert body.find(".//" + qn("w:txbxContent")) is None and body.find(".//" + qn("w:tbl")) is None
    assert not [rel for rel in doc.part.rels.values() if rel.reltype in (RT.HEADER, RT.FOOTER)]


# --- properties, page, fonts ---------------------------------------------------------------


def test_core_properties():
    doc = read(markdown_to_docx(CV_MD, title="Jane Doe — CV", author="Jane Doe", lang="de-DE"))
    props = doc.core_properties
    assert (props.title, props.author, props.language) == ("Jane Doe — CV", "Jane Doe", "de-DE")
    assert props.last_modified_by == "Jane Doe"
    assert props.keywords == "" and props.comments == ""


def _close(length, expected, tol_mm: float = 0.05) -> bool:
    return abs(length - expected) <= Mm(tol_mm)


LAYOUTS = [("cv", t) for t in TEMPLATES] + [("letter", "letter")]


@pytest.mark.parametrize("page_size", PAGE_SIZES)
@pytest.mark.parametrize(("kind", "layout"), LAYOUTS)
def test_page_size_and_margins_match_the_pdf_template(kind: str, layout: str, page_size: str):
    template = layout if kind == "cv" else "classic"
    section = read(markdown_to_docx(CV_MD, kind=kind, template=template, page_size=page_size)).sections[0]
    width, height = (Mm(210), Mm(297)) if page_size == "A4" else (Inches(8.5), Inches(11))
    assert _close(section.page_width, width) and _close(section.page_height, height)
    top, right, bottom, left = margins_mm(layout, page_size)
    assert _close(section.top_margin, Mm(top))
    assert _close(section.right_margin, Mm(right))
    assert _close(section.bottom_margin, Mm(bottom))
    assert _close(section.left_margin, Mm(left))


def test_letter_margins_differ_from_the_cv_margins():
    cv = read(markdown_to_docx(CV_MD)).sections[0]
    letter = read(markdown_to_docx(CV_MD, kind="letter")).sections[0]
    assert cv.left_margin != letter.left_margin


@pytest.mark.parametrize(("template", "body", "heading", "size"), [("classic", "Georgia", "Arial", 10.5), ("compact", "Calibri", "Calibri", 9.5)])
def test_fonts_are_set_on_the_styles_not_on_the_runs(template: str, body: str, heading: str, size: float):
    doc = read(markdown_to_docx(CV_MD, template=template))
    styles = doc.styles
    assert styles["Normal"].font.name == body
    assert styles["Normal"].font.size.pt == size
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        assert styles[name].font.name == heading
        rfonts = styles[name].element.rPr.rFonts
        assert rfonts.get(qn("w:asciiTheme")) is None  # a theme font would override the name
    assert styles["Title"].font.size.pt > styles["Heading 1"].font.size.pt >= styles["Normal"].font.size.pt
    for para in doc.paragraphs:
        for run in para.runs:
            assert run.font.name is None and run.font.size is None


def test_letter_uses_the_letter_look_whatever_the_cv_template():
    doc = read(markdown_to_docx("Dear team,\n\nHello.", kind="letter", template="compact"))
    assert doc.styles["Normal"].font.name == "Georgia"
    assert doc.styles["Normal"].font.size.pt == 11


def test_bad_options_are_refused_in_words():
    with pytest.raises(ValueError, match="template"):
        html_to_docx("<p>x</p>", template="fancy")
    with pytest.raises(ValueError, match="page size"):
        html_to_docx("<p>x</p>", page_size="A5")
    with pytest.raises(ValueError, match="kind"):
        html_to_docx("<p>x</p>", kind="memo")  # type: ignore[arg-type]


# --- links ---------------------------------------------------------------------------


def test_links_are_real_hyperlinks_with_the_hyperlink_style():
    html = (
        '<p>Mail <a href="mailto:jane@example.com">jane@example.com</a>, '
        '<a href="https://example.com/a?x=1&amp;y=2" rel="noopener">site</a>, '
        '<a href="javascript:alert(1)">not a link</a>, <a href="/relative">nor this</a></p>'
    )
    doc = read(html_to_docx(html))
    (para,) = doc.paragraphs
    links = para._p.findall(qn("w:hyperlink"))
    targets = [doc.part.rels[link.get(qn("r:id"))] for link in links]
    assert [(t.target_ref, t.is_external, t.reltype) for t in targets] == [
        ("mailto:jane@example.com", True, RT.HYPERLINK), ("https://example.com/a?x=1&y=2", True, RT.HYPERLINK),
    ]
    for link in links:
        for run in link.findall(qn("w:r")):
            assert rpr(run, "w:rStyle").get(qn("w:val")) == "Hyperlink"
    style = doc.styles["Hyperlink"]
    assert style.font.underline and str(style.font.color.rgb) == "0563C1"
    assert para.text == "Mail jane@example.com, site, not a link, nor this"
    assert [h.url for h in para.hyperlinks] == ["mailto:jane@example.com", "https://example.com/a?x=1&y=2"]


# --- scripts -------------------------------------------------------------------------


def test_cjk_runs_get_an_east_asian_font_and_language():
    doc = read(html_to_docx("<h1>李雷 Li Lei</h1><p>软件工程师，北京</p><p>東京のエンジニア</p><p>서울 개발자</p>", lang="zh-CN"))
    found = {}
    for para in doc.paragraphs:
        for run in para.runs:
            fonts, lang = rpr(run._r, "w:rFonts"), rpr(run._r, "w:lang")
            if fonts is not None and fonts.get(qn("w:eastAsia")):
                found[run.text] = (fonts.get(qn("w:eastAsia")), lang.get(qn("w:eastAsia")))
    assert found == {
        "李雷": ("Noto Sans CJK SC", "zh-CN"),  # a heading: sans
        "软件工程师，北京": ("Noto Serif CJK SC", "zh-CN"),  # classic body text: serif
        "東京のエンジニア": ("Noto Serif CJK JP", "ja-JP"),  # kana: Japanese
        "서울 개발자": ("Noto Serif CJK KR", "ko-KR"),
    }
    latin = next(r for r in doc.paragraphs[0].runs if "Li Lei" in r.text)
    assert rpr(latin._r, "w:rFonts") is None


def test_mainly_arabic_paragraphs_are_right_to_left():
    doc = read(html_to_docx("<p>مهندس برمجيات ذو خبرة في Python</p><p>An English line with one name: سارة</p><p>עברית כאן</p>"))
    arabic, english, hebrew = doc.paragraphs
    assert arabic._p.pPr.find(qn("w:bidi")) is not None
    assert english._p.pPr is None or english._p.pPr.find(qn("w:bidi")) is None
    assert hebrew._p.pPr.find(qn("w:bidi")) is not None
    ar_run = arabic.runs[0]
    assert ar_run.text == "مهندس برمجيات ذو خبرة في"
    assert rpr(ar_run._r, "w:rtl") is not None
    assert rpr(ar_run._r, "w:rFonts").get(qn("w:cs"))
    assert rpr(ar_run._r, "w:lang").get(qn("w:bidi")) == "ar-SA"
    assert rpr(hebrew.runs[0]._r, "w:lang").get(qn("w:bidi")) == "he-IL"
    latin = next(r for r in arabic.runs if "Python" in r.text)
    assert rpr(latin._r, "w:rtl") is None
    name = next(r for r in english.runs if "سارة" in r.text)
    assert rpr(name._r, "w:rtl") is not None  # an Arabic name in an English line still shapes right to left


def test_direction_is_decided_by_words_not_letters():
    # Three Arabic words and two longer tool names: an Arabic sentence.
    (para,) = read(html_to_docx("<p>خبرة في Python و SQL</p>")).paragraphs
    assert para._p.pPr.find(qn("w:bidi")) is not None


def test_bold_arabic_is_bold_for_complex_script_too():
    (para,) = read(html_to_docx("<p><strong>خبرة</strong></p>")).paragraphs
    assert rpr(para.runs[0]._r, "w:bCs") is not None


# --- letter --------------------------------------------------------------------------


HEAD = LetterHead(
    sender_name="Jane Doe",
    sender_lines=("1 High Street, London", "jane@example.com"),
    date="4 December 2026",
    recipient_lines=("Acme Ltd", "Hiring team"),
    subject="Application for Staff Engineer",
)


def test_letter_head_comes_first_in_letter_order():
    doc = read(markdown_to_docx("Dear hiring team,\n\nI would like to apply.\n\nKind regards,  \nJane Doe", kind="letter", head=HEAD))
    assert [p.text for p in doc.paragraphs] == [
        "Jane Doe", "1 High Street, London · jane@example.com", "", "4 December 2026", "Acme Ltd", "Hiring team",
        "Application for Staff Engineer", "Dear hiring team,", "I would like to apply.", "Kind regards,\nJane Doe",
    ]  # the contact details on one line, as letter.pdf prints them
    assert all(p.style.name == "Normal" for p in doc.paragraphs)
    assert doc.paragraphs[0].runs[0].bold and doc.paragraphs[6].runs[0].bold
    assert not doc.paragraphs[1].runs[0].bold


def test_letter_without_head_is_just_the_body():
    doc = read(markdown_to_docx("Dear team,\n\nHello.", kind="letter"))
    assert [p.text for p in doc.paragraphs] == ["Dear team,", "Hello."]


def test_letter_head_skips_empty_parts():
    head = LetterHead(sender_name="", sender_lines=(), date="1 May 2026", recipient_lines=("", "Acme"), subject="")
    doc = read(markdown_to_docx("Hello.", kind="letter", head=head))
    assert [p.text for p in doc.paragraphs] == ["1 May 2026", "Acme", "Hello."]


def test_a_head_is_ignored_for_a_cv():
    doc = read(markdown_to_docx("# Jane", head=HEAD))
    assert [p.text for p in doc.paragraphs] == ["Jane"]


# --- bad and big input -------------------------------------------------------------------


@pytest.mark.parametrize("html", ["", "   \n\t", "<p> </p>", "<hr><ul><li></li></ul>"])
def test_empty_html_is_refused_in_plain_words(html: str):
    with pytest.raises(ValueError, match="is empty"):
        html_to_docx(html)


@pytest.mark.parametrize("md", ["", "   \n\n  "])
def test_empty_markdown_is_refused_in_plain_words(md: str):
    with pytest.raises(ValueError, match="CV is empty"):
        markdown_to_docx(md)
    with pytest.raises(ValueError, match="cover letter is empty"):
        markdown_to_docx(md, kind="letter")


def test_control_characters_do_not_break_the_file():
    doc = read(html_to_docx("<p>bell\x07 and null\x00 here</p>"))
    assert doc.paragraphs[0].text == "bell and null here"


def test_unbalanced_html_still_exports():
    doc = read(html_to_docx("<p>open <b>bold<li>item</ul></ol></p></p><h2>after"))
    assert [p.text for p in doc.paragraphs] == ["open bold", "item", "after"]


def test_500_bullets_export_quickly():
    md = "# Many\n\n" + "".join(f"- Achievement number {i} with **bold** detail\n" for i in range(500))
    start = time.perf_counter()
    doc = read(markdown_to_docx(md))
    elapsed = time.perf_counter() - start
    bullets = [p for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) == 500
    assert bullets[-1].text == "Achievement number 499 with bold detail"
    assert elapsed < 3.0  # about 0.15 s on a laptop; generous for a loaded CI machine


def test_demo_cv_exports_fast():
    md = MASTER_CV.read_text(encoding="utf-8")
    markdown_to_docx(md)  # warm-up: imports and the template's first read
    times = []
    for _ in range(7):
        start = time.perf_counter()
        markdown_to_docx(md)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.5  # about 25 ms unloaded; the bound only catches a pathological slowdown


def test_demo_cv_structure():
    doc = read(markdown_to_docx(MASTER_CV.read_text(encoding="utf-8")))
    names = [p.style.name for p in doc.paragraphs]
    assert names[0] == "Title" and doc.paragraphs[0].text == "Jane Doe"
    assert names.count("Heading 1") == 6 and names.count("Heading 2") == 4
    assert set(names) <= {"Title", "Heading 1", "Heading 2", "Normal", "List Bullet"}


# --- the command (in-process; the subprocess run is in tests/integration) ------------------------


def _args(inp: Path, out: Path, **kw) -> argparse.Namespace:
    return argparse.Namespace(input=inp, output=out, kind=kw.get("kind", "cv"), template=kw.get("template", "classic"),
                              page_size=kw.get("page_size", "A4"))


def test_command_writes_a_docx_titled_by_the_first_h1(tmp_path: Path, capsys):
    out = tmp_path / "sub" / "cv.docx"
    assert docx_main(_args(MASTER_CV, out, template="compact", page_size="Letter")) == 0
    doc = read(out.read_bytes())
    assert doc.core_properties.title == "Jane Doe" and doc.core_properties.author == "Jane Doe"
    assert "paragraphs" in capsys.readouterr().out


def test_command_html_input_is_sanitized_and_titled_by_the_stem(tmp_path: Path):
    src = tmp_path / "letter.html"
    src.write_text('<p onclick="x()">Dear team,<script>alert(1)</script></p><img src="x.png">', encoding="utf-8")
    out = tmp_path / "letter.docx"
    assert docx_main(_args(src, out, kind="letter")) == 0
    doc = read(out.read_bytes())
    assert [p.text for p in doc.paragraphs] == ["Dear team,"]
    assert doc.core_properties.title == "letter"


@pytest.mark.parametrize(("name", "content", "out_name"), [
    ("missing.md", None, "o.docx"), ("cv.txt", "# Jane", "o.docx"), ("cv.md", "# Jane", "o.pdf"), ("empty.md", "  \n", "o.docx"),
])
def test_command_refuses_bad_input_with_exit_2(tmp_path: Path, capsys, name: str, content: str | None, out_name: str):
    src = tmp_path / name
    if content is not None:
        src.write_text(content, encoding="utf-8")
    assert docx_main(_args(src, tmp_path / out_name)) == 2
    assert capsys.readouterr().err.startswith("error:")
    assert not (tmp_path / out_name).exists()


def test_first_heading():
    assert first_heading("<p>x</p><h1 id=a>Jane <em>M.</em> Doe &amp; Co</h1><h1>Other</h1>") == "Jane M. Doe & Co"
    assert first_heading("<h2>No</h2>") == ""


def test_no_template_statistics_claim_facts_about_the_document():
    import zipfile

    app = zipfile.ZipFile(io.BytesIO(markdown_to_docx("# Jane Doe\n\n- One line.\n"))).read("docProps/app.xml").decode()
    assert "<Application>jobapp</Application>" in app and "<Pages>" not in app and "Macintosh" not in app
