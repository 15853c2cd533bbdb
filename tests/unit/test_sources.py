"""Job-import parsers: files (CSV/JSON), pasted postings, MongoDB documents."""

from __future__ import annotations

import codecs
import csv
import json
import os

import mongomock
import pymongo.errors
import pytest

from pipeline.settings import settings
from pipeline.sources.base import JobIn, ParseResult, SourceError
from pipeline.sources.files import parse_file
from pipeline.sources.mongo import fetch_mongo_jobs, parse_mongo_documents, redact
from pipeline.sources.paste import parse_paste


def titles(result: ParseResult) -> list[str]:
    return [job.title for _, job in result.rows]


def lines(result: ParseResult) -> list[int]:
    return [line for line, _ in result.rows]


def errors(result: ParseResult) -> dict[int, str]:
    return {e.line: e.error for e in result.errors}


# ---------------------------------------------------------------------- JSON


def test_json_list_of_objects() -> None:
    data = json.dumps(
        [
            {"title": "Data Engineer", "company": "Acme", "location": "Berlin", "url": "https://a.example/1",
             "description": "Build pipelines.", "external_id": "A-1", "status": "shortlisted", "tags": ["python", "sql"]},
            {"title": "  Analyst  ", "company": "Beta"},
        ]
    ).encode()
    result = parse_file(data, "jobs.json")
    assert result.errors == []
    assert lines(result) == [1, 2]
    job = result.rows[0][1]
    assert (job.source, job.external_id, job.title, job.company, job.location) == (
        "file", "A-1", "Data Engineer", "Acme", "Berlin")
    assert job.url == "https://a.example/1" and job.description == "Build pipelines."
    assert job.status == "shortlisted" and job.tags == ["python", "sql"]
    assert result.rows[1][1].title == "Analyst"


@pytest.mark.parametrize("wrapper", ["jobs", "items", "data", "results", "Jobs"])
def test_json_wrapped_list(wrapper: str) -> None:
    data = json.dumps({"count": 2, wrapper: [{"title": "A"}, {"title": "B"}]}).encode()
    assert titles(parse_file(data, "export.json")) == ["A", "B"]


def test_json_single_object_is_one_job() -> None:
    assert titles(parse_file(b'{"title": "Solo"}', "one.json")) == ["Solo"]


def test_json_object_without_jobs_list_is_source_error() -> None:
    with pytest.raises(SourceError, match="found keys: meta, total"):
        parse_file(b'{"meta": {}, "total": 3}', "x.json")


def test_json_aliases_case_insensitive_and_numbers_become_strings() -> None:
    data = json.dumps(
        [
            {"Job_Title": "Engineer", "EMPLOYER": "Acme", "City": "Oslo", "apply_url": "https://x.example",
             "JD": "Text", "jobId": 42, "Status": "ready for applying", "tags": "a, b ,,c"},
            {"position": "Designer", "company_name": "Beta", "link": "https://y.example", "job_id": 7.0},
            {"role": "PM", "organization": "Gamma", "place": "Remote", "_id": {"$oid": "65f0c0ffee"}},
            {"name": "Dev", "reference": "R-9", "summary": "S"},
        ]
    ).encode()
    result = parse_file(data, "aliases.json")
    assert result.errors == []
    a, b, c, d = (job for _, job in result.rows)
    assert (a.title, a.company, a.location, a.url, a.description) == ("Engineer", "Acme", "Oslo", "https://x.example", "Text")
    assert a.external_id == "42" and a.status == "ready" and a.tags == ["a", "b", "c"]
    assert (b.title, b.company, b.url, b.external_id) == ("Designer", "Beta", "https://y.example", "7")
    assert (c.title, c.company, c.location, c.external_id) == ("PM", "Gamma", "Remote", "65f0c0ffee")
    assert (d.title, d.external_id, d.description) == ("Dev", "R-9", "S")


def test_json_first_alias_wins_and_blank_aliases_are_skipped() -> None:
    data = json.dumps([{"title": "", "job_title": "Real title", "id": "1", "jobId": 2}]).encode()
    job = parse_file(data, "x.json").rows[0][1]
    assert job.title == "Real title" and job.external_id == "1"


def test_json_bad_elements_are_row_errors_with_index() -> None:
    data = json.dumps(
        [{"title": "Good"}, "not an object", {"company": "No title"}, [1, 2], {"title": "x" * 301}, {"title": "Also good"}]
    ).encode()
    result = parse_file(data, "mixed.json")
    assert titles(result) == ["Good", "Also good"]
    assert lines(result) == [1, 6]
    errs = errors(result)
    assert set(errs) == {2, 3, 4, 5}
    assert "got a string" in errs[2]
    assert errs[3] == "title is missing or blank"
    assert "got a list" in errs[4]
    assert errs[5] == "title is 301 characters; the limit is 300"


def test_json_wrong_type_field_is_row_error_naming_field() -> None:
    result = parse_file(json.dumps([{"title": "T", "company": {"name": "Acme", "x": 1}}]).encode(), "x.json")
    assert result.rows == []
    assert "company" in result.errors[0].error


def test_json_syntax_error_reports_line_and_column() -> None:
    with pytest.raises(SourceError, match=r"not valid JSON: .* at line 3, column \d+"):
        parse_file(b'[\n  {"title": "A"},\n  {"title": "B",}\n]', "broken.json")


def test_json_lines_mongoexport_style() -> None:
    data = (
        b'{"_id": {"$oid": "abc"}, "jobId": {"$numberLong": "5"}, "title": "A"}\n'
        b"\n"
        b'{"title": "B"\n'
        b'{"title": "C", "jobId": 6}\n'
    )
    result = parse_file(data, "export.jsonl")
    assert [(line, job.title, job.external_id) for line, job in result.rows] == [(1, "A", "5"), (4, "C", "6")]
    assert list(errors(result)) == [3]


def test_empty_json_list_is_source_error() -> None:
    with pytest.raises(SourceError, match="no jobs"):
        parse_file(b"[]", "empty.json")


def test_json_extension_with_csv_content_is_source_error() -> None:
    with pytest.raises(SourceError, match="does not contain JSON"):
        parse_file(b"title\nA\n", "jobs.json")


def test_json_content_wins_over_csv_extension() -> None:
    assert titles(parse_file(b'  \n[{"title": "A"}]', "jobs.csv")) == ["A"]


# ----------------------------------------------------------------------- CSV


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters(delimiter: str) -> None:
    rows = [["title", "company", "location", "description"],
            ["Data Engineer", "Acme, Inc", "Berlin", "Pipelines; lots of them"],
            ["Analyst", "Beta", "Oslo", "Numbers, charts"]]
    text = "\n".join(delimiter.join(f'"{c}"' if delimiter in c or "," in c or ";" in c else c for c in row)
                     for row in rows) + "\n"
    result = parse_file(text.encode(), "jobs.csv")
    assert result.errors == []
    assert titles(result) == ["Data Engineer", "Analyst"]
    assert result.rows[0][1].company == "Acme, Inc"
    assert result.rows[0][1].description == "Pipelines; lots of them"
    assert lines(result) == [2, 3]


def test_csv_header_aliases_with_spaces_and_case() -> None:
    text = "Job Title;Company Name;City;Job URL;Job Description;Job ID;Status;Tags\n" \
           "Engineer;Acme;Paris;https://x.example;Do things;J-1;Applied;a,b\n"
    job = parse_file(text.encode(), "export.txt").rows[0][1]
    assert (job.title, job.company, job.location, job.url, job.description, job.external_id, job.status, job.tags) == (
        "Engineer", "Acme", "Paris", "https://x.example", "Do things", "J-1", "applied", ["a", "b"])


def test_csv_quoted_multiline_fields_keep_physical_line_numbers() -> None:
    text = (
        "title,company,description\r\n"              # line 1
        'A,Acme,"first line\r\nsecond line\r\nthird"\r\n'  # lines 2-4
        "\r\n"                                          # line 5 (blank, skipped)
        ',NoTitle,"x\ny"\r\n'                           # lines 6-7 (bad)
        "B,Beta,plain\r\n"                              # line 8
        'C,Gamma,"ends ""quoted""\nhere"\r\n'           # lines 9-10
        "D,Delta,last"                                  # line 11, no final newline
    )
    result = parse_file(text.encode(), "multi.csv")
    assert [(line, job.title) for line, job in result.rows] == [(2, "A"), (8, "B"), (9, "C"), (11, "D")]
    assert result.rows[0][1].description == "first line\r\nsecond line\r\nthird"
    assert result.rows[2][1].description == 'ends "quoted"\nhere'
    assert errors(result) == {6: "title is missing or blank"}


def test_csv_bad_rows_reported_good_rows_imported() -> None:
    text = (
        "title,company,url\n"
        "Good one,Acme,https://a.example\n"
        "   ,Beta,https://b.example\n"
        "Too many,Gamma,https://c.example,extra\n"
        "Trailing empty cells are fine,Delta,,,\n"
        f"Long company,{'c' * 201},\n"
        "Short row\n"
    )
    result = parse_file(text.encode(), "jobs.csv")
    assert [(line, job.title) for line, job in result.rows] == [
        (2, "Good one"), (5, "Trailing empty cells are fine"), (7, "Short row")]
    errs = errors(result)
    assert errs[3] == "title is missing or blank"
    assert "4 cells but the header has 3 columns" in errs[4]
    assert errs[6] == "company is 201 characters; the limit is 200"


def test_csv_huge_description_is_row_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "max_import_bytes", 1_000_000)
    big = "x" * 250_000  # beyond the csv module's default 131,072 field limit
    text = f'title,description\nBig,"{big}"\nSmall,ok\n'
    result = parse_file(text.encode(), "big.csv")
    assert titles(result) == ["Small"]
    assert errors(result) == {2: "description is 250,000 characters; the limit is 100,000"}


def test_csv_missing_title_column() -> None:
    with pytest.raises(SourceError) as exc:
        parse_file(b"company;location\nAcme;Berlin\n", "jobs.csv")
    msg = str(exc.value)
    assert "missing required column 'title'" in msg
    assert "found columns: 'company', 'location'" in msg


def test_csv_header_only_is_source_error() -> None:
    with pytest.raises(SourceError, match="no jobs"):
        parse_file(b"title,company\n\n", "jobs.csv")


def test_csv_single_column() -> None:
    assert titles(parse_file(b"Title\nOne\nTwo\n", "t.csv")) == ["One", "Two"]


def test_csv_delimiter_chosen_by_title_column_when_sniffer_is_misled() -> None:
    # Sniffer guesses ';' from the '";"' runs; only tab gives a title column.
    text = 'title\tdescription\nA\t"x";"y"\nB\t"p";"q"\n'
    assert csv.Sniffer().sniff(text, delimiters=",;\t").delimiter == ";"
    result = parse_file(text.encode(), "x.tsv")
    assert result.errors == []
    assert [(j.title, j.description) for _, j in result.rows] == [("A", 'x;"y"'), ("B", 'p;"q"')]


# ------------------------------------------------------------------ encodings


def test_cp1252_file_imports_readable_text() -> None:
    data = "title;company;location\nDéveloppeur – Senior;Café “Crème”;Zürich\n".encode("cp1252")
    job = parse_file(data, "legacy.csv").rows[0][1]
    assert (job.title, job.company, job.location) == ("Développeur – Senior", "Café “Crème”", "Zürich")


def test_mixed_utf8_and_cp1252_lines() -> None:
    data = "title,company\nMünchen job,Ä GmbH\n".encode() + "Köln job,Ö AG\n".encode("cp1252")
    assert titles(parse_file(data, "mixed.csv")) == ["München job", "Köln job"]


def test_cp1252_undefined_byte_does_not_crash() -> None:
    job = parse_file(b"title\nOdd \x81 byte\n", "odd.csv").rows[0][1]
    assert job.title == "Odd \ufffd byte"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_bom_files(encoding: str) -> None:
    text = "title\tcompany\nIngénieur\tSociété\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    result = parse_file(data, "export.txt")
    assert [(j.title, j.company) for _, j in result.rows] == [("Ingénieur", "Société")]


def test_utf8_bom_json() -> None:
    assert titles(parse_file(codecs.BOM_UTF8 + b'[{"title": "A"}]', "x.json")) == ["A"]


# ------------------------------------------------------------- whole-file errors


def test_empty_file() -> None:
    with pytest.raises(SourceError, match="File is empty"):
        parse_file(b"", "x.csv")
    with pytest.raises(SourceError, match="File is empty"):
        parse_file(b" \r\n\t\n", "x.csv")
    with pytest.raises(SourceError, match="File is empty"):
        parse_file(codecs.BOM_UTF8, "x.csv")


def test_oversized_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "max_import_bytes", 10 * 1024 * 1024)
    data = b"title\n" + b"x" * int(12.3 * 1024 * 1024)
    with pytest.raises(SourceError, match=r"^File is 12\.3 MB; the limit is 10 MB\.$"):
        parse_file(data, "big.csv")


def test_oversized_small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "max_import_bytes", 100)
    with pytest.raises(SourceError, match="File is 1.1 KB; the limit is 100 bytes"):
        parse_file(b"title\n" + b"x" * 1120, "big.csv")
    assert titles(parse_file(b"title\nok\n", "small.csv")) == ["ok"]


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"\x00\x01\x02title\x00\xff\xfe\x00" * 20, "binary data"),
        (bytes(range(1, 32)) * 50, "binary data"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 50, "ZIP archive"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image"),
    ],
)
def test_binary_file_is_source_error(data: bytes, expected: str) -> None:
    with pytest.raises(SourceError, match=expected):
        parse_file(data, "upload.csv")


def test_too_many_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "max_import_rows", 3)
    assert len(parse_file(b"title\na\nb\nc\n", "ok.csv").rows) == 3
    with pytest.raises(SourceError, match="more than 3 rows; the limit is 3"):
        parse_file(b"title\na\nb\nc\nd\n", "many.csv")
    with pytest.raises(SourceError, match="File has 4 rows; the limit is 3"):
        parse_file(json.dumps([{"title": t} for t in "abcd"]).encode(), "many.json")


def test_source_argument_is_used() -> None:
    result = parse_file(b"title\nA\n", "a.csv", source="demo")
    assert result.rows[0][1].source == "demo"


# --------------------------------------------------------------------- paste


def test_paste_first_short_line_is_title() -> None:
    text = "\n\n## Senior Data Engineer\n\nWe build pipelines at scale. " + "More text. " * 30
    job = parse_paste(text)
    assert isinstance(job, JobIn)
    assert (job.title, job.company, job.source, job.external_id) == ("Senior Data Engineer", "", "paste", "")
    assert job.description == text.strip()


def test_paste_labels_for_company_location_url() -> None:
    text = (
        "**Backend Developer**\n"
        "Company: Acme Robotics\n"
        "Location: Berlin, Germany (hybrid)\n"
        "Apply: https://acme.example/jobs/1\n"
        "You will build APIs."
    )
    job = parse_paste(text)
    assert (job.title, job.company, job.location, job.url) == (
        "Backend Developer", "Acme Robotics", "Berlin, Germany (hybrid)", "https://acme.example/jobs/1")


def test_paste_title_at_company() -> None:
    job = parse_paste("Machine Learning Engineer at DeepThings (Remote)\n\nAbout the role ...")
    assert (job.title, job.company) == ("Machine Learning Engineer", "DeepThings")


def test_paste_is_hiring_line() -> None:
    job = parse_paste("Globex is hiring a Platform Engineer!\nJoin us to ...")
    assert (job.title, job.company) == ("Platform Engineer", "Globex")
    job = parse_paste("Site Reliability Engineer\n\nInitech is hiring. Apply now.")
    assert (job.title, job.company) == ("Site Reliability Engineer", "Initech")


def test_paste_skips_generic_headings_and_labels() -> None:
    job = parse_paste("About the job\nJob title: Staff Engineer\nEmployer: Hooli\nWhat you'll do: ...")
    assert (job.title, job.company) == ("Staff Engineer", "Hooli")


def test_paste_explicit_fields_win() -> None:
    job = parse_paste("Engineer at Acme\nCompany: Acme\nLocation: Paris", title="Lead Engineer at Acme",
                      company="Acme SA", url=" https://x.example ", location="Lyon")
    assert (job.title, job.company, job.url, job.location) == ("Lead Engineer at Acme", "Acme SA", "https://x.example", "Lyon")


def test_paste_given_company_is_stripped_from_guessed_title() -> None:
    assert parse_paste("Data Analyst at Acme\nbody", company="acme").title == "Data Analyst"
    assert parse_paste("Data Analyst at Scale Corp\nbody", company="Other").title == "Data Analyst at Scale Corp"


def test_paste_is_deterministic() -> None:
    text = "Engineer @ Acme\nLocation: Remote\nbody"
    assert parse_paste(text) == parse_paste(text)


def test_paste_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SourceError, match="empty"):
        parse_paste("  \n\t ")
    with pytest.raises(SourceError, match="Could not find a job title"):
        parse_paste("x" * 500 + "\n" + "y" * 400)
    monkeypatch.setattr(settings, "max_description_chars", 50)
    with pytest.raises(SourceError, match="60 characters; the limit is 50"):
        parse_paste("Title\n" + "z" * 54)
    with pytest.raises(SourceError, match="title is 301 characters; the limit is 300"):
        parse_paste("short body", title="t" * 301)


# --------------------------------------------------------------------- mongo


ORIGINAL_DOCS = [
    {"jobId": 101, "title": "Data Engineer", "company": "Acme", "job_description": "Pipelines",
     "location": "Berlin", "url": "https://acme.example/101", "status": "ready for applying",
     "pain_points": ["x"], "fit_score": 8},
    {"jobId": 102.0, "title": "Analyst", "company": "Beta", "status": "not interested"},
    {"title": "No job id", "company": "Gamma"},
    {"jobId": 104, "company": "Missing title"},
    {"jobId": 105, "title": "Weird status", "status": "someday"},
]


def test_parse_mongo_documents_mapping() -> None:
    docs = [dict(d, _id=f"oid{i}") for i, d in enumerate(ORIGINAL_DOCS)]
    result = parse_mongo_documents(docs)
    assert errors(result) == {4: "title is missing or blank"}
    by_line = dict(result.rows)
    a = by_line[1]
    assert (a.source, a.external_id, a.title, a.company, a.description, a.location, a.url, a.status) == (
        "mongo", "101", "Data Engineer", "Acme", "Pipelines", "Berlin", "https://acme.example/101", "ready")
    assert (by_line[2].external_id, by_line[2].status) == ("102", "archived")
    assert by_line[3].external_id == "oid2"
    assert by_line[5].status is None


def test_parse_mongo_documents_huge_description(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "max_description_chars", 10)
    result = parse_mongo_documents([{"jobId": 1, "title": "T", "job_description": "d" * 11}])
    assert errors(result) == {1: "description is 11 characters; the limit is 10"}


def test_fetch_mongo_jobs_with_mongomock() -> None:
    client = mongomock.MongoClient()
    coll = client["jobs"]["level-2"]
    inserted = coll.insert_many([dict(d) for d in ORIGINAL_DOCS]).inserted_ids
    result = fetch_mongo_jobs(uri="mongodb://localhost", client_factory=lambda uri: client)
    assert titles(result) == ["Data Engineer", "Analyst", "No job id", "Weird status"]
    assert [job.external_id for _, job in result.rows] == ["101", "102", str(inserted[2]), "105"]
    assert result.rows[0][1].status == "ready"
    assert lines(result) == [1, 2, 3, 5] and list(errors(result)) == [4]


def test_fetch_mongo_jobs_settings_defaults_and_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    client = mongomock.MongoClient()
    monkeypatch.setattr(settings, "mongodb_uri", "mongodb://configured")
    monkeypatch.setattr(settings, "mongodb_database", "legacy")
    monkeypatch.setattr(settings, "mongodb_collection", "postings")
    client["legacy"]["postings"].insert_many([{"jobId": i, "title": f"Job {i}"} for i in range(5)])
    seen: list[str] = []

    def factory(uri: str) -> mongomock.MongoClient:
        seen.append(uri)
        return client

    assert titles(fetch_mongo_jobs(client_factory=factory, limit=2)) == ["Job 0", "Job 1"]
    assert seen == ["mongodb://configured"]
    monkeypatch.setattr(settings, "max_import_rows", 4)
    with pytest.raises(SourceError, match="more than 4 jobs"):
        fetch_mongo_jobs(client_factory=factory)


def test_fetch_mongo_jobs_empty_collection() -> None:
    client = mongomock.MongoClient()
    with pytest.raises(SourceError, match="jobs.level-2 has no jobs"):
        fetch_mongo_jobs(uri="mongodb://x", client_factory=lambda uri: client)


def test_fetch_mongo_jobs_without_uri(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "mongodb_uri", None)
    with pytest.raises(SourceError, match="MONGODB_URI is not set"):
        fetch_mongo_jobs(client_factory=lambda uri: mongomock.MongoClient())


def test_unreachable_server_message_has_no_password() -> None:
    uri = "mongodb://jobuser:s3cr3tPass@db.example.com:27017/jobs?authSource=admin"

    def factory(uri: str) -> object:
        raise pymongo.errors.ServerSelectionTimeoutError(
            f"db.example.com:27017: timed out (while connecting to {uri}), password s3cr3tPass")

    with pytest.raises(SourceError) as exc:
        fetch_mongo_jobs(uri=uri, client_factory=factory)
    msg = str(exc.value)
    assert "s3cr3tPass" not in msg and "jobuser:" not in msg
    assert "db.example.com:27017" in msg and "MongoDB" in msg


def test_server_error_during_read_is_source_error() -> None:
    class FailingCollection:
        full_name = "jobs.level-2"

        def find(self, *args: object, **kwargs: object) -> object:
            raise pymongo.errors.ServerSelectionTimeoutError("db.example.com:27017: connection refused")

    class FailingClient(dict):
        def __getitem__(self, name: str) -> dict:
            return {"level-2": FailingCollection()}

    with pytest.raises(SourceError, match=r"^Could not read jobs from MongoDB at mongodb\+srv://\*\*\*@cluster"):
        fetch_mongo_jobs(uri="mongodb+srv://u:p%40ss@cluster.example.net/", client_factory=lambda uri: FailingClient())


def test_redact() -> None:
    assert redact("mongodb://a:b@h/x and mongodb+srv://user@h2") == "mongodb://***@h/x and mongodb+srv://***@h2"
    assert redact("auth failed, pw=hunter2", "mongodb://me:hunter2@h") == "auth failed, pw=***"


@pytest.mark.skipif(not os.environ.get("MONGODB_URI"), reason="MONGODB_URI is not set: no real MongoDB to read from")
def test_fetch_from_real_mongodb() -> None:
    result = fetch_mongo_jobs(uri=os.environ["MONGODB_URI"], limit=5)
    assert 0 < len(result.rows) + len(result.errors) <= 5
    assert all(job.source == "mongo" and job.title for _, job in result.rows)
