"""Start the app: every check first, then the page build, so a refused start changes nothing.

`reflex run --env prod` rebuilds the page into this checkout's `.web/` before the app can
look at its settings, and the start-up check (no login on a public address) used to run
only after that. `python -m pipeline serve` (what `make run` and the tests call) checks,
read-only, everything that would refuse the start: settings, the login rule for a
non-loopback HOST, the database and Redis answering, the port being free and no other
instance serving from this checkout. Only then does it take the checkout's lock and
become `reflex run`; the lock is held by that process until it exits.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOCK_FILE = PROJECT_ROOT / ".jobapp-serve.lock"


class StartRefused(RuntimeError):
    """The app must not start; `str(exc)` says why and what to do."""


@dataclass(frozen=True)
class Target:
    host: str
    port: int


def settings_problem(exc) -> str:
    """A pydantic ValidationError of the settings, in plain lines (no traceback)."""
    lines = [f"{'.'.join(str(p) for p in e['loc']) or 'setting'}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors()]
    return "Bad settings:\n  " + "\n  ".join(lines)


def check_settings() -> None:
    """Settings that fail validation (e.g. a PUBLIC_URL with a sub-path) refuse the start."""
    from pydantic import ValidationError

    try:
        import pipeline.settings  # noqa: F401  (validated on import)
    except ValidationError as exc:
        raise StartRefused(settings_problem(exc)) from None


def _sqlite_path(db_url: str) -> Path | None:
    prefix = "sqlite:///"
    return Path(db_url[len(prefix):].split("?", 1)[0]) if db_url.startswith(prefix) else None


def count_users_readonly(db_url: str) -> int:
    """Accounts in the database, without creating or changing anything (0 for a new install)."""
    path = _sqlite_path(db_url)
    if path is not None:
        if not path.exists():
            return 0
        # Without a WAL file present, `immutable` reads without creating -wal/-shm beside it.
        mode = "mode=ro" if path.with_name(path.name + "-wal").exists() else "immutable=1"
        try:
            with contextlib.closing(sqlite3.connect(f"file:{path}?{mode}", uri=True, timeout=5)) as conn:
                if not conn.execute("select 1 from sqlite_master where type='table' and name='user'").fetchone():
                    return 0
                return int(conn.execute('select count(*) from "user"').fetchone()[0])
        except sqlite3.Error as exc:
            raise StartRefused(f"The database {path} cannot be read: {exc}") from None
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(db_url, connect_args={"connect_timeout": 5} if db_url.startswith("postgres") else {})
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("user"):
                return 0
            return int(conn.execute(text('select count(*) from "user"')).scalar_one())
    except Exception as exc:  # noqa: BLE001 - any driver error means "unreachable" here
        from pipeline.redact import redact

        raise StartRefused(f"The database does not answer ({redact(db_url)}): {redact(str(exc).splitlines()[0])}") from None
    finally:
        engine.dispose()


def check_login(host: str, users: int) -> None:
    """The rule of pipeline.accounts.auth.check_startup (same message), decided before anything
    is built and without touching the database (`users` was counted read-only)."""
    from pipeline.settings import _is_loopback, no_login_refusal, settings  # not accounts.auth: importing it writes metrics files

    if not _is_loopback(host) and users == 0 and not settings.login_password:
        raise StartRefused(no_login_refusal(host))


def check_redis(url: str | None) -> None:
    if not url:
        return
    import redis

    from pipeline.redact import redact

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5).ping()
    except redis.RedisError as exc:
        raise StartRefused(f"Redis does not answer ({redact(url)}): {exc}") from None


def check_port(target: Target) -> None:
    family = socket.AF_INET6 if ":" in target.host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((target.host, target.port))
        except OSError as exc:
            raise StartRefused(f"Port {target.port} on {target.host} is taken ({exc.strerror}): stop what uses it, or choose PORT=...") from None


def web_dir() -> Path:
    """Where Reflex keeps the page (REFLEX_WEB_WORKDIR, relative to the project)."""
    return PROJECT_ROOT / os.environ.get("REFLEX_WEB_WORKDIR", ".web")


def take_lock(target: Target, lock_file: Path = LOCK_FILE) -> int:
    """One serving instance per checkout: its page lives in this checkout's `.web/`, which a
    second start would rebuild under the first. Returns the locked descriptor (kept open)."""
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        held = _read_holder(fd)
        os.close(fd)
        where = f"on port {held.get('port')} (pid {held.get('pid')})" if held else "already"
        raise StartRefused(
            f"Another jobapp from this checkout is serving {where}. Its page is built into this checkout's "
            ".web/, which a second start would rebuild under it. Stop it first, or start the second one "
            "from another clone of the repository."
        ) from None
    os.ftruncate(fd, 0)
    os.write(fd, json.dumps({"pid": os.getpid(), "host": target.host, "port": target.port, "since": time.time()}).encode())
    return fd


def _read_holder(fd: int) -> dict:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return json.loads(os.read(fd, 4096) or b"{}")
    except (OSError, ValueError):
        return {}


def preflight(target: Target) -> None:
    """Every read-only check, in the order a user would fix them."""
    check_settings()
    from pipeline.settings import settings

    users = count_users_readonly(settings.db_url)
    check_login(target.host, users)
    check_redis(settings.redis_url)
    check_port(target)


def serve(target: Target, *, prebuilt: bool = False) -> None:
    """Check, then replace this process with the server (never returns on success).

    By default that is `reflex run`, which rebuilds the page into this checkout's `.web/`
    (under the checkout's lock). `prebuilt` serves a page built ahead of time (the container
    image): nothing is rebuilt or written, so no lock is needed and `/app` may be read-only."""
    preflight(target)
    if prebuilt and not (web_dir() / "build" / "client" / "index.html").is_file():
        raise StartRefused(f"--prebuilt, but there is no built page in {web_dir() / 'build' / 'client'}: build it with "
                           "`reflex export --frontend-only --no-zip --env prod` (the Dockerfile does), or start without --prebuilt")
    from pipeline.settings import settings

    env = {**os.environ, "HOST": target.host, "PORT": str(target.port), "REFLEX_USE_SYSTEM_BUN": os.environ.get("REFLEX_USE_SYSTEM_BUN", "1")}
    if settings.log_format == "json":  # Reflex's own lines (build, server start) as JSON too
        env.setdefault("REFLEX_LOG_JSON", "true")
    if prebuilt:
        args = [sys.executable, "-m", "jobapp.prebuilt", "--host", target.host, "--port", str(target.port)]
    else:
        fd = take_lock(target)
        os.set_inheritable(fd, True)  # held by the reflex process after exec, released when it exits
        reflex = str(Path(sys.executable).with_name("reflex"))
        args = [reflex, "run", "--env", "prod", "--single-port", "--backend-host", target.host, "--backend-port", str(target.port)]
    os.chdir(PROJECT_ROOT)
    shown = "localhost" if target.host in ("127.0.0.1", "::1") else target.host
    logging.getLogger("jobapp.serve").info(
        "jobapp starts at http://%s:%s/  (%s; Ctrl-C stops)", shown, target.port,
        "the page was built ahead of time" if prebuilt else "the first start builds the page: about a minute")
    for handler in logging.getLogger().handlers:
        handler.flush()
    os.execve(args[0], args, env)
