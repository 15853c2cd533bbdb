"""Web search about a company for the research layer: its news, funding and size.

Providers, chosen by settings (the first configured one is used):
- Firecrawl (`FIRECRAWL_API_KEY`, `FIRECRAWL_URL`): `POST {base}/v2/search` with
  `{"query", "limit"}` and `Authorization: Bearer KEY`; the answer is
  `{"success": true, "data": {"web": [{"url", "title", "description"}], "news": [...]}}`
  (v1's `"data": [...]` list is read too).
- SearXNG (`SEARXNG_URL`, self-hosted, its JSON format enabled): `GET {base}/search?q=...&format=json`
  answering `{"results": [{"url", "title", "content"}]}`.
Neither configured: no searches at all (the offline behaviour is unchanged).

At most `ResearchBudget.max_searches` queries a run (default 3), each counted in the run's call
cap too, each first taking a token from the provider's bucket (pipeline/web/ratelimit.py:
SEARCH_RATE_PER_MINUTE, shared by all processes through Redis when hosted). The provider's URL is
the operator's, so it is called with a plain httpx client (timeouts, no redirects, a size cap);
result URLs are never fetched here, only quoted as sources. A provider error (401, 429, a
timeout, an answer that is not the expected JSON) logs one line (never the key) and research
goes on with the company's site alone.

Each result becomes a `SitePage` of kind "search" (title and snippet as its text, the result's
URL, the time of the search): pipeline/web/facts.py picks verbatim sentences from it that name
the company; the people layer never reads these pages.
"""

from __future__ import annotations

import json
import logging
import urllib.parse
from abc import ABC, abstractmethod
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import httpx

from pipeline.web.memo import SingleFlight
from pipeline.web.ratelimit import bucket_for
from pipeline.web.site import BudgetExhausted, ResearchBudget, SitePage, SiteRead

log = logging.getLogger(__name__)

QUERIES = ("{company} news", "{company} funding", "{company} employees")
RESULTS_PER_QUERY = 5
SEARCH_TIMEOUT = 15.0  # seconds per search request
MAX_ANSWER_BYTES = 2_000_000


class SearchError(Exception):
    """A provider that did not answer with results; `reason` is safe to log (no key, no query)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SearchResult:
    url: str
    title: str
    snippet: str


class Provider(ABC):
    """A search service; Firecrawl and SearXNG below say where and how to ask."""

    name = ""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    @property
    @abstractmethod
    def endpoint(self) -> str: ...

    @abstractmethod
    def search(self, query: str, limit: int, timeout: float) -> list[SearchResult]: ...

    def _send(self, request: httpx.Request, timeout: float) -> object:
        """The JSON answer to `request`, or SearchError with a reason that names no secret."""
        from pipeline.web.fetch import user_agent

        request.headers["User-Agent"] = user_agent()
        request.headers["Accept"] = "application/json"
        try:
            with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False) as client:
                response = client.send(request, stream=True)
                try:
                    if response.status_code != 200:
                        raise SearchError(f"HTTP {response.status_code}")
                    body = b""
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > MAX_ANSWER_BYTES:
                            raise SearchError("an answer over 2 MB")
                finally:
                    response.close()
        except httpx.TimeoutException:
            raise SearchError("timed out") from None
        except httpx.HTTPError as exc:
            raise SearchError(f"unreachable ({type(exc).__name__})") from None
        try:
            return json.loads(body)
        except ValueError:
            raise SearchError("an answer that is not JSON") from None


class Firecrawl(Provider):
    name = "firecrawl"

    def __init__(self, base_url: str, api_key: str) -> None:
        super().__init__(base_url)
        self._key = api_key

    def __repr__(self) -> str:  # never the key
        return f"Firecrawl({self.base_url!r})"

    @property
    def endpoint(self) -> str:
        return f"{self.base_url}/v2/search"

    def search(self, query: str, limit: int, timeout: float) -> list[SearchResult]:
        request = httpx.Request(
            "POST", self.endpoint, json={"query": query, "limit": limit}, headers={"Authorization": f"Bearer {self._key}"}
        )
        answer = self._send(request, timeout)
        if not isinstance(answer, dict) or answer.get("success") is False:
            raise SearchError("an answer without success")
        data = answer.get("data")
        items: list[object] = []
        if isinstance(data, list):  # v1
            items = data
        elif isinstance(data, dict):  # v2: results by source
            for source in ("web", "news"):
                if isinstance(data.get(source), list):
                    items += data[source]
        else:
            raise SearchError("an answer without data")
        return _results(items, "description", "snippet")[:limit]


class SearXNG(Provider):
    name = "searxng"

    def __repr__(self) -> str:
        return f"SearXNG({self.base_url!r})"

    @property
    def endpoint(self) -> str:
        return f"{self.base_url}/search"

    def search(self, query: str, limit: int, timeout: float) -> list[SearchResult]:
        request = httpx.Request("GET", self.endpoint, params={"q": query, "format": "json"})
        answer = self._send(request, timeout)
        if not isinstance(answer, dict) or not isinstance(answer.get("results"), list):
            raise SearchError("an answer without results")
        return _results(answer["results"], "content")[:limit]  # SearXNG has no limit parameter: the first `limit`


def _results(items: list[object], *snippet_keys: str) -> list[SearchResult]:
    out: list[SearchResult] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        url = item.get("url")
        if not isinstance(url, str) or urllib.parse.urlsplit(url).scheme not in ("http", "https") or any(r.url == url for r in out):
            continue
        snippet = next((item[k] for k in snippet_keys if isinstance(item.get(k), str) and item[k].strip()), "")
        title = item.get("title") if isinstance(item.get("title"), str) else ""
        out.append(SearchResult(url=url, title=" ".join(title.split()), snippet=" ".join(snippet.split())))
    return out


def provider() -> Provider | None:
    """The configured provider: Firecrawl when it has a key, else SearXNG when it has a URL, else None."""
    from pipeline.settings import settings

    if settings.firecrawl_api_key:
        return Firecrawl(settings.firecrawl_url or "https://api.firecrawl.dev", settings.firecrawl_api_key)
    if settings.searxng_url.strip():
        return SearXNG(settings.searxng_url.strip())
    return None


def search_company(company: str, budget: ResearchBudget, found_by: Provider | None = None) -> list[SitePage]:
    """Search pages about `company`: one per result URL, in query order. Never raises."""
    chosen = found_by or provider()
    company = " ".join((company or "").split())
    if chosen is None or not company:
        return []
    pages: list[SitePage] = []
    for template in QUERIES:
        query = template.format(company=company)
        if not budget.can_search():
            break
        if not bucket_for(chosen.name).acquire(max_wait=max(0.0, budget.left() - 1.0)):
            log.info("web search: %s's rate limit leaves no search within this run's time; research uses the site only", chosen.name)
            break
        try:
            timeout = budget.take_search(chosen.endpoint, SEARCH_TIMEOUT)
        except BudgetExhausted:
            break
        try:
            results = chosen.search(query, RESULTS_PER_QUERY, timeout)
        except SearchError as exc:
            log.warning("web search: %s answered %s; research uses the company's site only", chosen.name, exc.reason)
            break
        now = datetime.now(UTC)
        for r in results:
            if all(p.url != r.url for p in pages):
                pages.append(
                    SitePage(url=r.url, fetched_at=now, title=r.title, text="\n".join(t for t in (r.title, r.snippet) if t), kind="search")
                )
    return pages


# One search per company shared by a run's research and people layers (they run side by side).
_SEARCHES: SingleFlight[tuple[str, str], list[SitePage]] = SingleFlight(seconds=600.0, size=64)
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="web-search")


def search_company_cached(company: str, budget: ResearchBudget) -> list[SitePage]:
    chosen = provider()
    if chosen is None or not company.strip():
        return []
    key = (f"{chosen.name}:{chosen.base_url}", " ".join(company.split()).casefold())
    return _SEARCHES.get(key, lambda: search_company(company, budget, chosen))


def start(company: str, budget: ResearchBudget) -> Future[list[SitePage]] | None:
    """Searches about `company` in the background (beside the site read), or None when there is nothing to search with."""
    if provider() is None or not (company or "").strip():
        return None
    return _POOL.submit(search_company_cached, company, budget)


def attach(site: SiteRead | None, searching: Future[list[SitePage]] | None) -> SiteRead | None:
    """`site` with the search pages beside its own (a new SiteRead: the cached read is shared)."""
    if searching is None:
        return site
    try:
        pages = searching.result()
    except Exception as exc:  # noqa: BLE001 - a bug in a search must not cost the run its site facts
        log.warning("web search failed (%s); research uses the company's site only", type(exc).__name__)
        pages = []
    if not pages:
        return site
    return replace(site or SiteRead(), search=pages)


def clear_cache() -> None:
    _SEARCHES.clear()
