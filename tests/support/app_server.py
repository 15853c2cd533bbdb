"""Start the real app (`reflex run --env prod --single-port`) for browser tests and benchmarks."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(data_dir: Path, *, env: dict[str, str] | None = None, timeout: float = 600, port: int | None = None,
                log_name: str = "app.log") -> Iterator[str]:
    """Yield the base URL of a jobapp serving `data_dir`; stop it (whole process group) after.
    Pass the `port` of an app that was stopped to start it again where its pages expect it."""
    port = port or free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log = open(data_dir / log_name, "w")  # noqa: SIM115 - the child process writes it until stopped
    child_env = {**os.environ, "DATA_DIR": str(data_dir), "REFLEX_USE_SYSTEM_BUN": "1", "REFLEX_TELEMETRY_ENABLED": "false", "PORT": str(port), **(env or {})}
    if "DB_URL" not in (env or {}):
        child_env.pop("DB_URL", None)
    proc = subprocess.Popen(  # what `make run` does: checks, then `reflex run` in the same process
        [sys.executable, "-m", "pipeline", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=child_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    _procs[url] = proc
    try:
        _wait_ready(url, proc, timeout, data_dir / log_name)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        log.close()


_procs: dict[str, subprocess.Popen] = {}


def kill_app(url: str) -> None:
    """SIGKILL the app serving `url` (its whole process group), as a crash or OOM kill would."""
    proc = _procs[url]
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


def _wait_ready(url: str, proc: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200 and httpx.get(url + "/", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)  # the app answers about 7 s after start; a finer poll saves ~0.5 s a module
    raise TimeoutError(f"the app did not answer within {timeout:.0f}s:\n{log.read_text()[-4000:]}")


def launch_browser(playwright):
    """Chromium as the app's PDF renderer finds it."""
    from pipeline.render.browser import LAUNCH_ARGS, find_chromium

    path = find_chromium()
    if path is None:
        raise RuntimeError("no Chromium found: set CHROMIUM_PATH or run `make setup`")
    return playwright.chromium.launch(executable_path=path, args=LAUNCH_ARGS)
