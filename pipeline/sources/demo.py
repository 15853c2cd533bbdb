"""Demo postings and a demo master CV, loaded into an empty database on first run, with eight weeks
of applications, answers and interviews laid over them (pipeline/sources/demo_history.py).

Each demo posting carries a source the real importers give (a job board: greenhouse, lever,
ashby; a pasted link: link; a file: file; a pasted posting: paste; `DEMO_SOURCES`), so the
source filter and the Analytics view's "response rate by source" show several groups on first
run. What marks a row as demo data is its (source, external id) pair from demo_data/jobs.json,
the external id being "demo-NNN" (`demo_keys`); nothing checks for a "demo" source.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from pipeline.sources.base import JobIn, ParseResult
from pipeline.store.jobs import ImportSummary, count_jobs, upsert_jobs
from pipeline.store.models import LOCAL_OWNER, Job, JobSource, Profile, utcnow

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"
DEMO_ID_PREFIX = "demo-"  # every demo posting's external id starts so
LEGACY_SOURCE = JobSource.demo.value  # the one source every demo posting had before they had their own
# The sources the importers set (boards.py: the provider; links.py: "link"; files.py: "file";
# paste.py: "paste"); a demo posting's source must be one of them.
DEMO_SOURCES = (JobSource.greenhouse.value, JobSource.lever.value, JobSource.ashby.value, JobSource.link.value,
                JobSource.file.value, JobSource.paste.value)  # fmt: skip


def demo_jobs() -> ParseResult:
    items = json.loads((DEMO_DIR / "jobs.json").read_text(encoding="utf-8"))
    rows = [(i, JobIn(**item)) for i, item in enumerate(items, 1)]
    for _, job in rows:
        if job.source not in DEMO_SOURCES or not job.external_id.startswith(DEMO_ID_PREFIX):
            raise ValueError(f"demo posting {job.external_id!r} ({job.source!r}): needs a source the importers set and a {DEMO_ID_PREFIX!r} id")
    return ParseResult(rows=rows)


def demo_keys() -> frozenset[tuple[str, str]]:
    """The (source, external id) pair of every demo posting: what marks a job as demo data."""
    return frozenset((job.source, job.external_id) for _, job in demo_jobs().rows)


def demo_cv_markdown() -> str:
    return (DEMO_DIR / "master_cv.md").read_text(encoding="utf-8")


def load_demo(*, session: Session, owner: str = LOCAL_OWNER, force: bool = False, now: datetime | None = None) -> ImportSummary | None:
    """Seed an empty database (or any, with `force`); never touches existing user data. `now`
    anchors the demo's eight weeks of history (tests freeze it)."""
    from pipeline.sources.demo_history import apply_history

    if not force and count_jobs(session=session, owner=owner) > 0:
        return None
    parsed = demo_jobs()
    _give_legacy_rows_their_source(session, owner, parsed)
    summary = upsert_jobs(session=session, parsed=parsed, owner=owner, key="demo-seed")
    apply_history(session=session, owner=owner, cv_markdown=demo_cv_markdown(), now=now)  # only jobs never applied to
    if session.exec(select(Profile).where(Profile.owner == owner)).first() is None:
        md = demo_cv_markdown()
        name = md.lstrip("# ").splitlines()[0].strip() if md.startswith("#") else "Demo profile"
        from pipeline.profile.titles import suggest_titles_offline

        titles = suggest_titles_offline({}, md)  # so Find matches works out of the box
        session.add(Profile(owner=owner, name=name, markdown=md, is_demo=True, confirmed_at=utcnow(), suggested_titles=titles))
    session.flush()
    return summary


def _give_legacy_rows_their_source(session: Session, owner: str, parsed: ParseResult) -> int:
    """Demo postings seeded when they all had source "demo" take their own source, so a forced
    re-seed of such a database updates them instead of adding the thirty again; how many changed."""
    wanted = {job.external_id: job.source for _, job in parsed.rows}
    legacy = session.exec(select(Job).where(Job.owner == owner, Job.source == LEGACY_SOURCE, col(Job.external_id).in_(list(wanted)))).all()
    changed = 0
    for job in legacy:
        source = wanted[job.external_id]
        taken = session.exec(select(Job.id).where(Job.owner == owner, Job.source == source, Job.external_id == job.external_id)).first()
        if taken is None:
            job.source = source
            session.add(job)
            changed += 1
    session.flush()
    return changed
