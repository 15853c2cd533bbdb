"""Web search for company research (pipeline/web/search.py) and the providers' token bucket
(pipeline/web/ratelimit.py, in-process here; the Redis bucket: tests/integration/test_search_ratelimit.py).

A fake Firecrawl and a fake SearXNG run as local HTTP servers speaking their real protocols
(Firecrawl: POST /v2/search with a bearer key and {"query", "limit"}; SearXNG: GET
/search?q=...&format=json) beside the Northwind Health site of tests/support/company_site.py."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from pipeline.graph.schemas import Intake, Posting
from pipeline.llm.offline.analyst import OfflineAnalyst
from pipeline.settings import settings
from pipeline.web import ratelimit, search, site
from pipeline.web.facts import add_site_facts
from pipeline.web.people import web_people
from pipeline.web.ratelimit import TokenBucket
from pipeline.web.site import ResearchBudget, SitePage
from tests.support.company_site import routes
from tests.support.web_pages import WebServer

KEY = "fc-test-key-0123456789abcdef"
COMPANY = "Northwind Health"

# What a search engine says about Northwind Health, by query word: whole sentences, a truncated
# one, one about someone else, a quote and a press line that names a person.
RESULTS: dict[str, list[dict[str, str]]] = {
    "news": [
        {"url": "https://news.example/northwind-ripon", "title": "Northwind Health opens in Ripon",
         "description": "Northwind Health opened its thirteenth clinic in Ripon last week, the group said."},
        {"url": "https://news.example/yorkshire-hours", "title": "Clinics change hours",
         "description": "Clinics across Yorkshire announced new opening hours this week for families."},
        {"url": "https://news.example/northwind-trust", "title": "Partnership",
         "description": "Northwind Health announced a partnership with the Leeds NHS trust to share ..."},
    ],
    "funding": [
        {"url": "https://finance.example/northwind-series-b", "title": "Calder Ventures backs Northwind Health",
         "description": "Calder Ventures led a £12 million investment in Northwind Health, the Leeds clinic group."},
        {"url": "https://news.example/northwind-ripon", "title": "duplicate URL", "description": "Northwind Health won an award for a duplicate."},
    ],
    "employees": [
        {"url": "https://companies.example/northwind-health", "title": "Northwind Health company profile",
         "description": "The group will open more clinics next year, said Mira Jensen, COO of Northwind Health. "
                        "\"We are growing fast,\" said Mira Jensen, COO of Northwind Health."},
    ],
}  # fmt: skip


def _for(query: str) -> list[dict[str, str]]:
    return next((r for word, r in RESULTS.items() if query.endswith(" " + word)), [])


class FakeSearch:
    """A fake Firecrawl (POST /v2/search) or SearXNG (GET /search) that records every request."""

    def __init__(self, kind: str, *, status: int = 200, body: bytes | None = None, delay: float = 0.0) -> None:
        self.kind, self.status, self.body, self.delay = kind, status, body, delay
        self.requests: list[dict[str, Any]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *_a: Any) -> None:
                pass

            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urllib.parse.urlsplit(self.path)
                fake.requests.append({"method": method, "path": parts.path, "params": dict(urllib.parse.parse_qsl(parts.query)),
                                      "headers": {k.lower(): v for k, v in self.headers.items()}, "body": raw})  # fmt: skip
                if fake.delay:
                    time.sleep(fake.delay)
                status, body = fake.reply(method, parts.path, dict(urllib.parse.parse_qsl(parts.query)), self.headers, raw)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def reply(self, method: str, path: str, params: dict[str, str], headers: Any, raw: bytes) -> tuple[int, bytes]:
        if self.status != 200 or self.body is not None:
            return self.status, self.body if self.body is not None else b'{"success": false, "error": "no"}'
        if self.kind == "firecrawl":
            if method != "POST" or path != "/v2/search":
                return 404, b'{"success": false, "error": "Not found"}'
            if headers.get("Authorization") != f"Bearer {KEY}":
                return 401, b'{"success": false, "error": "Unauthorized: Invalid token"}'
            req = json.loads(raw)
            web = [{**r, "position": i + 1} for i, r in enumerate(_for(req["query"])[: req.get("limit", 10)])]
            return 200, json.dumps({"success": True, "data": {"web": web}}).encode()
        if method != "GET" or path != "/search" or params.get("format") != "json":
            return 403, b"Forbidden"
        results = [{"url": r["url"], "title": r["title"], "content": r["description"], "engine": "duckduckgo", "score": 1.0}
                   for r in _for(params.get("q", ""))]  # fmt: skip
        return 200, json.dumps({"query": params.get("q"), "number_of_results": len(results), "results": results, "answers": []}).encode()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeSearch:
        self._thread.start()
        return self

    def __exit__(self, *_exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture(autouse=True)
def _web(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ALLOW_PRIVATE_FETCH", "1")
    monkeypatch.setattr(settings, "web_research", True)
    monkeypatch.setattr(settings, "redis_url", None)
    monkeypatch.setattr(settings, "firecrawl_api_key", None)
    monkeypatch.setattr(settings, "searxng_url", "")
    monkeypatch.setattr(settings, "search_rate_per_minute", 100)
    monkeypatch.setattr(site, "MIN_INTERVAL", 0.0)
    site.clear_cache()
    search.clear_cache()
    ratelimit.clear_buckets()
    yield
    search.clear_cache()
    ratelimit.clear_buckets()


def use(monkeypatch: pytest.MonkeyPatch, fake: FakeSearch) -> None:
    if fake.kind == "firecrawl":
        monkeypatch.setattr(settings, "firecrawl_api_key", KEY)
        monkeypatch.setattr(settings, "firecrawl_url", fake.base_url)
    else:
        monkeypatch.setattr(settings, "searxng_url", fake.base_url + "/")


def posting(url: str) -> Posting:
    return Posting(
        title="Senior Data Engineer", company=COMPANY, location="Leeds", url=url, description="Senior Data Engineer\n\nPython and SQL."
    )


INTAKE = Intake(title="Senior Data Engineer", company=COMPANY, location="Leeds")
BOARD = "https://boards.greenhouse.io/northwind/jobs/1"  # a job board: no company site to read, searches only


def run(coro: Any) -> Any:
    return asyncio.run(coro)


SEARCH_FACTS = {
    "Northwind Health opened its thirteenth clinic in Ripon last week, the group said.": "https://news.example/northwind-ripon",
    "Calder Ventures led a £12 million investment in Northwind Health, the Leeds clinic group.": "https://finance.example/northwind-series-b",
}


# ---------------------------------------------------------------- providers


@pytest.mark.parametrize("kind", ["firecrawl", "searxng"])
def test_search_results_become_facts_with_their_urls(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    with FakeSearch(kind) as fake:
        use(monkeypatch, fake)
        research = run(OfflineAnalyst().research(posting(BOARD), INTAKE))
        people = run(OfflineAnalyst().people(posting(BOARD), INTAKE))  # shares the run's search: no new requests
    got = {f.text: f.source_url for f in research.facts}
    assert got == SEARCH_FACTS  # whole sentences naming the company; not the truncated, the unrelated, the quote
    assert all(len(f.fetched_on) == 10 for f in research.facts)
    assert research.sources[0] == "posting" and sorted(research.sources[1:]) == sorted(SEARCH_FACTS.values())
    assert not any(c.name == "Mira Jensen" for c in people.contacts)  # a snippet never names a contact
    assert len(fake.requests) == 3
    queries = []
    for req in fake.requests:
        if kind == "firecrawl":
            assert (req["method"], req["path"]) == ("POST", "/v2/search")
            assert req["headers"]["authorization"] == f"Bearer {KEY}" and req["headers"]["user-agent"].startswith("jobapp/")
            body = json.loads(req["body"])
            assert body["limit"] == search.RESULTS_PER_QUERY
            queries.append(body["query"])
        else:
            assert (req["method"], req["path"], req["params"]["format"]) == ("GET", "/search", "json")
            assert "authorization" not in req["headers"]
            queries.append(req["params"]["q"])
    assert queries == ["Northwind Health news", "Northwind Health funding", "Northwind Health employees"]


def test_firecrawl_v1_answer_shape_is_read_too() -> None:
    v1 = {
        "success": True,
        "data": [{"url": "https://a.example/x", "title": "T", "description": "D", "markdown": "# ignored"}, {"url": "ftp://no"}],
    }
    with FakeSearch("firecrawl", body=json.dumps(v1).encode()) as fake:
        got = search.Firecrawl(fake.base_url, KEY).search("q", 5, 5.0)
    assert got == [search.SearchResult(url="https://a.example/x", title="T", snippet="D")]


def test_site_and_search_facts_together(monkeypatch: pytest.MonkeyPatch) -> None:
    with WebServer(routes()) as web, FakeSearch("firecrawl") as fake:
        use(monkeypatch, fake)
        research = run(OfflineAnalyst().research(posting(web.url("/careers/senior-data-engineer")), INTAKE))
        base = web.base_url
    texts = {f.text: f.source_url for f in research.facts}
    assert (
        texts["Northwind Health was founded in 2014 by two GPs in Leeds who wanted care to feel less like a queue."] == base + "/about-us"
    )
    assert (
        texts["Calder Ventures led a £12 million investment in Northwind Health, the Leeds clinic group."]
        == "https://finance.example/northwind-series-b"
    )
    assert research.website == base + "/" and research.sources[0] == "posting"
    assert (
        "https://finance.example/northwind-series-b" in research.sources and "https://news.example/yorkshire-hours" not in research.sources
    )
    assert len(fake.requests) == 3


def test_searches_count_in_the_runs_call_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    with WebServer(routes()) as web, FakeSearch("searxng") as fake:
        use(monkeypatch, fake)
        budget = ResearchBudget(max_calls=5)
        read = site.read_for_posting(web.url("/careers/x"), budget=budget, company=COMPANY)
        site_requests = len(web.requests)
        assert read is not None
    assert site_requests + len(fake.requests) == budget.calls <= 5
    assert 1 <= budget.searches <= 3 and len(fake.requests) == budget.searches


def test_at_most_max_searches(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeSearch("firecrawl") as fake:
        use(monkeypatch, fake)
        pages = search.search_company(COMPANY, ResearchBudget(max_searches=2))
        assert len(fake.requests) == 2
    assert {p.kind for p in pages} == {"search"} and [p.url for p in pages][0] == "https://news.example/northwind-ripon"


ERRORS: dict[str, Callable[[], FakeSearch]] = {
    "401": lambda: FakeSearch("firecrawl", status=401, body=b'{"success": false, "error": "Unauthorized: Invalid token"}'),
    "429": lambda: FakeSearch("firecrawl", status=429, body=b'{"success": false, "error": "Rate limit exceeded"}'),
    "garbage": lambda: FakeSearch("firecrawl", body=b"<html>Bad gateway</html>"),
    "wrong json": lambda: FakeSearch("firecrawl", body=b'{"success": true, "data": "nothing"}'),
    "timeout": lambda: FakeSearch("firecrawl", delay=1.5),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_provider_errors_leave_the_site_facts(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, case: str) -> None:
    monkeypatch.setattr(search, "SEARCH_TIMEOUT", 0.5)
    with WebServer(routes()) as web:
        url = web.url("/careers/senior-data-engineer")
        baseline = run(OfflineAnalyst().research(posting(url), INTAKE))
        site.clear_cache()
        with ERRORS[case]() as fake, caplog.at_level(logging.INFO):
            use(monkeypatch, fake)
            research = run(OfflineAnalyst().research(posting(url), INTAKE))
            assert len(fake.requests) == 1  # the first error ends the run's searching
    assert research.facts == baseline.facts and research.sources == baseline.sources
    lines = [r.getMessage() for r in caplog.records if r.name == "pipeline.web.search"]
    assert len(lines) == 1 and "research uses the company's site only" in lines[0]
    assert not any(KEY in r.getMessage() or KEY in str(r.args) for r in caplog.records)


def test_no_provider_no_search_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    with WebServer(routes()) as web, FakeSearch("firecrawl") as fake, FakeSearch("searxng") as searx:
        monkeypatch.setattr(settings, "firecrawl_url", fake.base_url)  # a URL alone configures nothing
        research = run(OfflineAnalyst().research(posting(web.url("/careers/senior-data-engineer")), INTAKE))
        board = run(OfflineAnalyst().research(posting(BOARD), INTAKE))
        assert fake.requests == [] and searx.requests == []
    assert research.facts and all(not f.source_url.startswith("https://news.example") for f in research.facts)
    assert board.facts == [] and board.sources == ["posting"]
    assert search.provider() is None


def test_web_research_off_searches_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "web_research", False)
    with FakeSearch("firecrawl") as fake:
        use(monkeypatch, fake)
        research = run(OfflineAnalyst().research(posting(BOARD), INTAKE))
        assert fake.requests == []
    assert research.facts == []


def test_firecrawl_first_when_both_are_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "firecrawl_api_key", KEY)
    monkeypatch.setattr(settings, "searxng_url", "http://127.0.0.1:9/")
    chosen = search.provider()
    assert isinstance(chosen, search.Firecrawl) and KEY not in repr(chosen)


def test_search_pages_never_name_people() -> None:
    snippet = SitePage(url="https://news.example/x", fetched_at=search.datetime.now(search.UTC), title="Team",
                       text="Amara Okafor — Chief Executive Officer\nThe clinics will grow, said Mira Jensen, COO of Northwind Health.", kind="search")  # fmt: skip
    assert web_people([snippet], COMPANY) == []
    assert [p.name for p in web_people([site.SitePage(**{**snippet.__dict__, "kind": "team"})], COMPANY)] == ["Amara Okafor", "Mira Jensen"]


def test_search_only_read_keeps_no_website() -> None:
    from pipeline.graph.schemas import Research

    page = SitePage(url="https://finance.example/a", fetched_at=search.datetime.now(search.UTC), title="",
                    text="Northwind Health raised £3 million from angel investors in 2019.", kind="search")  # fmt: skip
    research = add_site_facts(Research(sources=["posting"]), site.SiteRead(search=[page]), COMPANY)
    assert [f.text for f in research.facts] == [page.text] and research.website is None and research.company_summary == ""


def test_rate_limit_skips_searches_it_cannot_wait_for(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(settings, "search_rate_per_minute", 1)  # one token, the next in a minute: longer than the run may wait
    with FakeSearch("firecrawl") as fake, caplog.at_level(logging.INFO, logger="pipeline.web.search"):
        use(monkeypatch, fake)
        search.search_company(COMPANY, ResearchBudget(deadline_seconds=5))
        assert len(fake.requests) == 1
    assert [r.getMessage() for r in caplog.records] == [
        "web search: firecrawl's rate limit leaves no search within this run's time; research uses the site only"
    ]


def test_firecrawl_key_is_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.redact import redact

    monkeypatch.setattr(settings, "firecrawl_api_key", KEY)
    assert KEY not in redact(f"firecrawl said no to {KEY}")


# ---------------------------------------------------------------- the token bucket


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_bucket_refill_math() -> None:
    clock = Clock()
    b = TokenBucket("t", 60, capacity=3, clock=clock, sleep=clock.sleep)  # one token a second, three at most
    assert [b.try_take() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert b.try_take() == pytest.approx(1.0)
    clock.now += 0.25
    assert b.try_take() == pytest.approx(0.75)  # a refused take takes nothing
    clock.now += 0.75
    assert b.try_take() == 0.0 and b.try_take() == pytest.approx(1.0)
    clock.now += 3600  # a long idle time fills the bucket to its capacity, not beyond
    assert [b.try_take() for _ in range(4)][:3] == [0.0, 0.0, 0.0] and b.try_take() > 0


def test_bucket_default_capacity_is_a_minutes_worth() -> None:
    clock = Clock()
    b = TokenBucket("t", 100, clock=clock, sleep=clock.sleep)
    assert sum(b.try_take() == 0.0 for _ in range(150)) == 100
    assert b.try_take() == pytest.approx(0.6)  # 100 a minute: one every 0.6 s


def test_acquire_waits_within_max_wait_only() -> None:
    clock = Clock()
    b = TokenBucket("t", 30, capacity=1, clock=clock, sleep=clock.sleep)  # a token every 2 s
    assert b.acquire(0) is True
    assert b.acquire(1.0) is False and clock.slept == []  # would need 2 s
    assert b.acquire(2.5) is True and clock.slept == [pytest.approx(2.0)]


def test_bucket_never_overdraws_with_threads() -> None:
    clock = Clock()  # frozen: no refill while the threads draw
    b = TokenBucket("t", 1, capacity=50, clock=clock, sleep=clock.sleep)
    taken: list[int] = []
    lock = threading.Lock()

    def draw() -> None:
        for _ in range(20):
            if b.try_take() == 0.0:
                with lock:
                    taken.append(1)

    threads = [threading.Thread(target=draw) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(taken) == 50


def test_bucket_falls_back_to_the_process_when_redis_is_away(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    b = TokenBucket("t", 60, capacity=2, redis_url="redis://127.0.0.1:1/0", clock=clock, sleep=clock.sleep)
    with caplog.at_level(logging.WARNING, logger="pipeline.web.ratelimit"):
        assert [b.try_take(), b.try_take()] == [0.0, 0.0] and b.try_take() > 0  # still limited
    assert len(caplog.records) == 1 and "Redis unavailable" in caplog.records[0].getMessage()


def test_bucket_for_is_shared_per_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ratelimit.bucket_for("firecrawl") is ratelimit.bucket_for("firecrawl")
    assert ratelimit.bucket_for("firecrawl") is not ratelimit.bucket_for("searxng")
    monkeypatch.setattr(settings, "search_rate_per_minute", 7)
    assert ratelimit.bucket_for("firecrawl").capacity == 7
