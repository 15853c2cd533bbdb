"""Word export opened by a real word processor: LibreOffice converts the .docx files to PDF and the
PDF's text must hold every source line, in order. Plus the `docx` command in a subprocess.

All files convert in one `soffice` call (each start costs seconds), with a private profile so
parallel or leftover LibreOffice instances do not clash with this session's."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from pipeline.documents.docx import markdown_to_docx
from pipeline.documents.letter import LetterHead
from pipeline.settings import PROJECT_ROOT

MASTER_CV = PROJECT_ROOT / "pipeline" / "sources" / "demo_data" / "master_cv.md"
SOFFICE_TIMEOUT = 240  # a fresh profile's first start is the slow part

LETTER_BODY = """Dear hiring team,

I am applying for the Staff Engineer role. At Corvid Freight I moved shipment tracking to a Kafka event stream
and cut the cloud bill by 31%; I would bring the same care for reliability and cost to Acme.

- Nine years of Python services and data platforms on AWS
- Mentored six engineers into mid-level and senior roles

Kind regards,
Jane Doe
"""
LETTER_HEAD = LetterHead(
    sender_name="Jane Doe",
    sender_lines=("1 High Street, London N1 1AA", "jane.doe@example.com · +44 20 7946 0000"),
    date="4 December 2026",
    recipient_lines=("Acme Logistics Ltd", "Platform Engineering", "Berlin"),
    subject="Application for Staff Engineer",
)

WORLD_CV = """# 李雷 Li Lei

北京 · li.lei@example.com · +86 10 0000 0000

## 工作经历

### 高级工程师 — 示例科技

- 负责数据平台的设计与实现
- 将处理延迟从六小时降低到两分钟

## الخبرة

- مهندس برمجيات ذو خبرة في بناء الأنظمة
- قاد فريقا من خمسة مهندسين
- خبرة في Python و SQL

## עברית

- מהנדס תוכנה בכיר
"""


@dataclass
class Converted:
    docx: Path
    pdf: Path
    lines: list[str]  # the source text, one entry a line, in reading order

    def text(self) -> str:
        return "\n".join(page.extract_text() or "" for page in PdfReader(self.pdf).pages)


_MD_PREFIX = re.compile(r"^\s*(?:#{1,6}|[-*+]|\d+\.)\s+")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_INVISIBLE = re.compile("[\\s\u00ad\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")


def md_lines(md: str) -> list[str]:
    """The text a reader sees, line by line: markdown markers, emphasis and link targets removed."""
    out = []
    for line in md.splitlines():
        line = _MD_LINK.sub(r"\1", _MD_PREFIX.sub("", line)).replace("**", "").replace("*", "").strip()
        if line:
            out.append(line)
    return out


def norm(text: str) -> str:
    """Compatibility forms folded (ligatures, Arabic presentation forms), case folded (section titles
    print in capitals) and every space removed (line wraps and justification move them)."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def assert_in_order(lines: list[str], pdf_text: str, name: str) -> None:
    haystack, pos = norm(pdf_text), 0
    for line in lines:
        found = haystack.find(norm(line), pos)
        assert found >= 0, f"{name}: {line!r} is missing from the PDF's text after position {pos} (or out of order)"
        pos = found + len(norm(line))


@pytest.fixture(scope="session")
def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.fail("LibreOffice (soffice) is not installed; run `make test-deps` to install it.", pytrace=False)
    return path


@pytest.fixture(scope="session")
def converted(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Converted]:
    """The three documents as .docx, converted to PDF by LibreOffice in one call."""
    root = tmp_path_factory.mktemp("docx-lo")
    master = MASTER_CV.read_text(encoding="utf-8")
    sources = {
        "master_cv": (markdown_to_docx(master, title="Jane Doe", author="Jane Doe"), md_lines(master)),
        "letter": (
            markdown_to_docx(LETTER_BODY, kind="letter", head=LETTER_HEAD, page_size="Letter", title="Cover letter"),
            [LETTER_HEAD.sender_name, *LETTER_HEAD.sender_lines, LETTER_HEAD.date, *LETTER_HEAD.recipient_lines,
             LETTER_HEAD.subject, *md_lines(LETTER_BODY)],
        ),
        "world_cv": (markdown_to_docx(WORLD_CV, lang="zh-CN", template="compact"), md_lines(WORLD_CV)),
    }
    out: dict[str, Converted] = {}
    for name, (data, lines) in sources.items():
        path = root / f"{name}.docx"
        path.write_bytes(data)
        out[name] = Converted(path, root / "pdf" / f"{name}.pdf", lines)
    profile = (root / "lo-profile").as_uri()
    cmd = [soffice, "--headless", "--norestore", "--nologo", f"-env:UserInstallation={profile}",
           "--convert-to", "pdf", "--outdir", str(root / "pdf"), *(str(c.docx) for c in out.values())]
    env = {**os.environ, "HOME": str(root)}  # LibreOffice writes under HOME even with a private profile
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT, check=False, env=env)
    missing = [c.pdf.name for c in out.values() if not c.pdf.exists()]
    assert not missing, f"LibreOffice did not write {missing} (exit {proc.returncode}): {proc.stderr[-2000:]}"
    return out


def test_demo_cv_text_survives_libreoffice_in_order(converted: dict[str, Converted]):
    cv = converted["master_cv"]
    assert_in_order(cv.lines, cv.text(), "master CV")
    reader = PdfReader(cv.pdf)
    assert 1 <= len(reader.pages) <= 3
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5  # A4 in points
    assert reader.metadata.title == "Jane Doe"


def test_cover_letter_reads_head_then_body(converted: dict[str, Converted]):
    letter = converted["letter"]
    text = letter.text()
    assert_in_order(letter.lines, text, "cover letter")
    page = PdfReader(letter.pdf).pages[0]
    assert abs(float(page.mediabox.width) - 612) < 1.5 and abs(float(page.mediabox.height) - 792) < 1.5  # US Letter
    assert len(PdfReader(letter.pdf).pages) == 1


def test_chinese_and_arabic_lines_survive_libreoffice(converted: dict[str, Converted]):
    world = converted["world_cv"]
    text = world.text()
    assert_in_order(world.lines, text, "CV with Chinese and Arabic lines")
    fonts = subprocess.run(["pdffonts", str(world.pdf)], capture_output=True, text=True, check=False).stdout if shutil.which("pdffonts") else ""
    if fonts:  # the CJK text is set in a CJK font, not in boxes
        assert "CJK" in fonts, fonts


# --- the command ----------------------------------------------------------------


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DB_URL", "REDIS_URL")}
    env["DATA_DIR"] = str(tmp_path / "data")
    return subprocess.run([sys.executable, "-m", "pipeline", "docx", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_command_writes_a_file_word_processors_open(tmp_path: Path):
    out = tmp_path / "out" / "Jane Doe CV.docx"
    proc = run_cli(tmp_path, str(MASTER_CV), str(out), "--template", "compact", "--page-size", "Letter")
    assert proc.returncode == 0, proc.stderr
    assert "paragraphs" in proc.stdout and str(out) in proc.stdout
    doc = docx.Document(io.BytesIO(out.read_bytes()))
    assert doc.paragraphs[0].style.name == "Title" and doc.paragraphs[0].text == "Jane Doe"
    assert doc.core_properties.title == "Jane Doe"
    assert abs(doc.sections[0].page_width.inches - 8.5) < 0.01


def test_command_writes_a_letter(tmp_path: Path):
    src = tmp_path / "cover_letter.md"
    src.write_text(LETTER_BODY, encoding="utf-8")
    proc = run_cli(tmp_path, str(src), str(tmp_path / "letter.docx"), "--kind", "letter")
    assert proc.returncode == 0, proc.stderr
    doc = docx.Document(str(tmp_path / "letter.docx"))
    assert doc.paragraphs[0].text == "Dear hiring team,"
    assert doc.core_properties.title == "cover_letter"


@pytest.mark.parametrize(("make_input", "out_name", "says"), [
    (None, "o.docx", "No such file"),
    ("cv.txt", "o.docx", "neither markdown"),
    ("cv.md", "o.pdf", "must end in .docx"),
])
def test_command_refuses_bad_input_with_exit_2(tmp_path: Path, make_input: str | None, out_name: str, says: str):
    src = tmp_path / (make_input or "missing.md")
    if make_input:
        src.write_text("# Jane Doe\n", encoding="utf-8")
    proc = run_cli(tmp_path, str(src), str(tmp_path / out_name))
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert says in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / out_name).exists()
