"""Editing a CV in the browser: open a subject, save, restore, preview a version, and what the
layout check prints. A subject is a run's tailored CV ("run:<id>") or a profile's master CV
("profile:<id>"); every call is owner-checked and returns plain data, so any UI (or a test)
can drive the editor without a web framework. Callers commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from pipeline.render.diff import changed_line_count, compare_html
from pipeline.runs.documents import CvSource, current_cv, cv_subject
from pipeline.runs.results import latest_result_for_run
from pipeline.runs.review import LineReview, claim_reviews, review
from pipeline.store import cv as cv_store
from pipeline.store import profiles
from pipeline.store.cv import SaveResult
from pipeline.store.models import CvVersion
from pipeline.text.claims import check_claims


@dataclass(frozen=True)
class VersionInfo:
    version: int
    note: str
    created_at: datetime


@dataclass
class OpenedCv:
    """What the editor shows for one subject: its newest version and its history. Only a run's
    CV has a review (lines the pipeline could not trace, claims it strengthened) and a comparison with the master CV."""

    version: int
    html: str
    markdown: str
    versions: list[VersionInfo] = field(default_factory=list)  # newest first
    review: list[LineReview] = field(default_factory=list)
    compare: str = ""
    compare_summary: str = ""


def open_cv(*, session: Session, run_id: int, owner: str) -> OpenedCv | None:
    """A run's tailored CV, or None when the run is not the owner's or has no CV yet."""
    cv = current_cv(session=session, run_id=run_id, owner=owner)
    if cv is None:
        return None
    history = cv_store.list_versions(session=session, subject=cv_subject(run_id), owner=owner)
    profile = profiles.active_profile(session=session, owner=owner)
    master = profile.markdown if profile else ""
    result = latest_result_for_run(session=session, run_id=run_id, owner=owner) or {}
    lines = review(session=session, run_id=run_id, untraceable=list(result.get("untraceable_lines", [])), current_markdown=cv.markdown)
    # Checked on the current CV, so fixing a line in the editor clears its flag.
    listed = {r.line for r in lines}
    flags = [f for f in check_claims(cv.markdown, master) if f.line not in listed] if master else []
    lines += claim_reviews(session=session, run_id=run_id, flags=flags, current_markdown=cv.markdown)
    return OpenedCv(
        version=cv.version, html=cv.html, markdown=cv.markdown, versions=_infos(history), review=lines,
        compare=compare_html(master, cv.markdown), compare_summary=str(changed_line_count(master, cv.markdown)),
    )


def open_master_cv(*, session: Session, profile_id: int, owner: str) -> OpenedCv | None:
    """The master CV under review: its newest version (version 1 is what the upload or demo gave)."""
    try:
        profile = profiles.get_profile(session=session, owner=owner, profile_id=profile_id)
    except LookupError:
        return None
    subject = profiles.subject(profile_id)
    cv = cv_store.ensure_initial(session=session, subject=subject, markdown=profile.markdown, owner=owner, note="read from your CV")
    history = cv_store.list_versions(session=session, subject=subject, owner=owner)
    return OpenedCv(version=cv.version, html=cv.html, markdown=cv.markdown, versions=_infos(history))


def save_cv(*, session: Session, subject: str, html: str, base: int, owner: str) -> SaveResult:
    """Save the editor's HTML on top of version `base`; a newer version saved meanwhile comes back
    as a conflict, never overwritten. A saved master CV reaches the profile runs read."""
    result = cv_store.save_version(session=session, subject=subject, html=html, base_version=base, owner=owner, note="edited in the browser")
    if result.ok:
        _sync_profile(session=session, subject=subject, owner=owner)
    return result


def restore_cv(*, session: Session, subject: str, version: int, owner: str) -> int:
    """Append a copy of `version` as the newest version (history stays intact); returns its number."""
    new = cv_store.restore_version(session=session, subject=subject, version=version, owner=owner).version
    _sync_profile(session=session, subject=subject, owner=owner)
    return new


def view_version(*, session: Session, subject: str, version: int, owner: str) -> str:
    """One version's HTML, for a read-only preview."""
    v = cv_store.get_version(session=session, subject=subject, version=version, owner=owner)
    return v.html if v else ""


def cv_source(*, session: Session, subject: str, owner: str) -> CvSource | None:
    """What the layout check prints: a run's current CV, or the master CV's newest version."""
    kind, _, ident = subject.partition(":")
    if kind == "run":
        return current_cv(session=session, run_id=int(ident), owner=owner)
    newest = cv_store.latest(session=session, subject=subject)
    if newest is None:
        return None
    v = cv_store.get_version(session=session, subject=subject, version=newest.version, owner=owner)  # checks the owner
    return CvSource(run_id=0, version=v.version, markdown=v.markdown, html=v.html, title="Master CV")


def _sync_profile(*, session: Session, subject: str, owner: str) -> None:
    """A master CV edit reaches the profile that runs read (a run's CV has no such copy)."""
    kind, _, ident = subject.partition(":")
    if kind == "profile":
        profiles.sync_markdown(session=session, owner=owner, profile_id=int(ident))


def _infos(rows: list[CvVersion]) -> list[VersionInfo]:
    return [VersionInfo(version=v.version, note=v.note, created_at=v.created_at) for v in rows]
