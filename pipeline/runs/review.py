"""Tailored-CV lines under review - untraceable ones and strengthened claims: which are still in
the CV, which the user accepted."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from pipeline.store.jobs import record_event
from pipeline.store.models import LOCAL_OWNER, EventKind, JobEvent, Run
from pipeline.store.runs import get_owned_run
from pipeline.text.normalize import words

if TYPE_CHECKING:
    from pipeline.text.claims import ClaimFlag


@dataclass
class LineReview:
    line: str
    present: bool  # still in the current CV (not yet fixed)
    accepted: bool
    kind: str = "untraceable"  # or a claim-check kind: verb_inflation, number, scope, new_skill, date, title
    why: str = ""  # the claim check's reason, in one sentence


def accepted_lines(*, session: Session, job_id: int, run_id: int) -> set[str]:
    stmt = select(JobEvent).where(JobEvent.job_id == job_id, JobEvent.kind == EventKind.cv_edited.value)
    return {e.data.get("accepted", "") for e in session.exec(stmt) if e.data.get("run_id") == run_id}


def review(*, session: Session, run_id: int, untraceable: list[str], current_markdown: str) -> list[LineReview]:
    """A line counts as fixed once its words no longer appear in the current CV."""
    run = session.get(Run, run_id)
    accepted = accepted_lines(session=session, job_id=run.job_id, run_id=run_id) if run else set()
    cv = words(current_markdown)
    return [LineReview(line=ln, present=bool(words(ln)) and words(ln) in cv, accepted=ln in accepted) for ln in untraceable]


def claim_reviews(*, session: Session, run_id: int, flags: list[ClaimFlag], current_markdown: str) -> list[LineReview]:
    """Claim-check flags as review lines, with the same present/accepted logic as untraceable lines."""
    run = session.get(Run, run_id)
    accepted = accepted_lines(session=session, job_id=run.job_id, run_id=run_id) if run else set()
    cv = words(current_markdown)
    return [
        LineReview(line=f.line, present=bool(words(f.line)) and words(f.line) in cv, accepted=f.line in accepted, kind=f.kind, why=f.why)
        for f in flags
    ]


def accept_line(*, session: Session, run_id: int, line: str, owner: str = LOCAL_OWNER) -> None:
    """The user vouches for a line the pipeline could not trace or flagged as strengthened (recorded in the job's history)."""
    run = get_owned_run(session=session, run_id=run_id, owner=owner)
    if run is None:
        raise LookupError(f"run {run_id} not found")
    record_event(
        session=session, job_id=run.job_id, kind=EventKind.cv_edited, key=f"accept:{run_id}:{hashlib.sha256(line.encode()).hexdigest()[:32]}",
        message=f"Accepted a CV line the pipeline flagged: {line[:200]}", data={"run_id": run_id, "accepted": line}, actor=owner,
    )
