"""The application pack: result.json's content, the dossier, and the files on disk."""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from pipeline.graph.schemas import Fit, Intake, PainPoints, People, Posting, Research, Writing
from pipeline.llm.offline import phrases as ph
from pipeline.redact import redact

_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*\x7f]+')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_name(text: str, fallback: str = "unknown", limit: int = 60) -> str:
    """A folder name valid on Linux, macOS and Windows; letters of any script are kept."""
    s = unicodedata.normalize("NFKC", text or "")
    s = _UNSAFE.sub("-", s)
    s = re.sub(r"\s+", " ", s).strip(" .-")
    s = re.sub(r"-{2,}", "-", s)[:limit].strip(" .-")
    if not s or s.lower() in _RESERVED or set(s) <= {"."}:
        return fallback
    return s


def pack_dir(data_dir: Path, company: str, role: str, run_id: int) -> Path:
    return data_dir / "applications" / safe_name(company, "company") / safe_name(role, "role") / str(run_id)


class Layers(NamedTuple):
    """The layers' outputs parsed back from the state's plain dicts (once per use)."""

    posting: Posting
    intake: Intake
    pains: PainPoints
    research: Research
    fit: Fit
    people: People
    writing: Writing


def layers(state: dict[str, Any]) -> Layers:
    return Layers(
        Posting.model_validate(state["posting"]), Intake.model_validate(state["intake"]),
        PainPoints.model_validate(state["pain_points"]), Research.model_validate(state["research"]),
        Fit.model_validate(state["fit"]), People.model_validate(state["people"]), Writing.model_validate(state["writing"]),
    )


def build_result(state: dict[str, Any], *, run_id: int, model: str, offline: bool, usage: dict[str, dict[str, float]]) -> dict[str, Any]:
    """Everything structured, as result.json holds it."""
    _, intake, pains, research, fit, people, writing = layers(state)
    return {
        "run_id": run_id,
        "model": model,
        "offline": offline,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "job": {"title": intake.title, "company": intake.company, "location": intake.location, "seniority": intake.seniority, "language": intake.language},
        "fit_score": fit.score,
        "fit_breakdown": fit.breakdown.model_dump(),
        "fit_rationale": fit.rationale,
        "matched_skills": fit.matched_skills,
        "missing_skills": fit.missing_skills,
        "must_have": intake.must_have,
        "nice_to_have": intake.nice_to_have,
        "pain_points": [p.model_dump() for p in pains.items],
        "research": research.model_dump(),
        "contacts": [c.model_dump() for c in people.contacts],
        "outreach": writing.outreach.model_dump(),
        "star_stories": [s.model_dump() for s in writing.star_stories],
        "untraceable_lines": list(state.get("untraceable_lines", [])),
        "claim_repairs": list(state.get("claim_repairs", [])),
        "timings": dict(state.get("timings", {})),
        "tokens_in": int(sum(u.get("tokens_in", 0) for u in usage.values())),
        "tokens_out": int(sum(u.get("tokens_out", 0) for u in usage.values())),
        "cost_usd": round(sum(u.get("cost_usd", 0.0) for u in usage.values()), 6),
    }


def render_dossier(state: dict[str, Any], result: dict[str, Any]) -> str:
    """The research dossier in markdown (rendered to HTML/PDF with raw HTML off), headed in the posting's language."""
    posting, intake, pains, research, fit, people, writing = layers(state)
    lg = ph.lang(intake.language)

    def t(key: str, **slots: str) -> str:
        return ph.t(lg, key, **slots)

    b = fit.breakdown
    out = [f"# {intake.title} — {intake.company or t('d_unknown_company')}", ""]
    meta = [x for x in (intake.location, ph.level(intake.seniority, lg) if intake.seniority != "unspecified" else "", posting.url) if x]
    if meta:
        out += [" · ".join(meta), ""]
    out += [f"## {t('d_role')}", "", intake.summary or research.role_summary or t("d_no_summary"), ""]
    if intake.must_have:
        out += [f"**{t('d_must')}:** " + ", ".join(intake.must_have), ""]
    if intake.nice_to_have:
        out += [f"**{t('d_nice')}:** " + ", ".join(intake.nice_to_have), ""]
    if intake.responsibilities:
        out += [f"**{t('d_resp')}:**", "", *[f"- {r}" for r in intake.responsibilities[:10]], ""]
    out += [f"## {t('d_notes')}", ""]
    if research.company_summary:
        out += [research.company_summary, ""]
    out += [*[f"- {n}" for n in research.notes], ""]
    if research.facts:  # sentences from the company's own pages, each with its page and the day it was read
        for f in research.facts:  # a model's summary also shows the page's words it was checked against
            out += [f"- {f.text} ([{_short_url(f.source_url)}]({f.source_url}), {f.fetched_on})"]
            out += [f"   > {f.quote}"] if f.quote and f.quote != f.text else []
        out += [""]
    out += [f"## {t('d_pains')}", ""]
    for i, p in enumerate(pains.items, 1):
        out += [f"{i}. **{p.title}**" + (f" — {p.detail}" if p.detail else ""), f"   > {p.evidence}", ""]
    out += [
        f"## {t('d_fit')}", "", f"**{fit.score}/100.** {fit.rationale}", "",
        f"| {t('d_part')} | {t('d_score')} |", "|---|---|",
        f"| {t('d_must_skills')} | {b.must_have:.0f} |", f"| {t('d_nice_skills')} | {b.nice_to_have:.0f} |",
        f"| {t('d_seniority')} | {b.seniority:.0f} |", f"| {t('d_title')} | {b.title:.0f} |", "",
        f"**{t('d_matched')}:** " + (", ".join(fit.matched_skills) or t("d_none")), "",
        f"**{t('d_missing')}:** " + (", ".join(fit.missing_skills) or t("d_none")), "",
        f"## {t('d_people')}", "",
    ]  # fmt: skip
    for c in people.contacts:
        role = ph.contact_role(c.role, lg)
        who = c.name or f"*{role} ({t('d_to_find')})*"
        extra = f" — {t('d_placeholder')}" if c.is_placeholder else f" — {t('d_source')}: {t('d_the_posting') if c.source == 'posting' else c.source}"
        link = f" — [{t('d_search')}]({c.search_url})" if c.search_url else ""
        out.append(f"- **{role}**: {who}{extra}{link}")
    o = writing.outreach
    out += ["", f"## {t('d_outreach')}", "", f"**{t('d_linkedin')}**", "", o.linkedin_note, "", f"**{t('d_email')} — {o.email_subject}**", "", o.email_body, ""]
    if writing.star_stories:
        out += [f"## {t('d_prep')}", ""]
        for s in writing.star_stories:
            if s.gap and not s.source_line:  # no CV example: say so plainly instead of a story from an unrelated line
                out += [f"### {s.pain_point}", "", s.gap, ""]
                continue
            out += [
                f"### {s.pain_point}", "", f"- **{t('d_situation')}:** {s.situation}", f"- **{t('d_task')}:** {s.task}",
                f"- **{t('d_action')}:** {s.action}", f"- **{t('d_result')}:** {s.result}", "",
            ]  # fmt: skip
    if result.get("untraceable_lines"):
        out += [f"## {t('d_check')}", "", t("d_untraceable"), "", *[f"- {ln}" for ln in result["untraceable_lines"]], ""]
    out += [f"## {t('d_sources')}", "", *_source_lines(posting.url, research, t("d_the_posting")), ""]
    made_by = t("d_made_offline") if result.get("offline") else t("d_made_model", model=str(result.get("model")))
    out += ["---", f"*{t('d_footer', made_by=made_by, run_id=str(result.get('run_id')))}*", ""]
    return "\n".join(out)


def _short_url(url: str) -> str:
    """`northwind.example/about-us`: the address without scheme and trailing slash, for a link's text."""
    return url.split("://", 1)[-1].rstrip("/")[:80]


def _source_lines(posting_url: str, research: Research, the_posting: str) -> list[str]:
    """Every source research read, the posting first; a web page with the day it was read when a fact gives it."""
    dated = {f.source_url: f.fetched_on for f in research.facts if f.fetched_on}
    lines: list[str] = []
    for s in research.sources or ["posting"]:
        if s == "posting":
            lines.append(f"- {the_posting}" + (f": <{posting_url}>" if posting_url.startswith(("http://", "https://")) else ""))
        elif s.startswith(("http://", "https://")):
            lines.append(f"- <{s}>" + (f" ({dated[s]})" if s in dated else ""))
        else:
            lines.append(f"- {s}")
    return lines


def write_pack(out_dir: Path, state: dict[str, Any], result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Write every file of the pack (atomically, so a crash leaves no half file); return their metadata."""
    writing = Writing.model_validate(state["writing"])
    files = {
        "CV.md": writing.cv_markdown.rstrip() + "\n",
        "cover_letter.md": writing.cover_letter.rstrip() + "\n",
        "outreach.json": json.dumps(writing.outreach.model_dump(), ensure_ascii=False, indent=2) + "\n",
        "dossier.md": render_dossier(state, result),
        "result.json": json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n",
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    meta: dict[str, dict[str, Any]] = {}
    for name, text in files.items():
        data = redact(text).encode("utf-8")
        path = out_dir / name
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        meta[name] = {"path": str(path), "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return meta
