"""What the page says about money: a batch's estimate before it is queued, and this month's spend.

`preview_batch` is what Process asks before queueing: the estimate per job and in total
(pipeline/llm/estimate.py), whether to ask the user first (the owner's threshold: Settings →
Spending, else CONFIRM_COST_ABOVE), and what the
caps will do to the batch (pipeline/runs/budget.py). `month_summary` is the header's figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from pipeline.llm.estimate import BatchEstimate, JobEstimate, configured_models, describe, estimate_jobs, money
from pipeline.runs.budget import Caps, caps_for, month_spent, next_month_start


@dataclass
class CostPreview:
    estimate: BatchEstimate
    confirm: bool  # ask before queueing
    threshold: float  # the owner's confirmation threshold (Settings → Spending, else CONFIRM_COST_ABOVE)
    notes: list[str] = field(default_factory=list)  # unpriced models, caps that will hold runs
    threshold_from: str = "CONFIRM_COST_ABOVE"  # or "your Spending settings"

    @property
    def total(self) -> str:
        return describe(self.estimate.cost)

    @property
    def tokens(self) -> str:
        t_in, t_out = self.estimate.tokens_in, self.estimate.tokens_out
        return f"{_k(t_in.low)}–{_k(t_in.high)} tokens in, {_k(t_out.low)}–{_k(t_out.high)} out"

    @property
    def models(self) -> str:
        names = sorted({layer.model for j in self.estimate.jobs for layer in j.layers})
        return ", ".join(names) + (f" @ {self.estimate.host}" if self.estimate.host else "")


def job_line(job: JobEstimate) -> dict[str, str | int]:
    """One row of the confirmation's table."""
    t_in, t_out = job.tokens_in, job.tokens_out
    return {
        "job_id": job.job_id or 0, "title": job.title, "company": job.company, "cost": describe(job.cost),
        "tokens": f"{_k(t_in.mid)} in / {_k(t_out.mid)} out",
    }


def preview_batch(*, session: Session, job_ids: list[int], owner: str, threshold: float | None = None) -> CostPreview:
    """The estimate for processing `job_ids` and whether the user must confirm it first."""
    choice = configured_models(owner=owner, session=session)
    est = estimate_jobs(session=session, job_ids=job_ids, owner=owner, choice=choice)
    source = "CONFIRM_COST_ABOVE"
    if threshold is None:
        from pipeline.llm.config import effective_settings

        eff = effective_settings(owner, session=session)
        threshold = eff.confirm_cost_above
        source = "Settings → Spending" if eff.sources.get("confirm_cost_above") == "saved" else source
    limit = threshold
    preview = CostPreview(estimate=est, confirm=est.needs_confirmation(limit), threshold=limit, threshold_from=source)
    if est.offline:
        return preview
    if est.unpriced:
        names = ", ".join(est.unpriced)
        where = "a remote server: it may bill you" if est.remote else "a local server (usually free)"
        preview.notes.append(f"No price is known for {names} on {where}; token counts only (set MODEL_PRICES for money figures).")
    preview.notes.extend(cap_notes(session=session, owner=owner, estimate=est, caps=caps_for(owner, session=session)))
    return preview


def cap_notes(*, session: Session, owner: str, estimate: BatchEstimate, caps: Caps) -> list[str]:
    """What the caps will do to this batch, from the jobs' expected (midpoint) costs in queue order."""
    costs = [j.cost.mid for j in estimate.jobs if j.cost is not None]
    if not costs:
        return []
    notes = []
    if caps.batch > 0:
        fit = _fit(costs, caps.batch)
        if fit < len(costs):
            notes.append(f"The batch cap is {money(caps.batch)} ({caps.batch_from}): about {len(costs) - fit} of these runs will be held.")
    if caps.month > 0:
        spent = month_spent(session=session, owner=owner)
        fit = _fit(costs, max(caps.month - spent, 0.0))
        if fit < len(costs):
            notes.append(
                f"This month's spend is {money(spent)} of the {money(caps.month)} monthly cap ({caps.month_from}): "
                f"about {len(costs) - fit} of these runs will be held."
            )
    return notes


def _fit(costs: list[float], room: float) -> int:
    n, total = 0, 0.0
    for c in costs:
        if total + c > room:
            break
        total, n = total + c, n + 1
    return n


@dataclass
class MonthSpend:
    spent: float
    cap: float  # 0 = none
    paid_model: bool  # the owner's next run uses a priced model
    resets: str  # "1 January 2027"

    @property
    def shown(self) -> bool:
        """The header shows the spend only when it can matter."""
        return self.paid_model or self.spent > 0

    @property
    def label(self) -> str:
        return money(self.spent) + (f" of {money(self.cap)}" if self.cap > 0 else "")


def month_summary(*, session: Session, owner: str) -> MonthSpend:
    """This month's spend (UTC) for the header, with the monthly cap."""
    from pipeline.llm import pricing

    choice = configured_models(owner=owner, session=session)
    paid = not choice.offline and any(pricing.is_priced(m) for m in choice.models.values())
    turn = next_month_start()
    return MonthSpend(
        spent=month_spent(session=session, owner=owner), cap=caps_for(owner, session=session).month, paid_model=paid,
        resets=f"{turn.day} {turn:%B %Y}",
    )


def _k(n: float) -> str:
    """12345 -> '12.3k'."""
    return f"{n / 1000:.1f}k" if n >= 1000 else f"{int(round(n))}"
