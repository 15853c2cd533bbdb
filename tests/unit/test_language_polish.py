"""What a German, Spanish, French or Dutch job seeker sees in the offline pack: CV headings and
dates in their language, pain-point titles that read as nouns, no signature or pay line as a
need, a real job title from an e-mail posting, and the fit rationale in the posting's language."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.text.cv import parse_cv, section_kind

TODAY = dt.date(2026, 12, 1)

CV_NL = """# Eva Bakker

## Profiel

Boekhouder met 6 jaar ervaring in de maandafsluiting.

## Werkervaring

### Boekhouder — Kempen Fiscaal B.V.

*Eindhoven · mrt 2019 – heden*

- Maandafsluiting en btw-aangiftes voor 40 klanten in Exact Online

### Junior Boekhouder — Telder & Zn.

*Tilburg · 2016 tot 2019*

- Verwerking van inkoopfacturen

## Opleiding

Hbo Accountancy, Fontys Hogescholen

## Vaardigheden

Exact Online, Excel

## Talen

Nederlands, Engels
"""


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Werkervaring", "experience"), ("Opleiding", "education"), ("Vaardigheden", "skills"), ("Talen", "languages"),
        ("Profiel", "summary"), ("Samenvatting", "summary"), ("Certificaten", "certifications"),
        ("Expérience professionnelle", "experience"), ("Formation", "education"), ("Compétences", "skills"), ("Langues", "languages"),
        ("Experiencia laboral", "experience"), ("Formación", "education"), ("Idiomas", "languages"), ("Perfil", "summary"),
        ("Sprachkenntnisse", "languages"), ("Fähigkeiten", "skills"), ("Talent", "other"),
    ],
)  # fmt: skip
def test_cv_headings_in_dutch_french_spanish_and_german_are_recognised(heading: str, kind: str) -> None:
    assert section_kind(heading) == kind


def test_a_dutch_cv_has_its_roles_and_heden_counts_as_today() -> None:
    cv = parse_cv(CV_NL, TODAY)
    assert [r.title for r in cv.roles] == ["Boekhouder", "Junior Boekhouder"]
    assert cv.roles[0].company == "Kempen Fiscaal B.V."
    assert cv.roles[0].start == pytest.approx(2019 + 2 / 12)
    assert cv.roles[0].end == pytest.approx(2026 + 11 / 12)
    assert (cv.roles[1].start, cv.roles[1].end) == (2016, 2019)
    assert cv.section("education") is not None and cv.section("languages") is not None


@pytest.mark.parametrize("word", ["heden", "nu", "à ce jour", "aujourd'hui", "actualmente", "actual", "hoy", "derzeit", "jetzt", "heute"])
def test_present_words_in_every_language_end_a_role_today(word: str) -> None:
    cv = parse_cv(CV_NL.replace("heden", word), TODAY)
    assert cv.roles[0].end == pytest.approx(2026 + 11 / 12), word
