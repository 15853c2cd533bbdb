"""The inspector's Application part driven in-process: the browser's zone, an interview typed in
local time and stored in UTC (the job moves to interviewing), the follow-up day, plain-word
errors, and what was sent with links to exactly those versions."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from pipeline.store.db import session_scope
from pipeline.store.models import Artifact, Job, Run, utcnow
from tests.unit.test_page_states import sub

CV = "# Sam Coder\n\n## Experience\n\n### Senior Engineer — Acme Pay\n\n*Berlin · 2019 – 2023*\n\n- Cut the AWS bill by 31%.\n"


@pytest.fixture
def root(default_store, monkeypatch):
    from reflex.state import State

    import jobapp.jobapp  # noqa: F401 - the app and every state class
    import jobapp.state.base as base
    from pipeline.accounts.auth import SignedIn

    monkeypatch.setattr(base, "require_signed_in", lambda state: SignedIn(owner="local", mode="local"))
    return State(_reflex_internal_init=True)


def _job(tmp_path, title: str, cv: str = CV) -> int:
    folder = tmp_path / title
    folder.mkdir()
    with session_scope() as s:
        job = Job(source="demo", external_id=title, title=title, company="Acme Pay", company_norm="acme pay", status="ready")
        s.add(job)
        s.flush()
        run = Run(job_id=job.id, status="succeeded", out_dir=str(folder), finished_at=utcnow())
        s.add(run)
        s.flush()
        for name, text in {"CV.md": cv, "cover_letter.md": "Dear Acme,\n\nHello.\n"}.items():
            (folder / name).write_text(text, encoding="utf-8")
            s.add(Artifact(run_id=run.id, name=name, path=str(folder / name), size=1))
        job.last_run_id = run.id
        return job.id


def test_interviews_follow_up_and_what_was_sent_in_the_panel(root, tmp_path, monkeypatch):
    from jobapp.state.detail import DetailState
    from jobapp.state.today import TodayState
    from jobapp.state.tracking import TrackingState
    from pipeline.store.tracking import interviews_of

    tracking, detail = sub(root, TrackingState), sub(root, DetailState)
    reloads: list[int] = []

    async def counted(self) -> None:
        reloads.append(1)

    monkeypatch.setattr(TodayState, "_load", counted)
    sub(root, TodayState).loaded = True  # the page showed the Today panel
    first, second = _job(tmp_path, "Backend Engineer"), _job(tmp_path, "Platform Engineer", CV.replace("Senior", "Lead"))

    async def go():
        events = await detail.open(first)
        assert any("load" in str(e) for e in events), "opening a job loads its application part"
        script = await tracking.load(first)
        assert "resolvedOptions" in str(script), "the browser's zone is asked once"
        await tracking.set_zone("Europe/Berlin")
        assert tracking.zone == "Europe/Berlin" and tracking.applied_on == "" and tracking.sent_summary == ""
        await tracking.set_zone("Not/AZone")
        assert tracking.zone == "UTC"
        await tracking.set_zone("Europe/Berlin")

        await detail.change_status("applied")
        await tracking.load(first)
        assert tracking.applied_on and tracking.follow_up_on, "applying sets a follow-up day"
        assert tracking.sent_summary.startswith("Sent: CV v1 (PDF), letter v1 (PDF) on ")
        assert [link.url.split("?")[0].rsplit("/", 1)[1] for link in tracking.sent_links] == ["cv.pdf", "letter.pdf"]
        assert all("version=1" in link.url for link in tracking.sent_links)

        await tracking.set_follow_up("2026-12-20")
        assert tracking.follow_up_on == "2026-12-20"
        await tracking.set_follow_up("2026-1")  # mid-typing: ignored
        await tracking.set_follow_up("0202-12-20")  # a year half typed: ignored
        assert tracking.follow_up_on == "2026-12-20"
        await tracking.follow_up_done()
        assert tracking.follow_up_on == ""

        tracking.new_interview()
        assert tracking.form_open and tracking.form_id == 0
        await tracking.save_interview({"day": "", "clock": "14:30"})
        assert tracking.error == "Pick the interview's date." and tracking.form_open
        await tracking.save_interview({"day": "2026-12-07", "clock": "14:30", "minutes": "2", "kind": "video"})
        assert "between 5 minutes" in tracking.error
        events = await tracking.save_interview({"day": "2026-12-07", "clock": "14:30", "minutes": "45", "kind": "onsite",
                                                "location": "Berlin office", "with_whom": "Kim", "notes": ""})  # fmt: skip
        assert not tracking.form_open and tracking.error == "" and any("refresh" in str(e) for e in events)
        assert len(reloads) == 4, "applying, the follow-up set and done, and the interview each refresh the Today panel"
        [row] = tracking.interviews
        assert (row.when, row.day, row.clock, row.kind, row.minutes) == ("Mon 7 Dec 2026, 14:30", "2026-12-07", "14:30", "onsite", 45)
        assert row.ics == f"/files/interviews/{row.id}/interview.ics"
        with session_scope() as s:
            [stored] = interviews_of(session=s, job_id=first)
            assert stored.starts_at.replace(tzinfo=UTC) == datetime(2026, 12, 7, 13, 30, tzinfo=UTC), "stored in UTC"
        await detail.refresh()
        assert detail.job.status == "interviewing"

        tracking.edit_interview(row.id)
        assert tracking.form_id == row.id and tracking.form.clock == "14:30"
        await tracking.save_interview({"day": "2026-12-08", "clock": "09:00", "minutes": "60", "kind": "video"})
        assert tracking.interviews[0].day == "2026-12-08"
        tracking.ask_delete(row.id)
        assert tracking.deleting == row.id and tracking.interviews, "asked first"
        tracking.keep_interview()
        assert tracking.deleting == 0
        await tracking.delete_interview(row.id)
        assert tracking.interviews == [] and tracking.deleting == 0
        assert "gone" in str(await tracking.delete_interview(row.id))

        await tracking.load(second)
        assert tracking.contradictions and tracking.contradictions[0].startswith("Differs from the CV sent to Acme Pay for Backend Engineer on ")
        assert 'Says "Lead Engineer" where the CV you sent says "Senior Engineer"' in tracking.contradictions[0]

    asyncio.run(go())
