"""Jobs from the original system's MongoDB collection (`jobs` / `level-2`).

Documents carry `jobId` (number), `title`, `company`, `job_description`,
`location`, `url` and `status` (e.g. "ready for applying", mapped by
`JobIn`'s validator). Line numbers are the 1-based document index.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from pipeline.settings import settings
from pipeline.sources.base import ParseResult, RowError, SourceError
from pipeline.sources.files import RowRejected, make_job

PROJECTION = {f: 1 for f in ("jobId", "title", "company", "job_description", "location", "url", "status")}
_CREDENTIALS = re.compile(r"(?<=//)[^/@\s]+@")

ClientFactory = Callable[[str], Any]


def parse_mongo_documents(docs: Iterable[dict[str, Any]]) -> ParseResult:
    """Map original documents to `JobIn` rows; a bad document is a row error."""
    result = ParseResult()
    for line, doc in enumerate(docs, start=1):
        if not isinstance(doc, dict):
            result.errors.append(RowError(line, f"expected a document, got {type(doc).__name__}"))
            continue
        try:
            result.rows.append((line, make_job(_fields(doc), "mongo")))
        except RowRejected as exc:
            result.errors.append(RowError(line, str(exc)))
    return result


def fetch_mongo_jobs(
    *,
    uri: str | None = None,
    database: str | None = None,
    collection: str | None = None,
    client_factory: ClientFactory | None = None,
    limit: int | None = None,
) -> ParseResult:
    """Read jobs from MongoDB; `SourceError` if unconfigured, unreachable or too many.

    Without `limit`, at most `settings.max_import_rows` documents are accepted:
    a bigger collection is refused rather than silently cut.
    """
    from pymongo.errors import PyMongoError

    uri = uri or settings.mongodb_uri
    coll = mongo_collection(uri=uri, database=database, collection=collection, client_factory=client_factory)
    cap = limit if limit is not None else settings.max_import_rows + 1
    try:
        cursor = coll.find({}, PROJECTION).sort("_id", 1)
        if cap > 0:
            cursor = cursor.limit(cap)
        docs = list(cursor)
    except PyMongoError as exc:
        raise SourceError(f"Could not read jobs from MongoDB at {redact(uri or '')}: {redact(str(exc), uri)}") from None
    finally:
        _close(coll)
    if limit is None and len(docs) > settings.max_import_rows:
        raise SourceError(
            f"MongoDB collection {coll.full_name} has more than {settings.max_import_rows:,} jobs; "
            "import fewer with a limit."
        )
    if not docs:
        raise SourceError(f"MongoDB collection {coll.full_name} has no jobs (check MONGODB_DATABASE and MONGODB_COLLECTION).")
    return parse_mongo_documents(docs)


def mongo_collection(
    *,
    uri: str | None = None,
    database: str | None = None,
    collection: str | None = None,
    client_factory: ClientFactory | None = None,
) -> Any:
    """The configured collection (settings fill what is not given).

    Creating a client does not connect; errors surface on first use. Close the
    client with `coll.database.client.close()` when done.
    """
    from pymongo.errors import PyMongoError

    uri = uri or settings.mongodb_uri
    if not uri:
        raise SourceError("MONGODB_URI is not set; set it to import jobs from MongoDB.")
    factory = client_factory or _default_client
    try:
        client = factory(uri)
        return client[database or settings.mongodb_database][collection or settings.mongodb_collection]
    except PyMongoError as exc:
        raise SourceError(f"Could not connect to MongoDB at {redact(uri)}: {redact(str(exc), uri)}") from None


def redact(text: str, uri: str | None = None) -> str:
    """Hide `user:password@` in URIs, and the password wherever else it appears."""
    text = _CREDENTIALS.sub("***@", text)
    if uri and (m := re.search(r"//([^/@\s]+)@", uri)):
        userinfo = m.group(1)
        for secret in {userinfo, userinfo.partition(":")[2]} - {""}:
            text = text.replace(secret, "***")
    return text


def _default_client(uri: str) -> Any:
    import pymongo

    return pymongo.MongoClient(uri, serverSelectionTimeoutMS=3000)


def _close(coll: Any) -> None:
    try:
        coll.database.client.close()
    except Exception:  # noqa: BLE001, S110 - closing is best effort; the read already succeeded or failed
        pass


def _fields(doc: dict[str, Any]) -> dict[str, Any]:
    job_id = doc.get("jobId")
    if job_id in (None, ""):
        job_id = doc.get("_id")
    if isinstance(job_id, float) and job_id.is_integer():
        job_id = int(job_id)
    fields: dict[str, Any] = {
        "external_id": "" if job_id is None else str(job_id),
        "title": doc.get("title"),
        "company": doc.get("company"),
        "description": doc.get("job_description") or doc.get("description"),
        "location": doc.get("location"),
        "url": doc.get("url"),
        "status": doc.get("status"),
    }
    return {k: v for k, v in fields.items() if v is not None}
