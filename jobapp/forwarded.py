"""What a request says about the browser behind the proxies we trust.

`X-Forwarded-For`, `-Proto` and `-Host` can be sent by anyone; they count only through the
`TRUSTED_PROXY_HOPS` proxies the operator put in front of the app (0 by default: ignored).
nginx appends to X-Forwarded-For, so with N trusted hops the client is the N-th address
from the right; for -Proto and -Host the proxy nearest the browser wrote the first value.
`PUBLIC_URL`, when set, is the address users type and decides the scheme.
"""

from __future__ import annotations

from starlette.datastructures import Headers

from pipeline.settings import settings


def _values(headers: Headers, name: str) -> list[str]:
    return [v.strip() for v in headers.get(name, "").split(",") if v.strip()]


def client_ip(headers: Headers, peer: str | None) -> str:
    """The browser's address: X-Forwarded-For only through the trusted hops."""
    ip = peer or "unknown"
    hops = settings.trusted_proxy_hops
    chain = _values(headers, "x-forwarded-for")
    if hops and len(chain) >= hops:
        ip = chain[-hops]
    return ip


def public_scheme(headers: Headers, scheme: str) -> str:
    """"https" when the browser's connection is TLS: PUBLIC_URL's scheme, the connection's
    own, or X-Forwarded-Proto from a trusted proxy."""
    if settings.public_url:
        return settings.public_url.split(":", 1)[0]
    if scheme in ("https", "wss"):
        return "https"
    proto = _values(headers, "x-forwarded-proto")
    if settings.trusted_proxy_hops and proto:
        return "https" if proto[0].lower() in ("https", "wss") else "http"
    return "http"


def forwarded_host(headers: Headers) -> str | None:
    """The host:port the browser asked for, as a trusted proxy reports it (X-Forwarded-Host)."""
    values = _values(headers, "x-forwarded-host")
    return values[0] if settings.trusted_proxy_hops and values else None
