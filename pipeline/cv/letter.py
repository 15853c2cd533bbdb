"""A run's cover letter and outreach messages as documents the user edits and keeps history of.

The pipeline writes `cover_letter.md` and `outreach.json` once; the first open turns each into
version 1 of its own subject ("letter:<run>", "outreach:<run>"), and from then on every edit,
regeneration or restore appends a version, exactly like the CV. The letter's head (sender,
date, recipient, subject) is built from the profile and the job when it is exported, so the
user edits only what they wrote. Callers commit."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from sqlmodel import Session

from pipeline.cv.editing import OpenedCv, VersionInfo
from pipeline.documents.letter import LetterHead
from pipeline.runs.results import artifact_path
from pipeline.store import cv as cv_store
from pipeline.store import profiles
from pipeline.store.cv import SaveResult
from pipeline.store.models import Job, RunStatus
from pipeline.store.runs import get_owned_run
from pipeline.text.cv import parse_cv

LINKEDIN_NOTE_MAX = 300  # LinkedIn's limit for a connection note
EMAIL_SUBJECT_MAX = 200
EMAIL_BODY_MAX = 5000
_CONTACT_SPLIT = re.compile(r"\s+[·|•]\s+|\s{2,}")


def letter_subject(run_id: int) -> str:
    return f"letter:{run_id}"


def outreach_subject(run_id: int) -> str:
    return f"outreach:{run_id}"


def letter_markdown(text: str) -> str:
    """The pipeline's letter with its single line breaks kept ("Kind regards,\\nJane" stays two
    lines): markdown would otherwise join them into one line."""
    paragraphs = re.split(r"\n\s*\n", (text or "").strip())
    return "\n\n".join("\\\n".join(ln.rstrip() for ln in p.splitlines() if ln.strip()) for p in paragraphs if p.strip()) + "\n"


def _artifact_text(session: Session, run_id: int, owner: str, name: str) -> str | None:
    run = get_owned_run(session=session, run_id=run_id, owner=owner)
    if run is None or run.status != RunStatus.succeeded.value:
        return None
    path = artifact_path(session=session, run_id=run_id, name=name, owner=owner)
    return path.read_text(encoding="utf-8") if path else None


def _infos(session: Session, subject: str, owner: str) -> list[VersionInfo]:
    rows = cv_store.list_versions(session=session, subject=subject, owner=owner)
    return [VersionInfo(version=v.version, note=v.note, created_at=v.created_at) for v in rows]


# ---------------------------------------------------------------- the letter


def open_letter(*, session: Session, run_id: int, owner: str) -> OpenedCv | None:
    """The run's letter, newest version; None when the run is not the owner's or wrote no letter."""
    text = _artifact_text(session, run_id, owner, "cover_letter.md")
    if text is None:
        return None
    subject = letter_subject(run_id)
    cur = cv_store.ensure_initial(session=session, subject=subject, markdown=letter_markdown(text), owner=owner, note="written by the pipeline")
    return OpenedCv(version=cur.version, html=cur.html, markdown=cur.markdown, versions=_infos(session, subject, owner))


def regenerate_letter(*, session: Session, run_id: int, owner: str, base: int) -> SaveResult:
    """The run's letter as written by the pipeline, appended as a new version (edits stay in history)."""
    text = _artifact_text(session, run_id, owner, "cover_letter.md")
    if text is None:
        raise LookupError("This run has no cover letter.")
    return cv_store.save_markdown_version(
        session=session, subject=letter_subject(run_id), markdown=letter_markdown(text), base_version=base, owner=owner,
        note=f"regenerated from run #{run_id}",
    )


def letter_head(*, session: Session, run_id: int, owner: str, today: dt.date | None = None) -> LetterHead:
    """Sender from the active profile's CV, recipient and subject from the job, today's date."""
    run = get_owned_run(session=session, run_id=run_id, owner=owner)
    job = session.get(Job, run.job_id) if run is not None and run.job_id else None
    profile = profiles.active_profile(session=session, owner=owner)
    cv = parse_cv(profile.markdown) if profile is not None and profile.markdown.strip() else None
    sender_lines: list[str] = []
    for line in cv.header_lines if cv else []:
        sender_lines += [p.strip() for p in _CONTACT_SPLIT.split(line.strip()) if p.strip()]
    day = today or dt.date.today()
    recipient = [p for p in ((job.company if job else ""), (job.location if job else "")) if p]
    return LetterHead(
        sender_name=cv.name if cv else "",
        sender_lines=tuple(sender_lines[:6]),
        date=f"{day.day} {day:%B %Y}",
        recipient_lines=tuple(recipient),
        subject=f"Application for {job.title}" if job and job.title else "",
    )


# ---------------------------------------------------------------- outreach


@dataclass
class OutreachDoc:
    """The messages sent before or with an application; versioned like the letter."""

    linkedin_note: str = ""
    email_subject: str = ""
    email_body: str = ""
    version: int = 0
    versions: list[VersionInfo] = field(default_factory=list)

    def as_json(self) -> str:
        data = {"linkedin_note": self.linkedin_note, "email_subject": self.email_subject, "email_body": self.email_body}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _parse_outreach(text: str) -> dict[str, str]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        data = {}
    data = data if isinstance(data, dict) else {}
    return {k: str(data.get(k) or "") for k in ("linkedin_note", "email_subject", "email_body")}


def open_outreach(*, session: Session, run_id: int, owner: str) -> OutreachDoc | None:
    text = _artifact_text(session, run_id, owner, "outreach.json")
    if text is None:
        return None
    subject = outreach_subject(run_id)
    first = OutreachDoc(**_parse_outreach(text)).as_json()
    cur = cv_store.latest(session=session, subject=subject)
    if cur is None:
        cur = cv_store.ensure_initial(session=session, subject=subject, markdown=first, owner=owner, note="written by the pipeline")
        if cur.html:  # ensure_initial renders markdown; outreach is plain text, shown escaped
            cur.html = ""
            session.add(cur)
    fields = _parse_outreach(cv_store.get_version(session=session, subject=subject, version=cur.version, owner=owner).markdown)
    return OutreachDoc(**fields, version=cur.version, versions=_infos(session, subject, owner))


def save_outreach(*, session: Session, run_id: int, owner: str, base: int, linkedin_note: str, email_subject: str, email_body: str) -> SaveResult:
    """Save edited messages as a new version; a note over LinkedIn's 300 characters is refused, not cut."""
    note, subj, body = linkedin_note.strip(), " ".join(email_subject.split()), email_body.strip()
    if len(note) > LINKEDIN_NOTE_MAX:
        raise ValueError(f"The LinkedIn note is {len(note)} characters; LinkedIn allows {LINKEDIN_NOTE_MAX}. Shorten it and save again.")
    if len(subj) > EMAIL_SUBJECT_MAX or len(body) > EMAIL_BODY_MAX:
        raise ValueError(f"The e-mail is too long (subject up to {EMAIL_SUBJECT_MAX} characters, body up to {EMAIL_BODY_MAX}).")
    doc = OutreachDoc(linkedin_note=note, email_subject=subj, email_body=body)
    return cv_store.save_markdown_version(
        session=session, subject=outreach_subject(run_id), markdown=doc.as_json(), base_version=base, owner=owner, note="edited in the browser", html="",
    )


def restore_outreach(*, session: Session, run_id: int, owner: str, version: int) -> int:
    """Append a copy of an old version as the newest; returns its number."""
    return cv_store.restore_version(session=session, subject=outreach_subject(run_id), version=version, owner=owner).version
