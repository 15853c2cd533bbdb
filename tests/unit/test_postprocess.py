"""Shared post-processing: the traceability check and channel limits, for both model paths."""

from __future__ import annotations

from pathlib import Path

from pipeline.graph.schemas import Outreach, StarStory, Writing
from pipeline.llm.postprocess import (
    COVER_LETTER_MAX_WORDS,
    LINKEDIN_MAX_CHARS,
    SUBJECT_MAX_CHARS,
    enforce_limits,
    strip_html,
    trim_chars,
    trim_words,
    untraceable_lines,
)

MASTER = (Path(__file__).resolve().parents[2] / "pipeline" / "sources" / "demo_data" / "master_cv.md").read_text(encoding="utf-8")


def _writing(**kw) -> Writing:
    outreach = Outreach.model_construct(
        linkedin_note=kw.pop("note", "Hi"), email_subject=kw.pop("subject", "Application"), email_body=kw.pop("body", "Hello")
    )
    return Writing.model_construct(
        cv_markdown=kw.pop("cv", "# CV"), cover_letter=kw.pop("letter", "Dear team,"), outreach=outreach, star_stories=kw.pop("stories", [])
    )


# --- untraceable_lines -------------------------------------------------------------


def test_the_master_itself_is_fully_traceable():
    assert untraceable_lines(MASTER, MASTER) == []
    assert untraceable_lines("", MASTER) == []


def test_invented_claims_are_flagged():
    tailored = MASTER + "\n- Led a team of 50 at Google.\n- Expert in Rust and Haskell.\n- Reduced AWS costs by 45%.\n"
    assert untraceable_lines(tailored, MASTER) == ["Led a team of 50 at Google.", "Expert in Rust and Haskell.", "Reduced AWS costs by 45%."]


def test_rephrasing_that_keeps_the_key_words_passes():
    tailored = "\n".join(
        [
            "# Jane Doe",
            "## Experience",
            "- Designed a FastAPI pricing service on PostgreSQL handling 1,800 requests per second at a p99 of 85 ms, replacing a legacy Java quote engine.",
            "- Cut the AWS bill by 31% by right-sizing RDS instances and moving cold data to Glacier.",
            "- **Cloud:** Kubernetes, Terraform, AWS (EKS, ECS, RDS, S3, Lambda, IAM), Docker",
            "Senior backend and data engineer with 9 years of experience building Python services on AWS.",
        ]
    )
    assert untraceable_lines(tailored, MASTER) == []


def test_headings_contact_and_date_lines_are_not_claims():
    tailored = "# Jane Doe\n\nLondon · jane@new-domain.example · +44 20 7000 0000\n\n### Principal Engineer — Acme\n\n*Jan 2030 – Present*\n\n---\n"
    assert untraceable_lines(tailored, MASTER) == []


def test_one_invented_sentence_inside_a_paragraph_is_reported_alone():
    para = "Senior backend and data engineer with 9 years of experience building Python services and data platforms on AWS. I won the Turing Award in 2019."
    assert untraceable_lines(para, MASTER) == ["I won the Turing Award in 2019."]


# --- enforce_limits ------------------------------------------------------------------


def test_linkedin_note_is_trimmed_at_a_word_boundary():
    note = "Hello there, " + " ".join(["connecting"] * 60)
    out = enforce_limits(_writing(note=note))
    assert len(out.outreach.linkedin_note) <= LINKEDIN_MAX_CHARS
    assert out.outreach.linkedin_note.endswith("…") and "connectin…" not in out.outreach.linkedin_note


def test_note_prefers_a_sentence_end_when_close_to_the_limit():
    note = ("I am applying for the data engineer role and would love to connect. " * 4) + "Extra words " * 20
    trimmed = trim_chars(note, 300)
    assert len(trimmed) <= 300 and trimmed.endswith(".")


def test_subject_and_cover_letter_limits():
    letter = "Dear team,\n\n" + " ".join(f"Sentence number {i} says something useful here." for i in range(100)) + "\n\nKind regards,\nJane Doe"
    out = enforce_limits(_writing(subject="Application " + "very " * 60 + "long", letter=letter))
    assert len(out.outreach.email_subject) <= SUBJECT_MAX_CHARS
    assert len(out.cover_letter.split()) <= COVER_LETTER_MAX_WORDS
    assert out.cover_letter.endswith("Kind regards,\nJane Doe")
    body = out.cover_letter.rsplit("\n\n", 1)[0]
    assert body.rstrip().endswith(".")  # cut at a sentence boundary


def test_short_texts_are_left_alone():
    assert trim_words("Dear team,\n\nShort.\n\nKind regards", 450) == "Dear team,\n\nShort.\n\nKind regards"
    assert trim_chars("Hi there.", 300) == "Hi there."


def test_raw_html_is_stripped_from_every_field():
    story = StarStory(pain_point="<b>Scale</b>", situation="s<br>", task="t", action="<i>a</i>", result="r", source_line="x")
    out = enforce_limits(
        _writing(
            cv="# CV\n<div class='x'>Python</div>\n<!-- hidden -->",
            letter="Dear <strong>team</strong>,<script>alert(1)</script> with <5 years of on-call.",
            note="Hi <a href='https://x'>there</a>",
            subject="<em>Application</em>",
            body="Hello<br/>again",
            stories=[story],
        )
    )
    assert out.cv_markdown == "# CV\nPython\n"
    assert out.cover_letter == "Dear team,alert(1) with <5 years of on-call."
    assert out.outreach.linkedin_note == "Hi there" and out.outreach.email_subject == "Application"
    assert out.outreach.email_body == "Hello\nagain"
    assert out.star_stories[0].pain_point == "Scale" and out.star_stories[0].action == "a"
    assert strip_html("a < b and c > d") == "a < b and c > d"
