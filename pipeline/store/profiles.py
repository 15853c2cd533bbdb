"""Master-CV profiles: an upload becomes a draft, the user reviews it, runs use the newest confirmed one.

Why drafts: a parsed CV is a machine's reading of a file; until the user has looked
at it (and fixed what the parser got wrong) no run may tailor from it. The
original file is kept under `DATA_DIR/profiles/<owner>/<sha256>.<ext>`: the path is
built from the owner and the content hash, never from the uploaded name. Edits of
the master CV are CvVersions of subject `profile:<id>` (`pipeline.store.cv`);
`confirm` and `sync_markdown` copy the newest version into `Profile.markdown`,
which is what runs read. Every function is owner-scoped: another owner's profile
does not exist (LookupError or None). Callers commit.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from pathlib import Path, PurePath
from typing import Any

from sqlmodel import Session, col, select

from pipeline.profile.parse import ParsedUpload, parse_offline, parse_upload
from pipeline.profile.titles import validate_titles
from pipeline.settings import settings
from pipeline.store import cv as cv_store
from pipeline.store.models import Profile, utcnow

PROFILES_DIR = "profiles"


def subject(profile_id: int) -> str:
    """The CvVersion subject of a profile's master CV."""
    return f"profile:{profile_id}"


# ---------------------------------------------------------------- creating


def create_from_upload(*, session: Session, owner: str, filename: str, data: bytes, analyst_kind: str = "offline") -> Profile:
    """Parse an upload and store it as a draft profile (synchronous).

    `analyst_kind` "offline" never calls a model; "auto" uses the configured model when
    there is one (then this must not run inside an event loop: await `parse_upload`
    and call `save_parsed` instead). Raises ProfileError for an unreadable file."""
    if analyst_kind not in ("offline", "auto"):
        raise ValueError(f"analyst_kind must be 'offline' or 'auto', not {analyst_kind!r}")
    if analyst_kind == "auto" and settings.openai_api_key:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            parsed = asyncio.run(parse_upload(filename, data, owner=owner))
        else:
            raise RuntimeError("create_from_upload(analyst_kind='auto') cannot run inside an event loop; await parse_upload() and call save_parsed()")
    else:
        parsed = parse_offline(filename, data)
    return save_parsed(session=session, owner=owner, parsed=parsed)


def save_parsed(*, session: Session, owner: str, parsed: ParsedUpload) -> Profile:
    """Keep the original file, add a draft Profile and version 1 of its master CV."""
    rel = store_original(owner=owner, sha256=parsed.sha256, extension=parsed.extension, data=parsed.data)
    parsed_json = parsed.profile.model_dump(mode="json")
    parsed_json["_meta"] = {"analyst": parsed.analyst, "warnings": parsed.warnings, "chars": len(parsed.text)}
    profile = Profile(
        owner=owner, name=parsed.profile.name[:200], markdown=parsed.markdown, source_filename=display_name(parsed.filename),
        source_path=rel.as_posix(), parsed=parsed_json, suggested_titles=parsed.suggested_titles, source_sha256=parsed.sha256,
        source_kind=parsed.kind, version=1, confirmed_at=None,
    )  # fmt: skip
    session.add(profile)
    session.flush()
    assert profile.id is not None
    cv_store.ensure_initial(
        session=session, subject=subject(profile.id), markdown=parsed.markdown, owner=owner,
        note=f"parsed from {profile.source_filename or 'upload'} ({parsed.analyst})",
    )  # fmt: skip
    return profile


def store_original(*, owner: str, sha256: str, extension: str, data: bytes) -> PurePath:
    """Write the uploaded bytes once (content-addressed); the path relative to DATA_DIR."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256) or not re.fullmatch(r"[a-z]{1,5}", extension):
        raise ValueError("bad content hash or extension")
    rel = PurePath(PROFILES_DIR, owner_dir_name(owner), f"{sha256}.{extension}")
    path = settings.data_dir / rel
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return rel


def owner_dir_name(owner: str) -> str:
    """A folder name for an owner: readable, filesystem-safe, and distinct for distinct owners."""
    readable = re.sub(r"[^A-Za-z0-9_-]+", "_", owner).strip("_")[:60] or "owner"
    return f"{readable}-{hashlib.sha256(owner.encode()).hexdigest()[:10]}"


def display_name(filename: str) -> str:
    """The uploaded name for display only: no folders, no control characters, bounded."""
    base = re.split(r"[\\/]", filename or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:300] or "upload"


# ---------------------------------------------------------------- reading


def get_profile(*, session: Session, owner: str, profile_id: int) -> Profile:
    """The owner's profile, or LookupError (also for another owner's)."""
    row = session.get(Profile, profile_id)
    if row is None or row.owner != owner:
        raise LookupError(f"profile {profile_id} not found")
    return row


def active_profile(*, session: Session, owner: str) -> Profile | None:
    """The profile runs use: the most recently confirmed one (drafts never)."""
    stmt = (
        select(Profile)
        .where(Profile.owner == owner, col(Profile.confirmed_at).is_not(None))
        .order_by(col(Profile.confirmed_at).desc(), col(Profile.id).desc())
        .limit(1)
    )
    return session.exec(stmt).first()


def latest_profile(*, session: Session, owner: str) -> Profile | None:
    """The newest profile, draft or not (what the review screen shows)."""
    return session.exec(select(Profile).where(Profile.owner == owner).order_by(col(Profile.id).desc()).limit(1)).first()


def list_profiles(*, session: Session, owner: str, limit: int = 50) -> list[Profile]:
    """The owner's profiles, newest first (uploads are never deleted)."""
    stmt = select(Profile).where(Profile.owner == owner).order_by(col(Profile.id).desc()).limit(max(1, min(limit, 500)))
    return list(session.exec(stmt).all())


def profile_summary(*, session: Session, owner: str) -> dict[str, Any] | None:
    """The newest profile (drafts included) as the review screen shows it; None without one."""
    p = latest_profile(session=session, owner=owner)
    if p is None:
        return None
    meta = (p.parsed or {}).get("_meta", {})
    return {
        "id": p.id, "name": p.name or "Unnamed profile", "source": p.source_filename or ("demo CV" if p.is_demo else "written here"),
        "kind": p.source_kind, "has_original": bool(p.source_path), "confirmed": p.confirmed_at is not None,
        "version": p.version, "warnings": list(meta.get("warnings", [])), "titles": list(p.suggested_titles),
    }  # fmt: skip


def profile_label(*, session: Session, owner: str) -> str:
    """One line naming the profile runs use; a newer upload still under review is named too."""
    active, newest = active_profile(session=session, owner=owner), latest_profile(session=session, owner=owner)
    if newest is None:
        return "no profile yet"
    label = "none in use" if active is None else f"{active.name or 'profile'} v{active.version}" + (" (demo)" if active.is_demo else "")
    if active is None or newest.id != active.id:
        label += f" · {newest.name or 'upload'} to review"
    return label


def original_file(*, session: Session, owner: str, profile_id: int) -> Path:
    """The uploaded file on disk, checked to lie inside the profiles folder; LookupError otherwise."""
    profile = get_profile(session=session, owner=owner, profile_id=profile_id)
    if not profile.source_path:
        raise LookupError(f"profile {profile_id} has no uploaded file")
    root = (settings.data_dir / PROFILES_DIR).resolve()
    path = (settings.data_dir / profile.source_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise LookupError(f"the uploaded file of profile {profile_id} is missing")
    return path


# ---------------------------------------------------------------- changing


def sync_markdown(*, session: Session, owner: str, profile_id: int) -> Profile:
    """Copy the newest saved version of the master CV into the profile (call after an editor save)."""
    profile = get_profile(session=session, owner=owner, profile_id=profile_id)
    newest = cv_store.latest(session=session, subject=subject(profile_id))
    if newest is not None and (newest.markdown != profile.markdown or newest.version != profile.version):
        profile.markdown, profile.version, profile.updated_at = newest.markdown, newest.version, utcnow()
        session.add(profile)
    return profile


def confirm(*, session: Session, owner: str, profile_id: int) -> Profile:
    """The user reviewed the master CV: from now on runs use it (its newest saved version)."""
    profile = sync_markdown(session=session, owner=owner, profile_id=profile_id)
    if not profile.markdown.strip():
        raise ValueError("The master CV is empty; add its text before confirming.")
    profile.confirmed_at = profile.updated_at = utcnow()
    session.add(profile)
    session.flush()
    return profile


def suggest_again(*, session: Session, owner: str, profile_id: int) -> Profile:
    """Suggest titles from the profile's current master CV (offline: fast, no model call),
    e.g. for a profile that has none (the demo, one written by hand) or after big edits."""
    from pipeline.profile.titles import suggest_titles_offline

    profile = get_profile(session=session, owner=owner, profile_id=profile_id)
    parsed = {k: v for k, v in (profile.parsed or {}).items() if not k.startswith("_")}
    profile.suggested_titles = validate_titles(suggest_titles_offline(parsed, profile.markdown))
    profile.updated_at = utcnow()
    session.add(profile)
    session.flush()
    return profile


def set_titles(*, session: Session, owner: str, profile_id: int, titles: list) -> Profile:
    """Replace the suggested titles with the user's list (validated: TitleError on a bad list)."""
    profile = get_profile(session=session, owner=owner, profile_id=profile_id)
    profile.suggested_titles = validate_titles(titles)
    profile.updated_at = utcnow()
    session.add(profile)
    session.flush()
    return profile
