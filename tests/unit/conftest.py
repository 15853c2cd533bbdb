"""Unit tests: no database server, Redis, child process or browser (`make test-unit`).

The guard below makes that a rule rather than a habit: a test here that starts a process or
dials PostgreSQL/Redis fails and says where it belongs. Store tests run on SQLite here and
again on PostgreSQL from tests/integration/on_postgres/."""

from __future__ import annotations

import multiprocessing.process
import socket
import subprocess
from collections.abc import Iterator

import pytest

SERVICE_PORTS = {5432: "PostgreSQL", 6379: "Redis"}
MOVE = "belongs in tests/integration/ (unit tests start no process and use no service)"


@pytest.fixture
def db_kind() -> str:
    """SQLite only (tests/integration/on_postgres/ runs these tests again on PostgreSQL)."""
    return "sqlite"


@pytest.fixture
def pg_database() -> None:
    raise AssertionError(f"this test uses PostgreSQL: it {MOVE}")


@pytest.fixture(autouse=True, scope="module")
def _no_processes_or_services() -> Iterator[None]:
    """Module-wide, so module fixtures (a PDF printed once for a file's tests) are held to it too."""

    def refuse_process(*_a, **_k):
        raise AssertionError(f"this test starts a child process (a browser, a CLI, a worker): it {MOVE}")

    real_connect = socket.socket.connect

    def connect(self, address):
        if isinstance(address, tuple) and len(address) >= 2 and address[1] in SERVICE_PORTS:
            raise AssertionError(f"this test dials {SERVICE_PORTS[address[1]]}: it {MOVE}")
        return real_connect(self, address)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(subprocess.Popen, "__init__", refuse_process)
        mp.setattr(multiprocessing.process.BaseProcess, "start", refuse_process)
        mp.setattr(socket.socket, "connect", connect)
        yield


@pytest.fixture
def page_client(default_store, monkeypatch):
    """The page's server (routes, /files, /api, /calendar) as a test client; local mode, no password."""
    from starlette.testclient import TestClient

    from jobapp.jobapp import api
    from pipeline.accounts import auth
    from pipeline.settings import settings
    from tests.unit.test_accounts import wipe_accounts

    wipe_accounts()
    monkeypatch.setattr(settings, "login_password", None)
    auth.reset_caches()
    with TestClient(api, base_url="http://127.0.0.1") as c:
        yield c
