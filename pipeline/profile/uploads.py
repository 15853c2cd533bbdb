"""CV uploads parked between the browser's upload and the background parse.

The upload handler only stores the bytes under a name of ours (never the browser's) and
returns; a background task reads them back once and parses them (the caller saves the draft
profile with `pipeline.store.profiles.save_parsed`). Files only, no database."""

from __future__ import annotations

import asyncio
import re
import uuid
from pathlib import Path

from pipeline.profile.parse import ParsedUpload, parse_upload
from pipeline.settings import settings

GONE = "That upload is no longer available; upload the file again."


def _folder() -> Path:
    return settings.data_dir / "tmp" / "uploads"


def stash_upload(data: bytes) -> str:
    """Park an upload for the background parser; returns the parked name (ours, never the browser's)."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.bin"
    (folder / name).write_bytes(data)
    return name


def unstash_upload(name: str) -> bytes:
    """Read and delete a parked upload (LookupError when it is gone or the name is not ours)."""
    if not re.fullmatch(r"[0-9a-f]{32}\.bin", name):
        raise LookupError(GONE)
    path = _folder() / name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LookupError(GONE) from exc
    path.unlink(missing_ok=True)
    return data


async def parse_parked_upload(pending: str, filename: str, owner: str | None = None) -> ParsedUpload:
    """Read a parked upload once and parse it (LookupError when it is gone; ProfileError for an
    unreadable file; a model outage raises whatever the model call raised). `owner`: whose saved
    model settings to use (None: the environment's)."""
    data = await asyncio.to_thread(unstash_upload, pending)
    return await parse_upload(filename, data, owner=owner)
