"""Prometheus metrics for every jobapp process: app backends, Celery parent and children, CLI.

Multiprocess mode. Each process writes its samples to files in one directory, and a
scrape adds them up. So it does not matter which backend process answers `/metrics`,
or which pool child ran a run. The directory is `DATA_DIR/metrics/<host>-<pid namespace>`:
pids are unique only inside one pid namespace, and in docker compose the app and worker
containers share `/data`. With one shared directory, two containers' "pid 7" would write
the same file. A `PROMETHEUS_MULTIPROC_DIR` that is already set wins.

Cleaning. A dead process's counter files must stay, or the sums would go down. So
nothing is removed while any process of the directory lives. Every process that
imports this module holds a shared `flock` on `<dir>/.lock` for its whole life (pool
children inherit it). A process that gets the lock *exclusively* knows that no one
else is alive, and wipes the directory first. Several processes starting together is
safe: the one that wipes does it before its own first sample, and the others wait for
the shared lock. Celery's `worker_process_shutdown` also calls `mark_process_dead`, which
only drops live-gauge files (we keep none). Every metric has labels, so a process that
records nothing writes no file.

State-like values (runs by status, queue depth) are not counted in any process. A
collector reads them from the store at scrape time, so every process reports the same
numbers and nothing is counted twice.
"""

from __future__ import annotations

import fcntl
import hmac
import ipaddress
import logging
import os
import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pipeline.settings import settings

if TYPE_CHECKING:
    from pipeline.store.jobs import ImportSummary

log = logging.getLogger(__name__)
ENV = "PROMETHEUS_MULTIPROC_DIR"
_lock_fd: int | None = None


def _scope() -> str:
    """`<hostname>-<pid namespace inode>`: the processes whose pids can be compared."""
    host = "".join(c if c.isalnum() or c in "-_." else "_" for c in socket.gethostname())[:64] or "host"
    try:
        ns = os.readlink("/proc/self/ns/pid").rpartition("[")[2].rstrip("]")
    except OSError:  # not Linux: the hostname alone
        return host
    return f"{host}-{ns}"


def _wipe(path: Path) -> None:
    for f in path.glob("*.db"):
        f.unlink(missing_ok=True)


def _claim(path: Path) -> None:
    """Hold the directory's shared lock for life; wipe it first when no one else holds it."""
    global _lock_fd
    fd = os.open(path / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        pass  # other processes live: their files (and dead ones') stay
    else:
        _wipe(path)
    fcntl.flock(fd, fcntl.LOCK_SH)  # waits while a starting process wipes
    _lock_fd = fd


def _prepare() -> Path | None:
    """Pick and claim the directory, then set the variable prometheus_client reads at import."""
    path = Path(os.environ.get(ENV) or settings.data_dir.resolve() / "metrics" / _scope())
    try:
        path.mkdir(parents=True, exist_ok=True)
        _claim(path)
    except OSError as exc:  # read-only DATA_DIR (e.g. `pipeline pdf` somewhere odd): metrics stay local
        log.warning("metrics directory %s unusable (%s): this process's metrics stay local", path, exc)
        os.environ.pop(ENV, None)
        return None
    os.environ[ENV] = str(path)
    return path


MULTIPROC_DIR = _prepare()

from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess, values
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector

# prometheus_client picks its value class when it is first imported, from the variable above.
# If something imported it earlier, it chose without us; every metric reads `values.ValueClass`
# when it is created, so setting it now still covers ours.
if MULTIPROC_DIR is not None and not values.ValueClass._multiprocess:
    values.ValueClass = values.MultiProcessValue()
elif MULTIPROC_DIR is None and values.ValueClass._multiprocess:
    values.ValueClass = values.MutexValue

MULTIPROCESS = bool(values.ValueClass._multiprocess) and MULTIPROC_DIR is not None
# Where the metrics live when multiprocess mode could not be set up (then only this process is seen).
LOCAL = CollectorRegistry(auto_describe=True)

RUNS_FINISHED = Counter("jobapp_runs_finished", "Runs that reached a final (or interrupted) state", ["status"], registry=LOCAL)
RUN_SECONDS = Histogram(
    "jobapp_run_duration_seconds", "From a run's first start to its finish", ["status"], registry=LOCAL,
    buckets=(0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 900, 1800, 3600),
)
LAYER_SECONDS = Histogram(
    "jobapp_layer_duration_seconds", "One graph layer (node), completed", ["layer"], registry=LOCAL,
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 240),
)
LLM_CALLS = Counter("jobapp_llm_calls", "Model calls answered", ["model"], registry=LOCAL)
LLM_TOKENS = Counter("jobapp_llm_tokens", "Model tokens, by direction (input|output)", ["model", "direction"], registry=LOCAL)
LLM_COST = Counter("jobapp_llm_cost_usd", "Model spend in USD (by the price table)", ["model"], registry=LOCAL)
PDF_SECONDS = Histogram(
    "jobapp_pdf_render_duration_seconds", "Chromium printing one document, by outcome", ["outcome"], registry=LOCAL,
    buckets=(0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30),
)
LOG_LINES = Counter("jobapp_log_lines", "Run log lines published (stored and sent on the bus)", ["level"], registry=LOCAL)
IMPORT_ROWS = Counter("jobapp_import_rows", "Imported job rows by outcome (imported|updated|skipped|error)", ["kind", "outcome"], registry=LOCAL)
LOGIN_FAILURES = Counter("jobapp_login_failures", "Refused sign-ins (bad_credentials|rate_limited)", ["reason"], registry=LOCAL)


# ------------------------------------------------------------------ recording helpers
# What instrumented code calls. A metric must never fail a run, a login or an import.

F = TypeVar("F", bound=Callable[..., Any])


def _never_raises(fn: F) -> F:
    @wraps(fn)
    def safe(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception:
            log.debug("metrics: %s failed", fn.__name__, exc_info=True)
            return None

    return safe  # type: ignore[return-value]


@_never_raises
def run_finished(status: str, started_at: datetime | None) -> None:
    """Count a finished run; its duration runs from the first start (resumes included)."""
    RUNS_FINISHED.labels(status).inc()
    if started_at is not None:
        start = started_at if started_at.tzinfo else started_at.replace(tzinfo=UTC)  # SQLite: naive UTC
        RUN_SECONDS.labels(status).observe(max(0.0, (datetime.now(UTC) - start).total_seconds()))


@_never_raises
def layer_done(layer: str, seconds: float) -> None:
    LAYER_SECONDS.labels(layer).observe(seconds)


@_never_raises
def llm_call(model: str, tokens_in: int, tokens_out: int, cost_usd: float) -> None:
    LLM_CALLS.labels(model).inc()
    LLM_TOKENS.labels(model, "input").inc(max(0, tokens_in))
    LLM_TOKENS.labels(model, "output").inc(max(0, tokens_out))
    LLM_COST.labels(model).inc(max(0.0, cost_usd))


@_never_raises
def pdf_rendered(outcome: str, seconds: float) -> None:
    PDF_SECONDS.labels(outcome).observe(seconds)


@_never_raises
def log_line(level: str) -> None:
    LOG_LINES.labels(level).inc()


@_never_raises
def login_failed(reason: str) -> None:
    LOGIN_FAILURES.labels(reason).inc()


@_never_raises
def _count_import(kind: str, summary: ImportSummary) -> None:
    for outcome, n in (("imported", summary.imported), ("updated", summary.updated), ("skipped", summary.skipped), ("error", len(summary.errors))):
        if n:
            IMPORT_ROWS.labels(kind, outcome).inc(n)


def import_counted(kind: str, summary: ImportSummary) -> ImportSummary:
    """Count an import's rows by outcome and hand the summary back (so callers stay one line)."""
    _count_import(kind, summary)
    return summary


# ------------------------------------------------------------------ the store's state


class StoreCollector(Collector):
    """Runs by status, queue depth and the oldest queued run's age, read at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from pipeline.store.db import session_scope
        from pipeline.store.models import RunStatus
        from pipeline.store.runs import oldest_queued_at, run_status_counts

        up = GaugeMetricFamily("jobapp_store_up", "1 when the store answered this scrape's queries")
        try:
            with session_scope() as s:
                counts, oldest = run_status_counts(session=s), oldest_queued_at(session=s)
        except Exception:  # a scrape must not fail with the database: say so instead
            log.warning("metrics: store query failed", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        runs = GaugeMetricFamily("jobapp_runs", "Runs in the store by status", labels=["status"])
        for status in RunStatus:
            runs.add_metric([status.value], counts.get(status.value, 0))
        yield runs
        yield GaugeMetricFamily("jobapp_queue_depth", "Queued runs waiting for a worker", value=counts.get(RunStatus.queued.value, 0))
        age = 0.0
        if oldest is not None:
            oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
            age = max(0.0, (datetime.now(UTC) - oldest).total_seconds())
        yield GaugeMetricFamily("jobapp_queue_oldest_age_seconds", "Age of the oldest queued run (0: none)", value=age)


class _Local(Collector):
    def collect(self):
        yield from LOCAL.collect()


def registry(*, include_store: bool = True) -> CollectorRegistry:
    """A fresh registry for one exposition: every process's files (or this process) + the store."""
    reg = CollectorRegistry(auto_describe=False)
    if MULTIPROCESS:
        multiprocess.MultiProcessCollector(reg, path=str(MULTIPROC_DIR))
    else:
        reg.register(_Local())
    if include_store:
        reg.register(StoreCollector())
    return reg


def exposition(accept: str | None = None, *, include_store: bool = True) -> tuple[bytes, str]:
    """The body and its content type: Prometheus text format (0.0.4), or OpenMetrics when the
    scraper's Accept header asks for it."""
    encode, content_type = choose_encoder(accept or "")
    return encode(registry(include_store=include_store)), content_type


# ------------------------------------------------------------------ who may scrape


FORWARDED = ("forwarded", "x-forwarded-for", "x-real-ip")


def _loopback(host: str | None) -> bool:
    try:
        ip = ipaddress.ip_address((host or "").strip("[]"))
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback


def access(authorization: str | None, client_host: str | None, headers: dict[str, str] | None = None) -> int:
    """200, 401 (token missing/wrong) or 404 (not offered here). With METRICS_TOKEN set a bearer
    token is always required (compared in constant time); without one, an exposed install
    offers no /metrics, and a loopback install answers only direct loopback clients. A
    request a proxy forwarded (it says so in its headers) is not local."""
    token = settings.metrics_token
    if token:
        scheme, _, given = (authorization or "").partition(" ")
        ok = scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
        return 200 if ok else 401
    if settings.exposed:
        return 404
    forwarded = any(h in (headers or {}) for h in FORWARDED)
    return 200 if _loopback(client_host) and not forwarded else 404


# ------------------------------------------------------------------ worker processes


def serve_worker_port(port: int | None, addr: str = "0.0.0.0") -> bool:
    """The Celery worker parent's own /metrics (WORKER_METRICS_PORT), for Prometheus to scrape
    workers that share no DATA_DIR with the app. It sums this machine's metrics directory
    (parent and pool children), without the store's gauges: those come from the app."""
    if not port:
        return False
    from prometheus_client import start_http_server

    try:
        start_http_server(port, addr=addr, registry=registry(include_store=False))
    except OSError as exc:  # another worker of this machine serves the same directory already
        log.warning("worker metrics port %s:%s not opened (%s)", addr, port, exc)
        return False
    log.info("worker metrics on http://%s:%s/metrics", addr, port)
    return True


def process_dead(pid: int) -> None:
    """Celery's worker_process_shutdown: drop the child's live-gauge files (its counters stay)."""
    if MULTIPROCESS:
        multiprocess.mark_process_dead(pid, str(MULTIPROC_DIR))
