"""Behind a proxy: forwarded headers count only through the trusted hops; the session cookie
is Secure when the browser's connection is https; the Origin check accepts the public origin
(PUBLIC_URL, or the host a trusted proxy reports) and still refuses every other one."""

from __future__ import annotations

import pytest
from starlette.datastructures import Headers
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from jobapp import forwarded
from pipeline.settings import settings
from tests.unit.test_security_headers import EVIL, make_app


@pytest.fixture
def proxy(monkeypatch):
    """Set TRUSTED_PROXY_HOPS and PUBLIC_URL for one test."""
    monkeypatch.setattr(settings, "cors_origins_raw", "")

    def configure(hops: int = 0, public_url: str = "") -> None:
        monkeypatch.setattr(settings, "trusted_proxy_hops", hops)
        monkeypatch.setattr(settings, "public_url_raw", public_url)

    configure()
    return configure


def test_client_ip_believes_x_forwarded_for_only_through_trusted_hops(proxy):
    spoofed = Headers({"x-forwarded-for": "6.6.6.6, 203.0.113.9"})
    assert forwarded.client_ip(spoofed, "127.0.0.1") == "127.0.0.1"  # no proxy trusted: the peer
    proxy(hops=1)
    assert forwarded.client_ip(spoofed, "127.0.0.1") == "203.0.113.9"  # what our nginx appended
    proxy(hops=2)
    assert forwarded.client_ip(spoofed, "127.0.0.1") == "6.6.6.6"
    proxy(hops=3)
    assert forwarded.client_ip(spoofed, "127.0.0.1") == "127.0.0.1"  # shorter chain than promised: the peer
    assert forwarded.client_ip(Headers({}), None) == "unknown"


def test_public_scheme_from_tls_trusted_proxy_or_public_url(proxy):
    https = Headers({"x-forwarded-proto": "https"})
    assert forwarded.public_scheme(https, "http") == "http"  # anyone can send the header
    assert forwarded.public_scheme(Headers({}), "https") == "https"
    proxy(hops=1)
    assert forwarded.public_scheme(https, "http") == "https"
    assert forwarded.public_scheme(Headers({"x-forwarded-proto": "http"}), "http") == "http"
    proxy(public_url="https://jobs.example.org")
    assert forwarded.public_scheme(Headers({}), "http") == "https"


def test_public_url_with_a_sub_path_is_refused_with_a_plain_message():
    from pydantic import ValidationError

    from pipeline.settings import Settings

    with pytest.raises(ValidationError, match="sub-path"):
        Settings(PUBLIC_URL="https://example.org/jobapp/")
    with pytest.raises(ValidationError, match="must look like"):
        Settings(PUBLIC_URL="jobs.example.org")
    assert Settings(PUBLIC_URL="https://jobs.example.org:8443/").public_url == "https://jobs.example.org:8443"


def test_origin_check_accepts_the_public_origin_and_refuses_others(proxy):
    client = TestClient(make_app())
    public = {"Origin": "https://jobs.example.org"}
    # nginx with `Host $host` drops the port: the browser's origin differs from Host.
    behind = {"Origin": "https://jobs.example.org:8443", "Host": "jobs.example.org", "X-Forwarded-Host": "jobs.example.org:8443"}
    for headers in (public, behind):
        with pytest.raises(WebSocketDisconnect), client.websocket_connect("/_event", headers=headers):
            pass
    proxy(hops=1)
    with client.websocket_connect("/_event", headers=behind) as ws:
        assert ws.receive_text() == "hello"
    proxy(public_url="https://jobs.example.org")
    with client.websocket_connect("/_event", headers=public) as ws:
        assert ws.receive_text() == "hello"
    for origin in (EVIL, "https://jobs.example.org.evil.example", "http://jobs.example.org:8080"):
        with pytest.raises(WebSocketDisconnect), client.websocket_connect("/_event", headers={"Origin": origin}):
            pass
    refused = client.post("/_upload", headers={"Origin": EVIL, "X-Forwarded-Host": "evil.example"}, files={"files": ("a.csv", b"t\nx\n")})
    assert refused.status_code == 403  # without trusted hops a forged X-Forwarded-Host counts for nothing


def test_session_cookie_is_secure_behind_a_trusted_tls_proxy_only(default_store, proxy, monkeypatch):
    from jobapp.jobapp import api
    from pipeline.accounts import auth
    from pipeline.accounts.ratelimit import RateLimiter

    monkeypatch.setattr(settings, "login_password", "a long shared passphrase")
    monkeypatch.setattr(auth, "by_ip", RateLimiter("t-fwd-ip", auth.LOGIN_LIMIT_PER_IP, 900, redis_url=""))
    monkeypatch.setattr(auth, "by_account", RateLimiter("t-fwd-acct", auth.LOGIN_LIMIT_PER_ACCOUNT, 900, redis_url=""))
    monkeypatch.setattr(settings, "redis_url", None)
    auth.reset_caches()
    form = {"password": "a long shared passphrase"}
    headers = {"Sec-Fetch-Site": "same-origin", "X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}

    def cookie() -> str:
        with TestClient(api, base_url="http://127.0.0.1:3000", follow_redirects=False) as c:
            r = c.post("/auth/login", data=form, headers=headers)
            assert r.status_code == 303 and "set-cookie" in r.headers, r.headers
            return r.headers["set-cookie"].lower()

    try:
        assert "secure" not in cookie()  # a client's own X-Forwarded-Proto is not believed
        proxy(hops=1)
        assert "secure" in cookie() and "httponly" in cookie()
    finally:
        auth.reset_caches()


def test_login_limits_count_the_real_client_behind_the_proxy(default_store, proxy, monkeypatch):
    """Through one trusted proxy, two browsers are two addresses (not one: the proxy's)."""
    from jobapp.jobapp import api
    from pipeline.accounts import auth
    from pipeline.accounts.ratelimit import RateLimiter

    monkeypatch.setattr(settings, "login_password", "a long shared passphrase")
    monkeypatch.setattr(auth, "by_ip", RateLimiter("t-fwd-ip2", 2, 900, redis_url=""))
    monkeypatch.setattr(auth, "by_account", RateLimiter("t-fwd-acct2", 100, 900, redis_url=""))
    monkeypatch.setattr(settings, "redis_url", None)
    auth.reset_caches()
    proxy(hops=1)
    try:
        with TestClient(api, base_url="http://127.0.0.1:3000", follow_redirects=False) as c:
            def attempt(ip: str) -> str:
                r = c.post("/auth/login", data={"password": "wrong wrong wrong"},
                           headers={"Sec-Fetch-Site": "same-origin", "X-Forwarded-For": ip})
                return r.headers["location"]
            assert [attempt("198.51.100.1") for _ in range(3)][-1].startswith("/?login_error=limited")
            assert attempt("198.51.100.2") == "/?login_error=bad"  # another browser is not locked out
    finally:
        auth.reset_caches()
