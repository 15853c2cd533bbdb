"""Job-board links read through the board's public JSON, and `read_posting(url)` for any pasted link.

Recognised links and the JSON each is read from (no key needed):

- Greenhouse  boards.greenhouse.io/<board>/jobs/<id>, job-boards.greenhouse.io/<board>/jobs/<id>,
              boards.greenhouse.io/embed/job_app?for=<board>&token=<id>
              -> {greenhouse}/v1/boards/<board>/jobs/<id>
- Lever       jobs.lever.co/<site>/<uuid>[/apply]  -> {lever}/v0/postings/<site>/<uuid>
              (jobs.eu.lever.co -> api.eu.lever.co unless the base is overridden)
- Ashby       jobs.ashbyhq.com/<org>/<uuid>[/application]
              -> {ashby}/posting-api/job-board/<org>?includeCompensation=true, then the id
- SmartRecruiters  jobs.smartrecruiters.com/<company>/<id>[-slug]
              -> {smartrecruiters}/v1/companies/<company>/postings/<id>
- Workday     <tenant>.wd<N>.myworkdayjobs.com/[<locale>/]<site>/job/<path>
              (and wd<N>.myworkdaysite.com/[<locale>/]recruiting/<tenant>/<site>/job/<path>)
              -> https://<host>/wday/cxs/<tenant>/<site>/job/<path>

Greenhouse, Lever and Ashby answers are mapped with the board importer's own mappers
(pipeline.sources.boards), so a pasted link and a board import give the same fields. API calls go
through `pipeline.web.fetch` (same address guard, caps and timeouts). The API bases come from
settings (GREENHOUSE_API_URL, LEVER_API_URL, ASHBY_API_URL) or `API_BASES`, and every reader takes
`api_bases=` so tests point them at a local server. A board API that answers 404/410 marks the
posting closed; any other failure falls back to reading the page itself.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pipeline.settings import settings
from pipeline.sources.boards import Board, _map_ashby, _map_greenhouse, _map_lever, html_posting
from pipeline.web.extract import EMPLOYMENT_WORDS, PostingDraft, Salary, closed_draft, extract_posting, mark_closed, parse_date
from pipeline.web.fetch import JSON_TYPES, FetchError, fetch

PROVIDERS = ("greenhouse", "lever", "ashby", "smartrecruiters", "workday")
LABELS = {"greenhouse": "Greenhouse", "lever": "Lever", "ashby": "Ashby", "smartrecruiters": "SmartRecruiters", "workday": "Workday"}
# Bases not in settings; tests override these (or pass api_bases=). Workday's base is the link's own host.
API_BASES: dict[str, str] = {"smartrecruiters": "https://api.smartrecruiters.com"}
DEFAULT_LEVER = "https://api.lever.co"

_SEG = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}"
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_LOCALE = re.compile(r"^[a-z]{2}(?:-[A-Za-z]{2,4})?$")


@dataclass(frozen=True)
class BoardLink:
    provider: str
    host: str
    company: str  # the board / site / org / company / tenant
    job_id: str
    site: str = ""  # Workday: the career site
    path: str = ""  # Workday: the job path after /job/
    inferred: bool = False  # Workday: the path was guessed from a /details/ link

    @property
    def label(self) -> str:
        return LABELS[self.provider]


def recognise(url: str) -> BoardLink | None:
    """The board a job link belongs to, or None for any other page."""
    try:
        parts = urllib.parse.urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    segs = [urllib.parse.unquote(s) for s in parts.path.split("/") if s]
    query = urllib.parse.parse_qs(parts.query)

    if host in ("boards.greenhouse.io", "job-boards.greenhouse.io"):
        if segs[:2] == ["embed", "job_app"] and query.get("for") and query.get("token"):
            board, job = query["for"][0], query["token"][0]
        elif len(segs) >= 3 and segs[1] == "jobs":
            board, job = segs[0], segs[2]
        else:
            return None
        return BoardLink("greenhouse", host, board, job) if re.fullmatch(_SEG, board) and job.isdigit() else None
    if host in ("jobs.lever.co", "jobs.eu.lever.co"):
        if len(segs) >= 2 and re.fullmatch(_SEG, segs[0]) and re.fullmatch(_UUID, segs[1]):
            return BoardLink("lever", host, segs[0], segs[1].lower())
        return None
    if host == "jobs.ashbyhq.com":
        if len(segs) >= 2 and re.fullmatch(_SEG, segs[0]) and re.fullmatch(_UUID, segs[1]):
            return BoardLink("ashby", host, segs[0], segs[1].lower())
        return None
    if host == "jobs.smartrecruiters.com":
        m = re.match(r"^(\d{6,})", segs[1]) if len(segs) >= 2 else None
        if m and re.fullmatch(_SEG, segs[0]):
            return BoardLink("smartrecruiters", host, segs[0], m.group(1))
        return None
    return _workday(host, segs)


def _workday(host: str, segs: list[str]) -> BoardLink | None:
    m = re.fullmatch(r"([a-z0-9][a-z0-9-]*)\.(wd\d+)\.myworkdayjobs\.com", host)
    rest = list(segs)
    if rest and _LOCALE.match(rest[0]):
        rest = rest[1:]
    if m:
        tenant = m.group(1)
    elif re.fullmatch(r"wd\d+\.myworkdaysite\.com", host) and len(rest) >= 2 and rest[0] == "recruiting":
        tenant, rest = rest[1], rest[2:]
    else:
        return None
    if len(rest) < 3 or rest[1] not in ("job", "details") or not re.fullmatch(_SEG, rest[0]):
        return None
    site, path = rest[0], "/".join(rest[2:])
    job_id = rest[-1].rsplit("_", 1)[-1] if "_" in rest[-1] else rest[-1]
    return BoardLink("workday", host, tenant, job_id, site=site, path=path, inferred=rest[1] == "details")


# ---------------------------------------------------------------- reading


def read_posting(url: str, *, api_bases: Mapping[str, str] | None = None, gone_ok: bool = False, timeout: float | None = None) -> PostingDraft:
    """The posting behind a pasted link: through the board's JSON when recognised, else the page.

    A page that answers 404/410 raises FetchError (code http_status) unless `gone_ok`, when it
    comes back as a closed draft (what "check links" wants). Other failures raise FetchError.
    """
    link = recognise(url)
    kw: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
    if link is not None:
        try:
            return read_board_posting(link, url, api_bases=api_bases, **kw)
        except FetchError as exc:
            if exc.gone and not (link.provider == "workday" and link.inferred):
                return closed_draft_for_board(url, link, exc.status or 404)
        except BoardAnswerError:
            pass  # the API's answer was not what we know: read the page instead
    try:
        page = fetch(url, **kw)
    except FetchError as exc:
        if gone_ok and exc.gone:
            return closed_draft(url, exc.status or 404)
        raise
    draft = extract_posting(page.text, url=url, status=page.status)
    return draft


def check_link(url: str, *, api_bases: Mapping[str, str] | None = None) -> PostingDraft:
    """`read_posting` for "check links": a 404/410 is a closed draft, not an error."""
    return read_posting(url, api_bases=api_bases, gone_ok=True)


class BoardAnswerError(Exception):
    """The board's API answered with something we cannot read (not JSON, another shape)."""


def closed_draft_for_board(url: str, link: BoardLink, status: int) -> PostingDraft:
    draft = closed_draft(url, status)
    draft.closed_reason = f"{link.label} no longer lists it (HTTP {status} from its job API)"
    draft.source = link.provider
    return draft


def _base(provider: str, link: BoardLink, api_bases: Mapping[str, str] | None) -> str:
    if api_bases and provider in api_bases:
        return api_bases[provider].rstrip("/")
    if provider in API_BASES:
        return API_BASES[provider].rstrip("/")
    if provider == "workday":
        return f"https://{link.host}"
    base = str(getattr(settings, f"{provider}_api_url")).rstrip("/")
    if provider == "lever" and link.host == "jobs.eu.lever.co" and base == DEFAULT_LEVER:
        return "https://api.eu.lever.co"
    return base


def _seg(s: str) -> str:
    return urllib.parse.quote(s, safe="")


def _get_json(api_url: str, **kw: Any) -> Any:
    page = fetch(api_url, accept=JSON_TYPES, max_bytes=max(5_000_000, min(settings.board_max_bytes, 50_000_000)), **kw)
    try:
        return json.loads(page.text)
    except ValueError:
        raise BoardAnswerError(f"{api_url} did not answer JSON") from None


def read_board_posting(link: BoardLink, url: str, *, api_bases: Mapping[str, str] | None = None, today: date | None = None, **kw: Any) -> PostingDraft:
    """One posting through the board's JSON API; FetchError/BoardAnswerError when that fails."""
    base = _base(link.provider, link, api_bases)
    if link.provider == "greenhouse":
        data = _get_json(f"{base}/v1/boards/{_seg(link.company)}/jobs/{_seg(link.job_id)}", **kw)
        draft = _draft_greenhouse(data, link, url)
    elif link.provider == "lever":
        data = _get_json(f"{base}/v0/postings/{_seg(link.company)}/{_seg(link.job_id)}?mode=json", **kw)
        draft = _draft_lever(data, link, url)
    elif link.provider == "ashby":
        data = _get_json(f"{base}/posting-api/job-board/{_seg(link.company)}?includeCompensation=true", **kw)
        draft = _draft_ashby(data, link, url)
    elif link.provider == "smartrecruiters":
        data = _get_json(f"{base}/v1/companies/{_seg(link.company)}/postings/{_seg(link.job_id)}", **kw)
        draft = _draft_smartrecruiters(data, link, url)
    else:
        path = "/".join(_seg(p) for p in link.path.split("/"))
        data = _get_json(f"{base}/wday/cxs/{_seg(link.company)}/{_seg(link.site)}/job/{path}", **kw)
        draft = _draft_workday(data, link, url)
    draft.source = link.provider
    if not draft.closed:
        mark_closed(draft, today=today)
    return draft


# ---------------------------------------------------------------- JSON -> draft


def _obj(data: Any, link: BoardLink) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise BoardAnswerError(f"{link.label}'s answer is not a posting")
    return data


def _from_fields(fields: Mapping[str, Any], url: str) -> PostingDraft:
    """A draft from the board importer's mapped fields (title, company, location, description, tags)."""
    return PostingDraft(
        url=url,
        title=str(fields.get("title") or ""),
        company=str(fields.get("company") or ""),
        location=str(fields.get("location") or ""),
        description_markdown=str(fields.get("description") or ""),
        tags=list(fields.get("tags") or []),
    )


def _draft_greenhouse(data: Any, link: BoardLink, url: str) -> PostingDraft:
    job = _obj(data, link)
    if not job.get("title"):
        raise BoardAnswerError("Greenhouse's answer has no title")
    draft = _from_fields(_map_greenhouse(job, Board("greenhouse", link.company)), url)
    draft.date_posted = parse_date(job.get("first_published")) or parse_date(job.get("updated_at"))
    return draft


def _ms_date(v: Any) -> date | None:
    if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0:
        try:
            return datetime.fromtimestamp(v / 1000, UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    return parse_date(v)


_LEVER_INTERVALS = {"per-year-salary": "year", "per-month-salary": "month", "per-week-salary": "week", "per-day-wage": "day", "per-hour-wage": "hour"}


def _draft_lever(data: Any, link: BoardLink, url: str) -> PostingDraft:
    job = _obj(data, link)
    if not job.get("text"):
        raise BoardAnswerError("Lever's answer has no title")
    draft = _from_fields(_map_lever(job, Board("lever", link.company)), url)
    draft.date_posted = _ms_date(job.get("createdAt"))
    cats = job.get("categories") if isinstance(job.get("categories"), dict) else {}
    draft.employment_type = str(cats.get("commitment") or "")
    rng = job.get("salaryRange")
    if isinstance(rng, dict) and (isinstance(rng.get("min"), (int, float)) or isinstance(rng.get("max"), (int, float))):
        draft.salary = Salary(
            min=_num(rng.get("min")), max=_num(rng.get("max")), currency=str(rng.get("currency") or "").upper()[:8], period=_LEVER_INTERVALS.get(str(rng.get("interval") or ""), "")
        )
    return draft


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _draft_ashby(data: Any, link: BoardLink, url: str) -> PostingDraft:
    board = _obj(data, link)
    jobs = board.get("jobs")
    if not isinstance(jobs, list):
        raise BoardAnswerError("Ashby's answer has no job list")
    job = next((j for j in jobs if isinstance(j, dict) and str(j.get("id", "")).lower() == link.job_id), None)
    if job is None or job.get("isListed") is False:
        draft = PostingDraft(url=url, closed=True, closed_reason=f"the Ashby board “{link.company}” no longer lists it")
        return draft
    draft = _from_fields(_map_ashby(job, Board("ashby", link.company)), url)
    draft.date_posted = parse_date(job.get("publishedAt"))
    et = str(job.get("employmentType") or "")
    draft.employment_type = {"FullTime": "Full-time", "PartTime": "Part-time", "Intern": "Internship", "Contract": "Contract", "Temporary": "Temporary"}.get(et, et)
    return draft


def _draft_smartrecruiters(data: Any, link: BoardLink, url: str) -> PostingDraft:
    job = _obj(data, link)
    title = str(job.get("name") or "").strip()
    if not title:
        raise BoardAnswerError("SmartRecruiters' answer has no title")
    company = job.get("company") if isinstance(job.get("company"), dict) else {}
    loc = job.get("location") if isinstance(job.get("location"), dict) else {}
    place = ", ".join(p for p in (str(loc.get("city") or ""), str(loc.get("region") or ""), str(loc.get("country") or "").upper()) if p)
    if loc.get("remote"):
        place = f"{place} (remote)" if place else "Remote"
    sections = ((job.get("jobAd") or {}).get("sections") or {}) if isinstance(job.get("jobAd"), dict) else {}
    parts: list[str] = []
    for key in ("companyDescription", "jobDescription", "qualifications", "additionalInformation"):
        sec = sections.get(key) if isinstance(sections, dict) else None
        if isinstance(sec, dict) and str(sec.get("text") or "").strip():
            heading = str(sec.get("title") or "").strip()
            body = html_posting(str(sec["text"]))
            parts.append(f"## {heading}\n\n{body}" if heading else body)
    tem = job.get("typeOfEmployment") if isinstance(job.get("typeOfEmployment"), dict) else {}
    draft = PostingDraft(
        url=url,
        title=title,
        company=str(company.get("name") or "").strip() or re.sub(r"[-_.]+", " ", link.company).strip(),
        location=place,
        description_markdown="\n\n".join(parts),
        date_posted=parse_date(job.get("releasedDate")),
        employment_type=str(tem.get("label") or ""),
    )
    if job.get("active") is False:
        draft.closed, draft.closed_reason = True, "SmartRecruiters marks the posting inactive"
    return draft


def _draft_workday(data: Any, link: BoardLink, url: str) -> PostingDraft:
    body = _obj(data, link)
    info = body.get("jobPostingInfo")
    if not isinstance(info, dict) or not str(info.get("title") or "").strip():
        raise BoardAnswerError("Workday's answer has no jobPostingInfo")
    org = body.get("hiringOrganization") if isinstance(body.get("hiringOrganization"), dict) else {}
    locations = [str(info.get("location") or "").strip(), *[str(x).strip() for x in info.get("additionalLocations") or [] if isinstance(x, str)]]
    locations = [x for i, x in enumerate(locations) if x and x not in locations[:i]]
    remote = str(info.get("remoteType") or "").strip()
    location = "; ".join(locations[:3])
    if remote and remote.lower() not in location.lower():
        location = f"{location} ({remote})" if location else remote
    time_type = str(info.get("timeType") or "").strip()
    draft = PostingDraft(
        url=url,
        title=str(info["title"]).strip(),
        company=str(org.get("name") or "").strip() or link.company.replace("-", " ").title(),
        location=location[:200],
        description_markdown=html_posting(str(info.get("jobDescription") or "")),
        date_posted=parse_date(info.get("startDate")),
        valid_through=parse_date(info.get("endDate")),
        employment_type=EMPLOYMENT_WORDS.get(time_type.upper().replace(" ", "_").replace("-", "_"), time_type),
        company_url=str(org.get("url") or "") if str(org.get("url") or "").startswith(("http://", "https://")) else "",
    )
    if info.get("canApply") is False:
        draft.closed, draft.closed_reason = True, "Workday no longer takes applications for it"
    return draft
