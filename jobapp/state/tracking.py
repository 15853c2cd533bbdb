"""The detail panel after applying: applied date, follow-up day, interviews, what was sent, and
contradictions with CVs sent to the same company.

Why its own state: DetailState is the posting and its run; these are the application's own
facts, read in one short transaction (pipeline.store.tracking.job_tracking) whenever the
inspector opens or refreshes a job. Times are stored in UTC and shown in the browser's zone,
read once from `Intl` into `zone`."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import reflex as rx

from jobapp import routes
from jobapp.state import handoffs
from jobapp.state.base import AppState, in_session
from pipeline.render.templates import DEFAULT_PAGE_SIZE, DEFAULT_TEMPLATE
from pipeline.store import tracking as store
from pipeline.store.jobs import new_key

BROWSER_ZONE = "Intl.DateTimeFormat().resolvedOptions().timeZone"


@dataclasses.dataclass
class InterviewRow:
    id: int = 0
    when: str = ""  # in the browser's zone, e.g. "Mon 7 Dec 2026, 14:30"
    day: str = ""  # the form's values when editing
    clock: str = ""
    minutes: int = 60
    kind: str = ""
    location: str = ""
    with_whom: str = ""
    notes: str = ""
    ics: str = ""


@dataclasses.dataclass
class SentLink:
    label: str = ""  # "CV v3 (PDF)"
    url: str = ""


def _local(dt: datetime | None, zone: str) -> datetime | None:
    if dt is None:
        return None
    aware = dt if dt.tzinfo else dt.replace(tzinfo=store.UTC)  # SQLite hands back naive UTC
    return aware.astimezone(store.zone_or_utc(zone))


def _interview_row(iv, zone: str) -> InterviewRow:
    at = _local(iv.starts_at, zone) or datetime.min
    return InterviewRow(
        id=iv.id or 0, when=f"{at:%a} {at.day} {at:%b %Y, %H:%M}", day=at.date().isoformat(), clock=f"{at:%H:%M}", minutes=iv.minutes,
        kind=iv.kind, location=iv.location, with_whom=iv.with_whom, notes=iv.notes, ics=routes.interview_ics(iv.id or 0),
    )  # fmt: skip


def _sent_link(s) -> SentLink:
    """One sent document as the exact file that went out (its version, in the layout it had)."""
    fmt = (s.format or "pdf").upper()
    layout = s.layout or {}
    page_size = layout.get("page_size") or DEFAULT_PAGE_SIZE
    if s.document == "cv":
        url = routes.cv_pdf(s.run_id, layout.get("template") or DEFAULT_TEMPLATE, page_size, bool(layout.get("ats_safe")), version=s.version)
        return SentLink(f"CV v{s.version} ({fmt})", url)
    return SentLink(f"letter v{s.version} ({fmt})", routes.letter_pdf(s.run_id, page_size, version=s.version))


class TrackingState(AppState):
    job_id: int = 0
    zone: str = ""  # the browser's IANA zone ("" until it answered)
    applied_on: str = ""
    follow_up_on: str = ""  # YYYY-MM-DD, the date input's value
    interviews: list[InterviewRow] = []
    sent_summary: str = ""  # "Sent: CV v3 (PDF), letter v2 (PDF) on 2026-12-05"
    sent_links: list[SentLink] = []
    contradictions: list[str] = []
    error: str = ""
    form_open: bool = False
    form_id: int = 0  # 0: a new interview
    form_key: int = 0  # bumped to give the uncontrolled form fresh default values
    form: InterviewRow = InterviewRow()
    deleting: int = 0  # the interview whose deletion waits for a "Yes"

    @rx.event
    async def load(self, job_id: int):
        """Read the job's application facts (the inspector calls this on open and refresh)."""
        if job_id != self.job_id:
            self.form_open, self.error = False, ""
        self.job_id = job_id
        await self._read()
        if not self.zone:
            return rx.call_script(BROWSER_ZONE, callback=TrackingState.set_zone)
        return None

    @rx.event
    async def set_zone(self, zone: str):
        """The browser's zone, once; times are re-shown in it."""
        self.zone = zone if isinstance(zone, str) and store.zone_or_utc(zone) is not store.UTC else "UTC"
        await self._read()

    async def _read(self) -> None:
        if not self.job_id:
            return
        found = await in_session(store.job_tracking, job_id=self.job_id, owner=self._owner())
        if found is None:
            self.job_id = 0
            return
        job, zone = found.job, self.zone or "UTC"
        applied = _local(job.applied_at, zone)
        self.applied_on = applied.date().isoformat() if applied else ""
        self.follow_up_on = job.follow_up_on.isoformat() if job.follow_up_on else ""
        self.interviews = [_interview_row(iv, zone) for iv in found.interviews]
        newest = [s for s in found.sent if s.sent_at == found.sent[0].sent_at] if found.sent else []
        newest.sort(key=lambda s: s.document != "cv")  # the CV first, then the letter
        self.sent_links = [_sent_link(s) for s in newest]
        when = _local(newest[0].sent_at, zone) if newest else None
        self.sent_summary = f"Sent: {', '.join(link.label for link in self.sent_links)} on {when:%Y-%m-%d}" if when else ""
        self.contradictions = [
            f"Differs from the CV sent to {c.company} for {c.title} on {_local(c.sent_at, zone):%Y-%m-%d}: {f.why}"
            for c in found.contradictions for f in c.flags
        ]  # fmt: skip

    # ------------------------------------------------------------ follow-up

    @rx.event
    async def set_follow_up(self, value: str):
        """Save the follow-up day as soon as the date input holds a whole date (or none)."""
        try:
            day = date.fromisoformat(value) if value else None
        except ValueError:
            return None  # the browser is mid-typing; it sends a whole date or ""
        if day is not None and day.year < 2000:
            return None  # a year still being typed ("0202"): wait for the whole year
        return await self._follow_up(day, "Follow-up set." if day else "Follow-up cleared.")

    @rx.event
    async def clear_follow_up(self):
        return await self._follow_up(None, "Follow-up cleared.")

    @rx.event
    async def follow_up_done(self):
        """Followed up: the day is cleared and the history notes it."""
        if not self.job_id:
            return None
        try:
            await in_session(store.follow_up_done, job_id=self.job_id, key=new_key(), owner=self._owner())
        except (LookupError, ValueError) as exc:
            return rx.toast.error(str(exc))
        await self._read()
        await handoffs.refresh_today(self)  # the Today panel and the header's overdue count
        return [rx.toast.success("Marked as followed up."), handoffs.refresh_detail(), handoffs.reload_table()]

    async def _follow_up(self, day: date | None, done: str):
        if not self.job_id:
            return None
        try:
            await in_session(store.set_follow_up, job_id=self.job_id, on=day, owner=self._owner())
        except LookupError:
            return rx.toast.error("This job is no longer there; reload the page.")
        await self._read()
        await handoffs.refresh_today(self)  # the Today panel and the header's overdue count
        return [rx.toast.success(done), handoffs.reload_table()]

    # ------------------------------------------------------------ interviews

    @rx.event
    def new_interview(self):
        self._open_form(InterviewRow(kind="video"), 0)

    @rx.event
    def edit_interview(self, interview_id: int):
        row = next((iv for iv in self.interviews if iv.id == interview_id), None)
        if row is not None:
            self._open_form(row, interview_id)

    def _open_form(self, row: InterviewRow, interview_id: int) -> None:
        self.form, self.form_id, self.form_open, self.error = row, interview_id, True, ""
        self.form_key += 1

    @rx.event
    def cancel_interview(self):
        self.form_open, self.error = False, ""

    @rx.event
    async def save_interview(self, form: dict):
        """Add or change an interview from the form (date and time in the browser's zone)."""
        if not self.job_id:
            return None
        try:
            minutes = int(str(form.get("minutes") or "60").strip())
        except ValueError:
            minutes = 0
        try:
            data = store.InterviewIn(
                starts_at=store.local_start(form.get("day", ""), form.get("clock", ""), self.zone), minutes=minutes,
                kind=form.get("kind") or "video", location=form.get("location", ""), with_whom=form.get("with_whom", ""),
                notes=form.get("notes", ""),
            ).checked()  # fmt: skip
            if self.form_id:
                await in_session(store.update_interview, interview_id=self.form_id, interview=data, owner=self._owner())
            else:
                await in_session(store.add_interview, job_id=self.job_id, interview=data, owner=self._owner())
        except (ValueError, LookupError) as exc:
            self.error = str(exc)
            return None
        self.form_open, self.error = False, ""
        await self._read()
        await handoffs.refresh_today(self)  # the Today panel and the header's overdue count
        return [rx.toast.success("Interview saved."), handoffs.refresh_detail(), handoffs.reload_table()]

    @rx.event
    def ask_delete(self, interview_id: int):
        """Deleting asks once, inline (an interview's notes are not kept anywhere else)."""
        self.deleting = interview_id

    @rx.event
    def keep_interview(self):
        self.deleting = 0

    @rx.event
    async def delete_interview(self, interview_id: int):
        self.deleting = 0
        try:
            await in_session(store.delete_interview, interview_id=interview_id, owner=self._owner())
        except LookupError:
            return rx.toast.error("That interview is already gone.")
        if self.form_id == interview_id:
            self.form_open = False
        await self._read()
        await handoffs.refresh_today(self)  # the Today panel and the header's overdue count
        return [rx.toast.success("Interview deleted."), handoffs.reload_table()]
