"""HTML to PDF with one long-lived Chromium per process (Playwright, async).

Launching Chromium costs far more than rendering a page, so the browser is kept
and each document gets a fresh, throwaway context: JavaScript off and every
request except `data:` URLs aborted (documents are self-contained; anything
else would be a tracking pixel or a hang). A semaphore bounds documents in
flight; a crashed browser is relaunched and the document retried once.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import logging
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from pipeline import metrics
from pipeline.render.browser import LAUNCH_ARGS, find_chromium

log = logging.getLogger(__name__)

# The last page of a multi-page document with this few lines is a "spill".
SPILL_MAX_LINES = 3
_CLOSE_TIMEOUT = 5.0
# This many timeouts in a row means the browser itself is stuck: replace it.
_TIMEOUTS_BEFORE_RELAUNCH = 2


class PdfError(Exception):
    """A PDF could not be made; `code` is "timeout", "browser_unavailable" or "render_failed"."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class PdfResult:
    """A printed document and what was checked about it."""

    data: bytes
    pages: int
    page_width_pt: float  # of the first page
    page_height_pt: float
    spill: bool  # more than one page and the last holds only a few lines
    seconds: float  # rendering time once a slot was free (0 for a cache hit)
    blocked_requests: int = 0  # requests the document tried to make


def inspect_pdf(data: bytes) -> tuple[int, float, float, bool]:
    """Page count, first page size in points, and whether the last page is a spill."""
    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    box = reader.pages[0].mediabox
    spill = False
    if pages > 1:
        lines = [ln for ln in (reader.pages[-1].extract_text() or "").splitlines() if ln.strip()]
        spill = len(lines) <= SPILL_MAX_LINES
    return pages, float(box.width), float(box.height), spill


class PdfRenderer:
    """One Chromium, many documents. Use from a single event loop."""

    def __init__(self, *, max_concurrent: int = 2, executable_path: str | None = None) -> None:
        self._executable = executable_path
        self._semaphore = asyncio.Semaphore(max_concurrent)
        self._launch_lock = asyncio.Lock()
        self._playwright: Any = None
        self._browser: Any = None
        self._gone = asyncio.Event()  # set when the current browser disconnects
        self._timeouts = 0
        self.launches = 0  # browsers launched so far (tests and the bench read it)
        self.renders = 0  # documents rendered so far

    @property
    def running(self) -> bool:
        return self._browser is not None and self._browser.is_connected()

    async def start(self) -> None:
        """Launch the browser now rather than on the first render."""
        await self._ensure_browser()

    async def browser_pid(self) -> int | None:
        """The browser process id (over CDP: Playwright does not expose it)."""
        browser, _ = await self._ensure_browser()
        session = await browser.new_browser_cdp_session()
        try:
            info = await session.send("SystemInfo.getProcessInfo")
        finally:
            await session.detach()
        return next((p["id"] for p in info["processInfo"] if p["type"] == "browser"), None)

    async def _ensure_browser(self) -> tuple[Any, asyncio.Event]:
        async with self._launch_lock:
            if self.running:
                return self._browser, self._gone
            if self._browser is not None:  # crashed or disconnected: drop it
                await self._quietly(self._browser.close())
                self._browser = None
            path = self._executable or find_chromium()
            if not path:
                raise PdfError("browser_unavailable", "Chromium was not found; install it (apt-get install chromium) or set CHROMIUM_PATH.")
            try:
                if self._playwright is None:
                    from playwright.async_api import async_playwright

                    self._playwright = await async_playwright().start()
                self._browser = await self._playwright.chromium.launch(executable_path=path, args=LAUNCH_ARGS, timeout=30_000)
            except Exception as exc:
                raise PdfError("browser_unavailable", f"Chromium did not start ({path}): {exc}") from exc
            gone = self._gone = asyncio.Event()
            self._browser.on("disconnected", lambda _browser: gone.set())
            self._timeouts = 0
            self.launches += 1
            return self._browser, gone

    async def render(self, html: str, *, timeout: float = 30) -> PdfResult:
        """Print one self-contained HTML document; waits its turn at the semaphore."""
        async with self._semaphore:
            start = time.perf_counter()
            for attempt in (1, 2):
                browser, gone = await self._ensure_browser()
                try:
                    data, blocked = await asyncio.wait_for(self._print_unless_gone(browser, gone, html), timeout)
                    break
                except TimeoutError:  # asyncio.TimeoutError is TimeoutError on 3.11+
                    await self._after_timeout(browser)
                    metrics.pdf_rendered("timeout", time.perf_counter() - start)
                    raise PdfError("timeout", f"PDF rendering took longer than {timeout:g} s") from None
                except Exception as exc:
                    if attempt == 1 and _crashed(browser, exc):
                        continue  # the browser died under us: relaunch (if needed) and retry once
                    metrics.pdf_rendered("render_failed", time.perf_counter() - start)
                    raise PdfError("render_failed", f"Chromium could not print the document: {exc}") from exc
            self._timeouts = 0
            # pypdf is pure Python: keep its text extraction off the event loop.
            pages, width, height, spill = await asyncio.to_thread(inspect_pdf, data)
            self.renders += 1
            metrics.pdf_rendered("ok", time.perf_counter() - start)
            return PdfResult(data, pages, width, height, spill, time.perf_counter() - start, blocked)

    async def _print_unless_gone(self, browser: Any, gone: asyncio.Event, html: str) -> tuple[bytes, int]:
        """Race the print against the browser's disconnect.

        Playwright leaves some calls (seen: `new_page`) pending forever when the
        browser is killed mid-call, so a crash would otherwise look like a timeout."""
        work = asyncio.ensure_future(self._print(browser, html))
        watch = asyncio.ensure_future(gone.wait())
        try:
            await asyncio.wait({work, watch}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            watch.cancel()
            if not work.done():  # crashed, or our caller timed out: abandon the print
                work.cancel()
                work.add_done_callback(lambda t: t.cancelled() or t.exception())
        if work.done() and not work.cancelled():
            return work.result()
        raise BrowserGone("the browser disconnected while printing")

    async def _after_timeout(self, browser: Any) -> None:
        """A slow document is the document's fault; repeated timeouts are the browser's."""
        self._timeouts += 1
        if self._timeouts >= _TIMEOUTS_BEFORE_RELAUNCH:
            async with self._launch_lock:
                if self._browser is browser:
                    self._browser = None
                    await self._quietly(browser.close())

    async def _print(self, browser: Any, html: str) -> tuple[bytes, int]:
        context = await browser.new_context(java_script_enabled=False)
        blocked = 0

        async def gate(route: Any) -> None:
            nonlocal blocked
            if route.request.url.startswith("data:"):
                await route.continue_()
            else:
                blocked += 1
                await route.abort("blockedbyclient")

        try:
            await context.route("**/*", gate)
            page = await context.new_page()
            await page.set_content(html, wait_until="load")
            # Works with JavaScript disabled: Playwright evaluates in its own
            # utility world over CDP, which the page's script setting does not gate.
            await page.evaluate("document.fonts.ready.then(() => true)")
            data = await page.pdf(prefer_css_page_size=True, print_background=True)
            return data, blocked
        finally:
            # Shielded and bounded: a timeout cancels us, but the context must
            # still go, and a hung browser must not hang the caller.
            await self._quietly(asyncio.shield(context.close()))

    @staticmethod
    async def _quietly(aw: Any) -> None:
        try:
            await asyncio.wait_for(aw, _CLOSE_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - cleanup must never mask the real outcome
            log.debug("ignored during cleanup: %s", exc)

    async def close(self) -> None:
        """Close the browser and Playwright; the renderer can be started again."""
        async with self._launch_lock:
            if self._browser is not None:
                await self._quietly(self._browser.close())
                self._browser = None
            if self._playwright is not None:
                await self._quietly(self._playwright.stop())
                self._playwright = None


class BrowserGone(Exception):
    """The browser disconnected (crashed or was killed) during a render."""


def _crashed(browser: Any, exc: Exception) -> bool:
    """Whether a failure looks like a dead browser or tab rather than a bad document."""
    message = str(exc).lower()
    return isinstance(exc, BrowserGone) or not browser.is_connected() or "closed" in message or "crash" in message


# --- process-wide instance ---------------------------------------------------

_renderer: PdfRenderer | None = None
_renderer_loop: asyncio.AbstractEventLoop | None = None
_renderer_lock: asyncio.Lock | None = None


async def get_renderer() -> PdfRenderer:
    """The process's renderer, started on first use (one per event loop)."""
    global _renderer, _renderer_loop, _renderer_lock
    loop = asyncio.get_running_loop()
    if _renderer_loop is not loop:  # first call, or a new loop (asyncio.run in scripts/tests)
        _renderer, _renderer_loop, _renderer_lock = None, loop, asyncio.Lock()
    assert _renderer_lock is not None
    async with _renderer_lock:
        if _renderer is None:
            renderer = PdfRenderer()
            await renderer.start()
            _renderer = renderer
        return _renderer


async def shutdown_renderer() -> None:
    """Close the process-wide renderer (app shutdown)."""
    global _renderer
    if _renderer is not None and _renderer_loop is asyncio.get_running_loop():
        renderer, _renderer = _renderer, None
        await renderer.close()


def render_pdf_sync(html: str, *, timeout: float = 30) -> PdfResult:
    """One document from synchronous code (the CLI): launch, render, close."""

    async def go() -> PdfResult:
        renderer = PdfRenderer(max_concurrent=1)
        try:
            return await renderer.render(html, timeout=timeout)
        finally:
            await renderer.close()

    return asyncio.run(go())


# --- content-hash cache ------------------------------------------------------


async def render_cached(html: str, cache_dir: Path, *, renderer: PdfRenderer | None = None, timeout: float = 30) -> tuple[Path, PdfResult]:
    """`<sha256>.pdf` in cache_dir for this exact document, rendered only when missing.

    The HTML is the whole document (CSS, page size, ATS setting), so its hash
    is the cache key: an unchanged CV is never printed twice."""
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
    pdf_path, meta_path = cache_dir / f"{digest}.pdf", cache_dir / f"{digest}.json"
    cached = await asyncio.to_thread(_read_cached, pdf_path, meta_path)
    if cached is not None:
        return pdf_path, cached
    result = await (renderer or await get_renderer()).render(html, timeout=timeout)
    await asyncio.to_thread(_write_cached, pdf_path, meta_path, result)
    return pdf_path, result


def _read_cached(pdf_path: Path, meta_path: Path) -> PdfResult | None:
    """A cache hit, or None when missing or damaged (then the caller renders again)."""
    if not (pdf_path.exists() and meta_path.exists()):
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        data = pdf_path.read_bytes()
        return PdfResult(data, meta["pages"], meta["page_width_pt"], meta["page_height_pt"], meta["spill"], 0.0)
    except (OSError, ValueError, KeyError):
        return None


def _write_cached(pdf_path: Path, meta_path: Path, result: PdfResult) -> None:
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"pages": result.pages, "page_width_pt": result.page_width_pt, "page_height_pt": result.page_height_pt, "spill": result.spill}
    _atomic_write(pdf_path, result.data)
    _atomic_write(meta_path, json.dumps(meta).encode("utf-8"))


def _atomic_write(path: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never half of one."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
