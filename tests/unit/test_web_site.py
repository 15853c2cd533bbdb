"""Reading a company's own site: same site only, robots.txt honoured, politeness, page and call caps."""

from __future__ import annotations

import time

import pytest

from pipeline.web import site
from pipeline.web.site import ResearchBudget, company_start_url, link_kind, read_site, registrable, same_site
from tests.support.company_site import routes
from tests.support.web_pages import Route, WebServer


@pytest.fixture(autouse=True)
def _private(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOW_PRIVATE_FETCH", "1")
    site.clear_cache()


def paths(web: WebServer) -> list[str]:
    return [p for p, _ in web.requests]


def test_reads_home_about_team_news_careers_and_never_a_disallowed_path() -> None:
    with WebServer(routes()) as web:
        budget = ResearchBudget(min_interval=0.0)
        read = read_site(web.url("/"), budget)
    assert read.error == ""
    kinds = {p.url.removeprefix(web.base_url): p.kind for p in read.pages}
    assert kinds == {"/": "home", "/about-us": "about", "/team": "team", "/news/": "press", "/careers": "careers", "/about/leadership": "team"}
    asked = paths(web)
    assert asked[0] == "/robots.txt" and asked.count("/robots.txt") == 1
    assert "/blog/" not in asked and "/internal/staff-directory" not in asked  # Disallowed: never requested
    assert set(read.skipped_by_robots) == {web.url("/blog/"), web.url("/internal/staff-directory")}
    assert "/privacy" not in asked  # not a research page
    assert all(p.fetched_at.tzinfo is not None and p.title for p in read.pages)
    assert "founded in 2014" in next(p.text for p in read.pages if p.kind == "about")
    assert "Privacy" not in next(p.text for p in read.pages if p.kind == "home")  # menus and footers left out
    ua = web.requests[0][1]["user-agent"]
    assert ua.startswith("jobapp/")


def test_page_cap_and_call_cap() -> None:
    with WebServer(routes()) as web:
        read = read_site(web.url("/"), ResearchBudget(min_interval=0.0, max_pages=3))
    assert len(read.pages) == 3 and len(web.requests) == 4  # robots.txt + 3 pages
    with WebServer(routes()) as web:
        budget = ResearchBudget(min_interval=0.0, max_calls=3)
        read = read_site(web.url("/"), budget)
    assert budget.calls == 3 and len(web.requests) == 3 and len(read.pages) == 2
    assert "budget" in read.error


def test_politeness_interval_between_requests_to_one_host() -> None:
    with WebServer(routes()) as web:
        budget = ResearchBudget(min_interval=0.15, max_pages=3)
        t0 = time.monotonic()
        read_site(web.url("/"), budget)
        took = time.monotonic() - t0
    assert budget.calls == 4
    assert took >= 3 * 0.15


def test_robots_disallow_all_for_our_agent() -> None:
    r = routes()
    r["/robots.txt"] = Route("User-agent: jobapp\nDisallow: /\n", content_type="text/plain")
    with WebServer(r) as web:
        read = read_site(web.url("/"), ResearchBudget(min_interval=0.0))
    assert read.pages == [] and paths(web) == ["/robots.txt"]


def test_missing_robots_allows_and_down_robots_stops() -> None:
    r = routes()
    del r["/robots.txt"]  # 404: everything allowed
    with WebServer(r) as web:
        read = read_site(web.url("/"), ResearchBudget(min_interval=0.0))
    assert "/blog/" in paths(web) and len(read.pages) == 8
    r["/robots.txt"] = Route("oops", status=503, content_type="text/plain")
    with WebServer(r) as web:
        read = read_site(web.url("/"), ResearchBudget(min_interval=0.0))
    assert read.pages == [] and paths(web) == ["/robots.txt"] and read.error


def test_other_sites_are_never_followed() -> None:
    r = routes()
    r["/"] = Route('<html><body><main><p>Northwind Health runs clinics in Yorkshire.</p><a href="http://127.0.0.2:1/about">About</a>'
                   '<a href="https://other.example/team">Team</a></main></body></html>')  # fmt: skip
    with WebServer(r) as web:
        read = read_site(web.url("/"), ResearchBudget(min_interval=0.0))
    assert [p.kind for p in read.pages] == ["home"]


def test_network_off_fails_fast_without_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALLOW_PRIVATE_FETCH")
    with WebServer(routes()) as web:
        t0 = time.monotonic()
        read = read_site(web.url("/"))
        assert time.monotonic() - t0 < 2
    assert read.pages == [] and "loopback" in read.error and web.requests == []


def test_hosts_and_link_words() -> None:
    assert registrable("careers.northwind.co.uk") == "northwind.co.uk"
    assert registrable("www.acme.com") == "acme.com"
    assert same_site("https://jobs.acme.com/team", "https://www.acme.com/")
    assert not same_site("https://acme.com.evil.example/", "https://acme.com/")
    assert company_start_url("https://boards.greenhouse.io/acme/jobs/1") == ""
    assert company_start_url("https://boards.greenhouse.io/acme/jobs/1", "https://acme.example/en") == "https://acme.example/"
    assert company_start_url("https://www.acme.example/careers/42") == "https://www.acme.example/"
    assert company_start_url("https://careers.acme.co.uk/job/42") == "https://acme.co.uk/"
    assert link_kind("/de/ueber-uns", "") == "about"
    assert link_kind("/unternehmen/über-uns", "") == "about"
    assert link_kind("/es/quienes-somos", "") == "about"
    assert link_kind("/fr/a-propos", "") == "about"
    assert link_kind("/nl/over-ons", "") == "about"
    assert link_kind("/presse", "") == "press"
    assert link_kind("/x", "Prensa") == "press"
    assert link_kind("/nl/pers", "") == "press"
    assert link_kind("/karriere", "") == "careers"
    assert link_kind("/p/123", "Unser Team") == "team"
    assert link_kind("/products", "Products") == ""
