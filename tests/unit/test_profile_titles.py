"""Suggested job titles across professions, and the rules for editing the list."""

from __future__ import annotations

import asyncio

import pytest

from pipeline.llm.base import Usage
from pipeline.llm.openai_analyst import LLMAnalyst
from pipeline.profile.structure import structure_offline, to_markdown
from pipeline.profile.titles import (
    CATALOG,
    MAX_TITLES,
    TitleError,
    add_title,
    dedupe,
    move_title,
    remove_title,
    suggest_titles_llm,
    suggest_titles_offline,
    validate_titles,
)  # fmt: skip
from pipeline.text.lexicon import domain_of
from tests.support.fake_openai import FakeOpenAI, reply

CVS = {
    "nurse": """Aoife Byrne
aoife@example.com
## Experience
### Staff Nurse (Band 5), Acute Medical Unit — St James's Hospital
*2019 – Present*
- Patient assessment, medication administration and IV therapy for 12 patients; recognising deterioration with NEWS2.
- Cannulation, wound care and discharge planning; BLS and ILS certified.
## Education
BSc Nursing, Trinity College Dublin, 2015 – 2019
""",
    "backend": """Tomás Silva
tomas@example.com
## Experience
### Senior Backend Engineer — Paylink
*2018 – Present*
- Built Python and Go microservices on PostgreSQL and Kafka; REST APIs and gRPC; Kubernetes on AWS.
### Software Engineer — Shopwise
*2014 – 2018*
- Django services, Redis caching, unit testing with pytest, CI/CD with GitHub Actions.
""",
    "teacher": """Priya Shah
priya@example.com
## Experience
### Mathematics Teacher — Hillside Academy
*2016 – Present*
- Taught GCSE and A level Mathematics and Further Mathematics; lesson planning and behaviour management.
- Key Stage 3 and Key Stage 4 curriculum; Qualified Teacher Status.
""",
    "accountant": """Lena Vogel
lena@example.com
## Experience
### Management Accountant — Brauhaus GmbH
*2017 – Present*
- Management accounts, month-end close, variance analysis and budgeting; reconciliations in SAP.
- Financial reporting under IFRS; CIMA qualified.
""",
    "designer": """Kenji Mori
kenji@example.com
## Experience
### UX Designer — Mapwise
*2020 – Present*
- User research, wireframing and prototyping in Figma; usability testing with 40 participants; design systems.
""",
}
EXPECTED_DOMAIN = {"nurse": "nursing", "backend": "software", "teacher": "teaching", "accountant": "finance", "designer": "design"}
_DOMAIN_OF_TITLE = {c.title: c.domain for c in CATALOG}


def _suggest(kind: str) -> list[dict[str, str]]:
    data = structure_offline(CVS[kind])
    return suggest_titles_offline(data.model_dump(mode="json"), to_markdown(data))


def _domain(title: str) -> str:
    base = title.removeprefix("Senior ").removeprefix("Junior ")
    return _DOMAIN_OF_TITLE[base]


@pytest.mark.parametrize("kind", sorted(CVS))
def test_titles_fit_the_profession(kind):
    titles = _suggest(kind)
    assert 5 <= len(titles) <= 10, titles
    assert all(t["title"] and t["reason"].endswith(".") and len(t["reason"]) <= 200 for t in titles)
    assert len({t["title"].casefold() for t in titles}) == len(titles)
    domains = [_domain(t["title"]) for t in titles]
    assert domains[0] == EXPECTED_DOMAIN[kind], titles
    assert domains.count(EXPECTED_DOMAIN[kind]) >= 3, titles


def test_a_nurse_gets_no_engineering_titles_and_an_engineer_no_nursing_titles():
    assert not [t for t in _suggest("nurse") if _domain(t["title"]) in ("software", "data", "cloud", "engineering")]
    assert not [t for t in _suggest("backend") if _domain(t["title"]) in ("nursing", "teaching", "pharmacy")]


def test_specific_titles_lead_and_seniority_is_applied():
    backend = [t["title"] for t in _suggest("backend")]
    assert backend[0] == "Senior Backend Engineer"
    assert "Paylink" in _suggest("backend")[0]["reason"] or "Python" in _suggest("backend")[0]["reason"]
    assert "Mathematics Teacher" in [t["title"] for t in _suggest("teacher")][:2]
    nurse = [t["title"] for t in _suggest("nurse")]
    assert "Registered Nurse" in nurse[:3]


def test_catalog_skills_are_lexicon_skills():
    unknown = [(c.title, s) for c in CATALOG for s in c.skills if not domain_of(s)]
    assert unknown == []
    assert len({c.title for c in CATALOG}) == len(CATALOG)


# ---------------------------------------------------------------- editing

BASE = [{"title": "ICU Nurse", "reason": "a"}, {"title": "Charge Nurse", "reason": "b"}, {"title": "Registered Nurse", "reason": "c"}]


def test_add_remove_reorder():
    added = add_title(BASE, "  Critical   Care Nurse ")
    assert added[-1] == {"title": "Critical Care Nurse", "reason": "Added by you."}
    assert add_title(BASE, "Theatre Nurse", position=0)[0]["title"] == "Theatre Nurse"
    assert [t["title"] for t in remove_title(BASE, 1)] == ["ICU Nurse", "Registered Nurse"]
    assert [t["title"] for t in move_title(BASE, 2, 0)] == ["Registered Nurse", "ICU Nurse", "Charge Nurse"]
    assert [t["title"] for t in move_title(BASE, 0, 99)] == ["Charge Nurse", "Registered Nurse", "ICU Nurse"]
    assert BASE[0]["title"] == "ICU Nurse"  # the input list is never changed in place


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda: add_title(BASE, "   "), "empty"),
        (lambda: add_title(BASE, "x" * 121), "121 characters"),
        (lambda: add_title(BASE, "icu NURSE"), "already in the list"),
        (lambda: remove_title(BASE, 3), "no title number 4"),
        (lambda: move_title(BASE, -1, 0), "no title number"),
        (lambda: validate_titles([f"Title {i}" for i in range(MAX_TITLES + 1)]), "at most 15"),
        (lambda: validate_titles("ICU Nurse"), "must be a list"),
    ],
)
def test_edit_refusals(action, message):
    with pytest.raises(TitleError) as info:
        action()
    assert message in str(info.value)


def test_validate_accepts_plain_strings_and_accents():
    assert validate_titles(["Enfermera de UCI", {"title": "Pflegefachkraft Intensivstation", "reason": " r "}]) == [
        {"title": "Enfermera de UCI", "reason": ""},
        {"title": "Pflegefachkraft Intensivstation", "reason": "r"},
    ]
    assert len(validate_titles([f"T{i}" for i in range(MAX_TITLES)])) == MAX_TITLES


def test_dedupe_drops_empty_overlong_and_repeated():
    items = [{"title": "A"}, {"title": " a "}, {"title": ""}, {"title": "B" * 200}, {"title": "C", "reason": "r" * 500}]
    assert dedupe(items) == [{"title": "A", "reason": ""}, {"title": "C", "reason": "r" * 200}]


# ---------------------------------------------------------------- LLM


def _llm(server: FakeOpenAI) -> LLMAnalyst:
    return LLMAnalyst(model="gpt-4o-mini", api_key="sk-test-titles", base_url=server.base_url, usage=Usage(), timeout=5, max_retries=1, backoff_base=0.001)


def _profile(kind: str) -> tuple[dict, str]:
    data = structure_offline(CVS[kind])
    return data.model_dump(mode="json"), to_markdown(data)


def test_llm_titles_are_clamped_to_ten_and_deduped():
    many = {"titles": [{"title": f"Backend Engineer {i}", "reason": "fits"} for i in range(12)] + [{"title": "backend engineer 1", "reason": "dup"}]}
    with FakeOpenAI() as server:
        server.script(reply(many))
        out = asyncio.run(suggest_titles_llm(*_profile("backend"), _llm(server)))
    assert [t["title"] for t in out] == [f"Backend Engineer {i}" for i in range(10)]


def test_llm_with_too_few_titles_is_topped_up_from_the_catalog():
    with FakeOpenAI() as server:
        server.script(reply({"titles": [{"title": "Platform Engineer", "reason": "Kubernetes on AWS"}, {"title": "", "reason": "x"}]}))
        out = asyncio.run(suggest_titles_llm(*_profile("backend"), _llm(server)))
    assert len(out) == 5 and out[0] == {"title": "Platform Engineer", "reason": "Kubernetes on AWS"}
    assert all(t["title"] for t in out)
