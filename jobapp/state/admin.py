"""Account management in the page (admins) and API tokens (every signed-in user).

Handlers re-check who is asking on every call: the dialogs being hidden from
non-admins is a convenience, not the defence."""

from __future__ import annotations

import reflex as rx

from jobapp.state.base import AppState, in_session
from jobapp.state.views import TokenRow, UserRow, token_row, user_row
from pipeline.accounts import auth
from pipeline.accounts.tokens import create_token, list_tokens, revoke_token
from pipeline.accounts.users import AccountError, add_user, disable_user, enable_user, list_users

NOT_ADMIN = "Only an admin can manage accounts."


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
            await self._load_users()

    async def _load_users(self) -> None:
        self.users = [user_row(u) for u in await in_session(list_users)]

    @rx.event
    async def add(self, form: dict):
        if not self._admin():
            return rx.toast.error(NOT_ADMIN)
        try:
            user = await in_session(add_user, email=str(form.get("email", ""))[:400], password=str(form.get("password", "")),
                                    is_admin=form.get("is_admin") in ("on", True, "true"))
        except AccountError as exc:
            self.error = str(exc)
            return
        auth.reset_caches()
        self.error = ""
        await self._load_users()
        return rx.toast.success(f"Added {user.email}.")

    @rx.event
    async def set_active(self, email: str, active: bool):
        if not self._admin():
            return rx.toast.error(NOT_ADMIN)
        if not active and email == self._signed_in().email:
            return rx.toast.error("You cannot disable your own account.")
        try:
            user = await in_session(enable_user if active else disable_user, email=email)
        except AccountError as exc:
            return rx.toast.error(str(exc))
        auth.reset_caches()
        await self._load_users()
        return rx.toast.success(f"{'Enabled' if active else 'Disabled'} {user.email}." + ("" if active else " Signed out everywhere; API tokens revoked."))


class TokensState(AppState):
    open: bool = False
    tokens: list[TokenRow] = []
    name: str = ""
    secret: str = ""  # the new token, shown once; cleared when the dialog closes

    @rx.event
    async def set_open(self, value: bool):
        self.open, self.secret = value, ""
        if value:
            await self._load_tokens(self._owner())

    async def _load_tokens(self, owner: str) -> None:
        self.tokens = [token_row(t) for t in await in_session(list_tokens, owner=owner)]

    @rx.event
    def set_name(self, value: str):
        self.name = value[:200]

    @rx.event
    async def create(self):
        owner = self._owner()
        _, self.secret = await in_session(create_token, owner=owner, name=self.name)
        self.name = ""
        await self._load_tokens(owner)

    @rx.event
    async def revoke(self, token_id: int):
        owner = self._owner()
        if not await in_session(revoke_token, owner=owner, token_id=token_id):
            return rx.toast.error("No such token of yours (or it was already revoked).")
        await self._load_tokens(owner)
        return rx.toast.success("Token revoked; programs using it are refused from now on.")
