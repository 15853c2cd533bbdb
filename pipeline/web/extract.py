"""A job posting out of a fetched page: a PostingDraft, and whether the posting looks closed.

In order of trust:
1. schema.org `JobPosting` JSON-LD (what job sites publish for search engines): a single
   object, an array, a `@graph`, `@type` as a list or a full IRI; its `description` HTML is
   sanitized and turned into markdown the way board imports do it.
2. The page's main content, read with trafilatura (menus, footers and cookie banners left out).
3. The `<title>` (or og:title / the first h1) for the title.

Closed: `validThrough` before today, an HTTP 404/410 (`closed_draft`), or a phrase such as
"no longer accepting applications" in the page's text (English, German, Spanish, French, Dutch,
Italian, Portuguese). A mark for the user to check, never a reason to delete anything.

The text is untrusted (anyone can write a web page): callers treat the draft as posting data only.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from pipeline.sources.boards import html_posting

JOB_TYPES = {"jobposting"}
PERIODS = {"hour": "hour", "hourly": "hour", "day": "day", "daily": "day", "week": "week", "weekly": "week", "month": "month", "monthly": "month", "year": "year", "yearly": "year", "annual": "year", "annually": "year"}
EMPLOYMENT_WORDS = {
    "FULL_TIME": "Full-time",
    "PART_TIME": "Part-time",
    "CONTRACTOR": "Contract",
    "TEMPORARY": "Temporary",
    "INTERN": "Internship",
    "VOLUNTEER": "Volunteer",
    "PER_DIEM": "Per diem",
    "OTHER": "Other",
}

# Lower case, apostrophes straightened, whitespace collapsed (see _norm).
CLOSED_PHRASES = (
    # English
    "no longer accepting applications",
    "not accepting applications",
    "this job is no longer available",
    "this job is no longer open",
    "this position is no longer available",
    "this position is no longer open",
    "this position has been filled",
    "position has been filled",
    "this job has expired",
    "this job posting has expired",
    "this posting has expired",
    "this vacancy has closed",
    "this vacancy is closed",
    "applications for this job are closed",
    "applications are closed",
    "the job you are looking for is no longer",
    "the position you are looking for is no longer",
    "job is closed",
    # German
    "stelle ist bereits besetzt",
    "stelle wurde bereits besetzt",
    "diese stelle ist nicht mehr verfügbar",
    "diese stellenanzeige ist nicht mehr verfügbar",
    "stellenangebot ist nicht mehr verfügbar",
    "die bewerbungsfrist ist abgelaufen",
    "keine bewerbungen mehr",
    # Spanish
    "ya no acepta candidaturas",
    "ya no se aceptan candidaturas",
    "ya no acepta solicitudes",
    "esta oferta ya no está disponible",
    "la oferta ha caducado",
    "el puesto ya ha sido cubierto",
    # French
    "offre n'est plus disponible",
    "cette offre a expiré",
    "ce poste a été pourvu",
    "ce poste est pourvu",
    "n'accepte plus de candidatures",
    "les candidatures sont closes",
    # Dutch
    "vacature is gesloten",
    "vacature is niet meer beschikbaar",
    "vacature is vervuld",
    "deze vacature is verlopen",
    "reageren is niet meer mogelijk",
    # Italian, Portuguese
    "questa offerta non è più disponibile",
    "la posizione è stata coperta",
    "esta vaga não está mais disponível",
    "vaga encerrada",
)


@dataclass(frozen=True)
class Salary:
    min: float | None = None
    max: float | None = None
    currency: str = ""
    period: str = ""  # hour, day, week, month, year, or ""

    def words(self) -> str:
        """`EUR 60,000-75,000 a year`, or "" when there is no amount."""
        amounts = [a for a in (self.min, self.max) if a is not None]
        if not amounts:
            return ""
        fmt = [f"{a:,.0f}" if float(a).is_integer() else f"{a:,.2f}" for a in amounts]
        span = fmt[0] if len(fmt) == 1 or fmt[0] == fmt[1] else f"{fmt[0]}-{fmt[1]}"
        return " ".join(p for p in (self.currency, span, f"a {self.period}" if self.period else "") if p)


@dataclass
class PostingDraft:
    """What a pasted link gave: every field may be empty except `url`."""

    url: str
    title: str = ""
    company: str = ""
    location: str = ""
    description_markdown: str = ""
    date_posted: date | None = None
    valid_through: date | None = None
    employment_type: str = ""
    salary: Salary | None = None
    closed: bool = False
    closed_reason: str = ""
    company_url: str = ""  # hiringOrganization sameAs/url: the company's own site, for research
    source: str = ""  # how it was read: "jsonld", "content", "title", or a board ("greenhouse", ...)
    tags: list[str] = field(default_factory=list)

    def job_fields(self) -> dict[str, Any]:
        """The fields `pipeline.sources.files.make_job` takes; the link is the external id (re-import updates)."""
        facts = [
            f"Salary: {self.salary.words()}" if self.salary and self.salary.words() else "",
            f"Employment type: {self.employment_type}" if self.employment_type else "",
            f"Posted: {self.date_posted.isoformat()}" if self.date_posted else "",
            f"Apply by: {self.valid_through.isoformat()}" if self.valid_through else "",
        ]
        facts_md = "\n".join(f"- {f}" for f in facts if f)
        return {
            "external_id": self.url,
            "title": self.title,
            "company": self.company,
            "location": self.location,
            "url": self.url,
            "description": "\n\n".join(p for p in (self.description_markdown.strip(), facts_md) if p),
            "tags": list(self.tags),
        }


# ---------------------------------------------------------------- entry points


def extract_posting(html: str, *, url: str, status: int = 200, today: date | None = None) -> PostingDraft:
    """The posting on a page: JSON-LD first, then the main content, then the title; closed marks applied."""
    today = today or datetime.now(UTC).date()
    doc = _parse_html(html)
    draft = PostingDraft(url=url)
    posting = find_job_posting(json_ld_blocks(doc)) if doc is not None else None
    if posting is not None:
        _fill_from_jsonld(draft, posting)
        draft.source = "jsonld"
    if not draft.description_markdown.strip():
        content = main_content(html, url=url)
        if content:
            draft.description_markdown = content
            draft.source = draft.source or "content"
    if doc is not None:
        if not draft.title:
            draft.title = page_title(doc)
            draft.source = draft.source or "title"
        if not draft.company:
            draft.company = _meta(doc, "og:site_name")
    draft.tags = [t for t in [draft.employment_type] if t]
    mark_closed(draft, status=status, page_text=visible_text(doc) if doc is not None else "", today=today)
    return draft


def closed_draft(url: str, status: int) -> PostingDraft:
    """A 404/410 link: nothing to read, the posting is probably closed."""
    draft = PostingDraft(url=url)
    mark_closed(draft, status=status)
    return draft


def mark_closed(draft: PostingDraft, *, status: int = 200, page_text: str = "", today: date | None = None) -> PostingDraft:
    """Set `closed`/`closed_reason` from the HTTP status, validThrough and the page's words (the first reason found)."""
    today = today or datetime.now(UTC).date()
    if status in (404, 410):
        draft.closed, draft.closed_reason = True, f"the page answers HTTP {status} ({'not found' if status == 404 else 'gone'})"
    elif draft.valid_through and draft.valid_through < today:
        draft.closed, draft.closed_reason = True, f"its closing date ({draft.valid_through.isoformat()}) has passed"
    else:
        phrase = closed_phrase(page_text)
        if phrase:
            draft.closed, draft.closed_reason = True, f"the page says “{phrase}”"
    return draft


def closed_phrase(text: str) -> str:
    """The first closed-posting phrase in `text`, or ""."""
    norm = _norm(text)
    return next((p for p in CLOSED_PHRASES if p in norm), "")


# ---------------------------------------------------------------- JSON-LD


def _parse_html(html: str) -> Any:
    if not html or not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        try:
            return lxml.html.document_fromstring(html.encode("utf-8", "replace"))
        except (etree.ParserError, ValueError):
            return None


def json_ld_blocks(doc: Any) -> list[Any]:
    """Every parseable `<script type="application/ld+json">` on the page; broken ones are skipped."""
    out: list[Any] = []
    for script in doc.xpath("//script[@type]"):
        if script.get("type", "").split(";", 1)[0].strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        raw = re.sub(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)", "", raw)
        raw = re.sub(r"(?:-->|//\s*\]\]>|\]\]>)\s*$", "", raw).strip()
        if not raw:
            continue
        try:
            out.append(json.loads(raw, strict=False))
        except ValueError:
            try:  # a trailing comma is the commonest hand-written mistake
                out.append(json.loads(re.sub(r",\s*([\]}])", r"\1", raw), strict=False))
            except ValueError:
                continue
    return out


def _types(node: dict[str, Any]) -> set[str]:
    t = node.get("@type")
    values = t if isinstance(t, list) else [t]
    return {re.split(r"[/#:]", v.strip())[-1].lower() for v in values if isinstance(v, str)}


def _walk(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 8:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "item"):
            if key in node:
                yield from _walk(node[key], depth + 1)


def find_job_posting(blocks: list[Any]) -> dict[str, Any] | None:
    """The first JobPosting among the blocks (inside arrays, @graph, mainEntity or item lists)."""
    for block in blocks:
        for node in _walk(block):
            if _types(node) & JOB_TYPES:
                return node
    return None


def _text(v: Any) -> str:
    if isinstance(v, str):
        return html_lib.unescape(v).strip()
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    if isinstance(v, dict):
        return _text(v.get("name") or v.get("@value") or "")
    if isinstance(v, list):
        return next((t for t in (_text(x) for x in v) if t), "")
    return ""


def _fill_from_jsonld(draft: PostingDraft, p: dict[str, Any]) -> None:
    draft.title = _text(p.get("title")) or _text(p.get("name"))
    org = p.get("hiringOrganization")
    org = org[0] if isinstance(org, list) and org else org
    draft.company = _text(org)
    if isinstance(org, dict):
        same = org.get("sameAs")
        same = same[0] if isinstance(same, list) and same else same
        draft.company_url = next((u for u in (_text(same), _text(org.get("url"))) if u.lower().startswith(("http://", "https://"))), "")
    draft.location = _location(p)
    draft.description_markdown = description_markdown(p.get("description"))
    draft.date_posted = parse_date(p.get("datePosted"))
    draft.valid_through = parse_date(p.get("validThrough"))
    draft.employment_type = _employment(p.get("employmentType"))
    draft.salary = _salary(p.get("baseSalary")) or _salary(p.get("estimatedSalary"))


def description_markdown(value: Any) -> str:
    """A JSON-LD description (HTML, entity-escaped HTML, or plain text) as clean markdown."""
    text = value if isinstance(value, str) else _text(value)
    if not text.strip():
        return ""
    if "<" not in text and re.search(r"&lt;/?[a-zA-Z]", text):
        text = html_lib.unescape(text)
    if re.search(r"<(?:p|br|ul|ol|li|div|h[1-6]|strong|b|em|i|span|table)\b", text, re.IGNORECASE):
        return html_posting(text)
    plain = html_lib.unescape(text).replace("\r\n", "\n").strip()
    return re.sub(r"\n{3,}", "\n\n", plain)


def _place_words(place: Any) -> str:
    if isinstance(place, str):
        return place.strip()
    if not isinstance(place, dict):
        return ""
    addr = place.get("address")
    if isinstance(addr, str):
        return addr.strip()
    if isinstance(addr, dict):
        parts = [_text(addr.get("addressLocality")), _text(addr.get("addressRegion")), _text(addr.get("addressCountry"))]
        out: list[str] = []
        for part in parts:
            if part and part not in out:
                out.append(part)
        if out:
            return ", ".join(out)
    return _text(place.get("name"))


def _location(p: dict[str, Any]) -> str:
    places = p.get("jobLocation")
    places = places if isinstance(places, list) else [places] if places else []
    names: list[str] = []
    for place in places:
        w = _place_words(place)
        if w and w not in names:
            names.append(w)
    loc = "; ".join(names[:3]) + (f" (+{len(names) - 3} more)" if len(names) > 3 else "")
    if "telecommute" in _text(p.get("jobLocationType")).lower() or p.get("jobLocationType") == ["TELECOMMUTE"]:
        where = _place_words(p.get("applicantLocationRequirements")) if not isinstance(p.get("applicantLocationRequirements"), list) else ", ".join(
            w for w in (_place_words(x) for x in p["applicantLocationRequirements"]) if w
        )
        remote = f"Remote ({where})" if where else "Remote"
        loc = f"{loc}; {remote}" if loc else remote
    return loc[:200]


def _employment(v: Any) -> str:
    values = v if isinstance(v, list) else [v]
    words: list[str] = []
    for x in values:
        if not isinstance(x, str) or not x.strip():
            continue
        for piece in re.split(r"\s*,\s*", x.strip()):
            w = EMPLOYMENT_WORDS.get(piece.upper().replace("-", "_").replace(" ", "_"), piece)
            if w and w not in words:
                words.append(w)
    return ", ".join(words)


def _number(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        s = v.strip().replace(",", "").replace(" ", "")
        try:
            return float(s)
        except ValueError:
            return None
    return None


def _salary(v: Any) -> Salary | None:
    if isinstance(v, list):
        v = v[0] if v else None
    if not isinstance(v, dict):
        n = _number(v)
        return Salary(min=n, max=n) if n is not None else None
    currency = _text(v.get("currency")).upper()
    value = v.get("value")
    unit = ""
    lo = hi = None
    if isinstance(value, dict):
        unit = _text(value.get("unitText"))
        lo, hi = _number(value.get("minValue")), _number(value.get("maxValue"))
        single = _number(value.get("value"))
        if lo is None and hi is None and single is not None:
            lo = hi = single
        currency = currency or _text(value.get("currency")).upper()
    else:
        lo = hi = _number(value)
        unit = _text(v.get("unitText"))
    lo = lo if lo is not None else _number(v.get("minValue"))
    hi = hi if hi is not None else _number(v.get("maxValue"))
    if lo is None and hi is None:
        return None
    return Salary(min=lo, max=hi, currency=currency[:8], period=PERIODS.get(unit.strip().lower(), ""))


def parse_date(v: Any) -> date | None:
    """`2026-03-01`, `2026-03-01T09:00:00Z`, `2026-03-01T09:00:00+01:00` -> date; anything else -> None."""
    s = _text(v)
    if not s:
        return None
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


# ---------------------------------------------------------------- main content and title


def main_content(html: str, *, url: str = "") -> str:
    """The page's main text as markdown (trafilatura), or "" when it finds none."""
    try:
        md = trafilatura.extract(html, url=url or None, output_format="markdown", include_comments=False, include_tables=True, favor_recall=True)
    except (ValueError, TypeError, etree.LxmlError):
        return ""
    return (md or "").strip()


def _meta(doc: Any, prop: str) -> str:
    for el in doc.xpath("//meta[@property=$p or @name=$p]", p=prop):
        content = (el.get("content") or "").strip()
        if content:
            return html_lib.unescape(content)[:200]
    return ""


def page_title(doc: Any) -> str:
    """The first h1, else og:title, else <title>; a " | Site" or " - Site" tail is dropped from the last two."""
    h1 = doc.xpath("//h1")
    if h1:
        text = " ".join(h1[0].text_content().split())
        if text:
            return text[:300]
    raw = _meta(doc, "og:title")
    if not raw:
        titles = doc.xpath("//title")
        raw = " ".join(titles[0].text_content().split()) if titles else ""
    site = _meta(doc, "og:site_name")
    parts = re.split(r"\s+[|–—-]\s+", raw)
    if len(parts) > 1 and (not site or site.lower() in parts[-1].lower() or len(parts[-1]) < 40):
        raw = " - ".join(parts[:-1])
    return raw.strip()[:300]


def visible_text(doc: Any) -> str:
    """The page's text without scripts, styles and templates (for the closed phrases)."""
    if doc is None:
        return ""
    body = doc.find("body")
    root = body if body is not None else doc
    parts: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag.lower() in ("script", "style", "template", "noscript"):
            if el.tail:
                parts.append(el.tail)
            continue
        if el.text:
            parts.append(el.text)
        if el.tail and el is not root:
            parts.append(el.tail)
    return " ".join(parts)


def _norm(text: str) -> str:
    t = unicodedata.normalize("NFC", text or "").lower()
    t = t.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("\u00a0", " ")
    return " ".join(t.split())
