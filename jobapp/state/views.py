"""What the page shows: the view dataclasses the states hold, and the mappers from pipeline data to them.

Plain data only (no state, no store access): a handler asks the pipeline once and maps the answer here."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING, Any

from jobapp import routes

if TYPE_CHECKING:
    from pipeline.sources.base import RowError
    from pipeline.store.models import ApiToken, Job, JobEvent, User


def stamp(dt: datetime | None) -> str:
    """A stored time as the page shows it ("" when unset)."""
    return dt.strftime("%Y-%m-%d %H:%M") if dt else ""


# ------------------------------------------------------------------ job table
@dataclasses.dataclass
class JobRow:
    id: int = 0
    title: str = ""
    company: str = ""
    location: str = ""
    status: str = ""
    fit_score: int | None = None
    source: str = ""
    last_run_status: str = ""
    duplicate_of: int | None = None
    notes_count: int = 0
    url: str = ""
    link_status: str = ""  # "closed" shows the "closed?" mark (Check links)
    link_note: str = ""
    updated_at: str = ""


@dataclasses.dataclass
class StatusChip:
    status: str = ""
    count: int = 0


_ROW_KEYS = {f.name for f in dataclasses.fields(JobRow)}


def job_row(r: dict[str, Any]) -> JobRow:
    row = JobRow(**{k: v for k, v in r.items() if k in _ROW_KEYS})
    row.last_run_status = row.last_run_status or ""
    return row


# ------------------------------------------------------------------ inspector
@dataclasses.dataclass
class HistoryItem:
    id: int = 0
    kind: str = ""
    message: str = ""
    when: str = ""


@dataclasses.dataclass
class Bar:
    label: str = ""
    value: int = 0


@dataclasses.dataclass
class Pain:
    title: str = ""
    detail: str = ""
    evidence: str = ""


@dataclasses.dataclass
class Person:
    role: str = ""
    name: str = ""
    source: str = ""
    placeholder: bool = True
    search_url: str = ""


@dataclasses.dataclass
class ArtifactLink:
    name: str = ""
    url: str = ""


@dataclasses.dataclass
class RunResult:
    run_id: int = 0
    fit_score: int = 0
    rationale: str = ""
    bars: list[Bar] = dataclasses.field(default_factory=list)
    matched: list[str] = dataclasses.field(default_factory=list)
    missing: list[str] = dataclasses.field(default_factory=list)
    pains: list[Pain] = dataclasses.field(default_factory=list)
    people: list[Person] = dataclasses.field(default_factory=list)
    linkedin_note: str = ""
    email_subject: str = ""
    email_body: str = ""
    artifacts: list[ArtifactLink] = dataclasses.field(default_factory=list)
    model: str = ""
    cost: str = ""
    untraceable: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class JobDetail:
    id: int = 0
    title: str = ""
    company: str = ""
    location: str = ""
    url: str = ""
    company_url: str = ""  # the company's own site the posting names (a link import)
    posting_html: str = ""
    status: str = ""
    source: str = ""
    external_id: str = ""
    fit_score: int | None = None
    tags: list[str] = dataclasses.field(default_factory=list)
    duplicate_of: int | None = None
    created_at: str = ""
    updated_at: str = ""


def result_view(r: dict) -> RunResult:
    b = r.get("fit_breakdown") or {}
    labels = {"must_have": "Must-have skills", "nice_to_have": "Nice-to-have", "seniority": "Seniority", "title": "Title"}
    return RunResult(
        run_id=r["run_id"], fit_score=int(r.get("fit_score", 0)), rationale=r.get("fit_rationale", ""),
        bars=[Bar(label=labels[k], value=int(round(b.get(k, 0)))) for k in labels],
        matched=list(r.get("matched_skills", [])), missing=list(r.get("missing_skills", [])),
        pains=[Pain(title=p.get("title", ""), detail=p.get("detail", ""), evidence=p.get("evidence", "")) for p in r.get("pain_points", [])],
        people=[Person(role=c.get("role", ""), name=c.get("name") or "", source=c.get("source", ""), placeholder=bool(c.get("is_placeholder", True)),
                       search_url=c.get("search_url") or "") for c in r.get("contacts", [])],
        linkedin_note=(r.get("outreach") or {}).get("linkedin_note", ""), email_subject=(r.get("outreach") or {}).get("email_subject", ""),
        email_body=(r.get("outreach") or {}).get("email_body", ""),
        artifacts=[ArtifactLink(name=n, url=routes.artifact(r["run_id"], n)) for n in r.get("artifact_names", [])],
        model=r.get("model", ""), cost=f"${r.get('cost_usd', 0):.4f}", untraceable=list(r.get("untraceable_lines", [])),
    )  # fmt: skip


def job_detail(job: Job, posting_html: str) -> JobDetail:
    """A stored job as the inspector shows it."""
    return JobDetail(
        id=job.id, title=job.title, company=job.company, location=job.location, url=job.url, company_url=job.company_url,
        posting_html=posting_html, status=job.status, source=job.source, external_id=job.external_id,
        fit_score=job.fit_score, tags=list(job.tags or []), duplicate_of=job.duplicate_of,
        created_at=stamp(job.created_at), updated_at=stamp(job.updated_at),
    )  # fmt: skip


def history_item(e: JobEvent) -> HistoryItem:
    """A JobEvent as one line of the job's history."""
    return HistoryItem(id=e.id, kind=e.kind, message=e.message, when=e.created_at.strftime("%Y-%m-%d %H:%M:%S"))


# ------------------------------------------------------------------ profile and matches
@dataclasses.dataclass
class TitleView:
    title: str = ""
    reason: str = ""


@dataclasses.dataclass
class QueryView:
    title: str = ""
    status: str = ""
    results: int = 0
    error: str = ""


@dataclasses.dataclass
class MatchView:
    job_id: int = 0
    title: str = ""
    company: str = ""
    location: str = ""
    status: str = ""
    score: int = 0
    matched: str = ""
    reasons: str = ""


def title_view(t: dict[str, Any]) -> TitleView:
    return TitleView(title=t.get("title", ""), reason=t.get("reason", ""))


def query_view(q: dict[str, Any]) -> QueryView:
    return QueryView(title=q["title"], status=q["status"], results=q.get("results_count") or 0, error=q.get("error") or "")


def match_view(r: dict[str, Any]) -> MatchView:
    return MatchView(
        job_id=r["id"], title=r["title"], company=r.get("company", ""), location=r.get("location", ""), status=r.get("status", ""),
        score=int(r.get("score", 0)), matched=", ".join(r.get("matched_titles", [])), reasons=" · ".join(r.get("reasons", [])),
    )


# ------------------------------------------------------------------ import dialog
@dataclasses.dataclass
class RowProblem:
    line: int = 0
    error: str = ""


def row_problem(e: RowError) -> RowProblem:
    """A bad row of an import summary."""
    return RowProblem(line=e.line, error=e.error)


# ------------------------------------------------------------------ accounts and API tokens
@dataclasses.dataclass
class UserRow:
    id: int = 0
    email: str = ""
    role: str = ""
    active: bool = True
    last_sign_in: str = ""


@dataclasses.dataclass
class TokenRow:
    id: int = 0
    name: str = ""
    prefix: str = ""
    created: str = ""
    last_used: str = ""
    revoked: bool = False


def user_row(u: User) -> UserRow:
    """An account as the admin dialog lists it."""
    return UserRow(id=u.id, email=u.email, role="admin" if u.is_admin else "user", active=u.disabled_at is None,
                   last_sign_in=stamp(u.last_login_at) or "never")  # fmt: skip


def token_row(t: ApiToken) -> TokenRow:
    """An ApiToken as the tokens dialog lists it (never its secret)."""
    return TokenRow(id=t.id, name=t.name, prefix=t.prefix, created=stamp(t.created_at), last_used=stamp(t.last_used_at) or "never",
                    revoked=t.revoked_at is not None)  # fmt: skip
