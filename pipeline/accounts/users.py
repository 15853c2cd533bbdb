"""User accounts: add, list, disable, change password, authenticate.

E-mail addresses are stored normalised (trimmed, lower case), so "Ann@X.org"
and "ann@x.org " are one account. Passwords are only ever stored hashed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, select

from pipeline.accounts.passwords import burn_verify, hash_password, needs_rehash, verify_password
from pipeline.store.models import (
    LOCAL_OWNER,
    ApiToken,
    Batch,
    CvVersion,
    IdempotencyRecord,
    Job,
    LoginSession,
    MatchQuery,
    MatchResult,
    Profile,
    Run,
    User,
    user_owner,
    utcnow,
)

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # hashing is deliberately slow; a megabyte "password" must not tie up a worker
_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']{1,255}\.[^@\s<>\"'.]{2,}$")

# Every table whose rows carry an `owner`: what "claim the local data" moves.
OWNED_TABLES: Sequence[type] = (Job, Batch, Run, CvVersion, Profile, MatchQuery, MatchResult, ApiToken, IdempotencyRecord)


class AccountError(ValueError):
    """A refused account change; the message is meant for the person who asked."""


def normalize_email(email: str) -> str:
    e = (email or "").strip().lower()
    if len(e) > 320 or not _EMAIL.match(e):
        raise AccountError(f"{email.strip()[:80]!r} is not an e-mail address.")
    return e


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"A password may have at most {MAX_PASSWORD_LENGTH} characters.")


def get_user(*, session: Session, email: str) -> User | None:
    try:
        e = normalize_email(email)
    except AccountError:
        return None
    return session.exec(select(User).where(User.email == e)).first()


def owner_for_email(*, session: Session, email: str | None) -> str | None:
    """The CLI's `--user EMAIL`: that account's owner string; the local user without an e-mail;
    None for an unknown account."""
    if not email:
        return LOCAL_OWNER
    user = get_user(session=session, email=email)
    return user_owner(user.id) if user is not None else None


def count_users(*, session: Session) -> int:
    """Users of any state: one disabled account still means the install has accounts."""
    return int(session.exec(select(func.count()).select_from(User)).one())


def list_users(*, session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.id)).all())


def add_user(*, session: Session, email: str, password: str, is_admin: bool = False) -> User:
    e = normalize_email(email)
    check_password(password)
    if session.exec(select(User).where(User.email == e)).first() is not None:
        raise AccountError(f"An account for {e} already exists.")
    user = User(email=e, password_hash=hash_password(password), is_admin=is_admin)
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def _require(session: Session, email: str) -> User:
    user = get_user(session=session, email=email)
    if user is None:
        raise AccountError(f"No account for {email.strip()[:80]!r}.")
    return user


def disable_user(*, session: Session, email: str) -> User:
    """Sign the user out everywhere and revoke their API tokens; their data stays."""
    user = _require(session, email)
    now = utcnow()
    if user.disabled_at is None:
        user.disabled_at = now
    session.add(user)
    _revoke_access(session, user, now)
    session.commit()
    session.refresh(user)
    return user


def enable_user(*, session: Session, email: str) -> User:
    user = _require(session, email)
    user.disabled_at = None
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def set_password(*, session: Session, email: str, password: str) -> User:
    """A new password also ends every existing sign-in of that user."""
    check_password(password)
    user = _require(session, email)
    user.password_hash = hash_password(password)
    session.add(user)
    session.exec(
        update(LoginSession).where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None)).values(revoked_at=utcnow())
    )
    session.commit()
    session.refresh(user)
    return user


def _revoke_access(session: Session, user: User, now: datetime) -> None:
    session.exec(update(LoginSession).where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None)).values(revoked_at=now))
    session.exec(update(ApiToken).where(ApiToken.owner == user_owner(user.id), ApiToken.revoked_at.is_(None)).values(revoked_at=now))


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None. Unknown and disabled
    accounts cost one full hash verification too, so timing does not tell them apart."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return None
    user = get_user(session=session, email=email)
    if user is None:
        burn_verify(password)
        return None
    if not verify_password(user.password_hash, password) or user.disabled_at is not None:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def claim_local_data(*, session: Session, user: User) -> dict[str, int]:
    """Give everything the open (single-person) install stored to `user`.

    Used when the first account is created on an install that was used without
    login: the data is that person's, and in accounts mode nobody signs in as "local"."""
    new_owner = user_owner(user.id)
    if session.exec(select(func.count()).select_from(Job).where(Job.owner == new_owner)).one():
        raise AccountError(f"{user.email} already has jobs; local data is only moved to a fresh account.")
    moved: dict[str, int] = {}
    for table in OWNED_TABLES:
        result = session.exec(update(table).where(table.owner == LOCAL_OWNER).values(owner=new_owner))
        if result.rowcount:
            moved[table.__tablename__] = result.rowcount
    session.commit()
    return moved


def local_data_count(*, session: Session) -> int:
    """Jobs still held by the open install's owner (shown as a hint by `users add`)."""
    return int(session.exec(select(func.count()).select_from(Job).where(Job.owner == LOCAL_OWNER)).one())
