"""Text of a PDF in reading order: columns one after another, right-to-left scripts in logical order.

Why not a library's default order: the content stream order (pypdf) interleaves
columns whenever a producer draws line by line across the page, and pure
top-to-bottom sorting (pdfplumber) interleaves them always. So lines come from
pdfminer's layout analysis with their boxes, and this module finds the vertical
gutter between columns itself: lines that cross it (a name, a full-width section
title) cut the page into bands, and inside a band the left column is read before
the right one. PDFs store Arabic and Hebrew glyphs left to right as they appear
on the page; `visual_to_logical` turns each line back into the order it is typed.

Why light markdown in the output: a printed CV's structure lives in its typography,
which plain text loses. Lines in a clearly larger font become `#`/`##` headings, fully
bold lines `**...**`, paragraphs indented from their column's left edge `- ` list items
(CSS and Word draw bullet discs as shapes, not text), and a line that wrapped (the next
line's first word would not have fitted, same font, same left edge, and the words read
on) is joined back to its paragraph. DOCX extraction gives the same markers from styles.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTFigure, LTImage, LTTextContainer, LTTextLine

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # it warns about every font without a bounding box

MIN_GUTTER_PT = 8.0  # narrower gaps are word spacing in justified text, not a gutter
_LAPARAMS = LAParams(char_margin=1.0, line_margin=0.4, word_margin=0.1)


@dataclass(frozen=True)
class Line:
    """One text line with its box; `top` grows downwards (0 = top of the page)."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float = 0.0  # mean glyph size in pt (0 = unknown)
    bold: bool = False  # (almost) every glyph in a bold face

    @property
    def height(self) -> float:
        return max(1.0, self.bottom - self.top)


@dataclass
class PageText:
    text: str
    has_images: bool


def pdf_pages(data: bytes, *, max_pages: int) -> list[PageText]:
    """Each page's text in reading order (pdfminer errors propagate to the caller)."""
    pages = [_collect(page, page.height) for page in extract_pages(io.BytesIO(data), laparams=_LAPARAMS, maxpages=max_pages)]
    body = body_size([ln for lines, _ in pages for ln in lines])
    out: list[PageText] = []
    titled = False
    for lines, images in pages:
        rows = reading_order(lines, body=body)
        for i, row in enumerate(rows):  # one '# ' (the name) per document; later large lines are sections
            if row.startswith("# "):
                rows[i] = row if not titled else "#" + row
                titled = True
        out.append(PageText(text="\n".join(rows), has_images=images))
    return out


def body_size(lines: list[Line]) -> float:
    """The font size most of the text is set in (by characters), 0 when unknown."""
    sizes: Counter[float] = Counter()
    for ln in lines:
        if ln.size:
            sizes[round(ln.size * 2) / 2] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


def _style(line: LTTextLine) -> tuple[float, bool]:
    chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
    if not chars:
        return 0.0, False
    size = sum(c.size for c in chars) / len(chars)
    bold = sum(1 for c in chars if _BOLD_FONT.search(c.fontname or "")) >= 0.9 * len(chars)
    return size, bold


def _collect(container, page_height: float) -> tuple[list[Line], bool]:
    lines: list[Line] = []
    images = False
    for obj in container:
        if isinstance(obj, LTTextLine):
            text = obj.get_text().strip()
            if text:
                size, bold = _style(obj)
                lines.append(Line(obj.x0, obj.x1, page_height - obj.y1, page_height - obj.y0, text, size, bold))
        elif isinstance(obj, (LTTextContainer, LTFigure)):
            inner, img = _collect(obj, page_height)
            lines += inner
            images = images or img or isinstance(obj, LTFigure)
        elif isinstance(obj, LTImage):
            images = True
    return lines, images


# ---------------------------------------------------------------- reading order


def reading_order(lines: list[Line], depth: int = 0, *, body: float = 0.0) -> list[str]:
    """Text rows: full-width lines in place, columns one after the other ('' marks a paragraph gap).

    `body` is the document's body font size; with it, headings, bold lines and list items are marked."""
    gutter = find_gutter(lines) if depth < 2 else None
    if gutter is None:
        return _rows(lines, body)
    g0, g1 = gutter
    out: list[str] = []
    block: list[Line] = []

    def flush() -> None:
        if not block:
            return
        left = [ln for ln in block if ln.x1 <= g0 + 1]
        right = [ln for ln in block if ln not in left]
        if _is_table_row(left, right):  # "Engineer, Acme        2019 - 2023": one row, not two columns
            out.extend(_rows(block, body))
        else:
            out.extend(reading_order(left, depth + 1, body=body))
            out.append("")
            out.extend(reading_order(right, depth + 1, body=body))
        block.clear()

    for ln in sorted(lines, key=lambda ln: (ln.top, ln.x0)):
        if ln.x0 < g1 - 1 and ln.x1 > g0 + 1:  # crosses the gutter: a full-width line
            flush()
            out.extend(_rows([ln], body))
        else:
            block.append(ln)
    flush()
    return _squeeze(out)


def find_gutter(lines: list[Line]) -> tuple[float, float] | None:
    """The widest vertical strip in the middle that (almost) no line crosses, if it separates columns."""
    if len(lines) < 6:
        return None
    left_edge, right_edge = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    width = right_edge - left_edge
    if width < 120:
        return None
    allowed = len(lines) // 8  # full-width lines (name, section titles) may cross it
    start = int(left_edge + 0.12 * width)
    stop = int(right_edge - 0.12 * width)
    cover = [0] * (stop - start + 1)
    for ln in lines:
        for x in range(max(start, int(ln.x0)), min(stop, int(ln.x1)) + 1):
            cover[x - start] += 1
    best: tuple[float, float] | None = None
    run_start = None
    for i, c in enumerate(cover + [len(lines) + 1]):
        if c <= allowed and run_start is None:
            run_start = i
        elif c > allowed and run_start is not None:
            if i - run_start >= MIN_GUTTER_PT and (best is None or i - run_start > best[1] - best[0]):
                best = (float(start + run_start), float(start + i - 1))
            run_start = None
    if best is None:
        return None
    g0, g1 = best
    left = sum(1 for ln in lines if ln.x1 <= g0 + 1)
    right = sum(1 for ln in lines if ln.x0 >= g1 - 1)
    return best if left >= 3 and right >= 3 else None


def _is_table_row(left: list[Line], right: list[Line]) -> bool:
    """A block of at most two rows whose left and right parts sit on the same baselines."""
    if not left or not right or len(left) > 2 or len(right) > 2:
        return False
    return all(any(abs(r.top - ln.top) < 0.5 * ln.height for ln in left) for r in right)


@dataclass
class _Para:
    """Rows of one paragraph: the first row's box and style, the text so far."""

    x0: float
    x1: float
    bottom: float
    height: float
    size: float
    bold: bool
    text: str
    first_top: float
    first_x1: float
    rtl: bool


_MARKER = re.compile(r"^(?:[-*•·▪●◦‣■□➢➤►–—]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?。！？]\W{0,2}$")
_OPEN_END = re.compile(  # a line ending like this goes on: '... and', '(2019–', 'Python,' (same words in pdftext/structure)
    r"(?:[,;:&+/(\[–—-]|\b(?:and|or|of|the|a|an|in|for|to|with|at|by|on|from|as|into|including"
    r"|und|oder|der|die|das|den|mit|für|im|y|o|de|del|la|el|en|con|et|des|du|le|les|pour))$",
    re.IGNORECASE,
)


def _rows(lines: list[Line], body: float = 0.0) -> list[str]:
    """Lines on one baseline joined left to right, wrapped lines joined into paragraphs, light markdown added.

    A blank row marks a vertical gap that shows a new paragraph."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda ln: (ln.top, ln.x0)):
        if rows and abs(ln.top - rows[-1][0].top) < 0.5 * min(ln.height, rows[-1][0].height):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    if not rows:
        return []
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    paras: list[_Para | None] = []
    prev: Line | None = None
    for row in rows:
        row.sort(key=lambda ln: ln.x0)
        first = row[0]
        low = max(row, key=lambda ln: ln.bottom)
        text = visual_to_logical(" ".join(ln.text for ln in row))
        rtl = text != " ".join(ln.text for ln in row)
        gap = prev is not None and first.top - prev.bottom > 1.0 * prev.height
        para = paras[-1] if paras else None
        if gap:
            paras.append(None)
        elif para is not None and len(row) == 1 and not rtl and _wraps(para, first, right):
            para.text = _join(para.text, first.text)
            para.bottom, para.x1 = first.bottom, first.x1
            prev = low
            continue
        bold_all = all(ln.bold for ln in row)
        if not bold_all and any(ln.bold for ln in row) and not rtl:  # "**Engineer, Acme** 2019 – 2023"
            text = " ".join(f"**{ln.text}**" if ln.bold else ln.text for ln in row)
        size = max(ln.size for ln in row)
        paras.append(_Para(first.x0, first.x1, low.bottom, first.height, size, bold_all, text, first.top, first.x1, rtl))
        prev = low
    out: list[str] = []
    for para in paras:
        out.append("" if para is None else _markup(para, body, left, right))
    return out


def _wraps(para: _Para, line: Line, right: float) -> bool:
    """`line` continues `para`: same style and left edge, its first word would not have fitted, the words read on."""
    if abs(line.size - para.size) > 0.6 or line.bold != para.bold or para.rtl:
        return False
    if line.top - para.bottom > 0.8 * para.height:
        return False
    marked = _MARKER.match(para.text)
    if not (abs(line.x0 - para.x0) <= 2 or (marked and para.x0 < line.x0 <= para.x0 + 30)):
        return False
    word = line.text.split()[0]
    word_width = (line.x1 - line.x0) * len(word) / max(1, len(line.text))
    if para.x1 + word_width + 0.3 * para.height < right - 1:
        return False  # the word would have fitted: the line before ended on purpose
    last = para.text.rstrip()
    if line.text[:1].islower() or line.text[:1] in ")]/,;:.-–—" or _OPEN_END.search(last):
        return True
    return len(last.split()) >= 6 and not _SENTENCE_END.search(last)


def _join(text: str, more: str) -> str:
    """'... (2019–' + 'present)' without a space; anything else with one."""
    if re.search(r"\S[–—/-]$", text) and not text.endswith(" -"):
        return text + more
    return text + " " + more


def _markup(para: _Para, body: float, left: float, right: float) -> str:
    text = para.text
    words = len(text.split())
    headingish = words <= 10 and not _SENTENCE_END.search(text) and not text.endswith(",")
    if body and headingish and para.size >= 1.45 * body:
        return "# " + text
    if body and headingish and para.size >= 1.1 * body:
        return "## " + text
    if para.bold and words <= 25:
        text = f"**{text}**"
    indented = left + 6 < para.x0 < left + 60
    centred = abs((para.x0 + para.first_x1) / 2 - (left + right) / 2) < 4
    if indented and not centred and not para.rtl and not _MARKER.match(text) and not para.bold:
        return "- " + text
    return text


def _squeeze(rows: list[str]) -> list[str]:
    out: list[str] = []
    for r in rows:
        if r == "" and (not out or out[-1] == ""):
            continue
        out.append(r)
    while out and out[-1] == "":
        out.pop()
    return out


# ---------------------------------------------------------------- right-to-left text

_RTL = {"R", "AL"}
_LTR_RUN = {"L", "EN", "AN"}
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")


def _dir(ch: str) -> str:
    b = unicodedata.bidirectional(ch)
    if b in _RTL:
        return "R"
    if b in _LTR_RUN:
        return "L"
    return "N"


def visual_to_logical(line: str) -> str:
    """A line as drawn on the page (glyphs left to right) back in typing order.

    Lines without right-to-left letters are returned unchanged. A mostly RTL line is
    reversed as a whole and its Latin/number runs are turned back; a mostly LTR line
    only has its RTL runs reversed. Brackets inside reversed runs are mirrored."""
    dirs = [_dir(c) for c in line]
    n_r = dirs.count("R")
    n_l = sum(1 for c in line if unicodedata.bidirectional(c) == "L")  # letters only: digits do not set the direction
    if n_r == 0:
        return line
    if n_r >= n_l:
        rev = line[::-1]
        rdirs = dirs[::-1]
        return _flip_runs(rev.translate(_MIRROR), rdirs, "L")
    return _flip_runs(line, dirs, "R")


def _flip_runs(text: str, dirs: list[str], kind: str) -> str:
    """Reverse each maximal run that starts and ends with a `kind` character (neutrals inside it included)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if dirs[i] != kind:
            out.append(text[i])
            i += 1
            continue
        j = i
        last = i
        while j < n and dirs[j] in (kind, "N"):
            if dirs[j] == kind:
                last = j
            j += 1
        out.append(text[i : last + 1][::-1].translate(_MIRROR))
        i = last + 1
    return "".join(out)
