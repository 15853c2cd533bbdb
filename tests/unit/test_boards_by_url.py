"""Job-board links: recognised, and read through a local server that speaks each board's JSON.

The real API hosts are never called: every reader gets `api_bases=` pointing at the local
server, the resolver knows no name (a slip to a real host fails as a DNS error), and the local
server is reached through ALLOW_PRIVATE_FETCH=1."""

from __future__ import annotations

import json
import socket
from datetime import date

import pytest

from pipeline.web import boards
from pipeline.web import fetch as fetch_mod
from pipeline.web.boards import BoardLink, read_posting, recognise
from pipeline.web.extract import Salary
from tests.support.web_pages import (
    ASHBY_BOARD,
    ASHBY_ID,
    GREENHOUSE_JOB,
    LEVER_ID,
    LEVER_POSTING,
    SMARTRECRUITERS_POSTING,
    WORKDAY_CXS,
    WORKDAY_PAGE,
    Route,
    WebServer,
)

GH_URL = "https://boards.greenhouse.io/acme/jobs/4567890"
LEVER_URL = f"https://jobs.lever.co/paylane/{LEVER_ID}"
ASHBY_URL = f"https://jobs.ashbyhq.com/brightdesk/{ASHBY_ID}"
SR_URL = "https://jobs.smartrecruiters.com/Adatum/743999912345678-field-service-technician"
WD_URL = "https://woodgrove.wd3.myworkdayjobs.com/en-US/Careers/job/Stockholm-Sweden/Payroll-Specialist_R-10234"
WD_CXS = "/wday/cxs/woodgrove/Careers/job/Stockholm-Sweden/Payroll-Specialist_R-10234"


@pytest.fixture(autouse=True)
def local_only(monkeypatch):
    def resolver(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, f"{host}: not in this test")

    monkeypatch.setattr(fetch_mod, "resolve", resolver)
    monkeypatch.setenv("ALLOW_PRIVATE_FETCH", "1")


def _json(obj) -> Route:
    return Route(json.dumps(obj), content_type="application/json; charset=utf-8")


@pytest.fixture
def api():
    routes = {
        "/v1/boards/acme/jobs/4567890": _json(GREENHOUSE_JOB),
        f"/v0/postings/paylane/{LEVER_ID}": _json(LEVER_POSTING),
        "/posting-api/job-board/brightdesk": _json(ASHBY_BOARD),
        "/v1/companies/Adatum/postings/743999912345678": _json(SMARTRECRUITERS_POSTING),
        WD_CXS: _json(WORKDAY_CXS),
    }
    with WebServer(routes) as web:
        web.bases = {p: web.base_url for p in boards.PROVIDERS}  # type: ignore[attr-defined]
        yield web


# ---------------------------------------------------------------- recognising links


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (GH_URL, BoardLink("greenhouse", "boards.greenhouse.io", "acme", "4567890")),
        ("https://job-boards.greenhouse.io/acme/jobs/4567890?gh_src=abc", BoardLink("greenhouse", "job-boards.greenhouse.io", "acme", "4567890")),
        ("https://boards.greenhouse.io/embed/job_app?for=acme&token=4567890", BoardLink("greenhouse", "boards.greenhouse.io", "acme", "4567890")),
        (LEVER_URL + "/apply", BoardLink("lever", "jobs.lever.co", "paylane", LEVER_ID)),
        (f"https://jobs.eu.lever.co/paylane/{LEVER_ID}", BoardLink("lever", "jobs.eu.lever.co", "paylane", LEVER_ID)),
        (ASHBY_URL + "/application", BoardLink("ashby", "jobs.ashbyhq.com", "brightdesk", ASHBY_ID)),
        (SR_URL, BoardLink("smartrecruiters", "jobs.smartrecruiters.com", "Adatum", "743999912345678")),
        (WD_URL, BoardLink("workday", "woodgrove.wd3.myworkdayjobs.com", "woodgrove", "R-10234", site="Careers", path="Stockholm-Sweden/Payroll-Specialist_R-10234")),
        (
            "https://woodgrove.wd3.myworkdayjobs.com/Careers/details/Payroll-Specialist_R-10234",
            BoardLink("workday", "woodgrove.wd3.myworkdayjobs.com", "woodgrove", "R-10234", site="Careers", path="Payroll-Specialist_R-10234", inferred=True),
        ),
        (
            "https://wd1.myworkdaysite.com/en-US/recruiting/woodgrove/Careers/job/Oslo/Analyst_R-1",
            BoardLink("workday", "wd1.myworkdaysite.com", "woodgrove", "R-1", site="Careers", path="Oslo/Analyst_R-1"),
        ),
    ],
)
def test_board_links_are_recognised(url, expected):
    assert recognise(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://boards.greenhouse.io/acme",  # the whole board, not one job
        "https://jobs.lever.co/paylane",
        "https://jobs.ashbyhq.com/brightdesk",
        "https://woodgrove.wd3.myworkdayjobs.com/Careers",
        "https://careers.example/jobs/1",
        "https://boards.greenhouse.io.evil.example/acme/jobs/1",
        "ftp://jobs.lever.co/paylane/" + LEVER_ID,
        "not a url",
    ],
)
def test_other_links_are_not_boards(url):
    assert recognise(url) is None


# ---------------------------------------------------------------- reading through the JSON


def test_greenhouse(api):
    d = read_posting(GH_URL, api_bases=api.bases)
    assert (d.source, d.title, d.company, d.location) == ("greenhouse", "Product Designer", "Acme Robotics", "Berlin, Germany")
    assert d.url == GH_URL and d.date_posted == date(2026, 2, 20)
    assert "Design the console" in d.description_markdown and "- Figma" in d.description_markdown
    assert d.tags == ["Design"] and not d.closed
    assert api.requests[0][1]["accept"].startswith("application/json")


def test_lever(api):
    d = read_posting(LEVER_URL, api_bases=api.bases)
    assert (d.source, d.title, d.company, d.location) == ("lever", "Backend Engineer (Go)", "Paylane", "Lisbon")
    assert d.employment_type == "Full-time" and d.salary == Salary(50000, 65000, "EUR", "year")
    assert "## Requirements" in d.description_markdown and "- Go in production" in d.description_markdown
    assert d.date_posted is not None


def test_ashby_picks_the_job_from_the_board(api):
    d = read_posting(ASHBY_URL, api_bases=api.bases)
    assert (d.title, d.location, d.employment_type) == ("Customer Success Manager", "Dublin (remote)", "Full-time")
    assert "Compensation: €55K – €70K" in d.description_markdown and d.date_posted == date(2026, 3, 3)


def test_ashby_job_missing_from_the_board_is_closed(api):
    d = read_posting("https://jobs.ashbyhq.com/brightdesk/00000000-0000-4000-8000-000000000000", api_bases=api.bases)
    assert d.closed and "no longer lists it" in d.closed_reason


def test_smartrecruiters(api):
    d = read_posting(SR_URL, api_bases=api.bases)
    assert (d.title, d.company, d.location, d.employment_type) == ("Field Service Technician", "Adatum Corporation", "Lyon, Auvergne-Rhône-Alpes, FR", "Full-time")
    assert "## Job Description" in d.description_markdown and "- BTS in electronics" in d.description_markdown


def test_workday_cxs_json(api):
    d = read_posting(WD_URL, api_bases=api.bases)
    assert (d.source, d.title, d.company) == ("workday", "Payroll Specialist", "Woodgrove Bank")
    assert d.location == "Stockholm, Sweden; Oslo, Norway (Hybrid)"
    assert d.employment_type == "Full-time" and d.date_posted == date(2026, 3, 5)
    assert "- Swedish payroll law" in d.description_markdown
    assert [p for p, _ in api.requests] == [WD_CXS]


def test_workday_that_no_longer_takes_applications(api):
    api.routes[WD_CXS] = _json({**WORKDAY_CXS, "jobPostingInfo": {**WORKDAY_CXS["jobPostingInfo"], "canApply": False}})
    d = read_posting(WD_URL, api_bases=api.bases)
    assert d.closed and "no longer takes applications" in d.closed_reason


@pytest.mark.parametrize("url", [GH_URL, LEVER_URL, SR_URL])
def test_a_404_from_the_board_api_is_closed(api, url):
    api.routes.clear()
    d = read_posting(url, api_bases=api.bases)
    assert d.closed and "HTTP 404 from its job API" in d.closed_reason and d.url == url


def test_an_unreadable_api_answer_falls_back_to_the_page(api, monkeypatch):
    """Workday answered HTML instead of JSON: the link's own page is read (here served locally)."""
    api.routes[WD_CXS] = Route("<html>maintenance</html>", status=200)
    api.routes["/page"] = Route(WORKDAY_PAGE)
    real_fetch = boards.fetch

    def fetch_local(url, **kw):
        return real_fetch(api.url("/page") if url == WD_URL else url, **kw)

    monkeypatch.setattr(boards, "fetch", fetch_local)
    d = read_posting(WD_URL, api_bases=api.bases)
    assert d.source == "jsonld" and d.title == "Payroll Specialist" and d.location == "Stockholm, SE"


def test_the_api_bases_default_to_settings_and_the_real_hosts_are_not_called(monkeypatch):
    """Without api_bases the real API host would be asked: here the resolver refuses it, so nothing leaves."""
    monkeypatch.setattr(boards.settings, "greenhouse_api_url", "https://boards-api.greenhouse.io")
    link = recognise(GH_URL)
    assert boards._base("greenhouse", link, None) == "https://boards-api.greenhouse.io"
    assert boards._base("lever", recognise(f"https://jobs.eu.lever.co/paylane/{LEVER_ID}"), None) == "https://api.eu.lever.co"
    assert boards._base("workday", recognise(WD_URL), None) == "https://woodgrove.wd3.myworkdayjobs.com"
    with pytest.raises(fetch_mod.FetchError) as info:
        read_posting(GH_URL)
    assert info.value.code == "dns"
