"""The CLI as scripts use it: `python -m pipeline ...` in a subprocess, on a scratch DATA_DIR."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from pipeline.settings import PROJECT_ROOT

CSV_JOBS = """title,company,location,url,description,external_id,status
Data Engineer,Acme,Berlin,https://a.example/1,Build pipelines in Python.,A-1,shortlisted
Nurse,St Mary's,London,https://b.example/2,Ward nurse.,B-2,new
Pastry Chef,Dolce,Rome,https://c.example/3,Croissants at dawn.,C-3,applied
"""


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def cli(tmp_path: Path):
    """Run the CLI against a fresh SQLite database under tmp_path/data."""
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k not in ("DB_URL", "MONGODB_URI", "REDIS_URL")}
    env["DATA_DIR"] = str(data_dir)

    def run(*args: str) -> Result:
        proc = subprocess.run(
            [sys.executable, "-m", "pipeline", *map(str, args)],
            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    run.data_dir = data_dir  # type: ignore[attr-defined]
    return run


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def job_count(data_dir: Path) -> int:
    engine = create_engine(f"sqlite:///{data_dir / 'jobapp.db'}")
    try:
        with engine.connect() as conn:
            return conn.execute(text("select count(*) from job")).scalar()
    finally:
        engine.dispose()


def test_import_prints_a_json_summary(cli, tmp_path: Path) -> None:
    result = cli("jobs", "import", write(tmp_path / "jobs.csv", CSV_JOBS))
    assert result.code == 0, result.stderr
    assert result.json() == {"imported": 3, "updated": 0, "skipped": 0, "errors": []}


def test_importing_the_same_file_twice_imports_nothing_new(cli, tmp_path: Path) -> None:
    path = write(tmp_path / "jobs.csv", CSV_JOBS)
    assert cli("jobs", "import", path).json()["imported"] == 3
    second = cli("jobs", "import", path)
    assert second.code == 0
    assert second.json() == {"imported": 0, "updated": 0, "skipped": 3, "errors": []}
    assert job_count(cli.data_dir) == 3


def test_import_source_option_keeps_sources_apart(cli, tmp_path: Path) -> None:
    path = write(tmp_path / "jobs.csv", CSV_JOBS)
    assert cli("jobs", "import", path).json()["imported"] == 3
    assert cli("jobs", "import", path, "--source", "paste").json()["imported"] == 3
    rows = cli("jobs", "list", "--json").json()
    assert sorted(r["source"] for r in rows) == ["file"] * 3 + ["paste"] * 3


def test_import_with_bad_rows_reports_them_by_line(cli, tmp_path: Path) -> None:
    content = (
        "title,company,description\n"
        "Welder,Forge,Metal work.\n"
        ",NoTitle Ltd,This row has no title.\n"
        "Baker,Bread Co,Early shifts.\n"
        "Rogue,Acme,too,many,cells\n"
    )
    result = cli("jobs", "import", write(tmp_path / "mixed.csv", content))
    assert result.code == 0, result.stderr
    summary = result.json()
    assert summary["imported"] == 2
    assert [e["line"] for e in summary["errors"]] == [3, 5]
    assert "title" in summary["errors"][0]["error"]
    assert all(e["error"] for e in summary["errors"])


@pytest.mark.parametrize(
    "name, content",
    [
        ("garbage.bin", bytes(range(256)) * 8),
        ("sheet.csv", b"PK\x03\x04" + b"\x00" * 200),
        ("empty.csv", b""),
        ("notes.csv", b"just,some,columns\n1,2,3\n"),
    ],
    ids=["binary", "zip", "empty", "no-title-column"],
)
def test_unreadable_file_exits_non_zero_with_a_message(cli, tmp_path: Path, name: str, content: bytes) -> None:
    result = cli("jobs", "import", write(tmp_path / name, content))
    assert result.code != 0
    assert "error:" in result.stderr and len(result.stderr.strip()) > len("error:") + 10
    assert "Traceback" not in result.stderr
    assert job_count(cli.data_dir) == 0


def test_import_of_a_missing_file_exits_non_zero(cli, tmp_path: Path) -> None:
    result = cli("jobs", "import", tmp_path / "nope.csv")
    assert result.code != 0
    assert "nope.csv" in result.stderr and "Traceback" not in result.stderr


def test_jobs_list_json_has_the_job_fields(cli, tmp_path: Path) -> None:
    cli("jobs", "import", write(tmp_path / "jobs.csv", CSV_JOBS))
    result = cli("jobs", "list", "--json")
    assert result.code == 0, result.stderr
    rows = result.json()
    assert isinstance(rows, list) and len(rows) == 3
    for row in rows:
        assert {"id", "title", "company", "location", "status", "fit_score", "source"} <= row.keys()
    chef = next(r for r in rows if r["title"] == "Pastry Chef")
    assert (chef["company"], chef["location"], chef["status"], chef["fit_score"], chef["source"]) == ("Dolce", "Rome", "applied", None, "file")
    assert isinstance(chef["id"], int)


def test_jobs_list_filters_by_status_and_query(cli, tmp_path: Path) -> None:
    cli("jobs", "import", write(tmp_path / "jobs.csv", CSV_JOBS))

    def titles(*args: str) -> list[str]:
        result = cli("jobs", "list", "--json", *args)
        assert result.code == 0, result.stderr
        return sorted(r["title"] for r in result.json())

    assert titles("--status", "applied") == ["Pastry Chef"]
    assert titles("--status", "applied", "--status", "new") == ["Nurse", "Pastry Chef"]
    assert titles("--query", "python") == ["Data Engineer"]
    assert titles("--query", "LONDON") == ["Nurse"]
    assert titles("--query", "python", "--status", "new") == []


def test_jobs_list_plain_text(cli, tmp_path: Path) -> None:
    cli("jobs", "import", write(tmp_path / "jobs.csv", CSV_JOBS))
    result = cli("jobs", "list", "--status", "shortlisted")
    assert result.code == 0
    assert "Data Engineer" in result.stdout and "Nurse" not in result.stdout
    assert "1 job(s)" in result.stdout


def test_seed_loads_demo_jobs_once(cli) -> None:
    first = cli("seed")
    assert first.code == 0, first.stderr
    assert first.json()["imported"] == 30
    assert job_count(cli.data_dir) == 30

    second = cli("seed")
    assert second.code == 0
    assert second.json().get("imported", 0) == 0
    assert job_count(cli.data_dir) == 30


def test_seed_does_not_touch_a_database_with_user_jobs(cli, tmp_path: Path) -> None:
    cli("jobs", "import", write(tmp_path / "jobs.csv", CSV_JOBS))
    assert cli("seed").code == 0
    assert job_count(cli.data_dir) == 3


def test_mongo_import_without_uri_fails_clearly(cli) -> None:
    result = cli("jobs", "import", "--mongo")
    assert result.code != 0
    assert "MONGODB_URI" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_without_file_or_mongo_is_a_usage_error(cli) -> None:
    result = cli("jobs", "import")
    assert result.code != 0
    assert "FILE" in result.stderr or "--mongo" in result.stderr


def test_migrate_command(cli) -> None:
    result = cli("migrate")
    assert result.code == 0, result.stderr
    assert (cli.data_dir / "jobapp.db").exists()
    assert job_count(cli.data_dir) == 0


COMMANDS = [
    (), ("migrate",), ("seed",), ("jobs",), ("jobs", "import"), ("jobs", "list"), ("run",), ("pdf",), ("worker",),
    ("profile",), ("profile", "parse"), ("match",), ("users",), *(("users", c) for c in ("add", "list", "disable", "enable", "passwd", "claim-local")),
    ("tokens",), *(("tokens", c) for c in ("create", "list", "revoke")),
]


def _undocumented(help_text: str) -> list[str]:
    """Argument lines of argparse's help with no text beside or under them."""
    lines = help_text.splitlines()
    out = []
    for i, line in enumerate(lines):
        body = line.strip()
        if not line.startswith("  ") or line.startswith("   ") or body.startswith(("-h, --help", "usage:")):
            continue
        if "  " in body:  # help on the same line
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if len(nxt) - len(nxt.lstrip()) <= 2 or not nxt.strip():  # nothing indented under it either
            out.append(body)
    return out


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "top")
def test_every_command_has_help_that_documents_each_argument(command: tuple[str, ...], capsys) -> None:
    from pipeline.__main__ import main

    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("usage: python -m pipeline"), text
    assert _undocumented(text) == [], f"`{' '.join(command)} --help` leaves these undescribed"


def test_help_names_what_the_newer_commands_do(cli) -> None:
    top = cli("--help")
    assert top.code == 0
    for cmd in ("profile", "match", "users", "tokens"):
        assert f"    {cmd} " in top.stdout
    assert "greenhouse:acme" in cli("jobs", "import", "--help").stdout
    assert ".pdf, .docx" in cli("profile", "parse", "--help").stdout


def test_user_flag_scopes_jobs_and_matches_to_that_account(default_store, tmp_path):
    """`--user EMAIL` acts on that account's data; an unknown account is refused with exit 2."""
    from sqlmodel import select

    from pipeline.__main__ import main
    from pipeline.accounts.users import add_user
    from pipeline.store.db import session_scope
    from pipeline.store.models import Job, user_owner

    with session_scope() as s:
        user = add_user(session=s, email="Cli.User@example.org", password="long enough password")
        owner = user_owner(user.id)
    postings = tmp_path / "jobs.json"
    postings.write_text(json.dumps([{"title": "Registered Nurse", "company": "Ward Co", "id": "w1", "description": "ICU nursing."}]))
    assert main(["jobs", "import", str(postings), "--user", "cli.user@example.org"]) == 0
    with session_scope() as s:
        [job] = s.exec(select(Job).where(Job.external_id == "w1")).all()
        assert job.owner == owner
    assert main(["jobs", "import", str(postings), "--user", "nobody@example.org"]) == 2
    assert main(["jobs", "list", "--user", "nobody@example.org"]) == 2
    assert main(["match", "--title", "Nurse", "--user", "nobody@example.org"]) == 2
