"""Reading a finished run back: its result.json and its artifact files (access-checked), and a job with its newest result."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from pipeline.render.markdown import render_markdown
from pipeline.store.jobs import get_job, job_history
from pipeline.store.models import LOCAL_OWNER, Artifact, Job, JobEvent, Run, RunStatus
from pipeline.store.runs import get_owned_run

ARTIFACT_MEDIA = {
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
}


@dataclass
class JobOverview:
    """One job as the inspector shows it: the stored job, its posting rendered, its history, its newest result."""

    job: Job
    posting_html: str
    history: list[JobEvent]
    result: dict[str, Any] | None


def job_overview(*, session: Session, job_id: int, owner: str = LOCAL_OWNER) -> JobOverview | None:
    """The owner's job with its history and newest run result; None when it is not theirs (or gone)."""
    job = get_job(session=session, job_id=job_id, owner=owner)
    if job is None:
        return None
    return JobOverview(
        job=job, posting_html=render_markdown(job.description), history=job_history(session=session, job_id=job_id),
        result=latest_result(session=session, job_id=job_id, owner=owner),
    )


def latest_result(*, session: Session, job_id: int, owner: str = LOCAL_OWNER) -> dict[str, Any] | None:
    """result.json of the job's newest succeeded run, with the run id and its artifact names."""
    run = session.exec(
        select(Run).where(Run.job_id == job_id, Run.owner == owner, Run.status == RunStatus.succeeded.value).order_by(col(Run.id).desc())
    ).first()
    if run is None:
        return None
    result = latest_result_for_run(session=session, run_id=run.id, owner=owner)
    if result is None:
        return None
    names = session.exec(select(Artifact.name).where(Artifact.run_id == run.id).order_by(Artifact.name)).all()
    return {**result, "run_id": run.id, "artifact_names": list(names)}


def latest_result_for_run(*, session: Session, run_id: int, owner: str = LOCAL_OWNER) -> dict[str, Any] | None:
    """result.json of one run (None when missing or unreadable)."""
    path = artifact_path(session=session, run_id=run_id, name="result.json", owner=owner)
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def artifact_path(*, session: Session, run_id: int, name: str, owner: str = LOCAL_OWNER) -> Path | None:
    """The file behind an artifact, if the caller owns the run and the file lies inside the
    run's folder. Anything else (other owner, unknown name, traversal, symlink out) is None."""
    run = get_owned_run(session=session, run_id=run_id, owner=owner)
    if run is None or not run.out_dir or "/" in name or "\\" in name or name.startswith("."):
        return None
    art = session.exec(select(Artifact).where(Artifact.run_id == run_id, Artifact.name == name)).first()
    if art is None:
        return None
    root = Path(run.out_dir).resolve()
    path = Path(art.path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path
