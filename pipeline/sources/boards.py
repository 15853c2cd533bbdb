"""Public job-board APIs as import sources: Greenhouse, Lever and Ashby, by board name.

Each provider publishes a company's open positions as JSON without a key:

- Greenhouse: ``GET {base}/v1/boards/{board}/jobs?content=true`` -> ``{"jobs": [...]}``;
  ``content`` is HTML with its markup entity-escaped.
- Lever: ``GET {base}/v0/postings/{site}?mode=json&skip=N&limit=M`` -> ``[...]``;
  the description is ``description`` plus ``lists`` (requirements, ...) plus ``additional``.
- Ashby: ``GET {base}/posting-api/job-board/{name}?includeCompensation=true`` -> ``{"jobs": [...]}``.

Postings arrive as HTML: sanitized with nh3, then turned into markdown (what the
offline analyst reads). The board's own job id becomes the external id, so a
second import updates instead of duplicating. Every failure of the board as a
whole is a SourceError in plain words; one malformed posting is a row error.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import nh3

from pipeline.render.htmlmd import html_to_markdown
from pipeline.render.sanitize import ALLOWED_TAGS, DROP_CONTENT
from pipeline.settings import settings
from pipeline.sources.base import JobIn, ParseResult, RowError, SourceError
from pipeline.sources.files import RowRejected, make_job

PROVIDERS = ("greenhouse", "lever", "ashby")
LABELS = {"greenhouse": "Greenhouse", "lever": "Lever", "ashby": "Ashby"}
BOARD_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?!\.)){0,99}$")
LEVER_PAGE = 100
USER_AGENT = "jobapp (job-board import)"


@dataclass(frozen=True)
class Board:
    provider: str
    name: str

    @property
    def label(self) -> str:
        return f"{LABELS[self.provider]} board “{self.name}”"


def parse_board(provider: str, name: str) -> Board:
    """A provider and a board name, or a SourceError saying what is wrong; no path tricks get through."""
    p = (provider or "").strip().lower()
    if p not in PROVIDERS:
        raise SourceError(f"Unknown job board “{provider}”; choose one of {', '.join(PROVIDERS)}.")
    n = (name or "").strip()
    if n.lower().startswith(("http://", "https://")):  # a pasted board link: the name is its first path segment
        n = next((seg for seg in urllib.parse.urlsplit(n).path.split("/") if seg), "")
    if not BOARD_NAME.match(n):
        raise SourceError(
            f"“{name}” is not a {LABELS[p]} board name: use the name from the board's address "
            "(letters, digits, '-', '_' or '.'), e.g. acme for boards.greenhouse.io/acme."
        )
    return Board(p, n)


def parse_board_spec(spec: str) -> Board:
    """`greenhouse:acme` -> Board."""
    provider, sep, name = (spec or "").partition(":")
    if not sep:
        raise SourceError(f"Give the board as PROVIDER:NAME, e.g. greenhouse:acme (got “{spec}”).")
    return parse_board(provider, name)


# ---------------------------------------------------------------- fetching


def _get_json(client: httpx.Client, board: Board, url: str, params: Mapping[str, Any]) -> Any:
    """One GET with the size cap; every failure becomes a SourceError naming the board."""
    cap = settings.board_max_bytes
    try:
        with client.stream("GET", url, params=params, headers={"Accept": "application/json", "User-Agent": USER_AGENT}) as r:
            if r.status_code == 404:
                raise SourceError(f"There is no {board.label} (the API answered 404); check the name in the board's address.")
            if r.status_code == 429:
                raise SourceError(f"{LABELS[board.provider]} is rate-limiting requests; try the {board.label} again in a minute.")
            if r.status_code >= 500:
                raise SourceError(f"{LABELS[board.provider]} is having trouble (HTTP {r.status_code}); try the {board.label} again later.")
            if r.status_code != 200:
                raise SourceError(f"{LABELS[board.provider]} refused the request for the {board.label} (HTTP {r.status_code}).")
            declared = r.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                raise SourceError(_too_big(board, int(declared), cap))
            body = bytearray()
            for chunk in r.iter_bytes():
                body += chunk
                if len(body) > cap:
                    raise SourceError(_too_big(board, len(body), cap))
    except httpx.TimeoutException:
        raise SourceError(f"{LABELS[board.provider]} did not answer within {settings.board_timeout_seconds:g} s for the {board.label}; try again later.") from None
    except httpx.HTTPError as exc:
        host = urllib.parse.urlsplit(url).netloc
        raise SourceError(f"Could not reach {LABELS[board.provider]} at {host} ({type(exc).__name__}); check the network and try again.") from None
    try:
        return json.loads(bytes(body))
    except (ValueError, UnicodeDecodeError):
        raise SourceError(f"{LABELS[board.provider]} answered the {board.label} with something that is not JSON.") from None


def _too_big(board: Board, size: int, cap: int) -> str:
    return f"The {board.label} answer is over {cap / 1e6:.0f} MB ({size / 1e6:.1f} MB so far); raise BOARD_MAX_BYTES to import it."


def _client() -> httpx.Client:
    timeout = httpx.Timeout(settings.board_timeout_seconds, connect=min(10.0, settings.board_timeout_seconds))
    return httpx.Client(timeout=timeout, follow_redirects=False)


def fetch_board(board: Board, *, client: httpx.Client | None = None) -> ParseResult:
    """Every open posting of the board as JobIn rows (line = position on the board)."""
    own = client is None
    client = client or _client()
    try:
        raw = _FETCHERS[board.provider](client, board)
    finally:
        if own:
            client.close()
    mapper = _MAPPERS[board.provider]
    result = ParseResult()
    limit = settings.max_import_rows
    if len(raw) > limit:
        raise SourceError(f"The {board.label} lists {len(raw):,} jobs; the import limit is {limit:,} (MAX_IMPORT_ROWS).")
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            result.errors.append(RowError(i, f"posting {i} is not an object"))
            continue
        try:
            result.rows.append((i, make_job(mapper(item, board), board.provider)))
        except RowRejected as exc:
            result.errors.append(RowError(i, f"{_ident(item)}: {exc}"))
    return result


def _ident(item: Mapping[str, Any]) -> str:
    title = item.get("title") or item.get("text") or ""
    return f"“{title}”" if isinstance(title, str) and title.strip() else f"posting {item.get('id', '?')}"


def _base(provider: str) -> str:
    return getattr(settings, f"{provider}_api_url").rstrip("/")


def _seg(name: str) -> str:
    return urllib.parse.quote(name, safe="")


def _jobs_list(data: Any, board: Board) -> list[Any]:
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise SourceError(f"{LABELS[board.provider]}'s answer for the {board.label} has no job list; the API format may have changed.")
    return data["jobs"]


def _fetch_greenhouse(client: httpx.Client, board: Board) -> list[Any]:
    data = _get_json(client, board, f"{_base('greenhouse')}/v1/boards/{_seg(board.name)}/jobs", {"content": "true"})
    return _jobs_list(data, board)


def _fetch_lever(client: httpx.Client, board: Board) -> list[Any]:
    """Lever pages with skip/limit; a page shorter than the limit is the last."""
    out: list[Any] = []
    url = f"{_base('lever')}/v0/postings/{_seg(board.name)}"
    while True:
        page = _get_json(client, board, url, {"mode": "json", "skip": len(out), "limit": LEVER_PAGE})
        if not isinstance(page, list):
            raise SourceError(f"Lever's answer for the {board.label} is not a list of postings; the API format may have changed.")
        if len(page) > LEVER_PAGE:  # paging ignored: this is the whole board
            return out or page
        out.extend(page)
        if len(page) < LEVER_PAGE or len(out) > settings.max_import_rows:
            return out


def _fetch_ashby(client: httpx.Client, board: Board) -> list[Any]:
    data = _get_json(client, board, f"{_base('ashby')}/posting-api/job-board/{_seg(board.name)}", {"includeCompensation": "true"})
    return [j for j in _jobs_list(data, board) if not (isinstance(j, dict) and j.get("isListed") is False)]


_FETCHERS: dict[str, Callable[[httpx.Client, Board], list[Any]]] = {
    "greenhouse": _fetch_greenhouse,
    "lever": _fetch_lever,
    "ashby": _fetch_ashby,
}


# ---------------------------------------------------------------- mapping


def html_posting(html: str) -> str:
    """A posting's HTML as clean markdown: scripts, styles and attributes gone, structure kept."""
    if not html or not html.strip():
        return ""
    clean = nh3.clean(html, tags=ALLOWED_TAGS - {"span"}, clean_content_tags=DROP_CONTENT, attributes={"a": {"href"}}, url_schemes={"http", "https", "mailto"}, link_rel=None)
    return html_to_markdown(clean).strip()


def _text(v: Any) -> str:
    return v.strip() if isinstance(v, str) else (str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else "")


def _join_md(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def _company_from_board(board: Board) -> str:
    """Lever and Ashby answers do not name the company: the board name, readable."""
    return re.sub(r"[-_.]+", " ", board.name).strip().title()


def _map_greenhouse(job: Mapping[str, Any], board: Board) -> dict[str, Any]:
    location = job.get("location")
    meta = [f"{m['name']}: {m['value']}" for m in job.get("metadata") or [] if isinstance(m, dict) and _text(m.get("name")) and _text(m.get("value"))]
    return {
        "external_id": _text(job.get("id")),
        "title": _text(job.get("title")),
        "company": _text(job.get("company_name")) or _company_from_board(board),
        "location": _text(location.get("name")) if isinstance(location, dict) else _text(location),
        "url": _text(job.get("absolute_url")),
        "description": _join_md(html_posting(html_lib.unescape(_text(job.get("content")))), "\n".join(f"- {m}" for m in meta[:10])),
        "tags": _tags(d.get("name") for d in job.get("departments") or [] if isinstance(d, dict)),
    }


def _map_lever(job: Mapping[str, Any], board: Board) -> dict[str, Any]:
    cats = job.get("categories") if isinstance(job.get("categories"), dict) else {}
    lists = [
        _join_md(f"## {_text(item.get('text'))}" if _text(item.get("text")) else "", html_posting(f"<ul>{_text(item.get('content'))}</ul>"))
        for item in job.get("lists") or [] if isinstance(item, dict)
    ]  # fmt: skip
    description = html_posting(_text(job.get("description"))) or _text(job.get("descriptionPlain"))
    salary = _text(job.get("salaryDescriptionPlain"))
    return {
        "external_id": _text(job.get("id")),
        "title": _text(job.get("text")),
        "company": _company_from_board(board),
        "location": _text(cats.get("location")) or _workplace(job.get("workplaceType")),
        "url": _text(job.get("hostedUrl")) or _text(job.get("applyUrl")),
        "description": _join_md(description, *lists, html_posting(_text(job.get("additional"))), f"Salary: {salary}" if salary else ""),
        "tags": _tags([cats.get("team"), cats.get("department"), cats.get("commitment")]),
    }


def _map_ashby(job: Mapping[str, Any], board: Board) -> dict[str, Any]:
    comp = job.get("compensation") if isinstance(job.get("compensation"), dict) else {}
    pay = _text(comp.get("scrapeableCompensationSalarySummary")) or _text(comp.get("compensationTierSummary"))
    location = _text(job.get("location"))
    if job.get("isRemote") and "remote" not in location.lower():
        location = f"{location} (remote)" if location else "Remote"
    return {
        "external_id": _text(job.get("id")) or _text(job.get("jobUrl")),
        "title": _text(job.get("title")),
        "company": _company_from_board(board),
        "location": location,
        "url": _text(job.get("jobUrl")) or _text(job.get("applyUrl")),
        "description": _join_md(html_posting(_text(job.get("descriptionHtml"))) or _text(job.get("descriptionPlain")), f"Compensation: {pay}" if pay else ""),
        "tags": _tags([job.get("department"), job.get("team"), job.get("employmentType")]),
    }


def _workplace(v: Any) -> str:
    return {"remote": "Remote", "hybrid": "Hybrid"}.get(_text(v).lower(), "")


def _tags(values: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for v in values:
        t = _text(v)[:50]
        if t and t not in out:
            out.append(t)
    return out[:10]


_MAPPERS: dict[str, Callable[[Mapping[str, Any], Board], dict[str, Any]]] = {
    "greenhouse": _map_greenhouse,
    "lever": _map_lever,
    "ashby": _map_ashby,
}


def job_in(provider: str, item: Mapping[str, Any], board: Board) -> JobIn:
    """One posting as JobIn (used by tests and by callers that already hold the JSON)."""
    return make_job(_MAPPERS[provider](item, board), provider)
