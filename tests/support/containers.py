"""jobapp's container image, built and run for real with podman (Debian packages).

No image registry is reachable here, so the base image `debian:trixie-slim` is made with
debootstrap from Debian's own packages when podman does not have it yet (about 25 s).
podman's quirks on these machines live in tools/container/containers.conf (runc, no
default ulimits), passed through CONTAINERS_CONF; builds and containers use the host's
network; the host's CA bundle is the build's `extra_ca` secret (pip, npm and bun behind a
TLS-intercepting proxy), never copied into the image.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "tools" / "container" / "containers.conf"
BASE = "docker.io/library/debian:trixie-slim"
IMAGE = "localhost/jobapp:test"
HOST_CA = Path(os.environ.get("SSL_CERT_FILE") or "/etc/ssl/certs/ca-certificates.crt")


def podman(*args: str, check: bool = True, timeout: float = 120, capture: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "CONTAINERS_CONF": str(CONF)}
    result = subprocess.run(["podman", *args], env=env, capture_output=capture, text=True, timeout=timeout, check=False)
    if check and result.returncode != 0:
        raise RuntimeError(f"podman {' '.join(args[:3])} … failed ({result.returncode}):\n{(result.stderr or '')[-4000:]}")
    return result


def ensure_base() -> None:
    """`debian:trixie-slim` from Debian's packages, when podman does not have it."""
    if podman("image", "exists", BASE, check=False).returncode == 0:
        return
    debootstrap = shutil.which("debootstrap") or "/usr/sbin/debootstrap"
    if not Path(debootstrap).exists():
        raise RuntimeError("debootstrap is missing: `make test-deps` installs it")
    with tempfile.TemporaryDirectory(prefix="jobapp-rootfs-") as tmp:
        rootfs = Path(tmp) / "rootfs"
        subprocess.run([debootstrap, "--variant=minbase", "trixie", str(rootfs), "http://deb.debian.org/debian"],
                       check=True, capture_output=True, timeout=900)
        for deb in (rootfs / "var" / "cache" / "apt" / "archives").glob("*.deb"):  # the installer's downloads
            deb.unlink()
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
        env = {**os.environ, "CONTAINERS_CONF": str(CONF)}
        subprocess.run(["podman", "import", "-", BASE], stdin=tar.stdout, env=env, check=True, capture_output=True, timeout=300)
        tar.wait(60)


def build_image(log: Path) -> str:
    """Build the project's Dockerfile (cached layers are reused); returns the image id."""
    ensure_base()
    args = ["build", "--format", "docker", "--network", "host", "--pull=never", "-t", IMAGE]
    if HOST_CA.exists():
        args += ["--secret", f"id=extra_ca,src={HOST_CA}"]
    started = time.monotonic()
    with open(log, "w") as out:
        env = {**os.environ, "CONTAINERS_CONF": str(CONF)}
        result = subprocess.run(["podman", *args, str(ROOT)], env=env, stdout=out, stderr=subprocess.STDOUT, timeout=1800, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"image build failed after {time.monotonic() - started:.0f} s:\n{log.read_text()[-5000:]}")
    return podman("image", "inspect", "--format", "{{.Id}}", IMAGE).stdout.strip()


def image_size_mb(image: str = IMAGE) -> float:
    return int(podman("image", "inspect", "--format", "{{.Size}}", image).stdout.strip()) / 1e6


@contextlib.contextmanager
def container(name: str, *args: str, command: list[str] | None = None, network: str = "host") -> Iterator[str]:
    """Run `IMAGE` detached as `name` (the host's network, or podman's bridge with `-p` mappings
    in `args`) with a read-only root filesystem (writable: /data, /tmp); removed after."""
    podman("rm", "-f", name, check=False)
    podman("run", "-d", "--name", name, "--network", network, "--shm-size", "1g", "--no-healthcheck",
           "--read-only", "--tmpfs", "/tmp", *args, IMAGE, *(command or []))
    try:
        yield name
    finally:
        podman("rm", "-f", "-t", "5", name, check=False, timeout=60)


def logs(name: str) -> str:
    result = podman("logs", name, check=False)
    return (result.stdout or "") + (result.stderr or "")


def wait_http(url: str, name: str, timeout: float = 300) -> None:
    """Until `url` answers 200, failing with the container's log if it stops first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = podman("inspect", "--format", "{{.State.Running}}", name, check=False).stdout.strip()
        if state == "false":
            raise RuntimeError(f"container {name} stopped:\n{logs(name)[-4000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=3).status_code == 200:
                return
        time.sleep(1)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s:\n{logs(name)[-4000:]}")
