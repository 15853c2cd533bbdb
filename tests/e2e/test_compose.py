"""The project's own docker-compose.yml, run for real with podman-compose (Debian package) on
podman: PostgreSQL, Redis, the app and two worker replicas on the project's network, named
volumes, a read-only root filesystem; one job imported and processed through the REST API.

No image registry is reachable here, so `postgres:15` and `redis:7` are stand-ins built from
the same Debian base with Debian's packages (tools/container/standins/), tagged with the names
the compose file uses; the app's image is `localhost/jobapp:test` tagged as `jobapp:latest`.

podman-compose 1.0.3 (Debian trixie) had two gaps the compose file now avoids (docs/deploy.md
§8): `${LOGIN_PASSWORD:-}` reached the container as that literal text (LOGIN_PASSWORD now comes
from .env through env_file only), and healthcheck `test` lists were consumed in place, so the
second `worker` replica failed (`ValueError: unknown healthcheck test type [python]`) and
`[CMD, a, b]` ran as `/bin/sh -c a' 'b` (every `test` is now one shell string). The test keeps
the file as it is, except for what podman-compose still cannot do:

- `depends_on: {condition: service_healthy}` is ignored (start order only), so is `up
  --no-deps` (already running dependencies are reported and left alone), and podman 4.3 runs
  no healthchecks without systemd. The test brings the services up in the order the conditions
  ask for, gating each stage on the compose file's own healthcheck (`podman healthcheck run`).
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from tests.support.app_server import free_port
from tests.support.containers import CONF, IMAGE, ROOT, build_image, logs, podman, wait_http

pytestmark = [pytest.mark.image, pytest.mark.e2e, pytest.mark.timeout(1800)]
PROJECT = "jobapp-compose-test"
PASSWORD = "a long shared passphrase for the compose test"
STANDINS = {  # the compose file's image names, as podman resolves them, -> stand-in folders
    "docker.io/library/postgres:15": ROOT / "tools" / "container" / "standins" / "postgres",
    "docker.io/library/redis:7": ROOT / "tools" / "container" / "standins" / "redis",
}


def container_name(service: str, n: int = 1) -> str:
    return f"{PROJECT}_{service}_{n}"


@pytest.fixture(scope="module")
def images(tmp_path_factory) -> None:
    """jobapp's image (built or cached) as `jobapp:latest`, and the postgres/redis stand-ins
    (built when missing; cached layers otherwise, so an edited stand-in is rebuilt)."""
    log = tmp_path_factory.mktemp("compose-images") / "build.log"
    started = time.monotonic()
    build_image(log)
    podman("tag", IMAGE, "localhost/jobapp:latest")
    for tag, folder in STANDINS.items():
        podman("build", "--network", "host", "--pull=never", "-t", tag, str(folder), timeout=900)
    print(f"\nimages: built (or cached) in {time.monotonic() - started:.0f} s")


def podman_compose_copy(src: Path, dest: Path) -> Path:
    """The compose file, unchanged, beside the test's own .env (compose reads .env from there)."""
    spec = yaml.safe_load(src.read_text())
    for service in spec["services"].values():  # the list forms podman-compose 1.0 breaks (docstring)
        assert not isinstance((service.get("healthcheck") or {}).get("test"), list), service
    path = dest / "docker-compose.yml"
    path.write_text(src.read_text())
    return path


class Compose:
    def __init__(self, folder: Path):
        self.folder = folder

    def __call__(self, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
        env = {**os.environ, "CONTAINERS_CONF": str(CONF)}
        result = subprocess.run(
            ["podman-compose", "-f", "docker-compose.yml", "-p", PROJECT, *args],
            check=False,
            cwd=self.folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"podman-compose {' '.join(args)} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result


def wait_healthy(name: str, timeout: float = 120) -> None:
    """The container's own healthcheck (the compose file's, or the image's), run by hand:
    podman 4.3 runs healthchecks from systemd timers, and there is no systemd here."""
    deadline = time.monotonic() + timeout
    while True:
        result = podman("healthcheck", "run", name, check=False, timeout=60)
        if result.returncode == 0:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name} not healthy within {timeout:.0f} s: {result.stdout}{result.stderr}\n{logs(name)[-3000:]}")
        time.sleep(1)


@pytest.fixture(scope="module")
def stack(images, tmp_path_factory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("compose")
    podman_compose_copy(ROOT / "docker-compose.yml", folder)
    port = free_port()
    (folder / ".env").write_text(
        f"POSTGRES_PASSWORD={secrets.token_hex(24)}\nLOGIN_PASSWORD={PASSWORD}\nPUBLISH_PORT={port}\nBACKEND_WORKERS=2\n"
    )
    compose = Compose(folder)
    compose("down", "-v", check=False)  # a stack left by an interrupted run
    started = time.monotonic()
    try:
        # depends_on conditions, by hand: databases healthy -> app ready (schema migrated) -> workers
        compose("up", "-d", "--no-build", "postgres", "redis")
        for service in ("postgres", "redis"):
            wait_healthy(container_name(service))
        compose("up", "-d", "--no-build", "app")
        url = f"http://127.0.0.1:{port}"
        wait_http(f"{url}/ready", container_name("app"), timeout=240)
        wait_healthy(container_name("app"))
        compose("up", "-d", "--no-build", "worker")
        print(f"\nstack up in {time.monotonic() - started:.0f} s")
        yield {"compose": compose, "url": url, "folder": folder}
    finally:
        for name in [container_name(s) for s in ("postgres", "redis", "app")] + [container_name("worker", n) for n in (1, 2)]:
            if os.environ.get("JOBAPP_COMPOSE_LOGS"):
                print(f"==== {name}\n{logs(name)[-3000:]}")
        result = compose("down", "-v", check=False, timeout=300)
        podman("network", "rm", f"{PROJECT}_default", check=False)  # podman-compose 1.0.3's `down` leaves it
        left = podman("ps", "-a", "--filter", f"label=io.podman.compose.project={PROJECT}", "--format", "{{.Names}}").stdout
        volumes = podman("volume", "ls", "--filter", f"label=io.podman.compose.project={PROJECT}", "--format", "{{.Name}}").stdout
        assert not left.strip() and not volumes.strip(), f"down -v left {left} {volumes}\n{result.stdout[-2000:]}"


def test_compose_file_runs_with_podman_compose(stack):
    compose, url = stack["compose"], stack["url"]
    names = set(podman("ps", "--filter", f"label=io.podman.compose.project={PROJECT}", "--format", "{{.Names}}").stdout.split())
    assert names == {
        container_name("postgres"),
        container_name("redis"),
        container_name("app"),
        container_name("worker", 1),
        container_name("worker", 2),
    }  # deploy.replicas: 2

    # What compose asked for reached the containers: read-only root, tmpfs, shm, named volumes.
    app = container_name("app")
    info = podman("inspect", "--format", "{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.ShmSize}}", app).stdout.split()
    assert info == ["true", str(1024**3)], info
    mounts = podman("inspect", "--format", "{{range .Mounts}}{{.Name}}:{{.Destination}} {{end}}", app).stdout.split()
    assert f"{PROJECT}_appdata:/data" in mounts, mounts
    probe = podman(
        "exec", app, "sh", "-c", "touch /app/x 2>/dev/null && echo app-writable; touch /tmp/x /data/x && echo ok; printenv LOGIN_PASSWORD"
    ).stdout.split("\n")
    assert probe[0] == "ok" and probe[1] == PASSWORD, probe  # the .env value, not a literal ${...}

    # The databases run the compose file's commands.
    pg = podman("exec", container_name("postgres"), "psql", "-U", "jobapp", "-d", "jobapp", "-tAc", "show max_connections")
    assert pg.stdout.strip() == "300", pg.stdout
    for key, want in (("appendonly", "yes"), ("maxmemory-policy", "noeviction")):
        got = podman("exec", container_name("redis"), "redis-cli", "config", "get", key).stdout.split()
        assert got == [key, want], got

    # Health through the published port: PostgreSQL and Redis reached by service name, both workers.
    deadline = time.monotonic() + 90
    while True:
        health = httpx.get(f"{url}/health", timeout=30).json()
        if health["workers"].get("count", 0) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert health["database"]["status"] == "ok" and health["database"]["detail"]["dialect"].startswith("postgresql"), health
    assert health["redis"]["status"] == "ok", health
    assert health["workers"]["status"] == "ok" and health["workers"]["count"] == 2, health
    for n in (1, 2):  # each worker answers its own Celery ping (the compose file's healthcheck)
        wait_healthy(container_name("worker", n), timeout=60)

    # One job through the REST API: demo data (with its master CV) and a token from `exec app`,
    # a job imported and processed to a finished run.
    compose("exec", "-T", "app", "python", "-m", "pipeline", "seed")
    out = compose("exec", "-T", "app", "python", "-m", "pipeline", "tokens", "create", "--name", "compose-test").stdout
    token = re.search(r"jat_[A-Za-z0-9_\-]+", out)
    assert token, out
    headers = {"Authorization": f"Bearer {token.group(0)}"}
    job = {
        "title": "Data Engineer",
        "company": "Compose Test GmbH",
        "location": "Berlin",
        "url": "https://example.com/jobs/compose-test",
        "description": "We need a data engineer with Python, SQL, PostgreSQL and Airflow experience to build pipelines.",
    }
    imported = httpx.post(f"{url}/api/jobs", headers=headers, json={"jobs": [job]}, timeout=60)
    assert imported.status_code == 201, imported.text
    job_id = imported.json()["job_ids"][0]
    queued = httpx.post(
        f"{url}/api/runs", headers={**headers, "Idempotency-Key": str(uuid.uuid4())}, json={"job_ids": [job_id]}, timeout=60
    )
    assert queued.status_code == 202, queued.text
    run_id = queued.json()["run_ids"][0]
    deadline = time.monotonic() + 180
    while True:
        run = httpx.get(f"{url}/api/runs/{run_id}", headers=headers, timeout=30).json()
        if run["status"] in ("succeeded", "failed", "cancelled") or time.monotonic() > deadline:
            break
        time.sleep(2)
    worker_logs = "\n".join(logs(container_name("worker", n))[-2000:] for n in (1, 2))
    assert run["status"] == "succeeded", f"{run}\n{worker_logs}"
    assert run["artifacts"], run
    assert PASSWORD not in logs(app)
