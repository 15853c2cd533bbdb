"""Demo postings and a demo master CV, loaded into an empty database on first run, with eight weeks
of applications, answers and interviews laid over them (pipeline/sources/demo_history.py)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from pipeline.sources.base import JobIn, ParseResult
from pipeline.store.jobs import ImportSummary, count_jobs, upsert_jobs
from pipeline.store.models import LOCAL_OWNER, Profile, utcnow

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"


def demo_jobs() -> ParseResult:
    items = json.loads((DEMO_DIR / "jobs.json").read_text(encoding="utf-8"))
    return ParseResult(rows=[(i, JobIn(source="demo", **item)) for i, item in enumerate(items, 1)])


def demo_cv_markdown() -> str:
    return (DEMO_DIR / "master_cv.md").read_text(encoding="utf-8")


def load_demo(*, session: Session, owner: str = LOCAL_OWNER, force: bool = False, now: datetime | None = None) -> ImportSummary | None:
    """Seed an empty database (or any, with `force`); never touches existing user data. `now`
    anchors the demo's eight weeks of history (tests freeze it)."""
    from pipeline.sources.demo_history import apply_history

    if not force and count_jobs(session=session, owner=owner) > 0:
        return None
    summary = upsert_jobs(session=session, parsed=demo_jobs(), owner=owner, key="demo-seed")
    apply_history(session=session, owner=owner, cv_markdown=demo_cv_markdown(), now=now)  # only jobs never applied to
    if session.exec(select(Profile).where(Profile.owner == owner)).first() is None:
        md = demo_cv_markdown()
        name = md.lstrip("# ").splitlines()[0].strip() if md.startswith("#") else "Demo profile"
        from pipeline.profile.titles import suggest_titles_offline

        titles = suggest_titles_offline({}, md)  # so Find matches works out of the box
        session.add(Profile(owner=owner, name=name, markdown=md, is_demo=True, confirmed_at=utcnow(), suggested_titles=titles))
    session.flush()
    return summary
