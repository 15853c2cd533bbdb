"""The offline analyst writes in the posting's language (issue 16, part 2): letter, outreach,
interview prep, research notes and dossier in en/de/es/fr/nl with each language's formal
address; the CV stays in its own language (quoted, not half-translated); no letter copies
the CV's bullets; unsupported languages fall back to English."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

from pipeline.graph.outputs import render_dossier
from pipeline.graph.schemas import Posting
from pipeline.llm.offline import OfflineAnalyst
from pipeline.llm.offline import phrases as ph
from pipeline.llm.postprocess import enforce_limits, gap_note
from pipeline.text.analysis import detect_language, split_sentences, words
from pipeline.text.cv import parse_cv
from pipeline.text.lexicon import fold
from tests.unit.test_offline_analyst import CVS, DEMO_CV

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "postings"


def _corpus(lang: str) -> list[Posting]:
    files = [p for p in sorted(CORPUS.glob("*.json")) if p.name.startswith((f"{lang}_", f"holdout_{lang}_"))]
    return [Posting(**json.loads(p.read_text(encoding="utf-8"))["input"]) for p in files]


# CVs written in the posting's language, so the same-language phrasing is exercised too.
CV_DE = """# Katrin Vogel

Hannover · katrin.vogel@example.de

## Kurzprofil

Examinierte Pflegefachkraft mit 6 Jahren Erfahrung auf einer interdisziplinären Intensivstation. Praxisanleiterin mit Freude an der Einarbeitung neuer Kolleginnen und Kollegen.

## Berufserfahrung

### Pflegefachkraft Intensivstation — Klinikum Region Hannover

*Hannover · Apr 2020 – heute*

- Pflege und Überwachung von beatmeten Intensivpatientinnen und -patienten mit bis zu drei Betten pro Schicht
- Zusammenarbeit mit dem ärztlichen Team bei Medikamentengabe, Katheterpflege und Visiten
- Praxisanleitung von 9 Auszubildenden in der Pflege und Einarbeitung neuer Kolleginnen und Kollegen
- Sorgfältige Dokumentation der Pflege in der elektronischen Patientenakte

### Gesundheits- und Krankenpflegerin — Diakovere Friederikenstift

*Hannover · Okt 2017 – Mär 2020*

- Pflege von Patientinnen und Patienten auf einer internistischen Station mit 32 Betten
- Mitarbeit im Qualitätszirkel Sturzprophylaxe

## Ausbildung

Ausbildung zur Gesundheits- und Krankenpflegerin, 2014 – 2017
"""

CV_ES = """# Lucía Martín

Madrid · lucia.martin@example.es

## Perfil

Desarrolladora backend con 6 años de experiencia en Python, PostgreSQL y Kafka para empresas de logística.

## Experiencia

### Desarrolladora Backend — Envíos Rápidos S.L.

*Madrid · Mar 2021 – actualidad*

- Diseño y desarrollo de servicios en Python con FastAPI que procesan 30.000 pedidos al día
- Optimización de consultas en PostgreSQL que redujo el tiempo de respuesta un 40 %
- Integración con las APIs de 12 transportistas mediante Kafka
- Guardias técnicas y revisión de código en un equipo de 8 personas

### Desarrolladora Python — Datamar

*Valencia · Sep 2018 – Feb 2021*

- Mantenimiento de herramientas internas en Python y Django con Docker
"""

CV_FR = """# Camille Durand

Lyon · camille.durand@example.fr

## Profil

Infirmière diplômée d'État avec 5 ans d'expérience en réanimation et en soins continus.

## Expérience

### Infirmière en réanimation — Hôpital Édouard Herriot

*Lyon · Sept 2020 – aujourd'hui*

- Prise en charge de patients ventilés et surveillance des dispositifs invasifs en réanimation
- Administration des traitements et suivi des protocoles de soins avec l'équipe médicale
- Encadrement de 10 étudiants infirmiers pendant leurs stages
- Traçabilité des soins dans le dossier patient informatisé

### Infirmière — Clinique du Parc

*Lyon · Juin 2018 – Août 2020*

- Soins aux patients en chirurgie orthopédique dans un service de 28 lits
"""

CV_NL = """# Sanne de Vries

Utrecht · sanne.devries@example.nl

## Profiel

Java-ontwikkelaar met 5 jaar ervaring in betalingssystemen, Spring Boot en Kafka.

## Werkervaring

### Java Developer — Betaalhuis B.V.

*Utrecht · Jan 2021 – heden*

- Ontwikkeling van microservices in Java met Spring Boot voor de verwerking van betalingen
- Koppeling van betaalsystemen via Kafka en REST-API's met een beschikbaarheid van 99,9%
- Beheer van PostgreSQL-databases en migraties met Flyway
- Code reviews en begeleiding van twee junior ontwikkelaars

### Junior Developer — Softwarehuis Noord

*Groningen · Sep 2018 – Dec 2020*

- Onderhoud van interne webapplicaties in Java en Spring
"""

NATIVE_CV = {"de": CV_DE, "es": CV_ES, "fr": CV_FR, "nl": CV_NL}

GREETING = {
    "de": ("Sehr geehrte Damen und Herren,",),
    "es": ("Estimado equipo ", "Estimados señores:"),
    "fr": ("Madame, Monsieur,",),
    "nl": ("Beste ", "Geachte heer/mevrouw,"),
    "en": ("Dear ",),
}
CLOSING = {
    "de": "Mit freundlichen Grüßen",
    "es": "Atentamente,",
    "fr": "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
    "nl": "Met vriendelijke groet,",
    "en": "Kind regards,",
}
ENGLISH_FRAMES = ("I am applying", "Kind regards", "Dear ", "In my role as", "You put", "You also", "Thank you for your time", "my work included")
DOSSIER_HEADINGS = {
    "de": ("## Die Stelle", "## Worauf es ankommt", "## Passung", "## Ansprechpersonen"),
    "es": ("## El puesto", "## Puntos clave", "## Encaje", "## Personas de contacto"),
    "fr": ("## Le poste", "## Points clés", "## Adéquation", "## Personnes à contacter"),
    "nl": ("## De functie", "## Waar het om draait", "## Match", "## Contactpersonen"),
}


async def _run(p: Posting, cv: str, language: str | None = None) -> dict:
    a = OfflineAnalyst()
    intake = await a.intake(p)
    if language:  # the per-job override sets intake.language before writing
        intake = intake.model_copy(update={"language": language})
    pains, research, fit, people = await asyncio.gather(a.pain_points(p, intake), a.research(p, intake), a.fit(p, intake, cv), a.people(p, intake))
    writing = enforce_limits(await a.writing(p, intake, pains, fit, research, cv))
    return {"posting": p, "intake": intake, "pains": pains, "research": research, "fit": fit, "people": people, "writing": writing}


def run(p: Posting, cv: str, language: str | None = None) -> dict:
    return asyncio.run(_run(p, cv, language))


def dossier(out: dict) -> str:
    state = {k: v.model_dump() for k, v in out.items()}
    state["pain_points"] = state.pop("pains")
    return render_dossier(state, {"offline": True, "run_id": 1})


def _tokens(text: str) -> set[str]:
    return {w for w in words(fold(text)) if w != "i"}


def near_copies(letter: str, cv_markdown: str) -> list[str]:
    """Letter sentences whose words are (nearly) a CV bullet's: token Jaccard >= 0.8, first-person 'I' ignored."""
    bullets = [_tokens(b) for _, b in parse_cv(cv_markdown).bullets]
    out = []
    for s in split_sentences(letter):
        st = _tokens(s)
        if st and any(b and len(st & b) / len(st | b) >= 0.8 for b in bullets):
            out.append(s)
    return out


def _body(letter: str) -> str:
    """The letter without its sign-off name (a name is no language)."""
    return letter.rsplit("\n", 1)[0]


CASES = [(lang, p) for lang in ("de", "es", "fr", "nl") for p in _corpus(lang)]


# --- every fixture posting, with an English CV (CV lines are quoted) and a native one ---


@pytest.mark.parametrize(("lang", "posting"), CASES, ids=[f"{lang}-{i}" for i, (lang, _) in enumerate(CASES)])
def test_letter_outreach_and_prep_are_in_the_posting_language(lang, posting):
    for cv in (CVS["engineer"], CVS["nurse"], NATIVE_CV[lang]):
        out = run(posting, cv)
        assert out["intake"].language == lang
        w = out["writing"]
        letter = w.cover_letter
        assert detect_language(_body(letter)) == lang, letter
        assert letter.startswith(GREETING[lang]), letter
        assert CLOSING[lang] in letter
        for frame in ENGLISH_FRAMES:
            assert frame not in letter and frame not in w.outreach.email_body, (frame, letter)
        assert len(letter.split()) <= 350
        assert len(near_copies(letter, cv)) <= 1, near_copies(letter, cv)
        note = w.outreach.linkedin_note
        assert len(note) <= 300 and detect_language(note) == lang, note
        assert detect_language(_body(w.outreach.email_body)) == lang
        for s in w.star_stories:
            text = s.gap or f"{s.task} {s.result}"
            assert not text.startswith(("Your CV has no example", "Relevant to", "Not stated in the CV")), text


@pytest.mark.parametrize("lang", ["de", "es", "fr", "nl"])
def test_dossier_and_research_notes_are_localized(lang):
    out = run(_corpus(lang)[0], CVS["engineer"])
    text = dossier(out)
    for heading in DOSSIER_HEADINGS[lang]:
        assert heading in text, heading
    for english in ("## The role", "## Pain points", "People to contact", "Unknown company", "**Must have:**", "Interview prep"):
        assert english not in text
    notes = out["research"].notes
    assert sum(n.count(ph.PHRASES["en"]["notes_intro"]) for n in notes) == 0
    assert not any(n.startswith(("Salary stated:", "Seniority:", "Location:", "Working pattern:")) for n in notes)


def test_structured_fields_become_localized_notes():
    p = next(p for p in _corpus("de") if "Backend-Entwickler" in p.description)
    notes = run(p, CVS["engineer"])["research"].notes
    assert "Gehalt: 60.000–75.000\u00a0€ pro Jahr." in notes
    assert "Arbeitsmodell: hybrid." in notes or any(n.startswith("Arbeitsmodell: hybrid (") for n in notes)
    assert "Sprachkenntnisse: Deutsch C1, Englisch." in notes
    assert "Bewerbung bis: 15. Februar 2027." in notes
    assert not any(n.startswith("Angegebenes Gehalt") for n in notes)  # no second, regex-read salary line


# --- the CV stays in its own language ---------------------------------------------


def test_an_english_cv_is_quoted_in_a_german_letter_not_conjugated():
    p = Posting(description=(ROOT / "tests/fixtures/analyst/german_nurse.md").read_text(encoding="utf-8"))
    w = run(p, CVS["nurse"])["writing"]
    quoted = re.findall(r"„([^“]+)“", w.cover_letter)
    bullets = {b.rstrip(".") for _, b in parse_cv(CVS["nurse"]).bullets}
    assert any(q.rstrip(".") in bullets for q in quoted), w.cover_letter
    assert " I " not in w.cover_letter and "I am" not in w.cover_letter


def test_a_native_cv_is_phrased_in_its_language():
    p = Posting(description=(ROOT / "tests/fixtures/analyst/spanish_backend.md").read_text(encoding="utf-8"))
    out = run(p, CV_ES)
    letter = out["writing"].cover_letter
    assert letter.startswith(("Estimado equipo de Rutaverde:", "Estimados señores:"))
    bullets = {b.rstrip(".") for _, b in parse_cv(CV_ES).bullets}
    assert not any(q.rstrip(".") in bullets for q in re.findall(r"«([^»]+)»", letter))  # own-language lines are phrased, not quoted
    paras = [x for x in letter.split("\n\n") if x.startswith(("En su oferta", "También buscan", "Además, mencionan"))]
    assert len(paras) >= 2
    openers = [re.split(r"[«:]", x.split(". ", 1)[1])[0] for x in paras]
    assert len(set(openers)) == len(openers), openers  # each paragraph framed differently
    for s in out["writing"].star_stories:
        if s.source_line:
            assert s.action.rstrip(".") == s.source_line.rstrip(".")  # a Spanish line is not cut by English verb rules


def test_french_letter_elides_and_uses_guillemets():
    assert ph.de_fr("Infirmier") == "d'Infirmier" and ph.de_fr("Développeur") == "de Développeur"
    assert ph.quote("x", "fr") == "«\u00a0x\u00a0»"
    out = run(next(p for p in _corpus("fr") if "DevOps" in p.description), CVS["engineer"])
    assert "poste d'Ingénieur DevOps Senior" in out["writing"].cover_letter


def test_company_names_take_their_article():
    assert ph.at_company("Klinikum Talbrück", "de") == "beim Klinikum Talbrück"
    assert ph.at_company("Grünfuchs GmbH", "de") == "bei der Grünfuchs GmbH"
    assert ph.at_company("Freie Schule am Seepark", "de") == "bei der Freien Schule am Seepark"
    assert ph.of_company("Hospital San Rafael", "es") == "del Hospital San Rafael"
    assert ph.at_company("Clinique des Tilleuls", "fr") == "au sein de la Clinique des Tilleuls"
    assert ph.at_company("Nuage Breton", "fr") == "chez Nuage Breton"


# --- English: unchanged, and the fallback ----------------------------------------------


def test_english_postings_keep_english_frames_and_the_shared_gap_note():
    for p in _corpus("en")[:4]:
        out = run(p, CVS["engineer"])
        letter = out["writing"].cover_letter
        assert letter.startswith("Dear ") and "Kind regards,\nJane Doe" in letter
        assert detect_language(_body(letter)) == "en"
        assert len(near_copies(letter, CVS["engineer"])) <= 1
        for s in out["writing"].star_stories:
            if s.gap:
                assert s.gap == gap_note(s.pain_point)  # the offline note is the model path's, word for word


def test_demo_letters_in_every_language_copy_at_most_one_bullet():
    from tests.unit.test_offline_analyst import DEMO_JOBS, demo_posting

    for job in DEMO_JOBS:
        out = run(demo_posting(job), DEMO_CV)
        assert len(near_copies(out["writing"].cover_letter, DEMO_CV)) <= 1, job["title"]


@pytest.mark.parametrize("code", ["pl", "it", "other"])
def test_unsupported_language_falls_back_to_english(code):
    assert ph.lang(code) == ph.lang("") == ph.lang(None) == "en"
    out = run(_corpus("de")[0], CVS["engineer"], language=code)
    letter = out["writing"].cover_letter
    assert letter.startswith("Dear ") and "Kind regards" in letter and "I am applying for the" in letter
    assert "## The role" in dossier(out)
    assert out["research"].notes[0].endswith(ph.PHRASES["en"]["notes_intro"])


def test_the_override_language_wins_over_the_posting():
    out = run(_corpus("en")[0], CVS["engineer"], language="de")
    assert out["writing"].cover_letter.startswith("Sehr geehrte Damen und Herren,")
    assert "## Die Stelle" in dossier(out)
