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
