"""Job-board imports (Greenhouse, Lever, Ashby) against a local HTTP server speaking their documented JSON."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from pipeline.settings import settings
from pipeline.sources.base import SourceError
from pipeline.sources.boards import Board, fetch_board, parse_board, parse_board_spec
from pipeline.sources.importer import import_board
from pipeline.store.jobs import count_jobs
from pipeline.store.models import Job

GREENHOUSE_JOB = {
    "id": 4012345,
    "internal_job_id": 3001,
    "title": "Senior Backend Engineer",
    "updated_at": "2026-10-01T12:00:00-04:00",
    "requisition_id": "ENG-42",
    "location": {"name": "Berlin, Germany"},
    "absolute_url": "https://boards.greenhouse.io/acme/jobs/4012345",
    "metadata": [{"id": 1, "name": "Employment type", "value": "Full-time", "value_type": "single_select"}],
    "company_name": "Acme Robotics",
    "first_published": "2026-09-20T10:00:00-04:00",
    # Greenhouse escapes the posting's markup as entities.
    "content": (
        "&lt;h2&gt;About the role&lt;/h2&gt;&lt;p&gt;You will build &amp;amp; run our Python services.&lt;/p&gt;"
        "&lt;script&gt;alert(1)&lt;/script&gt;"
        "&lt;h2&gt;Requirements&lt;/h2&gt;&lt;ul&gt;&lt;li&gt;5+ years of Python&lt;/li&gt;&lt;li&gt;PostgreSQL&lt;/li&gt;&lt;/ul&gt;"
        "&lt;p&gt;&lt;a href=&quot;javascript:alert(2)&quot; onclick=&quot;x()&quot;&gt;Apply&lt;/a&gt;&lt;/p&gt;"
    ),
    "departments": [{"id": 7, "name": "Engineering", "child_ids": [], "parent_id": None}],
    "offices": [{"id": 9, "name": "Berlin", "location": "Berlin, Germany", "child_ids": [], "parent_id": None}],
}


def greenhouse_board(extra: list[dict] | None = None) -> dict:
    nurse = dict(GREENHOUSE_JOB, id=4012346, title="Registered Nurse", location={"name": "London"}, content="&lt;p&gt;Ward work.&lt;/p&gt;",
                 absolute_url="https://boards.greenhouse.io/acme/jobs/4012346", departments=[])  # fmt: skip
    jobs = [GREENHOUSE_JOB, nurse, *(extra or [])]
    return {"jobs": jobs, "meta": {"total": len(jobs)}}


def lever_posting(i: int) -> dict:
    return {
        "id": f"5f0c6a8e-0000-4000-8000-{i:012d}",
        "text": f"Data Engineer {i}",
        "categories": {"commitment": "Full-time", "department": "Engineering", "location": "Remote - Europe", "team": "Data", "allLocations": ["Remote - Europe"]},
        "country": "DE",
        "createdAt": 1760000000000 + i,
        "description": "<div><b>Who we are</b></div><div>We move freight with data.</div>",
        "descriptionPlain": "Who we are\nWe move freight with data.",
        "lists": [{"text": "Requirements", "content": "<li>SQL</li><li>Airflow or Dagster</li>"}],
        "additional": "<div>We offer 30 days of leave.</div>",
        "additionalPlain": "We offer 30 days of leave.",
        "hostedUrl": f"https://jobs.lever.co/kestrel/{i}",
        "applyUrl": f"https://jobs.lever.co/kestrel/{i}/apply",
        "workplaceType": "remote",
        "salaryRange": {"currency": "EUR", "interval": "per-year-salary", "min": 70000, "max": 90000},
        "salaryDescriptionPlain": "EUR 70,000-90,000 a year",
    }


ASHBY_BOARD = {
    "apiVersion": "1",
    "jobs": [
        {
            "id": "7458d4e9-da2e-47bd-98cb-adfda43d42b2",
            "title": "Product Designer",
            "department": "Design",
            "team": "Growth",
            "employmentType": "FullTime",
            "location": "Amsterdam",
            "secondaryLocations": [],
            "isListed": True,
            "isRemote": True,
            "workplaceType": "Remote",
            "publishedAt": "2026-10-02T09:00:00.000+00:00",
            "jobUrl": "https://jobs.ashbyhq.com/heron/7458d4e9-da2e-47bd-98cb-adfda43d42b2",
            "applyUrl": "https://jobs.ashbyhq.com/heron/7458d4e9-da2e-47bd-98cb-adfda43d42b2/application",
            "descriptionHtml": "<h3>What you'll do</h3><ul><li>Design onboarding flows in Figma</li></ul><style>p{}</style>",
            "descriptionPlain": "What you'll do\n- Design onboarding flows in Figma",
            "shouldDisplayCompensationOnJobPostings": True,
            "compensation": {"compensationTierSummary": "€60K – €75K • Offers Equity", "scrapeableCompensationSalarySummary": "€60K - €75K"},
        },
        {"id": "hidden-1", "title": "Unlisted role", "isListed": False, "location": "Nowhere", "descriptionHtml": "<p>x</p>", "jobUrl": "https://x.example/1"},
    ],
}


@dataclass
class FakeBoards:
    """A local stand-in for the three APIs; `routes[path] = (status, body)`; every request is logged."""

    url: str
    routes: dict[str, tuple[int, Any]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)
    hold: threading.Event = field(default_factory=threading.Event)
    lever_postings: list[dict] = field(default_factory=list)


@pytest.fixture
def boards(monkeypatch) -> Iterator[FakeBoards]:
    state: FakeBoards

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):  # keep test output quiet
            pass

        def do_GET(self):
            parts = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(parts.query)
            state.requests.append((parts.path, query))
            if parts.path == "/v0/postings/kestrel":
                skip, limit = int(query["skip"][0]), int(query["limit"][0])
                return self._send(200, state.lever_postings[skip : skip + limit])
            if parts.path.endswith("/slow/jobs"):
                state.hold.wait(10)  # longer than the client's timeout; released at teardown
                return self._send(200, {"jobs": []})
            status, body = state.routes.get(parts.path, (404, {"error": "not found"}))
            self._send(status, body)

        def _send(self, status: int, body: Any) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state = FakeBoards(url=f"http://127.0.0.1:{server.server_address[1]}")
    state.routes = {
        "/v1/boards/acme/jobs": (200, greenhouse_board()),
        "/posting-api/job-board/heron": (200, ASHBY_BOARD),
        "/v1/boards/broken/jobs": (503, {"error": "unavailable"}),
        "/v1/boards/notjson/jobs": (200, b"<html>maintenance</html>"),
        "/v1/boards/shape/jobs": (200, {"data": []}),
        "/v1/boards/huge/jobs": (200, {"jobs": [], "pad": "x" * 5000}),
        "/v1/boards/limited/jobs": (429, {}),
    }
    state.lever_postings = [lever_posting(i) for i in range(130)]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    for name in ("greenhouse_api_url", "lever_api_url", "ashby_api_url"):
        monkeypatch.setattr(settings, name, state.url)
    yield state
    state.hold.set()
    server.shutdown()
    server.server_close()


def test_greenhouse_board_imports_sanitized_postings_and_reimport_upserts(boards, session):
    summary = import_board(session=session, owner="user:1", provider="greenhouse", board="acme")
    assert (summary.imported, summary.updated, summary.errors) == (2, 0, [])
    path, query = boards.requests[-1]
    assert path == "/v1/boards/acme/jobs" and query["content"] == ["true"]
    job = session.get(Job, summary.job_ids[0])
    assert (job.source, job.external_id, job.owner) == ("greenhouse", "4012345", "user:1")
    assert (job.title, job.company, job.location) == ("Senior Backend Engineer", "Acme Robotics", "Berlin, Germany")
    assert job.url == "https://boards.greenhouse.io/acme/jobs/4012345" and job.tags == ["Engineering"]
    md = job.description
    assert "## About the role" in md and "- 5+ years of Python" in md and "build & run" in md
    assert "<" not in md and "alert" not in md and "javascript" not in md and "onclick" not in md
    assert "Employment type: Full-time" in md

    again = import_board(session=session, owner="user:1", provider="greenhouse", board="acme")
    assert (again.imported, again.updated, again.skipped) == (0, 0, 2)
    boards.routes["/v1/boards/acme/jobs"] = (200, greenhouse_board([dict(GREENHOUSE_JOB, id=99, title="")]))
    boards.routes["/v1/boards/acme/jobs"][1]["jobs"][0] = dict(GREENHOUSE_JOB, title="Staff Backend Engineer")
    third = import_board(session=session, owner="user:1", provider="greenhouse", board="acme")
    assert (third.imported, third.updated, third.skipped) == (0, 1, 1)
    assert len(third.errors) == 1 and third.errors[0].line == 3 and "title is missing" in third.errors[0].error
    assert count_jobs(session=session, owner="user:1") == 2 and count_jobs(session=session, owner="local") == 0


def test_lever_board_pages_through_every_posting(boards, session):
    summary = import_board(session=session, owner="local", provider="lever", board="kestrel")
    assert summary.imported == 130 and not summary.errors
    assert [q["skip"] for p, q in boards.requests] == [["0"], ["100"]]
    assert all(q["mode"] == ["json"] for _, q in boards.requests)
    job = session.get(Job, summary.job_ids[0])
    assert (job.source, job.external_id, job.title) == ("lever", "5f0c6a8e-0000-4000-8000-000000000000", "Data Engineer 0")
    assert (job.company, job.location, job.url) == ("Kestrel", "Remote - Europe", "https://jobs.lever.co/kestrel/0")
    assert "We move freight with data." in job.description and "## Requirements" in job.description
    assert "- Airflow or Dagster" in job.description and "30 days of leave" in job.description and "EUR 70,000-90,000" in job.description
    assert set(job.tags) == {"Data", "Engineering", "Full-time"}


def test_ashby_board_skips_unlisted_and_keeps_compensation(boards, session):
    summary = import_board(session=session, owner="local", provider="ashby", board="heron")
    assert summary.imported == 1 and not summary.errors
    assert boards.requests[-1] == ("/posting-api/job-board/heron", {"includeCompensation": ["true"]})
    job = session.get(Job, summary.job_ids[0])
    assert (job.source, job.external_id, job.title, job.company) == ("ashby", "7458d4e9-da2e-47bd-98cb-adfda43d42b2", "Product Designer", "Heron")
    assert job.location == "Amsterdam (remote)" and job.url.startswith("https://jobs.ashbyhq.com/heron/")
    assert "### What you'll do" in job.description and "- Design onboarding flows in Figma" in job.description
    assert "Compensation: €60K - €75K" in job.description and "p{}" not in job.description


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing", "There is no Greenhouse board “missing” (the API answered 404)"),
        ("broken", "Greenhouse is having trouble (HTTP 503)"),
        ("limited", "rate-limiting"),
        ("notjson", "something that is not JSON"),
        ("shape", "has no job list"),
        ("huge", "raise BOARD_MAX_BYTES"),
        ("slow", "did not answer within 0.3 s"),
    ],
)
def test_a_board_that_cannot_be_read_is_refused_in_plain_words(boards, session, monkeypatch, name, message):
    monkeypatch.setattr(settings, "board_timeout_seconds", 0.3)
    monkeypatch.setattr(settings, "board_max_bytes", 2048)
    with pytest.raises(SourceError) as err:
        import_board(session=session, owner="local", provider="greenhouse", board=name)
    assert message in str(err.value)
    assert count_jobs(session=session) == 0


def test_unreachable_api_is_a_clear_error(boards, monkeypatch):
    monkeypatch.setattr(settings, "lever_api_url", "http://127.0.0.1:9")  # discard port: nothing listens
    with pytest.raises(SourceError, match="Could not reach Lever at 127.0.0.1:9"):
        fetch_board(Board("lever", "kestrel"))


@pytest.mark.parametrize("name", ["../etc/passwd", "a/b", "", "acme?x=1", "..", "a..b", "%2e%2e", "acme#frag", "x" * 101, "acme jobs"])
def test_board_names_cannot_smuggle_paths(boards, name):
    with pytest.raises(SourceError, match="is not a Greenhouse board name"):
        parse_board("greenhouse", name)
    assert boards.requests == []


def test_board_specs_and_links():
    assert parse_board_spec("greenhouse:acme") == Board("greenhouse", "acme")
    assert parse_board_spec("Lever: kestrel-mobility") == Board("lever", "kestrel-mobility")
    assert parse_board("ashby", "https://jobs.ashbyhq.com/heron/7458d4e9") == Board("ashby", "heron")
    with pytest.raises(SourceError, match="Unknown job board “workday”"):
        parse_board_spec("workday:acme")
    with pytest.raises(SourceError, match="PROVIDER:NAME"):
        parse_board_spec("acme")


