"""After applying: the applied date and follow-up day a status move sets, the first response,
interviews (checked input, owner isolation, the move to interviewing) and the Today view on a
frozen clock. Runs on SQLite here and on PostgreSQL in tests/integration/on_postgres."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pipeline.store.jobs import get_job, job_history, set_status
from pipeline.store.models import Job, user_owner
from pipeline.store.tracking import (
    InterviewIn,
    add_interview,
    delete_interview,
    follow_ups_due,
    interviews_of,
    on_status_change,
    set_follow_up,
    today_view,
    update_interview,
)  # fmt: skip

OTHER = user_owner(7)
MON = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _job(session, title: str = "Data Engineer", owner: str = "local", status: str = "ready") -> Job:
    job = Job(source="demo", external_id=title + owner, title=title, company="Acme", status=status, owner=owner)
    session.add(job)
    session.flush()
    return job


def test_moving_to_applied_sets_the_date_once_and_a_follow_up_a_week_later(session):
    job = _job(session)
    on_status_change(job, "ready", "applied", now=MON, days=7)
    assert job.applied_at == MON and job.follow_up_on == date(2026, 11, 9)
    job.follow_up_on = None  # the user followed up
    on_status_change(job, "applied", "shortlisted", now=MON + timedelta(days=3), days=7)
    on_status_change(job, "shortlisted", "applied", now=MON + timedelta(days=4), days=7)
    assert job.applied_at == MON, "moving back and forth keeps the first applied date"
    assert job.follow_up_on == date(2026, 11, 9), "a cleared follow-up comes back from the first applied date"
    on_status_change(job, "applied", "interviewing", now=MON + timedelta(days=5), days=7)
    assert job.responded_at == MON + timedelta(days=5) and job.follow_up_on is None
    on_status_change(job, "interviewing", "offer", now=MON + timedelta(days=9), days=7)
    assert job.responded_at == MON + timedelta(days=5), "the first response stays"
    fresh = _job(session, "Analyst")
    on_status_change(fresh, "ready", "applied", now=MON, days=0)
    assert fresh.applied_at == MON and fresh.follow_up_on is None, "FOLLOW_UP_DAYS=0: no follow-up day"
    never = _job(session, "Nurse")
    on_status_change(never, "ready", "rejected", now=MON, days=7)
    assert never.responded_at is None, "a rejection before applying is not a response"


def test_set_status_records_the_dates_and_a_repeated_move_changes_nothing(session, monkeypatch):
    from pipeline.settings import settings

    monkeypatch.setattr(settings, "follow_up_days", 10)
    job = _job(session)
    assert set_status(session=session, job_ids=[job.id], status="applied", key="k1") == 1
    first = get_job(session=session, job_id=job.id)
    applied = first.applied_at
    assert applied is not None and first.follow_up_on == (applied + timedelta(days=10)).date()
    assert set_status(session=session, job_ids=[job.id], status="applied", key="k1") == 0
    assert get_job(session=session, job_id=job.id).applied_at == applied


def test_interviews_are_checked_kept_per_owner_and_move_the_job_to_interviewing(session):
    job = _job(session, status="applied")
    theirs = _job(session, owner=OTHER)
    iv = add_interview(session=session, job_id=job.id, interview=InterviewIn(MON, 45, "phone", " Zoom ", "Ana (recruiter)", "Ask about on-call"))
    assert (iv.minutes, iv.kind, iv.location, iv.with_whom) == (45, "phone", "Zoom", "Ana (recruiter)")
    moved = get_job(session=session, job_id=job.id)
    assert moved.status == "interviewing" and moved.responded_at is not None
    assert any(e.kind == "status_changed" for e in job_history(session=session, job_id=job.id))
    for bad, words in (
        (InterviewIn(MON.replace(tzinfo=None)), "time zone"), (InterviewIn(MON, kind="lunch"), "Unknown interview kind"),
        (InterviewIn(MON, minutes=0), "between 5 minutes"), (InterviewIn(MON, notes="x" * 5001), "5,000"),
    ):
        with pytest.raises(ValueError, match=words):
            add_interview(session=session, job_id=job.id, interview=bad)
    with pytest.raises(LookupError):
        add_interview(session=session, job_id=theirs.id, interview=InterviewIn(MON))
    with pytest.raises(LookupError):
        update_interview(session=session, interview_id=iv.id, interview=InterviewIn(MON), owner=OTHER)
    update_interview(session=session, interview_id=iv.id, interview=InterviewIn(MON + timedelta(hours=2), 60, "onsite", "Acme HQ"))
    assert [(i.kind, i.starts_at) for i in interviews_of(session=session, job_id=job.id)] == [("onsite", MON + timedelta(hours=2))]
    with pytest.raises(LookupError):
        delete_interview(session=session, interview_id=iv.id, owner=OTHER)
    delete_interview(session=session, interview_id=iv.id)
    assert interviews_of(session=session, job_id=job.id) == []
    assert get_job(session=session, job_id=job.id).status == "interviewing", "deleting an interview does not undo the answer"


def test_the_today_view_on_a_frozen_clock(session):
    now = datetime(2026, 11, 10, 8, 30, tzinfo=UTC)
    overdue, due, later, archived, past, theirs = (_job(session, t) for t in ("Overdue", "Due", "Later", "Archived", "Past", "X"))
    for job, day in ((overdue, date(2026, 11, 8)), (due, date(2026, 11, 10)), (later, date(2026, 11, 12)), (archived, date(2026, 11, 1))):
        set_follow_up(session=session, job_id=job.id, on=day)
    archived.archived_at = now
    session.add(archived)
    other = _job(session, "Theirs", owner=OTHER)
    set_follow_up(session=session, job_id=other.id, on=date(2026, 11, 1), owner=OTHER)
    add_interview(session=session, job_id=later.id, interview=InterviewIn(now + timedelta(days=2)))
    add_interview(session=session, job_id=later.id, interview=InterviewIn(now + timedelta(days=8)))  # next week
    add_interview(session=session, job_id=past.id, interview=InterviewIn(now - timedelta(days=1)))  # yesterday
    view = today_view(session=session, now=now)
    assert [j.title for j in view.follow_ups] == ["Overdue", "Due"] and view.overdue == 1
    assert [(iv.starts_at, j.title) for iv, j in view.interviews] == [(now + timedelta(days=2), "Later")]
    assert [j.title for j in follow_ups_due(session=session, today=now.date(), within_days=2)] == ["Overdue", "Due"], "an interview answered Later"
    assert [j.title for j in today_view(session=session, now=now, owner=OTHER).follow_ups] == ["Theirs"]
    with pytest.raises(LookupError):
        set_follow_up(session=session, job_id=theirs.id, on=None, owner=OTHER)


SENT_CV = """# Sam Coder

## Experience

### Senior Engineer — Acme Pay

*Berlin · 2019 – 2023*

- Cut the AWS bill by 31% by right-sizing RDS instances.
- Contributed to the migration of the payments API to Kubernetes.
"""


def _finished_run(session, job: Job, folder, cv: str, letter: str | None = "Dear Acme,\n\nI apply.\n\nKind regards,\nSam\n") -> int:
    from pipeline.store.models import Artifact, Run

    folder.mkdir(parents=True, exist_ok=True)
    files = {"CV.md": cv, **({"cover_letter.md": letter} if letter else {})}
    run = Run(job_id=job.id, owner=job.owner, status="succeeded", out_dir=str(folder), finished_at=MON)
    session.add(run)
    session.flush()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        session.add(Artifact(run_id=run.id, name=name, path=str(folder / name)))
    job.last_run_id = run.id
    session.add(job)
    session.flush()
    return run.id


def test_applying_records_exactly_the_versions_sent_and_only_once(session, tmp_path):
    from pipeline.store.cv import save_markdown_version
    from pipeline.store.tracking import sent_documents, sent_markdown

    job = _job(session)
    run_id = _finished_run(session, job, tmp_path / "r1", SENT_CV)
    from pipeline.runs.documents import current_cv

    v1 = current_cv(session=session, run_id=run_id)
    save_markdown_version(session=session, subject=f"run:{run_id}", markdown=SENT_CV.replace("31%", "31 %"), base_version=v1.version)
    set_status(session=session, job_ids=[job.id], status="applied", key="apply-1")
    sent = sent_documents(session=session, job_id=job.id)
    assert sorted((s.document, s.version, s.format) for s in sent) == [("cv", 2, "pdf"), ("letter", 1, "pdf")]
    cv_row = next(s for s in sent if s.document == "cv")
    assert "31 %" in sent_markdown(session=session, sent=cv_row) and len(cv_row.sha256) == 64
    set_status(session=session, job_ids=[job.id], status="shortlisted", key="back")
    set_status(session=session, job_ids=[job.id], status="applied", key="apply-2")
    assert len(sent_documents(session=session, job_id=job.id)) == 2, "the same versions are not recorded twice"
    assert sent_documents(session=session, job_id=job.id, owner=OTHER) == []
    plain = _job(session, "No run")
    set_status(session=session, job_ids=[plain.id], status="applied", key="apply-3")
    assert sent_documents(session=session, job_id=plain.id) == [], "applied with another file: nothing to record"


def test_a_second_cv_for_the_same_company_is_compared_with_the_one_sent(session, tmp_path):
    from pipeline.store.tracking import sent_markdown, sent_to_company
    from pipeline.text.consistency import contradictions

    first = _job(session, "Backend Engineer")
    first.company_norm = "acme pay"
    _finished_run(session, first, tmp_path / "a", SENT_CV)
    set_status(session=session, job_ids=[first.id], status="applied", key="a")
    second = _job(session, "Platform Engineer")
    second.company_norm = "acme pay"
    elsewhere = _job(session, "Other Co job")
    elsewhere.company_norm = "other co"
    session.add_all([second, elsewhere])
    session.flush()
    earlier = sent_to_company(session=session, job=second)
    assert [(j.title, s.document) for j, s in earlier] == [("Backend Engineer", "cv")]
    assert sent_to_company(session=session, job=elsewhere) == []
    new_cv = SENT_CV.replace("Senior Engineer", "Lead Engineer").replace("2019 – 2023", "2018 – 2023").replace("31%", "40%")
    flags = contradictions(new_cv, sent_markdown(session=session, sent=earlier[0][1]))
    assert [f.kind for f in flags] == ["title", "date", "number"]
    assert all("the CV you sent says" in f.why for f in flags)
    reordered = SENT_CV.replace("- Cut the AWS", "- Right-sized RDS instances; cut the AWS").replace("\n- Contributed to the migration of the payments API to Kubernetes.", "")
    assert contradictions(reordered + "- Wrote the on-call runbook for 12 services.\n", SENT_CV) == [], "another selection is no contradiction"
