"""A job's writing language (Job.language): stored with an event, carried into the run, set on
intake.language for the offline analyst and the model, and named in the model's prompts.

The store tests take `session`, so tests/integration/on_postgres/ runs them on PostgreSQL too."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from alembic import command
from sqlmodel import Session, select

from pipeline.llm import prompts
from pipeline.llm.base import Usage
from pipeline.llm.openai_analyst import LLMAnalyst
from pipeline.runs.checkpoint import open_checkpointer
from pipeline.runs.events import MemorySink
from pipeline.runs.runner import execute_run
from pipeline.store.db import alembic_config, get_engine, migrate, session_scope
from pipeline.store.jobs import JobQuery, list_jobs, posting_language, set_job_language
from pipeline.store.models import WRITING_LANGUAGES, Job, JobEvent, Profile, utcnow
from pipeline.store.runs import create_run
from tests.support.fake_openai import FakeOpenAI, canned_layer_reply
from tests.unit.test_api import call, make_app, store  # noqa: F401 - the API's store with two owners and their tokens
from tests.unit.test_page_states import root, sub  # noqa: F401 - the page's states on the demo data

ENGLISH = (
    "Kestrel Freight is hiring a Data Engineer to build our data platform. You will work with the analytics team "
    "and own our pipelines.\nRequirements:\n- Python and SQL\n- 3 years of data engineering\n- Experience with Airflow\n"
)
GERMAN = (
    "Die Kestrel Fracht GmbH sucht einen Data Engineer für unsere Datenplattform. Du arbeitest mit dem Analytics-Team "
    "und bist für unsere Pipelines verantwortlich.\nAnforderungen:\n- Python und SQL\n- 3 Jahre Erfahrung im Data Engineering\n"
)
CV = "# Jane Doe\n\n## Experience\n\n- Built data pipelines in Python and SQL processing 2 TB a day.\n- Ran Airflow for 3 years.\n"


def add_job(session: Session, language: str = "", owner: str = "local", description: str = ENGLISH) -> Job:
    job = Job(source="paste", external_id=f"lang-{language}-{owner}", title="Data Engineer", company="Kestrel Freight",
              description=description, language=language, owner=owner)
    session.add(job)
    session.flush()
    return job


# ------------------------------------------------------------------ store


def test_a_new_job_writes_in_the_postings_language(session: Session) -> None:
    assert add_job(session).language == ""


def test_setting_the_language_records_an_event(session: Session) -> None:
    job = add_job(session)
    assert set_job_language(session=session, job_id=job.id, language="de") == "de"
    assert session.get(Job, job.id).language == "de"
    events = session.exec(select(JobEvent).where(JobEvent.job_id == job.id)).all()
    assert [(e.kind, e.message, e.data) for e in events] == [
        ("updated", "Writing language set to Deutsch (de)", {"field": "language", "from": "", "to": "de"})
    ]

    assert set_job_language(session=session, job_id=job.id, language=" DE ") == "de"  # the same value again: no event
    assert set_job_language(session=session, job_id=job.id, language="") == ""
    events = session.exec(select(JobEvent).where(JobEvent.job_id == job.id).order_by(JobEvent.id)).all()
    assert [e.message for e in events] == ["Writing language set to Deutsch (de)", "Writing language set to the posting's language"]
    assert session.get(Job, job.id).language == ""


@pytest.mark.parametrize("code", sorted(WRITING_LANGUAGES))
def test_every_supported_language_is_stored(session: Session, code: str) -> None:
    job = add_job(session)
    assert set_job_language(session=session, job_id=job.id, language=code) == code


@pytest.mark.parametrize("bad", ["xx", "german", "it", "de-DE", "e"])
def test_an_unsupported_language_is_refused_clearly(session: Session, bad: str) -> None:
    job = add_job(session)
    with pytest.raises(ValueError, match=r"Unsupported writing language .*en, de, es, fr, nl.*posting's language"):
        set_job_language(session=session, job_id=job.id, language=bad)
    assert session.get(Job, job.id).language == ""
    assert session.exec(select(JobEvent).where(JobEvent.job_id == job.id)).all() == []


def test_another_owners_job_is_not_found(session: Session) -> None:
    job = add_job(session, owner="alice")
    with pytest.raises(LookupError):
        set_job_language(session=session, job_id=job.id, language="de", owner="bob")
    assert session.get(Job, job.id).language == ""


def test_a_repeated_key_changes_nothing(session: Session) -> None:
    job = add_job(session)
    set_job_language(session=session, job_id=job.id, language="fr", key="k-1")
    session.get(Job, job.id).language = "en"  # changed meanwhile without an event (test only)
    session.flush()
    assert set_job_language(session=session, job_id=job.id, language="fr", key="k-1") == "en"
    assert len(session.exec(select(JobEvent).where(JobEvent.job_id == job.id)).all()) == 1


def test_the_job_rows_carry_the_language(session: Session) -> None:
    add_job(session, language="nl")
    assert list_jobs(session=session, query=JobQuery()).rows[0]["language"] == "nl"


def test_posting_language_names_what_intake_detects() -> None:
    assert posting_language(ENGLISH) == "English"
    assert posting_language(GERMAN) == "Deutsch"
    assert posting_language("") == "not recognised"


def test_the_migration_gives_existing_jobs_the_postings_language(db_url: str) -> None:
    engine = get_engine(db_url)
    with engine.begin() as conn:
        cfg = alembic_config(db_url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO job (owner, source, external_id, title, company, company_norm, location, url, description, search_text, status, "
            "tags, notes_count, layout, created_at, updated_at) VALUES ('local', 'file', 'old-1', 'Keeper', 'Acme', 'acme', '', '', "
            "'Stay.', '', 'new', '[]', 0, '{}', '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
        )
    migrate(db_url)
    with Session(engine) as s:
        kept = s.exec(select(Job).where(Job.external_id == "old-1")).one()
        assert (kept.title, kept.description, kept.language) == ("Keeper", "Stay.", "")


# ------------------------------------------------------------------ prompts


def test_the_language_rule_names_language_and_address() -> None:
    rule = prompts.language_rule("writing", "de")
    assert "in German (de), natively phrased, with the formal address German business letters use (Sie)" in rule
    assert "Keep the tailored CV in the language of the master CV." in rule
    assert prompts.language_hint("fr") == ("French", "with the formal address French business letters use (vous)")
    assert prompts.language_hint("es")[1].endswith("(usted)") and prompts.language_hint("nl")[1].endswith("(u)")
    assert prompts.language_hint("it") == ("Italian", "")
    assert prompts.language_name("xx") == "xx" and prompts.language_name("other") == prompts.POSTING_LANGUAGE
    assert "French (fr)" in prompts.language_rule("research", "fr")
    assert "evidence verbatim" in prompts.language_rule("pain_points", "es") and "Spanish (es)" in prompts.language_rule("pain_points", "es")
    assert "language of the posting unless told otherwise" not in prompts.WRITING_SYSTEM


# ------------------------------------------------------------------ runs


@pytest.fixture
def stored(default_store) -> None:
    with session_scope() as s:
        s.add(Profile(name="Jane Doe", markdown=CV, confirmed_at=utcnow()))


def _stored_job(language: str, description: str = ENGLISH) -> tuple[int, int]:
    with session_scope() as s:
        job = add_job(s, language=language, description=description)
        return job.id, create_run(session=s, job_id=job.id).id


def _run(run_id: int, analyst=None):
    async def go():
        async with open_checkpointer() as saver:
            return await execute_run(run_id, checkpointer=saver, sink=MemorySink(run_id), analyst=analyst)

    return asyncio.run(go())


def test_an_english_posting_set_to_german_ends_in_german(stored) -> None:
    """The offline analyst reads English; the job's choice makes intake.language "de"."""
    _job_id, run_id = _stored_job("de")

    async def go():
        async with open_checkpointer() as saver:
            sink = MemorySink(run_id)
            outcome = await execute_run(run_id, checkpointer=saver, sink=sink)
            return outcome, sink

    outcome, sink = asyncio.run(go())
    assert outcome.status == "succeeded", outcome.error
    assert outcome.result["job"]["language"] == "de"
    result = json.loads(Path(_artifact(run_id, "result.json")).read_text())
    assert result["job"]["language"] == "de"
    said = [ln.message for ln in sink.lines if ln.step == "intake"]
    assert "writing in German (set for this job; the posting is in English)" in said
    letter = Path(_artifact(run_id, "cover_letter.md")).read_text(encoding="utf-8")
    assert "Sehr geehrte" in letter and "Dear" not in letter  # the offline analyst writes intake.language


def test_without_a_choice_the_run_writes_in_the_postings_language(stored) -> None:
    _job_id, run_id = _stored_job("")

    async def go():
        async with open_checkpointer() as saver:
            sink = MemorySink(run_id)
            return await execute_run(run_id, checkpointer=saver, sink=sink), sink

    outcome, sink = asyncio.run(go())
    assert outcome.status == "succeeded", outcome.error
    assert outcome.result["job"]["language"] == "en"
    assert "writing in English, the posting's language" in [ln.message for ln in sink.lines if ln.step == "intake"]


def _artifact(run_id: int, name: str) -> str:
    from pipeline.store.models import Artifact

    with session_scope() as s:
        return s.exec(select(Artifact.path).where(Artifact.run_id == run_id, Artifact.name == name)).one()


def _german_intake(request: dict) -> str:
    """The test server's answers, with the intake of a German posting saying so."""
    from tests.support.fake_openai import layer_of

    layer = layer_of(request)
    out = canned_layer_reply(layer, request)
    if layer == "intake":
        out["language"] = "de"
    return json.dumps(out, ensure_ascii=False)


def _model(server: FakeOpenAI) -> LLMAnalyst:
    return LLMAnalyst(model="gpt-4o-mini", api_key="sk-test-key", base_url=server.base_url, usage=Usage(), timeout=10.0, max_retries=0)


def _prompt_of(server: FakeOpenAI, layer: str) -> str:
    req = next(r for r in server.chat_requests() if r.layer() == layer)
    return "\n".join(str(m["content"]) for m in req.messages)


@pytest.mark.parametrize(
    ("description", "language", "responder"),
    [(GERMAN, "", _german_intake), (ENGLISH, "de", None)],
    ids=["german-posting", "english-posting-set-to-german"],
)
def test_the_model_is_told_to_write_in_german(stored, description: str, language: str, responder) -> None:
    _job_id, run_id = _stored_job(language, description)
    with FakeOpenAI(**({"responder": responder} if responder else {})) as server:
        outcome = _run(run_id, _model(server))
        assert outcome.status == "succeeded", outcome.error
        writing = _prompt_of(server, "writing")
        assert "in German (de), natively phrased, with the formal address German business letters use (Sie)" in writing
        assert "Keep the tailored CV in the language of the master CV." in writing
        assert "German (de)" in _prompt_of(server, "pain_points") and "German (de)" in _prompt_of(server, "research")
        assert "German" not in _prompt_of(server, "intake")  # intake reads the posting; it is not told what to write in
    assert outcome.result["job"]["language"] == "de"


def test_the_model_writes_an_english_posting_in_english(stored) -> None:
    _job_id, run_id = _stored_job("")
    with FakeOpenAI() as server:
        assert _run(run_id, _model(server)).status == "succeeded"
        assert "in English (en), natively phrased" in _prompt_of(server, "writing")


# ------------------------------------------------------------------ the inspector's "Write in"


def test_the_inspector_saves_the_choice_through_the_store(root) -> None:  # noqa: F811 - the imported fixture
    from jobapp.state import DetailState, JobsState

    detail, jobs = sub(root, DetailState), sub(root, JobsState)

    async def go():
        await jobs.load()
        job_id = jobs.rows[0].id
        await detail.open(job_id)
        assert (detail.language, detail.posting_language) == ("", "English")
        said = str(await detail.set_language("de"))
        assert detail.language == "de" and "Deutsch" in said
        assert detail.history[0].message == "Writing language set to Deutsch (de)"
        assert "Unsupported writing language" in str(await detail.set_language("xx"))
        assert detail.language == "de"
        await detail.set_language("")
        with session_scope() as s:
            assert s.get(Job, job_id).language == ""

    asyncio.run(go())


# ------------------------------------------------------------------ REST API


def test_the_api_job_rows_carry_the_language(store) -> None:  # noqa: F811 - the imported fixture
    with session_scope() as s:
        job = s.exec(select(Job).where(Job.owner == "local")).first()
        set_job_language(session=s, job_id=job.id, language="fr")
    app = make_app()
    rows = call(app, "GET", "/api/jobs", token=store["token"]).json()["rows"]
    assert [r["language"] for r in rows] == ["fr"]
    schema = call(app, "GET", "/api/openapi.json").json()["components"]["schemas"]["JobRow"]
    assert "language" in schema["required"] and "posting's language" in schema["properties"]["language"]["description"]
