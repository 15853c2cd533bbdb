"""Upload to parsed profile: extraction, structuring and title suggestions in one call.

Why async: with a model configured, structuring and titles are two model calls; the
UI awaits them without blocking its event loop. Extraction (pdfminer, python-docx)
is CPU work and runs in a thread. Nothing here touches the database: the store
persists a `ParsedUpload` (`pipeline.store.profiles.save_parsed`).
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, field

from pipeline.profile.extract import EXTENSIONS, Extracted, extract_text
from pipeline.profile.structure import ProfileData, structure_llm, structure_offline, to_markdown
from pipeline.profile.titles import suggest_titles_llm, suggest_titles_offline


@dataclass
class ParsedUpload:
    filename: str
    data: bytes
    sha256: str
    kind: str  # pdf | docx | markdown | text
    text: str  # the extracted text, before structuring
    profile: ProfileData
    markdown: str  # the clean master CV
    suggested_titles: list[dict[str, str]]
    analyst: str  # "offline analyst" or the model's name
    warnings: list[str] = field(default_factory=list)

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.kind]

    def as_dict(self) -> dict:
        """What `profile parse --json` prints and the UI shows before saving."""
        return {
            "filename": self.filename, "kind": self.kind, "sha256": self.sha256, "analyst": self.analyst,
            "warnings": self.warnings, "profile": self.profile.model_dump(mode="json"), "markdown": self.markdown,
            "suggested_titles": self.suggested_titles,
        }  # fmt: skip


def default_analyst(owner: str | None = None):
    """The LLM analyst when `owner`'s settings (saved in the page, else the environment) have a
    model (its `structured` method is used), else None (offline)."""
    from pipeline.llm.base import Usage
    from pipeline.llm.models import make_analyst
    from pipeline.settings import settings

    analyst = make_analyst(usage=Usage(budget_usd=settings.max_cost_per_run), owner=owner)
    return None if getattr(analyst, "offline", True) else analyst


def parse_offline(filename: str, data: bytes) -> ParsedUpload:
    """The whole parse without a model (synchronous: CLI, tests, the offline UI path)."""
    extracted = extract_text(data)
    profile = structure_offline(extracted.text)
    markdown = to_markdown(profile)
    titles = suggest_titles_offline(profile.model_dump(mode="json"), markdown)
    return _result(filename, data, extracted, profile, markdown, titles, "offline analyst")


async def parse_upload(filename: str, data: bytes, *, analyst=None, use_model: bool = True, owner: str | None = None) -> ParsedUpload:
    """Extract, structure and suggest titles; with `analyst` (or the configured model) through the LLM.

    Raises `ProfileError` for a file that cannot be read and `PipelineError` when the model fails."""
    if analyst is None and use_model:
        analyst = await asyncio.to_thread(default_analyst, owner) if owner else default_analyst()
    if analyst is None:
        return await asyncio.to_thread(parse_offline, filename, data)
    extracted = await asyncio.to_thread(extract_text, data)
    profile = await structure_llm(extracted.text, analyst)
    markdown = to_markdown(profile)
    titles = await suggest_titles_llm(profile.model_dump(mode="json"), markdown, analyst)
    return _result(filename, data, extracted, profile, markdown, titles, getattr(analyst, "name", "model"))


def _result(filename, data, extracted: Extracted, profile, markdown, titles, analyst: str) -> ParsedUpload:
    warnings = list(extracted.warnings)
    if not profile.name:
        warnings.append("No name was found at the top of the CV; add it in the editor.")
    if not profile.experience:
        warnings.append("No work experience entries were recognised; check the Experience section in the editor.")
    return ParsedUpload(
        filename=filename, data=data, sha256=hashlib.sha256(data).hexdigest(), kind=extracted.kind, text=extracted.text,
        profile=profile, markdown=markdown, suggested_titles=titles, analyst=analyst, warnings=warnings,
    )  # fmt: skip
