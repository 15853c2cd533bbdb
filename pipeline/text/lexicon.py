"""A curated skill and qualification lexicon across professions, and its matcher.

Why a lexicon: without a language model, the only reliable way to say "this posting
asks for PostgreSQL and that CV has it" is to map the many ways people write a skill
("postgres", "PostgreSQL 14") to one canonical name. Entries are grouped by domain so
the analyst can weigh soft skills and languages differently from hard skills. This
module is mostly data (several hundred entries); the matcher is at the end.

Entry syntax, one per line: ``Canonical | alias | =CaseSensitiveAlias | ~regex``
with optional ``@ctx=REGEX`` (the match counts only when REGEX occurs within the
window around it), ``@not=REGEX`` (dropped when REGEX occurs there), ``@pre=REGEX``
(dropped when REGEX ends right before the match: "our German sites") and ``@win=N``
(window in characters, default 40). The canonical name is itself an accent- and
case-insensitive alias unless the line starts with ``!``. Risky short names ("R",
"Go", "RN", "dbt") are case-sensitive and/or need context. Matching is word-boundary
safe: "sql" never matches inside "mysql", "java" never inside "javascript".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# ---------------------------------------------------------------------------
# Data. Context patterns run on folded (lower-case, accent-free) text.
# ---------------------------------------------------------------------------

_LANG_CTX = (
    r"@ctx=fluen|native|nativ|proficien|speak|spoken|written|language|level|nivel|niveau|kenntnis|sprach|bilingu|dominio"
    r"|\b[abc][12]\b|mother tongue|working knowledge|business|conversational|good|excellent|strong|basic|verhandlungssicher"
    r"|fliessend|idioma|lengua|langue|courant|advantage|asset|plus|required|desirable|preferred|skills|\bor\b|\band\b|,"
)
_LANG_NOT = r"@not=not required|not needed|nicht erforderlich|no es necesario|no se requiere|pas requis | @pre=\b(?:our|the|its|their|two|three|four|both|whole)"
_PROG_CTX = r"@ctx=python|java|rust|golang|c\+\+|typescript|javascript|kotlin|scala|programming|language|code|coding|backend|sql|bash|ruby|swift|developer|^\s*$"

SOFTWARE = r"""
Python | python3 | cpython
Java | java 17 | java 21 | core java
JavaScript | js | ecmascript | es6 | vanilla js
TypeScript
!Go | golang | go lang
!Go | =Go | """ + _PROG_CTX + r"""
!Rust | =Rust
!R | =R | @ctx=python|sql|stata|spss|matlab|statistic|programming|language|ggplot|tidyverse|rstudio|julia|^\s*$ | @win=30
!R | rstudio | tidyverse | ggplot2 | r programming | r language
!C | =C | @ctx=c\+\+|python|java|rust|assembly|embedded|firmware|programming|language|\bgo\b | @win=25
C++ | cpp
C# | csharp | c sharp
.NET | dotnet | asp.net | .net core | .net framework
Kotlin
!Swift | =Swift | swift 5 | swift concurrency
SwiftUI
UIKit
Objective-C | objective c | objc
!Ruby | =Ruby
Ruby on Rails | rails | =Rails
PHP
Laravel
Scala
MATLAB | simulink
Bash | shell scripting | shell scripts | bash scripting
PowerShell
SQL | t-sql | tsql | pl/sql | ansi sql | structured query language | production sql
HTML | html5
CSS | css3 | sass | scss | tailwind
!React | =React | react.js | reactjs | react 18 | react 19
React Native
Next.js | nextjs
Vue.js | vue | vuejs | nuxt
Angular | angularjs
Svelte
Node.js | nodejs
Django
!Flask | =Flask
FastAPI | fast api
Spring Boot | spring framework | spring-boot
!Spring Boot | =Spring | @ctx=java|boot|kotlin|hibernate|framework|jvm
GraphQL
REST APIs | rest api | rest apis | restful | restful apis | =REST | rest-apis
gRPC
Microservices | microservice | micro-services | microservice architecture
Event-driven architecture | event driven | event-driven systems | event driven architecture | ereignisgesteuerte architektur | ereignisgesteuert
API design | designing apis | api-design | api development
OpenAPI | swagger
Git | version control | =Git | github | gitlab | bitbucket
GitHub Actions
GitLab CI | gitlab ci/cd | gitlab-ci
Jenkins
CI/CD | ci cd | ci/cd pipelines | continuous integration | continuous delivery | continuous deployment | =CI
Unit testing | unit tests | unit test | unit-tests | test coverage | unit and ui tests
Test automation | automated testing | automated tests | testautomatisierung | end-to-end test | e2e tests | end-to-end tests | test suites
pytest
Jest
Vitest
!Playwright | =Playwright
Cypress
Selenium
Testing Library | react testing library
JUnit
Contract testing | contract tests | consumer-driven contracts
!Pact | =Pact
Load testing | performance testing | load tests | stress testing | =k6 | locust
TDD | test-driven development | test driven development
Code review | code reviews | reviewing code | review code
Pair programming | pairing
Agile | agile methodologies | agile methods
Scrum
Kanban
Jira
Confluence
Linux | unix
Object-oriented programming | oop | object oriented programming | object-oriented design
Algorithms and data structures | data structures | algorithms
Software architecture | system design | systems design | technical design | software design
Distributed systems
Performance tuning | performance optimisation | performance optimization | performance profiling | query tuning | query plans | indexing | indexes | partitioning | partitioned | tuned its indexes | index tuning
Database migrations | schema migrations | migrations on large tables | migraciones | migrationen | zero-downtime migrations
iOS | =iOS | ios development
Android | android development
Xcode
Flutter
!Dart | =Dart
WebRTC
App Store | app store connect | app store review
Mobile development | mobile apps | mobile app development | offline-first
Web performance | core web vitals | lighthouse | page speed | web vitals
Server-side rendering | ssr | =SSR | server side rendering
Responsive design | responsive layout | responsive web design
Webpack
!Vite | =Vite
Redux
WordPress
Feature flags | feature flagging | feature toggles
Localisation | localization | i18n | internationalisation | internationalization
Troubleshooting | debugging | debug
Technical documentation | design documents | design docs | technical writing | writing documentation
Caching | cache | caching strategies
"""

DATA = r"""
PostgreSQL | postgres | postgresql | psql | postgresql 14 | postgresql 15 | postgresql 16
PostGIS
MySQL
MariaDB
SQLite
SQL Server | mssql | microsoft sql server | ms sql server
!Oracle Database | =Oracle | oracle database | oracle db | pl/sql developer
MongoDB | mongo
Redis | elasticache
!Cassandra | =Cassandra | apache cassandra
DynamoDB
Elasticsearch | elastic search | opensearch | elk stack | kibana
Neo4j
Snowflake
BigQuery | big query
Amazon Redshift | redshift
Databricks
Apache Spark | spark | pyspark | spark streaming
Hadoop | hdfs | hive
Apache Flink | flink
Apache Beam | dataflow
Kafka | apache kafka | kafka streams | confluent | kafka cluster
Kinesis | aws kinesis | amazon kinesis
!Pulsar | =Pulsar | apache pulsar
RabbitMQ
Message brokers | message broker | message queue | message queues | message-broker | messaging systems | pub/sub
!Airflow | =Airflow | apache airflow | airflow 2 | airflow dags
Dagster
!Prefect | =Prefect
Workflow orchestration | workflow orchestrator | workflow orchestration | orchestration tool | data orchestration
!dbt | =dbt | dbt core | dbt cloud | data build tool
Data pipelines | data pipeline | etl | elt | etl pipelines | streaming pipelines | batch pipelines | batch and streaming pipelines
Data warehousing | data warehouse | data warehouses | cloud data warehouse | data warehousing | data lake | lakehouse | almacen de datos | entrepot de donnees
Data modelling | data modeling | dimensional modelling | dimensional modeling | data models | modelling data | model data | modellierst daten
Data quality | data-quality | data quality checks | data validation | data quality tooling
Great Expectations
Stream processing | event streaming | real-time data | stream-processing | streaming data | near-real-time
pandas | =Pandas
NumPy
scikit-learn | sklearn
PyTorch | torch
TensorFlow
Keras
Jupyter | jupyter notebooks
Machine learning | =ML | machine-learning | maschinelles lernen | aprendizaje automatico | ml models | machine learning systems
Deep learning | deep learning framework | neural networks
NLP | natural language processing | text classification | information extraction
Computer vision | image recognition
OCR | optical character recognition
LLMs | llm | large language models | llm-based | generative ai | genai | transformer models
MLOps | ml ops | ml platform
MLflow
!Triton | =Triton | triton inference server
BentoML
Kubeflow
SageMaker | amazon sagemaker
Model serving | model deployment | serving models | serve models | model inference | inference
Model evaluation | evaluation metrics | model monitoring | drift detection
Statistics | statistical analysis | statistical modelling | estadistica | statistik | basic statistics
Time series | time-series | time series data | zeitreihendaten | zeitreihen | time-series data
Geospatial data | geospatial | =GIS | geographic information systems | =H3
Data visualisation | data visualization | dashboards | dashboarding | visualisation
Data analysis | data analytics | analysing data | analyzing data | data analyst | analyse data | analyze data
Analytics engineering | analytics engineer
Data governance | data contracts | data lineage | data catalog
!Excel | =Excel | microsoft excel | ms excel | vlookup | xlookup | pivot tables | pivot table | power query
Spreadsheets | spreadsheet | google sheets
Power BI | powerbi
Tableau
Looker
Looker Studio | google data studio | data studio
Qlik | qlikview | qlik sense
Google Analytics | ga4 | google analytics 4 | universal analytics
!SAS | sas programming | sas base | sas enterprise guide | sas/stat
!SAS | =SAS | @ctx=sql|python|stata|spss|statistic|analytic|programm|\bexcel|\br\b|matlab|tableau|power bi|data|base|enterprise guide|^\s*$ | @win=40
SPSS
"""

CLOUD = r"""
AWS | amazon web services | =AWS
Azure | microsoft azure
GCP | google cloud | google cloud platform
Kubernetes | k8s | kubernetes clusters | kubernetes cluster
EKS | amazon eks | aws eks
AKS | azure kubernetes service
GKE | google kubernetes engine
ECS | amazon ecs | aws ecs | fargate
!AWS Lambda | aws lambda | =Lambda
S3 | amazon s3 | aws s3 | glacier
RDS | amazon rds | aws rds | aurora
EC2 | amazon ec2
CloudFormation
!Docker | containers | @ctx=docker|kubernetes|virtual machines|orchestrat|deploy|image|k8s|helm
Docker | containerisation | containerization | containerising | containerizing | containerised | containerized | dockerfile
!Helm | =Helm | helm charts
!Terraform | =Terraform | terraform modules | terraform cloud
Ansible
Pulumi
Infrastructure as code | iac | =IaC | infrastructure-as-code
Prometheus
Grafana
!Loki | =Loki
OpenTelemetry | otel
Datadog
New Relic
Splunk
Observability | observability stack | monitoring and alerting | alerting
SLOs | slo | slos | sli | slis | service level objectives
Incident response | incident management | leading incidents | incident handling | incidents calmly
On-call | on call | on-call rotation | on-call rota | on-call duties | bereitschaftsdienst | rufbereitschaft
Post-mortems | postmortems | post mortems | blameless post-mortems | post-incident reviews
Site reliability engineering | =SRE | site reliability
DevOps | dev ops | =DevOps
Platform engineering | platform engineer | internal developer platform
Azure DevOps
Serverless
Nginx
Service mesh | istio | linkerd
Capacity planning | capacity plans | capacity planning
Autoscaling | auto-scaling | auto scaling
Cloud cost optimisation | finops | cloud cost | cost optimisation | cost optimization | cloud cost reduction | cost visibility | aws spend | cloud spend | aws bill | cloud bill | cloud cost reduction programme
Virtualisation | virtual machines | vmware | virtualization | hyper-v
Networking (TCP/IP) | tcp/ip | dns | load balancers | vpc | vpcs
"""

SECURITY = r"""
Application security | appsec | application-security | secure coding | secure development
OWASP | owasp top 10
Threat modelling | threat modeling | threat models
SAST | static analysis | =DAST | dependency scanning | secrets scanning
Penetration testing | pentesting | pen testing | ethical hacking | offensive security
Cloud security | aws security
Network security | firewalls
Vulnerability management | vulnerability scanning | vulnerability assessment
SIEM
!SOC | =SOC | security operations centre | security operations center
Identity and access management | =IAM | identity and access management | access control
Cryptography | encryption | =KMS | key management
PCI DSS | pci-dss | pci compliance
ISO 27001 | iso27001 | iso/iec 27001
SOC 2 | soc2
GDPR | dsgvo | rgpd | data protection
!DORA | =DORA
PSD2
OSCP
OSWE
CISSP
CEH | certified ethical hacker
CompTIA Security+ | security+ | comptia security
Bug bounty | bug bounty programme | bug bounty program
Secrets management | vault | hashicorp vault
Kubernetes security | pod security | admission control
"""

NURSING = r"""
Registered Nurse licence | registered nurse | registered nurses | =RN | rn licence | rn license | nmc registration | nmc pin | nursing licence | nursing license | enfermero colegiado | enfermera colegiada | registered general nurse | =RGN | gesundheits- und krankenpfleger | krankenpfleger | pflegefachkraft | pflegefachfrau | pflegefachmann | colegiada no | colegiado no | colegiada n.o | colegiado n.o | numero de colegiada | numero de colegiado | big-registratie | big-geregistreerd | infirmiere diplomee d'etat | infirmier diplome d'etat
Nurse Practitioner | =NP | np license | np licence | family nurse practitioner | =FNP | advanced nurse practitioner | =ANP | nurse practitioner certification
ICU experience | =ICU | intensive care | intensive care unit | =ITU | critical care | critical care nursing | cuidados intensivos | =UCI | intensivstation | intensivpflege | critically ill | critical care experience | @pre=\b(?:traslado|trasladad[oa]s?|trasladar(?:los|las|lo|la)?|transfer(?:red|ring|s)?|admitted|admission|ingreso|ingresad[oa]s?|verlegung|verlegt|transfert|transferes?)\s+(?:(?:a|al|to|into|the|an|auf|die|in|la|el|en|vers|ins)\s+)*$
HDU | =HDU | high dependency unit | high dependency
Theatre recovery | recovery room | =PACU | post-anaesthesia care | post-anesthesia care | theatre recovery experience
Post-registration critical care course | critical care course | post-registration qualification in critical care | critical care qualification
BLS | =BLS | basic life support | bls certification
ACLS | =ACLS | advanced cardiac life support
!ALS | =ALS | advanced life support
!ILS | =ILS | immediate life support
!PALS | =PALS | pediatric advanced life support | paediatric advanced life support
Care planning | care plans | care plan | plan, implement and evaluate care | assessed, planned, implemented and evaluated care | planned, implemented and evaluated care | nursing care plans | nursing process | plan and evaluate care | pflegeplanung | planificacion de cuidados | plan de cuidados
Patient assessment | patient assessments | assessing patients | assess patients | clinical assessment | nursing assessment | valoracion de enfermeria
Medication administration | administer medicines | administering medicines | administer medication | administering medication | administer medications | medicines management | medication management | drug administration | administracion de medicamentos | medikamentengabe
Mechanical ventilation | invasive ventilation | ventilators | ventilated patients | ventilator management | ventilator care | ventilacion mecanica | beatmung | beatmete | beatmeten
Central and arterial lines | arterial lines | central lines | arterial and central lines | central venous catheters | picc lines
IV therapy | intravenous therapy | iv infusions | infusion pumps | infusion therapy | iv medications | terapia intravenosa | via intravenosa
Vasoactive drugs | inotropes | vasopressors | vasoactive infusions
Renal replacement therapy | =CRRT | haemofiltration | hemofiltration | dialysis
Cannulation | iv cannulation | venepuncture | venipuncture | phlebotomy | blood sampling | canalizacion de vias | extraccion de muestras | blutentnahme
Wound care | wound management | tissue viability | dressings | curas de heridas | cuidados de heridas | wundversorgung
Infection prevention and control | infection control | infection prevention | =IPC | hand hygiene
Electronic patient records | =EPR | =EHR | =EMR | electronic health record | electronic health records | electronic patient record | electronic medical records | electronic medical record | historia clinica electronica | elektronische patientenakte | elektronischen patientenakte
Epic EHR | =Epic | epic ehr | epic systems
Cerner
!Triage | triage | triaging | triaje | @ctx=patient|paciente|emergency|clinical|nurs|enfermer|ward|a&e|urgent|urgencia | @win=60
Patient safety | safe care | patient-safety
Safeguarding | safeguarding adults | safeguarding children | child protection | welfare of children | kinderschutz | proteccion del menor | promoting the welfare
Discharge planning | discharge planning
Recognising deterioration | deteriorating patients | deteriorating patient | =NEWS2 | early warning score | early warning scores | sepsis recognition | sepsis
Preceptorship | preceptor | practice assessor | practice supervisor | precept | practice assessor training
Patient care | direct patient care | bedside nursing | bedside care | atencion al paciente | patientenversorgung | nursing care | holistic care
Acute care | acute setting | acute settings | acute hospital | acute care setting | acute medicine | acute medical unit | acutely unwell | acute medical
Emergency nursing | emergency department | a&e | emergency room | urgencias | notaufnahme
Paediatric nursing | pediatrics | paediatrics | paediatric | pediatric | children's nursing
Mental health nursing | mental health | psychiatric nursing
Midwifery | midwife
Oncology | cancer care | chemotherapy
Cardiac care | cardiology | cardiac nursing | coronary care | cardiac surgery
Perioperative care | perioperative | theatre nursing | scrub nurse | operating theatre
Elderly care | aged care | care of older people | geriatrics | gerontology | dementia care
Palliative care | end-of-life care | end of life care | hospice
Primary care | primary care
Community health | community nursing | district nursing | underserved populations | community health center
Chronic disease management | chronic conditions | long-term conditions | diabetes management | hypertension management
Prescribing | prescribe medications | non-medical prescribing | prescriptive authority | independent prescriber | nurse prescriber | prescribing experience
Diagnosis and treatment | diagnose and treat | diagnosing | differential diagnosis | order and interpret labs
Vaccination | vaccinations | immunisation | immunization | immunisations | immunizations | vaccine administration | vaccination clinics
Clinical documentation | nursing documentation | accurate records | record keeping | clinical records | timely records | accurate, timely records
!DEA registration | =DEA | dea registration
Buprenorphine prescribing | buprenorphine
Simulation training | simulation faculty | clinical simulation | simulation-based education | simulation faculty training
Clinical education | clinical educator | practice development | nurse education | nurse educator | clinical teaching
Revalidation | nmc revalidation
Quality improvement | quality improvement projects | =QI | qi projects | service improvement
Clinical audit | clinical audits | audit and quality improvement | audit, quality improvement
Medical terminology
Telemetry monitoring | cardiac monitoring | ecg | =ECG | =EKG | electrocardiogram
Neonatal care | =NICU | neonatal
Catheterisation | catheterization | urinary catheters
Moving and handling | manual handling | patient handling
Tracheostomy care | tracheostomy | airway management | airway emergencies
Cardiac arrest response | cardiac arrest | resuscitation | =CPR
"""

PHARMACY = r"""
Pharmacist registration | registered pharmacist | general registration as a pharmacist | =GPhC | gphc registration | =AHPRA | ahpra registration | pharmacist licence | pharmacist license | registration as a pharmacist
Dispensing | dispense | dispensing prescriptions | prescription dispensing | checking prescriptions | dispensing and checking
Medication reviews | medication review | medscheck | home medicines review | home medicines reviews | =HMR | medicines use review | =MUR | structured medication review
Patient counselling | counselling | counseling | medication counselling | patient counseling
Community pharmacy | retail pharmacy | community pharmacies
Hospital pharmacy | clinical pharmacy | clinical pharmacist
Pharmacology | pharmacokinetics | pharmacodynamics
Dose administration aids | webster packs | blister packs | dosette | dose administration aid
Compounding | aseptic compounding | extemporaneous dispensing
Dispensing software | z dispense | pharmacy software | fred dispense | pharmacy management system
Immunisation accreditation | immunisation accreditation | immunization certification | vaccination accreditation | immunisation accredited | accredited immuniser
Over-the-counter medicines | =OTC | over the counter | over-the-counter | minor ailments
Controlled drugs | controlled substances | controlled drug
Medicines information | drug information
"""

TEACHING = r"""
Qualified Teacher Status | =QTS | teaching licence | teaching license | teacher certification | teaching credential | state teaching certificate | teaching certificate | qualified teacher | lehramt | staatsexamen | lesbevoegdheid | eerstegraads lesbevoegdheid | tweedegraads lesbevoegdheid
Teaching qualification | =PGCE | pgce | initial teacher training | teacher training | =ITT | formacion del profesorado | master del profesorado | master de profesorado | master en formacion del profesorado | =CAP | pgcert in education | teaching or mentoring qualification | teaching qualification | training qualification | referendariat | =BEd | bachelor of education
Lesson planning | lesson plans | plan lessons | planning lessons | lesson planning | unterrichtsplanung | programar y desarrollar las clases | programacion didactica | planificacion de clases
Curriculum design | curriculum development | curriculum design | curriculum planning | curriculum | curriculo | lehrplan | curricula
Student assessment | formative assessment | summative assessment | assessment for learning | marking and feedback | evaluacion continua | evaluar de forma continua | use assessment | designing assessments | assessment design | student feedback
Differentiation | differentiated instruction | adapt teaching | adaptive teaching | differentiated learning | students of all abilities | atencion a la diversidad | mixed-ability
Behaviour management | behavior management | classroom management | approach to behaviour | behaviour for learning | gestion del aula | approach to behavior
GCSE | =GCSE | gcse mathematics | gcse maths | gcse results
!A level | =A level | =A-level | =A Level | =A levels | =A-levels | =A Levels | a-level mathematics
International Baccalaureate | =IB | bachillerato internacional | ib diploma | baccalaureat international
Key Stage 3 | =KS3 | key stage 3
Key Stage 4 | =KS4 | key stage 4 | key stages 3 and 4
Key Stage 5 | =KS5 | key stage 5 | sixth form
Cambridge English exams | b2 first | c1 advanced | examenes de cambridge | cambridge exams | cambridge examiner | examinador de cambridge | examinadora de cambridge | cambridge english | examinador/a de cambridge
Mathematics | maths | mathematics teaching | matematicas | mathematik | mathematical | math | wiskunde | wiskundelessen | mathematiques
Further Mathematics | further maths | further mathematics
English language teaching | =TEFL | =TESOL | =CELTA | =DELTA | =ELT | english as a foreign language | =ESL | =EFL | ensenanza del ingles | lengua inglesa | english teaching | filologia inglesa | estudios ingleses
Physics
Chemistry
Biology
Special educational needs | =SEN | =SEND | special needs | =SENCO | =SENDCo | special educational needs and disabilities
Pastoral care | form tutor | pastoral | tutoria | tutor group | tutoria de un grupo | form tutoring
Parent communication | parents' evenings | parent communication | communication with parents | comunicacion con las familias | relacion con las familias | comunicar el progreso a las familias | parent-teacher | elternarbeit
Teaching for mastery | mastery approach | mastery approaches | maths mastery | maths hub | maths hubs
Learning management systems | =LMS | learning management system | moodle | google classroom | canvas lms | blackboard learn
Online teaching | remote teaching | live online sessions | virtual classroom | online lessons | teach live sessions
Classroom teaching | teaching experience | experiencia docente | docencia | unterrichtserfahrung | classroom experience | secondary teaching | teaching secondary | secondary school teaching | teach mathematics | impartir clase
Extracurricular activities | extracurricular | extra-curricular | enrichment | actividades extraescolares | maths club | debate club
!DBS check | =DBS | enhanced dbs | dbs check | dbs checked | background check
Bilingual education | bilingual teaching | educacion bilingue | proyecto bilingue | =CLIL | bilingual school
Instructional design | e-learning design | elearning | e-learning | learning design
Training delivery | deliver training | delivering training | training delivery | teaching sessions | delivering teaching | run workshops | workshops | delivering teaching sessions | training sessions
Early years education | early years | =EYFS | kindergarten | preschool
Primary teaching | primary school | primary education | educacion primaria | grundschule
UKMT challenges | =UKMT | maths challenge | olympiad
Exam preparation | exam preparation | exam board | exam marking | exam classes | preparar al alumnado
Educational research | research-informed | evidence-informed | research informed
"""

FINANCE = r"""
Financial modelling | financial modeling | financial models | three-statement model | 3-statement model | =DCF | discounted cash flow | driver-based forecast | driver-based forecasting | modelos financieros | modelo financiero | modele financier | modeles financiers | planungsmodell
FP&A | financial planning and analysis | financial planning & analysis
Budgeting | annual budget | budget preparation | budgets and forecasts | budget management | manage budgets | budgeting process | presupuestos | budgetierung | budget holders | presupuesto | presupuesto anual | budgetplanung | budget annuel
Forecasting | forecasts | forecast | reforecast | reforecasting | prognosen | previsiones | revenue forecast | forecast spend
Variance analysis | variance commentary | variance reporting | variance analyses | analisis de desviaciones | seguimiento de desviaciones | abweichungsanalyse | abweichungsanalysen | analyse des ecarts
Management accounts | management accounting | management reporting | monthly reporting pack | management accounts pack | monthly management accounts | control de gestion | controle de gestion
Financial reporting | statutory accounts | statutory reporting | year-end accounts | financial statements | annual accounts | jahresabschluss | cuentas anuales | statutory financial statements
Month-end close | month end | month-end | period close | year-end close | month-end closing | monatsabschluss | cierre contable
Reconciliations | reconciliation | reconcile | bank reconciliations | balance sheet reconciliations | account reconciliations | conciliacion bancaria | conciliaciones | abstimmungen | reconcile supplier statements
Accounts payable | =AP | purchase ledger | purchase-to-pay | =P2P | kreditorenbuchhaltung | cuentas a pagar | accounts payable specialist
Accounts receivable | =AR | sales ledger | credit control | debitorenbuchhaltung | cuentas a cobrar
Bookkeeping | book-keeping | buchhaltung | contabilidad | bookkeeper
General ledger | =GL | nominal ledger | general ledger accounting
Accruals | accruals and prepayments | prepayments | accrual accounting
VAT returns | =VAT | vat returns | sales tax | =GST | =IVA | mehrwertsteuer | umsatzsteuer
Tax compliance | tax returns | tax computations | tax compliance | tax return preparation
Corporation tax | corporate tax | corporation tax computations | corporation tax returns | korperschaftsteuer | impuesto de sociedades
UK GAAP | frs 102 | frs 105 | uk gaap
IFRS | =IFRS | ifrs 9 | ifrs 15 | ifrs 16 | international financial reporting standards
US GAAP | =GAAP | us gaap
Audit | external audit | statutory audit | auditing | internal audit | audits | wirtschaftsprufung | auditoria
Due diligence | transaction services | financial due diligence
Accounting qualification | accounting qualification | qualified accountant | professionally qualified accountant | part-qualified | finalist
!ACA | =ACA | =ICAEW | aca qualified | chartered accountant
ACCA | =ACCA | acca qualified
!CIMA | =CIMA | cima qualified
ICAS | =ICAS
!CPA | =CPA | certified public accountant | @not=cost|ctr|cpc|roas|bid|campaign|cpm|\bads\b|acquisition | @win=60
CFA | =CFA | chartered financial analyst
AAT | =AAT | aat qualification | aat qualified
!Sage accounting | =Sage | sage 200 | sage 50 | sage intacct | sage accounting
Xero
QuickBooks | quickbooks online
NetSuite | oracle netsuite
FreeAgent
CCH | =CCH | cch practice software
!IRIS practice software | =IRIS | iris practice software
Anaplan
Adaptive Insights | adaptive planning | workday adaptive
Pigment planning | =Pigment
Hyperion | oracle hyperion
DATEV
!SAP | =SAP | sap s/4hana | s/4hana | sap fico | sap erp
ERP systems | =ERP | erp system | erp systems | enterprise resource planning
Cloud accounting software | cloud accounting | cloud accounting software | accounting system | accounting software | accounting systems
Invoice processing | processing invoices | process supplier invoices | supplier invoices | invoicing | purchase invoices | invoice scanning | automated invoice scanning
Supplier payments | payment runs | payment run | supplier payment run | supplier payment
Purchase order matching | purchase orders | po matching | three-way matching | 3-way matching | three-way match
Fraud prevention | fraud checks | anti-fraud | prevent fraud | bank detail verification | fraud detection
AML/KYC | =AML | =KYC | anti-money laundering | know your customer
Payroll | payroll processing | nominas | lohnbuchhaltung
Cash flow management | cash flow | cashflow | cash management | treasury | cash forecasting
Cost accounting | cost control | cost tracking | costing
Risk management | risk assessment | risk management | gestion de riesgos | risikomanagement
Investor reporting | board reporting | investor and board reporting | board packs | board report | investor relations
Financial analysis | financial analyst | analysing financial | analisis financiero | finanzanalyse | financial analyses
R&D tax credits | r&d tax | r&d tax credit | r&d tax credits | research and development tax credits
Charity accounts | =SORP | charity sorp | charities sorp | charity accounting
Business partnering | finance business partnering | partner with budget holders | finance business partner | business partner
Headcount planning | headcount | headcount and cost tracking
Practice management software | practice software
Payments industry | experience in payments | payment integrations | testing payment integrations | card payments | payments industry | payments company | payments, fintech
Fintech | fintech | financial services | financial technology
Insurance industry | insurance | insurer | insurers | insurtech | @pre=health|medical|life|pet|group|dental|travel|private|car|home
"""

MARKETING = r"""
Content marketing | content strategy | content plan | content creation | b2b content marketing | content marketing manager | content calendar
Writing and editing | copywriting | copy writing | copy editing | copyediting | editing | content writing | writing and editing | editorial | proofreading
Video editing | video production | premiere pro | final cut | video content | basic video editing
SEO | search engine optimisation | search engine optimization | organic traffic | organic search
Paid search | =PPC | =SEM | pay per click | pay-per-click | search ads | paid search
Google Ads | google adwords | adwords | google ads | performance max | google shopping
!Google Ads | =Google | @ctx=\bads?\b|budget|campaign|paid|meta|tiktok|shopping|search|advertis | @win=40
Meta Ads | facebook ads | instagram ads | meta ads manager | meta ads
!Meta Ads | =Meta | @ctx=\bads?\b|budget|campaign|paid|google|tiktok|advertis | @win=40
TikTok Ads | tiktok ads | tiktok
Paid social | paid social media | social ads | paid social advertising
Performance marketing | paid acquisition | paid media | growth marketing | user acquisition | performance-marketing | digital advertising | paid advertising | customer acquisition
Marketing automation | marketing automation tool | marketing automation platform | marketo | pardot
HubSpot | hub spot | hubspot crm
Mailchimp | klaviyo
Email marketing | email campaigns | newsletter | newsletters | lifecycle marketing | crm marketing | monthly newsletter
Social media marketing | social media | social media management | community management | social media strategy
Conversion tracking | conversion tracking | server-side tagging | conversions api | google tag manager | tag management | =CAPI | pixel tracking | =GTM
Marketing mix modelling | marketing mix modeling | =MMM | media mix modelling | media mix modeling
Incrementality testing | incrementality | lift testing | geo-lift | holdout tests
Marketing analytics | =ROAS | return on ad spend | =CAC | customer acquisition cost | =LTV | lifetime value | attribution | contribution margin | marketing analytics
Cohort analysis | cohort performance | cohorts | cohort
Creative testing | creative tests | ad creative testing | structured creative tests | creative strategy
A/B testing | ab testing | a/b tests | a/b test | split testing | experimentation | experiments
Webinars | webinar | event marketing | event management | virtual events | running webinars | events end to end
Case studies | customer case studies | customer stories | case study
Product marketing | product launches | product launch | go-to-market | go to market | launch materials | product launch materials | positioning and messaging
Sales enablement | enablement content | sales enablement content | sales collateral
Brand management | branding | brand strategy | brand marketing | brand guidelines
Market research | competitor analysis | competitive analysis | marktforschung | investigacion de mercados
Public relations | =PR | media relations | press releases
Influencer marketing | influencers | creator partnerships
Affiliate marketing | affiliates | affiliate programmes
Conversion rate optimisation | =CRO | conversion rate optimization | conversion optimisation | landing page optimisation
Campaign management | campaign management | marketing campaigns | paid campaigns | ad campaigns | campaigns | campaign planning | campaign optimisation | campaign optimization
Marketing strategy | marketing plan | marketing plans | marketing strategy
B2B marketing | =B2B | business-to-business | b2b
E-commerce | ecommerce | e-commerce | online retail | =D2C | =DTC | direct-to-consumer | online shop | online shops
Shopify
SaaS | =SaaS | software as a service | b2b saas | saas products
Canva
Budget pacing | pacing | budget allocation | spend pacing
"""

SALES = r"""
B2B sales | b2b selling | enterprise sales | mid-market sales | solution selling | consultative selling | saas sales | new business sales | new business
Full sales cycle | full-cycle sales | end-to-end sales cycle | full sales cycle | sales cycle | closing deals | close deals | closing experience | closing contracts | close annual contracts | deal closing | close contracts
Pipeline management | sales pipeline | pipeline management | pipeline generation | build and manage a pipeline | manage a pipeline | build a pipeline | pipeline of
Prospecting | lead generation | outbound prospecting | cold calling | outbound | cold outreach
Negotiation | negotiating | negotiate | negotiation skills | verhandlung | verhandlungsgeschick | negociacion | negotiate commercial terms
Quota attainment | quota | exceeding quota | meeting quota | sales targets | revenue targets | hitting targets | exceeding targets | on-target earnings
Salesforce | =SFDC | salesforce crm
CRM | =CRM | crm systems | crm software | crm system | pipedrive | zoho crm
MEDDICC | =MEDDIC | =MEDDPICC | meddicc
Sales methodology | structured sales approach | spin selling | challenger sale | sandler | sales methodology | sales process | solution selling methodology
Product demonstrations | product demos | product demonstrations | software demos | demos
Account management | key account management | account management | managing accounts | key accounts | account manager
Customer success | customer success | client success | customer retention | churn reduction
Business cases | business case | =ROI | roi analysis | value selling
Discovery calls | discovery calls | discovery conversations | sales discovery | discovery meetings
Territory management | territory planning | territory management
Channel sales | channel partners | partner management | partnerships | reseller
Business development | bizdev | new business development | business development | =BDR | =SDR | sales development
Retail industry | retail | retailers | retail industry | grocery | convenience retail | retail sector | consumer goods | =FMCG | =CPG
Energy industry | energy sector | energiewirtschaft | utilities sector | energy industry
Hospitality industry | hospitality | hotels | hotel industry | hoteleria
Legal industry | legaltech | law firms | legal operations
Public sector | government sector | local authority | charity sector | non-profit | nonprofit | third sector
Healthcare industry | health tech | healthtech | digital health
!Healthcare industry | healthcare | @not=assistant|support worker
Regulated industries | regulated industry | regulated industries | regulated environment
"""

LOGISTICS = r"""
Supply chain management | supply chain | supply-chain | =SCM | lieferkette | cadena de suministro | supply chain management
Supply chain planning | supply planning | supply chain planning | inbound planning | inbound and capacity plans
Demand planning | demand planning | demand forecasts | demand forecasting | demand forecast | demand-forecasting
S&OP | sales and operations planning | =S&OP | s&op
Inventory management | stock control | inventory control | stock management | inventory | stock levels | lagerverwaltung | bestandsmanagement | gestion de inventario | inventory management | slow movers
Warehouse operations | warehouse operations | warehouse management | warehousing | warehouse or distribution | warehouse environment | distribution environment | distribution centre | distribution centres | distribution center | distribution centers | fulfilment centre | fulfillment center | lagerlogistik | lagerlogistiker | almacen | entrepot | outbound team | outbound operations | distributiecentrum | distributionszentrum | logistikzentrum | centro de distribucion | centre de distribution
WMS | =WMS | warehouse management system | manhattan wms | manhattan scale | sap ewm | blue yonder | sap wm
Logistics | logistik | logistica | logistics | logistics management
Transport management | transport planning | transportation management | carrier management | =TMS | route planning | carrier cut-off | transport management system
Freight and customs | ocean freight | sea freight | freight forwarding | customs | customs clearance | import and export | incoterms | customs processes | container bookings | container schedules
3PL | =3PL | third-party logistics | 3pl environment | third party logistics
Procurement | purchasing | sourcing | strategic sourcing | einkauf | compras | procurement
Vendor management | supplier management | supplier relationship management | vendor relations | supplier relationships
!Lean | lean manufacturing | lean tools | lean principles | lean methodology | kaizen | =5S
Continuous improvement | continuous improvement | =KVP | ci projects | mejora continua | continuous-improvement | process improvement
Six Sigma | lean six sigma | six sigma green belt | green belt | black belt | six sigma | lean six sigma green belt
Root cause analysis | =RCA | root-cause analysis | 5 whys | ishikawa | root cause analysis
KPIs | =KPI | =KPIs | kpi | kpis | key performance indicators | kennzahlen | kpi dashboards | productivity and accuracy kpis | performance metrics
Workforce planning | shift planning | plan staffing | staffing | rostering | workforce planning | labour planning | labor planning | personalplanung | shift management | staff scheduling
Health and safety | health & safety | =H&S | workplace safety | safety culture | =OSHA | =IOSH | =NEBOSH | focus on safety | arbeitssicherheit | prevencion de riesgos | safety and housekeeping
Forklift licence | forklift | forklift license | heftruckcertificaat | reach truck | flt licence | staplerschein | carretillero | forklift certification | gabelstapler | carretilla elevadora | chariot elevateur | reachtruck | reachtruckcertificaat
Warehouse automation | automated picking | goods-to-person | warehouse automation | autostore | automated picking systems | picking robots
Order picking | pick and pack | order picking | picking and packing | order fulfilment | order fulfillment | kommissionierung | kommissionieren | orderpicken | orderpicking | orderpicker | kommissionierer | preparation de commandes | preparacion de pedidos
Stock accuracy | inventory accuracy | cycle counting | cycle counts | stock accuracy | stock takes | stocktaking
Fleet management | fleet management | fleet operations
Last-mile delivery | last mile | last-mile | last-mile delivery
APICS certification | =APICS | =ASCM | =CPIM | =CSCP | apics/ascm certification | apics certification
Lead times | lead times | lead time | service level | service levels
Capacity management | warehouse capacity | capacity management
"""

DESIGN = r"""
UX design | user experience | =UX | ux/ui | ux design | user experience design
UI design | ui design | user interface design | interface design | visual design | high-fidelity designs | high-fidelity | mockups | mock-ups | =UI | hi-fi designs
Product design | product design | digital product design | product designer | produktdesign | diseno de producto | design produit
User research | ux research | user interviews | usability research | design research | contextual inquiry | research with users | user research | interview merchants | customer interviews | nutzerinterviews | nutzerforschung | gebruikersonderzoek | recherche utilisateur | entrevistas con usuarios
Usability testing | usability testing | user testing | usability tests | usability studies | test ideas with | nutzertests | tests utilisateurs | pruebas de usabilidad
Prototyping | prototypes | prototype | rapid prototyping | prototyping
Wireframing | wireframes | wireframe | low-fidelity | wireframing
Figma | =Figma | figma
!Sketch | =Sketch | @ctx=figma|adobe|invision|design|xd|prototyp | @win=40
Adobe XD
InVision
Adobe Creative Suite | adobe creative cloud | adobe cc | creative cloud
Photoshop | adobe photoshop
Illustrator | adobe illustrator
InDesign | adobe indesign
After Effects | adobe after effects
Design systems | design system | component library | component libraries | pattern library | design-system
Storybook
Interaction design | =IxD | interaction details | interaction design | micro-interactions | microinteractions
Information architecture | information architecture
Journey mapping | journey mapping | customer journeys | user journeys | user journey mapping | journey maps | service blueprint
User flows | user flows | task flows | flows, wireframes
Service design
Design thinking
Accessibility | a11y | accessibility | accesibilidad | barrierefreiheit | accessible design | inclusive design
WCAG | wcag 2.1 | wcag 2.1 aa | wcag 2.2
Plain language | plain language | plain english | content design | ux writing | microcopy
Mobile design | mobile design | mobile-first design | designed for mobile | designing for mobile | mobile ux | app design | design for mobile
!Portfolio | design portfolio | portfolio of work | a portfolio | portfolio that shows
Typography
Graphic design | graphic designer | graphic design
Motion design | motion graphics | animation | motion design
Illustration | illustrations | illustrator skills
!Miro | =Miro
Facilitation | workshop facilitation | facilitating workshops | facilitation | facilitate workshops
Proposal writing | proposal writing | write proposals | writing proposals | bid writing | grant writing
!Discovery | product discovery | lead discovery | discovery work | discovery research
Design critique | design reviews | design critique | design crits
"""

ENGINEERING = r"""
Structural design | structural design | design structures | design and analyse structures | structural analysis | structural calculations | structural engineering | tragwerksplanung | calculo estructural | calculo de estructuras | structural engineer | statische berechnungen | statische berechnung | notes de calcul | dimensionner des structures | calcul de structures | constructieve berekeningen | tragwerksplaner | tragwerksplanerin | statiker | statikerin
!Structural design | constructeur | @ctx=beton|staal|hout|constructie|civiel|bouwkund|ervaring|senior|junior|medior|bruggen | @win=40
Civil engineering | civil engineer | bauingenieurwesen | ingenieria civil | civil engineering | genie civil | civiele techniek | ingenieria de caminos
Eurocodes | eurocode | en 1990 | en 1991 | en 1992 | en 1993 | en 1995 | =EC2 | =EC3 | =EC5
Finite element analysis | =FEM | =FEA | finite element | finite element analysis | finite element method | fem software | fem-design | structural analysis models
!Autodesk Robot | =Robot | robot structural analysis | @ctx=fem|rfem|analysis|structural|design | @win=40
Dlubal RFEM | rfem | rstab | dlubal
SAP2000 | etabs
STAAD | staad.pro
ANSYS
Abaqus
SolidWorks
AutoCAD | autocad | autodesk autocad
Revit | autodesk revit
Tekla | tekla structures
BIM | =BIM | building information modelling | building information modeling | bim workflows | bim coordination | bim coordinators
Navisworks
Civil 3D
MicroStation
CATIA
!Creo | ptc creo
!Creo | =Creo | @ctx=cad|solidworks|catia|inventor|design|3d
!Concrete design | reinforced concrete | concrete design | concrete structures | prestressed concrete | stahlbeton | hormigon armado | beton arme | betonconstructies | betonconstructie | stahlbetonbau | spannbeton
!Concrete design | concrete | @ctx=steel|timber|structur|reinforc|masonry|slab|beam|eurocode | @win=40
!Steel design | structural steel | steel structures | steel design | steelwork
!Steel design | steel | @ctx=concrete|timber|structur|masonry|beam|eurocode|weld | @win=40
Timber design | timber | timber structures | timber design | timber engineering | holzbau | timber and hybrid structures
Mass timber | mass timber | =CLT | glulam | cross-laminated timber | cross laminated timber | mass-timber
Bridge design | bridges | bridge engineering | bridge design | pedestrian bridge | brucke | brucken | bruckenbau | straßenbrucke | straßenbrucken | strassenbrucken | bruggen | bruggenbouw | puentes | diseno de puentes
Geotechnical engineering | geotechnics | geotechnical | foundations design | foundation design
Life-cycle assessment | =LCA | life cycle assessment | lifecycle assessment | embodied carbon | whole-life carbon | life-cycle assessment
Chartered engineer status | chartered engineer | chartered status | =CEng | professional engineer | pe license | pe licence | =MIStructE | =MICE | =IStructE | chartered member
Construction management | construction follow-up | follow up construction | site supervision | construction administration | site management | construction management | site visits
Technical drawings | technical drawings | engineering drawings | drawings and specifications | construction drawings | shop drawings
Mechanical engineering | mechanical engineer | maschinenbau | ingenieria mecanica | mechanical engineering
Mechanical design | mechanical design | machine design | product development engineering
CAD | =CAD | computer-aided design | 3d cad | cad modelling | cad modeling
GD&T | gd&t | geometric dimensioning and tolerancing | tolerance analysis
Thermodynamics | heat transfer
Fluid dynamics | fluid mechanics | =CFD | computational fluid dynamics
HVAC | =HVAC | heating, ventilation and air conditioning | building services
Manufacturing processes | manufacturing | injection moulding | injection molding | =CNC | machining | sheet metal
FMEA | =FMEA | failure mode and effects analysis | dfmea | pfmea
Design for manufacturing | =DFM | design for manufacturing | design for manufacture | =DFMA
Quality assurance | =QA | quality assurance | quality management | iso 9001
Electrical engineering | electrical engineer | elektrotechnik | electrical engineering
PLC programming | =PLC | =SCADA | plc programming | siemens tia | ladder logic
Embedded systems | embedded systems | embedded software | firmware | embedded c | microcontrollers
Building regulations | building codes | building regs | building regulations
Fire engineering | fire safety engineering | fire engineering | fire safety
Building physics | building physics | bauphysik
Surveying | land surveying | topographic survey | surveying
Hydraulic modelling | drainage design | hydraulic modelling | hydraulic modeling | hydraulics | stormwater
Sustainability | low-carbon | low carbon | net zero | net-zero | decarbonisation | decarbonization | nachhaltigkeit | sostenibilidad | =ESG | sustainability
Project management | project management | managing projects | projektmanagement | gestion de proyectos | project delivery | pilot projects
Research and development | =R&D | research and development | r&d work
"""

SOFT = r"""
Communication | communication skills | communicate | communicating | clear communication | written communication | verbal communication | kommunikationsfahigkeit | kommunikationsstarke | comunicacion | communication | explaining trade-offs | communicates | explain data | explaining technical ideas | interpersonal skills | written and spoken
Presentation skills | presenting | presentations | public speaking | presenting numbers | presentation skills | prasentation
Leadership | leadership skills | liderazgo | fuhrungsstarke | strong leadership | leadership | technical leadership | leading cross-team
People management | people management | line management | team management | managing teams | supervising teams | supervise teams | supervising staff | fuhrungserfahrung | personalverantwortung | gestion de equipos | team leadership | leading teams | lead teams | supervise and review | supervising and mentoring | team leaders
Mentoring | mentor | mentoring | mentored | mentorship | coaching | coach | coached | mentorat | mentoria | mentoring students | mentoring engineers
Teamwork | team player | collaboration | collaborate | collaborative | cross-functional | teamfahigkeit | trabajo en equipo | colaborar | work closely | worked with
Problem solving | problem-solving | problem solver | solve problems | solving problems
Attention to detail | detail-oriented | detail oriented | eye for detail | sorgfalt | atencion al detalle | meticulous | methodical | attention to detail
Organisation and time management | time management | organisational skills | organizational skills | organisation skills | excellent organisation | excellent organization | prioritisation | prioritization | manage deadlines | managing deadlines | organised | organized
Adaptability | adaptable | resilience | resilient | flexibility
Customer service | customer-facing | client-facing | customer focus | kundenorientierung | atencion al cliente | customer service | client service
Empathy | empathy | empathetic | compassion | compassionate | empatia | einfuhlungsvermogen | patience
Analytical skills | analytical | analytical thinking | analytische fahigkeiten | capacidad analitica | analytical skills
Critical thinking
Decision making | decision-making | decision making | good judgement | sound judgement | judgement | judgment
Conflict resolution | conflict management | de-escalation
Creativity | creative thinking | creativity
Curiosity | curious | curiosity | neugier | curiosidad | sceptical mindset | skeptical mindset
Asynchronous communication | asynchronous | async | work asynchronously | writing things down | habit of writing things down | remote collaboration
Working under pressure | under pressure | calm approach | calmly | stay calm | busy environment | high-pressure | belastbarkeit | fast-paced
Ownership | ownership | accountability | self-starter | self-motivated | autonomy | end to end | end-to-end
Stakeholder management | stakeholders | stakeholder management | senior stakeholders | stakeholder engagement | stakeholder communication
Training others | train and develop | training staff | staff training | develop junior | train junior | onboarding new
"""

LANGUAGES = r"""
!English | english | ingles | englisch | anglais | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!English | englischkenntnisse | english language | spoken english | written english | english speaker | nivel de ingles | fluent english | good english | native english
!German | german | aleman | deutsch | allemand | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!German | deutschkenntnisse | german language | german speaker | fluent german | german skills | deutsch als muttersprache
!Spanish | spanish | espanol | castellano | spanisch | espagnol | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Spanish | spanischkenntnisse | spanish language | spanish speaker | dominio del castellano
!French | french | frances | franzosisch | francais | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!French | franzosischkenntnisse | french language | french speaker | francophone
!Dutch | dutch | neerlandes | niederlandisch | neerlandais | nederlands | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Italian | italian | italiano | italienisch | italien | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Portuguese | portuguese | portugues | portugiesisch | portugais | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Norwegian | norwegian | noruego | norwegisch | norsk | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Danish | danish | danes | danisch | dansk | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Swedish | swedish | sueco | schwedisch | svenska | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Scandinavian language | scandinavian language | scandinavian languages
!Finnish | finnish | finnisch | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Polish | polish | polaco | polnisch | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Russian | russian | ruso | russisch | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Ukrainian | ukrainian | ucraniano | ukrainisch | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Arabic | arabic | arabe | arabisch | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Mandarin Chinese | mandarin | chinese | chino | chinesisch | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Japanese | japanese | japones | japanisch | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Korean | korean | coreano | koreanisch | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Hindi | hindi | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Turkish | turkish | turco | turkisch | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Greek | greek | griego | griechisch | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Vietnamese | vietnamese | vietnamita | vietnamesisch | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Valencian | valenciano | valencian | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Catalan | catalan | catala | katalanisch | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Basque | euskera | basque | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
!Tagalog | tagalog | filipino | """ + _LANG_CTX + " | " + _LANG_NOT + r"""
"""

CERTIFICATIONS = r"""
PMP | =PMP | project management professional
PRINCE2 | prince 2
Certified ScrumMaster | =CSM | certified scrummaster | scrum master | =PSM | professional scrum master
ITIL | itil v4 | itil foundation
AWS certification | aws certified | aws certified solutions architect | aws certification | aws solutions architect | aws certified developer
CKA | =CKA | certified kubernetes administrator
CKAD | =CKAD | certified kubernetes application developer
Azure certification | az-104 | az-400 | az-900 | az-204 | azure certifications | azure certification | microsoft certified
Google Cloud certification | google cloud certified | professional cloud architect
First aid | first aid certificate | first aider | first aid at work | erste hilfe | primeros auxilios
Driving licence | driver's license | drivers license | driving licence | driving license | fuhrerschein | carnet de conducir | permis de conduire
CSCS card | =CSCS | cscs card
Postgraduate certificate | =PGCert | pg cert | postgraduate certificate
"""

EDUCATION = r"""
University degree | degree | bachelor's degree | bachelor | bachelors | =BSc | =B.Sc | =BA | =B.A | undergraduate degree | grado en | licenciatura | titulacion universitaria | hochschulabschluss | studium | university degree | bachelor's | =BEng | =BBA | titulacion equivalente | degree in
Master's degree | master's | masters | =MSc | =M.Sc | =MA | =M.A | master of science | master's degree | master's-level | postgraduate degree | =MEng | =MPhil | master of arts
PhD | =PhD | doctorate | ph.d | doctoral | =DPhil
MBA | =MBA | master of business administration
Nursing degree | =BSN | bachelor of science in nursing | nursing degree | bsc nursing | bsc (hons) nursing | bsc (hons) adult nursing | adult nursing degree | diploma in nursing | grado en enfermeria
Pharmacy degree | =MPharm | =PharmD | bachelor of pharmacy | master of pharmacy | pharmacy degree
"""

DOMAINS: dict[str, str] = {
    "software": SOFTWARE,
    "data": DATA,
    "cloud": CLOUD,
    "security": SECURITY,
    "nursing": NURSING,
    "pharmacy": PHARMACY,
    "teaching": TEACHING,
    "finance": FINANCE,
    "marketing": MARKETING,
    "sales": SALES,
    "logistics": LOGISTICS,
    "design": DESIGN,
    "engineering": ENGINEERING,
    "soft": SOFT,
    "language": LANGUAGES,
    "certification": CERTIFICATIONS,
    "education": EDUCATION,
}

# What one skill implies about another: a CV stating "EKS" has Kubernetes and AWS.
IMPLIES: dict[str, tuple[str, ...]] = {
    "Master's degree": ("University degree",),
    "PhD": ("Master's degree", "University degree"),
    "MBA": ("Master's degree", "University degree"),
    "Nursing degree": ("University degree",),
    "Pharmacy degree": ("University degree",),
    "Nurse Practitioner": ("Registered Nurse licence",),
    "ACLS": ("BLS",),
    "PALS": ("BLS",),
    "ALS": ("ILS", "BLS"),
    "ILS": ("BLS",),
    "Excel": ("Spreadsheets",),
    "CKA": ("Kubernetes",),
    "CKAD": ("Kubernetes",),
    "EKS": ("Kubernetes", "AWS"),
    "AKS": ("Kubernetes", "Azure"),
    "GKE": ("Kubernetes", "GCP"),
    "ECS": ("AWS", "Docker"),
    "AWS Lambda": ("AWS", "Serverless"),
    "S3": ("AWS",),
    "RDS": ("AWS",),
    "EC2": ("AWS",),
    "Amazon Redshift": ("AWS", "Data warehousing"),
    "Snowflake": ("Data warehousing",),
    "BigQuery": ("Data warehousing", "GCP"),
    "AWS certification": ("AWS",),
    "Azure certification": ("Azure",),
    "MEDDICC": ("Sales methodology",),
    "Epic EHR": ("Electronic patient records",),
    "Cerner": ("Electronic patient records",),
    "Kafka": ("Stream processing", "Message brokers"),
    "Kinesis": ("Stream processing", "AWS"),
    "Pulsar": ("Stream processing", "Message brokers"),
    "RabbitMQ": ("Message brokers",),
    "Airflow": ("Workflow orchestration", "Data pipelines"),
    "Dagster": ("Workflow orchestration",),
    "Prefect": ("Workflow orchestration",),
    "Terraform": ("Infrastructure as code",),
    "Pulumi": ("Infrastructure as code",),
    "CloudFormation": ("Infrastructure as code", "AWS"),
    "FastAPI": ("Python",),
    "Django": ("Python",),
    "Flask": ("Python",),
    "pytest": ("Python", "Unit testing"),
    "pandas": ("Python",),
    "Spring Boot": ("Java",),
    "React": ("JavaScript",),
    "Next.js": ("React", "JavaScript"),
    "SwiftUI": ("Swift",),
    "ACA": ("Accounting qualification",),
    "ACCA": ("Accounting qualification",),
    "CIMA": ("Accounting qualification",),
    "ICAS": ("Accounting qualification",),
    "CPA": ("Accounting qualification",),
    "Xero": ("Cloud accounting software",),
    "QuickBooks": ("Cloud accounting software",),
    "FreeAgent": ("Cloud accounting software",),
    "NetSuite": ("ERP systems", "Cloud accounting software"),
    "SAP": ("ERP systems",),
    "Qualified Teacher Status": ("Teaching qualification",),
    "Further Mathematics": ("Mathematics",),
    "Six Sigma": ("Lean", "Continuous improvement"),
    "Lean": ("Continuous improvement",),
    "APICS certification": ("Supply chain planning",),
    "Mass timber": ("Timber design",),
    "Revit": ("BIM",),
    "Tekla": ("BIM",),
    "Dlubal RFEM": ("Finite element analysis",),
    "Autodesk Robot": ("Finite element analysis",),
    "Google Ads": ("Paid search", "Performance marketing"),
    "Meta Ads": ("Paid social", "Performance marketing"),
    "TikTok Ads": ("Paid social", "Performance marketing"),
    "HubSpot": ("Marketing automation", "CRM"),
    "Salesforce": ("CRM",),
    "WCAG": ("Accessibility",),
    "People management": ("Leadership",),
    "Emergency nursing": ("Acute care",),  # an emergency department is an acute setting
}

# ---------------------------------------------------------------------------
# Cue phrases (folded text) shared with section detection, in en/de/es/fr.
# ---------------------------------------------------------------------------

# A clause that marks what it names as optional ("Terraform ist ein Plus").
NICE_CLAUSE = re.compile(
    r"\b(?:(?:is|are|would be|will be) (?:a |an )?(?:big |real |strong |important |added )?(?:plus|bonus|advantage|asset)"
    r"|a plus|nice to have|nice-to-have|preferred|preferably|desirable|ideally|is an asset|advantageous|not essential"
    r"|von vorteil|ein plus|wunschenswert|idealerweise|gerne gesehen|wunsch"
    r"|se valorara|valorable|deseable|es un plus|preferiblemente|se valora"
    r"|un atout|souhaite|apprecie|serait un plus)\b"
)
# Words that mark a sentence as a requirement when a posting has no such section.
REQUIREMENT_CUES = re.compile(
    r"\b(?:experience|experienced|knowledge|proficien\w*|familiar\w*|skills?|qualified|qualification|degree|licen[cs]e|required|must|essential"
    r"|erfahrung|kenntnisse|anforderungen|voraussetzung\w*|abschluss|requisitos?|imprescindible|experiencia|conocimientos?|titulacion"
    r"|exige|competences|connaissances?)\b"
)


# ---------------------------------------------------------------------------
# Matcher
# ---------------------------------------------------------------------------

_PUNCT_MAP = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‑": "-", "\u00a0": " "})


def deaccent(text: str) -> str:
    """Strip accents, keep case; one output character per input character where possible."""
    out = []
    for ch in (text or "").translate(_PUNCT_MAP):
        if ord(ch) < 128:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


def fold(text: str) -> str:
    """Accent- and case-insensitive form, aligned character by character with `deaccent`."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in deaccent(text))


@dataclass(frozen=True)
class Skill:
    name: str
    domain: str


@dataclass(frozen=True)
class Hit:
    """One skill mention; offsets index the folded text (the input itself for plain ASCII)."""

    name: str
    domain: str
    start: int
    end: int


@dataclass(frozen=True)
class _Rule:
    skill: int
    ctx: re.Pattern[str] | None = None
    neg: re.Pattern[str] | None = None
    pre: re.Pattern[str] | None = None
    window: int = 40


_SEP = re.compile(r"[\s\-'.]+")
_LEFT = r"(?<![\w+#&])"
_RIGHT = r"(?![\w+#])"


def _key(text: str) -> str:
    """Lookup key of a matched span: separators removed, so 'Power-BI' finds 'power bi'."""
    return _SEP.sub("", text)


def _units(alias: str) -> list[str]:
    """Regex pieces of one literal alias: spaces and hyphens flexible, inner dots optional."""
    units: list[str] = []
    for i, ch in enumerate(alias):
        if ch == " ":
            units.append(r"[\s\-]*")
        elif ch == "-":
            units.append(r"[\s\-]?")
        elif ch == "'":
            units.append("'?")
        elif ch == "." and 0 < i < len(alias) - 1:
            units.append(r"\.?")
        else:
            units.append(re.escape(ch))
    return units


def _trie_regex(literals: list[str]) -> str:
    """One pattern for many literals, as a prefix tree: linear-time scanning, longest match first."""
    trie: dict = {}
    for lit in literals:
        node = trie
        for unit in _units(lit):
            node = node.setdefault(unit, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [unit + emit(child) for unit, child in node.items() if unit != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(trie)


class _Lexicon:
    """The compiled lexicon: an insensitive trie, a case-sensitive trie and a few regex aliases."""

    def __init__(self, domains: dict[str, str]) -> None:
        self.skills: list[Skill] = []
        self.index: dict[str, int] = {}
        self.lower: dict[str, _Rule] = {}
        self.cased: dict[str, _Rule] = {}
        self.regex: list[tuple[str, _Rule]] = []
        lower_lits: list[str] = []
        cased_lits: list[str] = []
        for domain, table in domains.items():
            for raw in table.strip().splitlines():
                raw = raw.strip()
                if raw and not raw.startswith("#"):
                    self._add(domain, raw, lower_lits, cased_lits)
        self.re_lower = re.compile(_LEFT + "(?:" + _trie_regex(sorted(set(lower_lits))) + ")" + _RIGHT)
        self.re_cased = re.compile(_LEFT + "(?:" + _trie_regex(sorted(set(cased_lits))) + ")" + _RIGHT)
        self.re_regex = (
            re.compile("|".join(f"(?P<r{i}>{_LEFT}(?:{rx}){_RIGHT})" for i, (rx, _) in enumerate(self.regex))) if self.regex else None
        )

    def _add(self, domain: str, raw: str, lower_lits: list[str], cased_lits: list[str]) -> None:
        parts = [p.strip() for p in raw.lstrip("!").split(" | ")]
        name, opts, aliases = parts[0], {}, []
        for part in parts[1:]:
            if part[:5] in ("@ctx=", "@not=", "@pre=", "@win="):
                opts[part[1:4]] = part[5:]
            elif part:
                aliases.append(part)
        if not raw.startswith("!"):
            aliases.insert(0, name)
        if name not in self.index:
            self.index[name] = len(self.skills)
            self.skills.append(Skill(name, domain))
        rule = _Rule(
            self.index[name],
            re.compile(opts["ctx"]) if "ctx" in opts else None,
            re.compile(opts["not"]) if "not" in opts else None,
            re.compile("(?:" + opts["pre"] + r")[\s\-]*$") if "pre" in opts else None,
            int(opts.get("win", 40)),
        )
        for alias in aliases:
            if alias.startswith("~"):
                self.regex.append((alias[1:], rule))
            elif alias.startswith("="):
                lit = deaccent(alias[1:])
                self.cased.setdefault(_key(lit), rule)
                cased_lits.append(lit)
            else:
                lit = fold(alias)
                self.lower.setdefault(_key(lit), rule)
                lower_lits.append(lit)


_LEX = _Lexicon(DOMAINS)
SKILLS: tuple[Skill, ...] = tuple(_LEX.skills)
_DOMAIN = {s.name: s.domain for s in SKILLS}


def _accept(rule: _Rule, folded: str, start: int, end: int) -> bool:
    if rule.pre is not None and rule.pre.search(folded[max(0, start - 24) : start]):
        return False
    if rule.ctx is None and rule.neg is None:
        return True
    around = folded[max(0, start - rule.window) : start] + " " + folded[end : end + rule.window]
    if rule.ctx is not None and not rule.ctx.search(around):
        return False
    return not (rule.neg is not None and rule.neg.search(around))


@lru_cache(maxsize=8192)
def _find(text: str) -> tuple[Hit, ...]:
    cased = deaccent(text)
    folded = fold(text)
    found: list[tuple[int, int, int]] = []
    for m in _LEX.re_lower.finditer(folded):
        rule = _LEX.lower.get(_key(m.group(0)))
        if rule is not None and _accept(rule, folded, m.start(), m.end()):
            found.append((m.start(), m.end(), rule.skill))
    for m in _LEX.re_cased.finditer(cased):
        rule = _LEX.cased.get(_key(m.group(0)))
        if rule is not None and _accept(rule, folded, m.start(), m.end()):
            found.append((m.start(), m.end(), rule.skill))
    if _LEX.re_regex is not None:
        for m in _LEX.re_regex.finditer(folded):
            rule = _LEX.regex[int((m.lastgroup or "r0")[1:])][1]
            if _accept(rule, folded, m.start(), m.end()):
                found.append((m.start(), m.end(), rule.skill))
    # Where two aliases overlap, the longer wins ("React Native" over "React").
    found.sort(key=lambda t: (t[0], t[0] - t[1]))
    hits: list[Hit] = []
    last_end = -1
    for start, end, idx in found:
        if start >= last_end:
            skill = _LEX.skills[idx]
            hits.append(Hit(skill.name, skill.domain, start, end))
            last_end = end
    return tuple(hits)


def find_skills(text: str) -> list[Hit]:
    """Every lexicon skill mentioned in `text`, in order of appearance, overlaps resolved."""
    return list(_find(text or ""))


def skill_names(text: str) -> list[str]:
    """Canonical names found in `text`, unique, in order of first mention."""
    return list(dict.fromkeys(h.name for h in _find(text or "")))


def domain_of(name: str) -> str:
    """The lexicon domain of a canonical name ('' when it is not a lexicon skill)."""
    return _DOMAIN.get(name, "")


def is_soft(name: str) -> bool:
    """Soft skills count for less in a fit score: nearly every CV claims 'communication'."""
    return _DOMAIN.get(name) == "soft"


def expand(names: list[str] | tuple[str, ...]) -> list[str]:
    """Names plus everything they imply (EKS -> Kubernetes, AWS), in a stable order."""
    out = list(dict.fromkeys(names))
    i = 0
    while i < len(out):
        for implied in IMPLIES.get(out[i], ()):
            if implied not in out:
                out.append(implied)
        i += 1
    return out
