"""The offline fit's tie-breaks and cross-language reading (issue 16, "Measured, not assumed").

Why: where two CVs meet the same must-haves, a recruiter separates them by the rest of the
posting (the skills its title and duties name) and by whether the CV's titles name the same
specialism, in whatever language; each rule here is general, not a rule per benchmark case.
"""

from __future__ import annotations

import pytest

from pipeline.text.fit import cv_facts, fit_posting, title_skill_similarity, unlisted_terms
from pipeline.text.lexicon import expand, skill_names
from pipeline.text.posting import analyse


def _cv(title: str, skills: str, headline: str = "") -> str:
    return f"""# Sam Example

sam@example.com

## Profile

{headline or title + " with 7 years of experience."}

## Experience

### {title} — Example Ltd

*London · 2018 – Present*

- Delivered the work the role asks for.

## Skills

- {skills}
"""


def _fit(posting, cv_md: str):
    v = analyse(*posting)
    return fit_posting(v, cv_facts(cv_md), must_items=list(v.must), nice_items=list(v.nice), level=v.seniority, title=v.title)


FINANCE = (
    "Senior Financial Analyst",
    "Acme",
    "",
    "You will own the monthly forecast and present variance analysis to the CFO.\n\n"
    "What we're looking for\n- 5 years in finance\n- Advanced Excel\n",
)


def test_skills_named_outside_the_lists_break_a_must_have_tie() -> None:
    """Both CVs have the one must-have (Excel); the one with the duties' variance analysis scores higher."""
    v = analyse(*FINANCE)
    assert list(v.must) == ["Excel"] and list(v.nice) == []
    assert "Variance analysis" in unlisted_terms(v, v.title, list(v.must))
    with_duty = _fit(FINANCE, _cv("Management Accountant", "Excel, variance analysis"))
    without = _fit(FINANCE, _cv("Tax Adviser", "Excel, corporation tax"))
    assert with_duty.breakdown.must_have == without.breakdown.must_have == 100.0
    assert with_duty.score > without.score, (with_duty.score, without.score)


def test_unlisted_terms_leave_out_the_lists_the_offer_and_soft_skills() -> None:
    v = analyse(
        "Data Engineer",
        "",
        "",
        "## Responsibilities\n- Build pipelines in Airflow with great communication\n\n## Requirements\n- Python\n\n"
        "## Benefits\n- Free Kubernetes course\n",
    )
    terms = unlisted_terms(v, v.title, list(v.must) + list(v.nice))
    assert "Python" not in terms and "Kubernetes" not in terms and "Communication" not in terms


@pytest.mark.parametrize(
    ("posting_title", "cv_title", "score"),
    [
        ("Docent Wiskunde (0,8 fte) bij Het Lindencollege", "Teacher of Mathematics", 80.0),  # Dutch posting, English CV
        ("Docent Wiskunde (0,8 fte) bij Het Lindencollege", "Teacher of Physics", 0.0),
        ("Tragwerksplaner Hochbau (m/w/d)", "Structural Engineer", 80.0),  # German posting, English CV
        ("Structural Engineer – Bridges Team", "Tragwerksplanerin", 40.0),  # one of the two specialisms named
        ("Senior Backend Engineer", "Backend Engineer", 0.0),  # no skill in the title: word overlap decides
    ],
)
def test_titles_that_name_the_same_specialism_match_across_languages(posting_title: str, cv_title: str, score: float) -> None:
    assert title_skill_similarity(posting_title, frozenset(expand(skill_names(cv_title)))) == score


def test_a_maths_teacher_beats_a_physics_teacher_who_also_names_maths_on_a_dutch_maths_posting() -> None:
    posting = ("", "", "", "Docent Wiskunde (0,8 fte) bij Het Lindencollege\n\nWat vragen wij\n- Een eerstegraads lesbevoegdheid wiskunde\n")
    maths = _fit(posting, _cv("Teacher of Mathematics", "QTS, mathematics"))
    physics = _fit(posting, _cv("Teacher of Physics", "QTS, physics, mathematics"))
    assert maths.breakdown.must_have == physics.breakdown.must_have == 100.0
    assert maths.score > physics.score, (maths.score, physics.score)


def test_a_staff_nurse_grade_is_not_a_staff_level() -> None:
    """'Senior Staff Nurse' is a senior nurse, not a principal ('staff engineer')."""
    assert cv_facts(_cv("Senior Staff Nurse (Band 6), Critical Care Unit", "ICU")).level == "senior"


@pytest.mark.parametrize(
    ("text", "has", "lacks"),
    [
        ("Valencia · Colegiada nº 46-12345", "Registered Nurse licence", ""),  # Spanish nursing-college registration
        ("Atención a pacientes críticos hasta su traslado a la UCI.", "", "ICU experience"),  # a transfer, not ICU work
        ("Stabilised patients before their transfer to the ICU.", "", "ICU experience"),
        ("Seis años de enfermera en la UCI.", "ICU experience", ""),
        ("Tragwerksplanung für zwei Straßenbrücken aus Spannbeton", "Bridge design", ""),
        ("Tragwerksplanung für zwei Straßenbrücken aus Spannbeton", "Concrete design", ""),
        ("Senior Constructeur Beton", "Structural design", ""),  # Dutch: a structural engineer
        ("Constructeur automobile", "", "Structural design"),  # French: a car maker
        ("Orderpicker (fulltime, dagdienst)", "Order picking", ""),
        ("Je werkt in ons distributiecentrum.", "Warehouse operations", ""),
    ],
)
def test_lexicon_reads_the_same_skill_across_languages(text: str, has: str, lacks: str) -> None:
    names = skill_names(text)
    assert (not has or has in names) and (not lacks or lacks not in names), names


def test_an_emergency_department_is_an_acute_setting() -> None:
    assert "Acute care" in expand(skill_names("Enfermera de Urgencias"))
