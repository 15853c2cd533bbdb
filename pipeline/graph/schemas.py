"""Structured outputs of every layer. Both the LLM and the offline analyst produce
exactly these shapes, so everything downstream has one contract."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Seniority = Literal["intern", "junior", "mid", "senior", "lead", "principal", "executive", "unspecified"]


class Posting(BaseModel):
    """The job as the pipeline receives it."""

    title: str = ""
    company: str = ""
    location: str = ""
    url: str = ""
    description: str
    company_url: str = ""  # the company's own site when the posting names it (JSON-LD hiringOrganization sameAs/url)


class Intake(BaseModel):
    """Layer 1: the posting normalised."""

    title: str
    company: str = ""
    location: str = ""
    seniority: Seniority = "unspecified"
    language: str = Field(default="en", description="ISO 639-1 code of the posting's language")
    summary: str = Field(default="", description="two or three sentences on what the role is")
    must_have: list[str] = Field(default_factory=list, description="required skills/qualifications, short canonical names")
    nice_to_have: list[str] = Field(default_factory=list, description="preferred skills/qualifications")
    responsibilities: list[str] = Field(default_factory=list)


class PainPoint(BaseModel):
    title: str = Field(description="the problem the employer needs solved, in a few words")
    detail: str = Field(default="", description="one sentence on why it matters to them")
    evidence: str = Field(description="a sentence quoted verbatim from the posting that shows it")


class PainPoints(BaseModel):
    """Layer 2: what the employer needs solved (at least five when the posting allows)."""

    items: list[PainPoint] = Field(default_factory=list)


class ResearchFact(BaseModel):
    """One sentence about the company from a fetched page, with where and when it was read: the page's own sentence
    (offline), or a model's summary whose quote was checked against the page (pipeline/web/citations.py)."""

    text: str
    source_url: str
    fetched_on: str = Field(default="", description="ISO date the page was fetched (YYYY-MM-DD)")
    quote: str = Field(default="", description="the page's own words a model-written fact rests on (empty: text is the page's sentence)")


class Research(BaseModel):
    """Layer 3: company and role notes, and where each came from."""

    company_summary: str = ""
    role_summary: str = ""
    notes: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list, description="'posting' or URLs actually read")
    website: str | None = None
    facts: list[ResearchFact] = Field(default_factory=list, description="sentences from the company's own pages, each with its URL")


class FitBreakdown(BaseModel):
    """Each part 0-100; the score is their weighted sum."""

    must_have: float = Field(ge=0, le=100)
    nice_to_have: float = Field(ge=0, le=100)
    seniority: float = Field(ge=0, le=100)
    title: float = Field(ge=0, le=100)


class Fit(BaseModel):
    """Layer 4: how well the master CV fits the posting."""

    score: int = Field(ge=0, le=100)
    breakdown: FitBreakdown
    matched_skills: list[str] = Field(default_factory=list)
    missing_skills: list[str] = Field(default_factory=list)
    rationale: str = ""


class Contact(BaseModel):
    role: str = Field(description="e.g. hiring manager, recruiter, team lead")
    name: str | None = Field(default=None, description="only when a source states it; never invented")
    source: str = Field(default="placeholder", description="'posting', a URL, or 'placeholder'")
    is_placeholder: bool = True
    email: str | None = None
    search_url: str | None = Field(default=None, description="a web search that finds the person")


class People(BaseModel):
    """Layer 5: who to contact. Real names only from sources that state them."""

    contacts: list[Contact] = Field(default_factory=list)


class Outreach(BaseModel):
    linkedin_note: str = Field(description="at most 300 characters (longer notes are trimmed)")
    email_subject: str
    email_body: str


class StarStory(BaseModel):
    """Interview prep: one story from the CV for one pain point."""

    pain_point: str
    situation: str
    task: str
    action: str
    result: str
    source_line: str = Field(default="", description="the master-CV line the story is built on")
    gap: str = Field(default="", description="set when the CV has no example for this pain point: what story to prepare instead")


class Writing(BaseModel):
    """Layer 6: the tailored pack. The CV only reorders, selects and rephrases the master CV."""

    cv_markdown: str
    cover_letter: str
    outreach: Outreach
    star_stories: list[StarStory] = Field(default_factory=list)
