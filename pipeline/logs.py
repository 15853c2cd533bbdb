"""Server logs: one root handler on stderr, readable text or JSON lines (`LOG_FORMAT`).

Every line goes through `redact()` (message and traceback alike), so a secret that reaches
a log call never reaches the log. Lines carry the run, job and batch ids they belong to:
`log_context(...)` sets them for a block (contextvars, so asyncio tasks and `to_thread`
calls started inside inherit them), and `extra={"run_id": ...}` sets them for one call.

Every process calls `configure_logging()` once: the Reflex app at import, the CLI in
`main()`, Celery workers through its `setup_logging` signal."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, Any

from pipeline.redact import redact
from pipeline.settings import settings

ID_FIELDS = ("run_id", "job_id", "batch_id")
# Chatty at INFO (a line per HTTP request; alembic's plugin and dialect lines before every CLI
# command): kept to warnings unless LOG_LEVEL=DEBUG.
QUIET_LOGGERS = ("httpx", "httpcore", "alembic")

_context: ContextVar[dict[str, Any]] = ContextVar("jobapp_log_context", default={})  # noqa: B039 - never mutated, only replaced


@contextmanager
def log_context(**ids: Any) -> Iterator[None]:
    """Attach ids (run_id=, job_id=, batch_id=) to every line logged inside the block;
    None values are left out, and inner blocks add to (or override) outer ones."""
    token = _context.set({**_context.get(), **{k: v for k, v in ids.items() if v is not None}})
    try:
        yield
    finally:
        try:
            _context.reset(token)
        except ValueError:  # left in another context (a generator finalized elsewhere): nothing to undo here
            pass


def current_context() -> dict[str, Any]:
    """The ids `log_context` holds here (for tests and hand-offs to other threads)."""
    return dict(_context.get())


def _ids(record: logging.LogRecord) -> dict[str, Any]:
    """`extra={...}` wins over the context: the caller knows best which run a line is about."""
    ids = dict(_context.get())
    for name in ID_FIELDS:
        value = getattr(record, name, None)
        if value is not None:
            ids[name] = value
    return {k: ids[k] for k in ID_FIELDS if ids.get(k) is not None}


def _iso_utc(created: float) -> str:
    return datetime.fromtimestamp(created, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Formatter(logging.Formatter):
    """Shared by both formats: the redacted message and traceback of a record."""

    def parts(self, record: logging.LogRecord) -> tuple[str, str | None]:
        try:
            message = record.getMessage()
        except Exception as exc:  # noqa: BLE001 - a bad format string must not lose the line
            message = f"{record.msg!r} % {record.args!r} ({type(exc).__name__})"
        exc_parts = []
        if record.exc_info and record.exc_info[0] is not None:
            exc_parts.append(self.formatException(record.exc_info))
        elif record.exc_text:
            exc_parts.append(record.exc_text)
        if record.stack_info:
            exc_parts.append(self.formatStack(record.stack_info))
        return redact(message), (redact("\n".join(exc_parts)) if exc_parts else None)


class JsonFormatter(_Formatter):
    """One JSON object a line: time, level, logger, message, the known ids, exc."""

    def format(self, record: logging.LogRecord) -> str:
        message, exc = self.parts(record)
        payload: dict[str, Any] = {"time": _iso_utc(record.created), "level": record.levelname, "logger": record.name, "message": message}
        payload.update(_ids(record))
        if exc:
            payload["exc"] = exc
        return json.dumps(payload, ensure_ascii=False, default=str)


class TextFormatter(_Formatter):
    """`TIME LEVEL logger: message [run_id=.. job_id=..]`, then the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        message, exc = self.parts(record)
        ids = " ".join(f"{k}={v}" for k, v in _ids(record).items())
        line = f"{_iso_utc(record.created)} {record.levelname:<7} {record.name}: {message}" + (f" [{ids}]" if ids else "")
        return f"{line}\n{exc}" if exc else line


class _Handler(logging.StreamHandler):
    """Ours (so a second `configure_logging()` replaces it rather than adding one); without an
    explicit stream it writes to whatever `sys.stderr` is at the time, as `logging.lastResort` does."""

    def __init__(self, stream: IO[str] | None) -> None:
        super().__init__(stream)
        self._fixed = stream  # after super(), which stores sys.stderr for None

    @property  # type: ignore[override]
    def stream(self) -> IO[str]:
        return self._fixed if self._fixed is not None else sys.stderr

    @stream.setter
    def stream(self, value: IO[str] | None) -> None:
        self._fixed = value


def configure_logging(*, log_format: str | None = None, level: str | None = None, stream: IO[str] | None = None) -> logging.Handler:
    """Install the one root handler (idempotent: a repeat call replaces it, never doubles lines).

    Defaults come from LOG_FORMAT and LOG_LEVEL; other handlers on the root (a test runner's)
    are left alone."""
    fmt = log_format or settings.log_format
    lvl = (level or settings.log_level).upper()
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
    handler = _Handler(stream)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(lvl)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if lvl == "DEBUG" else logging.WARNING)
    logging.captureWarnings(True)  # Python warnings become log lines too (formatted and redacted)
    return handler
