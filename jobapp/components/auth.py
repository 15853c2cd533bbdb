"""The sign-in view and the header's account controls.

The forms are plain HTML posts to /auth/login and /auth/logout (not Reflex events):
only an HTTP response can set an HttpOnly cookie. Submitting clears the tab's
Reflex token (sessionStorage), so the next identity starts with fresh page state;
signing out also clears localStorage (editor drafts) for the next person at this browser."""

from __future__ import annotations

import reflex as rx

from jobapp.routes import LOGIN, LOGOUT
from jobapp.state.admin import AdminState, TokensState
from jobapp.state.auth import AuthState

_CLEAR_TAB = "try{sessionStorage.clear()}catch(e){}"
_CLEAR_ALL = "try{sessionStorage.clear();localStorage.clear()}catch(e){}"


def _form(fields: str) -> str:
    return f"""<form method="post" action="{LOGIN}" class="login-form" onsubmit="{_CLEAR_TAB}"
 style="display:grid;gap:6px;margin-top:12px">
{fields}
<label for="login-password">Password</label>
<input id="login-password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
<button type="submit" class="btn primary" id="login-submit">Sign in</button>
</form>"""


ACCOUNT_FORM = _form("""<label for="login-email">E-mail</label>
<input id="login-email" name="email" type="email" autocomplete="username" required maxlength="320" autofocus>""")
PASSWORD_FORM = _form("")
LOGOUT_FORM = f"""<form method="post" action="{LOGOUT}" class="logout-form" onsubmit="{_CLEAR_ALL}">
<button type="submit" class="btn small" id="logout-button">Sign out</button></form>"""


def login_view() -> rx.Component:
    return rx.el.main(
        rx.el.div(
            rx.el.h1("jobapp", class_name="brand"),
            rx.el.p(rx.cond(AuthState.mode == "accounts", "Sign in with your account.", "Sign in with this install's password."),
                    class_name="muted"),
            rx.cond(AuthState.message != "", rx.el.p(AuthState.message, class_name="login-error", role="alert", id="login-message", style={"color": "#b42318"})),
            rx.cond(AuthState.notice != "", rx.el.p(AuthState.notice, class_name="muted", id="login-notice")),
            rx.cond(AuthState.mode == "accounts", rx.html(ACCOUNT_FORM), rx.html(PASSWORD_FORM)),
            class_name="login-card",
            style={"width": "min(360px, 92vw)", "padding": "24px", "border": "1px solid #ddd", "borderRadius": "8px", "background": "#fff"},
        ),
        class_name="login-page",
        style={"minHeight": "100vh", "display": "grid", "placeItems": "center"},
    )


def splash() -> rx.Component:
    return rx.el.main(rx.el.p("Loading…", class_name="muted"), class_name="login-page")


def account_bar() -> rx.Component:
    """Header controls: who is signed in, API tokens, accounts (admins), sign out."""
    return rx.el.span(
        rx.cond(AuthState.email != "", rx.el.span(AuthState.email, class_name="pill", id="signed-in-as")),
        rx.el.button("API tokens", on_click=TokensState.set_open(True), class_name="btn small", id="tokens-button"),
        rx.cond(AuthState.is_admin, rx.el.button("Accounts", on_click=AdminState.set_open(True), class_name="btn small", id="admin-button")),
        rx.cond(AuthState.mode != "open", rx.html(LOGOUT_FORM)),
        class_name="account-bar",
    )
