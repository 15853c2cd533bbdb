"""`python -m pipeline check`: the claim check from the command line, through a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pipeline.settings import PROJECT_ROOT

MASTER = "# Ann\n\n## Experience\n\n### Staff Nurse — Ward 4\n\n*2018 – 2022*\n\n- Participated in the falls prevention audit.\n- Cared for 8 patients per shift.\n"
TAILORED = "# Ann\n\n## Experience\n\n### Staff Nurse — Ward 4\n\n*2018 – 2022*\n\n- Led the falls prevention audit.\n- Cared for 8 patients per shift.\n"


def check(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data")}
    return subprocess.run([sys.executable, "-m", "pipeline", "check", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_prints_flags_as_json_and_exits_0(tmp_path: Path) -> None:
    (tmp_path / "m.md").write_text(MASTER, encoding="utf-8")
    (tmp_path / "t.md").write_text(TAILORED, encoding="utf-8")
    result = check(tmp_path, "--master", str(tmp_path / "m.md"), "--tailored", str(tmp_path / "t.md"), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"flags": [{
        "line": "Led the falls prevention audit.", "source": "Participated in the falls prevention audit.",
        "kind": "verb_inflation", "why": 'Says "Led" where your CV says "Participated in".',
    }]}
    human = check(tmp_path, "--master", str(tmp_path / "m.md"), "--tailored", str(tmp_path / "t.md"))
    assert human.returncode == 0 and "[verb_inflation] Led the falls prevention audit." in human.stdout


def test_a_faithful_copy_has_no_flags_and_a_missing_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "m.md").write_text(MASTER, encoding="utf-8")
    same = check(tmp_path, "--master", str(tmp_path / "m.md"), "--tailored", str(tmp_path / "m.md"), "--json")
    assert same.returncode == 0 and json.loads(same.stdout) == {"flags": []}
    missing = check(tmp_path, "--master", str(tmp_path / "m.md"), "--tailored", str(tmp_path / "nope.md"), "--json")
    assert missing.returncode == 2 and "nope.md" in missing.stderr and missing.stdout == ""
