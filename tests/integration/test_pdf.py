"""PDF export: real Chromium, text read back with pdftotext/pypdf.

Each test that needs isolation runs its own renderer inside asyncio.run, so a
killed or timed-out browser never leaks into the next test.
"""

from __future__ import annotations

import asyncio
import http.server
import io
import json
import os
import signal
import subprocess
import threading
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from pypdf import PdfReader

from pipeline.render import pdf as pdf_module
from pipeline.render.browser import find_chromium
from pipeline.render.markdown import render_markdown
from pipeline.render.pdf import PdfError, PdfRenderer, render_cached
from pipeline.render.templates import PAGE_SIZES, TEMPLATES, ats_safe_text, cv_document, dossier_document

pytestmark = pytest.mark.skipif(find_chromium() is None, reason="Chromium is not installed (make setup)")

ROOT = Path(__file__).resolve().parents[2]
MASTER_CV = ROOT / "pipeline" / "sources" / "demo_data" / "master_cv.md"

CV_MD = """# Zanzibarquux Example

Zürich · zanzi@example.com · +41 44 000 00 00

## Summary

Engineer who writes “clear” code — and ships it… Señor Müller’s café.

## Experience

### Platform Engineer — Ωmega Systems

*Αθήνα · 2020 – 2024*

- Built the Привет pipeline for ελληνικά text (Zanzibarquux marker).
- Cut costs by 31%.
"""

T = TypeVar("T")


def run(fn: Callable[[PdfRenderer], Awaitable[T]], **kwargs) -> T:
    """A fresh renderer on a fresh loop, always closed."""

    async def go() -> T:
        renderer = PdfRenderer(**kwargs)
        try:
            return await fn(renderer)
        finally:
            await renderer.close()

    return asyncio.run(go())


def pdftotext(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode("utf-8")


def pages_text(data: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages]


def cv(md: str, **kwargs) -> str:
    return cv_document(render_markdown(md), **kwargs)


# --- content, sizes, page counts, spill ---------------------------------------


def test_cv_text_sizes_and_page_counts():
    long_md = MASTER_CV.read_text(encoding="utf-8") + "\n\n" + CV_MD

    async def go(r: PdfRenderer):
        return {
            "a4": await r.render(cv(CV_MD, page_size="A4")),
            "letter": await r.render(cv(CV_MD, page_size="Letter", template="compact")),
            "long": await r.render(cv(long_md)),
        }

    out = run(go)
    text = pdftotext(out["a4"].data)
    for word in ("Zanzibarquux", "Zürich", "Ωmega", "Αθήνα", "Привет", "ελληνικά", "Müller’s", "“clear”", "—"):
        assert word in text, word
    assert out["a4"].pages == 1 and not out["a4"].spill
    assert abs(out["a4"].page_width_pt - 595) <= 2 and abs(out["a4"].page_height_pt - 842) <= 2
    assert abs(out["letter"].page_width_pt - 612) <= 2 and abs(out["letter"].page_height_pt - 792) <= 2
    assert out["long"].pages > 1
    assert out["long"].pages == len(PdfReader(io.BytesIO(out["long"].data)).pages)
    assert "Zanzibarquux" in pdftotext(out["long"].data)


def test_spill_is_flagged_and_full_pages_are_not():
    # 297mm - 2 x 20mm margins = 257mm of content: the block fills page 1 exactly.
    spill_html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>@page { size: A4; margin: 20mm }"
        " body { margin: 0; font: 11pt 'DejaVu Sans' } .fill { height: 257mm }</style></head>"
        "<body><div class='fill'>Top of page one.</div><p>Spilled line one.</p><p>Spilled line two.</p></body></html>"
    )
    two_full = "<!DOCTYPE html><html><body>" + "".join(f"<p>Paragraph {i} of a long document.</p>" for i in range(90)) + "</body></html>"

    async def go(r: PdfRenderer):
        return await r.render(spill_html), await r.render(two_full)

    spilled, full = run(go)
    assert spilled.pages == 2 and spilled.spill
    assert "Spilled line two" in pages_text(spilled.data)[-1]
    assert full.pages >= 2 and not full.spill


# Page content height in mm (A4 minus the template's margins).
CONTENT_MM = {"classic": 297 - 36, "compact": 297 - 24, "modern": 297 - 32}


@pytest.mark.parametrize("template", TEMPLATES)
def test_role_heading_never_leaves_its_first_bullet(template: str):
    """A spacer pushes the role to every spot near the page foot; it must move as a unit.

    Without the break rules most of these positions split heading, dates and bullet."""
    role = render_markdown(
        "### Role Qzx — Company\n\n*City · 2020 – 2021*\n\n"
        "- First bullet Fbq, long enough to wrap onto a second line of text in the layout for sure.\n- Second.\n"
    )
    height = CONTENT_MM[template]

    async def go(r: PdfRenderer):
        docs = [cv_document(f'<div style="height:{x}mm">Spacer</div>' + role, template=template) for x in range(height - 30, height, 4)]
        return [await r.render(doc) for doc in docs]

    for result in run(go):
        texts = pages_text(result.data)
        assert [i for i, t in enumerate(texts) if "Qzx" in t] == [i for i, t in enumerate(texts) if "Fbq" in t]
        for page in texts[:-1]:
            last = [ln for ln in page.splitlines() if ln.strip()][-1]
            assert "Qzx" not in last and "City" not in last, last


def test_dossier_document_renders_tables_and_quotes():
    md = "# Dossier Zanzibarquux\n\n## Fit\n\n| Need | Evidence |\n|---|---|\n| Kafka | 40M events/day |\n\n> Led the move to Kafka.\n"

    async def go(r: PdfRenderer):
        return await r.render(dossier_document(render_markdown(md), page_size="Letter"))

    result = run(go)
    text = pdftotext(result.data)
    assert "Zanzibarquux" in text and "40M events/day" in text and "Led the move to Kafka." in text
    assert abs(result.page_width_pt - 612) <= 2


# --- the long-lived browser ----------------------------------------------------


def test_twenty_pdfs_reuse_one_browser_and_respect_the_bound():
    html = cv(CV_MD)

    async def go(r: PdfRenderer):
        in_flight = peak = 0
        original = r._print

        async def counting(browser, doc):
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            try:
                return await original(browser, doc)
            finally:
                in_flight -= 1

        r._print = counting  # type: ignore[method-assign]
        pid = await r.browser_pid()
        results = [await r.render(html) for _ in range(14)]
        results += await asyncio.gather(*(r.render(html) for _ in range(6)))
        return results, pid, await r.browser_pid(), peak, r.launches, r.renders

    results, pid_before, pid_after, peak, launches, renders = run(go, max_concurrent=2)
    assert (launches, renders) == (1, 20)
    assert len(results) == 20 and all(r.pages == 1 for r in results)
    assert "Zanzibarquux" in pdftotext(results[-1].data)
    assert pid_before == pid_after
    assert peak == 2


def test_killed_browser_is_restarted():
    async def go(r: PdfRenderer):
        await r.render("<p>before</p>")
        pid = await r.browser_pid()
        assert pid
        os.kill(pid, signal.SIGKILL)
        after = await r.render("<p>after the crash Zanzibarquux</p>")  # retried or relaunched
        second = await r.render("<p>and again</p>")
        return pid, after, second, r.launches, await r.browser_pid()

    old_pid, after, second, launches, new_pid = run(go)
    assert "Zanzibarquux" in pdftotext(after.data) and second.pages == 1
    assert launches == 2 and new_pid != old_pid


def test_browser_killed_mid_render_is_retried_not_hung():
    """Playwright can leave a call pending forever when the browser dies under it."""

    async def go(r: PdfRenderer):
        pid = await r.browser_pid()
        original = r._print
        calls = 0

        async def kill_first(browser, doc):
            nonlocal calls
            calls += 1
            if calls == 1:
                asyncio.get_running_loop().call_later(0.05, os.kill, pid, signal.SIGKILL)
            return await original(browser, doc)

        r._print = kill_first  # type: ignore[method-assign]
        result = await r.render(cv(MASTER_CV.read_text(encoding="utf-8") * 3), timeout=20)
        return result, calls, r.launches

    result, calls, launches = run(go)
    assert result.pages > 1 and calls == 2 and launches == 2


def test_closed_browser_is_relaunched_on_next_render():
    async def go(r: PdfRenderer):
        await r.start()
        await r._browser.close()  # what a crash looks like to Playwright
        result = await r.render("<p>back</p>")
        return result, r.launches

    result, launches = run(go)
    assert result.pages == 1 and launches == 2


def test_timeout_raises_pdf_error_and_renderer_survives():
    async def go(r: PdfRenderer):
        await r.start()
        with pytest.raises(PdfError) as info:
            await r.render(cv(CV_MD), timeout=0.001)
        ok = await r.render("<p>still fine</p>")
        return info.value, ok, r.launches

    error, ok, launches = run(go)
    assert error.code == "timeout" and "took longer" in str(error)
    assert ok.pages == 1 and launches == 1


def test_repeated_timeouts_replace_the_browser():
    async def go(r: PdfRenderer):
        await r.start()
        for _ in range(2):
            with pytest.raises(PdfError):
                await r.render("<p>x</p>", timeout=0.001)
        ok = await r.render("<p>fresh</p>")
        return ok, r.launches

    ok, launches = run(go)
    assert ok.pages == 1 and launches == 2


def test_missing_browser_is_browser_unavailable():
    async def go(r: PdfRenderer):
        with pytest.raises(PdfError) as info:
            await r.render("<p>x</p>")
        return info.value

    assert run(go, executable_path="/nonexistent/chromium").code == "browser_unavailable"


# --- isolation: no network, no JavaScript ----------------------------------------


@pytest.fixture
def http_server() -> Iterator[tuple[str, list[str]]]:
    """A local server that records every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_external_resources_are_blocked(http_server):
    base, hits = http_server
    html = f"""<!DOCTYPE html><html><head>
    <link rel="stylesheet" href="{base}/style.css">
    <style>@import url("{base}/import.css");
      @font-face {{ font-family: X; src: url("{base}/font.woff2"); }}
      body {{ background: url("{base}/bg.png"); font-family: X, sans-serif; }}</style>
    </head><body><p>Blocked Zanzibarquux</p>
    <img src="{base}/x.png"><iframe src="{base}/frame.html"></iframe>
    <object data="{base}/obj.svg"></object><video poster="{base}/poster.png"></video>
    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
    </body></html>"""

    async def go(r: PdfRenderer):
        return await r.render(html)

    result = run(go)
    assert "Zanzibarquux" in pdftotext(result.data)
    assert hits == []
    assert result.blocked_requests >= 4


def test_javascript_is_off_even_for_unsanitized_html():
    html = (
        "<html><body onload=\"document.body.append('ONLOADRAN')\"><p id='p'>Static text</p>"
        "<script>document.write('SCRIPTRAN'); document.getElementById('p').textContent = 'MUTATED';</script>"
        "<img src='data:,' onerror=\"document.body.append('ONERRORRAN')\"></body></html>"
    )

    async def go(r: PdfRenderer):
        return await r.render(html)

    text = pdftotext(run(go).data)
    assert "Static text" in text
    for marker in ("SCRIPTRAN", "MUTATED", "ONLOADRAN", "ONERRORRAN"):
        assert marker not in text


def test_cv_document_is_self_contained():
    for template in TEMPLATES:
        for size in PAGE_SIZES:
            doc = cv_document("<p>x</p>", template=template, page_size=size, title="A <b> CV")
            assert doc.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in doc and 'lang="en"' in doc
            assert "<title>A &lt;b&gt; CV</title>" in doc
            assert "http:" not in doc and "https:" not in doc and "<link" not in doc and "url(" not in doc
            assert ("size: A4" if size == "A4" else "size: letter") in doc
            assert "break-after: avoid" in doc and "break-inside: avoid" in doc
    with pytest.raises(ValueError):
        cv_document("<p>x</p>", template="fancy")
    with pytest.raises(ValueError):
        dossier_document("<p>x</p>", page_size="A3")


# --- ATS-safe text -----------------------------------------------------------------


def test_ats_safe_text():
    assert ats_safe_text("“Hi” — it’s … ok – fine") == "\"Hi\" - it's ... ok - fine"
    assert ats_safe_text("• first\n  ▪ second\n➤ third") == "- first\n  - second\n- third"
    assert ats_safe_text("London · UK • Remote") == "London | UK | Remote"
    assert ats_safe_text("a\u00a0b\u202fc\u200bd") == "a b cd"
    assert ats_safe_text("Zürich Ωmega Привет") == "Zürich Ωmega Привет"
    # Tags and attributes untouched; entities for those characters replaced, others kept.
    html = '<p title="“keep”" class="a–b">“x”&nbsp;&mdash;&#8230; &lt;tag&gt; &amp;</p>'
    assert ats_safe_text(html) == '<p title="“keep”" class="a–b">"x" -... &lt;tag&gt; &amp;</p>'


def test_ats_safe_cv_pdf_has_plain_text():
    async def go(r: PdfRenderer):
        return await r.render(cv(CV_MD, ats_safe=True))

    text = pdftotext(run(go).data)
    assert "Zanzibarquux" in text and "Zürich" in text and "Привет" in text
    for char in "“”’—–…·":
        assert char not in text, char


# --- cache ---------------------------------------------------------------------------


def test_render_cached_hits_without_rendering(tmp_path: Path):
    html = cv(CV_MD)

    async def go(r: PdfRenderer):
        first_path, first = await render_cached(html, tmp_path, renderer=r)
        mtime = first_path.stat().st_mtime_ns
        second_path, second = await render_cached(html, tmp_path, renderer=r)
        other_path, _ = await render_cached(cv(CV_MD, template="compact"), tmp_path, renderer=r)
        return first_path, first, second_path, second, other_path, mtime, r.renders

    first_path, first, second_path, second, other_path, mtime, renders = run(go)
    assert second_path == first_path and first_path.stat().st_mtime_ns == mtime
    assert renders == 2  # the first and the compact one; the repeat came from disk
    assert second.data == first.data and second.pages == first.pages == 1 and second.spill is False
    assert other_path != first_path
    meta = json.loads(first_path.with_suffix(".json").read_text())
    assert meta["pages"] == 1 and meta["spill"] is False


# --- CLI -------------------------------------------------------------------------------


@pytest.fixture
def no_database(monkeypatch):
    from pipeline.store import db

    def refuse(*args, **kwargs):
        raise AssertionError("the pdf command must not touch the database")

    monkeypatch.setattr(db, "migrate", refuse)


def test_cli_pdf_markdown_and_html(tmp_path: Path, capsys, no_database):
    from pipeline.__main__ import main

    md = tmp_path / "cv.md"
    md.write_text(CV_MD, encoding="utf-8")
    out_md = tmp_path / "out" / "cv.pdf"
    assert main(["pdf", str(md), str(out_md), "--template", "compact", "--page-size", "Letter", "--ats-safe"]) == 0
    assert f"{out_md}: 1 page (Letter)" in capsys.readouterr().out
    text = pdftotext(out_md.read_bytes())
    assert "Zanzibarquux" in text and "—" not in text

    page = tmp_path / "dossier.html"
    page.write_text("<h1>Dossier Zanzibarquux</h1><p>Evidence<script>document.write('SCRIPTRAN')</script></p>", encoding="utf-8")
    out_html = tmp_path / "dossier.pdf"
    assert main(["pdf", str(page), str(out_html), "--kind", "dossier"]) == 0
    assert f"{out_html}: 1 page (A4)" in capsys.readouterr().out
    text = pdftotext(out_html.read_bytes())
    assert "Dossier Zanzibarquux" in text and "SCRIPTRAN" not in text

    letter = tmp_path / "letter.md"
    letter.write_text("Dear Acme team,\n\nI build platforms.\n\nKind regards,\nJane Zanzibarquux\n", encoding="utf-8")
    assert main(["pdf", str(letter), str(tmp_path / "letter.pdf"), "--kind", "letter", "--page-size", "Letter"]) == 0
    assert "1 page (Letter)" in capsys.readouterr().out
    lines = [ln.strip() for ln in pdftotext((tmp_path / "letter.pdf").read_bytes()).splitlines() if ln.strip()]
    assert lines[-2:] == ["Kind regards,", "Jane Zanzibarquux"], "the closing keeps its line break"


def test_cli_pdf_exit_codes(tmp_path: Path, capsys, monkeypatch, no_database):
    from pipeline.__main__ import main

    assert main(["pdf", str(tmp_path / "missing.md"), str(tmp_path / "x.pdf")]) == 2
    other = tmp_path / "cv.txt"
    other.write_text("hello", encoding="utf-8")
    assert main(["pdf", str(other), str(tmp_path / "x.pdf")]) == 2
    binary = tmp_path / "bad.md"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert main(["pdf", str(binary), str(tmp_path / "x.pdf")]) == 2

    good = tmp_path / "ok.md"
    good.write_text(CV_MD, encoding="utf-8")
    monkeypatch.setattr(pdf_module, "find_chromium", lambda: None)
    assert main(["pdf", str(good), str(tmp_path / "x.pdf")]) == 3
    assert "browser_unavailable" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_cli_pdf_warns_on_spill(tmp_path: Path, capsys, no_database):
    from pipeline.__main__ import main

    page = tmp_path / "spill.html"
    # 35 one-line paragraphs fill an A4 page in the classic template; 37 spill two.
    page.write_text("".join(f"<p>Line {i}</p>" for i in range(37)), encoding="utf-8")
    assert main(["pdf", str(page), str(tmp_path / "spill.pdf")]) == 0
    out = capsys.readouterr()
    assert "2 pages (A4)" in out.out and "warning: the last page holds only a few lines" in out.err


def test_process_wide_renderer_is_shared_and_shut_down():
    async def go():
        first, second = await asyncio.gather(pdf_module.get_renderer(), pdf_module.get_renderer())
        running = first.running
        result = await first.render("<p>shared</p>")
        await pdf_module.shutdown_renderer()
        return first is second, running, result.pages, first.running, first.launches

    assert asyncio.run(go()) == (True, True, 1, False, 1)
