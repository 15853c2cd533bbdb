"""What was sent, downloaded again: `?version=N` on the CV and letter routes gives exactly that
stored version (owner-checked, a missing version is a 404), and a finished run whose CV
contradicts a CV already sent to the same company says so in one log line."""

from __future__ import annotations

from jobapp import routes
from pipeline.store.db import session_scope
from pipeline.store.models import Artifact, Job, Run, user_owner, utcnow

CV = """# Sam Coder

## Experience

### Senior Engineer — Acme Pay

*Berlin · 2019 – 2023*

- Cut the AWS bill by 31% by right-sizing RDS instances.
- Contributed to the migration of the payments API to Kubernetes.
"""
LETTER = "Dear Acme,\n\nI apply.\n\nKind regards,\nSam\n"


def _run(folder, *, cv: str = CV, owner: str = "local", title: str = "Backend Engineer", company: str = "Acme Pay") -> tuple[int, int]:
    """A job with a succeeded run (CV.md and cover_letter.md); (job id, run id)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {"CV.md": cv, "cover_letter.md": LETTER}
    with session_scope() as s:
        job = Job(source="demo", external_id=f"{title}{owner}", title=title, company=company, company_norm=company.lower(), owner=owner)
        s.add(job)
        s.flush()
        run = Run(job_id=job.id, owner=owner, status="succeeded", out_dir=str(folder), finished_at=utcnow())
        s.add(run)
        s.flush()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
            s.add(Artifact(run_id=run.id, name=name, path=str(folder / name), size=len(text)))
        job.last_run_id = run.id
        return job.id, run.id


def _new_version(subject: str, markdown: str, base: int) -> None:
    from pipeline.store.cv import save_markdown_version

    with session_scope() as s:
        assert save_markdown_version(session=s, subject=subject, markdown=markdown, base_version=base).ok




def test_a_stored_version_downloads_exactly_and_a_missing_or_foreign_one_is_a_404(page_client, tmp_path):
    from pipeline.store.jobs import set_status
    from pipeline.store.tracking import sent_documents

    job_id, run_id = _run(tmp_path / "mine")
    assert page_client.get(routes.cv_md(run_id)).status_code == 200  # version 1 from the pipeline's CV.md
    with session_scope() as s:
        set_status(session=s, job_ids=[job_id], status="applied", key="apply")
        sent = {d.document: d.version for d in sent_documents(session=s, job_id=job_id)}
    assert sent == {"cv": 1, "letter": 1}
    _new_version(f"run:{run_id}", CV.replace("31%", "35%"), 1)
    _new_version(f"letter:{run_id}", LETTER.replace("I apply.", "I apply again."), 1)
    assert "35%" in page_client.get(routes.cv_md(run_id)).text, "without a version: the current one"
    r = page_client.get(routes.cv_md(run_id, sent["cv"]))
    assert r.status_code == 200 and "31%" in r.text and "35%" not in r.text
    assert "I apply." in page_client.get(routes.letter_md(run_id, sent["letter"])).text
    assert "again" in page_client.get(routes.letter_md(run_id)).text
    for url in (routes.cv_md(run_id, 9), routes.letter_md(run_id, 9), f"/files/runs/{run_id}/cv.md?version=0",
                f"/files/runs/{run_id}/cv.md?version=abc", f"/files/runs/{run_id}/letter.md?version=-1"):  # fmt: skip
        r = page_client.get(url)
        assert r.status_code == 404 and "Sam" not in r.text, url
    _, theirs = _run(tmp_path / "theirs", owner=user_owner(99), title="Theirs")
    for url in (routes.cv_md(theirs, 1), routes.cv_md(theirs), routes.letter_md(theirs, 1)):
        assert page_client.get(url).status_code == 404, url


def test_a_pdf_of_a_stored_version_is_the_sent_text(page_client, tmp_path):
    """The PDF route reads the same version (no browser: the render is stubbed to echo its input)."""
    import pipeline.runs.downloads as downloads

    async def fake_pdf(cv, **layout):
        path = tmp_path / "out.pdf"
        path.write_text(cv.markdown, encoding="utf-8")
        return path, type("Pdf", (), {"pages": 1})()

    _, run_id = _run(tmp_path / "pdf")
    page_client.get(routes.cv_md(run_id))
    _new_version(f"run:{run_id}", CV.replace("31%", "35%"), 1)
    downloads.cv_pdf, saved = fake_pdf, downloads.cv_pdf
    try:
        r = page_client.get(routes.cv_pdf(run_id, "classic", "A4", False, version=1))
    finally:
        downloads.cv_pdf = saved
    assert r.status_code == 200 and "31%" in r.text and r.headers["x-page-count"] == "1"


def _apply(job_id: int) -> None:
    from pipeline.store.jobs import set_status

    with session_scope() as s:
        set_status(session=s, job_ids=[job_id], status="applied", key=f"apply-{job_id}")


def test_a_run_whose_cv_contradicts_one_sent_to_the_company_logs_one_warning(default_store, tmp_path):
    import asyncio

    from pipeline.runs.events import MemorySink
    from pipeline.runs.runner import _warn_contradictions
    from pipeline.store.tracking import company_contradictions, contradiction_warning, job_tracking

    first, _ = _run(tmp_path / "a")
    _apply(first)
    second, run_id = _run(tmp_path / "b", title="Platform Engineer", cv=CV.replace("Senior Engineer", "Lead Engineer"))
    _, same_run = _run(tmp_path / "c", title="Data Engineer")
    _, other_run = _run(tmp_path / "d", title="Other", company="Other Co", cv=CV.replace("31%", "50%"))
    with session_scope() as s:
        line = contradiction_warning(session=s, run_id=run_id)
        assert contradiction_warning(session=s, run_id=same_run) is None, "the same story: nothing to say"
        assert contradiction_warning(session=s, run_id=other_run) is None, "another company"
        found = company_contradictions(session=s, job=s.get(Job, second))
        view = job_tracking(session=s, job_id=second)
        assert job_tracking(session=s, job_id=second, owner=user_owner(99)) is None
    assert line is not None and "Acme Pay for Backend Engineer" in line and 'Says "Lead Engineer"' in line and 'says "Senior Engineer"' in line
    assert [(c.title, [f.kind for f in c.flags]) for c in found] == [("Backend Engineer", ["title"])]
    assert view is not None and [c.title for c in view.contradictions] == ["Backend Engineer"] and view.sent == []
    sink = MemorySink(run_id)
    asyncio.run(_warn_contradictions(run_id, sink))
    assert [(ln.level, ln.step) for ln in sink.lines] == [("warning", "publish")] and sink.lines[0].message == line
    quiet = MemorySink(same_run)
    asyncio.run(_warn_contradictions(same_run, quiet))
    assert quiet.lines == []


def test_a_failing_contradiction_check_never_fails_the_run(default_store, monkeypatch):
    import asyncio

    import pipeline.store.tracking as tracking
    from pipeline.runs.events import MemorySink
    from pipeline.runs.runner import _warn_contradictions

    def broken(**_):
        raise RuntimeError("boom")

    monkeypatch.setattr(tracking, "contradiction_warning", broken)
    sink = MemorySink(1)
    asyncio.run(_warn_contradictions(1, sink))
    assert sink.lines == []


def test_a_sent_letter_is_dated_the_day_it_went_out(default_store, tmp_path):
    from datetime import UTC, date, datetime

    from pipeline.runs.downloads import _letter_at
    from pipeline.store.models import SentDocument

    job_id, run_id = _run(tmp_path / "letter")
    _apply(job_id)
    with session_scope() as s:
        for row in s.query(SentDocument).filter(SentDocument.job_id == job_id):
            row.sent_at = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    with session_scope() as s:
        assert _letter_at(session=s, run_id=run_id, owner="local", version=1).head.date == "4 March 2026"
        today = date.today()
        assert _letter_at(session=s, run_id=run_id, owner="local").head.date == f"{today.day} {today:%B %Y}", "the current letter: today"
        assert _letter_at(session=s, run_id=run_id, owner="local", version=7) is None


def test_the_api_hands_out_a_stored_version_too(page_client, tmp_path):
    from pipeline.accounts.tokens import create_token
    from pipeline.store.models import LOCAL_OWNER

    _, run_id = _run(tmp_path / "api")
    with session_scope() as s:
        _, token = create_token(session=s, owner=LOCAL_OWNER, name="api")
    auth_header = {"Authorization": f"Bearer {token}"}
    assert "31%" in page_client.get(f"/api/runs/{run_id}/documents/CV.md", headers=auth_header).text
    _new_version(f"run:{run_id}", CV.replace("31%", "35%"), 1)
    r = page_client.get(f"/api/runs/{run_id}/documents/CV.md", headers=auth_header, params={"version": 1})
    assert r.status_code == 200 and "31%" in r.text
    assert page_client.get(f"/api/runs/{run_id}/documents/CV.md", headers=auth_header, params={"version": 5}).status_code == 404
    assert page_client.get(f"/api/runs/{run_id}/documents/CV.md", headers=auth_header, params={"version": 0}).status_code == 422
