"""Who the browser is: the sign-in view's state, and the gate every event passes.

Identity never comes from a state var the browser could write: it is resolved
from the HttpOnly session cookie the page's websocket sent in its handshake
(`router.headers.cookie`, server-side only in Reflex 0.10), on every event."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import reflex as rx
from reflex.middleware import Middleware
from reflex.state import StateUpdate

from pipeline.accounts import auth
from pipeline.accounts.sessions import SESSION_COOKIE

if TYPE_CHECKING:
    from reflex.app import App

LOGIN_ERRORS = {
    "bad": "Wrong e-mail or password.",
    "bad_password": "Wrong password.",
    "limited": "Too many sign-in attempts. Try again in {retry} minutes.",
}
EXPIRED = "Your session has ended. Sign in again."


class NotSignedIn(PermissionError):
    """An event arrived from a browser without a live sign-in."""


def cookie_value(cookie_header: str, name: str = SESSION_COOKIE) -> str | None:
    for part in (cookie_header or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value.strip('"')
    return None


def state_token(state: Any) -> str | None:
    """The session token from the websocket handshake's cookies (root router: any state or proxy)."""
    return cookie_value(state.router.headers.cookie)


def require_signed_in(state: Any) -> auth.SignedIn:
    """Who is asking, or NotSignedIn. Cached per token for a few seconds (auth.CACHE_SECONDS)."""
    who = auth.signed_in(state_token(state))
    if who is None:
        raise NotSignedIn("Sign in first.")
    return who


class AuthState(rx.State):
    """What the page needs to choose between the login view and the app."""

    mode: str = ""
    checked: bool = False
    signed_in: bool = False
    email: str = ""
    is_admin: bool = False
    message: str = ""
    notice: str = ""

    @rx.event
    async def check(self):
        """Runs first on page load: resolve the cookie, and show any login outcome from the URL."""
        token = state_token(self)
        mode = await asyncio.to_thread(auth.auth_mode)
        who = await asyncio.to_thread(auth.signed_in, token)
        q = self.router.url.query_parameters
        self.mode, self.checked = mode, True
        self.signed_in = who is not None
        self.email = who.email if who else ""
        self.is_admin = bool(who and who.is_admin)
        code = q.get("login_error", "")
        if code == "bad" and mode == "password":
            code = "bad_password"
        retry = q.get("retry", "15")
        self.message = LOGIN_ERRORS.get(code, "").format(retry=retry if retry.isdigit() else "15")
        if not self.message and who is None and token:
            self.message = EXPIRED
        self.notice = "Signed out." if q.get("signed_out") == "1" and who is None and not self.message else ""

    def _refuse(self, expired: bool) -> None:
        """Back to the login view; a sign-in outcome already shown (e.g. "Wrong password") stays."""
        self.signed_in = False
        self.checked = True
        if expired:
            self.message = EXPIRED



class AuthMiddleware(Middleware):
    """Refuses every app event (ours, under AppState) from a browser that is not signed in,
    and flips that tab to the login view. Reflex's own events (hydrate, on-load bookkeeping)
    and AuthState's pass: they are how the login view appears."""

    def __init__(self, app_state_name: str) -> None:
        self.app_state_name = app_state_name

    async def preprocess(self, app: App, state: rx.State, event: Any) -> StateUpdate | None:
        handler_state = event.name.rpartition(".")[0]
        if not handler_state.startswith(self.app_state_name):
            return None
        token = state_token(state)
        if await asyncio.to_thread(auth.signed_in, token) is not None:
            return None
        root = state._get_root_state()
        auth_state = await root.get_state(AuthState)
        auth_state._refuse(expired=bool(token))
        delta = await root._get_resolved_delta()
        root._clean()
        return StateUpdate(delta=delta)
