"""Request and response bodies of the REST API (they are also its OpenAPI schema)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

MAX_RUN_JOBS = 500
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]  # a database id: larger numbers are refused, not overflowed


class Problem(BaseModel):
    detail: Any = Field(description="What went wrong, for a person to read (validation errors: a list of field errors).")


class RunsCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"job_ids": [12, 15]}]})

    job_ids: list[Id] = Field(min_length=1, max_length=MAX_RUN_JOBS, description="Jobs to process: one run each, in one batch.")


class RunsCreated(BaseModel):
    batch_id: int | None = Field(description="The batch the new runs belong to (null when nothing was queued).")
    run_ids: list[int]
    skipped: list[int] = Field(description="Jobs that already had a queued or running run (not queued twice).")


class ArtifactOut(BaseModel):
    name: str
    size: int
    sha256: str
    url: str


class RunOut(BaseModel):
    id: int
    job_id: int
    batch_id: int | None
    status: str = Field(description="queued | running | succeeded | failed | cancelled | interrupted | held (a cost cap: resumed from the page)")
    step: str
    progress: int = Field(description="0-100")
    attempt: int
    created_at: str
    started_at: str | None
    finished_at: str | None
    model: str
    tokens_in: int
    tokens_out: int
    cost_usd: float
    error_code: str | None
    error_message: str | None
    cancel_requested: bool
    artifacts: list[ArtifactOut]


class JobItem(BaseModel):
    """One posting. Field names follow the file import, which also accepts its aliases
    (job_description, jobId, link, ...); a bad row is reported, the others are imported."""

    model_config = ConfigDict(extra="allow")

    title: str | None = Field(default=None, max_length=300)
    company: str | None = Field(default=None, max_length=200)
    location: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=2000)
    description: str | None = None
    external_id: str | None = Field(default=None, max_length=200)
    status: str | None = None
    tags: list[str] | None = None


class PasteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The posting as copied from a job board.")
    title: str = Field(default="", max_length=300)
    company: str = Field(default="", max_length=200)
    location: str = Field(default="", max_length=200)
    url: str = Field(default="", max_length=2000)


class JobsImport(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"jobs": [{"title": "Data Engineer", "company": "Acme", "location": "Berlin", "description": "..."}]}]},
    )

    jobs: list[JobItem] = Field(min_length=1, description="Structured postings (like a JSON file import).")


class PasteImport(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"paste": {"text": "Acme is hiring a Data Engineer ..."}}]})

    paste: PasteIn = Field(description="One posting as pasted text.")


class UrlsImport(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"urls": ["https://boards.greenhouse.io/acme/jobs/4012345"]}]},
    )

    urls: list[str] = Field(
        min_length=1, max_length=50,
        description="Links to job postings (at most 50). Each is read (a board's public JSON, the page's JSON-LD or its text) "
        "and stored with the link as its id, so importing it again updates the job. A link that fails is reported in `errors`.",
    )


JobsCreate = JobsImport | PasteImport | UrlsImport


class RowErrorOut(BaseModel):
    line: int = Field(description="1-based position of the posting in `jobs` (or of the link in `urls`).")
    error: str


class LinkResultOut(BaseModel):
    line: int = Field(description="1-based position of the link in `urls`.")
    url: str = Field(description="The link as stored (fragment and tracking parameters removed).")
    outcome: str = Field(description="created, updated, unchanged or error.")
    job_id: int | None
    title: str
    error: str


class ImportOut(BaseModel):
    imported: int
    updated: int
    skipped: int
    errors: list[RowErrorOut]
    job_ids: list[int]
    results: list[LinkResultOut] | None = Field(default=None, description="Per link, for an import of `urls`.")


class JobRow(BaseModel):
    id: int
    title: str
    company: str
    location: str
    status: str
    fit_score: int | None
    source: str
    last_run_status: str | None
    duplicate_of: int | None
    notes_count: int
    url: str
    language: str = Field(description='What the next run writes in (ISO 639-1: en, de, es, fr, nl); "" means the posting\'s language.')
    link_status: str = Field(default="", description='Last "Check links": "" never checked, open, closed or error.')
    link_note: str = Field(default="", description="Why, in plain words.")
    company_url: str = Field(default="", description="The company's own site the posting names (a link import: JSON-LD sameAs); research starts there.")
    updated_at: str


class JobPageOut(BaseModel):
    rows: list[JobRow]
    total: int
    page: int
    pages: int
