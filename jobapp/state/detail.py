"""The inspector: the focused job's posting, status, notes and history."""

from __future__ import annotations

import dataclasses

import reflex as rx
from sqlmodel import Session

from jobapp.state.base import AppState, in_session
from pipeline.render.markdown import render_markdown
from pipeline.runs.results import latest_result
from pipeline.store.jobs import add_note, get_job, job_history, new_key, set_status
from pipeline.store.models import JOB_STATUSES


@dataclasses.dataclass
class HistoryItem:
    id: int = 0
    kind: str = ""
    message: str = ""
    when: str = ""


@dataclasses.dataclass
class Bar:
    label: str = ""
    value: int = 0


@dataclasses.dataclass
class Pain:
    title: str = ""
    detail: str = ""
    evidence: str = ""


@dataclasses.dataclass
class Person:
    role: str = ""
    name: str = ""
    source: str = ""
    placeholder: bool = True
    search_url: str = ""


@dataclasses.dataclass
class ArtifactLink:
    name: str = ""
    url: str = ""


@dataclasses.dataclass
class RunResult:
    run_id: int = 0
    fit_score: int = 0
    rationale: str = ""
    bars: list[Bar] = dataclasses.field(default_factory=list)
    matched: list[str] = dataclasses.field(default_factory=list)
    missing: list[str] = dataclasses.field(default_factory=list)
    pains: list[Pain] = dataclasses.field(default_factory=list)
    people: list[Person] = dataclasses.field(default_factory=list)
    linkedin_note: str = ""
    email_subject: str = ""
    email_body: str = ""
    artifacts: list[ArtifactLink] = dataclasses.field(default_factory=list)
    model: str = ""
    cost: str = ""
    untraceable: list[str] = dataclasses.field(default_factory=list)


def _result_view(r: dict) -> RunResult:
    b = r.get("fit_breakdown") or {}
    labels = {"must_have": "Must-have skills", "nice_to_have": "Nice-to-have", "seniority": "Seniority", "title": "Title"}
    return RunResult(
        run_id=r["run_id"], fit_score=int(r.get("fit_score", 0)), rationale=r.get("fit_rationale", ""),
        bars=[Bar(label=labels[k], value=int(round(b.get(k, 0)))) for k in labels],
        matched=list(r.get("matched_skills", [])), missing=list(r.get("missing_skills", [])),
        pains=[Pain(title=p.get("title", ""), detail=p.get("detail", ""), evidence=p.get("evidence", "")) for p in r.get("pain_points", [])],
        people=[Person(role=c.get("role", ""), name=c.get("name") or "", source=c.get("source", ""), placeholder=bool(c.get("is_placeholder", True)),
                       search_url=c.get("search_url") or "") for c in r.get("contacts", [])],
        linkedin_note=(r.get("outreach") or {}).get("linkedin_note", ""), email_subject=(r.get("outreach") or {}).get("email_subject", ""),
        email_body=(r.get("outreach") or {}).get("email_body", ""),
        artifacts=[ArtifactLink(name=n, url=f"/files/runs/{r['run_id']}/artifacts/{n}") for n in r.get("artifact_names", [])],
        model=r.get("model", ""), cost=f"${r.get('cost_usd', 0):.4f}", untraceable=list(r.get("untraceable_lines", [])),
    )


@dataclasses.dataclass
class JobDetail:
    id: int = 0
    title: str = ""
    company: str = ""
    location: str = ""
    url: str = ""
    posting_html: str = ""
    status: str = ""
    source: str = ""
    external_id: str = ""
    fit_score: int | None = None
    tags: list[str] = dataclasses.field(default_factory=list)
    duplicate_of: int | None = None
    created_at: str = ""
    updated_at: str = ""


def _load_detail(*, session: Session, job_id: int, owner: str) -> tuple[JobDetail, list[HistoryItem], RunResult | None] | None:
    job = get_job(session=session, job_id=job_id, owner=owner)
    if job is None:
        return None
    detail = JobDetail(
        id=job.id, title=job.title, company=job.company, location=job.location, url=job.url,
        posting_html=render_markdown(job.description), status=job.status, source=job.source, external_id=job.external_id,
        fit_score=job.fit_score, tags=list(job.tags or []), duplicate_of=job.duplicate_of,
        created_at=job.created_at.strftime("%Y-%m-%d %H:%M"), updated_at=job.updated_at.strftime("%Y-%m-%d %H:%M"),
    )
    history = [
        HistoryItem(id=e.id, kind=e.kind, message=e.message, when=e.created_at.strftime("%Y-%m-%d %H:%M:%S"))
        for e in job_history(session=session, job_id=job_id)
    ]
    result = latest_result(session=session, job_id=job_id, owner=owner)
    return detail, history, _result_view(result) if result else None


class DetailState(AppState):
    job_id: int = 0
    job: JobDetail = JobDetail()
    history: list[HistoryItem] = []
    note_draft: str = ""
    result: RunResult = RunResult()
    has_result: bool = False
    tab: str = "detail"
    dossier: str = ""

    @rx.var
    def has_job(self) -> bool:
        return self.job_id > 0

    @rx.event
    async def open(self, job_id: int):
        from jobapp.state.profile import ProfileState

        (await self.get_state(ProfileState)).shown = False  # a job takes the inspector back from the profile
        self.job_id = job_id
        self.note_draft = ""
        await self._refresh()
        if not self.has_result:
            self.tab = "detail"
        return self._tab_event()

    @rx.event
    async def set_tab(self, tab: str):
        self.tab = tab if tab in ("detail", "cv", "dossier") and (tab == "detail" or self.has_result) else "detail"
        return self._tab_event()

    def _tab_event(self):
        from jobapp.state.editor import EditorState

        if self.tab == "cv":
            return EditorState.open(self.result.run_id)
        if self.tab == "dossier":
            return DetailState.load_dossier
        return None

    @rx.event
    async def load_dossier(self):
        from pipeline.runs.documents import dossier_html

        self.dossier = await in_session(dossier_html, run_id=self.result.run_id, owner=self._owner()) or "<p>No dossier for this run.</p>"

    @rx.event
    def close(self):
        self.job_id = 0

    @rx.event
    async def refresh(self):
        if self.job_id:
            await self._refresh()

    async def _refresh(self):
        loaded = await in_session(_load_detail, job_id=self.job_id, owner=self._owner())
        if loaded is None:
            self.job_id = 0
            return
        self.job, self.history, result = loaded
        self.has_result = result is not None
        self.result = result or RunResult()

    @rx.event
    def set_note_draft(self, value: str):
        self.note_draft = value

    @rx.event
    async def submit_note(self):
        if not self.job_id:
            return
        try:
            await in_session(add_note, job_id=self.job_id, text=self.note_draft, key=new_key(), owner=self._owner())
        except (ValueError, LookupError) as exc:
            return rx.toast.error(str(exc))
        self.note_draft = ""
        await self._refresh()
        return [rx.toast.success("Note added."), _reload_table()]

    @rx.event
    async def change_status(self, status: str):
        if not self.job_id or status not in JOB_STATUSES:
            return
        from jobapp.state.jobs import JobsState

        if status == "archived":
            return JobsState.set_row_status(self.job_id, status)
        await in_session(set_status, job_ids=[self.job_id], status=status, key=new_key(), owner=self._owner())
        await self._refresh()
        return [rx.toast.success(f"Status set to {status}."), _reload_table()]


def _reload_table():
    from jobapp.state.jobs import JobsState

    return JobsState.load
