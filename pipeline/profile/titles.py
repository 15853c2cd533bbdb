"""Suggested job titles for a profile, and the rules for editing the list.

Why a catalog offline: a title to search for must be one employers actually post,
so the offline path never makes titles up from the CV's words. It ranks a catalog of
industry-standard titles per profession by how well each fits the profile: the
CV's own role titles (the existing `title_similarity`), the lexicon skills it states,
and which profession most of its skills belong to; then it adds a seniority prefix
the CV's years or latest title support. The LLM path asks the model and clamps its
answer to the same rules (5-10, no duplicates, one-line reasons).

The stored shape is what matching reads: `[{"title": str, "reason": str}, ...]` in the
user's order.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field

from pipeline.text.analysis import level_from_title, level_from_years
from pipeline.text.lexicon import domain_of, expand, fold, skill_names
from pipeline.text.titles import title_similarity

MIN_SUGGESTED, MAX_SUGGESTED = 5, 10
MAX_TITLES = 15  # what the user may keep after editing
MAX_TITLE_CHARS = 120
MAX_REASON_CHARS = 200


class TitleError(ValueError):
    """An edit the list refuses; the message is for the user."""


# ---------------------------------------------------------------- catalog
# "Title | domain | flags | skills". Flags: s = takes Senior/Junior/Lead prefixes;
# L = a leadership title (needs a senior or lead profile). Skills are lexicon names.

_CATALOG = """
Backend Engineer | software | s | Python, Java, Go, Node.js, REST APIs, Microservices, PostgreSQL, API design, Distributed systems
Software Engineer | software | s | Python, Java, JavaScript, TypeScript, Git, Unit testing, Algorithms and data structures, Code review
Full Stack Developer | software | s | JavaScript, TypeScript, React, Node.js, HTML, CSS, REST APIs, SQL
Frontend Developer | software | s | JavaScript, TypeScript, React, Vue.js, Angular, HTML, CSS, Responsive design, Web performance
Python Developer | software | s | Python, Django, Flask, FastAPI, pytest, SQL, REST APIs
Java Developer | software | s | Java, Spring Boot, JUnit, Microservices, SQL, REST APIs
Mobile Developer | software | s | iOS, Android, Swift, Kotlin, React Native, Flutter, Mobile development
QA Automation Engineer | software | s | Test automation, Selenium, Cypress, Playwright, pytest, JUnit, Unit testing, Load testing
Software Architect | software | L | Software architecture, Distributed systems, Microservices, API design, Event-driven architecture
Engineering Manager | software | L | People management, Mentoring, Agile, Scrum, Software architecture, Leadership
Data Engineer | data | s | Data pipelines, Airflow, dbt, Apache Spark, Kafka, SQL, Data warehousing, Python, Snowflake
Data Analyst | data | s | SQL, Excel, Power BI, Tableau, Data analysis, Data visualisation, Statistics
Data Scientist | data | s | Machine learning, Python, Statistics, scikit-learn, pandas, Deep learning, Model evaluation
Machine Learning Engineer | data | s | Machine learning, PyTorch, TensorFlow, MLOps, Model serving, Python, Deep learning
Analytics Engineer | data | s | dbt, SQL, Data modelling, Analytics engineering, Looker, Data warehousing
Database Administrator | data | s | PostgreSQL, MySQL, SQL Server, Oracle Database, Performance tuning, Database migrations
DevOps Engineer | cloud | s | CI/CD, Docker, Kubernetes, Terraform, AWS, Jenkins, GitHub Actions, Ansible, DevOps
Site Reliability Engineer | cloud | s | Site reliability engineering, Observability, Prometheus, Grafana, Kubernetes, Incident response, On-call, SLOs
Cloud Engineer | cloud | s | AWS, Azure, GCP, Terraform, Infrastructure as code, Serverless, Networking (TCP/IP)
Platform Engineer | cloud | s | Platform engineering, Kubernetes, Terraform, Helm, CI/CD, Service mesh
Security Engineer | security | s | Application security, Cloud security, Threat modelling, SAST, Vulnerability management, OWASP
Security Analyst | security | s | SIEM, SOC, Incident response, Vulnerability management, Network security
Penetration Tester | security | s | Penetration testing, OWASP, OSCP, Bug bounty, Application security
Registered Nurse | nursing | | Registered Nurse licence, Patient care, Patient assessment, Medication administration, Care planning, Clinical documentation
ICU Nurse | nursing | s | ICU experience, Mechanical ventilation, Vasoactive drugs, Renal replacement therapy, Central and arterial lines, ALS, HDU
Critical Care Nurse | nursing | s | ICU experience, HDU, Mechanical ventilation, Recognising deterioration, Vasoactive drugs, Post-registration critical care course
Emergency Department Nurse | nursing | s | Emergency nursing, Triage, Acute care, ALS, Recognising deterioration, Cannulation
Charge Nurse | nursing | L | Leadership, People management, Patient safety, Preceptorship, Care planning, Registered Nurse licence
Nurse Practitioner | nursing | | Nurse Practitioner, Prescribing, Diagnosis and treatment, Primary care, Chronic disease management
Paediatric Nurse | nursing | s | Paediatric nursing, PALS, Neonatal care, Safeguarding
Mental Health Nurse | nursing | s | Mental health nursing, Safeguarding, Care planning
Theatre Nurse | nursing | s | Perioperative care, Theatre recovery, Patient safety
Clinical Nurse Educator | nursing | | Clinical education, Simulation training, Preceptorship, Training delivery
Community Nurse | nursing | s | Community health, Wound care, Elderly care, Palliative care, Chronic disease management
Community Pharmacist | pharmacy | | Pharmacist registration, Community pharmacy, Dispensing, Patient counselling, Medication reviews
Hospital Pharmacist | pharmacy | s | Pharmacist registration, Hospital pharmacy, Medicines information, Pharmacology, Controlled drugs
Pharmacy Technician | pharmacy | s | Dispensing, Dispensing software, Controlled drugs, Over-the-counter medicines
Secondary School Teacher | teaching | | Qualified Teacher Status, Lesson planning, Classroom teaching, Behaviour management, GCSE, Key Stage 3, Key Stage 4
Mathematics Teacher | teaching | | Mathematics, Further Mathematics, Qualified Teacher Status, GCSE, A level, Teaching for mastery, Lesson planning
Science Teacher | teaching | | Physics, Chemistry, Biology, Qualified Teacher Status, GCSE, Lesson planning
English Teacher | teaching | | English language teaching, Cambridge English exams, Lesson planning, Classroom teaching
Primary School Teacher | teaching | | Primary teaching, Early years education, Lesson planning, Behaviour management, Qualified Teacher Status
Special Educational Needs Teacher | teaching | | Special educational needs, Differentiation, Pastoral care, Behaviour management
Head of Department | teaching | L | Curriculum design, Leadership, People management, Student assessment, Lesson planning
Instructional Designer | teaching | s | Instructional design, Learning management systems, Online teaching, Curriculum design
Corporate Trainer | teaching | s | Training delivery, Presentation skills, Instructional design, Facilitation
Accountant | finance | s | Financial reporting, Management accounts, Reconciliations, Month-end close, Accounting qualification, General ledger
Financial Analyst | finance | s | Financial modelling, Forecasting, Variance analysis, Excel, Financial analysis, Budgeting
FP&A Analyst | finance | s | FP&A, Budgeting, Forecasting, Variance analysis, Financial modelling, Business partnering
Management Accountant | finance | s | Management accounts, Cost accounting, Variance analysis, CIMA, Budgeting
Financial Controller | finance | L | Financial reporting, Month-end close, Audit, IFRS, UK GAAP, People management
Auditor | finance | s | Audit, IFRS, Due diligence, Risk management, ACA
Bookkeeper | finance | | Bookkeeping, Accounts payable, Accounts receivable, Reconciliations, Xero, QuickBooks, VAT returns
Payroll Specialist | finance | s | Payroll, Reconciliations, Tax compliance
Digital Marketing Manager | marketing | s | Performance marketing, SEO, Paid search, Paid social, Google Ads, Email marketing, Marketing analytics
Content Marketing Manager | marketing | s | Content marketing, Writing and editing, SEO, Case studies, Brand management
Performance Marketing Manager | marketing | s | Performance marketing, Google Ads, Meta Ads, Paid social, Conversion tracking, A/B testing
Product Marketing Manager | marketing | s | Product marketing, Sales enablement, Market research, Case studies, B2B marketing
SEO Specialist | marketing | s | SEO, Google Analytics, Content marketing, Conversion rate optimisation
Marketing Manager | marketing | L | Marketing strategy, Campaign management, Brand management, Budget pacing, People management
Account Executive | sales | s | B2B sales, Full sales cycle, Pipeline management, Negotiation, Quota attainment, Salesforce
Business Development Manager | sales | s | Business development, Prospecting, Negotiation, B2B sales, Pipeline management
Account Manager | sales | s | Account management, Customer success, CRM, Negotiation
Customer Success Manager | sales | s | Customer success, Account management, CRM, Customer service
Sales Development Representative | sales | | Prospecting, Discovery calls, CRM, Pipeline management
Supply Chain Manager | logistics | s | Supply chain management, Supply chain planning, S&OP, Inventory management, Procurement, KPIs
Logistics Coordinator | logistics | s | Logistics, Transport management, Freight and customs, 3PL, Order picking
Warehouse Manager | logistics | L | Warehouse operations, WMS, Health and safety, Workforce planning, Stock accuracy, KPIs
Demand Planner | logistics | s | Demand planning, Forecasting, S&OP, Inventory management, Excel
Procurement Specialist | logistics | s | Procurement, Vendor management, Negotiation, Supply chain management
Operations Manager | logistics | L | Continuous improvement, Lean, KPIs, Workforce planning, People management
UX Designer | design | s | UX design, User research, Wireframing, Prototyping, Figma, Usability testing, Journey mapping
Product Designer | design | s | Product design, UI design, Figma, Design systems, Prototyping, Interaction design
UI Designer | design | s | UI design, Figma, Sketch, Typography, Design systems
UX Researcher | design | s | User research, Usability testing, Journey mapping, Service design
Graphic Designer | design | s | Graphic design, Adobe Creative Suite, Photoshop, Illustrator, InDesign, Typography
Service Designer | design | s | Service design, Journey mapping, Design thinking, Facilitation
Structural Engineer | engineering | s | Structural design, Eurocodes, Finite element analysis, Concrete design, Steel design, Timber design
Civil Engineer | engineering | s | Civil engineering, AutoCAD, Civil 3D, Geotechnical engineering, Hydraulic modelling, Construction management
Mechanical Engineer | engineering | s | Mechanical engineering, Mechanical design, SolidWorks, CAD, GD&T, Thermodynamics, FMEA
Electrical Engineer | engineering | s | Electrical engineering, PLC programming, Embedded systems, CAD
Manufacturing Engineer | engineering | s | Manufacturing processes, Lean, Six Sigma, FMEA, Design for manufacturing, Continuous improvement
BIM Coordinator | engineering | s | BIM, Revit, Navisworks, Tekla
Project Engineer | engineering | s | Project management, Construction management, Technical drawings, Quality assurance
"""


@dataclass(frozen=True)
class CatalogTitle:
    title: str
    domain: str
    prefixable: bool
    leadership: bool
    skills: tuple[str, ...]


def _load(text: str) -> tuple[CatalogTitle, ...]:
    out = []
    for line in text.strip().splitlines():
        title, domain, flags, skills = (p.strip() for p in line.split("|"))
        out.append(CatalogTitle(title, domain, "s" in flags, "L" in flags, tuple(s.strip() for s in skills.split(","))))
    return tuple(out)


CATALOG: tuple[CatalogTitle, ...] = _load(_CATALOG)
_PROFESSIONS = frozenset(c.domain for c in CATALOG)


# ---------------------------------------------------------------- offline suggestions


@dataclass
class _Signals:
    role_titles: list[str]
    skills: set[str]
    domains: dict[str, float]  # share of the profile's professional skills per domain
    level: str
    years: float | None


def _signals(profile: dict, markdown: str) -> _Signals:
    from pipeline.text.cv import parse_cv, years_of_experience

    cv = parse_cv(markdown)
    roles = [r.get("title", "") for r in profile.get("experience", []) if r.get("title")] or [r.title for r in cv.roles]
    if profile.get("headline"):
        roles.insert(0, profile["headline"])
    text = "\n".join([markdown, " ".join(profile.get("skills", []))])
    named = skill_names(text)
    skills = set(expand(named))
    counts: dict[str, float] = {}
    for name in named:
        d = domain_of(name)
        if d in _PROFESSIONS:
            counts[d] = counts.get(d, 0) + 1
    for t in roles[:3]:  # what people call themselves weighs like several skills
        for c in CATALOG:
            if title_similarity(c.title, [t]) >= 60:
                counts[c.domain] = counts.get(c.domain, 0) + 2
                break
    total = sum(counts.values()) or 1.0
    years = years_of_experience(cv)
    latest = next((t for t in roles if level_from_title(t)), "")
    level = level_from_title(latest) if latest else level_from_years(years)
    return _Signals(roles, skills, {d: n / total for d, n in counts.items()}, level or "unspecified", years)


def _prefix(c: CatalogTitle, sig: _Signals) -> str:
    if not c.prefixable:
        return c.title
    if sig.level in ("senior", "principal", "executive") or (sig.level == "lead" and sig.years and sig.years >= 5):
        return f"Senior {c.title}"
    if sig.level in ("junior", "intern") and c.domain in ("software", "data", "cloud", "security", "design", "finance", "marketing"):
        return f"Junior {c.title}"
    return c.title


def _reason(c: CatalogTitle, sig: _Signals, matched: list[str], best_role: str, sim: float) -> str:
    parts = []
    if sim >= 35 and best_role:
        parts.append(f"fits your work as {best_role}")
    if matched:
        shown = matched[:3]
        parts.append("uses " + (", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]))
    if not parts:
        parts.append(f"close to your {c.domain} background")
    text = "; ".join(parts)
    if sig.years and c.title != _prefix(c, sig):
        text += f" ({round(sig.years)} years' experience)"
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


def suggest_titles_offline(profile: dict, markdown: str) -> list[dict[str, str]]:
    """5-10 catalog titles ranked for this profile, each with a one-line reason."""
    sig = _signals(profile, markdown)
    scored: list[tuple[float, CatalogTitle, list[str], str, float]] = []
    senior = sig.level in ("senior", "lead", "principal", "executive")
    for c in CATALOG:
        sims = [(title_similarity(c.title, [t]), t) for t in sig.role_titles[:6]]
        sim, best_role = max(sims, default=(0.0, ""))
        matched = [s for s in c.skills if s in sig.skills]
        skill_fit = len(matched) / min(len(c.skills), 5)
        domain = sig.domains.get(c.domain, 0.0)
        score = 0.40 * sim / 100 + 0.35 * min(1.0, skill_fit) + 0.25 * domain
        if c.leadership and not senior:
            score *= 0.5
        if domain == 0 and sim < 35:
            continue  # another profession: a nurse is not shown engineering titles
        scored.append((score, c, matched, best_role, sim))
    scored.sort(key=lambda t: -t[0])
    if not scored:
        return []
    best = scored[0][0]
    keep = [t for t in scored if t[0] >= 0.5 * best][:MAX_SUGGESTED]
    if len(keep) < MIN_SUGGESTED:
        keep = scored[:MIN_SUGGESTED]
    out: list[dict[str, str]] = []
    for _, c, matched, best_role, sim in keep:
        out.append({"title": _prefix(c, sig), "reason": _reason(c, sig, matched, best_role, sim)})
    return dedupe(out)


# ---------------------------------------------------------------- with a model


class TitleSuggestion(BaseModel):
    title: str = Field(description="an industry-standard job title")
    reason: str = Field(default="", description="one line: what in the profile fits")


class TitleSuggestions(BaseModel):
    titles: list[TitleSuggestion] = Field(description="5 to 10 titles, most fitting first")


async def suggest_titles_llm(profile: dict, markdown: str, analyst) -> list[dict[str, str]]:
    """The model's titles, cleaned and clamped to 5-10 (topped up from the catalog when short)."""
    import json

    from pipeline.llm.privacy import guarded
    from pipeline.profile import prompts

    analyst = guarded(analyst, markdown, profile=profile)  # PRIVACY_GUARD: the candidate's details stay here
    summary = {k: profile.get(k) for k in ("headline", "summary", "experience", "education", "skills", "certifications")}
    for e in summary.get("experience") or []:
        e["bullets"] = e.get("bullets", [])[:4]
    block = prompts.cv_text_block(json.dumps(summary, ensure_ascii=False, indent=1))
    user = prompts.TITLES_USER.format(profile=block, schema=prompts.schema_json(TitleSuggestions))
    reply = await analyst.structured("titles", TitleSuggestions, prompts.TITLES_SYSTEM, user)
    items = dedupe([{"title": t.title, "reason": t.reason} for t in reply.titles])[:MAX_SUGGESTED]
    if len(items) < MIN_SUGGESTED:
        items = dedupe(items + suggest_titles_offline(profile, markdown))[:MIN_SUGGESTED]
    return items


def dedupe(items: list[dict[str, str]]) -> list[dict[str, str]]:
    """Cleaned entries, first of each title (case-insensitive) kept; empty or overlong titles dropped."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for it in items:
        title = _clean(str(it.get("title", "")))
        if not title or len(title) > MAX_TITLE_CHARS or _key(title) in seen:
            continue
        seen.add(_key(title))
        out.append({"title": title, "reason": _clean(str(it.get("reason", "")))[:MAX_REASON_CHARS]})
    return out


# ---------------------------------------------------------------- editing


def _clean(s: str) -> str:
    return " ".join((s or "").split())


def _key(title: str) -> str:
    return fold(_clean(title)).casefold()


def validate_titles(items: list) -> list[dict[str, str]]:
    """The list as stored, or TitleError: each title non-empty, at most 120 characters, no duplicates, at most 15."""
    if not isinstance(items, list):
        raise TitleError("Titles must be a list.")
    if len(items) > MAX_TITLES:
        raise TitleError(f"Keep at most {MAX_TITLES} titles; remove {len(items) - MAX_TITLES}.")
    out: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for n, it in enumerate(items, 1):
        raw = it if isinstance(it, str) else (it or {}).get("title", "") if isinstance(it, dict) else ""
        title = _clean(str(raw))
        if not title:
            raise TitleError(f"Title {n} is empty.")
        if len(title) > MAX_TITLE_CHARS:
            raise TitleError(f"Title {n} is {len(title)} characters long; the limit is {MAX_TITLE_CHARS}.")
        if _key(title) in seen:
            raise TitleError(f"“{title}” is already in the list (as number {seen[_key(title)]}).")
        seen[_key(title)] = n
        reason = "" if isinstance(it, str) else _clean(str(it.get("reason", "")))[:MAX_REASON_CHARS]
        out.append({"title": title, "reason": reason})
    return out


def add_title(items: list[dict[str, str]], title: str, reason: str = "", *, position: int | None = None) -> list[dict[str, str]]:
    """A new list with `title` added (at the end, or at `position`)."""
    new = list(items)
    entry = {"title": title, "reason": reason or "Added by you."}
    new.insert(len(new) if position is None else max(0, min(position, len(new))), entry)
    return validate_titles(new)


def remove_title(items: list[dict[str, str]], index: int) -> list[dict[str, str]]:
    if not 0 <= index < len(items):
        raise TitleError(f"There is no title number {index + 1}.")
    return validate_titles(items[:index] + items[index + 1 :])


def move_title(items: list[dict[str, str]], index: int, to: int) -> list[dict[str, str]]:
    """A new list with the title at `index` moved to position `to` (clamped to the list)."""
    if not 0 <= index < len(items):
        raise TitleError(f"There is no title number {index + 1}.")
    new = list(items)
    entry = new.pop(index)
    new.insert(max(0, min(to, len(new))), entry)
    return validate_titles(new)
