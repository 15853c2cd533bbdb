"""pipeline.web.extract: JSON-LD in its shapes, main content, title, and closed postings; and a link read end to end."""

from __future__ import annotations

import socket
from datetime import date

import pytest

from pipeline.sources.files import make_job
from pipeline.web import fetch as fetch_mod
from pipeline.web.boards import check_link, read_posting
from pipeline.web.extract import Salary, closed_phrase, extract_posting, find_job_posting, json_ld_blocks
from pipeline.web.fetch import FetchError
from tests.support.web_pages import (
    JOB_ARRAY,
    JOB_BESETZT,
    JOB_EXPIRED,
    JOB_GRAPH,
    JOB_NO_JSONLD,
    JOB_NO_LONGER_ACCEPTING,
    JOB_SINGLE,
    WORKDAY_PAGE,
    Route,
    WebServer,
    ld,
    page,
)

TODAY = date(2026, 3, 10)
URL = "https://careers.example/jobs/1"


@pytest.fixture(autouse=True)
def no_real_dns(monkeypatch):
    def resolver(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(fetch_mod, "resolve", resolver)


def test_single_jsonld_object():
    d = extract_posting(JOB_SINGLE, url=URL, today=TODAY)
    assert d.source == "jsonld"
    assert d.title == "Senior Data Engineer"
    assert d.company == "Northwind Health"
    assert d.company_url == "https://northwind-health.example"
    assert d.location == "Leeds, West Yorkshire, GB"
    assert d.date_posted == date(2026, 3, 2) and d.valid_through == date(2099, 4, 30)
    assert d.employment_type == "Full-time"
    assert d.salary == Salary(60000, 75000, "GBP", "year")
    assert d.salary.words() == "GBP 60,000-75,000 a year"
    md = d.description_markdown
    assert "**Senior Data Engineer**" in md and "### What you will do" in md and "- Build and run Airflow DAGs over PostgreSQL" in md
    assert "alert" not in md and "<" not in md
    assert not d.closed and d.url == URL


def test_graph_with_type_list_and_several_places():
    d = extract_posting(JOB_GRAPH, url=URL, today=TODAY)
    assert d.title == "Pflegefachkraft (m/w/d) Intensivstation"
    assert d.company == "Klinikum Contoso"
    assert d.location == "München, DE; Augsburg, DE"
    assert d.employment_type == "Full-time, Part-time"
    assert d.date_posted == date(2026, 2, 10)
    assert d.salary == Salary(4200, 4200, "EUR", "month")
    assert "**Pflegefachkraft**" in d.description_markdown and "- Examen als Pflegefachkraft" in d.description_markdown


def test_array_with_iri_type_escaped_html_and_remote():
    d = extract_posting(JOB_ARRAY, url=URL, today=TODAY)
    assert d.title == "Warehouse Team Lead"
    assert d.company == "Fabrikam Logistics"
    assert d.location == "Remote (Netherlands)"
    assert d.employment_type == "Contract"
    assert d.salary == Salary(25, 30, "EUR", "hour")
    assert d.description_markdown.startswith("Lead a team of 14") and "- Forklift licence" in d.description_markdown


def test_jsonld_inside_comment_markers_and_with_a_trailing_comma():
    html = '<html><head><script type="application/ld+json"><!-- {"@type": "JobPosting", "title": "Cook", "description": "Plain text.",} --></script></head><body></body></html>'
    d = extract_posting(html, url=URL, today=TODAY)
    assert (d.title, d.description_markdown) == ("Cook", "Plain text.")


def test_broken_jsonld_is_skipped_for_the_next_block():
    import lxml.html

    html = '<html><head><script type="application/ld+json">{not json</script>' + ld({"@type": "JobPosting", "title": "Porter"}) + "</head><body></body></html>"
    assert find_job_posting(json_ld_blocks(lxml.html.document_fromstring(html)))["title"] == "Porter"


def test_main_content_when_there_is_no_jsonld():
    d = extract_posting(JOB_NO_JSONLD, url=URL, today=TODAY)
    assert d.source == "content"
    assert d.title == "Store Manager"
    assert d.company == "Tailspin Toys"
    md = d.description_markdown
    assert "flagship shop in Utrecht" in md and "Three years managing a retail team" in md
    assert "All jobs" not in md and "Cookies" not in md  # menus and footer left out


def test_title_only_page():
    html = "<html><head><title>Gardener | Green Spaces Ltd</title></head><body></body></html>"
    d = extract_posting(html, url=URL, today=TODAY)
    assert d.title == "Gardener" and d.source == "title" and d.description_markdown == ""


def test_workday_page_jsonld():
    d = extract_posting(WORKDAY_PAGE, url="https://woodgrove.wd3.myworkdayjobs.com/Careers/job/Stockholm-Sweden/Payroll-Specialist_R-10234", today=TODAY)
    assert (d.title, d.company, d.location) == ("Payroll Specialist", "Woodgrove Bank", "Stockholm, SE")
    assert "Run payroll for 3,000 employees" in d.description_markdown


def test_job_fields_go_through_make_job():
    fields = extract_posting(JOB_SINGLE, url=URL, today=TODAY).job_fields()
    job = make_job(fields, "url")
    assert job.external_id == URL and job.url == URL and job.title == "Senior Data Engineer"
    assert "- Salary: GBP 60,000-75,000 a year" in job.description and "- Apply by: 2099-04-30" in job.description
    assert job.tags == ["Full-time"]


# ---------------------------------------------------------------- closed postings


def test_valid_through_in_the_past_is_closed():
    d = extract_posting(JOB_EXPIRED, url=URL, today=TODAY)
    assert d.closed and "closing date (2020-01-31) has passed" in d.closed_reason


def test_closing_day_itself_is_still_open():
    html = page(ld({"@type": "JobPosting", "title": "Clerk", "validThrough": "2026-03-10T23:59"}), "")
    assert not extract_posting(html, url=URL, today=TODAY).closed


def test_no_longer_accepting_applications_is_closed():
    d = extract_posting(JOB_NO_LONGER_ACCEPTING, url=URL, today=TODAY)
    assert d.closed and "no longer accepting applications" in d.closed_reason
    assert d.title == "Barista"  # still read


def test_german_closed_phrase():
    d = extract_posting(JOB_BESETZT, url=URL, today=TODAY)
    assert d.closed and "stelle ist bereits besetzt" in d.closed_reason


@pytest.mark.parametrize(
    "text",
    [
        "Sorry, this job is no longer available.",
        "This position has been filled.",
        "Esta empresa ya no acepta candidaturas para esta oferta.",
        "Cette offre n’est plus disponible.",  # a typographic apostrophe
        "Deze vacature is gesloten.",
        "Diese Stelle ist bereits besetzt",
    ],
)
def test_closed_phrases_in_several_languages(text):
    assert closed_phrase(text)


def test_a_phrase_inside_a_script_does_not_close_the_posting():
    html = page(ld({"@type": "JobPosting", "title": "Clerk"}), "<main><h1>Clerk</h1><script>var msg='This job is no longer available';</script></main>")
    assert not extract_posting(html, url=URL, today=TODAY).closed


def test_an_ordinary_posting_is_not_closed():
    for html in (JOB_SINGLE, JOB_GRAPH, JOB_ARRAY, JOB_NO_JSONLD):
        assert not extract_posting(html, url=URL, today=TODAY).closed


# ---------------------------------------------------------------- a link read end to end


def test_read_posting_from_a_local_page(monkeypatch):
    monkeypatch.setenv("ALLOW_PRIVATE_FETCH", "1")
    with WebServer({"/jobs/42": Route(JOB_GRAPH), "/closed": Route(JOB_NO_LONGER_ACCEPTING)}) as web:
        d = read_posting(web.url("/jobs/42"))
        assert d.title.startswith("Pflegefachkraft") and d.url == web.url("/jobs/42") and not d.closed
        assert read_posting(web.url("/closed")).closed


def test_a_404_link_is_an_error_to_import_and_closed_to_check(monkeypatch):
    monkeypatch.setenv("ALLOW_PRIVATE_FETCH", "1")
    with WebServer({"/removed": Route("gone", status=410)}) as web:
        with pytest.raises(FetchError) as info:
            read_posting(web.url("/missing"))
        assert info.value.code == "http_status" and info.value.status == 404
        d = check_link(web.url("/missing"))
        assert d.closed and "HTTP 404" in d.closed_reason
        assert check_link(web.url("/removed")).closed_reason.startswith("the page answers HTTP 410")
