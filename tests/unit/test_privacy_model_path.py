"""The privacy guard on the model path: through the local OpenAI-compatible test server, a full
run, a CV upload parse and a title suggestion send none of the candidate's planted details,
and what is saved has them back; a local model in `remote` mode is left alone."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from sqlmodel import select

from pipeline.graph.schemas import Posting
from pipeline.llm.base import Usage
from pipeline.llm.openai_analyst import LLMAnalyst
from pipeline.llm.privacy import guard_for
from pipeline.runs.checkpoint import open_checkpointer
from pipeline.runs.events import MemorySink
from pipeline.runs.runner import execute_run
from pipeline.settings import settings
from pipeline.store.db import session_scope
from pipeline.store.models import Job, Profile, utcnow
from pipeline.store.runs import create_run
from tests.support.fake_openai import FakeOpenAI, canned_layer_reply, layer_of

MASTER = """# Marta Kowalska

ul. Długa 12, 00-238 Warszawa · marta.kowalska@example.pl · +48 500-100-200 · linkedin.com/in/marta-kowalska

Date of birth: 12.03.1990

## Summary

Intensive care nurse with 8 years on adult wards.

## Experience

### Staff Nurse — St Example's Hospital

*2019 – Present*

- Led a ward of 30 beds through the 2021 winter peak.
- Trained 12 new nurses in ICU procedures.
- Cared for ventilated adult patients with BLS and ALS certification.

## Skills

- Intensive care, BLS, ALS, ventilation
"""

# A posting pasted with the candidate's own reply thread under it: her e-mail, her phone in
# another format, her name spaced out.
DESCRIPTION = """ICU Staff Nurse at Northgate Clinic

We are hiring an ICU staff nurse for our 20-bed intensive care unit in Leeds.
You will care for critically ill adult patients and work closely with the consultants.

Requirements:
- Registered nurse with ICU experience
- BLS and ALS certification

> On Monday, m a r t a wrote (marta.kowalska@example.pl, 500 100 200):
> I would like to apply; my address is ul. Długa 12.
"""

PLANTED = (
    "Marta", "Kowalska", "marta.kowalska@example.pl", "500-100-200", "500 100 200", "500100200",
    "Długa 12", "linkedin.com/in/marta-kowalska", "12.03.1990", "m a r t a",
)  # fmt: skip


def leaks(text: str) -> list[str]:
    low = text.casefold()
    return [d for d in PLANTED if d.casefold() in low]


def echoing(request_json: dict) -> str:
    """The canned reply for every layer; the writing layer signs with the placeholders it was sent."""
    layer = layer_of(request_json)
    if layer is None:
        return json.dumps({"ok": True})
    body = canned_layer_reply(layer, request_json)
    if layer == "writing":
        body["cover_letter"] = (
            "Dear Northgate Clinic hiring team,\n\nI am applying for the ICU Staff Nurse role.\n\n"
            "Kind regards,\n[[NAME]]\n[[EMAIL]] · [[PHONE]] · [[LINK]]"
        )
        body["outreach"]["email_body"] = "Hello,\n\nI have applied for the ICU Staff Nurse role.\n\n[[FIRST_NAME]] [[LAST_NAME]]\n[[PHONE]]"
    return json.dumps(body, ensure_ascii=False)


@pytest.fixture
def stored(default_store) -> int:
    """A confirmed profile with the planted details and a job whose posting repeats some; the run's id."""
    with session_scope() as s:
        s.add(Profile(
            name="Marta Kowalska", markdown=MASTER, confirmed_at=utcnow(),
            parsed={"name": "Marta Kowalska", "contact": {"email": "marta.kowalska@example.pl", "phone": "+48 500-100-200"}},
        ))  # fmt: skip
        job = Job(source="paste", external_id="privacy-1", title="ICU Staff Nurse", company="Northgate Clinic", location="Leeds",
                  description=DESCRIPTION, url="")
        s.add(job)
        s.flush()
        return create_run(session=s, job_id=job.id).id


def _run(run_id: int) -> tuple:
    async def go():
        sink = MemorySink(run_id)
        async with open_checkpointer() as saver:
            return await execute_run(run_id, checkpointer=saver, sink=sink), sink

    return asyncio.run(go())


def _artifacts(run_id: int) -> dict[str, str]:
    from pipeline.store.models import Artifact

    with session_scope() as s:
        rows = s.exec(select(Artifact.name, Artifact.path).where(Artifact.run_id == run_id)).all()
    return {name: Path(path).read_text(encoding="utf-8") for name, path in rows if path.endswith((".md", ".json"))}


def _model_settings(monkeypatch: pytest.MonkeyPatch, base_url: str, mode: str) -> None:
    monkeypatch.setattr(settings, "openai_api_key", "sk-test-privacy")
    monkeypatch.setattr(settings, "openai_base_url", base_url)
    monkeypatch.setattr(settings, "privacy_guard", mode)


def test_a_guarded_run_sends_no_personal_detail_and_saves_them_restored(stored: int, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAI(responder=echoing) as server:
        _model_settings(monkeypatch, server.base_url, "always")  # 127.0.0.1 is local: `always` guards it too
        outcome, sink = _run(stored)
        requests = server.chat_requests()
    assert outcome.status == "succeeded", outcome.error
    assert sorted({r.layer() for r in requests}) == ["fit", "intake", "pain_points", "people", "research", "writing"]
    for r in requests:
        assert leaks(json.dumps(r.body, ensure_ascii=False)) == [], (r.layer(), leaks(json.dumps(r.body, ensure_ascii=False)))
    writing = next(r for r in requests if r.layer() == "writing").text()
    assert "[[NAME]]" in writing and "[[EMAIL]]" in writing and "[[PHONE]]" in writing and "[[LINK]]" in writing
    assert "Led a ward of 30 beds through the 2021 winter peak." in writing  # the experience still goes

    files = _artifacts(stored)
    cv, letter = files["CV.md"], files["cover_letter.md"]
    assert cv.startswith("# Marta Kowalska")
    assert "marta.kowalska@example.pl" in cv and "+48 500-100-200" in cv and "linkedin.com/in/marta-kowalska" in cv
    assert letter.rstrip().endswith("Marta Kowalska\nmarta.kowalska@example.pl · +48 500-100-200 · linkedin.com/in/marta-kowalska")
    assert "[[" not in cv + letter
    result = json.loads(files["result.json"])
    assert "[[" not in json.dumps(result, ensure_ascii=False)
    assert "Marta Kowalska" in json.dumps(result, ensure_ascii=False)
    assert result["untraceable_lines"] == []  # restored CV lines trace back to the master CV

    said = [ln.message for ln in sink.lines if ln.message.startswith("privacy guard:")]
    assert len(said) == 1 and said[0].endswith("personal details withheld from the model"), said
    n = int(said[0].split()[2])
    assert n >= 10  # the CV's header in two layers, the posting's thread in six
    assert not leaks(" ".join(ln.message for ln in sink.lines))  # how many, never which


def test_remote_mode_leaves_a_local_ollama_url_alone(stored: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test server stands in for Ollama, addressed as Ollama is (http://localhost:<port>/v1;
    the exact URL http://localhost:11434/v1 is decided the same way, see below)."""
    assert guard_for(MASTER, "http://localhost:11434/v1", mode="remote") is None
    with FakeOpenAI(responder=echoing) as server:
        _model_settings(monkeypatch, server.base_url.replace("127.0.0.1", "localhost"), "remote")
        outcome, sink = _run(stored)
        requests = server.chat_requests()
    assert outcome.status == "succeeded", outcome.error
    assert requests, "the run went through the server"
    sent = "\n".join(json.dumps(r.body, ensure_ascii=False) for r in requests)
    for detail in ("Marta Kowalska", "marta.kowalska@example.pl", "+48 500-100-200", "500 100 200", "linkedin.com/in/marta-kowalska",
                   "12.03.1990", "m a r t a", "Długa 12"):  # fmt: skip
        assert detail in sent, detail
    assert "[[" not in sent
    assert not any(ln.message.startswith("privacy guard:") for ln in sink.lines)


def test_off_never_guards_and_remote_decides_by_url() -> None:
    assert guard_for(MASTER, "https://api.openai.com/v1", mode="off") is None
    assert guard_for(MASTER, "http://localhost:11434/v1", mode="remote") is None
    assert guard_for(MASTER, "http://192.168.1.5:8000/v1", mode="remote") is None
    g = guard_for(MASTER, "https://openrouter.ai/api/v1", mode="remote")
    assert g is not None and leaks(g.hide(MASTER + DESCRIPTION)[0]) == []
    assert guard_for(MASTER, "http://localhost:11434/v1", mode="always") is not None


def test_the_mode_and_employers_come_from_the_settings_unless_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "privacy_guard", "off")
    assert guard_for(MASTER, "https://api.openai.com/v1") is None
    assert guard_for(MASTER, "https://api.openai.com/v1", mode="remote") is not None
    monkeypatch.setattr(settings, "privacy_guard", "remote")
    monkeypatch.setattr(settings, "privacy_guard_employers", True)
    hidden = guard_for(MASTER, "https://api.openai.com/v1").hide("Years at St Example's Hospital.")[0]
    assert "St Example" not in hidden
    kept = guard_for(MASTER, "https://api.openai.com/v1", employers=False).hide("Years at St Example's Hospital.")[0]
    assert "St Example's Hospital" in kept


def test_the_profile_adds_what_the_cv_does_not_state() -> None:
    bare = "## Experience\n\n### Nurse — Clinic\n\n- Cared for patients.\n"
    profile = {"name": "Jan de Vries", "contact": {"email": "jan@vries.nl", "phone": "+31 6 1234 5678", "links": ["github.com/jdv"]}}
    g = guard_for(bare, None, mode="remote", profile=profile)
    hidden, n = g.hide("Jan de Vries, jan@vries.nl, 06-1234 5678, https://github.com/jdv. Jan 2019 – May 2021 at the van der Berg clinic.")
    assert n == 4, hidden
    assert "Vries" not in hidden and "jan@vries" not in hidden and "1234" not in hidden and "jdv" not in hidden
    assert "Jan 2019" in hidden and "van der Berg" in hidden  # a month before a year, and particles, are no names
    row = Profile(name="Jan de Vries", markdown=bare, parsed={"contact": {"email": "jan@vries.nl"}})
    assert guard_for(bare, None, profile=row).hide("Mail Jan de Vries at jan@vries.nl")[1] == 2


def test_the_analyst_hides_every_message_and_restores_the_reply() -> None:
    """Repair prompts too: the bad reply and the repair request go out hidden."""
    posting = Posting(title="ICU Staff Nurse", company="Northgate Clinic", description=DESCRIPTION)
    with FakeOpenAI() as server:
        server.script('{"title": "ICU Staff Nurse", "company": ', json.dumps({"title": "ICU Nurse for [[NAME]]", "company": "Northgate Clinic"}))
        guard = guard_for(MASTER, server.base_url, mode="always")
        a = LLMAnalyst(model="gpt-4o-mini", api_key="sk-x", base_url=server.base_url, usage=Usage(), timeout=5, max_retries=0, guard=guard)
        intake = asyncio.run(a.intake(posting))
        bodies = [json.dumps(r.body, ensure_ascii=False) for r in server.chat_requests()]
    assert intake.title == "ICU Nurse for Marta Kowalska"
    assert len(bodies) == 2 and all(leaks(b) == [] for b in bodies)
    assert "[[EMAIL]]" in bodies[0] and "[[PHONE]]" in bodies[0]


# ---------------------------------------------------------------- the CV upload and title suggestions


MODEL_PROFILE = {
    "name": "[[NAME]]",
    "headline": "Intensive care nurse",
    "contact": {"email": "[[EMAIL]]", "phone": "[[PHONE]]", "location": "Warszawa", "links": ["[[LINK]]"]},
    "summary": "Intensive care nurse with 8 years on adult wards.",
    "experience": [{"title": "Staff Nurse", "company": "St Example's Hospital", "dates": "2019 – Present",
                    "bullets": ["Led a ward of 30 beds through the 2021 winter peak."]}],
    "skills": ["Intensive care", "BLS", "ALS"],
}  # fmt: skip
MODEL_TITLES = {"titles": [{"title": t, "reason": "what [[FIRST_NAME]] did on the ward"} for t in
                           ["ICU Nurse", "Critical Care Nurse", "Charge Nurse", "Registered Nurse", "Staff Nurse"]]}  # fmt: skip


def _llm(server: FakeOpenAI) -> LLMAnalyst:
    return LLMAnalyst(model="gpt-4o-mini", api_key="sk-test-upload", base_url=server.base_url, usage=Usage(), timeout=5, max_retries=0)


def test_a_guarded_cv_upload_parse_sends_no_personal_detail(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.profile.parse import parse_upload

    monkeypatch.setattr(settings, "privacy_guard", "always")
    text = MASTER.replace("# Marta Kowalska", "MARTA KOWALSKA") + "\nReferences: ask m a r t a (500 100 200).\n"
    with FakeOpenAI() as server:
        server.script(MODEL_PROFILE, MODEL_TITLES)
        analyst = _llm(server)
        parsed = asyncio.run(parse_upload("cv.txt", text.encode(), analyst=analyst))
        requests = server.chat_requests()
    assert [r.layer() for r in requests] == ["profile", "titles"]
    for r in requests:
        assert leaks(json.dumps(r.body, ensure_ascii=False)) == [], (r.layer(), leaks(json.dumps(r.body, ensure_ascii=False)))
    assert "[[EMAIL]]" in requests[0].text() and "Led a ward of 30 beds" in requests[0].text()
    p = parsed.profile
    assert p.name == "Marta Kowalska"
    assert (p.contact.email, p.contact.phone) == ("marta.kowalska@example.pl", "+48 500-100-200")
    assert p.contact.links == ["linkedin.com/in/marta-kowalska"]
    assert parsed.markdown.startswith("# Marta Kowalska") and "marta.kowalska@example.pl" in parsed.markdown
    assert parsed.suggested_titles[0] == {"title": "ICU Nurse", "reason": "what Marta did on the ward"}
    assert analyst.guard is None  # the caller's analyst is left as it was: the guard went on a copy


def test_a_guarded_title_suggestion_sends_no_personal_detail(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.profile.structure import structure_offline
    from pipeline.profile.titles import suggest_titles_llm

    monkeypatch.setattr(settings, "privacy_guard", "always")
    data = structure_offline(MASTER)
    data.summary = "Marta Kowalska (marta.kowalska@example.pl, 500 100 200), born 12.03.1990: intensive care nurse."
    with FakeOpenAI() as server:
        server.script(MODEL_TITLES)
        titles = asyncio.run(suggest_titles_llm(data.model_dump(mode="json"), MASTER, _llm(server)))
        (request,) = server.chat_requests()
    assert request.layer() == "titles" and "intensive care nurse" in request.text()
    assert leaks(json.dumps(request.body, ensure_ascii=False)) == []
    assert titles[1] == {"title": "Critical Care Nurse", "reason": "what Marta did on the ward"}


def test_without_the_guard_the_upload_goes_out_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.profile.parse import parse_upload

    monkeypatch.setattr(settings, "privacy_guard", "remote")  # the test server is on 127.0.0.1: local
    with FakeOpenAI() as server:
        server.script({**MODEL_PROFILE, "name": "Marta Kowalska"}, MODEL_TITLES)
        asyncio.run(parse_upload("cv.txt", MASTER.encode(), analyst=_llm(server)))
        assert "marta.kowalska@example.pl" in server.chat_requests()[0].text()
