"""Owner checks for lookups that start from a bare run id (live log, history)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from pipeline.store.models import Run


def owned_run_ids(*, session: Session, owner: str, run_ids: Sequence[int]) -> list[int]:
    """The subset of `run_ids` that belongs to `owner` (another owner's run looks like a missing one)."""
    if not run_ids:
        return []
    return list(session.exec(select(Run.id).where(col(Run.id).in_(list(run_ids)), Run.owner == owner)).all())
