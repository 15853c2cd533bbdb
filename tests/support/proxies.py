"""Real reverse proxies and a port mapping in front of a running app, for browser tests and
benchmarks: nginx and Caddy (Debian packages) with a certificate made by the test, running
the very blocks in `deploy/` that docs/deploy.md shows, and a plain TCP forwarder standing in
for a container's port mapping (host port -> app port)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.support.app_server import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
HOSTNAME = "jobs.test"  # Chromium reaches it through --host-resolver-rules (see browser_args)


def browser_args() -> list[str]:
    return [f"--host-resolver-rules=MAP {HOSTNAME} 127.0.0.1"]


def self_signed(folder: Path, host: str = HOSTNAME) -> tuple[Path, Path]:
    """A certificate for `host`, made with openssl for this test only."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", f"/CN={host}", "-addext", f"subjectAltName=DNS:{host}"],
        check=True, capture_output=True,
    )
    return cert, key


def _site(text: str, *, app_port: int, port: int, cert: Path, key: Path) -> str:
    return (text.replace("jobs.example.org", HOSTNAME)
            .replace("127.0.0.1:3000", f"127.0.0.1:{app_port}")
            .replace("/etc/ssl/jobapp/cert.pem", str(cert))
            .replace("/etc/ssl/jobapp/key.pem", str(key))
            .replace("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
            .replace(f"{HOSTNAME}:443", f"{HOSTNAME}:{port}"))


def _wait_https(url: str, proc: subprocess.Popen, log: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"proxy exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            host, port = url.split("://", 1)[1].split(":")
            transport = httpx.HTTPTransport(verify=False)
            with httpx.Client(transport=transport, timeout=3) as c:
                # resolve the made-up host name ourselves: connect to 127.0.0.1, send its Host
                if c.get(f"https://127.0.0.1:{port}/health", headers={"Host": f"{host}:{port}"}, extensions={"sni_hostname": host}).status_code == 200:
                    return
        time.sleep(0.3)
    raise TimeoutError(f"proxy at {url} did not answer:\n{log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@contextlib.contextmanager
def _serving(command: list[str], folder: Path, port: int, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run a proxy until the block ends; yields its https URL once it answers."""
    log = folder / "stderr.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"https://{HOSTNAME}:{port}"
    try:
        _wait_https(url, proc, log)
        yield url
    finally:
        _stop(proc)


def _prepare(folder: Path, template: str, app_port: int) -> tuple[str, int]:
    """The deploy/ block `template` for this test: its folder, certificate and free port."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = self_signed(folder)
    port = free_port()
    return _site((DEPLOY / template).read_text(), app_port=app_port, port=port, cert=cert, key=key), port


@contextlib.contextmanager
def nginx(folder: Path, *, app_port: int) -> Iterator[str]:
    """nginx with TLS on a free port, running deploy/nginx-jobapp.conf; yields its https URL."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    site, port = _prepare(folder, "nginx-jobapp.conf", app_port)
    (folder / "site.conf").write_text(site)
    temp = folder / "temp"
    temp.mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log info;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n  access_log {folder}/access.log;\n  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
        f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n  scgi_temp_path {temp}/scgi;\n"
        f"  include {folder}/site.conf;\n}}\n"
    )
    with _serving([binary, "-p", str(folder), "-c", str(folder / "nginx.conf")], folder, port) as url:
        yield url


@contextlib.contextmanager
def caddy(folder: Path, *, app_port: int) -> Iterator[str]:
    """Caddy with TLS on a free port, running deploy/Caddyfile; yields its https URL."""
    binary = shutil.which("caddy") or "/usr/bin/caddy"
    site, port = _prepare(folder, "Caddyfile", app_port)
    # Test-only global options: no admin endpoint, no port-80 redirector, state inside the test folder.
    (folder / "Caddyfile").write_text(f"{{\n\tadmin off\n\tauto_https disable_redirects\n\tstorage file_system {folder}/data\n}}\n\n{site}")
    env = {**os.environ, "HOME": str(folder), "XDG_DATA_HOME": str(folder / "data"), "XDG_CONFIG_HOME": str(folder / "config")}
    with _serving([binary, "run", "--config", str(folder / "Caddyfile"), "--adapter", "caddyfile"], folder, port, env=env) as url:
        yield url


@contextlib.contextmanager
def port_mapping(target_port: int) -> Iterator[int]:
    """A host port whose connections are piped to `target_port` byte for byte, like a
    container runtime's port mapping (host 8080 -> container 3000); yields the host port."""
    port = free_port()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict[str, asyncio.AbstractServer] = {}

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            app_r, app_w = await asyncio.open_connection("127.0.0.1", target_port)
        except OSError:
            client_w.close()
            return
        await asyncio.gather(pipe(client_r, app_w), pipe(app_r, client_w))

    async def start() -> None:
        holder["server"] = await asyncio.start_server(handle, "127.0.0.1", port)
        ready.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()), loop.run_forever()), daemon=True)
    thread.start()
    ready.wait(10)
    async def shutdown() -> None:
        holder["server"].close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    try:
        yield port
    finally:
        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
