"""One entry point per import kind, shared by the page and the CLI."""

from __future__ import annotations

from sqlmodel import Session

from pipeline.sources.base import ParseResult
from pipeline.store.jobs import ImportSummary, upsert_jobs
from pipeline.store.models import LOCAL_OWNER


def import_file(*, session: Session, data: bytes, filename: str, source: str = "file", owner: str = LOCAL_OWNER) -> ImportSummary:
    """Raises SourceError when the file as a whole is unusable."""
    from pipeline.sources.files import parse_file

    return upsert_jobs(session=session, parsed=parse_file(data, filename, source=source), owner=owner)


def import_paste(
    *, session: Session, text: str, title: str = "", company: str = "", url: str = "", location: str = "", owner: str = LOCAL_OWNER
) -> ImportSummary:
    from pipeline.sources.paste import parse_paste

    item = parse_paste(text, title=title, company=company, url=url, location=location)
    return upsert_jobs(session=session, parsed=ParseResult(rows=[(1, item)]), owner=owner)


def import_mongo(*, session: Session, owner: str = LOCAL_OWNER, client_factory=None, **where) -> ImportSummary:
    from pipeline.sources.mongo import fetch_mongo_jobs

    parsed = fetch_mongo_jobs(client_factory=client_factory, **where)
    return upsert_jobs(session=session, parsed=parsed, owner=owner)
