"""Read a company's own web site, politely: the pages research and the people layer quote.

`read_site(start_url)` fetches the home page, picks same-site links whose path or anchor text
suggests about / team / careers / press pages (words in en, de, es, fr, nl, it), and fetches
at most `ResearchBudget.max_pages` pages in all. Rules:

- Only the start URL's registrable host (www. and sub-domains of it count; another site never).
- robots.txt is read first for each host and honoured with our User-Agent's product token: a
  disallowed path is never requested. A robots.txt that cannot be read because the site is
  down (5xx, timeout) disallows everything; a missing one (4xx) allows everything (RFC 9309).
- Politeness: at least `min_interval` seconds between two requests to one host.
- A per-run `ResearchBudget`: at most `max_calls` requests (robots.txt included) and an overall
  deadline; the research layer creates one and passes it around.
- Every request goes through `pipeline.web.fetch.fetch` (SSRF guard, size and time caps), by way
  of the store's page cache (`pipeline.web.cache`, WEB_CACHE_DAYS): a page or robots.txt read
  in the last days is answered from the store, costs no request from the budget and no
  politeness wait, and is counted in `SiteRead.cache_hits`. Robots rules apply to it alike.

The main text of each page comes from trafilatura. `read_site_cached` shares one read between
the research and people layers of a run (they run at the same time in the graph).
"""

from __future__ import annotations

import ipaddress
import logging
import re
import threading
import time
import unicodedata
import urllib.parse
import urllib.robotparser
from dataclasses import dataclass, field
from datetime import datetime

import lxml.html
import trafilatura

from pipeline.web.cache import cached_fetch
from pipeline.web.fetch import FetchError
from pipeline.web.memo import SingleFlight

log = logging.getLogger(__name__)

ROBOTS_AGENT = "jobapp"  # the product token of fetch.user_agent()
PAGE_TIMEOUT = 8.0  # seconds per page: research is a side dish, not the meal
PAGE_MAX_BYTES = 2_000_000
MIN_INTERVAL = 1.0  # seconds between two requests to one host (tests set 0)

# Hosts that carry postings for many companies: a posting there says nothing about the company's own site.
JOB_BOARD_HOSTS = (
    "greenhouse.io", "lever.co", "ashbyhq.com", "smartrecruiters.com", "myworkdayjobs.com", "workday.com", "linkedin.com",
    "indeed.com", "indeed.de", "indeed.co.uk", "glassdoor.com", "stepstone.de", "stepstone.be", "monster.com", "xing.com",
    "welcometothejungle.com", "personio.de", "personio.com", "recruitee.com", "teamtailor.com", "workable.com", "bamboohr.com",
    "jobs.ch", "jobup.ch", "infojobs.net", "nationalvacancies.nhs.uk", "jobs.nhs.uk", "reed.co.uk", "totaljobs.com", "ziprecruiter.com",
    "join.com", "breezy.hr", "jobvite.com", "icims.com", "taleo.net", "successfactors.com", "arbeitsagentur.de", "nationalevacaturebank.nl",
    "werkzoeken.nl", "indeed.nl", "indeed.es", "indeed.fr", "welcomekit.co", "hellowork.com", "apec.fr", "google.com", "wellfound.com",
)  # fmt: skip
# Second-level labels under which a registrable name has three labels (example.co.uk).
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc", "nhs", "sch", "gob", "gouv", "or", "ne"})

# Link words by kind, in the languages the app writes (accents folded, hyphens/underscores as spaces).
KINDS: dict[str, tuple[str, ...]] = {
    "about": (
        "about", "about us", "company", "who we are", "our story", "mission", "ueber uns", "uber uns", "unternehmen",
        "quienes somos", "nosotros", "sobre nosotros", "empresa", "a propos", "qui sommes nous", "entreprise", "over ons",
        "over", "bedrijf", "chi siamo", "azienda", "story",
    ),
    "team": (
        "team", "our team", "people", "staff", "leadership", "management", "founders", "board", "equipo", "equipe", "ons team",
        "medewerkers", "geschaeftsfuehrung", "geschaftsfuhrung", "vorstand", "direccion", "direction", "directie", "squadra",
    ),
    "press": (
        "press", "news", "newsroom", "media", "blog", "presse", "aktuelles", "neuigkeiten", "prensa", "noticias", "actualites",
        "communiques", "pers", "nieuws", "stampa", "notizie", "press releases",
    ),
    "careers": (
        "careers", "career", "jobs", "join us", "work with us", "karriere", "stellenangebote", "jobs und karriere", "empleo",
        "trabaja con nosotros", "carrieres", "carriere", "recrutement", "werken bij", "vacatures", "lavora con noi",
    ),
}  # fmt: skip
KIND_ORDER = ("about", "team", "press", "careers")
_SKIP_PATH = re.compile(
    r"(?:login|signin|sign-in|register|cart|checkout|privacy|datenschutz|cookie|terms|agb|legal|impressum|imprint|"
    r"\.(?:pdf|jpe?g|png|gif|svg|webp|zip|docx?|xlsx?|mp4|mp3)$)",
    re.IGNORECASE,
)


class BudgetExhausted(Exception):
    """The run's research budget (calls or time) is spent."""


@dataclass
class ResearchBudget:
    """What one run may spend on the web: requests, pages, seconds, and the pace per host."""

    max_calls: int = 20
    max_pages: int = 8
    max_searches: int = 3  # web searches about the company (pipeline/web/search.py), counted in max_calls too
    min_interval: float = field(default_factory=lambda: MIN_INTERVAL)  # seconds between two requests to one host
    deadline_seconds: float = 60.0
    page_timeout: float = PAGE_TIMEOUT
    calls: int = 0
    searches: int = 0
    requested: list[str] = field(default_factory=list)  # every URL asked for, in order
    _last: dict[str, float] = field(default_factory=dict)
    _start: float = field(default_factory=time.monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def left(self) -> float:
        return self.deadline_seconds - (time.monotonic() - self._start)

    def take(self, url: str) -> float:
        """Count one request to `url`, waiting for the host's interval first; the seconds it may take."""
        host = (urllib.parse.urlsplit(url).netloc or "").lower()
        with self._lock:
            if self.calls >= self.max_calls:
                raise BudgetExhausted(f"the research budget of {self.max_calls} requests is spent")
            wait = self._last.get(host, -1e9) + self.min_interval - time.monotonic()
            if wait > self.left():
                raise BudgetExhausted("the research time budget is spent")
            if wait > 0:
                time.sleep(wait)
            if self.left() <= 0:
                raise BudgetExhausted("the research time budget is spent")
            self.calls += 1
            self._last[host] = time.monotonic()
            self.requested.append(url)
            return max(0.5, min(self.page_timeout, self.left()))

    def can_search(self) -> bool:
        with self._lock:
            return self.searches < self.max_searches and self.calls < self.max_calls and self.left() > 0

    def take_search(self, url: str, timeout: float) -> float:
        """Count one search request (a call too; no per-host pause: the provider's token bucket paces it); the seconds it may take."""
        with self._lock:
            if self.searches >= self.max_searches or self.calls >= self.max_calls:
                raise BudgetExhausted(f"the research budget of {self.max_searches} searches / {self.max_calls} requests is spent")
            if self.left() <= 0:
                raise BudgetExhausted("the research time budget is spent")
            self.calls += 1
            self.searches += 1
            self.requested.append(url)
            return max(0.5, min(timeout, self.left()))


@dataclass(frozen=True)
class SitePage:
    url: str
    fetched_at: datetime
    title: str
    text: str  # main content as plain text with line breaks (trafilatura)
    kind: str = "home"  # home, about, team, press, careers


@dataclass
class SiteRead:
    pages: list[SitePage] = field(default_factory=list)
    error: str = ""  # why the read stopped early ("" when it did not)
    skipped_by_robots: list[str] = field(default_factory=list)
    cache_hits: int = 0  # pages and robots.txt answered from the store's page cache (no request)
    fetched: int = 0  # requests made to the web (pages and robots.txt)
    search: list[SitePage] = field(default_factory=list)  # web search results about the company (kind "search"): facts, never people


# ---------------------------------------------------------------- hosts


def registrable(host: str) -> str:
    """`careers.northwind.co.uk` -> `northwind.co.uk`; an IP address stays itself (no public-suffix list: a close rule)."""
    h = (host or "").lower().strip("[]").rstrip(".")
    try:
        ipaddress.ip_address(h)
        return h
    except ValueError:
        pass
    labels = h.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def same_site(url: str, start: str) -> bool:
    a, b = urllib.parse.urlsplit(url), urllib.parse.urlsplit(start)
    if a.scheme not in ("http", "https") or not a.hostname or not b.hostname:
        return False
    if registrable(a.hostname) != registrable(b.hostname):
        return False
    try:  # an address: the port is part of the site (a test server, an intranet)
        ipaddress.ip_address(a.hostname)
        return a.port == b.port
    except ValueError:
        return True


def is_job_board(url: str) -> bool:
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return any(host == b or host.endswith("." + b) for b in JOB_BOARD_HOSTS)


_CAREERS_HOST = re.compile(r"^(?:careers?|jobs?|karriere|carreras|carrieres|werkenbij|vacatures|apply|recruiting|talent)\.", re.IGNORECASE)


def company_start_url(posting_url: str = "", company_url: str = "") -> str:
    """Where to start reading: the company's own URL (JSON-LD sameAs) when known, else the posting's site unless it is a job board."""
    for u in (company_url, posting_url):
        parts = urllib.parse.urlsplit((u or "").strip())
        if parts.scheme in ("http", "https") and parts.netloc and not is_job_board(u):
            host = parts.hostname or ""
            if _CAREERS_HOST.match(host) and registrable(host) != host:  # careers.acme.com: the company is at acme.com
                return f"{parts.scheme}://{registrable(host)}/"
            return f"{parts.scheme}://{parts.netloc}/"
    return ""


# ---------------------------------------------------------------- robots.txt


class _Robots:
    def __init__(self, budget: ResearchBudget, out: SiteRead | None = None) -> None:
        self.budget = budget
        self.out = out if out is not None else SiteRead()
        self.parsers: dict[str, urllib.robotparser.RobotFileParser | None] = {}  # None: everything allowed

    def allowed(self, url: str) -> bool:
        parts = urllib.parse.urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.parsers:
            self.parsers[origin] = self._read(origin)
        rp = self.parsers[origin]
        return True if rp is None else rp.can_fetch(ROBOTS_AGENT, url)

    def _read(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        robots_url = origin + "/robots.txt"
        rp = urllib.robotparser.RobotFileParser(robots_url)
        try:
            page = cached_fetch(robots_url, timeout=self.budget.take, max_bytes=500_000, accept=("text/plain", "text/*"))
            _count(self.out, page.from_cache)
        except FetchError as exc:
            _count(self.out, getattr(exc, "from_cache", False))
            if exc.code == "http_status" and exc.status is not None and 400 <= exc.status < 500:
                return None  # no robots.txt: everything allowed
            if exc.code == "not_html":  # served as something odd (HTML error page): treat as absent
                return None
            raise  # unreachable, 5xx, DNS: the site is not readable now
        rp.parse(page.text.splitlines())
        return rp


# ---------------------------------------------------------------- links


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss").replace("ü", "ue").replace("ö", "oe").replace("ä", "ae"))
    t = "".join(c for c in t if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", t).strip()


def _folds(text: str) -> set[str]:
    """Both folds of German umlauts (ueber / uber) so either spelling in a path matches."""
    plain = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    plain = re.sub(r"[^a-z0-9]+", " ", "".join(c for c in plain if not unicodedata.combining(c))).strip()
    return {_fold(text), plain}


def link_kind(href: str, anchor: str) -> str:
    """The kind a link's last path segments or anchor text suggest, or ""."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(href).path)
    segs = [s for s in path.split("/") if s][-2:]
    # The last segment speaks first (/about/leadership is a team page), then the anchor, then the parent segment.
    texts = [*segs[-1:], anchor, *segs[:-1]]
    for c in (f for t in texts for f in sorted(_folds(t))):
        if not c:
            continue
        for kind in KIND_ORDER:
            words = KINDS[kind]
            if c in words or any(c.startswith(w + " ") or c.endswith(" " + w) for w in words if len(w) > 3):
                return kind
    return ""


def page_links(html: str, base_url: str) -> list[tuple[str, str]]:
    """(absolute URL without fragment, anchor text) for every <a href> on the page."""
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    out: list[tuple[str, str]] = []
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urllib.parse.urljoin(base_url, href).split("#", 1)[0]
        out.append((url, " ".join(a.text_content().split())[:80]))
    return out


def _title(html: str) -> str:
    m = re.search(r"<title[^>]*>(.*?)</title>", html, re.IGNORECASE | re.DOTALL)
    return " ".join(lxml.html.fromstring(m.group(1)).text_content().split()) if m and m.group(1).strip() else ""


def main_text(html: str, url: str) -> str:
    try:
        text = trafilatura.extract(html, url=url or None, output_format="txt", include_comments=False, include_tables=True, favor_recall=True)
    except Exception:  # noqa: BLE001 - trafilatura raises many kinds on odd markup; no text is the answer
        text = None
    return (text or "").strip()


# ---------------------------------------------------------------- the read


def _canon(url: str) -> str:
    p = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((p.scheme, p.netloc.lower(), p.path.rstrip("/") or "/", p.query, ""))


def _count(out: SiteRead, from_cache: bool) -> None:
    if from_cache:
        out.cache_hits += 1
    else:
        out.fetched += 1


def read_site(start_url: str, budget: ResearchBudget | None = None) -> SiteRead:
    """Read the home page at `start_url` and up to `budget.max_pages - 1` about/team/press/careers pages of the same site.

    Never raises for the web: a failure stops the read and is given in `SiteRead.error`
    (the pages read so far are kept)."""
    budget = budget or ResearchBudget()
    out = SiteRead()
    robots = _Robots(budget, out)
    seen: set[str] = set()
    queue: list[tuple[str, str]] = [(start_url, "home")]
    try:
        while queue and len(out.pages) < budget.max_pages:
            url, kind = queue.pop(0)
            key = _canon(url)
            if key in seen:
                continue
            seen.add(key)
            if not robots.allowed(url):
                out.skipped_by_robots.append(url)
                continue
            try:
                page = cached_fetch(url, timeout=budget.take, max_bytes=PAGE_MAX_BYTES)
                _count(out, page.from_cache)
            except FetchError as exc:
                _count(out, getattr(exc, "from_cache", False))
                if kind == "home" or exc.code in ("dns", "unreachable", "private_address", "timeout"):
                    raise
                log.info("site read: %s skipped (%s)", url, exc.code)
                continue
            if not same_site(page.final_url, start_url):
                continue  # redirected off the site
            seen.add(_canon(page.final_url))
            text = main_text(page.text, page.final_url)
            out.pages.append(SitePage(url=page.final_url, fetched_at=page.fetched_at, title=_title(page.text), text=text, kind=kind))
            if kind in ("home", "about"):  # team pages are often linked from "about" only
                found: list[tuple[int, str, str]] = []
                for link, anchor in page_links(page.text, page.final_url):
                    if not same_site(link, start_url) or _SKIP_PATH.search(urllib.parse.urlsplit(link).path) or _canon(link) in seen:
                        continue
                    k = link_kind(link, anchor)
                    if k and all(_canon(link) != _canon(q) for q, _ in queue) and all(_canon(link) != _canon(u) for _, u, _ in found):
                        found.append((KIND_ORDER.index(k), link, k))
                queue += [(link, k) for _, link, k in sorted(found, key=lambda f: f[0])]
    except (FetchError, BudgetExhausted) as exc:
        out.error = exc.message if isinstance(exc, FetchError) else str(exc)
    if out.error and not out.pages:
        log.info("web research: %s not read (%s); research uses the posting only", start_url, out.error)
    else:
        log.info("web research: %s: %d pages (%d requests, %d from the page cache)", start_url, len(out.pages), out.fetched, out.cache_hits)
    return out


# One read per start URL shared by a run's research and people layers (they run side by side).
_READS: SingleFlight[str, SiteRead] = SingleFlight(seconds=600.0, size=32)


def read_site_cached(start_url: str, budget: ResearchBudget | None = None) -> SiteRead:
    return _READS.get(_canon(start_url), lambda: read_site(start_url, budget))


def read_for_posting(
    posting_url: str = "", company_url: str = "", budget: ResearchBudget | None = None, *, company: str = "", enabled: bool | None = None,
) -> SiteRead | None:
    """The company's site for a posting when web research is on and a start URL is known, else None.

    `company`: the company's name: with a search provider configured, results about it come in
    `SiteRead.search` (pipeline/web/search.py; a read of those alone when no start URL is known);
    `enabled`: the owner's saved setting
    (the analyst's `web_research`); None: WEB_RESEARCH."""
    from pipeline.settings import settings
    from pipeline.web import search

    start = company_start_url(posting_url, company_url)
    on = settings.web_research if enabled is None else enabled
    if not on:
        return None
    budget = budget or ResearchBudget()
    searching = search.start(company, budget)  # news, funding, size, beside the site read (a search provider configured)
    if not start and searching is None:
        return None
    return search.attach(read_site_cached(start, budget) if start else None, searching)


async def company_site(posting_url: str = "", company_url: str = "", *, company: str = "", enabled: bool | None = None) -> SiteRead | None:
    """`read_for_posting` off the event loop: the research and people layers of a run share one read."""
    import asyncio

    return await asyncio.to_thread(read_for_posting, posting_url, company_url, company=company, enabled=enabled)


def clear_cache() -> None:
    _READS.clear()
