"""Shared fixtures: isolated DATA_DIR, SQLite and PostgreSQL stores, the running app."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator

# Settings are read once at import: point DATA_DIR at a scratch folder before
# anything imports `pipeline`, so tests never touch a developer's data.
_SCRATCH = tempfile.mkdtemp(prefix="jobapp-tests-")
os.environ["DATA_DIR"] = _SCRATCH
os.environ["WEB_RESEARCH"] = "off"  # tests never reach the internet; web-research tests turn it on themselves
os.environ["WEB_CACHE_DAYS"] = "0"  # no page kept between tests (a port used again); tests/unit/test_web_cache.py turns it on
os.environ.pop("DB_URL", None)
os.environ.pop("OPENAI_API_KEY", None)
os.environ["FIRECRAWL_API_KEY"] = ""  # no web search provider (a developer's .env may name one); tests/unit/test_web_search.py fakes them
os.environ["SEARXNG_URL"] = ""

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session

from pipeline.store.db import get_engine, migrate

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")


def _pg_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated; dropped afterwards.

    Fails loudly when the server is down: hosted-mode tests never skip silently."""
    name = f"jobapp_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is not reachable ({exc}); run `make services`.", pytrace=False)
    url = _pg_url(name)
    migrate(url)
    yield url
    get_engine(url).dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# Children before parents (SQLite deletes them one by one with foreign keys on); "user" is
# quoted because it is a reserved word in PostgreSQL (and the quotes are valid SQLite too).
TABLES = ("interview", "sentdocument", "calendarfeed", "usersettings", "matchresult", "matchquery", "runevent", "artifact", "run", "batch", "jobevent", "cvversion", "profile", "job",
          "loginsession", "apitoken", "idempotencyrecord", '"user"', "web_page")
# LangGraph's checkpoints (thread id = run id): emptied with the runs, or a run id that
# RESTART IDENTITY hands out again would "resume" an old run's finished graph.
CHECKPOINT_TABLES = ("checkpoint_writes", "checkpoint_blobs", "checkpoints")


def wipe_postgres(conn) -> None:
    """Empty every app table (ids restart) and LangGraph's checkpoint tables where they exist."""
    from sqlalchemy import inspect

    present = [t for t in CHECKPOINT_TABLES if inspect(conn).has_table(t)]
    conn.execute(text("TRUNCATE " + ", ".join((*TABLES, *present)) + " RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_kind(request) -> str:
    """Which store a test runs on: both here; tests/unit/ pins SQLite, tests/integration/on_postgres/ PostgreSQL."""
    return request.param


@pytest.fixture
def db_url(db_kind, request, tmp_path) -> Iterator[str]:
    """A migrated, empty database of the kind `db_kind` names."""
    if db_kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        migrate(url)
        yield url
        get_engine(url).dispose()
        return
    url = request.getfixturevalue("pg_database")
    with get_engine(url).begin() as conn:
        wipe_postgres(conn)
    yield url


@pytest.fixture
def default_store(tmp_path, monkeypatch) -> None:
    """The app's own (scratch SQLite) store, migrated and emptied; files under `tmp_path`.

    For code that opens its own sessions (runner, dispatcher) rather than taking one."""
    from pipeline.settings import settings

    monkeypatch.setattr(settings, "data_dir", tmp_path)
    migrate()
    with get_engine().begin() as conn:
        for table in TABLES:
            conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def session(db_url) -> Iterator[Session]:
    with Session(get_engine(db_url), expire_on_commit=False) as s:
        yield s
        s.rollback()


# Fixtures that talk to the machine's Redis: their tests are marked `redis`, so `make test-unit`
# (no services) leaves them out while `make test` runs them and fails loudly if Redis is down.
REDIS_FIXTURES = {"test_url", "raw", "make_bus", "redis_db", "real_redis", "live_redis"}


def pytest_collection_modifyitems(items):
    """Browser tests last (they are slow and hold Playwright's loop), and marked `e2e`; tests
    using Redis fixtures marked `redis`."""
    for item in items:
        if REDIS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.redis)
    e2e = [i for i in items if "/e2e/" in str(i.fspath)]
    for item in e2e:
        item.add_marker(pytest.mark.e2e)
    items[:] = [i for i in items if i not in e2e] + e2e
