"""Intake fields: the shapes boards publish, one field at a time, and accuracy on the posting corpus.

Why: a pasted posting arrives with empty import fields; the letter's greeting and the
dossier need the company, and the job seeker needs place, pay, language needs and deadline.
"""

from __future__ import annotations

import pytest

from bench.intake import FIELDS, evaluate, load_corpus
from pipeline.text.intake_fields import band_level, read_fields
from pipeline.text.posting import analyse

BODY = "\n\nWe build things.\n\nRequirements\n- Python\n"


@pytest.mark.parametrize(
    ("first", "company", "location"),
    [
        ("Staff Engineer — Payments (Acme Bank, Lisbon)", "Acme Bank", "Lisbon"),
        ("Backend-Entwickler (m/w/d) — Beispiel Logistik GmbH (Köln)", "Beispiel Logistik GmbH", "Köln"),
        ("Staff Nurse — Ward 12, St Example's Hospital", "St Example's Hospital", ""),
        ("Data Analyst at Nordlicht Analytics", "Nordlicht Analytics", ""),
        ("Senior Product Designer (Fernhill Studio, Edinburgh)", "Fernhill Studio", "Edinburgh"),
        ("UX/UI Designer (m/w/d) – Mobilität, Radwerk Digital GmbH", "Radwerk Digital GmbH", ""),
    ],
)
def test_first_line_shapes(first: str, company: str, location: str) -> None:
    f = read_fields("", "", "", first + BODY)
    assert (f.company, f.location) == (company, location)


def test_issue_shapes_reach_analyse() -> None:
    """The three first lines from the issue give analyse a company (the letter no longer opens 'Dear Hiring Manager')."""
    for first, company in [
        ("Staff Engineer — Payments (Acme Bank, Lisbon)", "Acme Bank"),
        ("Backend-Entwickler (m/w/d) — Beispiel Logistik GmbH (Köln)", "Beispiel Logistik GmbH"),
        ("Staff Nurse — Ward 12, St Example's Hospital", "St Example's Hospital"),
    ]:
        view = analyse("", "", "", first + BODY)
        assert view.company == company


def test_dash_shape_needs_an_organisation_name() -> None:
    """'Role – X': X is the company when it looks like one or recurs; a unit or team is not."""
    text = "Structural Engineer – Bridges Team, Meridian Consulting Engineers\n\nMeridian Consulting Engineers designs bridges.\n"
    assert read_fields("", "", "", text).company == "Meridian Consulting Engineers"
    text = "Registered Nurse – Intensive Care Unit (Band 5/6)\n\nRiverside General Hospital is a 650-bed trust. Our Intensive Care Unit grows.\n"
    assert read_fields("", "", "", text).company == "Riverside General Hospital"


def test_given_import_fields_win() -> None:
    f = read_fields("Engineer", "Given Co", "Porto", "Staff Engineer — Payments (Acme Bank, Lisbon)" + BODY)
    assert (f.company, f.location) == ("Given Co", "Porto")


def test_spanish_en_is_not_a_company_unless_it_recurs() -> None:
    assert read_fields("", "", "", "Especialista en Marketing Digital" + BODY).company == ""
    text = "Ingeniero/a de Caminos en Estructuras Atlántico\n\nEstructuras Atlántico diseña puentes.\n"
    assert read_fields("", "", "", text).company == "Estructuras Atlántico"


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("Sous Chef\n\nAbout The Copper Kettle\nA restaurant in York.\n", "The Copper Kettle"),
        ("Docent\n\nOver Polderpay\nWij bouwen.\n", "Polderpay"),
        ("Profesor\n\nSobre Lunaria Cosmética\nSomos una marca.\n", "Lunaria Cosmética"),
        ("Développeur\n\nÀ propos de Atelier Solène\nNous concevons.\n", "Atelier Solène"),
        ("Koch\n\nÜber Hagebrecht Medizintechnik\nWir bauen.\n", "Hagebrecht Medizintechnik"),
        ("Picker\n\nCompany: Havenlijn Distributie\nLocation: Venlo\n", "Havenlijn Distributie"),
        ("Hi,\n\nWe are hiring a picker.\n\nKind regards,\nPriya Shah\nTalent team, Carrow Freight Ltd\n", "Carrow Freight Ltd"),
        ("Hola,\n\nBuscamos un mozo.\n\nUn saludo,\nMarta\nRecursos Humanos, Transportes Meseta S.L.\n", "Transportes Meseta S.L."),
        ("Orderpicker\nVeldhoven Techniek B.V. - Tilburg\n\nWat ga je doen\n", "Veldhoven Techniek B.V."),
    ],
)
def test_company_from_sections_labels_and_signatures(text: str, company: str) -> None:
    assert read_fields("", "", "", text).company == company


def test_json_ld_job_posting() -> None:
    text = (
        'Analyst\n\n{"@context": "https://schema.org", "@type": "JobPosting", "title": "Analyst", '
        '"hiringOrganization": {"@type": "Organization", "name": "Brightwater Capital"}, "jobLocationType": "TELECOMMUTE", '
        '"baseSalary": {"@type": "MonetaryAmount", "currency": "EUR", "value": {"@type": "QuantitativeValue", '
        '"minValue": 70000, "maxValue": 82000, "unitText": "YEAR"}}, "validThrough": "2027-03-01T23:59:00"}\n'
    )
    f = read_fields("", "", "", text)
    assert (f.company, f.location, f.work_mode, f.deadline) == ("Brightwater Capital", "Remote", "remote", "2027-03-01")
    assert (f.salary_min, f.salary_max, f.currency, f.period, f.salary) == (70000, 82000, "EUR", "year", "€70,000–82,000 a year")


@pytest.mark.parametrize(
    ("line", "lo", "hi", "cur", "per"),
    [
        ("£45,000 - £55,000 per annum", 45000, 55000, "GBP", "year"),
        ("60.000–75.000 € brutto/Jahr", 60000, 75000, "EUR", "year"),
        ("$120k–$150k", 120000, 150000, "USD", "year"),
        ("Salario hasta 40.000 € brutos anuales", None, 40000, "EUR", "year"),
        ("Salaris: €4.200 - €5.600 per maand", 4200, 5600, "EUR", "month"),
        ("Rémunération : 28 € brut de l'heure", 28, None, "EUR", "hour"),
        ("Pay is £16.50 per hour", 16.5, None, "GBP", "hour"),
        ("Salaire : 45 000 € - 55 000 € brut annuel", 45000, 55000, "EUR", "year"),
    ],
)
def test_salary_lines(line: str, lo: float | None, hi: float | None, cur: str, per: str) -> None:
    f = read_fields("Role", "", "", "Role\n\n" + line + "\n")
    assert (f.salary_min, f.salary_max, f.currency, f.period) == (lo, hi, cur, per)


def test_salary_string_is_normalised() -> None:
    assert read_fields("R", "", "", "60.000–75.000 € brutto/Jahr").salary == "€60,000–75,000 a year"


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("Hybrid: 2 days in the office per week.", "hybrid"),
        ("Homeoffice an zwei Tagen pro Woche möglich.", "hybrid"),
        ("Ofrecemos 100% teletrabajo desde España.", "remote"),
        ("Télétravail partiel (2 jours par semaine).", "hybrid"),
        ("Je werkt 100% thuis, volledig thuiswerken.", "remote"),
        ("Poste en présentiel.", "onsite"),
        ("This is a fully remote role.", "remote"),
        ("Trabajo presencial en turnos.", "onsite"),
        ("We build bridges.", ""),
    ],
)
def test_work_mode_words(text: str, mode: str) -> None:
    assert read_fields("Role", "", "", "Role\n\n" + text).work_mode == mode


@pytest.mark.parametrize(
    ("text", "langs"),
    [
        ("Fluent German (C1) and English required.", ["German C1", "English"]),
        ("Sehr gute Deutschkenntnisse (C1) und gute Englischkenntnisse", ["German C1", "English"]),
        ("Inglés nivel B2", ["English B2"]),
        ("Goede beheersing van de Nederlandse taal", ["Dutch"]),
        ("Anglais et italien courants", ["English", "Italian"]),
        ("Experience with Java and Go", []),
    ],
)
def test_language_requirements(text: str, langs: list[str]) -> None:
    assert read_fields("Role", "", "", "Role\n\n" + text).language_requirements == langs


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Bewerbungsfrist: 15.02.2027", "2027-02-15"),
        ("Fecha límite: 10 de febrero de 2027", "2027-02-10"),
        ("Date limite de candidature : 15/03/2027", "2027-03-15"),
        ("Deadline: March 12, 2027", "2027-03-12"),
        ("Apply by 5 February 2027.", "2027-02-05"),
        ("Sluitingsdatum: 31-01-2027", "2027-01-31"),
        ("Founded in 2019.", ""),
    ],
)
def test_deadlines(text: str, iso: str) -> None:
    assert read_fields("Role", "", "", "Role\n\n" + text).deadline == iso


def test_seniority_reuses_title_levels() -> None:
    assert read_fields("Senior Data Engineer", "", "", "x").seniority == "senior"
    assert read_fields("Staff Nurse", "", "", "x").seniority == "unspecified"  # a grade, not a staff engineer
    assert read_fields("Medior Java Developer", "", "", "x").seniority == "mid"
    assert read_fields("", "", "", "Hallo,\n\nWij zoeken een ervaren Projectleider Infra.\n").seniority == "lead"


WARD = "Staff Nurse — Ward 12, St Example's Hospital\n\nRequirements\n- NMC registration\n\n{pay}\nLocation: Bristol\n"


@pytest.mark.parametrize(
    ("pay", "level"),
    [
        ("Band 5: £28,407 - £34,581 per annum", "junior"),  # the entry grade of a registered nurse
        ("Band 6 (£35,392 - £42,618)", "mid"),
        ("Salary: Band 7, £43,742 - £50,056", "senior"),
        ("Band 8a: £50,952 - £57,349", "lead"),
        ("Band 5 or 6 salary (£29,970 – £43,742)", "junior"),  # a range: the grade it opens at
        ("Competitive pay", "unspecified"),
    ],
)
def test_an_nhs_pay_band_states_the_level_when_the_title_does_not(pay: str, level: str) -> None:
    desc = WARD.format(pay=pay)
    assert read_fields("", "", "", desc).seniority == level
    assert analyse("", "", "", desc).seniority == level  # the offline analyst's intake reads it too


def test_a_band_is_a_level_only_where_it_is_an_nhs_pay_band() -> None:
    assert band_level("Our band 5 plays on Fridays.\nRequirements\n- Python\n") is None  # no pay, no NHS
    assert band_level("Band 7\nNHS Agenda for Change terms") == "senior"
    assert read_fields("Senior Charge Nurse", "", "", "Band 5: £28,407").seniority == "senior"  # the title wins


def test_analyse_carries_the_fields() -> None:
    view = analyse("", "", "", "Backend-Entwickler (m/w/d) — Beispiel Logistik GmbH (Köln)\n\nWir bieten 60.000–75.000 € brutto/Jahr, "
                   "2 Tage im Büro.\nSehr gute Deutschkenntnisse (C1).\nBewerbungsfrist: 15.02.2027\n")  # fmt: skip
    assert (view.company, view.location, view.work_mode, view.deadline) == ("Beispiel Logistik GmbH", "Köln", "hybrid", "2027-02-15")
    assert view.salary == "€60,000–75,000 a year" and view.language_requirements == ("German C1",)


def test_corpus_shape() -> None:
    corpus = load_corpus()
    assert len(corpus) >= 40
    assert {e["language"] for _, _, e in corpus} >= {"en", "de", "es", "fr", "nl"}
    assert sum(1 for _, i, _ in corpus if i["company"]) < len(corpus) / 2  # most give the company only in the text


# Floors set from the measured result (bench/intake.py), a little under it so one new
# miss fails the test only where a field has no margin left.
FLOORS = {
    "company": 0.95, "location": 0.9, "work_mode": 0.9, "seniority": 0.9, "salary": 0.95, "currency": 0.95,
    "language_requirements": 0.9, "deadline": 0.95, "language": 0.95,
}  # fmt: skip


def test_corpus_accuracy_per_field() -> None:
    acc, _, misses, _ = evaluate()
    assert set(acc) == set(FIELDS)
    low = {f: round(a, 3) for f, a in acc.items() if a < FLOORS[f]}
    assert not low, f"below floor: {low}; misses: {misses}"


# --- shapes found missing by the held-out postings (bench/data/quality/heldout/) ---------------------------------


@pytest.mark.parametrize(
    ("line", "lo", "hi", "cur"),
    [
        ("Lohnband CHF 115'000 – 135'000 pro Jahr", 115000, 135000, "CHF"),  # Swiss thousands apostrophe
        ("Salaire : CHF 5'400.– brut par mois", 5400, None, "CHF"),  # and the Swiss '.–' for no centimes
        ("Salaris: minimaal € 3.873 en maximaal € 5.518 bruto per maand", 3873, 5518, "EUR"),
        ("Salary between £30,000 and £34,000 per annum", 30000, 34000, "GBP"),
    ],
)
def test_salary_swiss_numbers_and_worded_ranges(line: str, lo: float | None, hi: float | None, cur: str) -> None:
    f = read_fields("Role", "", "", "Role\n\n" + line + "\n")
    assert (f.salary_min, f.salary_max, f.currency) == (lo, hi, cur)


@pytest.mark.parametrize(
    "text",
    [
        "Head of Finance\n\nOur client, a leading B2B software scale-up, is looking for a Head of Finance.\n\n"
        "Contact Tom Reeves at Carlisle Brooke Recruitment.\nCarlisle Brooke Recruitment is acting as an Employment Agency.\n",
        "Elektroniker (m/w/d) – Instandhaltung\n\nFür unseren Kunden, ein führendes Unternehmen, suchen wir einen Elektroniker "
        "in der Instandhaltung.\n",
        "Dependiente/a - Centro comercial - Málaga\n\nColaboramos con nuestro cliente, una cadena de moda, para su tienda (Málaga).\n",
        "Réceptionniste de nuit – Genève\n\nNotre client, un hôtel 5 étoiles à Genève, recherche un(e) réceptionniste.\n",
        "Verpleegkundige | Utrecht\n\nVoor onze opdrachtgever, een ziekenhuis in Utrecht, zoeken wij een verpleegkundige.\n",
    ],
)
def test_an_agency_posting_for_a_client_names_no_company(text: str) -> None:
    """'Our client, a leading …': the employer is hidden; neither the agency nor a place is the company."""
    assert read_fields("", "", "", text).company == ""
    assert read_fields("", "Given Co", "", text).company == "Given Co"


def test_a_dash_tail_that_is_the_place_is_the_location() -> None:
    text = "Dependiente/a - Centro comercial - Málaga\n\nPara nuestra nueva tienda en Málaga buscamos dependientes.\n"
    assert read_fields("", "", "", text).location == "Málaga"


@pytest.mark.parametrize(
    ("text", "company", "location"),
    [
        # StepStone: title, company, city, contract lines
        ("Werkstudent (m/w/d) Python\nLumera Energy GmbH\nMünchen\nTeilzeit, Werkstudent\n\nÜber uns\nWir bauen.\n",
         "Lumera Energy GmbH", "München"),
        # InfoJobs: title, company, 'City (Province)', mode
        ("Camarero/a de sala\nHotel Cala Fosca S.L.\nLloret de Mar (Girona)\nPresencial\n\nDescripción\nServicio de sala.\n",
         "Hotel Cala Fosca S.L.", "Lloret de Mar"),
        # Indeed US: title, company, 'City, ST ZIP', pay and job type
        ("Pharmacy Technician\nBrightway Pharmacy\nColumbus, OH 43215\n$17.50 - $19.00 an hour - Full-time\n\nFull job description\nWe fill.\n",
         "Brightway Pharmacy", "Columbus"),
        # LinkedIn: 'Company · City, Region, Country (Hybrid)'
        ("Becario/a de Marketing\nNaranja Dulce Cosmética · Barcelona, Cataluña, España (Híbrido)\nPrácticas\n\nQué harás\n- Campañas\n",
         "Naranja Dulce Cosmética", "Barcelona"),
        # a public employer's header: 'Organisation | City | hours'
        ("Beleidsmedewerker\nOmgevingsdienst IJsselland | Zwolle | 36 uur\n\nWat ga je doen?\nBeleid.\n",
         "Omgevingsdienst IJsselland", "Zwolle"),
        # Welcome to the Jungle: the company above the title, then contract, city, remote policy
        ("Kelvia\nLead Developer Back-end\n\nCDI\nLyon\nTélétravail total\n\nLe poste\nKelvia édite un logiciel.\n", "Kelvia", "Lyon"),
    ],
)  # fmt: skip
def test_stacked_board_headers(text: str, company: str, location: str) -> None:
    f = read_fields("", "", "", text)
    assert (f.company, f.location) == (company, location)


def test_company_named_above_the_title_gives_the_title_level() -> None:
    text = "Kelvia\nLead Developer Back-end\n\nCDI\nLyon\n\nProfil recherché\n- 7 ans d'expérience minimum\n\nKelvia édite un logiciel.\n"
    assert read_fields("", "", "", text).seniority == "lead"


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("Stellenausschreibung Nr. 14/2027\n\nDie Hansestadt Lüneburg sucht zum 01.06.2027 eine Sachbearbeiterin.\n", "Hansestadt Lüneburg"),
        ("Le Centre Hospitalier de l'Aven recrute\nInfirmier (H/F)\n\nMissions\n- Soins\n", "Centre Hospitalier de l'Aven"),
        ("Senior Scientist\n\nWe build enzymes.\n\nApplications are reviewed on a rolling basis.\n\n"
         "Halden Biosciences is an equal opportunity employer. Join Halden Biosciences.\n", "Halden Biosciences"),
        ("Subject: Vacancy – Multi-skilled Electrician (Ref KH-0423)\n\nDear all,\n\nWe have a vacancy for a Multi-skilled Electrician.\n\n"
         "Best wishes,\nJoanne Whitaker\nRecruitment Advisor\nKirkstall Homes Housing Association\n", "Kirkstall Homes Housing Association"),
    ],
)  # fmt: skip
def test_company_from_hiring_sentences_and_mail(text: str, company: str) -> None:
    assert read_fields("", "", "", text).company == company


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Application Deadline: 03/15/2027", "2027-03-15"),  # US month/day/year
        ("Je brief kun je vóór 10 april 2027 mailen.", "2027-04-10"),
        ("Closing date: Friday 12th March 2027 at midnight.", "2027-03-12"),
        ("Candidatures avant le 1er avril 2027.", "2027-04-01"),
    ],
)
def test_more_deadline_shapes(text: str, iso: str) -> None:
    assert read_fields("Role", "", "", "Role\n\n" + text).deadline == iso


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("Work Location: In person", "onsite"),  # Indeed's field
        ("Location: London – fully remote, with a quarterly team day.", "remote"),
    ],
)
def test_more_work_mode_shapes(text: str, mode: str) -> None:
    assert read_fields("Role", "", "", "Role\n\n" + text).work_mode == mode


def test_a_location_label_stops_at_a_dash() -> None:
    assert read_fields("", "", "", "Role\n\nLocation: London – fully remote, with a team day.\n").location == "London"


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("Lieu de travail : Genève\n", "Genève"),
        ("Voor een ziekenhuis in de regio Utrecht zoeken wij een verpleegkundige.\n", "Utrecht"),
    ],
)
def test_more_location_shapes(text: str, location: str) -> None:
    assert read_fields("", "", "", "Verpleegkundige SEH\n\n" + text).location == location


@pytest.mark.parametrize(
    ("title", "text", "level"),
    [
        ("Stage - Assistant(e) Conducteur de Travaux (H/F)", "Vos missions\n- Suivre le chantier\n", "intern"),
        ("Stagiair Marketing", "Wat ga je doen\n- Campagnes\n", "intern"),
        ("Infirmier (H/F)", "Profil\n- Diplôme d'État\n- Débutant(e) accepté(e)\n", "junior"),
        ("Chauffeur CE", "Ervaring: Minimaal 2 jaar\nOpleidingsniveau: MBO\n", "junior"),
        ("Infirmier (H/F)", "Statut : CDD pouvant déboucher sur une mise en stage\n", "unspecified"),  # a civil-service probation
    ],
)
def test_more_seniority_cues(title: str, text: str, level: str) -> None:
    assert read_fields("", "", "", title + "\n\n" + text).seniority == level


def test_professional_english_is_a_language_requirement() -> None:
    assert read_fields("Role", "", "", "Role\n\nProfil\n- Anglais professionnel\n").language_requirements == ["English"]


def test_guards_on_the_new_shapes() -> None:
    """A consultancy that serves 'our clients' still names itself; a team that 'sucht' is not the company; 'and' joins no falling range."""
    text = (
        "Consultant – Strategy\n\nNordlicht Partners is a consultancy. You will advise our clients on pricing. Nordlicht Partners grows.\n"
    )
    assert read_fields("", "", "", text).company == "Nordlicht Partners"
    assert read_fields("", "", "", "Entwickler (m/w/d)\n\nDas Team sucht Verstärkung für die Plattform.\n").company == ""
    f = read_fields("Role", "", "", "Role\n\nSalary: £32,000 and 25 days' holiday\n")
    assert (f.salary_min, f.salary_max) == (32000, None)
