"""The thin base state: who is asking, and how handlers reach the store."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

import reflex as rx

from pipeline.store.db import session_scope
from pipeline.store.models import LOCAL_OWNER

T = TypeVar("T")


def _in_session(fn: Callable[..., T], kwargs: dict[str, Any]) -> T:
    with session_scope() as session:
        return fn(session=session, **kwargs)


async def in_session(fn: Callable[..., T], **kwargs: Any) -> T:
    """Run a store function in a worker thread, so the event loop never blocks on I/O."""
    return await asyncio.to_thread(_in_session, fn, kwargs)


class AppState(rx.State):
    """Base of every feature state. Accounts arrive with the hosted mode; until then
    the embedded app has one local owner."""

    def _owner(self) -> str:
        return LOCAL_OWNER
