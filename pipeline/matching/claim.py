"""One runner per match batch at a time, across backend processes.

Match batches run inside a backend process, and hosted mode has several of them
(plus restarts), so two could pick up the same batch: both would delete and
re-insert the same results. A claim is a lock the operating system or database
drops by itself when its holder dies, so a crashed process never strands a batch:

- PostgreSQL: a session-level advisory lock (MATCH_LOCK, batch id) on a connection
  of its own kept for the run (the server releases it when the connection goes);
- SQLite: an `flock` on a file beside the database (every process of an SQLite
  install is on one machine; the kernel releases it when the process exits).
"""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import IO

from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url

from pipeline.settings import settings
from pipeline.store.db import get_engine

MATCH_LOCK = 7_246_202  # advisory lock namespace "jobapp match batches" (two-key form: never meets the migration lock)


class BatchClaim:
    """`acquire()` without waiting; `release(finished=...)` when the run is over.

    The held connection is detached from the pool and the lock file is a file
    object, so a claim that is dropped unreleased (a task cancelled mid-acquire)
    still lets go when it is garbage-collected."""

    def __init__(self, batch_id: int, db_url: str | None = None) -> None:
        self.batch_id = batch_id
        self.url = db_url or settings.db_url
        self._conn: Connection | None = None
        self._file: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None or self._file is not None

    def acquire(self) -> bool:
        """True if this caller now runs the batch; False if another runner holds it."""
        if self.held:
            return True
        if self.url.startswith("sqlite"):
            return self._acquire_file()
        conn = get_engine(self.url).connect()
        conn.detach()  # closing it closes the session, and with it the lock: never back to the pool still locked
        try:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:ns, :id)"), {"ns": MATCH_LOCK, "id": self.batch_id}).scalar()
            conn.commit()
        except BaseException:
            conn.close()
            raise
        if not got:
            conn.close()
            return False
        self._conn = conn
        return True

    def release(self, *, finished: bool = False) -> None:
        """Let others run it; `finished` also removes an SQLite lock file (a late waiter then finds nothing to do)."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()
        if self._file is not None:
            f, self._file = self._file, None
            if finished:
                Path(f.name).unlink(missing_ok=True)  # while still locked: nobody can be running it meanwhile
            f.close()  # closing drops the flock

    def _acquire_file(self) -> bool:
        f = open(_lock_dir(self.url) / f"match-batch-{self.batch_id}.lock", "ab")  # noqa: SIM115 - held across calls
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.close()
            return False
        except BaseException:
            f.close()
            raise
        self._file = f
        return True


def _lock_dir(url: str) -> Path:
    """Beside the SQLite file (so two installs never share locks); DATA_DIR for an in-memory database."""
    database = make_url(url).database
    base = Path(database).resolve().parent if database and database != ":memory:" else settings.data_dir
    path = base / "locks"
    path.mkdir(parents=True, exist_ok=True)
    return path
