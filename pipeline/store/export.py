"""Export selected jobs as CSV or JSON (the same fields an import accepts)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from sqlmodel import Session

from pipeline.store.jobs import jobs_by_ids
from pipeline.store.models import LOCAL_OWNER, Job

EXPORT_FIELDS = ("id", "source", "external_id", "title", "company", "location", "url", "status", "fit_score", "tags", "created_at", "updated_at", "description")


def job_record(job: Job) -> dict:
    out = {f: getattr(job, f) for f in EXPORT_FIELDS}
    out["created_at"] = job.created_at.isoformat(timespec="seconds")
    out["updated_at"] = job.updated_at.isoformat(timespec="seconds")
    return out


def export_jobs(*, session: Session, job_ids: Sequence[int], fmt: str, owner: str = LOCAL_OWNER) -> str:
    """Text of the export; re-importing it upserts the same jobs."""
    records = [job_record(j) for j in jobs_by_ids(session=session, job_ids=job_ids, owner=owner)]
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2)
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r} (csv or json)")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for r in records:
        r["tags"] = ",".join(r["tags"] or [])
        writer.writerow({k: _defuse(v) for k, v in r.items()})
    return buf.getvalue()


def _defuse(value):
    """A cell a spreadsheet would run as a formula (=, +, @, -1+2...) gets a leading apostrophe
    (OWASP "CSV injection"): postings come from the open web. Markdown bullets ("- x") stay."""
    if isinstance(value, str) and value[:1] in ("=", "+", "@", "\t", "\r", "-") and not value.startswith("- "):
        return "'" + value
    return value
