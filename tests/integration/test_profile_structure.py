"""test_profile_structure: the cases that start processes or talk to a service (the rest: tests/unit/test_profile_structure.py)."""

from __future__ import annotations

import json

import pytest

from tests.unit.test_profile_structure import NURSE, SHAPES, _assert_amara, _cli, _headings, printed  # noqa: F401 - shared helpers and fixtures  # noqa: F401 - shared helpers and fixtures


def test_cli_parse_json(tmp_path):
    f = tmp_path / "cv.txt"
    f.write_text(NURSE, encoding="utf-8")
    res = _cli(str(f), "--json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["name"] == "María José García-López" and out["source"]["kind"] == "text"
    assert 5 <= len(out["suggested_titles"]) <= 10 and all(t["reason"] for t in out["suggested_titles"])
    assert out["markdown"].startswith("# María José García-López")


def test_cli_bad_input_exits_2_with_the_reason(tmp_path):
    f = tmp_path / "cv.pdf"
    f.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 10)
    res = _cli(str(f), cwd=tmp_path)
    assert res.returncode == 2 and "error (corrupt)" in res.stderr and "damaged" in res.stderr and res.stdout == ""
    res = _cli(str(tmp_path / "missing.pdf"), cwd=tmp_path)
    assert res.returncode == 2 and "cannot read" in res.stderr


@pytest.mark.parametrize("doc", ["classic", "compact", "ats_safe"])
def test_cv_printed_by_the_app_reads_back_with_roles_bullets_and_section_order(printed, doc):
    from pipeline.profile import parse_offline

    _assert_amara(parse_offline("amara.pdf", printed[doc]))


@pytest.mark.parametrize("shape", list(SHAPES))
def test_other_printed_cv_shapes(printed, shape):
    """'Company — City' then 'Title · dates'; dates right-aligned on the title line; a German CV with month names."""
    from pipeline.profile import parse_offline

    _, roles, order = SHAPES[shape]
    parsed = parse_offline(f"{shape}.pdf", printed[shape])
    assert parsed.warnings == []
    got = [(e.title, e.company, e.location, e.dates, len(e.bullets)) for e in parsed.profile.experience]
    assert got == roles, parsed.text
    assert _headings(parsed.markdown)[: len(order)] == order
    assert all(b[:1].isupper() and b.endswith(".") for e in parsed.profile.experience for b in e.bullets)  # no broken wraps
