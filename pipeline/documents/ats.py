"""An ATS check of an exported CV: what an applicant tracking system reads back from the file.

Why read the exported file and not the markdown: what a screener's software sees is the
text layer of the PDF or the body of the DOCX, and export can lose things the editor
shows (text in a page header, a table or a text box, a page that is only an image, a font
that maps glyphs to nothing, letters joined into ligatures). `read_*` turns a file into a
`ReadBack` (the lines a plain parser gets, plus what it skips); `check` measures it against
the posting's skills, the CV's own section headings and contact details, and the page
budget, and says every failed check in plain words.

Skill matching, section names and contact patterns come from `pipeline.text` and the
profile reader, so this check agrees with the fit score and the profile editor.
"""

from __future__ import annotations

import io
import logging
import math
import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field

from pipeline.profile.structure import _EMAIL, _PHONE
from pipeline.text.analysis import content_stems, join_words
from pipeline.text.cv import BULLET, DATE_RANGE, is_date_line, parse_cv, section_kind, strip_md
from pipeline.text.fit import SOFT_SKILL_WEIGHT, coverage
from pipeline.text.lexicon import fold, is_soft, skill_names
from pipeline.text.posting import PostingView, analyse

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # it warns about every font without a bounding box
logging.getLogger("pypdf").setLevel(logging.ERROR)  # repairs of a damaged file are not the user's business

MUST_WEIGHT = 2  # a must-have counts twice a nice-to-have in the overall coverage
NICE_WEIGHT = 1
TOP_LINES = 8  # contact details belong in the first lines...
TOP_SHARE = 0.15  # ...or the first 15% of a long read-back, whichever is more
MAX_LISTED = 8  # terms named in one problem sentence

# Standard CV sections that `section_kind` does not sort into a kind of its own; ATS parsers
# know them too, so naming one is no problem.
_MORE_KINDS = (
    ("projects", r"projects?|projekte|proyectos|projets"),
    ("publications", r"publications?|papers|veroffentlichungen|publicaciones"),
    ("awards", r"awards?|honou?rs|achievements?|auszeichnungen|premios"),
    ("volunteering", r"volunteer\w*|ehrenamt\w*|voluntariado"),
    ("interests", r"interests|hobbies|interessen|intereses"),
    ("references", r"references|referenzen|referencias"),
    ("contact", r"contact|kontakt|contacto"),
    ("courses", r"courses|kurse|cursos"),
)
_SUGGEST = {"experience": "Experience", "skills": "Skills", "education": "Education", "summary": "Summary"}
_LIGATURES = re.compile("[\ufb00-\ufb06]")
_CID = re.compile(r"\(cid:\d+\)")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_DEGREE = re.compile(r"\b(?:bsc|msc|ba|ma|mba|phd|bachelor|master|degree|diploma|university|college|school|universitat|universidad)\b")


class AtsError(ValueError):
    """A file the check cannot read; the message is for the user, never a traceback."""


# ---------------------------------------------------------------- read-back


@dataclass
class FontInfo:
    name: str
    embedded: bool


@dataclass
class ReadBack:
    """What a parser gets out of the file."""

    kind: str  # "pdf" | "docx" | "md"
    lines: list[str]  # text lines in reading order (non-empty)
    pages: int | None  # None for md; docx: docProps/app.xml <Pages> when present
    fonts: list[FontInfo] = field(default_factory=list)  # pdf only
    image_only_pages: list[int] = field(default_factory=list)  # 1-based (pdf)
    hidden_text: list[str] = field(default_factory=list)  # docx: header/footer/table/text-box text parsers skip
    hidden_places: list[str] = field(default_factory=list)  # where each hidden_text entry sits ("page header", "table"...)
    encrypted: bool = False  # pdf: opens without a password but carries copy protection, which some ATS refuse


def _short(exc: BaseException, limit: int = 120) -> str:
    msg = " ".join(str(exc).split()) or type(exc).__name__
    return msg if len(msg) <= limit else msg[: limit - 1] + "…"


def _resources(obj) -> dict:
    res = obj.get("/Resources")
    res = res.get_object() if res is not None else None
    return res if isinstance(res, dict) else {}


def _walk_resources(res: dict, fonts: dict[str, bool], seen: set[int], depth: int = 0) -> bool:
    """Fonts (name -> embedded) of one resource dict and its form XObjects; True when an image is drawn from it."""
    has_image = False
    font_dict = res.get("/Font")
    for ref in (font_dict.get_object() if font_dict is not None else {}).values():
        font = ref.get_object()
        name = str(font.get("/BaseFont", font.get("/Name", "unnamed"))).lstrip("/")
        name = name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name  # subset prefix
        fonts[name] = fonts.get(name, True) and _embedded(font)
    xobjects = res.get("/XObject")
    for ref in (xobjects.get_object() if xobjects is not None else {}).values():
        xo = ref.get_object()
        sub = xo.get("/Subtype")
        if sub == "/Image":
            has_image = True
        elif sub == "/Form" and depth < 8:
            key = getattr(ref, "idnum", id(xo))
            if key not in seen:
                seen.add(key)
                has_image |= _walk_resources(_resources(xo), fonts, seen, depth + 1)
    return has_image


def _embedded(font) -> bool:
    """A font is embedded when its descriptor carries the font program (Type3 glyphs live in the PDF itself)."""
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        descendants = font.get("/DescendantFonts")
        descendants = descendants.get_object() if descendants is not None else []
        return bool(descendants) and all(_embedded(d.get_object()) for d in descendants)
    desc = font.get("/FontDescriptor")
    desc = desc.get_object() if desc is not None else None
    return bool(desc) and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def _pdf_lines(data: bytes) -> list[list[str]]:
    """Text lines of every page in pdfminer's reading order (its default layout analysis, as a plain parser reads)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextLine

    def walk(obj, out: list[str]) -> None:
        if isinstance(obj, LTTextLine):
            text = " ".join(obj.get_text().split())
            if text:
                out.append(text)
            return
        if hasattr(obj, "__iter__"):
            for child in obj:
                walk(child, out)

    pages: list[list[str]] = []
    for page in extract_pages(io.BytesIO(data), laparams=LAParams(all_texts=True)):
        lines: list[str] = []
        walk(page, lines)
        pages.append(lines)
    return pages


def read_pdf(data: bytes) -> ReadBack:
    """Lines in reading order (pdfminer), fonts and image-only pages (pypdf)."""
    from pypdf import PdfReader

    if not data.strip():
        raise AtsError("This PDF could not be read: the file is empty.")
    if b"%PDF-" not in data[:1024]:
        raise AtsError("This PDF could not be read: the file is not a PDF (it does not start with %PDF).")
    try:
        reader = PdfReader(io.BytesIO(data))
        locked = reader.is_encrypted
        if locked and not reader.decrypt(""):
            raise AtsError(
                "This PDF could not be read: it is password-protected, and an ATS cannot open it either. Save it without a password."
            )
        fonts: dict[str, bool] = {}
        with_images: list[int] = []
        for number, page in enumerate(reader.pages, start=1):
            if _walk_resources(_resources(page), fonts, set()):
                with_images.append(number)
        total = len(reader.pages)
    except AtsError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds for a damaged file; the user gets one plain sentence
        word = "it is encrypted and cannot be opened" if re.search(r"(?i)password|encrypt", str(exc)) else f"it is damaged ({_short(exc)})"
        raise AtsError(f"This PDF could not be read: {word}. Export it again.") from None
    if total == 0:
        raise AtsError("This PDF could not be read: it has no pages.")
    try:
        pages = _pdf_lines(data)
    except Exception as exc:  # noqa: BLE001 - pdfminer's errors (PSException, PDFSyntaxError, struct.error...) share no base
        raise AtsError(f"This PDF could not be read: its text layer is damaged ({_short(exc)}). Export it again.") from None
    image_only = [n for n in with_images if n <= len(pages) and not any(ln.strip() for ln in pages[n - 1])]
    return ReadBack(
        kind="pdf", lines=[ln for p in pages for ln in p], pages=total,
        fonts=[FontInfo(name, emb) for name, emb in fonts.items()], image_only_pages=image_only, encrypted=locked,
    )  # fmt: skip


def _text_of(element, skip: tuple = ()) -> str:
    """A paragraph's words (tabs and breaks kept as whitespace), leaving out anything under `skip` elements."""
    parts = []
    for t in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if skip and any(a in skip for a in t.iterancestors()):
            continue
        parts.append(t.text or "" if t.tag == f"{_W}t" else "\n" if t.tag in (f"{_W}br", f"{_W}cr") else "\t")
    return "".join(parts)


def _para_lines(element) -> list[str]:
    """The non-empty lines of every paragraph under `element`."""
    return [ln for p in element.iter(f"{_W}p") for ln in (" ".join(s.split()) for s in _text_of(p).split("\n")) if ln]


def read_docx(data: bytes) -> ReadBack:
    """Body paragraphs in order; text in headers, footers, tables and text boxes goes to `hidden_text`."""
    import docx
    from docx.opc.constants import CONTENT_TYPE as CT

    if not data.strip():
        raise AtsError("This Word file could not be read: the file is empty.")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx/lxml/zipfile errors for a damaged package share no base
        raise AtsError(f"This Word file could not be read: it is damaged or not a .docx ({_short(exc)}). Save it again as .docx.") from None
    lines: list[str] = []
    hidden: list[tuple[str, str]] = []

    def hide(place: str, texts: list[str]) -> None:
        hidden.extend((place, t) for t in texts if (place, t) not in hidden)

    def boxes_in(element) -> list:
        """Text boxes, once each (Word stores a VML copy of each box under mc:Fallback)."""
        return [b for b in element.iter(f"{_W}txbxContent") if not any(a.tag == _MC_FALLBACK for a in b.iterancestors())]

    def body(element) -> None:
        for child in element.iterchildren():
            if child.tag == f"{_W}p":
                boxes = boxes_in(child)
                for box in boxes:
                    hide("text box", _para_lines(box))
                text = _text_of(child, skip=tuple(child.iter(f"{_W}txbxContent")))
                lines.extend(ln for ln in (" ".join(s.split()) for s in text.split("\n")) if ln)
            elif child.tag == f"{_W}tbl":
                hide("table", _para_lines(child))
            elif child.tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    body(content)

    try:
        body(document.element.body)
        for part in document.part.package.iter_parts():
            if part.content_type in (CT.WML_HEADER, CT.WML_FOOTER) and hasattr(part, "element"):
                place = "page header" if part.content_type == CT.WML_HEADER else "page footer"
                hide(place, _para_lines(part.element))
    except Exception as exc:  # noqa: BLE001 - a malformed part inside an otherwise valid package
        raise AtsError(f"This Word file could not be read: a part of it is damaged ({_short(exc)}). Save it again as .docx.") from None
    return ReadBack(
        kind="docx", lines=lines, pages=_docx_pages(data, bool(lines or hidden)),
        hidden_text=[t for _, t in hidden], hidden_places=[p for p, _ in hidden],
    )  # fmt: skip


def _docx_pages(data: bytes, has_text: bool) -> int | None:
    """The page count Word saved in docProps/app.xml (absent or stale when another program wrote the file)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            xml = zf.read("docProps/app.xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return None
    m = re.search(r"<(?:\w+:)?Pages>\s*(\d+)\s*</", xml)
    words = re.search(r"<(?:\w+:)?Words>\s*(\d+)\s*</", xml)
    if words and int(words.group(1)) == 0 and has_text:  # statistics never updated (python-docx's template says 1 page, 0 words)
        return None
    return int(m.group(1)) if m and int(m.group(1)) > 0 else None


def read_markdown(text: str) -> ReadBack:
    """The markdown's words as a parser of the rendered text gets them: markers gone, one line per line."""
    lines = []
    for raw in (text or "").splitlines():
        line = strip_md(re.sub(r"^\s{0,3}#{1,6}\s+|\s+#+\s*$", "", raw))
        if line and not re.fullmatch(r"[-*_=\s]+", line):  # rules and setext underlines are no text
            lines.append(" ".join(line.split()))
    return ReadBack(kind="md", lines=lines, pages=None)


def read_file(data: bytes, suffix: str) -> ReadBack:
    """Dispatch on the file's suffix; a file that cannot be read raises AtsError with a plain message."""
    suffix = suffix.lower() if suffix.startswith(".") else "." + suffix.lower()
    if suffix == ".pdf":
        return read_pdf(data)
    if suffix == ".docx":
        return read_docx(data)
    if suffix in (".md", ".markdown"):
        try:
            return read_markdown(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise AtsError("This markdown file could not be read: it is not UTF-8 text.") from None
    raise AtsError(f"Files ending in '{suffix}' cannot be checked: use a .pdf, .docx or .md file.")


def posting_from_text(text: str, title: str = "", company: str = "") -> PostingView:
    """A job posting file (markdown or plain text) read as the fit score reads it."""
    return analyse(title, company, "", text)


# ---------------------------------------------------------------- the check


@dataclass
class SectionCheck:
    heading: str
    kind: str
    recognised: bool
    found: bool


@dataclass
class AtsReport:
    coverage: int | None  # 0-100, must-haves weighted 2, nice-to-haves 1; None without a posting
    must_coverage: int | None
    nice_coverage: int | None
    found: list[str]
    missing: list[str]
    missing_must: list[str]
    pages: int | None
    budget: int | None
    over_budget: bool
    sections: list[SectionCheck]
    order_ok: bool
    contact: dict[str, bool]
    fonts_embedded: bool | None
    problems: list[str]

    def as_dict(self) -> dict:
        """JSON-ready (the CLI prints it, the UI charts it)."""
        return asdict(self)


def _norm(text: str) -> str:
    """What a tolerant parser compares: compatibility forms folded (ﬁ -> fi), accents and case ignored, spaces collapsed."""
    return " ".join(fold(unicodedata.normalize("NFKC", text)).split())


def _kind(heading: str) -> str:
    kind = section_kind(heading)
    if kind != "other":
        return kind
    h = fold(heading)
    return next((k for k, rx in _MORE_KINDS if re.search(rf"\b(?:{rx})\b", h)), "other")


def _heading_key(text: str) -> str:
    return _norm(strip_md(text)).strip(" :")


def _looks_like_heading(line: str) -> bool:
    plain = line.strip().rstrip(":")
    return 0 < len(plain.split()) <= 4 and not re.search(r"[.,;!?@|]|\d", plain) and _kind(plain) != "other"


def _suggest(lines: list[str], roles: int) -> str:
    """A standard name for a section from what it holds (dated roles -> Experience...)."""
    if roles or sum(is_date_line(ln) for ln in lines) >= 1:
        text = fold(" ".join(lines))
        return "Education" if _DEGREE.search(text) and not roles else "Experience"
    text = " ".join(strip_md(ln) for ln in lines)
    if _DEGREE.search(fold(text)):
        return "Education"
    if len(skill_names(text)) >= 3 and sum(bool(BULLET.match(ln)) or "," in ln for ln in lines if ln.strip()) >= 1:
        return "Skills"
    return ""


def _phone(text: str) -> bool:
    for m in _PHONE.finditer(_EMAIL.sub(" ", text)):
        digits = re.sub(r"\D", "", m.group(0))
        if len(digits) >= 7 and not DATE_RANGE.fullmatch(m.group(0).strip()):
            return True
    return False


def _guess_name(lines: list[str]) -> bool:
    """Without the source CV: the first line reads like a person's name (2-5 capitalised words, no digits)."""
    if not lines:
        return False
    words = lines[0].split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() and not re.search(r"[\d@/:]", w) for w in words) and _kind(lines[0]) == "other"


def _weight(item: str) -> float:
    return SOFT_SKILL_WEIGHT if all(is_soft(a.strip()) for a in item.split(" or ")) else 1.0


def _pct(value: float | None) -> int | None:
    return None if value is None else round(value)


def _sections(rb: ReadBack, keys: list[str], source_markdown: str) -> tuple[list[SectionCheck], bool, list[str]]:
    """Each heading of the source (or of the file itself) found, recognised and in order; the problems found."""
    problems: list[str] = []
    checks: list[SectionCheck] = []
    hidden_keys = {_heading_key(t): p for t, p in zip(rb.hidden_text, rb.hidden_places, strict=False)}
    positions: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        positions.setdefault(key, []).append(i)
    if source_markdown.strip():
        cv = parse_cv(source_markdown)
        heads = [(strip_md(s.heading), s) for s in cv.sections]
    else:
        heads = [(rb.lines[i], None) for i, k in enumerate(keys) if _looks_like_heading(rb.lines[i])]
    order_ok, last, prev_name = True, -1, ""
    for heading, sec in heads:
        kind = _kind(heading)
        key = _heading_key(heading)
        where = positions.get(key, [])
        found = bool(where)
        checks.append(SectionCheck(heading=heading, kind=kind, recognised=kind != "other", found=found))
        if kind == "other":
            tip = _suggest(sec.lines, len(sec.roles)) if sec is not None else ""
            advice = f"try '{tip}'" if tip else "use a standard name such as Summary, Experience, Education or Skills"
            problems.append(f"The heading '{heading}' is not a standard section name: ATS may not file its contents ({advice})")
        if not found:
            place = hidden_keys.get(key)
            why = f"it sits in a {place}, which many ATS skip" if place else "it may be an image or lost in the layout"
            problems.append(f"The heading '{heading}' is missing from the text an ATS reads ({why})")
            continue
        after = [i for i in where if i > last]
        if not after:
            if order_ok:
                problems.append(
                    f"The sections come out in a different order than in your CV: '{heading}' is read before '{prev_name}' "
                    "(columns, tables or text boxes can do this)"
                )
            order_ok = False
            continue
        last, prev_name = after[0], heading
    return checks, order_ok, problems


def _contact(rb: ReadBack, norm_lines: list[str], source_markdown: str) -> tuple[dict[str, bool], list[str]]:
    top_n = max(TOP_LINES, math.ceil(TOP_SHARE * len(norm_lines)))
    top = "\n".join(norm_lines[:top_n])
    rest = "\n".join(norm_lines[top_n:])
    hidden = list(zip(rb.hidden_text, rb.hidden_places, strict=False))
    name = parse_cv(source_markdown).name if source_markdown.strip() else ""
    name_key = _norm(strip_md(name)) if name else ""

    def is_name(text: str) -> bool:
        return bool(name_key) and name_key in text

    tests = {
        "name": (is_name if name_key else None, "Your name"),
        "email": (lambda t: bool(_EMAIL.search(t)), "Your e-mail address"),
        "phone": (_phone, "Your phone number"),
    }
    found: dict[str, bool] = {}
    problems: list[str] = []
    for key, (test, words) in tests.items():
        ok = test(top) if test is not None else _guess_name([unicodedata.normalize("NFKC", ln) for ln in rb.lines[:1]])
        found[key] = ok
        if ok:
            continue
        place = next((p for t, p in hidden if test is not None and test(_norm(t))), "") if hidden else ""
        if place:
            problems.append(f"{words} is not near the top: it is in a {place}, which many ATS skip")
        elif test is not None and test(rest):
            problems.append(f"{words} is not near the top: an ATS reads it only further down")
        else:
            problems.append(f"{words} is not near the top{'' if test is not None else ' (the first line does not read as a name)'}")
    return found, problems


def check(rb: ReadBack, *, source_markdown: str = "", posting: PostingView | None = None, budget: int | None = None) -> AtsReport:
    """Measure a read-back: posting coverage, page budget, sections, contact details, fonts, hidden and image-only text."""
    problems: list[str] = []
    norm_lines = [_norm(ln) for ln in rb.lines]
    text = "\n".join(unicodedata.normalize("NFKC", ln) for ln in rb.lines)
    if not any(ln.strip() for ln in rb.lines):
        problems.append("No text could be read from this file: to an ATS it is empty (is it a scan or an image?)")

    # posting coverage
    cov = must_cov = nice_cov = None
    found: list[str] = []
    missing: list[str] = []
    missing_must: list[str] = []
    if posting is not None:
        skills, stems = set(skill_names(text)), set(content_stems(text))
        must_pct, _, missing_must = coverage(list(posting.must), skills, stems)
        nice_pct, _, nice_missing = coverage(list(posting.nice), skills, stems)
        must_cov, nice_cov = _pct(must_pct), _pct(nice_pct)
        items = list(posting.must) + [n for n in posting.nice if n not in posting.must]
        missing = missing_must + [n for n in nice_missing if n not in missing_must]
        found = [i for i in items if i not in missing]
        w_must = MUST_WEIGHT * sum(_weight(i) for i in posting.must)
        w_nice = NICE_WEIGHT * sum(_weight(i) for i in posting.nice)
        if w_must + w_nice:
            cov = round(((must_pct or 0) * w_must + (nice_pct or 0) * w_nice) / (w_must + w_nice))
        if missing_must:
            n = len(missing_must)
            problems.append(
                f"{n} must-have skill{'s' if n > 1 else ''} from the posting {'are' if n > 1 else 'is'} not in the file: "
                f"{join_words(missing_must[:MAX_LISTED])}{' and more' if n > MAX_LISTED else ''}"
            )

    # what the export loses: skills in the CV an ATS does not read from the file
    if source_markdown.strip() and rb.kind != "md":
        read = set(skill_names(text))
        lost = [s for s in skill_names("\n".join(read_markdown(source_markdown).lines)) if s not in read]
        if lost:
            problems.append(
                f"Skills in your CV that an ATS does not read from this file: {join_words(lost[:MAX_LISTED])}"
                " (they may be in a header, a table, a text box or an image)"
            )

    # ligatures and unmapped glyphs: text a strict parser cannot match
    raw = "\n".join(rb.lines)
    if _LIGATURES.search(raw):
        affected = [s for s in skill_names(text) if s not in skill_names(raw)]
        example = next((w for w in raw.split() if _LIGATURES.search(w)), "")
        names = f": {join_words(affected[:MAX_LISTED])} may not be found" if affected else ""
        problems.append(
            f"Some letters are printed joined as one character (ligatures, e.g. '{example}'): an ATS that does not split them "
            f"misreads those words{names}"
        )
    cids = sum(len(_CID.findall(ln)) for ln in rb.lines)
    if cids:
        problems.append(
            f"{cids} characters come out as codes like '(cid:12)': a font in this PDF maps its letters to nothing an ATS can read"
        )

    if rb.encrypted:
        problems.append("This PDF is encrypted (copy protection): some ATS refuse such files, so export it without protection")

    # page budget and image-only pages
    over = bool(budget and rb.pages and rb.pages > budget)
    if over:
        problems.append(f"{rb.pages} pages: over your {budget}-page budget")
    for n in rb.image_only_pages:
        problems.append(f"Page {n} has only an image: its text is invisible to an ATS")

    # hidden places (DOCX)
    for place in dict.fromkeys(rb.hidden_places):
        texts = [t for t, p in zip(rb.hidden_text, rb.hidden_places, strict=False) if p == place]
        sample = "; ".join(texts[:2])
        sample = sample if len(sample) <= 80 else sample[:79] + "…"
        problems.append(f"Text in a {place} is skipped by many ATS ('{sample}'): move it into the body of the document")

    sections, order_ok, sec_problems = _sections(rb, norm_lines, source_markdown)
    problems.extend(sec_problems)
    contact, contact_problems = _contact(rb, norm_lines, source_markdown)
    problems.extend(contact_problems)

    fonts_embedded = all(f.embedded for f in rb.fonts) if rb.kind == "pdf" and rb.fonts else None
    for f in rb.fonts:
        if not f.embedded:
            problems.append(f"Font {f.name} is not embedded: the file may print differently elsewhere and some ATS misread its text")

    return AtsReport(
        coverage=cov, must_coverage=must_cov, nice_coverage=nice_cov, found=found, missing=missing, missing_must=missing_must,
        pages=rb.pages, budget=budget, over_budget=over, sections=sections, order_ok=order_ok, contact=contact,
        fonts_embedded=fonts_embedded, problems=problems,
    )  # fmt: skip


def compare(before: AtsReport, after: AtsReport) -> dict:
    """Master CV (before) against tailored CV (after), shaped for a grouped bar chart, plus terms gained and lost."""

    def delta(a: int | None, b: int | None) -> int | None:
        return None if a is None or b is None else b - a

    rows = {"coverage": (before.coverage, after.coverage), "must": (before.must_coverage, after.must_coverage),
            "nice": (before.nice_coverage, after.nice_coverage)}  # fmt: skip
    return {
        "labels": ["Overall", "Must-haves", "Nice-to-haves"],
        "before": [v[0] for v in rows.values()],
        "after": [v[1] for v in rows.values()],
        **{k: {"before": a, "after": b, "change": delta(a, b)} for k, (a, b) in rows.items()},
        "gained": [t for t in after.found if t not in before.found],
        "lost": [t for t in before.found if t not in after.found],
        "problems": {"before": len(before.problems), "after": len(after.problems)},
    }
