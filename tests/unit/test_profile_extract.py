"""CV file -> text: PDFs generated here with Chromium (columns, scripts, scans, passwords), DOCX, encodings, broken files."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from pypdf import PdfReader, PdfWriter

from pipeline.profile.extract import ProfileError, clean_text, decode_text, extract_text
from pipeline.profile.pdftext import visual_to_logical

NAME = "Zoë Ångström-Núñez"
LEFT = [f"Left column item {i} about Python services." for i in range(1, 9)]
RIGHT = [f"Right column item {i} about ward nursing." for i in range(1, 9)]


def _html(body: str, style: str = "") -> str:
    return f"<html><head><meta charset='utf-8'><style>body{{font-family:'DejaVu Sans';font-size:11pt}} {style}</style></head><body>{body}</body></html>"


def _png(width: int = 400, height: int = 300) -> bytes:
    """A grey PNG, made by hand (no imaging library needed)."""
    raw = b"".join(b"\x00" + bytes([(x * 7 + y * 3) % 256 for x in range(width)]) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _encrypted(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---------------------------------------------------------------- PDF


def test_garbage_after_pdf_magic_is_corrupt():
    with pytest.raises(ProfileError) as info:
        extract_text(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    assert info.value.code == "corrupt" and "damaged" in info.value.message


# ---------------------------------------------------------------- DOCX


def _docx_bytes() -> bytes:
    import docx

    d = docx.Document()
    d.add_heading("Fatima Al-Zahra Núñez", level=0)
    d.add_paragraph("fatima@example.com · +971 50 123 4567")
    d.add_heading("Experience", level=1)
    d.add_paragraph("Senior Backend Engineer — Noon, 2020 – Present")
    d.add_paragraph("Designed PostgreSQL schemas for 40 services", style="List Bullet")
    d.add_paragraph("مهندسة برمجيات أولى", style="List Bullet")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Left cell: Python, Go"
    table.cell(0, 0).add_paragraph("Left cell second line")
    table.cell(0, 1).text = "Right cell: 中文 and Русский"
    d.sections[0].header.paragraphs[0].text = "Header contact line"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_keeps_order_structure_and_scripts():
    out = extract_text(_docx_bytes())
    assert out.kind == "docx"
    lines = [ln for ln in out.text.splitlines() if ln.strip()]
    assert lines[0] == "Header contact line"
    assert "# Fatima Al-Zahra Núñez" in lines and "## Experience" in lines
    assert "- Designed PostgreSQL schemas for 40 services" in lines and "- مهندسة برمجيات أولى" in lines
    order = [lines.index(x) for x in ("Left cell: Python, Go", "Left cell second line", "Right cell: 中文 and Русский")]
    assert order == sorted(order)  # a table layout reads cell by cell, column by column


def test_broken_docx_is_corrupt():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document><unclosed>")
    with pytest.raises(ProfileError) as info:
        extract_text(buf.getvalue())
    assert info.value.code == "corrupt" and "Word document" in info.value.message


def test_truncated_docx_is_corrupt():
    data = _docx_bytes()
    with pytest.raises(ProfileError) as info:
        extract_text(data[: len(data) // 2])
    assert info.value.code == "corrupt"


def test_zip_that_is_not_word_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("photos/a.txt", "hello " * 50)
    with pytest.raises(ProfileError) as info:
        extract_text(buf.getvalue())
    assert info.value.code == "unsupported_type" and "ZIP" in info.value.message


# ---------------------------------------------------------------- text and refusals

CV_TEXT = "José Müller – Résumé\nStraße 5, Köln\nSenior Engineer with “quoted” experience in naïve Bayes models.\n"


@pytest.mark.parametrize(
    "data",
    [
        CV_TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + CV_TEXT.encode("utf-8"),
        CV_TEXT.encode("utf-16"),  # with BOM
        CV_TEXT.encode("utf-16-le"),  # without BOM
        CV_TEXT.encode("utf-16-be"),
        CV_TEXT.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "cp1252"],
)
def test_text_encodings_decode_to_the_same_text(data):
    assert decode_text(data).lstrip("\ufeff") == CV_TEXT


def test_cyrillic_legacy_code_page_is_recognised():
    text = "Иван Петров — инженер-программист, опыт работы 10 лет\n"
    assert decode_text(text.encode("cp1251")) == text


def test_markdown_and_plain_text_kinds():
    assert extract_text(b"# Jane Doe\n\n## Experience\n\n- Built **things** for a long time at several companies\n").kind == "markdown"
    assert extract_text(CV_TEXT.encode()).kind == "text"


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (b"", "empty", "empty"),
        (b"   \n\n ", "empty", "empty"),
        (b"hi", "empty", "almost no text"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "unsupported_type", "image"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "unsupported_type", "image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "unsupported_type", ".doc"),
        (b"{\\rtf1\\ansi CV}", "unsupported_type", "RTF"),
        (b"ELF\x02\x01\x01" + bytes(range(256)), "unsupported_type", "binary"),
    ],
)
def test_refusals_have_clear_messages(data, code, words):
    with pytest.raises(ProfileError) as info:
        extract_text(data)
    assert info.value.code == code and words in info.value.message


def test_size_limit_is_checked_first(monkeypatch):
    from pipeline.settings import settings

    with pytest.raises(ProfileError) as info:
        extract_text(b"x" * 2048, max_bytes=1024)
    assert info.value.code == "too_large" and "limit" in info.value.message
    monkeypatch.setattr(settings, "profile_max_bytes", 1500)
    with pytest.raises(ProfileError):
        extract_text(CV_TEXT.encode() * 30)
    assert extract_text(CV_TEXT.encode() * 10).kind == "text"


def test_clean_text_folds_pdf_compatibility_glyphs():
    # Kangxi radical ⼩ for 小, Arabic presentation forms, the fi ligature, a soft hyphen.
    assert clean_text("王⼩明 ﻣﺤﻤﺪ ﬁnance co\u00adoperate\r\n") == "王小明 محمد finance cooperate\n"
    assert clean_text("高级，熟悉") == "高级，熟悉\n"  # full-width punctuation is Chinese text, not a glyph variant


@pytest.mark.parametrize(
    ("visual", "logical"),
    [
        ("Python developer", "Python developer"),
        ("دمحم", "محمد"),
        ("تايجمرب سدنهم - هللا دبع دمحم", "محمد عبد الله - مهندس برمجيات"),
        ("Engineer at يبد", "Engineer at دبي"),
        ("2020 يف Python مدختسا", "استخدم Python في 2020"),
    ],
)
def test_visual_to_logical(visual, logical):
    assert visual_to_logical(visual) == logical
