"""A local web server with realistic job pages, for the link fetcher and its extractors.

`WebServer` runs a ThreadingHTTPServer on 127.0.0.1 in a background thread (no child process),
answers each path from a `Route` (status, body, content type, headers, a delay, a huge body
streamed in chunks) and records what it was asked and how many body bytes it managed to send.

    with WebServer({"/job": Route(JOB_SINGLE)}) as web:
        fetch(web.url("/job"))

The pages below are modelled on what job sites serve: JSON-LD in its several shapes, a page
with none, closed postings, a Workday page and its cxs JSON, and the board APIs' JSON.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


@dataclass
class Route:
    body: str | bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    stream_bytes: int = 0  # send this many bytes of filler in 64 KB chunks instead of `body`
    declare_length: bool = True  # send Content-Length (for stream_bytes too)


class WebServer:
    def __init__(self, routes: Mapping[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.sent: dict[str, int] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # close-delimited bodies, one request per connection

            def log_message(self, *_a: Any) -> None:
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    route = Route("<html><body><h1>Not found</h1></body></html>", status=404)
                if route.delay:
                    time.sleep(route.delay)
                body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
                try:
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    for k, v in route.headers.items():
                        self.send_header(k, v)
                    size = route.stream_bytes or len(body)
                    if route.declare_length:
                        self.send_header("Content-Length", str(size))
                    self.end_headers()
                    if route.stream_bytes:
                        chunk = b"<p>" + b"x" * (65536 - 8) + b"</p>\n "
                        sent = 0
                        while sent < route.stream_bytes:
                            piece = chunk[: route.stream_bytes - sent]
                            self.wfile.write(piece)
                            sent += len(piece)
                            server._count(self.path, len(piece))
                    else:
                        self.wfile.write(body)
                        server._count(self.path, len(body))
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _count(self, path: str, n: int) -> None:
        with self._lock:
            self.sent[path] = self.sent.get(path, 0) + n

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()


def ld(obj: Any) -> str:
    """A JSON-LD block as sites write it: "</" escaped so a description's markup cannot end the script."""
    text = json.dumps(obj, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def page(head: str, body: str, title: str = "Careers") -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body><header><nav><a href="/">Home</a> <a href="/jobs">All jobs</a> <a href="/about">About us</a></nav></header>
{body}
<footer><p>© 2026 Example Careers · Privacy · Cookies</p></footer></body></html>"""


DESCRIPTION_HTML = (
    "<p>Northwind Health runs twelve clinics across Yorkshire. We are looking for a <strong>Senior Data Engineer</strong> "
    "to own our patient-flow pipelines.</p><h3>What you will do</h3><ul><li>Build and run Airflow DAGs over PostgreSQL</li>"
    "<li>Model data for the clinical dashboards</li></ul><h3>What you bring</h3><ul><li>5+ years of Python and SQL</li>"
    "<li>Experience with dbt</li></ul><script>alert('x')</script>"
)

POSTING = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "title": "Senior Data Engineer",
    "description": DESCRIPTION_HTML,
    "datePosted": "2026-03-02",
    "validThrough": "2099-04-30T23:59:59Z",
    "employmentType": ["FULL_TIME"],
    "hiringOrganization": {"@type": "Organization", "name": "Northwind Health", "sameAs": "https://northwind-health.example"},
    "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Leeds", "addressRegion": "West Yorkshire", "addressCountry": "GB"}},
    "baseSalary": {"@type": "MonetaryAmount", "currency": "GBP", "value": {"@type": "QuantitativeValue", "minValue": 60000, "maxValue": 75000, "unitText": "YEAR"}},
}

JOB_SINGLE = page(ld(POSTING), "<main><h1>Senior Data Engineer</h1><div id='app'>Loading…</div></main>", "Senior Data Engineer | Northwind Health")

JOB_GRAPH = page(
    ld(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebSite", "@id": "https://careers.example/#website", "name": "Contoso Careers"},
                {"@type": "BreadcrumbList", "itemListElement": [{"@type": "ListItem", "position": 1, "name": "Jobs"}]},
                {
                    "@type": ["JobPosting", "Thing"],
                    "title": "Pflegefachkraft (m/w/d) Intensivstation",
                    "description": "<p>Wir suchen eine <b>Pflegefachkraft</b> für unsere Intensivstation.</p><ul><li>Examen als Pflegefachkraft</li></ul>",
                    "datePosted": "2026-02-10T08:00:00+01:00",
                    "employmentType": "FULL_TIME, PART_TIME",
                    "hiringOrganization": {"@type": "Organization", "name": "Klinikum Contoso"},
                    "jobLocation": [
                        {"@type": "Place", "address": {"addressLocality": "München", "addressCountry": {"@type": "Country", "name": "DE"}}},
                        {"@type": "Place", "address": {"addressLocality": "Augsburg", "addressCountry": "DE"}},
                    ],
                    "baseSalary": {"@type": "MonetaryAmount", "currency": "EUR", "value": {"@type": "QuantitativeValue", "value": 4200, "unitText": "MONTH"}},
                },
            ],
        }
    ),
    "<main><h1>Pflegefachkraft (m/w/d)</h1></main>",
)

JOB_ARRAY = page(
    ld(
        [
            {"@context": "http://schema.org", "@type": "Organization", "name": "Fabrikam"},
            {
                "@context": "http://schema.org",
                "@type": "http://schema.org/JobPosting",
                "title": "Warehouse Team Lead",
                # entity-escaped HTML, as some CMSs publish it
                "description": "&lt;p&gt;Lead a team of 14 in our Rotterdam warehouse.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Forklift licence&lt;/li&gt;&lt;/ul&gt;",
                "hiringOrganization": "Fabrikam Logistics",
                "jobLocationType": "TELECOMMUTE",
                "applicantLocationRequirements": {"@type": "Country", "name": "Netherlands"},
                "employmentType": "CONTRACTOR",
                "baseSalary": {"currency": "EUR", "value": {"minValue": "25", "maxValue": "30", "unitText": "HOUR"}},
            },
        ]
    ),
    "<main><h1>Warehouse Team Lead</h1></main>",
)

JOB_NO_JSONLD = page(
    '<meta property="og:site_name" content="Tailspin Toys"><meta property="og:title" content="Store Manager - Tailspin Toys">',
    """<main><article><h1>Store Manager</h1>
<p>Tailspin Toys is hiring a store manager for our flagship shop in Utrecht. You will lead a team of nine,
own the weekly rota and the stock counts, and make the shop the best place in town to buy a kite.</p>
<h2>About you</h2><ul><li>Three years managing a retail team</li><li>Fluent Dutch and English</li></ul>
<p>We offer a permanent contract, 27 days of leave and a staff discount.</p></article></main>""",
    "Store Manager - Tailspin Toys",
)

JOB_EXPIRED = page(ld({**POSTING, "title": "Night Nurse", "validThrough": "2020-01-31"}), "<main><h1>Night Nurse</h1></main>")

JOB_NO_LONGER_ACCEPTING = page(
    ld({**POSTING, "title": "Barista", "validThrough": None}),
    "<main><h1>Barista</h1><div class='banner'>This job is no longer accepting applications.</div></main>",
)

JOB_BESETZT = page("", "<main><h1>Buchhalter (m/w/d)</h1><p>Diese Stelle ist bereits besetzt. Vielen Dank für Ihr Interesse.</p></main>")

WORKDAY_PAGE = page(
    ld(
        {
            "@context": "http://schema.org",
            "@type": "JobPosting",
            "title": "Payroll Specialist",
            "description": "<p>Run payroll for 3,000 employees in the Nordics.</p>",
            "datePosted": "2026-03-05",
            "employmentType": "FULL_TIME",
            "hiringOrganization": {"@type": "Organization", "name": "Woodgrove Bank"},
            "jobLocation": {"@type": "Place", "address": {"addressLocality": "Stockholm", "addressCountry": "SE"}},
            "identifier": {"@type": "PropertyValue", "name": "Woodgrove Bank", "value": "R-10234"},
        }
    ),
    "<div id='root' data-automation-id='jobPostingPage'></div><noscript>Please enable JavaScript</noscript>",
    "Payroll Specialist",
)

WORKDAY_CXS = {
    "jobPostingInfo": {
        "id": "5f2a",
        "title": "Payroll Specialist",
        "jobDescription": "<p>Run payroll for 3,000 employees in the Nordics.</p><p><b>Requirements</b></p><ul><li>Swedish payroll law</li></ul>",
        "location": "Stockholm, Sweden",
        "additionalLocations": ["Oslo, Norway"],
        "postedOn": "Posted 5 Days Ago",
        "startDate": "2026-03-05",
        "timeType": "Full time",
        "jobReqId": "R-10234",
        "remoteType": "Hybrid",
        "canApply": True,
        "externalUrl": "https://woodgrove.wd3.myworkdayjobs.com/Careers/job/Stockholm-Sweden/Payroll-Specialist_R-10234",
    },
    "hiringOrganization": {"name": "Woodgrove Bank", "url": ""},
}

PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

GREENHOUSE_JOB = {
    "id": 4567890,
    "title": "Product Designer",
    "company_name": "Acme Robotics",
    "location": {"name": "Berlin, Germany"},
    "absolute_url": "https://boards.greenhouse.io/acme/jobs/4567890",
    "content": "&lt;p&gt;Design the console our robot fleet operators use.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Figma&lt;/li&gt;&lt;/ul&gt;",
    "first_published": "2026-02-20T10:00:00-05:00",
    "updated_at": "2026-03-01T10:00:00-05:00",
    "departments": [{"name": "Design"}],
    "metadata": None,
}

LEVER_ID = "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
LEVER_POSTING = {
    "id": LEVER_ID,
    "text": "Backend Engineer (Go)",
    "categories": {"location": "Lisbon", "team": "Platform", "commitment": "Full-time"},
    "description": "<div>We build payments for small shops.</div>",
    "lists": [{"text": "Requirements", "content": "<li>Go in production</li><li>PostgreSQL</li>"}],
    "additional": "<div>Hybrid, two days in the office.</div>",
    "hostedUrl": f"https://jobs.lever.co/paylane/{LEVER_ID}",
    "createdAt": 1772000000000,
    "salaryRange": {"min": 50000, "max": 65000, "currency": "EUR", "interval": "per-year-salary"},
}

ASHBY_ID = "9f8e7d6c-5b4a-4939-8271-605f4e3d2c1b"
ASHBY_BOARD = {
    "jobs": [
        {"id": "11111111-2222-4333-8444-555555555555", "title": "Other role", "isListed": True},
        {
            "id": ASHBY_ID,
            "title": "Customer Success Manager",
            "location": "Dublin",
            "isRemote": True,
            "employmentType": "FullTime",
            "publishedAt": "2026-03-03T12:00:00.000+00:00",
            "descriptionHtml": "<p>Own the relationship with forty mid-market customers.</p>",
            "jobUrl": f"https://jobs.ashbyhq.com/brightdesk/{ASHBY_ID}",
            "isListed": True,
            "compensation": {"compensationTierSummary": "€55K – €70K"},
        },
    ]
}

SMARTRECRUITERS_POSTING = {
    "id": "743999912345678",
    "name": "Field Service Technician",
    "company": {"identifier": "Adatum", "name": "Adatum Corporation"},
    "location": {"city": "Lyon", "region": "Auvergne-Rhône-Alpes", "country": "fr", "remote": False},
    "releasedDate": "2026-02-27T09:12:00.000Z",
    "typeOfEmployment": {"label": "Full-time"},
    "jobAd": {
        "sections": {
            "companyDescription": {"title": "Company Description", "text": "<p>Adatum installs medical imaging equipment.</p>"},
            "jobDescription": {"title": "Job Description", "text": "<p>Service MRI scanners across the region.</p>"},
            "qualifications": {"title": "Qualifications", "text": "<ul><li>BTS in electronics</li></ul>"},
        }
    },
}
