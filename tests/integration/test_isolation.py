"""test_isolation: the cases that start processes or talk to a service (the rest: tests/unit/test_isolation.py)."""

from __future__ import annotations

from tests.unit.test_isolation import _get, client, two_users  # noqa: F401 - shared helpers and fixtures


def test_a_downloads_her_application_pack(two_users, client):
    import io
    import zipfile

    t = two_users
    r = _get(client, f"/files/runs/{t['run_a']}/pack.zip", t["token_a"])
    assert r.status_code == 200 and r.headers["content-disposition"] == f'attachment; filename="application-{t["run_a"]}.zip"'
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert {"CV.md", "CV.pdf", "dossier.pdf", "result.json"} <= set(names), names


def test_a_downloads_her_pack_and_pdfs_through_the_api_and_b_cannot(two_users, client):
    """GET /api/runs/{id}/documents/...: the page's files for an API token (PDFs rendered, page count sent)."""
    import io
    import zipfile

    from pipeline.accounts.tokens import create_token
    from pipeline.store.db import session_scope

    t = two_users
    with session_scope() as s:
        _, token_a = create_token(session=s, owner=t["oa"], name="a")
        _, token_b = create_token(session=s, owner=t["ob"], name="b")
    client.cookies.clear()
    r = client.get(f"/api/runs/{t['run_a']}/documents/CV.pdf", headers={"Authorization": f"Bearer {token_a}"})
    assert r.status_code == 200 and r.content.startswith(b"%PDF") and r.headers["x-page-count"] == "1"
    r = client.get(f"/api/runs/{t['run_a']}/documents/pack.zip", headers={"Authorization": f"Bearer {token_a}"})
    names = set(zipfile.ZipFile(io.BytesIO(r.content)).namelist())
    assert {"CV.md", "CV.pdf", "CV.docx", "dossier.pdf", "letter.pdf", "cover_letter.docx", "result.json"} <= names, names
    for name in ("CV.pdf", "pack.zip", "dossier.pdf"):
        r = client.get(f"/api/runs/{t['run_a']}/documents/{name}", headers={"Authorization": f"Bearer {token_b}"})
        assert r.status_code == 404 and b"Secret project" not in r.content
