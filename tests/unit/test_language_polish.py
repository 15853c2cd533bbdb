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


# ---------------------------------------------------------------------------
# The job title an e-mail posting gets
# ---------------------------------------------------------------------------


def _title(description: str) -> str:
    from pipeline.text.posting import analyse

    return analyse("", "", "", description).title


@pytest.mark.parametrize(
    ("description", "title"),
    [
        ("Hola,\n\nBuscamos un/a Jefe/a de Almacén para nuestro centro logístico de Getafe (Madrid).\n\n- Experiencia con SAP WM\n", "Jefe/a de Almacén"),
        ("Bonjour,\n\nNous recrutons un(e) Contrôleur de gestion senior pour notre siège à Lille.\n\n- Piloter le budget\n", "Contrôleur de gestion senior"),
        ("Bonjour à toutes et à tous,\n\nL'Auberge du Vieux Moulin recrute un(e) commis de cuisine pour la saison d'été.\n", "Commis de cuisine"),
        ("Beste kandidaat,\n\nVoor ons kantoor in Eindhoven zoeken wij een Junior Accountant.\n\n- Je verzorgt de maandafsluiting\n", "Junior Accountant"),
        ("Beste lezer,\n\nWij zoeken een ervaren Projectleider Infra voor onze vestiging in Groningen.\n", "Projectleider Infra"),
        ("Hallo zusammen,\n\nwir suchen ab sofort eine/n Senior Buchhalter/in (m/w/d) für unser Team in Köln.\n", "Senior Buchhalter/in"),
        ("Hi all,\n\nWe are hiring a Warehouse Shift Supervisor for our distribution centre in Northampton.\n", "Warehouse Shift Supervisor"),
        ("Asunto: Oferta – Jefe/a de Almacén\n\nHola,\n\nOs escribimos por una vacante.\n", "Jefe/a de Almacén"),
        ("Betreff: Stellenangebot: Buchhalter/in (m/w/d)\n\nHallo,\n\nanbei unsere Anzeige.\n", "Buchhalter/in (m/w/d)"),
        ("Objet : Recrutement – Comptable\n\nBonjour,\n\nvoici notre annonce.\n", "Comptable"),
        ("Onderwerp: Vacature Junior Accountant\n\nBeste kandidaat,\n\nhierbij onze vacature.\n", "Junior Accountant"),
        ("Structural Engineer – Bridges Team, Meridian Consulting Engineers\nManchester · Hybrid · Full-time\n\nWe design bridges.\n",
         "Structural Engineer – Bridges Team, Meridian Consulting Engineers"),
        ("Ingénieur structure béton armé (Bureau d'études Kervella, Rennes)\n\nLe bureau d'études Kervella conçoit des ouvrages.\n",
         "Ingénieur structure béton armé (Bureau d'études Kervella, Rennes)"),
    ],
)  # fmt: skip
def test_an_email_posting_is_named_by_its_role_not_its_greeting(description: str, title: str) -> None:
    assert _title(description) == title


def test_no_corpus_posting_falls_back_to_a_placeholder_or_a_greeting_title() -> None:
    import json
    from pathlib import Path

    from pipeline.text.posting import is_greeting

    for path in sorted(Path(__file__).parents[1].joinpath("fixtures", "postings").glob("*.json")):
        inp = json.loads(path.read_text(encoding="utf-8"))["input"]
        from pipeline.text.posting import analyse

        t = analyse(inp["title"], inp["company"], inp["location"], inp["description"]).title
        assert not t.startswith(("Role at", "Untitled")) and not is_greeting(t), (path.stem, t)
