"""`python -m pipeline run`: files in, pack out, exit codes 0 / 2 / 3."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pipeline.sources.demo import DEMO_DIR

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, env: dict[str, str] | None = None, data_dir: Path) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in ("DB_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL")}
    full_env.update({"DATA_DIR": str(data_dir), **(env or {})})
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120)


def _posting(tmp_path: Path) -> Path:
    job = json.loads((DEMO_DIR / "jobs.json").read_text(encoding="utf-8"))[1]  # the ICU nurse posting
    path = tmp_path / "posting.txt"
    path.write_text(job["title"] + "\n\n" + job["description"], encoding="utf-8")
    return path


def test_run_files_offline_writes_pack_and_json(tmp_path):
    out = tmp_path / "pack"
    proc = cli("run", "--cv", str(DEMO_DIR / "master_cv.md"), "--jd", str(_posting(tmp_path)), "--out", str(out), "--json", data_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["model"] == "offline analyst" and result["offline"] is True
    assert result["fit_score"] < 40, "a data engineer's CV is a poor fit for an ICU nurse post"
    assert {p.name for p in out.iterdir()} == {"CV.md", "cover_letter.md", "outreach.json", "dossier.md", "result.json"}
    assert "intake" in proc.stderr and "publish" in proc.stderr  # the live log goes to stderr


def test_run_files_language_writes_the_letter_in_it(tmp_path):
    out = tmp_path / "pack"
    proc = cli("run", "--cv", str(DEMO_DIR / "master_cv.md"), "--jd", str(_posting(tmp_path)), "--out", str(out), "--json", "--language", "fr", data_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["job"]["language"] == "fr"
    letter = (out / "cover_letter.md").read_text(encoding="utf-8")
    assert letter.startswith("Madame, Monsieur,") and "Dear" not in letter
    bad = cli("run", "--cv", str(DEMO_DIR / "master_cv.md"), "--jd", str(_posting(tmp_path)), "--out", str(out), "--language", "xx", data_dir=tmp_path)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


def test_run_files_bad_input_exits_2(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("hi", encoding="utf-8")
    proc = cli("run", "--cv", str(DEMO_DIR / "master_cv.md"), "--jd", str(empty), "--out", str(tmp_path / "o"), data_dir=tmp_path)
    assert proc.returncode == 2 and "invalid_input" in proc.stderr
    missing = cli("run", "--cv", str(tmp_path / "nope.md"), "--jd", str(empty), "--out", str(tmp_path / "o"), data_dir=tmp_path)
    assert missing.returncode == 2


def test_run_files_llm_unreachable_exits_3_without_leaking_the_key(tmp_path):
    env = {"OPENAI_API_KEY": "sk-cli-PLANTED-0123456789abcdef", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "LLM_MAX_RETRIES": "1"}
    proc = cli("run", "--cv", str(DEMO_DIR / "master_cv.md"), "--jd", str(_posting(tmp_path)), "--out", str(tmp_path / "o"), env=env, data_dir=tmp_path)
    assert proc.returncode == 3
    assert "llm_unavailable" in proc.stderr and "intake" in proc.stderr
    assert "PLANTED" not in proc.stderr + proc.stdout


def test_run_stored_job_records_the_run(tmp_path):
    assert cli("seed", data_dir=tmp_path).returncode == 0
    proc = cli("run", "--job-id", "1", "--json", data_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    listed = json.loads(cli("jobs", "list", "--json", "--limit", "100", data_dir=tmp_path).stdout)
    job = next(j for j in listed if j["id"] == 1)
    assert job["fit_score"] == result["fit_score"] and job["last_run_status"] == "succeeded"
    assert cli("run", "--job-id", "9999", data_dir=tmp_path).returncode == 2
