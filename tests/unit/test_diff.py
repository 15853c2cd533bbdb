"""Master CV vs tailored CV: kept, dropped, reordered, rephrased and added lines; escaped output."""

from __future__ import annotations

import re

from pipeline.render.diff import DiffCounts, changed_line_count, compare_html, diff_rows

MASTER = """# Jane Doe

## Experience

- Built data pipelines in Python for 3 teams
- Led the migration to Kubernetes
- Organised the office party
- Wrote internal documentation

## Skills

Python, SQL, Go
"""

TAILORED = """# Jane Doe

## Experience

- Led the migration to Kubernetes
- Built data pipelines in Python and Airflow for 3 teams
- Wrote internal documentation

## Skills

Python, SQL
Speaks fluent Klingon
"""


def _kinds(master: str, tailored: str) -> list[tuple[str, str]]:
    return [(r.kind, r.text) for r in diff_rows(master, tailored)]


def test_identical_documents_are_all_kept():
    counts = changed_line_count(MASTER, MASTER)
    assert counts == DiffCounts(kept=8)
    assert "<del>" not in compare_html(MASTER, MASTER) and "<ins>" not in compare_html(MASTER, MASTER)


def test_each_kind_of_change():
    rows = _kinds(MASTER, TAILORED)
    assert ("kept", "- Led the migration to Kubernetes") in rows
    assert ("removed", "- Organised the office party") in rows
    assert ("moved rephrased", "- Built data pipelines in Python and Airflow for 3 teams") in rows
    assert ("kept", "- Wrote internal documentation") in rows
    assert ("rephrased", "Python, SQL") in rows
    assert ("added", "Speaks fluent Klingon") in rows
    # Blank lines are not lines of content; the tailored order is kept.
    assert [t for k, t in rows if k != "removed"] == [line for line in TAILORED.splitlines() if line]


def test_pure_reorder_is_marked_moved():
    master = "- one\n- two\n- three\n"
    tailored = "- three\n- one\n- two\n"
    rows = _kinds(master, tailored)
    assert rows == [("moved", "- three"), ("kept", "- one"), ("kept", "- two")]
    assert changed_line_count(master, tailored) == DiffCounts(kept=2, reordered=1)
    assert '<div class="diff-line moved" title="reordered">- three</div>' in compare_html(master, tailored)


def test_word_level_detail_inside_a_rephrased_line():
    html = compare_html("- Built pipelines in Python for 3 teams\n", "- Built pipelines in Python and Airflow for 3 teams\n")
    assert '<div class="diff-line rephrased" title="rephrased">- Built pipelines in Python <ins>and Airflow </ins>for 3 teams</div>' in html
    html = compare_html("- Managed a team of 4 engineers\n", "- Managed a team of 6 engineers\n")
    assert "<del>4</del><ins>6</ins>" in html


def test_summary_numbers_and_text():
    counts = changed_line_count(MASTER, TAILORED)
    assert counts == DiffCounts(kept=5, rephrased=2, dropped=1, reordered=1, added=1)
    assert str(counts) == "5 lines kept, 2 rephrased, 1 dropped, 1 reordered, 1 added"
    assert counts.as_dict()["dropped"] == 1
    assert str(DiffCounts(kept=12, rephrased=3, dropped=4, reordered=2)) == "12 lines kept, 3 rephrased, 4 dropped, 2 reordered"


def test_output_is_escaped_text_only():
    hostile = '<script>alert(1)</script>\n- <img src=x onerror=alert(1)> & "q"\n'
    html = compare_html("- plain\n", hostile)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html and "&quot;q&quot;" in html
    tags = {m.group(1) for m in re.finditer(r"</?([a-z]+)", html)}
    assert tags <= {"div", "del", "ins"}


def test_empty_inputs():
    assert changed_line_count("", "") == DiffCounts()
    assert changed_line_count("", "- new\n") == DiffCounts(added=1)
    assert changed_line_count("- old\n", "") == DiffCounts(dropped=1)
    assert compare_html("", "") == '<div class="cv-diff">\n</div>'


def test_whitespace_only_changes_are_kept():
    assert changed_line_count("-   Python   and  SQL\n\n\n", "- Python and SQL\n") == DiffCounts(kept=1)
