"""`python -m pipeline ats FILE --jd POSTING`: what an ATS reads back from an exported CV.

Why a command: the check needs no database or browser, so a script (or a user before
uploading to a job portal) can run it on any PDF, DOCX or markdown CV.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.documents.ats import AtsReport

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def add_ats_parser(sub) -> None:
    p = sub.add_parser("ats", help="check what an applicant tracking system reads from a CV file (PDF, DOCX, markdown); no database needed")
    p.add_argument("file", type=Path, help="the exported CV: .pdf, .docx or .md")
    p.add_argument("--jd", type=Path, metavar="POSTING", help="the job posting (markdown or text) whose skills the CV should name")
    p.add_argument("--source", type=Path, metavar="CV.md", help="the markdown the file was made from: its headings and name are looked for")
    p.add_argument("--budget", type=int, metavar="N", help="most pages the CV may have")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


def _read(path: Path, what: str) -> bytes:
    if not path.is_file():
        raise ValueError(f"{what} {path} does not exist")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{what} {path} cannot be read ({exc.strerror or exc})") from None


def _text(path: Path, what: str) -> str:
    try:
        return _read(path, what).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{what} {path} is not UTF-8 text") from None


def ats_main(args: argparse.Namespace) -> int:
    """Exit 0 with a report, 2 when the file, posting or source cannot be read."""
    from pipeline.documents.ats import check, posting_from_text, read_file

    try:
        if args.budget is not None and args.budget < 1:
            raise ValueError("--budget must be 1 or more pages")
        data = _read(args.file, "the file")
        posting = posting_from_text(_text(args.jd, "the posting")) if args.jd else None
        source = _text(args.source, "the source CV") if args.source else ""
        if not source and args.file.suffix.lower() in (".md", ".markdown"):
            source = data.decode("utf-8-sig", "replace")  # a markdown CV is its own source
        report = check(read_file(data, args.file.suffix), source_markdown=source, posting=posting, budget=args.budget)
    except ValueError as exc:  # AtsError included: a file that cannot be read, said plainly
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(_summary(args.file.name, report))
    return EXIT_OK


def _summary(name: str, r: AtsReport) -> str:
    """A few lines a job seeker reads in the terminal."""
    pages = "" if r.pages is None else f"{r.pages} page{'s' if r.pages != 1 else ''}" + (f" (budget {r.budget})" if r.budget else "")
    out = [f"{name}: {pages}".rstrip(": ")]
    if r.coverage is not None:
        parts = [
            f"must-haves {r.must_coverage}%" if r.must_coverage is not None else "",
            f"nice-to-haves {r.nice_coverage}%" if r.nice_coverage is not None else "",
        ]
        out.append(f"Posting coverage {r.coverage}% ({', '.join(p for p in parts if p)})")
        if r.missing:
            out.append("Missing: " + ", ".join(r.missing))
    if r.sections:
        marks = ", ".join(s.heading + ("" if s.found else " (not read)") + ("" if s.recognised else " (non-standard)") for s in r.sections)
        out.append(f"Sections: {marks}" + ("" if r.order_ok else " - out of order"))
    out.append("Contact near the top: " + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in r.contact.items()))
    if r.fonts_embedded is not None:
        out.append("Fonts: all embedded" if r.fonts_embedded else "Fonts: some not embedded")
    if r.problems:
        out.append(f"{len(r.problems)} problem{'s' if len(r.problems) != 1 else ''}:")
        out.extend(f"  - {p}" for p in r.problems)
    else:
        out.append("No problems found.")
    return "\n".join(out)
