"""A run's cover letter and outreach as versioned documents, the letter's head, the job's
print layout, and server-written versions (a fit, a regeneration) with the editor's conflict rule."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pipeline.cv import save_cv
from pipeline.cv.letter import (
    LINKEDIN_NOTE_MAX,
    letter_head,
    letter_markdown,
    open_letter,
    open_outreach,
    regenerate_letter,
    restore_outreach,
    save_outreach,
)
from pipeline.documents.layout import Layout
from pipeline.runs.documents import current_letter, run_layout, set_run_layout
from pipeline.store import cv as cv_store
from pipeline.store.db import session_scope
from pipeline.store.models import Artifact, Job, Profile, Run, utcnow

MASTER = "# Ann Example\n\nCardiff · ann@example.com · +44 29 2000 0000\n\n## Experience\n\n- Led the falls audit.\n"
LETTER = "Dear Ward 4 hiring team,\n\nI am applying for the Staff Nurse role.\n\nKind regards,\nAnn Example\n"
OUTREACH = {"linkedin_note": "Hi, I am applying for the Staff Nurse role.", "email_subject": "Application: Staff Nurse", "email_body": "Dear team,\n\nHello."}


def _run(tmp_path, *, letter: str = LETTER, status: str = "succeeded") -> int:
    folder = tmp_path / "runs" / "one"
    folder.mkdir(parents=True, exist_ok=True)
    files = {"CV.md": MASTER, "cover_letter.md": letter, "outreach.json": json.dumps(OUTREACH)}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    with session_scope() as s:
        s.add(Profile(name="Ann", markdown=MASTER, confirmed_at=utcnow()))
        job = Job(source="demo", external_id="n1", title="Staff Nurse", company="Ward 4", location="Cardiff", description="Nursing. " * 10)
        s.add(job)
        s.flush()
        run = Run(job_id=job.id, status=status, out_dir=str(folder), finished_at=utcnow())
        s.add(run)
        s.flush()
        s.add_all([Artifact(run_id=run.id, name=n, path=str(folder / n), size=1) for n in files])
        return run.id


def test_single_line_breaks_of_the_letter_survive_markdown():
    md = letter_markdown(LETTER)
    assert "Kind regards,\\\nAnn Example" in md
    from pipeline.render.markdown import render_markdown

    assert "Kind regards,<br>" in render_markdown(md).replace("<br />", "<br>")


def test_the_letter_opens_as_version_1_edits_append_and_regenerate_never_overwrites(default_store, tmp_path):
    run_id = _run(tmp_path)
    with session_scope() as s:
        opened = open_letter(session=s, run_id=run_id, owner="local")
        assert opened is not None and opened.version == 1 and "Staff Nurse role" in opened.html
        assert open_letter(session=s, run_id=run_id, owner="someone-else") is None
    with session_scope() as s:
        edited = opened.html.replace("Staff Nurse role", "Staff Nurse role on Ward 4")
        assert save_cv(session=s, subject=f"letter:{run_id}", html=edited, base=1, owner="local").version == 2
    with session_scope() as s:
        stale = regenerate_letter(session=s, run_id=run_id, owner="local", base=1)
        assert stale.conflict and stale.theirs is not None and stale.theirs.version == 2, "a newer edit is never written over"
        again = regenerate_letter(session=s, run_id=run_id, owner="local", base=2)
        assert again.ok and again.version == 3
    with session_scope() as s:
        versions = [(v.version, v.note) for v in cv_store.list_versions(session=s, subject=f"letter:{run_id}", owner="local")]
        assert versions[0] == (3, f"regenerated from run #{run_id}") and len(versions) == 3
        assert "on Ward 4" in cv_store.get_version(session=s, subject=f"letter:{run_id}", version=2, owner="local").html


def test_a_run_that_did_not_succeed_has_no_letter(default_store, tmp_path):
    run_id = _run(tmp_path, status="failed")
    with session_scope() as s:
        assert open_letter(session=s, run_id=run_id, owner="local") is None
        assert open_outreach(session=s, run_id=run_id, owner="local") is None
        with pytest.raises(LookupError):
            regenerate_letter(session=s, run_id=run_id, owner="local", base=1)


def test_the_head_comes_from_the_profile_and_the_job(default_store, tmp_path):
    run_id = _run(tmp_path)
    with session_scope() as s:
        head = letter_head(session=s, run_id=run_id, owner="local", today=dt.date(2026, 12, 4))
        assert head.sender_name == "Ann Example"
        assert head.sender_lines == ("Cardiff", "ann@example.com", "+44 29 2000 0000")
        assert head.date == "4 December 2026" and head.recipient_lines == ("Ward 4", "Cardiff")
        assert head.subject == "Application for Staff Nurse"
        letter = current_letter(session=s, run_id=run_id, owner="local")
        assert letter is not None and letter.version == 1 and letter.head.sender_name == "Ann Example"


def test_outreach_is_saved_with_history_and_the_linkedin_limit_is_kept(default_store, tmp_path):
    run_id = _run(tmp_path)
    with session_scope() as s:
        doc = open_outreach(session=s, run_id=run_id, owner="local")
        assert doc is not None and doc.version == 1 and doc.linkedin_note == OUTREACH["linkedin_note"]
    with session_scope() as s:
        with pytest.raises(ValueError, match="300"):
            save_outreach(session=s, run_id=run_id, owner="local", base=1, linkedin_note="x" * (LINKEDIN_NOTE_MAX + 1), email_subject="s", email_body="b")
        saved = save_outreach(session=s, run_id=run_id, owner="local", base=1, linkedin_note="Hi <b>there</b>", email_subject="New  subject", email_body="Body")
        assert saved.ok and saved.version == 2
    with session_scope() as s:
        doc = open_outreach(session=s, run_id=run_id, owner="local")
        assert (doc.version, doc.linkedin_note, doc.email_subject) == (2, "Hi <b>there</b>", "New subject"), "plain text, shown escaped"
        assert cv_store.latest(session=s, subject=f"outreach:{run_id}").html == ""
        stale = save_outreach(session=s, run_id=run_id, owner="local", base=1, linkedin_note="late", email_subject="", email_body="")
        assert stale.conflict
        assert restore_outreach(session=s, run_id=run_id, owner="local", version=1) == 3
    with session_scope() as s:
        assert open_outreach(session=s, run_id=run_id, owner="local").linkedin_note == OUTREACH["linkedin_note"]
        with pytest.raises(LookupError):
            cv_store.list_versions(session=s, subject=f"outreach:{run_id}", owner="intruder")


def test_the_layout_is_kept_on_the_job_and_bad_values_fall_back(default_store, tmp_path):
    run_id = _run(tmp_path)
    with session_scope() as s:
        job_id, layout = run_layout(session=s, run_id=run_id, owner="local")
        assert job_id and layout == Layout()
        set_run_layout(session=s, run_id=run_id, layout=Layout.of({"template": "compact", "page_size": "Letter", "ats_safe": True, "cv_pages": 1}), owner="local")
    with session_scope() as s:
        assert run_layout(session=s, run_id=run_id, owner="local")[1] == Layout("compact", "Letter", True, 1)
        assert run_layout(session=s, run_id=run_id, owner="intruder") == (0, Layout())
    assert Layout.of({"template": "<script>", "page_size": "A3", "ats_safe": "yes", "cv_pages": 7}) == Layout()


def test_server_written_versions_follow_the_conflict_rule_and_keep_checks(default_store, tmp_path):
    run_id = _run(tmp_path)
    subject = f"run:{run_id}"
    with session_scope() as s:
        cv_store.ensure_initial(session=s, subject=subject, markdown=MASTER, owner="local")
        first = cv_store.save_markdown_version(session=s, subject=subject, markdown=MASTER + "- More.\n", base_version=1, owner="local", note="fitted")
        assert first.ok and first.version == 2
        assert cv_store.save_markdown_version(session=s, subject=subject, markdown=MASTER, base_version=1, owner="local").conflict
        same = cv_store.save_markdown_version(session=s, subject=subject, markdown=MASTER + "- More.\n", base_version=2, owner="local")
        assert same.ok and same.version == 2, "unchanged text adds no version"
        cv_store.set_check(session=s, subject=subject, version=2, name="ats", result={"coverage": 80}, owner="local")
    with session_scope() as s:
        assert cv_store.get_version(session=s, subject=subject, version=2, owner="local").checks == {"ats": {"coverage": 80}}
        assert cv_store.get_version(session=s, subject=subject, version=1, owner="local").checks == {}
        with pytest.raises(LookupError):
            cv_store.set_check(session=s, subject=subject, version=2, name="ats", result={}, owner="intruder")
