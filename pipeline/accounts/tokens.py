"""Per-user API tokens: created once (the secret is shown once), listed, revoked, verified.

Only the SHA-256 of a secret is stored. Verification looks the hash up by
its unique index, so no secret comparison happens in Python at all: the
database compares fixed-length digests, and a stolen database does not give
usable tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from pipeline.store.models import ApiToken, utcnow

TOKEN_PREFIX = "jat_"
_TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is a hint, not an audit log: no write per request
MAX_NAME = 200


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(*, session: Session, owner: str, name: str) -> tuple[ApiToken, str]:
    """A new token for `owner`; returns the row and the secret (never retrievable again)."""
    name = (name or "").strip()[:MAX_NAME] or "API token"
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(owner=owner, name=name, prefix=secret[:12], token_hash=hash_secret(secret))
    session.add(token)
    session.flush()
    return token, secret


def list_tokens(*, session: Session, owner: str) -> list[ApiToken]:
    """The owner's tokens, newest first, revoked ones included (marked)."""
    stmt = select(ApiToken).where(ApiToken.owner == owner).order_by(col(ApiToken.id).desc())
    return list(session.exec(stmt).all())


def revoke_token(*, session: Session, owner: str, token_id: int) -> bool:
    """Revoke the owner's token; False if no such token of theirs (or already revoked)."""
    token = session.get(ApiToken, token_id)
    if token is None or token.owner != owner or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    session.add(token)
    session.flush()
    return True


def verify_token(*, session: Session, secret: str) -> ApiToken | None:
    """The live token behind `secret`, or None (unknown, malformed or revoked)."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret))).first()
    if token is None or token.revoked_at is not None:
        return None
    now = utcnow()
    last = _aware(token.last_used_at)
    if last is None or now - last >= _TOUCH_EVERY:
        token.last_used_at = now
        session.add(token)
        session.flush()
    return token


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands datetimes back naive (they were stored as UTC)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
