"""The ATS check: read-backs of PDF, DOCX and markdown, and what `check` finds in them.

PDFs here are written by hand (a few objects, Helvetica, a 2x2 image) so no browser is
needed; tests/integration/test_ats_files.py checks PDFs printed by Chromium.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace

import docx
import pytest
from docx.oxml import parse_xml
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

from pipeline.documents.ats import (
    AtsError,
    AtsReport,
    FontInfo,
    ReadBack,
    _embedded,
    check,
    compare,
    posting_from_text,
    read_docx,
    read_file,
    read_markdown,
    read_pdf,
)

POSTING = """# Data Engineer

## Requirements
- 3+ years of Python
- Kafka or Pulsar in production
- PostgreSQL

## Nice to have
- Terraform
"""

CV_MD = """# Jane Doe

London · jane.doe@example.com · +44 20 7946 0000

## Summary

Data engineer who builds **Python** services on PostgreSQL.

## Experience

### Data Engineer — Acme

*London · 2020 – 2024*

- Moved batch jobs to a Pulsar event stream.

## Education

BSc Mathematics, University of Leeds

## Skills

- Python, PostgreSQL, Pulsar, Terraform
"""


def rb(lines: list[str], **kw) -> ReadBack:
    return ReadBack(kind=kw.pop("kind", "pdf"), lines=lines, pages=kw.pop("pages", 1), **kw)


def posting(must: tuple[str, ...], nice: tuple[str, ...] = ()):
    """A posting with exactly these skill groups (the text reader is tested on its own below)."""
    return replace(posting_from_text(POSTING), must=must, nice=nice)


# ---------------------------------------------------------------- posting and coverage


def test_posting_from_text_reads_must_and_nice_groups():
    v = posting_from_text(POSTING)
    assert v.must == ("Python", "Kafka or Pulsar", "PostgreSQL")
    assert v.nice == ("Terraform",)


def test_a_group_counts_as_found_when_any_alternative_is_in_the_text():
    r = check(rb(["Jane Doe", "Python and Pulsar"]), posting=posting(("Python", "Kafka or Pulsar"), ("Terraform",)))
    assert r.found == ["Python", "Kafka or Pulsar"]
    assert r.missing == ["Terraform"] and r.missing_must == []
    assert (r.must_coverage, r.nice_coverage) == (100, 0)
    assert r.coverage == 80  # must-haves weigh 2: (2*2*100 + 1*0) / 5


def test_missing_must_haves_are_a_problem_and_lower_coverage():
    r = check(rb(["Jane Doe", "Python"]), posting=posting(("Python", "Kafka or Pulsar"), ("Terraform",)))
    assert r.missing_must == ["Kafka or Pulsar"]
    assert r.must_coverage == 50 and r.coverage == 40
    assert any("must-have skill from the posting is not in the file: Kafka or Pulsar" in p for p in r.problems)


def test_synonyms_and_word_forms_count_through_the_lexicon():
    r = check(rb(["Postgres and k8s"]), posting=posting(("PostgreSQL", "Kubernetes")))
    assert r.missing == [] and r.must_coverage == 100


def test_without_a_posting_coverage_is_none():
    r = check(read_markdown(CV_MD), source_markdown=CV_MD)
    assert (r.coverage, r.must_coverage, r.nice_coverage, r.found, r.missing) == (None, None, None, [], [])


def test_the_real_posting_against_the_markdown_cv():
    r = check(read_markdown(CV_MD), source_markdown=CV_MD, posting=posting_from_text(POSTING))
    assert r.coverage == 100 and r.missing == []
    assert r.problems == []


# ---------------------------------------------------------------- sections, order, contact, budget


def test_markdown_read_back_drops_markers_and_keeps_every_check_green():
    back = read_markdown(CV_MD)
    assert back.kind == "md" and back.pages is None
    assert back.lines[:3] == ["Jane Doe", "London · jane.doe@example.com · +44 20 7946 0000", "Summary"]
    assert "Data engineer who builds Python services on PostgreSQL." in back.lines
    assert "Moved batch jobs to a Pulsar event stream." in back.lines
    r = check(back, source_markdown=CV_MD)
    assert [s.heading for s in r.sections] == ["Summary", "Experience", "Education", "Skills"]
    assert all(s.recognised and s.found for s in r.sections) and r.order_ok
    assert r.contact == {"name": True, "email": True, "phone": True}
    assert r.fonts_embedded is None and r.problems == []


def test_an_unrecognised_heading_is_named_with_a_standard_one_to_use():
    md = CV_MD.replace("## Experience", "## Things I did")
    r = check(read_markdown(md), source_markdown=md)
    things = next(s for s in r.sections if s.heading == "Things I did")
    assert (things.kind, things.recognised, things.found) == ("other", False, True)
    assert "The heading 'Things I did' is not a standard section name: ATS may not file its contents (try 'Experience')" in r.problems


def test_common_extra_sections_are_recognised():
    md = CV_MD + "\n## Projects\n\n- A parser\n\n## Volunteering\n\n- Code club\n"
    r = check(read_markdown(md), source_markdown=md)
    assert {s.heading: s.kind for s in r.sections}["Projects"] == "projects"
    assert all(s.recognised for s in r.sections) and r.problems == []


def test_sections_read_in_another_order_are_reported():
    lines = [
        "Jane Doe",
        "jane@example.com +44 20 7946 0000",
        "SUMMARY",
        "text",
        "EDUCATION",
        "BSc",
        "EXPERIENCE",
        "role",
        "SKILLS",
        "Python",
    ]
    r = check(rb(lines), source_markdown=CV_MD)
    assert all(s.found for s in r.sections)
    assert r.order_ok is False
    assert any("different order" in p and "'Education' is read before 'Experience'" in p for p in r.problems)


def test_a_heading_missing_from_the_read_back_is_reported():
    lines = ["Jane Doe", "jane@example.com +44 20 7946 0000", "Summary", "Experience", "Education"]
    r = check(rb(lines), source_markdown=CV_MD)
    assert [s.found for s in r.sections] == [True, True, True, False]
    assert any(p.startswith("The heading 'Skills' is missing") for p in r.problems)


def test_without_a_source_the_files_own_headings_are_listed():
    lines = [
        "Jane Doe",
        "jane@example.com",
        "+44 20 7946 0000",
        "PROFILE",
        "Engineer.",
        "WORK EXPERIENCE",
        "Data Engineer at Acme",
        "SKILLS",
    ]
    r = check(rb(lines))
    assert [(s.heading, s.kind) for s in r.sections] == [("PROFILE", "summary"), ("WORK EXPERIENCE", "experience"), ("SKILLS", "skills")]
    assert r.order_ok and r.contact == {"name": True, "email": True, "phone": True}


def test_contact_details_missing_or_far_down_are_problems():
    filler = [f"Line {i} of the summary text." for i in range(20)]
    r = check(rb(["Jane Doe", "London", *filler, "Call +44 20 7946 0000"]), source_markdown=CV_MD)
    assert r.contact == {"name": True, "email": False, "phone": False}
    assert "Your e-mail address is not near the top" in r.problems
    assert "Your phone number is not near the top: an ATS reads it only further down" in r.problems
    r = check(rb(["jane.doe@example.com", "Summary"]), source_markdown=CV_MD)
    assert r.contact["name"] is False and "Your name is not near the top" in r.problems


def test_a_date_range_is_no_phone_number():
    assert check(rb(["Jane Doe", "2019 - 2023"])).contact["phone"] is False


def test_over_the_page_budget():
    r = check(rb(["Jane Doe"], pages=3), budget=2)
    assert r.over_budget and "3 pages: over your 2-page budget" in r.problems
    r = check(rb(["Jane Doe"], pages=2), budget=2)
    assert not r.over_budget and not any("budget" in p for p in r.problems)


def test_image_only_pages_fonts_ligatures_and_unmapped_glyphs():
    back = rb(
        ["Jane Doe", "Airﬂow and Python", "(cid:12)(cid:13)"], pages=2, image_only_pages=[2],
        fonts=[FontInfo("Arial", False), FontInfo("DejaVuSerif", True)],
    )  # fmt: skip
    r = check(back, posting=posting(("Airflow",)))
    assert r.found == ["Airflow"]  # a tolerant parser undoes the ligature...
    assert any("ligatures, e.g. 'Airﬂow'" in p and "Airflow may not be found" in p for p in r.problems)  # ...a strict one does not
    assert "Page 2 has only an image: its text is invisible to an ATS" in r.problems
    assert r.fonts_embedded is False and any(p.startswith("Font Arial is not embedded") for p in r.problems)
    assert any(p.startswith("2 characters come out as codes") for p in r.problems)


def test_an_empty_read_back_says_so():
    r = check(rb([]))
    assert r.problems[0].startswith("No text could be read from this file")


def test_skills_lost_in_export_are_named():
    lines = ["Jane Doe", "jane.doe@example.com +44 20 7946 0000", "Summary", "Experience", "Education", "Skills", "Python, PostgreSQL"]
    r = check(rb(lines), source_markdown=CV_MD)
    lost = next(p for p in r.problems if p.startswith("Skills in your CV that an ATS does not read from this file: "))
    assert "Pulsar" in lost and "Terraform" in lost and "Python" not in lost


def test_as_dict_is_json_ready_with_the_agreed_keys():
    r = check(read_markdown(CV_MD), source_markdown=CV_MD, posting=posting_from_text(POSTING), budget=1)
    d = json.loads(json.dumps(r.as_dict()))
    assert {"coverage", "found", "missing", "pages", "sections", "problems", "must_coverage", "nice_coverage", "contact"} <= set(d)
    assert d["sections"][0] == {"heading": "Summary", "kind": "summary", "recognised": True, "found": True}


def test_compare_master_and_tailored():
    p = posting(("Python", "Kafka or Pulsar"), ("Terraform",))
    master = check(rb(["Jane Doe", "Python and Terraform"]), posting=p)
    tailored = check(rb(["Jane Doe", "Python and Pulsar"]), posting=p)
    c = compare(master, tailored)
    assert c["coverage"] == {"before": master.coverage, "after": tailored.coverage, "change": tailored.coverage - master.coverage}
    assert c["must"] == {"before": 50, "after": 100, "change": 50}
    assert c["nice"] == {"before": 100, "after": 0, "change": -100}
    assert c["gained"] == ["Kafka or Pulsar"] and c["lost"] == ["Terraform"]
    assert c["labels"] == ["Overall", "Must-haves", "Nice-to-haves"] and c["before"] == [master.coverage, 50, 100]
    none = compare(check(rb(["x"])), check(rb(["y"])))
    assert none["coverage"] == {"before": None, "after": None, "change": None}


# ---------------------------------------------------------------- DOCX

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_VML_BOX = (
    f'<w:r {_W} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
    "<w:p><w:r><w:t>Kubernetes in a box</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
)
# What Word writes: a DrawingML text box with a VML copy of it under mc:Fallback.
_WORD_BOX = (
    f'<w:r {_W} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml">'
    '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>'
    "<w:p><w:r><w:t>Terraform sidebar</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Terraform sidebar</w:t></w:r></w:p>"
    "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)


def docx_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def cv_docx(*, phone_in_header: bool = False, skills_in_table: bool = False, text_box: bool = False) -> bytes:
    d = docx.Document()
    contact = "London · jane.doe@example.com"
    if phone_in_header:
        d.sections[0].header.paragraphs[0].text = "+44 20 7946 0000"
    else:
        contact += " · +44 20 7946 0000"
    d.sections[0].footer.paragraphs[0].text = "Page 1"
    d.add_heading("Jane Doe", 0)
    d.add_paragraph(contact)
    d.add_heading("Summary", 1)
    p = d.add_paragraph("Data engineer who builds Python services on PostgreSQL.")
    if text_box:
        p._p.append(parse_xml(_VML_BOX))
        p._p.append(parse_xml(_WORD_BOX))
    d.add_heading("Experience", 1)
    d.add_paragraph("Data Engineer — Acme")
    d.add_paragraph("Moved batch jobs to a Pulsar event stream.", style="List Bullet")
    d.add_heading("Education", 1)
    d.add_paragraph("BSc Mathematics, University of Leeds")
    d.add_heading("Skills", 1)
    if skills_in_table:
        t = d.add_table(rows=1, cols=2)
        t.cell(0, 0).text = "Tools"
        t.cell(0, 1).text = "Python, PostgreSQL, Pulsar, Terraform"
    else:
        d.add_paragraph("Python, PostgreSQL, Pulsar, Terraform")
    return docx_bytes(d)


def test_a_plain_docx_reads_back_in_body_order():
    back = read_docx(cv_docx())
    assert back.kind == "docx"
    assert back.lines[:4] == [
        "Jane Doe",
        "London · jane.doe@example.com · +44 20 7946 0000",
        "Summary",
        "Data engineer who builds Python services on PostgreSQL.",
    ]
    assert back.hidden_text == ["Page 1"] and back.hidden_places == ["page footer"]
    assert back.pages is None  # python-docx's template says "1 page, 0 words": statistics never updated
    r = check(back, source_markdown=CV_MD, posting=posting_from_text(POSTING))
    assert r.coverage == 100 and r.order_ok and all(s.found for s in r.sections)
    assert r.contact == {"name": True, "email": True, "phone": True}
    assert r.problems == ["Text in a page footer is skipped by many ATS ('Page 1'): move it into the body of the document"]


def test_a_phone_in_the_page_header_is_hidden_and_a_problem():
    back = read_docx(cv_docx(phone_in_header=True))
    assert "+44 20 7946 0000" in back.hidden_text
    assert back.hidden_places[back.hidden_text.index("+44 20 7946 0000")] == "page header"
    assert not any("7946" in ln for ln in back.lines)
    r = check(back, source_markdown=CV_MD)
    assert r.contact["phone"] is False
    assert "Your phone number is not near the top: it is in a page header, which many ATS skip" in r.problems
    assert any(p.startswith("Text in a page header is skipped by many ATS ('+44 20 7946 0000')") for p in r.problems)


def test_a_table_and_text_boxes_are_hidden_once_each():
    back = read_docx(cv_docx(skills_in_table=True, text_box=True))
    assert list(zip(back.hidden_text, back.hidden_places, strict=True))[:4] == [
        ("Kubernetes in a box", "text box"),
        ("Terraform sidebar", "text box"),  # the VML fallback copy is not counted again
        ("Tools", "table"),
        ("Python, PostgreSQL, Pulsar, Terraform", "table"),
    ]
    assert "Data engineer who builds Python services on PostgreSQL." in back.lines  # the box's text is not glued to it
    r = check(back, source_markdown=CV_MD, posting=posting_from_text(POSTING))
    assert r.missing == ["Terraform"]  # only in the table and a text box
    assert any(p.startswith("Text in a table is skipped by many ATS") for p in r.problems)
    assert any(p.startswith("Text in a text box is skipped by many ATS") for p in r.problems)
    assert any(p.startswith("Skills in your CV that an ATS does not read from this file: Terraform") for p in r.problems)


def test_docx_pages_come_from_app_xml_when_word_wrote_them():
    src = zipfile.ZipFile(io.BytesIO(cv_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/app.xml":
                data = data.replace(b"<Pages>1</Pages>", b"<Pages>3</Pages>").replace(b"<Words>0</Words>", b"<Words>512</Words>")
            dst.writestr(item, data)
    back = read_docx(out.getvalue())
    assert back.pages == 3
    assert "3 pages: over your 2-page budget" in check(back, budget=2).problems


# ---------------------------------------------------------------- PDF (hand-written, no browser)


def make_pdf(pages: list[list[str] | None]) -> bytes:
    """A small valid PDF: a list of text lines per page (Helvetica, not embedded), None for a page that is one image."""
    objs: dict[int, bytes] = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
    kids, n = [], 4
    for lines in pages:
        page_id, content_id, n = n, n + 1, n + 2
        if lines is None:
            raw = bytes([200, 30, 30]) * 4
            objs[n] = (
                b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length 12 >>\nstream\n"
            )
            objs[n] += raw + b"\nendstream"
            ops, res, n = b"q 200 0 0 200 100 500 cm /Im1 Do Q", f"<< /XObject << /Im1 {n} 0 R >> >>", n + 1
        else:
            ops = ("BT /F1 12 Tf 72 760 Td 14 TL " + " ".join(f"({ln}) '" for ln in lines) + " ET").encode("latin-1")
            res = "<< /Font << /F1 3 0 R >> >>"
        objs[content_id] = b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream"
        objs[page_id] = f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources {res} /Contents {content_id} 0 R >>".encode()
        kids.append(page_id)
    objs[2] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    out = io.BytesIO(b"%PDF-1.4\n")
    out.seek(0, io.SEEK_END)
    offsets = {}
    for i in sorted(objs):
        offsets[i] = out.tell()
        out.write(b"%d 0 obj\n" % i + objs[i] + b"\nendobj\n")
    xref, size = out.tell(), max(objs) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size + b"".join(b"%010d 00000 n \n" % offsets[i] for i in range(1, size)))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


PDF_LINES = ["Jane Doe", "jane.doe@example.com +44 20 7946 0000", "Experience", "Python and Kafka"]


def test_read_pdf_lines_fonts_and_an_image_only_page():
    back = read_pdf(make_pdf([PDF_LINES, None]))
    assert back.lines == PDF_LINES and back.pages == 2
    assert back.fonts == [FontInfo("Helvetica", False)] and back.image_only_pages == [2]
    r = check(back)
    assert r.fonts_embedded is False
    assert "Page 2 has only an image: its text is invisible to an ATS" in r.problems
    assert any(p.startswith("Font Helvetica is not embedded") for p in r.problems)
    assert r.contact == {"name": True, "email": True, "phone": True}


def font(**entries) -> DictionaryObject:
    d = DictionaryObject()
    for k, v in entries.items():
        d[NameObject("/" + k)] = v
    return d


def test_embedded_fonts_by_descriptor_descendants_and_type3():
    with_file = font(Subtype=NameObject("/TrueType"), FontDescriptor=font(FontFile2=NumberObject(0)))
    without = font(Subtype=NameObject("/TrueType"), FontDescriptor=font(Flags=NumberObject(32)))
    assert _embedded(with_file) and not _embedded(without)
    assert not _embedded(font(Subtype=NameObject("/Type1")))  # a standard font: no descriptor at all
    assert _embedded(font(Subtype=NameObject("/Type0"), DescendantFonts=ArrayObject([with_file])))
    assert not _embedded(font(Subtype=NameObject("/Type0"), DescendantFonts=ArrayObject([without])))
    assert _embedded(font(Subtype=NameObject("/Type3")))
    assert _embedded(font(Subtype=NameObject("/Type1"), FontDescriptor=font(FontFile3=NumberObject(0))))


def encrypted(data: bytes, user_password: str) -> bytes:
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    w.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def test_a_pdf_with_only_an_owner_password_is_read_and_flagged():
    back = read_pdf(encrypted(make_pdf([PDF_LINES]), ""))
    assert back.lines == PDF_LINES and back.encrypted
    assert any(p.startswith("This PDF is encrypted (copy protection)") for p in check(back).problems)
    assert read_pdf(make_pdf([PDF_LINES])).encrypted is False


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\x00\x01garbage" * 50, "not a PDF"),
        (b"%PDF-1.4\n%garbage only", "damaged"),
        (make_pdf([PDF_LINES])[:300], "damaged"),
        ("encrypted", "password-protected"),
    ],
    ids=["empty", "garbage", "header-only", "truncated", "encrypted"],
)
def test_broken_or_encrypted_pdfs_are_a_plain_ats_error(data, words):
    if data == "encrypted":
        data = encrypted(make_pdf([PDF_LINES]), "secret")
    with pytest.raises(AtsError) as info:
        read_file(data, ".pdf")
    msg = str(info.value)
    assert msg.startswith("This PDF could not be read: ") and words in msg
    assert "Traceback" not in msg and isinstance(info.value, ValueError)


def test_read_file_dispatches_and_refuses_other_files():
    assert read_file(make_pdf([PDF_LINES]), ".PDF").kind == "pdf"
    assert read_file(cv_docx(), ".docx").kind == "docx"
    assert read_file(CV_MD.encode(), ".md").lines[0] == "Jane Doe"
    with pytest.raises(AtsError, match="could not be read: it is damaged or not a .docx"):
        read_file(b"PK\x03\x04 not really a zip", ".docx")
    with pytest.raises(AtsError, match="not UTF-8"):
        read_file(b"\xff\xfe\xfa broken", ".md")
    with pytest.raises(AtsError, match=r"Files ending in '\.odt' cannot be checked"):
        read_file(b"whatever", ".odt")


def test_report_type_is_the_dataclass():
    assert isinstance(check(rb(["Jane Doe"])), AtsReport)
