"""The editor's use-cases on a run's tailored CV: open (with review and comparison), save,
preview, what the layout check prints, and owner checks."""

from __future__ import annotations

import json

from pipeline.cv import cv_source, open_cv, open_master_cv, save_cv, view_version
from pipeline.store.db import session_scope
from pipeline.store.models import Artifact, Job, Profile, Run, utcnow
from pipeline.store.profiles import create_from_upload

MASTER = "# Ann Example\n\n## Experience\n\n- Cared for 12 patients a shift.\n- Led the falls audit.\n"
TAILORED = "# Ann Example\n\n## Experience\n\n- Led the falls audit.\n- Ran the night shift single-handed.\n"


def _succeeded_run(tmp_path) -> int:
    folder = tmp_path / "runs" / "one"
    folder.mkdir(parents=True)
    (folder / "CV.md").write_text(TAILORED, encoding="utf-8")
    (folder / "result.json").write_text(json.dumps({"untraceable_lines": ["Ran the night shift single-handed.", "Speaks Welsh."]}), encoding="utf-8")
    with session_scope() as s:
        s.add(Profile(name="Ann", markdown=MASTER, confirmed_at=utcnow()))
        job = Job(source="demo", external_id="n1", title="Nurse", company="Ward 4", description="Nursing. " * 10)
        s.add(job)
        s.flush()
        run = Run(job_id=job.id, status="succeeded", out_dir=str(folder), finished_at=utcnow())
        s.add(run)
        s.flush()
        s.add_all([Artifact(run_id=run.id, name=n, path=str(folder / n), size=1) for n in ("CV.md", "result.json")])
        return run.id


def test_a_run_cv_opens_with_its_review_comparison_and_history(default_store, tmp_path):
    run_id = _succeeded_run(tmp_path)
    with session_scope() as s:
        opened = open_cv(session=s, run_id=run_id, owner="local")
        assert opened is not None and opened.version == 1 and "night shift" in opened.html and opened.markdown == TAILORED
        assert [(v.version, v.note) for v in opened.versions] == [(1, opened.versions[0].note)] and opened.versions[0].created_at
        assert [(r.line, r.present, r.accepted) for r in opened.review] == [
            ("Ran the night shift single-handed.", True, False), ("Speaks Welsh.", False, False),
        ]
        assert opened.compare and "dropped" in opened.compare_summary
        assert open_cv(session=s, run_id=run_id, owner="someone-else") is None
        assert open_cv(session=s, run_id=run_id + 1000, owner="local") is None


def test_saving_a_run_cv_adds_a_version_the_preview_and_layout_check_see(default_store, tmp_path):
    run_id = _succeeded_run(tmp_path)
    subject = f"run:{run_id}"
    with session_scope() as s:
        html = open_cv(session=s, run_id=run_id, owner="local").html.replace("single-handed", "with one colleague")
        result = save_cv(session=s, subject=subject, html=html, base=1, owner="local")
        assert result.ok and result.version == 2
    with session_scope() as s:
        stale = save_cv(session=s, subject=subject, html=html + "<p>more</p>", base=1, owner="local")
        assert stale.conflict and stale.theirs is not None and stale.theirs.version == 2
        assert "single-handed" in view_version(session=s, subject=subject, version=1, owner="local")
        source = cv_source(session=s, subject=subject, owner="local")
        assert source is not None and source.version == 2 and "one colleague" in source.markdown
        assert cv_source(session=s, subject=subject, owner="someone-else") is None


def test_the_master_cv_layout_source_is_its_newest_version(default_store):
    with session_scope() as s:
        pid = create_from_upload(session=s, owner="local", filename="ann.md", data=MASTER.encode()).id
    with session_scope() as s:
        assert cv_source(session=s, subject=f"profile:{pid + 1}", owner="local") is None, "no such profile: no versions"
        opened = open_master_cv(session=s, profile_id=pid, owner="local")
        assert opened.review == [] and opened.compare == "" and opened.compare_summary == ""
    with session_scope() as s:
        source = cv_source(session=s, subject=f"profile:{pid}", owner="local")
        assert source is not None and source.title == "Master CV" and source.run_id == 0 and source.version == 1
