"""Security headers, CORS (closed by default, opened by CORS_ORIGINS), and the Origin check
that keeps other sites from driving the page's websocket and uploads."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket, WebSocketDisconnect

from jobapp.api import api_mount, install_security
from pipeline.settings import settings

EVIL = "https://evil.example"


async def page(_request):
    return HTMLResponse("<!doctype html><title>jobapp</title>")


async def upload(_request):
    return JSONResponse({"ok": True})


async def event_socket(ws: WebSocket):
    await ws.accept()
    await ws.send_text("hello")
    await ws.close()


def make_app(*, extra_origins: tuple[str, ...] = ()) -> Starlette:
    """Stand-ins for what Reflex mounts (page, /_event websocket, /_upload) plus the real API."""
    app = Starlette(routes=[
        api_mount(),
        Route("/", page),
        Route("/_upload", upload, methods=["POST"]),
        WebSocketRoute("/_event", event_socket),
    ])
    install_security(app, extra_origins=extra_origins)
    return app


@pytest.fixture
def cors(monkeypatch):
    def set_origins(value: str) -> None:
        monkeypatch.setattr(settings, "cors_origins_raw", value)

    set_origins("")
    return set_origins


def test_page_gets_security_headers_and_a_csp_without_framing(cors):
    r = TestClient(make_app()).get("/")
    h = r.headers
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "same-origin"
    assert h["X-Frame-Options"] == "DENY"
    csp = h["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "object-src 'none'" in csp
    assert "sandbox" not in csp, "the page itself must be able to run its scripts"


def test_api_answers_and_downloads_are_sandboxed(cors):
    client = TestClient(make_app())
    r = client.get("/api/runs/1")  # 401 without a token: still carries the headers
    assert r.status_code == 401
    assert "sandbox" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/api/openapi.json").headers["X-Frame-Options"] == "DENY"


def test_cors_closed_by_default(cors):
    client = TestClient(make_app())
    pre = client.options("/api/jobs", headers={"Origin": EVIL, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"})
    assert "access-control-allow-origin" not in pre.headers
    simple = client.get("/api/openapi.json", headers={"Origin": EVIL})
    assert "access-control-allow-origin" not in simple.headers


def test_cors_opened_for_configured_origins_only(cors):
    cors("https://tools.example, https://other.example/")
    client = TestClient(make_app())
    pre = client.options("/api/jobs", headers={"Origin": "https://tools.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,idempotency-key"})
    assert pre.status_code == 200
    assert pre.headers["access-control-allow-origin"] == "https://tools.example"
    assert "idempotency-key" in pre.headers["access-control-allow-headers"].lower()
    assert client.get("/api/openapi.json", headers={"Origin": "https://other.example"}).headers["access-control-allow-origin"] == "https://other.example"
    refused = client.options("/api/jobs", headers={"Origin": EVIL, "Access-Control-Request-Method": "GET"})
    assert refused.headers.get("access-control-allow-origin") != EVIL


def test_cross_origin_websocket_handshake_is_refused(cors):
    client = TestClient(make_app())
    for origin in (EVIL, "null", "http://testserver.evil.example", "http://testserver:8080"):
        with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect("/_event", headers={"Origin": origin}):
            pass
        assert refused.value.code == 1008, origin


@pytest.mark.parametrize("headers", [{"Origin": "http://testserver"}, {}, {"Origin": "https://tools.example"}])
def test_same_origin_configured_origin_and_non_browser_websockets_connect(cors, headers):
    cors("https://tools.example")
    with TestClient(make_app()).websocket_connect("/_event", headers=headers) as ws:
        assert ws.receive_text() == "hello"


def test_dev_frontend_origin_is_allowed_when_given(cors):
    app = make_app(extra_origins=("http://localhost:3000",))
    with TestClient(app).websocket_connect("/_event", headers={"Origin": "http://localhost:3000"}) as ws:
        assert ws.receive_text() == "hello"


def test_cross_origin_upload_is_refused(cors):
    client = TestClient(make_app())
    refused = client.post("/_upload", headers={"Origin": EVIL}, files={"files": ("jobs.csv", b"title\nx\n")})
    assert refused.status_code == 403 and "CORS_ORIGINS" in refused.json()["detail"]
    assert client.post("/_upload", headers={"Origin": "http://testserver"}, files={"files": ("jobs.csv", b"title\nx\n")}).status_code == 200
    assert client.post("/_upload", files={"files": ("jobs.csv", b"title\nx\n")}).status_code == 200
    # Other routes are not Origin-checked (the API relies on tokens, which browsers never send by themselves).
    assert client.get("/", headers={"Origin": EVIL}).status_code == 200
