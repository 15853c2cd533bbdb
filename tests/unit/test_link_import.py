"""Jobs from pasted links and "Check links" (issue 18), against local job pages (127.0.0.1,
reached through ALLOW_PRIVATE_FETCH as a setting or the environment)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from pipeline.settings import settings
from pipeline.sources.base import SourceError
from pipeline.sources.links import MAX_URLS, check_links, import_urls, normalize_url, split_links
from pipeline.store.models import Job
from tests.support.web_pages import JOB_EXPIRED, JOB_GRAPH, JOB_NO_LONGER_ACCEPTING, JOB_SINGLE, POSTING, Route, WebServer, ld, page


@pytest.fixture
def web(monkeypatch):
    monkeypatch.delenv("ALLOW_PRIVATE_FETCH", raising=False)
    monkeypatch.setattr(settings, "allow_private_fetch", True)
    routes = {
        "/jobs/1": Route(JOB_SINGLE),
        "/jobs/2": Route(JOB_GRAPH),
        "/closed": Route(JOB_NO_LONGER_ACCEPTING),
        "/expired": Route(JOB_EXPIRED),
        "/pdf": Route(b"%PDF-1.7", content_type="application/pdf"),
    }
    with WebServer(routes) as server:
        yield server


def test_normalize_strips_fragments_and_tracking():
    assert normalize_url("  HTTPS://Jobs.Example.com:443/a/b?id=7&utm_source=x&UTM_medium=y&gclid=z#apply ") == "https://jobs.example.com/a/b?id=7"
    assert normalize_url("jobs.example.com/42") == "https://jobs.example.com/42"
    for bad in ("ftp://x.example/a", "javascript:alert(1)", "file:///etc/passwd", "not a link"):
        with pytest.raises(ValueError):
            normalize_url(bad)
    assert split_links("a\n\n  b  \r\n") == ["a", "b"]


def test_import_two_links_one_job_one_plain_error(web, session):
    summary = import_urls(session=session, urls=[web.url("/jobs/1") + "?utm_campaign=x#top", web.url("/missing")], owner="local")
    out = summary.as_dict()
    assert (out["imported"], out["updated"], out["skipped"]) == (1, 0, 0)
    assert len(out["errors"]) == 1 and out["errors"][0]["line"] == 2
    assert "HTTP 404" in out["errors"][0]["error"] and web.url("/missing") in out["errors"][0]["error"]
    assert [r["outcome"] for r in out["results"]] == ["created", "error"]
    job = session.exec(select(Job).where(Job.source == "link")).one()
    assert job.title == POSTING["title"] and job.company == "Northwind Health" and "Leeds" in job.location
    assert job.external_id == web.url("/jobs/1") == job.url
    assert "Airflow" in job.description and "alert" not in job.description
    assert out["results"][0]["job_id"] == job.id and out["results"][0]["title"] == job.title


def test_reimport_updates_and_unchanged_is_skipped(web, session):
    url = web.url("/jobs/1")
    assert import_urls(session=session, urls=[url], owner="local").imported == 1
    again = import_urls(session=session, urls=[url + "#x"], owner="local")
    assert (again.imported, again.updated, again.skipped) == (0, 0, 1)
    web.routes["/jobs/1"] = Route(page(ld({**POSTING, "title": "Lead Data Engineer"}), "<main></main>"))
    changed = import_urls(session=session, urls=[url], owner="local")
    assert changed.updated == 1 and changed.results[0]["outcome"] == "updated"
    assert session.exec(select(Job).where(Job.source == "link")).one().title == "Lead Data Engineer"


def test_owners_are_kept_apart(web, session):
    import_urls(session=session, urls=[web.url("/jobs/1")], owner="a@example.org")
    other = import_urls(session=session, urls=[web.url("/jobs/1")], owner="b@example.org")
    assert other.imported == 1


def test_bad_lines_duplicates_and_pdf_are_per_link_errors(web, session):
    out = import_urls(session=session, urls=["ftp://x.example/a", web.url("/jobs/2"), web.url("/jobs/2"), web.url("/pdf")], owner="local").as_dict()
    assert out["imported"] == 1
    errors = {e["line"]: e["error"] for e in out["errors"]}
    assert set(errors) == {1, 3, 4}
    assert "http or https" in errors[1] and "listed above" in errors[3] and "PDF" in errors[4].upper()


def test_a_closed_posting_is_imported_and_marked(web, session):
    out = import_urls(session=session, urls=[web.url("/expired")], owner="local")
    job = session.get(Job, out.job_ids[0])
    assert job.link_status == "closed" and "2020-01-31" in job.link_note and job.link_checked_at is not None


def test_too_many_links_is_refused_as_a_whole(session):
    with pytest.raises(SourceError, match=f"at most {MAX_URLS}"):
        import_urls(session=session, urls=[f"https://x.example/{i}" for i in range(MAX_URLS + 1)], owner="local")
    with pytest.raises(SourceError):
        import_urls(session=session, urls=["  "], owner="local")


def test_private_address_refused_without_the_setting(monkeypatch, session):
    monkeypatch.delenv("ALLOW_PRIVATE_FETCH", raising=False)
    monkeypatch.setattr(settings, "allow_private_fetch", False)
    with WebServer({"/jobs/1": Route(JOB_SINGLE)}) as server:
        out = import_urls(session=session, urls=[server.url("/jobs/1"), "http://169.254.169.254/latest/meta-data/"], owner="local").as_dict()
        assert out["imported"] == 0 and len(out["errors"]) == 2
        assert all("private" in e["error"] or "loopback" in e["error"] or "address" in e["error"] for e in out["errors"]), out
        assert server.requests == []
    monkeypatch.setenv("ALLOW_PRIVATE_FETCH", "0")  # the environment wins over the setting
    monkeypatch.setattr(settings, "allow_private_fetch", True)
    from pipeline.web.fetch import private_fetch_allowed

    assert private_fetch_allowed() is False


def test_check_links_marks_closed_open_and_errors_never_deletes(web, session):
    out = import_urls(session=session, urls=[web.url("/jobs/1"), web.url("/jobs/2"), web.url("/closed")], owner="local")
    ids = out.job_ids
    assert len(ids) == 3
    web.routes.pop("/jobs/2")  # now a 404
    web.routes["/closed"] = Route("", status=503)
    no_link = Job(owner="local", source="paste", external_id="h:1", title="No link")
    session.add(no_link)
    session.flush()
    result = check_links(session=session, job_ids=[*ids, no_link.id, 999_999], owner="local")
    assert (result["checked"], result["open"], result["closed"], result["errors"], result["skipped"]) == (3, 1, 1, 1, 2)
    jobs = {j.id: j for j in session.exec(select(Job)).all()}
    assert len(jobs) == 4
    assert jobs[ids[0]].link_status == "open"
    assert jobs[ids[1]].link_status == "closed" and "HTTP 404" in jobs[ids[1]].link_note
    assert jobs[ids[2]].link_status == "error" and "503" in jobs[ids[2]].link_note
    assert jobs[no_link.id].link_status == "" and jobs[no_link.id].link_checked_at is None
    assert check_links(session=session, job_ids=ids, owner="someone-else")["checked"] == 0
