"""CV text -> ProfileData + clean markdown: offline heuristics, the LLM path through a local OpenAI-compatible server, the CLI."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.llm.base import Usage
from pipeline.llm.openai_analyst import LLMAnalyst
from pipeline.profile import parse_upload
from pipeline.profile.structure import ProfileData, structure_offline, to_markdown
from pipeline.text.cv import parse_cv
from tests.support.fake_openai import FakeOpenAI, reply

ROOT = Path(__file__).resolve().parents[2]

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


# ---------------------------------------------------------------- a printed CV reads back as it was written

AMARA = """# Amara Okafor

amara.okafor@example.org · +44 20 7946 0000 · Leeds, UK

## Summary

Registered nurse with eight years in adult intensive care and critical care outreach.

## Experience

### Senior Staff Nurse, Intensive Care Unit — Leeds General Infirmary (2019–present)

- Cared for ventilated patients in a 24-bed ICU, managing sedation, vasopressors and renal replacement therapy.
- Led the unit's sepsis bundle audit, raising compliance from 71% to 94% in a year.
- Mentored 12 newly qualified nurses through their preceptorship.

### Staff Nurse, Acute Medicine — St James's University Hospital (2016–2019)

- Triaged and monitored acutely unwell adults; recognised deterioration with NEWS2 and escalated.
- Administered IV medication and blood products; kept accurate electronic patient records.

## Education

- BSc (Hons) Adult Nursing — University of Leeds, 2016

## Skills

- Critical care, patient assessment, ventilator management, infection control, medication administration, BLS, ALS

## Languages

- English (native), Igbo (fluent)
"""
AMARA_ROLES = [
    ("Senior Staff Nurse, Intensive Care Unit", "Leeds General Infirmary", "2019–present"),
    ("Staff Nurse, Acute Medicine", "St James's University Hospital", "2016–2019"),
]
AMARA_BULLETS = [
    [
        "Cared for ventilated patients in a 24-bed ICU, managing sedation, vasopressors and renal replacement therapy.",
        "Led the unit's sepsis bundle audit, raising compliance from 71% to 94% in a year.",
        "Mentored 12 newly qualified nurses through their preceptorship.",
    ],
    [
        "Triaged and monitored acutely unwell adults; recognised deterioration with NEWS2 and escalated.",
        "Administered IV medication and blood products; kept accurate electronic patient records.",
    ],
]
SECTION_ORDER = ["Summary", "Experience", "Education", "Skills", "Languages"]

# Other shapes CVs come in, as HTML printed by the app's renderer.
COMPANY_FIRST = """<h1>Jonas Becker</h1><p>jonas.becker@example.com · +49 40 1234 5678 · Hamburg, Germany</p>
<h2>Profile</h2><p>Data engineer who builds reliable pipelines for logistics and analytics teams.</p>
<h2>Work history</h2>
<p><strong>Nordwind Logistics GmbH — Hamburg</strong></p><p>Senior Data Engineer · Mar 2020 – Present</p>
<ul><li>Moved 140 nightly batch jobs from cron to Airflow, cutting failed runs from 30 a month to 2 and giving the on-call team one place to look.</li>
<li>Designed the dbt models behind the delivery-time dashboard used by 300 dispatchers.</li></ul>
<p><strong>Brightline Analytics — Berlin</strong></p><p>Data Engineer · Sep 2017 – Feb 2020</p>
<ul><li>Built Kafka consumers in Python for clickstream data.</li><li>Reduced the warehouse bill by 35% by partitioning the largest tables.</li></ul>
<h2>Education</h2><p>MSc Computer Science — TU Berlin, 2017</p>
<h2>Skills</h2><p>Python, SQL, Airflow, dbt, Kafka, PostgreSQL, AWS</p>"""

RIGHT_DATES = """<h1>Priya Nair</h1><p>priya.nair@example.com · London, UK</p>
<h2>Experience</h2>
<div style="display:flex;justify-content:space-between"><strong>Product Manager, Tessellate Ltd</strong><span>Jan 2021 – Present</span></div>
<ul><li>Owned the onboarding funnel for a B2B invoicing product with 12,000 monthly sign-ups and raised activation from 18% to 31% over three quarters.</li>
<li>Ran weekly discovery interviews with finance teams.</li></ul>
<div style="display:flex;justify-content:space-between"><strong>Associate Product Manager, Ledgerly</strong><span>Jun 2018 – Dec 2020</span></div>
<ul><li>Shipped bank-feed reconciliation used by 4,000 small businesses.</li><li>Wrote the first pricing experiment playbook.</li></ul>
<h2>Education</h2><p>BA Economics — University of Manchester, 2018</p>
<h2>Skills</h2><p>Product discovery, SQL, Amplitude, roadmapping, stakeholder management</p>"""

GERMAN = """<h1>Lena Schmidt</h1><p>lena.schmidt@example.de · +49 30 1234567 · Berlin</p>
<h2>Kurzprofil</h2><p>Softwareentwicklerin mit acht Jahren Erfahrung in Java und Kotlin.</p>
<h2>Berufserfahrung</h2>
<h3>Senior Softwareentwicklerin, Zalando SE (März 2019 – heute)</h3>
<ul><li>Entwicklung von Microservices in Kotlin für den Checkout mit über einer Million Bestellungen pro Tag, einschließlich Lasttests und Monitoring.</li>
<li>Einarbeitung von fünf neuen Kolleginnen und Kollegen.</li></ul>
<h3>Softwareentwicklerin, Check24 (Okt. 2016 – Feb. 2019)</h3>
<ul><li>Umstellung der Tarifberechnung auf Spring Boot.</li></ul>
<h2>Ausbildung</h2><p>B.Sc. Informatik — Freie Universität Berlin, 2016</p>
<h2>Kenntnisse</h2><p>Java, Kotlin, Spring Boot, PostgreSQL, Kubernetes</p>"""

SHAPES = {
    "company_first": (COMPANY_FIRST, [
        ("Senior Data Engineer", "Nordwind Logistics GmbH", "Hamburg", "Mar 2020 – Present", 2),
        ("Data Engineer", "Brightline Analytics", "Berlin", "Sep 2017 – Feb 2020", 2),
    ], ["Summary", "Experience", "Education", "Skills"]),
    "right_dates": (RIGHT_DATES, [
        ("Product Manager", "Tessellate Ltd", "", "Jan 2021 – Present", 2),
        ("Associate Product Manager", "Ledgerly", "", "Jun 2018 – Dec 2020", 2),
    ], ["Experience", "Education", "Skills"]),
    "german": (GERMAN, [
        ("Senior Softwareentwicklerin", "Zalando SE", "", "März 2019 – heute", 2),
        ("Softwareentwicklerin", "Check24", "", "Okt. 2016 – Feb. 2019", 1),
    ], ["Summary", "Experience", "Education", "Skills"]),
}  # fmt: skip


@pytest.fixture(scope="module")
def printed() -> dict[str, bytes]:
    """The CVs above printed to PDF by the app's own renderer (markdown -> HTML -> print template -> Chromium)."""
    from pipeline.render.markdown import render_markdown
    from pipeline.render.pdf import render_pdf_sync
    from pipeline.render.templates import cv_document

    body = render_markdown(AMARA)
    docs = {
        "classic": cv_document(body),
        "compact": cv_document(body, template="compact", page_size="Letter"),
        "ats_safe": cv_document(body, ats_safe=True),
        **{name: cv_document(html) for name, (html, _, _) in SHAPES.items()},
    }
    return {name: render_pdf_sync(html).data for name, html in docs.items()}


def _headings(markdown: str) -> list[str]:
    return [ln[3:] for ln in markdown.splitlines() if ln.startswith("## ")]


def _assert_amara(parsed) -> None:
    p = parsed.profile
    assert parsed.warnings == []
    assert p.name == "Amara Okafor" and p.contact.email == "amara.okafor@example.org" and p.contact.location == "Leeds, UK"
    dash = "-" if "2019-present" in parsed.text else "–"  # the ATS-safe print turns dashes into hyphens
    assert [(e.title, e.company, e.dates) for e in p.experience] == [(t, c, d.replace("–", dash)) for t, c, d in AMARA_ROLES]
    assert [e.bullets for e in p.experience] == AMARA_BULLETS
    assert _headings(parsed.markdown) == SECTION_ORDER
    assert p.section_order == [s.lower() for s in SECTION_ORDER]
    assert [(e.institution, e.dates) for e in p.education] == [("University of Leeds", "2016")]
    cv = parse_cv(parsed.markdown)  # the clean master CV reads back with the pipeline's own parser
    assert [len(r.bullets) for r in cv.roles] == [3, 2]
    missing = _words(AMARA) - _words(parsed.markdown)
    assert not missing, f"lost from the CV: {sorted(missing)}"


def test_same_cv_as_markdown_source():
    from pipeline.profile import parse_offline

    _assert_amara(parse_offline("amara.md", AMARA.encode()))


def _amara_docx(role_style: str) -> bytes:
    """The same CV typed in Word: roles as bold lines or as 'Heading 2', bullets as 'List Bullet'."""
    import io

    import docx

    d = docx.Document()
    d.add_heading("Amara Okafor", level=0)
    d.add_paragraph("amara.okafor@example.org · +44 20 7946 0000 · Leeds, UK")
    for line in AMARA.split("## ", 1)[1].split("\n"):
        line = line.strip()
        if not line or line.startswith("# "):
            continue
        if line.startswith("## ") or line in SECTION_ORDER:
            d.add_heading(line.removeprefix("## "), level=1)
        elif line.startswith("### "):
            if role_style == "bold":
                d.add_paragraph().add_run(line[4:]).bold = True
            else:
                d.add_heading(line[4:], level=2)
        elif line.startswith("- "):
            d.add_paragraph(line[2:], style="List Bullet")
        else:
            d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("role_style", ["bold", "heading"])
def test_same_cv_as_docx(role_style):
    from pipeline.profile import parse_offline

    _assert_amara(parse_offline("amara.docx", _amara_docx(role_style)))


def test_plain_text_roles_with_unmarked_bullets_and_wrapped_lines():
    text = """Tom Reed
tom.reed@example.com

Experience
Warehouse Supervisor, Parcelwise, 2020 - now
Ran a team of 14 pickers across two shifts and cut mis-picks
by a third in six months.
Trained new starters on the scanner system.
Forklift Driver, Parcelwise (2017 –
2020)
Moved stock for three loading bays.

Education
NVQ Level 2 Warehousing, Leeds City College, 2016
"""
    d = structure_offline(text)
    assert [(e.title, e.company, e.dates) for e in d.experience] == [
        ("Warehouse Supervisor", "Parcelwise", "2020 - now"),
        ("Forklift Driver", "Parcelwise", "2017 – 2020"),
    ]
    assert d.experience[0].bullets == [
        "Ran a team of 14 pickers across two shifts and cut mis-picks by a third in six months.",
        "Trained new starters on the scanner system.",
    ]
    assert d.experience[1].bullets == ["Moved stock for three loading bays."]
    assert d.section_order == ["experience", "education"]


def test_section_order_follows_the_cv():
    text = "# Sam Lee\n\nsam@example.com\n\n## Education\n\nBSc Physics — University of York, 2020\n\n## Projects\n\nA weather station.\n\n## Experience\n\n### Analyst — Acme (2020 – 2023)\n\n- Built reports.\n"
    md = to_markdown(structure_offline(text))
    assert _headings(md)[:3] == ["Education", "Projects", "Experience"]  # skills found in the text follow
