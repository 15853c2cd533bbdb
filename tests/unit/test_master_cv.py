"""The master CV edited in the page reaches the profile runs read; the uploaded original is
downloadable by its owner only."""

from __future__ import annotations

from pipeline.cv import open_master_cv, restore_cv, save_cv
from pipeline.store.db import session_scope
from pipeline.store.models import Profile
from pipeline.store.profiles import active_profile, confirm, create_from_upload
from tests.unit.test_isolation import _get, client, two_users  # noqa: F401  (fixtures)

CV = b"# Ann Example\n\nann@example.org\n\n## Experience\n\n### Nurse, Ward 4 (2019-2024)\n\n- Cared for 12 patients a shift.\n- Led the falls audit.\n"


def test_saving_and_restoring_the_master_cv_updates_the_profile(default_store):
    with session_scope() as s:
        pid = create_from_upload(session=s, owner="local", filename="ann.md", data=CV).id
    with session_scope() as s:
        opened = open_master_cv(session=s, profile_id=pid, owner="local")
        assert opened.version == 1 and "falls audit" in opened.html
        html = opened.html.replace("Led the falls audit.", "Led the falls audit across 3 wards.")
        result = save_cv(session=s, subject=f"profile:{pid}", html=html, base=1, owner="local")
        assert result.ok and result.version == 2
    with session_scope() as s:
        profile = s.get(Profile, pid)
        assert profile.version == 2 and "across 3 wards" in profile.markdown
        assert active_profile(session=s, owner="local") is None or active_profile(session=s, owner="local").id != pid, "a draft is not used by runs"
        confirm(session=s, owner="local", profile_id=pid)
    with session_scope() as s:
        assert active_profile(session=s, owner="local").id == pid
        assert restore_cv(session=s, subject=f"profile:{pid}", version=1, owner="local") == 3
    with session_scope() as s:
        profile = s.get(Profile, pid)
        assert profile.version == 3 and "across 3 wards" not in profile.markdown and "falls audit" in profile.markdown
        assert open_master_cv(session=s, profile_id=pid, owner="someone-else") is None


def test_original_file_downloads_for_its_owner_only(two_users, client):  # noqa: F811
    t = two_users
    with session_scope() as s:
        pid = create_from_upload(session=s, owner=t["oa"], filename="../../etc/Ann CV.md", data=CV).id
    url = f"/files/profiles/{pid}/original"
    r = _get(client, url, t["token_a"])
    assert r.status_code == 200 and r.content == CV
    assert "attachment" in r.headers["content-disposition"] and "/" not in r.headers["content-disposition"].split("filename=")[1]
    for token in (t["token_b"], None, "forged"):
        r = _get(client, url, token)
        assert r.status_code == 404 and b"Ann Example" not in r.content


def test_parked_uploads_are_read_once_and_only_by_our_own_names(default_store):
    import pytest

    from pipeline.profile.uploads import stash_upload, unstash_upload

    name = stash_upload(CV)
    assert unstash_upload(name) == CV
    for bad in (name, "../../etc/passwd", "x" * 32 + ".bin", name.replace(".bin", ".pdf")):
        with pytest.raises(LookupError):
            unstash_upload(bad)


def test_a_parked_upload_is_parsed_once_then_gone(default_store, monkeypatch):
    import asyncio

    import pytest

    from pipeline.profile.uploads import parse_parked_upload, stash_upload
    from pipeline.settings import settings

    monkeypatch.setattr(settings, "openai_api_key", None)  # the offline parser: no model call
    name = stash_upload(CV)
    parsed = asyncio.run(parse_parked_upload(name, "cv.md"))
    assert parsed.kind == "markdown" and parsed.data == CV and "Ann Example" in parsed.markdown
    with pytest.raises(LookupError, match="upload the file again"):
        asyncio.run(parse_parked_upload(name, "cv.md"))


def test_demo_profile_has_titles_and_titles_can_be_suggested_again(default_store):
    from pipeline.sources.demo import load_demo
    from pipeline.store.profiles import suggest_again

    with session_scope() as s:
        load_demo(session=s)
        demo = active_profile(session=s, owner="local")
        assert 5 <= len(demo.suggested_titles) <= 10, "Find matches works out of the box"
        pid = create_from_upload(session=s, owner="local", filename="ann.md", data=CV).id
        s.get(Profile, pid).suggested_titles = []
    with session_scope() as s:
        titles = [t["title"] for t in suggest_again(session=s, owner="local", profile_id=pid).suggested_titles]
        assert 5 <= len(titles) <= 10 and any("Nurse" in t for t in titles), titles
