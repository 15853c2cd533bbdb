"""The LangGraph checkpointer: SQLite under DATA_DIR by default, PostgreSQL when DB_URL is.

One saver per process, shared by all runs in it: AsyncSqliteSaver serializes its
writes through one connection and lock, which avoids "database is locked" between
concurrent runs of one process (across processes, the hosted mode uses PostgreSQL)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from pipeline.settings import settings


def _psycopg_url(url: str) -> str:
    """SQLAlchemy's `postgresql+psycopg2://` is plain `postgresql://` for psycopg 3."""
    _scheme, rest = url.split("://", 1)
    return "postgresql://" + rest


@contextlib.asynccontextmanager
async def open_checkpointer(db_url: str | None = None) -> AsyncIterator[object]:
    url = db_url or settings.db_url
    if url.startswith("postgresql"):
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

        async with AsyncPostgresSaver.from_conn_string(_psycopg_url(url)) as saver:
            await saver.setup()
            yield saver
        return
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    settings.ensure_dirs()
    path = settings.data_dir / "checkpoints.sqlite"
    async with AsyncSqliteSaver.from_conn_string(str(path)) as saver:
        await saver.conn.execute("PRAGMA journal_mode=WAL")
        await saver.conn.execute("PRAGMA busy_timeout=30000")
        await saver.setup()
        yield saver
