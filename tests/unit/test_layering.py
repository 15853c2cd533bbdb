"""Package layering: profile and matching read text with `pipeline.text`, never through the
offline analyst (`pipeline.llm.offline`), and `pipeline.text` depends on neither."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = next(p for p in Path(__file__).resolve().parents if (p / "pipeline").is_dir())  # tests/ or tests/<kind>/


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (lazy imports inside functions count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(f"{node.module}.{alias.name}" for alias in node.names)
    return out


def _files(package: str) -> list[Path]:
    files = sorted((ROOT / "pipeline" / package).rglob("*.py"))
    assert files, package
    return files


def _offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}: {mod}"
        for path in _files(package)
        for mod in sorted(imported_modules(path))
        if any(mod == f or mod.startswith(f + ".") for f in forbidden)
    ]


@pytest.mark.parametrize("package", ["profile", "matching"])
def test_profile_and_matching_do_not_import_the_offline_analyst(package):
    assert _offenders(package, ("pipeline.llm.offline",)) == []


def test_text_package_depends_on_no_analyst_or_feature_package():
    forbidden = ("pipeline.llm", "pipeline.profile", "pipeline.matching", "pipeline.store", "pipeline.runs", "jobapp")
    assert _offenders("text", forbidden) == []


def test_the_walker_sees_lazy_imports(tmp_path):
    f = tmp_path / "m.py"
    f.write_text("def f():\n    from pipeline.llm.offline.cv import parse_cv\n    import pipeline.llm.offline\n", encoding="utf-8")
    assert {"pipeline.llm.offline.cv", "pipeline.llm.offline"} <= imported_modules(f)
