"""The Word and letter downloads over HTTP (no browser needed): a CV.docx and a
cover_letter.docx that Word opens, the letter's markdown as edited, and an empty CV that gets
a plain 422 instead of a crash."""

from __future__ import annotations

import io

from docx import Document

from pipeline.store.db import session_scope
from pipeline.store.models import Artifact, Job, Profile, Run, utcnow

CV = "# Ann Example\n\nCardiff · ann@example.com\n\n## Experience\n\n### Nurse — Ward 4\n\n- Led the falls audit.\n"


def _run(tmp_path, cv: str) -> int:
    folder = tmp_path / "run"
    folder.mkdir(exist_ok=True)
    files = {"CV.md": cv, "cover_letter.md": "Dear Ward 4,\n\nI care.\n\nKind regards,\nAnn Example\n"}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    with session_scope() as s:
        s.add(Profile(name="Ann", markdown=CV, confirmed_at=utcnow()))
        job = Job(source="demo", external_id=f"n{len(cv)}", title="Staff Nurse", company="Ward 4", description="Nursing.")
        s.add(job)
        s.flush()
        run = Run(job_id=job.id, status="succeeded", out_dir=str(folder), finished_at=utcnow())
        s.add(run)
        s.flush()
        s.add_all([Artifact(run_id=run.id, name=n, path=str(folder / n), size=1) for n in files])
        return run.id


def test_word_files_of_the_cv_and_letter(page_client, tmp_path):
    run_id = _run(tmp_path, CV)
    r = page_client.get(f"/files/runs/{run_id}/cv.docx?template=compact&page_size=Letter")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="CV.docx"' in r.headers["content-disposition"] and r.headers["x-content-type-options"] == "nosniff"
    doc = Document(io.BytesIO(r.content))
    assert [p.style.name for p in doc.paragraphs][:1] == ["Title"] and round(doc.sections[0].page_width.inches, 1) == 8.5
    r = page_client.get(f"/files/runs/{run_id}/letter.docx")
    texts = [p.text for p in Document(io.BytesIO(r.content)).paragraphs if p.text.strip()]
    assert texts[0] == "Ann Example" and "Application for Staff Nurse" in texts and texts[-1].endswith("Ann Example")
    r = page_client.get(f"/files/runs/{run_id}/letter.md")
    assert r.status_code == 200 and "Kind regards,\\\nAnn Example" in r.text


def test_an_empty_cv_gets_a_plain_reason_not_a_crash(page_client, tmp_path):
    run_id = _run(tmp_path, "   \n")
    r = page_client.get(f"/files/runs/{run_id}/cv.docx")
    assert r.status_code == 422 and "empty" in r.text.lower()


def test_the_api_hands_out_the_current_documents_in_the_jobs_layout(page_client, tmp_path):
    """GET /api/runs/{id}/documents/{name}: the same files as the page's links, for a token; the job's
    stored layout when the query names none; another owner's run is a 404; an empty CV a plain 422."""
    from pipeline.accounts.tokens import create_token
    from pipeline.store.models import LOCAL_OWNER, user_owner

    run_id = _run(tmp_path, CV)
    with session_scope() as s:
        job = s.get(Job, s.get(Run, run_id).job_id)
        job.layout = {"template": "modern", "page_size": "Letter"}
        s.add(job)
        _, token = create_token(session=s, owner=LOCAL_OWNER, name="api")
        _, stranger = create_token(session=s, owner=user_owner(99), name="other")
    auth = {"Authorization": f"Bearer {token}"}
    r = page_client.get(f"/api/runs/{run_id}/documents/CV.docx", headers=auth)
    assert r.status_code == 200 and 'filename="CV.docx"' in r.headers["content-disposition"]
    assert round(Document(io.BytesIO(r.content)).sections[0].page_width.inches, 1) == 8.5  # the job's Letter size
    r = page_client.get(f"/api/runs/{run_id}/documents/CV.docx", headers=auth, params={"page_size": "A4"})
    assert round(Document(io.BytesIO(r.content)).sections[0].page_width.inches, 2) == 8.27  # the query wins
    r = page_client.get(f"/api/runs/{run_id}/documents/cover_letter.md", headers=auth)
    assert r.status_code == 200 and "Kind regards" in r.text and r.headers["x-content-type-options"] == "nosniff"
    assert page_client.get(f"/api/runs/{run_id}/documents/CV.md", headers=auth).text.startswith("# Ann Example")
    for url, headers in ((f"/api/runs/{run_id}/documents/CV.md", {"Authorization": f"Bearer {stranger}"}), (f"/api/runs/{run_id + 99}/documents/CV.md", auth)):
        r = page_client.get(url, headers=headers)
        assert r.status_code == 404 and "Ann" not in r.text
    assert page_client.get(f"/api/runs/{run_id}/documents/CV.md", headers={}).status_code == 401
    assert page_client.get(f"/api/runs/{run_id}/documents/secrets.txt", headers=auth).status_code == 422
    (tmp_path / "empty").mkdir()
    empty = _run(tmp_path / "empty", "   \n")
    r = page_client.get(f"/api/runs/{empty}/documents/CV.docx", headers=auth)
    assert r.status_code == 422 and "empty" in r.json()["detail"].lower()
