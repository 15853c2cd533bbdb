"""Versioned CV documents on SQLite and PostgreSQL: append-only, conflicts, restore, owners, races."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from pipeline.store import cv
from pipeline.store.models import CvVersion, Job, Profile, Run

MD = "# Jane Doe\n\n## Experience\n\n- Led the **payments** migration\n- Mentored 4 engineers\n"


def _count(session: Session, subject: str) -> int:
    return session.exec(select(func.count()).select_from(CvVersion).where(CvVersion.subject == subject)).one()


def _run(session: Session, owner: str = "local") -> str:
    job = Job(source="paste", external_id=f"x-{owner}", title="Engineer", company="Acme", owner=owner)
    session.add(job)
    session.flush()
    run = Run(job_id=job.id, owner=owner)
    session.add(run)
    session.flush()
    return f"run:{run.id}"


def test_initial_version_from_markdown(session):
    subject = _run(session)
    v1 = cv.ensure_initial(session=session, subject=subject, markdown=MD)
    assert (v1.version, v1.parent_version, v1.note) == (1, None, "tailored by the pipeline")
    assert "<strong>payments</strong>" in v1.html and v1.markdown == MD
    again = cv.ensure_initial(session=session, subject=subject, markdown="# something else")
    assert again.id == v1.id and _count(session, subject) == 1


def test_saves_append_versions(session):
    subject = _run(session)
    v1 = cv.ensure_initial(session=session, subject=subject, markdown=MD)
    edited = v1.html.replace("Mentored 4 engineers", "Mentored 5 engineers")
    r2 = cv.save_version(session=session, subject=subject, html=edited, base_version=1, note="typo")
    assert (r2.ok, r2.version, r2.conflict, r2.theirs, r2.removed) == (True, 2, False, None, [])
    r3 = cv.save_version(session=session, subject=subject, html=edited + "<p>New line</p>", base_version=2)
    assert r3.ok and r3.version == 3
    session.commit()
    versions = cv.list_versions(session=session, subject=subject, owner="local")
    assert [v.version for v in versions] == [3, 2, 1]
    assert [v.parent_version for v in versions] == [2, 1, None]
    assert "Mentored 5 engineers" in versions[1].markdown and "New line" in versions[0].markdown
    assert cv.get_version(session=session, subject=subject, version=1, owner="local").html == v1.html  # never overwritten
    assert versions[1].note == "typo"


def test_save_sanitizes_and_reports(session):
    subject = _run(session)
    cv.ensure_initial(session=session, subject=subject, markdown=MD)
    r = cv.save_version(
        session=session, subject=subject, base_version=1,
        html='<h1>Jane</h1><p onclick="x()">Hi<script>alert(1)</script><img src="https://t.example/p.gif"></p>',
    )
    assert r.ok and "1 script" in r.removed and "1 image" in r.removed and "event handlers" in r.removed
    stored = cv.latest(session=session, subject=subject)
    assert stored.html == "<h1>Jane</h1><p>Hi</p>"
    assert stored.markdown == "# Jane\n\nHi\n"


def test_stale_base_is_a_conflict_and_saves_nothing(session):
    subject = _run(session)
    v1 = cv.ensure_initial(session=session, subject=subject, markdown=MD)
    ok = cv.save_version(session=session, subject=subject, html=v1.html + "<p>mine</p>", base_version=1)
    assert ok.ok
    stale = cv.save_version(session=session, subject=subject, html=v1.html + "<p>other tab</p>", base_version=1)
    assert (stale.ok, stale.conflict, stale.version) == (False, True, 2)
    assert stale.theirs is not None and stale.theirs.version == 2 and "mine" in stale.theirs.html
    assert _count(session, subject) == 2


def test_identical_save_is_a_noop(session):
    subject = _run(session)
    v1 = cv.ensure_initial(session=session, subject=subject, markdown=MD)
    # What the browser sends back for an untouched page: the same HTML, newlines between blocks gone.
    r = cv.save_version(session=session, subject=subject, html=v1.html.replace("\n", ""), base_version=1)
    assert (r.ok, r.version, r.conflict) == (True, 1, False)
    assert _count(session, subject) == 1


def test_restore_appends_a_copy(session):
    subject = _run(session)
    v1 = cv.ensure_initial(session=session, subject=subject, markdown=MD)
    cv.save_version(session=session, subject=subject, html="<p>rewritten</p>", base_version=1)
    v3 = cv.restore_version(session=session, subject=subject, version=1, owner="local")
    assert (v3.version, v3.parent_version, v3.note) == (3, 2, "restored from v1")
    assert (v3.html, v3.markdown) == (v1.html, v1.markdown)
    assert [v.version for v in cv.list_versions(session=session, subject=subject, owner="local")] == [3, 2, 1]
    with pytest.raises(LookupError):
        cv.restore_version(session=session, subject=subject, version=9, owner="local")


def test_another_owners_subject_is_invisible(session):
    alice = _run(session, owner="alice")
    cv.ensure_initial(session=session, subject=alice, markdown=MD, owner="alice")
    for call in (
        lambda: cv.list_versions(session=session, subject=alice, owner="bob"),
        lambda: cv.get_version(session=session, subject=alice, version=1, owner="bob"),
        lambda: cv.save_version(session=session, subject=alice, html="<p>x</p>", base_version=1, owner="bob"),
        lambda: cv.restore_version(session=session, subject=alice, version=1, owner="bob"),
        lambda: cv.ensure_initial(session=session, subject=alice, markdown="x", owner="bob"),
    ):
        with pytest.raises(LookupError):
            call()
    assert _count(session, alice) == 1
    # A profile owned by someone else is just as invisible, even before it has versions.
    profile = Profile(owner="alice", name="Alice")
    session.add(profile)
    session.flush()
    with pytest.raises(LookupError):
        cv.ensure_initial(session=session, subject=f"profile:{profile.id}", markdown=MD, owner="bob")
    with pytest.raises(LookupError):
        cv.list_versions(session=session, subject="nonsense", owner="local")


def test_racing_save_becomes_a_conflict(session, monkeypatch):
    """Another writer takes version 2 between our read of the latest version and our insert."""
    subject = _run(session)
    v1 = cv.ensure_initial(session=session, subject=subject, markdown=MD)
    session.commit()
    real_latest = cv.latest
    raced = []

    def stale_latest(*, session, subject):
        row = real_latest(session=session, subject=subject)
        if not raced:  # the first read (the save's check) sees v1; then the other writer commits v2
            raced.append(True)
            with Session(session.get_bind()) as other:
                other.add(CvVersion(subject=subject, version=2, parent_version=1, html="<p>theirs</p>", markdown="theirs\n"))
                other.commit()
        return row

    monkeypatch.setattr(cv, "latest", stale_latest)
    r = cv.save_version(session=session, subject=subject, html=v1.html + "<p>mine</p>", base_version=1)
    assert (r.ok, r.conflict, r.version) == (False, True, 2)
    assert r.theirs is not None and r.theirs.html == "<p>theirs</p>"
    # Nothing duplicated, and the session is still usable: a save on the new base goes through.
    monkeypatch.setattr(cv, "latest", real_latest)
    r3 = cv.save_version(session=session, subject=subject, html="<p>merged</p>", base_version=2)
    assert r3.ok and r3.version == 3
    session.commit()
    assert [v.version for v in cv.list_versions(session=session, subject=subject, owner="local")] == [3, 2, 1]


def test_concurrent_saves_never_duplicate_a_version(session):
    subject = _run(session)
    cv.ensure_initial(session=session, subject=subject, markdown=MD)
    session.commit()
    engine = session.get_bind()
    results: list[cv.SaveResult] = []
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def save(n: int) -> None:
        try:
            with Session(engine, expire_on_commit=False) as s:
                start.wait()
                results.append(cv.save_version(session=s, subject=subject, html=f"<p>edit {n}</p>", base_version=1))
                s.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sum(r.ok for r in results) == 1 and sum(r.conflict for r in results) == 5
    assert all(r.theirs is not None and r.theirs.version == 2 for r in results if r.conflict)
    assert [v.version for v in cv.list_versions(session=session, subject=subject, owner="local")] == [2, 1]


def test_oversize_save_is_refused(session):
    subject = _run(session)
    cv.ensure_initial(session=session, subject=subject, markdown=MD)
    with pytest.raises(ValueError, match="too large"):
        cv.save_version(session=session, subject=subject, html="<p>" + "x" * 500_000 + "</p>", base_version=1)
    assert _count(session, subject) == 1


def test_letter_and_outreach_subjects_belong_to_the_run_owner(session):
    run_subject = _run(session, owner="ann")
    run_id = run_subject.split(":")[1]
    for subject in (f"letter:{run_id}", f"outreach:{run_id}"):
        assert cv.ensure_initial(session=session, subject=subject, markdown="Dear team,", owner="ann").version == 1
        with pytest.raises(LookupError):
            cv.list_versions(session=session, subject=subject, owner="bob")
    with pytest.raises(LookupError):
        cv.list_versions(session=session, subject=f"cover:{run_id}", owner="ann")


def test_server_written_versions_and_checks_round_trip_as_json(session):
    subject = _run(session)
    cv.ensure_initial(session=session, subject=subject, markdown=MD)
    fitted = cv.save_markdown_version(session=session, subject=subject, markdown=MD.replace("- Mentored 4 engineers\n", ""), base_version=1, note="fitted")
    assert fitted.ok and fitted.version == 2
    assert cv.save_markdown_version(session=session, subject=subject, markdown=MD, base_version=1).conflict
    plain = cv.save_markdown_version(session=session, subject=subject, markdown='{"note": "<b>x</b>"}', base_version=2, html="")
    assert plain.ok and cv.latest(session=session, subject=subject).html == ""
    report = {"coverage": 71, "found": ["Kafka", "Python"], "sections": [{"heading": "Experience", "recognised": True}]}
    cv.set_check(session=session, subject=subject, version=2, name="ats", result=report)
    cv.set_check(session=session, subject=subject, version=2, name="other", result={"ok": True})
    session.flush()
    session.expire_all()
    assert cv.get_version(session=session, subject=subject, version=2).checks == {"ats": report, "other": {"ok": True}}
    assert cv.get_version(session=session, subject=subject, version=3).checks == {}
