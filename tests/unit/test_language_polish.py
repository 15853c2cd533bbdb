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


# ---------------------------------------------------------------------------
# Pain points: noun-phrase titles, no company line, signature, pay or deadline, no duplicates
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("duty", "title"),
    [
        ("Du übernimmst die Pflege von beatmeten und kritisch kranken Patienten", "Pflege von beatmeten und kritisch kranken Patienten"),
        ("Du steuerst Kampagnen auf Google Ads und Meta", "Kampagnen auf Google Ads und Meta"),
        ("Du führst Nutzerinterviews durch", "Nutzerinterviews"),
        ("Sie übernehmen die Leitung des Teams", "Leitung des Teams"),
        ("Du bist verantwortlich für die Dienstplanung", "Dienstplanung"),
        ("Du arbeitest eng mit dem Vertrieb zusammen", "Zusammenarbeit mit dem Vertrieb"),
        ("Serás responsable de la gestión de proveedores", "Gestión de proveedores"),
        ("Te encargarás de la planificación de rutas", "Planificación de rutas"),
        ("Gestionarás las campañas de email", "Gestionar las campañas de email"),
        ("Vous assurerez le suivi des chantiers", "Assurer le suivi des chantiers"),
        ("Tu prendras en charge les patients en réanimation", "Prise en charge des patients en réanimation"),
        ("Vous serez responsable de la relation client", "Relation client"),
        ("Je bent verantwoordelijk voor de planning van de afdeling", "Planning van de afdeling"),
        ("Jij zorgt voor een goede overdracht", "Goede overdracht"),
        ("Je werkt samen met artsen en paramedici", "Samenwerking met artsen en paramedici"),
        ("Je berekent betonconstructies voor bruggen en kademuren", "Betonconstructies voor bruggen en kademuren"),
        ("You will be responsible for onboarding new nurses", "Onboarding new nurses"),
        ("Enfermero/a para Unidad de Cuidados Intensivos", "Enfermero/a para Unidad de Cuidados Intensivos"),
    ],
)  # fmt: skip
def test_a_duty_addressed_to_the_reader_gets_a_noun_phrase_title(duty: str, title: str) -> None:
    from pipeline.text.analysis import short_title

    assert short_title(duty) == title


@pytest.mark.parametrize(
    ("heading", "kind"),
    [("Wat ga je doen", "responsibilities"), ("Wat vragen wij", "requirements"), ("Wat bieden wij", "offer"), ("Over Tulpstroom", "about"),
     ("Das bringen Sie mit", "requirements"), ("Was Sie erwartet", "responsibilities"), ("Ce que vous ferez", "responsibilities")],
)  # fmt: skip
def test_dutch_german_and_french_posting_headings_are_read(heading: str, kind: str) -> None:
    from pipeline.text.analysis import classify_heading

    assert classify_heading(heading) == kind


def _corpus() -> list[tuple[str, dict]]:
    import json
    from pathlib import Path

    root = Path(__file__).parents[1] / "fixtures" / "postings"
    return [(p.stem, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(root.glob("*.json"))]


_NOT_NEEDS = (
    r"(?i)^(?:hi|hello|hola|bonjour|beste|dear)\b|@|salario|salaire|salaris|gehalt|stundenlohn|vergütung|bezahlung|brut|per annum"
    r"|fecha límite|date limite|bewerbungsfrist|closing date|apply by|applications close|solliciteren|reageer|bewerbungen bitte"
    r"|^\{|<script|schema\.org"
)


def test_no_corpus_pain_point_is_a_title_company_line_signature_pay_or_deadline() -> None:
    import re

    from pipeline.graph.schemas import Posting
    from pipeline.llm.offline.analyst import pain_points, view

    for name, entry in _corpus():
        inp = entry["input"]
        v = view(Posting(title=inp["title"], company=inp["company"], location=inp["location"], description=inp["description"]))
        first = next(ln.strip() for ln in inp["description"].splitlines() if ln.strip())
        company = entry["expected"]["company"]
        items = pain_points(v)
        assert items, name
        titles = [p["title"].casefold() for p in items]
        assert len(titles) == len(set(titles)), (name, titles)
        for p in items:
            ev = p["evidence"]
            assert ev.strip() != first and ev.strip() != v.title, (name, ev)
            assert not re.search(_NOT_NEEDS, ev), (name, ev)
            assert not (company in ev and len(ev.split()) <= 9 and not ev.endswith(".")), (name, ev)  # "Recursos Humanos, Transportes Meseta S.L."
            assert not p["title"].endswith(("-", "/")) and p["title"].split()[-1].casefold() not in ("der", "de", "les", "en", "zur", "als"), (name, p)


def test_german_du_duties_read_as_nouns_in_the_dossier_and_the_letter() -> None:
    import asyncio

    from pipeline.graph.schemas import Posting
    from pipeline.llm.offline import OfflineAnalyst

    entry = dict(_corpus())["de_marketing_remote"]
    posting = Posting(description=entry["input"]["description"])
    cv = (__import__("pathlib").Path(__file__).parents[2] / "bench/data/quality/cvs/mkt_exact_performance_de.md").read_text(encoding="utf-8")

    async def go():
        a = OfflineAnalyst()
        intake = await a.intake(posting)
        pains = await a.pain_points(posting, intake)
        fit = await a.fit(posting, intake, cv)
        research = await a.research(posting, intake)
        return pains, await a.writing(posting, intake, pains, fit, research, cv)

    pains, writing = asyncio.run(go())
    titles = [p.title for p in pains.items]
    assert "Kampagnen auf Google Ads und Meta" in titles and "Dashboards in Looker Studio" in titles
    assert not any(t.split()[0].endswith("st") for t in titles), titles  # no "Steuerst", "Baust"
    assert "„Kampagnen auf Google Ads und Meta“" in writing.cover_letter
    assert "Steuerst" not in writing.cover_letter and "Baust" not in writing.cover_letter


@pytest.mark.parametrize("name", ["es_logistics_email", "fr_finance_email", "holdout_nl_civil_email", "nl_finance_email"])
def test_why_this_company_never_quotes_the_hiring_sentence(name: str) -> None:
    from pipeline.graph.schemas import Posting
    from pipeline.llm.offline.analyst import view, why_company

    entry = dict(_corpus())[name]
    v = view(Posting(description=entry["input"]["description"]))
    why = why_company(v, v.company, entry["expected"]["language"])
    assert not any(w in why for w in ("Buscamos", "Nous recrutons", "zoeken", "Wij zoeken")), why


# ---------------------------------------------------------------------------
# The fit rationale in the posting's language
# ---------------------------------------------------------------------------


def test_english_fit_frames_in_phrases_match_the_text_package_default() -> None:
    from pipeline.llm.offline import phrases as ph
    from pipeline.text.fit import FIT_FRAMES_EN

    assert {k: ph.PHRASES["en"][k] for k in FIT_FRAMES_EN} == FIT_FRAMES_EN
    for lang in ("de", "es", "fr", "nl"):
        assert set(FIT_FRAMES_EN) <= set(ph.PHRASES[lang]), lang


@pytest.mark.parametrize(
    ("name", "cv", "expect", "english"),
    [
        ("de_finance_at", "fin_junior_de", ("Offline-Schätzung: der Lebenslauf deckt", "gefragt sind mindestens 6 Jahre"), "Offline estimate"),
        ("es_finance_jsonld", "fin_partial_mgmt_accountant_es", ("Estimación sin conexión: el CV cubre", "competencias imprescindibles"), "must-have"),
        ("fr_finance_email", "fin_partial_mgmt_accountant_es", ("Estimation hors ligne", "compétences exigées"), "years of experience"),
        ("nl_finance_email", "fin_junior_de", ("Offline schatting:", "jaar ervaring"), "title match"),
    ],
)  # fmt: skip
def test_the_fit_rationale_is_written_in_the_posting_language(name: str, cv: str, expect: tuple[str, ...], english: str) -> None:
    import asyncio
    from pathlib import Path

    from pipeline.graph.schemas import Posting
    from pipeline.llm.offline import OfflineAnalyst

    entry = dict(_corpus())[name]
    posting = Posting(description=entry["input"]["description"])
    cv_md = (Path(__file__).parents[2] / "bench" / "data" / "quality" / "cvs" / f"{cv}.md").read_text(encoding="utf-8")

    async def go():
        a = OfflineAnalyst()
        intake = await a.intake(posting)
        return await a.fit(posting, intake, cv_md)

    rationale = asyncio.run(go()).rationale
    assert all(e in rationale for e in expect), rationale
    assert english not in rationale, rationale


# ---------------------------------------------------------------------------
# The letter as a native reads it
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "company", "named"),
    [
        ("Ingénieur structure béton armé (Bureau d'études Kervella, Rennes)", "Bureau d'études Kervella", "Ingénieur structure béton armé"),
        ("Staff Engineer — Payments (Acme Bank, Lisbon)", "Acme Bank", "Staff Engineer — Payments"),
        ("Performance Marketing Manager (w/m/d) – 100% Remote", "Grünfuchs GmbH", "Performance Marketing Manager"),
        ("Verpleegkundige Interne Geneeskunde (32-36 uur)", "Ziekenhuis Rijnoever", "Verpleegkundige Interne Geneeskunde"),
        ("Lagerlogistiker / Staplerfahrer (m/w/d) in Vollzeit", "Nordhafen Spedition KG", "Lagerlogistiker / Staplerfahrer"),
        ("Docent Wiskunde (0,8 fte) bij Het Lindencollege", "Het Lindencollege", "Docent Wiskunde"),
        ("Desarrollador/a Backend Senior (Python) — Tramontana Software (Barcelona)", "Tramontana Software", "Desarrollador/a Backend Senior (Python)"),
    ],
)  # fmt: skip
def test_the_letter_names_the_job_without_company_place_hours_or_remote(title: str, company: str, named: str) -> None:
    from pipeline.llm.offline.phrases import letter_title

    assert letter_title(title, company) == named


def test_a_dutch_letter_for_a_dutch_cv_reads_cleanly() -> None:
    import asyncio

    from pipeline.graph.schemas import Posting
    from pipeline.llm.offline import OfflineAnalyst
    from tests.unit.test_offline_language import CV_NL

    posting = Posting(description=dict(_corpus())["nl_software_dash"]["input"]["description"])

    async def go():
        a = OfflineAnalyst()
        intake = await a.intake(posting)
        pains = await a.pain_points(posting, intake)
        fit = await a.fit(posting, intake, CV_NL)
        return pains, await a.writing(posting, intake, pains, fit, await a.research(posting, intake), CV_NL)

    pains, w = asyncio.run(go())
    assert "Werken met Kafka en PostgreSQL" in [p.title for p in pains.items]
    assert "Medior Java Developer – Team Betalingen bij Polderpay" in w.cover_letter
    assert "B.V.." not in w.outreach.linkedin_note and "B.V.." not in w.cover_letter
    assert "In mijn functie als Java Developer bij Betaalhuis B.V." in w.cover_letter  # the CV's roles are read ("Werkervaring")


def test_german_requirement_leads_need_no_verb_agreement() -> None:
    from pipeline.llm.offline import phrases as ph

    q = ph.quote("Dashboards in Looker Studio", "de")
    assert ph.t("de", "lead0", q=q) == "Im Mittelpunkt der Stelle steht für Sie: „Dashboards in Looker Studio“."
    assert ph.t("de", "lead1", q=q) == "Wichtig ist Ihnen außerdem: „Dashboards in Looker Studio“."


def test_duties_in_prose_become_noun_phrases_in_the_intake() -> None:
    from pipeline.text.posting import analyse

    de = "Pflegefachkraft Intensivstation (m/w/d)\n\nDas Klinikum Nord sucht Verstärkung.\n\n" \
         "Du übernimmst die Pflege von beatmeten und kritisch kranken Patienten.\nDu arbeitest eng mit dem ärztlichen Dienst zusammen.\n"  # fmt: skip
    assert analyse("", "", "", de).responsibilities == ("Pflege von beatmeten und kritisch kranken Patienten.", "Zusammenarbeit mit dem ärztlichen Dienst.")
    nl = "Verpleegkundige IC\n\nJe bent verantwoordelijk voor de zorg voor kritisch zieke patiënten.\nJij zorgt voor een goede overdracht aan de volgende dienst.\n"
    assert analyse("", "", "", nl).responsibilities == ("Zorg voor kritisch zieke patiënten.", "Goede overdracht aan de volgende dienst.")


def test_pasted_json_ld_is_never_quoted_in_the_pack():
    """A posting pasted with its JSON-LD: intake reads the data, no letter, pain point or note quotes it."""
    import asyncio
    import json as _json
    from pathlib import Path as _Path

    from pipeline.graph.schemas import Posting
    from pipeline.llm.offline.analyst import OfflineAnalyst

    root = _Path(__file__).resolve().parents[2]
    p = _json.loads((root / "tests/fixtures/postings/de_civil_jsonld.json").read_text(encoding="utf-8"))["input"]
    post = Posting(title=p.get("title", ""), company=p.get("company", ""), location=p.get("location", ""), description=p["description"])
    cv = (root / "bench/data/quality/cvs/civil_exact_structural_de.md").read_text(encoding="utf-8")
    a = OfflineAnalyst()

    async def pack():
        i = await a.intake(post)
        pains, research = await a.pain_points(post, i), await a.research(post, i)
        return i, pains, research, await a.writing(post, i, pains, await a.fit(post, i, cv), research, cv)

    intake, pains, research, writing = asyncio.run(pack())
    assert intake.company == "Statik Werkstatt Ehlers GmbH"  # read from the JSON-LD
    text = " ".join([writing.cover_letter, writing.outreach.email_body, intake.summary, research.company_summary, research.role_summary,
                     *research.notes, *(f"{x.title} {x.evidence}" for x in pains.items)])  # fmt: skip
    assert "@context" not in text and '{"' not in text
