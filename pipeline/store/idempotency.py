"""Idempotency keys for API writes: the first response to (owner, key) is kept and replayed.

A client that retries a POST after a timeout cannot know whether the first
attempt landed; with the same key it gets the first answer back instead of a
second batch of runs. Reusing a key for a different request is a client bug
and is refused rather than guessed at."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from pipeline.store.models import IdempotencyRecord

MAX_KEY = 200


class IdempotencyConflict(ValueError):
    """The key was used before with a different request."""


@dataclass
class Outcome:
    status_code: int
    body: dict[str, Any]
    replayed: bool = False


def request_hash(method: str, path: str, body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method.upper()} {path}\n{canonical}".encode()).hexdigest()


def find(*, session: Session, owner: str, key: str) -> IdempotencyRecord | None:
    return session.exec(select(IdempotencyRecord).where(IdempotencyRecord.owner == owner, IdempotencyRecord.key == key)).first()


def run_once(
    *, session: Session, owner: str, key: str, fingerprint: str, work: Callable[[Session], tuple[int, dict[str, Any]]]
) -> Outcome:
    """Replay the stored outcome for (owner, key), or do `work` and store its outcome in the
    same transaction (so a write and its record commit together or not at all).

    Two concurrent first attempts: the loser's unique-key insert fails, its whole
    transaction (including the work) rolls back, and it replays the winner's answer."""
    found = find(session=session, owner=owner, key=key)
    if found is not None:
        return _replay(found, fingerprint)
    status, body = work(session)
    session.add(IdempotencyRecord(owner=owner, key=key, request_hash=fingerprint, status_code=status, response=body))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        found = find(session=session, owner=owner, key=key)
        if found is None:
            raise
        return _replay(found, fingerprint)
    return Outcome(status, body)


def _replay(record: IdempotencyRecord, fingerprint: str) -> Outcome:
    if record.request_hash != fingerprint:
        raise IdempotencyConflict(
            "This Idempotency-Key was already used for a different request; use a new key for a new request."
        )
    return Outcome(record.status_code, dict(record.response), replayed=True)
