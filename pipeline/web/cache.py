"""Fetch through the store's page cache (pipeline/store/webcache.py): a page read in the last
WEB_CACHE_DAYS days is answered from the store, without a request.

`cached_fetch(url, timeout=..., max_bytes=...)` is `fetch.fetch` with a memory: it returns a
`CachedPage` (a `fetch.Page` that says whether it came from the cache), and raises the same
`FetchError`s, including for a remembered 404/410 (`GoneFromCache`, `from_cache` True).

- `timeout` may be a function of the URL, called only when the web is really asked: research
  passes its budget's `take`, so a hit costs no request from the run's budget and no wait for
  the per-host politeness interval.
- The store is opened in short sessions of its own, one to look up and one to keep; no
  transaction is held while fetching.
- When the store cannot be reached (down, not migrated) the page is fetched as if there were
  no cache; that is logged once per process.
- With private fetches not allowed, a hit for a host that is an address off limits (or a
  `localhost` name) is ignored, so a page kept while ALLOW_PRIVATE_FETCH=1 is never shown once
  it is off; the fetch then refuses it as it would anyway.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from pipeline.web import fetch as web_fetch
from pipeline.web.fetch import FetchError, Page

log = logging.getLogger(__name__)

PRUNE_EVERY = 3600.0  # seconds between two deletions of expired entries, per process

_warned = False
_last_prune = 0.0
_state_lock = threading.Lock()


@dataclass(frozen=True)
class CachedPage(Page):
    from_cache: bool = False  # answered from the store, no request made


class GoneFromCache(FetchError):
    """A 404/410 the cache remembers: raised like the fetch's own `http_status` error."""

    from_cache = True


def cache_days() -> float:
    """WEB_CACHE_DAYS as the environment has it now (tests and the bench change it), else the setting; 0 = off."""
    raw = os.environ.get("WEB_CACHE_DAYS")
    if raw is not None:
        try:
            return max(0.0, float(raw))
        except ValueError:
            pass
    from pipeline.settings import settings

    return float(settings.web_cache_days)


def canonical(url: str) -> str:
    """The cache key: scheme and host in lower case, no fragment, an empty path as "/" (the path and query kept as given)."""
    p = urllib.parse.urlsplit((url or "").strip())
    return urllib.parse.urlunsplit((p.scheme.lower(), p.netloc.lower(), p.path or "/", p.query, ""))


def _private_host(url: str) -> bool:
    host = (urllib.parse.urlsplit(url).hostname or "").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    reason = web_fetch.forbidden_reason(host)
    return reason is not None and reason != "not an address"


def _store_failed(exc: Exception) -> None:
    global _warned
    with _state_lock:
        first, _warned = not _warned, True
    if first:
        log.warning("web page cache: the store is not available (%s); pages are fetched without it", type(exc).__name__)


def _store_url() -> str:
    """The store as the settings name it now (not the engine first made without a URL)."""
    from pipeline.settings import settings

    return settings.db_url


def _lookup(key: str, max_age: timedelta) -> Page | None:
    from pipeline.store.db import session_scope
    from pipeline.store.webcache import get_page

    try:
        with session_scope(_store_url()) as session:
            row = get_page(session=session, url=key, max_age=max_age)
            if row is None:
                return None
            return Page(
                url=key, final_url=row.final_url, status=row.status, content_type=row.content_type, text=row.text, fetched_at=row.fetched_at
            )
    except (SQLAlchemyError, OSError) as exc:
        _store_failed(exc)
        return None


def _keep(key: str, *, final_url: str, status: int, content_type: str = "", text: str = "", fetched_at=None, max_age: timedelta) -> None:
    global _last_prune
    from pipeline.store.db import session_scope
    from pipeline.store.webcache import prune, put_page

    with _state_lock:
        due = time.monotonic() - _last_prune > PRUNE_EVERY
        if due:
            _last_prune = time.monotonic()
    try:
        with session_scope(_store_url()) as session:
            put_page(
                session=session, url=key, final_url=final_url, status=status, content_type=content_type, text=text, fetched_at=fetched_at
            )
            if due:
                prune(session=session, max_age=max_age)
    except (SQLAlchemyError, OSError) as exc:
        _store_failed(exc)


def _accepted(media: str, accept: tuple[str, ...]) -> bool:
    """The kept page's media type is one this fetch asks for (a page kept for one `accept` is not another's answer)."""
    return not media or any(
        media == a or (a.endswith("/*") and media.startswith(a[:-1])) or (a == "application/json" and media.endswith("+json"))
        for a in accept
    )


def cached_fetch(
    url: str,
    *,
    timeout: float | Callable[[str], float],
    max_bytes: int = web_fetch.MAX_BYTES,
    accept: tuple[str, ...] = web_fetch.HTML_TYPES,
) -> CachedPage:
    """`fetch.fetch(url)` answered from the cache when it holds a fresh copy; see the module doc."""
    days = cache_days()
    key = canonical(url)
    max_age = timedelta(days=days)
    use = days > 0 and key.startswith(("http://", "https://")) and not (_private_host(key) and not web_fetch.private_fetch_allowed())
    if use:
        hit = _lookup(key, max_age)
        if hit is not None and hit.status in (404, 410):
            raise GoneFromCache("http_status", f"{url}: {web_fetch.status_message(hit.status)} (remembered).", url=url, status=hit.status)
        if hit is not None and _accepted(hit.content_type, accept) and len(hit.text.encode("utf-8")) <= max_bytes:
            return CachedPage(**{**asdict(hit), "url": url}, from_cache=True)
    seconds = timeout(url) if callable(timeout) else timeout
    try:
        page = web_fetch.fetch(url, timeout=seconds, max_bytes=max_bytes, accept=accept)
    except FetchError as exc:
        if use and exc.gone:
            _keep(key, final_url=url, status=exc.status or 404, max_age=max_age)
        raise
    if use:
        _keep(
            key,
            final_url=page.final_url,
            status=page.status,
            content_type=page.content_type,
            text=page.text,
            fetched_at=page.fetched_at,
            max_age=max_age,
        )
    return CachedPage(**asdict(page), from_cache=False)
