"""Browser sign-ins.

Accounts mode: a random token in an HttpOnly cookie; the database keeps only
its SHA-256 (a leaked table cannot be replayed). A sign-in lasts
`SESSION_HOURS` after its last use (sliding), and never more than
`MAX_SESSION_DAYS` in all.

Password mode (LOGIN_PASSWORD, no accounts) has no user row to hang a session
on, so its token is self-contained: an expiry signed with a key derived (slowly)
from the shared password. Changing the password ends every such sign-in."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy import update
from sqlmodel import Session, select

from pipeline.settings import settings
from pipeline.store.models import LoginSession, User, user_owner, utcnow

SESSION_COOKIE = "jobapp_session"
MAX_SESSION_DAYS = 30
TOUCH_EVERY = timedelta(minutes=1)  # write last_seen at most this often per session
_PASSWORD_PREFIX = "pw."


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _aware(dt: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored time is UTC."""
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _idle() -> timedelta:
    return timedelta(hours=settings.session_hours)


def create_session(*, session: Session, user: User) -> str:
    """A new sign-in for `user`; returns the token (shown to the browser once, never stored)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(LoginSession(token_hash=token_hash(token), user_id=user.id, owner=user_owner(user.id),
                             created_at=now, last_seen_at=now, expires_at=now + _idle()))
    session.commit()
    return token


def lookup_session(*, session: Session, token: str, now: datetime | None = None) -> tuple[LoginSession, User] | None:
    """The live sign-in behind `token` and its (enabled) user; slides its expiry forward."""
    if not token or len(token) > 200 or token.startswith(_PASSWORD_PREFIX):
        return None
    now = now or utcnow()
    row = session.exec(
        select(LoginSession, User).join(User, User.id == LoginSession.user_id).where(LoginSession.token_hash == token_hash(token))
    ).first()
    if row is None:
        return None
    login, user = row
    if login.revoked_at is not None or user.disabled_at is not None or _aware(login.expires_at) <= now:
        return None
    if now - _aware(login.last_seen_at) >= TOUCH_EVERY:
        login.last_seen_at = now
        login.expires_at = min(now + _idle(), _aware(login.created_at) + timedelta(days=MAX_SESSION_DAYS))
        session.add(login)
        session.commit()
        session.refresh(login)
    return login, user


def revoke_session(*, session: Session, token: str) -> bool:
    result = session.exec(
        update(LoginSession).where(LoginSession.token_hash == token_hash(token), LoginSession.revoked_at.is_(None)).values(revoked_at=utcnow())
    )
    session.commit()
    return bool(result.rowcount)


def purge_expired(*, session: Session, older_than: timedelta = timedelta(days=7)) -> int:
    """Housekeeping: forget sign-ins that ended a while ago."""
    from sqlalchemy import delete, or_

    cutoff = utcnow() - older_than
    result = session.exec(delete(LoginSession).where(or_(LoginSession.expires_at < cutoff, LoginSession.revoked_at < cutoff)))
    session.commit()
    return result.rowcount or 0


# ---------------------------------------------------------------- password mode


@lru_cache(maxsize=4)
def _password_key(password: str) -> bytes:
    # scrypt: a stolen cookie does not make guessing the shared password cheap.
    return hashlib.scrypt(password.encode("utf-8"), salt=b"jobapp password-mode session key", n=2**14, r=8, p=1, dklen=32)


def _sign(key: bytes, body: str) -> str:
    return base64.urlsafe_b64encode(hmac.new(key, body.encode(), hashlib.sha256).digest()).decode().rstrip("=")


def create_password_session(*, now: float | None = None) -> str:
    if not settings.login_password:
        raise RuntimeError("password sign-in needs LOGIN_PASSWORD")
    expires = int((now or time.time()) + settings.session_hours * 3600)
    body = f"{_PASSWORD_PREFIX}{expires}.{secrets.token_urlsafe(12)}"
    return f"{body}.{_sign(_password_key(settings.login_password), body)}"


def check_password_session(token: str, *, now: float | None = None) -> bool:
    if not settings.login_password or not token or not token.startswith(_PASSWORD_PREFIX) or len(token) > 200:
        return False
    body, _, sig = token.rpartition(".")
    parts = body.split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        return False
    if not hmac.compare_digest(sig, _sign(_password_key(settings.login_password), body)):
        return False
    return int(parts[1]) > (now or time.time())
