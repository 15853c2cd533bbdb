"""Settings in the page (engine side): validation, the encrypted key, precedence over the
environment, prompt overrides, the analyst a run gets, redaction and "Test connection".

The store tests take `session`, so tests/integration/on_postgres/ runs them on PostgreSQL too."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlmodel import Session, select

from pipeline.graph.schemas import Outreach, Writing
from pipeline.llm import config, connection, keybox, models, prompts
from pipeline.llm.base import Usage
from pipeline.llm.config import ModelSettings, SettingsError
from pipeline.llm.preferences import apply_preferences, apply_signature, avoided_words
from pipeline.redact import redact
from pipeline.runs.events import MemorySink
from pipeline.settings import settings
from pipeline.store.models import UserSettings
from tests.support.fake_openai import FakeOpenAI, error

KEY = "or-test-key-0123456789-wxyz"  # not sk-shaped: redaction must come from the registry, not a pattern
OWNER = "user:1"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No key, base URL or settings key from the environment; key file under tmp_path."""
    monkeypatch.setattr(settings, "openai_api_key", None)
    monkeypatch.setattr(settings, "openai_base_url", None)
    monkeypatch.setattr(settings, "model", "gpt-4o-mini")
    monkeypatch.setattr(settings, "writing_model", "")
    monkeypatch.setattr(settings, "settings_key", None)
    monkeypatch.setattr(settings, "data_dir", tmp_path)


# ------------------------------------------------------------------ validation


def test_presets_name_their_default_urls() -> None:
    urls = {p["name"]: p["base_url"] for p in config.presets()}
    assert urls == {
        "openai": "https://api.openai.com/v1", "openrouter": "https://openrouter.ai/api/v1", "ollama": "http://localhost:11434/v1",
        "lmstudio": "http://localhost:1234/v1", "vllm": "http://localhost:8000/v1", "custom": "", "offline": "",
    }


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"provider": "custom", "quick_model": "m"}, "custom server needs its base URL"),
        ({"provider": "ollama"}, "choose the model Ollama should use"),
        ({"base_url": "ftp://x"}, "must look like https://host/v1"),
        ({"base_url": "https://me:sk-secret@host/v1"}, "must not carry a user name or password"),
        ({"temperature": 3}, "temperature"),
        ({"quick_model": "gpt 4o"}, "no spaces"),
        ({"writing": {"tone": "sarcastic"}}, "tone"),
        ({"writing": {"default_language": "pl"}}, "default_language"),
        ({"run": {"cv_pages": 3}}, "cv_pages"),
        ({"run": {"concurrency": 0}}, "concurrency"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_invalid_settings_are_refused_with_a_message(data: dict, said: str) -> None:
    with pytest.raises(SettingsError, match=said):
        config.validate(data)


def test_valid_settings_are_normalised() -> None:
    s = config.validate({
        "provider": "ollama", "base_url": "http://gpu-box:11434/v1/", "quick_model": " llama3.1:8b ",
        "writing": {"avoid_words": ["passionate", "Passionate", " synergy "], "signature": "Marta K.  \n+48 500 100 200\n"},
    })
    assert s.base_url == "http://gpu-box:11434/v1" and s.quick_model == "llama3.1:8b"
    assert s.writing.avoid_words == ["passionate", "synergy"] and s.writing.signature == "Marta K.\n+48 500 100 200"


# ------------------------------------------------------------------ prompt overrides


def test_a_prompt_override_must_keep_the_output_format_rules() -> None:
    default = prompts.default_system_prompt("writing")
    edited = default.replace("cover_letter: under 350 words.", "cover_letter: under 250 words, warm.")
    assert prompts.check_prompt_override("writing", edited) == edited
    dropped = default.split("Rules that always apply:")[0] + "Be brief."
    with pytest.raises(ValueError, match="output-format instructions"):
        prompts.check_prompt_override("writing", dropped)
    with pytest.raises(ValueError, match="no prompt layer"):
        prompts.check_prompt_override("publish", default)
    bare = "Summarise. Reply with ONE JSON object and nothing else; it must validate against the JSON schema."
    assert prompts.check_prompt_override("intake", bare).startswith("LAYER: intake\n")  # the marker is put back


def test_set_and_reset_a_prompt(session: Session) -> None:
    text = prompts.default_system_prompt("intake") + "\n- Prefer the posting's own skill names."
    view = config.set_prompt("intake", text, session=session, owner=OWNER)
    assert view.settings.prompts["intake"] == text
    with pytest.raises(SettingsError, match="output-format"):
        config.set_prompt("fit", "Score the CV. Be honest.", session=session, owner=OWNER)
    view = config.reset_prompt("intake", session=session, owner=OWNER)
    assert view.settings.prompts == {}


# ------------------------------------------------------------------ the store and the key


def test_save_and_load_are_per_owner(session: Session) -> None:
    config.save({"provider": "ollama", "quick_model": "llama3.1:8b", "writing": {"tone": "warm"}}, session=session, owner=OWNER)
    config.save({"writing": {"tone": "direct"}}, session=session, owner="user:2")
    assert config.load(session=session, owner=OWNER).settings.writing.tone == "warm"
    assert config.load(session=session, owner="user:2").settings.writing.tone == "direct"
    assert config.load(session=session, owner="local").settings == ModelSettings()  # nothing saved: defaults
    assert len(session.exec(select(UserSettings)).all()) == 2
    config.save({"writing": {"tone": "formal"}}, session=session, owner=OWNER)  # one row per owner, updated
    assert len(session.exec(select(UserSettings).where(UserSettings.owner == OWNER)).all()) == 1


def test_the_key_is_encrypted_at_rest_and_only_its_hint_is_shown(session: Session) -> None:
    view = config.set_api_key(KEY, session=session, owner=OWNER)
    assert view.has_key and view.key_hint == "…wxyz"
    row = session.exec(select(UserSettings).where(UserSettings.owner == OWNER)).one()
    assert KEY not in (row.api_key_encrypted or "") and KEY not in json.dumps(row.data)
    shown = json.dumps(config.load(session=session, owner=OWNER).as_dict(), ensure_ascii=False)
    assert KEY not in shown and "…wxyz" in shown
    assert config.saved_api_key(session=session, owner=OWNER) == KEY  # the round trip
    eff = config.effective_settings(OWNER, session=session)
    assert eff.api_key == KEY and KEY not in json.dumps(eff.public()) and KEY not in repr(eff)
    # Saving other settings keeps the key; clearing removes it.
    config.save({"writing": {"tone": "warm"}}, session=session, owner=OWNER)
    assert config.load(session=session, owner=OWNER).has_key
    view = config.clear_api_key(session=session, owner=OWNER)
    assert not view.has_key and view.key_hint == ""
    assert config.saved_api_key(session=session, owner=OWNER) is None


def test_the_key_file_is_created_with_mode_0600(session: Session, tmp_path: Path) -> None:
    config.set_api_key(KEY, session=session, owner=OWNER)
    path = tmp_path / "settings.key"
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.read_bytes()
    config.set_api_key(KEY + "2", session=session, owner=OWNER)
    assert path.read_bytes() == before  # made once, then reused


def test_a_wrong_settings_key_gives_a_clear_problem_not_a_crash(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "settings_key", Fernet.generate_key().decode())
    config.set_api_key(KEY, session=session, owner=OWNER)
    monkeypatch.setattr(settings, "settings_key", "another passphrase entirely")
    with pytest.raises(keybox.KeyboxError, match="enter the API key again"):
        config.saved_api_key(session=session, owner=OWNER)
    eff = config.effective_settings(OWNER, session=session)
    assert eff.offline and eff.api_key is None
    assert any("cannot be decrypted" in p for p in eff.problems)
    assert config.load(session=session, owner=OWNER).key_hint == "…wxyz"  # the panel still opens


def test_a_passphrase_settings_key_works(session: Session, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(settings, "settings_key", "correct horse battery staple")
    config.set_api_key(KEY, session=session, owner=OWNER)
    assert config.saved_api_key(session=session, owner=OWNER) == KEY
    assert not (tmp_path / "settings.key").exists()


# ------------------------------------------------------------------ precedence


def test_the_environment_is_the_default_when_nothing_is_saved(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "openai_api_key", "sk-env-key-000000000000")
    monkeypatch.setattr(settings, "openai_base_url", "http://127.0.0.1:9/v1")
    monkeypatch.setattr(settings, "model", "env-model")
    eff = config.resolve(ModelSettings())
    assert (eff.base_url, eff.quick_model, eff.writing_model, eff.key_source, eff.offline) == (
        "http://127.0.0.1:9/v1", "env-model", "env-model", "environment", False)
    monkeypatch.setattr(settings, "writing_model", "env-writer")
    assert config.resolve(ModelSettings()).writing_model == "env-writer"


def test_what_is_saved_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "openai_api_key", "sk-env-key-000000000000")
    monkeypatch.setattr(settings, "model", "env-model")
    eff = config.resolve(ModelSettings(quick_model="saved-quick", writing_model="saved-writer", timeout_seconds=5), api_key=KEY)
    assert (eff.quick_model, eff.writing_model, eff.api_key, eff.key_source, eff.timeout_seconds) == (
        "saved-quick", "saved-writer", KEY, "saved", 5)
    assert eff.sources["quick_model"] == "saved" and eff.sources["api_key"] == "saved"


def test_a_server_chosen_in_the_page_never_gets_the_environments_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "openai_api_key", "sk-env-key-000000000000")
    ollama = config.resolve(ModelSettings(provider="ollama", quick_model="llama3.1:8b"))
    assert ollama.base_url == "http://localhost:11434/v1" and not ollama.offline
    assert ollama.api_key == config.NO_KEY and ollama.key_source == ""
    openrouter = config.resolve(ModelSettings(provider="openrouter", quick_model="meta/llama"))
    assert openrouter.offline and any("no API key saved for OpenRouter" in p for p in openrouter.problems)
    same = config.resolve(ModelSettings(provider="openai", quick_model="gpt-4.1-mini"))  # the env key's own server
    assert same.key_source == "environment" and not same.offline


def test_nothing_saved_and_no_key_is_offline() -> None:
    eff = config.effective_settings(None)
    assert eff.offline and models.describe_model() == "offline analyst"


def test_run_defaults_fall_back_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "max_concurrency", 5)
    monkeypatch.setattr(settings, "web_research", True)  # WEB_RESEARCH (tests run with it off)
    eff = config.resolve(ModelSettings())
    assert (eff.concurrency, eff.cv_pages, eff.ats_safe, eff.web_research) == (5, 2, False, True)
    eff = config.resolve(ModelSettings.model_validate({"run": {"concurrency": 2, "cv_pages": 1, "ats_safe": True, "web_research": False}}))
    assert (eff.concurrency, eff.cv_pages, eff.ats_safe, eff.web_research) == (2, 1, True, False)


# ------------------------------------------------------------------ redaction


def test_a_saved_key_is_redacted_from_log_lines_and_events(session: Session) -> None:
    import io

    from pipeline import logs

    key = "plainkey-abc-98765-zz"  # matches no key pattern: only the registered secret can catch it
    config.set_api_key(key, session=session, owner="user:77")
    assert redact(f"error from server: key {key} invalid") == "error from server: key *** invalid"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    logger = logging.getLogger("jobapp.test.user_settings")
    logger.addHandler(handler)
    try:
        logger.warning("the server said: bad key %s", key)
        try:
            raise RuntimeError(f"401 for {key}")
        except RuntimeError:
            logger.exception("call failed")
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert key not in out and "bad key ***" in out
    sink = MemorySink()
    sink.emit("warning", "writing", f"retrying with {key}")
    assert key not in json.dumps([ln.message for ln in sink.lines])


def test_a_key_decrypted_in_another_process_is_redacted_there_too(session: Session) -> None:
    """A worker that never saw the key saved registers it when it reads the settings."""
    from pipeline import redact as redact_module

    key = "worker-side-key-424242"
    config.set_api_key(key, session=session, owner="user:79")
    redact_module._registered.discard(key)  # as in a fresh worker process
    assert key in redact(f"x {key}")
    config.effective_settings("user:79", session=session)
    assert key not in redact(f"x {key}")


# ------------------------------------------------------------------ writing preferences


def _pack(letter: str, email: str = "Hello,\n\nThanks.\n\nKind regards,\nJane Doe") -> Writing:
    return Writing(cv_markdown="# Jane", cover_letter=letter, outreach=Outreach(linkedin_note="Hi", email_subject="S", email_body=email))


def test_the_signature_replaces_the_sign_off_name() -> None:
    letter = "Dear team,\n\nI build pipelines.\n\nKind regards,\nJane Doe"
    assert apply_signature(letter, "Jane Doe\n+48 500 100 200") == "Dear team,\n\nI build pipelines.\n\nKind regards,\nJane Doe\n+48 500 100 200"
    assert apply_signature("Sehr geehrte Damen und Herren,\n\nText.\n\nMit freundlichen Grüßen", "J. Doe") == (
        "Sehr geehrte Damen und Herren,\n\nText.\n\nMit freundlichen Grüßen\nJ. Doe")
    assert apply_signature(letter, "Best,\nJ.") == "Dear team,\n\nI build pipelines.\n\nBest,\nJ."  # its own closing
    assert apply_signature("Dear team,\n\nI build pipelines and would like to talk.", "J. Doe").endswith("talk.\n\nJ. Doe")
    assert apply_signature(letter, "") == letter


def test_words_to_avoid_are_flagged() -> None:
    prefs = config.WritingPreferences(avoid_words=["passionate", "synergy"], signature="Jane Doe\njane@example.org")
    pack, notes = apply_preferences(_pack("Dear team,\n\nI am Passionate about data.\n\nKind regards,\nJane"), prefs)
    assert pack.cover_letter.endswith("Kind regards,\nJane Doe\njane@example.org")
    assert pack.outreach.email_body.endswith("Kind regards,\nJane Doe\njane@example.org")
    assert notes == ["the cover letter uses words you asked to avoid: 'passionate'; edit them out before sending"]
    assert avoided_words("compassionate people", ["passionate"]) == []


def test_the_preferences_block_never_carries_the_signature() -> None:
    block = config.WritingPreferences(tone="direct", avoid_words=["rockstar"], signature="Jane\n+48 500").prompt_block()
    assert "Writing preferences" in block and "direct and concise" in block and '"rockstar"' in block
    assert "+48 500" not in block
    assert config.WritingPreferences().prompt_block() == ""


# ------------------------------------------------------------------ the analyst a run gets

CV = "# Jane Doe\n\n## Experience\n\n- Built data pipelines in Python and SQL processing 2 TB a day.\n- Ran Airflow for 3 years.\n"
POSTING_TEXT = (
    "Kestrel Freight is hiring a Data Engineer to build our data platform. You will work with the analytics team "
    "and own our pipelines.\nRequirements:\n- Python and SQL\n- 3 years of data engineering\n- Experience with Airflow\n"
)


def test_make_analyst_uses_the_saved_models_per_layer(session: Session) -> None:
    with FakeOpenAI(api_key=KEY) as server:
        config.save({"provider": "custom", "base_url": server.base_url, "quick_model": "quick-1", "writing_model": "writer-2",
                     "temperature": 0.2, "max_tokens": 3000,
                     "writing": {"tone": "warm", "avoid_words": ["passionate"], "signature": "Jane Doe\n+48 500 100 200"}},
                    session=session, owner=OWNER)
        config.set_api_key(KEY, session=session, owner=OWNER)
        eff = config.effective_settings(OWNER, session=session)
        assert models.describe_model(effective=eff).startswith("quick-1, writing writer-2 @ 127.0.0.1:")
        analyst = models.make_analyst(usage=Usage(), effective=eff)
        asyncio.run(_layers(analyst))
        by_layer = {r.layer(): r.body for r in server.chat_requests()}
    assert {by_layer[layer]["model"] for layer in ("intake", "pain_points", "research", "fit", "people")} == {"quick-1"}
    assert by_layer["writing"]["model"] == "writer-2"
    assert by_layer["writing"]["temperature"] == 0.2 and by_layer["writing"]["max_tokens"] == 3000  # plain max_tokens off OpenAI
    writing_prompt = "\n".join(str(m["content"]) for m in by_layer["writing"]["messages"])
    assert "Writing preferences" in writing_prompt and "warm and personable" in writing_prompt
    assert "+48 500 100 200" not in json.dumps(by_layer)  # the signature stays local
    assert "Writing preferences" not in json.dumps(by_layer["intake"])


async def _layers(analyst) -> None:
    from pipeline.graph.schemas import Posting

    posting = Posting(title="Data Engineer", company="Kestrel Freight", location="", url="", description=POSTING_TEXT)
    intake = await analyst.intake(posting)
    pains = await analyst.pain_points(posting, intake)
    research = await analyst.research(posting, intake)
    fit = await analyst.fit(posting, intake, CV)
    await analyst.people(posting, intake)
    await analyst.writing(posting, intake, pains, fit, research, CV)


def test_a_saved_prompt_override_is_what_the_model_gets(session: Session) -> None:
    text = prompts.default_system_prompt("intake") + "\n- MARKER-7: prefer the posting's own skill names."
    with FakeOpenAI() as server:
        config.save({"provider": "custom", "base_url": server.base_url, "quick_model": "q"}, session=session, owner=OWNER)
        config.set_prompt("intake", text, session=session, owner=OWNER)
        analyst = models.make_analyst(usage=Usage(), effective=config.effective_settings(OWNER, session=session))
        from pipeline.graph.schemas import Posting

        asyncio.run(analyst.intake(Posting(title="T", company="C", location="", url="", description=POSTING_TEXT)))
        system = server.chat_requests()[0].messages[0]["content"]
    assert "MARKER-7" in system and system.startswith("LAYER: intake")


def test_a_change_applies_to_the_next_analyst_without_a_restart(session: Session) -> None:
    config.save({"provider": "ollama", "quick_model": "llama3.1:8b"}, session=session, owner=OWNER)
    assert models.make_analyst(usage=Usage(), effective=config.effective_settings(OWNER, session=session)).name == "llama3.1:8b"
    config.save({"provider": "ollama", "quick_model": "qwen2.5:14b"}, session=session, owner=OWNER)
    assert models.make_analyst(usage=Usage(), effective=config.effective_settings(OWNER, session=session)).name == "qwen2.5:14b"
    config.save({}, session=session, owner=OWNER)
    assert models.make_analyst(usage=Usage(), effective=config.effective_settings(OWNER, session=session)).offline


def test_the_offline_analyst_carries_the_preferences(session: Session) -> None:
    config.save({"writing": {"signature": "J. Doe", "default_language": "de"}}, session=session, owner=OWNER)
    analyst = models.make_analyst(usage=Usage(), effective=config.effective_settings(OWNER, session=session))
    assert analyst.offline and analyst.preferences.signature == "J. Doe" and analyst.preferences.default_language == "de"


def test_an_offline_run_signs_with_the_signature_and_writes_the_default_language(tmp_path: Path) -> None:
    """The default language feeds intake.language; the job's own language would win (tested by test_job_language)."""
    from pipeline.graph.schemas import Posting
    from pipeline.llm.offline import OfflineAnalyst

    analyst = OfflineAnalyst()
    analyst.preferences = config.WritingPreferences(signature="Jane Doe\n+48 500 100 200", default_language="de", avoid_words=["Team"])
    sink = MemorySink()
    posting = Posting(title="Data Engineer", company="Kestrel Freight", location="", url="", description=POSTING_TEXT)
    asyncio.run(_graph(analyst, sink, posting, tmp_path))
    letter = next(tmp_path.rglob("cover_letter.md")).read_text(encoding="utf-8")
    assert letter.rstrip().endswith("Jane Doe\n+48 500 100 200") and "Sehr geehrte" in letter
    said = [ln.message for ln in sink.lines]
    assert any("writing in German (your default language in Settings" in m for m in said)
    assert any("words you asked to avoid" in m for m in said if "Team" in m)


async def _graph(analyst, sink, posting, out_dir: Path):
    from langgraph.checkpoint.memory import InMemorySaver

    from pipeline.runs.runner import run_graph

    return await run_graph(run_id=0, sink=sink, checkpointer=InMemorySaver(), analyst=analyst, out_dir=out_dir,
                           inputs={"posting": posting.model_dump(), "cv_markdown": CV, "language": ""})


# ------------------------------------------------------------------ test connection


def _eff(server: FakeOpenAI | None = None, *, url: str | None = None, key: str = KEY, quick: str = "fake-model", writing: str = "") -> config.EffectiveSettings:
    saved = ModelSettings(provider="custom", base_url=url or server.base_url, quick_model=quick, writing_model=writing)
    return config.resolve(saved, api_key=key)


def test_connection_lists_models_and_makes_a_tiny_call() -> None:
    with FakeOpenAI(api_key=KEY, models=["fake-model", "big-model"]) as server:
        report = connection.test_connection(_eff(server, writing="big-model"))
        assert report.ok, report.message
        assert report.models == ["big-model", "fake-model"] and report.checked == ["fake-model", "big-model"]
        assert [r.body["model"] for r in server.chat_requests()] == ["fake-model", "big-model"]
        assert server.get_requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert KEY not in json.dumps(report.as_dict())


def test_connection_wrong_key() -> None:
    with FakeOpenAI(api_key="the-right-key-1234") as server:
        report = connection.test_connection(_eff(server, key="a-wrong-key-98765"))
    assert (report.ok, report.problem) == (False, "auth")
    assert "rejected the API key" in report.message and "a-wrong-key-98765" not in report.message


def test_connection_unreachable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    report = connection.test_connection(_eff(url=f"http://127.0.0.1:{port}/v1"), timeout=3)
    assert report.problem == "unreachable" and "cannot reach 127.0.0.1" in report.message


def test_connection_model_not_in_the_list() -> None:
    with FakeOpenAI(api_key=KEY, models=["llama3.1:8b"]) as server:
        report = connection.test_connection(_eff(server, quick="gpt-5"))
        assert server.chat_requests() == []  # no call spent on a model the server does not have
    assert report.problem == "model_not_found" and "'gpt-5'" in report.message and "llama3.1:8b" in report.message


def test_connection_model_not_found_on_a_server_that_lists_nothing() -> None:
    with FakeOpenAI(api_key=KEY, models=None) as server:
        server.script(error(404, "The model `gpt-5` does not exist"))
        report = connection.test_connection(_eff(server, quick="gpt-5"))
    assert report.problem == "model_not_found" and report.models == [] and "does not exist" in report.message


def test_connection_no_quota() -> None:
    with FakeOpenAI(api_key=KEY) as server:
        server.script(error(429, "You exceeded your current quota", code="insufficient_quota"))
        report = connection.test_connection(_eff(server))
    assert report.problem == "quota" and "no quota" in report.message


def test_connection_other_errors_carry_the_servers_message_without_secrets() -> None:
    with FakeOpenAI(api_key=KEY) as server:
        server.script(error(500, f"upstream exploded while using key {KEY}"))
        report = connection.test_connection(_eff(server))
    assert report.problem == "error" and "HTTP 500" in report.message and "upstream exploded" in report.message
    assert KEY not in report.message


def test_connection_offline_says_why() -> None:
    report = connection.test_connection(config.resolve(ModelSettings(provider="openrouter", quick_model="x/y")))
    assert report.problem == "offline" and "no API key saved for OpenRouter" in report.message


def test_the_page_view_never_carries_the_key(session: Session) -> None:
    config.set_api_key(KEY, session=session, owner=OWNER)
    eff = config.effective_settings(OWNER, session=session)
    everything = json.dumps([config.load(session=session, owner=OWNER).as_dict(), eff.public(), config.presets()])
    assert KEY not in everything


# ------------------------------------------------------------------ a stored run


def test_a_stored_run_uses_its_owners_saved_settings(default_store) -> None:
    """Through the runner: the owner's saved server, models, key and signature; another owner's run stays offline."""
    from langgraph.checkpoint.memory import InMemorySaver

    from pipeline.runs.runner import execute_run
    from pipeline.store.db import session_scope
    from pipeline.store.models import Artifact, Job, Profile, utcnow
    from pipeline.store.runs import create_run

    with FakeOpenAI(api_key=KEY) as server:
        with session_scope() as s:
            for owner in (OWNER, "user:2"):
                s.add(Profile(name="Jane Doe", markdown=CV, confirmed_at=utcnow(), owner=owner))
            config.save({"provider": "custom", "base_url": server.base_url, "quick_model": "quick-1", "writing_model": "writer-2",
                         "writing": {"signature": "Jane Doe\nSIGNATURE-LINE-9"}}, session=s, owner=OWNER)
            config.set_api_key(KEY, session=s, owner=OWNER)
            run_ids = []
            for owner in (OWNER, "user:2"):
                job = Job(source="paste", external_id=f"settings-{owner}", title="Data Engineer", company="Kestrel Freight",
                          description=POSTING_TEXT, owner=owner)
                s.add(job)
                s.flush()
                run_ids.append(create_run(session=s, job_id=job.id, owner=owner).id)

        async def go(run_id: int):
            return await execute_run(run_id, checkpointer=InMemorySaver(), sink=MemorySink(run_id))

        mine = asyncio.run(go(run_ids[0]))
        assert mine.status == "succeeded", mine.error
        by_layer = {r.layer(): r.model for r in server.chat_requests()}
        assert by_layer == {"intake": "quick-1", "pain_points": "quick-1", "research": "quick-1", "fit": "quick-1", "people": "quick-1",
                            "writing": "writer-2"}
        calls = len(server.chat_requests())
        theirs = asyncio.run(go(run_ids[1]))
        assert theirs.status == "succeeded" and len(server.chat_requests()) == calls  # user:2 saved nothing: offline
    with session_scope() as s:
        letter = s.exec(select(Artifact.path).where(Artifact.run_id == run_ids[0], Artifact.name == "cover_letter.md")).one()
    assert Path(letter).read_text(encoding="utf-8").rstrip().endswith("Jane Doe\nSIGNATURE-LINE-9")


def test_the_settings_cli_sets_shows_and_never_prints_the_key(default_store, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from pipeline.__main__ import main

    assert main(["settings", "set", "provider", "ollama"]) == 2
    assert "choose the model Ollama should use" in capsys.readouterr().err
    assert main(["settings", "set", "writing.tone", "warm"]) == 0
    assert main(["settings", "set", "writing.avoid_words", "passionate, rockstar"]) == 0
    assert main(["settings", "set", "nope.field", "1"]) == 2
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO(KEY + "\n"))
    assert main(["settings", "key"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["saved"]["settings"]["writing"]["tone"] == "warm" and out["saved"]["settings"]["writing"]["avoid_words"] == ["passionate", "rockstar"]
    assert out["saved"]["key_hint"] == "…wxyz" and KEY not in json.dumps(out)
    assert main(["settings", "set", "writing.tone", ""]) == 0
    assert json.loads(capsys.readouterr().out)["saved"]["settings"]["writing"]["tone"] == ""
