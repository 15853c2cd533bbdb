"""Print templates as HTML/CSS: composition, shared rules stated once, the letter's head.

No browser here (tests/integration/test_templates_pdf.py prints them)."""

from __future__ import annotations

import re

import pytest

from pipeline.documents.letter import LetterHead
from pipeline.render.templates import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_TEMPLATE,
    PAGE_SIZES,
    PRINT_CSS_DIR,
    TEMPLATE_LABELS,
    TEMPLATES,
    cv_document,
    dossier_document,
    letter_document,
    page_rule,
)

CSS_FILES = [f"cv-{t}" for t in TEMPLATES] + ["letter", "dossier"]
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_BLOCK = re.compile(r"([^{}]+)\{([^{}]*)\}")


def css(name: str) -> str:
    return (PRINT_CSS_DIR / f"{name}.css").read_text(encoding="utf-8")


def blocks(text: str) -> list[tuple[str, frozenset[str]]]:
    """(selector list, declarations) per rule block, whitespace normalised."""
    out = []
    for sel, body in _BLOCK.findall(_COMMENT.sub("", text)):
        selector = ", ".join(" ".join(s.split()) for s in sel.split(","))
        decls = frozenset(" ".join(d.split()).replace(" :", ":").replace(": ", ":") for d in body.split(";") if d.strip())
        out.append((selector.strip(), decls))
    return out


def declarations(text: str) -> set[tuple[str, str]]:
    """(selector, property:value) pairs of a stylesheet."""
    return {(sel, d) for sel, decls in blocks(text) for d in decls}


def test_template_lists_agree():
    assert TEMPLATES[0] == DEFAULT_TEMPLATE == "classic" and DEFAULT_PAGE_SIZE == "A4"
    assert "modern" in TEMPLATES and list(TEMPLATE_LABELS) == list(TEMPLATES)
    for name in CSS_FILES:
        assert (PRINT_CSS_DIR / f"{name}.css").is_file()


@pytest.mark.parametrize("size", PAGE_SIZES)
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_cv_template_composes(template: str, size: str):
    doc = cv_document("<p>Body Qzx</p>", template=template, page_size=size, title="A <b> CV")
    style = doc.split("<style>\n", 1)[1].split("</style>", 1)[0]
    page, rest = style.split("\n", 1)
    assert page == page_rule(template, size) and ("size: A4" if size == "A4" else "size: letter") in page
    # @page, then the shared rules, then the template: later rules override earlier ones.
    assert rest.strip() == (css("base") + "\n" + css(f"cv-{template}")).strip()
    assert "<title>A &lt;b&gt; CV</title>" in doc and "<p>Body Qzx</p>" in doc
    assert "http:" not in doc and "https:" not in doc and "<link" not in doc and "url(" not in doc


@pytest.mark.parametrize("size", PAGE_SIZES)
def test_letter_and_dossier_compose(size: str):
    for doc, name in ((letter_document("<p>x</p>", page_size=size), "letter"), (dossier_document("<p>x</p>", page_size=size), "dossier")):
        assert doc.count(css("base").strip()) == 1 and doc.count(css(name).strip()) == 1
        assert page_rule(name, size) in doc


def test_base_rules_are_stated_once():
    base = blocks(css("base"))
    assert len(base) >= 10
    for sel, decls in base:
        assert decls, sel
    base_decls = declarations(css("base"))
    for name in CSS_FILES:
        text = css(name)
        assert "print-color-adjust" not in text and "overflow-wrap" not in text, name
        assert not set(blocks(text)) & set(base), f"{name}.css repeats a rule block of base.css"
        # A template overrides a shared rule or adds to it; it never restates one as it is.
        assert not declarations(text) & base_decls, f"{name}.css restates {sorted(declarations(text) & base_decls)}"
    doc = cv_document("<p>x</p>")
    assert doc.count("print-color-adjust: exact") == 2  # the -webkit- one and the standard one, once each


def test_cv_templates_stay_ats_safe():
    """Real text in source order: no generated text, columns, floats, positioning or grids."""
    for name in ["base"] + [f"cv-{t}" for t in TEMPLATES]:
        text = _COMMENT.sub("", css(name))
        for banned in ("::before", "::after", ":before", ":after", "content:", "column", "float:", "position:", "grid", "flex", "url("):
            assert banned not in text, (name, banned)


def test_ats_safe_marker_applies_to_every_template():
    for template in TEMPLATES:
        doc = cv_document("<ul><li>a \u2013 b</li></ul>", template=template, ats_safe=True)
        assert 'list-style-type: "-  "' in doc and "a - b" in doc


def test_page_rule_numbers_only_the_dossier():
    assert "counter(pages)" in page_rule("dossier", "A4")
    for layout in (*TEMPLATES, "letter"):
        for size in PAGE_SIZES:
            assert "@bottom" not in page_rule(layout, size) and "counter(" not in page_rule(layout, size)
    assert page_rule("letter", "Letter").startswith("@page { size: letter; margin: 1in")


EVIL = "<script>alert(1)</script>"


def test_letter_head_is_escaped():
    head = LetterHead(
        sender_name=f"Jane {EVIL}", sender_lines=('a "b" & <i>c</i>', EVIL), date=EVIL,
        recipient_lines=(f"Acme {EVIL}",), subject=f"Re: {EVIL}",
    )
    doc = letter_document("<p>Dear team,</p>", head=head, title=f"Letter {EVIL}")
    assert "<script" not in doc.lower() and "<i>" not in doc
    assert doc.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 6  # five head fields and the title
    assert "a &quot;b&quot; &amp; &lt;i&gt;c&lt;/i&gt;" in doc


def test_letter_head_comes_first_in_letter_order():
    head = LetterHead(
        sender_name="Jane Doe", sender_lines=("1 Road, London", "jane@example.com"), date="4 December 2026",
        recipient_lines=("Acme Ltd", "Berlin"), subject="Application for Staff Engineer",
    )
    doc = letter_document("<p>Dear team,</p>\n<p>Kind regards,<br>\nJane</p>", head=head, lang="de")
    order = ["Jane Doe", "1 Road, London", "jane@example.com", "4 December 2026", "Acme Ltd", "Berlin",
             "<strong>Application for Staff Engineer</strong>", "Dear team,", "Kind regards,"]
    positions = [doc.index(s) for s in order]
    assert positions == sorted(positions)
    assert '<p class="sender-name">Jane Doe</p>' in doc and 'lang="de"' in doc and "<title>Cover letter</title>" in doc
    assert "1 Road, London \u00b7 jane@example.com" in doc  # contact details on one line, as on the CV
    assert "Acme Ltd<br>\nBerlin" in doc  # the recipient's address one part a line


def test_letter_without_head_is_just_the_body():
    for head in (None, LetterHead(), LetterHead(sender_name="  ", sender_lines=("", " "))):
        doc = letter_document("<p>Dear team,</p>", head=head)
        body = doc.split("<body>", 1)[1]
        assert "<header" not in body and "sender" not in body and "<p>Dear team,</p>" in body
    partial = letter_document("<p>x</p>", head=LetterHead(subject="Hello"))
    assert '<p class="subject"><strong>Hello</strong></p>' in partial and 'class="sender"' not in partial and 'class="date"' not in partial


def test_unknown_template_or_page_size_is_refused():
    with pytest.raises(ValueError, match="template"):
        cv_document("<p>x</p>", template="fancy")
    with pytest.raises(ValueError, match="template"):
        cv_document("<p>x</p>", template="letter")  # a layout, not a CV template
    for call in (
        lambda: cv_document("<p>x</p>", template="modern", page_size="A3"),
        lambda: letter_document("<p>x</p>", page_size="A5"),
        lambda: dossier_document("<p>x</p>", page_size="legal"),
    ):
        with pytest.raises(ValueError, match="page size"):
            call()
