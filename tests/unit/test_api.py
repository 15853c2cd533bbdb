"""The REST API: auth, owner isolation, idempotency, rate limits, validation, SSE."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest
from starlette.applications import Starlette

from jobapp.api import api_mount, install_security
from jobapp.api.sse import run_event_stream
from pipeline.accounts.tokens import create_token, revoke_token
from pipeline.runs.bus import bus as local_bus
from pipeline.runs.events import LogLine
from pipeline.store.db import get_engine, session_scope
from pipeline.store.models import LOCAL_OWNER, Artifact, Job, Profile, Run, RunEvent, user_owner, utcnow

CV = "# Jane Doe\n\n## Experience\n\n- Built data pipelines in Python and SQL for logistics.\n"
DESC = "We move freight across Europe. You will build our data platform in Python and SQL. " * 3
OTHER = user_owner(99)


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def store(db_kind, request, default_store, tmp_path, monkeypatch):
    """Scratch store (SQLite, then PostgreSQL) with two owners' jobs and runs, and a token for each."""
    from pipeline.settings import settings
    from tests.conftest import wipe_postgres

    monkeypatch.setattr(settings, "redis_url", None)
    local_bus.clear()  # the store starts again at run 1: earlier tests' lines for run 1 must not show
    if db_kind == "postgres":
        url = request.getfixturevalue("pg_database")
        # The app's sessions use get_engine() (cached for the default URL): point it at PostgreSQL.
        monkeypatch.setitem(settings.__dict__, "db_url", url)
        get_engine.cache_clear()
        request.addfinalizer(get_engine.cache_clear)
        with get_engine().begin() as conn:
            wipe_postgres(conn)
        assert get_engine().dialect.name == "postgresql"
    ids: dict[str, object] = {"db": db_kind}
    with session_scope() as s:
        s.add(Profile(name="Jane", markdown=CV, confirmed_at=utcnow()))
        mine = Job(source="demo", external_id="m1", title="Data Engineer", company="Acme", description=DESC)
        theirs = Job(source="demo", external_id="t1", title="Data Engineer", company="Other", description=DESC, owner=OTHER)
        s.add_all([mine, theirs])
        s.flush()
        folder = tmp_path / "runs" / "mine"
        folder.mkdir(parents=True)
        (folder / "CV.md").write_text("# Jane\n", encoding="utf-8")
        (folder / "page.html").write_text("<script>alert(1)</script>", encoding="utf-8")
        run = Run(job_id=mine.id, status="succeeded", out_dir=str(folder), cost_usd=0.01, finished_at=utcnow())
        other_folder = tmp_path / "runs" / "theirs"
        other_folder.mkdir(parents=True)
        (other_folder / "CV.md").write_text("# Other\n", encoding="utf-8")
        other_run = Run(job_id=theirs.id, owner=OTHER, status="succeeded", out_dir=str(other_folder), finished_at=utcnow())
        s.add_all([run, other_run])
        s.flush()
        s.add_all([
            Artifact(run_id=run.id, name="CV.md", path=str(folder / "CV.md"), size=7),
            Artifact(run_id=run.id, name="page.html", path=str(folder / "page.html"), size=25),
            Artifact(run_id=other_run.id, name="CV.md", path=str(other_folder / "CV.md"), size=8),
        ])
        s.add_all([RunEvent(run_id=run.id, seq=i, step="intake", message=f"line {i}") for i in range(1, 6)])
        s.add_all([RunEvent(run_id=other_run.id, seq=1, message="secret of another user")])
        _, ids["token"] = create_token(session=s, owner=LOCAL_OWNER, name="test")
        _, ids["other_token"] = create_token(session=s, owner=OTHER, name="other")
        ids.update(job=mine.id, other_job=theirs.id, run=run.id, other_run=other_run.id)
    return ids


def make_app(rate_limit: int = 1000) -> Starlette:
    """The API composed exactly as jobapp.jobapp composes it (without the page)."""
    app = Starlette(routes=[api_mount(rate_limit=rate_limit)])
    install_security(app)
    return app


def call(app, method: str, url: str, *, token: str | None = None, **kw) -> httpx.Response:
    headers = dict(kw.pop("headers", {}) or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"

    async def go():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
            return await c.request(method, url, headers=headers, **kw)

    return asyncio.run(go())


def sse_events(body: str) -> list[dict]:
    out = []
    for block in body.split("\n\n"):
        ev: dict = {}
        for line in block.splitlines():
            if line.startswith(":") or ":" not in line:
                continue
            k, v = line.split(":", 1)
            ev[k] = v.strip()
        if "event" in ev:
            ev["data"] = json.loads(ev["data"])
            out.append(ev)
    return out


# ---------------------------------------------------------------- auth


ENDPOINTS = [
    ("GET", "/api/runs/{run}"), ("GET", "/api/runs/{run}/events"), ("GET", "/api/runs/{run}/artifacts/CV.md"),
    ("GET", "/api/runs/{run}/documents/CV.md"),
    ("GET", "/api/jobs"), ("POST", "/api/jobs"), ("POST", "/api/runs"),
]


@pytest.mark.parametrize("method,path", ENDPOINTS)
def test_every_endpoint_needs_a_live_token(store, method, path):
    app = make_app()
    url = path.format(run=store["run"])
    body = {"json": {"job_ids": [store["job"]]}} if path == "/api/runs" else {"json": {"paste": {"text": "x"}}} if method == "POST" else {}
    missing = call(app, method, url, **body)
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert "tokens create" in missing.json()["detail"]
    wrong = call(app, method, url, token="jat_not-a-real-token", **body)
    assert wrong.status_code == 401 and 'error="invalid_token"' in wrong.headers["WWW-Authenticate"]
    basic = call(app, method, url, headers={"Authorization": "Basic dXNlcjpwYXNz"}, **body)
    assert basic.status_code == 401


def test_revoked_token_is_refused_at_once(store):
    app = make_app()
    assert call(app, "GET", "/api/jobs", token=store["token"]).status_code == 200
    with session_scope() as s:
        from pipeline.accounts.tokens import list_tokens

        token_id = list_tokens(session=s, owner=LOCAL_OWNER)[0].id
        assert revoke_token(session=s, owner=OTHER, token_id=token_id) is False, "another owner cannot revoke it"
        assert revoke_token(session=s, owner=LOCAL_OWNER, token_id=token_id) is True
    assert call(app, "GET", "/api/jobs", token=store["token"]).status_code == 401


def test_token_use_is_recorded_at_most_once_a_minute(store):
    from pipeline.accounts.tokens import list_tokens, verify_token

    with session_scope() as s:
        first = verify_token(session=s, secret=store["token"]).last_used_at
    with session_scope() as s:
        assert verify_token(session=s, secret=store["token"]).last_used_at == first
        assert list_tokens(session=s, owner=LOCAL_OWNER)[0].token_hash != store["token"], "only the hash is stored"


# ---------------------------------------------------------------- owner isolation


def test_owner_isolation_on_every_endpoint(store):
    app = make_app()
    mine, theirs = store["run"], store["other_run"]
    t = store["token"]
    assert call(app, "GET", f"/api/runs/{mine}", token=t).status_code == 200
    for url in (f"/api/runs/{theirs}", f"/api/runs/{theirs}/events", f"/api/runs/{theirs}/artifacts/CV.md", "/api/runs/999999"):
        r = call(app, "GET", url, token=t)
        assert r.status_code == 404, url
        assert "secret of another user" not in r.text
    r = call(app, "POST", "/api/runs", token=t, json={"job_ids": [store["other_job"]]})
    assert r.status_code == 404 and "Nothing was queued" in r.json()["detail"]
    with session_scope() as s:
        assert s.query(Run).filter(Run.job_id == store["other_job"]).count() == 1, "no run was queued for the other owner's job"
    titles = {row["company"] for row in call(app, "GET", "/api/jobs", token=t).json()["rows"]}
    assert titles == {"Acme"}
    other = {row["company"] for row in call(app, "GET", "/api/jobs", token=store["other_token"]).json()["rows"]}
    assert other == {"Other"}
    assert call(app, "GET", f"/api/runs/{mine}", token=store["other_token"]).status_code == 404


# ---------------------------------------------------------------- runs


def test_get_run_reports_state_cost_and_artifacts(store):
    r = call(make_app(), "GET", f"/api/runs/{store['run']}", token=store["token"])
    body = r.json()
    assert body["status"] == "succeeded" and body["cost_usd"] == 0.01 and body["job_id"] == store["job"]
    assert [a["name"] for a in body["artifacts"]] == ["CV.md", "page.html"]
    assert body["artifacts"][0]["url"] == f"/api/runs/{store['run']}/artifacts/CV.md"


def test_artifact_download_is_an_attachment_in_a_sandbox(store):
    app = make_app()
    r = call(app, "GET", f"/api/runs/{store['run']}/artifacts/page.html", token=store["token"])
    assert r.status_code == 200 and r.text == "<script>alert(1)</script>"
    assert r.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    for name in ("..%2Fsecret", ".env", "missing.md"):
        assert call(app, "GET", f"/api/runs/{store['run']}/artifacts/{name}", token=store["token"]).status_code == 404


def test_post_runs_queues_like_the_page_and_skips_busy_jobs(store, monkeypatch):
    dispatched: list[list[int]] = []
    monkeypatch.setattr("pipeline.runs.dispatch.runs_queued", lambda ids: dispatched.append(list(ids)))
    app = make_app()
    r = call(app, "POST", "/api/runs", token=store["token"], json={"job_ids": [store["job"]]})
    assert r.status_code == 202
    body = r.json()
    assert len(body["run_ids"]) == 1 and body["skipped"] == [] and body["batch_id"]
    assert dispatched == [body["run_ids"]]
    again = call(app, "POST", "/api/runs", token=store["token"], json={"job_ids": [store["job"]]}).json()
    assert again["run_ids"] == [] and again["skipped"] == [store["job"]]
    with session_scope() as s:
        run = s.get(Run, body["run_ids"][0])
        assert run.status == "queued" and run.owner == LOCAL_OWNER


@pytest.mark.parametrize("payload,needle", [
    ({}, "job_ids"),
    ({"job_ids": []}, "at least 1"),
    ({"job_ids": ["x"]}, "integer"),
    ({"job_ids": [1], "extra": 1}, "extra"),
    ({"job_ids": list(range(1, 502))}, "at most 500"),
])
def test_post_runs_validation_errors_are_clear(store, payload, needle):
    r = call(make_app(), "POST", "/api/runs", token=store["token"], json=payload)
    assert r.status_code == 422
    assert needle in json.dumps(r.json())


def test_malformed_json_and_oversized_bodies_are_4xx(store):
    app = make_app()
    r = call(app, "POST", "/api/runs", token=store["token"], content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    r = call(app, "POST", "/api/runs", token=store["token"], content=b"[" + b"1," * 40_000 + b"1]", headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "larger than" in r.json()["detail"]


# ---------------------------------------------------------------- idempotency


def test_idempotency_key_replays_and_refuses_a_different_body(store, monkeypatch):
    dispatched: list[list[int]] = []
    monkeypatch.setattr("pipeline.runs.dispatch.runs_queued", lambda ids: dispatched.append(list(ids)))
    app = make_app()
    key = {"Idempotency-Key": "3f1c6a0e-retry-me"}
    first = call(app, "POST", "/api/runs", token=store["token"], json={"job_ids": [store["job"]]}, headers=key)
    second = call(app, "POST", "/api/runs", token=store["token"], json={"job_ids": [store["job"]]}, headers=key)
    assert first.status_code == second.status_code == 202
    assert second.json() == first.json() and first.json()["run_ids"], "the retry got the first answer, not 'skipped'"
    assert second.headers["Idempotent-Replayed"] == "true"
    assert len(dispatched) == 1, "a replay dispatches nothing"
    conflict = call(app, "POST", "/api/runs", token=store["token"], json={"job_ids": [store["job"], store["job"]]}, headers=key)
    assert conflict.status_code == 409 and "different request" in conflict.json()["detail"]
    # Keys are per owner: the other owner's identical key is a fresh request (and 404s on this job).
    assert call(app, "POST", "/api/runs", token=store["other_token"], json={"job_ids": [store["job"]]}, headers=key).status_code == 404


def test_failed_request_does_not_burn_the_key(store):
    app = make_app()
    key = {"Idempotency-Key": "k-404"}
    assert call(app, "POST", "/api/runs", token=store["token"], json={"job_ids": [424242]}, headers=key).status_code == 404
    r = call(app, "POST", "/api/jobs", token=store["token"], json={"paste": {"text": "Title: Analyst\nCompany: Beta\n\nAnalyse things."}}, headers=key)
    assert r.status_code == 201, "the 404 stored nothing under the key"


# ---------------------------------------------------------------- rate limit


def test_rate_limit_per_token_with_retry_after(store):
    app = make_app(rate_limit=3)
    codes = [call(app, "GET", "/api/jobs", token=store["token"]).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = call(app, "GET", "/api/jobs", token=store["token"])
    assert 1 <= int(r.headers["Retry-After"]) <= 60 and "Rate limit" in r.json()["detail"]
    assert call(app, "GET", "/api/jobs", token=store["other_token"]).status_code == 200, "another token has its own budget"


# ---------------------------------------------------------------- jobs


def test_import_jobs_reports_bad_rows_and_keeps_good_ones(store):
    app = make_app()
    body = {"jobs": [
        {"title": "Platform Engineer", "company": "Gamma", "location": "Berlin", "description": "Kubernetes."},
        {"company": "No title"},
        {"job_title": "ML Engineer", "employer": "Delta", "job_description": "Models.", "jobId": 7},
    ]}
    r = call(app, "POST", "/api/jobs", token=store["token"], json=body)
    assert r.status_code == 201
    out = r.json()
    assert out["imported"] == 2 and len(out["job_ids"]) == 2
    assert [e["line"] for e in out["errors"]] == [2] and "title" in out["errors"][0]["error"].lower()
    again = call(app, "POST", "/api/jobs", token=store["token"], json=body)
    assert again.status_code == 200 and again.json()["skipped"] == 2
    rows = call(app, "GET", "/api/jobs", token=store["token"], params={"q": "engineer", "sort": "title", "desc": "false"}).json()["rows"]
    assert [r["title"] for r in rows] == ["Data Engineer", "ML Engineer", "Platform Engineer"]
    assert call(app, "GET", "/api/jobs", token=store["other_token"], params={"q": "gamma"}).json()["total"] == 0


def test_a_paste_without_a_title_is_a_row_error_not_a_rejected_request(store):
    """Schema-valid input is accepted (the API fuzz test found `{"paste": {"text": "-"}}` answered 422)."""
    app = make_app()
    r = call(app, "POST", "/api/jobs", token=store["token"], json={"paste": {"text": "-"}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["imported"] == 0 and body["job_ids"] == [] and body["errors"][0]["line"] == 1
    assert "title" in body["errors"][0]["error"]


def test_a_paste_of_only_nul_characters_is_a_row_error_not_a_server_error(store):
    """NULs are dropped before storing; a paste of nothing else is empty (the API fuzz test found
    `{"paste": {"text": "\\u0000"}}` raised a ValidationError, a 500)."""
    app = make_app()
    r = call(app, "POST", "/api/jobs", token=store["token"], json={"paste": {"text": "\u0000\u0000"}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["imported"] == 0 and body["job_ids"] == []
    assert body["errors"] == [{"line": 1, "error": "text is empty once NUL characters are removed"}]


def test_links_that_are_all_blank_are_row_errors_not_a_rejected_request(store):
    """The API fuzz test found `{"urls": [""]}` answered 422 ("give at least one link") for schema-valid input."""
    app = make_app()
    r = call(app, "POST", "/api/jobs", token=store["token"], json={"urls": ["", " \u0000 "]})
    assert r.status_code == 200, r.text
    assert r.json()["errors"] == [{"line": 1, "error": "the link is empty"}, {"line": 2, "error": "the link is empty"}]


def test_import_paste_and_list_filters(store):
    app = make_app()
    r = call(app, "POST", "/api/jobs", token=store["token"], json={"paste": {"text": "Title: Analyst\nCompany: Beta\n\nAnalyse things.", "location": "Oslo"}})
    assert r.status_code == 201
    page = call(app, "GET", "/api/jobs", token=store["token"], params={"status": "new", "page_size": 1}).json()
    assert page["total"] == 2 and page["pages"] == 2 and len(page["rows"]) == 1
    for params, needle in (({"status": "bogus"}, "shortlisted"), ({"sort": "secret"}, "fit_score"), ({"page_size": 0}, "page_size")):
        bad = call(app, "GET", "/api/jobs", token=store["token"], params=params)
        assert bad.status_code == 422 and needle in json.dumps(bad.json()), params
    both = call(app, "POST", "/api/jobs", token=store["token"], json={"jobs": [{"title": "x"}], "paste": {"text": "y"}})
    assert both.status_code == 422 and "extra" in json.dumps(both.json()).lower()
    assert call(app, "POST", "/api/jobs", token=store["token"], json={}).status_code == 422


# ---------------------------------------------------------------- SSE


def test_sse_history_resume_and_end(store):
    app = make_app()
    r = call(app, "GET", f"/api/runs/{store['run']}/events", token=store["token"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = sse_events(r.text)
    logs = [e for e in events if e["event"] == "log"]
    assert [int(e["id"]) for e in logs] == [1, 2, 3, 4, 5]
    assert logs[0]["data"]["message"] == "line 1"
    assert events[-1]["event"] == "end" and events[-1]["data"]["status"] == "succeeded"
    resumed = sse_events(call(app, "GET", f"/api/runs/{store['run']}/events", token=store["token"], headers={"Last-Event-ID": "3"}).text)
    assert [int(e["id"]) for e in resumed if e["event"] == "log"] == [4, 5]
    by_query = sse_events(call(app, "GET", f"/api/runs/{store['run']}/events?after=4", token=store["token"]).text)
    assert [int(e["id"]) for e in by_query if e["event"] == "log"] == [5]


def test_sse_delivers_live_bus_lines_and_heartbeats(store):
    """History from the store, then lines that exist only on the bus, then the end."""
    with session_scope() as s:
        run = Run(job_id=store["job"], status="running")
        s.add(run)
        s.flush()
        s.add(RunEvent(run_id=run.id, seq=1, message="stored"))
        run_id = run.id

    async def go():
        async def connected() -> bool:
            return False

        stream = run_event_stream(run_id, 0, is_disconnected=connected, heartbeat=0.2)
        assert (await anext(stream)).startswith("retry:")
        first = await anext(stream)
        assert "id: 1\n" in first and "stored" in first
        assert "event: status" in await anext(stream)
        assert await anext(stream) == ": heartbeat\n\n", "an idle stream sends comments"
        for seq in (2, 3):
            local_bus.publish(LogLine(run_id, seq, utcnow(), "info", "fit", f"live {seq}"))
        live = [await anext(stream), await anext(stream)]
        assert "id: 2\n" in live[0] and "live 2" in live[0] and "id: 3\n" in live[1]
        with session_scope() as s:
            s.add(RunEvent(run_id=run_id, seq=2, message="live 2"))
            s.add(RunEvent(run_id=run_id, seq=3, message="live 3"))
            s.get(Run, run_id).status = "failed"
        local_bus.touch()
        rest = [chunk async for chunk in stream]
        assert not any("id: 2\n" in c or "id: 3\n" in c for c in rest), "no line twice"
        assert "event: end" in rest[-1] and '"failed"' in rest[-1]

    asyncio.run(asyncio.wait_for(go(), 20))


def test_sse_stops_when_the_client_disconnects(store):
    with session_scope() as s:
        run = Run(job_id=store["job"], status="running")
        s.add(run)
        s.flush()
        run_id = run.id

    async def go():
        async def gone() -> bool:
            return True

        chunks = [c async for c in run_event_stream(run_id, 0, is_disconnected=gone, heartbeat=5)]
        assert not any("event: end" in c for c in chunks)

    asyncio.run(asyncio.wait_for(go(), 10))


def test_real_run_through_the_dispatcher_streams_to_the_end(store):
    """POST /api/runs, the local dispatcher runs the offline pipeline, the SSE stream has every line."""
    from pipeline.runs.local import LocalDispatcher
    from tests.support.scripted_analyst import ScriptedAnalyst

    app = make_app()

    async def go():
        dispatcher = LocalDispatcher(poll_seconds=0.05, analyst_factory=lambda: ScriptedAnalyst(delay=0.05))
        task = asyncio.create_task(dispatcher.run_forever())
        try:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
                auth = {"Authorization": f"Bearer {store['token']}"}
                queued = await c.post("/api/runs", json={"job_ids": [store["job"]]}, headers=auth)
                assert queued.status_code == 202, queued.text
                run_id = queued.json()["run_ids"][0]
                stream = await c.get(f"/api/runs/{run_id}/events", headers=auth)  # returns when the run has ended
                events = sse_events(stream.text)
                state = (await c.get(f"/api/runs/{run_id}", headers=auth)).json()
                return run_id, events, state
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    started = time.monotonic()
    run_id, events, state = asyncio.run(asyncio.wait_for(go(), 120))
    assert events[-1]["event"] == "end" and events[-1]["data"]["status"] == state["status"] == "succeeded", state
    seqs = [int(e["id"]) for e in events if e["event"] == "log"]
    with session_scope() as s:
        stored = [e.seq for e in s.query(RunEvent).filter(RunEvent.run_id == run_id).order_by(RunEvent.seq)]
    assert seqs == stored and len(seqs) >= 5, "every stored line, in order, once"
    assert any(e["event"] == "status" and e["data"]["status"] == "running" for e in events)
    assert {a["name"] for a in state["artifacts"]} >= {"CV.md", "result.json"}
    assert time.monotonic() - started < 120


# ---------------------------------------------------------------- schema


def test_openapi_document_is_served_with_bearer_auth(store):
    r = call(make_app(), "GET", "/api/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["servers"] == [{"url": "/api"}]
    assert set(doc["paths"]) == {"/runs", "/runs/{run_id}", "/runs/{run_id}/events", "/runs/{run_id}/artifacts/{name}", "/runs/{run_id}/documents/{name}", "/jobs"}
    assert doc["components"]["securitySchemes"]["ApiToken"]["scheme"] == "bearer"
    assert call(make_app(), "GET", "/api/docs").status_code == 404, "no Swagger UI (it needs a CDN)"


def test_cli_tokens_create_list_revoke(store, capsys):
    from pipeline.__main__ import main

    assert main(["tokens", "create", "--name", "ci"]) == 0
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("jat_") and len(secret) > 40
    assert call(make_app(), "GET", "/api/jobs", token=secret).status_code == 200
    assert main(["tokens", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert secret not in json.dumps(listed)
    ci = next(t for t in listed if t["name"] == "ci")
    assert main(["tokens", "revoke", str(ci["id"])]) == 0
    assert call(make_app(), "GET", "/api/jobs", token=secret).status_code == 401
    assert main(["tokens", "revoke", str(ci["id"])]) == 4
    assert main(["tokens", "create", "--user", "nobody@example.com"]) == 4
    assert "no account" in capsys.readouterr().err


def test_concurrent_first_attempts_with_one_key_queue_once(store):
    """Two retries racing with the same key: one does the work, the other replays its answer."""
    import threading

    from pipeline.runs.queue import queue_runs
    from pipeline.store.idempotency import run_once
    from pipeline.store.models import Batch

    barrier = threading.Barrier(2, timeout=10)
    answers: list = []

    def work(session):
        barrier.wait()  # both attempts have looked the key up and found nothing
        queued = queue_runs(session=session, job_ids=[store["job"]], owner=LOCAL_OWNER)
        return 202, {"run_ids": queued.run_ids}

    def attempt():
        with session_scope() as s:
            answers.append(run_once(session=s, owner=LOCAL_OWNER, key="race", fingerprint="same", work=work))

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(answers) == 2
    assert answers[0].body == answers[1].body and answers[0].body["run_ids"]
    assert sorted(a.replayed for a in answers) == [False, True]
    with session_scope() as s:
        assert s.query(Batch).count() == 1, "the loser's work was rolled back"


