"""Uploaded CSV / JSON job lists -> validated `JobIn` rows.

Whole-file problems (empty, too big, binary, unparseable, no title column, too
many rows) raise `SourceError`; a bad row is reported with its line and the
rest still import. Line numbers:

- CSV: the physical line in the file where the record starts (header = 1),
  correct when quoted fields span several lines.
- JSON array (or wrapped array): the 1-based index of the element.
- JSON Lines (one object a line, as `mongoexport` writes): the physical line.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pydantic import ValidationError

from pipeline.settings import settings
from pipeline.sources.base import JobIn, ParseResult, RowError, SourceError

# Canonical field -> accepted keys / column names, in order of preference.
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "job_title", "position", "role", "name"),
    "company": ("company", "company_name", "employer", "organization"),
    "location": ("location", "city", "place"),
    "url": ("url", "link", "job_url", "apply_url"),
    "description": ("description", "job_description", "jd", "text", "body", "summary"),
    "external_id": ("external_id", "id", "jobId", "job_id", "_id", "reference"),
    "status": ("status",),
    "tags": ("tags",),
}
_WRAPPER_KEYS = ("jobs", "items", "data", "results")
_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (such as an Excel .xlsx or Word .docx file)",
    b"\xd0\xcf\x11\xe0": "a legacy Office file (such as an Excel .xls file)",
    b"%PDF": "a PDF document",
    b"\x89PNG": "an image",
    b"\xff\xd8\xff": "an image",
    b"GIF8": "an image",
    b"\x1f\x8b": "a gzip archive",
}
_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DELIMITERS = (",", ";", "\t")


class RowRejected(ValueError):
    """One row cannot become a job; the message says why, for the user."""


# --------------------------------------------------------------------------- api


def parse_file(data: bytes, filename: str, *, source: str = "file") -> ParseResult:
    """Parse an uploaded job list; format by content, extension only as a hint."""
    text = decode_text(data, filename)
    head = text.lstrip()
    ext = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if head[:1] in ("[", "{"):
        result = _parse_json(text, source)
    elif ext in ("json", "jsonl", "ndjson"):
        raise SourceError(
            f"{filename} is named .{ext} but does not contain JSON "
            "(JSON starts with '[' or '{')."
        )
    else:
        result = _parse_csv(text, source)
    if not result.rows and not result.errors:
        raise SourceError("File contains no jobs.")
    return result


def make_job(fields: Mapping[str, Any], source: str) -> JobIn:
    """Validate one mapped record; raise `RowRejected` with a readable reason."""
    description = fields.get("description")
    limit = settings.max_description_chars
    if isinstance(description, str) and len(description) > limit:
        raise RowRejected(f"description is {len(description):,} characters; the limit is {limit:,}")
    try:
        return JobIn(source=source, **fields)
    except ValidationError as exc:
        raise RowRejected(describe_validation_error(exc)) from None


def describe_validation_error(exc: ValidationError) -> str:
    """Pydantic's error list as one short sentence naming each field."""
    messages: list[str] = []
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else "row"
        kind = err["type"]
        if kind == "missing" or (kind == "string_too_short" and not str(err.get("input", "")).strip()):
            msg = f"{field} is missing or blank"
        elif kind == "string_too_long":
            limit = (err.get("ctx") or {}).get("max_length")
            size = len(err["input"]) if isinstance(err.get("input"), str) else None
            msg = f"{field} is {size:,} characters; the limit is {limit:,}" if size and limit else f"{field} is too long"
        elif kind in ("string_type", "list_type"):
            msg = f"{field} has the wrong type ({type(err.get('input')).__name__})"
        else:
            msg = f"{field}: {err['msg']}"
        if msg not in messages:
            messages.append(msg)
    return "; ".join(messages) or "invalid row"


def map_record(record: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Aliased keys (any case, spaces or dashes) -> JobIn fields; first non-blank wins."""
    by_key: dict[str, Any] = {}
    for key, value in record:
        norm = _norm_key(key)
        if norm not in by_key or _blank(by_key[norm]):
            by_key[norm] = value
    fields: dict[str, Any] = {}
    for field, aliases in ALIASES.items():
        value = next(
            (by_key[k] for k in map(_norm_key, aliases) if k in by_key and not _blank(by_key[k])),
            None,
        )
        if value is None:
            continue
        if field == "tags":
            fields[field] = _tags(value)
        elif field == "status":
            fields[field] = _text(value) or None
        else:
            fields[field] = _text(value, joiner="\n" if field == "description" else ", ")
    return fields


# ------------------------------------------------------------------ decoding


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 are read as Windows-1252 (legacy Excel exports)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = bytes(exc.object[exc.start : exc.end])
    return bad.decode("cp1252", errors="replace"), exc.end


codecs.register_error("jobapp.cp1252", _cp1252_fallback)


def decode_text(data: bytes, filename: str = "file") -> str:
    """Bytes -> text, refusing empty, oversized and binary input with a clear reason."""
    if not data:
        raise SourceError("File is empty.")
    limit = settings.max_import_bytes
    if len(data) > limit:
        size, cap = _size(len(data)), _size(limit)
        if size == cap:
            size, cap = f"{len(data):,} bytes", f"{limit:,} bytes"
        raise SourceError(f"File is {size}; the limit is {cap}.")
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise SourceError(
                f"{filename} looks like {kind}, not a CSV or JSON file. "
                "Export the jobs as CSV (UTF-8) or JSON and import that."
            )
    text = _decode(data)
    if "\x00" in text or _mostly_control(text):
        raise SourceError(
            f"{filename} contains binary data, not text. Import a CSV or JSON file "
            "(a UTF-16 export needs its byte-order mark, or save it as UTF-8)."
        )
    text = text.lstrip("\ufeff").rstrip("\x1a")  # stray BOM, DOS end-of-file mark
    if not text.strip():
        raise SourceError("File is empty.")
    return text


def _decode(data: bytes) -> str:
    """A BOM decides; else UTF-8, with any non-UTF-8 bytes read as cp1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    return data.decode("utf-8", errors="jobapp.cp1252")


def _mostly_control(text: str) -> bool:
    sample = text[:65536]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v\x1a")
    return bad > max(8, len(sample) // 100)


def _size(n: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n:,} bytes"


# ---------------------------------------------------------------------- JSON


def _parse_json(text: str, source: str) -> ParseResult:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and text.lstrip().startswith("{"):
            return _parse_json_lines(text, source)
        raise SourceError(f"File is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.") from None
    except RecursionError:
        raise SourceError("File is not usable JSON: it is nested too deeply.") from None
    items = _find_items(doc)
    _check_row_count(len(items))
    result = ParseResult()
    for index, item in enumerate(items, start=1):
        _add_row(result, index, item, source)
    return result


def _parse_json_lines(text: str, source: str) -> ParseResult:
    """JSON Lines: each non-blank line is one object; a bad line is a row error."""
    result = ParseResult()
    count = 0
    for line_no, line in enumerate(io.StringIO(text, newline=None), start=1):
        if not line.strip():
            continue
        count += 1
        _check_row_count(count, exact=False)
        try:
            item = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            result.errors.append(RowError(line_no, f"not valid JSON: {reason}"))
            continue
        _add_row(result, line_no, item, source)
    return result


def _find_items(doc: Any, depth: int = 0) -> list[Any]:
    """The list of jobs: the document itself, or under jobs/items/data/results."""
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        lowered = {str(k).lower(): v for k, v in doc.items()}
        for key in _WRAPPER_KEYS:
            inner = lowered.get(key)
            if isinstance(inner, list) or (isinstance(inner, dict) and depth < 2):
                return _find_items(inner, depth + 1)
        if "title" in map_record(doc.items()):
            return [doc]  # one job on its own
        keys = ", ".join(list(map(str, doc))[:10]) or "none"
        raise SourceError(
            "JSON must be a list of jobs, or an object with the list under "
            f"'jobs', 'items', 'data' or 'results'; found keys: {keys}."
        )
    raise SourceError(f"JSON must be a list of jobs, not a {_kind(doc)}.")


def _add_row(result: ParseResult, line: int, item: Any, source: str) -> None:
    if not isinstance(item, dict):
        result.errors.append(RowError(line, f"expected an object with job fields, got {_kind(item)}"))
        return
    try:
        result.rows.append((line, make_job(map_record(item.items()), source)))
    except RowRejected as exc:
        result.errors.append(RowError(line, str(exc)))


# ----------------------------------------------------------------------- CSV


def _parse_csv(text: str, source: str) -> ParseResult:
    csv.field_size_limit(max(csv.field_size_limit(), settings.max_import_bytes + 1))
    delimiter = _pick_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, [])
    if not any(_norm_key(h) in _TITLE_KEYS for h in header):
        found = ", ".join(repr(h.strip()[:40]) for h in header[:15] if h.strip()) or "none"
        others = ", ".join(ALIASES["title"][1:])
        raise SourceError(
            f"File is missing required column 'title'; found columns: {found}. "
            f"(A title column may also be called {others}.)"
        )
    width = len(header)
    result = ParseResult()
    count = 0
    for line, cells in _records(reader):
        if not any(c.strip() for c in cells):
            continue  # blank line or an empty spreadsheet row
        count += 1
        _check_row_count(count, exact=False)
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            result.errors.append(
                RowError(line, f"row has {len(cells)} cells but the header has {width} columns "
                         f"(an unquoted {_delimiter_name(delimiter)} inside a field?)")
            )
            continue
        try:
            result.rows.append((line, make_job(map_record(zip(header, cells, strict=False)), source)))
        except RowRejected as exc:
            result.errors.append(RowError(line, str(exc)))
    return result


def _records(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Each record with the physical line it starts on (line_num counts lines read)."""
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SourceError(f"CSV could not be read at line {start}: {exc}.") from None
        yield start, cells


def _pick_delimiter(text: str) -> str:
    """Sniffer's guess, unless another delimiter is the one that yields a title column."""
    try:
        sniffed: str | None = csv.Sniffer().sniff(text[:32768], delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    candidates = [d for d in (sniffed, *_DELIMITERS) if d]
    headers = {}
    for d in dict.fromkeys(candidates):
        try:
            headers[d] = next(csv.reader(io.StringIO(text, newline=""), delimiter=d), [])
        except csv.Error:
            headers[d] = []
        if any(_norm_key(h) in _TITLE_KEYS for h in headers[d]):
            return d
    return sniffed or max(headers, key=lambda d: len(headers[d]))


def _delimiter_name(d: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab"}.get(d, repr(d))


# ------------------------------------------------------------------- helpers


def _norm_key(key: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(key).strip().lower())


_TITLE_KEYS = frozenset(map(_norm_key, ALIASES["title"]))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}


def _text(value: Any, joiner: str = ", ") -> Any:
    """Scalars -> str (42 -> "42", 42.0 -> "42"); lists of scalars are joined.

    MongoDB extended JSON wrappers ({"$oid": ...}, {"$numberLong": ...}) are
    unwrapped. Anything else is returned as is so validation names the field.
    """
    if isinstance(value, dict) and len(value) == 1:
        (key, inner), = value.items()
        if str(key).startswith("$"):
            return _text(inner, joiner)
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return joiner.join(s for s in (_text(v) for v in value) if s)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _tags(value: Any) -> Any:
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    if isinstance(value, list):
        return [s.strip() for s in (_text(v) for v in value) if isinstance(s, str) and s.strip()]
    return [s] if isinstance(s := _text(value), str) else value


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _check_row_count(count: int, *, exact: bool = True) -> None:
    limit = settings.max_import_rows
    if count > limit:
        amount = f"{count:,}" if exact else f"more than {limit:,}"
        raise SourceError(f"File has {amount} rows; the limit is {limit:,}.")
