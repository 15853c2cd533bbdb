"""The privacy guard: the candidate's personal details never reach a remote model.

Why: every model call carries the CV, and a cloud provider needs the experience, not who
the person is. Before text goes out, the name, e-mail, phone, street address, profile
links, date of birth (and, if the user asks, employer names) are swapped for stable
placeholders such as ``[[NAME]]``; the model's reply is restored locally, so the
application pack reads as the user's own. Odd spellings are caught too: a phone written
"+48 500-100-200" or "500 100 200", a name spaced out as "m a r t a".

The guard is on by default for any base URL that is not loopback or a private address
(`PRIVACY_GUARD=remote`); `always` guards local models too, `off` never guards. Logs say
how many details were withheld, never which.
"""

from __future__ import annotations

import copy
import ipaddress
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

MODES = ("off", "remote", "always")

_SEP = r"[\s.\-_·]?"  # what may sit between the letters of a spaced-out name
_PHONE_RUN = re.compile(r"(?<![\w+])\+?\(?\d[\d\s\-./()]{5,}\d(?!\w)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK = re.compile(r"(?i)\b(?:https?://)?(?:www\.)?(?:[\w-]+\.)+[a-z]{2,}/[\w\-./%~#?=&]+|\bhttps?://[^\s)>\]]+")
_STREET = re.compile(
    r"(?i)\b(?:\d+[a-z]?\s+(?:[\w'’.-]+\s+){0,3}(?:street|st\.?|road|rd\.?|avenue|ave\.?|lane|ln\.?|drive|dr\.?|way|close|court|place|square|boulevard|blvd\.?)"
    r"|(?:[\w'’.-]+\s+){0,2}[\w'’-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|laan|straat|plein|gracht|kade|steeg)\s+\d+[a-z]?"
    r"|(?:calle|c/|avenida|avda\.?|plaza|paseo|rue|avenue|boulevard|chemin|place|impasse|ulica|ul\.|via|piazza|rua)\s+[\w'’ .-]{2,40}?,?\s*\d+[a-z]?"
    r"|\d+,?\s+(?:rue|avenue|boulevard|chemin|place|impasse|allée)\s+[\w'’ .-]{2,40})\b"
)
_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|\d{4}\s?[A-Z]{2}|(?:\d{5}|\d{2}-\d{3})(?=\s+[A-ZÀ-Þ][\w-]+))\b")
_DATE_LIKE = re.compile(r"^\s*(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|(?:19|20)\d{2}\s*[-–/]\s*(?:19|20)?\d{2})\s*$")
_BIRTH = re.compile(
    r"(?i)\b(?:date of birth|born(?: on)?|d\.?o\.?b\.?|geburtsdatum|geboren(?: am)?|fecha de nacimiento|nacid[oa] el|"
    r"date de naissance|née? le|geboortedatum|geboren op)\s*[:\-]?\s*"
    r"(\d{1,2}[./\-\s]\s?(?:\d{1,2}|[a-zäéû]{3,9}\.?)[./\-\s]\s?(?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2}|[a-z]{3,9}\.? \d{1,2},? (?:19|20)\d{2})"
)
_PLACEHOLDER = re.compile(r"\[\[?\s*([A-Za-z_]+?)(\d*)\s*\]\]?")
# Profile links anywhere in the CV (a "Links" section at the bottom), not just in its header.
_PROFILE_LINK = re.compile(
    r"(?i)\b(?:https?://)?(?:[\w-]+\.)?(?:linkedin\.com|github\.com|gitlab\.com|xing\.com|twitter\.com|x\.com|behance\.net|"
    r"dribbble\.com|medium\.com|stackoverflow\.com|orcid\.org|researchgate\.net|instagram\.com|facebook\.com)/[\w\-./%~#?=&@]+"
)
# A line that says it holds a phone number ("Tel:", "Mobile", "Telefon", "Móvil", "Téléphone" ...).
_PHONE_LABEL = re.compile(r"(?i)\b(?:tel|phone|mobile|mob|cell|telefon|telefono|teléfono|móvil|movil|téléphone|portable|handy|telefoon)\b")
# Name particles that are ordinary words on their own ("van", "de la"): withheld only inside the full name.
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "del", "della", "de", "da", "di", "du", "la", "le", "les", "los", "las", "dos", "das",
     "bin", "ibn", "al", "el", "ten", "ter", "zu", "und", "y", "e", "of"}
)  # fmt: skip
# First names that are also months ("Jan 2019", "May 2021"): alone they are withheld except before a number.
_MONTHS = frozenset(
    {"jan", "feb", "mar", "apr", "may", "jun", "june", "jul", "july", "aug", "sep", "sept", "oct", "nov", "dec", "april", "august"}
)


def is_remote(base_url: str | None) -> bool:
    """True unless the model's host is loopback or a private, link-local or unique-local address.

    Names other than localhost count as remote (no DNS lookup here: when unsure, guard)."""
    host = (urllib.parse.urlsplit(base_url or "").hostname or "").strip("[]").lower()
    if not host:
        return True  # no base URL: the provider's default cloud endpoint
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return True
    return not (ip.is_loopback or ip.is_private or ip.is_link_local)


def guard_active(mode: str | None, base_url: str | None) -> bool:
    """Whether calls to `base_url` go through the guard under `PRIVACY_GUARD=mode`."""
    mode = (mode or "remote").strip().lower()
    if mode == "off":
        return False
    if mode == "always":
        return True
    return is_remote(base_url)


@dataclass(frozen=True)
class Detail:
    """One personal detail: its placeholder, the CV's own spelling, and how to find it in any text."""

    placeholder: str
    value: str
    pattern: re.Pattern[str]


def _spaced(word: str) -> str:
    """`word` as a pattern that also matches it spaced or dotted out ("m a r t a", "M.A.R.T.A")."""
    return _SEP.join(re.escape(ch) for ch in word)


def _name_pattern(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + r"[\s.\-_]+".join(_spaced(w) for w in words) + r"(?!\w)", re.IGNORECASE)


def _part_pattern(word: str) -> re.Pattern[str]:
    """One part of the name alone; a part that is also a month ("Jan", "May") not where a date follows."""
    if word.casefold() in _MONTHS:
        return re.compile(r"(?<!\w)" + re.escape(word) + r"(?![\w.]|\.?\s*\d)", re.IGNORECASE)
    return _name_pattern([word])


def _phone_digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _is_phone(run: str) -> bool:
    """Eight or more digits that are not a date or a span of years."""
    return len(_phone_digits(run)) >= 8 and not _DATE_LIKE.match(run)


class _PhonePattern:
    """Finds phone numbers by their digits whatever the separators: "+48 500-100-200" and
    "500 100 200" are the same number (the last eight digits must match)."""

    def __init__(self, digits: str) -> None:
        self.tail = digits[-8:]

    def sub(self, repl: str, text: str) -> tuple[str, int]:
        count = 0

        def one(m: re.Match[str]) -> str:
            nonlocal count
            digits = _phone_digits(m.group(0))
            if len(digits) >= 8 and digits.endswith(self.tail) and not _DATE_LIKE.match(m.group(0)):
                count += 1
                return repl
            return m.group(0)

        return _PHONE_RUN.sub(one, text), count


@dataclass
class PrivacyGuard:
    """Placeholders for one candidate's details: `hide` before a call, `restore` after it."""

    details: list[Detail] = field(default_factory=list)
    phones: list[tuple[str, str, _PhonePattern]] = field(default_factory=list)
    withheld: int = 0  # details replaced so far, over every `hide` (what the run log reports)

    @classmethod
    def from_cv(
        cls,
        cv_markdown: str,
        *,
        employers: bool = False,
        extra_names: Iterable[str] = (),
        extra_emails: Iterable[str] = (),
        extra_phones: Iterable[str] = (),
        extra_links: Iterable[str] = (),
        header_text: str = "",
    ) -> PrivacyGuard:
        """The details stated in the CV's header (and e-mails, birth date, profile links and
        labelled phone numbers anywhere), plus the profile's own name/e-mail/phone/links when
        given; employer names from the roles when the user asks. `header_text`: more lines to
        read as the header (the top of an uploaded file, whose layout the CV reader may miss)."""
        from pipeline.text.cv import parse_cv

        text = cv_markdown or ""
        cv = parse_cv(text)
        guard = cls()
        header_lines = [ln for ln in [cv.name_line, *cv.header_lines, *header_text.splitlines()] if ln.strip()]
        header = "\n".join(header_lines)
        for email in dict.fromkeys(e.strip() for e in [*_EMAIL.findall(text), *extra_emails] if e and e.strip()):
            guard._add("EMAIL", email, re.compile(re.escape(email), re.IGNORECASE))
        links = [m.group(0) for m in _LINK.finditer(header)] + [m.group(0) for m in _PROFILE_LINK.finditer(text)] + list(extra_links)
        for link in dict.fromkeys(x.strip().rstrip(".,;") for x in links if x and "@" not in x):
            bare = re.sub(r"(?i)^(?:https?://)?(?:www\.)?", "", link).rstrip("/")
            if len(bare) >= 4:
                guard._add("LINK", link, re.compile(r"(?i)(?:https?://)?(?:www\.)?" + re.escape(bare) + r"/?"))
        runs = [m.group(0) for m in _PHONE_RUN.finditer(header)]
        runs += [m.group(0) for ln in text.splitlines() if _PHONE_LABEL.search(ln) for m in _PHONE_RUN.finditer(ln)]
        runs += list(extra_phones)
        for run in dict.fromkeys(r.strip() for r in runs if r and _is_phone(r)):
            tail = _phone_digits(run)[-8:]
            if any(p.tail == tail for _, _, p in guard.phones):
                continue
            n = len(guard.phones)
            guard.phones.append((f"[[PHONE{n + 1 if n else ''}]]", run, _PhonePattern(_phone_digits(run))))
        for line in header_lines:  # line by line: an address never runs on into the name above it
            for m in _STREET.finditer(line):
                value = m.group(0).strip(" ,")
                guard._add("ADDRESS", value, re.compile(r"\s+".join(re.escape(w) for w in value.split()), re.IGNORECASE))
        for m in _POSTCODE.finditer(header):
            guard._add("POSTCODE", m.group(0), re.compile(r"(?<!\w)" + re.escape(m.group(0)) + r"(?!\w)"))
        for m in _BIRTH.finditer(text):
            guard._add("BIRTH_DATE", m.group(1), re.compile(re.escape(m.group(1)), re.IGNORECASE))
        for name in dict.fromkeys(" ".join(n.split()) for n in [cv.name, *extra_names] if n and n.strip()):
            words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", name) if len(w) >= 2]
            if not words:
                continue
            guard._add("NAME", name, _name_pattern(words))
            parts = [p for w in words for p in dict.fromkeys([w, *w.split("-")]) if p]  # "Kowalska-Nowak": each half too
            if len(parts) > 1:  # each part alone too ("Dear Ms Kowalska", "Marta")
                for i, w in enumerate(parts):
                    kind = "FIRST_NAME" if i == 0 else "LAST_NAME" if i == len(parts) - 1 else "MIDDLE_NAME"
                    if len(w) >= 3 and w.casefold() not in _PARTICLES:
                        guard._add(kind, w, _part_pattern(w))
        if employers:
            for role in cv.roles:
                if role.company and len(role.company) >= 2:
                    guard._add("EMPLOYER", role.company, re.compile(r"(?<!\w)" + re.escape(role.company) + r"(?!\w)", re.IGNORECASE))
        return guard

    def _add(self, kind: str, value: str, pattern: re.Pattern[str]) -> None:
        if not value or any(d.value.casefold() == value.casefold() for d in self.details):
            return
        n = sum(1 for d in self.details if d.placeholder.startswith(f"[[{kind}"))
        self.details.append(Detail(f"[[{kind}{n + 1 if n else ''}]]", value, pattern))

    def __bool__(self) -> bool:
        return bool(self.details or self.phones)

    def hide(self, text: str) -> tuple[str, int]:
        """`text` with every known detail replaced by its placeholder, and how many were replaced."""
        if not text:
            return text, 0
        total = 0
        ordered = sorted(self.details, key=lambda d: (_rank(d), -len(d.value)))
        for d in [d for d in ordered if _rank(d) < _ORDER["ADDRESS"]]:
            text, n = d.pattern.subn(d.placeholder, text)
            total += n
        for placeholder, _, pattern in self.phones:
            text, n = pattern.sub(placeholder, text)
            total += n
        for d in [d for d in ordered if _rank(d) >= _ORDER["ADDRESS"]]:
            text, n = d.pattern.subn(d.placeholder, text)
            total += n
        self.withheld += total
        return text, total

    def restore(self, text: str) -> str:
        """The model's `text` with placeholders turned back into the candidate's details
        (tolerant of "[NAME]" and stray spaces, which models sometimes write)."""
        if not text or "[" not in text:
            return text
        values = {d.placeholder: d.value for d in self.details} | {p: v for p, v, _ in self.phones}

        def one(m: re.Match[str]) -> str:
            n = "" if m.group(2) in ("", "1") else m.group(2)  # "[[PHONE1]]" is the first phone, "[[PHONE]]"
            return values.get(f"[[{m.group(1).upper()}{n}]]", m.group(0))

        return _PLACEHOLDER.sub(one, text)

    def restore_data(self, value: Any) -> Any:
        """`restore` through JSON-like data (a model's structured reply)."""
        if isinstance(value, str):
            return self.restore(value)
        if isinstance(value, dict):
            return {k: self.restore_data(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.restore_data(v) for v in value]
        return value


# Replacement order: whole e-mails and links before the name parts they contain; the phone
# (by digits) next; then addresses, dates, employers and names, longest first.
_ORDER = {
    "EMAIL": 0,
    "LINK": 1,
    "BIRTH_DATE": 2,
    "ADDRESS": 3,
    "POSTCODE": 4,
    "EMPLOYER": 5,
    "NAME": 6,
    "FIRST_NAME": 7,
    "MIDDLE_NAME": 7,
    "LAST_NAME": 7,
}


def _rank(d: Detail) -> int:
    return _ORDER.get(d.placeholder.strip("[]").rstrip("0123456789"), 9)


def guard_for(
    cv_markdown: str, base_url: str | None, *, mode: str | None = None, employers: bool | None = None, profile: Any = None,
    header_text: str = "",
) -> PrivacyGuard | None:
    """The guard for calls to `base_url` about this CV, or None when the mode says not to guard.

    The one place the mode is read: `mode` and `employers` default to the settings
    (PRIVACY_GUARD, PRIVACY_GUARD_EMPLOYERS); a caller with its own configuration (the
    Settings panel) passes them in. `profile` adds the stored profile's own details: a
    `Profile` row, a `ProfileData`, or a dict with name / email / phone / links (also
    under "contact")."""
    from pipeline.settings import settings

    mode = settings.privacy_guard if mode is None else mode
    if not guard_active(mode, base_url):
        return None
    employers = settings.privacy_guard_employers if employers is None else employers
    names, emails, phones, links = profile_details(profile)
    return PrivacyGuard.from_cv(
        cv_markdown or "", employers=bool(employers), extra_names=names, extra_emails=emails, extra_phones=phones, extra_links=links,
        header_text=header_text,
    )  # fmt: skip


def profile_details(profile: Any) -> tuple[list[str], list[str], list[str], list[str]]:
    """(names, e-mails, phones, links) a profile states about its owner, from whatever form it comes in."""
    if profile is None:
        return [], [], [], []
    if hasattr(profile, "parsed") and hasattr(profile, "markdown"):  # a Profile row: its name, and what its parse found
        profile = {**(profile.parsed or {}), "profile_name": profile.name or ""}
    elif hasattr(profile, "model_dump"):  # a ProfileData
        profile = profile.model_dump(mode="json")
    elif not isinstance(profile, dict):
        return [], [], [], []
    contact = profile.get("contact") if isinstance(profile.get("contact"), dict) else {}

    def strings(*values: Any) -> list[str]:
        out: list[str] = []
        for v in values:
            items = v if isinstance(v, (list, tuple)) else [v]
            out += [str(x).strip() for x in items if isinstance(x, str) and x.strip()]
        return out

    return (
        strings(profile.get("name"), profile.get("profile_name")),
        strings(profile.get("email"), contact.get("email")),
        strings(profile.get("phone"), contact.get("phone")),
        strings(profile.get("links"), contact.get("links")),
    )


def guarded(
    analyst: Any, cv_markdown: str, *, profile: Any = None, mode: str | None = None, employers: bool | None = None, header_text: str = ""
) -> Any:
    """`analyst` for calls about this CV: a model analyst without a guard comes back as a copy
    carrying one when the mode says so for its server (the caller's analyst is not changed,
    so one shared analyst never carries another CV's guard); anything else as it is."""
    if not hasattr(analyst, "guard") or analyst.guard is not None or not hasattr(analyst, "base_url"):
        return analyst
    mode = getattr(analyst, "privacy_mode", None) if mode is None else mode  # the owner's Settings (make_analyst)
    employers = getattr(analyst, "privacy_employers", None) if employers is None else employers
    guard = guard_for(cv_markdown, analyst.base_url, mode=mode, employers=employers, profile=profile, header_text=header_text)
    if guard is None:
        return analyst
    out = copy.copy(analyst)
    out.guard = guard
    return out
