"""Bad input from the model server, through the real client and the local test server: a wrong
key, no quota, an unknown model, garbage instead of a completion, and a context window too
small for a long CV. Each ends in a reason code and plain words, or is worked around."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from pipeline.graph.schemas import Fit, Intake, PainPoints, Posting, Research
from pipeline.llm.base import CONTEXT_TOO_LONG, LLM_AUTH, LLM_MODEL_NOT_FOUND, LLM_UNAVAILABLE, PipelineError, Usage
from pipeline.llm.openai_analyst import LLMAnalyst
from pipeline.llm.trim import trim_cv
from pipeline.runs.runner import run_files
from pipeline.settings import settings
from tests.support.fake_openai import FakeOpenAI, Scripted, canned_layer_reply, error

KEY = "sk-PLANTED-bad-input-4b1d"
POSTING = Posting(
    title="ICU Staff Nurse", company="St Mary Hospital", location="Leeds",
    description="St Mary Hospital is hiring an ICU staff nurse for its intensive care unit.\n"
                "You will care for ventilated adult patients.\nRequirements:\n- ICU experience\n- BLS and ALS certification\n"
                "- Mechanical ventilation\n",
)  # fmt: skip
INTAKE = Intake(title="ICU Staff Nurse", company="St Mary Hospital", must_have=["ICU experience", "BLS and ALS certification"])

RELEVANT = "- Cared for ventilated ICU patients with BLS and ALS certification and mechanical ventilation."
FILLER = [
    "- Organised the ward's summer barbecue and charity bake sale for {n} colleagues and their families.",
    "- Kept the stationery cupboard and the staff rota noticeboard tidy for {n} months in a row.",
    "- Wrote the {n}th edition of the hospital newsletter's gardening column about tomatoes.",
]


def long_cv(roles: int = 6) -> str:
    parts = ["# Ann Example\n\nann@example.com · Leeds\n\n## Summary\n\nICU nurse.\n\n## Experience\n"]
    for r in range(roles):
        parts.append(f"\n### Staff Nurse — Hospital {r}\n\n*{2020 - 2 * r} – {2022 - 2 * r}*\n\n{RELEVANT}\n")
        parts.extend(f.format(n=r * 10 + i + 2) + "\n" for i, f in enumerate(FILLER * 3))
    parts.append("\n## Skills\n\n- ICU, BLS, ALS\n")
    return "".join(parts)


@pytest.fixture
def server():
    with FakeOpenAI() as s:
        yield s


class Logs(list):
    def __call__(self, level: str, node: str, message: str) -> None:
        self.append((level, node, message))


def make(server: FakeOpenAI, logs: Logs | None = None, **kw) -> LLMAnalyst:
    opts = {"model": "acme-mini", "api_key": KEY, "timeout": 5.0, "max_retries": 2, "backoff_base": 0.001}
    return LLMAnalyst(base_url=server.base_url, usage=Usage(), log=logs, **{**opts, **kw})


def fails(coro) -> PipelineError:
    with pytest.raises(PipelineError) as info:
        asyncio.run(coro)
    assert KEY not in str(info.value) and KEY[3:15] not in str(info.value)
    return info.value


# ---------------------------------------------------------------- refusals that are never retried


def test_a_wrong_key_is_llm_auth_at_once(server: FakeOpenAI) -> None:
    server.script(error(401, f"Incorrect API key provided: {KEY}.", code="invalid_api_key"))
    err = fails(make(server).intake(POSTING))
    assert err.code == LLM_AUTH and err.node == "intake"
    assert "the model server refused the API key" in str(err) and "not retried" in str(err)
    assert len(server.requests) == 1


def test_a_forbidden_model_is_llm_auth_too(server: FakeOpenAI) -> None:
    server.script(error(403, "Project does not have access to model acme-mini"))
    err = fails(make(server).intake(POSTING))
    assert err.code == LLM_AUTH and "'acme-mini'" in str(err) and len(server.requests) == 1


def test_an_exhausted_quota_is_not_retried(server: FakeOpenAI) -> None:
    server.script(error(429, "You exceeded your current quota, please check your plan and billing details.", code="insufficient_quota"))
    err = fails(make(server).intake(POSTING))
    assert err.code == LLM_UNAVAILABLE and "no quota left" in str(err) and "not retried" in str(err)
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    "refusal",
    [error(404, "The model `acme-mini` does not exist or you do not have access to it.", code="model_not_found"),
     error(400, "invalid model ID", code="model_not_found")],
    ids=["404", "400-model_not_found"],
)  # fmt: skip
def test_an_unknown_model_is_named(server: FakeOpenAI, refusal: Scripted) -> None:
    server.script(refusal)
    err = fails(make(server).fit(POSTING, INTAKE, long_cv(1)))
    assert err.code == LLM_MODEL_NOT_FOUND and err.node == "fit"
    assert "has no model 'acme-mini'" in str(err) and len(server.requests) == 1


def test_the_writing_model_is_the_one_named(server: FakeOpenAI) -> None:
    server.script(error(404, "model not found"))
    a = make(server, writing_model="acme-large")
    err = fails(a.writing(POSTING, INTAKE, PainPoints(), Fit.model_validate(canned_layer_reply("fit", {})), Research(), long_cv(1)))
    assert err.code == LLM_MODEL_NOT_FOUND and "'acme-large'" in str(err)


def test_a_run_with_a_wrong_key_fails_with_llm_auth(server: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "openai_api_key", KEY)
    monkeypatch.setattr(settings, "openai_base_url", server.base_url)
    server.script(*[error(401, "Incorrect API key provided") for _ in range(5)])
    outcome = asyncio.run(run_files(cv_markdown=long_cv(1), posting=POSTING, out_dir=tmp_path / "run"))
    assert outcome.status == "failed" and outcome.error_code == LLM_AUTH
    assert "the model server refused the API key" in outcome.error
    assert len(server.requests) == 1


# ---------------------------------------------------------------- garbage instead of a completion


@pytest.mark.parametrize(
    "garbage",
    [
        Scripted(raw_body="<html><body>502 Bad Gateway</body></html>", content_type="text/html"),
        Scripted(raw_body='data: {"id": "x", "choices": [{"delta": {"content": "{\\"ti"}}]}\n\ndata: garb@ge\n\n', content_type="text/event-stream"),
        Scripted(raw_body="\x00\x01\x02 not json at all"),
        Scripted(raw_body="null"),
        Scripted(raw_body="[]"),
        Scripted(raw_body='"a string"'),
        Scripted(raw_body='{"choices": []}'),
        Scripted(raw_body='{"choices": [null]}'),
        Scripted(raw_body='{"choices": [{}]}'),
        Scripted(raw_body='{"choices": "none"}'),
        Scripted(raw_body='{"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": "{\\"title'
                          '": \\"ICU"}}]}', cut_after=60),
    ],
    ids=["html", "event-stream", "bytes", "null", "list", "string", "no-choices", "null-choice", "empty-choice", "choices-string", "cut-off"],
)  # fmt: skip
def test_garbage_is_retried_then_a_clear_llm_unavailable(server: FakeOpenAI, garbage: Scripted) -> None:
    server.script(*[garbage] * 3)
    logs = Logs()
    err = fails(make(server, logs=logs, max_retries=2).intake(POSTING))
    assert err.code == LLM_UNAVAILABLE and err.node == "intake"
    assert "failed 3 time(s)" in str(err), str(err)
    assert len(server.requests) == 3
    assert sum(1 for _, _, m in logs if m.startswith("retrying after")) == 2
    if garbage.cut_after is None:
        assert "did not answer like an OpenAI-compatible chat server" in str(err)


def test_garbage_then_a_good_reply_succeeds(server: FakeOpenAI) -> None:
    server.script(Scripted(raw_body='{"choices": []}'), Scripted(raw_body="null"), {"title": "ICU Staff Nurse", "company": "St Mary Hospital"})
    assert asyncio.run(make(server).intake(POSTING)).title == "ICU Staff Nurse"


# ---------------------------------------------------------------- a context window too small


def _fit_prompt_tokens(cv: str) -> int:
    with FakeOpenAI() as s:
        asyncio.run(make(s).fit(POSTING, INTAKE, cv))
        return s.requests[0].usage["prompt_tokens"]


def test_a_long_cv_is_trimmed_by_relevance_and_retried_once() -> None:
    cv = long_cv()
    full = _fit_prompt_tokens(cv)
    logs = Logs()
    with FakeOpenAI(context_limit=int(full * 0.8)) as s:
        fit = asyncio.run(make(s, logs=logs).fit(POSTING, INTAKE, cv))
        requests = s.chat_requests()
    assert isinstance(fit, Fit)
    assert [r.status for r in requests] == [400, 200]
    sent = requests[1].text()
    assert sent.count(RELEVANT[2:]) == 6, "every bullet that carries the posting's needs stays"
    assert "barbecue" in requests[0].text() and sent.count("barbecue") < requests[0].text().count("barbecue")
    assert "# Ann Example" in sent and "ann@example.com" in sent and "## Skills" in sent
    said = [m for lv, node, m in logs if lv == "warning" and node == "fit" and "context window" in m]
    assert len(said) == 1 and said[0].startswith(f"the prompt is too long for model 'acme-mini''s context window ({int(full * 0.8)} tokens): "
                                                 "retrying once without the CV's ") and said[0].endswith("least relevant bullets for this posting")  # fmt: skip


def test_the_writing_layer_trims_too() -> None:
    cv = long_cv()
    with FakeOpenAI() as s:
        asyncio.run(make(s).writing(POSTING, INTAKE, PainPoints(), Fit.model_validate(canned_layer_reply("fit", {})), Research(), cv))
        full = s.requests[0].usage["prompt_tokens"]
    with FakeOpenAI(context_limit=int(full * 0.85)) as s:
        out = asyncio.run(make(s).writing(POSTING, INTAKE, PainPoints(), Fit.model_validate(canned_layer_reply("fit", {})), Research(), cv))
        assert [r.status for r in s.chat_requests()] == [400, 200]
    assert out.cv_markdown.count(RELEVANT) == 6 and out.cv_markdown.count("barbecue") < cv.count("barbecue")


def test_when_even_the_trimmed_cv_is_too_long_the_error_says_what_to_do() -> None:
    logs = Logs()
    with FakeOpenAI(context_limit=200) as s:
        err = fails(make(s, logs=logs).fit(POSTING, INTAKE, long_cv()))
        assert [r.status for r in s.chat_requests()] == [400, 400]  # one retry, trimmed, then stop
    assert err.code == CONTEXT_TOO_LONG and err.node == "fit"
    assert "too long for model 'acme-mini''s context window (200 tokens)" in str(err) and "larger context window" in str(err)


def test_a_posting_alone_over_the_window_is_context_too_long_at_once() -> None:
    with FakeOpenAI(context_limit=100) as s:
        err = fails(make(s).intake(POSTING))
        assert len(s.chat_requests()) == 1
    assert err.code == CONTEXT_TOO_LONG and "context window (100 tokens)" in str(err)


def test_trim_cv_drops_the_least_relevant_bullets_first() -> None:
    cv = long_cv(3)
    trimmed, dropped = trim_cv(cv, POSTING, 400)
    assert dropped and all(RELEVANT not in d for d in dropped)
    assert sum(len(d) + 1 for d in dropped) >= 400 and trimmed.count(RELEVANT) == 3
    assert all(d not in trimmed for d in dropped if cv.count(d) == 1)
    everything, _ = trim_cv(cv, POSTING, 10**9)  # cannot cut that much: every removable bullet goes
    assert everything.count(RELEVANT) == 1 and "barbecue" in everything  # the most recent role's bullets stay
    assert "# Ann Example" in everything and "## Skills\n\n- ICU, BLS, ALS" in everything
