"""Browser-facing protections for the whole app (page, websocket, uploads, downloads, API).

Pure ASGI middleware, so websockets pass through untouched unless refused.

- Security headers on every HTTP response. The page gets a CSP that Reflex's
  build works under (its bundle and hydration data are inline scripts, and
  Radix writes inline styles); files and API answers get `sandbox`, so an
  HTML artifact opened directly cannot run script in the app's origin.
- Origin check on the websocket (Reflex's `/_event`, which drives every state
  change) and on `/_upload`: a page on another site open in the same browser
  must not drive the user's local jobapp. Allowed origins: the request's own
  host (or X-Forwarded-Host from a trusted proxy), `PUBLIC_URL`, `CORS_ORIGINS`,
  and (development only) the Reflex frontend's URL.
  A handshake *without* Origin is allowed: browsers always send one on
  websockets and cross-site POSTs, so its absence means a non-browser client
  (a script, curl) which no hostile web page can drive.
- CORS only when `CORS_ORIGINS` is set (Reflex's own CORS layer is given the
  same list in rxconfig.py, so both agree: closed by default).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jobapp.forwarded import forwarded_host
from jobapp.routes import API_PREFIX, FILES
from pipeline.settings import settings

PAGE_CSP = "; ".join([
    "default-src 'self'",
    # Reflex runs toasts and call_script payloads with eval(); without 'unsafe-eval' no toast shows.
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; sandbox"
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # same-origin, not no-referrer: the URL never leaves the site, yet a same-origin form POST (the
    # sign-in) keeps its Origin header, which is how /auth/login tells it from a cross-site post
    # where browsers send no Sec-Fetch-Site (plain http on a LAN address or a mapped port).
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
FILE_PREFIXES = (FILES + "/", API_PREFIX + "/", "/_upload")
PROTECTED_HTTP = ("/_upload", "/_event")


class SecurityHeaders:
    """Adds the headers above; a route's own values (e.g. a download's CSP) win."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = FILE_CSP if scope["path"].startswith(FILE_PREFIXES) else PAGE_CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in COMMON_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = csp
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _origin_key(origin: str) -> str | None:
    parts = urlsplit(origin.strip().lower())
    if parts.scheme not in ("http", "https", "ws", "wss") or not parts.hostname:
        return None
    default = 443 if parts.scheme in ("https", "wss") else 80
    return f"{parts.hostname}:{parts.port or default}"


class OriginCheck:
    """Refuses cross-origin websocket handshakes and `/_upload`/`/_event` requests (403)."""

    def __init__(self, app: ASGIApp, *, allowed: Iterable[str] = ()) -> None:
        self.app = app
        self.allowed = {k for k in (_origin_key(o) for o in allowed) if k}

    def _ok(self, scope: Scope) -> bool:
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is None:
            return True  # not a browser: see the module docstring
        key = _origin_key(origin)
        if key is None:  # "null" (sandboxed frames, file://) or garbage
            return False
        if key in self.allowed or key in {_origin_key(o) for o in (*settings.cors_origins, settings.public_url or "")}:
            return True
        # The page's own origin: the Host the browser sent, or the one a trusted proxy reports.
        hosts = [h for h in (headers.get("host", ""), forwarded_host(headers)) if h]
        return any(key == _origin_key(f"{scheme}://{host}") for host in hosts for scheme in ("http", "https"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        protected = scope["type"] == "websocket" or (scope["type"] == "http" and scope["path"].startswith(PROTECTED_HTTP))
        if not protected or self._ok(scope):
            await self.app(scope, receive, send)
            return
        origin = Headers(scope=scope).get("origin", "")
        if scope["type"] == "websocket":
            # Closing before accepting makes the server answer the handshake with 403.
            await send({"type": "websocket.close", "code": 1008, "reason": "cross-origin websocket refused"})
            return
        body = json.dumps({"detail": f"Cross-origin request refused (Origin {origin!r}); allow it with CORS_ORIGINS."}).encode()
        await send({"type": "http.response.start", "status": 403, "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def dev_frontend_origins() -> list[str]:
    """In `reflex run` development mode the page comes from another port than the backend."""
    try:
        from reflex_base.config import get_config
        from reflex_base.environment import environment
    except ImportError:  # pragma: no cover - Reflex moved these
        return []
    if str(environment.REFLEX_ENV_MODE.get().value) != "dev":
        return []
    url = get_config().deploy_url
    return [url] if url else []


def install_security(app: Starlette, *, extra_origins: Iterable[str] = ()) -> None:
    """Wrap `app` (and everything mounted under it: the page, its websocket, the API)."""
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"],
            expose_headers=["Retry-After", "Idempotent-Replayed"], max_age=600,
        )
    app.add_middleware(OriginCheck, allowed=list(extra_origins))
    app.add_middleware(SecurityHeaders)
