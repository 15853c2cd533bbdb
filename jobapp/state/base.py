"""The thin base state: who is asking, and how handlers reach the store."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

import reflex as rx

from jobapp.state.auth import NotSignedIn, require_signed_in
from pipeline.accounts.auth import SignedIn
from pipeline.store.db import session_scope

T = TypeVar("T")


def _in_session(fn: Callable[..., T], kwargs: dict[str, Any]) -> T:
    with session_scope() as session:
        return fn(session=session, **kwargs)


async def in_session(fn: Callable[..., T], **kwargs: Any) -> T:
    """Run a store function in a worker thread, so the event loop never blocks on I/O."""
    return await asyncio.to_thread(_in_session, fn, kwargs)


class AppState(rx.State):
    """Base of every feature state: whose data a handler may touch."""

    def _owner(self) -> str:
        """The signed-in owner ("local" without accounts), from the session cookie on each call;
        raises NotSignedIn otherwise. Never from a var the browser could set."""
        return require_signed_in(self).owner

    def _signed_in(self) -> SignedIn:
        return require_signed_in(self)

    def _current_owner(self) -> str | None:
        """Like `_owner()` but None instead of raising: for loops that must stop, not fail."""
        try:
            return require_signed_in(self).owner
        except NotSignedIn:
            return None
