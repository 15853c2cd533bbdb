"""Write a run's outcome back to the MongoDB document the job came from (the original
system's fields), with retries. A write-back problem is logged, never a run failure."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

from pipeline.sources.mongo import ClientFactory, _close, mongo_collection, redact

READY_FOR_APPLYING = "ready for applying"  # the original system's status on success
ATTEMPTS = 3


def match_filter(external_id: str) -> dict[str, Any]:
    """The document a mongo-sourced job came from: numeric `jobId`, else its `_id`."""
    if external_id.isdigit():
        return {"jobId": int(external_id)}
    if re.fullmatch(r"[0-9a-f]{24}", external_id):
        from bson import ObjectId

        return {"_id": ObjectId(external_id)}
    return {"$or": [{"jobId": external_id}, {"_id": external_id}]}


def writeback_fields(*, run_id: int, status: str, result: dict[str, Any] | None, artifact_urls: dict[str, str]) -> dict[str, Any]:
    fields: dict[str, Any] = {"pipeline_run_id": run_id, "pipeline_status": status}
    if status == "succeeded" and result:
        fields.update({
            "fit_score": result.get("fit_score"),
            "pain_points": [p.get("title", "") + (f": {p['detail']}" if p.get("detail") else "") for p in result.get("pain_points", [])],
            "primary_contacts": [{k: c.get(k) for k in ("role", "name", "source", "is_placeholder", "search_url")} for c in result.get("contacts", [])],
            "artifact_urls": artifact_urls,
            "cv_path": artifact_urls.get("CV.md", ""),
            "status": READY_FOR_APPLYING,
        })
    return fields


def write_back(external_id: str, fields: dict[str, Any], *, client_factory: ClientFactory | None = None) -> bool:
    """Update one document; returns whether a document matched. Raises on connection errors."""
    coll = mongo_collection(client_factory=client_factory)
    try:
        return coll.update_one(match_filter(external_id), {"$set": fields}).matched_count == 1
    finally:
        _close(coll)


async def write_back_with_retries(
    external_id: str, fields: dict[str, Any], *, log: Callable[[str, str], None],
    client_factory: ClientFactory | None = None, delay: float = 0.5,
) -> bool:
    """Try a few times with backoff; report through `log(level, message)`; never raise."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            matched = await asyncio.to_thread(write_back, external_id, fields, client_factory=client_factory)
        except Exception as exc:  # noqa: BLE001 - any driver/network error: retry, then give up quietly
            if attempt == ATTEMPTS:
                log("warning", f"MongoDB write-back failed after {ATTEMPTS} attempts: {redact(str(exc))[:300]}")
                return False
            log("warning", f"MongoDB write-back attempt {attempt} failed; retrying")
            await asyncio.sleep(delay * 2 ** (attempt - 1))
            continue
        if matched:
            log("info", f"wrote the result back to MongoDB ({', '.join(sorted(fields))})")
        else:
            log("warning", f"MongoDB has no document for job {external_id}; nothing written back")
        return matched
    return False
