"""`python -m pipeline tokens create|list|revoke`: API tokens from the shell.

Without `--user` the tokens belong to the embedded single user (LOCAL_OWNER);
with `--user EMAIL` to that account."""

from __future__ import annotations

import argparse
import json
import sys

from sqlmodel import Session

from pipeline.accounts.tokens import create_token, list_tokens, revoke_token
from pipeline.store.models import ApiToken

EXIT_OK, EXIT_BAD_INPUT, EXIT_NOT_FOUND = 0, 2, 4


def add_tokens_parser(sub: argparse._SubParsersAction) -> None:
    tokens = sub.add_parser("tokens", help="API tokens (create, list, revoke)").add_subparsers(dest="tokens_cmd", required=True)
    create = tokens.add_parser("create", help="create a token; its secret is printed once")
    create.add_argument("--user", metavar="EMAIL", help="the account that owns it (default: the local user)")
    create.add_argument("--name", default="cli", help="a label to recognise it by")
    lst = tokens.add_parser("list", help="list tokens (secrets are never shown)")
    lst.add_argument("--user", metavar="EMAIL", help="the account whose tokens to list (default: the local user)")
    lst.add_argument("--json", action="store_true", help="print the tokens as JSON")
    revoke = tokens.add_parser("revoke", help="revoke a token by id")
    revoke.add_argument("id", type=int, help="the token's id (see `tokens list`)")
    revoke.add_argument("--user", metavar="EMAIL", help="the account that owns it (default: the local user)")


def tokens_main(args: argparse.Namespace) -> int:
    from pipeline.store.db import session_scope

    with session_scope() as session:
        owner = _owner(session, args.user)
        if owner is None:
            print(f"error: no account with the email {args.user!r}", file=sys.stderr)
            return EXIT_NOT_FOUND
        if args.tokens_cmd == "create":
            token, secret = create_token(session=session, owner=owner, name=args.name)
            print(f"Created token {token.id} ({token.name}) for {owner}. Copy it now; it is not shown again:", file=sys.stderr)
            print(secret)
            return EXIT_OK
        if args.tokens_cmd == "list":
            rows = [_row(t) for t in list_tokens(session=session, owner=owner)]
            if args.json:
                print(json.dumps(rows, indent=2))
            elif not rows:
                print(f"no tokens for {owner}")
            for r in rows if not args.json else []:
                print(f"{r['id']:>5}  {r['prefix']}…  {r['status']:<8} {r['name'][:30]:<30}  created {r['created_at']}  last used {r['last_used_at'] or 'never'}")
            return EXIT_OK
        if revoke_token(session=session, owner=owner, token_id=args.id):
            print(f"revoked token {args.id}")
            return EXIT_OK
        print(f"error: {owner} has no live token with id {args.id}", file=sys.stderr)
        return EXIT_NOT_FOUND


def _owner(session: Session, email: str | None) -> str | None:
    from pipeline.accounts.users import owner_for_email

    return owner_for_email(session=session, email=email)


def _row(t: ApiToken) -> dict:
    return {
        "id": t.id, "name": t.name, "prefix": t.prefix, "status": "revoked" if t.revoked_at else "active",
        "created_at": t.created_at.isoformat(timespec="seconds"),
        "last_used_at": t.last_used_at.isoformat(timespec="seconds") if t.last_used_at else None,
    }
