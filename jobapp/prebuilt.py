"""Serve the page that was built ahead of time (in the container image), without rebuilding it.

`reflex run --env prod` recompiles the app and rebuilds the page with bun at every start,
which needs bun and the page's `node_modules` at run time and a writable `/app/.web`.
The image builds the page once; this entry point starts Reflex's production backend with
compilation skipped and the built page (`.web/build/client`) mounted beside the API, the
way `reflex run --env prod --single-port` serves it after its build. Started by
`python -m pipeline serve --prebuilt` (which checks everything first).
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path


def prepare_backend_dir(web_dir: Path | None = None) -> None:
    """Reflex's backend writes small markers under `.web/backend` at start. In the image that
    folder is a link into /tmp (the root filesystem may be read-only), filled here from the
    copy made at build time (`backend.built`: which pages hold state, whether uploads are used)."""
    web = web_dir or Path(os.environ.get("REFLEX_WEB_WORKDIR", ".web"))
    link, built = web / "backend", web / "backend.built"
    if link.is_symlink() and not link.exists():
        target = Path(os.readlink(link))
        if built.is_dir():
            shutil.copytree(built, target, dirs_exist_ok=True)
        else:
            target.mkdir(parents=True, exist_ok=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m jobapp.prebuilt")
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    prepare_backend_dir()  # `serve --prebuilt` has already refused a missing page

    from reflex_base import constants
    from reflex_base.config import get_config
    from reflex_base.environment import environment

    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_SKIP_COMPILE.set(True)  # the page and its routes were compiled at build time
    config = get_config()
    config._set_persistent(frontend_port=args.port, backend_port=args.port, backend_host=args.host)

    from reflex.utils import exec as reflex_exec

    reflex_exec.run_backend_prod(args.host, args.port, config.loglevel.subprocess_level(), mount_frontend_compiled_app=True)


if __name__ == "__main__":
    main()
