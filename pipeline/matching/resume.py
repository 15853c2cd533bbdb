"""Finish the "Find matches" batches a restart interrupted.

Batches run inside a backend process (`run_match_batch`), so a restart or crash
leaves titles queued or "running" with nobody running them. Their rows are the
whole state, so the app's start-up hands each unfinished batch to
`run_claimed_batch` again; the per-batch claim makes sure that, of several
backend processes starting together, exactly one runs each batch (the others
skip it, and a batch still running in a live process is skipped too).
"""

from __future__ import annotations

import asyncio
import logging

from sqlmodel import col, select

from pipeline.matching.batch import BATCH_KIND, DEFAULT_CONCURRENCY, run_claimed_batch
from pipeline.matching.claim import BatchClaim
from pipeline.store.db import session_scope
from pipeline.store.models import Batch

log = logging.getLogger(__name__)


def unfinished_batch_ids(owner: str | None = None, db_url: str | None = None) -> list[int]:
    """Match batches without `finished_at`, oldest first (all owners unless one is given)."""
    stmt = select(Batch.id).where(Batch.kind == BATCH_KIND, col(Batch.finished_at).is_(None))
    if owner is not None:
        stmt = stmt.where(Batch.owner == owner)
    with session_scope(db_url) as s:
        return list(s.exec(stmt.order_by(col(Batch.id))).all())


def _still_unfinished(batch_id: int, db_url: str | None) -> bool:
    """Re-read under the claim: another process may have finished it since the listing."""
    with session_scope(db_url) as s:
        batch = s.get(Batch, batch_id)
        return batch is not None and batch.finished_at is None


async def resume_unfinished(owner: str | None = None, *, db_url: str | None = None, concurrency: int = DEFAULT_CONCURRENCY) -> list[int]:
    """Run every unfinished match batch this process can claim, one after another; returns their ids.

    A batch that fails as a whole is logged and the next one still runs."""
    resumed: list[int] = []
    for batch_id in await asyncio.to_thread(unfinished_batch_ids, owner, db_url):
        claim = BatchClaim(batch_id, db_url)
        if not await asyncio.to_thread(claim.acquire):
            continue  # another process is running it
        finished = False
        try:
            if not await asyncio.to_thread(_still_unfinished, batch_id, db_url):
                continue
            log.info("resuming match batch %s (interrupted by a restart)", batch_id)
            progress = await run_claimed_batch(batch_id, concurrency=concurrency, db_url=db_url)
            finished = progress["finished"]
            resumed.append(batch_id)
        except Exception:
            log.exception("resuming match batch %s failed", batch_id)
        finally:
            await asyncio.to_thread(claim.release, finished=finished)
    return resumed
