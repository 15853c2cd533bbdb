"""One entry point per import kind, shared by the page and the CLI."""

from __future__ import annotations

from sqlmodel import Session

from pipeline.metrics import import_counted
from pipeline.sources.base import ParseResult
from pipeline.store.jobs import ImportSummary, upsert_jobs
from pipeline.store.models import LOCAL_OWNER


def import_file(*, session: Session, data: bytes, filename: str, source: str = "file", owner: str = LOCAL_OWNER) -> ImportSummary:
    """Raises SourceError when the file as a whole is unusable."""
    from pipeline.sources.files import parse_file

    return import_counted("file", upsert_jobs(session=session, parsed=parse_file(data, filename, source=source), owner=owner))


def import_paste(
    *, session: Session, text: str, title: str = "", company: str = "", url: str = "", location: str = "", owner: str = LOCAL_OWNER
) -> ImportSummary:
    from pipeline.sources.paste import parse_paste

    item = parse_paste(text, title=title, company=company, url=url, location=location)
    return import_counted("paste", upsert_jobs(session=session, parsed=ParseResult(rows=[(1, item)]), owner=owner))


def import_mongo(*, session: Session, owner: str = LOCAL_OWNER, client_factory=None, **where) -> ImportSummary:
    from pipeline.sources.mongo import fetch_mongo_jobs

    parsed = fetch_mongo_jobs(client_factory=client_factory, **where)
    return import_counted("mongo", upsert_jobs(session=session, parsed=parsed, owner=owner))


def import_board(*, session: Session, owner: str, provider: str, board: str, client=None) -> ImportSummary:
    """A company's open positions from a public job board (greenhouse, lever, ashby), upserted by the board's job ids.

    Raises SourceError (plain words) when the board as a whole cannot be read; nothing is imported then.
    """
    from pipeline.sources.boards import fetch_board, parse_board

    return import_counted("board", upsert_jobs(session=session, parsed=fetch_board(parse_board(provider, board), client=client), owner=owner))


def import_board_spec(*, session: Session, spec: str, owner: str = LOCAL_OWNER) -> ImportSummary:
    """`greenhouse:acme` (the CLI's form) -> import_board."""
    from pipeline.sources.boards import parse_board_spec

    board = parse_board_spec(spec)
    return import_board(session=session, owner=owner, provider=board.provider, board=board.name)
