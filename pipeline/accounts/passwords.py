"""Password hashing: Argon2id (argon2-cffi) with its recommended parameters.

The hash string carries its own parameters, so raising them later only needs
`needs_rehash` at the next successful login; old hashes keep verifying."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # RFC 9106 "low memory" profile: Argon2id, t=3, m=64 MiB, p=4

# Verified against unknown e-mail addresses, so a miss costs as long as a hit.
_DUMMY_HASH = _hasher.hash("jobapp: no such user")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True only for the right password; a malformed stored hash is a mismatch, not a crash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def burn_verify(password: str) -> None:
    """Spend one verification's time on nothing: unknown accounts answer as slowly as known ones."""
    verify_password(_DUMMY_HASH, password)
