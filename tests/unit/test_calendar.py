"""Interviews and follow-ups in calendars: one interview's .ics, the private feed (revocable
token), both parsed back with the icalendar library; owner checks on the routes; the feed
token never reaches a log line."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from pipeline.redact import redact
from pipeline.store.calendar_feed import feed_calendar, feed_owner, has_feed, new_feed, revoke_feed
from pipeline.store.db import session_scope
from pipeline.store.models import Job, user_owner
from pipeline.store.tracking import InterviewIn, add_interview, set_follow_up

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _events(data: bytes) -> list:
    cal = Calendar.from_ical(data)
    assert cal["VERSION"] == "2.0" and "jobapp" in str(cal["PRODID"])
    return list(cal.walk("VEVENT"))


def _seed(session, owner: str = "local") -> tuple[Job, int]:
    job = Job(source="demo", external_id="c" + owner, title="Data Engineer", company="Acme", url="https://acme.example/jobs/1", owner=owner)
    session.add(job)
    session.flush()
    iv = add_interview(session=session, job_id=job.id, owner=owner,
                       interview=InterviewIn(NOW + timedelta(days=2), 45, "video", "https://meet.example/abc", "Ana, recruiter", "Ask about on-call"))
    follow = Job(source="demo", external_id="f" + owner, title="Analyst", company="Beta", owner=owner)
    session.add(follow)
    session.flush()
    set_follow_up(session=session, job_id=follow.id, on=date(2026, 12, 3), owner=owner)
    return job, iv.id


def test_the_feed_has_interviews_and_follow_ups_and_a_revoked_token_opens_nothing(session):
    _seed(session)
    _seed(session, owner=user_owner(3))
    token = new_feed(session=session, owner="local")
    assert token.startswith("jcal_") and len(token) > 40 and feed_owner(session=session, token=token) == "local"
    events = _events(feed_calendar(session=session, token=token, now=NOW))
    by_uid = {str(e["UID"]): e for e in events}
    assert sorted(u.split("-")[0] for u in by_uid) == ["follow", "interview"], "only this owner's interview and follow-up"
    assert all(u.endswith("@jobapp") for u in by_uid)
    interview = next(e for u, e in by_uid.items() if u.startswith("interview"))
    assert interview.decoded("DTSTART") == NOW + timedelta(days=2) and interview.decoded("DTEND") == NOW + timedelta(days=2, minutes=45)
    assert str(interview["SUMMARY"]) == "Video interview: Data Engineer at Acme" and str(interview["LOCATION"]) == "https://meet.example/abc"
    assert "Ana, recruiter" in str(interview["DESCRIPTION"]) and list(interview.walk("VALARM"))
    follow = next(e for u, e in by_uid.items() if u.startswith("follow-up"))
    assert follow.decoded("DTSTART") == date(2026, 12, 3) and str(follow["SUMMARY"]) == "Follow up: Analyst at Beta"
    second = new_feed(session=session, owner="local")
    assert feed_calendar(session=session, token=token, now=NOW) is None, "a new token replaces the old one"
    assert has_feed(session=session, owner="local") and revoke_feed(session=session, owner="local") == 1
    assert feed_calendar(session=session, token=second, now=NOW) is None and not has_feed(session=session, owner="local")
    for bad in ("", "jcal_", "jat_" + second[5:], second + "x", "jcal_" + "a" * 300):
        assert feed_owner(session=session, token=bad) is None
    assert "jcal_***" in redact(f"GET /calendar/{second}.ics") and second not in redact(f"GET /calendar/{second}.ics")




def test_the_routes_serve_the_owner_only(page_client):
    from jobapp import routes

    with session_scope() as s:
        _, iv = _seed(s)
        _, theirs = _seed(s, owner=user_owner(3))
        token = new_feed(session=s, owner="local")
    r = page_client.get(routes.interview_ics(iv))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    assert 'filename="interview-' in r.headers["content-disposition"] and len(_events(r.content)) == 1
    assert page_client.get(routes.interview_ics(theirs)).status_code == 404, "another owner's interview"
    assert page_client.get(routes.interview_ics(999999)).status_code == 404
    page_client.cookies.clear()
    r = page_client.get(routes.calendar_feed(token))
    assert r.status_code == 200 and len(_events(r.content)) >= 2 and r.headers["cache-control"] == "private, no-store"
    assert page_client.get(routes.calendar_feed(token[:-1] + ("A" if token[-1] != "A" else "B"))).status_code == 404
    assert page_client.get("/calendar/..%2f..%2fetc%2fpasswd.ics").status_code == 404
