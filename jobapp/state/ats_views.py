"""The ATS panel's view: the stored read-back of the exported files (pipeline.cv.ats_check),
master CV against tailored CV, shaped for the page (kept out of the editor's state mixin)."""

from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass
class CoverageBar:
    label: str = ""
    before: int = 0
    after: int = 0


@dataclasses.dataclass
class AtsView:
    """The ATS panel: what the exported files read back as, master CV against tailored CV."""

    checked: bool = False
    coverage: int = 0
    bars: list[CoverageBar] = dataclasses.field(default_factory=list)
    found: list[str] = dataclasses.field(default_factory=list)
    missing: list[str] = dataclasses.field(default_factory=list)
    gained: list[str] = dataclasses.field(default_factory=list)
    pages: str = ""
    sections: str = ""
    contact: str = ""
    problems: list[str] = dataclasses.field(default_factory=list)


def _pct(value: Any) -> int:
    return int(value) if isinstance(value, (int, float)) else 0


def ats_view(result: dict[str, Any]) -> AtsView:
    """The stored check (see pipeline.cv.ats_check) as the panel shows it."""
    pdf, docx, master = result.get("pdf") or {}, result.get("docx") or {}, result.get("master") or {}
    rows = [("Overall", "coverage"), ("Must-have", "must_coverage"), ("Nice-to-have", "nice_coverage")]
    bars = [CoverageBar(label=label, before=_pct(master.get(key)), after=_pct(pdf.get(key))) for label, key in rows if pdf.get(key) is not None]
    contact = pdf.get("contact") or {}
    problems = list(pdf.get("problems") or []) + [f"Word file: {p}" for p in docx.get("problems") or [] if p not in (pdf.get("problems") or [])]
    pages, budget = pdf.get("pages"), pdf.get("budget")
    sections = pdf.get("sections") or []
    return AtsView(
        checked=True,
        coverage=_pct(pdf.get("coverage")),
        bars=bars,
        found=list(pdf.get("found") or []),
        missing=list(pdf.get("missing") or []),
        gained=list((result.get("compare") or {}).get("gained") or []),
        pages=f"{pages} of {budget} page{'s' if budget != 1 else ''}" if pages and budget else (f"{pages} pages" if pages else ""),
        sections=", ".join(f"{s.get('heading')}{'' if s.get('recognised') else ' (not a standard name)'}" for s in sections),
        contact=" · ".join(f"{k} {'found' if contact.get(k) else 'missing'}" for k in ("name", "email", "phone") if k in contact),
        problems=problems,
    )
