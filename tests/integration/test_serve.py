"""`python -m pipeline serve` (what `make run` runs) refuses a start before building anything:
unsafe HOST, bad settings, database or Redis down, port taken, another instance serving from
this checkout. A refused start changes nothing on disk (no data folder, no database, no page
build, no lock file contents)."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.serve import LOCK_FILE, PROJECT_ROOT, Target, take_lock
from tests.support.app_server import free_port

WEB = PROJECT_ROOT / ".web"


def disk_state(*paths: Path) -> dict[str, object]:
    """What a start would change: the page build and the given paths (mtime, size) or absent."""
    watched = [WEB / "env.json", WEB / "utils" / "state.js", WEB / "build" / "client" / "index.html", LOCK_FILE, *paths]
    return {str(p): (p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else None for p in watched}


def serve(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    child = {k: v for k, v in os.environ.items() if k not in ("DB_URL", "REDIS_URL", "LOGIN_PASSWORD", "PUBLIC_URL", "HOST")}
    child.update({"DATA_DIR": str(tmp_path / "data"), **env})
    return subprocess.run([sys.executable, "-m", "pipeline", "serve", *args], capture_output=True, text=True, env=child, check=False,
                          cwd=PROJECT_ROOT, timeout=60)


@pytest.mark.parametrize(("args", "env", "says"), [
    (["--host", "0.0.0.0"], {}, "exposes jobapp beyond this machine, and it has no login"),
    ([], {"PUBLIC_URL": "https://example.org/jobapp/"}, "cannot be served under a sub-path"),
    ([], {"PORT": "not-a-port"}, "Bad settings"),
    ([], {"DB_URL": "postgresql://jobapp@127.0.0.1:1/jobapp"}, "The database does not answer"),
    ([], {"REDIS_URL": "redis://127.0.0.1:1/0"}, "Redis does not answer"),
])
def test_refused_start_says_why_and_changes_nothing(tmp_path, args, env, says):
    before = disk_state(tmp_path / "data")
    result = serve(tmp_path, *args, "--port", str(free_port()), **env)
    assert result.returncode == 2, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert disk_state(tmp_path / "data") == before
    assert not (tmp_path / "data").exists()


def test_port_taken_is_refused_before_the_build(tmp_path):
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        before = disk_state()
        result = serve(tmp_path, "--port", str(held.getsockname()[1]))
    assert result.returncode == 2 and "is taken" in result.stderr
    assert disk_state() == before


def test_second_instance_of_a_checkout_is_refused_with_the_first_ones_port(tmp_path):
    fd = take_lock(Target("127.0.0.1", 3456))
    try:
        before = disk_state()
        result = serve(tmp_path, "--port", str(free_port()))
        assert result.returncode == 2
        assert f"Another jobapp from this checkout is serving on port 3456 (pid {os.getpid()})" in result.stderr
        assert disk_state() == before
    finally:
        os.close(fd)


def test_exposed_host_with_an_account_passes_without_writing_the_database(tmp_path):
    """Accounts are counted read-only: the database file is not touched by the check."""
    from pipeline.accounts.users import add_user
    from pipeline.store.db import get_engine, migrate, session_scope

    data = tmp_path / "data"
    data.mkdir()
    url = f"sqlite:///{data / 'jobapp.db'}"
    migrate(url)
    with session_scope(url) as s:
        add_user(session=s, email="ann@example.org", password="correct horse battery")
        s.commit()
    get_engine(url).dispose()
    before = disk_state(data / "jobapp.db", data / "jobapp.db-wal")
    result = serve(tmp_path, "--host", "0.0.0.0", "--port", str(free_port()), "--check")
    assert result.returncode == 0, result.stderr
    assert "ok: jobapp can start on 0.0.0.0" in result.stdout
    assert disk_state(data / "jobapp.db", data / "jobapp.db-wal") == before
    # and with LOGIN_PASSWORD instead of accounts
    assert serve(tmp_path / "fresh", "--host", "0.0.0.0", "--check", "--port", str(free_port()),
                 LOGIN_PASSWORD="a long shared passphrase").returncode == 0


def test_unreadable_sqlite_file_is_a_plain_refusal(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "jobapp.db").write_bytes(b"this is not a database" * 100)
    result = serve(tmp_path, "--host", "0.0.0.0", "--check", "--port", str(free_port()))
    assert result.returncode == 2 and "cannot be read" in result.stderr
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(data / "jobapp.db").execute("select 1 from sqlite_master").fetchall()


def test_prebuilt_without_a_built_page_is_refused(tmp_path):
    result = serve(tmp_path, "--prebuilt", "--port", str(free_port()), REFLEX_WEB_WORKDIR=str(tmp_path / "no-web"))
    assert result.returncode == 2 and "no built page" in result.stderr
    assert not (tmp_path / "data").exists()
