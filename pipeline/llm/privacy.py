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


def guard_active(mode: str, base_url: str | None) -> bool:
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

    @classmethod
    def from_cv(
        cls, cv_markdown: str, *, employers: bool = False, extra_names: Iterable[str] = (), extra_emails: Iterable[str] = ()
    ) -> PrivacyGuard:
        """The details stated in the CV's header (and birth date anywhere), plus the profile's
        own name/e-mail when given; employer names from the roles when the user asks."""
        from pipeline.text.cv import parse_cv

        cv = parse_cv(cv_markdown or "")
        guard = cls()
        header = "\n".join([cv.name_line, *cv.header_lines])
        for email in dict.fromkeys([*_EMAIL.findall(cv_markdown or ""), *extra_emails]):
            guard._add("EMAIL", email, re.compile(re.escape(email), re.IGNORECASE))
        for link in dict.fromkeys(m.group(0).rstrip(".,;") for m in _LINK.finditer(header) if "@" not in m.group(0)):
            bare = re.sub(r"(?i)^(?:https?://)?(?:www\.)?", "", link).rstrip("/")
            guard._add("LINK", link, re.compile(r"(?i)(?:https?://)?(?:www\.)?" + re.escape(bare) + r"/?"))
        for n, run in enumerate(dict.fromkeys(m.group(0) for m in _PHONE_RUN.finditer(header) if _is_phone(m.group(0)))):
            guard.phones.append((f"[[PHONE{n + 1 if n else ''}]]", run.strip(), _PhonePattern(_phone_digits(run))))
        for m in _STREET.finditer(header):
            guard._add("ADDRESS", m.group(0).strip(" ,"), re.compile(re.escape(m.group(0).strip(" ,")), re.IGNORECASE))
        for m in _POSTCODE.finditer(header):
            guard._add("POSTCODE", m.group(0), re.compile(r"(?<!\w)" + re.escape(m.group(0)) + r"(?!\w)"))
        for m in _BIRTH.finditer(cv_markdown or ""):
            guard._add("BIRTH_DATE", m.group(1), re.compile(re.escape(m.group(1)), re.IGNORECASE))
        for name in dict.fromkeys(n for n in [cv.name, *extra_names] if n and n.strip()):
            words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", name) if len(w) >= 2]
            if not words:
                continue
            guard._add("NAME", name.strip(), _name_pattern(words))
            if len(words) > 1:  # each part alone too ("Dear Ms Kowalska", "Marta")
                for i, w in enumerate(words):
                    kind = "FIRST_NAME" if i == 0 else "LAST_NAME" if i == len(words) - 1 else "MIDDLE_NAME"
                    if len(w) >= 3:
                        guard._add(kind, w, _name_pattern([w]))
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
