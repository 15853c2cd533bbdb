"""Dialogs: accounts (admins only) and API tokens (every signed-in user)."""

from __future__ import annotations

import reflex as rx

from jobapp.state.admin import AdminState, TokensState
from jobapp.state.views import TokenRow, UserRow


def _user_row(u: UserRow) -> rx.Component:
    return rx.el.tr(
        rx.el.td(u.email), rx.el.td(u.role), rx.el.td(rx.cond(u.active, "active", "disabled")), rx.el.td(u.last_sign_in),
        rx.el.td(rx.cond(u.active,
                         rx.el.button("Disable", on_click=AdminState.set_active(u.email, False), class_name="btn small danger"),
                         rx.el.button("Enable", on_click=AdminState.set_active(u.email, True), class_name="btn small"))),
    )


def admin_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Accounts"),
            rx.el.table(
                rx.el.thead(rx.el.tr(rx.el.th("E-mail"), rx.el.th("Role"), rx.el.th("State"), rx.el.th("Last sign-in"), rx.el.th(""))),
                rx.el.tbody(rx.foreach(AdminState.users, _user_row)),
                class_name="grid-table",
            ),
            rx.el.h3("Add an account"),
            rx.el.form(
                rx.el.input(name="email", type="email", placeholder="e-mail", required=True, max_length=320),
                rx.el.input(name="password", type="password", placeholder="password (10+ characters)", required=True,
                            auto_complete="new-password", max_length=1024),
                rx.el.label(rx.el.input(name="is_admin", type="checkbox"), " admin"),
                rx.el.button("Add", type="submit", class_name="btn primary"),
                on_submit=AdminState.add, reset_on_submit=True, class_name="row-form",
            ),
            rx.cond(AdminState.error != "", rx.el.p(AdminState.error, class_name="error", role="alert")),
            rx.el.div(rx.dialog.close(rx.el.button("Close", class_name="btn")), class_name="dialog-foot"),
            max_width="720px",
        ),
        open=AdminState.open,
        on_open_change=AdminState.set_open,
    )


def _token_row(t: TokenRow) -> rx.Component:
    return rx.el.tr(
        rx.el.td(t.name), rx.el.td(rx.el.code(t.prefix + "…")), rx.el.td(t.created), rx.el.td(t.last_used),
        rx.el.td(rx.cond(t.revoked, "revoked",
                         rx.el.button("Revoke", on_click=TokensState.revoke(t.id), class_name="btn small danger"))),
    )


def tokens_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("API tokens"),
            rx.el.p("A token lets a program use the REST API as you (see docs/api.md). It is shown once.", class_name="muted"),
            rx.el.div(
                rx.el.input(value=TokensState.name, on_change=TokensState.set_name, placeholder="name, e.g. laptop script", max_length=200),
                rx.el.button("Create token", on_click=TokensState.create, class_name="btn primary", id="create-token"),
                class_name="row-form",
            ),
            rx.cond(
                TokensState.secret != "",
                rx.el.div(
                    rx.el.p("Copy it now: it will not be shown again."),
                    rx.el.code(TokensState.secret, id="new-token-secret"),
                    rx.el.button("Copy", on_click=rx.set_clipboard(TokensState.secret), class_name="btn small"),
                    class_name="secret-box",
                ),
            ),
            rx.el.table(
                rx.el.thead(rx.el.tr(rx.el.th("Name"), rx.el.th("Token"), rx.el.th("Created"), rx.el.th("Last used"), rx.el.th(""))),
                rx.el.tbody(rx.foreach(TokensState.tokens, _token_row)),
                class_name="grid-table",
            ),
            rx.el.div(rx.dialog.close(rx.el.button("Close", class_name="btn")), class_name="dialog-foot"),
            max_width="720px",
        ),
        open=TokensState.open,
        on_open_change=TokensState.set_open,
    )
