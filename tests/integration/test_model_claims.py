"""The model path through the local OpenAI-compatible test server: a model that inflates a claim,
invents a tool and claims a team it never had gets its CV and letter repaired before anything is
saved, and the run log says what was repaired."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from langgraph.checkpoint.memory import InMemorySaver

from pipeline.graph.schemas import Posting
from pipeline.llm.prompts import CV_TAG, unfence
from pipeline.runs.events import MemorySink
from pipeline.runs.runner import run_graph
from pipeline.settings import settings
from pipeline.text.claims import check_claims
from tests.support.fake_openai import FakeOpenAI, canned_layer_reply, layer_of

MASTER = """# Robin Example

robin@example.com · London

## Summary

Backend engineer with 7 years of experience in Python and PostgreSQL.

## Experience

### Software Engineer — Acme Payments

*London · Jan 2019 – Mar 2024*

- Contributed to the migration of 40 services to a new deployment platform.
- Wrote integration tests for the ledger service with pytest.
- Helped build the fraud scoring service in Python.

## Skills

- Python, PostgreSQL, pytest, Docker
"""

FAITHFUL = "- Contributed to the migration of 40 services to a new deployment platform."
INFLATED = "- Led the company-wide migration of 60 services to a new deployment platform."
INVENTED = "- Ran Kubernetes clusters for the platform team."

POSTING = Posting(
    title="Platform Engineer", company="Kestrel",
    description="Platform Engineer at Kestrel\n\nYou will run our services on Kubernetes and keep 80 services healthy.\n\n"
                "- Python and PostgreSQL\n- Kubernetes experience\n- Care for tests and on-call\n",
)


def inflating(request_json: dict) -> str:
    """The canned reply for every layer; for writing, a CV and letter that strengthen the master's claims."""
    layer = layer_of(request_json)
    if layer is None:
        return json.dumps({"ok": True})
    body = canned_layer_reply(layer, request_json)
    if layer == "writing":
        user = next(m["content"] for m in request_json["messages"] if m["role"] == "user")
        cv = unfence(CV_TAG, user if isinstance(user, str) else json.dumps(user)) or ""
        assert FAITHFUL in cv, "the master CV reaches the model"
        body["cv_markdown"] = cv.replace(FAITHFUL, f"{INFLATED}\n{INVENTED}")
        name = cv.splitlines()[0].lstrip("# ").strip()
        body["cover_letter"] = (
            "Dear Kestrel hiring team,\n\n"
            "I am applying for the Platform Engineer role. I led a team of 12 through the migration to a new deployment platform. "
            "I helped build the fraud scoring service in Python.\n\n"
            f"I would welcome a conversation.\n\nKind regards,\n{name}"
        )
    return json.dumps(body, ensure_ascii=False)


def test_a_model_that_strengthens_claims_gets_its_cv_and_letter_repaired(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "run"
    sink = MemorySink()
    with FakeOpenAI(responder=inflating) as server:
        monkeypatch.setattr(settings, "openai_api_key", "sk-test-claims")
        monkeypatch.setattr(settings, "openai_base_url", server.base_url)
        final, _ = asyncio.run(run_graph(
            run_id=0, sink=sink, checkpointer=InMemorySaver(), inputs={"posting": POSTING.model_dump(), "cv_markdown": MASTER}, out_dir=out,
        ))
        layers = [r.layer() for r in server.chat_requests()]
    assert "writing" in layers, "the model path was used"

    cv = (out / "CV.md").read_text(encoding="utf-8")
    assert FAITHFUL in cv, "the master's wording is back"
    assert "Led the" not in cv and "company-wide" not in cv and "60 services" not in cv
    assert "Kubernetes" not in cv, "the invented line is gone"
    assert cv.startswith("# Robin Example") and "robin@example.com · London" in cv and "## Experience" in cv and "## Skills" in cv
    assert check_claims(cv, MASTER) == []

    letter = (out / "cover_letter.md").read_text(encoding="utf-8")
    assert "team of 12" not in letter
    assert letter.startswith("Dear Kestrel hiring team,") and letter.rstrip().endswith("Kind regards,\nRobin Example")
    assert "I helped build the fraud scoring service in Python." in letter and "I am applying for the Platform Engineer role." in letter

    messages = [ln.message for ln in sink.lines]
    cv_line = next(m for m in messages if m.startswith("claim check, CV:"))
    assert cv_line == "claim check, CV: repaired 1 line (Led -> Contributed to; company-wide removed; 60 -> 40), dropped 1 invented line"
    assert "claim check, cover letter: dropped 1 sentence" in messages
    assert not any(m.startswith("claim check, outreach") for m in messages), "the canned outreach claims nothing"

    repairs = final["claim_repairs"]
    assert [(r["document"], r["action"]) for r in repairs] == [("cv", "replaced"), ("cv", "dropped"), ("cover_letter", "dropped")]
    assert repairs[0]["now"] == FAITHFUL[2:] and repairs[2]["line"].startswith("I led a team of 12")
    result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert result["untraceable_lines"] == []
    assert result["claim_repairs"] == repairs, "result.json keeps what the claim check repaired"
