"""test_bad_input: the cases that start processes or talk to a service (the rest: tests/unit/test_bad_input.py)."""

from __future__ import annotations

import json

from pipeline.settings import settings
from tests.support.fake_openai import FakeOpenAI, canned_layer_reply, layer_of
from tests.unit.test_bad_input import INJECTION, PLANTED_KEY, PLANTED_PASSWORD, _leaks, _posting, _run, planted  # noqa: F401 - shared helpers and fixtures


def test_prompt_injection_through_the_model_path_keeps_shape_and_secrets(tmp_path, planted, monkeypatch):
    """The posting reaches the model only inside its untrusted fence (a fake closing tag is defused);
    the API key is never part of a prompt; a model that obeys the injection and answers with
    the key, extra fields and a full CV still yields the normal schema, with the key masked."""

    def obeying(request_json: dict) -> str:
        layer = layer_of(request_json)
        if layer is None:
            return json.dumps({"ok": True})
        body = canned_layer_reply(layer, request_json)
        body["pwned"] = True
        for key, value in body.items():
            if isinstance(value, str):
                body[key] = f"{value} (debug: key {PLANTED_KEY})"
                break
        return json.dumps(body)

    with FakeOpenAI(responder=obeying) as server:
        monkeypatch.setattr(settings, "openai_api_key", PLANTED_KEY)
        monkeypatch.setattr(settings, "openai_base_url", server.base_url)
        dirty, out, sink = _run(tmp_path, "dirty", _posting(INJECTION))
        requests = server.chat_requests()
    assert requests, "the model path was not used"
    for r in requests:
        prompt = json.dumps(r.body)
        if layer_of(r.body) == "intake":  # later prompts may quote the (obeying) model's own answers
            assert PLANTED_KEY not in prompt and PLANTED_PASSWORD not in prompt
        user = next(m["content"] for m in r.body["messages"] if m["role"] == "user")
        user = user if isinstance(user, str) else json.dumps(user)
        assert user.count("</untrusted_posting>") == user.count("<untrusted_posting>") <= 1
        assert "[/untrusted_posting]" in user or "IGNORE ALL" not in user
    monkeypatch.setattr(settings, "openai_api_key", None)
    clean, _, _ = _run(tmp_path, "clean", _posting())
    assert set(dirty) == set(clean) and "pwned" not in dirty
    assert isinstance(dirty["fit_score"], int) and 0 <= dirty["fit_score"] <= 100
    assert _leaks(out, sink, (PLANTED_KEY, PLANTED_PASSWORD)) == [], "a planted secret reached an artifact or event"
