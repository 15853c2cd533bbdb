"""The hosted page wherever it is served: behind real nginx and real Caddy over HTTPS/WSS on a
made-up host name and another port (the blocks in deploy/, as docs/deploy.md shows them), and
through a port mapping. A browser signs in (the cookie is Secure behind TLS), sees rows,
processes a job, watches its log lines, downloads CV.pdf and reloads; a second instance of the
checkout is refused while this one serves."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.app_server import free_port, running_app
from tests.support.proxies import HOSTNAME, caddy, nginx, port_mapping

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(400)]
PASSWORD = "a long shared passphrase for the proxy test"


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """One app, published on loopback as behind a proxy on the same machine, with a login."""
    data = tmp_path_factory.mktemp("e2e-proxy")
    env = {"LOGIN_PASSWORD": PASSWORD, "TRUSTED_PROXY_HOPS": "1", "LOG_FORMAT": "json"}
    with running_app(data, env=env) as url:
        yield url, data


@pytest.fixture(scope="module")
def browser(proxy_browser) -> Browser:
    return proxy_browser


@pytest.fixture
def open_page(browser: Browser):
    contexts = []

    def make(url: str) -> Page:
        ctx = browser.new_context(viewport={"width": 1400, "height": 900}, ignore_https_errors=True, accept_downloads=True)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(30_000)
        page.goto(url + "/")
        return page

    yield make
    for ctx in contexts:
        ctx.close()


def sign_in(page: Page) -> None:
    expect(page.locator("#login-password")).to_be_visible()
    page.fill("#login-password", PASSWORD)
    with page.expect_navigation():
        page.click("#login-submit")
    expect(page.get_by_test_id("job-row").first).to_be_visible()


def session_cookie(page: Page) -> dict:
    cookies = [c for c in page.context.cookies() if c["httpOnly"]]
    assert len(cookies) == 1, cookies
    return cookies[0]


def process_and_watch(page: Page, title: str, tmp_path: Path) -> None:
    """Process one job, see its log lines arrive over the websocket, download its CV.pdf."""
    expect(page.get_by_test_id("range-label")).to_be_visible()
    page.fill("#job-search", title)
    row = page.get_by_test_id("job-row").filter(has=page.get_by_role("button", name=title, exact=True))
    row.get_by_role("button", name=f"Process {title}").click()
    expect(row.get_by_test_id("row-run-status")).to_have_text("succeeded", timeout=60_000)
    expect(page.get_by_test_id("log-line").nth(3)).to_be_visible(timeout=20_000)
    page.get_by_role("button", name=title, exact=True).click()
    page.get_by_test_id("tab-cv").click()
    expect(page.get_by_test_id("cv-editor")).to_contain_text("Jane Doe")
    with page.expect_download() as info:
        page.get_by_test_id("dl-cv-pdf").click()
    pdf = tmp_path / f"{title}.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Jane Doe" in text


def test_behind_nginx_over_https_on_another_host_name_and_port(app, open_page, tmp_path):
    app_url, _ = app
    port = int(app_url.rsplit(":", 1)[1])
    with nginx(tmp_path / "nginx", app_port=port) as url:
        assert url.startswith(f"https://{HOSTNAME}:") and not url.endswith(f":{port}")
        page = open_page(url)
        sign_in(page)
        cookie = session_cookie(page)
        assert cookie["secure"] and cookie["sameSite"] == "Strict"
        process_and_watch(page, "Data Engineer", tmp_path)
        # An upload (/_upload, the other URL Reflex bakes into the page) through the proxy.
        csv_file = tmp_path / "jobs.csv"
        csv_file.write_text("title,company,location,description\nHarbour Pilot,Blue Gull Ports,Aberdeen,Guide vessels in.\n")
        page.get_by_test_id("open-import").click()
        page.locator("input[type=file]").set_input_files(str(csv_file))
        expect(page.get_by_test_id("import-summary")).to_contain_text("1 new")
        page.get_by_role("button", name="Close").click()
        page.reload()
        expect(page.get_by_test_id("job-row").first).to_be_visible()
        expect(page.get_by_test_id("log-line").first).to_be_visible()
        # The websocket and the download went through nginx, not around it.
        access = (tmp_path / "nginx" / "access.log").read_text()
        assert "/_event" in access and "/files/runs/" in access and "/_upload" in access


def test_behind_caddy_over_https(app, open_page, tmp_path):
    port = int(app[0].rsplit(":", 1)[1])
    with caddy(tmp_path / "caddy", app_port=port) as url:
        page = open_page(url)
        sign_in(page)
        assert session_cookie(page)["secure"]
        process_and_watch(page, "Site Reliability Engineer", tmp_path)


def test_through_a_port_mapping(app, open_page, tmp_path):
    port = int(app[0].rsplit(":", 1)[1])
    with port_mapping(port) as host_port:
        page = open_page(f"http://{HOSTNAME}:{host_port}")
        sign_in(page)
        assert not session_cookie(page)["secure"]  # plain http: a Secure cookie would never come back
        process_and_watch(page, "Analytics Engineer", tmp_path)


def test_a_second_instance_of_the_checkout_is_refused_and_the_first_keeps_serving(app, open_page, tmp_path):
    app_url, _ = app
    result = subprocess.run([sys.executable, "-m", "pipeline", "serve", "--port", str(free_port())],
                            capture_output=True, text=True, timeout=60, check=False, env={"DATA_DIR": str(tmp_path / "second"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert f"Another jobapp from this checkout is serving on port {app_url.rsplit(':', 1)[1]}" in result.stderr
    assert not (tmp_path / "second").exists()
    page = open_page(app_url)
    sign_in(page)


def test_every_server_log_line_is_json_and_redacted(app):
    """LOG_FORMAT=json: the app's output (ours and Reflex's, build included) is one JSON
    object a line for a log collector, and the login password never shows."""
    import json

    _, data = app
    lines = [line for line in (data / "app.log").read_text().splitlines() if line.strip()]
    assert lines
    records = [json.loads(line) for line in lines]
    assert all(isinstance(r, dict) for r in records)
    assert any("jobapp starts at" in r.get("message", "") for r in records)
    assert PASSWORD not in (data / "app.log").read_text()
