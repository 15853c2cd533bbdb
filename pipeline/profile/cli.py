"""`python -m pipeline profile parse FILE [--json]`: read a CV file and print the profile.

No database: it shows what an upload would give (fields, clean markdown, suggested
titles) so a parser problem can be seen from the shell. Exit 0 parsed, 2 bad
input (the reason on stderr), 3 the model failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_BAD_INPUT, EXIT_FAILED = 0, 2, 3


def add_profile_parser(sub) -> None:
    profile = sub.add_parser("profile", help="the master CV from a file").add_subparsers(dest="profile_cmd", required=True)
    parse = profile.add_parser("parse", help="parse a CV (PDF, DOCX, Markdown, text) and print the profile; no database")
    parse.add_argument("file", type=Path, help="the CV: .pdf, .docx, .md or .txt")
    parse.add_argument("--json", action="store_true", help="print the profile, markdown and suggested_titles as JSON")
    parse.add_argument("--offline", action="store_true", help="never call a model, even when OPENAI_API_KEY is set")


def profile_main(args: argparse.Namespace) -> int:
    return parse_command(args.file, as_json=args.json, offline=args.offline)


def parse_command(path: Path, *, as_json: bool = False, offline: bool = False) -> int:
    from pipeline.llm.base import PipelineError
    from pipeline.profile.extract import ProfileError
    from pipeline.profile.parse import parse_upload
    from pipeline.settings import settings

    try:
        size = path.stat().st_size
        if size > settings.profile_max_bytes:
            raise ProfileError("too_large", f"The file is {size / 1e6:.1f} MB; the limit for a CV is {settings.profile_max_bytes / 1e6:.0f} MB.")
        data = path.read_bytes()
        parsed = asyncio.run(parse_upload(path.name, data, use_model=not offline))
    except ProfileError as exc:
        print(f"error ({exc.code}): {exc.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PipelineError as exc:
        print(f"error ({exc.code}): {exc}", file=sys.stderr)
        return EXIT_FAILED
    for w in parsed.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if as_json:
        out = parsed.as_dict()
        print(json.dumps({**out["profile"], "suggested_titles": out["suggested_titles"], "markdown": out["markdown"],
                          "source": {"filename": parsed.filename, "kind": parsed.kind, "sha256": parsed.sha256},
                          "analyst": parsed.analyst, "warnings": parsed.warnings}, ensure_ascii=False, indent=2))  # fmt: skip
        return EXIT_OK
    p = parsed.profile
    print(f"{p.name or '(no name found)'}" + (f" — {p.headline}" if p.headline else ""))
    contact = " · ".join(x for x in (p.contact.email, p.contact.phone, p.contact.location) if x)
    if contact:
        print(contact)
    print(f"{parsed.kind}, {len(p.experience)} roles, {len(p.education)} education entries, {len(p.skills)} skills ({parsed.analyst})")
    print("\nsuggested_titles:")
    for n, t in enumerate(parsed.suggested_titles, 1):
        print(f"  {n:>2}. {t['title']} — {t['reason']}")
    print("\n" + parsed.markdown)
    return EXIT_OK
