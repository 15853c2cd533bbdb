"""API keys encrypted at rest (Fernet), for the keys a user saves in the Settings panel.

The encryption key comes from `SETTINGS_KEY` (a Fernet key, or any passphrase, which is
stretched with SHA-256) or, when that is unset, from `DATA_DIR/settings.key`: created on
first use with mode 0600, read afterwards. Losing that file (or changing SETTINGS_KEY) makes
saved keys unreadable: `decrypt` then raises `KeyboxError` with a plain message, and the user
saves the key again.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from pipeline.settings import settings

KEY_FILE_NAME = "settings.key"


class KeyboxError(RuntimeError):
    """A saved key cannot be decrypted (wrong SETTINGS_KEY or a replaced settings.key)."""


def key_file() -> Path:
    return settings.data_dir / KEY_FILE_NAME


def _fernet_key() -> bytes:
    configured = (settings.settings_key or "").strip()
    if configured:
        try:
            if len(base64.urlsafe_b64decode(configured.encode())) == 32:
                return configured.encode()
        except ValueError:
            pass
        return base64.urlsafe_b64encode(hashlib.sha256(configured.encode()).digest())  # a passphrase
    path = key_file()
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    os.chmod(path, 0o600)  # whatever the umask
    return key


def encrypt(secret: str) -> str:
    """The Fernet token (text) of `secret`."""
    return Fernet(_fernet_key()).encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    """The secret back; `KeyboxError` when the encryption key is not the one it was saved with."""
    try:
        return Fernet(_fernet_key()).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        where = "SETTINGS_KEY" if (settings.settings_key or "").strip() else str(key_file())
        raise KeyboxError(
            f"the saved API key cannot be decrypted with the current encryption key ({where} changed since it was saved): "
            "enter the API key again in Settings"
        ) from None


def hint(secret: str) -> str:
    """What the page may show of a key: its last four characters."""
    secret = (secret or "").strip()
    return f"…{secret[-4:]}" if len(secret) >= 8 else "…"
