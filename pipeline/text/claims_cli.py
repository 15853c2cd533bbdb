"""`python -m pipeline check --master M.md --tailored T.md [--json]`: strengthened claims in a tailored CV or letter.

Why a command: the check needs no database, model or browser, so a script (or a user
before sending) can compare any tailored file with the master CV it came from.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def add_check_parser(sub) -> None:
    p = sub.add_parser("check", help="flag claims a tailored CV or letter strengthened against the master CV; no database needed")
    p.add_argument("--master", type=Path, required=True, metavar="M.md", help="the master CV (markdown)")
    p.add_argument("--tailored", type=Path, required=True, metavar="T.md", help="the tailored CV or letter (markdown)")
    p.add_argument("--posting", type=Path, metavar="POSTING", help="for a letter: the posting it answers (its names and quotes are no claims)")
    p.add_argument("--json", action="store_true", help='print {"flags": [{"line", "source", "kind", "why"}]}')


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{what} {path} cannot be read ({getattr(exc, 'strerror', None) or exc})") from None


def check_main(args: argparse.Namespace) -> int:
    """Exit 0 whether or not anything is flagged (the flags are the answer); 2 when a file cannot be read."""
    from pipeline.text.claims import check_claims

    try:
        master = _read(args.master, "master CV")
        tailored = _read(args.tailored, "tailored file")
        posting = _read(args.posting, "posting") if getattr(args, "posting", None) else ""
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    flags = check_claims(tailored, master, posting=posting)
    if args.json:
        print(json.dumps({"flags": [f.as_dict() for f in flags]}, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not flags:
        print("no strengthened claims found")
    for f in flags:
        print(f"[{f.kind}] {f.line}\n    {f.why}" + (f"\n    your CV: {f.source}" if f.source else ""))
    return EXIT_OK
