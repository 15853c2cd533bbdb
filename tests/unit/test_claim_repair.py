"""Claim repair: a flagged CV line gets the master's wording or is dropped when invented; a flagged
letter sentence is dropped or its verb softened; the frame of both stays; one log line per document."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from pipeline.graph.schemas import Outreach, Posting, Writing
from pipeline.llm.offline import OfflineAnalyst
from pipeline.llm.postprocess import enforce_limits, repair_claims
from pipeline.text.claim_repair import describe, repair_cv, repair_letter
from pipeline.text.claims import check_claims
from tests.unit.test_claims import ENGINEER

ROOT = Path(__file__).resolve().parents[2]
POSTING = "Data Engineer\nAcme Logistics\nWe run 40 warehouses on Snowflake. You will use Snowflake and Kubernetes."


def test_an_inflated_bullet_gets_the_masters_line_and_an_invented_one_goes() -> None:
    tailored = ENGINEER.replace(
        "- Contributed to the migration of the payments API to Kubernetes.",
        "- Led the company-wide migration of the payments API to Kubernetes.\n- Ran Rust services for 300 teams.",
    )
    fixed, repairs = repair_cv(tailored, ENGINEER)
    assert "- Contributed to the migration of the payments API to Kubernetes." in fixed
    assert "Led the" not in fixed and "company-wide" not in fixed and "Rust" not in fixed and "300" not in fixed
    assert check_claims(fixed, ENGINEER) == []
    assert [(r.action, r.kinds) for r in repairs] == [("replaced", ("verb_inflation", "scope")), ("dropped", ("new_skill", "number"))]
    assert repairs[0].changes == ("Led -> Contributed to", "company-wide removed")
    assert describe("cv", repairs) == "claim check, CV: repaired 1 line (Led -> Contributed to; company-wide removed), dropped 1 invented line"


def test_name_contact_headings_and_clean_lines_are_kept_byte_for_byte() -> None:
    master = ENGINEER.replace("# Sam Coder\n", "# Sam Coder\n\nsam@example.com · +44 20 7946 0000\n")
    tailored = master.replace("by 31%", "by 45%")
    fixed, repairs = repair_cv(tailored, master)
    assert fixed == master  # the one changed number is back, everything else untouched
    assert [r.changes for r in repairs] == [("45% -> 31%",)]


def test_a_faithful_cv_is_returned_unchanged() -> None:
    assert repair_cv(ENGINEER, ENGINEER) == (ENGINEER, [])
    shortened = ENGINEER.replace("- Supported the on-call rotation for the payments team.\n", "")
    assert repair_cv(shortened, ENGINEER) == (shortened, [])


def test_a_summary_sentence_is_repaired_in_its_paragraph_and_a_repeat_is_not_added() -> None:
    tailored = ENGINEER.replace("in Python and PostgreSQL.", "in Python and PostgreSQL. I cut the AWS bill by 60%.").replace("by 31%", "by 45%")
    fixed, repairs = repair_cv(tailored, ENGINEER)
    assert "Backend engineer with 6 years of experience in Python and PostgreSQL.\n" in fixed  # the sentence went, its paragraph stayed
    assert fixed.count("Cut the AWS bill by 31% by right-sizing RDS instances.") == 1  # in the bullet, not repeated in the summary
    assert [r.action for r in repairs] == ["replaced", "dropped"]
    assert describe("cv", repairs).endswith("dropped 1 line whose faithful wording the CV already shows")


def test_a_skills_list_loses_only_the_tool_the_master_never_names() -> None:
    tailored = ENGINEER.replace("## Experience", "## Skills\n\n- **Tools:** Python, PostgreSQL, Rust, pytest\n\n## Experience")
    fixed, repairs = repair_cv(tailored, ENGINEER)
    assert "- **Tools:** Python, PostgreSQL, pytest\n" in fixed
    assert [(r.action, r.changes) for r in repairs] == [("pruned", ("Rust removed",))]


def test_a_changed_title_and_dates_are_put_back_without_dropping_the_role() -> None:
    tailored = ENGINEER.replace("### Software Engineer — Acme Payments", "### Senior Software Engineer — Acme Payments")
    tailored = tailored.replace("*Leeds · 2017 – 2018*", "*Leeds · 2016 – 2018*")
    fixed, repairs = repair_cv(tailored, ENGINEER)
    assert fixed == ENGINEER
    assert {r.action for r in repairs} == {"restored"}
    assert describe("cv", repairs) == "claim check, CV: repaired 2 lines (job title as in your CV; dates as in your CV)"


LETTER = """Dear Acme Logistics hiring team,

I am applying for the Data Engineer role. I led the migration of the payments API to Kubernetes. I led a team of 12.

You need Snowflake. I have run Snowflake for years.

Kind regards,
Sam Coder
"""


def test_a_letter_loses_the_flagged_sentences_keeps_its_frame_and_softens_a_plain_verb() -> None:
    fixed, repairs = repair_letter(LETTER, ENGINEER, posting=POSTING)
    assert fixed == (
        "Dear Acme Logistics hiring team,\n\n"
        "I am applying for the Data Engineer role. I contributed to the migration of the payments API to Kubernetes.\n\n"
        "You need Snowflake.\n\nKind regards,\nSam Coder\n"
    )
    assert check_claims(fixed, ENGINEER, posting=POSTING) == []
    assert [r.action for r in repairs] == ["softened", "dropped", "dropped"]
    assert describe("cover_letter", repairs) == "claim check, cover letter: repaired 1 sentence (led -> contributed to), dropped 2 sentences"


def test_a_paragraph_whose_every_sentence_goes_leaves_no_gap() -> None:
    letter = "Dear team,\n\nI led a team of 12.\n\nI helped build the fraud scoring service in Python.\n\nKind regards,\nSam\n"
    fixed, _ = repair_letter(letter, ENGINEER, posting=POSTING)
    assert fixed == "Dear team,\n\nI helped build the fraud scoring service in Python.\n\nKind regards,\nSam\n"


def test_a_short_claim_is_no_greeting_or_sign_off() -> None:
    fixed, repairs = repair_letter("I led a team of 12.", ENGINEER, posting=POSTING)
    assert fixed == "" and [r.action for r in repairs] == ["dropped"]
    note = "Hi Ana, I led a team of 12 and would welcome a chat."
    assert repair_letter(note, ENGINEER, posting=POSTING)[0] == ""


def test_a_german_sentence_with_an_inflated_verb_is_dropped_not_rewritten() -> None:
    master = "# Lena Muster\n\n## Berufserfahrung\n\n### Entwicklerin — Beispiel GmbH\n\n*2020 – 2024*\n\n- Am Aufbau der Datenplattform mitgewirkt.\n"
    letter = "Sehr geehrte Damen und Herren,\n\nIch leitete den Aufbau der Datenplattform. Sie suchen jemanden mit Erfahrung.\n\nMit freundlichen Grüßen\nLena Muster\n"
    fixed, repairs = repair_letter(letter, master, posting="Entwicklerin\nBeispiel GmbH\nPlattform")
    assert "leitete" not in fixed and "Sie suchen jemanden mit Erfahrung." in fixed and fixed.endswith("Mit freundlichen Grüßen\nLena Muster\n")
    assert [r.action for r in repairs] == ["dropped"]


def test_a_faithful_non_english_frame_around_a_quoted_cv_line_is_left_alone() -> None:
    letter = ("Sehr geehrte Damen und Herren,\n\nIn meinem Lebenslauf steht: „Contributed to the migration of the payments API to Kubernetes.“ "
              "Sie nennen „Snowflake“ als Kern der Stelle.\n\nMit freundlichen Grüßen\nSam Coder\n")
    assert repair_letter(letter, ENGINEER, posting=POSTING) == (letter, [])


def test_repair_claims_covers_the_cv_letter_email_and_note() -> None:
    writing = Writing(
        cv_markdown=ENGINEER.replace("by 31%", "by 45%"),
        cover_letter=LETTER,
        outreach=Outreach(linkedin_note="Hello, I led a team of 12 on payments and would welcome a chat.", email_subject="Data Engineer",
                          email_body="Hello,\n\nI ran Snowflake for 5 years.\n\nKind regards,\nSam"),
    )
    fixed, repairs = repair_claims(writing, ENGINEER, posting=POSTING)
    assert {r.document for r in repairs} == {"cv", "cover_letter", "email", "linkedin_note"}
    assert "45%" not in fixed.cv_markdown and "team of 12" not in fixed.cover_letter
    assert fixed.outreach.email_body == "Hello,\n\nKind regards,\nSam" and "team of 12" not in fixed.outreach.linkedin_note
    assert fixed.outreach.email_subject == "Data Engineer"
    assert repair_claims(fixed, ENGINEER, posting=POSTING) == (fixed, [])


@pytest.mark.parametrize("job_index", range(4))
def test_the_offline_pack_is_left_exactly_as_written(job_index: int) -> None:
    """The offline analyst writes only from master lines: the repair must find nothing to do.
    (The full grid - every fixture posting against every fixture CV - is run by hand; see the report.)"""
    cv = (ROOT / "pipeline" / "sources" / "demo_data" / "master_cv.md").read_text(encoding="utf-8")
    job = json.loads((ROOT / "pipeline" / "sources" / "demo_data" / "jobs.json").read_text(encoding="utf-8"))[job_index]
    posting = Posting(title=job["title"], company=job["company"], location=job.get("location", ""), description=job["description"])

    async def go() -> Writing:
        a = OfflineAnalyst()
        intake = await a.intake(posting)
        pains, research, fit = await asyncio.gather(a.pain_points(posting, intake), a.research(posting, intake), a.fit(posting, intake, cv))
        return enforce_limits(await a.writing(posting, intake, pains, fit, research, cv))

    writing = asyncio.run(go())
    text = "\n".join([job["title"], job["company"], job["description"]])
    assert repair_claims(writing, cv, posting=text) == (writing, [])


@pytest.mark.parametrize(("language", "words"), [("en", "Data Engineer role at Acme Logistics"), ("de", "Acme Logistics")])
def test_a_note_whose_only_sentence_is_dropped_becomes_the_claim_free_note(language: str, words: str) -> None:
    """A model's one-sentence LinkedIn note that inflates a claim used to end empty after the repair:
    the writing layer now sends the plain note (role, company, closing request) in the posting's language."""
    from types import SimpleNamespace

    from pipeline.graph.nodes.writing import writing as writing_node
    from pipeline.graph.schemas import Fit, FitBreakdown, Intake, PainPoints, Research
    from pipeline.llm.base import Usage
    from pipeline.runs.events import MemorySink

    posting = Posting(title="Data Engineer", company="Acme Logistics", description=POSTING)
    intake = Intake(title="Data Engineer", company="Acme Logistics", language=language)
    inflated = Writing(cv_markdown=ENGINEER, cover_letter="", outreach=Outreach(
        linkedin_note="Hello, I led a team of 12 on payments and would welcome a chat.", email_subject="Data Engineer", email_body=""))

    class Scripted(OfflineAnalyst):
        async def writing(self, *args, **kwargs) -> Writing:
            return inflated

    sink = MemorySink()
    ctx = SimpleNamespace(run_id=1, analyst=Scripted(), usage=Usage(), sink=sink, cancelled=lambda: False, executed=[], done=set(),
                          node_timeout=30.0, out_dir=None, publisher=None)
    state = {"posting": posting.model_dump(), "intake": intake.model_dump(), "pain_points": PainPoints(items=[]).model_dump(),
             "fit": Fit(score=50, breakdown=FitBreakdown(must_have=50, nice_to_have=50, seniority=50, title=50)).model_dump(), "research": Research().model_dump(), "cv_markdown": ENGINEER}
    out = asyncio.run(writing_node(state, SimpleNamespace(context=ctx)))
    note = out["writing"]["outreach"]["linkedin_note"]
    assert words in note and note.count(".") >= 1 and "team of 12" not in note and len(note) <= 300
    assert any(r["document"] == "linkedin_note" for r in out["claim_repairs"])


def test_interview_stories_are_claim_checked_and_one_left_without_an_action_becomes_a_gap_note() -> None:
    """STAR stories were not checked: a model's "I led the migration" from "Contributed to" reached the dossier."""
    from pipeline.graph.schemas import StarStory

    led = StarStory(pain_point="Kubernetes", situation="The payments API ran on old servers.", task="Move it to Kubernetes.",
                    action="I led the migration of the payments API to Kubernetes. I wrote the deployment manifests.",
                    result="Deploys got faster.", source_line="Contributed to the migration of the payments API to Kubernetes.")
    invented = StarStory(pain_point="Snowflake", situation="", task="", action="I ran Snowflake for 5 years.", result="", source_line="")
    writing = Writing(cv_markdown=ENGINEER, cover_letter="", outreach=Outreach(linkedin_note="", email_subject="", email_body=""),
                      star_stories=[led, invented])
    fixed, repairs = repair_claims(writing, ENGINEER, posting=POSTING)
    assert {r.document for r in repairs} == {"star_story"}
    first, second = fixed.star_stories
    assert "led" not in first.action.lower() and first.pain_point == "Kubernetes" and not first.gap
    assert second.gap and not second.action and "Snowflake" in second.gap
    assert describe("star_story", repairs).startswith("claim check, interview stories:")
    assert repair_claims(fixed, ENGINEER, posting=POSTING) == (fixed, [])
