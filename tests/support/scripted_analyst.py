"""A deterministic stand-in analyst for graph tests: records calls, can sleep, fail or hang."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from pipeline.graph.schemas import (
    Contact,
    Fit,
    FitBreakdown,
    Intake,
    Outreach,
    PainPoint,
    PainPoints,
    People,
    Posting,
    Research,
    StarStory,
    Writing,
)
from pipeline.llm.base import Usage


class ScriptedAnalyst:
    name = "scripted"
    offline = True

    def __init__(self, *, delay: float = 0.0, fail: dict[str, Exception] | None = None, hang: set[str] | None = None,
                 calls_file: Path | None = None, usage: Usage | None = None, log=None) -> None:
        self.delay, self.fail, self.hang = delay, dict(fail or {}), set(hang or ())
        self.calls: list[str] = []
        self.intervals: dict[str, tuple[float, float]] = {}
        self.calls_file = calls_file
        self.usage = usage
        self.log = log

    async def _step(self, layer: str) -> None:
        self.calls.append(layer)
        if self.calls_file:
            with open(self.calls_file, "a") as f:  # noqa: ASYNC230 - a one-line append in a test double
                f.write(layer + "\n")
        start = time.perf_counter()
        if self.log:
            self.log("info", layer, f"scripted {layer}")
        if layer in self.hang:
            await asyncio.sleep(3600)
        if self.delay:
            await asyncio.sleep(self.delay)
        if layer in self.fail:
            raise self.fail.pop(layer)
        self.intervals[layer] = (start, time.perf_counter())

    async def intake(self, posting: Posting) -> Intake:
        await self._step("intake")
        return Intake(title=posting.title or "Role", company=posting.company, location=posting.location, seniority="senior",
                      summary="A role.", must_have=["Python", "SQL"], nice_to_have=["Kafka"], responsibilities=["Build things"])

    async def pain_points(self, posting: Posting, intake: Intake) -> PainPoints:
        await self._step("pain_points")
        sentence = posting.description.split(".")[0]
        return PainPoints(items=[PainPoint(title=f"Need {i}", detail="matters", evidence=sentence) for i in range(5)])

    async def research(self, posting: Posting, intake: Intake) -> Research:
        await self._step("research")
        return Research(company_summary="A company.", role_summary="A role.", notes=["note"], sources=["posting"])

    async def fit(self, posting: Posting, intake: Intake, cv_markdown: str) -> Fit:
        await self._step("fit")
        return Fit(score=72, breakdown=FitBreakdown(must_have=80, nice_to_have=50, seniority=70, title=60),
                   matched_skills=["Python"], missing_skills=["SQL"], rationale="Good on Python.")

    async def people(self, posting: Posting, intake: Intake) -> People:
        await self._step("people")
        return People(contacts=[Contact(role="recruiter", search_url="https://www.example.com/search?q=recruiter")])

    async def writing(self, posting, intake, pains, fit, research, cv_markdown) -> Writing:
        await self._step("writing")
        cv = "\n".join(ln for ln in cv_markdown.splitlines())
        return Writing(cv_markdown=cv, cover_letter="Dear team,\n\nI fit.\n",
                       outreach=Outreach(linkedin_note="Hello " * 80, email_subject="Application", email_body="Hi"),
                       star_stories=[StarStory(pain_point="Need 0", situation="s", task="t", action="a", result="r")])


def read_calls(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def dump(obj) -> str:
    return json.dumps(obj)
