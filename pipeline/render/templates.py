"""Print documents for Chromium: sanitized body HTML wrapped with inlined print CSS.

The documents are self-contained (no links, fonts or images to fetch) because
the PDF renderer blocks every request; the @page rule is generated here since
CSS custom properties cannot be used inside @page.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

TEMPLATES = ("classic", "compact")
PAGE_SIZES = ("A4", "Letter")
DEFAULT_TEMPLATE, DEFAULT_PAGE_SIZE = TEMPLATES[0], PAGE_SIZES[0]
TEMPLATE_LABELS = {"classic": "Classic", "compact": "Compact"}  # what a picker shows, in TEMPLATES order
PAGE_SIZE_LABELS = {"A4": "A4", "Letter": "US Letter"}

PRINT_CSS_DIR = Path(__file__).resolve().parents[2] / "assets" / "print"

# Margins (top right bottom left) per template and page size. Letter is wider
# and shorter than A4, so it gets slightly narrower side margins.
_MARGINS: dict[tuple[str, str], str] = {
    ("classic", "A4"): "18mm 18mm 18mm 18mm",
    ("classic", "Letter"): "0.7in 0.7in 0.7in 0.7in",
    ("compact", "A4"): "12mm 13mm 12mm 13mm",
    ("compact", "Letter"): "0.5in 0.55in 0.5in 0.55in",
    ("dossier", "A4"): "20mm 20mm 22mm 20mm",
    ("dossier", "Letter"): "0.8in 0.8in 0.9in 0.8in",
}

# Same default policy everywhere: nothing but inline styles and data: URLs,
# so the HTML stays inert even when opened outside the renderer.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"


@lru_cache(maxsize=8)
def _css(name: str) -> str:
    return (PRINT_CSS_DIR / f"{name}.css").read_text(encoding="utf-8")


def page_rule(layout: str, page_size: str) -> str:
    """The @page rule for a layout ("classic", "compact", "dossier") and page size."""
    if page_size not in PAGE_SIZES:
        raise ValueError(f"unknown page size {page_size!r}; choose one of {', '.join(PAGE_SIZES)}")
    size = "A4" if page_size == "A4" else "letter"
    footer = ""
    if layout == "dossier":
        # Page numbers only in the dossier: on a CV they would count as text on
        # the last page and hide a spilled line from the spill check.
        footer = ' @bottom-right { content: counter(page) " / " counter(pages); font: 8pt "DejaVu Sans", sans-serif; color: #777; }'
    return f"@page {{ size: {size}; margin: {_MARGINS[(layout, page_size)]};{footer} }}"


def _document(body_html: str, *, css: str, title: str, lang: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang, quote=True)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{css}\n</style>\n</head>\n"
        f"<body>\n{body_html}\n</body>\n</html>\n"
    )


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
    css = page_rule(template, page_size) + "\n" + _css(f"cv-{template}")
    if ats_safe:
        body_html, title = ats_safe_text(body_html), ats_safe_text(title)
        # Disc markers are drawn as shapes, so extracted text loses them; a
        # hyphen marker lands in the text layer and keeps items apart for parsers.
        css += '\nul { list-style-type: "-  "; }\n'
    return _document(body_html, css=css, title=title, lang=lang)


def dossier_document(body_html: str, *, page_size: str = "A4", title: str = "Dossier", lang: str = "en") -> str:
    """A complete printable dossier (report style) from sanitized body HTML."""
    css = page_rule("dossier", page_size) + "\n" + _css("dossier")
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
