"""The Settings panel's Calendar feed: create (the private URL is shown once), copy, revoke.

Why the URL is built here from the page's origin: calendar apps need an absolute URL, and only
the browser knows the address the user reached the app by (a proxy, a port mapping, PUBLIC_URL);
the page sends `window.location.origin` with the Create click. The token lives in this state
only until the panel closes: the store keeps its hash, so it can never be shown again."""

from __future__ import annotations

import re

import reflex as rx

from jobapp import routes
from jobapp.state.base import AppState, in_session
from pipeline.store.calendar_feed import has_feed, new_feed, revoke_feed

ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+$")  # scheme://host[:port], nothing else
ORIGIN_SCRIPT = "window.location.origin"


def feed_url(origin: str, token: str) -> str:
    """The absolute feed URL for `token` under the page's origin ("" for an origin that is not one)."""
    origin = origin.strip().rstrip("/")
    return origin + routes.calendar_feed(token) if ORIGIN.match(origin) and len(origin) < 300 else ""


class SettingsCalendar(AppState, mixin=True):
    feed_active: bool = False  # the owner has a live feed URL (its secret is not known any more)
    feed_url: str = ""  # the new URL, shown once (until the panel closes)
    calendar_note: str = ""

    async def _load_feed(self) -> None:
        self.feed_active = await in_session(has_feed, owner=self._owner())
        self.feed_url = self.calendar_note = ""

    @rx.event
    async def create_feed(self, origin: str):
        """A new private URL (the old one stops working); `origin` is the page's, from the browser."""
        if not ORIGIN.match(str(origin or "").strip().rstrip("/")):
            self.calendar_note = "This page's address could not be read; reload the page and try again."
            return None
        token = await in_session(new_feed, owner=self._owner())
        self.feed_url, self.feed_active = feed_url(str(origin), token), True
        self.calendar_note = "Copy the URL now: it is shown only once. Creating another one stops this one."
        return None

    @rx.event
    async def revoke_feed(self):
        n = await in_session(revoke_feed, owner=self._owner())
        self.feed_active, self.feed_url = False, ""
        self.calendar_note = "The feed URL was revoked: calendars subscribed to it get nothing new." if n else "There was no feed URL to revoke."
