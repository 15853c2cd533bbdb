"""Reading runs back: artifact access rules (owner, traversal, symlinks) and the review of untraceable lines."""

from __future__ import annotations

import json
import os

from pipeline.runs.results import artifact_path, latest_result
from pipeline.runs.review import accept_line, review
from pipeline.store.db import session_scope
from pipeline.store.models import Artifact, Job, Run


def _finished_run(tmp_path, owner="local"):
    folder = tmp_path / "applications" / "Acme" / "Engineer" / "1"
    folder.mkdir(parents=True)
    (folder / "result.json").write_text(json.dumps({"fit_score": 70, "untraceable_lines": ["Led a team of 50 at Google."]}))
    (folder / "CV.md").write_text("# Jane\n\n- Built pipelines in Python.\n- Led a team of 50 at Google.\n")
    secret = tmp_path / "jobapp-secret.txt"
    secret.write_text("not for download")
    os.symlink(secret, folder / "link.md")
    with session_scope() as s:
        job = Job(source="demo", external_id="x", title="Engineer", company="Acme", description="d", owner=owner)
        s.add(job)
        s.flush()
        run = Run(job_id=job.id, owner=owner, status="succeeded", out_dir=str(folder))
        s.add(run)
        s.flush()
        for name in ("result.json", "CV.md", "link.md"):
            s.add(Artifact(run_id=run.id, name=name, path=str(folder / name)))
        s.add(Artifact(run_id=run.id, name="escape.md", path=str(folder / ".." / ".." / ".." / ".." / "jobapp-secret.txt")))
        return run.id, job.id


def test_artifacts_resolve_only_inside_the_run_folder(default_store, tmp_path):
    run_id, _ = _finished_run(tmp_path)
    with session_scope() as s:
        assert artifact_path(session=s, run_id=run_id, name="CV.md").name == "CV.md"
        for bad in ("../CV.md", "..%2FCV.md", "/etc/passwd", ".hidden", "link.md", "escape.md", "nope.md"):
            assert artifact_path(session=s, run_id=run_id, name=bad) is None, bad
        assert artifact_path(session=s, run_id=run_id, name="CV.md", owner="mallory") is None
        assert artifact_path(session=s, run_id=run_id + 99, name="CV.md") is None


def test_latest_result_is_owner_scoped(default_store, tmp_path):
    _, job_id = _finished_run(tmp_path)
    with session_scope() as s:
        assert latest_result(session=s, job_id=job_id)["fit_score"] == 70
        assert latest_result(session=s, job_id=job_id, owner="mallory") is None


def test_untraceable_lines_are_fixed_or_accepted(default_store, tmp_path):
    run_id, _ = _finished_run(tmp_path)
    line = "Led a team of 50 at Google."
    with session_scope() as s:
        [r] = review(session=s, run_id=run_id, untraceable=[line], current_markdown="- Led a team of 50 at Google.\n")
        assert r.present and not r.accepted
        [r] = review(session=s, run_id=run_id, untraceable=[line], current_markdown="- Built pipelines in Python.\n")
        assert not r.present
        accept_line(session=s, run_id=run_id, line=line)
        accept_line(session=s, run_id=run_id, line=line)  # idempotent
        [r] = review(session=s, run_id=run_id, untraceable=[line], current_markdown="- Led a team of 50 at Google.\n")
        assert r.accepted
