"""`python -m pipeline users ...`: manage accounts from a shell (the first admin starts here)."""

from __future__ import annotations

import argparse
import getpass
import sys

from pipeline.accounts.users import (
    AccountError,
    add_user,
    claim_local_data,
    disable_user,
    enable_user,
    get_user,
    list_users,
    local_data_count,
    set_password,
)
from pipeline.store.db import session_scope

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def add_parser(sub) -> None:
    users = sub.add_parser("users", help="user accounts (sign-in)").add_subparsers(dest="users_cmd", required=True)
    add = users.add_parser("add", help="create an account (asks for the password twice)")
    add.add_argument("email", help="the e-mail address to sign in with")
    add.add_argument("--admin", action="store_true", help="may manage other accounts in the page")
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    add.add_argument("--claim-local", action="store_true",
                     help="give this account the data stored while the app ran without login")
    users.add_parser("list", help="list accounts")
    for name, text in (("disable", "sign the user out everywhere and block sign-in"), ("enable", "allow sign-in again"),
                       ("passwd", "set a new password (ends the user's sign-ins)"),
                       ("claim-local", "give the open install's data to this account")):
        p = users.add_parser(name, help=text)
        p.add_argument("email", help="the account's e-mail address")
        if name == "passwd":
            p.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise AccountError("The passwords differ; nothing was changed.")
    return first


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (EOFError, KeyboardInterrupt):
        print("\nerror: no password given; nothing was changed.", file=sys.stderr)
        return EXIT_BAD_INPUT


def _run(args: argparse.Namespace) -> int:
    cmd = args.users_cmd
    if cmd == "list":
        with session_scope() as s:
            rows = list_users(session=s)
        for u in rows:
            state = "disabled" if u.disabled_at else "active"
            last = u.last_login_at.strftime("%Y-%m-%d %H:%M") if u.last_login_at else "never"
            print(f"{u.id}\t{u.email}\t{'admin' if u.is_admin else 'user'}\t{state}\tlast sign-in {last}")
        if not rows:
            print("no accounts (the app runs without login on loopback, or with LOGIN_PASSWORD)", file=sys.stderr)
        return EXIT_OK
    if cmd in ("add", "passwd"):
        with session_scope() as s:  # refuse a duplicate before asking for a password
            exists = get_user(session=s, email=args.email) is not None
        if cmd == "add" and exists:
            raise AccountError(f"An account for {args.email.strip().lower()} already exists.")
        password = _read_password(args.password_stdin)
        with session_scope() as s:
            if cmd == "passwd":
                user = set_password(session=s, email=args.email, password=password)
                print(f"password changed for {user.email}; their sign-ins were ended")
                return EXIT_OK
            user = add_user(session=s, email=args.email, password=password, is_admin=args.admin)
            print(f"added {user.email} ({'admin' if user.is_admin else 'user'}, id {user.id})")
            if args.claim_local:
                _claim(s, user)
            elif (n := local_data_count(session=s)):
                print(f"note: {n} jobs from the open install stay with no account; "
                      f"`python -m pipeline users claim-local EMAIL` gives them to one", file=sys.stderr)
        _forget()
        return EXIT_OK
    with session_scope() as s:
        if cmd == "disable":
            user = disable_user(session=s, email=args.email)
            print(f"disabled {user.email}: signed out everywhere, API tokens revoked")
        elif cmd == "enable":
            user = enable_user(session=s, email=args.email)
            print(f"enabled {user.email}")
        else:
            user = get_user(session=s, email=args.email)
            if user is None:
                raise AccountError(f"No account for {args.email!r}.")
            _claim(s, user)
    _forget()
    return EXIT_OK


def _claim(s, user) -> None:
    moved = claim_local_data(session=s, user=user)
    total = ", ".join(f"{n} {t}" for t, n in moved.items()) or "nothing"
    print(f"moved to {user.email}: {total}")


def _forget() -> None:
    from pipeline.accounts.auth import reset_caches

    reset_caches()
