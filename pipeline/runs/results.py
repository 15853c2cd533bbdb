"""Reading a finished run back: its result.json and its artifact files (access-checked)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from pipeline.store.models import LOCAL_OWNER, Artifact, Run, RunStatus

ARTIFACT_MEDIA = {
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
}


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
    run = session.get(Run, run_id)
    if run is None or run.owner != owner or not run.out_dir or "/" in name or "\\" in name or name.startswith("."):
        return None
    art = session.exec(select(Artifact).where(Artifact.run_id == run_id, Artifact.name == name)).first()
    if art is None:
        return None
    root = Path(run.out_dir).resolve()
    path = Path(art.path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path
