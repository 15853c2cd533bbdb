"""The Settings panel's states driven in-process (no browser): a preset fills its base URL, Save
validates through the engine and shows its message, the key is write-only (the state the browser
gets holds only its last four characters), Test connection reports through the local
OpenAI-compatible test server, prompt overrides are refused without the output-format rules and
reset, and the header's model label follows a save. The e2e test drives the same handlers."""

from __future__ import annotations

import asyncio
import json

import pytest

from jobapp.state.settings_panel_views import form_of, settings_data
from pipeline.llm import config, prompts
from pipeline.llm.config import ModelSettings, SettingsError
from pipeline.settings import settings
from pipeline.store.db import session_scope
from tests.support.fake_openai import FakeOpenAI
from tests.unit.test_page_states import Proxy, root, sub  # noqa: F401 - the page's states on the demo data

KEY = "sk-panel-test-0123456789-wxyz"


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr(settings, "openai_api_key", None)
    monkeypatch.setattr(settings, "openai_base_url", None)
    monkeypatch.setattr(settings, "model", "gpt-4o-mini")
    monkeypatch.setattr(settings, "writing_model", "")
    monkeypatch.setattr(settings, "settings_key", None)


def _panel(root):  # noqa: F811
    from jobapp.state.settings_panel import SettingsState

    return sub(root, SettingsState)


def _browser_side(state) -> str:
    """Everything the state would send to the browser (its non-backend vars)."""
    return json.dumps(state.dict(), default=str)


def test_the_form_round_trips_through_the_engine() -> None:
    saved = ModelSettings.model_validate({
        "provider": "ollama", "quick_model": "llama3.1:8b", "temperature": 0.3, "max_tokens": 900, "timeout_seconds": 45,
        "writing": {"tone": "warm", "avoid_words": ["synergy", "passionate"], "signature": "Jane\n+44 1", "default_language": "de"},
        "run": {"concurrency": 2, "cv_pages": 1, "ats_safe": True, "web_research": False}, "privacy_guard": "always",
        "privacy_employers": True,
    })  # fmt: skip
    form = form_of(saved)
    assert form["temperature"] == "0.3" and form["ats_safe"] == "on" and form["web_research"] == "off" and form["cv_pages"] == "1"
    assert config.validate(settings_data(form)) == saved
    assert config.validate(settings_data(form_of(ModelSettings()))) == ModelSettings()  # nothing saved stays nothing
    with pytest.raises(SettingsError, match="Temperature: 'warm' is not a number"):
        settings_data({**form, "temperature": "warm"})
    assert settings_data({**form, "temperature": "0,7"})["temperature"] == 0.7


def test_open_preset_save_and_the_write_only_key(root) -> None:  # noqa: F811
    panel = _panel(root)

    async def go():
        await panel.set_shown(True)
        assert panel.shown and panel.model_label == "offline analyst" and panel.sources["quick_model"] == "environment"
        assert panel.effective["quick_model"] == "gpt-4o-mini" and panel.prompt_text == prompts.default_system_prompt("intake")

        panel.set_field("provider", "openrouter")
        assert panel.form["base_url"] == "https://openrouter.ai/api/v1"  # the preset fills its URL
        await panel.save()
        assert "choose the model OpenRouter should use" in panel.error  # the engine's message, next to the form
        with session_scope() as s:
            assert config.load(session=s, owner="local").settings == ModelSettings()  # nothing saved

        panel.set_field("quick_model", "meta/llama-3.1-8b")
        panel.set_field("temperature", "0.4")
        panel.set_typed_key(KEY)
        assert KEY not in _browser_side(panel)  # typed, not yet saved: backend only
        await panel.save()
        assert panel.error == "" and panel.note.startswith("Saved.") and "next run" in panel.note
        assert panel.has_key and panel.key_hint == "…wxyz" and panel.sources["api_key"] == "saved"
        assert panel.sources["quick_model"] == panel.sources["temperature"] == "saved"
        assert panel.model_label == "meta/llama-3.1-8b @ openrouter.ai"  # the header follows the save
        assert KEY not in _browser_side(panel)
        with session_scope() as s:
            assert config.saved_api_key(session=s, owner="local") == KEY

        await panel.remove_key()
        assert not panel.has_key and panel.key_hint == "" and panel.sources["api_key"] == "none"
        assert panel.model_label == "offline analyst"  # OpenRouter without a key: offline until one is saved
        assert any("no API key saved for OpenRouter" in p for p in panel.problems)

        panel.set_field("provider", "")
        assert panel.form["base_url"] == ""
        panel.set_field("evil", "x")  # only the form's fields
        assert "evil" not in panel.form

    asyncio.run(go())


def test_test_connection_reports_models_and_a_wrong_key(root) -> None:  # noqa: F811
    panel = _panel(root)

    async def go(server):
        await panel.set_shown(True)
        panel.set_field("provider", "custom")
        panel.set_field("base_url", server.base_url)
        panel.set_field("quick_model", "quick-one")
        panel.set_typed_key(KEY)
        await type(panel).test_connection.fn(Proxy(panel))
        assert panel.report_ok, panel.report_message
        assert panel.report_models == ["quick-one", "writer-two"] and panel.report_detail.startswith("2 models listed")
        panel.set_typed_key("sk-wrong-key-000000000000")
        await type(panel).test_connection.fn(Proxy(panel))
        assert not panel.report_ok and "rejected the API key" in panel.report_message
        assert "sk-wrong-key" not in panel.report_message
        panel.set_field("temperature", "hot")
        await type(panel).test_connection.fn(Proxy(panel))
        assert not panel.report_ok and "not a number" in panel.report_message
        with session_scope() as s:
            assert config.load(session=s, owner="local").settings == ModelSettings()  # testing saves nothing

    with FakeOpenAI(api_key=KEY, models=("quick-one", "writer-two")) as server:
        asyncio.run(go(server))


def test_prompt_override_refused_saved_and_reset(root) -> None:  # noqa: F811
    panel = _panel(root)

    async def go():
        await panel.set_shown(True)
        panel.set_prompt_layer("fit")
        assert panel.prompt_text == prompts.default_system_prompt("fit") and not panel.prompt_override
        panel.set_prompt_text("Score the CV. Be honest.")
        await panel.save_prompt()
        assert "output-format instructions" in panel.prompt_error and not panel.prompt_override
        assert panel.prompt_text == "Score the CV. Be honest."  # kept in the box to fix

        edited = prompts.default_system_prompt("fit").replace("honestly", "honestly and briefly")
        panel.set_prompt_text(edited)
        await panel.save_prompt()
        assert panel.prompt_error == "" and panel.prompt_override and "briefly" in panel.prompt_text
        panel.set_prompt_layer("intake")
        assert not panel.prompt_override
        panel.set_prompt_layer("fit")
        assert panel.prompt_override and "briefly" in panel.prompt_text

        panel.set_field("tone", "warm")  # saving the form keeps the prompt override
        await panel.save()
        with session_scope() as s:
            saved = config.load(session=s, owner="local").settings
        assert saved.writing.tone == "warm" and "briefly" in saved.prompts["fit"]

        await panel.reset_prompt()
        assert not panel.prompt_override and panel.prompt_text == prompts.default_system_prompt("fit")
        assert "built-in prompt" in panel.prompt_note

    asyncio.run(go())


def test_escape_closes_and_forgets_a_typed_key(root) -> None:  # noqa: F811
    panel = _panel(root)

    async def go():
        await panel.set_shown(True)
        panel.replace_key()
        panel.set_typed_key(KEY)
        await panel.set_shown(False)
        assert not panel.shown and panel._typed_key == "" and not panel.replacing_key

    asyncio.run(go())
