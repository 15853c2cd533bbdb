"""pipeline.web.fetch against local servers: caps, redirects, timeouts, content types, and the address guard.

No test reaches the internet: the resolver is replaced by one that knows only the names a test
gives it, and every server is on 127.0.0.1 (allowed through ALLOW_PRIVATE_FETCH=1 where a test
means to reach it; the guard tests run without it and prove nothing was sent)."""

from __future__ import annotations

import socket
import time

import httpcore
import pytest

from pipeline.web import fetch as fetch_mod
from pipeline.web.fetch import FetchError, fetch, forbidden_reason
from tests.support.web_pages import JOB_SINGLE, PDF_BYTES, Route, WebServer


@pytest.fixture(autouse=True)
def no_real_dns(monkeypatch):
    """Names resolve only when a test says so; IP literals never reach the resolver."""
    names: dict[str, list[str]] = {}
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        if host in names:
            return list(names[host])
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(fetch_mod, "resolve", resolver)
    resolver.names = names  # type: ignore[attr-defined]
    resolver.calls = calls  # type: ignore[attr-defined]
    return resolver


@pytest.fixture
def allow_private(monkeypatch):
    monkeypatch.setenv("ALLOW_PRIVATE_FETCH", "1")


@pytest.fixture
def guard_on(monkeypatch):
    monkeypatch.delenv("ALLOW_PRIVATE_FETCH", raising=False)


def _err(url: str, **kw) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetch(url, **kw)
    return info.value


# ---------------------------------------------------------------- the happy path


def test_fetches_a_page_with_a_user_agent_naming_the_app(allow_private):
    with WebServer({"/job": Route(JOB_SINGLE)}) as web:
        page = fetch(web.url("/job"))
    assert page.status == 200
    assert page.content_type == "text/html"
    assert page.final_url == page.url == web.url("/job")
    assert "Senior Data Engineer" in page.text
    assert page.fetched_at.tzinfo is not None
    ua = web.requests[0][1]["user-agent"]
    assert ua.startswith("jobapp/0.1.0 (") and "job seeker's assistant" in ua
    assert "text/html" in web.requests[0][1]["accept"]


def test_follows_redirects_and_reports_them(allow_private):
    with WebServer({"/old": Route(status=301, headers={"Location": "/mid"}), "/mid": Route(status=302, headers={"Location": "/job"}), "/job": Route(JOB_SINGLE)}) as web:
        page = fetch(web.url("/old"))
    assert page.final_url == web.url("/job")
    assert page.redirects == (web.url("/old"), web.url("/mid"))


def test_charset_from_meta_when_the_header_has_none(allow_private):
    body = '<html><head><meta charset="iso-8859-1"><title>Café</title></head><body>Küche</body></html>'.encode("latin-1")
    with WebServer({"/p": Route(body, content_type="text/html")}) as web:
        page = fetch(web.url("/p"))
    assert "Café" in page.text and "Küche" in page.text


def test_json_when_asked(allow_private):
    with WebServer({"/api": Route('{"ok": true}', content_type="application/json")}) as web:
        assert fetch(web.url("/api"), accept=fetch_mod.JSON_TYPES).text == '{"ok": true}'
        assert _err(web.url("/api")).code == "not_html"  # HTML asked, JSON answered


# ---------------------------------------------------------------- failures in plain words


def test_404_says_the_page_no_longer_exists(allow_private):
    with WebServer() as web:
        err = _err(web.url("/gone"))
    assert err.code == "http_status" and err.status == 404 and err.gone
    assert "no longer exists" in err.message


@pytest.mark.parametrize(("status", "words"), [(410, "removed for good"), (403, "refused"), (503, "having trouble"), (429, "rate-limiting")])
def test_other_statuses_have_words(allow_private, status, words):
    with WebServer({"/p": Route("x", status=status)}) as web:
        err = _err(web.url("/p"))
    assert err.code == "http_status" and err.status == status and words in err.message
    assert err.gone == (status == 410)


def test_slow_page_times_out(allow_private):
    with WebServer({"/slow": Route(JOB_SINGLE, delay=2.0)}) as web:
        start = time.monotonic()
        err = _err(web.url("/slow"), timeout=0.5)
        took = time.monotonic() - start
    assert err.code == "timeout" and "took too long" in err.message
    assert took < 1.8


def test_a_20_mb_page_is_cut_without_reading_it_all(allow_private):
    size = 20_000_000
    with WebServer({"/huge": Route(stream_bytes=size, declare_length=False)}) as web:
        err = _err(web.url("/huge"))
        time.sleep(0.3)  # let the server thread notice the closed connection
        sent = web.sent.get("/huge", 0)
    assert err.code == "too_large" and "5 MB" in err.message
    assert fetch_mod.MAX_BYTES < err.bytes_read <= fetch_mod.MAX_BYTES + 65536
    assert sent < size  # the server could not push the whole page: the client hung up


def test_a_declared_20_mb_page_is_refused_before_reading(allow_private):
    with WebServer({"/huge": Route(stream_bytes=20_000_000, declare_length=True)}) as web:
        err = _err(web.url("/huge"))
    assert err.code == "too_large" and err.bytes_read == 0 and "20.0 MB" in err.message


def test_a_small_cap_is_honoured(allow_private):
    with WebServer({"/p": Route("<p>" + "y" * 5000 + "</p>", declare_length=False)}) as web:
        assert _err(web.url("/p"), max_bytes=1000).code == "too_large"


def test_redirect_loop(allow_private):
    with WebServer({"/a": Route(status=302, headers={"Location": "/b"}), "/b": Route(status=302, headers={"Location": "/a"})}) as web:
        err = _err(web.url("/a"))
    assert err.code == "too_many_redirects" and "loop" in err.message
    assert len(web.requests) == 2


def test_more_than_five_redirects(allow_private):
    routes = {f"/r{i}": Route(status=302, headers={"Location": f"/r{i + 1}"}) for i in range(10)}
    with WebServer(routes) as web:
        err = _err(web.url("/r0"))
    assert err.code == "too_many_redirects" and "more than 5" in err.message
    assert len(web.requests) == 6  # the first request and five redirects followed


@pytest.mark.parametrize("ctype", ["application/pdf", ""])
def test_a_pdf_is_not_a_web_page(allow_private, ctype):
    with WebServer({"/cv.pdf": Route(PDF_BYTES, content_type=ctype)}) as web:
        err = _err(web.url("/cv.pdf"))
    assert err.code == "not_html" and "PDF" in err.message


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/job", "javascript:alert(1)", "gopher://x", "data:text/html,hi", "example.org/job"])
def test_only_http_and_https(url):
    err = _err(url)
    assert err.code in ("not_http", "bad_url")
    assert err.code == "not_http" or url == "example.org/job"


def test_credentials_in_the_link_are_refused(allow_private):
    assert _err("http://user:pw@127.0.0.1:1/").code == "bad_url"


def test_unknown_name_is_a_dns_error(guard_on):
    err = _err("https://no-such-host.invalid/job")
    assert err.code == "dns" and "no-such-host.invalid" in err.message


def test_closed_port_is_unreachable(allow_private):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    assert _err(f"http://127.0.0.1:{port}/").code == "unreachable"


# ---------------------------------------------------------------- the address guard


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/job",
        "http://10.0.0.5/job",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/job",
        "http://[::ffff:127.0.0.1]:{port}/job",
        "http://[fd00:ec2::254]/",
        "http://0.0.0.0:{port}/",
        "http://100.64.0.1/",
    ],
)
def test_private_addresses_are_refused_and_nothing_is_sent(guard_on, url):
    with WebServer({"/job": Route(JOB_SINGLE)}) as web:
        err = _err(url.format(port=web.port))
        assert web.requests == []
    assert err.code == "private_address" and "only fetches public web pages" in err.message


def test_a_name_resolving_to_loopback_is_refused(guard_on, no_real_dns):
    no_real_dns.names["jobs.evil.example"] = ["127.0.0.1"]
    with WebServer({"/job": Route(JOB_SINGLE)}) as web:
        err = _err(f"http://jobs.evil.example:{web.port}/job")
        assert web.requests == []
    assert err.code == "private_address" and "jobs.evil.example (127.0.0.1)" in err.message


def test_one_bad_address_among_good_ones_refuses_the_name(guard_on, no_real_dns):
    no_real_dns.names["mixed.example"] = ["93.184.215.14", "10.1.2.3"]
    assert _err("https://mixed.example/").code == "private_address"


def test_a_redirect_to_a_private_address_is_refused_though_the_first_hop_was_allowed(monkeypatch, no_real_dns):
    """Only the first hop may pass the guard (as a public host would); the redirect is checked again."""
    hops: list[int] = []

    def first_hop_only() -> bool:
        hops.append(1)
        return len(hops) == 1

    monkeypatch.setattr(fetch_mod, "private_fetch_allowed", first_hop_only)
    no_real_dns.names["intranet.example"] = ["10.0.0.7"]
    for target in ("http://169.254.169.254/latest/meta-data/iam/", "http://intranet.example/admin", "http://127.0.0.1:{port}/secret"):
        hops.clear()
        with WebServer({"/job": Route(status=302, headers={"Location": ""}), "/secret": Route("secret")}) as web:
            web.routes["/job"].headers["Location"] = target.format(port=web.port)
            err = _err(web.url("/job"))
            assert [p for p, _ in web.requests] == ["/job"]
        assert err.code == "private_address", target


def test_connects_to_the_checked_address_without_a_second_lookup(allow_private, no_real_dns, monkeypatch):
    """The name is resolved once by the guard; the connection goes to that address, Host keeps the name."""
    no_real_dns.names["jobs.example.test"] = ["127.0.0.1"]
    real = socket.getaddrinfo

    def getaddrinfo(host, *a, **k):
        if isinstance(host, str) and "example.test" in host:
            raise AssertionError("the name was resolved a second time")
        return real(host, *a, **k)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with WebServer({"/job": Route(JOB_SINGLE)}) as web:
        page = fetch(f"http://jobs.example.test:{web.port}/job")
        host_header = web.requests[0][1]["host"]
    assert "Senior Data Engineer" in page.text
    assert host_header == f"jobs.example.test:{web.port}"
    assert no_real_dns.calls == ["jobs.example.test"]


def test_the_pinned_backend_refuses_a_name_it_was_not_given():
    backend = fetch_mod._PinnedBackend({"a.example": ["127.0.0.1"]})
    with pytest.raises(httpcore.ConnectError):
        backend.connect_tcp("b.example", 80, timeout=1)


@pytest.mark.parametrize(
    ("address", "blocked"),
    [
        ("8.8.8.8", False),
        ("2606:4700:4700::1111", False),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("10.0.0.1", True),
        ("172.16.5.4", True),
        ("192.168.0.1", True),
        ("169.254.169.254", True),
        ("169.254.1.1", True),
        ("100.100.100.200", True),
        ("168.63.129.16", True),
        ("0.0.0.0", True),
        ("224.0.0.251", True),
        ("255.255.255.255", True),
        ("240.0.0.1", True),
        ("::1", True),
        ("::", True),
        ("fe80::1", True),
        ("fc00::1", True),
        ("fd00:ec2::254", True),
        ("::ffff:169.254.169.254", True),
        ("::ffff:10.0.0.1", True),
        ("64:ff9b::7f00:1", True),
        ("2002:7f00:1::", True),
        ("ff02::1", True),
    ],
)
def test_forbidden_reason(address, blocked):
    assert (forbidden_reason(address) is not None) == blocked
