"""CV text -> ProfileData + clean markdown: offline heuristics, the LLM path through a local OpenAI-compatible server, the CLI."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.llm.base import Usage
from pipeline.llm.offline.cv import parse_cv
from pipeline.llm.openai_analyst import LLMAnalyst
from pipeline.profile import parse_upload
from pipeline.profile.structure import ProfileData, structure_offline, to_markdown
from tests.fake_openai import FakeOpenAI, reply

ROOT = Path(__file__).resolve().parent.parent

NURSE = """MARÍA JOSÉ GARCÍA-LÓPEZ
Registered Nurse (ICU)
Madrid, Spain | maria.garcia@example.com | +34 612 345 678 | linkedin.com/in/mjgarcia

PROFILE
Critical care nurse with 8 years of experience in adult intensive care, caring for
ventilated patients and leading shifts of six nurses.

EXPERIENCE
Senior Staff Nurse, ICU — Hospital Universitario La Paz
Jan 2019 – Present
• Cared for up to two ventilated patients per shift, including vasoactive drugs
  and renal replacement therapy.
• Led a team of six nurses on night shifts
Staff Nurse, Emergency Department — Hospital Clínico San Carlos
Sep 2015 – Dec 2018
• Triaged 40 patients a shift using the Manchester Triage System.

EDUCATION
BSc Nursing, Universidad Complutense de Madrid, 2011 – 2015

SKILLS
Patient assessment, IV therapy, Mechanical ventilation, ALS, Epic EHR

LANGUAGES
Spanish (native), English (C1)

VOLUNTEERING
Red Cross first-aid trainer at weekend festivals.
"""


def _words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[^\W_]{3,}", text)}


def test_offline_fields_from_plain_text():
    d = structure_offline(NURSE)
    assert d.name == "María José García-López"
    assert d.headline == "Registered Nurse (ICU)"
    assert (d.contact.email, d.contact.phone, d.contact.location) == ("maria.garcia@example.com", "+34 612 345 678", "Madrid, Spain")
    assert d.contact.links == ["linkedin.com/in/mjgarcia"]
    assert d.summary.startswith("Critical care nurse") and d.summary.endswith("leading shifts of six nurses.")
    assert [(e.title, e.company, e.dates) for e in d.experience] == [
        ("Senior Staff Nurse, ICU", "Hospital Universitario La Paz", "Jan 2019 – Present"),
        ("Staff Nurse, Emergency Department", "Hospital Clínico San Carlos", "Sep 2015 – Dec 2018"),
    ]
    assert d.experience[0].bullets == [
        "Cared for up to two ventilated patients per shift, including vasoactive drugs and renal replacement therapy.",
        "Led a team of six nurses on night shifts",
    ]
    assert [(e.degree, e.institution, e.dates) for e in d.education] == [("BSc Nursing", "Universidad Complutense de Madrid", "2011 – 2015")]
    assert d.skills == ["Patient assessment", "IV therapy", "Mechanical ventilation", "ALS", "Epic EHR"]
    assert d.languages == ["Spanish (native)", "English (C1)"]
    assert [x.heading for x in d.other_sections] == ["Volunteering"]


def test_markdown_loses_no_words_and_reads_back():
    d = structure_offline(NURSE)
    md = to_markdown(d)
    missing = _words(NURSE) - _words(md) - {"profile"}  # the heading 'PROFILE' is called 'Summary' in the clean CV
    assert not missing, f"lost from the CV: {sorted(missing)}"
    cv = parse_cv(md)
    assert cv.name == "María José García-López"
    assert [(r.title, r.company) for r in cv.roles] == [(e.title, e.company) for e in d.experience]
    assert cv.roles[0].dates == "Jan 2019 – Present" and len(cv.roles[0].bullets) == 2
    assert {s.kind for s in cv.sections} >= {"summary", "experience", "education", "skills", "languages"}


def test_demo_markdown_cv_keeps_groups_roles_and_every_word():
    md_in = (ROOT / "pipeline/sources/demo_data/master_cv.md").read_text(encoding="utf-8")
    d = structure_offline(md_in)
    assert d.name == "Jane Doe" and d.contact.email == "jane.doe@example.com"
    assert [e.company for e in d.experience] == ["Corvid Freight Ltd", "Parcelwise", "Brightwater Energy", "Halden Insurance Services"]
    assert all(len(e.bullets) >= 4 for e in d.experience)
    assert [g.label for g in d.skill_groups] == ["Languages", "Data", "Cloud", "Practices"]
    assert d.certifications[0].startswith("AWS Certified Solutions Architect")
    missing = _words(md_in) - _words(to_markdown(d))
    assert not missing, f"lost from the CV: {sorted(missing)}"


def test_text_without_sections_keeps_everything():
    text = "Ana Pérez\nana@example.com\n\nI have taught mathematics for twelve years in two secondary schools\nand led the department.\n"
    d = structure_offline(text)
    assert d.name == "Ana Pérez" and d.contact.email == "ana@example.com"
    assert "taught mathematics for twelve years in two secondary schools and led the department." in d.summary


def test_a_bullet_without_a_full_stop_does_not_swallow_the_next_role():
    d = structure_offline(NURSE)
    assert "Staff Nurse" not in " ".join(d.experience[0].bullets)


# ---------------------------------------------------------------- LLM path


def _llm(server: FakeOpenAI) -> LLMAnalyst:
    return LLMAnalyst(model="gpt-4o-mini", api_key="sk-test-profile", base_url=server.base_url, usage=Usage(), timeout=5, max_retries=1, backoff_base=0.001)


MODEL_PROFILE = {
    "name": "María José García-López",
    "headline": "Registered Nurse (ICU)",
    "contact": {"email": "invented@example.org", "phone": "+34 612 345 678", "location": "Madrid, Spain", "links": ["linkedin.com/in/someone-else"]},
    "summary": "Critical care nurse with 8 years of experience in adult intensive care.",
    "experience": [{"title": "Senior Staff Nurse, ICU", "company": "Hospital Universitario La Paz", "dates": "Jan 2019 – Present",
                    "bullets": ["Cared for up to two ventilated patients per shift."]}],
    "education": [{"degree": "BSc Nursing", "institution": "Universidad Complutense de Madrid", "dates": "2011 – 2015"}],
    "skills": ["Mechanical ventilation", "ALS"],
    "languages": ["Spanish (native)", "English (C1)"],
}  # fmt: skip
MODEL_TITLES = {"titles": [{"title": t, "reason": "ICU experience"} for t in
                           ["ICU Nurse", "Critical Care Nurse", "icu nurse", "Charge Nurse", "Registered Nurse", "Senior Staff Nurse"]]}  # fmt: skip


def test_llm_path_end_to_end_through_the_chat_client():
    with FakeOpenAI() as server:
        server.script(reply(MODEL_PROFILE), reply(MODEL_TITLES))
        parsed = asyncio.run(parse_upload("cv.txt", NURSE.encode(), analyst=_llm(server)))
        requests = server.chat_requests()
    assert len(requests) == 2
    first = requests[0].text()
    assert "LAYER: profile" in first and "<master_cv>" in first and "Hospital Clínico San Carlos" in first
    assert "LAYER: titles" in requests[1].text()
    p = parsed.profile
    assert p.name == "María José García-López" and p.experience[0].company == "Hospital Universitario La Paz"
    assert p.contact.email == "maria.garcia@example.com"  # the model's invented address is replaced by the one the CV states
    assert p.contact.links == ["linkedin.com/in/mjgarcia"]
    assert parsed.analyst == "gpt-4o-mini"
    assert [t["title"] for t in parsed.suggested_titles] == ["ICU Nurse", "Critical Care Nurse", "Charge Nurse", "Registered Nurse", "Senior Staff Nurse"]
    assert parse_cv(parsed.markdown).roles[0].title == "Senior Staff Nurse, ICU"


def test_llm_invalid_reply_is_repaired():
    with FakeOpenAI() as server:
        server.script(reply("not json at all"), reply(MODEL_PROFILE), reply(MODEL_TITLES))
        parsed = asyncio.run(parse_upload("cv.txt", NURSE.encode(), analyst=_llm(server)))
    assert parsed.profile.headline == "Registered Nurse (ICU)"


def test_profile_schema_accepts_partial_model_output():
    assert ProfileData.model_validate({"name": "X"}).experience == []


# ---------------------------------------------------------------- CLI


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "DATA_DIR": str(cwd), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "pipeline", "profile", "parse", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


def test_cli_parse_json(tmp_path):
    f = tmp_path / "cv.txt"
    f.write_text(NURSE, encoding="utf-8")
    res = _cli(str(f), "--json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["name"] == "María José García-López" and out["source"]["kind"] == "text"
    assert 5 <= len(out["suggested_titles"]) <= 10 and all(t["reason"] for t in out["suggested_titles"])
    assert out["markdown"].startswith("# María José García-López")


def test_cli_bad_input_exits_2_with_the_reason(tmp_path):
    f = tmp_path / "cv.pdf"
    f.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 10)
    res = _cli(str(f), cwd=tmp_path)
    assert res.returncode == 2 and "error (corrupt)" in res.stderr and "damaged" in res.stderr and res.stdout == ""
    res = _cli(str(tmp_path / "missing.pdf"), cwd=tmp_path)
    assert res.returncode == 2 and "cannot read" in res.stderr
