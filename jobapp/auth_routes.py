"""Sign-in over plain HTTP: `POST /auth/login` and `POST /auth/logout` set or clear an
HttpOnly cookie and redirect back to the page (Reflex cannot set HttpOnly cookies from a
state; the page's websocket then carries the cookie in its handshake).

Cross-site requests are refused by an Origin check (and the cookie is SameSite=Strict);
failures come back as a short code in the URL, which the login view maps to a message."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from jobapp import forwarded
from pipeline.accounts import auth
from pipeline.accounts.sessions import MAX_SESSION_DAYS, SESSION_COOKIE

MAX_FORM_BYTES = 8192


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


async def request_owner(request: Request) -> str | None:
    """The owner a plain HTTP request (a download) acts for, from its session cookie."""
    return await asyncio.to_thread(auth.owner_for_session_token, session_token(request))


def client_ip(request: Request) -> str:
    """The caller's address; X-Forwarded-For only counts through the trusted proxies (jobapp/forwarded.py)."""
    return forwarded.client_ip(request.headers, request.client.host if request.client else None)


def same_origin(origin: str | None, host: str | None) -> bool:
    """The request comes from a page of this site (ports aside: dev mode splits page and backend)."""
    if not origin or not host:
        return False
    o = urlsplit(origin).hostname
    h = urlsplit("//" + host).hostname
    return bool(o) and o == h


def from_this_site(headers) -> bool:
    """A sign-in form posted by this site's page, not by another site (login CSRF).

    Browsers mark requests to secure origins with Sec-Fetch-Site (pages cannot forge it),
    so that header decides first. Over plain http on a non-localhost address (a LAN IP, a
    mapped port) there is none, and the Origin decides: the page's `Referrer-Policy:
    same-origin` keeps it on same-origin posts ("null" under no-referrer, which once refused
    every such sign-in). Without either header the caller is not a browser (curl, a
    script), which no hostile page can drive."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return True
    return same_origin(origin, forwarded.forwarded_host(headers) or headers.get("host"))


def _from_this_site(request: Request) -> bool:
    return from_this_site(request.headers)


def _back(**params: str) -> RedirectResponse:
    return RedirectResponse("/" + (f"?{urlencode(params)}" if params else ""), status_code=303)


def _secure(request: Request) -> bool:
    """The cookie is Secure when the browser's connection is https (PUBLIC_URL, TLS, or a trusted proxy says so)."""
    return forwarded.public_scheme(request.headers, request.url.scheme) == "https"


async def login_route(request: Request) -> Response:
    if not _from_this_site(request):
        return PlainTextResponse("Sign-in refused: the form was not sent from this site.", status_code=403)
    if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
        return _back(login_error="bad")
    try:
        form = await request.form(max_files=0, max_fields=5)
    except Exception:  # noqa: BLE001 - malformed body: a refusal, not a crash
        return _back(login_error="bad")
    email, password = str(form.get("email") or ""), str(form.get("password") or "")
    try:
        token = await asyncio.to_thread(auth.login, email or None, password, client_ip=client_ip(request))
    except auth.LoginRefused as exc:
        if exc.retry_after is not None:
            return _back(login_error="limited", retry=str(max(1, round(exc.retry_after / 60))))
        return _back(login_error="bad")
    response = _back()
    response.set_cookie(SESSION_COOKIE, token, max_age=MAX_SESSION_DAYS * 86400, path="/",
                        httponly=True, samesite="strict", secure=_secure(request))
    return response


async def logout_route(request: Request) -> Response:
    if not _from_this_site(request):
        return PlainTextResponse("Sign-out refused: the form was not sent from this site.", status_code=403)
    await asyncio.to_thread(auth.logout, session_token(request))
    response = _back(signed_out="1")
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
    return response
