"""Account management in the page (admins) and API tokens (every signed-in user).

Handlers re-check who is asking on every call: the dialogs being hidden from
non-admins is a convenience, not the defence."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from jobapp.state.base import AppState, in_session
from jobapp.state.views import TokenRow, UserRow, token_row, user_row
from pipeline.accounts import auth
from pipeline.accounts.tokens import create_token, list_tokens, revoke_token
from pipeline.accounts.users import AccountError, add_user, disable_user, enable_user, list_users

NOT_ADMIN = "Only an admin can manage accounts."


def _users(*, session: Session) -> list[UserRow]:
    return [user_row(u) for u in list_users(session=session)]


def _add(*, session: Session, email: str, password: str, is_admin: bool) -> str:
    return add_user(session=session, email=email, password=password, is_admin=is_admin).email


def _set_active(*, session: Session, email: str, active: bool) -> str:
    return (enable_user if active else disable_user)(session=session, email=email).email


def _tokens(*, session: Session, owner: str) -> list[TokenRow]:
    return [token_row(t) for t in list_tokens(session=session, owner=owner)]


def _create(*, session: Session, owner: str, name: str) -> str:
    _, secret = create_token(session=session, owner=owner, name=name)
    session.commit()
    return secret


def _revoke(*, session: Session, owner: str, token_id: int) -> bool:
    done = revoke_token(session=session, owner=owner, token_id=token_id)
    session.commit()
    return done


class AdminState(AppState):
    open: bool = False
    users: list[UserRow] = []
    error: str = ""

    def _admin(self) -> bool:
        who = self._signed_in()
        return who.mode == "accounts" and who.is_admin

    @rx.event
    async def set_open(self, value: bool):
        if value and not self._admin():
            return rx.toast.error(NOT_ADMIN)
        self.open, self.error = value, ""
        if value:
            self.users = await in_session(_users)

    @rx.event
    async def add(self, form: dict):
        if not self._admin():
            return rx.toast.error(NOT_ADMIN)
        try:
            email = await in_session(_add, email=str(form.get("email", ""))[:400], password=str(form.get("password", "")),
                                     is_admin=form.get("is_admin") in ("on", True, "true"))
        except AccountError as exc:
            self.error = str(exc)
            return
        auth.reset_caches()
        self.error = ""
        self.users = await in_session(_users)
        return rx.toast.success(f"Added {email}.")

    @rx.event
    async def set_active(self, email: str, active: bool):
        if not self._admin():
            return rx.toast.error(NOT_ADMIN)
        if not active and email == self._signed_in().email:
            return rx.toast.error("You cannot disable your own account.")
        try:
            email = await in_session(_set_active, email=email, active=active)
        except AccountError as exc:
            return rx.toast.error(str(exc))
        auth.reset_caches()
        self.users = await in_session(_users)
        return rx.toast.success(f"{'Enabled' if active else 'Disabled'} {email}." + ("" if active else " Signed out everywhere; API tokens revoked."))


class TokensState(AppState):
    open: bool = False
    tokens: list[TokenRow] = []
    name: str = ""
    secret: str = ""  # the new token, shown once; cleared when the dialog closes

    @rx.event
    async def set_open(self, value: bool):
        self.open, self.secret = value, ""
        if value:
            self.tokens = await in_session(_tokens, owner=self._owner())

    @rx.event
    def set_name(self, value: str):
        self.name = value[:200]

    @rx.event
    async def create(self):
        owner = self._owner()
        self.secret = await in_session(_create, owner=owner, name=self.name)
        self.name = ""
        self.tokens = await in_session(_tokens, owner=owner)

    @rx.event
    async def revoke(self, token_id: int):
        owner = self._owner()
        if not await in_session(_revoke, owner=owner, token_id=token_id):
            return rx.toast.error("No such token of yours (or it was already revoked).")
        self.tokens = await in_session(_tokens, owner=owner)
        return rx.toast.success("Token revoked; programs using it are refused from now on.")
