"""Interviews and follow-ups as iCalendar (RFC 5545), with the `icalendar` library.

One interview is an `.ics` file the user opens in any calendar; the private feed carries all
upcoming interviews (timed events in UTC, with a reminder an hour before) and follow-ups (all-day
events on the day). UIDs are stable, so a calendar that re-reads the feed updates an event
instead of adding a copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from pipeline.store.models import Interview, Job

PRODID = "-//jobapp//application tracker//EN"
KIND_WORDS = {"phone": "Phone", "video": "Video", "onsite": "On-site", "technical": "Technical", "panel": "Panel", "final": "Final", "other": ""}


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _where(job: Job) -> str:
    return " at ".join(x for x in (job.title, job.company) if x)


def interview_event(interview: Interview, job: Job, *, stamp: datetime) -> Event:
    kind = KIND_WORDS.get(interview.kind, "")
    event = Event()
    event.add("uid", f"interview-{interview.id}@jobapp")
    event.add("dtstamp", stamp)
    event.add("dtstart", interview.starts_at)
    event.add("dtend", interview.starts_at + timedelta(minutes=interview.minutes))
    event.add("summary", f"{kind + ' interview' if kind else 'Interview'}: {_where(job)}")
    if interview.location:
        event.add("location", interview.location)
    details = [f"With: {interview.with_whom}" if interview.with_whom else "", interview.notes, job.url]
    if any(details):
        event.add("description", "\n\n".join(d for d in details if d))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", event["summary"])
    alarm.add("trigger", timedelta(hours=-1))
    event.add_component(alarm)
    return event


def follow_up_event(job: Job, day: date, *, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"follow-up-{job.id}@jobapp")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", f"Follow up: {_where(job)}")
    if job.url:
        event.add("description", job.url)
    event.add("transp", "TRANSPARENT")  # a reminder, not busy time
    return event


def interview_ics(interview: Interview, job: Job, *, stamp: datetime) -> bytes:
    cal = _calendar(f"Interview: {_where(job)}")
    cal.add_component(interview_event(interview, job, stamp=stamp))
    return cal.to_ical()


def feed_ics(interviews: Iterable[tuple[Interview, Job]], follow_ups: Iterable[Job], *, stamp: datetime) -> bytes:
    cal = _calendar("jobapp: interviews and follow-ups")
    for interview, job in interviews:
        cal.add_component(interview_event(interview, job, stamp=stamp))
    for job in follow_ups:
        if job.follow_up_on is not None:
            cal.add_component(follow_up_event(job, job.follow_up_on, stamp=stamp))
    return cal.to_ical()
