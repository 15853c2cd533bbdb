"""One posting pasted by the user -> `JobIn`.

Fields the user typed win; otherwise title, company and location are guessed
from the text with a few fixed rules (no model call), so the same paste always
gives the same job:

- labelled lines: "Title: ...", "Company: ...", "Location: ...", "URL: ...";
- the title is the first short line near the top (markdown marks removed);
- "Acme is hiring a Data Engineer" gives company and title;
- "Data Engineer at Acme" (or "@ Acme") on the title line gives the company.
"""

from __future__ import annotations

import re

from pipeline.settings import settings
from pipeline.sources.base import JobIn, SourceError
from pipeline.sources.files import RowRejected, make_job

_LABELS = {
    "title": {"title", "job title", "position", "role", "job"},
    "company": {"company", "company name", "employer", "organization", "organisation", "hiring company"},
    "location": {"location", "job location", "based in", "where"},
    "url": {"url", "link", "job url", "apply", "apply at", "apply here"},
}
_LABEL_RE = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ]{0,24}?)\s*:\s*(?P<value>\S.*)$")
_HIRING_RE = re.compile(
    r"^(?P<company>[^:|]{2,80}?)\s+is\s+hiring\b[\s:!,.-]*(?:(?:an?|for)\s+)?(?P<rest>.*)$", re.IGNORECASE
)
_AT_RE = re.compile(r"^(?P<title>.{2,}?)\s+(?:at|@)\s+(?P<company>[^,()|]{2,80}?)\s*(?:[,(|].*)?$", re.IGNORECASE)
_HEADINGS = {"about the job", "about the role", "job description", "description", "about us", "overview", "job details"}
_SHORT = 120  # a title line is at most this long
_TOP = 8  # the title is looked for among this many first non-empty lines


def parse_paste(text: str, *, title: str = "", company: str = "", url: str = "", location: str = "") -> JobIn:
    """Build the job from a pasted posting; `SourceError` if it cannot be one."""
    body = (text or "").strip()
    if not body:
        raise SourceError("The pasted text is empty.")
    limit = settings.max_description_chars
    if len(body) > limit:
        raise SourceError(f"The pasted text is {len(body):,} characters; the limit is {limit:,}.")

    lines = [c for c in (_clean(line) for line in body.splitlines()) if c]
    labelled = _labelled(lines)
    title, company = title.strip(), company.strip()
    company = company or labelled.get("company", "")
    if not title:  # guessed titles only; a title the user typed is kept as typed
        title = labelled.get("title", "")
        if not title:
            title, hiring_company = _title_from_top(lines)
            company = company or hiring_company
        if title:
            title, at_company = _split_at(title, company)
            company = company or at_company
    if not company:
        company = next((m["company"].strip() for m in map(_HIRING_RE.match, lines) if m), "")
    if not title:
        raise SourceError("Could not find a job title in the pasted text; please enter the title.")

    fields = {
        "title": title,
        "company": company if len(company) <= 200 else "",
        "location": location.strip() or labelled.get("location", "")[:200],
        "url": url.strip() or labelled.get("url", ""),
        "description": body,
        "external_id": "",
    }
    try:
        return make_job(fields, "paste")
    except RowRejected as exc:
        raise SourceError(f"The pasted job is not valid: {exc}.") from None


def _clean(line: str) -> str:
    """Drop markdown headings, bullets, quotes and bold marks."""
    line = line.strip().lstrip("#>*-•· \t").replace("**", "").replace("__", "")
    return line.strip()


def _labelled(lines: list[str]) -> dict[str, str]:
    """First value of each known "Label: value" line."""
    found: dict[str, str] = {}
    for line in lines:
        m = _LABEL_RE.match(line)
        if not m:
            continue
        label, value = m["label"].strip().lower(), m["value"].strip()
        for field, names in _LABELS.items():
            if label in names and field not in found and (field != "url" or value.lower().startswith(("http://", "https://"))):
                found[field] = value
    return found


def _is_label_line(line: str) -> bool:
    m = _LABEL_RE.match(line)
    return bool(m) and any(m["label"].strip().lower() in names for names in _LABELS.values())


def _title_from_top(lines: list[str]) -> tuple[str, str]:
    """(title, company) from the first short line near the top that can be a title."""
    for line in lines[:_TOP]:
        if len(line) > _SHORT or _is_label_line(line) or line.endswith(":"):
            continue
        if line.lower().startswith(("http://", "https://", "www.")) or line.lower() in _HEADINGS:
            continue
        hiring = _HIRING_RE.match(line)
        if hiring:
            rest = hiring["rest"].strip(" .!:")
            if rest:
                return rest, hiring["company"].strip()
            continue
        return line, ""
    return "", ""


def _split_at(title: str, company: str) -> tuple[str, str]:
    """"Data Engineer at Acme" -> ("Data Engineer", "Acme"); keep the title if the company differs."""
    m = _AT_RE.match(title)
    if not m:
        return title, ""
    found = m["company"].strip()
    if company and found.lower() != company.lower():
        return title, ""
    return m["title"].strip(), found
