"""Every sentence frame the offline analyst writes, in English, German, Spanish, French and Dutch.

Why its own module: the offline analyst writes the letter, outreach, interview prep,
research notes and the dossier in the posting's language (`Intake.language`), with the
formal address each language expects (Sie, usted, vous, u). The frames hold only the
glue; every fact they carry (a role, a company, a CV line, a posting sentence) is
inserted verbatim. Unsupported languages fall back to English (`lang`).

Conventions kept here so the analyst needs no grammar of its own:
- German: after "Sehr geehrte Damen und Herren," the letter goes on in lower case;
  "Mit freundlichen Grüßen" takes no comma; quotes are „…“.
- Spanish: "Estimado equipo de X:" with a colon; quotes «…»; "y" becomes "e" before an i-sound.
- French: "Madame, Monsieur," and the closing formula; « … » with no-break spaces and
  a no-break space before ":"; "de" elides before a vowel (`de_fr`).
- Dutch: "Geachte heer/mevrouw," and u-form; quotes “…”.
"""

from __future__ import annotations

import re

SUPPORTED = ("en", "de", "es", "fr", "nl")
NBSP = "\u00a0"


def lang(code: str | None) -> str:
    """The phrase table to write in: the posting's language when we have it, else English."""
    c = (code or "").strip().lower()[:2]
    return c if c in SUPPORTED else "en"


def quote(text: str, language: str) -> str:
    """Text in the quotation marks natives use."""
    t = text.strip()
    return {
        "de": f"„{t}“",
        "es": f"«{t}»",
        "fr": f"«{NBSP}{t}{NBSP}»",
        "nl": f"“{t}”",
    }.get(lang(language), f"“{t}”")


def conj(language: str) -> str:
    return {"de": "und", "es": "y", "fr": "et", "nl": "en"}.get(lang(language), "and")


def join(items: list[str], language: str) -> str:
    """'a, b and c' in the language ('a, b e Italia' in Spanish before an i-sound)."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    c = conj(language)
    if c == "y" and re.match(r"(?i)h?i(?![aeou])", items[-1]):
        c = "e"
    return ", ".join(items[:-1]) + f" {c} " + items[-1]


_VOWEL = re.compile(r"(?i)^[aeiouyàâäéèêëîïôöûüœh]")


def de_fr(word: str) -> str:
    """French 'de' with elision: "de Développeur", "d'Infirmier"."""
    return ("d'" if _VOWEL.match(word.strip()) else "de ") + word.strip()


# Gender markers job boards add to titles; a letter never repeats them.
GENDER_MARK = re.compile(r"\s*\((?:[mwfdhvx]\s*/\s*){1,3}[mwfdhvx]\)|\s*\b(?:m/w/d|w/m/d|m/f/d|h/f|f/h|m/v/x|m/v)\b", re.IGNORECASE)


PLACEHOLDER_TITLE = re.compile(r"^(?:Role at .*|Untitled role)$")


def letter_title(title: str, company: str = "") -> str:
    """The job title as a letter names it: without "(m/w/d)" and similar markers, nor the company
    the board appended ("Backend-Entwickler — Beispiel GmbH (Köln)"); '' for a placeholder title."""
    if PLACEHOLDER_TITLE.match(title.strip()):
        return ""
    out = GENDER_MARK.sub("", title)
    if company.strip():
        c = re.escape(company.strip())
        out = re.sub(rf"\s*(?:[,–—|-]|\b(?:at|bei|chez|bij|en)\b)\s*{c}\b.*$", "", out)
        out = re.sub(rf"\s*\((?:[^()]*?\s)?{c}\b[^()]*\)", "", out)  # "Ingénieur structure (Bureau d'études Kervella, Rennes)"
    out = _TITLE_TERMS.sub("", out)  # "– 100% Remote", "(32-36 uur)", "in Vollzeit": terms, not the job's name
    return re.sub(r"\s{2,}", " ", out).strip(" -–—,") or title.strip()


_TITLE_TERMS = re.compile(
    r"\s*\((?:[^()]*\b(?:remote|thuiswerken|uur|fte|fulltime|parttime|full-time|part-time|dagdienst|vollzeit|teilzeit|temps plein"
    r"|jornada completa|hours)\b[^()]*)\)|\s+[–—-]\s+(?:100\s*%\s+)?(?:remote|teletrabajo|télétravail|homeoffice)$"
    r"|\s+in\s+(?:vollzeit|teilzeit)$",
    re.IGNORECASE,
)


# ---------------------------------------------------------------------------
# The phrase table
# ---------------------------------------------------------------------------
# Keys ending in _c take the company; {q} is an already-quoted text (see `quote`).

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        # fit rationale (pipeline.text.fit.FIT_FRAMES_EN is the English)
        "fit_must": "the CV covers {got} of {n} must-have skills",
        "fit_nice": "{got} of {n} nice-to-haves",
        "fit_years": "about {cv_years} years of experience against {asked} ({level} level)",
        "fit_asked": "{years}+ years",
        "fit_no_min": "no stated minimum",
        "fit_title": "title match {score}/100 (latest role: {latest})",
        "fit_head": "Offline estimate: {parts}.",
        "fit_head_none": "Offline estimate from the posting's words.",
        "fit_gaps": " Biggest gaps: {gaps}.",
        "fit_no_gaps": " No listed skill is missing from the CV.",
        # cover letter
        "greeting_c": "Dear {company} hiring team,",
        "greeting": "Dear Hiring Manager,",
        "opening_c": "I am applying for the {title} role at {company}.",
        "opening": "I am applying for the {title} role.",
        "opening_open_c": "I am applying for the open position at {company}.",
        "opening_open": "I am applying for the open position you have advertised.",
        "li_hello_open_c": "Hi, I am applying for the open position at {company}.",
        "li_hello_open": "Hi, I am applying for the position you have advertised.",
        "mail_subject_open": "Application",
        "lead0": "You put {q} at the centre of the role.",
        "lead1": "You also need {q}.",
        "lead2": "You also mention {q}.",
        "recent_current": "I currently work as {title}{at}.",
        "recent_past": "Most recently I worked as {title}{at}.",
        "at": " at {company}",
        "why_c": "Part of why I am applying is how you describe {company}: {q}",
        "why": "Part of why I am applying is how you describe yourselves: {q}",
        "closing_focus": "I would welcome the chance to talk about how I could help {who}, starting with {q}. Thank you for your time.",
        "closing": "I would welcome the chance to talk about how I could help {who}. Thank you for your time.",
        "closing_you": "you",
        "signoff": "Kind regards,",
        # evidence: the CV line quoted when the CV is in another language
        "cite_q0": "In my role as {title}{at}, one line of my CV reads: {q}.",
        "cite_q1": "My experience with {skills} comes from {where}; my CV puts it like this: {q}.",
        "cite_q3": "My CV also lists: {q}.",
        "cite_q2": "At {org}{dates}, this was part of my work: {q}.",
        "where_role": "my time as {title} at {company}",
        "where_role_noco": "my time as {title}",
        # outreach
        "li_hello_c": "Hi, I am applying for the {title} role at {company}.",
        "li_hello": "Hi, I am applying for the {title} role.",
        "li_recent": " Most recently {title}{at}",
        "li_years": ", {years} in total",
        "li_skills": " Relevant skills: {skills}.",
        "li_close": " I would be glad to connect and hear more about the team.",
        "mail_subject": "Application: {title}",
        "mail_points2": "Two things from my CV that match what you need:",
        "mail_points1": "One thing from my CV that matches what you need:",
        "mail_close": "My tailored CV and cover letter are attached. I would welcome a short call at a time that suits you.",
        "mail_signoff": "Kind regards,",
        # interview prep
        "star_situation_at": "{title} at {company}",
        "star_task": "Relevant to {q}: {task}.",
        "star_task_only": "Relevant to {q}.",
        "star_no_result": "Not stated in the CV: add the measurable outcome in your own words.",
        "gap": "Your CV has no example of {q} yet: prepare a short story about a time you did this (the situation, what you did, the result).",
        # pain points
        "where_h": "under {q}",
        "where_intro": "in the posting's introduction",
        "detail_resp": "A core duty listed {where}{using}; expect to be asked how you have done it before.",
        "detail_req": "A stated requirement {where}{using}; screeners will look for concrete evidence of it.",
        "detail_nice": "Listed as a bonus {where}{using}; it can set an application apart.",
        "detail_problem": "The posting describes this as a current problem {where}{using}, so showing you have solved it before matters.",
        "detail_other": "Part of how the posting describes the job {where}{using}.",
        "using": " and involves {skills}",
        # research
        "notes_intro": "Notes taken from the posting text only; no website or search service was read.",
        "team": "Team: {text}",
        "tools": "Skills and tools the posting names: {items}.",
        "salary_stated": "Salary stated: {text}.",
        "salary": "Salary: {text}.",
        "pattern": "Working pattern: {text}.",
        "work_mode": "Work mode: {mode}.",
        "work_mode_detail": "Work mode: {mode} ({text}).",
        "benefits": "Benefits: {text}",
        "languages": "Language requirements: {items}.",
        "deadline": "Apply by: {date}.",
        "seniority": "Seniority: {level}. Posting language: {language}.",
        "years_asked": ", {years}+ years of experience asked",
        "location": "Location: {text}.",
        "main_duties": " Main duties: {text}.",
        "role_at": "{title} at {company}",
        # dossier
        "d_unknown_company": "Unknown company",
        "d_role": "The role",
        "d_no_summary": "(no summary)",
        "d_must": "Must have",
        "d_nice": "Nice to have",
        "d_resp": "Responsibilities",
        "d_notes": "Company and role notes",
        "d_sources": "Sources",
        "d_the_posting": "the posting",
        "d_pains": "Pain points",
        "d_fit": "Fit",
        "d_part": "part",
        "d_score": "score",
        "d_must_skills": "must-have skills",
        "d_nice_skills": "nice-to-have skills",
        "d_seniority": "seniority",
        "d_title": "title",
        "d_matched": "Matched",
        "d_missing": "Missing",
        "d_none": "none",
        "d_people": "People to contact",
        "d_to_find": "to find",
        "d_placeholder": "placeholder",
        "d_source": "source",
        "d_search": "search",
        "d_outreach": "Outreach",
        "d_linkedin": "LinkedIn note",
        "d_email": "Email",
        "d_prep": "Interview prep",
        "d_situation": "Situation",
        "d_task": "Task",
        "d_action": "Action",
        "d_result": "Result",
        "d_check": "Check before sending",
        "d_untraceable": "These tailored-CV lines have no source in the master CV:",
        "d_made_offline": "the offline analyst (no language model)",
        "d_made_model": "model {model}",
        "d_footer": "Prepared by jobapp with {made_by}; run {run_id}.",
    },
    "de": {
        # fit rationale (pipeline.text.fit.FIT_FRAMES_EN is the English)
        "fit_must": "der Lebenslauf deckt {got} von {n} Muss-Kenntnissen ab",
        "fit_nice": "{got} von {n} Wunsch-Kenntnissen",
        "fit_years": "rund {cv_years} Jahre Berufserfahrung, {asked} (Karrierestufe: {level})",
        "fit_asked": "gefragt sind mindestens {years} Jahre",
        "fit_no_min": "keine Mindestzahl an Jahren gefordert",
        "fit_title": "Übereinstimmung des Jobtitels {score}/100 (letzte Stelle: {latest})",
        "fit_head": "Offline-Schätzung: {parts}.",
        "fit_head_none": "Offline-Schätzung anhand der Wörter der Anzeige.",
        "fit_gaps": " Größte Lücken: {gaps}.",
        "fit_no_gaps": " Keine in der Anzeige genannte Kenntnis fehlt im Lebenslauf.",
        "greeting_c": "Sehr geehrte Damen und Herren,",
        "greeting": "Sehr geehrte Damen und Herren,",
        "opening_c": "hiermit bewerbe ich mich {at_co} um die Stelle als {title}.",
        "opening": "hiermit bewerbe ich mich um die Stelle als {title}.",
        "opening_open_c": "hiermit bewerbe ich mich {at_co} auf die ausgeschriebene Stelle.",
        "opening_open": "hiermit bewerbe ich mich auf die ausgeschriebene Stelle.",
        "li_hello_open_c": "Guten Tag, ich bewerbe mich {at_co} auf die ausgeschriebene Stelle.",
        "li_hello_open": "Guten Tag, ich bewerbe mich auf die ausgeschriebene Stelle.",
        "mail_subject_open": "Bewerbung",
        "lead0": "Im Mittelpunkt der Stelle steht für Sie: {q}.",
        "lead1": "Wichtig ist Ihnen außerdem: {q}.",
        "lead2": "Sie nennen zudem {q}.",
        "recent_current": "Derzeit arbeite ich als {title}{at}.",
        "recent_past": "Zuletzt war ich als {title}{at} tätig.",
        "at": " {at_co}",
        "why_c": "Besonders spricht mich an, wie Sie sich als Arbeitgeber beschreiben: {q}",
        "why": "Besonders spricht mich an, wie Sie sich selbst beschreiben: {q}",
        "closing_focus": "Gern erläutere ich Ihnen in einem persönlichen Gespräch, wie ich Ihr Team unterstützen kann, zum Beispiel bei {q}. Ich freue mich auf Ihre Rückmeldung.",
        "closing": "Gern erläutere ich Ihnen in einem persönlichen Gespräch, wie ich Ihr Team unterstützen kann. Ich freue mich auf Ihre Rückmeldung.",
        "signoff": "Mit freundlichen Grüßen",
        "cite_q0": "In meiner Tätigkeit als {title}{at} gehörte dazu (aus meinem Lebenslauf): {q}.",
        "cite_q1": "Erfahrung mit {skills} habe ich {where} gesammelt; in meinem Lebenslauf steht dazu: {q}.",
        "cite_q3": "In meinem Lebenslauf steht außerdem: {q}.",
        "cite_n3": "Ebenso gehörte zu meinen Aufgaben: {line}.",
        "cite_q2": "Auch {at_org}{dates} war das Teil meiner Arbeit: {q}.",
        "cite_n0": "In meiner Tätigkeit als {title}{at} gehörte dazu: {line}.",
        "cite_n1": "Erfahrung mit {skills} habe ich {where} gesammelt. Dazu gehörte: {line}.",
        "cite_n2": "{At_org}{dates} zählte außerdem zu meinen Aufgaben: {line}.",
        "where_role": "als {title} {at_co}",
        "where_role_noco": "als {title}",
        "li_hello_c": "Guten Tag, ich bewerbe mich {at_co} um die Stelle als {title}.",
        "li_hello": "Guten Tag, ich bewerbe mich um die Stelle als {title}.",
        "li_recent": " Zuletzt war ich als {title}{at} tätig",
        "li_skills": " Relevante Kenntnisse: {skills}.",
        "li_close": " Ich würde mich freuen, mit Ihnen in Kontakt zu kommen und mehr über das Team zu erfahren.",
        "mail_subject": "Bewerbung als {title}",
        "mail_points2": "Zwei Punkte aus meinem Lebenslauf, die zu Ihren Anforderungen passen:",
        "mail_points1": "Ein Punkt aus meinem Lebenslauf, der zu Ihren Anforderungen passt:",
        "mail_close": "Meinen angepassten Lebenslauf und mein Anschreiben finden Sie im Anhang. Über ein kurzes Telefonat zu einem Zeitpunkt, der Ihnen passt, würde ich mich freuen.",
        "mail_signoff": "Mit freundlichen Grüßen",
        "star_situation_at": "{title} {at_co}",
        "star_task": "Bezug zu {q}: {task}.",
        "star_task_only": "Bezug zu {q}.",
        "star_no_result": "Im Lebenslauf nicht angegeben: Ergänzen Sie das messbare Ergebnis in eigenen Worten.",
        "gap": "Ihr Lebenslauf enthält noch kein Beispiel für {q}: Bereiten Sie eine kurze Geschichte vor, in der Sie genau das getan haben (die Situation, Ihr Vorgehen, das Ergebnis).",
        "where_h": "unter {q}",
        "where_intro": "in der Einleitung der Anzeige",
        "detail_resp": "Eine Kernaufgabe, die {where} steht.{using} Rechnen Sie mit der Frage, wie Sie das bisher umgesetzt haben.",
        "detail_req": "Eine ausdrückliche Anforderung, die {where} steht.{using} Bei der Vorauswahl wird man nach konkreten Belegen dafür suchen.",
        "detail_nice": "Ein Pluspunkt, der {where} genannt wird.{using} Damit kann sich eine Bewerbung abheben.",
        "detail_problem": "Die Anzeige beschreibt das {where} als aktuelles Problem.{using} Zeigen Sie, dass Sie so etwas schon gelöst haben.",
        "detail_other": "So beschreibt die Anzeige die Stelle {where}.{using}",
        "using": " Dabei geht es um {skills}.",
        "notes_intro": "Diese Notizen stammen nur aus dem Text der Anzeige; es wurden keine Website und kein Suchdienst abgefragt.",
        "team": "Team: {text}",
        "tools": "Fähigkeiten und Werkzeuge, die die Anzeige nennt: {items}.",
        "salary_stated": "Angegebenes Gehalt: {text}.",
        "salary": "Gehalt: {text}.",
        "pattern": "Arbeitsweise: {text}.",
        "work_mode": "Arbeitsmodell: {mode}.",
        "work_mode_detail": "Arbeitsmodell: {mode} ({text}).",
        "benefits": "Leistungen: {text}",
        "languages": "Sprachkenntnisse: {items}.",
        "deadline": "Bewerbung bis: {date}.",
        "seniority": "Karrierestufe: {level}. Sprache der Anzeige: {language}.",
        "years_asked": ", mindestens {years} Jahre Berufserfahrung gefragt",
        "location": "Standort: {text}.",
        "main_duties": " Hauptaufgaben: {text}.",
        "role_at": "{title} {at_co}",
        "d_unknown_company": "Unbekanntes Unternehmen",
        "d_role": "Die Stelle",
        "d_no_summary": "(keine Zusammenfassung)",
        "d_must": "Muss",
        "d_nice": "Wünschenswert",
        "d_resp": "Aufgaben",
        "d_notes": "Notizen zu Unternehmen und Stelle",
        "d_sources": "Quellen",
        "d_the_posting": "die Anzeige",
        "d_pains": "Worauf es ankommt",
        "d_fit": "Passung",
        "d_part": "Bereich",
        "d_score": "Punkte",
        "d_must_skills": "Muss-Kenntnisse",
        "d_nice_skills": "Wunsch-Kenntnisse",
        "d_seniority": "Karrierestufe",
        "d_title": "Jobtitel",
        "d_matched": "Vorhanden",
        "d_missing": "Fehlt",
        "d_none": "keine",
        "d_people": "Ansprechpersonen",
        "d_to_find": "noch zu finden",
        "d_placeholder": "Platzhalter",
        "d_source": "Quelle",
        "d_search": "Suche",
        "d_outreach": "Kontaktaufnahme",
        "d_linkedin": "LinkedIn-Nachricht",
        "d_email": "E-Mail",
        "d_prep": "Vorbereitung auf das Vorstellungsgespräch",
        "d_situation": "Situation",
        "d_task": "Aufgabe",
        "d_action": "Vorgehen",
        "d_result": "Ergebnis",
        "d_check": "Vor dem Versand prüfen",
        "d_untraceable": "Diese Zeilen des angepassten Lebenslaufs haben keine Quelle im Stammlebenslauf:",
        "d_made_offline": "dem Offline-Analysten (ohne Sprachmodell)",
        "d_made_model": "dem Modell {model}",
        "d_footer": "Erstellt von jobapp mit {made_by}; Lauf {run_id}.",
    },
    "es": {
        # fit rationale (pipeline.text.fit.FIT_FRAMES_EN is the English)
        "fit_must": "el CV cubre {got} de {n} competencias imprescindibles",
        "fit_nice": "{got} de {n} deseables",
        "fit_years": "unos {cv_years} años de experiencia, {asked} (nivel: {level})",
        "fit_asked": "se piden {years} años o más",
        "fit_no_min": "no se pide un mínimo",
        "fit_title": "coincidencia con el puesto {score}/100 (último puesto: {latest})",
        "fit_head": "Estimación sin conexión: {parts}.",
        "fit_head_none": "Estimación sin conexión a partir del texto de la oferta.",
        "fit_gaps": " Principales carencias: {gaps}.",
        "fit_no_gaps": " En el CV no falta ninguna de las competencias de la oferta.",
        "greeting_c": "Estimado equipo {of_co}:",
        "greeting": "Estimados señores:",
        "opening_c": "Me dirijo a ustedes para presentar mi candidatura al puesto de {title} {at_co}.",
        "opening": "Me dirijo a ustedes para presentar mi candidatura al puesto de {title}.",
        "opening_open_c": "Me dirijo a ustedes para presentar mi candidatura al puesto vacante {at_co}.",
        "opening_open": "Me dirijo a ustedes para presentar mi candidatura al puesto que ofrecen.",
        "li_hello_open_c": "Hola, acabo de presentar mi candidatura al puesto vacante {at_co}.",
        "li_hello_open": "Hola, acabo de presentar mi candidatura al puesto que ofrecen.",
        "mail_subject_open": "Candidatura",
        "lead0": "En su oferta, lo central es {q}.",
        "lead1": "También buscan {q}.",
        "lead2": "Además, mencionan {q}.",
        "recent_current": "Actualmente trabajo como {title}{at}.",
        "recent_past": "Mi puesto más reciente ha sido el de {title}{at}.",
        "at": " {at_co}",
        "why_c": "Me atrae especialmente la forma en que se presentan como empresa: {q}",
        "why": "Me atrae especialmente la forma en que se describen: {q}",
        "closing_focus": "Me encantaría explicarles en una entrevista cómo puedo contribuir a su equipo, empezando por {q}. Les agradezco de antemano su atención.",
        "closing": "Me encantaría explicarles en una entrevista cómo puedo contribuir a su equipo. Les agradezco de antemano su atención.",
        "signoff": "Atentamente,",
        "cite_q0": "En mi puesto de {title}{at}, mi CV lo recoge así: {q}.",
        "cite_q1": "Mi experiencia con {skills} procede de mi etapa {where}; en mi CV figura así: {q}.",
        "cite_q3": "Mi CV recoge además: {q}.",
        "cite_n3": "Asimismo, me ocupé de lo siguiente: {line}.",
        "cite_q2": "{At_org}{dates} también formaba parte de mi trabajo: {q}.",
        "cite_n0": "En mi puesto de {title}{at}, mi trabajo incluía: {line}.",
        "cite_n1": "Mi experiencia con {skills} procede de mi etapa {where}. Allí me encargué de lo siguiente: {line}.",
        "cite_n2": "{At_org}{dates}, otra de mis tareas fue: {line}.",
        "where_role": "como {title} {at_co}",
        "where_role_noco": "como {title}",
        "li_hello_c": "Hola, acabo de presentar mi candidatura al puesto de {title} {at_co}.",
        "li_hello": "Hola, acabo de presentar mi candidatura al puesto de {title}.",
        "li_recent": " Mi puesto más reciente: {title}{at}",
        "li_skills": " Conocimientos relevantes: {skills}.",
        "li_close": " Me encantaría conectar con usted y saber más sobre el equipo.",
        "mail_subject": "Candidatura: {title}",
        "mail_points2": "Dos puntos de mi CV que encajan con lo que buscan:",
        "mail_points1": "Un punto de mi CV que encaja con lo que buscan:",
        "mail_close": "Adjunto mi CV adaptado y mi carta de presentación. Quedo a su disposición para una breve llamada cuando mejor les convenga.",
        "mail_signoff": "Atentamente,",
        "star_situation_at": "{title} {at_co}",
        "star_task": "Relacionado con {q}: {task}.",
        "star_task_only": "Relacionado con {q}.",
        "star_no_result": "No consta en el CV: añada con sus propias palabras el resultado medible.",
        "gap": "Su CV aún no incluye ningún ejemplo de {q}: prepare una breve historia sobre una ocasión en la que lo hizo (la situación, lo que hizo y el resultado).",
        "where_h": "en el apartado {q}",
        "where_intro": "en la introducción de la oferta",
        "detail_resp": "Una función principal que figura {where}.{using} Cuente con que le pregunten cómo la ha desempeñado antes.",
        "detail_req": "Un requisito explícito que figura {where}.{using} Quien revise las candidaturas buscará pruebas concretas de ello.",
        "detail_nice": "Se valora como un plus {where}.{using} Puede marcar la diferencia en una candidatura.",
        "detail_problem": "La oferta lo describe {where} como un problema actual.{using} Demostrar que ya ha resuelto algo parecido es importante.",
        "detail_other": "Forma parte de cómo la oferta describe el puesto {where}.{using}",
        "using": " Incluye {skills}.",
        "notes_intro": "Notas tomadas solo del texto de la oferta; no se ha consultado ningún sitio web ni servicio de búsqueda.",
        "team": "Equipo: {text}",
        "tools": "Conocimientos y herramientas que menciona la oferta: {items}.",
        "salary_stated": "Salario indicado: {text}.",
        "salary": "Salario: {text}.",
        "pattern": "Modalidad de trabajo: {text}.",
        "work_mode": "Modalidad: {mode}.",
        "work_mode_detail": "Modalidad: {mode} ({text}).",
        "benefits": "Beneficios: {text}",
        "languages": "Idiomas requeridos: {items}.",
        "deadline": "Plazo de candidatura: {date}.",
        "seniority": "Nivel: {level}. Idioma de la oferta: {language}.",
        "years_asked": ", se piden al menos {years} años de experiencia",
        "location": "Ubicación: {text}.",
        "main_duties": " Funciones principales: {text}.",
        "role_at": "{title} {at_co}",
        "d_unknown_company": "Empresa desconocida",
        "d_role": "El puesto",
        "d_no_summary": "(sin resumen)",
        "d_must": "Imprescindible",
        "d_nice": "Se valora",
        "d_resp": "Funciones",
        "d_notes": "Notas sobre la empresa y el puesto",
        "d_sources": "Fuentes",
        "d_the_posting": "la oferta",
        "d_pains": "Puntos clave",
        "d_fit": "Encaje",
        "d_part": "apartado",
        "d_score": "puntuación",
        "d_must_skills": "conocimientos imprescindibles",
        "d_nice_skills": "conocimientos valorables",
        "d_seniority": "nivel",
        "d_title": "título del puesto",
        "d_matched": "Coinciden",
        "d_missing": "Faltan",
        "d_none": "ninguno",
        "d_people": "Personas de contacto",
        "d_to_find": "por encontrar",
        "d_placeholder": "marcador",
        "d_source": "fuente",
        "d_search": "buscar",
        "d_outreach": "Contacto",
        "d_linkedin": "Mensaje de LinkedIn",
        "d_email": "Correo electrónico",
        "d_prep": "Preparación de la entrevista",
        "d_situation": "Situación",
        "d_task": "Tarea",
        "d_action": "Acción",
        "d_result": "Resultado",
        "d_check": "Revisar antes de enviar",
        "d_untraceable": "Estas líneas del CV adaptado no tienen origen en el CV principal:",
        "d_made_offline": "el analista sin conexión (sin modelo de lenguaje)",
        "d_made_model": "el modelo {model}",
        "d_footer": "Preparado por jobapp con {made_by}; ejecución {run_id}.",
    },
    "fr": {
        # fit rationale (pipeline.text.fit.FIT_FRAMES_EN is the English)
        "fit_must": "le CV couvre {got} des {n} compétences exigées",
        "fit_nice": "{got} des {n} compétences appréciées",
        "fit_years": "environ {cv_years} ans d'expérience, {asked} (niveau{NBSP}: {level})",
        "fit_asked": "minimum demandé{NBSP}: {years} ans",
        "fit_no_min": "aucun minimum demandé",
        "fit_title": "correspondance de l'intitulé {score}/100 (dernier poste{NBSP}: {latest})",
        "fit_head": "Estimation hors ligne{NBSP}: {parts}.",
        "fit_head_none": "Estimation hors ligne d'après le texte de l'annonce.",
        "fit_gaps": " Principaux manques{NBSP}: {gaps}.",
        "fit_no_gaps": " Aucune compétence citée dans l'annonce ne manque au CV.",
        "greeting_c": "Madame, Monsieur,",
        "greeting": "Madame, Monsieur,",
        "opening_c": "Je vous adresse ma candidature au poste {de_title} {at_co}.",
        "opening": "Je vous adresse ma candidature au poste {de_title}.",
        "opening_open_c": "Je vous adresse ma candidature pour le poste à pourvoir {at_co}.",
        "opening_open": "Je vous adresse ma candidature pour le poste à pourvoir.",
        "li_hello_open_c": "Bonjour, je postule au poste à pourvoir {at_co}.",
        "li_hello_open": "Bonjour, je postule au poste à pourvoir.",
        "mail_subject_open": "Candidature",
        "lead0": "Vous placez {q} au cœur du poste.",
        "lead1": "Vous recherchez également {q}.",
        "lead2": "Vous mentionnez aussi {q}.",
        "recent_current": "J'occupe actuellement le poste {de_title}{at}.",
        "recent_past": "J'ai récemment occupé le poste {de_title}{at}.",
        "at": " {at_co}",
        "why_c": "Ce qui m'attire particulièrement, c'est la façon dont vous vous présentez{NBSP}: {q}",
        "why": "Ce qui m'attire particulièrement, c'est la façon dont vous vous présentez{NBSP}: {q}",
        "closing_focus": "Je me tiens à votre disposition pour un entretien afin de vous exposer ce que je pourrais apporter à votre équipe, en commençant par {q}. Je vous remercie de l'attention portée à ma candidature.",
        "closing": "Je me tiens à votre disposition pour un entretien afin de vous exposer ce que je pourrais apporter à votre équipe. Je vous remercie de l'attention portée à ma candidature.",
        "signoff": "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        "cite_q0": "Dans mes fonctions {de_title}{at}, mon CV l'indique ainsi{NBSP}: {q}.",
        "cite_q1": "Mon expérience en {skills} vient de mon poste {where}{NBSP}; mon CV le formule ainsi{NBSP}: {q}.",
        "cite_q3": "Mon CV mentionne également{NBSP}: {q}.",
        "cite_n3": "J'ai par ailleurs assuré{NBSP}: {line}.",
        "cite_q2": "{At_org}{dates}, cela faisait aussi partie de mon travail{NBSP}: {q}.",
        "cite_n0": "Dans mes fonctions {de_title}{at}, mes missions comprenaient{NBSP}: {line}.",
        "cite_n1": "Mon expérience en {skills} vient de mon poste {where}. J'y ai notamment assuré{NBSP}: {line}.",
        "cite_n2": "{At_org}{dates}, une autre de mes missions était{NBSP}: {line}.",
        "where_role": "{de_title} {at_co}",
        "where_role_noco": "{de_title}",
        "li_hello_c": "Bonjour, je postule au poste {de_title} {at_co}.",
        "li_hello": "Bonjour, je postule au poste {de_title}.",
        "li_recent": " Dernier poste{NBSP}: {title}{at}",
        "li_skills": " Compétences clés{NBSP}: {skills}.",
        "li_close": " Au plaisir d'échanger avec vous et d'en savoir plus sur l'équipe.",
        "mail_subject": "Candidature{NBSP}: {title}",
        "mail_points2": "Deux points de mon CV qui répondent à vos besoins{NBSP}:",
        "mail_points1": "Un point de mon CV qui répond à vos besoins{NBSP}:",
        "mail_close": "Vous trouverez ci-joint mon CV adapté et ma lettre de motivation. Je reste à votre disposition pour un bref échange téléphonique au moment qui vous conviendra.",
        "mail_signoff": "Bien cordialement,",
        "star_situation_at": "{title} {at_co}",
        "star_task": "En lien avec {q}{NBSP}: {task}.",
        "star_task_only": "En lien avec {q}.",
        "star_no_result": "Non indiqué dans le CV{NBSP}: ajoutez le résultat mesurable avec vos propres mots.",
        "gap": "Votre CV ne contient pas encore d'exemple pour {q}{NBSP}: préparez une courte histoire sur une situation où vous l'avez fait (le contexte, ce que vous avez fait, le résultat).",
        "where_h": "dans la rubrique {q}",
        "where_intro": "dans l'introduction de l'annonce",
        "detail_resp": "Une mission essentielle, citée {where}.{using} Attendez-vous à devoir expliquer comment vous l'avez déjà assurée.",
        "detail_req": "Une exigence explicite, citée {where}.{using} Les recruteurs chercheront des preuves concrètes.",
        "detail_nice": "Un atout apprécié, cité {where}.{using} Il peut faire la différence.",
        "detail_problem": "L'annonce présente ce point {where} comme un problème actuel.{using} Montrer que vous l'avez déjà résolu compte.",
        "detail_other": "Un élément de la description du poste, {where}.{using}",
        "using": " Il y est question de {skills}.",
        "notes_intro": "Notes tirées uniquement du texte de l'annonce{NBSP}; aucun site web ni service de recherche n'a été consulté.",
        "team": "Équipe{NBSP}: {text}",
        "tools": "Compétences et outils cités dans l'annonce{NBSP}: {items}.",
        "salary_stated": "Salaire indiqué{NBSP}: {text}.",
        "salary": "Salaire{NBSP}: {text}.",
        "pattern": "Organisation du travail{NBSP}: {text}.",
        "work_mode": "Mode de travail{NBSP}: {mode}.",
        "work_mode_detail": "Mode de travail{NBSP}: {mode} ({text}).",
        "benefits": "Avantages{NBSP}: {text}",
        "languages": "Langues demandées{NBSP}: {items}.",
        "deadline": "Candidater avant le{NBSP}: {date}.",
        "seniority": "Niveau{NBSP}: {level}. Langue de l'annonce{NBSP}: {language}.",
        "years_asked": ", au moins {years}{NBSP}ans d'expérience demandés",
        "location": "Lieu{NBSP}: {text}.",
        "main_duties": " Missions principales{NBSP}: {text}.",
        "role_at": "{title} {at_co}",
        "d_unknown_company": "Entreprise inconnue",
        "d_role": "Le poste",
        "d_no_summary": "(pas de résumé)",
        "d_must": "Indispensable",
        "d_nice": "Apprécié",
        "d_resp": "Missions",
        "d_notes": "Notes sur l'entreprise et le poste",
        "d_sources": "Sources",
        "d_the_posting": "l'annonce",
        "d_pains": "Points clés",
        "d_fit": "Adéquation",
        "d_part": "critère",
        "d_score": "score",
        "d_must_skills": "compétences indispensables",
        "d_nice_skills": "compétences appréciées",
        "d_seniority": "niveau",
        "d_title": "intitulé du poste",
        "d_matched": "Présentes",
        "d_missing": "Manquantes",
        "d_none": "aucune",
        "d_people": "Personnes à contacter",
        "d_to_find": "à trouver",
        "d_placeholder": "à compléter",
        "d_source": "source",
        "d_search": "rechercher",
        "d_outreach": "Prise de contact",
        "d_linkedin": "Message LinkedIn",
        "d_email": "E-mail",
        "d_prep": "Préparation à l'entretien",
        "d_situation": "Situation",
        "d_task": "Tâche",
        "d_action": "Action",
        "d_result": "Résultat",
        "d_check": "À vérifier avant l'envoi",
        "d_untraceable": "Ces lignes du CV adapté n'ont pas de source dans le CV de référence{NBSP}:",
        "d_made_offline": "l'analyste hors ligne (sans modèle de langage)",
        "d_made_model": "le modèle {model}",
        "d_footer": "Préparé par jobapp avec {made_by}{NBSP}; exécution {run_id}.",
    },
    "nl": {
        # fit rationale (pipeline.text.fit.FIT_FRAMES_EN is the English)
        "fit_must": "het cv dekt {got} van de {n} vereiste vaardigheden",
        "fit_nice": "{got} van de {n} pluspunten",
        "fit_years": "ongeveer {cv_years} jaar ervaring, {asked} (niveau: {level})",
        "fit_asked": "gevraagd: minimaal {years} jaar",
        "fit_no_min": "geen minimum gevraagd",
        "fit_title": "overeenkomst functietitel {score}/100 (laatste functie: {latest})",
        "fit_head": "Offline schatting: {parts}.",
        "fit_head_none": "Offline schatting op basis van de tekst van de vacature.",
        "fit_gaps": " Grootste hiaten: {gaps}.",
        "fit_no_gaps": " Er ontbreekt geen in de vacature genoemde vaardigheid in het cv.",
        "greeting_c": "Beste {company}-team,",
        "greeting": "Geachte heer/mevrouw,",
        "opening_c": "Met veel belangstelling solliciteer ik hierbij naar de functie van {title} bij {company}.",
        "opening": "Met veel belangstelling solliciteer ik hierbij naar de functie van {title}.",
        "opening_open_c": "Hierbij solliciteer ik naar de openstaande functie bij {company}.",
        "opening_open": "Hierbij solliciteer ik naar de openstaande functie.",
        "li_hello_open_c": "Goedendag, ik solliciteer naar de openstaande functie bij {company}.",
        "li_hello_open": "Goedendag, ik solliciteer naar de openstaande functie.",
        "mail_subject_open": "Sollicitatie",
        "lead0": "U noemt {q} als kern van de functie.",
        "lead1": "Daarnaast vraagt u om {q}.",
        "lead2": "Ook noemt u {q}.",
        "recent_current": "Op dit moment werk ik als {title}{at}.",
        "recent_past": "Mijn meest recente functie was {title}{at}.",
        "at": " bij {company}",
        "why_c": "Wat mij aanspreekt, is hoe u {company} omschrijft: {q}",
        "why": "Wat mij aanspreekt, is hoe u uzelf omschrijft: {q}",
        "closing_focus": "Graag licht ik in een persoonlijk gesprek toe hoe ik uw team kan versterken, te beginnen met {q}. Alvast bedankt voor uw tijd.",
        "closing": "Graag licht ik in een persoonlijk gesprek toe hoe ik uw team kan versterken. Alvast bedankt voor uw tijd.",
        "signoff": "Met vriendelijke groet,",
        "cite_q0": "In mijn functie als {title}{at} staat daarover in mijn cv: {q}.",
        "cite_q1": "Mijn ervaring met {skills} komt uit mijn tijd {where}; in mijn cv staat: {q}.",
        "cite_q3": "In mijn cv staat verder: {q}.",
        "cite_n3": "Verder hoorde bij mijn taken: {line}.",
        "cite_q2": "Ook bij {org}{dates} hoorde dit bij mijn werk: {q}.",
        "cite_n0": "In mijn functie als {title}{at} hoorde daarbij: {line}.",
        "cite_n1": "Mijn ervaring met {skills} komt uit mijn tijd {where}. Daar hoorde onder meer bij: {line}.",
        "cite_n2": "Bij {org}{dates} behoorde verder tot mijn taken: {line}.",
        "where_role": "als {title} bij {company}",
        "where_role_noco": "als {title}",
        "li_hello_c": "Goedendag, ik solliciteer naar de functie van {title} bij {company}.",
        "li_hello": "Goedendag, ik solliciteer naar de functie van {title}.",
        "li_recent": " Mijn meest recente functie: {title}{at}",
        "li_skills": " Relevante vaardigheden: {skills}.",
        "li_close": " Ik zou graag met u in contact komen en meer over het team horen.",
        "mail_subject": "Sollicitatie: {title}",
        "mail_points2": "Twee punten uit mijn cv die aansluiten bij wat u zoekt:",
        "mail_points1": "Eén punt uit mijn cv dat aansluit bij wat u zoekt:",
        "mail_close": "Mijn aangepaste cv en motivatiebrief vindt u in de bijlage. Graag plan ik een kort telefoongesprek in op een moment dat het u schikt.",
        "mail_signoff": "Met vriendelijke groet,",
        "star_situation_at": "{title} bij {company}",
        "star_task": "Relevant voor {q}: {task}.",
        "star_task_only": "Relevant voor {q}.",
        "star_no_result": "Niet vermeld in het cv: vul het meetbare resultaat in uw eigen woorden aan.",
        "gap": "Uw cv bevat nog geen voorbeeld van {q}: bereid een kort verhaal voor over een keer dat u dit deed (de situatie, wat u deed, het resultaat).",
        "where_h": "onder {q}",
        "where_intro": "in de inleiding van de vacature",
        "detail_resp": "Een kerntaak die {where} staat.{using} Reken erop dat u gevraagd wordt hoe u dit eerder hebt aangepakt.",
        "detail_req": "Een uitdrukkelijke eis die {where} staat.{using} Bij de selectie wordt gezocht naar concreet bewijs daarvan.",
        "detail_nice": "Een pluspunt dat {where} genoemd wordt.{using} Hiermee kan een sollicitatie opvallen.",
        "detail_problem": "De vacature beschrijft dit {where} als een actueel probleem.{using} Laat zien dat u zoiets al eens hebt opgelost.",
        "detail_other": "Zo beschrijft de vacature de functie {where}.{using}",
        "using": " Het gaat daarbij om {skills}.",
        "notes_intro": "Notities alleen op basis van de vacaturetekst; er is geen website of zoekdienst geraadpleegd.",
        "team": "Team: {text}",
        "tools": "Vaardigheden en tools die de vacature noemt: {items}.",
        "salary_stated": "Vermeld salaris: {text}.",
        "salary": "Salaris: {text}.",
        "pattern": "Werkpatroon: {text}.",
        "work_mode": "Werkvorm: {mode}.",
        "work_mode_detail": "Werkvorm: {mode} ({text}).",
        "benefits": "Arbeidsvoorwaarden: {text}",
        "languages": "Gevraagde talen: {items}.",
        "deadline": "Solliciteren vóór: {date}.",
        "seniority": "Niveau: {level}. Taal van de vacature: {language}.",
        "years_asked": ", minimaal {years} jaar ervaring gevraagd",
        "location": "Locatie: {text}.",
        "main_duties": " Belangrijkste taken: {text}.",
        "role_at": "{title} bij {company}",
        "d_unknown_company": "Onbekend bedrijf",
        "d_role": "De functie",
        "d_no_summary": "(geen samenvatting)",
        "d_must": "Vereist",
        "d_nice": "Pluspunt",
        "d_resp": "Taken",
        "d_notes": "Notities over bedrijf en functie",
        "d_sources": "Bronnen",
        "d_the_posting": "de vacature",
        "d_pains": "Waar het om draait",
        "d_fit": "Match",
        "d_part": "onderdeel",
        "d_score": "score",
        "d_must_skills": "vereiste vaardigheden",
        "d_nice_skills": "gewenste vaardigheden",
        "d_seniority": "niveau",
        "d_title": "functietitel",
        "d_matched": "Aanwezig",
        "d_missing": "Ontbreekt",
        "d_none": "geen",
        "d_people": "Contactpersonen",
        "d_to_find": "nog te vinden",
        "d_placeholder": "tijdelijke invulling",
        "d_source": "bron",
        "d_search": "zoeken",
        "d_outreach": "Contact leggen",
        "d_linkedin": "LinkedIn-bericht",
        "d_email": "E-mail",
        "d_prep": "Voorbereiding op het gesprek",
        "d_situation": "Situatie",
        "d_task": "Taak",
        "d_action": "Aanpak",
        "d_result": "Resultaat",
        "d_check": "Controleren voor verzending",
        "d_untraceable": "Deze regels in het aangepaste cv hebben geen bron in het basis-cv:",
        "d_made_offline": "de offline analist (zonder taalmodel)",
        "d_made_model": "model {model}",
        "d_footer": "Opgesteld door jobapp met {made_by}; run {run_id}.",
    },
}

# ---------------------------------------------------------------------------
# Tones (Settings → Writing preferences → tone)
# ---------------------------------------------------------------------------
# "formal" is PHRASES above, unchanged. A tone lists only the frames it words differently;
# any key it leaves out (and any language it leaves out) falls back to the formal frame.
# Only the glue changes, never a fact; every tone keeps the formal address (Sie, usted,
# vous, u) and names the company and the role in the letter's first sentence.
# - warm: a friendlier opening and closing, a warmer sign-off;
# - direct: shorter sentences, no thanks or pleasantries, a closing that offers a talk
#   "this week or next" (never a date the CV does not give); the analyst adds no filler
#   sentence to a short letter, so the requirement-evidence paragraphs lead.
# Sign-offs stay short lines without a full stop (pipeline.llm.preferences finds them there),
# except the French letter formulas, which are sentences in every tone.

TONES = ("formal", "warm", "direct")

TONE_PHRASES: dict[str, dict[str, dict[str, str]]] = {
    "warm": {
        "en": {
            "greeting_c": "Dear {company} team,",
            "greeting": "Dear hiring team,",
            "opening_c": "I was glad to see the {title} role at {company}, and I am pleased to apply.",
            "opening": "I was glad to see the {title} role, and I am pleased to apply.",
            "opening_open_c": "I was glad to see the open position at {company}, and I am pleased to apply.",
            "opening_open": "I was glad to see the position you have advertised, and I am pleased to apply.",
            "why_c": "I am especially drawn to how you describe {company}: {q}",
            "why": "I am especially drawn to how you describe yourselves: {q}",
            "closing_focus": "I'd love to talk about how I could help {who}, starting with {q}. Thank you for reading my application; I look forward to hearing from you.",
            "closing": "I'd love to talk about how I could help {who}. Thank you for reading my application; I look forward to hearing from you.",
            "signoff": "Warm regards,",
            "li_hello_c": "Hello, I was glad to see the {title} role at {company} and have just applied.",
            "li_hello": "Hello, I was glad to see the {title} role and have just applied.",
            "li_hello_open_c": "Hello, I was glad to see the open position at {company} and have just applied.",
            "li_hello_open": "Hello, I was glad to see your open position and have just applied.",
            "li_close": " I'd love to connect and hear more about the team.",
            "mail_points2": "Two things from my CV that I think you will find relevant:",
            "mail_points1": "One thing from my CV that I think you will find relevant:",
            "mail_close": "My tailored CV and cover letter are attached. I'd love to have a short call whenever it suits you.",
            "mail_signoff": "Warm regards,",
        },
        "de": {
            "greeting_c": "Guten Tag,",
            "greeting": "Guten Tag,",
            "opening_c": "mit Freude habe ich gesehen, dass {at_co} die Stelle als {title} zu besetzen ist – ich bewerbe mich sehr gern.",
            "opening": "mit Freude habe ich Ihre Anzeige für die Stelle als {title} gesehen – ich bewerbe mich sehr gern.",
            "opening_open_c": "mit Freude habe ich gesehen, dass {at_co} eine Stelle zu besetzen ist – ich bewerbe mich sehr gern.",
            "opening_open": "mit Freude habe ich Ihre Stellenanzeige gesehen – ich bewerbe mich sehr gern.",
            "why_c": "Besonders sympathisch ist mir, wie Sie sich als Arbeitgeber beschreiben: {q}",
            "why": "Besonders sympathisch ist mir, wie Sie sich selbst beschreiben: {q}",
            "closing_focus": "Ich würde mich sehr freuen, Sie persönlich kennenzulernen und mit Ihnen zu besprechen, wie ich Ihr Team unterstützen kann, zum Beispiel bei {q}. Herzlichen Dank für Ihre Zeit.",
            "closing": "Ich würde mich sehr freuen, Sie persönlich kennenzulernen und mit Ihnen zu besprechen, wie ich Ihr Team unterstützen kann. Herzlichen Dank für Ihre Zeit.",
            "signoff": "Herzliche Grüße",
            "li_hello_c": "Hallo, mit Freude habe ich mich {at_co} um die Stelle als {title} beworben.",
            "li_hello": "Hallo, mit Freude habe ich mich um die Stelle als {title} beworben.",
            "li_hello_open_c": "Hallo, mit Freude habe ich mich {at_co} auf die ausgeschriebene Stelle beworben.",
            "li_hello_open": "Hallo, mit Freude habe ich mich auf die ausgeschriebene Stelle beworben.",
            "li_close": " Ich würde mich sehr freuen, mit Ihnen in Kontakt zu kommen und das Team kennenzulernen.",
            "mail_close": "Meinen angepassten Lebenslauf und mein Anschreiben finden Sie im Anhang. Ich freue mich sehr auf ein erstes Telefonat, wann immer es Ihnen passt.",
            "mail_signoff": "Herzliche Grüße",
        },
        "es": {
            "opening_c": "Me alegró mucho ver su oferta para el puesto de {title} {at_co} y me complace presentarles mi candidatura.",
            "opening": "Me alegró mucho ver su oferta para el puesto de {title} y me complace presentarles mi candidatura.",
            "opening_open_c": "Me alegró mucho ver que tienen un puesto vacante {at_co} y me complace presentarles mi candidatura.",
            "opening_open": "Me alegró mucho ver su oferta de empleo y me complace presentarles mi candidatura.",
            "why_c": "Me identifico especialmente con la forma en que se presentan como empresa: {q}",
            "why": "Me identifico especialmente con la forma en que se describen: {q}",
            "closing_focus": "Me encantaría conocerlos y conversar sobre cómo puedo contribuir a su equipo, empezando por {q}. Muchas gracias por su tiempo; espero tener noticias suyas pronto.",
            "closing": "Me encantaría conocerlos y conversar sobre cómo puedo contribuir a su equipo. Muchas gracias por su tiempo; espero tener noticias suyas pronto.",
            "signoff": "Un cordial saludo,",
            "li_hello_c": "Hola, me alegró mucho ver el puesto de {title} {at_co} y acabo de presentar mi candidatura.",
            "li_hello": "Hola, me alegró mucho ver el puesto de {title} y acabo de presentar mi candidatura.",
            "li_hello_open_c": "Hola, me alegró mucho ver el puesto vacante {at_co} y acabo de presentar mi candidatura.",
            "li_hello_open": "Hola, me alegró mucho ver su oferta y acabo de presentar mi candidatura.",
            "li_close": " Me encantaría conectar con usted y conocer mejor al equipo.",
            "mail_close": "Adjunto mi CV adaptado y mi carta de presentación. Será un placer hablar con ustedes cuando mejor les venga.",
            "mail_signoff": "Un cordial saludo,",
        },
        "fr": {
            "opening_c": "C'est avec un grand plaisir que je vous adresse ma candidature au poste {de_title} {at_co}.",
            "opening": "C'est avec un grand plaisir que je vous adresse ma candidature au poste {de_title}.",
            "opening_open_c": "C'est avec un grand plaisir que je vous adresse ma candidature pour le poste à pourvoir {at_co}.",
            "opening_open": "C'est avec un grand plaisir que je vous adresse ma candidature pour le poste à pourvoir.",
            "why_c": "Je me reconnais tout particulièrement dans la façon dont vous vous présentez{NBSP}: {q}",
            "why": "Je me reconnais tout particulièrement dans la façon dont vous vous présentez{NBSP}: {q}",
            "closing_focus": "J'aurais grand plaisir à vous rencontrer pour échanger sur ce que je pourrais apporter à votre équipe, en commençant par {q}. Je vous remercie sincèrement de l'attention portée à ma candidature.",
            "closing": "J'aurais grand plaisir à vous rencontrer pour échanger sur ce que je pourrais apporter à votre équipe. Je vous remercie sincèrement de l'attention portée à ma candidature.",
            "signoff": "Je vous adresse, Madame, Monsieur, mes plus cordiales salutations.",
            "li_hello_c": "Bonjour, c'est avec plaisir que je postule au poste {de_title} {at_co}.",
            "li_hello": "Bonjour, c'est avec plaisir que je postule au poste {de_title}.",
            "li_hello_open_c": "Bonjour, c'est avec plaisir que je postule au poste à pourvoir {at_co}.",
            "li_hello_open": "Bonjour, c'est avec plaisir que je postule au poste à pourvoir.",
            "li_close": " Ce serait un plaisir d'échanger avec vous et de mieux connaître l'équipe.",
            "mail_close": "Vous trouverez ci-joint mon CV adapté et ma lettre de motivation. J'aurais grand plaisir à échanger avec vous par téléphone, au moment qui vous conviendra.",
            "mail_signoff": "Très cordialement,",
        },
        "nl": {
            "greeting": "Beste heer/mevrouw,",
            "opening_c": "Met veel plezier las ik uw vacature voor de functie van {title} bij {company}. Graag solliciteer ik naar deze functie.",
            "opening": "Met veel plezier las ik uw vacature voor de functie van {title}. Graag solliciteer ik naar deze functie.",
            "opening_open_c": "Met veel plezier las ik uw vacature bij {company}. Graag solliciteer ik naar deze functie.",
            "opening_open": "Met veel plezier las ik uw vacature. Graag solliciteer ik naar deze functie.",
            "why_c": "Wat mij echt aanspreekt, is hoe u {company} omschrijft: {q}",
            "why": "Wat mij echt aanspreekt, is hoe u uzelf omschrijft: {q}",
            "closing_focus": "Ik maak graag kennis met u om te bespreken hoe ik uw team kan versterken, te beginnen met {q}. Hartelijk dank voor uw tijd en aandacht.",
            "closing": "Ik maak graag kennis met u om te bespreken hoe ik uw team kan versterken. Hartelijk dank voor uw tijd en aandacht.",
            "signoff": "Hartelijke groet,",
            "li_hello_c": "Goedendag, met plezier solliciteer ik naar de functie van {title} bij {company}.",
            "li_hello": "Goedendag, met plezier solliciteer ik naar de functie van {title}.",
            "li_hello_open_c": "Goedendag, met plezier solliciteer ik naar de openstaande functie bij {company}.",
            "li_hello_open": "Goedendag, met plezier solliciteer ik naar de openstaande functie.",
            "li_close": " Ik kom graag met u in contact om meer over het team te horen.",
            "mail_close": "Mijn aangepaste cv en motivatiebrief vindt u in de bijlage. Ik maak graag tijd voor een kort telefoongesprek, wanneer het u uitkomt.",
            "mail_signoff": "Hartelijke groet,",
        },
    },
    "direct": {
        "en": {
            "lead0": "The role centres on {q}.",
            "why_c": "What draws me to {company}: {q}",
            "why": "What draws me to you: {q}",
            "closing_focus": "I am happy to talk this week or next.",
            "closing": "I am happy to talk this week or next.",
            "signoff": "Regards,",
            "li_hello_c": "Hi, I have applied for the {title} role at {company}.",
            "li_hello": "Hi, I have applied for the {title} role.",
            "li_hello_open_c": "Hi, I have applied for the open position at {company}.",
            "li_hello_open": "Hi, I have applied for the position you advertised.",
            "li_close": " Happy to talk this week or next.",
            "mail_points2": "Two matches from my CV:",
            "mail_points1": "One match from my CV:",
            "mail_close": "My tailored CV and cover letter are attached. I am available for a call this week or next.",
            "mail_signoff": "Regards,",
        },
        "de": {
            "opening_c": "ich bewerbe mich {at_co} um die Stelle als {title}.",
            "opening": "ich bewerbe mich um die Stelle als {title}.",
            "opening_open_c": "ich bewerbe mich {at_co} auf die ausgeschriebene Stelle.",
            "opening_open": "ich bewerbe mich auf die ausgeschriebene Stelle.",
            "lead0": "Ihr Schwerpunkt: {q}.",
            "lead1": "Außerdem wichtig: {q}.",
            "lead2": "Zudem nennen Sie {q}.",
            "why_c": "Mich überzeugt, wie Sie sich als Arbeitgeber beschreiben: {q}",
            "why": "Mich überzeugt, wie Sie sich beschreiben: {q}",
            "closing_focus": "Für ein Gespräch stehe ich Ihnen diese oder nächste Woche zur Verfügung.",
            "closing": "Für ein Gespräch stehe ich Ihnen diese oder nächste Woche zur Verfügung.",
            "signoff": "Freundliche Grüße",
            "li_hello_c": "Guten Tag, ich habe mich {at_co} als {title} beworben.",
            "li_hello": "Guten Tag, ich habe mich als {title} beworben.",
            "li_hello_open_c": "Guten Tag, ich habe mich {at_co} auf die ausgeschriebene Stelle beworben.",
            "li_hello_open": "Guten Tag, ich habe mich auf die ausgeschriebene Stelle beworben.",
            "li_close": " Gern spreche ich diese oder nächste Woche mit Ihnen.",
            "mail_points2": "Zwei Belege aus meinem Lebenslauf:",
            "mail_points1": "Ein Beleg aus meinem Lebenslauf:",
            "mail_close": "Lebenslauf und Anschreiben finden Sie im Anhang. Für ein Telefonat stehe ich Ihnen diese oder nächste Woche zur Verfügung.",
            "mail_signoff": "Freundliche Grüße",
        },
        "es": {
            "opening_c": "Presento mi candidatura al puesto de {title} {at_co}.",
            "opening": "Presento mi candidatura al puesto de {title}.",
            "opening_open_c": "Presento mi candidatura al puesto vacante {at_co}.",
            "opening_open": "Presento mi candidatura al puesto que ofrecen.",
            "lead0": "Su prioridad: {q}.",
            "why_c": "Lo que me atrae de su empresa: {q}",
            "why": "Lo que me atrae de ustedes: {q}",
            "closing_focus": "Quedo a su disposición para una entrevista esta semana o la próxima.",
            "closing": "Quedo a su disposición para una entrevista esta semana o la próxima.",
            "signoff": "Un saludo,",
            "li_hello_c": "Hola, he presentado mi candidatura al puesto de {title} {at_co}.",
            "li_hello": "Hola, he presentado mi candidatura al puesto de {title}.",
            "li_hello_open_c": "Hola, he presentado mi candidatura al puesto vacante {at_co}.",
            "li_hello_open": "Hola, he presentado mi candidatura a su oferta.",
            "li_close": " Quedo a su disposición esta semana o la próxima.",
            "mail_points2": "Dos ejemplos de mi CV:",
            "mail_points1": "Un ejemplo de mi CV:",
            "mail_close": "Adjunto mi CV adaptado y mi carta de presentación. Quedo a su disposición para hablar esta semana o la próxima.",
            "mail_signoff": "Un saludo,",
        },
        "fr": {
            "opening_c": "Je postule au poste {de_title} {at_co}.",
            "opening": "Je postule au poste {de_title}.",
            "opening_open_c": "Je postule au poste à pourvoir {at_co}.",
            "opening_open": "Je postule au poste à pourvoir.",
            "lead0": "Votre priorité{NBSP}: {q}.",
            "lead1": "Vous demandez aussi {q}.",
            "why_c": "Ce qui me motive chez vous{NBSP}: {q}",
            "why": "Ce qui me motive chez vous{NBSP}: {q}",
            "closing_focus": "Je suis à votre disposition pour un entretien cette semaine ou la suivante.",
            "closing": "Je suis à votre disposition pour un entretien cette semaine ou la suivante.",
            "signoff": "Cordialement,",
            "li_hello_c": "Bonjour, j'ai postulé au poste {de_title} {at_co}.",
            "li_hello": "Bonjour, j'ai postulé au poste {de_title}.",
            "li_hello_open_c": "Bonjour, j'ai postulé au poste à pourvoir {at_co}.",
            "li_hello_open": "Bonjour, j'ai postulé au poste à pourvoir.",
            "li_close": " Disponible pour en parler cette semaine ou la suivante.",
            "mail_points2": "Deux exemples tirés de mon CV{NBSP}:",
            "mail_points1": "Un exemple tiré de mon CV{NBSP}:",
            "mail_close": "Vous trouverez ci-joint mon CV adapté et ma lettre de motivation. Je suis à votre disposition pour un appel cette semaine ou la suivante.",
            "mail_signoff": "Cordialement,",
        },
        "nl": {
            "opening_c": "Hierbij reageer ik op uw vacature voor de functie van {title} bij {company}.",
            "opening": "Hierbij reageer ik op uw vacature voor de functie van {title}.",
            "opening_open_c": "Hierbij reageer ik op uw vacature bij {company}.",
            "opening_open": "Hierbij reageer ik op uw vacature.",
            "lead1": "Ook vraagt u om {q}.",
            "why_c": "Wat mij aantrekt in {company}: {q}",
            "why": "Wat mij in u aantrekt: {q}",
            "closing_focus": "Ik ben deze of volgende week beschikbaar voor een gesprek met u.",
            "closing": "Ik ben deze of volgende week beschikbaar voor een gesprek met u.",
            "li_hello_c": "Goedendag, ik heb gesolliciteerd naar de functie van {title} bij {company}.",
            "li_hello": "Goedendag, ik heb gesolliciteerd naar de functie van {title}.",
            "li_hello_open_c": "Goedendag, ik heb gesolliciteerd naar de openstaande functie bij {company}.",
            "li_hello_open": "Goedendag, ik heb gesolliciteerd naar de openstaande functie.",
            "li_close": " Ik ben deze of volgende week beschikbaar voor een gesprek.",
            "mail_points2": "Twee voorbeelden uit mijn cv:",
            "mail_points1": "Eén voorbeeld uit mijn cv:",
            "mail_close": "Mijn aangepaste cv en motivatiebrief vindt u in de bijlage. Ik ben deze of volgende week beschikbaar voor een gesprek met u.",
        },
    },
}


def tone(value: object = None) -> str:
    """The tone to write in: 'warm' or 'direct' when chosen, else 'formal' (also for "" = no preference).

    Takes the tone itself, or preferences carrying it (`WritingPreferences`, a dict, None)."""
    if value is not None and not isinstance(value, str):
        value = value.get("tone") if isinstance(value, dict) else getattr(value, "tone", "")
    v = (value or "").strip().lower() if isinstance(value, str) else ""
    return v if v in TONES else "formal"



def t(language: str, key: str, /, *, tone: str = "formal", **slots: str) -> str:
    """One frame in the language (English when the language or the key is missing), slots filled.

    `tone` ('formal', 'warm', 'direct'): the tone's frame for this language when it has one,
    else the formal frame (`TONE_PHRASES`).

    Derived slots: {de_title} (French "de"/"d'" + title), {at_co}/{of_co} ("bei der X GmbH",
    "en el Hospital X", "au sein de la Clinique X", "del Hospital X") and {at_org}/{At_org} for `org`.
    """
    language = lang(language)
    frame = TONE_PHRASES.get(tone, {}).get(language, {}).get(key) or PHRASES[language].get(key, PHRASES["en"].get(key, key))
    extra: dict[str, str] = {}
    if "{de_title}" in frame:
        extra["de_title"] = de_fr(slots.get("title", ""))
    if "company" in slots:
        extra["at_co"] = at_company(slots["company"], language)
        extra["of_co"] = of_company(slots["company"], language)
    if "org" in slots:
        extra["at_org"] = at_company(slots["org"], language)
        extra["At_org"] = extra["at_org"][:1].upper() + extra["at_org"][1:]
    out = frame.format(NBSP=NBSP, **slots, **extra)
    return re.sub(r"(?<=\w\.)\.(?=\s|$)", "", out)  # "Envíos S.L." ending a sentence takes no second full stop


# Company names that begin with a common noun take an article: "beim Klinikum Talbrück",
# "bei der Kita Sonnenblume", "en el Hospital San Rafael", "au sein de la Clinique des Tilleuls".
_DE_NEUTER_MASC = ("klinikum", "krankenhaus", "hotel", "institut", "restaurant", "studio", "büro", "amt", "zentrum", "unternehmen",
                   "autohaus", "haus", "heim", "café", "werk", "labor", "theater", "museum", "gymnasium", "verlag", "verein",
                   "betrieb", "konzern", "kindergarten", "landkreis", "dienst", "zoo", "flughafen", "hafen", "bistum", "bundesamt")
_DE_FEM = ("klinik", "kita", "schule", "praxis", "universität", "hochschule", "stadt", "gemeinde", "bank", "sparkasse", "agentur",
           "kanzlei", "spedition", "stiftung", "versicherung", "apotheke", "bäckerei", "gesellschaft", "gruppe", "akademie",
           "bibliothek", "verwaltung", "werkstatt", "diakonie", "caritas", "kirche", "genossenschaft", "behörde")
_DE_LEGAL_FEM = re.compile(r"\b(?:GmbH|gGmbH|mbH|AG|KG|KGaA|SE|eG|OHG|UG)$")
_ES_MASC = ("hospital", "colegio", "hotel", "grupo", "estudio", "ayuntamiento", "banco", "centro", "instituto", "despacho", "bufete",
            "restaurante", "laboratorio", "servicio", "consorcio", "club", "museo", "teatro", "parque", "gabinete", "taller")
_ES_FEM = ("clínica", "clinica", "universidad", "escuela", "fundación", "empresa", "residencia", "agencia", "academia", "asociación",
           "consultora", "cooperativa", "farmacia", "gestoría", "asesoría", "bodega", "editorial", "inmobiliaria", "constructora",
           "comunidad", "diputación", "junta", "guardería", "panadería", "librería")
_FR_PLURAL = ("entrepôts", "établissements", "ateliers", "éditions", "laboratoires", "transports", "chantiers", "hôpitaux", "hospices")
_FR_FEM = ("clinique", "maison", "papeterie", "société", "mairie", "banque", "fondation", "boulangerie", "librairie", "brasserie",
           "pharmacie", "compagnie", "mutuelle", "caisse", "coopérative", "région", "ville", "cave", "fromagerie", "crèche", "résidence")
_FR_MASC = ("groupe", "bureau", "cabinet", "centre", "lycée", "collège", "restaurant", "laboratoire", "théâtre", "musée", "domaine",
            "château", "conseil", "studio", "crédit", "cercle", "garage", "cabinet", "service")
# fmt: skip


def _first_words(company: str) -> tuple[str, str]:
    ws = company.split()
    return (ws[0].lower() if ws else ""), (ws[1].lower() if len(ws) > 1 else "")


def at_company(company: str, language: str) -> str:
    """'at X' as the language says it for this name (articles only where the name starts with a common noun)."""
    c = company.strip()
    language = lang(language)
    first, second = _first_words(c)
    if language == "de":
        adjective = first.endswith(("e", "es", "er")) and second.endswith(_DE_FEM + _DE_NEUTER_MASC)  # "Freie Schule", "Städtisches Klinikum"
        noun = second if adjective else first
        if adjective:
            ws = c.split()
            c = " ".join([re.sub(r"(?:es|er|e)$", "en", ws[0]), *ws[1:]])
        if noun.endswith(_DE_FEM) or _DE_LEGAL_FEM.search(c):
            return f"bei der {c}"
        if noun.endswith(_DE_NEUTER_MASC) or c.endswith("e.V."):
            return f"beim {c}"
        return f"bei {c}"
    if language == "es":
        art = "el " if first in _ES_MASC else "la " if first in _ES_FEM else ""
        return f"en {art}{c}"
    if language == "fr":
        if first in _FR_PLURAL:
            return f"au sein des {c}"
        if first in _FR_FEM or first in _FR_MASC or first in ("alliance", "atelier", "hôtel", "hôpital", "institut", "école", "entreprise",
                                                               "association", "académie", "agence", "auberge", "université", "imprimerie"):
            if _VOWEL.match(first):
                return f"au sein de l'{c}"
            return f"au sein {'de la' if first in _FR_FEM else 'du'} {c}"
        return f"chez {c}"
    if language == "nl":
        return f"bij {c}"
    return f"at {c}"


def of_company(company: str, language: str) -> str:
    """'of X' for a Spanish greeting: 'del Hospital San Rafael', 'de la Clínica X', 'de Lunaria'."""
    c = company.strip()
    first, _ = _first_words(c)
    if lang(language) == "es":
        return f"del {c}" if first in _ES_MASC else f"de la {c}" if first in _ES_FEM else f"de {c}"
    return f"of {c}"


def fit_words(language: str) -> dict:
    """The fit rationale's wording in `language` (`pipeline.text.fit.RationaleWords` fields): frames, list join, level names."""
    L = lang(language)
    return {"frame": lambda key, **slots: t(L, key, **slots), "join": lambda items: join(items, L), "level": lambda value: level(value, L)}


def gap_note(pain_point: str, language: str) -> str:
    """What interview prep says when the CV has no example for a need (English matches postprocess.gap_note)."""
    return t(language, "gap", q=quote(pain_point, language))


# ---------------------------------------------------------------------------
# Values: levels, languages, work modes, money and dates
# ---------------------------------------------------------------------------

LEVELS = {
    "de": {"intern": "Praktikum", "junior": "Berufseinstieg", "mid": "Berufserfahren", "senior": "Senior", "lead": "Leitung",
           "principal": "Principal", "executive": "Führungsebene", "unspecified": "nicht angegeben"},
    "es": {"intern": "prácticas", "junior": "junior", "mid": "intermedio", "senior": "sénior", "lead": "responsable de equipo",
           "principal": "principal", "executive": "dirección", "unspecified": "no indicado"},
    "fr": {"intern": "stage", "junior": "junior", "mid": "confirmé", "senior": "senior", "lead": "responsable d'équipe",
           "principal": "expert", "executive": "direction", "unspecified": "non précisé"},
    "nl": {"intern": "stage", "junior": "junior", "mid": "medior", "senior": "senior", "lead": "leidinggevend",
           "principal": "principal", "executive": "directie", "unspecified": "niet vermeld"},
}  # fmt: skip


def level(value: str, language: str) -> str:
    return LEVELS.get(lang(language), {}).get(value, value)


LANGUAGE_NAMES = {
    "en": {"en": "English", "de": "German", "es": "Spanish", "fr": "French", "nl": "Dutch", "it": "Italian", "pt": "Portuguese", "other": "other"},
    "de": {"en": "Englisch", "de": "Deutsch", "es": "Spanisch", "fr": "Französisch", "nl": "Niederländisch", "it": "Italienisch", "pt": "Portugiesisch", "other": "andere"},
    "es": {"en": "inglés", "de": "alemán", "es": "español", "fr": "francés", "nl": "neerlandés", "it": "italiano", "pt": "portugués", "other": "otro"},
    "fr": {"en": "anglais", "de": "allemand", "es": "espagnol", "fr": "français", "nl": "néerlandais", "it": "italien", "pt": "portugais", "other": "autre"},
    "nl": {"en": "Engels", "de": "Duits", "es": "Spaans", "fr": "Frans", "nl": "Nederlands", "it": "Italiaans", "pt": "Portugees", "other": "andere"},
}  # fmt: skip
_ENGLISH_NAME = {"English": "en", "German": "de", "Spanish": "es", "French": "fr", "Dutch": "nl", "Italian": "it", "Portuguese": "pt"}
_CATALAN = {"en": "Catalan", "de": "Katalanisch", "es": "catalán", "fr": "catalan", "nl": "Catalaans"}


def language_name(code: str, language: str) -> str:
    """'de' named in the writing language: Deutsch, alemán, allemand, Duits, German."""
    return LANGUAGE_NAMES[lang(language)].get(code, code)


def language_requirement(item: str, language: str) -> str:
    """'German B2' (as intake_fields gives it) in the writing language: 'Deutsch B2', 'alemán B2'."""
    name, _, rest = item.partition(" ")
    code = _ENGLISH_NAME.get(name)
    local = language_name(code, language) if code else _CATALAN.get(lang(language), name) if name == "Catalan" else name
    return f"{local} {rest}".strip()


WORK_MODES = {
    "en": {"remote": "remote", "hybrid": "hybrid", "onsite": "on site"},
    "de": {"remote": "remote (Homeoffice)", "hybrid": "hybrid", "onsite": "vor Ort"},
    "es": {"remote": "teletrabajo", "hybrid": "híbrida", "onsite": "presencial"},
    "fr": {"remote": "télétravail", "hybrid": "hybride", "onsite": "sur site"},
    "nl": {"remote": "op afstand", "hybrid": "hybride", "onsite": "op locatie"},
}


def work_mode(value: str, language: str) -> str:
    return WORK_MODES[lang(language)].get(value, value)


_SIGN = {"EUR": "€", "GBP": "£", "USD": "$"}
_PERIOD = {
    "en": {"year": " a year", "month": " a month", "hour": " an hour"},
    "de": {"year": " pro Jahr", "month": " pro Monat", "hour": " pro Stunde"},
    "es": {"year": " al año", "month": " al mes", "hour": " por hora"},
    "fr": {"year": " par an", "month": " par mois", "hour": " de l'heure"},
    "nl": {"year": " per jaar", "month": " per maand", "hour": " per uur"},
}
_RANGE = {
    "en": ("from {a}", "up to {a}"),
    "de": ("ab {a}", "bis {a}"),
    "es": ("desde {a}", "hasta {a}"),
    "fr": ("à partir de {a}", "jusqu'à {a}"),
    "nl": ("vanaf {a}", "tot {a}"),
}


def _number(v: float, language: str) -> str:
    whole = float(v).is_integer()
    s = f"{int(v):,}" if whole else f"{v:,.2f}"
    if language in ("de", "es", "nl"):
        return s.translate(str.maketrans({",": ".", ".": ","}))
    if language == "fr":
        return s.replace(",", NBSP).replace(".", ",")
    return s


def money(lo: float | None, hi: float | None, currency: str, period: str, language: str) -> str:
    """A stated pay range as a native reader writes it: '€62,000–78,000 a year', '62.000–78.000 € pro Jahr',
    '62 000–78 000 € par an', '€ 62.000–78.000 per jaar'; '' when no amount is known."""
    language = lang(language)
    if lo is None and hi is None:
        return ""
    sign = _SIGN.get(currency, currency)

    def amount(text: str) -> str:
        if not sign:
            return text
        if language == "en":
            return f"{sign}{text}" if sign in "€£$" else f"{sign} {text}"
        if language == "nl":
            return f"{sign} {text}"
        return f"{text}{NBSP}{sign}"

    if lo is not None and hi is not None:
        lo, hi = min(lo, hi), max(lo, hi)
        text = amount(f"{_number(lo, language)}–{_number(hi, language)}")
    elif lo is not None:
        text = _RANGE[language][0].format(a=amount(_number(lo, language)))
    else:
        text = _RANGE[language][1].format(a=amount(_number(hi or 0, language)))
    return text + _PERIOD[language].get(period, "")


_MONTH_NAMES = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
}


def long_date(iso: str, language: str) -> str:
    """'2027-02-28' as '28 February 2027', '28. Februar 2027', '28 de febrero de 2027', '28 février 2027', '28 februari 2027'."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso.strip())
    if not m:
        return iso
    language = lang(language)
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    month = _MONTH_NAMES[language].split()[mo - 1]
    if language == "de":
        return f"{d}. {month} {y}"
    if language == "es":
        return f"{d} de {month} de {y}"
    if language == "fr" and d == 1:
        return f"1er {month} {y}"
    return f"{d} {month} {y}"


CONTACT_ROLES = {
    "de": {"hiring manager": "Einstellende Führungskraft", "recruiter": "Recruiting", "team lead": "Teamleitung", "mentor": "Mentor/in",
           "recruiting contact": "Kontakt für Bewerbungen", "company contact": "Ansprechperson im Unternehmen"},
    "es": {"hiring manager": "responsable de contratación", "recruiter": "reclutador/a", "team lead": "responsable del equipo",
           "mentor": "mentor/a", "recruiting contact": "contacto de selección", "company contact": "contacto en la empresa"},
    "fr": {"hiring manager": "responsable du recrutement", "recruiter": "chargé(e) de recrutement", "team lead": "responsable d'équipe",
           "mentor": "tuteur/tutrice", "recruiting contact": "contact recrutement", "company contact": "contact dans l'entreprise"},
    "nl": {"hiring manager": "leidinggevende", "recruiter": "recruiter", "team lead": "teamleider", "mentor": "mentor",
           "recruiting contact": "contactpersoon werving", "company contact": "contactpersoon bij het bedrijf"},
}  # fmt: skip


def contact_role(role: str, language: str) -> str:
    """'hiring manager (Head of Data)' with its leading role word in the language; the stated part stays."""
    table = CONTACT_ROLES.get(lang(language), {})
    head, sep, rest = role.partition(" (")
    return table.get(head, head) + (sep + rest if sep else "")
