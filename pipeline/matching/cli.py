"""`python -m pipeline match`: the same batch the page starts, printed."""

from __future__ import annotations

import asyncio
import json
import sys

from pipeline.matching.batch import combined_results, run_match_batch, start_match_batch, suggested_titles
from pipeline.store.db import session_scope
from pipeline.store.models import LOCAL_OWNER

EXIT_OK, EXIT_BAD_INPUT, EXIT_FAILED = 0, 2, 3


def match_command(titles: list[str], *, as_json: bool = False, limit: int = 50, owner: str = LOCAL_OWNER) -> int:
    """Exit 0 with results (failed titles reported on stderr), 2 nothing to search, 3 every title failed."""
    with session_scope() as s:
        chosen = titles or suggested_titles(session=s, owner=owner)
        if not chosen:
            print("error: no titles: give --title TITLE, or confirm a profile that has suggested titles", file=sys.stderr)
            return EXIT_BAD_INPUT
        try:
            batch_id = start_match_batch(session=s, owner=owner, titles=chosen)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
    progress = asyncio.run(run_match_batch(batch_id))
    with session_scope() as s:
        rows = combined_results(session=s, owner=owner, batch_id=batch_id, limit=limit)
    for q in progress["queries"]:
        if q["status"] == "failed":
            print(f"title “{q['title']}” failed: {q['error']}", file=sys.stderr)
    if as_json:
        print(json.dumps({"batch_id": batch_id, "progress": progress, "results": rows}, ensure_ascii=False, default=str))
    else:
        for r in rows:
            where = ", ".join(p for p in (r["company"], r["location"]) if p)
            print(f"{r['score']:>3}  #{r['id']:<6} {r['title'][:50]:<50}  {where[:40]:<40}  {'; '.join(r['reasons'])}")
        print(f"{len(rows)} job(s) for {progress['done']} of {progress['total']} title(s)", file=sys.stderr)
    return EXIT_FAILED if progress["done"] == 0 else EXIT_OK
