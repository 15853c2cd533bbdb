"""Fetch one web page a user pasted, safely: the only way the app reads an arbitrary URL.

- http and https only; a User-Agent that names the app.
- The host is resolved once and every address it gives is checked: private, loopback,
  link-local, multicast, reserved, unspecified, shared (CGNAT) and cloud-metadata addresses are
  refused, IPv4-mapped/NAT64 IPv6 forms included. The connection then goes to the checked
  address (a pinned httpcore network backend), so a DNS answer that changes between the check
  and the connect (rebinding) cannot reach an internal address. The Host header, TLS SNI and
  certificate check keep using the name.
- Redirects are followed by hand, at most 5, and every hop is checked like the first.
- Timeouts per operation and for the whole fetch; a byte cap enforced while streaming (a
  declared Content-Length over the cap is refused before reading anything).
- Only the content types asked for (HTML by default): a PDF is refused, not downloaded.

ALLOW_PRIVATE_FETCH=1 lifts the address check (tests point the fetcher at their local servers;
a self-hosted single-user app may want its intranet). Every failure is a FetchError whose
`code` a caller can act on and whose `message` a user can read.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import re
import socket
import ssl
import time
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpcore
import httpx

HTML_TYPES = ("text/html", "application/xhtml+xml")
JSON_TYPES = ("application/json",)
MAX_BYTES = 5_000_000
MAX_REDIRECTS = 5
TIMEOUT = 15.0  # seconds for the whole fetch (connect, each read, and overall)
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})

# Addresses no pasted URL may reach even though some are not "private" by the book.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack instance metadata
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS metadata over IPv6
        "100.100.100.200",  # Alibaba Cloud metadata
        "168.63.129.16",  # Azure wire server (a public address)
    )
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")

Resolver = Callable[[str, int], list[str]]


def _app_version() -> str:
    try:
        data = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
        return str(data["project"]["version"])
    except (OSError, KeyError, ValueError):
        return "0"


def user_agent() -> str:
    """`jobapp/0.1.0 (+https://jobs.example.org; job seeker's assistant)`: the contact URL is PUBLIC_URL when set."""
    from pipeline.settings import settings

    contact = f"+{settings.public_url}; " if settings.public_url else ""
    return f"jobapp/{_app_version()} ({contact}job seeker's assistant)"


def private_fetch_allowed() -> bool:
    """ALLOW_PRIVATE_FETCH=1 lifts the address check (`settings.allow_private_fetch`).

    The variable as the process environment has it now wins over the setting read at start-up,
    so a test (or a worker) that sets or removes it is obeyed without a new Settings.
    """
    raw = os.environ.get("ALLOW_PRIVATE_FETCH")
    if raw is not None:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    from pipeline.settings import settings

    return bool(settings.allow_private_fetch)


# ---------------------------------------------------------------- results and errors


@dataclass(frozen=True)
class Page:
    url: str  # as asked
    final_url: str  # after redirects
    status: int
    content_type: str  # the media type only, lower case ("text/html")
    text: str
    fetched_at: datetime
    redirects: tuple[str, ...] = ()  # every URL that answered with a redirect, in order


STATUS_WORDS = {
    400: "the site did not understand the request (HTTP 400)",
    401: "the page needs a login (HTTP 401)",
    403: "the site refused to show the page (HTTP 403); it may block automated readers, so copy the posting's text instead",
    404: "the page no longer exists (HTTP 404); the posting may have been taken down",
    410: "the page has been removed for good (HTTP 410); the posting is closed",
    429: "the site is rate-limiting requests (HTTP 429); try again in a few minutes",
    451: "the page is not available for legal reasons (HTTP 451)",
}


class FetchError(Exception):
    """A failed fetch. `code` is one of CODES; `status` is set for http_status (and the redirect codes)."""

    CODES = ("not_http", "bad_url", "private_address", "too_large", "too_many_redirects", "timeout", "http_status", "not_html", "unreachable", "dns")

    def __init__(self, code: str, message: str, *, url: str = "", status: int | None = None, bytes_read: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.url = url
        self.status = status
        self.bytes_read = bytes_read

    @property
    def gone(self) -> bool:
        """The page answered 404 or 410: for "check links", the posting is probably closed."""
        return self.code == "http_status" and self.status in (404, 410)

    def __repr__(self) -> str:
        return f"FetchError({self.code!r}, {self.message!r})"


def status_message(status: int) -> str:
    if status in STATUS_WORDS:
        return STATUS_WORDS[status]
    if status >= 500:
        return f"the site is having trouble (HTTP {status}); try again later"
    return f"the site answered HTTP {status} instead of the page"


# ---------------------------------------------------------------- the address check


def forbidden_reason(address: str) -> str | None:
    """Why an address may not be fetched ("a private address", ...), or None when it is public."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an address"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip in NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        elif ip.sixtofour is not None:
            ip = ip.sixtofour
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if ip.is_loopback:
        return "a loopback address (this machine)"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_private:
        return "a private network address"
    if ip.is_reserved or not ip.is_global:
        return "a reserved address"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host`, in its order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[str] = []
    for info in infos:
        addr = str(info[4][0])
        if addr not in out:
            out.append(addr)
    return out


# The resolver every fetch uses; tests replace it (a name that resolves to 127.0.0.1, or to a public address first and a private one later).
resolve: Resolver = system_resolver


def _checked_addresses(host: str, port: int, url: str, resolver: Resolver | None) -> list[str]:
    """Resolve `host` once; refuse the fetch when any address is off limits (unless private fetches are allowed)."""
    literal = host.strip("[]")
    try:
        ipaddress.ip_address(literal.split("%", 1)[0])
        addresses = [literal]
    except ValueError:
        try:
            addresses = (resolver or resolve)(host, port)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError("dns", f"The name {host} could not be found (DNS: {_dns_words(exc)}); check the link.", url=url) from None
        except OSError as exc:
            raise FetchError("dns", f"The name {host} could not be looked up ({exc.strerror or type(exc).__name__}).", url=url) from None
    if not addresses:
        raise FetchError("dns", f"The name {host} has no address; check the link.", url=url)
    if not private_fetch_allowed():
        for addr in addresses:
            reason = forbidden_reason(addr)
            if reason:
                shown = host if literal == addr else f"{host} ({addr})"
                raise FetchError("private_address", f"{shown} is {reason}; the app only fetches public web pages.", url=url)
    return addresses


def _dns_words(exc: BaseException) -> str:
    if isinstance(exc, socket.gaierror) and exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5)):
        return "no such name"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


# ---------------------------------------------------------------- connecting to the checked address


class _PinnedBackend(httpcore.SyncBackend):
    """Connects a host name only to the addresses checked for it; any other name is refused."""

    def __init__(self, pins: Mapping[str, list[str]]) -> None:
        self._pins = {k.lower(): list(v) for k, v in pins.items()}

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None, socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        addresses = self._pins.get(host.lower().strip("[]"))
        if not addresses:
            raise httpcore.ConnectError(f"{host} was not checked before connecting")
        last: Exception | None = None
        for addr in addresses:
            try:
                return super().connect_tcp(addr, port, timeout=timeout, local_address=local_address, socket_options=socket_options)
            except httpcore.ConnectTimeout:
                raise
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(f"could not connect to {host}")


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One TLS context for every fetch: building one loads the CA bundle (several ms, about half of
    an uncached page's time when it was built per request), and a context is safe to share."""
    return httpx.create_ssl_context(trust_env=False)


class _PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport (error mapping, streaming) over a connection pool with the pinned backend.

    httpx 0.28 has no public option for the network backend, so the pool it builds is replaced
    by one built the same way with ours; TLS still verifies the certificate for the host name.
    """

    def __init__(self, pins: Mapping[str, list[str]]) -> None:
        super().__init__(trust_env=False, retries=0)
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=2,
            network_backend=_PinnedBackend(pins),
        )


# ---------------------------------------------------------------- fetching


@dataclass
class _Deadline:
    seconds: float
    start: float = field(default_factory=time.monotonic)

    def left(self) -> float:
        return self.seconds - (time.monotonic() - self.start)


def fetch(
    url: str,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT,
    accept: tuple[str, ...] = HTML_TYPES,
    max_redirects: int = MAX_REDIRECTS,
    headers: Mapping[str, str] | None = None,
    resolver: Resolver | None = None,
) -> Page:
    """GET `url` and return its text, or raise FetchError (see the module doc for the rules)."""
    deadline = _Deadline(timeout)
    current = _parse(url, url)
    redirects: list[str] = []
    seen: set[str] = set()
    while True:
        status, location, content_type, charset, body = _one_hop(current, url, max_bytes, deadline, accept, headers, resolver)
        if location is None:
            break
        redirects.append(str(current))
        seen.add(str(current))
        try:
            target = current.join(location)
        except (httpx.InvalidURL, ValueError):
            raise FetchError("bad_url", f"The site redirected to an address that is not a valid link ({location[:200]}).", url=url) from None
        if str(target) in seen:
            raise FetchError("too_many_redirects", f"The page redirects in a loop ({_short(target)} again); open it in a browser to see where it leads.", url=url, status=status)
        if len(redirects) > max_redirects:
            raise FetchError("too_many_redirects", f"The page redirected more than {max_redirects} times; open it in a browser to see where it leads.", url=url, status=status)
        current = _parse(str(target), url)
    return Page(
        url=url,
        final_url=str(current),
        status=status,
        content_type=content_type,
        text=_decode(body, charset=charset),
        fetched_at=datetime.now(UTC),
        redirects=tuple(redirects),
    )


def _parse(raw: str, asked: str) -> httpx.URL:
    text = (raw or "").strip()
    try:
        u = httpx.URL(text)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise FetchError("bad_url", f"“{text[:200]}” is not a valid web address.", url=asked) from None
    if u.scheme not in ("http", "https"):
        what = f"a {u.scheme}: link" if u.scheme else "not a web link"
        raise FetchError("not_http", f"“{text[:200]}” is {what}; only http:// and https:// pages can be fetched.", url=asked)
    if not u.host:
        raise FetchError("bad_url", f"“{text[:200]}” has no host name.", url=asked)
    if u.userinfo:
        raise FetchError("bad_url", f"“{_short(u)}” carries a user name or password; paste the link without it.", url=asked)
    return u


def _short(u: httpx.URL | str) -> str:
    s = str(u)
    return s if len(s) <= 120 else s[:117] + "..."


def _one_hop(
    u: httpx.URL,
    asked: str,
    max_bytes: int,
    deadline: _Deadline,
    accept: tuple[str, ...],
    extra_headers: Mapping[str, str] | None,
    resolver: Resolver | None,
) -> tuple[int, str | None, str, str, bytes]:
    """One request: (status, redirect location or None, media type, charset, body)."""
    host = u.host
    port = u.port or (443 if u.scheme == "https" else 80)
    addresses = _checked_addresses(host, port, asked, resolver)
    left = deadline.left()
    if left <= 0:
        raise FetchError("timeout", f"{host} took too long to answer (over {deadline.seconds:g} s).", url=asked)
    req_headers = {
        "User-Agent": user_agent(),
        "Accept": ", ".join([*accept, "*/*;q=0.1"]),
        "Accept-Language": "en, *;q=0.5",
    }
    req_headers.update(extra_headers or {})
    read = 0
    try:
        with (
            httpx.Client(transport=_PinnedTransport({host: addresses}), timeout=httpx.Timeout(left), follow_redirects=False, trust_env=False) as client,
            client.stream("GET", u, headers=req_headers) as r,
        ):
            status = r.status_code
            if status in REDIRECT_CODES and r.headers.get("location"):
                return status, r.headers["location"], "", "", b""
            if not 200 <= status < 300:
                raise FetchError("http_status", f"{_short(u)}: {status_message(status)}.", url=asked, status=status)
            media = r.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if media and not _accepted(media, accept):
                raise FetchError("not_html", f"{_short(u)} is {_media_words(media)}, not a web page; paste the posting's text instead.", url=asked, status=status)
            declared = r.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError("too_large", f"{_short(u)} is {int(declared) / 1e6:.1f} MB; pages over {max_bytes / 1e6:g} MB are not read.", url=asked, status=status)
            body = bytearray()
            for chunk in r.iter_bytes(65536):
                body += chunk
                read = len(body)
                if read > max_bytes:
                    raise FetchError("too_large", f"{_short(u)} is over {max_bytes / 1e6:g} MB; the rest was not read.", url=asked, status=status, bytes_read=read)
                if deadline.left() <= 0:
                    raise FetchError("timeout", f"{host} took too long to send the page (over {deadline.seconds:g} s).", url=asked, status=status, bytes_read=read)
            if not media and body[:5] == b"%PDF-":
                raise FetchError("not_html", f"{_short(u)} is a PDF document, not a web page; paste the posting's text instead.", url=asked, status=status)
            if not media:
                media = "application/json" if accept == JSON_TYPES else "text/html"
            return status, None, media, _charset_param(r.headers.get("content-type", "")), bytes(body)
    except httpx.TimeoutException:
        raise FetchError("timeout", f"{host} took too long to answer (over {deadline.seconds:g} s).", url=asked, bytes_read=read) from None
    except httpx.ConnectError as exc:
        raise FetchError("unreachable", f"Could not connect to {host}{_connect_words(exc)}.", url=asked) from None
    except httpx.HTTPError as exc:
        raise FetchError("unreachable", f"The connection to {host} failed ({type(exc).__name__}).", url=asked, bytes_read=read) from None


def _accepted(media: str, accept: tuple[str, ...]) -> bool:
    return any(media == a or (a.endswith("/*") and media.startswith(a[:-1])) or (a == "application/json" and media.endswith("+json")) for a in accept)


def _media_words(media: str) -> str:
    if media == "application/pdf":
        return "a PDF document"
    if media.startswith("image/"):
        return "an image"
    if media in ("application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"):
        return "a Word document"
    return f"a file of type {media}"


def _connect_words(exc: Exception) -> str:
    text = str(exc)
    if "CERTIFICATE" in text.upper() or "SSL" in text.upper():
        return " securely (its certificate is not valid)"
    if "refused" in text.lower():
        return " (the connection was refused)"
    return ""


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _charset_param(content_type: str) -> str:
    m = re.search(r"charset\s*=\s*\"?([A-Za-z0-9_.:-]+)", content_type, re.IGNORECASE)
    return m.group(1).lower() if m else ""


def _decode(body: bytes, *, charset: str) -> str:
    """The header's charset, else a <meta charset>, else UTF-8 (with a BOM honoured); bad bytes become U+FFFD."""
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", errors="replace")
    candidates = [charset]
    m = _META_CHARSET.search(body[:4096])
    if m:
        candidates.append(m.group(1).decode("ascii", "replace").lower())
    for enc in [c for c in candidates if c] + ["utf-8"]:
        try:
            return body.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", errors="replace")
