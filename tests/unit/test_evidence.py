"""Evidence pairing (issue 16, parts 1, 5, 6): every requirement is answered by a CV line that
shares a skill or term with it, or honestly left out; the letter is one a job seeker could send."""

from __future__ import annotations

import re

import pytest

from pipeline.graph.outputs import render_dossier
from pipeline.graph.schemas import Outreach, PainPoint, PainPoints, StarStory, Writing
from pipeline.llm.offline.analyst import _requirement_text
from pipeline.llm.postprocess import validate_pairs
from pipeline.text.analysis import split_sentences
from pipeline.text.cv import parse_cv
from pipeline.text.evidence import shares_evidence
from tests.unit.test_offline_analyst import DEMO_CV, DEMO_JOBS, demo_posting, run

_DEMO = {j["title"]: j for j in DEMO_JOBS}


def _demo(title: str) -> dict:
    return run(demo_posting(_DEMO[title]), DEMO_CV)


def _paragraphs(letter: str) -> list[str]:
    return [p for p in letter.split("\n\n") if p.startswith(("You put “", "You also need “", "You also mention “"))]


@pytest.fixture(scope="module")
def demo_runs() -> list[tuple[dict, dict]]:
    return [(job, run(demo_posting(job), DEMO_CV)) for job in DEMO_JOBS]


# --- the rule -----------------------------------------------------------------------


def test_shared_skill_synonym_and_word_forms_count():
    assert shares_evidence("Experience with EKS", "Ran Kubernetes clusters for 40 services") == ["Kubernetes"]
    assert {"invoic", "supplier"} <= set(shares_evidence("Reconcile supplier invoices weekly", "Reconciled invoices from 300 suppliers"))


def test_unrelated_or_generic_overlap_is_not_evidence():
    fastapi = "Designed and built a FastAPI pricing service on PostgreSQL 14 serving 1,800 requests per second"
    assert shares_evidence("Design and analyse structures in timber", fastapi) == []
    assert shares_evidence("Assess and treat critically ill patients", "Migrated 40 services to Kubernetes with a strong team") == []
    assert shares_evidence("Strong experience working in a team", "Worked in a strong team with years of experience") == []
    # one common word is a homonym as often as a match ("orders" table vs purchase orders)
    assert shares_evidence("Process purchase orders", "Partitioned the PostgreSQL orders table") == []


# --- the offline analyst on the demo data -------------------------------------------


def test_structural_engineer_gets_no_fastapi_story_and_an_honest_gap():
    out = _demo("Structural Engineer")
    w = out["writing"]
    assert not any("FastAPI" in s.source_line or "FastAPI" in s.action for s in w.star_stories)
    timber = next(s for s in w.star_stories if "timber" in s.pain_point.lower())
    assert timber.source_line == "" and timber.gap.startswith("Your CV has no example of")
    assert _paragraphs(w.cover_letter) == []  # no requirement answered with an unrelated line (the CV summary may still say who I am)
    assert "FastAPI" not in w.cover_letter and "timber" not in w.cover_letter.lower()
    state = {"posting": demo_posting(_DEMO["Structural Engineer"]).model_dump(), **{k: v.model_dump() for k, v in out.items()}}
    state["pain_points"] = state.pop("pains")
    dossier = render_dossier(state, {"offline": True, "run_id": 1})
    prep = dossier.split("## Interview prep", 1)[1]
    assert "Your CV has no example of “Design and analyse structures in timber” yet: prepare a short story" in prep
    assert "FastAPI" not in prep


def test_nursing_posting_with_a_software_cv_claims_nothing():
    w = _demo("Registered Nurse — Intensive Care Unit")["writing"]
    assert all(s.source_line == "" and s.gap for s in w.star_stories)
    assert _paragraphs(w.cover_letter) == []
    for word in ("Kubernetes", "Kafka", "FastAPI", "PostgreSQL"):
        assert word not in w.cover_letter.split("\n\n", 2)[2] and word not in w.outreach.email_body


def test_software_posting_with_the_software_cv_is_well_paired():
    out = _demo("Senior Backend Engineer (Python)")
    w, pains = out["writing"], {p.title: p for p in out["pains"].items}
    stories = [s for s in w.star_stories if s.source_line]
    assert len(stories) >= 2
    for s in stories:
        assert shares_evidence(_requirement_text(pains[s.pain_point]), s.source_line)
    assert 2 <= len(_paragraphs(w.cover_letter)) <= 3
    assert w.cover_letter.split("\n\n")[1].startswith("I am applying for the Senior Backend Engineer (Python) role at Lumenfold Analytics.")


def test_every_demo_letter_is_short_uncounted_and_not_a_copy(demo_runs):
    bullets = {re.sub(r"\W+", " ", b).strip().lower() for _, b in parse_cv(DEMO_CV).bullets}
    for job, out in demo_runs:
        letter = out["writing"].cover_letter
        assert len(letter.split()) <= 350, job["title"]
        assert "must-have skills you list" not in letter and "my CV shows" not in letter, job["title"]
        copied = [s for s in split_sentences(letter) if re.sub(r"\W+", " ", s).strip().lower() in bullets]
        assert len(copied) <= 1, (job["title"], copied)
        assert len(_paragraphs(letter)) <= 3


def test_no_unrelated_pairs_across_the_demo_postings(demo_runs):
    unrelated, paired = [], 0
    for job, out in demo_runs:
        pains = {p.title: p for p in out["pains"].items}
        for s in out["writing"].star_stories:
            if s.source_line:
                paired += 1
                if not shares_evidence(_requirement_text(pains[s.pain_point]), s.source_line):
                    unrelated.append((job["title"], s.pain_point, s.source_line))
            else:
                assert s.gap, (job["title"], s.pain_point)
    assert unrelated == []
    assert paired >= 15  # the demo CV still answers the software postings


def test_pain_point_evidence_is_a_sentence_not_a_title(demo_runs):
    for job, out in demo_runs:
        titles = [p.title.lower() for p in out["pains"].items]
        assert len(titles) == len(set(titles)), job["title"]
        for p in out["pains"].items:
            ev = p.evidence.strip().rstrip(".").lower()
            assert ev and ev != p.title.strip().rstrip(".").lower(), (job["title"], p.title)
            assert ev != job["title"].lower(), job["title"]


# --- the model path -----------------------------------------------------------------


def _writing(stories: list[StarStory]) -> Writing:
    return Writing(cv_markdown="# CV", cover_letter="Dear team,", outreach=Outreach(linkedin_note="hi", email_subject="s", email_body="b"), star_stories=stories)


def _story(pain: str, line: str) -> StarStory:
    return StarStory(pain_point=pain, situation="At X.", task="T.", action=line, result="R.", source_line=line)


def test_model_pairs_without_a_shared_term_become_gap_notes():
    pains = PainPoints(items=[
        PainPoint(title="Administer medicines safely", evidence="Administer medicines in line with trust policy."),
        PainPoint(title="Run EKS clusters", evidence="Run and improve our EKS clusters across two regions."),
    ])  # fmt: skip
    w = validate_pairs(_writing([
        _story("Administer medicines safely", "Migrated 40 services to Kubernetes with zero downtime."),
        _story("Run EKS clusters", "Migrated 40 services to Kubernetes with zero downtime."),
    ]), pains)  # fmt: skip
    nurse, eks = w.star_stories
    assert nurse.source_line == "" and "no example of “Administer medicines safely”" in nurse.gap
    assert eks.source_line.startswith("Migrated") and eks.gap == ""


def test_gap_notes_from_the_model_are_kept_and_schema_stays_compatible():
    old = StarStory.model_validate({"pain_point": "p", "situation": "s", "task": "t", "action": "a", "result": "r"})
    assert old.gap == "" and old.source_line == ""
    gap = StarStory(pain_point="Timber", situation="", task="", action="", result="", gap="Your CV has no example of “Timber” yet.")
    assert validate_pairs(_writing([gap]), PainPoints()).star_stories == [gap]
