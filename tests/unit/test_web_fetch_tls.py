"""HTTPS through the pinned connection: the fetch connects to the address it checked, yet TLS
still sends the host name (SNI) and verifies the certificate against it. A local HTTPS server
with a test certificate authority (trustme) plays the site; nothing leaves 127.0.0.1."""

from __future__ import annotations

import socket
import ssl

import httpx
import pytest
import trustme

from pipeline.web import fetch as fetch_mod
from pipeline.web.fetch import FetchError, fetch
from tests.support.web_pages import JOB_SINGLE, Route, WebServer

CA = trustme.CA()


def https_server(name: str) -> WebServer:
    """A WebServer speaking TLS with a certificate for `name`, issued by the test CA."""
    server = WebServer({"/jobs/1": Route(JOB_SINGLE)})
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    CA.issue_cert(name).configure_cert(context)
    server._server.socket = context.wrap_socket(server._server.socket, server_side=True)
    return server


@pytest.fixture(autouse=True)
def site(monkeypatch):
    """jobs.example resolves to 127.0.0.1 only (allowed as a private address for the test), and the
    fetch trusts the test CA on top of nothing else."""
    monkeypatch.setenv("ALLOW_PRIVATE_FETCH", "1")

    def resolver(host: str, port: int) -> list[str]:
        if host in ("jobs.example", "other.example"):
            return ["127.0.0.1"]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(fetch_mod, "resolve", resolver)
    trusted = httpx.create_ssl_context(trust_env=False)
    CA.configure_trust(trusted)
    monkeypatch.setattr(fetch_mod, "_ssl_context", lambda: trusted)


def test_https_reaches_the_checked_address_and_verifies_the_sites_name() -> None:
    with https_server("jobs.example") as server:
        got = fetch(f"https://jobs.example:{server.port}/jobs/1")
    assert got.status == 200 and "JobPosting" in got.text
    assert got.final_url == f"https://jobs.example:{server.port}/jobs/1"


def test_a_certificate_for_another_name_is_refused() -> None:
    with https_server("other.example") as server, pytest.raises(FetchError) as err:
        fetch(f"https://jobs.example:{server.port}/jobs/1")
    assert err.value.code == "unreachable"
    assert "certificate is not valid" in str(err.value)
    assert server.requests == [], "no request was sent over the unverified connection"


def test_a_certificate_from_an_unknown_authority_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(fetch_mod, "_ssl_context", lambda: httpx.create_ssl_context(trust_env=False))  # the system's authorities only
    with https_server("jobs.example") as server, pytest.raises(FetchError) as err:
        fetch(f"https://jobs.example:{server.port}/jobs/1")
    assert "certificate is not valid" in str(err.value)


def test_the_tls_context_is_built_once_for_many_fetches(monkeypatch) -> None:
    monkeypatch.undo()  # back to the real cached _ssl_context (no fetch here: only transports are built)
    built = []
    real = httpx.create_ssl_context

    def counting(*a, **kw):
        built.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(httpx, "create_ssl_context", counting)
    fetch_mod._ssl_context.cache_clear()
    try:
        contexts = {id(fetch_mod._PinnedTransport({"jobs.example": ["127.0.0.1"]})._pool._ssl_context) for _ in range(5)}
    finally:
        fetch_mod._ssl_context.cache_clear()
    assert len(contexts) == 1 and len(built) == 1
