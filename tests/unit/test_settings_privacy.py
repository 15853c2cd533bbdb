"""The privacy guard as the Settings panel saves it: a saved mode wins over PRIVACY_GUARD and
reaches the run's guard (through the local OpenAI-compatible test server), "" falls back to the
environment, and the page sees where each value comes from."""

from __future__ import annotations

import json

import pytest

from pipeline.llm import config
from pipeline.llm.base import Usage
from pipeline.llm.models import make_analyst
from pipeline.llm.privacy import guarded
from pipeline.settings import settings
from pipeline.store.db import session_scope
from tests.support.fake_openai import FakeOpenAI
from tests.unit.test_privacy_model_path import MASTER, _run, echoing, leaks, stored  # noqa: F401 - `stored` is a fixture


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No model from the environment; PRIVACY_GUARD=remote (a local server is not guarded)."""
    monkeypatch.setattr(settings, "openai_api_key", None)
    monkeypatch.setattr(settings, "openai_base_url", None)
    monkeypatch.setattr(settings, "privacy_guard", "remote")
    monkeypatch.setattr(settings, "privacy_guard_employers", False)


def _save(data: dict) -> None:
    with session_scope() as s:
        config.save(data, session=s, owner="local")


def test_a_saved_always_reaches_the_runs_guard(stored: int) -> None:  # noqa: F811
    with FakeOpenAI(responder=echoing) as server:
        # 127.0.0.1 is local: PRIVACY_GUARD=remote alone would send everything as it is.
        _save({"provider": "custom", "base_url": server.base_url, "quick_model": "fake-model", "privacy_guard": "always"})
        outcome, sink = _run(stored)
        requests = server.chat_requests()
    assert outcome.status == "succeeded", outcome.error
    assert requests, "the run went through the server"
    for r in requests:
        body = json.dumps(r.body, ensure_ascii=False)
        assert leaks(body) == [], (r.layer(), leaks(body))
    assert any(ln.message.startswith("privacy guard:") for ln in sink.lines)


def test_a_saved_off_wins_over_the_environments_always(stored: int, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(settings, "privacy_guard", "always")
    with FakeOpenAI(responder=echoing) as server:
        _save({"provider": "custom", "base_url": server.base_url, "quick_model": "fake-model", "privacy_guard": "off"})
        outcome, sink = _run(stored)
        sent = "\n".join(json.dumps(r.body, ensure_ascii=False) for r in server.chat_requests())
    assert outcome.status == "succeeded", outcome.error
    assert "marta.kowalska@example.pl" in sent and "[[" not in sent
    assert not any(ln.message.startswith("privacy guard:") for ln in sink.lines)


def test_the_environment_is_the_default_and_the_sources_say_so(default_store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "privacy_guard", "ALWAYS")
    monkeypatch.setattr(settings, "privacy_guard_employers", True)
    eff = config.effective_settings("local")
    assert (eff.privacy_guard, eff.privacy_employers) == ("always", True)
    assert eff.public()["sources"]["privacy_guard"] == "environment" and eff.public()["privacy_guard"] == "always"
    _save({"privacy_guard": "off", "privacy_employers": False})
    eff = config.effective_settings("local")
    assert (eff.privacy_guard, eff.privacy_employers) == ("off", False)
    assert eff.sources["privacy_guard"] == eff.sources["privacy_employers"] == "saved"
    with pytest.raises(config.SettingsError, match="privacy_guard"):
        config.validate({"privacy_guard": "sometimes"})


def test_a_cv_parse_or_title_call_uses_the_saved_mode_too(default_store) -> None:
    """`guarded` (CV upload parse, title suggestions) reads the mode the owner's analyst carries."""
    _save({"provider": "ollama", "quick_model": "llama3.1:8b", "privacy_guard": "always"})
    analyst = make_analyst(usage=Usage(), owner="local")
    assert analyst.privacy_mode == "always"
    assert guarded(analyst, MASTER).guard is not None  # a local Ollama, guarded because the user said always
    _save({"provider": "ollama", "quick_model": "llama3.1:8b"})
    assert guarded(make_analyst(usage=Usage(), owner="local"), MASTER).guard is None  # "" -> PRIVACY_GUARD=remote
