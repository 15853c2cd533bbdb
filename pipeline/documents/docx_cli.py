"""`python -m pipeline docx INPUT OUT.docx`: a CV or cover letter as a Word file, no database needed.

Exit codes follow `pdf`: 0 written, 2 bad input or output path, 3 the export failed."""

from __future__ import annotations

import argparse
import html
import io
import re
import sys
from pathlib import Path

EXIT_OK, EXIT_BAD_INPUT, EXIT_FAILED = 0, 2, 3
_INPUT_SUFFIXES = (".md", ".markdown", ".html", ".htm")
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def add_docx_parser(sub) -> None:
    from pipeline.render.templates import PAGE_SIZES, TEMPLATES

    docx = sub.add_parser("docx", help="export a CV or cover letter (markdown or HTML) to Word (.docx); no database needed")
    docx.add_argument("input", type=Path, help="INPUT.md or INPUT.html")
    docx.add_argument("output", type=Path, help="OUT.docx")
    docx.add_argument("--kind", choices=("cv", "letter"), default="cv", help="what INPUT is (default: cv)")
    docx.add_argument("--template", choices=TEMPLATES, default="classic", help="CV template whose fonts and margins to match")
    docx.add_argument("--page-size", choices=PAGE_SIZES, default="A4", help="paper size (default: A4)")


def first_heading(body_html: str) -> str:
    """The text of the first <h1> (a CV's name), or "" when there is none."""
    match = _H1.search(body_html)
    return " ".join(html.unescape(_TAG.sub("", match.group(1))).split()) if match else ""


def docx_main(args: argparse.Namespace) -> int:
    """`docx INPUT OUT`: exit 0 written, 2 bad input or output path, 3 export failed."""
    from docx import Document

    from pipeline.documents.docx import html_to_docx
    from pipeline.render.markdown import render_markdown, sanitize_html

    suffix = args.input.suffix.lower()
    if suffix not in _INPUT_SUFFIXES:
        print(f"error: {args.input} is neither markdown (.md) nor HTML (.html)", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.output.suffix.lower() != ".docx":
        print(f"error: {args.output} must end in .docx (Word opens other names as the wrong kind of file)", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        text = args.input.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    body = render_markdown(text) if suffix in (".md", ".markdown") else sanitize_html(text)
    name = first_heading(body) or args.input.stem
    try:
        data = html_to_docx(body, kind=args.kind, template=args.template, page_size=args.page_size, title=name, author=name)
    except ValueError as exc:
        print(f"error: {args.input}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - any other failure is the exporter's, reported as such
        print(f"error: the Word export failed ({type(exc).__name__}: {exc})", file=sys.stderr)
        return EXIT_FAILED
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_bytes(data)
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    paragraphs = len(Document(io.BytesIO(data)).paragraphs)
    print(f"{args.output}: {paragraphs} paragraph{'s' if paragraphs != 1 else ''} ({args.kind}, {args.template}, {args.page_size})")
    return EXIT_OK
