"""Print documents for Chromium: sanitized body HTML wrapped with inlined print CSS.

The documents are self-contained (no links, fonts or images to fetch) because
the PDF renderer blocks every request; the @page rule is generated here since
CSS custom properties cannot be used inside @page. Each document's CSS is the
@page rule, then assets/print/base.css (rules every document shares), then the
template's own file (what differs), so a template can override a shared rule.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from pipeline.documents.letter import LetterHead

TEMPLATES = ("classic", "compact", "modern")
PAGE_SIZES = ("A4", "Letter")
DEFAULT_TEMPLATE, DEFAULT_PAGE_SIZE = TEMPLATES[0], PAGE_SIZES[0]
TEMPLATE_LABELS = {"classic": "Classic", "compact": "Compact", "modern": "Modern"}  # what a picker shows, in TEMPLATES order
PAGE_SIZE_LABELS = {"A4": "A4", "Letter": "US Letter"}

PRINT_CSS_DIR = Path(__file__).resolve().parents[2] / "assets" / "print"

# Margins (top right bottom left) per template and page size. Letter is wider
# and shorter than A4, so it gets slightly narrower side margins.
_MARGINS: dict[tuple[str, str], str] = {
    ("classic", "A4"): "18mm 18mm 18mm 18mm",
    ("classic", "Letter"): "0.7in 0.7in 0.7in 0.7in",
    ("compact", "A4"): "12mm 13mm 12mm 13mm",
    ("compact", "Letter"): "0.5in 0.55in 0.5in 0.55in",
    ("modern", "A4"): "16mm 17mm 16mm 17mm",
    ("modern", "Letter"): "0.6in 0.65in 0.6in 0.65in",
    ("letter", "A4"): "25mm 25mm 22mm 25mm",
    ("letter", "Letter"): "1in 1in 0.9in 1in",
    ("dossier", "A4"): "20mm 20mm 22mm 20mm",
    ("dossier", "Letter"): "0.8in 0.8in 0.9in 0.8in",
}
_UNIT_MM = {"mm": 1.0, "in": 25.4, "cm": 10.0, "pt": 25.4 / 72}

# Same default policy everywhere: nothing but inline styles and data: URLs,
# so the HTML stays inert even when opened outside the renderer.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"


@lru_cache(maxsize=8)
def _css(name: str) -> str:
    return (PRINT_CSS_DIR / f"{name}.css").read_text(encoding="utf-8")


def page_rule(layout: str, page_size: str) -> str:
    """The @page rule for a layout (a CV template, "letter" or "dossier") and page size.

    Only the dossier gets page numbers: a letter has one page, and on a CV they
    would count as text on the last page."""
    if page_size not in PAGE_SIZES:
        raise ValueError(f"unknown page size {page_size!r}; choose one of {', '.join(PAGE_SIZES)}")
    size = "A4" if page_size == "A4" else "letter"
    footer = ""
    if layout == "dossier":
        # Page numbers only in the dossier: on a CV they would count as text on
        # the last page and hide a spilled line from the spill check.
        footer = ' @bottom-right { content: counter(page) " / " counter(pages); font: 8pt "DejaVu Sans", sans-serif; color: #777; }'
    return f"@page {{ size: {size}; margin: {_MARGINS[(layout, page_size)]};{footer} }}"


def margins_mm(layout: str, page_size: str) -> tuple[float, float, float, float]:
    """(top, right, bottom, left) margins in millimetres, as the @page rule sets them (Word files use these too)."""
    if page_size not in PAGE_SIZES:
        raise ValueError(f"unknown page size {page_size!r}; choose one of {', '.join(PAGE_SIZES)}")
    parts = _MARGINS[(layout, page_size)].split()
    values = [float(m.group(1)) * _UNIT_MM[m.group(2)] for m in (re.fullmatch(r"([0-9.]+)(mm|in|cm|pt)", p) for p in parts) if m]
    top, right, bottom, left = values
    return top, right, bottom, left


def _document(body_html: str, *, css: str, title: str, lang: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang, quote=True)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{css}\n</style>\n</head>\n"
        f"<body>\n{body_html}\n</body>\n</html>\n"
    )


def _compose(layout: str, page_size: str, name: str) -> str:
    """The @page rule, the shared rules, then the template's own: later rules win, so a template can override."""
    return "\n".join((page_rule(layout, page_size), _css("base"), _css(name)))


def cv_document(
    body_html: str,
    *,
    template: str = "classic",
    page_size: str = "A4",
    title: str = "CV",
    ats_safe: bool = False,
    lang: str = "en",
) -> str:
    """A complete printable CV from sanitized body HTML (see `render_markdown`)."""
    if template not in TEMPLATES:
        raise ValueError(f"unknown CV template {template!r}; choose one of {', '.join(TEMPLATES)}")
    css = _compose(template, page_size, f"cv-{template}")
    if ats_safe:
        body_html, title = ats_safe_text(body_html), ats_safe_text(title)
        # Disc markers are drawn as shapes, so extracted text loses them; a
        # hyphen marker lands in the text layer and keeps items apart for parsers.
        css += '\nul { list-style-type: "-  "; }\n'
    return _document(body_html, css=css, title=title, lang=lang)


def letter_document(
    body_html: str,
    *,
    head: LetterHead | None = None,
    page_size: str = "A4",
    title: str = "Cover letter",
    lang: str = "en",
) -> str:
    """A complete printable cover letter: the head (sender, date, recipient, subject), then the body.

    The head comes from the profile and the job, not from sanitized markdown,
    so every field is escaped here; it precedes the body in the source so the
    PDF's text reads in letter order."""
    css = _compose("letter", page_size, "letter")
    head_html = _letter_head(head) if head is not None else ""
    return _document(f'{head_html}<div class="letter-body">\n{body_html}\n</div>', css=css, title=title, lang=lang)


def _lines(items: tuple[str, ...]) -> str:
    return "<br>\n".join(html.escape(line.strip()) for line in items if line.strip())


def _letter_head(head: LetterHead) -> str:
    """Sender block, date, recipient block and subject as escaped HTML; empty parts are left out."""
    parts: list[str] = []
    sender: list[str] = []
    if head.sender_name.strip():
        sender.append(f'<p class="sender-name">{html.escape(head.sender_name.strip())}</p>')
    # Contact details on one line, as on the CV's header: stacked, they would cost a
    # normal letter its one page on US Letter.
    if contact := " \u00b7 ".join(html.escape(line.strip()) for line in head.sender_lines if line.strip()):
        sender.append(f'<p class="sender-lines">{contact}</p>')
    if sender:
        parts.append('<div class="sender">\n' + "\n".join(sender) + "\n</div>")
    if head.date.strip():
        parts.append(f'<p class="date">{html.escape(head.date.strip())}</p>')
    if recipient := _lines(head.recipient_lines):
        parts.append(f'<div class="recipient">\n<p>{recipient}</p>\n</div>')
    if head.subject.strip():
        parts.append(f'<p class="subject"><strong>{html.escape(head.subject.strip())}</strong></p>')
    return '<header class="letter-head">\n' + "\n".join(parts) + "\n</header>\n" if parts else ""


def dossier_document(body_html: str, *, page_size: str = "A4", title: str = "Dossier", lang: str = "en") -> str:
    """A complete printable dossier (report style) from sanitized body HTML."""
    css = _compose("dossier", page_size, "dossier")
    return _document(body_html, css=css, title=title, lang=lang)


# --- ATS-safe text -----------------------------------------------------------

_SIMPLE = {
    # quotes and primes
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u2039": "'", "\u203a": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    # dashes and minus
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    # spaces (non-breaking, thin, narrow, figure, ideographic...) and invisibles
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2007": " ",
    "\u2008": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ", "\u205f": " ", "\u3000": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
    # ellipsis, arrows, ligatures pasted from PDFs
    "\u2026": "...", "\u2192": "->", "\u2190": "<-", "\u21d2": "=>",
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
}
_BULLETS = "\u2022\u2023\u2043\u2219\u00b7\u25aa\u25ab\u25a0\u25a1\u25cf\u25cb\u25e6\u25b8\u25b6\u25ba\u27a4\u2794\u2799\u279c\u2713\u2714\u2605\u2606\u2666\u25c6"
_CHARS = "".join(_SIMPLE) + _BULLETS

_LEADING_BULLET = re.compile(rf"(^|\n)([ \t]*)[{_BULLETS}]")
_SPACED_BULLET = re.compile(rf"(?<=\s)[{_BULLETS}](?=\s)")
_ANY_BULLET = re.compile(rf"[{_BULLETS}]")
_TRANSLATE = str.maketrans(_SIMPLE)
# Tags and comments stay untouched; everything between them is text.
_TAG = re.compile(r"(<!--.*?-->|</?[A-Za-z][^>]*>)", re.DOTALL)
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _plain(text: str) -> str:
    text = _LEADING_BULLET.sub(r"\1\2-", text)  # "• item" -> "- item"
    text = _SPACED_BULLET.sub("|", text)  # "London · email" -> "London | email"
    text = _ANY_BULLET.sub("-", text)
    return text.translate(_TRANSLATE)


def _entity(match: re.Match[str]) -> str:
    char = html.unescape(match.group(0))
    return char if len(char) == 1 and char in _CHARS else match.group(0)


def ats_safe_text(html_or_text: str) -> str:
    """Smart quotes, dashes, special bullets, odd spaces and ellipses as plain ASCII.

    Applied to text only: tags and attributes are left as they are, and HTML
    entities for those characters (`&nbsp;`, `&mdash;`...) are replaced too.
    Letters (accents, Greek, Cyrillic, CJK) are kept: names must survive."""
    parts = _TAG.split(html_or_text)
    for i in range(0, len(parts), 2):  # even indexes are text, odd are tags
        parts[i] = _plain(_ENTITY.sub(_entity, parts[i]))
    return "".join(parts)
