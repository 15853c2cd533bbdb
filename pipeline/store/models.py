"""SQLModel tables: the one source of truth (DESIGN.md, "Data")."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from pipeline.text.normalize import search_text


def utcnow() -> datetime:
    return datetime.now(UTC)


class JobStatus(str, Enum):
    new = "new"
    shortlisted = "shortlisted"
    ready = "ready"
    applied = "applied"
    interviewing = "interviewing"
    offer = "offer"
    rejected = "rejected"
    archived = "archived"


JOB_STATUSES: list[str] = [s.value for s in JobStatus]


class JobSource(str, Enum):
    demo = "demo"
    file = "file"
    paste = "paste"
    mongo = "mongo"
    greenhouse = "greenhouse"
    lever = "lever"
    ashby = "ashby"
    link = "link"  # pasted posting links (pipeline/sources/links.py); the URL is the external id


class RunStatus(str, Enum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    cancelled = "cancelled"
    interrupted = "interrupted"
    held = "held"  # not started: it would take its batch or the month past a cost cap (resumable)


class EventKind(str, Enum):
    imported = "imported"
    updated = "updated"
    status_changed = "status_changed"
    note_added = "note_added"
    archived = "archived"
    restored = "restored"
    run_started = "run_started"
    run_finished = "run_finished"
    cv_edited = "cv_edited"
    exported = "exported"
    link_checked = "link_checked"  # a posting link read again found it open, closed or unreadable


LOCAL_OWNER = "local"

# The languages a run can be told to write in (Job.language), each named in its own language.
# "" (not listed) means "the posting's language", which intake detects.
WRITING_LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch", "es": "Español", "fr": "Français", "nl": "Nederlands"}


class Job(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("owner", "source", "external_id", name="uq_job_source_external"),
        # Covers status filters, the chip counts and the table's total without
        # reading the wide rows (descriptions).
        Index("ix_job_owner_status_archived", "owner", "status", "archived_at"),
        Index("ix_job_owner_updated", "owner", "updated_at"),
        Index("ix_job_company_norm", "company_norm"),
        # Holds every column the Analytics view's scan of the jobs reads (pipeline/store/analytics.py),
        # so it skips the wide rows. The layout (JSON) cannot be a key on PostgreSQL: there it rides
        # along with the id as INCLUDE columns; SQLite (no INCLUDE) reads the layouts from the rows.
        Index("ix_job_owner_analytics", "owner", "applied_at", "last_run_status", "source", "fit_score", "status", "responded_at",
              postgresql_include=["id", "layout"]),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(default=LOCAL_OWNER, max_length=200)
    source: str = Field(max_length=20, index=True)
    external_id: str = Field(max_length=200)
    title: str = Field(max_length=300, index=True)
    company: str = Field(default="", max_length=200, index=True)
    company_norm: str = Field(default="", max_length=200)
    location: str = Field(default="", max_length=200)
    url: str = Field(default="", max_length=2000)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    search_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    status: str = Field(default=JobStatus.new.value, max_length=20)
    fit_score: int | None = Field(default=None, index=True)
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    duplicate_of: int | None = Field(default=None)
    last_run_id: int | None = Field(default=None)
    last_run_status: str | None = Field(default=None, max_length=20, index=True)
    notes_count: int = Field(default=0)
    # How this job's documents are printed: template, page_size, ats_safe, cv_pages (see pipeline.documents.layout).
    layout: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    # What the next run writes the letter, outreach and dossier in (ISO 639-1, see WRITING_LANGUAGES); "" = the posting's language.
    language: str = Field(default="", max_length=8)
    # "Check links" (pipeline/sources/links.py): "" never checked, "open", "closed" or "error";
    # when, and why in plain words (the table's "closed?" mark). Nothing is ever deleted for it.
    link_status: str = Field(default="", max_length=20)
    link_checked_at: datetime | None = Field(default=None)
    link_note: str = Field(default="", max_length=300)
    # The company's own site as the posting names it (JSON-LD hiringOrganization sameAs/url, or a
    # job board's company link); research starts there (pipeline/web/site.py). "" = not known.
    company_url: str = Field(default="", max_length=2000)
    # After applying (pipeline/store/tracking.py): when the job first moved to applied, the day to
    # follow up (None: nothing due), and when the employer first answered (interview, offer or rejection).
    applied_at: datetime | None = Field(default=None, index=True)
    follow_up_on: date | None = Field(default=None, index=True)
    responded_at: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    archived_at: datetime | None = Field(default=None, index=True)


@event.listens_for(Job, "before_insert")
@event.listens_for(Job, "before_update")
def _fill_search_text(_mapper, _conn, job: Job) -> None:
    """Keep the folded search column in step with the fields it covers."""
    job.search_text = search_text(job.title, job.company, job.location, job.description)


class JobEvent(SQLModel, table=True):
    """Append-only history of a job; `idempotency_key` makes retried writes no-ops."""

    id: int | None = Field(default=None, primary_key=True)
    job_id: int = Field(foreign_key="job.id", index=True)
    kind: str = Field(max_length=30)
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    idempotency_key: str = Field(max_length=200, unique=True)
    actor: str = Field(default=LOCAL_OWNER, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class Batch(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(default=LOCAL_OWNER, max_length=200, index=True)
    kind: str = Field(default="process", max_length=20)
    label: str = Field(default="", max_length=300)
    total: int = Field(default=0)
    done: int = Field(default=0)
    failed: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = Field(default=None)
    # What the batch was estimated to cost when queued (USD, low-high); None: offline or unpriced.
    estimate_low_usd: float | None = Field(default=None)
    estimate_high_usd: float | None = Field(default=None)


class Run(SQLModel, table=True):
    __table_args__ = (Index("ix_run_status_created", "status", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    job_id: int = Field(foreign_key="job.id", index=True)
    batch_id: int | None = Field(default=None, foreign_key="batch.id", index=True)
    owner: str = Field(default=LOCAL_OWNER, max_length=200, index=True)
    status: str = Field(default=RunStatus.queued.value, max_length=20)
    step: str = Field(default="", max_length=50)
    progress: int = Field(default=0)
    attempt: int = Field(default=1)
    worker: str | None = Field(default=None, max_length=200)
    lease_until: datetime | None = Field(default=None)
    heartbeat_at: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = Field(default=None)
    finished_at: datetime | None = Field(default=None)
    model: str = Field(default="", max_length=100)
    tokens_in: int = Field(default=0)
    tokens_out: int = Field(default=0)
    cost_usd: float = Field(default=0.0)
    # The estimate when queued (USD, low-high; pipeline/llm/estimate.py); None: offline or unpriced.
    estimate_low_usd: float | None = Field(default=None)
    estimate_high_usd: float | None = Field(default=None)
    error_code: str | None = Field(default=None, max_length=50)
    error_message: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    out_dir: str | None = Field(default=None, max_length=1000)
    cancel_requested: bool = Field(default=False)


class RunEvent(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("run_id", "seq", name="uq_runevent_run_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True)
    seq: int
    ts: datetime = Field(default_factory=utcnow)
    level: str = Field(default="info", max_length=10)
    step: str = Field(default="", max_length=50)
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))


class Artifact(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("run_id", "name", name="uq_artifact_run_name"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True)
    name: str = Field(max_length=200)
    path: str = Field(max_length=1000)
    size: int = Field(default=0)
    sha256: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class CvVersion(SQLModel, table=True):
    """A saved edit of one document, never overwritten. `subject` is `run:<id>` (a tailored CV),
    `letter:<id>` (its cover letter), `outreach:<id>` (its messages, as JSON text) or `profile:<id>`
    (a master CV)."""

    __table_args__ = (UniqueConstraint("subject", "version", name="uq_cvversion_subject_version"),)

    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(max_length=100, index=True)
    version: int
    parent_version: int | None = Field(default=None)
    markdown: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    html: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    note: str = Field(default="", max_length=500)
    owner: str = Field(default=LOCAL_OWNER, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    # Checks run on this exact version (the ATS read-back of its exported files), keyed by check name.
    checks: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))


class Profile(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(default=LOCAL_OWNER, max_length=200, index=True)
    name: str = Field(default="", max_length=200)
    markdown: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    source_filename: str | None = Field(default=None, max_length=300)
    source_path: str | None = Field(default=None, max_length=1000)
    parsed: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    suggested_titles: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, default=list)
    )
    source_sha256: str = Field(default="", max_length=64)
    source_kind: str = Field(default="", max_length=20)
    version: int = Field(default=1)
    is_demo: bool = Field(default=False)
    # A parsed upload is a draft until the user has reviewed it; runs use the
    # newest confirmed profile only.
    confirmed_at: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class MatchQuery(SQLModel, table=True):
    """One title searched within a "Find matches" batch (Batch.kind == "match")."""

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="batch.id", index=True)
    owner: str = Field(default=LOCAL_OWNER, max_length=200, index=True)
    title: str = Field(max_length=300)
    position: int = Field(default=0)
    status: str = Field(default="queued", max_length=20)
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    results_count: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = Field(default=None)


class MatchResult(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("query_id", "job_id", name="uq_matchresult_query_job"),)

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="batch.id", index=True)
    query_id: int = Field(foreign_key="matchquery.id", index=True)
    owner: str = Field(default=LOCAL_OWNER, max_length=200)
    job_id: int = Field(foreign_key="job.id", index=True)
    score: int = Field(default=0)
    title_score: float = Field(default=0.0)
    fit_score: int = Field(default=0)
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    created_at: datetime = Field(default_factory=utcnow)


def user_owner(user_id: int) -> str:
    """The owner string every row of a user's data carries."""
    return f"user:{user_id}"


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True)
    password_hash: str = Field(max_length=300)
    is_admin: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = Field(default=None)
    disabled_at: datetime | None = Field(default=None)


class LoginSession(SQLModel, table=True):
    """A signed-in browser; only the token's SHA-256 is stored."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    owner: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    last_seen_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = Field(default=None)


class ApiToken(SQLModel, table=True):
    """A per-user API token; the secret is shown once, only its SHA-256 is stored."""

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(max_length=200, index=True)
    name: str = Field(default="", max_length=200)
    prefix: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = Field(default=None)
    revoked_at: datetime | None = Field(default=None)


class IdempotencyRecord(SQLModel, table=True):
    """The first response to an API POST with an Idempotency-Key, replayed on retries."""

    __table_args__ = (UniqueConstraint("owner", "key", name="uq_idempotency_owner_key"),)

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(max_length=200)
    key: str = Field(max_length=200)
    request_hash: str = Field(max_length=64)
    status_code: int = Field(default=200)
    response: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    created_at: datetime = Field(default_factory=utcnow, index=True)


class UserSettings(SQLModel, table=True):
    """A user's model and writing settings (one row per owner; "local" in open mode).

    `data` holds the validated `ModelSettings` fields (pipeline/llm/config.py) without the
    API key; the key lives only in `api_key_encrypted`, Fernet-encrypted.
    """

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(max_length=200, unique=True)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    api_key_encrypted: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    updated_at: datetime = Field(default_factory=utcnow)


class WebPage(SQLModel, table=True):
    """A fetched public web page, cached by the URL asked for (issue 18: 20 jobs at one company fetch its site once).

    Global, not per user: a company's public site reads the same for everyone. Only answers
    worth remembering are kept (2xx pages, and 404/410 "gone" answers; see
    pipeline/store/webcache.py); `fetched_at` drives the TTL (`settings.web_cache_days`).
    """

    __tablename__ = "web_page"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000, unique=True, index=True)
    final_url: str = Field(default="", max_length=2000)
    status: int = Field(default=200)
    content_type: str = Field(default="", max_length=200)
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    fetched_at: datetime = Field(default_factory=utcnow)


class Interview(SQLModel, table=True):
    """One interview of a job: when (UTC), how long, what kind, where, with whom, notes."""

    id: int | None = Field(default=None, primary_key=True)
    job_id: int = Field(foreign_key="job.id", index=True)
    owner: str = Field(default=LOCAL_OWNER, max_length=200, index=True)
    starts_at: datetime = Field(index=True)
    minutes: int = Field(default=60)
    kind: str = Field(default="video", max_length=20)  # see pipeline.store.tracking.INTERVIEW_KINDS
    location: str = Field(default="", max_length=500)  # an address or a meeting link
    with_whom: str = Field(default="", max_length=300)
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SentDocument(SQLModel, table=True):
    """Exactly what went to an employer when a job moved to applied: which version of the CV or
    letter, its content hash and format, so the detail can offer exactly those files again."""

    id: int | None = Field(default=None, primary_key=True)
    job_id: int = Field(foreign_key="job.id", index=True)
    owner: str = Field(default=LOCAL_OWNER, max_length=200)
    run_id: int = Field(foreign_key="run.id")
    document: str = Field(max_length=20)  # "cv" or "letter"
    version: int
    sha256: str = Field(max_length=64)  # of the version's markdown (what the files are made from)
    format: str = Field(default="pdf", max_length=10)  # "pdf", "docx" or "md"
    layout: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    sent_at: datetime = Field(default_factory=utcnow)


class CalendarFeed(SQLModel, table=True):
    """A private calendar feed URL of one owner's interviews and follow-ups; only the token's
    SHA-256 is stored, and revoking it makes the old URL answer 404."""

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(max_length=200, index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = Field(default=None)
