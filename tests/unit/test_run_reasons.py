"""The runs panel says in words why a run stopped, for every error code."""

from __future__ import annotations

import pytest

from jobapp.state.run_views import REASONS, run_view
from pipeline.llm import base


def _row(code: str | None, message: str | None = None, status: str = "failed") -> dict:
    return {
        "id": 1, "job_id": 2, "batch_id": 0, "title": "T", "company": "C", "status": status, "step": "writing", "progress": 50,
        "elapsed_s": 3, "cost_usd": 0.0, "error_code": code, "error_message": message, "cancel_requested": False,
    }  # fmt: skip


CODES = sorted(v for k, v in vars(base).items() if k.isupper() and isinstance(v, str) and v.islower())


@pytest.mark.parametrize("code", CODES)
def test_every_pipeline_error_code_has_words(code):
    assert code in REASONS, f"add {code!r} to jobapp/state/run_views.py REASONS"
    assert run_view(_row(code)).reason == REASONS[code]


@pytest.mark.parametrize("code", ["llm_auth", "llm_model_not_found", "context_too_long"])
def test_model_server_errors_are_explained(code):
    view = run_view(_row(code, "the model server said no"))
    assert view.reason.startswith(REASONS[code]) and "the model server said no" in view.reason


def test_an_unknown_code_shows_the_runs_own_message():
    assert run_view(_row("brand_new_code", "Something specific went wrong.")).reason == "Something specific went wrong."
    assert run_view(_row("brand_new_code")).reason == "The run failed."
    assert run_view(_row(None, status="succeeded")).reason == ""
