"""Where Chromium is, and how to launch it on these machines."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.settings import settings

# Without the background-networking flags Chromium keeps dialling out, which a
# closed network refuses; --no-sandbox because servers and CI run as root.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    """`CHROMIUM_PATH`, then Playwright's own browser, then the system one."""
    if settings.chromium_path and Path(settings.chromium_path).exists():
        return settings.chromium_path
    cache = Path.home() / ".cache" / "ms-playwright"
    for pattern in ("chromium-*/chrome-linux*/chrome", "chromium_headless_shell-*/chrome-*/headless_shell"):
        found = sorted(cache.glob(pattern))
        if found:
            return str(found[-1])
    for name in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(name).exists():
            return name
    return shutil.which("chromium")
