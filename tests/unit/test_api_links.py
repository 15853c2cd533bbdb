"""POST /api/jobs {"urls": [...]}: jobs from links, per-link results, at most 50 (issue 18)."""

from __future__ import annotations

import json

from pipeline.settings import settings
from tests.support.web_pages import JOB_SINGLE, POSTING, Route, WebServer
from tests.unit.test_api import call, make_app, store  # noqa: F401  (fixture)


def test_import_urls_over_the_api(store, monkeypatch):  # noqa: F811
    monkeypatch.delenv("ALLOW_PRIVATE_FETCH", raising=False)
    monkeypatch.setattr(settings, "allow_private_fetch", True)
    app = make_app()
    with WebServer({"/jobs/1": Route(JOB_SINGLE)}) as web:
        urls = [web.url("/jobs/1") + "?utm_source=newsletter", web.url("/nope")]
        r = call(app, "POST", "/api/jobs", token=store["token"], json={"urls": urls})
        assert r.status_code == 201, r.text
        out = r.json()
        assert out["imported"] == 1 and len(out["job_ids"]) == 1
        assert out["errors"][0]["line"] == 2 and "HTTP 404" in out["errors"][0]["error"]
        assert [x["outcome"] for x in out["results"]] == ["created", "error"]
        assert out["results"][0]["url"] == web.url("/jobs/1")
        rows = call(app, "GET", "/api/jobs", token=store["token"], params={"source": "link"}).json()["rows"]
        assert [(x["title"], x["company"]) for x in rows] == [(POSTING["title"], "Northwind Health")]
        again = call(app, "POST", "/api/jobs", token=store["token"], json={"urls": urls[:1]})
        assert again.status_code == 200 and again.json()["skipped"] == 1
        # another owner's token sees none of it
        assert call(app, "GET", "/api/jobs", token=store["other_token"], params={"source": "link"}).json()["rows"] == []


def test_import_urls_limits(store, monkeypatch):  # noqa: F811
    monkeypatch.delenv("ALLOW_PRIVATE_FETCH", raising=False)
    monkeypatch.setattr(settings, "allow_private_fetch", False)
    app = make_app()
    many = call(app, "POST", "/api/jobs", token=store["token"], json={"urls": [f"https://x.example/{i}" for i in range(51)]})
    assert many.status_code == 422 and "50" in json.dumps(many.json())
    assert call(app, "POST", "/api/jobs", token=store["token"], json={"urls": []}).status_code == 422
    mixed = call(app, "POST", "/api/jobs", token=store["token"], json={"urls": ["https://x.example/1"], "paste": {"text": "y"}})
    assert mixed.status_code == 422
    private = call(app, "POST", "/api/jobs", token=store["token"], json={"urls": ["http://127.0.0.1:9/job", "gopher://x.example/"]})
    assert private.status_code == 200 and private.json()["imported"] == 0
    errors = [e["error"] for e in private.json()["errors"]]
    assert len(errors) == 2 and "http or https" in errors[1]
