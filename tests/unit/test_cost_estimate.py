"""The cost estimate before a batch runs: per layer from the real prompts, as a range, per job and
in total; unpriced models say so; offline costs nothing. The last test runs a batch through the
local OpenAI-compatible test server and holds the estimate against the usage the server reported."""

from __future__ import annotations

import asyncio
import time

import pytest

from pipeline.llm import estimate as est
from pipeline.llm.openai_analyst import OUTPUT_TOKENS
from pipeline.runs import costs, queue
from pipeline.settings import settings
from pipeline.store.db import session_scope
from pipeline.store.models import Batch, Job, Run
from tests.support.fake_openai import FakeOpenAI

POSTING = (
    "Acme Logistics is hiring a Data Engineer to build our freight data platform.\n"
    "You will design batch and streaming pipelines in Python and SQL, own our dbt models and Airflow DAGs,\n"
    "and work with analysts on dashboards.\nRequirements:\n- 3+ years of Python\n- SQL and PostgreSQL\n- Airflow or dbt\n"
)
CV = "# Jane Doe\n\n## Experience\n\n- Built pipelines in Python and SQL processing 2 TB a day.\n- Ran Airflow and dbt for 40 analysts.\n"
MINI = dict.fromkeys(est.LAYERS, "gpt-4o-mini")


def job(description: str = POSTING, cv: str = CV, models=MINI, **kw) -> est.JobEstimate:
    return est.estimate_job(title="Data Engineer", company="Acme", location="Leeds", url="", description=description,
                            cv_markdown=cv, models=models, **kw)


def layer(e: est.JobEstimate, name: str) -> est.LayerEstimate:
    return next(x for x in e.layers if x.layer == name)


def test_every_layer_is_estimated_as_a_range_and_the_job_sums_them():
    e = job()
    assert [x.layer for x in e.layers] == list(est.LAYERS)
    for x in e.layers:
        assert 0 < x.tokens_in.low < x.tokens_in.high
        assert 0 < x.tokens_out.low <= x.tokens_out.high
        assert x.cost is not None and 0 < x.cost.low < x.cost.high
    assert e.tokens_in.low == sum(x.tokens_in.low for x in e.layers)
    assert e.cost.high == pytest.approx(sum(x.cost.high for x in e.layers))
    # Outputs: twice the typical reply, never past the layer's budget in OUTPUT_TOKENS.
    for name in ("intake", "pain_points", "research", "fit", "people"):
        out = layer(e, name).tokens_out
        assert abs(out.high - min(2 * out.low, OUTPUT_TOKENS[name])) <= 1
    # The prompts carry the schema: even a tiny posting costs about a thousand tokens a layer.
    assert layer(e, "intake").tokens_in.low > 500


def test_the_prompt_is_the_real_one():
    """The estimate counts what openai_analyst sends: system prompt, fenced posting and CV, schema."""
    e = job()
    from pipeline.graph.schemas import Intake
    from pipeline.llm import prompts

    user = prompts.INTAKE_USER.format(posting=prompts.posting_block(title="Data Engineer", company="Acme", location="Leeds", url="",
                                                                       description=POSTING), schema=prompts.schema_json(Intake))
    chars = len(prompts.INTAKE_SYSTEM) + len(user)
    low, high = layer(e, "intake").tokens_in.low, layer(e, "intake").tokens_in.high
    assert chars / 5 < low < chars / 3.4 < high < chars / 2


def test_per_layer_numbers_grow_with_the_posting():
    short, long = job(POSTING), job(POSTING + "You will also mentor engineers and review designs. " * 120)
    for name in est.LAYERS:  # every layer reads the posting
        assert layer(long, name).tokens_in.low > layer(short, name).tokens_in.low + 1000
    assert layer(long, "intake").tokens_out.low > layer(short, "intake").tokens_out.low
    assert long.cost.low > short.cost.low


def test_per_layer_numbers_grow_with_the_cv():
    long_cv = CV + "- Led the move of shipment tracking to a Kafka event stream, 40 million events a day.\n" * 60
    short, long = job(cv=CV), job(cv=long_cv)
    for name in ("fit", "writing"):  # the layers that read the CV
        assert layer(long, name).tokens_in.low > layer(short, name).tokens_in.low + 1000
    for name in ("intake", "pain_points", "research", "people"):
        assert layer(long, name).tokens_in == layer(short, name).tokens_in
    # Writing returns a tailored copy of the CV: its output grows too.
    assert layer(long, "writing").tokens_out.low > layer(short, "writing").tokens_out.low + 800
    huge = job(cv=long_cv * 3)  # a tailored copy of a long CV takes writing past its budget
    assert layer(huge, "writing").tokens_out.high > OUTPUT_TOKENS["writing"]


def test_other_scripts_count_more_tokens_per_character():
    latin = est.count_tokens("a" * 400)
    assert latin == 100
    assert est.count_tokens("データエンジニア" * 50) > 2 * est.count_tokens("d" * 400)  # the same 400 characters


def test_the_writing_model_is_priced_on_its_own():
    cheap = job(models=MINI)
    mixed = job(models={**MINI, "writing": "gpt-4o"})
    assert layer(mixed, "intake").cost == layer(cheap, "intake").cost
    assert layer(mixed, "writing").cost.low > 10 * layer(cheap, "writing").cost.low


def test_an_unpriced_model_gets_tokens_and_no_money_figure():
    e = job(models={**MINI, "writing": "my-local-llama"})
    assert layer(e, "writing").cost is None and layer(e, "intake").cost is not None
    assert e.cost is None and e.unpriced == ["my-local-llama"]
    assert est.describe(e.cost) == "unknown"
    remote = est.BatchEstimate(offline=False, jobs=[e], remote=True)
    local = est.BatchEstimate(offline=False, jobs=[e], remote=False)
    assert remote.cost is None and remote.unpriced == ["my-local-llama"]
    assert remote.needs_confirmation(100.0)  # a remote server may bill: unknown cost is asked about
    assert not local.needs_confirmation(0.0)  # a model on this machine is free


def test_prices_from_the_settings_table(monkeypatch):
    monkeypatch.setattr(settings, "model_prices", {"acme-large": {"input": 10.0, "output": 30.0}})
    e = job(models=dict.fromkeys(est.LAYERS, "acme-large"))
    x = layer(e, "fit")
    assert x.cost.low == pytest.approx((x.tokens_in.low * 10 + x.tokens_out.low * 30) / 1e6)


def test_confirmation_threshold():
    batch = est.BatchEstimate(offline=False, jobs=[job(), job()])
    assert batch.cost.low == pytest.approx(2 * job().cost.low)
    assert batch.needs_confirmation(batch.cost.low)  # the high end counts
    assert not batch.needs_confirmation(batch.cost.high + 0.01)
    assert batch.needs_confirmation(0.0)  # 0: always ask before spending
    assert not est.BatchEstimate(offline=False, jobs=[]).needs_confirmation(0.0)


def test_offline_costs_nothing_and_asks_nothing():
    off = est.BatchEstimate(offline=True)
    assert off.cost == est.ZERO and not off.needs_confirmation(0.0)


def test_money_formatting():
    assert est.money(0.0042) == "$0.0042" and est.money(0.123) == "$0.123" and est.money(3.4) == "$3.40"
    assert est.describe(est.Span(0.004, 0.009)) == "$0.0040–0.0090"


# ----------------------------------------------------------------- from the store, and the real usage


@pytest.fixture
def demo(default_store):
    from pipeline.sources.demo import load_demo

    with session_scope() as s:
        load_demo(session=s)
        return [j.id for j in s.query(Job).order_by(Job.id).all()]


@pytest.fixture
def paid_model(monkeypatch):
    def use(base_url: str | None = None, model: str = "gpt-4o-mini") -> None:
        monkeypatch.setattr(settings, "openai_api_key", "sk-estimate-test-000000")
        monkeypatch.setattr(settings, "openai_base_url", base_url)
        monkeypatch.setattr(settings, "model", model)
        monkeypatch.setattr(settings, "writing_model", "")
        monkeypatch.setattr(settings, "llm_max_retries", 0)

    return use


def test_preview_asks_above_the_threshold_and_notes_the_caps(demo, paid_model, monkeypatch):
    paid_model()
    with session_scope() as s:
        p = costs.preview_batch(session=s, job_ids=demo[:2], owner="local", threshold=0.0)
        assert p.confirm and len(p.estimate.jobs) == 2 and p.total.startswith("$")
        assert costs.job_line(p.estimate.jobs[0])["cost"].startswith("$")
        assert not costs.preview_batch(session=s, job_ids=demo[:2], owner="local", threshold=100.0).confirm
        monkeypatch.setattr(settings, "max_cost_per_batch", p.estimate.jobs[0].cost.mid * 1.01)
        notes = costs.preview_batch(session=s, job_ids=demo[:2], owner="local").notes
        assert any("about 1 of these runs will be held" in n for n in notes)
        monkeypatch.setattr(settings, "openai_api_key", None)
        off = costs.preview_batch(session=s, job_ids=demo[:2], owner="local", threshold=0.0)
        assert off.estimate.offline and not off.confirm and off.total == "$0"
        assert off.estimate.cost == est.ZERO


def test_month_summary_is_shown_for_a_paid_model_or_past_spend(demo, paid_model, monkeypatch):
    monkeypatch.setattr(settings, "openai_api_key", None)
    with session_scope() as s:
        m = costs.month_summary(session=s, owner="local")
        assert not m.shown and m.spent == 0
    paid_model()
    with session_scope() as s:
        assert costs.month_summary(session=s, owner="local").shown


def test_estimate_against_the_servers_usage_over_a_batch(demo, paid_model):
    """Four demo postings with the demo master CV, through the real ChatOpenAI client and the
    local test server; the server counts ~4 characters a token, as real tokenizers do for English.
    Asserted: the estimated range overlaps actual ±30% (low <= actual*1.3 and high >= actual*0.7),
    for tokens in, and for money; and the midpoint of tokens in within 30% of the actual."""
    from pipeline.runs.local import LocalDispatcher

    with FakeOpenAI() as server:
        paid_model(server.base_url, "gpt-4o-mini")
        picks = demo[:4]
        with session_scope() as s:
            preview = costs.preview_batch(session=s, job_ids=picks, owner="local")
            q = queue.queue_runs(session=s, job_ids=picks, owner="local", estimate=preview.estimate)
        asyncio.run(_drain(LocalDispatcher(max_concurrency=2, poll_seconds=0.05), q.run_ids))
        with session_scope() as s:
            runs = [s.get(Run, i) for i in q.run_ids]
            assert [r.status for r in runs] == ["succeeded"] * 4, [(r.status, r.error_message) for r in runs]
            batch = s.get(Batch, q.batch_id)
            spent = sum(r.cost_usd for r in runs)
            low, high = batch.estimate_low_usd, batch.estimate_high_usd
        tin, tout = server.total_usage()
        assert len(server.chat_requests()) == 24  # six layers a job, no repairs
    actual_cost = (tin * 0.15 + tout * 0.60) / 1e6
    assert spent == pytest.approx(actual_cost, abs=1e-4 * len(runs))  # each run rounds its cost
    e = preview.estimate
    report = (f"tokens in: estimate {e.tokens_in.low:.0f}-{e.tokens_in.high:.0f} (mid {e.tokens_in.mid:.0f}), actual {tin}; "
              f"tokens out: estimate {e.tokens_out.low:.0f}-{e.tokens_out.high:.0f}, actual {tout}; "
              f"cost: estimate ${low:.5f}-{high:.5f}, actual ${actual_cost:.5f}")
    print(report)
    assert e.tokens_in.low <= tin * 1.3 and e.tokens_in.high >= tin * 0.7, report
    assert abs(e.tokens_in.mid - tin) <= 0.3 * tin, report
    assert low <= actual_cost * 1.3 and high >= actual_cost * 0.7, report


async def _drain(dispatcher, run_ids, timeout=90.0):
    def statuses():
        with session_scope() as s:
            return [s.get(Run, i).status for i in run_ids]

    task = asyncio.create_task(dispatcher.run_forever())
    try:
        deadline = time.monotonic() + timeout
        while not all(x in ("succeeded", "failed", "cancelled", "held") for x in await asyncio.to_thread(statuses)):
            assert time.monotonic() < deadline, await asyncio.to_thread(statuses)
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def test_a_failed_run_keeps_what_it_spent(demo, paid_model):
    """The month's spend and the caps count a run that failed part way (writing refused here)."""
    from pipeline.runs.local import LocalDispatcher
    from tests.support.fake_openai import Scripted, error

    with FakeOpenAI() as server:
        paid_model(server.base_url, "gpt-4o-mini")
        server.script(*[Scripted()] * 5, error(401, "bad key"))
        with session_scope() as s:
            q = queue.queue_runs(session=s, job_ids=demo[:1], owner="local")
        asyncio.run(_drain(LocalDispatcher(max_concurrency=1, poll_seconds=0.05), q.run_ids))
        tin, tout = server.total_usage()
    with session_scope() as s:
        run = s.get(Run, q.run_ids[0])
        assert run.status == "failed" and run.error_code.startswith("llm_")
        assert run.tokens_in == tin and run.tokens_out == tout and tin > 0
        assert run.cost_usd == pytest.approx((tin * 0.15 + tout * 0.60) / 1e6, abs=1e-6)
        from pipeline.runs.budget import month_spent

        assert month_spent(session=s, owner="local") == pytest.approx(run.cost_usd)
