"""Owner isolation: user B can never read, stream, download or process user A's data.

Each test sets up A's data and then tries, as B (and as nobody), every way in
that exists: store queries, runs, CV versions, results, the /files download
routes, and the live log's run lookup."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from pipeline.accounts import auth
from pipeline.accounts.ratelimit import RateLimiter
from pipeline.accounts.scope import owned_run_ids
from pipeline.accounts.sessions import SESSION_COOKIE, create_session
from pipeline.accounts.users import add_user
from pipeline.cv.letter import open_letter, open_outreach
from pipeline.runs.documents import current_cv, cv_subject, dossier_html
from pipeline.runs.queue import batch_summaries, queue_runs, recent_runs, request_cancel, retry_run
from pipeline.runs.results import artifact_path, latest_result, latest_result_for_run
from pipeline.settings import settings
from pipeline.store.cv import list_versions, restore_version, save_version
from pipeline.store.db import session_scope
from pipeline.store.export import export_jobs
from pipeline.store.jobs import (
    JobQuery,
    add_note,
    archive_jobs,
    get_job,
    jobs_by_ids,
    list_jobs,
    matching_ids,
    new_key,
    set_status,
    status_counts,
)
from pipeline.store.models import Artifact, Job, Run, RunEvent, user_owner
from tests.unit.test_accounts import wipe_accounts

PW = "correct horse battery"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two_users(default_store, tmp_path, monkeypatch):
    """A (with a job, a finished run, artifacts, log lines, a CV version) and B (a job of her own)."""
    wipe_accounts()
    monkeypatch.setattr(settings, "login_password", None)
    monkeypatch.setattr(settings, "redis_url", None)
    monkeypatch.setattr(auth, "by_ip", RateLimiter("iso-ip", 100, 900))
    auth.reset_caches()
    folder = tmp_path / "applications" / "Acme" / "1"
    folder.mkdir(parents=True)
    (folder / "CV.md").write_text("# Ann A\n\n- Secret project for Acme.\n")
    (folder / "dossier.md").write_text("# Dossier\n\nAcme research.\n")
    (folder / "result.json").write_text(json.dumps({"fit_score": 80}))
    (folder / "cover_letter.md").write_text("Dear Acme,\n\nSecret project letter.\n")
    with session_scope() as s:
        a = add_user(session=s, email="a@example.org", password=PW)
        b = add_user(session=s, email="b@example.org", password=PW)
        oa, ob = user_owner(a.id), user_owner(b.id)
        ja = Job(owner=oa, source="paste", external_id="a1", title="A's secret job", company="Acme", description="for A")
        jb = Job(owner=ob, source="paste", external_id="b1", title="B's job", company="Beta", description="for B")
        s.add(ja)
        s.add(jb)
        s.flush()
        run = Run(job_id=ja.id, owner=oa, status="succeeded", out_dir=str(folder))
        s.add(run)
        s.flush()
        for name in ("CV.md", "dossier.md", "result.json", "cover_letter.md"):
            s.add(Artifact(run_id=run.id, name=name, path=str(folder / name)))
        s.add(RunEvent(run_id=run.id, seq=1, message="A's log line"))
        s.commit()
        ids = {"a": a.id, "b": b.id, "oa": oa, "ob": ob, "job_a": ja.id, "job_b": jb.id, "run_a": run.id}
        ids["token_a"] = create_session(session=s, user=a)
        ids["token_b"] = create_session(session=s, user=b)
    auth.reset_caches()
    with session_scope() as s:
        current_cv(session=s, run_id=ids["run_a"], owner=ids["oa"])  # creates CV version 1 for A
    return ids


def test_job_queries_and_changes_see_only_the_owners_jobs(two_users):
    t = two_users
    with session_scope() as s:
        page = list_jobs(session=s, query=JobQuery(owner=t["ob"]))
        assert [r["title"] for r in page.rows] == ["B's job"] and page.total == 1
        assert matching_ids(session=s, query=JobQuery(owner=t["ob"])) == [t["job_b"]]
        assert sum(status_counts(session=s, query=JobQuery(owner=t["ob"])).values()) == 1
        assert get_job(session=s, job_id=t["job_a"], owner=t["ob"]) is None
        assert jobs_by_ids(session=s, job_ids=[t["job_a"], t["job_b"]], owner=t["ob"])[0].id == t["job_b"]
        assert set_status(session=s, job_ids=[t["job_a"]], status="applied", key=new_key(), owner=t["ob"]) == 0
        assert archive_jobs(session=s, job_ids=[t["job_a"]], key=new_key(), owner=t["ob"]) == []
        assert "secret" not in export_jobs(session=s, job_ids=[t["job_a"]], fmt="json", owner=t["ob"])
        with pytest.raises((LookupError, ValueError)):
            if not add_note(session=s, job_id=t["job_a"], text="hi", key=new_key(), owner=t["ob"]):
                raise LookupError("refused")
        s.commit()
        job_a = s.get(Job, t["job_a"])
        assert job_a.status == "new" and job_a.archived_at is None and job_a.notes_count == 0


def test_b_cannot_process_cancel_or_retry_a_job_or_run(two_users):
    t = two_users
    with session_scope() as s:
        queued = queue_runs(session=s, job_ids=[t["job_a"]], owner=t["ob"])
        assert queued.run_ids == [] and queued.batch_id is None
        with pytest.raises(LookupError):
            request_cancel(session=s, run_id=t["run_a"], owner=t["ob"])
        with pytest.raises(LookupError):
            retry_run(session=s, run_id=t["run_a"], owner=t["ob"])
        assert recent_runs(session=s, owner=t["ob"]) == []
        assert batch_summaries(session=s, owner=t["ob"]) == []
        assert len(s.exec(select(Run)).all()) == 1


def test_results_documents_and_cv_versions_are_the_owners_only(two_users):
    t = two_users
    subject = cv_subject(t["run_a"])
    with session_scope() as s:
        assert artifact_path(session=s, run_id=t["run_a"], name="CV.md", owner=t["oa"]) is not None
        assert artifact_path(session=s, run_id=t["run_a"], name="CV.md", owner=t["ob"]) is None
        assert latest_result(session=s, job_id=t["job_a"], owner=t["ob"]) is None
        assert latest_result_for_run(session=s, run_id=t["run_a"], owner=t["ob"]) is None
        assert current_cv(session=s, run_id=t["run_a"], owner=t["ob"]) is None
        assert dossier_html(session=s, run_id=t["run_a"], owner=t["ob"]) is None
        assert open_letter(session=s, run_id=t["run_a"], owner=t["ob"]) is None and open_letter(session=s, run_id=t["run_a"], owner=t["oa"]) is not None
        assert open_outreach(session=s, run_id=t["run_a"], owner=t["ob"]) is None
        for attempt in (lambda: list_versions(session=s, subject=subject, owner=t["ob"]),
                        lambda: save_version(session=s, subject=subject, html="<p>B was here</p>", base_version=1, owner=t["ob"]),
                        lambda: restore_version(session=s, subject=subject, version=1, owner=t["ob"])):
            with pytest.raises(LookupError):
                attempt()
        assert [v.version for v in list_versions(session=s, subject=subject, owner=t["oa"])] == [1]


def test_the_live_log_follows_only_the_owners_runs(two_users):
    t = two_users
    with session_scope() as s:
        assert owned_run_ids(session=s, owner=t["oa"], run_ids=[t["run_a"], 999]) == [t["run_a"]]
        assert owned_run_ids(session=s, owner=t["ob"], run_ids=[t["run_a"]]) == []


# ------------------------------------------------------------------ HTTP downloads


@pytest.fixture
def client(two_users):
    from jobapp.jobapp import api

    with TestClient(api, base_url="http://127.0.0.1") as c:
        yield c


def _get(client, url, token):
    client.cookies.clear()
    if token:
        client.cookies.set(SESSION_COOKIE, token)
    return client.get(url)


@pytest.mark.parametrize(
    "path", ["artifacts/CV.md", "artifacts/result.json", "cv.md", "cv.pdf", "cv.docx", "dossier.pdf", "pack.zip", "letter.md", "letter.pdf", "letter.docx"],
)
def test_b_and_strangers_get_404_for_a_files(two_users, client, path):
    t = two_users
    url = f"/files/runs/{t['run_a']}/{path}"
    for token in (t["token_b"], None, "forged-token", t["token_b"] + "x"):
        r = _get(client, url, token)
        assert r.status_code == 404, (path, token, r.status_code)
        assert b"Secret project" not in r.content


def test_a_downloads_her_own_files(two_users, client):
    t = two_users
    r = _get(client, f"/files/runs/{t['run_a']}/cv.md", t["token_a"])
    assert r.status_code == 200 and "Secret project" in r.text
    r = _get(client, f"/files/runs/{t['run_a']}/artifacts/result.json", t["token_a"])
    assert r.status_code == 200 and r.json()["fit_score"] == 80
    r = _get(client, f"/files/runs/{t['run_a']}/letter.md", t["token_a"])
    assert r.status_code == 200 and "Secret project letter" in r.text


def test_a_signed_out_session_downloads_nothing(two_users, client):
    t = two_users
    auth.logout(t["token_a"])
    assert _get(client, f"/files/runs/{t['run_a']}/cv.md", t["token_a"]).status_code == 404


# ------------------------------------------------------------------ the UI's handlers

ID_PARAMS = {"run_id", "job_id", "batch_id", "token_id", "ids", "job_ids", "run_ids"}
# Handlers that take an id but only touch this tab's own view state (no store access).
VIEW_ONLY = {("job_actions.py", "toggle_row"), ("runs.py", "follow_batch")}
# Handlers that only hand the id to another state's handler, which is checked here itself.
DELEGATING = {("matches.py", "shortlist"), ("matches.py", "process"), ("matches.py", "open_job"), ("today.py", "open_job")}
# The hand-offs (jobapp/state/handoffs.py) they do that through, and the checked handler each one runs.
HANDOFFS = {"set_job_status": "set_row_status", "process_job": "process_row", "open_job": "open"}


def _handlers():
    for path in sorted((ROOT / "jobapp" / "state").glob("*.py")):
        tree = ast.parse(path.read_text())
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            for fn in (n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
                params = {a.arg for a in fn.args.args}
                if params & ID_PARAMS and not fn.name.startswith("_"):
                    yield path.name, fn, cls


def _calls(fn, cls=None) -> set[str]:
    """The attribute calls in `fn`, and in the same class's helpers it calls (one level: `self._read()`)."""
    found = {n.func.attr for n in ast.walk(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    helpers = {n.name: n for n in (cls.body if cls is not None else []) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for name in list(found):
        if name.startswith("_") and name in helpers and helpers[name] is not fn:
            found |= _calls(helpers[name])
    return found


def test_every_handler_taking_an_id_resolves_the_signed_in_owner():
    """A handler given a bare id from the browser must scope it by `self._owner()` (directly or via
    the helper it calls), or be declared view-only above. A new handler that forgets fails here."""
    found = list(_handlers())
    assert len(found) >= 6
    for fname, fn, cls in found:
        if (fname, fn.name) in VIEW_ONLY:
            continue
        calls = _calls(fn, cls)
        if (fname, fn.name) in DELEGATING:
            assert calls & {"set_row_status", "process_row", "open", *HANDOFFS}, f"{fname}:{fn.name} no longer delegates to a checked handler"
            continue
        assert calls & {"_owner", "_refresh", "_reload", "_open_run", "_process", "_archive"}, f"{fname}:{fn.name} never asks whose data this is"


def test_the_hand_offs_delegating_handlers_use_run_the_checked_handlers():
    from jobapp.state import handoffs

    for name, handler in HANDOFFS.items():
        spec = getattr(handoffs, name)(*((1, "shortlisted") if name == "set_job_status" else (1,)))
        assert spec.handler.fn.__name__ == handler, f"handoffs.{name} no longer runs the checked {handler}"
