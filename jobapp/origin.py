"""The built page talks to the origin it was loaded from, wherever that is.

Reflex 0.10 bakes absolute backend URLs (`/_event`, `/_upload`, `/ping`) into the
page at build time, from `api_url` with the backend's own port. Its browser code
swaps in the page's host name but keeps that port, so behind a TLS proxy on
another host name and port, or through a container port mapping, the page dials
the wrong place and the CSP (`connect-src 'self'`) refuses it anyway.

The fix is the smallest one Reflex allows by configuration plus one patch:
`api_url` is a marker host (`SAME_ORIGIN_URL`, no port), and `SameOriginPlugin`
patches `getBackendURL` in the page's `utils/state.js` so a URL on the marker
host takes the page's own scheme (http/https -> ws/wss) and host:port. The
build then holds no port at all: one build serves every address. With
`PUBLIC_URL` set, `api_url` is that URL instead and the patch leaves it alone.
"""

from __future__ import annotations

from reflex_base.plugins.base import Plugin

MARKER_HOST = "same-origin.invalid"  # .invalid never resolves (RFC 6761): a URL left unpatched fails loudly
SAME_ORIGIN_URL = f"http://{MARKER_HOST}"
STATE_JS = "utils/state.js"
ANCHOR = "  const endpoint = new URL(url_str);\n"
PATCH = ANCHOR + """  // jobapp (jobapp/origin.py): the marker host means "the origin this page came from".
  if (typeof window !== "undefined" && endpoint.hostname === "MARKER") {
    const here = window.location;
    const secure = here.protocol === "https:";
    endpoint.protocol = endpoint.protocol.startsWith("ws") ? (secure ? "wss:" : "ws:") : here.protocol;
    endpoint.host = HOST;
    return endpoint;
  }
""".replace("MARKER", MARKER_HOST)


class PatchFailed(RuntimeError):
    """Reflex's `getBackendURL` changed shape: refuse to build a page that could not connect."""


def patch_state_js(source: str, *, dev_backend_port: int | None = None) -> str:
    """`utils/state.js` with the same-origin rule in `getBackendURL` (idempotent).

    `reflex run` in development serves the page (Vite) and the backend on two ports:
    there the page keeps its host name and dials the backend's port."""
    if MARKER_HOST in source:
        source = _unpatch(source)
    if source.count(ANCHOR) != 1 or "export const getBackendURL" not in source:
        raise PatchFailed(
            f"jobapp cannot patch getBackendURL in .web/{STATE_JS}: Reflex's template changed. "
            "Update jobapp/origin.py for this Reflex version (or pin reflex in requirements.txt)."
        )
    host = "here.host" if dev_backend_port is None else f'here.hostname + ":{int(dev_backend_port)}"'
    return source.replace(ANCHOR, PATCH.replace("HOST", host, 1), 1)


def _unpatch(source: str) -> str:
    """Take an earlier patch out (the build may switch between dev and prod)."""
    start = source.index(ANCHOR) + len(ANCHOR)
    end = source.index("    return endpoint;\n  }\n", start) + len("    return endpoint;\n  }\n")
    return source[:start] + source[end:]


class SameOriginPlugin(Plugin):
    """Applies `patch_state_js` to the page before every build."""

    def pre_compile(self, **context) -> None:
        from reflex_base.config import get_config
        from reflex_base.environment import environment

        dev = str(environment.REFLEX_ENV_MODE.get().value) == "dev"
        port = get_config().backend_port if dev else None
        context["add_modify_task"](STATE_JS, lambda source: patch_state_js(source, dev_backend_port=port))
