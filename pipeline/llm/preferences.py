"""The user's writing preferences applied to a finished pack, the same on both paths.

The model is told the tone and the words to avoid (pipeline/llm/prompts.py); what can be
done deterministically is done here, after the analyst returned and after the claim check:
the signature block replaces the sign-off name of the cover letter and the email (so its
phone number or address never has to go to a model), and words to avoid that still appear
are reported as a warning line in the run log.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.graph.schemas import Writing
    from pipeline.llm.config import WritingPreferences

MAX_SIGNOFF_LINES = 3  # a closing block longer than this is not a sign-off
_SIGNOFF_END = re.compile(r"[,!]\s*$")


def _is_signoff_line(line: str) -> bool:
    """'Kind regards,' / 'Mit freundlichen Grüßen' / 'Atentamente,': short, no sentence."""
    line = line.strip()
    return 0 < len(line) <= 40 and not re.search(r"[.?:]\s*$", line) and len(line.split()) <= 5


def apply_signature(text: str, signature: str) -> str:
    """`text` ending with `signature`: the lines after the closing formula ("Kind regards,") are
    replaced by it; with no recognisable closing, or a signature that brings its own closing
    ("Best,\\nMarta"), the closing block is replaced or the signature appended."""
    signature = (signature or "").strip()
    if not signature or not text.strip():
        return text
    body = text.rstrip()
    if body.endswith(signature):
        return text
    head, sep, last = body.rpartition("\n\n")
    lines = [ln for ln in last.splitlines() if ln.strip()]
    own_closing = bool(_SIGNOFF_END.search(signature.splitlines()[0]))
    if sep and 1 <= len(lines) <= MAX_SIGNOFF_LINES and _is_signoff_line(lines[0]):
        closing = "" if own_closing else lines[0].rstrip() + "\n"
        return f"{head}\n\n{closing}{signature}"
    return f"{body}\n\n{signature}"


def avoided_words(text: str, words: list[str] | tuple[str, ...]) -> list[str]:
    """The words to avoid that occur in `text` (whole words, any case), in the user's order."""
    found = []
    for w in words:
        w = w.strip()
        if w and re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text or "", re.IGNORECASE):
            found.append(w)
    return found


def apply_preferences(writing: Writing, prefs: WritingPreferences | None) -> tuple[Writing, list[str]]:
    """The pack with the signature applied, and warning lines for the run log (words to avoid
    found in the letter or outreach)."""
    if prefs is None:
        return writing, []
    out = writing
    if prefs.signature:
        outreach = writing.outreach.model_copy(update={"email_body": apply_signature(writing.outreach.email_body, prefs.signature)})
        out = writing.model_copy(update={"cover_letter": apply_signature(writing.cover_letter, prefs.signature), "outreach": outreach})
    notes = []
    for label, text in (("cover letter", out.cover_letter), ("email", out.outreach.email_body), ("LinkedIn note", out.outreach.linkedin_note)):
        found = avoided_words(text, prefs.avoid_words)
        if found:
            notes.append(f"the {label} uses words you asked to avoid: {', '.join(repr(w) for w in found)}; edit them out before sending")
    return out, notes
