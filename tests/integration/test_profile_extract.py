"""test_profile_extract: the cases that start processes or talk to a service (the rest: tests/unit/test_profile_extract.py)."""

from __future__ import annotations

import base64

import pytest

from pipeline.profile.extract import ProfileError, extract_text
from pipeline.render.pdf import render_pdf_sync
from tests.unit.test_profile_extract import LEFT, NAME, RIGHT, _encrypted, _html, _png


def test_one_column_pdf_reads_in_order(pdfs):
    out = extract_text(pdfs["one_column"])
    assert out.kind == "pdf" and out.pages == 1 and out.warnings == []
    positions = [out.text.index(t) for t in [NAME, "zoe@example.com", "Experience", *LEFT]]
    assert positions == sorted(positions)


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    """Every PDF these tests read, printed once by the app's own renderer."""
    img = base64.b64encode(_png()).decode()
    docs = {
        "one_column": _html(f"<h1>{NAME}</h1><p>zoe@example.com</p><h2>Experience</h2>" + "".join(f"<p>{t}</p>" for t in LEFT)),
        "two_column": _html(
            f"<h1>{NAME}</h1><p>zoe@example.com · +44 20 7946 0000</p><div class=cols>"
            + "".join(f"<p>{t}</p>" for t in LEFT) + "".join(f"<p>{t}</p>" for t in RIGHT) + "</div>",
            ".cols{column-count:2;column-gap:32px}",
        ),
        # Drawn row by row (left, right, left, ...): the content stream itself interleaves the columns.
        "interleaved": _html(
            f"<div style='position:absolute;left:40px;top:30px;font-size:20px'>{NAME} — two columns drawn row by row</div>"
            + "".join(
                f"<div style='position:absolute;left:40px;top:{90 + i * 24}px'>{LEFT[i]}</div>"
                f"<div style='position:absolute;left:420px;top:{90 + i * 24}px'>{RIGHT[i]}</div>"
                for i in range(8)
            )
        ),
        "scripts": _html(
            "<h1 style=\"font-family:'Noto Sans CJK SC'\">王小明</h1>"
            "<p style=\"font-family:'Noto Sans CJK SC'\">高级后端工程师，熟悉 Python 和 PostgreSQL。</p>"
            "<p dir=rtl lang=ar>محمد عبد الله - مهندس برمجيات</p>"
            "<p>Иван Петров — инженер-программист</p>"
            f"<p>{NAME}, François Müller, Łukasz Żółć</p>"
        ),
        "image_only": _html(f"<img src='data:image/png;base64,{img}' style='width:500px'>"),
        "text_then_image": _html(
            f"<h1>{NAME}</h1>" + "".join(f"<p>{t}</p>" for t in LEFT)
            + f"<div style='break-before:page'><img src='data:image/png;base64,{img}' style='width:500px'></div>"
        ),
    }
    return {name: render_pdf_sync(html).data for name, html in docs.items()}


@pytest.mark.parametrize("doc", ["two_column", "interleaved"])
def test_two_column_pdf_reads_column_by_column(pdfs, doc):
    text = extract_text(pdfs[doc]).text
    for t in LEFT + RIGHT:
        assert t in text, f"{t!r} is not one intact line in:\n{text}"
    assert text.index(NAME) < text.index(LEFT[0])
    last_left = max(text.index(t) for t in LEFT)
    first_right = min(text.index(t) for t in RIGHT)
    assert last_left < first_right, f"columns interleaved:\n{text}"
    assert [text.index(t) for t in LEFT] == sorted(text.index(t) for t in LEFT)
    assert [text.index(t) for t in RIGHT] == sorted(text.index(t) for t in RIGHT)


def test_pdf_keeps_chinese_arabic_cyrillic_and_accents(pdfs):
    text = extract_text(pdfs["scripts"]).text
    for expected in ("王小明", "高级后端工程师，熟悉 Python 和 PostgreSQL。", "محمد عبد الله - مهندس برمجيات",
                     "Иван Петров — инженер-программист", NAME, "François Müller", "Łukasz Żółć"):  # fmt: skip
        assert expected in text, f"{expected!r} not in:\n{text}"
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert lines[0] == "# 王小明"  # the largest line is marked as the name; reading order top to bottom, right-aligned Arabic included
    assert lines.index("محمد عبد الله - مهندس برمجيات") < lines.index("Иван Петров — инженер-программист")


def test_scanned_pdf_without_text_layer_is_refused(pdfs):
    with pytest.raises(ProfileError) as info:
        extract_text(pdfs["image_only"])
    assert info.value.code == "no_text_layer"
    assert "scanned" in info.value.message and "DOCX" in info.value.message


def test_pdf_with_one_scanned_page_warns_and_keeps_the_text(pdfs):
    out = extract_text(pdfs["text_then_image"])
    assert out.pages == 2 and LEFT[-1] in out.text
    assert out.warnings == ["Page 2 has no readable text (scanned?); it was skipped."]


def test_password_protected_pdf_is_refused(pdfs):
    with pytest.raises(ProfileError) as info:
        extract_text(_encrypted(pdfs["one_column"], "open-sesame"))
    assert info.value.code == "encrypted" and "password" in info.value.message


def test_pdf_with_only_an_owner_password_opens(pdfs):
    """Restrictions-only encryption (empty user password) is how many CVs are exported: it must read."""
    out = extract_text(_encrypted(pdfs["one_column"], ""))
    assert NAME in out.text and LEFT[-1] in out.text


@pytest.mark.parametrize("cut", [0.3, 0.7])
def test_truncated_pdf_is_corrupt(pdfs, cut):
    data = pdfs["one_column"]
    with pytest.raises(ProfileError) as info:
        extract_text(data[: int(len(data) * cut)])
    assert info.value.code in ("corrupt", "no_text_layer")
    assert info.value.code == "corrupt" or "no text layer" in info.value.message
