"""Who is asking: the sign-in mode, login with rate limits, and owner lookup.

Modes, decided by the install's state rather than a switch:
- "accounts": at least one user exists -> e-mail + password, owner "user:<id>";
- "password": LOGIN_PASSWORD set, no users -> the shared password, owner "local";
- "open": neither, on loopback only -> no login, owner "local".
An install reachable from other machines refuses to start in "open" mode
(`check_startup`). Lookups are cached for a few seconds per process because
every UI event asks; a revoked sign-in therefore ends within CACHE_SECONDS
in other backend processes, at once in the one that revoked it."""

from __future__ import annotations

import dataclasses
import hmac
import math
import threading
import time
from typing import Literal

from pipeline import metrics
from pipeline.accounts.passwords import burn_verify
from pipeline.accounts.ratelimit import RateLimiter
from pipeline.accounts.sessions import (
    check_password_session,
    create_password_session,
    create_session,
    lookup_session,
    revoke_session,
    token_hash,
)
from pipeline.accounts.users import authenticate, count_users
from pipeline.settings import no_login_refusal, settings
from pipeline.store.db import session_scope
from pipeline.store.models import LOCAL_OWNER

AuthMode = Literal["open", "password", "accounts"]
CACHE_SECONDS = 10.0
LOGIN_WINDOW_SECONDS = 15 * 60
LOGIN_LIMIT_PER_IP = 20
LOGIN_LIMIT_PER_ACCOUNT = 5

by_ip = RateLimiter("login-ip", LOGIN_LIMIT_PER_IP, LOGIN_WINDOW_SECONDS)
by_account = RateLimiter("login-account", LOGIN_LIMIT_PER_ACCOUNT, LOGIN_WINDOW_SECONDS)


@dataclasses.dataclass(frozen=True)
class SignedIn:
    owner: str
    mode: AuthMode
    email: str = ""
    user_id: int | None = None
    is_admin: bool = False


class LoginRefused(Exception):
    """A failed sign-in; `str(exc)` is safe to show, `retry_after` is set when rate limited."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StartupRefused(RuntimeError):
    pass


_lock = threading.Lock()
_mode_cache: tuple[float, AuthMode] | None = None
_token_cache: dict[str, tuple[float, SignedIn | None]] = {}
_MAX_CACHED = 10_000


def reset_caches() -> None:
    """Forget cached modes and lookups (after adding users; in tests)."""
    global _mode_cache
    with _lock:
        _mode_cache = None
        _token_cache.clear()


def auth_mode() -> AuthMode:
    global _mode_cache
    now = time.monotonic()
    with _lock:
        if _mode_cache and _mode_cache[0] > now:
            return _mode_cache[1]
    with session_scope() as s:
        has_users = count_users(session=s) > 0
    mode: AuthMode = "accounts" if has_users else "password" if settings.login_password else "open"
    with _lock:
        _mode_cache = (now + CACHE_SECONDS, mode)
    return mode


def check_startup() -> AuthMode:
    """Refuse to serve CVs to the network without a login; returns the mode in force."""
    mode = auth_mode()
    if mode == "open" and settings.exposed:
        raise StartupRefused(no_login_refusal(settings.host))
    return mode


def signed_in(token: str | None) -> SignedIn | None:
    """Who the browser holding `token` is, or None (not signed in, expired, revoked, disabled)."""
    mode = auth_mode()
    if mode == "open":
        return None if settings.exposed else SignedIn(owner=LOCAL_OWNER, mode="open")
    if not token:
        return None
    key = token_hash(token)
    now = time.monotonic()
    with _lock:
        hit = _token_cache.get(key)
        if hit and hit[0] > now:
            return hit[1] if hit[1] is None or hit[1].mode == mode else None
    who = _resolve(token, mode)
    with _lock:
        if len(_token_cache) >= _MAX_CACHED:
            _token_cache.clear()
        _token_cache[key] = (now + CACHE_SECONDS, who)
    return who


def _resolve(token: str, mode: AuthMode) -> SignedIn | None:
    if mode == "password":
        return SignedIn(owner=LOCAL_OWNER, mode="password") if check_password_session(token) else None
    with session_scope() as s:
        found = lookup_session(session=s, token=token)
        if found is None:
            return None
        login, user = found
        return SignedIn(owner=login.owner, mode="accounts", email=user.email, user_id=user.id, is_admin=user.is_admin)


def owner_for_session_token(token: str | None) -> str | None:
    """The owner whose data this browser may see, or None: the one question every route asks."""
    who = signed_in(token)
    return who.owner if who else None


def _limited(retry_after: float) -> LoginRefused:
    metrics.login_failed("rate_limited")
    minutes = max(1, math.ceil(retry_after / 60))
    return LoginRefused(f"Too many sign-in attempts. Try again in {minutes} minute{'s' if minutes != 1 else ''}.", retry_after=retry_after)


WRONG_CREDENTIALS = "Wrong e-mail or password."
WRONG_PASSWORD = "Wrong password."


def login(email: str | None, password: str, *, client_ip: str = "") -> str:
    """Check the credentials (rate limited per client address and per account); return a session token.

    Raises LoginRefused with a message for the sign-in form."""
    mode = auth_mode()
    if mode == "open":
        raise LoginRefused("This install has no login.")
    if (wait := by_ip.hit(client_ip or "unknown")) is not None:
        raise _limited(wait)
    account = (email or "").strip().lower()[:320] if mode == "accounts" else "shared-password"
    if (wait := by_account.hit(account)) is not None:
        raise _limited(wait)
    if mode == "password":
        burn_verify(password)  # the same cost as an account check, and a brake on guessing
        if not hmac.compare_digest(password.encode("utf-8", "replace"), (settings.login_password or "").encode()):
            metrics.login_failed("bad_credentials")
            raise LoginRefused(WRONG_PASSWORD)
        by_account.reset(account)
        return create_password_session()
    with session_scope() as s:
        user = authenticate(session=s, email=account, password=password)
        if user is None:
            metrics.login_failed("bad_credentials")
            raise LoginRefused(WRONG_CREDENTIALS)
        token = create_session(session=s, user=user)
    by_account.reset(account)
    return token


def logout(token: str | None) -> None:
    """End a sign-in. Password-mode tokens are self-contained: the browser forgets its cookie,
    and the token lapses at its expiry (change LOGIN_PASSWORD to end all at once)."""
    if not token:
        return
    with _lock:
        _token_cache.pop(token_hash(token), None)
    if not token.startswith("pw."):
        with session_scope() as s:
            revoke_session(session=s, token=token)
