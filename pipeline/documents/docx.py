"""Word (.docx) export of a CV or a cover letter from the app's sanitized HTML.

Built for applicant tracking systems first and for people second: real Word
styles (Title, Heading 1-3, List Bullet/Number, Normal) instead of direct
formatting, everything in the body (parsers skip headers, footers, text boxes
and often tables, so tables are flattened into paragraphs), real hyperlinks,
and the page size, margins and fonts of the matching PDF template, so the Word
file and the PDF look alike. Fonts live on the styles; runs only carry what
the text itself needs (bold, links, the East Asian or right-to-left script).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Literal

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Mm, Pt, RGBColor
from docx.styles import BabelFish
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle, StyleFactory

from pipeline.documents.letter import LetterHead
from pipeline.render.templates import PAGE_SIZES, TEMPLATES, margins_mm

Kind = Literal["cv", "letter"]

# --- the look of each template (mirrors assets/print/cv-*.css) -----------------


@dataclass(frozen=True)
class Look:
    """Fonts, sizes and colours of one template; names Word and LibreOffice both resolve.

    The print CSS asks for DejaVu/Noto, which Word users rarely have; Georgia, Arial and Calibri come
    with Windows and with Word for Mac, and fontconfig maps them to DejaVu/Liberation on Linux."""

    body_font: str
    heading_font: str
    serif: bool  # picks the CJK companion font (Noto Serif CJK vs Noto Sans CJK) for body text
    body_pt: float
    title_pt: float  # h1 (the name)
    h1_pt: float  # h2 (section)
    h2_pt: float  # h3 (role)
    h3_pt: float  # h4-h6
    line: float  # line spacing multiple
    after_pt: float  # space after a body paragraph
    item_pt: float  # space after a list item
    ink: str
    muted: str
    accent: str
    rule: str  # <hr>
    section_rule: str  # the line under a section title (h2)
    section_caps: bool = True  # h2 in capitals, as the CSS's text-transform shows them


_LOOKS: dict[str, Look] = {
    "classic": Look("Georgia", "Arial", True, 10.5, 21, 12, 11, 10.5, 1.2, 6, 3, "1A1A1A", "4A4A4A", "1F3A5F", "9AA8B8", "9AA8B8"),
    "compact": Look("Calibri", "Calibri", False, 9.5, 17, 10.5, 10, 9.5, 1.15, 4, 1.5, "161616", "505050", "1D4E5F", "A8B5BB", "A8B5BB"),
    "modern": Look("Calibri", "Calibri", False, 9.5, 24, 9.5, 10.5, 9.5, 1.2, 5, 2.5, "1E2A33", "56646F", "0F766E", "C9D3D9", "0F766E"),
    # assets/print/letter.css: the same serif letter whichever CV template goes with it.
    "letter": Look("Georgia", "Arial", True, 11, 11, 11, 11, 11, 1.3, 8, 3, "1A1A1A", "4A4A4A", "1F3A5F", "9AA8B8", "9AA8B8", False),
}
_CODE_FONT = "Consolas"  # Windows and Office for Mac ship it; fontconfig maps it to DejaVu Sans Mono
_RTL_FONT = "DejaVu Sans"  # covers Arabic and Hebrew; Word substitutes a system font where it is missing
_HYPERLINK_COLOR = "0563C1"  # Word's own hyperlink blue

# --- scripts ---------------------------------------------------------------------

_CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u3190-\u31ff"
    "\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003134f"
)
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff"
_NEUTRAL = r"\s\d!-/:-@\[-`{-~\u00a0-\u00bf\u2000-\u206f"
# A script segment runs from its first to its last letter, taking the spaces and punctuation between.
_SEGMENT = re.compile(rf"(?P<cjk>[{_CJK}](?:[{_NEUTRAL}]*[{_CJK}])*)|(?P<rtl>[{_RTL}](?:[{_NEUTRAL}]*[{_RTL}])*)")
_RTL_CHAR = re.compile(f"[{_RTL}]")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af]")
_HEBREW = re.compile("[\u0590-\u05ff\ufb1d-\ufb4f]")
_RTL_LANGS = {"ar", "fa", "ur", "he", "iw", "yi", "ps", "sd", "ug", "dv", "ckb"}

# Schema order of run and paragraph properties: Word refuses a file whose elements are out of order.
_RPR_SEQ = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
            "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
            "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
            "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
            "w:specVanish", "w:oMath")
_PPR_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                   "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                   "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                   "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
                   "w:rPr", "w:sectPr", "w:pPrChange")

_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # not \s: a non-breaking space is meant to stay
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _primary(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


def _east_asian(text: str, lang: str, serif: bool) -> tuple[str, str]:
    """(font, language tag) for a run of CJK text: kana means Japanese, hangul Korean, else the document's language."""
    primary, tag = _primary(lang), lang.replace("_", "-")
    if _KANA.search(text) or (primary == "ja" and not _HANGUL.search(text)):
        region, code = "JP", "ja-JP"
    elif _HANGUL.search(text) or primary == "ko":
        region, code = "KR", "ko-KR"
    elif primary == "zh" and any(x in tag.lower() for x in ("-tw", "-hant", "-mo")):
        region, code = "TC", "zh-TW"
    elif primary == "zh" and "-hk" in tag.lower():
        region, code = "HK", "zh-HK"
    else:
        region, code = "SC", "zh-CN"
    return f"Noto {'Serif' if serif else 'Sans'} CJK {region}", code


def _bidi_lang(text: str, lang: str) -> str:
    if _primary(lang) in _RTL_LANGS:
        return lang.replace("_", "-")
    return "he-IL" if _HEBREW.search(text) else "ar-SA"


def _mainly_rtl(text: str) -> bool:
    """More right-to-left words than other words: the paragraph reads right to left.

    Words, not letters: "خبرة في Python و SQL" is an Arabic sentence naming two tools."""
    if text.isascii():
        return False
    rtl = other = 0
    for word in text.split():
        letter = next((c for c in word if c.isalpha()), "")
        if letter and _RTL_CHAR.match(letter):
            rtl += 1
        elif letter:
            other += 1
    return rtl > other


# --- HTML -> paragraphs ---------------------------------------------------------


@dataclass
class _Run:
    text: str  # "\n" is a line break
    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    code: bool = False
    link: int = 0  # index into _Parser.links, 0 = none


@dataclass
class _Para:
    style: str
    runs: list[_Run] = field(default_factory=list)
    numbering: int = 0  # an <ol> instance, so each list counts from its own start
    rule: bool = False  # an <hr>: an empty paragraph with a bottom border
    table_row: bool = False
    pre: bool = False  # preformatted: spaces and line breaks kept

    def text(self) -> str:
        return "".join(r.text for r in self.runs)


_HEADINGS = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3", "h5": "Heading 3", "h6": "Heading 3"}
_DROP = {"script", "style", "template", "noscript", "title", "head", "svg", "math", "textarea", "select"}
# Unknown tags keep their text; these (block-level in HTML) also end the paragraph before them.
_BLOCKISH = {
    "div", "section", "article", "header", "footer", "main", "nav", "aside", "address", "figure",
    "figcaption", "dl", "dt", "dd", "details", "summary", "center", "form", "fieldset", "caption",
}
_INLINE_FLAGS = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic", "u": "underline", "s": "strike",
                 "del": "strike", "strike": "strike", "code": "code", "kbd": "code", "samp": "code", "tt": "code"}
_LINK_SCHEMES = ("http://", "https://", "mailto:")


@dataclass
class _List:
    ordered: bool
    numbering: int  # 0 for bullets


@dataclass
class _Item:
    depth: int
    started: bool = False  # its first paragraph exists; more text goes in "List Continue" paragraphs


class _Parser(HTMLParser):
    """Turns sanitized HTML into styled paragraphs; tolerant of unknown and unbalanced tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paras: list[_Para] = []
        self.links: list[tuple[str, str]] = [("", "")]  # (href, title); index 0 = no link
        self.starts: dict[int, int] = {}  # ol numbering instance -> start number
        self._para: _Para | None = None
        self._flags = {"bold": 0, "italic": 0, "underline": 0, "strike": 0, "code": 0}
        self._link_stack: list[int] = []
        self._lists: list[_List] = []
        self._items: list[_Item] = []
        self._quote = 0
        self._pre = 0
        self._drop = 0
        self._cells = 0  # cells seen in the current table row
        self._in_row = False

    # paragraphs

    def _close(self) -> None:
        para, self._para = self._para, None
        if para is None:
            return
        _tidy(para)
        text = para.text()
        if para.rule or (text.strip() and not (para.table_row and not text.replace("|", "").strip())):
            self.paras.append(para)

    def _open(self, style: str, numbering: int = 0) -> _Para:
        self._close()
        self._para = _Para(style, numbering=numbering)
        return self._para

    def _list_style(self, base: str, depth: int) -> str:
        return base if depth <= 1 else f"{base} {min(depth, 3)}"

    def _open_in_context(self) -> _Para:
        """A paragraph for text that arrives outside any block: a list item's, a quote's or a plain one."""
        if self._items:
            item, lst = self._items[-1], self._lists[-1] if self._lists else _List(False, 0)
            if not item.started:
                item.started = True
                base = "List Number" if lst.ordered else "List Bullet"
                return self._open(self._list_style(base, item.depth), lst.numbering)
            return self._open(self._list_style("List Continue", item.depth))
        return self._open("Quote" if self._quote else "Normal")

    def _run(self, text: str) -> None:
        para = self._para or self._open_in_context()
        f = self._flags
        link = self._link_stack[-1] if self._link_stack else 0
        para.runs.append(_Run(text, f["bold"] > 0, f["italic"] > 0, f["underline"] > 0, f["strike"] > 0, f["code"] > 0, link))

    # tags

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self._drop += 1
            return
        if self._drop:
            return
        if tag in _HEADINGS:
            self._open(_HEADINGS[tag])
        elif tag == "p":
            if self._in_row:
                if self._para and self._para.runs:
                    self._run(" ")
            else:
                self._close()  # opened lazily, in context, by its first text
        elif tag == "br":
            self._run("\n")
        elif tag == "hr":
            self._open("Normal").rule = True
            self._close()
        elif tag in ("ul", "ol"):
            self._close()
            numbering = 0
            if tag == "ol":
                numbering = len(self.starts) + 1
                start = dict(attrs).get("start") or "1"
                self.starts[numbering] = int(start) if start.strip().isdigit() else 1
            self._lists.append(_List(tag == "ol", numbering))
        elif tag == "li":
            self._close()
            self._items.append(_Item(depth=max(len(self._lists), 1)))
        elif tag == "blockquote":
            self._close()
            self._quote += 1
        elif tag == "pre":
            self._close()
            self._pre += 1
            self._open("Quote" if self._quote else "Normal").pre = True
            self._flags["code"] += 1
        elif tag == "tr":
            self._open("Normal").table_row = True
            self._in_row, self._cells = True, 0
        elif tag in ("td", "th"):
            if not self._in_row:  # a cell without a row: give it one
                self.handle_starttag("tr", [])
            if self._cells:
                self._run(" | ")
            self._cells += 1
            if tag == "th":
                self._flags["bold"] += 1
        elif tag in ("table", "thead", "tbody", "tfoot"):
            self._close()
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            if href.lower().startswith(_LINK_SCHEMES):
                self.links.append((href, dict(attrs).get("title") or ""))
                self._link_stack.append(len(self.links) - 1)
            else:
                self._link_stack.append(0)
        elif tag in _INLINE_FLAGS:
            self._flags[_INLINE_FLAGS[tag]] += 1
        elif tag in _BLOCKISH:
            self._close()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self._drop = max(self._drop - 1, 0)
            return
        if self._drop:
            return
        if tag in _HEADINGS or tag in _BLOCKISH:
            self._close()
        elif tag == "p":
            if not self._in_row:
                self._close()
        elif tag == "li":
            self._close()
            if self._items:
                self._items.pop()
        elif tag in ("ul", "ol"):
            self._close()
            if self._lists:
                self._lists.pop()
        elif tag == "blockquote":
            self._close()
            self._quote = max(self._quote - 1, 0)
        elif tag == "pre":
            self._close()
            self._pre = max(self._pre - 1, 0)
            self._flags["code"] = max(self._flags["code"] - 1, 0)
        elif tag == "tr" or tag in ("table", "thead", "tbody", "tfoot"):
            self._close()
            self._in_row = False
        elif tag == "th":
            self._flags["bold"] = max(self._flags["bold"] - 1, 0)
        elif tag == "a":
            if self._link_stack:
                self._link_stack.pop()
        elif tag in _INLINE_FLAGS:
            name = _INLINE_FLAGS[tag]
            self._flags[name] = max(self._flags[name] - 1, 0)

    def handle_data(self, data: str) -> None:
        if self._drop:
            return
        data = _XML_INVALID.sub("", data)
        if self._pre:
            for i, line in enumerate(data.replace("\r\n", "\n").split("\n")):
                if i:
                    self._run("\n")
                if line:
                    self._run(line)
            return
        text = _HTML_SPACE.sub(" ", data)
        if text == " " and self._para is None:
            return  # whitespace between blocks
        if text:
            self._run(text)

    def close(self) -> None:
        super().close()
        self._close()


def _tidy(para: _Para) -> None:
    """Collapse spaces across run boundaries and trim them at paragraph and line edges, as a browser does."""
    if para.pre:  # keep the spaces, drop only the trailing newline the markdown renderer adds
        while para.runs and para.runs[-1].text == "\n":
            para.runs.pop()
        return
    out: list[_Run] = []
    space_before = True  # at the start of the paragraph or a line
    for run in para.runs:
        if run.text == "\n":
            if out:
                out[-1].text = out[-1].text.rstrip(" ")
            out.append(run)
            space_before = True
            continue
        text = run.text.lstrip(" ") if space_before else run.text
        if text:
            out.append(run)
            run.text = text
            space_before = text.endswith(" ")
    while out and out[-1].text == "\n":
        out.pop()
    if out:
        out[-1].text = out[-1].text.rstrip(" ")
    para.runs = [r for r in out if r.text]


# --- paragraphs -> Word ------------------------------------------------------------


def _strip_theme(rfonts) -> None:
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)


def _set_fonts(style: CharacterStyle, font: str | None, size: float | None, color: str | None = None, bold: bool | None = None) -> None:
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    _strip_theme(rfonts)
    if font:
        rfonts.set(qn("w:ascii"), font)
        rfonts.set(qn("w:hAnsi"), font)
    if size is not None:
        style.font.size = Pt(size)
        szcs = rpr.find(qn("w:szCs"))
        if szcs is None:
            szcs = OxmlElement("w:szCs")
            rpr.insert_element_before(szcs, *_RPR_SEQ[_RPR_SEQ.index("w:szCs") + 1:])
        szcs.set(qn("w:val"), str(round(size * 2)))
    if color:
        style.font.color.rgb = RGBColor.from_string(color)
        el = rpr.find(qn("w:color"))
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            el.attrib.pop(qn(attr), None)
    if bold is not None:
        style.font.bold = bold
        style.font.cs_bold = bold


def _bottom_border(ppr, color: str, eighths: int, space: int) -> None:
    old = ppr.find(qn("w:pBdr"))
    if old is not None:
        ppr.remove(old)
    pbdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom", {qn("w:val"): "single", qn("w:sz"): str(eighths), qn("w:space"): str(space), qn("w:color"): color})
    pbdr.append(bottom)
    ppr.insert_element_before(pbdr, *_PPR_AFTER_PBDR)


def _paragraph_format(style: ParagraphStyle, *, before: float | None = None, after: float | None = None, line: float | None = None,
                      keep_next: bool | None = None) -> None:
    fmt = style.paragraph_format
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = line
    if keep_next is not None:
        fmt.keep_with_next = keep_next
    ppr = style.element.pPr
    if ppr is not None:
        ctx = ppr.find(qn("w:contextualSpacing"))
        if ctx is not None:  # the default list styles drop the space between items; the PDF keeps it
            ppr.remove(ctx)


def _style_map(doc: DocumentObject) -> dict[str, BaseStyle]:
    """Every style by its UI name, read in one pass (python-docx's `styles[name]` runs an XPath search per call)."""
    out: dict[str, BaseStyle] = {}
    for el in doc.styles.element.iterchildren(qn("w:style")):
        name = el.find(qn("w:name"))
        if name is not None:
            out.setdefault(BabelFish.internal2ui(name.get(qn("w:val"))), StyleFactory(el))
    return out


def _setup_styles(doc: DocumentObject, look: Look, lang: str) -> dict[str, BaseStyle]:
    """Fonts, sizes, colours and spacing on the styles; returns the styles by name."""
    styles = _style_map(doc)
    body_pt = look.body_pt
    cjk_font, cjk_lang = _east_asian("", lang, look.serif)

    # Document defaults: explicit fonts instead of the template's theme fonts, the document's language.
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr_default.find(qn("w:rFonts"))
    _strip_theme(rfonts)
    for attr, value in (("w:ascii", look.body_font), ("w:hAnsi", look.body_font), ("w:eastAsia", cjk_font), ("w:cs", _RTL_FONT)):
        rfonts.set(qn(attr), value)
    lang_el = rpr_default.find(qn("w:lang"))
    lang_el.set(qn("w:val"), lang.replace("_", "-") or "en")
    lang_el.set(qn("w:eastAsia"), cjk_lang)
    lang_el.set(qn("w:bidi"), _bidi_lang("", lang))

    normal = styles["Normal"]
    _set_fonts(normal, look.body_font, body_pt, look.ink)
    _paragraph_format(normal, before=0, after=look.after_pt, line=look.line)

    heads = (("Title", look.title_pt, look.accent, 0, 2), ("Heading 1", look.h1_pt, look.accent, look.h1_pt * 1.3, look.h1_pt / 2),
             ("Heading 2", look.h2_pt, look.ink, look.h2_pt, 2), ("Heading 3", look.h3_pt, look.ink, look.h3_pt * 0.8, 2))
    for name, size, color, before, after in heads:
        style = styles[name]
        _set_fonts(style, look.heading_font, size, color, bold=True)
        style.font.italic = False
        _paragraph_format(style, before=before, after=after, line=1.0, keep_next=True)
    title_ppr = styles["Title"].element.get_or_add_pPr()
    if (pbdr := title_ppr.find(qn("w:pBdr"))) is not None:
        title_ppr.remove(pbdr)
    _bottom_border(styles["Heading 1"].element.get_or_add_pPr(), look.section_rule, 6, 1)  # the rule under a section title
    styles["Heading 1"].font.all_caps = look.section_caps  # display only: the text stays as typed for parsers

    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2", "List Number 3",
                 "List Continue", "List Continue 2", "List Continue 3"):
        _paragraph_format(styles[name], after=look.item_pt)
    quote = styles["Quote"]
    _set_fonts(quote, None, None, look.muted)
    quote.paragraph_format.left_indent = Pt(8)

    if "Hyperlink" not in styles:
        link = styles["Hyperlink"] = doc.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.base_style = styles["Default Paragraph Font"]
        link.font.color.rgb = RGBColor.from_string(_HYPERLINK_COLOR)
        link.font.underline = True
    if "HTML Code" not in styles:
        code = styles["HTML Code"] = doc.styles.add_style("HTML Code", WD_STYLE_TYPE.CHARACTER)
        code.base_style = styles["Default Paragraph Font"]
        _set_fonts(code, _CODE_FONT, max(body_pt - 1.5, 8))
    for name in ("Hyperlink", "HTML Code"):  # Word's built-in names: not marked as the user's own styles
        styles[name].element.attrib.pop(qn("w:customStyle"), None)
    return styles


_APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>jobapp</Application></Properties>"
)


def _trim_template(doc: DocumentObject) -> None:
    """Leave out what python-docx's template carries that a CV must not: another document's thumbnail,
    a Word 2010 copy of the styles (it would disagree with the styles set here), an empty bibliography,
    100 table styles nothing uses, and a note that spelling was already checked."""
    for rid, rel in list(doc.part.package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            doc.part.package.rels.pop(rid)
        elif rel.reltype.endswith("/extended-properties"):
            # The template's statistics (1 page, 0 words, "Microsoft Macintosh Word") would be read as facts
            # about this document; name the application and leave the counts to whatever opens it.
            rel.target_part._blob = _APP_XML
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            doc.part.drop_rel(rid)
    styles = doc.styles.element
    for el in styles.findall(qn("w:style")):
        if el.get(qn("w:type")) == "table" and el.get(qn("w:default")) != "1":
            styles.remove(el)
    settings = doc.settings.element
    for tag in ("w:proofState", "w:savePreviewPicture"):
        for el in settings.findall(qn(tag)):
            settings.remove(el)


def _page(doc: DocumentObject, layout: str, page_size: str) -> None:
    top, right, bottom, left = margins_mm(layout, page_size)
    section = doc.sections[0]
    if page_size == "A4":
        section.page_width, section.page_height = Mm(210), Mm(297)
    else:
        section.page_width, section.page_height = Inches(8.5), Inches(11)
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = Mm(top), Mm(right), Mm(bottom), Mm(left)


def _el(tag: str, **attrs: str):
    return OxmlElement(tag, {qn(f"w:{k}"): v for k, v in attrs.items()})


class _Writer:
    """Appends paragraphs to the document body with lxml, which keeps a 500-bullet CV fast."""

    def __init__(self, doc: DocumentObject, styles: dict[str, BaseStyle], links: list[tuple[str, str]], starts: dict[int, int],
                 lang: str, look: Look) -> None:
        self.doc, self.body, self.styles, self.links, self.starts = doc, doc.element.body, styles, links, starts
        self.lang, self.serif, self.rule = lang, look.serif, look.rule
        self._rids: dict[str, str] = {}
        self._nums: dict[int, str] = {}

    def paragraph(self, para: _Para):
        p = self.body.add_p()
        ppr = p.get_or_add_pPr()
        if para.style != "Normal":
            ppr.append(_el("w:pStyle", val=self.styles[para.style].style_id))
        if para.numbering:
            num = _el("w:numPr")
            num.append(_el("w:ilvl", val="0"))
            num.append(_el("w:numId", val=self._num_id(para)))
            ppr.append(num)
        if para.rule:
            _bottom_border(ppr, self.rule, 6, 1)
        rtl = _mainly_rtl(para.text())
        if rtl:
            ppr.insert_element_before(_el("w:bidi"), *_after("w:bidi"))
        if not len(ppr):
            p.remove(ppr)
        serif = self.serif and para.style not in ("Title", "Heading 1", "Heading 2", "Heading 3")
        hyperlink, current = None, 0
        for run in para.runs:
            if run.link != current:
                current = run.link
                hyperlink = self._hyperlink(p, run.link) if run.link else None
            target = hyperlink if hyperlink is not None else p
            for text, script in _segments(run.text):
                target.append(self._run(run, text, script, serif))
        return p

    def _num_id(self, para: _Para) -> str:
        """A numbering instance per <ol>, restarting at its start, on the abstract list of the paragraph's style."""
        if para.numbering not in self._nums:
            numbering = self.doc.part.numbering_part.element
            style_num = self.styles[para.style].element.pPr.numPr.numId.val
            abstract = numbering.num_having_numId(style_num).abstractNumId.val
            num = numbering.add_num(abstract)
            num.add_lvlOverride(ilvl=0).add_startOverride(self.starts.get(para.numbering, 1))
            self._nums[para.numbering] = str(num.numId)
        return self._nums[para.numbering]

    def _hyperlink(self, p, link: int):
        href, title = self.links[link]
        if href not in self._rids:
            self._rids[href] = self.doc.part.relate_to(href, RT.HYPERLINK, is_external=True)
        el = OxmlElement("w:hyperlink", {qn("r:id"): self._rids[href]})
        if title:
            el.set(qn("w:tooltip"), title)
        el.set(qn("w:history"), "1")
        p.append(el)
        return el

    def _run(self, run: _Run, text: str, script: str | None, serif: bool):
        r = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        if run.link:
            rpr.append(_el("w:rStyle", val="Hyperlink"))
        elif run.code:
            rpr.append(_el("w:rStyle", val="HTMLCode"))
        if script == "cjk":
            font, code = _east_asian(text, self.lang, serif)
            rpr.append(_el("w:rFonts", eastAsia=font, hint="eastAsia"))
        elif script == "rtl":
            rpr.append(_el("w:rFonts", cs=_RTL_FONT))
        if run.bold:
            rpr.append(_el("w:b"))
            rpr.append(_el("w:bCs"))
        if run.italic:
            rpr.append(_el("w:i"))
            rpr.append(_el("w:iCs"))
        if run.strike:
            rpr.append(_el("w:strike"))
        if run.underline:
            rpr.append(_el("w:u", val="single"))
        if script == "rtl":
            rpr.append(_el("w:rtl"))
            rpr.append(_el("w:lang", bidi=_bidi_lang(text, self.lang)))
        elif script == "cjk":
            rpr.append(_el("w:lang", eastAsia=code))
        if len(rpr):
            r.append(rpr)
        if text == "\n":
            r.append(OxmlElement("w:br"))
            return r
        t = OxmlElement("w:t")
        t.text = text
        if text[:1].isspace() or text[-1:].isspace():
            t.set(qn("xml:space"), "preserve")
        r.append(t)
        return r

    def plain(self, text: str, *, bold: bool = False, tight: bool = False, right: bool = False) -> None:
        """A Normal paragraph of plain text; `tight` drops the space after it (lines of an address block)."""
        p = self.paragraph(_Para("Normal", [_Run(_XML_INVALID.sub("", text), bold=bold)] if text else []))
        if tight:
            p.get_or_add_pPr().insert_element_before(_el("w:spacing", after="0"), *_after("w:spacing"))
        if right:
            p.get_or_add_pPr().insert_element_before(_el("w:jc", val="right"), *_after("w:jc"))


def _after(tag: str) -> tuple[str, ...]:
    """The pPr children that must follow `tag` (Word rejects them out of schema order)."""
    return _PPR_AFTER_PBDR[_PPR_AFTER_PBDR.index(tag) + 1:]


def _segments(text: str) -> list[tuple[str, str | None]]:
    """Split a run's text into stretches of CJK, right-to-left and other script (None)."""
    if text.isascii():
        return [(text, None)]
    out: list[tuple[str, str | None]] = []
    pos = 0
    for m in _SEGMENT.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], None))
        out.append((m.group(), m.lastgroup))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def html_to_docx(
    body_html: str,
    *,
    kind: Kind = "cv",
    template: str = "classic",
    page_size: str = "A4",
    title: str = "",
    author: str = "",
    lang: str = "en",
    head: LetterHead | None = None,
) -> bytes:
    """A .docx of a CV or cover letter from sanitized body HTML (see `render_markdown`).

    Raises ValueError, in words a user understands, for empty input or an unknown kind, template or page size."""
    what = "cover letter" if kind == "letter" else "CV"
    if kind not in ("cv", "letter"):
        raise ValueError(f"unknown document kind {kind!r}; choose cv or letter")
    if template not in TEMPLATES:
        raise ValueError(f"unknown CV template {template!r}; choose one of {', '.join(TEMPLATES)}")
    if page_size not in PAGE_SIZES:
        raise ValueError(f"unknown page size {page_size!r}; choose one of {', '.join(PAGE_SIZES)}")
    if not body_html or not body_html.strip():
        raise ValueError(f"The {what} is empty: there is no text to put in the Word file.")
    parser = _Parser()
    parser.feed(body_html)
    parser.close()
    if not any(p.text().strip() for p in parser.paras):
        raise ValueError(f"The {what} is empty: it has no text to put in the Word file, only markup.")

    look = _LOOKS["letter"] if kind == "letter" else _LOOKS.get(template, _LOOKS["classic"])
    lang = (lang or "en").strip() or "en"
    doc = Document()
    _trim_template(doc)
    styles = _setup_styles(doc, look, lang)
    _page(doc, "letter" if kind == "letter" else template, page_size)
    writer = _Writer(doc, styles, parser.links, parser.starts, lang, look)

    if kind == "letter" and head is not None:
        _letter_head(writer, head)
    for para in parser.paras:
        writer.paragraph(para)

    props = doc.core_properties
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    props.title, props.author, props.last_modified_by, props.language = title, author, author, lang
    props.created, props.modified, props.revision = now, now, 1
    props.comments = props.keywords = props.subject = props.category = ""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _letter_head(writer: _Writer, head: LetterHead) -> None:
    """Sender, blank line, date, recipient, subject: plain paragraphs in the body, where ATS parsers read them."""
    contact = " · ".join(line.strip() for line in head.sender_lines if line.strip())  # one line, as letter.pdf prints it
    sender = [line for line in (head.sender_name.strip(), contact) if line]
    recipient = [line.strip() for line in head.recipient_lines if line.strip()]
    for i, line in enumerate(sender):
        writer.plain(line, bold=i == 0 and bool(head.sender_name.strip()), tight=i < len(sender) - 1)
    if sender:
        writer.plain("")
    if head.date.strip():
        writer.plain(head.date.strip(), right=True)  # as the PDF letter places it
    for i, line in enumerate(recipient):
        writer.plain(line, tight=i < len(recipient) - 1)
    if head.subject.strip():
        writer.plain(head.subject.strip(), bold=True)


def markdown_to_docx(markdown: str, **kw) -> bytes:
    """`html_to_docx` of markdown rendered the way the app renders it (same sanitizing)."""
    from pipeline.render.markdown import render_markdown

    if not markdown or not markdown.strip():
        what = "cover letter" if kw.get("kind") == "letter" else "CV"
        raise ValueError(f"The {what} is empty: there is no text to put in the Word file.")
    return html_to_docx(render_markdown(markdown), **kw)
