"""Every URL the page links to, built in one place, next to the patterns the server routes.

The patterns (`CV_PDF`, `PACK_ZIP`, ...) are the ones `jobapp/api/files.py` and
`jobapp/jobapp.py` register, and the query names (`PAGE_SIZE_PARAM`, ...) the ones the
download routes read; the builders fill them in, so a link and its route cannot drift apart.

A builder takes plain values and returns a `str` (state code, view rows:
`routes.artifact(7, "result.json")`), or Reflex Vars and returns a string Var the browser
evaluates (components, at render time: `routes.cv_pdf(EditorState.run_id, EditorState.template,
EditorState.page_size, EditorState.ats_safe)`). Reflex is only touched when a Var is passed,
so the server side imports this module without loading Reflex.
"""

from __future__ import annotations

import re
import sys
from typing import Any
from urllib.parse import quote

# --- patterns (Starlette syntax: `{name:convertor}`) -------------------------------------------

FILES = "/files"
RUN_FILES = FILES + "/runs/{run_id:int}"
ARTIFACT = RUN_FILES + "/artifacts/{name:str}"
CV_PDF = RUN_FILES + "/cv.pdf"
DOSSIER_PDF = RUN_FILES + "/dossier.pdf"
CV_MD = RUN_FILES + "/cv.md"
CV_DOCX = RUN_FILES + "/cv.docx"
LETTER_PDF = RUN_FILES + "/letter.pdf"
LETTER_DOCX = RUN_FILES + "/letter.docx"
LETTER_MD = RUN_FILES + "/letter.md"
PACK_ZIP = RUN_FILES + "/pack.zip"
PROFILE_ORIGINAL = FILES + "/profiles/{profile_id:int}/original"
INTERVIEW_ICS = FILES + "/interviews/{interview_id:int}/interview.ics"
CALENDAR_FEED = "/calendar/{token:str}.ics"  # the private feed: the token is the only credential

LOGIN = "/auth/login"  # POST, a plain HTML form (jobapp/components/auth.py)
LOGOUT = "/auth/logout"

API_PREFIX = "/api"  # the REST API's mount (jobapp/api/app.py); docs/api.md
API_RUN_ARTIFACT = API_PREFIX + "/runs/{run_id:int}/artifacts/{name:str}"

# --- query parameters the download routes read -----------------------------------------------

TEMPLATE_PARAM = "template"  # CV template (pipeline.render.templates.TEMPLATES)
PAGE_SIZE_PARAM = "page_size"  # pipeline.render.templates.PAGE_SIZES
ATS_PARAM = "ats"  # "1": ATS-safe text
VERSION_PARAM = "version"  # a stored CV or letter version instead of the current one (what was sent)
DOWNLOAD_PARAM = "download"  # any value: an artifact comes as an attachment
FLAG_ON = "1"


# --- builders ----------------------------------------------------------------------------------


def artifact(run_id: Any, name: Any, *, download: bool = False) -> Any:
    """A file a run produced, shown in the browser (or saved, with `download`)."""
    return _join(_path(ARTIFACT, run_id=run_id, name=name) + _flag(download, f"?{DOWNLOAD_PARAM}={FLAG_ON}"))


def cv_pdf(run_id: Any, template: Any, page_size: Any, ats_safe: Any = False, version: Any = None) -> Any:
    """CV.pdf of the run's current CV version (or of `version`), in a template and page size."""
    return _join(_path(CV_PDF, run_id=run_id) + _layout_query(template, page_size, ats_safe) + _version_query(version, True))


def dossier_pdf(run_id: Any, page_size: Any = None) -> Any:
    """dossier.pdf of a run; without a page size the server's default (A4)."""
    return _join(_path(DOSSIER_PDF, run_id=run_id) + _page_query(page_size))


def cv_md(run_id: Any, version: Any = None) -> Any:
    """CV.md of the run's current CV version (or of `version`)."""
    return _join(_path(CV_MD, run_id=run_id) + _version_query(version, False))


def cv_docx(run_id: Any, template: Any, page_size: Any, ats_safe: Any = False, version: Any = None) -> Any:
    """CV.docx of the run's current CV version (or of `version`), laid out like the PDF template."""
    return _join(_path(CV_DOCX, run_id=run_id) + _layout_query(template, page_size, ats_safe) + _version_query(version, True))


def letter_pdf(run_id: Any, page_size: Any = None, version: Any = None) -> Any:
    """letter.pdf of the run's current cover letter version (or of `version`), with its head."""
    return _join(_path(LETTER_PDF, run_id=run_id) + _page_query(page_size) + _version_query(version, page_size is not None))


def letter_docx(run_id: Any, page_size: Any = None, version: Any = None) -> Any:
    """cover_letter.docx of the run's current cover letter version (or of `version`)."""
    return _join(_path(LETTER_DOCX, run_id=run_id) + _page_query(page_size) + _version_query(version, page_size is not None))


def letter_md(run_id: Any, version: Any = None) -> Any:
    """cover_letter.md of the run's current cover letter version (the body the user edits), or of `version`."""
    return _join(_path(LETTER_MD, run_id=run_id) + _version_query(version, False))


def pack_zip(run_id: Any, template: Any, page_size: Any, ats_safe: Any = False) -> Any:
    """The application pack (CV and letter as pdf, docx and md; dossier, outreach, result) as one ZIP."""
    return _join(_path(PACK_ZIP, run_id=run_id) + _layout_query(template, page_size, ats_safe))


def profile_original(profile_id: Any) -> Any:
    """The CV file a profile was read from, as uploaded."""
    return _join(_path(PROFILE_ORIGINAL, profile_id=profile_id))


def interview_ics(interview_id: Any) -> Any:
    """One interview as an .ics file to open in any calendar."""
    return _join(_path(INTERVIEW_ICS, interview_id=interview_id))


def calendar_feed(token: Any) -> Any:
    """The private calendar feed (relative: the page prefixes its own origin to show the full URL)."""
    return _join(_path(CALENDAR_FEED, token=token))


def api_run_artifact(run_id: Any, name: Any) -> Any:
    """A run's file through the REST API (bearer token), as `GET /api/runs/{id}` lists it."""
    return _join(_path(API_RUN_ARTIFACT, run_id=run_id, name=name))


# --- filling -------------------------------------------------------------------------------------

_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


def _is_var(value: Any) -> bool:
    if "reflex" not in sys.modules:  # nothing can be a Var before Reflex is loaded
        return False
    from reflex.vars.base import Var

    return isinstance(value, Var)


def _value(value: Any) -> Any:
    """One path or query value: a Var as a string Var; anything else as escaped text."""
    return value.to(str) if _is_var(value) else quote(str(value), safe="")


def _path(pattern: str, **params: Any) -> list[Any]:
    """The pattern's literal pieces with each `{name}` replaced by its value."""
    parts: list[Any] = []
    pos = 0
    for m in _PARAM.finditer(pattern):
        parts += [pattern[pos : m.start()], _value(params.pop(m.group(1)))]
        pos = m.end()
    if params:
        raise TypeError(f"{pattern} has no {', '.join(params)}")
    return [*parts, pattern[pos:]]


def _flag(on: Any, text: str) -> list[Any]:
    """`text` when the flag is set; for a Var, decided in the browser."""
    if _is_var(on):
        import reflex as rx

        return [rx.cond(on, text, "")]
    return [text] if on else []


def _page_query(page_size: Any) -> list[Any]:
    return [] if page_size is None else [f"?{PAGE_SIZE_PARAM}=", _value(page_size)]


def _version_query(version: Any, after_query: bool) -> list[Any]:
    """`version=N` for a stored version; nothing for the current one."""
    return [] if version is None else [f"{'&' if after_query else '?'}{VERSION_PARAM}=", _value(version)]


def _layout_query(template: Any, page_size: Any, ats_safe: Any) -> list[Any]:
    return [
        f"?{TEMPLATE_PARAM}=", _value(template), f"&{PAGE_SIZE_PARAM}=", _value(page_size),
        *_flag(ats_safe, f"&{ATS_PARAM}={FLAG_ON}"),
    ]  # fmt: skip


def _join(parts: list[Any]) -> Any:
    """Plain pieces joined into a str; with a Var among them, one concatenated string Var."""
    merged: list[Any] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif not (isinstance(part, str) and not part):
            merged.append(part)
    out: Any = "" if not merged else merged[0]
    for part in merged[1:]:
        out = out + part
    return out
