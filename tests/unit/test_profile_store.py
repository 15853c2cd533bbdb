"""Profiles in the store: drafts, confirmation, owner scoping, the kept original, runs use only confirmed profiles."""

from __future__ import annotations

import hashlib

import pytest
from sqlmodel import Session

from pipeline.profile.titles import TitleError
from pipeline.store import cv as cv_store
from pipeline.store import profiles
from pipeline.store.db import get_engine
from pipeline.store.models import Job, Profile, user_owner

CV = b"""Jane Example
jane@example.com | +44 20 7946 0000

## Experience
### Senior Backend Engineer - Acme Ltd
*2019 - Present*
- Built Python services on PostgreSQL and Kafka.
"""
ME, OTHER = user_owner(1), user_owner(2)


@pytest.fixture
def s(db_url, tmp_path, monkeypatch):
    from pipeline.settings import settings

    monkeypatch.setattr(settings, "data_dir", tmp_path)
    with Session(get_engine(db_url), expire_on_commit=False) as session:
        yield session
        session.rollback()


def test_upload_creates_a_draft_with_version_one_and_keeps_the_file(s, tmp_path):
    p = profiles.create_from_upload(session=s, owner=ME, filename="../../etc/passwd", data=CV)
    s.commit()
    sha = hashlib.sha256(CV).hexdigest()
    assert p.confirmed_at is None and p.source_sha256 == sha and p.source_kind == "markdown"
    assert p.name == "Jane Example" and p.markdown.startswith("# Jane Example")
    assert p.source_filename == "passwd"
    assert 5 <= len(p.suggested_titles) <= 10 and set(p.suggested_titles[0]) == {"title", "reason"}
    assert p.parsed["experience"][0]["company"] == "Acme Ltd"
    path = profiles.original_file(session=s, owner=ME, profile_id=p.id)
    assert path.read_bytes() == CV and path.name == f"{sha}.md"
    assert path.parent.parent == (tmp_path / "profiles").resolve() and "user_1" in path.parent.name
    versions = cv_store.list_versions(session=s, subject=profiles.subject(p.id), owner=ME)
    assert [v.version for v in versions] == [1] and versions[0].markdown == p.markdown


def test_drafts_are_never_active_until_confirmed(s):
    assert profiles.active_profile(session=s, owner=ME) is None
    first = profiles.create_from_upload(session=s, owner=ME, filename="cv.md", data=CV)
    assert profiles.active_profile(session=s, owner=ME) is None and profiles.latest_profile(session=s, owner=ME).id == first.id
    profiles.confirm(session=s, owner=ME, profile_id=first.id)
    second = profiles.create_from_upload(session=s, owner=ME, filename="cv2.md", data=CV + b"- Led on-call.\n")
    s.commit()
    assert profiles.active_profile(session=s, owner=ME).id == first.id  # the newer upload is still a draft
    assert profiles.latest_profile(session=s, owner=ME).id == second.id
    profiles.confirm(session=s, owner=ME, profile_id=second.id)
    assert profiles.active_profile(session=s, owner=ME).id == second.id
    assert [p.id for p in profiles.list_profiles(session=s, owner=ME)] == [second.id, first.id]


def test_confirm_uses_the_edited_master_cv(s):
    p = profiles.create_from_upload(session=s, owner=ME, filename="cv.md", data=CV)
    res = cv_store.save_version(session=s, subject=profiles.subject(p.id), html="<h1>Jane Example</h1><p>Edited by hand.</p>", base_version=1, owner=ME)
    assert res.ok and res.version == 2
    confirmed = profiles.confirm(session=s, owner=ME, profile_id=p.id)
    assert confirmed.version == 2 and "Edited by hand." in confirmed.markdown and confirmed.confirmed_at is not None
    cv_store.save_version(session=s, subject=profiles.subject(p.id), html="<h1>Jane Example</h1><p>Third.</p>", base_version=2, owner=ME)
    assert "Third." in profiles.sync_markdown(session=s, owner=ME, profile_id=p.id).markdown


def test_other_owners_see_nothing(s):
    p = profiles.create_from_upload(session=s, owner=ME, filename="cv.md", data=CV)
    profiles.confirm(session=s, owner=ME, profile_id=p.id)
    s.commit()
    assert profiles.active_profile(session=s, owner=OTHER) is None and profiles.latest_profile(session=s, owner=OTHER) is None
    for call in (
        lambda: profiles.get_profile(session=s, owner=OTHER, profile_id=p.id),
        lambda: profiles.confirm(session=s, owner=OTHER, profile_id=p.id),
        lambda: profiles.set_titles(session=s, owner=OTHER, profile_id=p.id, titles=["Backend Engineer"]),
        lambda: profiles.original_file(session=s, owner=OTHER, profile_id=p.id),
    ):
        with pytest.raises(LookupError):
            call()
    assert profiles.owner_dir_name("user:1") != profiles.owner_dir_name("user_1")


def test_set_titles_validates_and_keeps_the_users_order(s):
    p = profiles.create_from_upload(session=s, owner=ME, filename="cv.md", data=CV)
    profiles.set_titles(session=s, owner=ME, profile_id=p.id, titles=[{"title": "Platform Engineer", "reason": "mine"}, "Backend Engineer"])
    s.commit()
    s.expire_all()
    assert s.get(Profile, p.id).suggested_titles == [{"title": "Platform Engineer", "reason": "mine"}, {"title": "Backend Engineer", "reason": ""}]
    with pytest.raises(TitleError):
        profiles.set_titles(session=s, owner=ME, profile_id=p.id, titles=["Backend Engineer", "backend engineer"])


def test_original_file_refuses_a_path_outside_its_folder(s, tmp_path):
    p = profiles.create_from_upload(session=s, owner=ME, filename="cv.md", data=CV)
    (tmp_path / "secret.txt").write_text("x")
    p.source_path = "profiles/../secret.txt"
    s.add(p)
    s.flush()
    with pytest.raises(LookupError):
        profiles.original_file(session=s, owner=ME, profile_id=p.id)


def test_unreadable_upload_stores_nothing(s, tmp_path):
    from pipeline.profile import ProfileError

    with pytest.raises(ProfileError):
        profiles.create_from_upload(session=s, owner=ME, filename="cv.pdf", data=b"%PDF-1.7\n" + bytes(range(256)) * 10)
    assert profiles.latest_profile(session=s, owner=ME) is None and not (tmp_path / "profiles").exists()


def test_same_file_twice_is_stored_once(s, tmp_path):
    a = profiles.create_from_upload(session=s, owner=ME, filename="a.md", data=CV)
    b = profiles.create_from_upload(session=s, owner=ME, filename="b.md", data=CV)
    assert a.id != b.id and a.source_path == b.source_path
    assert len(list((tmp_path / "profiles").rglob("*.md"))) == 1


def test_runs_read_the_confirmed_profile_not_a_newer_draft(default_store):
    from pipeline.runs.runner import _load
    from pipeline.store.db import session_scope
    from pipeline.store.models import LOCAL_OWNER
    from pipeline.store.runs import create_run

    with session_scope() as s:
        confirmed = profiles.create_from_upload(session=s, owner=LOCAL_OWNER, filename="cv.md", data=CV)
        profiles.confirm(session=s, owner=LOCAL_OWNER, profile_id=confirmed.id)
        profiles.create_from_upload(session=s, owner=LOCAL_OWNER, filename="draft.md", data=b"# Draft Person\n\nNot reviewed yet, should never be used by a run.\n")
        job = Job(source="paste", external_id="p-1", title="Backend Engineer", company="Acme", description="Python")
        s.add(job)
        s.flush()
        run_id = create_run(session=s, job_id=job.id).id
        expected = confirmed.markdown
    assert _load(run_id)["cv"] == expected
