"""Versioned CV documents: every save appends a version, nothing is overwritten.

A subject is "run:<id>" (a tailored CV), "letter:<id>" (its cover letter), "outreach:<id>"
(its LinkedIn note and e-mail, as JSON text) or "profile:<id>" (the master CV).
Saves are optimistic: the editor says which version it started from, and a
save based on anything but the newest version is a conflict returned to the
user with the newest version, never a silent overwrite. Two saves racing for
the same version number are settled by the unique (subject, version)
constraint: the insert does nothing on conflict, and the loser gets a
conflict result with the session still usable. Callers commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from pipeline.render.htmlmd import html_to_markdown
from pipeline.render.markdown import render_markdown
from pipeline.render.sanitize import clean_editor_html
from pipeline.store.models import LOCAL_OWNER, CvVersion, Profile, Run, utcnow

_BACKING = {"run": Run, "letter": Run, "outreach": Run, "profile": Profile}  # which row owns a subject
_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")  # line breaks between tags: markdown-it's, not the user's


@dataclass
class SaveResult:
    ok: bool
    version: int
    conflict: bool = False
    theirs: CvVersion | None = None  # the newest version when conflicting
    removed: list[str] = field(default_factory=list)  # what the sanitizer dropped, in plain words


# ---------------------------------------------------------------- reading


def latest(*, session: Session, subject: str) -> CvVersion | None:
    """The newest version of a subject (no owner check: for callers that already did it)."""
    stmt = select(CvVersion).where(CvVersion.subject == subject).order_by(col(CvVersion.version).desc()).limit(1)
    return session.exec(stmt).first()


def list_versions(*, session: Session, subject: str, owner: str = LOCAL_OWNER) -> list[CvVersion]:
    """All versions, newest first."""
    _check_owner(session, subject, owner)
    stmt = select(CvVersion).where(CvVersion.subject == subject).order_by(col(CvVersion.version).desc())
    return list(session.exec(stmt).all())


def get_version(*, session: Session, subject: str, version: int, owner: str = LOCAL_OWNER) -> CvVersion:
    _check_owner(session, subject, owner)
    row = _get(session, subject, version)
    if row is None:
        raise LookupError(f"{subject} has no version {version}")
    return row


# ---------------------------------------------------------------- writing


def ensure_initial(
    *, session: Session, subject: str, markdown: str, owner: str = LOCAL_OWNER, note: str = "tailored by the pipeline"
) -> CvVersion:
    """Version 1 from the pipeline's markdown, unless the subject already has versions."""
    _check_owner(session, subject, owner)
    for _ in range(3):
        cur = latest(session=session, subject=subject)
        if cur is not None:
            return cur
        row = _append(session, subject=subject, version=1, parent=None, markdown=markdown, html=render_markdown(markdown), note=note, owner=owner)
        if row is not None:
            return row
    raise RuntimeError(f"could not create the first version of {subject}")  # pragma: no cover - needs a pathological race


def save_version(
    *, session: Session, subject: str, html: str, base_version: int | None, owner: str = LOCAL_OWNER, note: str = ""
) -> SaveResult:
    """Sanitize the editor's HTML and append it as the next version, unless the editor's base is stale.

    Raises ValueError for an oversize edit and LookupError for a subject the owner may not see."""
    clean = clean_editor_html(html)
    _check_owner(session, subject, owner)
    cur = latest(session=session, subject=subject)
    if cur is not None and base_version != cur.version:
        return SaveResult(ok=False, version=cur.version, conflict=True, theirs=cur, removed=clean.removed)
    if cur is not None and _same_html(clean.html, cur.html):
        return SaveResult(ok=True, version=cur.version, removed=clean.removed)
    number = cur.version + 1 if cur is not None else 1
    row = _append(
        session, subject=subject, version=number, parent=cur.version if cur is not None else None,
        markdown=html_to_markdown(clean.html), html=clean.html, note=note, owner=owner,
    )
    if row is None:  # someone else took this number between our read and our insert
        theirs = latest(session=session, subject=subject)
        return SaveResult(ok=False, version=theirs.version if theirs else 0, conflict=True, theirs=theirs, removed=clean.removed)
    return SaveResult(ok=True, version=row.version, removed=clean.removed)


def save_markdown_version(
    *, session: Session, subject: str, markdown: str, base_version: int | None, owner: str = LOCAL_OWNER,
    note: str = "", html: str | None = None,
) -> SaveResult:
    """Append text the server wrote (a fitted CV, a regenerated letter, outreach JSON) as the next
    version, with the same conflict rule as a browser save. `html` defaults to the markdown
    rendered safely; plain-text documents pass html=""."""
    _check_owner(session, subject, owner)
    cur = latest(session=session, subject=subject)
    if cur is not None and base_version != cur.version:
        return SaveResult(ok=False, version=cur.version, conflict=True, theirs=cur)
    if cur is not None and cur.markdown == markdown:
        return SaveResult(ok=True, version=cur.version)
    number = cur.version + 1 if cur is not None else 1
    rendered = render_markdown(markdown) if html is None else html
    row = _append(
        session, subject=subject, version=number, parent=cur.version if cur is not None else None,
        markdown=markdown, html=rendered, note=note, owner=owner,
    )
    if row is None:
        theirs = latest(session=session, subject=subject)
        return SaveResult(ok=False, version=theirs.version if theirs else 0, conflict=True, theirs=theirs)
    return SaveResult(ok=True, version=row.version)


def set_check(*, session: Session, subject: str, version: int, name: str, result: dict, owner: str = LOCAL_OWNER) -> None:
    """Keep a check's result with the exact version it checked (replacing an older result of that check)."""
    row = get_version(session=session, subject=subject, version=version, owner=owner)
    row.checks = {**(row.checks or {}), name: result}
    session.add(row)
    session.flush()


def restore_version(*, session: Session, subject: str, version: int, owner: str = LOCAL_OWNER) -> CvVersion:
    """Append a copy of an old version as the newest one; history stays intact."""
    old = get_version(session=session, subject=subject, version=version, owner=owner)
    for _ in range(5):
        cur = latest(session=session, subject=subject)
        assert cur is not None  # `old` exists
        row = _append(
            session, subject=subject, version=cur.version + 1, parent=cur.version,
            markdown=old.markdown, html=old.html, note=f"restored from v{version}", owner=owner,
        )
        if row is not None:
            return row
    raise RuntimeError(f"could not restore {subject} v{version}: too many concurrent saves")


# ---------------------------------------------------------------- helpers


def _get(session: Session, subject: str, version: int) -> CvVersion | None:
    stmt = select(CvVersion).where(CvVersion.subject == subject, CvVersion.version == version)
    return session.exec(stmt).first()


def _append(
    session: Session, *, subject: str, version: int, parent: int | None, markdown: str, html: str, note: str, owner: str
) -> CvVersion | None:
    """Insert one version; None when (subject, version) is already taken. No exception, so no broken transaction."""
    values = {
        "subject": subject, "version": version, "parent_version": parent, "markdown": markdown,
        "html": html, "note": note[:500], "owner": owner, "created_at": utcnow(),
    }
    ins = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = ins(CvVersion).values(**values).on_conflict_do_nothing(index_elements=["subject", "version"])
    if session.execute(stmt).rowcount != 1:
        return None
    return _get(session, subject, version)


def _check_owner(session: Session, subject: str, owner: str) -> None:
    """Another owner's subject is invisible: same error as a subject that does not exist."""
    kind, _, ident = subject.partition(":")
    model = _BACKING.get(kind)
    if model is None or not ident.isdigit():
        raise LookupError(f"unknown CV subject {subject!r}")
    backing = session.get(model, int(ident))
    first = session.exec(select(CvVersion.owner).where(CvVersion.subject == subject).order_by(col(CvVersion.version)).limit(1)).first()
    if (backing is not None and backing.owner != owner) or (first is not None and first != owner):
        raise LookupError(f"{subject} not found")


def _same_html(a: str, b: str) -> bool:
    """Equal up to line breaks between tags (the browser re-serializes what it was given)."""
    return _BETWEEN_TAGS.sub("><", a).strip() == _BETWEEN_TAGS.sub("><", b).strip()
