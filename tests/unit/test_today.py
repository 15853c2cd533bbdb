"""The Today panel's lines on a frozen clock in the browser's time zone, the state behind the panel
and the header's overdue pill, and the saved "follow up after N days" used by a status move."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from pipeline.llm import config
from pipeline.settings import settings
from pipeline.store.jobs import set_status
from pipeline.store.models import Job
from pipeline.store.today import follow_up_label, today_panel, zone_of
from pipeline.store.tracking import InterviewIn, add_interview, set_follow_up

NOW = datetime(2026, 11, 10, 23, 30, tzinfo=UTC)  # Tuesday 23:30 UTC: already Wednesday in Sydney


def _job(session, title: str, owner: str = "local", status: str = "applied") -> Job:
    job = Job(source="demo", external_id=title + owner, title=title, company="Acme", status=status, owner=owner)
    session.add(job)
    session.flush()
    return job


def test_follow_ups_and_interviews_follow_the_browsers_day(session):
    late, due, sydney_due = (_job(session, t) for t in ("Late", "Due", "Due in Sydney"))
    for job, day in ((late, date(2026, 11, 7)), (due, date(2026, 11, 10)), (sydney_due, date(2026, 11, 11))):
        set_follow_up(session=session, job_id=job.id, on=day)
    talk = _job(session, "Talk", status="interviewing")
    add_interview(session=session, job_id=talk.id, interview=InterviewIn(NOW + timedelta(days=1), kind="onsite", with_whom="Ana"))
    add_interview(session=session, job_id=talk.id, interview=InterviewIn(NOW + timedelta(days=9)))  # not this week

    utc = today_panel(session=session, now=NOW, zone="UTC")
    assert [(f.title, f.overdue, f.label) for f in utc.follow_ups] == [
        ("Late", True, "Overdue by 3 days (Sat 7 Nov)"), ("Due", False, "Due today")]
    assert utc.overdue == 1
    assert [(i.title, i.when, i.kind, i.with_whom) for i in utc.interviews] == [("Talk", "Wed 11 Nov, 23:30", "onsite", "Ana")]

    sydney = today_panel(session=session, now=NOW, zone="Australia/Sydney")  # 10:30 on Wednesday 11 Nov
    assert [(f.title, f.overdue) for f in sydney.follow_ups] == [("Late", True), ("Due", True), ("Due in Sydney", False)]
    assert sydney.overdue == 2 and sydney.zone == "Australia/Sydney"
    assert [i.when for i in sydney.interviews] == ["Thu 12 Nov, 10:30"]
    assert today_panel(session=session, now=NOW, zone="Not/AZone").zone == "UTC", "an unknown zone is UTC"


def test_labels_and_zones():
    assert follow_up_label(date(2026, 11, 9), date(2026, 11, 10)) == "Overdue by 1 day (Mon 9 Nov)"
    assert follow_up_label(date(2026, 11, 10), date(2026, 11, 10)) == "Due today"
    assert zone_of("") is UTC and zone_of("x" * 100) is UTC


def test_a_status_move_uses_the_owners_saved_follow_up_days(session, monkeypatch):
    monkeypatch.setattr(settings, "follow_up_days", 7)
    mine, theirs, never = _job(session, "Mine", status="ready"), _job(session, "Theirs", "user:2", "ready"), _job(session, "Never", "user:3", "ready")
    config.save({"run": {"follow_up_days": 3}}, session=session, owner="local")
    config.save({"run": {"follow_up_days": 0}}, session=session, owner="user:3")
    assert config.effective_settings("local", session=session).follow_up_days == 3
    assert config.effective_settings("local", session=session).sources["follow_up_days"] == "saved"
    set_status(session=session, job_ids=[mine.id], status="applied", key="k1")
    set_status(session=session, job_ids=[theirs.id], status="applied", key="k2", owner="user:2")
    set_status(session=session, job_ids=[never.id], status="applied", key="k3", owner="user:3")
    assert mine.applied_at is not None and mine.follow_up_on == (mine.applied_at + timedelta(days=3)).date()
    assert theirs.applied_at is not None and theirs.follow_up_on == (theirs.applied_at + timedelta(days=7)).date(), "nothing saved: FOLLOW_UP_DAYS"
    assert never.follow_up_on is None, "0: no follow-up day"
    with pytest.raises(config.SettingsError):
        config.save({"run": {"follow_up_days": -1}}, session=session, owner="local")


def test_the_panel_state_marks_a_follow_up_done_and_the_header_count_drops(default_store, monkeypatch):
    from reflex.state import State

    import jobapp.jobapp  # noqa: F401 - the app and every state class
    import jobapp.state.base as base
    from jobapp.state.today import TodayState
    from pipeline.accounts.auth import SignedIn
    from pipeline.store.db import session_scope

    monkeypatch.setattr(base, "require_signed_in", lambda state: SignedIn(owner="local", mode="local"))
    today = datetime.now(UTC).date()
    with session_scope() as s:
        late, due = _job(s, "Late"), _job(s, "Due")
        set_follow_up(session=s, job_id=late.id, on=today - timedelta(days=2))
        set_follow_up(session=s, job_id=due.id, on=today)
        late_id = late.id
    root = State(_reflex_internal_init=True)
    state = root.get_substate(TodayState.get_full_name().split(".")[1:])

    async def go():
        await state.set_zone("UTC")
        assert [f.title for f in state.follow_ups] == ["Late", "Due"] and state.overdue == 1 and state.due_count == 2
        events = await state.mark_done(late_id)
        assert "refresh" in str(events[1])
        assert [f.title for f in state.follow_ups] == ["Due"] and state.overdue == 0
        assert "open" in str(state.open_job(late_id)) and not state.shown

    asyncio.run(go())


def test_the_settings_form_saves_follow_up_days_and_the_feed_url_is_absolute_and_shown_once(default_store, monkeypatch):
    from reflex.state import State

    import jobapp.jobapp  # noqa: F401 - the app and every state class
    import jobapp.state.base as base
    from jobapp.state.settings_panel import SettingsState
    from jobapp.state.settings_panel_calendar import feed_url
    from jobapp.state.settings_panel_views import form_of, settings_data
    from pipeline.accounts.auth import SignedIn
    from pipeline.store.calendar_feed import feed_owner

    data = settings_data({"follow_up_days": "5"})
    assert data["run"]["follow_up_days"] == 5 and form_of(config.validate(data))["follow_up_days"] == "5"
    assert settings_data({"follow_up_days": ""})["run"]["follow_up_days"] is None
    with pytest.raises(config.SettingsError, match="Follow up after"):
        settings_data({"follow_up_days": "soon"})
    assert feed_url("https://jobs.example.org:8443/", "jcal_abc") == "https://jobs.example.org:8443/calendar/jcal_abc.ics"
    assert feed_url("javascript:alert(1)", "jcal_abc") == "" and feed_url("http://x/y", "jcal_abc") == ""

    monkeypatch.setattr(base, "require_signed_in", lambda state: SignedIn(owner="local", mode="local"))
    root = State(_reflex_internal_init=True)
    state = root.get_substate(SettingsState.get_full_name().split(".")[1:])

    async def go():
        await state.set_shown(True)
        assert not state.feed_active and state.feed_url == ""
        await state.create_feed("not an origin")
        assert state.feed_url == "" and "could not be read" in state.calendar_note
        await state.create_feed("http://127.0.0.1:3000")
        url = state.feed_url
        assert url.startswith("http://127.0.0.1:3000/calendar/jcal_") and url.endswith(".ics") and state.feed_active
        from pipeline.store.db import session_scope

        with session_scope() as s:
            assert feed_owner(session=s, token=url.rsplit("/", 1)[1].removesuffix(".ics")) == "local"
        await state.set_shown(False)
        assert state.feed_url == "", "the secret is shown once"
        await state.set_shown(True)
        assert state.feed_active and state.feed_url == ""
        await state.revoke_feed()
        assert not state.feed_active and "revoked" in state.calendar_note

    asyncio.run(go())
