"""Research and people from the company's own site (offline analyst): facts with URL and date,
named people only where a page states them with a role, the dossier's sources, and the
posting-only behaviour when the web is off or unreachable."""

from __future__ import annotations

import asyncio
import logging
import re

import pytest

from pipeline.graph.outputs import render_dossier
from pipeline.graph.schemas import Intake, Posting, Research
from pipeline.llm.offline.analyst import OfflineAnalyst
from pipeline.settings import settings
from pipeline.web import site
from tests.support.company_site import routes
from tests.support.web_pages import WebServer

DESCRIPTION = """Senior Data Engineer

About us
Northwind Health runs community clinics across Yorkshire.

What you will do
- Build and run Airflow pipelines over PostgreSQL
- Model data for the clinical dashboards

What you bring
- 5+ years of Python and SQL
- Experience with dbt
"""


@pytest.fixture(autouse=True)
def _web(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOW_PRIVATE_FETCH", "1")
    monkeypatch.setattr(settings, "web_research", True)
    monkeypatch.setattr(site, "MIN_INTERVAL", 0.0)
    site.clear_cache()


def posting(url: str) -> Posting:
    return Posting(title="Senior Data Engineer", company="Northwind Health", location="Leeds", url=url, description=DESCRIPTION)


INTAKE = Intake(title="Senior Data Engineer", company="Northwind Health", location="Leeds")


def run(coro):
    return asyncio.run(coro)


def test_facts_come_from_the_site_with_url_and_date() -> None:
    with WebServer(routes()) as web:
        research = run(OfflineAnalyst().research(posting(web.url("/careers/senior-data-engineer")), INTAKE))
        base = web.base_url
    texts = [f.text for f in research.facts]
    assert "Northwind Health was founded in 2014 by two GPs in Leeds who wanted care to feel less like a queue." in texts
    assert "Today we employ around 350 people in twelve clinics and two offices, in Leeds and York." in texts
    assert any("raised £12 million in a Series B" in t for t in texts)
    assert any(t.startswith("Our mission is") for t in texts)
    assert not any("1999" in t or "Jane Secret" in t for t in texts)  # the disallowed blog was never read
    by_text = {f.text: f for f in research.facts}
    founded = by_text["Northwind Health was founded in 2014 by two GPs in Leeds who wanted care to feel less like a queue."]
    assert founded.source_url == base + "/about-us" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", founded.fetched_on)
    assert research.sources[0] == "posting" and base + "/about-us" in research.sources and base + "/news/" in research.sources
    assert not any("/blog/" in s for s in research.sources)
    # every fact is a sentence a fetched page states
    pages_text = " ".join(p.text for p in site.read_site_cached(base + "/").pages)
    assert all(f.text in pages_text for f in research.facts)


def test_named_people_only_from_pages_that_state_them_with_a_role() -> None:
    with WebServer(routes()) as web:
        people = run(OfflineAnalyst().people(posting(web.url("/careers/senior-data-engineer")), INTAKE))
        base = web.base_url
    named = {c.name: c for c in people.contacts if c.name}
    assert set(named) == {"Amara Okafor", "Jonas Lindqvist", "Priya Raman", "Tomasz Nowak"}
    assert named["Jonas Lindqvist"].role == "company contact (Head of Data Engineering)"
    assert named["Jonas Lindqvist"].source == base + "/team" and not named["Jonas Lindqvist"].is_placeholder
    assert named["Priya Raman"].role == "recruiter (Talent Partner)"
    assert named["Tomasz Nowak"].role == "company contact (CTO)" and named["Tomasz Nowak"].source == base + "/news/"
    assert "Patient Experience" not in named and "Hidden Person" not in named and "Jane Secret" not in named
    roles = [c.role for c in people.contacts if c.is_placeholder]
    assert "recruiter" not in roles and "hiring manager" in roles  # a named recruiter replaces the placeholder


def test_network_off_research_is_the_posting_only(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv("ALLOW_PRIVATE_FETCH")  # loopback refused, as a public site unreachable would be
    with WebServer(routes()) as web, caplog.at_level(logging.INFO, logger="pipeline.web.site"):
        url = web.url("/careers/senior-data-engineer")
        research = run(OfflineAnalyst().research(posting(url), INTAKE))
        people = run(OfflineAnalyst().people(posting(url), INTAKE))
        assert web.requests == []
    monkeypatch.setattr(settings, "web_research", False)
    site.clear_cache()
    baseline = run(OfflineAnalyst().research(posting(url), INTAKE))
    assert research == baseline and research.facts == [] and research.sources == ["posting"]
    assert all(c.is_placeholder or c.source == "posting" for c in people.contacts)
    assert len([r for r in caplog.records if "research uses the posting only" in r.message]) == 1


def test_web_research_off_fetches_nothing() -> None:
    settings.web_research = False  # restored by the fixture's monkeypatch
    with WebServer(routes()) as web:
        research = run(OfflineAnalyst().research(posting(web.url("/careers/x")), INTAKE))
        assert web.requests == []
    assert research.facts == []


def test_job_board_posting_is_not_the_company_site() -> None:
    research = run(OfflineAnalyst().research(posting("https://boards.greenhouse.io/northwind/jobs/1"), INTAKE))
    assert research.facts == [] and research.sources == ["posting"]


def test_old_results_load_without_facts() -> None:
    old = {"company_summary": "", "role_summary": "x", "notes": [], "sources": ["posting"], "website": None}
    assert Research.model_validate(old).facts == []


def test_dossier_lists_facts_and_ends_with_sources() -> None:
    with WebServer(routes()) as web:
        p = posting(web.url("/careers/senior-data-engineer"))
        analyst = OfflineAnalyst()
        research = run(analyst.research(p, INTAKE))
        people = run(analyst.people(p, INTAKE))
        base = web.base_url
    state = _state(p, research, people)
    md = render_dossier(state, {"offline": True, "run_id": 7, "model": "offline"})
    host = base.split("://")[1]
    assert f"- Northwind Health was founded in 2014 by two GPs in Leeds who wanted care to feel less like a queue. ([{host}/about-us]({base}/about-us), " in md
    sections = re.findall(r"^## (.+)$", md, re.MULTILINE)
    assert sections[-1] == "Sources"
    tail = md.split("## Sources", 1)[1]
    assert f"- the posting: <{p.url}>" in tail and f"- <{base}/about-us> (" in tail and f"- <{base}/team>" in tail
    assert "**company contact (Head of Data Engineering)**: Jonas Lindqvist — source: " + base + "/team" in md


def _state(p: Posting, research: Research, people) -> dict:
    analyst = OfflineAnalyst()
    pains = run(analyst.pain_points(p, INTAKE))
    fit = run(analyst.fit(p, INTAKE, "# Ana Example\n\n## Skills\nPython, SQL, dbt, Airflow\n"))
    writing = run(analyst.writing(p, INTAKE, pains, fit, research, "# Ana Example\n\n## Skills\nPython, SQL, dbt, Airflow\n"))
    return {
        "posting": p.model_dump(), "intake": INTAKE.model_dump(), "pain_points": pains.model_dump(), "research": research.model_dump(),
        "fit": fit.model_dump(), "people": people.model_dump(), "writing": writing.model_dump(),
    }  # fmt: skip


def test_model_path_facts_are_the_sites_never_the_models() -> None:
    from pipeline.graph.schemas import Contact, People
    from pipeline.llm.base import Usage
    from pipeline.llm.openai_analyst import LLMAnalyst
    from tests.support.fake_openai import FakeOpenAI, reply

    invented = {
        "company_summary": "A clinic group.", "role_summary": "Data engineering.", "notes": [], "sources": ["https://made-up.example"],
        "facts": [{"text": "Northwind Health has 9,000 staff.", "source_url": "https://made-up.example/about", "fetched_on": "2026-01-01"}],
    }  # fmt: skip
    people = People(contacts=[Contact(role="hiring manager", name="Invented Person", source="https://made-up.example/team")]).model_dump()
    # the facts call (pages sent, summaries cited): a claim no page states, citing a page that was sent
    cited = {"facts": [{"text": "Northwind Health has 9,000 staff.", "page": "P1", "quote": "Northwind Health has 9,000 staff"}]}
    with WebServer(routes()) as web, FakeOpenAI() as server:
        server.script(reply(invented), reply(cited), reply(people))
        a = LLMAnalyst(base_url=server.base_url, usage=Usage(), model="gpt-4o-mini", api_key="sk-test", timeout=5.0, max_retries=0)
        p = posting(web.url("/careers/senior-data-engineer"))
        research = run(a.research(p, INTAKE))
        got = run(a.people(p, INTAKE))
        base = web.base_url
    assert research.facts and all(f.source_url.startswith(base) for f in research.facts)
    assert "Northwind Health has 9,000 staff." not in [f.text for f in research.facts]
    assert research.sources[0] == "posting" and "https://made-up.example" not in research.sources
    named = {c.name: c for c in got.contacts if c.name}
    assert "Invented Person" not in named
    assert named["Jonas Lindqvist"].source == base + "/team"
