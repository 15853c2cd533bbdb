"""An uploaded CV file (bytes) to plain text, or a `ProfileError` the user can act on.

Why by content and not by name: a file called cv.pdf may be a Word file, a photo or
garbage, and the name is whatever the browser sent. The kind comes from the first
bytes (`%PDF`, a ZIP holding `word/document.xml`, byte-order marks); everything else
must decode as text. PDF text comes from `pdftext` (columns and right-to-left scripts
in reading order), DOCX from python-docx in body order (tables cell by cell, so a
two-column table layout reads column by column). Both give light markdown where the
file's formatting shows structure: headings, `- ` list items, `**bold lines**`.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass, field

from pipeline.settings import settings

MAX_PDF_PAGES = 20  # a CV; anything longer is read up to here, with a warning
MIN_TEXT_CHARS = 40  # less than this many letters is no CV


class ProfileError(ValueError):
    """A file we cannot read as a CV; `code` is stable, the message is for the user."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# Reason codes.
TOO_LARGE = "too_large"
UNSUPPORTED_TYPE = "unsupported_type"
NO_TEXT_LAYER = "no_text_layer"
ENCRYPTED = "encrypted"
CORRUPT = "corrupt"
EMPTY = "empty"

KINDS = ("pdf", "docx", "markdown", "text")
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "markdown": "md", "text": "txt"}


@dataclass
class Extracted:
    kind: str  # one of KINDS
    text: str
    pages: int = 0  # PDF only
    warnings: list[str] = field(default_factory=list)


def extract_text(data: bytes, *, max_bytes: int | None = None) -> Extracted:
    """Detect the kind and return the text, or raise ProfileError."""
    limit = settings.profile_max_bytes if max_bytes is None else max_bytes
    if len(data) > limit:
        raise ProfileError(TOO_LARGE, f"The file is {len(data) / 1e6:.1f} MB; the limit for a CV is {limit / 1e6:.0f} MB.")
    if not data.strip():
        raise ProfileError(EMPTY, "The file is empty.")
    kind = detect_kind(data)
    if kind == "pdf":
        out = _pdf(data)
    elif kind == "docx":
        out = Extracted("docx", _docx(data))
    else:
        text = decode_text(data)
        out = Extracted("markdown" if _looks_like_markdown(text) else "text", text)
    out.text = clean_text(out.text)
    if sum(ch.isalpha() for ch in out.text) < MIN_TEXT_CHARS:
        if kind == "pdf":
            raise ProfileError(NO_TEXT_LAYER, _NO_TEXT_MESSAGE)
        raise ProfileError(EMPTY, "The file holds almost no text; upload the CV itself.")
    return out


# ---------------------------------------------------------------- kind

_REFUSED = (
    (b"\xd0\xcf\x11\xe0", "This is an old Word (.doc) file. Save it as .docx or PDF and upload that."),
    (b"{\\rtf", "This is an RTF file. Save it as .docx or PDF and upload that."),
    (b"\x89PNG", "This is an image. Upload the CV as PDF, DOCX, Markdown or plain text."),
    (b"\xff\xd8\xff", "This is an image. Upload the CV as PDF, DOCX, Markdown or plain text."),
    (b"GIF8", "This is an image. Upload the CV as PDF, DOCX, Markdown or plain text."),
)


def detect_kind(data: bytes) -> str:
    """'pdf', 'docx' or 'text' from the bytes themselves (markdown vs text is decided after decoding)."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    for magic, message in _REFUSED:
        if data.startswith(magic):
            raise ProfileError(UNSUPPORTED_TYPE, message)
    return "text"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        raise ProfileError(CORRUPT, f"The file looks like a Word document but is damaged ({exc}). Save it again and re-upload.") from None
    if "word/document.xml" in names:
        return "docx"
    if "opendocument" in mimetype:
        raise ProfileError(UNSUPPORTED_TYPE, "This is an OpenDocument file. Save it as .docx or PDF and upload that.")
    raise ProfileError(UNSUPPORTED_TYPE, "This is a ZIP archive, not a CV. Upload the CV as PDF, DOCX, Markdown or plain text.")


# ---------------------------------------------------------------- PDF

_NO_TEXT_MESSAGE = (
    "This PDF has no text layer (it looks scanned or made of images), so nothing can be read from it. "
    "Export the CV from your word processor as PDF, or upload the DOCX or a text version."
)


def _pdf(data: bytes) -> Extracted:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psexceptions import PSException
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from pipeline.profile.pdftext import pdf_pages

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ProfileError(ENCRYPTED, "This PDF is password-protected. Save or print it as a PDF without a password and upload that.")
        total = len(reader.pages)
    except ProfileError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, NotImplementedError) as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ProfileError(ENCRYPTED, "This PDF is encrypted in a way that cannot be opened. Save it as a PDF without a password.") from None
        raise ProfileError(CORRUPT, f"This PDF is damaged and cannot be read ({_short(exc)}). Export it again and re-upload.") from None
    if total == 0:
        raise ProfileError(CORRUPT, "This PDF has no pages.")
    try:
        pages = pdf_pages(data, max_pages=MAX_PDF_PAGES)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ProfileError(ENCRYPTED, "This PDF is password-protected. Save or print it as a PDF without a password and upload that.") from None
    except (PSException, ValueError, KeyError, TypeError, AssertionError, IndexError, struct.error) as exc:
        raise ProfileError(CORRUPT, f"This PDF is damaged and cannot be read ({_short(exc)}). Export it again and re-upload.") from None
    warnings = []
    blank = [i + 1 for i, p in enumerate(pages) if sum(ch.isalpha() for ch in p.text) < 5]
    if blank and len(blank) < len(pages):
        which = ", ".join(str(n) for n in blank)
        warnings.append(f"Page {which} has no readable text (scanned?); it was skipped." if len(blank) == 1 else f"Pages {which} have no readable text (scanned?); they were skipped.")
    if total > MAX_PDF_PAGES:
        warnings.append(f"Only the first {MAX_PDF_PAGES} of {total} pages were read.")
    return Extracted("pdf", "\n\n".join(p.text for p in pages if p.text.strip()), pages=total, warnings=warnings)


# ---------------------------------------------------------------- DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(data: bytes) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ProfileError(CORRUPT, f"This Word document is damaged and cannot be read ({_short(exc)}). Save it again and re-upload.") from None
    except Exception as exc:  # noqa: BLE001 - lxml.etree.XMLSyntaxError and friends: a broken part inside the package
        raise ProfileError(CORRUPT, f"This Word document is damaged and cannot be read ({_short(exc)}). Save it again and re-upload.") from None
    lines: list[str] = []
    for section in document.sections[:1]:  # contact details often live in the page header
        for p in section.header.paragraphs:
            if p.text.strip():
                lines.append(p.text.strip())
    _walk(document.element.body, lines)
    return "\n".join(lines)


def _walk(element, lines: list[str]) -> None:
    """Paragraphs and tables in body order; a table cell by cell (each cell once, even when merged)."""
    for child in element.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            _paragraph(child, lines)
        elif tag == f"{_W}tbl":
            for row in child.iterchildren(f"{_W}tr"):
                for cell in row.iterchildren(f"{_W}tc"):
                    _walk(cell, lines)
                    lines.append("")
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                _walk(content, lines)


def _paragraph(p, lines: list[str]) -> None:
    text = "".join(t.text or "" if t.tag == f"{_W}t" else "\t" if t.tag == f"{_W}tab" else "\n" for t in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br"))
    boxes = p.findall(f".//{_W}txbxContent")
    for box in boxes:  # text boxes: sidebar layouts
        _walk(box, lines)
    if boxes:
        text = "".join(t.text or "" for t in p.iter(f"{_W}t") if not any(b in t.iterancestors() for b in boxes))
    text = text.strip()
    if not text:
        lines.append("")
        return
    style = p.find(f"{_W}pPr/{_W}pStyle")
    name = (style.get(f"{_W}val") or "") if style is not None else ""
    is_list = p.find(f"{_W}pPr/{_W}numPr") is not None or "list" in name.lower()
    heading = re.fullmatch(r"(?i)heading\s*([1-6])|title", name)
    if heading and "\n" not in text:
        level = 1 if heading.group(1) is None else min(int(heading.group(1)) + 1, 3)
        lines.append("#" * level + " " + text)
    elif is_list:
        lines.append("- " + text.replace("\n", " "))
    elif "\n" not in text and len(text.split()) <= 25 and _all_bold(p):
        lines.append(f"**{text}**")  # a role line set in bold, as many Word CVs do instead of a heading style
    else:
        lines.extend(text.split("\n"))


def _all_bold(p) -> bool:
    """Every run that holds text is bold (w:b on the run, not switched off)."""
    runs = [r for r in p.iter(f"{_W}r") if "".join(t.text or "" for t in r.iter(f"{_W}t")).strip()]
    if not runs:
        return False
    for r in runs:
        b = r.find(f"{_W}rPr/{_W}b")
        if b is None or b.get(f"{_W}val", "true").lower() in ("0", "false", "off"):
            return False
    return True


# ---------------------------------------------------------------- text


def decode_text(data: bytes) -> str:
    """Bytes to str: byte-order marks, UTF-8, UTF-16 without a mark, then the likeliest legacy code page."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _utf16(data, "utf-16")
    sample = data[:4000]
    if sample.count(b"\x00") > len(sample) // 4:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        return _utf16(data, "utf-16-le" if odd > even else "utf-16-be")
    if b"\x00" in sample:
        raise ProfileError(UNSUPPORTED_TYPE, "This file is binary, not text. Upload the CV as PDF, DOCX, Markdown or plain text.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best, best_penalty = None, None
    for enc in ("cp1252", "cp1250", "cp1251", "iso-8859-7", "iso-8859-9"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        penalty = _implausibility(text)
        if best_penalty is None or penalty < best_penalty:
            best, best_penalty = text, penalty
    return best if best is not None else data.decode("latin-1")


def _utf16(data: bytes, enc: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        raise ProfileError(CORRUPT, "The text file looks like UTF-16 but does not decode; save it as UTF-8 and re-upload.") from None


_WORD = re.compile(r"\S+")


def _script(ch: str) -> str:
    try:
        return unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return "?"


def _implausibility(text: str) -> int:
    """How wrong a decoding looks: words mixing alphabets, symbols wedged between letters, control characters."""
    score = 0
    for m in _WORD.finditer(text[:20000]):
        w = m.group(0)
        letters = [c for c in w if c.isalpha()]
        if len({_script(c) for c in letters}) > 1:
            score += 3
        score += 2 * sum(1 for a, b, c in zip(w, w[1:], w[2:], strict=False) if a.isalpha() and c.isalpha() and unicodedata.category(b)[0] == "S")
        if len(letters) >= 4 and sum(1 for c in letters if ord(c) > 127 and _script(c) == "LATIN") > 0.4 * len(letters):
            score += 1
    score += 5 * sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t")
    return score


def _looks_like_markdown(text: str) -> bool:
    return bool(re.search(r"(?m)^#{1,6}\s+\S|^\s*[-*]\s+\S.*$|\*\*[^*\n]+\*\*|\[[^\]\n]+\]\([^)\s]+\)", text)) and bool(
        re.search(r"(?m)^#{1,6}\s+\S|\*\*[^*\n]+\*\*", text)
    )


# Compatibility forms that PDFs produce for ordinary letters: Arabic presentation forms
# (shaped glyphs), Kangxi/CJK radicals standing in for ideographs, Latin ligatures (ﬁ).
_COMPAT_RANGES = ((0x2E80, 0x2FDF), (0xFB00, 0xFB4F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\ufeff"), None)


def clean_text(text: str) -> str:
    """NFC, compatibility glyphs folded to their letters, invisible marks gone, lines trimmed, blank runs collapsed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = "".join(
        unicodedata.normalize("NFKC", ch) if any(lo <= ord(ch) <= hi for lo, hi in _COMPAT_RANGES) else ch for ch in text
    )
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).replace("\u00a0", " ").replace("\t", "  ")
    lines = [ln.rstrip() for ln in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _short(exc: BaseException, limit: int = 120) -> str:
    msg = " ".join(str(exc).split()) or type(exc).__name__
    return msg if len(msg) <= limit else msg[: limit - 1] + "…"
