"""`python -m pipeline settings show|set KEY VALUE|key|test`: the Settings panel from a shell.

KEY is a dotted field of `ModelSettings` (pipeline/llm/config.py): provider, base_url,
quick_model, writing_model, temperature, max_tokens, timeout_seconds, writing.tone,
writing.avoid_words (comma-separated), writing.signature, writing.default_language,
run.concurrency, run.cv_pages, run.ats_safe, run.web_research, privacy_guard (off|remote|always),
privacy_employers; an empty VALUE unsets it.
The API key is read from stdin by `settings key` (never from the command line, where it
would stay in the shell history); `settings key --clear` removes it.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

USER_HELP = "act on this account's settings (default: the local user of the embedded app)"


def add_settings_parser(sub) -> None:
    p = sub.add_parser("settings", help="model, writing and run settings (what the Settings panel saves)")
    cmds = p.add_subparsers(dest="settings_cmd", required=True)
    show = cmds.add_parser("show", help="print the saved and the effective settings (never the key)")
    set_ = cmds.add_parser("set", help="save one setting, e.g. `set provider ollama` or `set writing.tone warm`")
    set_.add_argument("key")
    set_.add_argument("value")
    key = cmds.add_parser("key", help="save the API key read from stdin (encrypted), or --clear it")
    key.add_argument("--clear", action="store_true")
    test = cmds.add_parser("test", help="test the connection: list the server's models and make a tiny call")
    for c in (show, set_, key, test):
        c.add_argument("--user", metavar="EMAIL", help=USER_HELP)


def _coerce(key: str, value: str) -> Any:
    if value == "":
        return None
    if key == "writing.avoid_words":
        return [w.strip() for w in value.split(",") if w.strip()]
    if key in ("run.ats_safe", "run.web_research", "privacy_employers"):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return value


def settings_main(args: argparse.Namespace) -> int:
    from pipeline.accounts.users import owner_for_email
    from pipeline.llm import config
    from pipeline.store.db import session_scope

    with session_scope() as s:
        owner = owner_for_email(session=s, email=args.user)
        if owner is None:
            print(f"error: no account {args.user!r} (see: python -m pipeline users list)", file=sys.stderr)
            return 2
        try:
            if args.settings_cmd == "set":
                data = config.load(session=s, owner=owner).settings.model_dump()
                *path, last = args.key.split(".")
                node = data
                for part in path:
                    if not isinstance(node.get(part), dict):
                        raise config.SettingsError(f"no setting {args.key!r}")
                    node = node[part]
                if last not in node:
                    raise config.SettingsError(f"no setting {args.key!r}")
                value = _coerce(args.key, args.value)
                if value is None:  # unset: back to the empty value of the field's kind
                    value = "" if isinstance(node[last], str) else [] if isinstance(node[last], list) else None
                node[last] = value
                config.save(data, session=s, owner=owner)
            elif args.settings_cmd == "key":
                if args.clear:
                    config.clear_api_key(session=s, owner=owner)
                else:
                    config.set_api_key(sys.stdin.readline().strip(), session=s, owner=owner)
        except config.SettingsError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        view = config.load(session=s, owner=owner)
        effective = config.effective_settings(owner, session=s)
    if args.settings_cmd == "test":
        from pipeline.llm.connection import test_connection

        report = test_connection(effective)
        print(json.dumps(report.as_dict(), indent=1, ensure_ascii=False))
        return 0 if report.ok else 3
    print(json.dumps({"owner": owner, "saved": view.as_dict(), "effective": effective.public()}, indent=1, ensure_ascii=False))
    return 0
