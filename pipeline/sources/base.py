"""The shape every import source produces, before it reaches the store."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from pydantic import BaseModel, Field, field_validator

from pipeline.store.models import JOB_STATUSES


class SourceError(ValueError):
    """A whole input is unusable (too big, not text, wrong format): nothing imported."""


class JobIn(BaseModel):
    """One posting as a source read it. Validation errors become per-row errors."""

    source: str
    external_id: str = ""
    title: str = Field(min_length=1, max_length=300)
    company: str = Field(default="", max_length=200)
    location: str = Field(default="", max_length=200)
    url: str = Field(default="", max_length=2000)
    description: str = ""
    status: str | None = None
    tags: list[str] = Field(default_factory=list)

    @field_validator("title", "company", "location", "url", "description", mode="before")
    @classmethod
    def _strip(cls, v: object) -> object:
        if v is None:
            return ""
        if isinstance(v, (int, float)):
            return str(v)
        return v.strip() if isinstance(v, str) else v

    @field_validator("url")
    @classmethod
    def _web_url_only(cls, v: str) -> str:
        """Only http(s) links reach the page: a `javascript:` URL is dropped, the posting kept."""
        return v if v.lower().startswith(("http://", "https://")) else ""

    @field_validator("status", mode="before")
    @classmethod
    def _known_status(cls, v: object) -> object:
        """Unknown or legacy statuses (e.g. 'ready for applying') map to the flow."""
        if v in (None, ""):
            return None
        s = str(v).strip().lower()
        if s in JOB_STATUSES:
            return s
        return LEGACY_STATUS.get(s)

    def key(self) -> str:
        """External id, or a stable hash of what identifies the posting."""
        if self.external_id:
            return self.external_id
        basis = "\x1f".join([self.url.lower(), self.title.lower(), self.company.lower(), self.location.lower()])
        return "h:" + hashlib.sha256(basis.encode()).hexdigest()[:24]


LEGACY_STATUS = {
    "ready for applying": "ready",
    "applying": "ready",
    "not interested": "archived",
    "discarded": "archived",
    "interview": "interviewing",
    "declined": "rejected",
}


@dataclass
class RowError:
    line: int
    error: str


@dataclass
class ParseResult:
    """Good rows with the line they came from, and every bad row's reason."""

    rows: list[tuple[int, JobIn]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
